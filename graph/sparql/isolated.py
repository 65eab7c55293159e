"""The guard run in child processes: what the console calls before running a user's query.

:func:`check_isolated` sends the text to a process of the *guard pool*
(:mod:`graph.sparql.guard_worker` in a :class:`~graph.backends.processes.WorkerPool`),
which holds no data, reaches no network and is killed at the deadline.  The
caller's process never runs rdflib's parser on a user's text: a few
kilobytes could keep it busy for minutes (a collection of 2,000 items took
64 s to translate), freeze every thread behind the interpreter lock, or, as
rdflib's parser is not safe across threads, fail when two sessions check
queries at once.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Hashable
from pathlib import Path

from ..backends.base import WaitCallback
from ..backends.processes import POOL_SIZE, WorkerPool
from ..backends.worker_process import FRAME_SLACK
from ..errors import BadInput, LimitExceeded, QuerySyntaxError, UnsafeQuery

__all__ = ["GUARD_MEMORY", "check_isolated", "guard_pool", "new_guard_pool", "stop_guard"]

#: Bytes of address space each of the guard's processes may use.
GUARD_MEMORY = 1024**3
_SCRIPT = Path(__file__).resolve().parent / "guard_worker.py"
_POOL: list[WorkerPool] = []
_LOCK = threading.Lock()


def check_isolated(
    text: str,
    *,
    timeout: float,
    client: Hashable | None = None,
    on_wait: WaitCallback | None = None,
) -> str:
    """Run :func:`~graph.sparql.guard.check_query` on ``text`` in a guard process.

    Returns the query form; raises what the guard raises, and
    :class:`~graph.errors.QueryTimeout` when reading the query takes longer
    than ``timeout`` seconds (the process is then stopped) or every guard
    process stays busy that long.
    """
    reply = guard_pool().ask(
        {"check": text}, timeout=timeout, client=client, on_wait=on_wait, max_reply=FRAME_SLACK
    )
    if "form" in reply:
        return str(reply["form"])
    kind, message = reply.get("error"), str(reply.get("message", ""))
    if kind == "syntax":
        raise QuerySyntaxError(message, reply.get("line"), reply.get("column"))
    if kind == "UnsafeQuery":
        raise UnsafeQuery(message)
    if kind == "memory":
        raise LimitExceeded(message)
    raise BadInput(message)


def new_guard_pool(size: int = POOL_SIZE) -> WorkerPool:
    """A pool of ``size`` guard processes (the shared one is :func:`guard_pool`)."""
    return WorkerPool([str(_SCRIPT)], memory_limit=GUARD_MEMORY, size=size)


def guard_pool() -> WorkerPool:
    """The guard processes shared by every graph of this interpreter."""
    with _LOCK:
        if not _POOL:
            _POOL.append(new_guard_pool())
        return _POOL[0]


def stop_guard() -> None:
    """Stop the guard processes (new ones start with the next check)."""
    with _LOCK:
        pools, _POOL[:] = list(_POOL), []
    for pool in pools:
        pool.close()


atexit.register(stop_guard)
