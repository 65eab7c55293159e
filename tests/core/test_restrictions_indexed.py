"""OWL class descriptions read as edges answer alike in memory, in a persistent store and
over the integer index: the index holds stored statements only, so a graph with such
edges is read statement by statement rather than lose them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths
from graph.query.stats import graph_stats

PIZZA = Path(__file__).parent.parent / "data" / "ontologies" / "pizza.owl"
P = "http://www.co-ode.org/ontologies/pizza/2005/10/18/classified/pizza.owl#"


@pytest.fixture(scope="module")
def in_memory() -> graph.KnowledgeGraph:
    return graph.load([PIZZA], default=False)


@pytest.fixture(scope="module")
def in_store(tmp_path_factory) -> graph.KnowledgeGraph:
    return graph.load([PIZZA], default=False, store=tmp_path_factory.mktemp("pizza") / "s")


@pytest.fixture
def indexed(monkeypatch) -> graph.KnowledgeGraph:
    """In memory, with the integer index a large graph would get."""
    monkeypatch.setattr("graph.backends.local.LocalBackend.index_min_statements", 0)
    return graph.load([PIZZA], default=False)


@pytest.mark.parametrize("other", ["in_store", "indexed"])
def test_restrictions_are_edges_wherever_the_graph_lives(in_memory, other, request) -> None:
    kg = request.getfixturevalue(other)
    assert graph_stats(kg).edges == graph_stats(in_memory).edges
    assert graph_stats(kg).nodes == graph_stats(in_memory).nodes
    around = {n.id for n in neighbors(kg, P + "Margherita").nodes}
    assert P + "MozzarellaTopping" in around
    assert around == {n.id for n in neighbors(in_memory, P + "Margherita").nodes}
    first = find_paths(kg, P + "Margherita", P + "MozzarellaTopping").paths[0]
    assert [e.label for e in first.edges] == ["has topping only and some"]


NOTES = b"""@prefix e: <http://example.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sdo: <http://schema.org/> .
e:a a e:Thing ; rdfs:label "a" ; e:knows e:b ;
    dct:creator ( [ a sdo:Person ; sdo:name "P1" ] [ a sdo:Person ; sdo:name "P2" ] ) .
e:b a e:Thing ; rdfs:label "b" ; e:note [ rdfs:comment "a note" ] .
"""


def test_a_store_counts_no_blank_node_as_a_node(tmp_path) -> None:
    """Blank creators and notes are folded into their owners: counted in memory as in a store."""
    data = tmp_path / "notes.ttl"
    data.write_bytes(NOTES)
    here = graph_stats(graph.load([data], default=False))
    kept = graph_stats(graph.load([data], default=False, store=tmp_path / "s"))
    assert (kept.nodes, kept.edges, kept.classes) == (here.nodes, here.edges, here.classes)
    assert here.classes == {"Thing": 2}
