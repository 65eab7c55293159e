"""The adjacency index gives the same answers as reading the store statement by statement.

A local store answers neighbourhoods and paths from its integer index; a
remote endpoint (and any backend without the index) from the statements
themselves.  Both readings run here over the same graphs and must agree.
"""

from __future__ import annotations

import numpy as np
import pytest

import graph
from graph.backends.edge_index import EdgeIndex, gather
from graph.backends.local import LocalBackend
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths


def _plain(kg: graph.KnowledgeGraph) -> graph.KnowledgeGraph:
    """The same store read statement by statement: its backend never builds an index."""
    backend = LocalBackend(kg.store)
    backend.index_min_statements = 10**12
    plain = graph.KnowledgeGraph(backend)
    assert plain.adjacency() is None and kg.adjacency() is not None
    return plain


def test_small_graphs_in_memory_do_without_an_index(kb) -> None:
    assert kb.adjacency() is None


def _indexed() -> graph.KnowledgeGraph:
    kg = graph.load()
    kg.backend.index_min_statements = 0  # the knowledge base is small: index it anyway
    return kg


@pytest.fixture(scope="module")
def both() -> tuple[graph.KnowledgeGraph, graph.KnowledgeGraph]:
    return _indexed(), _plain(_indexed())


FOCI = ["machine learning engineer", "Python", "data scientist", "linear algebra", "healthcare"]


@pytest.mark.parametrize("focus", FOCI)
@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"hops": 1, "limit": 5}, id="1-hop-cap-5"),
        pytest.param({"hops": 2, "limit": 40}, id="2-hops-cap-40"),
        pytest.param({"hops": 3, "limit": 300}, id="3-hops-cap-300"),
        pytest.param({"hops": 2, "limit": 30, "types": ["skills"]}, id="skills-only"),
        pytest.param({"hops": 2, "limit": 30, "predicates": ["requires skill"]}, id="relation"),
        pytest.param({"hops": 2, "limit": 30, "sources": ["000"]}, id="one-article"),
        pytest.param({"hops": 2, "limit": 30, "inferred": False}, id="stated-only"),
    ],
)
def test_neighbourhoods_agree(both, focus, options) -> None:
    indexed, plain = both
    here = neighbors(indexed, focus, **options).to_dict()
    assert here == neighbors(plain, focus, **options).to_dict()
    assert len(here["nodes"]) <= options["limit"]


def test_the_best_connected_nodes_are_shown(both) -> None:
    """Past the cap, the nodes joined to the view by more edges and articles come first."""
    indexed, _ = both
    full = neighbors(indexed, "machine learning engineer", hops=1, limit=1000)
    capped = neighbors(indexed, "machine learning engineer", hops=1, limit=5)

    def score(node: str) -> int:
        return sum(1 + len(e.articles) for e in full.edges if node in (e.source, e.target))

    shown = [score(n.id) for n in capped.nodes]
    left = [score(n.id) for n in full.nodes if n.id not in {m.id for m in capped.nodes}]
    assert min(shown) >= max(left)
    assert capped.omitted == len(full.nodes) - 5


PAIRS = [
    ("Python", "machine learning engineer", {}),
    ("linear algebra", "deep learning engineer", {}),
    ("Python", "core ML engineer", {"via": ["skills"]}),
    ("Python", "data scientist", {"k": 5, "max_hops": 4}),
    ("statistics", "healthcare", {"inferred": False}),
    ("Python", "data scientist", {"predicates": ["requires skill", "uses tool"]}),
    ("Python", "data scientist", {"max_degree": 20}),
]


@pytest.mark.parametrize(("a", "b", "options"), PAIRS)
def test_paths_agree(both, a, b, options) -> None:
    indexed, plain = both
    try:
        here = find_paths(indexed, a, b, **options).to_dict()
    except graph.GraphError as err:
        with pytest.raises(type(err)):
            find_paths(plain, a, b, **options)
        return
    assert here == find_paths(plain, a, b, **options).to_dict()


def test_gather_handles_empty_and_repeated_nodes() -> None:
    ptr = np.array([0, 2, 2, 5])
    assert gather(ptr, np.array([], dtype=np.int64))[0].tolist() == []
    assert gather(ptr, np.array([1]))[0].tolist() == []
    assert gather(ptr, np.array([0, 0]))[0].tolist() == [0, 1, 0, 1]


def test_an_index_saved_and_loaded_is_the_same(tmp_path) -> None:
    index = _indexed().adjacency().index
    index.save(tmp_path / "edges")
    again = EdgeIndex.load(tmp_path / "edges")
    assert again is not None and list(again.terms) == list(index.terms)
    for name in ("s", "p", "o", "g", "in_order"):
        assert np.array_equal(getattr(again, name), getattr(index, name))
    assert list(again.name_rows()) == list(index.name_rows())
    (tmp_path / "edges" / "meta.json").write_text("{", encoding="utf-8")
    assert EdgeIndex.load(tmp_path / "edges") is None  # unreadable: rebuilt, never trusted


def test_a_predicate_stated_both_ways_makes_two_edges() -> None:
    """``a p b`` and ``b p a`` are two edges unless ``p`` is symmetric: the index agrees."""
    import pyoxigraph as ox

    e = "http://example.org/"
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    knows, likes = ox.NamedNode(e + "knows"), ox.NamedNode(e + "likes")
    for name in "abdgz":
        store.add(ox.Quad(ox.NamedNode(e + name), label, ox.Literal(name)))
    for s, p, o in [
        ("a", knows, "b"),
        ("b", knows, "z"),
        ("z", knows, "b"),  # stated both ways: two edges, so z is the best joined to b
        ("b", likes, "d"),
        ("g", knows, "b"),
    ]:
        store.add(ox.Quad(ox.NamedNode(e + s), p, ox.NamedNode(e + o)))
    indexed = graph.KnowledgeGraph(LocalBackend(store))
    indexed.backend.index_min_statements = 0
    plain = _plain(indexed)
    for limit in (1, 2, 10):
        here = neighbors(indexed, e + "a", hops=3, limit=limit).to_dict()
        assert here == neighbors(plain, e + "a", hops=3, limit=limit).to_dict()
    assert [n["id"] for n in neighbors(indexed, e + "a", hops=2, limit=2).to_dict()["nodes"]] == [
        e + "b",
        e + "z",
    ]
