"""Read-only on any server: what Virtuoso would run that changes it or reaches out is refused.

Virtuoso calls its own functions from SPARQL (``bif:``, ``sql:``), fetches
documents for ``DEFINE get:soft`` and sends ``SERVICE`` requests; the guard
lets through SPARQL 1.1's functions and XSD casts only, and refuses the rest
before any request leaves.  A private server is started by ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

import graph
from graph.errors import QuerySyntaxError, UnsafeQuery
from graph.sparql import run_query

pytestmark = pytest.mark.server
SEQUENCE = 'PREFIX bif: <bif:> SELECT (bif:sequence_next("mlcareer_guard") AS ?x) WHERE {}'


@pytest.fixture(scope="module")
def url(sparql_server, kb: graph.KnowledgeGraph) -> str:
    return sparql_server("virtuoso", kb)


def _raw(url: str, query: str) -> dict:
    """Send ``query`` straight to the server, past the guard (to see what it would do)."""
    address = url + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(address, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def _next_value(url: str) -> int:
    return int(_raw(url, SEQUENCE)["results"]["bindings"][0]["x"]["value"])


def test_a_function_that_changes_the_server_is_refused_and_the_server_unchanged(url):
    before = _next_value(url)  # the server's sequence moves on each raw call
    remote = graph.KnowledgeGraph.from_endpoint(url)
    for _ in range(3):
        with pytest.raises(UnsafeQuery, match="bif:sequence_next"):
            run_query(remote, SEQUENCE)
    assert _next_value(url) == before + 1


@pytest.mark.parametrize(
    ("query", "error"),
    [
        pytest.param("PREFIX sql: <sql:> SELECT (sql:f(1) AS ?x) {}", UnsafeQuery, id="sql"),
        pytest.param("SELECT (<bif:now>() AS ?x) {}", UnsafeQuery, id="bif-iri"),
        pytest.param("SELECT (bif:now() AS ?x) {}", QuerySyntaxError, id="undeclared-bif"),
        pytest.param(
            'DEFINE get:soft "soft" SELECT * FROM <http://127.0.0.1:9/x> { ?s ?p ?o }',
            QuerySyntaxError,
            id="sponger-pragma",
        ),
    ],
)
def test_server_extensions_are_refused(url, query, error):
    remote = graph.KnowledgeGraph.from_endpoint(url)
    with pytest.raises(error):
        run_query(remote, query)


def test_service_through_a_server_is_refused_and_nothing_is_contacted(url, loopback_listener):
    remote = graph.KnowledgeGraph.from_endpoint(url)
    query = (
        f"SELECT * WHERE {{ # x\r SERVICE <http://127.0.0.1:{loopback_listener.port}/x> "
        "{ ?s ?p ?o } }"
    )
    with pytest.raises(UnsafeQuery, match="SERVICE"):
        run_query(remote, query)
    assert loopback_listener.connections == []


def test_sparql_functions_still_run_on_the_server(url):
    remote = graph.KnowledgeGraph.from_endpoint(url)
    result = run_query(remote, "SELECT (STRLEN('abc') + xsd:integer('1') AS ?n) WHERE {}")
    assert result.rows[0]["n"].value == "4"
