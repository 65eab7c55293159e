"""Paths: the k cheapest simple paths, weighed the way a mentor reads them, each with a reason."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import graph
from graph.query.paths import find_paths
from graph.query.questions import ask

from .conftest import turtle


def labels(path: graph.Path) -> list[str]:
    return [n.label for n in path.nodes]


# -- on the small handmade graph ---------------------------------------------------------------
def test_plain_paths_are_shortest_first_with_directions(mini_kg) -> None:
    result = find_paths(mini_kg, "Python", "Core ML engineer", k=5, plain=True)
    lengths = [len(p) for p in result.paths]
    assert lengths == sorted(lengths) and lengths[0] == 2
    first = result.to_dict()["paths"][0]
    assert [n["label"] for n in first["nodes"]] == ["Python", "Programming", "Core ML engineer"]
    assert [e["direction"] for e in first["edges"]] == ["backward", "backward"]
    assert all(e["sources"] for e in first["edges"]) and first["reason"].startswith("2 hops")
    assert len({tuple(labels(p)) for p in result.paths}) == len(result.paths)  # simple, distinct


def test_plain_equal_lengths_are_ranked_by_support(mini_kg) -> None:
    result = find_paths(mini_kg, "Python", "Data scientist", k=5, plain=True)
    for shorter, longer in zip(result.paths, result.paths[1:], strict=False):
        assert (len(shorter), -shorter.support) <= (len(longer), -longer.support)


def test_via_keeps_every_inner_node_in_the_class(mini_kg) -> None:
    result = find_paths(mini_kg, "Python", "Core ML engineer", via=["Skill"], k=5)
    for path in result.paths:
        assert all(n.type == "Skill" for n in path.nodes[1:-1])


def test_no_path_says_so(mini_kg) -> None:
    with pytest.raises(graph.NoPath) as info:
        find_paths(mini_kg, "GDPR", "Python")
    assert info.value.exit_code == 1


def test_unknown_end_gets_suggestions(mini_kg) -> None:
    with pytest.raises(graph.NodeNotFound, match="did you mean"):
        find_paths(mini_kg, "Pythonesque snake charmer", "SQL")


def test_bad_limits_are_refused(mini_kg) -> None:
    with pytest.raises(graph.BadInput):
        find_paths(mini_kg, "Python", "SQL", k=0)
    with pytest.raises(graph.BadInput):
        find_paths(mini_kg, "Python", "Python")


def dense(n: int) -> graph.KnowledgeGraph:
    lines = [
        f"<http://e/n{i}> <http://e/p> <http://e/n{j}> ." for i in range(n) for j in range(i + 1, n)
    ]
    lines += [
        f'<http://e/n{i}> <http://www.w3.org/2000/01/rdf-schema#label> "n{i}" .' for i in range(n)
    ]
    data = "\n".join(lines).encode()
    return graph.KnowledgeGraph.from_sources(
        [graph.RdfSource("d.nt", data, ox.RdfFormat.N_TRIPLES)]
    )


@pytest.mark.parametrize("plain", [True, False], ids=["plain", "weighted"])
def test_dense_graph_path_search_is_bounded(plain: bool) -> None:
    """A complete graph on 60 nodes has astronomically many simple paths."""
    result = find_paths(dense(60), "http://e/n0", "http://e/n1", k=5, max_hops=10, plain=plain)
    assert [len(p) for p in result.paths] == [1, 2, 2, 2, 2]


# -- what the weights mean -----------------------------------------------------------------------
def star(extra: str = "") -> graph.KnowledgeGraph:
    """a and b joined through a hub (h, 150 other links) and through a specific node (s)."""
    lines = ["@prefix e: <http://e/> .", "e:a e:p e:h . e:h e:p e:b . e:a e:p e:s . e:s e:p e:b ."]
    lines += [f"e:h e:p e:leaf{i} ." for i in range(150)]
    lines.append(extra)
    return graph.KnowledgeGraph.from_sources([turtle("star.ttl", "\n".join(lines).encode())])


def test_a_hub_ranks_below_a_specific_node_of_the_same_length() -> None:
    result = find_paths(star(), "http://e/a", "http://e/b", k=2)
    assert [p.nodes[1].id for p in result.paths] == ["http://e/s", "http://e/h"]
    assert result.reasons[0] == "2 hops, avoids hubs"
    assert result.reasons[1] == "2 hops, through a hub: h (152 links)"
    plain = find_paths(star(), "http://e/a", "http://e/b", k=2, plain=True)
    assert {p.nodes[1].id for p in plain.paths} == {"http://e/s", "http://e/h"}


ARTICLES = b"""
@prefix e: <http://e/> .
@prefix mlc: <https://w3id.org/mlcareer/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
e:art1 a mlc:Article . e:art2 a mlc:Article . e:art3 a mlc:Article .
e:g1 dct:isPartOf e:art1 . e:g2 dct:isPartOf e:art2 . e:g3 dct:isPartOf e:art3 .
e:inf a mlc:InferredGraph .
"""


def evidence_graph() -> graph.KnowledgeGraph:
    """a-x-b stated by three articles, a-y-b by one, a-z-b only inferred."""
    trig = (
        ARTICLES.decode()
        + """
e:g1 { e:a e:p e:x . e:x e:p e:b . e:a e:p e:y . e:y e:p e:b . }
e:g2 { e:a e:p e:x . e:x e:p e:b . }
e:g3 { e:a e:p e:x . e:x e:p e:b . }
e:inf { e:a e:p e:z . e:z e:p e:b . }
"""
    )
    return graph.KnowledgeGraph.from_sources(
        [graph.RdfSource("e.trig", trig.encode(), ox.RdfFormat.TRIG)]
    )


def test_more_articles_weigh_less_and_inferred_steps_more() -> None:
    result = find_paths(evidence_graph(), "http://e/a", "http://e/b", k=3)
    assert [p.nodes[1].id for p in result.paths] == ["http://e/x", "http://e/y", "http://e/z"]
    assert result.reasons[0] == "2 hops, stated by 3 of 3 articles, avoids hubs"
    assert result.reasons[2] == "2 hops, 2 inferred steps, avoids hubs"
    without = find_paths(evidence_graph(), "http://e/a", "http://e/b", k=3, inferred=False)
    assert "http://e/z" not in {p.nodes[1].id for p in without.paths}


def test_every_path_has_a_reason_in_its_json(mini_kg) -> None:
    data = find_paths(mini_kg, "Python", "Data scientist", k=3).to_dict()
    assert all(p["reason"] for p in data["paths"])


# -- answers a mentor would accept, on the knowledge base -----------------------------------------
FIRST = [
    pytest.param(
        "Python",
        "data scientist",
        ["Python", "data scientist"],
        id="python-data-scientist",
        # Two articles say data scientists work in Python; nothing is more direct.
    ),
    pytest.param(
        "CUDA",
        "deep learning engineer",
        ["CUDA", "deep learning engineer"],
        id="cuda-dl-engineer",
        # The 2024 article lists GPUs and CUDA programming among a deep learning engineer's tools.
    ),
    pytest.param(
        "linear algebra",
        "deep learning engineer",
        ["linear algebra", "deep learning engineer"],
        id="linear-algebra-dl-engineer",
        # Its applied mathematics for deep learning engineers starts with linear algebra.
    ),
    pytest.param(
        "computer science",
        "machine learning engineer",
        ["computer science", "machine learning engineer"],
        id="computer-science-ml-engineer",
        # All four articles name a computer science degree as the way in.
    ),
    pytest.param(
        "software engineer",
        "ML engineer",
        ["software engineer", "machine learning engineer"],
        id="software-to-ml-engineer",
        # The 2024 article names software engineering as the job to start in before ML.
    ),
    pytest.param(
        "statistics",
        "data scientist",
        ["statistics", "data scientist"],
        id="statistics-data-scientist",
        # The data scientist is described as deep in mathematics, statistics and probability.
    ),
    pytest.param(
        "probability",
        "data scientist",
        ["probability", "data scientist"],
        id="probability-data-scientist",
        # Same passage: probability is part of a data scientist's analytical footing.
    ),
    pytest.param(
        "statistics",
        "healthcare",
        ["statistics", "machine learning", "healthcare"],
        id="statistics-healthcare",
        # Machine learning builds on statistics and is put to work in healthcare: the discipline
        # itself is the link, not the ML engineer every concept of the graph touches.
    ),
]


@pytest.mark.parametrize(("source", "target", "expected"), FIRST)
def test_the_first_path_is_the_one_a_mentor_would_draw(kb, source, target, expected) -> None:
    result = find_paths(kb, source, target, k=3)
    assert labels(result.paths[0]) == expected
    assert all(e.articles for e in result.paths[0].edges)


def test_skills_linking_python_to_core_ml_engineer_go_through_programming(kb) -> None:
    """A core ML engineer needs the ML software engineer's programming, which is done in
    Python: 'programming' is the skill a mentor would name between them."""
    answer = ask(kb, "skills linking Python to Core ML engineer")
    assert "programming" in labels(answer.paths[0])[1:-1]
    assert all(n.type == "Skill" for n in answer.paths[0].nodes[1:-1])


def test_healthcare_and_data_scientist_are_not_joined_only_through_the_hub(kb) -> None:
    """Once all five paths went through the machine learning engineer (159 links), which
    says little; paths through machine learning itself show what healthcare and a data
    scientist have to do with each other."""
    result = find_paths(kb, "healthcare", "data scientist", k=5)
    hub = "machine learning engineer"
    avoiding = [p for p in result.paths if hub not in labels(p)[1:-1]]
    assert len(avoiding) >= 2
    assert any("machine learning" in labels(p) for p in avoiding)
    for path, reason in zip(result.paths, result.reasons, strict=True):
        assert ("through a hub" in reason) == (hub in labels(path)[1:-1])


def test_plain_paths_keep_the_hub_for_who_asks_for_it(kb) -> None:
    """--plain ranks by hops only: the two-hop path through the hub comes first again."""
    result = find_paths(kb, "healthcare", "data scientist", k=1, plain=True)
    assert len(result.paths[0]) == 2
