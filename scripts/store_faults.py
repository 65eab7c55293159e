"""Fault script for persistent stores: every damage ends in a rebuild or a clear message.

Builds a store (``--store DIR`` of the command line) from the embedded
knowledge base, or from ``--data FILE`` files, then for each fault works on a
fresh copy and runs ``python -m graph --store COPY stats`` and ``show`` twice:

- a build killed after 0.2 s, 0.5 s, 1 s, 2 s;
- two first builds of the same store at once (the second 0.3 s and 1 s later);
- every file of the store (database, manifest, derived data) emptied,
  truncated to half, or with 4 KB in its middle overwritten, and the adjacency
  arrays copied over one another;
- ``--store`` on a folder holding a user's file, and a user's file beside a store.

For each case it prints what the runs said: the exit codes, whether a store
was rebuilt or a part rewritten (a note), whether any run ended in a Python
traceback (never acceptable) and whether the user's files are still there.
Exit status 1 when a case fails.

Usage::

    python scripts/store_faults.py                 # the embedded knowledge base
    python scripts/store_faults.py --data esco.nq  # a larger graph, slower
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Outcome:
    name: str
    codes: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tracebacks: int = 0
    user_files_kept: bool = True
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.tracebacks and self.user_files_kept and self.codes[-1:] == [0]


def command(store: Path, data: list[str], *args: str) -> list[str]:
    extra = [x for d in data for x in ("--data", d)]
    return [PYTHON, "-m", "graph", *extra, "--store", str(store), *args]


def run(store: Path, data: list[str], outcome: Outcome, *args: str) -> None:
    done = subprocess.run(
        command(store, data, *(args or ("stats",))),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    outcome.codes.append(done.returncode)
    err = done.stderr
    if "Traceback (most recent call last)" in err:
        outcome.tracebacks += 1
        outcome.errors.append(err.strip().splitlines()[-1][:160])
    for line in err.splitlines():
        if line.startswith("note:"):
            outcome.notes.append(line[5:].strip()[:110])
        elif line.startswith("error") and done.returncode:
            outcome.errors.append(line[:160])


def check_twice(store: Path, data: list[str], outcome: Outcome) -> None:
    run(store, data, outcome, "stats")
    run(store, data, outcome, "show", "Python")


def damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    if how == "emptied":
        path.write_bytes(b"")
    elif how == "halved":
        os.truncate(path, size // 2)
    elif how == "garbled":
        with path.open("r+b") as handle:
            handle.seek(max(0, size // 2 - 2048))
            handle.write(os.urandom(min(4096, max(size, 1))))


def killed_builds(base: Path, data: list[str]) -> list[Outcome]:
    out = []
    for after in (0.2, 0.5, 1.0, 2.0):
        outcome = Outcome(f"build killed after {after:g} s")
        store = base / f"killed-{after}"
        proc = subprocess.Popen(
            command(store, data, "stats"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(after)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check_twice(store, data, outcome)
        out.append(outcome)
    return out


def two_builders(base: Path, data: list[str]) -> list[Outcome]:
    out = []
    for gap in (0.3, 1.0):
        outcome = Outcome(f"two first builds, {gap:g} s apart")
        store = base / f"two-{gap}"
        first = subprocess.Popen(
            command(store, data, "stats"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(gap)
        second = subprocess.Popen(
            command(store, data, "stats"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for proc in (first, second):
            _, err = proc.communicate(timeout=900)
            outcome.codes.append(proc.returncode)
            if "Traceback (most recent call last)" in err:
                outcome.tracebacks += 1
                outcome.errors.append(err.strip().splitlines()[-1][:160])
            said = [x[5:].strip()[:110] for x in err.splitlines() if x.startswith("note:")]
            outcome.notes += said
        check_twice(store, data, outcome)
        out.append(outcome)
    return out


def damaged_files(base: Path, built: Path, data: list[str]) -> list[Outcome]:
    out = []
    files = sorted(p for p in built.rglob("*") if p.is_file() and p.name not in ("LOCK",))
    for file in files:
        relative = file.relative_to(built)
        for how in ("emptied", "halved", "garbled"):
            if how != "emptied" and file.stat().st_size == 0:
                continue
            outcome = Outcome(f"{relative} {how}")
            store = base / "copy"
            shutil.rmtree(store, ignore_errors=True)
            shutil.copytree(built, store)
            damage(store / relative, how)
            check_twice(store, data, outcome)
            out.append(outcome)
    edges = built / "oxigraph.edges"
    if (edges / "o.npy").exists():
        outcome = Outcome("oxigraph.edges/o.npy copied over s.npy")
        store = base / "copy"
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(built, store)
        shutil.copy(store / "oxigraph.edges/o.npy", store / "oxigraph.edges/s.npy")
        check_twice(store, data, outcome)
        out.append(outcome)
    return out


def user_files(base: Path, built: Path, data: list[str]) -> list[Outcome]:
    foreign = base / "notes-folder"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("my notes")
    outcome = Outcome("--store on a folder holding notes.txt")
    run(foreign, data, outcome, "stats")
    outcome.user_files_kept = (foreign / "notes.txt").read_text() == "my notes"
    outcome.codes.append(0 if outcome.codes[-1] == 2 else 1)  # refused with exit 2 is right
    beside = Outcome("a user's file beside a store, then a rebuild")
    store = base / "beside"
    shutil.copytree(built, store)
    (store / "notes.txt").write_text("my notes")
    (store / "manifest.json").write_text("{}")  # forces a rebuild
    check_twice(store, data, beside)
    beside.user_files_kept = (store / "notes.txt").exists()
    return [outcome, beside]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", default=[], help="RDF files (default: the KB)")
    args = parser.parse_args(argv)
    data = [str(Path(d).resolve()) for d in args.data]
    with tempfile.TemporaryDirectory(prefix="mlcareer-faults-") as tmp:
        base = Path(tmp)
        built = base / "built"
        setup = Outcome("build")
        run(built, data, setup, "stats")
        if setup.codes != [0]:
            print("the store could not be built:", setup.errors)
            return 1
        outcomes = [
            *killed_builds(base, data),
            *two_builders(base, data),
            *user_files(base, built, data),
            *damaged_files(base, built, data),
        ]
    print(f"{'case':<52}{'exits':<12}{'traceback':<11}{'files':<7}what it said")
    for o in outcomes:
        said = "; ".join(dict.fromkeys(o.notes + o.errors))[:120] or "-"
        codes = ",".join(map(str, o.codes))
        kept = "kept" if o.user_files_kept else "LOST"
        print(f"{o.name[:51]:<52}{codes:<12}{o.tracebacks or '-'!s:<11}{kept:<7}{said}")
    failed = [o for o in outcomes if not o.ok]
    print(f"\n{len(outcomes)} cases, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
