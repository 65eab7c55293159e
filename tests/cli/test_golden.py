"""The command line's answers on the embedded knowledge base, kept as golden files.

Every command's ``--json`` output (and every export format's bytes, by digest)
is compared with ``tests/cli/golden/``.  A change of answer fails here; when
the change is meant (the knowledge base or a format changed), rewrite the
files with ``GOLDEN_UPDATE=1 pytest tests/cli/test_golden.py`` and review the
diff like any other change.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from graph.cli import main

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"

CASES = [
    ("stats", ["stats"]),
    ("search-pyhton", ["search", "pyhton"]),
    ("search-engineer-type", ["search", "engineer", "--type", "Role", "--limit", "5"]),
    ("show-ml-engineer", ["show", "ML engineer"]),
    ("show-python-no-inferred", ["show", "Python", "--no-inferred"]),
    ("neighbors-python-2", ["neighbors", "Python", "--hops", "2", "--limit", "30"]),
    ("neighbors-filtered", ["neighbors", "ML engineer", "--type", "Skill", "--limit", "10"]),
    ("path-question-linking", ["path", "skills linking Python to Core ML engineer"]),
    ("path-question-related", ["path", "how is linear algebra related to deep learning engineer"]),
    ("path-question-shared", ["path", "tools shared by data scientist and ML engineer"]),
    ("path-question-requires", ["path", "what does applied ML engineer require"]),
    ("path-question-leads", ["path", "which qualifications lead to ML engineer"]),
    ("path-question-concern", ["path", "which regulations concern data privacy"]),
    ("path-from-to", ["path", "--from", "Python", "--to", "data scientist", "-k", "3"]),
    ("path-via", ["path", "--from", "Python", "--to", "ML engineer", "--via", "Skill"]),
    ("compare", ["compare", "data scientist", "ML engineer"]),
    (
        "sparql-select",
        ["sparql", "SELECT ?r ?l { ?r a mlc:Role ; skos:prefLabel ?l } ORDER BY ?l"],
    ),
    ("sparql-ask", ["sparql", "ASK { ml:Python ?p ?o }"]),
    ("validate", ["validate"]),
    ("plan", ["plan", "--have", "Python", "--have", "statistics", "--target", "ML engineer"]),
    (
        "analyse",
        [
            "analyse",
            str(GOLDEN.parents[1] / "data/texts/posting-ml-engineer.txt"),
            "--have",
            "Python",
        ],
    ),
]
EXPORTS = ["ttl", "trig", "nt", "nq", "jsonld", "xml", "graphml", "gexf", "csv", "cyjs", "html"]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def _check(name: str, value: object) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}; run with GOLDEN_UPDATE=1"
    assert json.loads(path.read_text(encoding="utf-8")) == value


@pytest.mark.parametrize(("name", "argv"), CASES, ids=[c[0] for c in CASES])
def test_json_answers_do_not_change(name, argv, capsys):
    code, out = _run([*argv, "--json"], capsys)
    _check(name, {"exit": code, "output": json.loads(out)})


@pytest.mark.parametrize("fmt", EXPORTS)
def test_exports_do_not_change(fmt, capsys, tmp_path):
    target = tmp_path / f"out.{fmt}"
    code = main(["export", "--around", "Python", "--hops", "2", "--format", fmt, "-o", str(target)])
    data = target.read_bytes()
    if fmt == "csv":  # a zip: its entries' timestamps are not part of the answer
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(n) for n in sorted(archive.namelist()))
    text = data.decode("utf-8")
    text = re.sub(r"\s+", " ", text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    _check(f"export-{fmt}", {"exit": code, "sha256": digest, "size": len(text)})
