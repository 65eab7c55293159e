"""The remote SPARQL endpoint backend against a real Oxigraph server on loopback.

The server holds exactly the statements of the local graph (dumped as
N-Quads), so every command must give the same answer through either backend.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import graph
from graph.backends.base import QueryLimits
from graph.backends.endpoint import EndpointBackend
from graph.errors import EndpointError, EndpointTimeout
from graph.query.compare import compare
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths
from graph.query.questions import ask
from graph.query.search import search
from graph.query.stats import graph_stats

pytestmark = pytest.mark.server

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
#: Far above any deadline tested here: only there so a broken deadline fails, not hangs.
HANG_GUARD = 20.0


@pytest.fixture(scope="module")
def local() -> graph.KnowledgeGraph:
    return graph.load([DATA / "mini.trig"])


@pytest.fixture(scope="module")
def server(local: graph.KnowledgeGraph, sparql_server) -> str:
    """An ``oxigraph serve`` on a free loopback port holding the local graph's statements."""
    return sparql_server("oxigraph", local)


@pytest.fixture(scope="module")
def remote(server: str) -> graph.KnowledgeGraph:
    return graph.KnowledgeGraph.from_endpoint(server)


NODES = ["Python", "data scientist", "core ML engineer", "linear algebra", "deep learning"]


def test_counts_match(local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph) -> None:
    assert remote.triple_count() == local.triple_count()
    assert graph_stats(remote).to_dict() == graph_stats(local).to_dict()


@pytest.mark.parametrize("text", ["Python", "pyhton", "data scientist", "linear algebra"])
def test_search_finds_the_same_best_match(
    local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph, text: str
) -> None:
    here, there = search(local, text), search(remote, text)
    assert there and there[0].to_dict() == here[0].to_dict()


@pytest.mark.parametrize("name", NODES)
def test_show_matches(local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph, name: str) -> None:
    assert remote.details(name).to_dict(remote) == local.details(name).to_dict(local)


@pytest.mark.parametrize("hops", [1, 2])
def test_neighbours_match(
    local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph, hops: int
) -> None:
    for name in NODES[:3]:
        here = neighbors(local, name, hops=hops, limit=40).to_dict()
        assert neighbors(remote, name, hops=hops, limit=40).to_dict() == here


def test_types_counted_on_the_server_match(
    local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large omissions are counted by type on the server: the counts must not change."""
    nodes = [
        row["s"]
        for row in local.backend.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    ]
    monkeypatch.setattr("graph.core.kg._COUNT_ON_SERVER", 0)
    counts = remote.type_counts(nodes)
    assert counts == local.type_counts(nodes)
    assert sum(counts.values()) == len(set(nodes)) and len(counts) > 3
    here = neighbors(local, "Python", hops=2, limit=5).to_dict()
    assert neighbors(remote, "Python", hops=2, limit=5).to_dict() == here


def test_paths_match(local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph) -> None:
    here = find_paths(local, "Python", "data scientist", k=5).to_dict()
    assert find_paths(remote, "Python", "data scientist", k=5).to_dict() == here


@pytest.mark.parametrize(
    "question",
    [
        "skills linking Python to Core ML engineer",
        "how is linear algebra related to deep learning engineer",
        # 'ML engineer' would name two nodes here (the base's and mini.trig's): it asks.
        "skills shared by data scientist and deep learning engineer",
    ],
)
def test_questions_match(
    local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph, question: str
) -> None:
    assert ask(remote, question).to_dict() == ask(local, question).to_dict()


def test_compare_matches(local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph) -> None:
    here = compare(local, "data scientist", "deep learning engineer").to_dict()
    assert compare(remote, "data scientist", "deep learning engineer").to_dict() == here


@pytest.mark.parametrize("fmt", ["nq", "csv", "graphml"])
def test_export_matches(
    local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph, fmt: str
) -> None:
    from graph.io.export import export
    from graph.io.selection import Selection

    def run(kg: graph.KnowledgeGraph) -> list[bytes]:
        selection = Selection.from_neighbourhood(neighbors(kg, "Python", hops=1, limit=100))
        return sorted(export(kg, selection, fmt).splitlines())

    assert run(remote) == run(local)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?r ?label WHERE { ?r a mlc:Role ; skos:prefLabel ?label } ORDER BY ?r ?label",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        "ASK { ?s skos:prefLabel 'Python'@en }",
        "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a mlc:Role ; skos:prefLabel ?l }",
    ],
)
def test_sparql_console_matches(
    local: graph.KnowledgeGraph, remote: graph.KnowledgeGraph, query: str
) -> None:
    from graph.sparql import run_query

    here, there = run_query(local, query), run_query(remote, query)
    assert there.boolean == here.boolean
    assert there.variables == here.variables
    assert there.rows == here.rows
    assert sorted(map(str, there.triples)) == sorted(map(str, here.triples))


def test_console_row_limit(remote: graph.KnowledgeGraph) -> None:
    from graph.sparql import run_query

    result = run_query(remote, "SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5 and result.truncated


def test_bad_query_is_a_clear_error(remote: graph.KnowledgeGraph) -> None:
    with pytest.raises(graph.QuerySyntaxError):
        remote.backend.run_query("SELECT ?x WHERE { ?x nosuch:p ?y }", QueryLimits(timeout=5))


def test_command_line_through_the_endpoint(server: str) -> None:
    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "graph", *extra, "--json", "search", "pyhton"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    there = run("--endpoint", server)
    here = run("--data", str(DATA / "mini.trig"))
    assert there.returncode == 0, there.stderr
    import json

    assert json.loads(there.stdout)["results"][0] == json.loads(here.stdout)["results"][0]


# -- addresses and deadlines ------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/sparql", "gopher://x", "127.0.0.1:7878", ""]
)
def test_only_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(EndpointError, match="http"):
        EndpointBackend(url)


def test_command_line_refuses_a_file_url() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--endpoint", "file:///etc/hostname", "stats"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2 and "only http and https" in done.stderr


class _Silent:
    """A server that accepts connections and then, as told, says nothing or drips bytes."""

    def __init__(self, reply: bytes = b"", drip: float | None = None) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.reply, self.drip = reply, drip
        self.clients: list[socket.socket] = []
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.clients.append(conn)
            if self.reply:
                threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            for i in range(len(self.reply)):
                if self.stop.is_set():
                    return
                conn.sendall(self.reply[i : i + 1])
                if self.drip:
                    time.sleep(self.drip)
        except OSError:
            return

    def close(self) -> None:
        self.stop.set()
        for conn in self.clients:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[_Silent]:
    server = _Silent()
    yield server
    server.close()


def test_a_server_that_never_answers_times_out(silent: _Silent) -> None:
    backend = EndpointBackend(f"http://127.0.0.1:{silent.port}/sparql", timeout=1.0)
    started = time.monotonic()
    with pytest.raises(EndpointTimeout, match="did not answer within 1 s"):
        backend.select("SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - started < HANG_GUARD


def test_a_server_that_drips_bytes_times_out() -> None:
    body = b'{"head": {"vars": []}, "results": {"bindings": []}}' * 20
    reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    reply += b"Content-Length: %d\r\n\r\n" % len(body) + body
    server = _Silent(reply, drip=0.05)
    try:
        backend = EndpointBackend(f"http://127.0.0.1:{server.port}/sparql", timeout=1.0)
        started = time.monotonic()
        with pytest.raises(EndpointTimeout):
            backend.select("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - started < HANG_GUARD
    finally:
        server.close()


def test_the_command_line_reports_a_timeout(silent: _Silent) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "--endpoint",
            f"http://127.0.0.1:{silent.port}/q",
            "--endpoint-timeout",
            "1",
            "stats",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=HANG_GUARD + 30,
    )
    assert done.returncode == 3
    assert "did not answer within 1 s" in done.stderr


def test_unreachable_endpoint_is_a_clear_error() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = EndpointBackend(f"http://127.0.0.1:{port}/sparql", timeout=2)
    with pytest.raises(EndpointError, match="connection refused"):
        backend.select("SELECT * WHERE { ?s ?p ?o }")


def test_redirect_to_another_server_is_not_followed() -> None:
    elsewhere = _Silent()
    reply = (
        b"HTTP/1.1 302 Found\r\nLocation: http://localhost:%d/sparql\r\n"
        b"Content-Length: 0\r\n\r\n" % elsewhere.port
    )
    server = _Silent(reply)
    try:
        backend = EndpointBackend(f"http://127.0.0.1:{server.port}/sparql", timeout=2)
        with pytest.raises(EndpointError, match="another server; not followed"):
            backend.select("SELECT * WHERE { ?s ?p ?o }")
        assert not elsewhere.clients
    finally:
        server.close()
        elsewhere.close()


def test_the_batches_of_one_read_are_asked_at_once_on_a_few_connections() -> None:
    """A view's hop over hundreds of nodes is several requests: they go out together."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from graph.backends.http import PARALLEL

    state = {"now": 0, "most": 0, "asked": 0}
    lock = threading.Lock()
    empty = b'{"head": {"vars": ["s", "p", "o", "g"]}, "results": {"bindings": []}}'

    class Slow(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state["now"] += 1
                state["asked"] += 1
                state["most"] = max(state["most"], state["now"])
            time.sleep(0.3)  # long enough for the other batches to arrive meanwhile
            with lock:
                state["now"] -= 1
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(empty)))
            self.end_headers()
            self.wfile.write(empty)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        backend = EndpointBackend(f"http://127.0.0.1:{server.server_port}/sparql", timeout=10)
        nodes = [f"http://example.org/n{i}" for i in range(1000)]  # ten batches of 100
        assert backend.quads_touching(nodes) == []
        assert 2 <= state["most"] <= PARALLEL
    finally:
        server.shutdown()
        server.server_close()
