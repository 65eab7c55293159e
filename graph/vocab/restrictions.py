"""OWL class descriptions read as edges: "has topping some Mozzarella Topping".

In an OWL ontology what a class means is written with anonymous class
expressions: ``Margherita rdfs:subClassOf [ owl:onProperty :hasTopping ;
owl:someValuesFrom :MozzarellaTopping ]``.  The blank nodes are folded into
the class that owns them: each restriction becomes an edge from the class,
labelled with its property and its kind (some, only, value, at least, at
most, exactly), to each named class or individual it points at (through
``owl:unionOf`` and ``owl:intersectionOf`` lists too); a named class in an
``owl:intersectionOf`` that defines a class becomes a super-class edge.

The statements are read with one SPARQL query, so any backend serves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .namespaces import RDFS

if TYPE_CHECKING:
    from ..backends.base import Backend

__all__ = ["DERIVED_GRAPH", "DerivedEdge", "read_derived_edges"]

#: The pseudo graph of each kind of derived edge: ``DERIVED_GRAPH + kind``.
DERIVED_GRAPH = "urn:mlcareer:owl:"

_KINDS = {
    "someValuesFrom": "some",
    "allValuesFrom": "only",
    "hasValue": "value",
    "onClass": "exactly",
    "minCardinality": "at least",
}
_EXPRESSIONS = ("intersectionOf", "unionOf", "oneOf")
#: Four plain queries, joined here: one query with property paths over the lists took
#: 38 s on Brick 1.2's 31,598 statements in Oxigraph; these take a fraction of a second.
_OWNERS = (
    "SELECT ?c ?x WHERE { { ?c rdfs:subClassOf ?x } UNION { ?c owl:equivalentClass ?x }"
    " FILTER(isIRI(?c) && isBlank(?x)) }"
)
_LISTS = "SELECT ?l ?f ?r WHERE { ?l rdf:first ?f . ?l rdf:rest ?r FILTER(isBlank(?l)) }"


def _query_restrictions() -> str:
    union = " UNION ".join(
        f'{{ ?r owl:{name} ?v BIND("{name}" AS ?q) }}' for name in (*_KINDS, *_EXPRESSIONS)
    )
    return (
        f"SELECT ?r ?q ?v ?p WHERE {{ {union} FILTER(isBlank(?r))"
        " OPTIONAL { ?r owl:onProperty ?p } }"
    )


@dataclass(frozen=True)
class DerivedEdge:
    """An edge read out of blank class expressions: ``source predicate target`` of a kind."""

    source: str
    predicate: str
    target: str
    kind: str

    @property
    def graph(self) -> str:
        """The pseudo graph that names the edge's kind as its source."""
        return DERIVED_GRAPH + self.kind


def read_derived_edges(backend: Backend) -> list[DerivedEdge]:
    """Every edge the graph's OWL restrictions and class intersections stand for.

    >>> from graph.core.examples import tiny_graph
    >>> read_derived_edges(tiny_graph().backend)
    []
    """
    owners: dict[str, set[str]] = {}
    for row in backend.select(_OWNERS):
        owners.setdefault(str(row["x"]), set()).add(str(row["c"]))
    if not owners:
        return []
    cells = {str(r["l"]): (r["f"], str(r["r"])) for r in backend.select(_LISTS) if "f" in r}
    restrictions: dict[str, tuple[str, str, str]] = {}  # blank -> (property, kind, filler)
    expressions: dict[str, list[str]] = {}  # blank -> members of its list
    intersections: set[str] = set()
    for row in backend.select(_query_restrictions()):
        r, q, v = str(row["r"]), str(row["q"]), row["v"]
        if q in _KINDS and isinstance(row.get("p"), str) and isinstance(v, str):
            restrictions[r] = (str(row["p"]), _KINDS[q], v)
        elif q in _EXPRESSIONS and isinstance(v, str):
            expressions[r] = _members(v, cells)
            if q == "intersectionOf":
                intersections.add(r)
    out: set[DerivedEdge] = set()
    for blank, classes in owners.items():
        for c in classes:
            top = blank in intersections
            out.update(_edges_of(c, blank, restrictions, expressions, top=top))
    return sorted(out, key=lambda e: (e.source, e.predicate, e.target, e.kind))


def _members(head: str, cells: dict[str, tuple[object, str]]) -> list[str]:
    """The items of the RDF list starting at ``head`` (blank nodes included)."""
    out: list[str] = []
    seen: set[str] = set()
    while head in cells and head not in seen:
        seen.add(head)
        first, head = cells[head]
        if isinstance(first, str):
            out.append(first)
    return out


def _named(node: str, expressions: dict[str, list[str]], depth: int = 0) -> list[str]:
    """The named classes or individuals ``node`` stands for (through unions and the like)."""
    if not node.startswith("_:"):
        return [node]
    if depth > 5:
        return []
    return [n for m in expressions.get(node, []) for n in _named(m, expressions, depth + 1)]


def _edges_of(
    c: str,
    blank: str,
    restrictions: dict[str, tuple[str, str, str]],
    expressions: dict[str, list[str]],
    *,
    top: bool,
) -> list[DerivedEdge]:
    """The edges from class ``c`` that the expression ``blank`` stands for (``top``: an
    intersection, whose named classes are super-classes and whose restrictions all hold)."""
    if blank in restrictions:
        p, kind, filler = restrictions[blank]
        return [DerivedEdge(c, p, t, kind) for t in _named(filler, expressions) if t != c]
    out = []
    for member in expressions.get(blank, []):
        if member.startswith("_:"):
            if top:
                out += _edges_of(c, member, restrictions, expressions, top=False)
        elif top and member != c:
            out.append(DerivedEdge(c, RDFS.subClassOf, member, "intersection"))
    return out
