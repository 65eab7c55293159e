"""The part of a graph a path question needs, weighted, and its cheapest paths.

A path of at most ``H`` hops from ``s`` to ``t`` only passes through nodes
``v`` with ``hops(s, v) + hops(v, t) <= H``: that *region* is all a k cheapest
paths search needs.  ``H`` is the shortest distance plus :data:`SLACK`
(capped by the caller's ``max_hops``): paths much longer than the shortest
are not what a person asking wants, and the region stays small.

Two builders give the same region and the same weights:

- :func:`indexed_region` over a local store's integer index: breadth-first
  distances and the region's weights in numpy, the k cheapest paths by
  ``scipy.sparse.csgraph.yen`` (compiled);
- :func:`fetched_region` for any backend: each node's edges read when the
  search reaches it (two balls grown from the ends, the smaller first), then
  ``networkx.shortest_simple_paths`` on the region.

Weights (see :func:`step_weight`): an edge costs 1, less when more articles
state it, more when only inferred; and half the hub cost of each end, so a
path through a node with a hundred links costs about two hops more.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..backends.edge_index import distinct
from .path_balls import Balls, grow_balls
from .served import edge_spec

if TYPE_CHECKING:
    from ..core.adjacency import Adjacency, RowMask
    from ..core.kg import KnowledgeGraph
    from .filters import EdgeFilter

__all__ = [
    "HUB_DEGREE",
    "SLACK",
    "Region",
    "fetched_region",
    "filter_key",
    "hub_cost",
    "indexed_region",
    "networkx_paths",
    "step_weight",
    "yen_paths",
]

#: Hops allowed beyond the shortest path.
SLACK = 2
#: A node with this many neighbours or more is called a hub in a path's reason.
HUB_DEGREE = 100
#: Passing through a node of :data:`HUB_DEGREE` neighbours costs two hops.
HUB_SCALE = 2.0 / math.log1p(HUB_DEGREE / 20.0)
#: Most candidate paths enumerated (ties with the k-th cheapest included).
MAX_CANDIDATES = 60
#: Most nodes in a region: past it, the slack shrinks (only shorter paths are weighed).
REGION_NODES = 5_000
#: Most nodes a search reads the edges of, on a backend without an index.
FETCH_BUDGET = 20_000


def hub_cost(degree: float) -> float:
    """Extra cost of passing through a node with ``degree`` neighbours: nearly 0 for a
    leaf, two hops' worth at 100 neighbours, growing with the logarithm.

    >>> [round(hub_cost(d), 2) for d in (1, 10, 100, 1000)]
    [0.05, 0.45, 2.0, 4.39]
    """
    return HUB_SCALE * math.log1p(degree / 20.0)


def step_weight(articles: int, inferred_only: bool) -> float:
    """Cost of one hop before hubs: 1 for one article, less for more, 1.5 when only inferred
    (the integer index computes the same over whole arrays).

    >>> [round(step_weight(a, False), 2) for a in (0, 1, 2, 4)], step_weight(0, True)
    ([1.0, 1.0, 0.8, 0.57], 1.5)
    """
    if inferred_only:
        return 1.5
    return 1.0 / (1.0 + 0.25 * (min(max(articles, 1), 4) - 1))


@dataclass
class Region:
    """The nodes that may lie on a wanted path, the weighted pairs between them, and
    everything a path's reason needs (degrees)."""

    nodes: list[str]
    u: np.ndarray  # local ids, u < v
    v: np.ndarray
    weight: np.ndarray
    degree: dict[str, int]
    max_hops: int
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    def ids(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.nodes)}


def _weights(ends: tuple[np.ndarray, np.ndarray], base: np.ndarray, plain: bool) -> np.ndarray:
    """Each pair's weight: its step weight and half the hub cost of each end (degrees)."""
    if plain:
        return np.ones(len(base))
    hub_u, hub_v = (HUB_SCALE * np.log1p(d / 20.0) for d in ends)
    return base + (hub_u + hub_v) / 2.0


# -- over the integer index -------------------------------------------------------------------
@dataclass
class _Pairs:
    """Every pair of nodes joined by an allowed edge, once (u < v), with its evidence."""

    u: np.ndarray
    v: np.ndarray
    base: np.ndarray  # step_weight of the pair
    degree: np.ndarray  # node id -> distinct neighbours


def _pairs(adjacency: Adjacency, keep: EdgeFilter) -> _Pairs:
    index = adjacency.index
    n = len(index.terms)
    rows = np.flatnonzero(adjacency.allowed_rows(keep).dense())
    s, o = index.s[rows].astype(np.int64), index.o[rows].astype(np.int64)
    loop = s == o
    rows, s, o = rows[~loop], s[~loop], o[~loop]
    pairs, base = _step_weights(adjacency, rows, s, o)
    u, v = pairs // n, pairs % n
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    return _Pairs(u, v, base, degree)


def _limit(shortest: int, max_hops: int, size: Callable[[int], int]) -> int:
    """The longest paths weighed: the shortest plus :data:`SLACK`, less where that region
    would hold more than :data:`REGION_NODES` nodes (around hubs of a large graph)."""
    limit = min(max_hops, shortest + SLACK)
    while limit > shortest and size(limit) > REGION_NODES:
        limit -= 1
    return limit


def filter_key(keep: EdgeFilter) -> tuple[object, ...]:
    """What an :class:`EdgeFilter` lets through, as a value (for caching per filter)."""
    chosen = None if keep.predicates is None else tuple(sorted(keep.predicates))
    sources = None if keep.sources is None else tuple(sorted(keep.sources))
    return (chosen, tuple(sorted(keep.excluded)), sources, keep.inferred)


def indexed_region(
    kg: KnowledgeGraph,
    adjacency: Adjacency,
    keep: EdgeFilter,
    source: str,
    target: str,
    *,
    passable: Callable[[np.ndarray], np.ndarray],
    max_hops: int,
    plain: bool,
) -> Region | None:
    """The region between ``source`` and ``target`` read from the integer index.

    ``passable(degree)`` says which node ids may be inner nodes.  ``None`` when
    the ends are not joined within ``max_hops``.  Only the two balls around the
    ends are read (:mod:`graph.query.path_balls`).
    """
    index = adjacency.index
    s, t = index.ids.get(source), index.ids.get(target)
    if s is None or t is None:
        return None
    rows_ok = adjacency.allowed_rows(keep)
    degree = _degree(kg, adjacency, keep)
    ok = np.asarray(passable(degree), dtype=bool).copy()
    ok[[s, t]] = True
    grown = grow_balls(Balls(adjacency, rows_ok, ok), s, t, max_hops=max_hops, slack=SLACK)
    if grown is None:
        return None
    reached, total = grown
    limit = _limit(int(total.min()), max_hops, lambda h: int(np.count_nonzero(total <= h)))
    members = np.sort(reached[total <= limit])
    u, v, base = _region_pairs(adjacency, rows_ok, members)
    weight = _weights((degree[u].astype(np.float64), degree[v].astype(np.float64)), base, plain)
    nodes = [index.terms[i] for i in members.tolist()]
    degrees = dict(zip(nodes, np.asarray(degree)[members].tolist(), strict=True))
    local_u, local_v = np.searchsorted(members, u), np.searchsorted(members, v)
    return Region(nodes, local_u, local_v, weight, degrees, limit)


def _degree(kg: KnowledgeGraph, adjacency: Adjacency, keep: EdgeFilter) -> np.ndarray:
    """Node id -> distinct neighbours through the edges ``keep`` allows: kept with the
    store for an unfiltered question, else counted once per filter over every edge."""
    plain = filter_key(keep) == (None, (), None, True)
    if plain and kg.kept is not None:
        return np.asarray(kg.kept.arrays["neighbours"])
    memo_key = "paths.pairs:" + repr(filter_key(keep))
    pairs: _Pairs = kg.memo(memo_key, lambda: _pairs(adjacency, keep))
    return pairs.degree


def _region_pairs(
    adjacency: Adjacency, rows_ok: RowMask, members: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair of ``members`` joined by an allowed edge (u < v, node ids), its step weight."""
    index = adjacency.index
    n = len(index.terms)
    rows, node, other = index.frontier_rows(members)
    inside = np.zeros(n, dtype=bool)
    inside[members] = True
    keep = rows_ok[rows] & inside[other] & (node != other)
    rows = distinct(rows[keep])  # each statement once, though both its ends are members
    s, o = index.s[rows].astype(np.int64), index.o[rows].astype(np.int64)
    pairs, base = _step_weights(adjacency, rows, s, o)
    return pairs // n, pairs % n, base


def _step_weights(
    adjacency: Adjacency, rows: np.ndarray, s: np.ndarray, o: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs the statements ``rows`` (ends ``s``, ``o``) join, as
    ``min * n + max``, and each pair's step weight (:func:`step_weight`, over every
    pair at once): lighter the more articles state it, heavier when only inferred."""
    index = adjacency.index
    n = len(index.terms)
    pairs, which = np.unique(np.minimum(s, o) * n + np.maximum(s, o), return_inverse=True)
    which = which.ravel()
    numbers = adjacency.graph_articles()
    article = numbers[index.g[rows]]
    said = article > 0
    stated = distinct(which[said] * (len(numbers) + 1) + article[said])  # (pair, article) once
    articles = np.bincount(stated // (len(numbers) + 1), minlength=len(pairs))
    plain_rows = ~adjacency.inferred_graphs[index.g[rows]]
    asserted = np.bincount(which, weights=plain_rows, minlength=len(pairs)) > 0
    return pairs, np.where(asserted, 1.0 / (1.0 + 0.25 * (np.clip(articles, 1, 4) - 1)), 1.5)


def yen_paths(
    region: Region, source: str, target: str, k: int, deadline: float
) -> Iterator[tuple[float, list[int]]]:
    """The cheapest simple paths of ``region`` (weight, local ids), cheapest first, by
    scipy's compiled Yen; asks for more until the ties of the k-th are all in."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import yen

    ids = region.ids()
    n = len(region.nodes)
    matrix = csr_matrix(
        (
            np.concatenate((region.weight, region.weight)),
            (np.concatenate((region.u, region.v)), np.concatenate((region.v, region.u))),
        ),
        shape=(n, n),
    )
    s, t = ids[source], ids[target]
    found: list[tuple[float, list[int]]] = []
    for wanted in (k + 4, MAX_CANDIDATES):  # a second, longer run only when ties need it
        dist, pred = yen(matrix, s, t, wanted, return_predecessors=True)
        found = []
        for d, row in zip(np.atleast_1d(dist).tolist(), np.atleast_2d(pred), strict=False):
            if not math.isfinite(d):
                break
            path, node = [t], t
            while node != s:
                node = int(row[node])
                path.append(node)
            found.append((d, path[::-1]))
        complete = len(found) < wanted or found[-1][0] > _kth(found, k, region.max_hops) + 1e-9
        if complete or time.monotonic() > deadline:
            break
    yield from found


def _kth(found: list[tuple[float, list[int]]], k: int, max_hops: int) -> float:
    fitting = [d for d, p in found if len(p) - 1 <= max_hops]
    return fitting[k - 1] if len(fitting) >= k else math.inf


# -- reading edges as the search goes (any backend) --------------------------------------------
class _Reader:
    """Each node's neighbours under the filters, with the evidence of each pair.

    Behind a SPARQL server (``joins``), a node whose edges are not needed
    whole is asked for less: how many neighbours it has (counted by the
    server), and the statements between it and the other nodes of a region.
    """

    def __init__(self, kg: KnowledgeGraph, keep: EdgeFilter) -> None:
        self.kg, self.keep = kg, keep
        self.pairs: dict[str, dict[str, tuple[int, bool]]] = {}
        self.joins = kg.backend.joins()
        self.spec = edge_spec(kg, keep) if self.joins is not None else None
        self.counts: dict[str, int] = {}
        self.partial: dict[str, dict[str, tuple[int, bool]]] = {}

    def read(self, nodes: list[str]) -> None:
        wanted = [n for n in nodes if n not in self.pairs]
        if len(wanted) > 1:
            self.kg.prefetch_edges(wanted)  # one request per batch on an endpoint
        for node in wanted:
            self.pairs[node] = self._pairs(node, self.kg.raw_edges(node))

    def _pairs(
        self, node: str, edges: Iterable[tuple[str, str, str, frozenset[str | None]]]
    ) -> dict[str, tuple[int, bool]]:
        found: dict[str, tuple[set[str | None], bool]] = {}
        for s, p, o, graphs in edges:
            inferred = self.kg.is_inferred(graphs)
            if s == o or not self.keep.allows_raw(p, graphs, inferred):
                continue
            other = o if s == node else s
            seen, asserted = found.get(other, (set(), False))
            found[other] = (seen | set(graphs), asserted or not inferred)
        return {
            other: (self.kg.article_count(frozenset(graphs)), asserted)
            for other, (graphs, asserted) in sorted(found.items())
        }

    def __getitem__(self, node: str) -> dict[str, tuple[int, bool]]:
        self.read([node])
        return self.pairs[node]

    def read_degrees(self, nodes: list[str]) -> None:
        """Know how many neighbours each of ``nodes`` has."""
        if self.joins is None or self.spec is None:
            self.read(nodes)
            return
        wanted = [n for n in dict.fromkeys(nodes) if n not in self.pairs and n not in self.counts]
        if wanted:
            self.counts.update(self.joins.degrees(wanted, self.spec))

    def degree(self, node: str) -> int:
        if node not in self.pairs:
            self.read_degrees([node])
        return len(self.pairs[node]) if node in self.pairs else self.counts[node]

    def complete(self, nodes: list[str]) -> None:
        """What a region's weights need: each node's degree and the pairs among ``nodes``."""
        if self.joins is None or self.spec is None:
            self.read(nodes)
            return
        unread = [n for n in nodes if n not in self.pairs]
        self.read_degrees(unread)
        statements = self.joins.statements_between(unread, nodes)
        rules = self.kg.rules
        touching: dict[str, list[tuple[str, str, str, str | None]]] = {n: [] for n in unread}
        for q in statements:
            if rules.is_edge(q):
                for end in {q.s, q.o}:
                    if end in touching:
                        touching[end].append((q.s, q.p, q.o, q.g))  # type: ignore[arg-type]
        for node, found in touching.items():
            self.partial[node] = self._pairs(node, self.kg.merged(found))

    def among(self, node: str, ids: dict[str, int]) -> list[tuple[str, tuple[int, bool]]]:
        found = self.pairs[node] if node in self.pairs else self.partial.get(node, {})
        return [(other, evidence) for other, evidence in found.items() if other in ids]


def fetched_region(
    kg: KnowledgeGraph,
    keep: EdgeFilter,
    source: str,
    target: str,
    *,
    via: set[str] | None,
    max_degree: int | None,
    max_hops: int,
    plain: bool,
    deadline: float,
) -> Region | None:
    """The region between ``source`` and ``target``, reading edges as two balls grow.

    Inner nodes must belong to one of the ``via`` classes (local names) and have at
    most ``max_degree`` neighbours, when given.  The balls grow (the smaller first)
    until they meet, then until their radii add up to the region's hop limit:
    every edge of every path within the limit has then been read.  ``None`` when
    the ends are not joined within ``max_hops``.
    """
    reader = _Reader(kg, keep)
    ends = {source, target}
    verdict: dict[str, bool] = {}

    def ok(node: str) -> bool:
        if node in ends:
            return True
        if node not in verdict:
            fits = True
            if via is not None:
                info = kg.node(node)
                fits = bool(via & {info.type, *info.classes})
            if fits and max_degree is not None:
                fits = reader.degree(node) <= max_degree
            verdict[node] = fits
        return verdict[node]

    depth: list[dict[str, int]] = [{source: 0}, {target: 0}]
    frontier = [[source], [target]]
    radius, limit, truncated = [0, 0], max_hops, False
    while radius[0] + radius[1] < limit and (frontier[0] or frontier[1]):
        if time.monotonic() > deadline or len(depth[0]) + len(depth[1]) > FETCH_BUDGET:
            truncated = True
            break
        side = 0 if frontier[0] and (len(frontier[0]) <= len(frontier[1]) or not frontier[1]) else 1
        reader.read(frontier[side])
        beyond = list(dict.fromkeys(o for n in frontier[side] for o in reader[n]))
        if via is not None:
            kg.prefetch_nodes(beyond)  # their classes, in one request on an endpoint
        if max_degree is not None:
            reader.read_degrees(beyond)
        grown = []
        for other in beyond:
            if other not in depth[side] and ok(other):
                depth[side][other] = radius[side] + 1
                grown.append(other)
        radius[side] += 1
        frontier[side] = grown
        met = [d + depth[1][n] for n, d in depth[0].items() if n in depth[1]]
        if met and limit == max_hops:
            limit = min(max_hops, min(met) + SLACK)
    return _region_of(reader, ends, source, target, ok, limit, plain, truncated)


def _region_of(
    reader: _Reader,
    ends: set[str],
    source: str,
    target: str,
    ok: Callable[[str], bool],
    limit: int,
    plain: bool,
    truncated: bool,
) -> Region | None:
    """Exact distances inside what was read, the nodes within the limit, and their weights."""
    adjacent: dict[str, set[str]] = {}
    for node, others in list(reader.pairs.items()):
        if not ok(node):
            continue
        for other in others:
            adjacent.setdefault(node, set()).add(other)
            adjacent.setdefault(other, set()).add(node)
    dist = [_hops(adjacent, source, ends, ok, limit), _hops(adjacent, target, ends, ok, limit)]
    if target not in dist[0]:
        return None
    total = {n: d + dist[1][n] for n, d in dist[0].items() if n in dist[1]}
    limit = _limit(dist[0][target], limit, lambda h: sum(1 for d in total.values() if d <= h))
    nodes = sorted(n for n, d in total.items() if d <= limit)
    reader.complete(nodes)
    ids = {n: i for i, n in enumerate(nodes)}
    rows = [(ids[a], ids[b], *ev) for a in nodes for b, ev in reader.among(a, ids) if a < b]
    u = np.array([r[0] for r in rows], dtype=np.int64)
    v = np.array([r[1] for r in rows], dtype=np.int64)
    base = np.array([step_weight(r[2], not r[3]) for r in rows], dtype=np.float64)
    degree = {n: reader.degree(n) for n in nodes}
    deg = np.array([degree[n] for n in nodes], dtype=np.float64)
    weight = _weights((deg[u], deg[v]), base, plain)
    return Region(nodes, u, v, weight, degree, limit, truncated)


def _hops(
    adjacent: dict[str, set[str]], start: str, ends: set[str], ok: Callable[[str], bool], limit: int
) -> dict[str, int]:
    """Breadth-first distances from ``start`` over the edges read, through passable nodes."""
    dist, frontier = {start: 0}, [start]
    for step in range(1, limit + 1):
        grown = []
        for node in frontier:
            if node != start and node in ends:
                continue  # a path never passes through its own end
            for other in adjacent.get(node, ()):
                if other not in dist and ok(other):
                    dist[other] = step
                    grown.append(other)
        frontier = grown
    return dist


def networkx_paths(
    region: Region, source: str, target: str, k: int, deadline: float
) -> Iterator[tuple[float, list[int]]]:
    """The cheapest simple paths of ``region`` by ``networkx.shortest_simple_paths``."""
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(len(region.nodes)))
    G.add_weighted_edges_from(
        zip(region.u.tolist(), region.v.tolist(), region.weight.tolist(), strict=True)
    )
    ids = region.ids()
    paths = nx.shortest_simple_paths(G, ids[source], ids[target], weight="weight")
    for path in itertools.islice(paths, MAX_CANDIDATES):
        yield nx.path_weight(G, path, weight="weight"), path
        if time.monotonic() > deadline:
            return
