"""Search by label and alternative label: case, accents and typos forgiven, ranked."""

from __future__ import annotations

import pytest

import graph
from graph.query.search import search
from graph.vocab.text import normalize

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


def test_results_are_ranked_with_scores(mini_kg: graph.KnowledgeGraph) -> None:
    results = search(mini_kg, "engineer", limit=10)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    assert {r.type for r in results[:5]} == {"Role"}
    assert set(results[0].to_dict()) >= {"id", "label", "type", "score"}


def test_type_filter_includes_sub_classes(mini_kg: graph.KnowledgeGraph) -> None:
    skills = search(mini_kg, "linear algebra", types=["skills"])
    assert skills[0].label == "Linear algebra"  # a MathematicsTopic, under Skill
    assert search(mini_kg, "linear algebra", types=["Role"]) == [] or all(
        r.type == "Role" for r in search(mini_kg, "linear algebra", types=["Role"])
    )


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


def test_search_in_the_knowledge_base(kb: graph.KnowledgeGraph) -> None:
    assert search(kb, "pyhton")[0].label == "Python"
    assert search(kb, "tensorflow")[0].type == "Tool"
