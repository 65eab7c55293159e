"""One worker process: a request at a time over a pipe, killed at its deadline.

:class:`WorkerProcess` starts ``python -I *command --memory N``, waits for it
to say it is ready, sends each request as a frame
(:func:`~graph.backends.query_worker.encode_frame`) and reads the answer with
``select`` until the deadline; past it the process is killed (neither
Oxigraph nor rdflib's parser can be interrupted any other way) and a fresh one
starts with the next request.  The pools of :mod:`graph.backends.processes`
share these between clients.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from typing import Any, BinaryIO

from ..errors import GraphError, LimitExceeded, QueryTimeout
from .query_worker import encode_frame

__all__ = [
    "FRAME_SLACK",
    "STARTUP_TIMEOUT",
    "Preempted",
    "RanPastDeadline",
    "WorkerDied",
    "WorkerProcess",
    "size_text",
]

#: How long a fresh worker may take to open or load its data.
STARTUP_TIMEOUT = 120.0
#: Bytes a reply may take beyond the data it carries (names, numbers, framing).
FRAME_SLACK = 1024**2
_CRASH_LINE = re.compile(r"memory allocation|panicked|Error")


class RanPastDeadline(QueryTimeout):
    """A request ran past its time limit and its process was stopped (not a wait for one)."""


class Preempted(QueryTimeout):
    """A request was stopped after running a while so that another client's could run."""


class WorkerDied(LimitExceeded):
    """A request's process stopped, most likely past its memory cap (``limit``, in bytes)."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class _Expired(Exception):
    """The deadline passed while waiting for the worker."""


class _Died(Exception):
    """The worker's output closed: it exited or was killed by the kernel."""


class WorkerProcess:
    """One worker process, restarted after a timeout or a crash; used by one caller at a time."""

    def __init__(self, command: list[str], memory_limit: int) -> None:
        self.command = command
        self.memory_limit = memory_limit
        self.proc: subprocess.Popen[bytes] | None = None
        self.stderr: BinaryIO | None = None
        self.last_used = time.monotonic()
        #: Whether the running process reaches no network (its own empty namespace).
        self.offline = False
        #: Set when the pool stops this worker's request for another client's.
        self.preempted = False

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def ask(self, request: dict[str, Any], timeout: float, max_reply: int) -> dict[str, Any]:
        """Send one request and wait for its answer until ``timeout`` seconds have passed."""
        self.preempted = False  # a stop meant for the request before this one
        started = time.monotonic()
        try:
            self._ensure_started()
            self._write(encode_frame(request))
            return self._read_frame(started + timeout, max_reply)
        except _Died as err:
            if not self.preempted:
                raise self._died() from err
            raise self._preempted(started) from err
        except _Expired as err:
            self.kill()
            raise RanPastDeadline(
                f"stopped after {timeout:g} s: the query ran past the time limit; "
                "add a LIMIT, make the patterns more specific or allow more time"
            ) from err
        finally:
            self.preempted = False
            self.last_used = time.monotonic()

    def _preempted(self, started: float) -> Preempted:
        self.kill()
        return Preempted(
            f"stopped after {time.monotonic() - started:.0f} s to let another session's "
            "query run: every query process was busy with long queries; "
            "make this one more specific, or run it again when the others are done"
        )

    def _died(self) -> WorkerDied:
        detail = self._stderr_tail()
        self.kill()
        return WorkerDied(
            "the query process stopped, most likely past its memory limit of "
            f"{size_text(self.memory_limit)}; make the query more specific"
            + (f" ({detail})" if detail else ""),
            self.memory_limit,
        )

    def preempt(self) -> None:
        """Stop the running request from another thread; its caller gets :class:`Preempted`."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            self.preempted = True
            proc.kill()  # the caller's read ends; it closes the pipes and waits

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
            env=worker_env(),
            start_new_session=True,
        )
        try:
            ready = self._read_frame(time.monotonic() + STARTUP_TIMEOUT, FRAME_SLACK)
        except (_Expired, _Died) as err:
            if self.preempted:  # stopped while it started: the pool's doing, not a fault
                raise self._preempted(time.monotonic()) from err
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


def size_text(n: int) -> str:
    """``n`` bytes in words.

    >>> size_text(2 * 1024**3), size_text(300 * 1024**2)
    ('2 GB', '300 MB')
    """
    return f"{n / 1024**3:.3g} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    # glibc reserves address space per thread arena; few arenas keep RLIMIT_AS for the data
    env.setdefault("MALLOC_ARENA_MAX", "2")
    # the guard imports numpy (through the package): one thread, little address space
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    env["RUST_BACKTRACE"] = "0"
    return env
