"""Finding the concepts a text names, with their place in it: questions and job postings."""

from __future__ import annotations

import pytest

import graph
from graph.query.mentions import find_mentions, singular, words_of

ML = "https://w3id.org/mlcareer/id/"


def found(kg: graph.KnowledgeGraph, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.node.rsplit("/", 1)[-1]) for m in find_mentions(kg, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "machine learning engineer",
            [("machine learning engineer", "MachineLearningEngineer")],
            id="longest-wins",
        ),
        pytest.param("data scientists", [("data scientists", "DataScientist")], id="plural"),
        pytest.param(
            "a data scientist's toolbox", [("data scientist", "DataScientist")], id="possessive"
        ),
        pytest.param("pyhton", [("pyhton", "Python")], id="typo"),
        pytest.param("R and C++", [("R", "R"), ("C++", "CPlusPlus")], id="short-names-as-written"),
        pytest.param("a r in the c", [], id="short-words-lower-case"),
        pytest.param("DL engineer", [("DL engineer", "DeepLearningEngineer")], id="alt-label"),
        pytest.param("scikit-learn", [("scikit-learn", "ScikitLearn")], id="hyphen"),
    ],
)
def test_mentions(kb: graph.KnowledgeGraph, text: str, expected) -> None:
    assert found(kb, text) == expected


def test_offsets_point_into_the_text(kb: graph.KnowledgeGraph) -> None:
    text = "Wanted: an engineer fluent in Pyhton, TensorFlow and statistics (2+ years)."
    mentions = find_mentions(kb, text)
    assert [text[m.start : m.end] for m in mentions] == [m.text for m in mentions]
    assert [m.name for m in mentions] == ["Python", "TensorFlow", "statistics"]
    assert mentions[0].score < mentions[1].score == 100


def test_a_long_posting_is_read_whole(kb: graph.KnowledgeGraph) -> None:
    posting = "We look for a data scientist who knows Python and SQL. " * 200
    mentions = find_mentions(kb, posting)
    assert len([m for m in mentions if m.name == "Python"]) == 200
    assert all(posting[m.start : m.end] == m.text for m in mentions)


def test_words_and_singulars() -> None:
    assert [w.key for w in words_of("Core-ML engineers' C# skills!")] == [
        "core",
        "ml",
        "engineers",
        "c#",
        "skills",
    ]
    assert singular("analyses") == "analyse" and singular("skills") == "skill"


def test_a_name_two_nodes_share_is_marked(kb: graph.KnowledgeGraph) -> None:
    from .conftest import turtle

    twins = b"""
    @prefix e: <http://e/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    e:a skos:prefLabel "quantum chef"@en . e:b skos:prefLabel "Quantum chef"@en .
    """
    kg = kb.with_sources([turtle("twins.ttl", twins)])
    (mention,) = find_mentions(kg, "is a quantum chef needed")
    assert mention.ambiguous and set(mention.candidates) == {"http://e/a", "http://e/b"}
