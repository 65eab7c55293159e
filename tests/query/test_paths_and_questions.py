"""Neighbourhoods, k shortest paths, questions in plain words, comparisons."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import graph
from graph.query.compare import compare
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths
from graph.query.questions import EXAMPLES, ask, parse_question


def labels(path: graph.Path) -> list[str]:
    return [n.label for n in path.nodes]


def test_neighbourhood_is_capped_and_counts_what_it_left_out(mini_kg) -> None:
    full = neighbors(mini_kg, "ML engineer", hops=1, limit=100)
    capped = neighbors(mini_kg, "ML engineer", hops=1, limit=3)
    assert len(capped.nodes) == 3
    assert capped.omitted == len(full.nodes) - 3
    two_hops = neighbors(mini_kg, "ML engineer", hops=2, limit=3)
    assert two_hops.omitted >= capped.omitted  # nodes beyond the cap are not explored
    assert sum(capped.omitted_by_type.values()) == capped.omitted
    kept = {capped.center.id, *(n.id for n in capped.nodes)}
    assert all(e.source in kept and e.target in kept for e in capped.edges)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param({"types": ["tools"]}, {"Python", "SQL"}, id="by-class"),
        pytest.param(
            {"predicates": ["requires skill"]}, {"Linear algebra", "Programming"}, id="by-relation"
        ),
        pytest.param(
            {"sources": ["b.txt"]}, {"Programming", "Computer science degree"}, id="by-source"
        ),
    ],
)
def test_neighbourhood_filters(mini_kg, options, expected) -> None:
    nb = neighbors(mini_kg, "ML engineer", **options)
    assert {n.label for n in nb.nodes} == expected


def test_paths_are_shortest_first_with_directions(mini_kg) -> None:
    result = find_paths(mini_kg, "Python", "Core ML engineer", k=5)
    lengths = [len(p) for p in result.paths]
    assert lengths == sorted(lengths) and lengths[0] == 2
    first = result.to_dict()["paths"][0]
    assert [n["label"] for n in first["nodes"]] == ["Python", "Programming", "Core ML engineer"]
    assert [e["direction"] for e in first["edges"]] == ["backward", "backward"]
    assert all(e["sources"] for e in first["edges"])
    assert len({tuple(labels(p)) for p in result.paths}) == len(result.paths)  # simple, distinct


def test_via_keeps_every_inner_node_in_the_class(mini_kg) -> None:
    result = find_paths(mini_kg, "Python", "Core ML engineer", via=["Skill"], k=5)
    for path in result.paths:
        assert all(n.type == "Skill" for n in path.nodes[1:-1])


def test_equal_lengths_are_ranked_by_support(mini_kg) -> None:
    result = find_paths(mini_kg, "Python", "Data scientist", k=5)
    for shorter, longer in zip(result.paths, result.paths[1:], strict=False):
        assert (len(shorter), -shorter.support) <= (len(longer), -longer.support)


def test_no_path_says_so(mini_kg) -> None:
    with pytest.raises(graph.NoPath) as info:
        find_paths(mini_kg, "GDPR", "Python")
    assert info.value.exit_code == 1


def test_unknown_end_gets_suggestions(mini_kg) -> None:
    with pytest.raises(graph.NodeNotFound, match="did you mean"):
        find_paths(mini_kg, "Pythonesque snake charmer", "SQL")


def test_dense_graph_path_search_is_bounded() -> None:
    """A complete graph on 60 nodes has astronomically many simple paths."""
    n = 60
    lines = [
        f"<http://e/n{i}> <http://e/p> <http://e/n{j}> ." for i in range(n) for j in range(i + 1, n)
    ]
    lines += [
        f'<http://e/n{i}> <http://www.w3.org/2000/01/rdf-schema#label> "n{i}" .' for i in range(n)
    ]
    kg = graph.KnowledgeGraph.from_sources(
        [graph.RdfSource("dense.nt", "\n".join(lines).encode(), ox.RdfFormat.N_TRIPLES)]
    )
    result = find_paths(kg, "http://e/n0", "http://e/n1", k=5, max_hops=10)
    assert [len(p) for p in result.paths] == [1, 2, 2, 2, 2]


QUESTIONS = [
    pytest.param(EXAMPLES[0], ["Python", "Programming", "Core ML engineer"], id="linking"),
    pytest.param(
        EXAMPLES[1], ["Linear algebra", "Neural networks", "Deep learning engineer"], id="related"
    ),
    pytest.param("path from Python to SQL", None, id="path"),
    pytest.param(
        EXAMPLES[3], ["Data scientist", "Python", "Machine learning engineer"], id="shared"
    ),
    pytest.param(EXAMPLES[4], ["Applied ML engineer", "Data modelling"], id="requires"),
    pytest.param(EXAMPLES[5], ["Computer science degree", "Machine learning engineer"], id="leads"),
    pytest.param(EXAMPLES[6], ["Data privacy", "GDPR"], id="concern"),
    pytest.param(
        "Skills linking pyhton to the core ML engineer role?",
        ["Python", "Programming", "Core ML engineer"],
        id="typo-and-role-word",
    ),
]


@pytest.mark.parametrize(("question", "first"), QUESTIONS)
def test_questions_in_plain_words(mini_kg, question, first) -> None:
    answer = ask(mini_kg, question)
    assert answer.paths
    if first:
        assert labels(answer.paths[0]) == first


def test_question_class_words_may_be_singular_or_plural(mini_kg) -> None:
    assert parse_question(mini_kg, "skill linking Python to SQL").classes
    assert parse_question(mini_kg, "tool shared by data scientist and ML engineer").kind == "shared"


def test_unknown_phrasing_lists_the_forms(mini_kg) -> None:
    with pytest.raises(graph.UnknownQuestion) as info:
        ask(mini_kg, "why is the sky blue")
    for example in EXAMPLES:
        assert example in str(info.value)


def test_question_with_unknown_name_suggests(mini_kg) -> None:
    with pytest.raises(graph.NodeNotFound):
        ask(mini_kg, "skills linking Quantum knitting to Core ML engineer")


def test_compare_roles(mini_kg) -> None:
    c = compare(mini_kg, "data scientist", "ML engineer")
    assert [n.label for n in c.shared["Tool"]] == ["Python", "SQL"]
    assert [n.label for n in c.only_a["Skill"]] == ["Statistics"]
    assert "Qualification" in c.to_dict()["only_b"]


@pytest.mark.parametrize(
    "question",
    [
        "skills linking Python to Core ML engineer",
        "how is linear algebra related to deep learning engineer",
        "tools shared by data scientist and ML engineer",
        "which qualifications lead to ML engineer",
        "which regulations concern data privacy",
        "what does applied ML engineer require",
    ],
)
def test_knowledge_base_answers_the_product_questions(kb, question) -> None:
    answer = ask(kb, question)
    assert answer.paths
    assert all(e.articles for p in answer.paths for e in p.edges if not e.inferred)
