"""What an edge is, in terms a SPARQL server can test: the :class:`EdgeSpec` of a view.

Paths through an endpoint read parts of their regions from the server
(:class:`graph.backends.joins.ServerJoins`: how many neighbours a node has,
the statements among a region's nodes); the server applies the explorer's
own rules of what an edge is through the spec built here.

Neighbourhoods are not ranked on the server: the hop of a view reads the
statements around its frontier (:func:`graph.query.neighbors.neighbors`),
which measured faster on every server and size tried (ESCO and a million
statements, Oxigraph and Virtuoso) than grouping them there, and carries no
list of the nodes a view already holds.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..backends.joins import EdgeSpec
from ..vocab.labels import LABEL_PREDICATES
from ..vocab.schema import EXCLUDED_PREDICATES, MATCH_PREDICATES, SCHEMA_NAMESPACES
from ..vocab.standard import METADATA_PREDICATES, SCHEMA_EDGE_PREDICATES

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from .filters import EdgeFilter

__all__ = ["edge_spec"]

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
    spec = EdgeSpec(
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
    joins = kg.backend.joins()
    if joins is None:
        return spec
    # A statement's predicate tested against the refused ones the server holds is one
    # comparison; testing it against each excluded namespace cost Oxigraph half the time of
    # counting the neighbours of 300 ESCO nodes.
    return dataclasses.replace(spec, used=joins.predicates())
