"""Neighbourhoods: the nodes within a few hops of a focus, filtered and capped.

Work is bounded by what is shown: only nodes that make it into the view are
expanded further, so a 2-hop view around a hub of a large graph stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .classes import resolve_classes
from .filters import EdgeFilter
from .model import Edge, Node

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

__all__ = ["Neighbourhood", "neighbors"]


@dataclass
class Neighbourhood:
    """The nodes and edges around ``center``, and what the cap left out."""

    center: Node
    nodes: list[Node]
    edges: list[Edge]
    distance: dict[str, int]
    omitted: int = 0
    omitted_by_type: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "center": self.center.to_dict(),
            "nodes": [{**n.to_dict(), "hops": self.distance[n.id]} for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "omitted": self.omitted,
            "omitted_by_type": self.omitted_by_type,
        }


def neighbors(
    kg: KnowledgeGraph,
    node: str,
    *,
    hops: int = 1,
    types: Iterable[str] | None = None,
    predicates: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    inferred: bool = True,
    limit: int = 50,
) -> Neighbourhood:
    """The neighbourhood of ``node`` within ``hops``, at most ``limit`` nodes besides it.

    Parameters
    ----------
    kg : KnowledgeGraph
    node : str
        IRI, ``prefix:name`` or label of the focus.
    hops : int
        How far to go, ignoring edge direction.
    types, predicates, sources : iterable of str, optional
        Keep only nodes of these classes, edges of these relations (sub-relations
        included), edges stated by these sources.
    inferred : bool
        Whether inferred statements count.
    limit : int
        At most this many nodes besides the focus.  Nodes found but not shown are
        counted in ``omitted``; nodes left out are not expanded further, so what
        lies beyond them is not counted (this keeps a view of a hub cheap).

    Examples
    --------
    >>> from graph.kg import KnowledgeGraph, TINY
    >>> from graph.loading import RdfSource
    >>> import pyoxigraph as ox
    >>> kg = KnowledgeGraph.from_sources([RdfSource("t.ttl", TINY, ox.RdfFormat.TURTLE)])
    >>> [n.label for n in neighbors(kg, "Python").nodes]
    ['Programming']
    """
    center = kg.node(kg.resolve(node))
    wanted = resolve_classes(kg, types) if types else None
    keep = EdgeFilter(kg, predicates=predicates, sources=sources, inferred=inferred)
    distance = {center.id: 0}
    shown: list[str] = []
    edges: dict[tuple[str, str, str], Edge] = {}
    omitted: dict[str, str | None] = {}
    frontier = [center.id]
    for depth in range(1, max(hops, 0) + 1):
        found: dict[str, int] = {}
        kg.prefetch_edges(frontier)
        room = limit - len(shown)
        if room > 0:  # name at once the nodes that may still make it into the view
            kg.prefetch_nodes(_first_new(kg, frontier, keep, distance, room, inferred))
        for current in frontier:
            for edge in kg.edges(current, inferred=inferred):
                if not keep.allows(edge):
                    continue
                other = edge.other(current)
                if other in distance and other not in omitted:
                    edges[edge.key] = edge
                    continue
                if other in omitted:
                    continue
                full = len(shown) + len(found) >= limit and other not in found
                if full and wanted is None:
                    omitted[other] = None  # its class is looked up with the others, at the end
                    continue
                info = kg.node(other)
                if wanted is not None and not (wanted & {info.type, *info.classes}):
                    continue
                if full:
                    omitted[other] = info.type
                    continue
                found[other] = found.get(other, 0) + 1 + len(edge.articles)
                edges[edge.key] = edge
        ranked = sorted(found, key=lambda n: (-found[n], kg.node(n).label))
        for other in ranked:
            distance[other] = depth
            shown.append(other)
        frontier = ranked
    kept = {center.id, *shown}
    untyped = [n for n, t in omitted.items() if t is None]
    omitted.update(kg.types_of(untyped))
    by_type: dict[str, int] = {}
    for node_type in omitted.values():
        by_type[node_type or "Resource"] = by_type.get(node_type or "Resource", 0) + 1
    return Neighbourhood(
        center=center,
        nodes=[kg.node(n) for n in shown],
        edges=[e for e in edges.values() if e.source in kept and e.target in kept],
        distance=distance,
        omitted=len(omitted),
        omitted_by_type=by_type,
    )


def _first_new(
    kg: KnowledgeGraph,
    frontier: list[str],
    keep: EdgeFilter,
    seen: dict[str, int],
    room: int,
    inferred: bool,
) -> list[str]:
    """The first ``room`` nodes beyond ``frontier`` not seen yet, in the order met."""
    out: dict[str, None] = {}
    for current in frontier:
        for edge in kg.edges(current, inferred=inferred):
            other = edge.other(current)
            if other not in seen and other not in out and keep.allows(edge):
                out[other] = None
                if len(out) >= room:
                    return list(out)
    return list(out)
