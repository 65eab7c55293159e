"""Another view, label language or choice of graphs on a graph already loaded (graph.seen_as).

A long-running program (the app) changes these on the graph it holds; the
answers must be those of the command line's --view, --lang and --graph, which
choose them when loading.
"""

from __future__ import annotations

import pytest

import graph
from graph.core.choice import check_lang, check_view, seen_as
from graph.io.loading import RdfSource, detect_format
from graph.query.stats import graph_stats

LANGS = b"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix e: <http://example.org/> .
e:Animal a rdfs:Class ; rdfs:label "animal"@en, "Tier"@de .
e:cat a e:Animal ; rdfs:label "cat"@en, "Katze"@de ; e:eats e:fish .
e:fish a e:Animal ; rdfs:label "fish"@en, "Fisch"@de .
"""
ROLE = "https://w3id.org/mlcareer/ontology#Role"


def langs() -> graph.KnowledgeGraph:
    return graph.KnowledgeGraph.from_sources(
        [RdfSource("langs.ttl", LANGS, detect_format("langs.ttl", LANGS))]
    )


@pytest.mark.parametrize("view", ["instances", "schema", "both"])
def test_a_view_chosen_later_answers_as_one_chosen_when_loading(kb, view) -> None:
    later, loaded = seen_as(kb, view=view), graph.load(view=view)
    assert later.schema.view == loaded.schema.view == view
    assert graph_stats(later).classes == graph_stats(loaded).classes
    assert graph_stats(later).edges == graph_stats(loaded).edges
    assert kb.schema.view == "instances"  # the graph it came from is left as it was


def test_the_schema_view_makes_classes_nodes(kb) -> None:
    assert not kb.has_node(ROLE)
    schema = seen_as(kb, view="schema")
    assert schema.has_node(ROLE) and schema.node(ROLE).type == "Class"


def test_the_label_language_chosen_later_picks_the_labels() -> None:
    kg = langs()
    assert kg.node("http://example.org/cat").label == "cat"
    assert seen_as(kg, lang="de").node("http://example.org/cat").label == "Katze"
    assert seen_as(kg, lang="DE").schema.lang == "de"


def test_named_graphs_chosen_later_are_those_of_the_command_line(kb) -> None:
    chosen = sorted(kb.graph_names())[:3]
    later, loaded = seen_as(kb, graphs=chosen), graph.load(graphs=chosen)
    assert sorted(later.graph_names()) == sorted(loaded.graph_names()) == chosen
    assert later.triple_count() == loaded.triple_count() < kb.triple_count()
    assert kb.triple_count() == graph.load().triple_count()  # the original is untouched


def test_a_graph_the_data_does_not_have_is_refused_by_name(kb) -> None:
    with pytest.raises(graph.BadInput, match="no graph named 'http://e/none'"):
        seen_as(kb, graphs=["http://e/none"])


def test_a_persistent_store_keeps_its_graphs(tmp_path) -> None:
    kg = graph.load(store=tmp_path / "store")
    assert seen_as(kg, view="schema").schema.view == "schema"
    with pytest.raises(graph.BadInput, match="not in --store"):
        seen_as(kg, graphs=kg.graph_names()[:1])


@pytest.mark.parametrize("bad", ["", "e", "<b>", "en us", "javascript:alert(1)", "x" * 40])
def test_language_tags_are_checked(bad) -> None:
    with pytest.raises(graph.BadInput, match="not a language tag"):
        check_lang(bad)


def test_views_are_checked() -> None:
    assert check_view("both") == "both"
    with pytest.raises(graph.BadInput, match="choose auto, instances, schema or both"):
        check_view("all")
