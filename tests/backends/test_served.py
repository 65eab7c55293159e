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
from graph.backends.endpoint import EndpointBackend
from graph.backends.joins import EdgeSpec, ServerJoins
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


#: More nodes than Virtuoso takes in one ``IN (...)`` (it refuses 5,000 arguments with
#: "SP030: Too many arguments for standard built-in function").
WIDE = 5000


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> graph.KnowledgeGraph:
    """A hub joined to ``WIDE`` nodes, each joined to one more: a view holding thousands."""
    ex = "https://example.org/wide/"
    lines = [f'<{ex}hub> <http://www.w3.org/2000/01/rdf-schema#label> "hub" .']
    for i in range(WIDE):
        lines.append(f"<{ex}hub> <{ex}links> <{ex}a{i}> .")
        lines.append(f"<{ex}a{i}> <{ex}links> <{ex}b{i}> .")
    data = tmp_path_factory.mktemp("wide") / "wide.nt"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return graph.load([data], default=False)


@pytest.mark.parametrize("kind", SERVERS)
def test_a_view_holding_thousands_of_nodes_matches(kind, sparql_server, wide) -> None:
    # The third hop leaves out every node the first two hold: no query may list them all.
    remote = graph.KnowledgeGraph.from_endpoint(sparql_server(kind, wide), timeout=120)
    options = {"hops": 3, "limit": 2 * WIDE}
    here = neighbors(wide, "https://example.org/wide/hub", **options).to_dict()
    assert len(here["nodes"]) == 2 * WIDE
    assert neighbors(remote, "https://example.org/wide/hub", **options).to_dict() == here


def _joins(asked: list[str]) -> ServerJoins:
    """Joins over a server that answers every query with one predicate, noting each query."""

    def rows(query: str) -> list[dict[str, object]]:
        asked.append(query)
        return [{"p": "urn:p"}]

    return ServerJoins(
        lambda s, o, p, g: [f"{{ GRAPH {g} {{ {s} {p} {o} }} }}"],
        rows,
        lambda fn, queries: [fn(q) for q in queries],
    )


def test_the_label_test_of_mappings_is_left_out_when_the_server_holds_none() -> None:
    # The test costs the server whatever a statement's predicate (Oxigraph evaluates
    # both sides of its ||): written only when a mapping could be among the statements.
    match = "http://www.w3.org/2004/02/skos/core#exactMatch"
    spec = EdgeSpec(mappings=frozenset({match}), labels=("urn:label",))
    joins = _joins([])
    assert "EXISTS" in joins.edge(spec, "?f", "?x")  # predicates unknown: tested
    held = EdgeSpec(mappings=spec.mappings, labels=spec.labels, used=frozenset({"urn:p", match}))
    assert "EXISTS" in joins.edge(held, "?f", "?x")
    none = EdgeSpec(mappings=spec.mappings, labels=spec.labels, used=frozenset({"urn:p"}))
    assert "EXISTS" not in joins.edge(none, "?f", "?x")


def test_the_predicates_a_server_holds_are_asked_once() -> None:
    asked: list[str] = []
    joins = _joins(asked)
    assert joins.predicates() == joins.predicates() == frozenset({"urn:p"})
    assert len(asked) == 1


def test_an_endpoint_keeps_one_joins_object() -> None:
    backend = EndpointBackend("http://127.0.0.1:9/sparql")  # nothing asked yet
    assert backend.joins() is backend.joins()
