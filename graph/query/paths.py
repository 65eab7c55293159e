"""Path queries: the k cheapest simple paths between two nodes, each with its reason.

Connectivity ignores edge direction; every edge of a path still says which
way its statement points.  ``via`` restricts every intermediate node to some
classes ("skills linking Python to Core ML engineer").

By default a path is weighed the way a mentor reads it (see
:mod:`graph.query.path_regions`): a hop stated by more articles weighs less,
an inferred one more, and a node with a hundred links costs about two hops
more than a specific one, so an equally long path through specific nodes
comes first.  ``plain=True`` gives the shortest paths by hops, ties broken by
how many articles back them.  Paths more than two hops longer than the
shortest are not considered.

The search reads only the region of the graph such paths can pass through,
enumerates the cheapest paths there with networkx's ``shortest_simple_paths``
(or, over a local store's integer index, scipy's compiled ``yen``), and stops
after a bounded number of candidates or at a deadline: it never lists every
simple path of a dense graph.
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
from .path_regions import (
    HUB_DEGREE,
    Region,
    fetched_region,
    indexed_region,
    networkx_paths,
    yen_paths,
)

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["PathResult", "find_paths", "path_reason"]

#: How long a path search may run before it returns what it has.
DEFAULT_DEADLINE = 5.0


@dataclass
class PathResult:
    """The paths found, best first, why each is there, and whether the search stopped early."""

    paths: list[Path]
    truncated: bool = False
    notes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        paths = []
        for i, path in enumerate(self.paths):
            data = path.to_dict()
            if i < len(self.reasons):
                data["reason"] = self.reasons[i]
            paths.append(data)
        return {"paths": paths, "truncated": self.truncated, "notes": self.notes}


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
    plain: bool = False,
) -> PathResult:
    """The ``k`` best simple paths from ``source`` to ``target``.

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
    plain : bool
        Rank by hops alone (then by supporting articles), not by weight.

    Returns
    -------
    PathResult
        The paths, best first, and a one-line reason for each.

    Raises
    ------
    BadInput
        When ``k`` or ``max_hops`` is below 1, or both ends are the same node.
    NodeNotFound
        When ``source`` or ``target`` names no node.
    NoPath
        When no path joins them under the constraints.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> result = find_paths(kg, "Python", "Programming")
    >>> [n.label for n in result.paths[0].nodes], result.reasons[0]
    (['Python', 'Programming'], '1 hop, avoids hubs')
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
    stop = time.monotonic() + deadline
    region = _region(kg, keep, start, end, allowed, max_degree, max_hops, plain, stop)
    candidates: list[tuple[float, list[str]]] = []
    if region is not None:
        enumerate_paths = yen_paths if kg.adjacency() is not None else networkx_paths
        for weight, ids in enumerate_paths(region, start, end, k, stop):
            if len(ids) - 1 <= region.max_hops:
                candidates.append((weight, [region.nodes[i] for i in ids]))
            if _enough(candidates, k, weight):
                break
    timed_out = time.monotonic() > stop or (region is not None and region.truncated)
    if kg.store is None:  # a remote backend: name every node and read every hop at once
        kg.prefetch_nodes(n for _, seq in candidates for n in seq)
        kg.prefetch_edges(seq[i] for _, seq in candidates for i in range(len(seq) - 1))
    ranked = _ranked(kg, keep, candidates, plain)[:k]
    total = len(kg.schema.articles)
    degree = region.degree if region is not None else {}
    result = PathResult(
        [path for _, path in ranked],
        truncated=timed_out,
        reasons=[path_reason(path, degree, total) for _, path in ranked],
    )
    if timed_out:
        result.notes.append(f"the search stopped at its {deadline:g} s deadline or read limit")
    if not result.paths:
        a, b = kg.node(start).label, kg.node(end).label
        why = " through " + ", ".join(sorted(allowed)) if allowed else ""
        if timed_out:
            raise NoPath(f"no path from {a} to {b}{why} found within {deadline:g} s")
        raise NoPath(f"{a} and {b} are not connected within {max_hops} hops{why}")
    return result


def _region(
    kg: KnowledgeGraph,
    keep: EdgeFilter,
    start: str,
    end: str,
    allowed: set[str] | None,
    max_degree: int | None,
    max_hops: int,
    plain: bool,
    stop: float,
) -> Region | None:
    adjacency = kg.adjacency()
    if adjacency is None:
        return fetched_region(
            kg,
            keep,
            start,
            end,
            via=allowed,
            max_degree=max_degree,
            max_hops=max_hops,
            plain=plain,
            deadline=stop,
        )

    def passable(degree: np.ndarray) -> np.ndarray:
        ok = np.ones(len(degree), dtype=bool)
        if allowed is not None:
            ok &= adjacency.class_mask(allowed)[: len(degree)]
        if max_degree is not None:
            ok &= degree <= max_degree
        return ok

    return indexed_region(
        kg, adjacency, keep, start, end, passable=passable, max_hops=max_hops, plain=plain
    )


def _enough(candidates: list[tuple[float, list[str]]], k: int, last: float) -> bool:
    """Whether the cheapest ``k`` are in, with every path tied with the k-th."""
    return len(candidates) > k and last > candidates[k - 1][0] + 1e-9


def _ranked(
    kg: KnowledgeGraph, keep: EdgeFilter, candidates: list[tuple[float, list[str]]], plain: bool
) -> list[tuple[float, Path]]:
    """The candidates as paths, best first; equal ones in the order of their labels, then
    IRIs, so that every backend lists them alike."""
    paths = [(weight, _materialise(kg, seq, keep)) for weight, seq in candidates]

    def order(item: tuple[float, Path]) -> tuple[Any, ...]:
        weight, path = item
        names = ([n.label for n in path.nodes], [n.id for n in path.nodes])
        if plain:
            return (len(path), -path.support, *names)
        return (round(weight, 6), len(path), *names)

    return sorted(paths, key=order)


def _materialise(kg: KnowledgeGraph, seq: list[str], keep: EdgeFilter) -> Path:
    """Turn a node sequence into a :class:`Path`, choosing the best-attested edge per hop."""
    edges: list[Edge] = []
    for a, b in itertools.pairwise(seq):
        options = kg.edges_joining(a, b)
        options = [e for e in options if keep.allows(e)] or options
        edges.append(max(options, key=lambda e: (len(e.articles), not e.inferred, -len(e.label))))
    return Path(tuple(kg.node(n) for n in seq), tuple(edges))


def path_reason(path: Path, degree: dict[str, int], articles: int) -> str:
    """Why a path is worth reading, in one line: its hops, the articles stating its weakest
    step, its inferred steps and the hubs it passes through (or avoids).

    >>> from graph.model import Node, Source
    >>> a, b, c = Node("a", "A", "T"), Node("b", "B", "T"), Node("c", "C", "T")
    >>> path_reason(Path((a, b, c), (Edge("a", "b", "p", "p"), Edge("b", "c", "p", "p"))),
    ...             {"b": 250}, 0)
    '2 hops, through a hub: B (250 links)'
    >>> two = Edge("a", "b", "p", "p", (Source("g", "art1", "A", kind="article"),))
    >>> path_reason(Path((a, b), (two,)), {}, 4)
    '1 hop, stated by 1 of 4 articles, avoids hubs'
    """
    hops = len(path)
    parts = [f"{hops} hop" + ("s" if hops != 1 else "")]
    stated = [len(e.articles) for e in path.edges if e.articles]
    if articles and stated:
        low, high = min(stated), max(stated)
        counted = f"{low}" if low == high else f"{low}-{high}"
        parts.append(f"stated by {counted} of {articles} articles")
    guessed = sum(1 for e in path.edges if e.inferred and not e.articles)
    if guessed:
        parts.append(f"{guessed} inferred step" + ("s" if guessed > 1 else ""))
    other = sum(1 for e in path.edges if not e.inferred and not e.articles)
    if articles and other:
        parts.append(f"{other} step" + ("s" if other > 1 else "") + " from no article")
    hubs = [n for n in path.nodes[1:-1] if degree.get(n.id, 0) >= HUB_DEGREE]
    if hubs:
        parts.append(
            "through a hub: " + ", ".join(f"{n.label} ({degree[n.id]} links)" for n in hubs)
        )
    else:
        parts.append("avoids hubs")
    return ", ".join(parts)
