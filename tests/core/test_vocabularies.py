"""Any RDF a user brings: OWL ontologies, SKOS thesauri, schema as content, blank nodes.

Small handmade files (``tests/data/ontologies``) for each case, and the real
Pizza ontology, whose classes are labelled in Portuguese only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import BadInput
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths
from graph.query.search import search
from graph.query.stats import graph_stats

DATA = Path(__file__).parent.parent / "data" / "ontologies"
KITCHEN = "http://example.org/kitchen#"
PIZZA = "http://www.co-ode.org/ontologies/pizza/2005/10/18/classified/pizza.owl#"
T = "http://example.org/thesaurus/"


@pytest.fixture(scope="module")
def owl() -> graph.KnowledgeGraph:
    return graph.load([DATA / "mini-owl.rdf"], default=False)


@pytest.fixture(scope="module")
def pizza() -> graph.KnowledgeGraph:
    return graph.load([DATA / "pizza.owl"], default=False)


@pytest.fixture(scope="module")
def skos() -> graph.KnowledgeGraph:
    return graph.load([DATA / "mini-skos.ttl"], default=False)


# -- schema as content ------------------------------------------------------------------------
def test_a_file_that_is_mostly_schema_shows_its_schema(owl, pizza, kb) -> None:
    assert owl.schema.view == pizza.schema.view == "schema"
    assert kb.schema.view == "instances"
    stats = graph_stats(pizza)
    assert stats.classes["Class"] == 97 and stats.nodes > 100 and stats.edges > 500


def test_classes_are_found_by_local_name_when_they_have_no_label(owl) -> None:
    hits = search(owl, "goat cheese")
    assert hits[0].id == KITCHEN + "GoatCheese" and hits[0].exact
    assert (hits[0].label, hits[0].type) == ("Goat Cheese", "Class")


def test_classes_are_found_by_a_label_in_another_language(pizza) -> None:
    assert search(pizza, "CoberturaDeMozzarella")[0].id == PIZZA + "MozzarellaTopping"
    assert search(pizza, "mozzarella topping")[0].id == PIZZA + "MozzarellaTopping"


def test_show_a_class_reads_its_restrictions_as_edges(owl) -> None:
    details = owl.details(KITCHEN + "GoatCheeseSalad")
    assert details.node.type == "Class"
    relations = {(e.label, owl.node(e.other(details.node.id)).label) for e in details.edges}
    assert ("has ingredient only and some", "Goat Cheese") in relations
    assert ("has ingredient only", "Honey") in relations
    assert ("sub class of", "Plat") in relations


def test_show_a_property_gives_domain_range_and_inverse(pizza) -> None:
    details = pizza.details("hasTopping")
    assert details.node.type == "Property"
    relations = {(e.label, e.other(details.node.id)) for e in details.edges}
    assert ("domain", PIZZA + "Pizza") in relations
    assert ("range", PIZZA + "PizzaTopping") in relations
    assert ("inverse of", PIZZA + "isToppingOf") in relations
    assert [e.label for e in details.edges].count("inverse of") == 1  # both ways: one edge


def test_margherita_has_topping_some_mozzarella(pizza) -> None:
    edges = pizza.edges(PIZZA + "Margherita")
    assert any(e.target == PIZZA + "MozzarellaTopping" and "some" in e.label.split() for e in edges)


def test_neighbourhoods_and_paths_walk_subclasses_and_restrictions(pizza) -> None:
    nb = neighbors(pizza, PIZZA + "Margherita", hops=1, limit=200)
    assert PIZZA + "MozzarellaTopping" in {n.id for n in nb.nodes}
    assert PIZZA + "NamedPizza" in {n.id for n in nb.nodes}
    path = find_paths(pizza, PIZZA + "Margherita", PIZZA + "CheeseTopping", k=1).paths[0]
    assert len(path) <= 2


@pytest.mark.parametrize("view", ["instances", "schema", "both"])
def test_the_view_can_be_chosen(view: str) -> None:
    kg = graph.load([DATA / "pizza.owl"], default=False, view=view)
    counts = graph_stats(kg).classes
    if view == "instances":
        assert "Class" not in counts
    else:
        assert counts["Class"] == 97
    if view == "both":  # individuals joined to their classes
        assert any(e.label == "type" for e in kg.edges(PIZZA + "Italy"))


def test_the_command_line_takes_view_and_lang(capsys) -> None:
    from graph.cli import main

    args = ["--data", str(DATA / "mini-skos.ttl"), "--no-default", "--lang", "fr"]
    assert main([*args, "show", T + "oak"]) == 0
    assert capsys.readouterr().out.startswith("chêne  (Concept)")
    assert (
        main(["--data", str(DATA / "pizza.owl"), "--no-default", "--view", "instances", "stats"])
        == 0
    )
    assert "Class" not in capsys.readouterr().out


# -- standard vocabularies --------------------------------------------------------------------
def test_broader_and_narrower_are_one_edge_without_declarations(skos) -> None:
    edges = skos.edges(T + "tree")
    assert sorted((e.label, e.source) for e in edges) == [
        ("broader", T + "beech"),
        ("broader", T + "oak"),
    ]


def test_related_both_ways_is_one_edge(skos) -> None:
    assert [e.label for e in skos.edges(T + "acorn")] == ["related"]


@pytest.mark.parametrize("name", ["Concept", "concepts", "skos:Concept"])
def test_a_class_of_the_data_is_accepted_by_any_name(skos, name: str) -> None:
    assert {r.id for r in search(skos, "oak", types=[name])} == {T + "oak"}


@pytest.mark.parametrize("name", ["broader", "skos:broader", "narrower"])
def test_a_predicate_of_the_data_is_accepted_by_any_name(skos, name: str) -> None:
    nb = neighbors(skos, T + "tree", predicates=[name])
    assert {n.id for n in nb.nodes} == {T + "oak", T + "beech"}


def test_an_unknown_class_lists_the_classes_there_are(skos) -> None:
    with pytest.raises(BadInput, match=r"known classes: .*Concept"):
        search(skos, "oak", types=["Gadget"])


def test_editors_are_attributes_not_paths(skos) -> None:
    details = skos.details(T + "oak")
    assert details.attributes["contributor"] == ["An Editor"]
    assert all(T + "editor" not in (e.source, e.target) for e in details.edges)
    assert not skos.edges(T + "editor")


def test_labels_follow_the_language_asked_for() -> None:
    french = graph.load([DATA / "mini-skos.ttl"], default=False, lang="fr")
    assert french.node(T + "oak").label == "chêne"
    assert search(french, "hêtre")[0].id == T + "beech"


# -- blank nodes ------------------------------------------------------------------------------
def test_a_blank_change_note_is_an_attribute_of_its_concept(skos) -> None:
    details = skos.details(T + "oak")
    assert details.attributes["change note"] == [
        "created: 2020-01-02; description: label corrected"
    ]
    assert graph_stats(skos).nodes == 5  # four concepts and the editor, no blank node


def test_restriction_blank_nodes_are_never_nodes(pizza) -> None:
    from graph.io.selection import Selection

    everything = Selection.everything(pizza)
    assert not [n for n in everything.nodes if n.id.startswith("_:")]
    assert not [e for e in everything.edges if "_:" in (e.source[:2], e.target[:2])]


# -- choosing graphs --------------------------------------------------------------------------
def test_graph_option_keeps_the_named_graphs_given(kb) -> None:
    chosen = "https://w3id.org/mlcareer/source/curated"
    kg = graph.load(graphs=[chosen])
    assert kg.graph_names() == [chosen]
    with pytest.raises(BadInput, match="no graph named"):
        graph.load(graphs=["http://example.org/none"])
