"""Pools of worker processes: killable, memory-capped, shared fairly between clients.

A :class:`WorkerPool` runs up to ``size`` copies of one worker program (the
query process of :mod:`graph.backends.query_worker`, the guard's of
:mod:`graph.sparql.guard_worker`), each answering one request at a time over a
pipe in frames (:func:`~graph.backends.query_worker.encode_frame`).  The
parent waits for each answer with ``select`` until the deadline; past it the
process is killed (neither Oxigraph nor rdflib's parser can be interrupted
any other way) and a fresh one starts for the next request.  Processes start
as they are needed and stop after :data:`IDLE_SECONDS` unused (an idle pool
keeps one ready).

Callers name themselves (``client``, a session of the app): a client runs one
request at a time; among the others the client that used the processes least
lately goes first (in the order they came when equal); and a client whose
requests lately ran for seconds may not take the last free process.  So one
session's runaway requests hold one process, not the pool, and many sessions'
runaway requests leave a process for a quick query of anyone else's.  A caller that
waits is told its place in the queue (``on_wait``); the wait is bounded.
"""

from __future__ import annotations

import itertools
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
from collections.abc import Hashable
from typing import Any, BinaryIO

from ..errors import GraphError, LimitExceeded, QueryTimeout
from .base import WaitCallback
from .query_worker import encode_frame

__all__ = [
    "FRAME_SLACK",
    "IDLE_SECONDS",
    "POOL_SIZE",
    "STARTUP_TIMEOUT",
    "RanPastDeadline",
    "WorkerDied",
    "WorkerPool",
    "size_text",
]

#: How long a fresh worker may take to open or load its data.
STARTUP_TIMEOUT = 120.0
#: Processes per pool: as many clients' requests run at once; the others wait their turn.
POOL_SIZE = 4
#: A process unused this long is stopped (an idle pool keeps one ready).
IDLE_SECONDS = 60.0
#: Seconds after which the processing time a client used counts half as much.
USAGE_HALF_LIFE = 60.0
#: A client that used this many seconds lately is heavy: it may not take the last
#: :data:`RESERVED` free processes, which stay for the others' queries.
HEAVY_SECONDS = 5.0
RESERVED = 1
#: Bytes a reply may take beyond the data it carries (names, numbers, framing).
FRAME_SLACK = 1024**2
_CRASH_LINE = re.compile(r"memory allocation|panicked|Error")


class RanPastDeadline(QueryTimeout):
    """A request ran past its time limit and its process was stopped (not a wait for one)."""


class WorkerDied(LimitExceeded):
    """A request's process stopped, most likely past its memory cap (``limit``, in bytes)."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class _Expired(Exception):
    """The deadline passed while waiting for the worker."""


class _Died(Exception):
    """The worker's output closed: it exited or was killed by the kernel."""


class _Worker:
    """One worker process, restarted after a timeout or a crash; used by one caller at a time."""

    def __init__(self, command: list[str], memory_limit: int) -> None:
        self.command = command
        self.memory_limit = memory_limit
        self.proc: subprocess.Popen[bytes] | None = None
        self.stderr: BinaryIO | None = None
        self.last_used = time.monotonic()
        #: Whether the running process reaches no network (its own empty namespace).
        self.offline = False

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def ask(self, request: dict[str, Any], timeout: float, max_reply: int) -> dict[str, Any]:
        """Send one request and wait for its answer until ``timeout`` seconds have passed."""
        self._ensure_started()
        try:
            self._write(encode_frame(request))
            return self._read_frame(time.monotonic() + timeout, max_reply)
        except _Expired as err:
            self.kill()
            raise RanPastDeadline(
                f"stopped after {timeout:g} s: the query ran past the time limit; "
                "add a LIMIT, make the patterns more specific or allow more time"
            ) from err
        except _Died as err:
            detail = self._stderr_tail()
            self.kill()
            raise WorkerDied(
                "the query process stopped, most likely past its memory limit of "
                f"{size_text(self.memory_limit)}; make the query more specific"
                + (f" ({detail})" if detail else ""),
                self.memory_limit,
            ) from err
        finally:
            self.last_used = time.monotonic()

    def _ensure_started(self) -> None:
        if self.running:
            return
        self.kill()
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        command = [sys.executable, "-I", *self.command, "--memory", str(self.memory_limit)]
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
            ready = self._read_frame(time.monotonic() + STARTUP_TIMEOUT, FRAME_SLACK)
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

    def _read_frame(self, deadline: float, max_reply: int) -> dict[str, Any]:
        size = int.from_bytes(self._read(4, deadline), "big")
        if size > max_reply:  # the worker cuts results to size: this one is not a reply
            raise _Died
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
        """Stop the process now (a new one starts with the next request)."""
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


class WorkerPool:
    """Up to ``size`` worker processes over the same data, shared fairly between clients.

    Parameters
    ----------
    command : list of str
        The worker program and its arguments, run as ``python -I *command --memory N``.
    memory_limit : int
        Bytes of address space each process may use.
    size : int
        Processes at most; requests beyond them wait their turn.
    scratch : str, optional
        A folder removed when the pool closes (the data dump).
    """

    def __init__(
        self,
        command: list[str],
        *,
        memory_limit: int,
        size: int = POOL_SIZE,
        scratch: str | None = None,
    ) -> None:
        self.command = command
        self.size = max(1, size)
        self.scratch = scratch
        self.memory_limit = memory_limit
        self._idle = [_Worker(command, memory_limit) for _ in range(self.size)]
        self._cond = threading.Condition()
        self._queue: list[tuple[int, Hashable]] = []
        self._busy: dict[Hashable, int] = {}
        self._tickets = itertools.count()
        self._usage: dict[Hashable, tuple[float, float]] = {}
        self._closed = False
        #: Whether the last process that answered reached no network.
        self.offline = False
        _watch(self)

    def ask(
        self,
        request: dict[str, Any],
        *,
        timeout: float,
        client: Hashable | None = None,
        on_wait: WaitCallback | None = None,
        max_reply: int = FRAME_SLACK,
    ) -> dict[str, Any]:
        """Send ``request`` to a free process once one is ours; its answer.

        Waits at most ``timeout`` seconds for a process, then gives the request
        ``timeout`` seconds to answer; a reply longer than ``max_reply`` bytes
        stops the process.  ``on_wait(ahead, size)`` is called while the
        request waits: ``ahead`` requests go first (``-1``: the client's own
        earlier request is still running).

        Raises
        ------
        QueryTimeout
            Every process stayed busy, or the request ran past ``timeout``.
        LimitExceeded
            The process died (most likely past its memory cap).
        """
        anonymous = client is None
        client = object() if client is None else client
        worker = self._acquire(client, time.monotonic() + timeout, on_wait)
        started = time.monotonic()
        try:
            return worker.ask(request, timeout, max_reply)
        finally:
            used = 0.0 if anonymous else time.monotonic() - started
            self._release(worker, client, used)

    def _acquire(self, client: Hashable, deadline: float, on_wait: WaitCallback | None) -> _Worker:
        with self._cond:
            if self._closed:
                raise QueryTimeout("the query processes were stopped; run the query again")
            ticket = (next(self._tickets), client)
            self._queue.append(ticket)
            told = -1
            try:
                while True:
                    ahead = self._ahead(ticket)
                    heavy = self._used(client, time.monotonic()) >= HEAVY_SECONDS
                    kept = RESERVED if heavy and self.size > RESERVED else 0
                    if ahead == 0 and len(self._idle) > kept:
                        self._busy[client] = self._busy.get(client, 0) + 1
                        # a process already running answers sooner than one to start
                        self._idle.sort(key=lambda w: w.running)
                        return self._idle.pop()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise QueryTimeout(
                            f"all {self.size} query processes stayed busy with other queries "
                            "for the whole time limit; try again shortly"
                        )
                    if on_wait is not None and ahead != told:
                        told = ahead
                        on_wait(ahead, self.size)
                    self._cond.wait(min(remaining, 1.0))
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()

    def _ahead(self, ticket: tuple[int, Hashable]) -> int:
        """How many requests are served before ``ticket``; -1 while its client is busy.

        Among clients with no request running, the one that used the processes
        least lately goes first (then the one that asked first): a session
        whose queries ran to their time limit waits behind one that asks now.
        """
        if self._busy.get(ticket[1]):
            return -1  # one request per client at a time: its own earlier one goes first
        now = time.monotonic()
        mine = (self._used(ticket[1], now), ticket[0])
        return sum(
            1
            for other in self._queue
            if other is not ticket
            and not self._busy.get(other[1])
            and (self._used(other[1], now), other[0]) < mine
        )

    def _used(self, client: Hashable, now: float) -> float:
        """Seconds of processing ``client`` used, each halved every :data:`USAGE_HALF_LIFE`."""
        seconds, when = self._usage.get(client, (0.0, now))
        return seconds * 0.5 ** ((now - when) / USAGE_HALF_LIFE)

    def _release(self, worker: _Worker, client: Hashable, used: float = 0.0) -> None:
        with self._cond:
            if used > 0:
                now = time.monotonic()
                self._usage[client] = (self._used(client, now) + used, now)
            self._busy[client] -= 1
            if not self._busy[client]:
                del self._busy[client]
            self.offline = worker.offline
            if self._closed:
                worker.kill()
            self._idle.append(worker)
            self._cond.notify_all()

    def stop_idle(self, older_than: float = IDLE_SECONDS) -> None:
        """Stop the processes unused for ``older_than`` seconds; an idle pool keeps one ready."""
        with self._cond:
            now = time.monotonic()
            for client in [c for c in self._usage if self._used(c, now) < 0.01]:
                del self._usage[client]  # sessions long gone
            idle = sorted((w for w in self._idle if w.running), key=lambda w: w.last_used)
            if len(self._idle) == self.size and idle:
                idle.pop()  # the most recently used stays ready for the next query
            for worker in idle:
                if time.monotonic() - worker.last_used > older_than:
                    worker.kill()

    def pids(self) -> list[int]:
        """The process ids of the pool's idle running processes."""
        with self._cond:
            return [w.proc.pid for w in self._idle if w.proc is not None and w.running]

    def set_memory_limit(self, memory_limit: int) -> None:
        """Give processes started from now on another memory cap (idle ones restart)."""
        with self._cond:
            if memory_limit == self.memory_limit:
                return
            self.memory_limit = memory_limit
            for worker in self._idle:
                worker.kill()
                worker.memory_limit = memory_limit

    def close(self) -> None:
        """Stop the idle processes and remove the data dump (busy ones stop when they return)."""
        with self._cond:
            self._closed = True
            for worker in self._idle:
                worker.kill()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


def size_text(n: int) -> str:
    """``n`` bytes in words.

    >>> size_text(2 * 1024**3), size_text(300 * 1024**2)
    ('2 GB', '300 MB')
    """
    return f"{n / 1024**3:.3g} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    # glibc reserves address space per thread arena; few arenas keep RLIMIT_AS for the data
    env.setdefault("MALLOC_ARENA_MAX", "2")
    # the guard imports numpy (through the package): one thread, little address space
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    env["RUST_BACKTRACE"] = "0"
    return env


_ALL: weakref.WeakSet[WorkerPool] = weakref.WeakSet()
_REAPER: list[threading.Thread] = []
_REAPER_LOCK = threading.Lock()


def _watch(pool: WorkerPool) -> None:
    """Have idle processes of ``pool`` stopped in the background."""
    _ALL.add(pool)
    with _REAPER_LOCK:
        if not _REAPER:
            thread = threading.Thread(target=_reap, name="query-pool-reaper", daemon=True)
            _REAPER.append(thread)
            thread.start()


def _reap() -> None:
    while True:
        time.sleep(IDLE_SECONDS / 4)
        for pool in list(_ALL):
            pool.stop_idle()
