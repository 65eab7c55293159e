"""Everything known about one node, as ``show`` prints it and the app's panel draws it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Edge, Node
from ..terms import Lit
from ..vocab.labels import (
    ALIAS_PREDICATES,
    DEFINITION_PREDICATES,
    HIDDEN_PREDICATES,
    LABEL_PREDICATES,
    pick_label,
)
from ..vocab.namespaces import RDF
from ..vocab.schema import MATCH_PREDICATES
from ..vocab.standard import METADATA_PREDICATES

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

__all__ = ["NodeDetails", "read_details"]

_SHOWN = frozenset(
    {*LABEL_PREDICATES, *ALIAS_PREDICATES, *HIDDEN_PREDICATES, *DEFINITION_PREDICATES, RDF.type}
)


@dataclass(frozen=True)
class NodeDetails:
    """Everything known about one node: what ``show`` prints."""

    node: Node
    aliases: tuple[str, ...]
    definition: str | None
    attributes: dict[str, list[str]]
    matches: tuple[tuple[str, str], ...]
    edges: tuple[Edge, ...]

    def to_dict(self, kg: KnowledgeGraph) -> dict[str, Any]:
        relations = []
        for edge in self.edges:
            other = kg.node(edge.other(self.node.id))
            relations.append(
                {
                    "predicate": edge.predicate,
                    "label": edge.label,
                    "direction": edge.direction_from(self.node.id),
                    "target": other.to_dict(),
                    "inferred": edge.inferred,
                    "sources": [s.to_dict() for s in edge.sources],
                }
            )
        return {
            **self.node.to_dict(),
            "type_label": self.node.type_label,
            "classes": list(self.node.classes),
            "aliases": list(self.aliases),
            "definition": self.definition,
            "attributes": self.attributes,
            "matches": [{"predicate": p, "target": t} for p, t in self.matches],
            "relations": relations,
        }


def read_details(kg: KnowledgeGraph, node: str, *, inferred: bool = True) -> NodeDetails:
    """Everything known about ``node`` (an IRI of ``kg``).

    Literal values are attributes; so are the blank nodes the node owns (a
    change note, a reified statement): each is one attribute whose value
    joins the blank node's own literal values ("created: 2011-06-15; reason: new").
    """
    about = kg.backend.quads_about(node)  # read once: a hub's are hundreds of thousands
    lits = kg.names.literals(node, about)
    lang = kg.schema.lang
    aliases = [lit.value for p in ALIAS_PREDICATES for lit in lits.get(p, [])]
    main = kg.node(node)
    aliases += [lit.value for lit in kg.labels(node) if lit.value != main.label]
    definitions = [lit for p in DEFINITION_PREDICATES for lit in lits.get(p, [])]
    attributes = {
        kg.schema.property_label(p): sorted({v.value for v in values})
        for p, values in lits.items()
        if p not in _SHOWN and values
    }
    for name, values in _owned_blank_nodes(kg, node, about).items():
        attributes.setdefault(name, []).extend(values)
    for q in about:  # who made or edited it: named, not walked through
        if q.p in METADATA_PREDICATES and isinstance(q.o, str) and not q.o.startswith("_:"):
            values = attributes.setdefault(kg.schema.property_label(q.p), [])
            if (label := kg.node(q.o).label) not in values:
                values.append(label)
    matches = tuple(
        sorted((q.p, q.o) for q in about if q.p in MATCH_PREDICATES and isinstance(q.o, str))
    )
    return NodeDetails(
        node=main,
        aliases=tuple(dict.fromkeys(aliases)),
        definition=pick_label(definitions, lang=lang),
        attributes=attributes,
        matches=matches,
        edges=tuple(kg.edges(node, inferred=inferred)),
    )


def _owned_blank_nodes(kg: KnowledgeGraph, node: str, about: list[Any]) -> dict[str, list[str]]:
    """The literal values of the blank nodes ``node`` points at, one text per blank node.

    Read with one query, so a server's own names for blank nodes never matter.
    """
    if not any(isinstance(q.o, str) and q.o.startswith("_:") for q in about):
        return {}
    from ..backends.protocol import sparql_term

    rows = kg.backend.select(
        f"SELECT ?p ?b ?q ?v WHERE {{ {sparql_term(node)} ?p ?b FILTER(isBlank(?b))"
        " ?b ?q ?v FILTER(isLiteral(?v)) }"
    )
    parts: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        value = row.get("v")
        if isinstance(value, Lit) and isinstance(row.get("q"), str):
            name = kg.schema.property_label(str(row["q"]))
            parts.setdefault((str(row["p"]), str(row["b"])), []).append(f"{name}: {value.value}")
    out: dict[str, list[str]] = {}
    for (p, _blank), texts in sorted(parts.items()):
        out.setdefault(kg.schema.property_label(p), []).append("; ".join(sorted(texts)))
    return out
