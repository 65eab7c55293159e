"""Counts that describe a graph: triples, nodes, edges, by class and by source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Node
from ..terms import Lit

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["GraphStats", "graph_stats", "most_connected"]


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
            if quad.s not in kg.schema.schema_nodes and not quad.s.startswith("_:"):
                nodes.add(quad.s)
        elif kg.rules.is_edge(quad):
            edge_graphs.setdefault((quad.s, quad.p, quad.o), set()).add(quad.g)
            nodes.update((quad.s, quad.o))
    for s, p, o, g in {e for n in kg.schema.derived for e in kg.derived_statements(n)}:
        edge_graphs.setdefault((s, p, o), set()).add(g)  # restrictions read as edges
        nodes.update((s, o))
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


def most_connected(
    kg: KnowledgeGraph, *, types: Iterable[str] | None = None, top: int = 10
) -> list[tuple[Node, int]]:
    """The nodes touched by the most edges: the ``top`` of each main class in ``types``
    (local names), or of the whole graph when ``types`` is ``None``; nodes no edge
    touches are left out.

    Returns (node, edges) pairs, class by class, the most connected first, ties
    by label.  A graph from a persistent store answers from the degrees it
    keeps; another counts the edges of the whole graph (a remote endpoint: none).

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> [(n.label, k) for n, k in most_connected(tiny_graph(), top=1)]
    [('Programming', 1)]
    """
    if kg.kept is not None:
        return [(kg.node(iri), n) for iri, n in kg.kept.most_connected(types, top)]
    if kg.remote:
        return []
    from ..io.selection import Selection

    everything = Selection.everything(kg)
    degree = Counter(x for e in everything.edges for x in (e.source, e.target))
    connected = [n for n in everything.nodes if degree[n.id]]
    groups = (
        [connected] if types is None else [[n for n in connected if n.type == t] for t in types]
    )
    out: list[tuple[Node, int]] = []
    for nodes in groups:
        nodes.sort(key=lambda n: (-degree[n.id], n.label, n.id))
        out += [(n, degree[n.id]) for n in nodes[:top]]
    return out
