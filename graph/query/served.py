"""Views a SPARQL server computes: a neighbourhood ranked and counted where the data is.

Through an endpoint, reading every statement around a frontier to score its
neighbours in Python sends tens of thousands of rows for a view of a few
hundred nodes.  Here the server ranks the neighbours itself
(:meth:`graph.backends.joins.ServerJoins.ranked`) and sends back the best
joined, how many there are and of which classes; only the statements
among the nodes kept cross the network.  The answers are those of
:func:`graph.query.neighbors.neighbors` reading statements, node for node
(``tests/backends/test_contract.py``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..backends.joins import EdgeSpec, ServerJoins
from ..backends.protocol import sparql_term
from ..vocab.labels import LABEL_PREDICATES
from ..vocab.schema import EXCLUDED_PREDICATES, MATCH_PREDICATES, SCHEMA_NAMESPACES
from ..vocab.standard import METADATA_PREDICATES, SCHEMA_EDGE_PREDICATES

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from ..model import Node
    from .filters import EdgeFilter
    from .neighbors import Neighbourhood

__all__ = ["class_iris", "edge_spec", "served_neighbourhood"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def edge_spec(kg: KnowledgeGraph, keep: EdgeFilter) -> EdgeSpec | None:
    """The edges ``keep`` lets through, as a server tests them (``None``: it cannot).

    A filter by source needs each edge's graphs gathered first: those views
    read statements instead.
    """
    if keep.sources is not None:
        return None
    schema = kg.schema
    graphs = kg.graph_names()
    inferred = frozenset(g for g in graphs if kg.is_inferred_graph(g))
    articles = {}
    for g in graphs:
        source = schema.source_of(g)
        if source.kind == "article":
            articles[g] = source.source
    # is_edge_predicate decides by namespace, save for these: ask it about each
    special = EXCLUDED_PREDICATES | METADATA_PREDICATES | SCHEMA_EDGE_PREDICATES | {RDF_TYPE}
    return EdgeSpec(
        excluded_prefixes=tuple(SCHEMA_NAMESPACES),
        excluded=frozenset(p for p in special if not schema.is_edge_predicate(p))
        | frozenset(keep.excluded),
        kept=frozenset(
            p
            for p in special
            if schema.is_edge_predicate(p) and p.startswith(tuple(SCHEMA_NAMESPACES))
        ),
        allowed=None if keep.predicates is None else frozenset(keep.predicates),
        schema_nodes=frozenset(schema.schema_nodes),
        skipped_graphs=frozenset() if keep.inferred else inferred,
        mappings=frozenset(MATCH_PREDICATES),
        labels=tuple(LABEL_PREDICATES),
        inverse=dict(schema.inverse),
        articles=articles,
        inferred_graphs=inferred,
    )


def class_iris(kg: KnowledgeGraph, joins: ServerJoins, wanted: set[str]) -> list[str]:
    """The classes the graph uses whose members are of one of ``wanted`` (local names)."""
    used: list[str] = kg.memo(
        "served.classes",
        lambda: [
            str(r["c"])
            for r in joins.rows(
                "SELECT ?c WHERE { "
                + " UNION ".join(joins.patterns("?x", "?c", sparql_term(RDF_TYPE), "?g"))
                + " FILTER(isIRI(?c)) } GROUP BY ?c"
            )
            if isinstance(r.get("c"), str)
        ],
    )
    out = []
    for cls in used:
        main, classes, _label = kg.names.describe([cls])
        if wanted & {main, *classes}:
            out.append(cls)
    return sorted(out)


def served_neighbourhood(
    kg: KnowledgeGraph,
    joins: ServerJoins,
    spec: EdgeSpec,
    center: Node,
    *,
    hops: int,
    keep: EdgeFilter,
    wanted: set[str] | None,
    limit: int,
) -> Neighbourhood:
    """:func:`graph.query.neighbors.neighbors`, each hop ranked and counted by the server."""
    from .neighbors import Neighbourhood

    classes = class_iris(kg, joins, wanted) if wanted is not None else None
    distance = {center.id: 0}
    shown: list[str] = []
    edges: dict[tuple[str, str, str], frozenset[str | None]] = {}
    omitted = 0
    left_out: Counter[str] = Counter()
    frontier, earlier = [center.id], [center.id]
    for depth in range(1, max(hops, 0) + 1):
        if not frontier or (classes is not None and not classes):
            break
        room = max(limit - len(shown), 0)
        avoid = [n for n in earlier if n not in frontier]
        ranking = joins.ranked(frontier, spec, avoid=avoid, classes=classes, limit=room)
        scores = dict(ranking.top)
        chosen = [n for n, _ in ranking.top]
        omitted += ranking.found - len(chosen)
        for found, count in ranking.class_sets.items():
            left_out[kg.type_name(found)] += count
        kept = {center.id, *shown, *chosen}
        for s, p, o, gs in _links(kg, joins, frontier, kept, keep):
            edges[(s, p, o)] = gs
        kg.prefetch_nodes(chosen)
        left_out.subtract(kg.node(n).type for n in chosen)
        chosen.sort(key=lambda n: (-scores[n], kg.node(n).label))
        for other in chosen:
            distance[other] = depth
            shown.append(other)
        earlier += chosen
        frontier = chosen
    return Neighbourhood(
        center=center,
        nodes=[kg.node(n) for n in shown],
        edges=[kg.edge((s, p, o, gs)) for (s, p, o), gs in sorted(edges.items())],
        distance=distance,
        omitted=omitted,
        omitted_by_type={t: n for t, n in sorted(left_out.items()) if n > 0},
    )


def _links(
    kg: KnowledgeGraph, joins: ServerJoins, frontier: list[str], kept: set[str], keep: EdgeFilter
) -> list[tuple[str, str, str, frozenset[str | None]]]:
    """The edges the filters keep between the frontier and the nodes kept."""
    quads = joins.statements_between(frontier, sorted(kept))
    merged = kg.merged((q.s, q.p, q.o, q.g) for q in quads if kg.rules.is_edge(q))  # type: ignore[misc]
    return [
        (s, p, o, gs)
        for s, p, o, gs in merged
        if s in kept and o in kept and keep.allows_raw(p, gs, kg.is_inferred(gs))
    ]
