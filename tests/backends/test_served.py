"""Views the server joins give what the same views give reading statements here.

Each SPARQL server of the test suite holds the knowledge base; a view ranked
and counted by the server (:mod:`graph.query.served`) must list the same
nodes, edges and omissions as the view computed from the store in memory,
whatever its hops, cap and filters.  Paths read their regions in part from
the server (degrees, the statements among a region's nodes).
"""

from __future__ import annotations

import pytest

import graph
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths

SERVERS = [
    pytest.param("oxigraph", marks=pytest.mark.server),
    pytest.param("virtuoso", marks=pytest.mark.server),
]
FOCI = ["machine learning engineer", "Python", "data scientist", "linear algebra"]
OPTIONS = [
    pytest.param({"hops": 2, "limit": 5}, id="2-hops-cap-5"),
    pytest.param({"hops": 2, "limit": 40}, id="2-hops-cap-40"),
    pytest.param({"hops": 3, "limit": 60}, id="3-hops-cap-60"),
    pytest.param({"hops": 2, "limit": 20, "types": ["skills"]}, id="skills-only"),
    pytest.param({"hops": 2, "limit": 20, "predicates": ["requires skill"]}, id="relation"),
    pytest.param({"hops": 2, "limit": 20, "inferred": False}, id="stated-only"),
]


@pytest.fixture(scope="module")
def remote(request, sparql_server, kb: graph.KnowledgeGraph) -> graph.KnowledgeGraph:
    return graph.KnowledgeGraph.from_endpoint(sparql_server(request.param, kb), timeout=60)


@pytest.mark.parametrize("remote", SERVERS, indirect=True)
@pytest.mark.parametrize("options", OPTIONS)
def test_neighbourhoods_ranked_by_the_server_match(remote, kb, options) -> None:
    assert remote.backend.joins() is not None
    for focus in FOCI:
        here = neighbors(kb, focus, **options).to_dict()
        assert neighbors(remote, focus, **options).to_dict() == here, focus


@pytest.mark.parametrize("remote", SERVERS, indirect=True)
@pytest.mark.parametrize(
    ("a", "b", "options"),
    [
        ("Python", "data scientist", {}),
        ("linear algebra", "deep learning engineer", {"k": 5}),
        ("Python", "ML engineer", {"via": ["Skill"]}),
        ("statistics", "healthcare", {"max_degree": 60}),
        ("linear algebra", "ML engineer", {"max_degree": 40}),
    ],
)
def test_paths_read_in_part_from_the_server_match(remote, kb, a, b, options) -> None:
    # A deadline no server reaches: the answers are compared, not how long they took
    # (Virtuoso on a loaded machine can take longer than the default 5 s).
    options = {**options, "deadline": 600}
    here = find_paths(kb, a, b, **options).to_dict()
    assert find_paths(remote, a, b, **options).to_dict() == here
