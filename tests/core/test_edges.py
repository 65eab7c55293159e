"""The one definition of an edge, in its two forms: per statement and over a whole index.

:meth:`EdgeRules.is_edge` judges one statement; :meth:`EdgeRules.edge_rows`
judges every statement of an adjacency index at once.  They must agree on
every statement, on the knowledge base and on a graph built to hit each rule.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import graph
from graph.backends.edge_index import EdgeIndex
from graph.io.loading import RdfSource
from graph.terms import Quad

RULES = b"""
@prefix ex: <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
ex:Role a owl:Class ; rdfs:label "Role" .
ex:a a ex:Role ; skos:prefLabel "A" ; ex:uses ex:b ; ex:loops ex:a ;
    skos:exactMatch ex:named, ex:outside ; dct:isPartOf ex:b ; rdfs:seeAlso ex:b ;
    ex:typed ex:Role .
ex:b skos:prefLabel "B" .
ex:named skos:prefLabel "Named elsewhere" .
"""


def _judged(kg: graph.KnowledgeGraph) -> tuple[dict, dict]:
    index = EdgeIndex.build(kg.store)
    mask = kg.rules.edge_rows(index)
    by_index, by_statement = {}, {}
    for row, (s, p, o, g) in enumerate(index.statements_at(range(len(index)))):
        key = (s, p, o, g)
        by_index[key] = bool(mask[row])
        by_statement[key] = kg.rules.is_edge(Quad(s, p, o, g))
    return by_index, by_statement


@pytest.mark.parametrize("which", ["rules", "knowledge base"])
def test_the_two_forms_agree_on_every_statement(which, kb) -> None:
    kg = (
        graph.KnowledgeGraph.from_sources([RdfSource("r.ttl", RULES, ox.RdfFormat.TURTLE)])
        if which == "rules"
        else kb
    )
    by_index, by_statement = _judged(kg)
    assert by_index == by_statement
    assert any(by_index.values()) and not all(by_index.values())


def test_each_rule() -> None:
    kg = graph.KnowledgeGraph.from_sources([RdfSource("r.ttl", RULES, ox.RdfFormat.TURTLE)])
    e = "http://example.org/"
    edges = {(s, p, o) for s, p, o, _ in kg.raw_edges(e + "a")}
    assert (e + "a", e + "uses", e + "b") in edges
    assert (e + "a", e + "loops", e + "a") not in edges  # a loop is no edge
    skos = "http://www.w3.org/2004/02/skos/core#"
    assert (e + "a", skos + "exactMatch", e + "named") in edges
    assert (e + "a", skos + "exactMatch", e + "outside") not in edges  # nothing names it
    assert all(p != "http://purl.org/dc/terms/isPartOf" for _, p, _ in edges)  # bookkeeping
    assert all(o != e + "Role" for _, _, o in edges)  # classes are schema nodes
