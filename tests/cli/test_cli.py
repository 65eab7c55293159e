"""The command line as a user runs it: ``python -m graph ...`` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
MINI = str(ROOT / "tests" / "data" / "mini.trig")


def run(*args: str, data: bool = True) -> subprocess.CompletedProcess[str]:
    base = [sys.executable, "-m", "graph"]
    if data:
        base += ["--no-default", "--data", MINI]
    return subprocess.run(
        [*base, *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def run_json(*args: str) -> dict:
    done = run(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_stats_json_keys() -> None:
    data = run_json("stats")
    assert set(data) >= {"triples", "nodes", "edges", "classes", "sources"}
    assert data["classes"]["Role"] == 5


def test_search_json_finds_python_despite_a_typo() -> None:
    data = run_json("search", "pyhton")
    first = data["results"][0]
    assert set(first) >= {"id", "label", "type", "score"}
    assert first["label"] == "Python"


def test_show_json_has_relations_with_sources() -> None:
    data = run_json("show", "ML engineer")
    assert set(data) >= {"id", "label", "type", "aliases", "definition", "relations"}
    relation = data["relations"][0]
    assert set(relation) >= {"predicate", "label", "direction", "target", "sources"}
    assert set(relation["target"]) >= {"id", "label", "type"}


def test_path_question_json() -> None:
    data = run_json("path", "skills linking Python to Core ML engineer")
    path = data["paths"][0]
    assert [n["label"] for n in path["nodes"]] == ["Python", "Programming", "Core ML engineer"]
    assert set(path["edges"][0]) >= {
        "source",
        "target",
        "predicate",
        "label",
        "direction",
        "sources",
    }


def test_path_from_to_via_text_output() -> None:
    done = run("path", "--from", "Python", "--to", "Core ML engineer", "--via", "Skill", "-k", "2")
    assert done.returncode == 0, done.stderr
    assert "Python <-uses tool- Programming <-requires skill- Core ML engineer" in done.stdout


def test_neighbors_and_compare() -> None:
    data = run_json("neighbors", "Python", "--hops", "2", "--limit", "3")
    assert len(data["nodes"]) == 3 and data["omitted"] > 0
    data = run_json("compare", "data scientist", "ML engineer")
    assert [n["label"] for n in data["shared"]["Tool"]] == ["Python", "SQL"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(("show", "Quantum knitting"), 2, "no node matches", id="unknown-node"),
        pytest.param(("search", "zzzqqq"), 1, "nothing matches", id="no-match"),
        pytest.param(("path", "--from", "GDPR", "--to", "SQL"), 1, "not connected", id="no-path"),
        pytest.param(("path", "why is the sky blue"), 2, "questions I understand", id="phrasing"),
        pytest.param(("frobnicate",), 2, "invalid choice", id="usage"),
        pytest.param(
            ("neighbors", "Python", "--type", "spaceship"), 2, "unknown class", id="unknown-class"
        ),
    ],
)
def test_exit_codes_and_one_line_errors(args, code, message) -> None:
    done = run(*args)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_malformed_data_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix e: <http://e/> .\ne:a e:b e:c\n")
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--no-default", "--data", str(bad), "stats"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "broken.ttl, line 3" in done.stderr


def test_embedded_knowledge_base_answers_the_headline_question() -> None:
    done = run("path", "skills linking Python to Core ML engineer", data=False)
    assert done.returncode == 0, done.stderr
    assert "Python" in done.stdout and "Core ML engineer".lower() in done.stdout.lower()
