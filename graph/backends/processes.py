"""Pools of worker processes: killable, memory-capped, shared fairly between clients.

A :class:`WorkerPool` runs up to ``size`` copies of one worker program (the
query process of :mod:`graph.backends.query_worker`, the guard's of
:mod:`graph.sparql.guard_worker`), each a
:class:`~graph.backends.worker_process.WorkerProcess` answering one request at
a time and killed at its deadline.  Processes start
as they are needed and stop after :data:`IDLE_SECONDS` unused (an idle pool
keeps one ready).

Callers name themselves (``client``, a session of the app): a client runs one
request at a time; among the others the client that used the processes least
lately goes first (in the order they came when equal); and a client whose
requests lately ran for seconds, or one of them to its limit, may not take
the last free process.  So one
session's runaway requests hold one process, not the pool, and many sessions'
runaway requests leave a process for a quick query of anyone else's.  A caller that
waits is told its place in the queue (``on_wait``); the wait is bounded.

A pool cannot tell a runaway request from a quick one before it runs, so
sessions that nobody has seen yet can fill every process with runaway work at
once.  When a client that has used little waits at the head of the queue and
every process has been busy for :data:`PREEMPT_SECONDS` or more, the request
that has run longest is stopped (:class:`Preempted`, a message to its caller)
and its process serves the waiting request: a quick query waits seconds, not
the whole time limit of the runaway ones.
"""

from __future__ import annotations

import itertools
import shutil
import threading
import time
import weakref
from collections.abc import Hashable
from typing import Any

from ..errors import QueryTimeout
from .base import WaitCallback
from .worker_process import FRAME_SLACK, Preempted, RanPastDeadline, WorkerProcess

__all__ = [
    "IDLE_SECONDS",
    "POOL_SIZE",
    "PREEMPT_SECONDS",
    "Preempted",
    "RanPastDeadline",
    "WorkerPool",
]

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
#: A client whose request was stopped unfinished this many seconds ago is still heavy.
STOPPED_MEMORY = 300.0
#: A request that has run this long may be stopped for a light client's waiting one
#: when every process is busy.
PREEMPT_SECONDS = 2.0


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
    preempt_after : float
        Seconds a request runs before a light client's waiting request may stop it.
    """

    def __init__(
        self,
        command: list[str],
        *,
        memory_limit: int,
        size: int = POOL_SIZE,
        scratch: str | None = None,
        preempt_after: float = PREEMPT_SECONDS,
    ) -> None:
        self.command = command
        self.preempt_after = preempt_after
        self.size = max(1, size)
        self.scratch = scratch
        self.memory_limit = memory_limit
        self._idle = [WorkerProcess(command, memory_limit) for _ in range(self.size)]
        self._cond = threading.Condition()
        self._queue: list[tuple[int, Hashable]] = []
        self._busy: dict[Hashable, int] = {}
        self._tickets = itertools.count()
        self._usage: dict[Hashable, tuple[float, float]] = {}
        #: The busy workers: whose request each runs, and since when.
        self._running: dict[WorkerProcess, tuple[Hashable, float]] = {}
        #: When each client last had a request stopped at its limit or for another's.
        self._stopped: dict[Hashable, float] = {}
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
        stopped = False
        try:
            return worker.ask(request, timeout, max_reply)
        except (RanPastDeadline, Preempted):
            stopped = True
            raise
        finally:
            used = 0.0 if anonymous else time.monotonic() - started
            if stopped and not anonymous:  # unfinished work counts as all the time it asked for
                used = max(used, timeout)
            self._release(worker, client, used, stopped=stopped and not anonymous)

    def _acquire(
        self, client: Hashable, deadline: float, on_wait: WaitCallback | None
    ) -> WorkerProcess:
        with self._cond:
            if self._closed:
                raise QueryTimeout("the query processes were stopped; run the query again")
            ticket = (next(self._tickets), client)
            self._queue.append(ticket)
            told = -1
            try:
                while True:
                    ahead = self._ahead(ticket)
                    heavy = self._heavy(client, time.monotonic())
                    kept = RESERVED if heavy and self.size > RESERVED else 0
                    if ahead == 0 and len(self._idle) > kept:
                        self._busy[client] = self._busy.get(client, 0) + 1
                        # a process already running answers sooner than one to start
                        self._idle.sort(key=lambda w: w.running)
                        worker = self._idle.pop()
                        self._running[worker] = (client, time.monotonic())
                        return worker
                    if ahead == 0 and not heavy and not self._idle:
                        self._preempt_for(client)
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

    def _preempt_for(self, client: Hashable) -> None:
        """Stop the longest request of another client if it ran :attr:`preempt_after` seconds.

        One at a time: the stopped worker comes back through :meth:`_release`,
        which wakes the waiting requests.
        """
        if any(worker.preempted for worker in self._running):
            return  # one at a time: that one's process comes back first
        now = time.monotonic()
        longest = min(
            (
                (started, worker)
                for worker, (owner, started) in self._running.items()
                if owner != client and now - started >= self.preempt_after
            ),
            default=None,
            key=lambda pair: pair[0],
        )
        if longest is not None:
            longest[1].preempt()

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

    def _heavy(self, client: Hashable, now: float) -> bool:
        """Whether ``client`` used seconds lately, or had a request stopped unfinished."""
        stopped = self._stopped.get(client)
        if stopped is not None and now - stopped < STOPPED_MEMORY:
            return True
        return self._used(client, now) >= HEAVY_SECONDS

    def _used(self, client: Hashable, now: float) -> float:
        """Seconds of processing ``client`` used, each halved every :data:`USAGE_HALF_LIFE`."""
        seconds, when = self._usage.get(client, (0.0, now))
        return seconds * 0.5 ** ((now - when) / USAGE_HALF_LIFE)

    def _release(
        self, worker: WorkerProcess, client: Hashable, used: float = 0.0, *, stopped: bool = False
    ) -> None:
        with self._cond:
            now = time.monotonic()
            if used > 0:
                self._usage[client] = (self._used(client, now) + used, now)
            if stopped:
                self._stopped[client] = now
            self._running.pop(worker, None)
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
            for client in [c for c, t in self._stopped.items() if now - t > STOPPED_MEMORY]:
                del self._stopped[client]
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
