"""A node's panel as data: what the renderer's side panel draws beside the graph.

The panel is drawn in the browser by ``assets/panel.js`` from this dictionary,
every value as text (never as markup). Beside a drawing, the same script makes
a first panel at once from the view's own data (the node's label, class,
definition and the relations drawn); this one is complete: every relation of the
node, grouped, with how well each is attested and where it is stated.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .words import class_name, evidence, source_text

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["PER_GROUP", "panel_data"]

#: Relations listed per group; a hub's thousands stay in the graph and the tables.
PER_GROUP = 25


def panel_data(
    kg: KnowledgeGraph, node: str, *, inferred: bool = True, per_group: int = PER_GROUP
) -> dict[str, Any]:
    """Everything the panel of ``node`` shows, as JSON-ready values.

    Parameters
    ----------
    kg : KnowledgeGraph
    node : str
        The node's IRI (or anything :meth:`KnowledgeGraph.details` resolves).
    inferred : bool
        Whether inferred statements count among its relations.
    per_group : int
        Relations listed per group (label and direction); ``total`` says how many there are.

    Returns
    -------
    dict
        ``id``, ``label``, ``kind`` (its class in words), ``classes`` (its other
        classes), ``aliases``, ``definition``, ``attributes`` (pairs of a name and
        its values), ``mentioned`` (a sentence, or ""), ``links`` (``label``,
        ``kind``, ``url``: http(s) only), ``relations`` (how many in all),
        ``groups`` (``label``, ``direction`` "out" or "in", ``total`` and
        ``items``: ``id``, ``label``, ``kind``, ``evidence``), ``complete`` (True).

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> data = panel_data(tiny_graph(), "http://example.org/python")
    >>> data["label"], data["relations"], data["complete"]
    ('Python', 1, True)
    >>> [(g["label"], g["direction"], g["items"][0]["label"]) for g in data["groups"]]
    [('uses tool', 'in', 'Programming')]
    """
    details = kg.details(node, inferred=inferred)
    me = details.node.id
    total = len(kg.schema.articles)
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for edge in details.edges:
        grouped[(edge.label, edge.direction_from(me))].append(edge)
    groups = []
    for (label, direction), edges in sorted(grouped.items()):
        items = []
        for edge in sorted(edges, key=lambda e: -len(e.articles))[:per_group]:
            other = kg.node(edge.other(me))
            where = "; ".join(
                source_text(s) for s in edge.sources if s.kind in ("article", "curated")
            )
            items.append(
                {
                    "id": other.id,
                    "label": other.label,
                    "kind": class_name(other.type_label or other.type).lower(),
                    "evidence": evidence(edge, total) + (f": {where}" if where else ""),
                }
            )
        groups.append({"label": label, "direction": direction, "total": len(edges), "items": items})
    articles = {a for e in details.edges for a in e.articles}
    mentioned = (
        f"Mentioned by {len(articles)} of {total} articles." if details.edges and total else ""
    )
    shown = details.node
    return {
        "id": me,
        "label": shown.label,
        "kind": class_name(shown.type_label or shown.type),
        "classes": [class_name(c).lower() for c in shown.classes if c != shown.type],
        "aliases": list(details.aliases),
        "definition": details.definition or "",
        "attributes": [[name, list(values)] for name, values in details.attributes.items()],
        "mentioned": mentioned,
        "links": _links(kg, details.matches),
        "relations": len(details.edges),
        "groups": groups,
        "complete": True,
    }


def _links(kg: KnowledgeGraph, matches: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    links = []
    for predicate, target in matches:
        if not target.startswith(("http://", "https://")):
            continue
        where = "ESCO concept" if "data.europa.eu/esco" in target else "Linked concept"
        name = f"{where}: {kg.node(target).label}" if kg.has_node(target) else where
        links.append(
            {"label": name, "kind": kg.schema.property_label(predicate).lower(), "url": target}
        )
    return links
