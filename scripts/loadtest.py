"""Load test: many sessions against a local app, half of them sending runaway work.

Starts ``streamlit run streamlit_app.py`` on a free loopback port (or uses
``--url``).  Each session is a websocket client speaking Streamlit's own
protocol, as a browser tab does, and opens pages the way a link does (the
address's query string sent to its session); a page's time runs from the
request to the end of the script run.  Three phases:

1. *alone*: one quiet session opens its pages with nothing else running;
2. *load*: ``--sessions`` sessions for ``--duration`` seconds, half of them
   "runaway" (a SPARQL query that never ends in time, path questions with
   large limits, 7 or 8 hops and 8 to 10 paths varied so that none is one
   the session asked lately; each sent again as soon as it ends), the others
   "quiet" (Explore pages around a node, and every fourth page a quick
   query of their own, read for ``--think`` seconds on average: each
   reading time is drawn from an exponential distribution, so that quiet
   pages do not all arrive together; ``--lockstep`` sends them together);
3. *after*: the app is left alone for ``--settle`` seconds, then the quiet
   pages are timed again.

It prints each kind's page time (median, 95th percentile), how long the
app's health check took in each phase (a frozen server shows there), the app's memory
over time (the Streamlit process alone, and with its child processes), and
every error a quiet session was shown (there should be none: a runaway
session's error is its own).

Usage::

    python scripts/loadtest.py --sessions 16 --duration 60
    python scripts/loadtest.py --url http://127.0.0.1:8501 --sessions 4 --duration 20

Figures, not assertions: the targets (a quiet page under load within twice
its time alone, the app's memory back within 20% of its start) are printed
as ratios beside the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import psutil
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/mlcareer/id/"
QUIET_FOCI = ["Python", "DataScientist", "MachineLearningEngineer", "LinearAlgebra", "PyTorch"]
RUNAWAY_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }} # run {n}"
)
RUNAWAY_PATHS = [
    {"q": "skills linking " + "Python and data " * 400 + "to core ML engineer"},
    {"from": "GDPR", "to": "PyTorch"},
    {"q": "how is linear algebra related to the deep learning engineer role"},
]
#: Pages opened once before the figures: what a first use loads is not a cost of the load.
WARM_UP = [
    {"page": "Explore", "focus": ID + "Python", "hops": "2"},
    {"page": "SPARQL", "query": "ASK { ?s ?p ?o }"},
    {"page": "Paths", "q": "path from Python to data scientist"},
    {"page": "Overview"},
]
#: The longest a client waits for one page before counting it as failed.
PAGE_CAP = 180.0


@dataclass
class Sample:
    kind: str
    seconds: float
    finished: bool
    errors: list[str] = field(default_factory=list)


class Session:
    """One browser session: a websocket kept open, each page opened as a link would be.

    Every :meth:`open` sends the address's query string to the same Streamlit
    session (as a browser does when the address changes) and times the run
    until the script ends.
    """

    def __init__(self, base: str, *, cap: float = PAGE_CAP) -> None:
        self.url = f"ws://{urlsplit(base).netloc}/_stcore/stream"
        self.cap = cap
        self.ws: Any = None

    def open(self, params: dict[str, str]) -> Sample:
        started = time.perf_counter()
        errors: list[str] = []
        finished = False
        msg = BackMsg()
        msg.rerun_script.query_string = urlencode(params)
        msg.rerun_script.page_script_hash = ""
        try:
            if self.ws is None:
                self.ws = connect(
                    self.url, subprotocols=["streamlit"], open_timeout=self.cap, max_size=None
                )
            self.ws.send(msg.SerializeToString())
            deadline = started + self.cap
            while (left := deadline - time.perf_counter()) > 0:
                try:
                    data = self.ws.recv(timeout=left)
                except TimeoutError:
                    break
                forward = ForwardMsg()
                forward.ParseFromString(data)
                errors += _errors_in(forward)
                if forward.WhichOneof("type") == "script_finished":
                    finished = forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
                    if finished:
                        break
            if not finished:
                self.close()  # a page cut short leaves its run going: start afresh
        except Exception as err:  # a websocket closed by the server under load is a figure too
            errors.append(f"connection: {type(err).__name__}: {err}")
            self.close()
        return Sample("", time.perf_counter() - started, finished, errors)

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.ws.close()
            self.ws = None


def open_page(base: str, params: dict[str, str], *, cap: float = PAGE_CAP) -> Sample:
    """Open one page in a new session; time it until the script run ends."""
    session = Session(base, cap=cap)
    try:
        return session.open(params)
    finally:
        session.close()


def _errors_in(forward: ForwardMsg) -> list[str]:
    if forward.WhichOneof("type") != "delta":
        return []
    delta = forward.delta
    if delta.WhichOneof("type") != "new_element":
        return []
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "alert" and element.alert.format == element.alert.ERROR:
        return [element.alert.body]
    if kind == "exception":
        return [f"{element.exception.type}: {element.exception.message}"]
    return []


def quiet_params(i: int) -> dict[str, str]:
    return {"page": "Explore", "focus": ID + QUIET_FOCI[i % len(QUIET_FOCI)], "hops": "2"}


def quiet_query(i: int) -> dict[str, str]:
    """A quiet session's own query: quick alone, it must not wait behind runaway ones."""
    return {"page": "SPARQL", "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {i}"}


def runaway_params(i: int, session: int, mix: str = "both") -> dict[str, str]:
    if mix == "sparql" or (mix == "both" and i % 2 == 0):
        return {"page": "SPARQL", "query": RUNAWAY_QUERY.format(n=f"{session}-{i}")}
    form = RUNAWAY_PATHS[(i // 2) % len(RUNAWAY_PATHS)]
    # the app keeps a session's last searches: each request here is one it has not kept
    k, hops = 10 - i % 3, 8 - (i // 6) % 2
    return {"page": "Paths", **form, "max_hops": str(hops), "k": str(k)}


class MemoryLog:
    """The app's resident memory, sampled once a second."""

    def __init__(self, pid: int | None) -> None:
        self.proc = psutil.Process(pid) if pid else None
        self.samples: list[tuple[float, str, int, int]] = []
        self.phase = "start"
        self._stop = threading.Event()
        self._started = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        if self.proc is not None:
            self._thread.start()

    def now(self) -> tuple[int, int]:
        """(app alone, app with its children) in bytes."""
        if self.proc is None:
            return 0, 0
        own = self.proc.memory_info().rss
        total = own
        for child in self.proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return own, total

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            with contextlib.suppress(psutil.Error):
                own, total = self.now()
                self.samples.append((time.perf_counter() - self._started, self.phase, own, total))

    def stop(self) -> None:
        self._stop.set()


class HealthLog:
    """How long the app's health check takes, asked every half second: a frozen server shows."""

    def __init__(self, base: str) -> None:
        self.url = f"{base}/_stcore/health"
        self.samples: list[tuple[str, float]] = []
        self.phase = "start"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            phase, started = self.phase, time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=PAGE_CAP) as reply:
                    reply.read()
                seconds = time.perf_counter() - started
            except OSError:
                seconds = PAGE_CAP
            self.samples.append((phase, seconds))

    def stop(self) -> None:
        self._stop.set()

    def report(self) -> None:
        print("\nhealth check (s): phase, checks, median, p95, max")
        for phase in dict.fromkeys(p for p, _ in self.samples):
            times = [t for p, t in self.samples if p == phase]
            print(
                f"  {phase:<8}{len(times):>6}{statistics.median(times):>9.2f}"
                f"{_pct(times, 0.95):>9.2f}{max(times):>9.2f}"
            )


def run_sessions(
    base: str,
    sessions: int,
    duration: float,
    think: float,
    mix: str = "both",
    *,
    lockstep: bool = False,
) -> list[Sample]:
    """Run the sessions for ``duration`` seconds; every page they opened.

    A quiet session reads each page for a time drawn from an exponential
    distribution of mean ``think`` (people do not read for the same time),
    and starts at a random moment of its first ``think`` seconds. With
    ``lockstep`` every quiet session starts at once and reads for exactly
    ``think`` seconds: their pages then always arrive together.
    """
    out: list[Sample] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def client(n: int) -> None:
        runaway = n % 2 == 0 and mix != "none"
        session = Session(base)
        reading = random.Random(n)  # the same draws in every run
        if not runaway and not lockstep:
            time.sleep(reading.uniform(0, think))
        i = 0
        while time.perf_counter() < stop_at:
            if runaway:
                params = runaway_params(i, n, mix)
            else:  # every fourth page of a quiet session is a query of its own
                params = quiet_query(i * 100 + n) if i % 4 == 3 else quiet_params(i + n)
            sample = session.open(params)
            if runaway:
                sample.kind = "runaway " + (
                    "SPARQL" if params["page"] == "SPARQL" else "path question"
                )
            else:
                sample.kind = "quiet SPARQL" if params["page"] == "SPARQL" else "quiet Explore"
            with lock:
                out.append(sample)
            i += 1
            if not runaway:  # a person reads the page; a runaway client does not
                time.sleep(think if lockstep else reading.expovariate(1 / think))
        session.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + PAGE_CAP + 30)
    return out


def quiet_alone(base: str, repeats: int) -> list[Sample]:
    out = []
    session = Session(base)
    for i in range(repeats):
        sample = session.open(quiet_params(i))
        sample.kind = "quiet Explore"
        out.append(sample)
        sample = session.open(quiet_query(10_000 + i))
        sample.kind = "quiet SPARQL"
        out.append(sample)
    session.close()
    return out


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(title: str, samples: list[Sample]) -> dict[str, float]:
    print(f"\n{title}")
    print(f"  {'kind':<24}{'pages':>6}{'done':>6}{'median s':>10}{'p95 s':>9}{'max s':>9}")
    medians = {}
    for kind in sorted({s.kind for s in samples}):
        times = [s.seconds for s in samples if s.kind == kind]
        done = sum(s.finished for s in samples if s.kind == kind)
        medians[kind] = statistics.median(times)
        print(
            f"  {kind:<24}{len(times):>6}{done:>6}{statistics.median(times):>10.2f}"
            f"{_pct(times, 0.95):>9.2f}{max(times):>9.2f}"
        )
    return medians


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(app_args: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    if app_args:
        cmd += ["--", *app_args]
    log = (ROOT / "artifacts").mkdir(exist_ok=True) or (ROOT / "artifacts" / "loadtest.log")
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply,
        ):
            if reply.status == 200:
                return proc, base
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the app did not start; see {log}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an app already running (its memory is then not measured)")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--settle", type=float, default=30.0, help="seconds left idle after load")
    parser.add_argument("--repeats", type=int, default=10, help="quiet pages timed alone")
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds a quiet session reads each page"
    )
    parser.add_argument(
        "--lockstep",
        action="store_true",
        help="quiet sessions start together and read each page exactly --think seconds",
    )
    parser.add_argument(
        "--mix",
        choices=("both", "sparql", "paths", "none"),
        default="both",
        help="what the runaway half sends (none: they browse quietly too)",
    )
    parser.add_argument("app_args", nargs="*", help="after --: arguments for the app")
    args = parser.parse_args(argv)
    proc = None
    if args.url:
        base, pid = args.url.rstrip("/"), None
    else:
        proc, base = start_app(args.app_args)
        pid = proc.pid
    memory = MemoryLog(pid)
    health = HealthLog(base)
    try:
        for params in WARM_UP:  # each page once: modules, caches and processes of first use
            open_page(base, params)
        memory.start()
        health.start()
        memory.phase = health.phase = "alone"
        start_own, start_total = memory.now()
        alone = quiet_alone(base, args.repeats)
        memory.phase = health.phase = "load"
        loaded = run_sessions(
            base, args.sessions, args.duration, args.think, args.mix, lockstep=args.lockstep
        )
        memory.phase = health.phase = "settle"
        time.sleep(args.settle)
        end_own, end_total = memory.now()
        memory.phase = health.phase = "after"
        after = quiet_alone(base, args.repeats)
    finally:
        memory.stop()
        health.stop()
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    alone_medians = table("alone (one quiet session)", alone)
    medians = table(f"load ({args.sessions} sessions, {args.duration:g} s; half runaway)", loaded)
    table(f"after ({args.settle:g} s idle)", after)
    for kind in ("quiet Explore", "quiet SPARQL"):
        quiet = [s.seconds for s in loaded if s.kind == kind]
        if quiet and kind in alone_medians:
            print(
                f"\n{kind} under load / alone: median {medians[kind] / alone_medians[kind]:.1f}x"
                f", p95 {_pct(quiet, 0.95) / alone_medians[kind]:.1f}x (target <= 2x)",
                end="",
            )
    print()
    victims = [s for s in loaded if s.kind == "quiet SPARQL"]
    refused = [s for s in victims if any("busy" in e or "stopped after" in e for e in s.errors)]
    print(f"quiet sessions' own queries refused or stopped: {len(refused)} of {len(victims)}")
    for e in dict.fromkeys(e[:120] for s in refused for e in s.errors):
        print(f"  {e}")
    leaked = [
        (s.kind, e)
        for s in loaded + after
        if s.kind.startswith("quiet")
        for e in s.errors
        if "busy" not in e  # a quiet query told to wait its turn is its own message
    ]
    print(f"errors shown to quiet sessions: {len(leaked)}")
    for kind, error in leaked[:10]:
        print(f"  {kind}: {error[:160]}")
    runaway_errors: dict[str, int] = {}
    for s in loaded:
        if s.kind.startswith("runaway"):
            for e in s.errors or ["(no error shown)"]:
                key = f"{s.kind}: {e[:90]}"
                runaway_errors[key] = runaway_errors.get(key, 0) + 1
    print("what runaway sessions were shown:")
    for key, n in sorted(runaway_errors.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {n:>4} x {key}")
    health.report()
    if memory.samples:
        mb = 1024**2
        peak_own = max(s[2] for s in memory.samples)
        peak_total = max(s[3] for s in memory.samples)
        print("\napp memory (MB): phase, app process, app with its child processes")
        print(f"  start    {start_own / mb:8.0f} {start_total / mb:8.0f}")
        print(f"  peak     {peak_own / mb:8.0f} {peak_total / mb:8.0f}")
        print(f"  settled  {end_own / mb:8.0f} {end_total / mb:8.0f}")
        print(
            f"  settled / start: app {end_own / start_own:.2f}x, with children "
            f"{end_total / start_total:.2f}x (target within 1.2x)"
        )
        print("  over time (s: app MB / with children MB):")
        step = max(1, len(memory.samples) // 20)
        line = [
            f"{t:.0f}s {phase}: {own / mb:.0f}/{total / mb:.0f}"
            for t, phase, own, total in memory.samples[::step]
        ]
        for i in range(0, len(line), 4):
            print("    " + "; ".join(line[i : i + 4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
