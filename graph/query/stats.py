"""Counts that describe a graph: triples, nodes, edges, by class and by source."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..terms import Lit

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["GraphStats", "graph_stats"]


@dataclass
class GraphStats:
    """What ``python -m graph stats`` prints."""

    triples: int
    nodes: int
    edges: int
    classes: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    inferred_edges: int = 0
    #: Edges stated by each article, by the article's IRI.
    articles: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "triples": self.triples,
            "nodes": self.nodes,
            "edges": self.edges,
            "inferred_edges": self.inferred_edges,
            "classes": self.classes,
            "sources": self.sources,
            "articles": self.articles,
        }


def graph_stats(kg: KnowledgeGraph, *, inferred: bool = True) -> GraphStats:
    """Count the statements, the projected nodes and edges, per main class and per source.

    ``sources`` counts, for each article (or file), the edge statements it makes.
    With ``inferred`` false, the statements of inferred graphs are left out of
    every count.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> s = graph_stats(kg)
    >>> (s.triples, s.nodes, s.edges)
    (3, 2, 1)
    """
    if kg.kept is not None:  # counted when the store was built
        return GraphStats(**kg.kept.stats(inferred=inferred))
    nodes: set[str] = set()
    edge_graphs: dict[tuple[str, str, str], set[str | None]] = {}
    triples = 0
    for quad in kg.backend.iter_quads():
        if not inferred and kg.is_inferred_graph(quad.g):
            continue
        triples += 1
        if isinstance(quad.o, Lit):
            if quad.s not in kg.schema.schema_nodes:
                nodes.add(quad.s)
        elif kg.rules.is_edge(quad):
            edge_graphs.setdefault((quad.s, quad.p, quad.o), set()).add(quad.g)
            nodes.update((quad.s, quad.o))
    merged = kg.rules.merge_inverses(edge_graphs)
    kg.prefetch_nodes(nodes)  # one request per hundred nodes on an endpoint
    by_class = Counter(kg.node(n).type for n in nodes)
    by_source: Counter[str] = Counter()
    by_article: Counter[str] = Counter()
    inferred_edges = 0
    for _s, _p, _o, graphs in merged:
        found = {kg.schema.source_of(g) for g in graphs}
        by_source.update({s.label for s in found})
        by_article.update({s.source for s in found if s.kind == "article"})
        if kg.is_inferred(graphs):
            inferred_edges += 1
    return GraphStats(
        triples=triples,
        nodes=len(nodes),
        edges=len(merged),
        classes=dict(by_class.most_common()),
        sources=dict(sorted(by_source.items())),
        inferred_edges=inferred_edges,
        articles=dict(sorted(by_article.items())),
    )
