"""How the endpoint backend reads servers' answers, against a tiny fake server on loopback.

Each case is an answer a real server gave, or a malformed one: the explorer
must read it right or stop with one clear line, never a traceback or silence.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from graph.backends.base import QueryLimits
from graph.backends.endpoint import EndpointBackend
from graph.backends.protocol import blank_label, query_kind, server_error
from graph.errors import EndpointError, LimitExceeded, QuerySyntaxError, QueryTimeout, TooLarge
from graph.terms import Lit

ROOT = Path(__file__).parent.parent.parent
#: (status, headers, body) for a request's query text, Accept header and parameters.
Answer = Callable[[str, str, dict[str, list[str]]], tuple[int, dict[str, str], bytes]]
JSON = {"Content-Type": "application/sparql-results+json"}


class FakeServer:
    """A SPARQL endpoint on loopback that answers what ``answer`` says, and records requests."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._reply(urlsplit(self.path).query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                self._reply(self.rfile.read(length).decode())

            def _reply(self, encoded: str) -> None:
                params = parse_qs(encoded)
                query, accept = params.get("query", [""])[0], self.headers.get("Accept", "")
                outer.requests.append((query, accept, params))
                status, headers, body = outer.answer(query, accept, params)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if not any(h.lower() == "transfer-encoding" for h in headers):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake() -> Iterator[Callable[[Answer], FakeServer]]:
    servers: list[FakeServer] = []

    def start(answer: Answer) -> FakeServer:
        servers.append(FakeServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def rows(*bindings: dict[str, Any], names: list[str] | None = None) -> bytes:
    names = names or sorted({k for b in bindings for k in b})
    return json.dumps({"head": {"vars": names}, "results": {"bindings": list(bindings)}}).encode()


def uri(value: str) -> dict[str, str]:
    return {"type": "uri", "value": value}


def plain(query: str, accept: str, params: dict[str, list[str]]) -> tuple[int, dict, bytes]:
    """A server with one statement in its default graph and no named graphs."""
    last = query.split("\n")[-1]
    if last.startswith("ASK"):
        return 200, JSON, json.dumps({"head": {}, "boolean": True}).encode()
    if "GRAPH ?g" in query or not last.startswith(("SELECT ?s ?p ?o", "SELECT *")):
        return 200, JSON, rows(names=["x"])
    return 200, JSON, rows({"s": uri("http://e/a"), "p": uri("http://e/p"), "o": uri("http://e/b")})


# -- the answer's shape --------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[]", id="a list"),
        pytest.param(b'"hello"', id="a string"),
        pytest.param(b'{"head": {"vars": ["s"]}, "results": {"bindings": ["x"]}}', id="rows-text"),
        pytest.param(
            b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": "http://e/a"}]}}',
            id="binding-a-string",
        ),
        pytest.param(
            b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri"}}]}}',
            id="binding-without-value",
        ),
        pytest.param(b'{"head": {"vars": ["s"]}, "results": [{"s": 1}]}', id="results-a-list"),
        pytest.param(b"<html>busy</html>", id="not-json"),
    ],
)
def test_answers_of_the_wrong_shape_are_one_clear_error(fake, body: bytes) -> None:
    server = fake(lambda q, a, p: (200, JSON, body))
    backend = EndpointBackend(server.url, timeout=5)
    with pytest.raises(EndpointError, match="did not answer with SPARQL") as caught:
        backend.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert "\n" not in str(caught.value)
    with pytest.raises(EndpointError, match="did not answer with SPARQL"):
        backend.quads_about("http://e/a")


def test_the_command_line_reports_a_malformed_answer_in_one_line(fake) -> None:
    server = fake(lambda q, a, p: (200, JSON, b'{"results": []}'))
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--endpoint", server.url, "search", "python"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "did not answer with SPARQL results" in done.stderr


def test_an_answer_larger_than_the_cap_is_not_read(fake) -> None:
    """A huge answer stops at the size cap, long before it could fill memory."""
    row = b'{"s": {"type": "uri", "value": "http://example.org/' + b"x" * 200 + b'"}},'
    body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [' + row * 40_000 + b"{}]}}"
    server = fake(lambda q, a, p: (200, JSON, body))
    backend = EndpointBackend(server.url, timeout=20, max_bytes=1_000_000)
    with pytest.raises(TooLarge, match="larger than 1 MiB"):
        backend.select("SELECT ?s WHERE { ?s ?p ?o }")


def test_the_default_cap_is_far_below_memory() -> None:
    from graph.backends.endpoint import MAX_ANSWER

    assert EndpointBackend("http://127.0.0.1:1/sparql").max_bytes == MAX_ANSWER <= 128 * 2**20


def test_virtuoso_s_answer_to_ask_as_a_row_is_a_boolean(fake) -> None:
    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        integer = "http://www.w3.org/2001/XMLSchema#integer"
        value = {"type": "typed-literal", "datatype": integer, "value": "1"}
        return 200, JSON, rows({"__ASK_RETVAL": value})

    backend = EndpointBackend(fake(answer).url, timeout=5)
    result = backend.run_query("ASK { ?s ?p ?o }", QueryLimits(timeout=5, max_rows=10))
    assert (result.kind, result.boolean) == ("ask", True)


# -- media types per query form --------------------------------------------------------------
def test_each_query_form_asks_for_its_own_kind_of_answer(fake) -> None:
    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        if "CONSTRUCT" in query:
            return (
                200,
                {"Content-Type": "application/n-triples"},
                b"<http://e/a> <http://e/p> _:b1 .\n",
            )
        return plain(query, accept, params)

    server = fake(answer)
    backend = EndpointBackend(server.url, timeout=5)
    result = backend.run_query("SELECT * WHERE { ?s ?p ?o }", QueryLimits(timeout=5, max_rows=10))
    assert result.kind == "select" and result.rows
    result = backend.run_query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", QueryLimits(timeout=5, max_rows=10)
    )
    assert result.kind == "graph" and result.triples == [("http://e/a", "http://e/p", "_:b1")]
    accepts = {q.split("\n")[-1].split()[0]: a for q, a, _ in server.requests if "?s ?p ?o" in q}
    assert accepts["SELECT"] == "application/sparql-results+json"
    assert "application/n-triples" in accepts["CONSTRUCT"]
    assert "sparql-results" not in accepts["CONSTRUCT"]


def test_a_graph_answered_as_rows_of_s_p_o_is_read_as_triples(fake) -> None:
    """Virtuoso answered CONSTRUCT with SPARQL JSON rows when results were acceptable."""
    body = rows(
        {
            "s": uri("http://e/a"),
            "p": uri("http://e/p"),
            "o": {"type": "bnode", "value": "nodeID://b9"},
        },
        {"s": uri("http://e/a"), "p": uri("http://e/q"), "o": {"type": "literal", "value": "x"}},
        names=["s", "p", "o"],
    )

    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        return (200, JSON, body) if "DESCRIBE" in query else plain(query, accept, params)

    backend = EndpointBackend(fake(answer).url, timeout=5)
    result = backend.run_query("DESCRIBE <http://e/a>", QueryLimits(timeout=5, max_rows=10))
    assert result.triples == [
        ("http://e/a", "http://e/p", "_:b9"),
        ("http://e/a", "http://e/q", Lit("x", None, "http://www.w3.org/2001/XMLSchema#string")),
    ]


def test_a_graph_answered_as_html_is_reported(fake) -> None:
    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        if "CONSTRUCT" in query:
            return 200, {"Content-Type": "text/html"}, b"<html></html>"
        return plain(query, accept, params)

    backend = EndpointBackend(fake(answer).url, timeout=5)
    with pytest.raises(EndpointError, match="as text/html, not as RDF"):
        backend.run_query("CONSTRUCT WHERE { ?s ?p ?o }", QueryLimits(timeout=5, max_rows=10))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT * { ?s ?p ?o }", "rows"),
        ("ASK {}", "rows"),
        ("# construct\nPREFIX c: <http://e/CONSTRUCT#>\nSELECT * {}", "rows"),
        ("BASE <http://e/> PREFIX : <x#> construct { ?s ?p ?o } where { ?s ?p ?o }", "graph"),
        ("DESCRIBE <http://e/a>", "graph"),
    ],
)
def test_query_kind(text: str, kind: str) -> None:
    assert query_kind(text) == kind


# -- blank nodes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "label"),
    [("nodeID://b10047", "_:b10047"), ("b0", "_:b0"), ("genid-1", "_:genid-1")],
)
def test_blank_nodes_get_valid_labels(value: str, label: str) -> None:
    assert blank_label(value) == label


def test_odd_blank_node_names_still_give_valid_labels() -> None:
    import pyoxigraph as ox

    for name in ("a b", "x/y:z", "é", "-lead"):
        label = blank_label(name)
        assert label == blank_label(name)  # the same name, the same node
        ox.BlankNode(label[2:])  # accepted as a blank node label


def test_blank_node_ids_become_valid_terms_in_results(fake) -> None:
    body = rows({"x": uri("nodeID://b10047")}, {"x": {"type": "bnode", "value": "nodeID://b7"}})

    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        return (200, JSON, body) if "?x" in query else plain(query, accept, params)

    backend = EndpointBackend(fake(answer).url, timeout=5)
    result = backend.run_query("SELECT ?x WHERE { ?x ?p ?o }", QueryLimits(timeout=5, max_rows=10))
    assert [row["x"] for row in result.rows] == ["_:b10047", "_:b7"]


# -- row caps ---------------------------------------------------------------------------------
def capped(total: int, cap: int, *, announce: bool = True) -> Answer:
    """A server holding ``total`` statements that sends at most ``cap`` rows per answer."""
    statements = [(f"http://e/n{i:05d}", "http://e/p", f"http://e/m{i:05d}") for i in range(total)]

    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        last = query.split("\n")[-1]
        if "COUNT(*)" in last:
            count = {
                "type": "literal",
                "value": str(total),
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            }
            return 200, JSON, rows({"n": count})
        if "GRAPH ?g" in last:
            return 200, JSON, rows(names=["g"])
        if last.startswith("ASK"):
            return 200, JSON, b'{"head": {}, "boolean": true}'
        if "VALUES" in last or not last.startswith(
            ("SELECT ?s ?p ?o", "SELECT * WHERE { { SELECT ?s ?p ?o")
        ):
            return 200, JSON, rows(names=["x"])  # the explorer's questions about the vocabulary
        wanted = statements
        if "OFFSET" in last:
            limit = int(last.split("LIMIT ")[1].split()[0])
            offset = int(last.split("OFFSET ")[1].split()[0])
            wanted = statements[offset : offset + limit]
        sent = wanted[:cap]
        headers = dict(JSON)
        if announce and len(wanted) > cap:
            headers["X-SPARQL-MaxRows"] = str(cap)
        return (
            200,
            headers,
            rows(
                *({"s": uri(s), "p": uri(p), "o": uri(o)} for s, p, o in sent),
                names=["s", "p", "o"],
            ),
        )

    return answer


@pytest.mark.parametrize("announce", [True, False], ids=["header", "no-header"])
def test_the_whole_graph_is_read_in_pages_through_a_row_cap(fake, announce: bool) -> None:
    backend = EndpointBackend(fake(capped(2_500, 1_000, announce=announce)).url, timeout=5)
    quads = list(backend.iter_quads())
    assert len(quads) == len(set(quads)) == 2_500


def test_a_view_cut_by_the_row_cap_is_reported(fake) -> None:
    backend = EndpointBackend(fake(capped(2_500, 1_000)).url, timeout=5)
    with pytest.raises(LimitExceeded, match="the server returned its maximum of 1,000 rows"):
        backend.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")


def test_a_query_cut_by_the_row_cap_is_marked_truncated(fake) -> None:
    backend = EndpointBackend(fake(capped(2_500, 1_000)).url, timeout=5)
    result = backend.run_query(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", QueryLimits(timeout=5, max_rows=5_000)
    )
    assert result.truncated and len(result.rows) == 1_000
    assert "the server returned its maximum of 1,000 rows" in result.notes[0]


def test_stats_through_a_capped_server_counts_everything(fake) -> None:
    import graph
    from graph.query.stats import graph_stats

    kg = graph.KnowledgeGraph.from_endpoint(fake(capped(2_500, 1_000)).url)
    stats = graph_stats(kg)
    assert (stats.triples, stats.edges, stats.nodes) == (2_500, 2_500, 5_000)


# -- errors -----------------------------------------------------------------------------------
VIRTUOSO_COST = (
    b"Virtuoso 42000 Error The estimated execution time 11798241 (sec) exceeds the limit of"
    b" 400 (sec).\n\nSPARQL query:\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
)


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        pytest.param(500, VIRTUOSO_COST, LimitExceeded, 3, id="virtuoso-cost"),
        pytest.param(
            500,
            b"Virtuoso S1T00 Error SR171: Transaction timed out\n",
            QueryTimeout,
            3,
            id="timeout",
        ),
        pytest.param(
            400,
            b"Virtuoso 37000 Error SP030: SPARQL compiler, line 1: Undefined namespace prefix at"
            b" 'nosuch' before '?y'\n\nSPARQL query:\nSELECT ?x WHERE { ?x nosuch:p ?y }",
            QuerySyntaxError,
            2,
            id="syntax",
        ),
        pytest.param(
            500,
            b"Virtuoso 22023 Error SR353: Sorted TOP clause specifies more then 15100 rows to"
            b" sort. Only 10000 are allowed.\n\nSPARQL query:\nSELECT",
            LimitExceeded,
            3,
            id="sort-limit",
        ),
        pytest.param(502, b"<html>\n<body>Bad gateway</body>\n</html>", EndpointError, 2, id="502"),
    ],
)
def test_server_errors_are_one_line_of_the_right_kind(
    status: int, body: bytes, error: type, code: int
) -> None:
    err = server_error("http://e/sparql", status, body)
    assert type(err) is error and err.exit_code == code
    assert "\n" not in str(err) and "SPARQL query:" not in str(err)


def test_a_refusal_for_cost_exits_3(fake) -> None:
    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        if "?a ?b ?c" in query:
            return 500, {"Content-Type": "text/plain"}, VIRTUOSO_COST
        return plain(query, accept, params)

    server = fake(answer)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--endpoint", server.url, "sparql", query],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.count("\n") == 1 and "estimated execution time" in done.stderr


# -- system graphs ----------------------------------------------------------------------------
def test_system_graphs_are_left_out_and_chosen_graphs_named(fake) -> None:
    graphs = ["http://www.openlinksw.com/schemas/virtrdf#", "http://data/g1", "http://data/g2"]

    def answer(query: str, accept: str, params: Any) -> tuple[int, dict, bytes]:
        if "?g" in query.split("\n")[-1].split("WHERE")[0]:
            return 200, JSON, rows(*({"g": uri(g)} for g in graphs))
        return plain(query, accept, params)

    server = fake(answer)
    backend = EndpointBackend(server.url, timeout=5)
    assert backend.named_graphs() == ["http://data/g1", "http://data/g2"]
    backend.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert server.requests[-1][2]["default-graph-uri"] == ["http://data/g1", "http://data/g2"]
    chosen = EndpointBackend(server.url, timeout=5, graphs=["http://data/g2"])
    chosen.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert server.requests[-1][2]["named-graph-uri"] == ["http://data/g2"]
