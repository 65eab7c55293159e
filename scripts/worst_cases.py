"""Time the worst hostile inputs known to the explorer: how long each takes, and its memory.

Each case runs in a fresh interpreter (the library or the command line, as a
user would run it), capped at ``--cap`` seconds; the figures are its wall
time, the peak resident memory of that interpreter (the "parent": the command
line or the app's process, not the query processes it starts) and the first
line of what it answered.  A case that ran into the cap is shown as ``>cap``.

Usage::

    python scripts/worst_cases.py               # every case
    python scripts/worst_cases.py guard-list    # the cases whose name contains a word

Figures, not assertions: the tests check the behaviour of each case.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_RUN = """
import sys, graph
from graph.sparql import run_query
kg = graph.load([{data!r}] if {data!r} else [], default={default!r})
text = {text}
try:
    result = run_query(kg, text)
    print("answered:", len(result.rows) + len(result.triples), "rows", result.notes[:1])
except graph.GraphError as err:
    print(type(err).__name__ + ":", str(err)[:150])
"""

_LOAD = """
import sys, graph
from graph.io.loading import RdfSource, detect_format
data = {data}
try:
    source = RdfSource({name!r}, data, detect_format({name!r}, data))
    kg = graph.KnowledgeGraph.from_sources([source])
    print("loaded:", kg.triple_count(), "statements")
except graph.GraphError as err:
    print(type(err).__name__ + ":", str(err)[:150])
"""


def _doubling(start: str, times: int) -> str:
    """BINDs that make ``?v{times}`` eight times longer ``times`` times over."""
    binds = []
    for i in range(times):
        prev = f"?v{i}"
        binds.append(f"BIND(CONCAT({', '.join([prev] * 8)}) AS ?v{i + 1})")
    return f"BIND(CONCAT(STR(?n), {start!r}) AS ?v0) " + " ".join(binds)


#: Ten rows of 4,194,304 characters each (16 x 8^6), made by the engine from a short query.
_BIG_ROWS = (
    "SELECT ?v6 WHERE { VALUES ?n { 0 1 2 3 4 5 6 7 8 9 } " + _doubling("a" * 15, 6) + " }"
).replace("'", '"')


def query_case(text: str, *, data: str = "", default: bool = True) -> list[str]:
    return [sys.executable, "-c", _RUN.format(text=text, data=data, default=default)]


def load_case(data: str, name: str) -> list[str]:
    return [sys.executable, "-c", _LOAD.format(data=data, name=name)]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "graph", *args]


def cases(scratch: Path) -> dict[str, list[str]]:
    star = scratch / "star.ttl"
    star.write_text(
        "@prefix : <http://example.org/> .\n"
        ':a :says <<( :b :c :d )>> .\n:a <http://www.w3.org/2004/02/skos/core#prefLabel> "A" .\n'
    )
    tag = scratch / "tag.ttl"
    tag.write_text(
        '<tag:example.org,2024:x> <http://www.w3.org/2004/02/skos/core#prefLabel> "X" ;\n'
        "  <http://example.org/p> <tag:example.org,2024:y> .\n"
    )
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(100))
    return {
        "guard-comments-and-typo": query_case('"#\\n" * 26 + "SELEKT"'),
        "guard-comments-and-typo-40": query_case('"#\\n" * 40 + "SELEKT"'),
        "guard-collection-1000": query_case('"SELECT * WHERE { ?s ?p (" + " 1" * 1000 + " ) }"'),
        "guard-collection-2000": query_case('"SELECT * WHERE { ?s ?p (" + " 1" * 2000 + " ) }"'),
        "guard-blank-list-3000": query_case('"SELECT * WHERE { ?s ml:p []" + ", []" * 2999 + " }"'),
        "guard-flat-100-patterns": query_case(repr(f"SELECT * WHERE {{ {patterns} }} LIMIT 1")),
        "guard-in-list-3000": query_case(
            '"SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ", ".join(["1"] * 3000) + ")) }"'
        ),
        "guard-plus-chain-2000": query_case(
            '"SELECT (" + " + ".join(["1"] * 2000) + " AS ?x) WHERE {}"'
        ),
        "guard-and-chain-2000": query_case(
            '"SELECT * WHERE { ?s ?p ?o FILTER(" + " && ".join(["true"] * 2000) + ") }"'
        ),
        "result-10-rows-of-4M-chars": query_case(repr(_BIG_ROWS)),
        "cli-10-rows-of-4M-chars": cli("sparql", _BIG_ROWS),
        "cli-10-rows-of-4M-chars-json": cli("sparql", _BIG_ROWS, "--json"),
        "upload-jsonld-nested-3000": load_case(
            "b'{\"@id\": \"http://e/a\", \"http://e/p\": ' * 3000 + b'1' + b'}' * 3000",
            "deep.jsonld",
        ),
        "upload-jsonld-nested-6000": load_case(
            "b'{\"@id\": \"http://e/a\", \"http://e/p\": ' * 6000 + b'1' + b'}' * 6000",
            "deep.jsonld",
        ),
        "upload-rdfxml-nested-50000": load_case(
            'b\'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            "xmlns:e=\"http://e/\"><rdf:Description>' + b'<e:p><rdf:Description>' * 25000"
            " + b'</rdf:Description></e:p>' * 25000 + b'</rdf:Description></rdf:RDF>'",
            "deep.rdf",
        ),
        "rdf-star-stats": cli("--no-default", "--data", str(star), "stats"),
        "rdf-star-show": cli("--no-default", "--data", str(star), "show", "http://example.org/a"),
        "tag-iri-show": cli("--no-default", "--data", str(tag), "show", "tag:example.org,2024:x"),
        "cli-timeout-inf": cli("sparql", "ASK {}", "--timeout", "inf"),
        "cli-timeout-nan": cli("sparql", "ASK {}", "--timeout", "nan"),
        "cli-file-dev-zero": cli("sparql", "--file", "/dev/zero"),
    }


def run(cmd: list[str], cap: float) -> tuple[float, float, str]:
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        capped = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > cap:
                os.killpg(proc.pid, signal.SIGKILL)
                capped = True
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        lines = [x for x in out.read().decode("utf-8", "replace").splitlines() if x.strip()]
    if capped:
        said = f">{cap:g} s, killed"
    elif proc.returncode < 0:
        said = f"died: {signal.Signals(-proc.returncode).name}"
    else:
        said = f"exit {proc.returncode}: " + (lines[-1][:110] if lines else "")
    return elapsed, usage.ru_maxrss / 1024, said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="run only the cases whose name has one of these")
    parser.add_argument("--cap", type=float, default=90.0, help="seconds before a case is killed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        chosen = {
            name: cmd
            for name, cmd in cases(Path(tmp)).items()
            if not args.words or any(w in name for w in args.words)
        }
        print(f"{'case':<30}{'seconds':>9}{'peak MB':>9}  outcome")
        for name, cmd in chosen.items():
            elapsed, peak, said = run(cmd, args.cap)
            print(f"{name:<30}{elapsed:>9.1f}{peak:>9.0f}  {said}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
