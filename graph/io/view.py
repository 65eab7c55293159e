"""The graph view's data: vis-network nodes, edges and legend for a selection.

Choice of renderer: pyvis ships vis-network 9, and that copy is what draws the
graph (in the app's component and in the standalone page of
:mod:`graph.io.page`), but pyvis's own page template is not used: it loads
Bootstrap from a CDN, switches tooltips to ``innerHTML`` when a title contains
``href``, and inserts the heading unescaped.

Colours are the Okabe-Ito palette, which stays distinguishable with the common
colour-vision deficiencies, and every main class also has its own shape, so
neither colour nor shape alone carries the meaning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import Edge, Node, Path
from .words import class_name, source_text

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from .selection import Selection

__all__ = [
    "EDGE_STYLES",
    "PALETTE",
    "SHAPES",
    "VIS_OPTIONS",
    "class_colours",
    "legend",
    "node_style",
    "view_spec",
]

#: Okabe-Ito colours by main class (colour-blind safe); a shape tells classes apart too.
PALETTE: dict[str, str] = {
    "Role": "#E69F00",  # orange
    "Skill": "#56B4E9",  # sky blue
    "Tool": "#009E73",  # bluish green
    "Qualification": "#F0E442",  # yellow
    "Industry": "#0072B2",  # blue
    "Responsibility": "#D55E00",  # vermilion
    "LearningParadigm": "#CC79A7",  # reddish purple
    "Regulation": "#000000",  # black
    "Organization": "#0072B2",
    "Application": "#CC79A7",
    "Figure": "#F0E442",
    "Artifact": "#0072B2",
    "Challenge": "#D55E00",
    "ProjectStage": "#009E73",
    "SeniorityLevel": "#E69F00",
    "PayFactor": "#F0E442",
    "Work": "#56B4E9",
    "Resource": "#999999",  # grey: anything else
}
#: A vis-network shape per main class. vis-network draws twelve shapes without an
#: image: the first eleven classes and ``Resource`` each have one of their own; the
#: knowledge base's later classes share a shape with a class of another colour, so
#: no two classes look alike (and none is told apart by colour alone from a class
#: of its shape, nor by shape alone from a class of its colour).
SHAPES: dict[str, str] = {
    "Role": "star",
    "Skill": "dot",
    "Tool": "square",
    "Qualification": "triangle",
    "Industry": "diamond",
    "Responsibility": "triangleDown",
    "LearningParadigm": "hexagon",
    "Regulation": "box",
    "Organization": "circle",
    "Application": "database",
    "Figure": "ellipse",
    "Artifact": "square",
    "Challenge": "diamond",
    "ProjectStage": "hexagon",
    "SeniorityLevel": "triangle",
    "PayFactor": "diamond",
    "Work": "box",
    "Resource": "text",
}
#: Shapes that draw their label inside, so the text colour must contrast with the fill.
_LABEL_INSIDE = {"box", "ellipse", "database", "circle", "text"}
#: What the legend draws for each shape, as text.
GLYPHS = {
    "star": "\u2605",
    "dot": "\u25cf",
    "square": "\u25a0",
    "triangle": "\u25b2",
    "diamond": "\u25c6",
    "triangleDown": "\u25bc",
    "hexagon": "\u2b22",
    "box": "\u25ac",
    "ellipse": "\u2b2c",
    "database": "\u26c1",
    "circle": "\u25ef",
    "text": "T",
}
_EDGE_COLOUR = "#707070"
_PATH_COLOUR = "#000000"

#: vis-network options on top of the renderer's own (``assets/network.js``): the
#: renderer places every node itself, so vis-network's layout and physics stay off
#: (its "improved layout" clusters a view of more than 150 nodes by ``group`` and
#: then draws them in its own colours).
VIS_OPTIONS: dict[str, Any] = {
    "layout": {"improvedLayout": False},
    "physics": {"enabled": False},
}
#: How each kind of edge is drawn, explained in the legend.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "stated": {"label": "stated by a source", "color": _EDGE_COLOUR, "width": 1.5},
    "inferred": {"label": "inferred", "color": _EDGE_COLOUR, "width": 1.5, "dashes": True},
    "path": {"label": "on a path found", "color": _PATH_COLOUR, "width": 4},
}


# -- styling ---------------------------------------------------------------------
#: Styles for the classes of other vocabularies (ESCO's occupations, a user's own
#: classes): the same colours and shapes in combinations the project's classes do
#: not use, chosen by the class name so a class looks the same in every view,
#: export and chart.
OTHER_STYLES: tuple[tuple[str, str], ...] = tuple(
    (colour, shape)
    for shape in ("dot", "square", "triangle", "diamond", "triangleDown", "hexagon")
    for colour in ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#0072B2", "#F0E442")
    if (colour, shape) not in {(PALETTE[c], SHAPES[c]) for c in SHAPES}
)


def node_style(node_type: str) -> tuple[str, str]:
    """The ``(colour, shape)`` of a main class; a class of another vocabulary gets a fixed one.

    >>> node_style("Role"), node_style("Resource")
    (('#E69F00', 'star'), ('#999999', 'text'))
    >>> node_style("Occupation") == node_style("Occupation") != node_style("Knowledge")
    True
    """
    if node_type in SHAPES:
        return PALETTE[node_type], SHAPES[node_type]
    digest = hashlib.sha1(node_type.encode("utf-8"), usedforsecurity=False).digest()
    return OTHER_STYLES[int.from_bytes(digest[:4], "big") % len(OTHER_STYLES)]


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``).

    >>> text_colour("#F0E442"), text_colour("#000000")
    ('#000000', '#FFFFFF')
    """
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.4 else "#FFFFFF"


# -- the spec ----------------------------------------------------------------------
def view_spec(
    selection: Selection,
    *,
    kg: KnowledgeGraph | None = None,
    highlight_paths: Sequence[Path] | None = None,
    focus: str | None = None,
    anchors: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """vis-network nodes and edges for ``selection``, with a legend.

    Parameters
    ----------
    selection : Selection
    kg : KnowledgeGraph, optional
        When given, node tooltips include definitions.
    highlight_paths : sequence of Path, optional
        Paths whose edges are drawn wider and darker; by default the selection's
        own paths (pass ``[]`` for none).
    focus : str, optional
        IRI of the node drawn larger; by default the selection's focus.
    anchors : mapping of str to str, optional
        For a view that grew: the node each node was added from (the renderer
        places it beside that node).  A node's rank is its place in ``selection``.

    Returns
    -------
    dict
        ``nodes`` and ``edges`` (vis-network items; ``title`` is plain text to be
        shown as text; ``kgClass`` the main class), ``legend`` (``type``,
        ``label``, ``color``, ``shape``, ``count``), ``edge_legend`` (the edge
        styles used), ``paths`` and ``path_nodes`` (the edge and node ids of each
        highlighted path), ``layout``, ``focus`` and ``options``.

    Examples
    --------
    >>> from graph.io.selection import Selection
    >>> a = Node("http://e/a", "A <b>", "Role", type_label="Role")
    >>> b = Node("http://e/b", "B", "Skill", type_label="Skill")
    >>> spec = view_spec(Selection([a, b], [Edge(a.id, b.id, "http://e/p", "needs")]))
    >>> spec["nodes"][0]["label"], spec["nodes"][0]["shape"], spec["edges"][0]["arrows"]
    ('A <b>', 'star', 'to')
    >>> [item["label"] for item in spec["legend"]]
    ['Role', 'Skill']
    """
    chosen = selection.paths if highlight_paths is None else highlight_paths
    paths = list(getattr(chosen, "paths", chosen))  # a PathResult will do too
    focus = selection.focus if focus is None else focus
    on_path = {e.key for p in paths for e in p.edges}
    path_nodes = {n.id for p in paths for n in p.nodes}
    # vis-network refuses a page whose data repeats an id, so repeats are dropped here.
    unique_nodes = list({n.id: n for n in selection.nodes}.values())
    unique_edges = list({e.key: e for e in selection.edges}.values())
    labels = {n.id: n.label for n in unique_nodes}
    edges, edge_ids = [], {}
    for i, edge in enumerate(unique_edges):
        edge_ids[edge.key] = f"e{i}"
        edges.append(_edge_item(edge, f"e{i}", labels, edge.key in on_path))
    definitions = _definitions(kg, unique_nodes) if kg is not None else {}
    touching: dict[str, list[Edge]] = {}
    for edge in unique_edges:
        for end in {edge.source, edge.target}:
            touching.setdefault(end, []).append(edge)
    ends = {paths[0].nodes[0].id: "start", paths[0].nodes[-1].id: "end"} if paths else {}
    nodes = []
    for rank, n in enumerate(unique_nodes):
        item = _node_item(
            n, definitions.get(n.id), touching.get(n.id, []), n.id == focus, n.id in path_nodes
        )
        item["rank"] = rank
        if anchors and anchors.get(n.id):
            item["anchor"] = anchors[n.id]
        if n.id in ends:
            item["end"] = ends[n.id]
        nodes.append(item)
    used = {"inferred" if e.inferred else "stated" for e in unique_edges}
    if on_path:
        used.add("path")
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": legend(unique_nodes),
        "edge_legend": [{"kind": k, **v} for k, v in EDGE_STYLES.items() if k in used],
        "paths": [[edge_ids[e.key] for e in p.edges if e.key in edge_ids] for p in paths],
        "path_nodes": [[n.id for n in p.nodes] for p in paths],
        "layout": "paths" if paths else "tree",
        "focus": focus,
        "options": VIS_OPTIONS,
    }


def legend(nodes: Iterable[Node]) -> list[dict[str, str]]:
    """One entry per main class present, in palette order: type, label, colour, shape, count."""
    present: dict[str, str] = {}
    counts: dict[str, int] = {}
    for node in nodes:
        present.setdefault(node.type, class_name(node.type_label or node.type))
        counts[node.type] = counts.get(node.type, 0) + 1
    order = list(SHAPES)
    ranked = sorted(present, key=lambda t: (order.index(t) if t in order else len(order), t))
    out = []
    for node_type in ranked:
        colour, shape = node_style(node_type)
        label = present[node_type]
        entry = {"type": node_type, "label": label, "color": colour, "shape": shape}
        out.append({**entry, "count": counts[node_type]})
    return out


def class_colours(classes: Iterable[str]) -> dict[str, str]:
    """The palette's colour of each main class, for charts that must match the graph.

    >>> class_colours(["Role", "Resource"])
    {'Role': '#E69F00', 'Resource': '#999999'}
    """
    return {c: node_style(c)[0] for c in classes}


def _node_item(
    node: Node, definition: str | None, edges: Sequence[Edge], is_focus: bool, on_path: bool
) -> dict[str, Any]:
    colour, shape = node_style(node.type)
    border = "#000000" if is_focus or on_path else _darker(colour)
    item: dict[str, Any] = {
        "id": node.id,
        "label": node.label,
        "title": node_tooltip(node, definition, edges),
        "kgClass": node.type,
        "type_label": node.type_label,
        "kind": class_name(node.type_label or node.type),
        "definition": definition or "",
        "shape": shape,
        "color": {
            "background": colour,
            "border": border,
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        },
        "borderWidth": 2 if is_focus or on_path else 1,
    }
    if is_focus:
        item["size"] = 30  # larger, not darker: a thick border turns small shapes into blobs
    if shape == "text":
        item["font"] = {"color": "#343434", "background": "#EEEEEE"}
    elif shape in _LABEL_INSIDE:
        item["font"] = {"color": text_colour(colour)}
    return item


def _edge_item(edge: Edge, edge_id: str, labels: dict[str, str], on_path: bool) -> dict[str, Any]:
    style = EDGE_STYLES["path" if on_path else "inferred" if edge.inferred else "stated"]
    item = {
        "id": edge_id,
        "from": edge.source,
        "to": edge.target,
        "label": edge.label,
        "title": edge_tooltip(edge, labels),
        "predicate": edge.predicate,
        "inferred": edge.inferred,
        "arrows": "to",
        "dashes": edge.inferred,
        "width": style["width"],
        "color": {"color": style["color"], "highlight": "#000000"},
        "path": on_path,
    }
    return item


def node_tooltip(node: Node, definition: str | None, edges: Sequence[Edge] = ()) -> str:
    """Plain-text tooltip of a node: label, class, definition, the articles that mention it.

    >>> print(node_tooltip(Node("http://e/a", "A", "Role", type_label="Role"), "Does things."))
    A
    Role
    Does things.
    """
    lines = [node.label, class_name(node.type_label or node.type)]
    if definition:
        lines.append(definition)
    articles = sorted(
        {
            s.label
            for e in edges
            if node.id in (e.source, e.target)
            for s in e.sources
            if s.kind == "article"
        }
    )
    if articles:
        lines.append("Mentioned in: " + ", ".join(articles))
    return "\n".join(lines)


def edge_tooltip(edge: Edge, labels: dict[str, str]) -> str:
    """Plain-text tooltip of an edge: the statement in words and each of its sources."""
    source = labels.get(edge.source, edge.source)
    target = labels.get(edge.target, edge.target)
    lines = [f"{source} \u2014 {edge.label} \u2192 {target}"]
    if edge.inferred:
        lines.append("(inferred)")
    if edge.sources:
        lines.append("Sources:")
        lines += [f"\u2022 {source_text(s)}" for s in edge.sources]
    return "\n".join(lines)


def _definitions(kg: KnowledgeGraph, nodes: Iterable[Node]) -> dict[str, str]:
    return kg.definitions(n.id for n in nodes)


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) * 2 // 3 for i in (1, 3, 5))
    return f"#{r:02X}{g:02X}{b:02X}"
