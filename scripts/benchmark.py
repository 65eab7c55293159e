#!/usr/bin/env python3
"""Print the explorer's speed figures, each next to a baseline measured in the same run.

Usage::

    python scripts/benchmark.py --quick                      # the embedded knowledge base only
    python scripts/benchmark.py --esco ESCO.nq               # plus ESCO (converted, or the two
    python scripts/benchmark.py --esco CLASSIFICATION.zip RELATIONS.zip   # zips: converted here)
    python scripts/benchmark.py --triples 1000000 --triples 10000000       # synthetic graphs
    python scripts/benchmark.py --synth synth1m.nq            # a synthetic graph already written
    python scripts/benchmark.py ... --compare before.json     # each figure beside an older run's

Every figure goes to a table on stdout and to a JSON file (``--json``, by
default ``artifacts/benchmark.json``) with the date, the machine and the
commit, so runs can be compared between commits (``--compare OLD.json``, or
``--compare OLD.json NEW.json`` alone).  ``--code DIR`` measures another
checkout with these same measurements.

Each measurement runs in a process of its own (``scripts/bench_tasks.py``),
so its peak memory is its own; command-line figures are whole processes on a
warm store; the app's are a real browser (``scripts/bench_app.py``).
Baselines: pyoxigraph's bare bulk load (the floor), rdflib's in-memory store
(below 3 million statements), and the same views on the local store for the
SPARQL servers.  Synthetic graphs of several sizes also get a table of how
each figure grows with the graph.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_servers import SERVERS  # noqa: E402
from bench_table import Table, compare, growth  # noqa: E402

#: Above this many statements, rdflib and in-memory loads are not measured (hours, gigabytes).
MEMORY_MAX = 3_000_000
CLI_RUNS = 3


class Bench:
    """One run: the checkout measured, a scratch folder, the table being filled."""

    def __init__(self, code: Path, work: Path, table: Table, *, served: bool = False) -> None:
        self.code, self.work, self.table = code, work, table
        #: Only what the servers' figures need: the store and its local views and paths.
        self.served = served

    def child(self, task: str, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, str(HERE / "bench_tasks.py"), task, *args],
            capture_output=True,
            text=True,
            cwd=self.code,
        )
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"benchmark step {task} failed")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def command(self, argv: list[str]) -> float:
        """Median seconds of ``python -m graph ARGV`` as a whole process."""
        times = []
        for _ in range(CLI_RUNS):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "graph", *argv], cwd=self.code, capture_output=True
            )
            times.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                print(done.stderr.decode()[-2000:], file=sys.stderr)
                raise SystemExit(f"python -m graph {' '.join(argv[:6])} ... failed")
        return statistics.median(times)

    # -- a large graph -----------------------------------------------------------------------------
    def large(self, name: str, data: Path, *, app: bool, servers: list[str]) -> None:
        work = self.work / name.split(",")[0].replace(" ", "-")
        work.mkdir(parents=True, exist_ok=True)
        t = self.table
        t.section(name, {"file_mb": round(data.stat().st_size / 1e6)})
        if self.served:
            self.served_only(data, work, servers)
            return
        bare = self.child("bare", str(data), str(work / "bare"))
        shutil.rmtree(work / "bare", ignore_errors=True)
        cold = self.child("cold", str(data), str(work / "store"))
        t.section_info["triples"] = cold["triples"]
        small = cold["triples"] <= MEMORY_MAX
        rdf = self.child("rdflib", str(data)) if small else None
        if small:
            bare_memory = self.child("bare_memory", str(data))
            cold_memory = self.child("cold_memory", str(data))
            t.add(
                "cold load in memory (no --store)",
                cold_memory["seconds"],
                "s",
                ("bare bulk load in memory", bare_memory["seconds"]),
                "<= 2x bare",
            )
        t.add(
            "cold load into --store, everything kept",
            cold["seconds"],
            "s",
            ("bare bulk load", bare["seconds"]),
            "<= 1.07x bare",
        )
        if rdf:
            t.add(
                "cold load into --store, against rdflib",
                cold["seconds"],
                "s",
                ("rdflib parse", rdf["seconds"]),
                inverse=True,
            )
        t.add("size on disk", cold["size_mb"], "MB", ("bare database", bare["size_mb"]))
        t.add(
            "peak memory, cold load into --store",
            cold["rss_mb"],
            "MB",
            ("bare bulk load", bare["rss_mb"]),
            "<= 4 GB",
        )
        plan = work / "plan.json"
        warm = self.child("warm", str(data), str(work / "store"), str(plan))
        t.add("warm open (in process)", warm["open"], "s", target="< 1 s")
        self.commands(data, work / "store", json.loads(plan.read_text()))
        t.add("search, first in a process", warm["search_first"], "s")
        t.add("search (median)", warm["search"], "s")
        self.local_views(warm)
        for q, seconds in warm["sparql"].items():
            base = ("rdflib", rdf["sparql"][q]) if rdf else None
            t.add(f"SPARQL: {q}", seconds, "s", base, ">= 20x" if rdf else "", inverse=True)
        t.add("peak memory, warm process after all the above", warm["rss_mb"], "MB")
        if app and small:  # the app on the largest graphs is not a target
            self.app(data, work / "store")
        for server in servers:
            self.remote(server, data, work, plan, warm)
        shutil.rmtree(work, ignore_errors=True)

    def served_only(self, data: Path, work: Path, servers: list[str]) -> None:
        """The local views and paths on a store, then the same through each server."""
        cold = self.child("cold", str(data), str(work / "store"))
        self.table.section_info["triples"] = cold["triples"]
        plan = work / "plan.json"
        warm = self.child("warm", str(data), str(work / "store"), str(plan))
        self.local_views(warm)
        for server in servers:
            self.remote(server, data, work, plan, warm)
        shutil.rmtree(work, ignore_errors=True)

    def local_views(self, warm: dict[str, Any]) -> None:
        t = self.table
        view = warm["neighbourhood"]
        t.add("2-hop view, cap 300 (median)", view["median"], "s", target="< 300 ms")
        t.add("2-hop view, cap 300 (slowest)", view["max"], "s")
        t.add("path k=3 (median)", warm["path_median"], "s", target="< 100 ms")
        t.add("path k=3 (95th percentile)", warm["path_p95"], "s", target="< 500 ms")

    def commands(self, data: Path, store: Path, plan: dict[str, Any]) -> None:
        base = ["--no-default", "--data", str(data), "--store", str(store)]
        a, b = plan["pairs"][0]
        runs = {
            "stats": (["stats"], "<= 0.5 s"),
            f"search {plan['word']!r}": (["search", plan["word"]], "<= 0.5 s"),
            "show": (["show", plan["show"]], "<= 0.5 s"),
            "neighbors --hops 2": (["neighbors", a, "--hops", "2"], ""),
            "path --from --to": (["path", "--from", a, "--to", b, "-k", "3"], "<= 1 s"),
        }
        floor = self.command(["--help"])
        for name, (argv, target) in runs.items():
            self.table.add(
                f"process: {name}",
                self.command([*base, *argv]),
                "s",
                ("python -m graph --help", floor),
                target,
            )

    def app(self, data: Path, store: Path) -> None:
        """The app in Chromium on the store, beside the same on the embedded knowledge base
        (what Streamlit and the browser take whatever the graph)."""
        try:
            floor = self.child("app")
            shown = self.child("app", str(data), str(store))
        except SystemExit as err:
            print(f"  (the app was not measured: {err})")
            return
        t = self.table
        base = "embedded base"
        t.add("app: first page in Chromium", shown["first"], "s", (base, floor["first"]), "<= 2 s")
        t.add(
            "app: rerun (median)",
            shown["rerun_median"],
            "s",
            (base, floor["rerun_median"]),
            "<= 300 ms",
        )
        t.add(
            "app: rerun (slowest)", shown["rerun_max"], "s", (base, floor["rerun_max"]), "<= 300 ms"
        )
        for key, name in (("click_to_panel", "click to panel"), ("expand", "expand a node")):
            if key in shown and key in floor:
                t.add(f"app: {name}", shown[key], "s", (base, floor[key]), "<= 600 ms")
        t.extra["app_reruns"] = shown["reruns"]
        t.extra["app_reruns_embedded"] = floor["reruns"]

    def remote(self, server: str, data: Path, work: Path, plan: Path, warm: dict) -> None:
        started = SERVERS[server](data, work / server)
        if started is None:
            print(f"  ({server} is not installed: not measured)")
            return
        url, stop = started
        try:
            there = self.child("remote", url, str(plan))
        finally:
            stop()
            shutil.rmtree(work / server, ignore_errors=True)
        t = self.table
        for label, key, local in (
            ("path median", "path_median", warm["path_median"]),
            ("path 95th percentile", "path_p95", warm["path_p95"]),
        ):
            t.add(f"{server}: {label}", there[key], "s", ("local", local), "within 3x")
        for label, key in (("2-hop view median", "median"), ("2-hop view slowest", "max")):
            t.add(
                f"{server}: {label}",
                there["neighbourhood"][key],
                "s",
                ("local", warm["neighbourhood"][key]),
                "within 3x",
            )


def _esco(bench: Bench, files: list[Path]) -> Path:
    if len(files) == 1:
        return files[0]
    out = bench.work / "esco.nq"
    zips = sorted(files, key=lambda p: "relations" in p.name)
    subprocess.run(
        [
            sys.executable,
            str(HERE / "import_esco.py"),
            *map(str, zips),
            "-o",
            str(out),
            "--no-progress",
        ],
        check=True,
        cwd=bench.code,
        capture_output=True,
    )
    return out


def _synthetic(bench: Bench, triples: int) -> Path:
    out = bench.work / f"synth-{triples}.nq"
    subprocess.run(
        [sys.executable, str(HERE / "synth.py"), "--triples", str(triples), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        memory = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def _commit(code: Path) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=code, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the embedded knowledge base only")
    ap.add_argument(
        "--esco",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="ESCO as N-Quads, or its classification and relations zips",
    )
    ap.add_argument(
        "--triples",
        type=int,
        action="append",
        default=[],
        help="a synthetic graph of this many statements (repeatable)",
    )
    ap.add_argument(
        "--synth",
        type=Path,
        action="append",
        default=[],
        help="a synthetic graph already written by scripts/synth.py (repeatable)",
    )
    ap.add_argument(
        "--servers",
        default="oxigraph,virtuoso",
        help="SPARQL servers to measure views through (comma-separated; '' for none)",
    )
    ap.add_argument("--no-app", action="store_true", help="leave the app out")
    ap.add_argument(
        "--servers-only",
        action="store_true",
        help="of each large graph, only the local views and paths and the same through the servers",
    )
    ap.add_argument(
        "--no-embedded", action="store_true", help="leave the embedded knowledge base out"
    )
    ap.add_argument(
        "--json",
        type=Path,
        default=HERE.parent / "artifacts" / "benchmark.json",
        help="where the figures are written as JSON",
    )
    ap.add_argument(
        "--compare",
        nargs="+",
        type=Path,
        metavar="JSON",
        help="print each figure beside an older run's (or compare two files)",
    )
    ap.add_argument("--code", type=Path, default=HERE.parent, help="the checkout measured")
    ap.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    args = ap.parse_args(argv)
    if args.compare and len(args.compare) == 2:
        compare(json.loads(args.compare[0].read_text()), json.loads(args.compare[1].read_text()))
        return 0
    code = args.code.resolve()
    table = Table(
        {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": _machine(),
            "commit": _commit(code),
            "argv": sys.argv[1:],
        }
    )
    if args.work:
        Path(args.work).mkdir(parents=True, exist_ok=True)  # a folder named to be made
    work = Path(tempfile.mkdtemp(prefix="kg-bench-", dir=args.work))
    bench = Bench(code, work, table, served=args.servers_only)
    servers = [s for s in args.servers.split(",") if s]
    try:
        from bench_embedded import embedded

        if not args.no_embedded:
            embedded(bench)
        if not args.quick:
            if args.esco:
                bench.large(
                    "converted ESCO", _esco(bench, args.esco), app=not args.no_app, servers=servers
                )
            for triples in args.triples:
                bench.large(
                    f"synthetic, {triples:,} triples",
                    _synthetic(bench, triples),
                    app=not args.no_app,
                    servers=servers,
                )
            for path in args.synth:
                bench.large(
                    f"synthetic, {path.name}", path.resolve(), app=not args.no_app, servers=servers
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(table.to_json(), indent=1), encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    growth(table.to_json())
    if args.compare:
        compare(json.loads(args.compare[0].read_text()), table.to_json())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
