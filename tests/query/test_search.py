"""Search by label and alternative label, in tiers: case, accents and typos forgiven."""

from __future__ import annotations

import itertools
import json

import pyoxigraph as ox
import pytest

import graph
from graph.backends.store import derived_folder
from graph.errors import AmbiguousName
from graph.query.search import search
from graph.vocab.text import normalize

from .conftest import turtle

ML = "https://w3id.org/mlcareer/id/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Python", "Python", id="exact"),
        pytest.param("python", "Python", id="case"),
        pytest.param("pyhton", "Python", id="typo"),
        pytest.param("resume writing", "Resume", id="accents"),
        pytest.param("ML engineer", "MLEngineer", id="alt-label"),
        pytest.param("general data protection regulation", "GDPR", id="alt-label-long"),
        pytest.param("  DATA   scientist!! ", "DataScientist", id="punctuation"),
    ],
)
def test_finds_the_node_first(mini_kg: graph.KnowledgeGraph, text: str, expected: str) -> None:
    results = search(mini_kg, text)
    assert results[0].id == ML + expected
    assert results[0].exact


TIERED = b"""
@prefix e: <http://e/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
e:ds skos:prefLabel "data scientist"@en .
e:bio skos:prefLabel "bioinformatics scientist"@en ; skos:altLabel "data scientist"@en .
e:lead skos:prefLabel "data scientist lead"@en .
e:of skos:prefLabel "senior scientist for data"@en .
e:typo skos:prefLabel "data sceintist"@en .
e:far skos:prefLabel "dart scientism"@en .
e:hub skos:prefLabel "data science hub"@en .
e:other skos:prefLabel "social scientist"@en .
"""


@pytest.fixture(scope="module")
def tiered() -> graph.KnowledgeGraph:
    return graph.KnowledgeGraph.from_sources([turtle("tiers.ttl", TIERED)])


def test_tiers_come_in_order(tiered: graph.KnowledgeGraph) -> None:
    """Label, alternative label, starts with, every word, then typos; weak likeness dropped."""
    results = search(tiered, "data scientist")
    assert [(r.label, r.match) for r in results] == [
        ("data scientist", "label"),
        ("bioinformatics scientist", "alternative label"),
        ("data scientist lead", "starts with"),
        ("senior scientist for data", "all words"),
        ("data sceintist", "typo"),
    ]
    assert [r.exact for r in results] == [True, True, False, False, False]
    assert all(a.score > b.score for a, b in itertools.pairwise(results))


def test_ties_go_to_the_better_connected_node() -> None:
    text = TIERED + b"e:lead2 skos:prefLabel 'data scientist mentor'@en ; e:p e:x, e:y .\n"
    kg = graph.KnowledgeGraph.from_sources([turtle("t.ttl", text)])
    starts = [r.label for r in search(kg, "data scientist") if r.match == "starts with"]
    assert starts == ["data scientist mentor", "data scientist lead"]


def test_two_nodes_with_one_name_ask_which(tiered: graph.KnowledgeGraph) -> None:
    text = TIERED + b"e:ds2 skos:prefLabel 'Data Scientist'@en .\n"
    kg = graph.KnowledgeGraph.from_sources([turtle("t.ttl", text)])
    with pytest.raises(AmbiguousName) as info:
        kg.resolve("data scientist")
    assert {iri for iri, _ in info.value.candidates} == {"http://e/ds", "http://e/ds2"}
    assert info.value.exit_code == 2 and "http://e/ds2" in str(info.value)
    assert tiered.resolve("data scientist") == "http://e/ds"  # a label beats an alias


def test_type_filter_includes_sub_classes(mini_kg: graph.KnowledgeGraph) -> None:
    skills = search(mini_kg, "linear algebra", types=["skills"])
    assert skills[0].label == "Linear algebra"  # a MathematicsTopic, under Skill
    assert all(r.type == "Role" for r in search(mini_kg, "engineer", types=["Role"]))


def test_unknown_type_lists_known_classes(mini_kg: graph.KnowledgeGraph) -> None:
    with pytest.raises(graph.BadInput, match=r"known classes: .*Skill"):
        search(mini_kg, "python", types=["spaceship"])


def test_nothing_like_it_gives_no_results(mini_kg: graph.KnowledgeGraph) -> None:
    assert search(mini_kg, "zzzzqqqq") == []
    assert search(mini_kg, "   ") == []


def test_unknown_node_suggests_close_names(mini_kg: graph.KnowledgeGraph) -> None:
    with pytest.raises(graph.NodeNotFound) as info:
        mini_kg.resolve("Data sciencist of mars")
    assert any("Data scientist" in s for s in info.value.suggestions)
    assert "did you mean" in str(info.value)


def test_normalize_folds_accents_and_case() -> None:
    assert normalize("Ünïcode  Café") == "unicode cafe"
    assert normalize("C++ / C#") == "c++ c#"


# -- what a new user met on the knowledge base --------------------------------------------
def labels(results: list) -> list[str]:
    return [r.label for r in results]


def test_a_typo_finds_the_word_and_nothing_unlike_it(kb: graph.KnowledgeGraph) -> None:
    """'pyhton' once also returned 'honesty' (60.5) and 'power consumption optimisation'."""
    results = search(kb, "pyhton")
    assert labels(results)[:1] == ["Python"] and results[0].exact
    assert "honesty" not in labels(results) and len(results) <= 3


def test_a_misspelt_role_word_suggests_roles(kb: graph.KnowledgeGraph) -> None:
    """'enginer' once suggested salary figures first."""
    results = search(kb, "enginer", limit=5)
    assert [r.type for r in results[:3]] == ["Role"] * 3
    assert "Figure" not in {r.type for r in results}


def test_a_name_the_graph_lacks_finds_nothing_rather_than_noise(kb: graph.KnowledgeGraph) -> None:
    """'Docker' once returned 'freelancer'."""
    assert "freelancer" not in labels(search(kb, "Docker"))
    assert all(r.match != "typo" or r.score >= 60 for r in search(kb, "Docker"))


def test_an_acronym_comes_alone(kb: graph.KnowledgeGraph) -> None:
    """'GDPR' was followed by ten unrelated responsibilities scoring 68."""
    results = search(kb, "GDPR")
    assert results[0].label == "General Data Protection Regulation"
    assert "Responsibility" not in {r.type for r in results}


def test_an_alias_beats_a_word_it_shares(kb_aliased: graph.KnowledgeGraph) -> None:
    """'sklearn' ranked 'continuous learning' above scikit-learn."""
    assert labels(search(kb_aliased, "sklearn"))[:1] == ["scikit-learn"]
    assert "continuous learning" not in labels(search(kb_aliased, "sklearn"))


def test_the_named_product_beats_its_sibling(
    kb: graph.KnowledgeGraph, kb_aliased: graph.KnowledgeGraph
) -> None:
    """'Apache Hadoop' ranked Spark (alias 'Apache Spark') above Hadoop."""
    assert labels(search(kb_aliased, "Apache Hadoop"))[:1] == ["Hadoop"]
    assert labels(search(kb, "Apache Hadoop"))[:1] != ["Spark"]


def test_every_result_says_its_type_and_how_it_matched(kb: graph.KnowledgeGraph) -> None:
    for result in search(kb, "learning", limit=20):
        data = result.to_dict()
        assert data["type"] and data["type_label"] and data["match"] in graph_tiers()


def graph_tiers() -> tuple[str, ...]:
    from graph.query.search import TIERS

    return TIERS


# -- the index kept beside a persistent store ----------------------------------------------
def test_a_store_keeps_its_name_index_and_rewrites_an_outdated_one(tmp_path, mini_kg) -> None:
    from tests.conftest import DATA

    folder = tmp_path / "db"
    kg = graph.load([DATA / "mini.trig"], default=False, store=folder)
    names = derived_folder(folder / "oxigraph", "names")
    assert (names / "names.sqlite").is_file()
    assert [r.to_dict() for r in search(kg, "pyhton")] == [
        r.to_dict() for r in search(mini_kg, "pyhton")
    ]
    del kg
    kept = json.loads((names / "kept.json").read_text())
    kept["version"] = 0  # written by an older version
    (names / "kept.json").write_text(json.dumps(kept))
    (names / "names.sqlite").unlink()
    again = graph.load([DATA / "mini.trig"], default=False, store=folder)
    assert (names / "names.sqlite").is_file()
    assert search(again, "Python")[0].label == "Python"
    assert json.loads((names / "kept.json").read_text())["version"] >= 1


def test_an_in_memory_store_indexes_its_names_on_first_search() -> None:
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("http://e/a"),
            ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
            ox.Literal("Ångström meter", language="en"),
        )
    )
    from graph.backends.local import LocalBackend

    kg = graph.KnowledgeGraph(LocalBackend(store))
    assert search(kg, "angstrom")[0].id == "http://e/a"


# -- ESCO ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_esco_prefers_the_occupation_called_so(esco: graph.KnowledgeGraph) -> None:
    """'data scientist' tied the occupation with 'bioinformatics scientist' (an alias)."""
    results = search(esco, "data scientist")
    assert (results[0].label, results[0].match) == ("data scientist", "label")
    assert results[1].score < results[0].score
    assert esco.node(esco.resolve("data scientist")).label == "data scientist"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "first"),
    [
        pytest.param("pyhton", "Python (computer programming)", id="typo"),
        pytest.param("software developper", "software developer", id="typo-in-a-role"),
        pytest.param("machine learning", "machine learning", id="exact"),
    ],
)
def test_esco_puts_the_obvious_answer_first(esco: graph.KnowledgeGraph, text, first) -> None:
    results = search(esco, text)
    assert results[0].label == first
    assert all(r.type_label for r in results)
