"""Shared fixtures: each graph is loaded once per test session."""

from __future__ import annotations

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
