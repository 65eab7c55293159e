"""RDF 1.2 triple terms read as statements about statements, and IRIs of any scheme."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph
from graph.io.export import export
from graph.io.loading import RdfSource
from graph.io.selection import Selection
from graph.query.neighbors import neighbors
from graph.query.stats import graph_stats
from graph.terms import STATEMENT_NODE, from_ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
STAR = b"""@prefix : <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
:a skos:prefLabel "A" ; :says <<( :b :c :d )>> .
:b skos:prefLabel "B" .
<< :x :y :z >> :source :s1 .
"""


def _graphs(tmp_path: Path) -> list[graph.KnowledgeGraph]:
    path = tmp_path / "star.ttl"
    path.write_bytes(STAR)
    memory = graph.KnowledgeGraph.from_sources([RdfSource("star.ttl", STAR, ox.RdfFormat.TURTLE)])
    stored = graph.load([path], default=False, store=tmp_path / "db")
    return [memory, stored]


def test_triple_terms_become_statement_nodes_in_memory_and_in_a_store(tmp_path: Path):
    for kg in _graphs(tmp_path):
        edges = kg.edges("http://example.org/a")
        statement = next(e.target for e in edges if e.predicate == "http://example.org/says")
        assert statement.startswith(STATEMENT_NODE)
        about = {q.p: q.o for q in kg.backend.quads_about(statement)}
        assert about[RDF + "type"] == RDF + "Statement"
        assert about[RDF + "subject"] == "http://example.org/b"
        assert about[RDF + "predicate"] == "http://example.org/c"
        assert about[RDF + "object"] == "http://example.org/d"


def test_every_command_answers_on_triple_terms(tmp_path: Path):
    """stats, show, neighbours and export ended in "Invalid IRI code point '<'"."""
    for kg in _graphs(tmp_path):
        assert graph_stats(kg).triples > 0
        assert kg.details("A").node.label == "A"
        assert neighbors(kg, "A", hops=1).nodes
        data = export(kg, Selection.everything(kg), "ttl")
        ox.parse(data, format=ox.RdfFormat.TURTLE)
        json.loads(export(kg, Selection.everything(kg), "cyjs"))


def test_a_reifier_is_the_statement_node_itself(tmp_path: Path):
    kg = _graphs(tmp_path)[0]
    reifiers = [q.s for q in kg.backend.iter_quads() if q.p == "http://example.org/source"]
    about = {q.p: q.o for q in kg.backend.quads_about(reifiers[0])}
    assert about[RDF + "subject"] == "http://example.org/x"


def test_a_triple_term_read_from_any_backend_is_a_node_not_an_error():
    a = ox.NamedNode("http://e/a")
    assert from_ox(ox.Triple(a, a, a)).startswith(STATEMENT_NODE)


TAG = b"""<tag:example.org,2024:x> <http://www.w3.org/2004/02/skos/core#prefLabel> "X" ;
  <http://example.org/p> <tag:example.org,2024:y> .
<tag:example.org,2024:y> <http://www.w3.org/2004/02/skos/core#prefLabel> "Y" .
<did:example:123> <http://example.org/p> <tag:example.org,2024:x> .
"""


@pytest.mark.parametrize("iri", ["tag:example.org,2024:x", "did:example:123"])
def test_iris_of_any_scheme_are_shown_and_exported(iri):
    kg = graph.KnowledgeGraph.from_sources([RdfSource("tag.ttl", TAG, ox.RdfFormat.TURTLE)])
    assert kg.resolve(iri) == iri
    assert kg.details(iri).edges
    selection = Selection.from_neighbourhood(neighbors(kg, iri, hops=1))
    assert iri.encode() in export(kg, selection, "nt")


def test_a_label_with_a_colon_is_still_searched():
    kg = graph.KnowledgeGraph.from_sources([RdfSource("tag.ttl", TAG, ox.RdfFormat.TURTLE)])
    assert kg.resolve("X") == "tag:example.org,2024:x"
