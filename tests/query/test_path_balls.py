"""A path's region read a frontier at a time is the region every distance gives.

``indexed_region`` grows two balls over the integer index
(:mod:`graph.query.path_balls`); the reference here computes every node's
distance to both ends over the whole graph (scipy's compiled Dijkstra) and
keeps the nodes within the limit.  Both must find the same nodes, the same
pairs and the same weights, with and without limits on the nodes a path may
pass through.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import graph
from graph.query.filters import EdgeFilter
from graph.query.path_regions import indexed_region

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> graph.KnowledgeGraph:
    folder = tmp_path_factory.mktemp("balls")
    data = folder / "synth.nq"
    script = str(ROOT / "scripts" / "synth.py")
    subprocess.run(
        [sys.executable, script, "--triples", "6000", "-o", str(data)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return graph.load([data], default=False, store=folder / "db")


def _reference(kg, adjacency, keep, a, b, passable):
    """The region from every node's distance to both ends (the whole graph walked)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    from graph.query.path_regions import SLACK, _limit

    index = adjacency.index
    n = len(index.terms)
    rows = np.flatnonzero(adjacency.allowed_rows(keep).dense())
    s, o = index.s[rows].astype(np.int64), index.o[rows].astype(np.int64)
    pairs = np.unique(np.minimum(s, o)[s != o] * n + np.maximum(s, o)[s != o])
    u, v = pairs // n, pairs % n
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    ends = index.ids[a], index.ids[b]
    ok = passable(degree)
    ok[list(ends)] = True
    use = ok[u] & ok[v]
    ones = np.ones(2 * use.sum(), dtype=np.int8)
    both = (np.concatenate((u[use], v[use])), np.concatenate((v[use], u[use])))
    dist = dijkstra(csr_matrix((ones, both), shape=(n, n)), indices=ends, unweighted=True)
    if not np.isfinite(dist[0, ends[1]]):
        return None
    total = dist[0] + dist[1]
    shortest = int(dist[0, ends[1]])
    limit = _limit(shortest, min(6, shortest + SLACK), lambda h: int((total <= h).sum()))
    return [index.terms[i] for i in np.flatnonzero(total <= limit)], limit


@pytest.fixture(params=["cheaper", "frontier", "wanted"])
def reading(request, monkeypatch) -> list[bool]:
    """Which side a ball's last layers are read from: the cheaper (as the code chooses), or
    always the frontier's edges, or always the edges of the nodes still wanted; the
    choices made are listed."""
    from graph.query.path_balls import Balls

    made: list[bool] = []
    choose = Balls.reads_wanted

    def chosen(balls, frontier, wanted) -> bool:
        made.append(
            choose(balls, frontier, wanted)
            if request.param == "cheaper"
            else request.param == "wanted"
        )
        return made[-1]

    monkeypatch.setattr(Balls, "reads_wanted", chosen)
    return made


@pytest.mark.parametrize("max_degree", [None, 25])
def test_balls_find_the_region_every_distance_gives(synthetic, max_degree, reading) -> None:
    adjacency = synthetic.adjacency()
    assert adjacency is not None
    keep = EdgeFilter(synthetic)

    def passable(d: np.ndarray) -> np.ndarray:
        return d <= max_degree if max_degree is not None else np.ones(len(d), dtype=bool)

    roles = [
        r["r"]
        for r in synthetic.backend.select("SELECT ?r WHERE { ?r a mlc:Role } ORDER BY ?r LIMIT 12")
    ]
    checked = 0
    for a, b in itertools.combinations(roles, 2):
        found = indexed_region(
            synthetic, adjacency, keep, a, b, passable=passable, max_hops=6, plain=False
        )
        expected = _reference(synthetic, adjacency, keep, a, b, passable)
        if expected is None:
            assert found is None
            continue
        assert found is not None and (found.nodes, found.max_hops) == expected, (a, b)
        ids = found.ids()
        assert all(found.degree[x] >= 1 for x in found.nodes)
        assert len(found.u) == len(set(zip(found.u.tolist(), found.v.tolist(), strict=True)))
        assert all(0 <= i < len(ids) for i in found.u.tolist() + found.v.tolist())
        checked += 1
    assert checked > 10
    assert reading  # the last layers were read, one way or the other
