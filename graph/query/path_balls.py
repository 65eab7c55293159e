"""A path question's region read from the integer index a frontier at a time.

The region of :mod:`graph.query.path_regions` holds the nodes ``v`` with
``hops(s, v) + hops(v, t) <= H``.  Computing every node's distance to both
ends walks the whole graph (seconds at ten million statements, whatever the
question).  Here two balls grow from the ends, the smaller frontier first,
until they meet (the shortest distance ``L``) and then until their radii add
up to ``H = L + SLACK``: every region node lies in one of them (if it were
farther than both radii from their centres, its two distances would add up
to more than ``H``), and so does every node of a shortest path from an end to
a region node.  Distances counted inside the two balls are therefore exact
for the region, and what is read grows with the balls, not with the graph.

The answers are those of the whole-graph computation it replaces, node for
node and weight for weight (``tests/query/test_path_balls.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..backends.edge_index import distinct

if TYPE_CHECKING:
    from ..core.adjacency import Adjacency, RowMask

__all__ = ["Balls", "grow_balls"]

#: Unreached.
FAR = np.iinfo(np.int32).max


class Balls:
    """Distances from the two ends over the edges a question allows, read on demand."""

    def __init__(self, adjacency: Adjacency, rows_ok: RowMask, ok: np.ndarray) -> None:
        """``ok``: node id -> whether a path may pass through it (the ends always may)."""
        self.index = adjacency.index
        self.rows_ok = rows_ok
        self.ok = ok  # node id -> whether a path may pass through it
        n = len(self.index.terms)
        self.dist = [np.full(n, FAR, dtype=np.int32), np.full(n, FAR, dtype=np.int32)]

    def neighbours(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, node, other) for each allowed edge statement touching ``nodes``."""
        rows, node, other = self.index.frontier_rows(nodes)
        keep = self.rows_ok[rows] & (node != other)
        return rows[keep], node[keep], other[keep]

    def step(self, side: int, frontier: np.ndarray, radius: int) -> np.ndarray:
        """Grow one side's ball by a layer from ``frontier``; the new layer."""
        _rows, _node, other = self.neighbours(frontier)
        dist = self.dist[side]
        fresh = distinct(other[(dist[other] == FAR) & self.ok[other]])
        dist[fresh] = radius
        return fresh

    def last_step(self, side: int, frontier: np.ndarray, radius: int) -> np.ndarray:
        """Grow one side's ball by its last layer, keeping only the nodes of the other ball.

        Once the radii add up to the limit, a node this layer adds outside the
        other ball lies farther than the limit from one end: it is on no path
        weighed.  The nodes of the other ball are few beside the frontier of a
        hub's ball, so this layer is read from whichever touches less.
        """
        dist, far = self.dist[side], self.dist[1 - side]
        wanted = np.flatnonzero((far < FAR) & (dist == FAR) & self.ok)
        fresh = self._layer(frontier, wanted)
        dist[fresh] = radius
        return fresh

    def finish(
        self, side: int, frontier: np.ndarray, radius: int, limit: int, reached: np.ndarray
    ) -> None:
        """Carry one side's distances on past its ball, through ``reached`` nodes only.

        A node ``r`` hops out whose distance to the other end is more than
        ``limit - r`` lies on no path within the limit (nor does what lies
        beyond it): it is not stepped from.
        """
        dist, far = self.dist[side], self.dist[1 - side]
        while radius < limit and len(frontier):
            frontier = frontier[far[frontier] <= limit - radius]
            # Only what lies within the limit is worth a distance: a node the other side
            # reaches in more hops is not stepped from, nor counted, whatever it gets.
            wanted = reached[
                (dist[reached] == FAR) & self.ok[reached] & (far[reached] <= limit - radius - 1)
            ]
            radius += 1
            frontier = self._layer(frontier, wanted)
            dist[frontier] = radius

    def cost(self, nodes: np.ndarray) -> int:
        """How many statements reading the edges of ``nodes`` reads."""
        return int(self.index.row_counts(nodes).sum())

    def reads_wanted(self, frontier: np.ndarray, wanted: np.ndarray) -> bool:
        """Whether a layer is found from the edges of the nodes ``wanted`` rather than
        from those of the ``frontier``: whichever touches fewer statements."""
        return self.cost(wanted) < self.cost(frontier)

    def _layer(self, frontier: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """The nodes of ``wanted`` joined to one of ``frontier``.

        Read from whichever side touches fewer statements (:meth:`reads_wanted`):
        the frontier's edges, or the edges of the nodes still wanted.  At ten
        million statements a frontier of hubs made reading its edges most of a
        path search.
        """
        if not len(frontier) or not len(wanted):
            return wanted[:0]
        pull = self.reads_wanted(frontier, wanted)
        ends, start = (wanted, frontier) if pull else (frontier, wanted)
        _rows, node, other = self.neighbours(ends)
        mark = np.zeros(len(self.ok), dtype=bool)
        mark[start] = True
        return distinct(node[mark[other]] if pull else other[mark[other]])


def grow_balls(
    balls: Balls, s: int, t: int, *, max_hops: int, slack: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """The nodes that may lie on a path of at most the shortest distance plus ``slack``
    hops, and their total distance (``hops(s, v) + hops(v, t)``), exact for every node
    whose total is within that; ``None`` when the ends are not joined within ``max_hops``.
    """
    balls.dist[0][s] = 0
    balls.dist[1][t] = 0
    frontier = [np.array([s]), np.array([t])]
    radius, limit, shortest = [0, 0], max_hops, None
    while radius[0] + radius[1] < limit and (len(frontier[0]) or len(frontier[1])):
        # The side whose frontier touches fewer statements grows: counted in nodes, the
        # one end that is a hub of 100,000 statements looked the smaller.
        sizes = [balls.cost(f) if len(f) else FAR for f in frontier]
        side = 0 if sizes[0] <= sizes[1] else 1
        radius[side] += 1
        if shortest is not None and radius[0] + radius[1] == limit:
            frontier[side] = balls.last_step(side, frontier[side], radius[side])
            break
        frontier[side] = balls.step(side, frontier[side], radius[side])
        if shortest is None:
            met = balls.dist[0] < FAR
            met &= balls.dist[1] < FAR
            if met.any():
                found = np.flatnonzero(met)
                shortest = int((balls.dist[0][found] + balls.dist[1][found]).min())
                limit = min(max_hops, shortest + slack)
    if shortest is None:
        return None
    reached = distinct(np.concatenate([np.flatnonzero(d < FAR) for d in balls.dist]))
    for side in (0, 1):
        balls.finish(side, frontier[side], radius[side], limit, reached)
    total = balls.dist[0][reached].astype(np.int64) + balls.dist[1][reached]
    close = total <= limit
    return reached[close], total[close]
