"""The backend contract, held: every command gives the same answer on every backend.

The embedded knowledge base is explored in memory (the reference), from an
on-disk store, from the same store with its adjacency index forced on, and
through SPARQL servers holding the same statements.  Each command of the
golden cases (``tests/cli/test_golden.py``) runs on each backend through the
command line, and its ``--json`` answer must equal the reference's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import graph
from graph.cli import main

#: The golden cases: (name, argv), run on each backend.
CASES = [
    ("stats", ["stats"]),
    ("search", ["search", "pyhton"]),
    ("search-type", ["search", "engineer", "--type", "Role", "--limit", "5"]),
    ("show", ["show", "ML engineer"]),
    ("show-no-inferred", ["show", "Python", "--no-inferred"]),
    ("neighbors-2", ["neighbors", "Python", "--hops", "2", "--limit", "30"]),
    ("neighbors-filtered", ["neighbors", "ML engineer", "--type", "Skill", "--limit", "10"]),
    ("path-linking", ["path", "skills linking Python to Core ML engineer"]),
    ("path-related", ["path", "how is linear algebra related to deep learning engineer"]),
    ("path-shared", ["path", "tools shared by data scientist and ML engineer"]),
    ("path-requires", ["path", "what does applied ML engineer require"]),
    ("path-from-to", ["path", "--from", "Python", "--to", "data scientist", "-k", "3"]),
    ("path-via", ["path", "--from", "Python", "--to", "ML engineer", "--via", "Skill"]),
    ("compare", ["compare", "data scientist", "ML engineer"]),
    ("sparql", ["sparql", "SELECT ?r ?l { ?r a mlc:Role ; skos:prefLabel ?l } ORDER BY ?l"]),
    ("sparql-ask", ["sparql", "ASK { ml:Python ?p ?o }"]),
    ("validate", ["validate"]),
]
LOCAL = ["store", "indexed store"]
#: Answers known to differ, and why; each must be made equal (the mark is strict).
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {}
SERVERS = [
    pytest.param("oxigraph", marks=pytest.mark.server),
    pytest.param("virtuoso", marks=pytest.mark.server),
]


def _answer(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, object]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


@pytest.fixture(scope="module")
def reference() -> dict[str, tuple[int, object]]:
    """Each case's answer in memory, computed once."""
    return {}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("contract") / "store"


def _options(kind: str, store_dir: Path, server: Callable[[str], str]) -> list[str]:
    if kind == "memory":
        return []
    if kind in LOCAL:
        return ["--store", str(store_dir)]
    return ["--endpoint", server(kind)]


@pytest.fixture
def server_url(sparql_server, kb: graph.KnowledgeGraph) -> Callable[[str], str]:
    return lambda kind: sparql_server(kind, kb)


@pytest.mark.parametrize("kind", [*LOCAL, *SERVERS])
@pytest.mark.parametrize(("name", "argv"), CASES, ids=[c[0] for c in CASES])
def test_every_backend_answers_as_memory(
    kind, name, argv, reference, store_dir, server_url, capsys, monkeypatch, request
) -> None:
    if (name, kind) in KNOWN_DIFFERENCES:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_DIFFERENCES[name, kind], strict=True))
    if name not in reference:
        reference[name] = _answer(argv, capsys)
    if kind == "indexed store":
        # small stores read statements directly; force the integer index on
        monkeypatch.setattr("graph.backends.local.LocalBackend.index_min_statements", 0)
    answer = _answer([*_options(kind, store_dir, server_url), *argv], capsys)
    assert answer == reference[name]
