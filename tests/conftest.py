"""Shared fixtures: each graph is loaded once per test session."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import graph

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def mini_kg() -> graph.KnowledgeGraph:
    """The small handmade graph of ``tests/data/mini.trig``."""
    return graph.load([DATA / "mini.trig"], default=False)


@pytest.fixture(scope="session")
def kb() -> graph.KnowledgeGraph:
    """The embedded knowledge base of ``ontology/``."""
    return graph.load()


class _Listener:
    """A TCP listener on loopback that records the connections it receives."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/x".encode()
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, address = self.sock.accept()
            except OSError:
                continue
            self.connections.append(address)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def loopback_listener():
    """A listener on 127.0.0.1 whose ``connections`` shows whether anything called it."""
    listener = _Listener()
    yield listener
    listener.close()


# -- SPARQL servers on loopback ----------------------------------------------------------------
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    from graph.backends.endpoint import EndpointBackend
    from graph.errors import EndpointError

    backend = EndpointBackend(url, timeout=2)
    stop = time.monotonic() + 60
    while time.monotonic() < stop:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            backend.select("SELECT * WHERE { } LIMIT 1")
            return
        except EndpointError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {url} did not start")


def _start_oxigraph(dump: Path, folder: Path) -> tuple[str, subprocess.Popen[bytes]]:
    if not OXIGRAPH.exists():
        pytest.fail("the oxigraph server is not installed: pip install -r requirements-dev.txt")
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(folder / "db"), "--file", str(dump)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return f"http://127.0.0.1:{port}/query", process


VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
#: A private Virtuoso: its own database folder, loopback ports only, the row cap it ships with.
VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {folder}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
MaxQueryMem = 1G
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 4000
MaxQueryExecutionTime = 60
"""


def start_virtuoso(
    dump: Path, folder: Path, *, max_rows: int = 10_000
) -> tuple[str, subprocess.Popen[bytes]]:
    """Virtuoso 7 (Debian's ``virtuoso-opensource``) on loopback ports, ``dump`` loaded."""
    if not Path(VIRTUOSO).exists():
        pytest.fail(
            "Virtuoso is not installed: bash scripts/setup.sh dev (apt virtuoso-opensource)"
        )
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            folder=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows
        )
    )
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    _wait_until_up(url, process)
    load = f"ld_dir('{folder}', '{dump.name}', 'urn:default'); rdf_loader_run(); checkpoint;"
    done = subprocess.run(
        ["isql-vt", str(sql_port), "dba", "dba", f"exec={load}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        process.kill()
        pytest.fail(f"Virtuoso did not load {dump.name}: {done.stdout[-300:]} {done.stderr[-300:]}")
    return url, process


#: Server kind -> a function starting it on a dump in a folder: (query URL, process).
SERVERS: dict[str, Callable[[Path, Path], tuple[str, subprocess.Popen[bytes]]]] = {
    "oxigraph": _start_oxigraph,
    "virtuoso": start_virtuoso,
    # Virtuoso with a row cap below the knowledge base's size, for paging through it.
    "virtuoso-capped": lambda dump, folder: start_virtuoso(dump, folder, max_rows=1000),
}


@pytest.fixture(scope="session")
def sparql_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Start a SPARQL server holding a graph's statements: ``sparql_server(kind, kg)`` -> URL.

    Each (kind, graph) is started once per test session and stopped at its end.
    """
    started: dict[tuple[str, int], str] = {}
    processes: list[subprocess.Popen[bytes]] = []

    def start(kind: str, kg: graph.KnowledgeGraph) -> str:
        key = (kind, id(kg))
        if key not in started:
            import pyoxigraph as ox

            folder = tmp_path_factory.mktemp(kind)
            dump = folder / "data.nq"
            kg.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
            url, process = SERVERS[kind](dump, folder)
            processes.append(process)
            try:
                _wait_until_up(url, process)
            except RuntimeError as err:
                pytest.fail(str(err))
            started[key] = url
        return started[key]

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    shutil.rmtree(tmp_path_factory.getbasetemp() / "unused", ignore_errors=True)
