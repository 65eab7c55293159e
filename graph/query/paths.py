"""Path queries: the k shortest simple paths between two nodes.

Connectivity ignores edge direction; every edge of a path still says which
way its statement points.  ``via`` restricts every intermediate node to some
classes ("skills linking Python to Core ML engineer").  Paths come in order of
length, then of how many sources back their edges.

The search is Yen's algorithm over a bidirectional breadth-first search that
fetches each node's edges only when it reaches it, and it never enumerates all
simple paths: it stops after a bounded number of candidates or at a deadline.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BadInput, NoPath
from ..model import Edge, Path
from .classes import resolve_classes
from .filters import EdgeFilter

if TYPE_CHECKING:
    from ..core.adjacency import Adjacency
    from ..core.kg import KnowledgeGraph

__all__ = ["PathResult", "find_paths"]

#: How long a path search may run before it returns what it has.
DEFAULT_DEADLINE = 5.0


@dataclass
class PathResult:
    """The paths found, and whether the search stopped early."""

    paths: list[Path]
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "paths": [p.to_dict() for p in self.paths],
            "truncated": self.truncated,
            "notes": self.notes,
        }


class _Search:
    """Adjacency fetched on demand, with the constraints of one query."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        target_ids: set[str],
        via: set[str] | None,
        keep: EdgeFilter,
        deadline: float,
        max_degree: int | None,
    ) -> None:
        self.kg = kg
        self.ends = target_ids
        self.via = via
        self.keep = keep
        self.deadline = deadline
        self.max_degree = max_degree
        self.adjacency: dict[str, dict[str, list[str]]] = {}
        self.allowed: dict[str, bool] = {}
        self.timed_out = False

    def neighbours(self, node: str) -> dict[str, list[str]]:
        """Other node -> predicates joining them, after the edge filters."""
        cached = self.adjacency.get(node)
        if cached is None:
            cached = {}
            for other, predicate, inferred in self.kg.neighbor_ids(
                node, inferred=self.keep.inferred
            ):
                if self.keep.allows_predicate(predicate, inferred):
                    cached.setdefault(other, []).append(predicate)
            # Met in IRI order, as the indexed search meets them: the same paths either way.
            cached = dict(sorted(cached.items()))
            self.adjacency[node] = cached
        return cached

    def _prefetch(self, frontier: list[str]) -> None:
        """Read what expanding ``frontier`` needs in a few requests, not one per node:
        its edges, and the classes or edges of the nodes beyond when a constraint asks."""
        self.kg.prefetch_edges(frontier)
        if self.via is None and self.max_degree is None:
            return
        beyond = [o for n in frontier for o in self.neighbours(n) if o not in self.allowed]
        if self.via is not None:
            self.kg.prefetch_nodes(beyond)
        if self.max_degree is not None:
            self.kg.prefetch_edges(beyond)

    def passable(self, node: str) -> bool:
        """Whether a path may go through ``node`` (class and hub constraints)."""
        if node in self.ends:
            return True
        ok = self.allowed.get(node)
        if ok is None:
            ok = True
            if self.via is not None:
                info = self.kg.node(node)
                ok = bool(self.via & {info.type, *info.classes})
            if ok and self.max_degree is not None:
                ok = len(self.neighbours(node)) <= self.max_degree
            self.allowed[node] = ok
        return ok

    def shortest(
        self,
        source: str,
        target: str,
        banned_nodes: set[str],
        banned_edges: set[frozenset[str]],
        max_hops: int,
    ) -> list[str] | None:
        """A shortest node sequence from ``source`` to ``target`` (bidirectional BFS)."""
        if source == target:
            return [source]
        parents: list[dict[str, str | None]] = [{source: None}, {target: None}]
        frontiers = [[source], [target]]
        checks = self.via is not None or self.max_degree is not None
        depth = [0, 0]
        while frontiers[0] and frontiers[1] and depth[0] + depth[1] < max_hops:
            if time.monotonic() > self.deadline:
                self.timed_out = True
                return None
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            mine, theirs = parents[side], parents[1 - side]
            if self.kg.store is None:  # a remote backend: one request per frontier
                self._prefetch(frontiers[side])
            next_frontier: list[str] = []
            meeting: str | None = None
            for node in frontiers[side]:
                for other in self.neighbours(node):
                    if other in mine or other in banned_nodes:
                        continue
                    if banned_edges and frozenset((node, other)) in banned_edges:
                        continue
                    if checks and not self.passable(other):
                        continue
                    mine[other] = node
                    if other in theirs:
                        meeting = other
                        break
                    next_frontier.append(other)
                if meeting:
                    break
            depth[side] += 1
            if meeting:
                return _join(parents[0], parents[1], meeting)
            frontiers[side] = next_frontier
        return None


class _IndexSearch(_Search):
    """:class:`_Search` over a local store's adjacency index: a whole frontier per numpy step."""

    def __init__(self, kg: KnowledgeGraph, adjacency: Adjacency, *args: Any) -> None:
        super().__init__(kg, *args)
        self.index = index = adjacency.index
        self.rows_ok = adjacency.allowed_rows(self.keep)
        n = len(index.terms)
        passable = np.ones(n, dtype=bool)
        if self.via is not None:
            passable &= adjacency.class_mask(self.via)[:n]
        if self.max_degree is not None:
            passable &= self._degrees() <= self.max_degree
        for end in self.ends:
            if end in index.ids:
                passable[index.ids[end]] = True
        self.node_ok = passable

    def _degrees(self) -> np.ndarray:
        """How many distinct neighbours each node has through the edges the query allows."""
        index = self.index
        s, o = index.s[self.rows_ok].astype(np.int64), index.o[self.rows_ok].astype(np.int64)
        n = len(index.terms)
        pairs = np.unique(np.minimum(s, o) * n + np.maximum(s, o))
        return np.bincount(pairs // n, minlength=n) + np.bincount(pairs % n, minlength=n)

    def shortest(
        self,
        source: str,
        target: str,
        banned_nodes: set[str],
        banned_edges: set[frozenset[str]],
        max_hops: int,
    ) -> list[str] | None:
        if source == target:
            return [source]
        index, ids = self.index, self.index.ids
        if source not in ids or target not in ids:
            return None
        n = len(index.terms)
        unseen = -2
        parents = [np.full(n, unseen, dtype=np.int64), np.full(n, unseen, dtype=np.int64)]
        ends = (ids[source], ids[target])
        parents[0][ends[0]] = parents[1][ends[1]] = -1
        allowed = self.node_ok.copy()
        allowed[[ids[b] for b in banned_nodes if b in ids]] = False
        cut = [tuple(ids[x] for x in pair) for pair in banned_edges if all(x in ids for x in pair)]
        frontiers = [np.array([ends[0]]), np.array([ends[1]])]
        depth = [0, 0]
        while len(frontiers[0]) and len(frontiers[1]) and depth[0] + depth[1] < max_hops:
            if time.monotonic() > self.deadline:
                self.timed_out = True
                return None
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            mine, theirs = parents[side], parents[1 - side]
            rows, origin, other = index.frontier_rows(frontiers[side], ordered=True)
            keep = self.rows_ok[rows] & allowed[other] & (mine[other] == unseen)
            for a, b in cut:
                keep &= ~(((origin == a) & (other == b)) | ((origin == b) & (other == a)))
            origin, other = origin[keep], other[keep]
            _, first = np.unique(other, return_index=True)
            first.sort()  # the order the nodes were met in
            found, via = other[first], origin[first]
            mine[found] = via
            depth[side] += 1
            meeting = np.flatnonzero(theirs[found] != unseen)
            if len(meeting):
                return self._join(parents, int(found[meeting[0]]))
            frontiers[side] = found
        return None

    def _join(self, parents: list[np.ndarray], meet: int) -> list[str]:
        left: list[int] = []
        node = meet
        while node >= 0:
            left.append(node)
            node = int(parents[0][node])
        left.reverse()
        node = int(parents[1][meet])
        while node >= 0:
            left.append(node)
            node = int(parents[1][node])
        return [self.index.terms[i] for i in left]


def _join(forward: dict[str, str | None], backward: dict[str, str | None], meet: str) -> list[str]:
    left: list[str] = []
    node: str | None = meet
    while node is not None:
        left.append(node)
        node = forward[node]
    left.reverse()
    node = backward[meet]
    while node is not None:
        left.append(node)
        node = backward[node]
    return left


def find_paths(
    kg: KnowledgeGraph,
    source: str,
    target: str,
    *,
    via: Iterable[str] | None = None,
    max_hops: int = 6,
    k: int = 5,
    predicates: Iterable[str] | None = None,
    exclude_predicates: Iterable[str] | None = None,
    inferred: bool = True,
    max_degree: int | None = None,
    deadline: float = DEFAULT_DEADLINE,
) -> PathResult:
    """The ``k`` shortest simple paths from ``source`` to ``target``.

    Parameters
    ----------
    kg : KnowledgeGraph
    source, target : str
        IRIs, ``prefix:name`` or labels.
    via : iterable of str, optional
        Classes every intermediate node must belong to (sub-classes included).
    max_hops : int
        Longest path considered.
    k : int
        How many paths to return.
    predicates, exclude_predicates : iterable of str, optional
        Relations a path may use, or may not use.
    inferred : bool
        Whether inferred statements may be used.
    max_degree : int, optional
        Do not pass through nodes with more neighbours than this (hubs).
    deadline : float
        Seconds after which the search returns what it has found.

    Raises
    ------
    NodeNotFound
        When ``source`` or ``target`` names no node.
    NoPath
        When no path joins them under the constraints.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> [n.label for n in find_paths(kg, "Python", "Programming").paths[0].nodes]
    ['Python', 'Programming']
    """
    if k < 1 or max_hops < 1:
        raise BadInput("k and max_hops must be at least 1")
    start, end = kg.resolve(source), kg.resolve(target)
    if start == end:
        raise BadInput("the two ends of a path must differ")
    allowed = resolve_classes(kg, via) if via else None
    keep = EdgeFilter(
        kg, predicates=predicates, exclude_predicates=exclude_predicates, inferred=inferred
    )
    limits = ({start, end}, allowed, keep, time.monotonic() + deadline, max_degree)
    adjacency = kg.adjacency()
    search: _Search = (
        _IndexSearch(kg, adjacency, *limits) if adjacency is not None else _Search(kg, *limits)
    )
    sequences = _yen(search, start, end, k=k, max_hops=max_hops)
    if kg.store is None:  # a remote backend: name every node and read every hop at once
        kg.prefetch_nodes(n for seq in sequences for n in seq)
        kg.prefetch_edges(seq[i] for seq in sequences for i in range(len(seq) - 1))
    paths = [_materialise(kg, search, seq, keep) for seq in sequences]
    paths.sort(key=lambda p: (len(p), -p.support, [n.label for n in p.nodes]))
    result = PathResult(paths[:k], truncated=search.timed_out)
    if search.timed_out:
        result.notes.append(f"the search stopped at its {deadline:g} s deadline")
    if not result.paths:
        a, b = kg.node(start).label, kg.node(end).label
        why = " through " + ", ".join(sorted(allowed)) if allowed else ""
        if search.timed_out:
            raise NoPath(f"no path from {a} to {b}{why} found within {deadline:g} s")
        raise NoPath(f"{a} and {b} are not connected within {max_hops} hops{why}")
    return result


def _yen(search: _Search, start: str, end: str, *, k: int, max_hops: int) -> list[list[str]]:
    """Yen's k shortest simple paths, extended a little to rank equal lengths by support."""
    first = search.shortest(start, end, set(), set(), max_hops)
    if first is None:
        return []
    found = [first]
    candidates: list[list[str]] = []
    budget = max(3 * k, 10)
    while len(found) < budget:
        last = found[-1]
        for i in range(len(last) - 1):
            root = last[: i + 1]
            banned_edges = {
                frozenset((p[i], p[i + 1])) for p in found if len(p) > i + 1 and p[: i + 1] == root
            }
            banned_nodes = set(root[:-1])
            spur = search.shortest(root[-1], end, banned_nodes, banned_edges, max_hops - i)
            if spur is not None:
                candidate = root[:-1] + spur
                if candidate not in found and candidate not in candidates:
                    candidates.append(candidate)
            if search.timed_out:
                return found
        if not candidates:
            break
        candidates.sort(key=len)
        best = candidates.pop(0)
        if len(found) >= k and len(best) > len(found[k - 1]):
            break
        found.append(best)
    return found


def _materialise(kg: KnowledgeGraph, search: _Search, seq: list[str], keep: EdgeFilter) -> Path:
    """Turn a node sequence into a :class:`Path`, choosing the best-attested edge per hop."""
    edges: list[Edge] = []
    for a, b in itertools.pairwise(seq):
        options = kg.edges_joining(a, b)
        options = [e for e in options if keep.allows(e)] or options
        edges.append(max(options, key=lambda e: (len(e.articles), not e.inferred, -len(e.label))))
    return Path(tuple(kg.node(n) for n in seq), tuple(edges))
