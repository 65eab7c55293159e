"""The query processes behind the SPARQL console: one per graph, killed at the deadline.

Each local backend gets a long-lived child process
(:mod:`graph.backends.query_worker`) holding the same data: the on-disk store opened
read-only, or a one-off N-Quads dump of the in-memory store.  It starts with
the first query, caps its own address space, and answers one query at a time
over a pipe.  The parent waits for each answer with ``select`` until the
deadline; past it, the process is killed (Oxigraph cannot be interrupted any
other way) and the next query starts a fresh one.  A process goes when its
backend is garbage collected and at interpreter exit.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

from ..errors import BadInput, GraphError, LimitExceeded, QuerySyntaxError, QueryTimeout
from ..terms import Lit, Term
from ..vocab.namespaces import PREFIXES
from .base import QueryLimits, RawResult
from .query_worker import encode_frame

if TYPE_CHECKING:
    from .local import LocalBackend

__all__ = ["STARTUP_TIMEOUT", "run_in_worker", "stop_all", "stop_worker", "worker_for"]

#: How long a fresh worker may take to open or load the data.
STARTUP_TIMEOUT = 120.0
_CRASH_LINE = re.compile(r"memory allocation|panicked|Error")


class _Expired(Exception):
    """The deadline passed while waiting for the worker."""


class _Died(Exception):
    """The worker's output closed: it exited or was killed by the kernel."""


class _Worker:
    """One query process over one graph's data, restarted after a timeout or a crash."""

    def __init__(self, args: list[str], scratch: str | None, memory_limit: int) -> None:
        self.args = args
        self.scratch = scratch
        self.memory_limit = memory_limit
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.stderr: BinaryIO | None = None
        #: Whether the running process reaches no network (its own empty namespace).
        self.offline = False

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait for its answer until ``timeout`` seconds have passed."""
        if not self.lock.acquire(timeout=timeout):
            raise QueryTimeout(
                f"another query has been running for over {timeout:g} s; try again shortly"
            )
        try:
            self._ensure_started()
            try:
                self._write(encode_frame(request))
                return self._read_frame(time.monotonic() + timeout)
            except _Expired as err:
                self.kill()
                raise QueryTimeout(
                    f"stopped after {timeout:g} s: the query ran past the time limit; "
                    "add a LIMIT, make the patterns more specific or allow more time"
                ) from err
            except _Died as err:
                detail = self._stderr_tail()
                self.kill()
                raise LimitExceeded(
                    "the query process stopped, most likely past its memory limit of "
                    f"{_size(self.memory_limit)}; make the query more specific"
                    + (f" ({detail})" if detail else "")
                ) from err
        finally:
            self.lock.release()

    def _ensure_started(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        self.kill()
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        command = [
            sys.executable,
            "-I",
            str(_WORKER_SCRIPT),
            "--memory",
            str(self.memory_limit),
            *self.args,
        ]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            bufsize=0,
            env=_worker_env(),
            start_new_session=True,
        )
        try:
            ready = self._read_frame(time.monotonic() + STARTUP_TIMEOUT)
        except (_Expired, _Died) as err:
            detail = self._stderr_tail()
            self.kill()
            raise GraphError(f"the query process could not start: {detail or err}") from err
        if not ready.get("ready"):
            self.kill()
            raise GraphError(f"the query process could not open the data: {ready.get('message')}")
        self.offline = bool(ready.get("offline"))

    def _write(self, data: bytes) -> None:
        fd = self.proc.stdin.fileno()  # type: ignore[union-attr]
        try:
            while data:
                data = data[os.write(fd, data) :]
        except (BrokenPipeError, OSError) as err:
            raise _Died from err

    def _read_frame(self, deadline: float) -> dict[str, Any]:
        size = int.from_bytes(self._read(4, deadline), "big")
        return json.loads(self._read(size, deadline).decode("utf-8"))

    def _read(self, size: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        chunks: list[bytes] = []
        missing = size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Expired
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, min(missing, 1 << 20))
            if not chunk:
                raise _Died
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _stderr_tail(self) -> str:
        if self.stderr is None:
            return ""
        try:
            self.stderr.seek(0)
            lines = self.stderr.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            return ""
        useful = [line for line in lines if _CRASH_LINE.search(line)] or lines
        return useful[-1][:200] if useful else ""

    def kill(self) -> None:
        """Stop the process now (a new one starts with the next query)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    pipe.close()
            proc.wait()
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    def close(self) -> None:
        """Stop the process and remove the data dump."""
        self.kill()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


def _size(n: int) -> str:
    """``n`` bytes in words.

    >>> _size(2 * 1024**3), _size(300 * 1024**2)
    ('2 GB', '300 MB')
    """
    return f"{n / 1024**3:.3g} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    # glibc reserves address space per thread arena; few arenas keep RLIMIT_AS for the data
    env.setdefault("MALLOC_ARENA_MAX", "2")
    env["RUST_BACKTRACE"] = "0"
    return env


#: Run by path in isolated mode (-I): the worker needs pyoxigraph only, not this package,
#: and nothing from the environment or the working directory lands on its sys.path.
_WORKER_SCRIPT = Path(__file__).resolve().parent / "query_worker.py"
_WORKERS: dict[int, _Worker] = {}
_WORKERS_LOCK = threading.Lock()
_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


def run_in_worker(backend: LocalBackend, text: str, limits: QueryLimits) -> RawResult:
    """Run ``text`` in the query process of ``backend`` and decode its answer."""
    worker = worker_for(backend, limits.memory)
    request: dict[str, Any] = {"query": text, "prefixes": PREFIXES, "max_rows": limits.max_rows}
    if limits.graphs is not None:
        request["graphs"] = list(limits.graphs)
    return result_from_reply(worker.ask(request, limits.timeout))


def worker_for(backend: LocalBackend, memory_limit: int) -> _Worker:
    """The query process of ``backend``, created (and its data dumped) on first use."""
    key = id(backend)
    with _WORKERS_LOCK:
        worker = _WORKERS.get(key)
        if worker is None:
            worker = _Worker(*_data_args(backend), memory_limit)
            _WORKERS[key] = worker
            weakref.finalize(backend, _discard, key)
    if worker.memory_limit != memory_limit:
        with worker.lock:
            worker.kill()
            worker.memory_limit = memory_limit
    return worker


def _data_args(backend: LocalBackend) -> tuple[list[str], str | None]:
    """How the worker reaches the data: the store directory, or a one-off N-Quads dump."""
    if backend.location is not None:
        return ["--store", str(backend.location)], None
    scratch = tempfile.mkdtemp(prefix="mlcareer-sparql-")
    dump = os.path.join(scratch, "data.nq")
    backend.store.dump(dump, format=ox.RdfFormat.N_QUADS)
    return ["--nquads", dump], scratch


def result_from_reply(reply: dict[str, Any]) -> RawResult:
    """A worker's answer as a :class:`~graph.backends.base.RawResult` (or its error raised)."""
    if reply.get("error") == "syntax":
        message = reply.get("message", "")
        match = _OX_POSITION.match(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            raise QuerySyntaxError(message[match.end() :], line, column)
        raise QuerySyntaxError(message)
    if "error" in reply:
        raise BadInput(f"the query failed: {reply.get('message', 'unknown error')}")
    truncated = bool(reply.get("truncated"))
    if reply["kind"] == "boolean":
        return RawResult("ask", boolean=bool(reply["boolean"]))
    if reply["kind"] == "solutions":
        variables = list(reply["variables"])
        rows = [
            {
                name: _decode(value)
                for name, value in zip(variables, row, strict=True)
                if value is not None
            }
            for row in reply["rows"]
        ]
        return RawResult("select", variables=variables, rows=rows, truncated=truncated)
    triples = [tuple(_decode(t) for t in triple) for triple in reply["triples"]]
    return RawResult("graph", triples=triples, truncated=truncated)  # type: ignore[arg-type]


def _decode(value: list[Any]) -> Term:
    kind = value[0]
    if kind == "u":
        return value[1]
    if kind == "b":
        return "_:" + value[1]
    return Lit(value[1], value[2], value[3])


def _discard(key: int) -> None:
    with _WORKERS_LOCK:
        worker = _WORKERS.pop(key, None)
    if worker is not None:
        worker.close()


def stop_worker(backend: LocalBackend) -> None:
    """Stop the query process of ``backend`` (the next query starts a new one)."""
    _discard(id(backend))


def stop_all() -> None:
    """Stop every query process of this interpreter."""
    for key in list(_WORKERS):
        _discard(key)


atexit.register(stop_all)
