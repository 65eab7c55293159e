"""The query processes of a local graph: its data in a small pool of killable processes.

A user's query (checked first by the guard, see :mod:`graph.sparql.isolated`)
runs in a process of its graph's pool (:class:`~graph.backends.processes.WorkerPool`)
that holds the same data: the on-disk store opened read-only, or a one-off
N-Quads dump of the in-memory store.  The process
(:mod:`graph.backends.query_worker`) reaches no network, caps its own address
space, runs at a lower priority than the explorer, cuts its result to a number
of rows and of bytes, and is killed at the deadline.  A pool goes when its
backend is garbage collected and at interpreter exit.

The explorer's other work that can run away (path search, question reading,
text analysis: :mod:`graph.query.isolated`) runs in a second pool of the same
processes over the same data (``purpose="tasks"``): a query killed at its
deadline then costs no process the view of the data that work builds, and
runaway queries and runaway searches each wait for their own processes.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import BadInput, QuerySyntaxError
from ..terms import Lit, Term
from ..vocab.namespaces import PREFIXES
from .base import QueryLimits, RawResult
from .processes import WorkerPool
from .query_worker import DEFAULT_MAX_BYTES
from .worker_process import FRAME_SLACK, size_text

if TYPE_CHECKING:
    from .local import LocalBackend

__all__ = [
    "DEFAULT_MAX_BYTES",
    "pool_for",
    "result_from_reply",
    "run_in_worker",
    "stop_all",
    "stop_worker",
]

#: Run by path in isolated mode (-I): it imports pyoxigraph only, and nothing from the
#: environment or the working directory lands on its sys.path.
_WORKER_SCRIPT = Path(__file__).resolve().parent / "query_worker.py"
_POOLS: dict[tuple[int, str], WorkerPool] = {}
#: How each backend's processes reach its data, and the folder of its dump (removed with it).
_DATA: dict[int, tuple[list[str], str | None]] = {}
_POOLS_LOCK = threading.Lock()
_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


def run_in_worker(backend: LocalBackend, text: str, limits: QueryLimits) -> RawResult:
    """Run ``text`` in a query process of ``backend`` and decode its answer."""
    pool = pool_for(backend, limits.memory)
    request: dict[str, Any] = {
        "query": text,
        "prefixes": PREFIXES,
        "max_rows": limits.max_rows,
        "max_bytes": limits.max_bytes,
    }
    if limits.graphs is not None:
        request["graphs"] = list(limits.graphs)
    reply = pool.ask(
        request,
        timeout=limits.timeout,
        client=limits.client,
        on_wait=limits.on_wait,
        max_reply=limits.max_bytes + FRAME_SLACK,
    )
    return result_from_reply(reply, max_bytes=limits.max_bytes)


def pool_for(backend: LocalBackend, memory_limit: int, *, purpose: str = "queries") -> WorkerPool:
    """The processes of ``backend`` for ``purpose``, created (its data dumped once) on first use.

    ``purpose`` is ``"queries"`` (users' SPARQL) or ``"tasks"`` (the
    explorer's own work, :mod:`graph.query.isolated`): each has processes of
    its own over the same data.
    """
    key = id(backend)
    with _POOLS_LOCK:
        pool = _POOLS.get((key, purpose))
        if pool is None:
            if key not in _DATA:
                _DATA[key] = _data_args(backend)
                weakref.finalize(backend, _discard, key)
            command = [str(_WORKER_SCRIPT), *_DATA[key][0]]
            pool = WorkerPool(command, memory_limit=memory_limit)
            _POOLS[(key, purpose)] = pool
    pool.set_memory_limit(memory_limit)
    return pool


def _data_args(backend: LocalBackend) -> tuple[list[str], str | None]:
    """How the workers reach the data: the store directory, or a one-off N-Quads dump."""
    if backend.location is not None:
        return ["--store", str(backend.location)], None
    scratch = tempfile.mkdtemp(prefix="mlcareer-sparql-")
    dump = os.path.join(scratch, "data.nq")
    backend.store.dump(dump, format=ox.RdfFormat.N_QUADS)
    return ["--nquads", dump], scratch


def result_from_reply(reply: dict[str, Any], *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawResult:
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
    cut = reply.get("cut")
    notes = []
    if cut == "bytes":
        unit = "rows" if reply["kind"] == "solutions" else "triples"
        kept = len(reply.get("rows") or reply.get("triples") or [])
        notes.append(
            f"showing the first {kept:,} {unit}: the result is larger than {size_text(max_bytes)}"
            " (select fewer or shorter values)"
        )
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
        return RawResult(
            "select", variables=variables, rows=rows, truncated=cut is not None, notes=notes
        )
    triples = [tuple(_decode(t) for t in triple) for triple in reply["triples"]]
    return RawResult("graph", triples=triples, truncated=cut is not None, notes=notes)  # type: ignore[arg-type]


def _decode(value: list[Any]) -> Term:
    kind = value[0]
    if kind == "u":
        return value[1]
    if kind == "b":
        return "_:" + value[1]
    return Lit(value[1], value[2], value[3])


def _discard(key: int) -> None:
    with _POOLS_LOCK:
        pools = [_POOLS.pop(k) for k in list(_POOLS) if k[0] == key]
        data = _DATA.pop(key, None)
    for pool in pools:
        pool.close()
    if data is not None and data[1] is not None:
        shutil.rmtree(data[1], ignore_errors=True)


def stop_worker(backend: LocalBackend) -> None:
    """Stop the query processes of ``backend`` (the next query starts new ones)."""
    _discard(id(backend))


def stop_all() -> None:
    """Stop the query processes of every graph of this interpreter."""
    for key in {k for k, _ in list(_POOLS)} | set(_DATA):
        _discard(key)


atexit.register(stop_all)
