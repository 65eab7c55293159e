#!/usr/bin/env python3
"""Print how long ``plan`` and ``analyse`` take, each beside a baseline of the same run.

Usage::

    python scripts/bench_learners.py                     # the embedded knowledge base
    python scripts/bench_learners.py --esco ESCO.nq      # and ESCO, on a warm store

In process: the answer in a process that has loaded the graph (the app's
case), beside ``search`` of one word in the same process.  As a process: the
whole ``python -m graph plan`` / ``analyse`` command on a warm store (the
command line's case), beside ``python -m graph --help``.  Medians of a few runs;
the machine is shared, so the ratio holds where a time does not.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import graph  # noqa: E402
from graph.query.analyse import analyse, read_text  # noqa: E402
from graph.query.plan import plan  # noqa: E402
from graph.query.search import search  # noqa: E402

POSTING = ROOT / "tests" / "data" / "texts" / "posting-ml-engineer.txt"
RUNS = 5

#: Per graph: what one has, the role wanted, and a word to search for the baseline.
CASES = {
    "embedded": (["Python", "statistics"], "ML engineer", "python"),
    "ESCO": (
        [
            "Python (computer programming)",
            "http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833",
        ],
        "data scientist",
        "python",
    ),
}


def _median(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # the first call fills the caches a user's first click also fills
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _process(argv: list[str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "graph", *argv], cwd=ROOT, capture_output=True, check=False
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"python -m graph {' '.join(argv)} failed: {done.stderr[-800:]!r}")
    return statistics.median(times)


def _row(name: str, seconds: float, base_name: str, base: float, target: str) -> None:
    print(f"{name:<46} {seconds * 1000:9.1f} ms   {seconds / base:6.1f}x {base_name:<28} {target}")


def measure(label: str, base_args: list[str]) -> None:
    have, target, word = CASES[label]
    data, options = _load_args(base_args)
    kg = graph.load(data, **options)
    text = read_text(POSTING.read_bytes())
    base = _median(lambda: search(kg, word, limit=10))
    _row(
        f"{label}: plan, in process",
        _median(lambda: plan(kg, have=have, target=target)),
        "search, in process",
        base,
        "<= 200 ms",
    )
    _row(
        f"{label}: analyse, in process",
        _median(lambda: analyse(kg, text, have=have)),
        "search, in process",
        base,
        "<= 200 ms",
    )
    floor = _process(["--help"])
    haves = [a for h in have for a in ("--have", h)]
    _process([*base_args, "stats"], runs=1)  # the store warm
    _row(
        f"{label}: plan, as a process",
        _process([*base_args, "plan", *haves, "--target", target]),
        "python -m graph --help",
        floor,
        "<= 1 s",
    )
    _row(
        f"{label}: analyse, as a process",
        _process([*base_args, "analyse", str(POSTING), *haves]),
        "python -m graph --help",
        floor,
        "<= 1 s",
    )


def _load_args(base_args: list[str]) -> tuple[list[str], dict[str, object]]:
    if not base_args:
        return [], {}
    data = base_args[base_args.index("--data") + 1]
    store = base_args[base_args.index("--store") + 1]
    return [data], {"default": False, "store": store}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, help="ESCO as N-Quads (scripts/import_esco.py)")
    args = parser.parse_args()
    print(f"{'figure':<46} {'time':>12}   {'ratio to baseline':<35} target")
    measure("embedded", [])
    if args.esco:
        with tempfile.TemporaryDirectory() as scratch:
            base = ["--no-default", "--data", str(args.esco), "--store", f"{scratch}/store"]
            measure("ESCO", base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
