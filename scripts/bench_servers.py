"""SPARQL servers the benchmark reads views through, each started on loopback with the data.

``SERVERS[kind](data, folder)`` loads the N-Quads file ``data`` into a fresh
server under ``folder`` and returns (query URL, a function stopping it), or
``None`` when that server is not installed.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

__all__ = ["SERVERS"]

Started = tuple[str, Callable[[], None]] | None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 300) -> None:
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited")
        try:
            request = urllib.request.Request(
                f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(request, timeout=5) as reply:
                json.loads(reply.read())
                return
        except (OSError, ValueError):
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not start")


def _stopper(process: subprocess.Popen[bytes]) -> Callable[[], None]:
    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    return stop


def oxigraph(data: Path, folder: Path) -> Started:
    """``oxigraph serve`` (the server of the pyoxigraph wheel's project, from the venv)."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(binary), "load", "--location", str(folder / "db"), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    _wait(url, process)
    return url, _stopper(process)


def virtuoso(data: Path, folder: Path) -> Started:
    """Virtuoso 7 (Debian's ``virtuoso-opensource``), started as the test suite starts it."""
    if shutil.which("virtuoso-t") is None:
        return None
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from tests.conftest import start_virtuoso

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(data, folder / "data.nq")  # the loader reads files from its own folder only
    url, process = start_virtuoso(folder / "data.nq", folder, max_rows=100_000)
    return url, _stopper(process)


SERVERS: dict[str, Callable[[Path, Path], Started]] = {"oxigraph": oxigraph, "virtuoso": virtuoso}
