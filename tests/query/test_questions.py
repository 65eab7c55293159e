"""Questions as learners type them: what each is read as, and what it is answered with."""

from __future__ import annotations

import dataclasses

import pytest

import graph
from graph.errors import AmbiguousName
from graph.query.questions import EXAMPLES, ask, read_question

from .conftest import turtle

ML = "https://w3id.org/mlcareer/id/"
REQUIRES = "https://w3id.org/mlcareer/ontology#requires"

# (question, kind, from, to, via): ends are IRIs' local names, via class local names.
QUESTIONS = [
    # paths between two concepts, in many phrasings
    ("skills linking Python to Core ML engineer", "paths", "Python", "CoreMLEngineer", ["Skill"]),
    (
        "how is linear algebra related to deep learning engineer",
        "paths",
        "LinearAlgebra",
        "DeepLearningEngineer",
        [],
    ),
    ("what connects statistics and healthcare", "paths", "Statistics", "Healthcare", []),
    (
        "how do I go from software engineer to ML engineer",
        "paths",
        "SoftwareEngineer",
        "MachineLearningEngineer",
        [],
    ),
    ("Python -> Core ML engineer", "paths", "Python", "CoreMLEngineer", []),
    ("Python → deep learning engineer", "paths", "Python", "DeepLearningEngineer", []),
    (
        "relationship between Hadoop and machine learning engineer",
        "paths",
        "Hadoop",
        "MachineLearningEngineer",
        [],
    ),
    ("path from Python to data scientist", "paths", "Python", "DataScientist", []),
    (
        "how are calculus and deep learning engineer connected?",
        "paths",
        "Calculus",
        "DeepLearningEngineer",
        [],
    ),
    ("connection between pyhton and data scientist", "paths", "Python", "DataScientist", []),
    ("from statistics to ML engineer", "paths", "Statistics", "MachineLearningEngineer", []),
    ("statistics to healthcare", "paths", "Statistics", "Healthcare", []),
    ("is Python related to machine learning?", "paths", "Python", "MachineLearning", []),
    ("link between mathematics and deep learning", "paths", "Mathematics", "DeepLearning", []),
    (
        "tell me how statistics connects to the data scientist role",
        "paths",
        "Statistics",
        "DataScientist",
        [],
    ),
    (
        "Skills linking pyhton to the core ML engineer role?",
        "paths",
        "Python",
        "CoreMLEngineer",
        ["Skill"],
    ),
    (
        "which skills lead from programming to data scientist",
        "paths",
        "Programming",
        "DataScientist",
        ["Skill"],
    ),
    ("shortest path between TensorFlow and healthcare", "paths", "TensorFlow", "Healthcare", []),
    ("GDPR and data privacy", "paths", "GDPR", "DataPrivacy", []),
    (
        "how does linear algebra help a deep learning engineer",
        "paths",
        "LinearAlgebra",
        "DeepLearningEngineer",
        [],
    ),
    ("what tools connect Python and data scientists", "paths", "Python", "DataScientist", ["Tool"]),
    (
        "how can a software engineer become a machine learning engineer",
        "paths",
        "SoftwareEngineer",
        "MachineLearningEngineer",
        [],
    ),
    # what two roles have in common
    (
        "tools shared by data scientist and ML engineer",
        "shared",
        "DataScientist",
        "MachineLearningEngineer",
        ["Tool"],
    ),
    (
        "what do data scientists and ML engineers have in common",
        "shared",
        "DataScientist",
        "MachineLearningEngineer",
        [],
    ),
    (
        "skills in common between data scientist and deep learning engineer",
        "shared",
        "DataScientist",
        "DeepLearningEngineer",
        ["Skill"],
    ),
    (
        "compare data scientist and machine learning engineer",
        "shared",
        "DataScientist",
        "MachineLearningEngineer",
        [],
    ),
    (
        "which skills do core ML engineers and applied ML engineers share?",
        "shared",
        "CoreMLEngineer",
        "AppliedMLEngineer",
        ["Skill"],
    ),
    (
        "data scientist vs deep learning engineer",
        "shared",
        "DataScientist",
        "DeepLearningEngineer",
        [],
    ),
    # one concept: what it requires, what leads to it, what it is related to
    ("what does applied ML engineer require", "related", "AppliedMLEngineer", None, []),
    ("what does a core ML engineer require?", "related", "CoreMLEngineer", None, []),
    ("what skills does a data scientist need?", "related", "DataScientist", None, ["Skill"]),
    (
        "skills required by a deep learning engineer",
        "related",
        "DeepLearningEngineer",
        None,
        ["Skill"],
    ),
    ("what do I need to become a data scientist", "related", "DataScientist", None, []),
    (
        "which tools does a deep learning engineer use",
        "related",
        "DeepLearningEngineer",
        None,
        ["Tool"],
    ),
    (
        "which programming languages does an ML engineer use",
        "related",
        "MachineLearningEngineer",
        None,
        ["ProgrammingLanguage"],
    ),
    (
        "which degrees lead to applied ML engineer",
        "related",
        None,
        "AppliedMLEngineer",
        ["Degree"],
    ),
    (
        "which qualifications lead to ML engineer",
        "related",
        None,
        "MachineLearningEngineer",
        ["Qualification"],
    ),
    ("which regulations concern data privacy", "related", None, "DataPrivacy", ["Regulation"]),
    ("which roles require Python", "related", None, "Python", ["Role"]),
    ("jobs that use TensorFlow", "related", None, "TensorFlow", ["Role"]),
    (
        "what industries employ machine learning engineers",
        "related",
        None,
        "MachineLearningEngineer",
        ["Industry"],
    ),
    ("a data scientist's skills", "related", "DataScientist", None, ["Skill"]),
    (
        "what are the responsibilities of a machine learning engineer",
        "related",
        "MachineLearningEngineer",
        None,
        ["Responsibility"],
    ),
    ("applications of deep learning", "related", "DeepLearning", None, ["Application"]),
    ("Which industries use machine learning?", "related", None, "MachineLearning", ["Industry"]),
]


def local(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


@pytest.mark.parametrize(
    ("question", "kind", "source", "target", "via"),
    [pytest.param(*q, id=q[0][:60]) for q in QUESTIONS],
)
def test_a_question_is_read_as_a_learner_means_it(
    kb: graph.KnowledgeGraph, question, kind, source, target, via
) -> None:
    read = read_question(kb, question)
    assert (read.kind, local(read.source), local(read.target)) == (kind, source, target)
    assert sorted(read.via) == sorted(via)


def test_there_are_forty_questions_in_many_phrasings() -> None:
    assert len(QUESTIONS) >= 40
    assert {q[1] for q in QUESTIONS} == {"paths", "shared", "related"}


@pytest.mark.parametrize("question", EXAMPLES)
def test_every_example_is_answered(kb: graph.KnowledgeGraph, question: str) -> None:
    answer = ask(kb, question)
    assert answer.paths and answer.read_as
    data = answer.to_dict()
    assert set(data["interpretation"]) == {"kind", "from", "to", "via", "predicates"}


def test_requirements_are_read_from_the_schema(kb: graph.KnowledgeGraph) -> None:
    read = read_question(kb, "what does applied ML engineer require")
    assert REQUIRES in read.predicates
    answer = ask(kb, "what does applied ML engineer require")
    assert all(p.edges[0].source == ML + "AppliedMLEngineer" for p in answer.paths)
    assert answer.read_as.startswith("nodes that applied ML engineer (Role) requires")


def test_the_nodes_asked_for_come_first(kb: graph.KnowledgeGraph) -> None:
    answer = ask(kb, "which regulations concern data privacy")
    assert {p.nodes[0].type for p in answer.paths} == {"Regulation"}
    assert {p.nodes[-1].label for p in answer.paths} == {"data privacy"}


def test_a_class_word_next_to_its_concept_only_describes_it(kb: graph.KnowledgeGraph) -> None:
    read = read_question(kb, "how is the Python tool related to the data scientist role")
    assert (local(read.source), local(read.target), read.via) == ("Python", "DataScientist", ())


def test_words_that_name_nothing_are_said(kb: graph.KnowledgeGraph) -> None:
    read = read_question(kb, "which skills does a quantum data scientist need")
    assert local(read.source) == "DataScientist" and read.unread == ("quantum",)
    assert "not read: quantum" in read.describe(kb)


def test_an_end_that_names_nothing_gets_suggestions(kb: graph.KnowledgeGraph) -> None:
    with pytest.raises(graph.NodeNotFound) as info:
        ask(kb, "skills linking Quantum knitting to Core ML engineer")
    assert info.value.text == "Quantum knitting"


def test_a_sentence_naming_no_concept_lists_what_works(kb: graph.KnowledgeGraph) -> None:
    with pytest.raises(graph.UnknownQuestion) as info:
        ask(kb, "why is the sky blue")
    assert all(example in str(info.value) for example in EXAMPLES)
    assert info.value.exit_code == 2


TWINS = b"""
@prefix ml: <https://w3id.org/mlcareer/id/> .
@prefix mlc: <https://w3id.org/mlcareer/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ml:TwinA a mlc:Role ; skos:prefLabel "prompt engineer"@en ; mlc:requiresSkill ml:Python .
ml:TwinB a mlc:Skill ; skos:prefLabel "Prompt engineer"@en .
"""


def test_a_name_that_fits_two_nodes_asks_which(kb: graph.KnowledgeGraph) -> None:
    kg = kb.with_sources([turtle("twins.ttl", TWINS)])
    read = read_question(kg, "how is prompt engineer related to Python")
    assert set(read.choices["from"]) == {ML + "TwinA", ML + "TwinB"}
    with pytest.raises(AmbiguousName) as info:
        ask(kg, "how is prompt engineer related to Python")
    assert "(Role)" in str(info.value) and "(Skill)" in str(info.value)
    chosen = dataclasses.replace(read, source=ML + "TwinA", choices={})
    from graph.query.questions import answer

    assert answer(kg, chosen).paths[0].nodes[0].id == ML + "TwinA"


def test_an_interpretation_can_be_changed_and_answered(kb: graph.KnowledgeGraph) -> None:
    from graph.query.questions import answer

    read = read_question(kb, "Python -> data scientist")
    through_skills = answer(kb, dataclasses.replace(read, via=("Skill",)))
    assert all(n.type == "Skill" for p in through_skills.paths for n in p.nodes[1:-1])
    assert through_skills.to_dict()["interpretation"]["via"] == ["Skill"]


@pytest.mark.slow
def test_esco_questions_name_the_occupation_called_so(esco: graph.KnowledgeGraph) -> None:
    """A path question on ESCO once took 'data scientist' for the occupation that only has
    it as an alternative label (bioinformatics scientist)."""
    read = read_question(esco, "how is Python (computer programming) related to data scientist")
    assert read.kind == "paths" and not read.choices
    assert esco.node(read.target).label == "data scientist"
    assert esco.node(read.source).label == "Python (computer programming)"
    answer = ask(esco, "which skills does a data scientist need")
    assert answer.paths and answer.interpretation.source == read.target
    assert all(p.nodes[0].label == "data scientist" for p in answer.paths)
