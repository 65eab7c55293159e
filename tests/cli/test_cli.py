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


def run_json(*args: str, data: bool = True) -> dict:
    done = run(*args, "--json", data=data)
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


# -- the options as documented ----------------------------------------------------------------
def test_no_inferred_changes_stats_sparql_and_validate() -> None:
    with_inferred = run_json("stats", data=False)
    without = run_json("stats", "--no-inferred", data=False)
    assert without["inferred_edges"] == 0 < with_inferred["inferred_edges"]
    assert without["triples"] < with_inferred["triples"]
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = [
        run_json("sparql", query, *extra, data=False)["results"]["bindings"][0]["n"]["value"]
        for extra in ((), ("--no-inferred",))
    ]
    assert int(counts[1]) == without["triples"] < int(counts[0]) == with_inferred["triples"]
    assert run_json("validate", "--no-inferred", data=False)["conforms"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("sparql", "ASK {}", "--timeout", "inf"), "not a number of seconds", id="inf"),
        pytest.param(("sparql", "ASK {}", "--timeout", "nan"), "not a number of seconds", id="nan"),
        pytest.param(("sparql", "ASK {}", "--timeout", "1e10"), "between 0 and", id="huge"),
        pytest.param(("--endpoint-timeout", "-1", "stats"), "not a number of seconds", id="neg"),
        pytest.param(("search", "x", "--limit", "-5"), "not a whole number", id="limit"),
        pytest.param(("neighbors", "Python", "--hops", "-1"), "not a whole number", id="hops"),
        pytest.param(("neighbors", "Python", "--hops", "99"), "too far", id="far"),
        pytest.param(("export", "--all", "--format", "pdf"), "invalid choice", id="format"),
    ],
)
def test_numbers_and_choices_out_of_range_are_usage_errors(args, message) -> None:
    done = run(*args)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_errors_are_json_with_json() -> None:
    done = run("show", "Quantum knitting", "--json")
    assert done.returncode == 2
    error = json.loads(done.stderr)
    assert error["code"] == 2 and "no node matches" in error["error"]
    done = run("search", "x", "--limit", "0", "--json")
    assert json.loads(done.stderr)["code"] == 2


def test_export_of_a_select_query_is_refused() -> None:
    done = run("export", "--query", "SELECT * WHERE { ?s ?p ?o }", "--format", "ttl")
    assert done.returncode == 2
    assert "CONSTRUCT or DESCRIBE" in done.stderr and done.stdout == ""


def test_help_shows_defaults_and_the_question_forms() -> None:
    done = run("path", "--help", data=False)
    assert done.returncode == 0
    assert "skills linking Python to Core ML engineer" in done.stdout
    assert "default: 6" in done.stdout


def test_a_query_file_that_never_ends_is_refused() -> None:
    done = run("sparql", "--file", "/dev/zero")
    assert done.returncode == 2
    assert "longer than" in done.stderr and "Traceback" not in done.stderr


def test_terminal_escapes_in_labels_are_not_printed(tmp_path: Path) -> None:
    data = tmp_path / "evil.ttl"
    data.write_text(
        "@prefix s: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://e/a> s:prefLabel "Evil\\u001b[2J\\u202Eeman" ; <http://e/p> <http://e/b> .\n'
        '<http://e/b> s:prefLabel "Other" .\n'
    )
    base = [sys.executable, "-m", "graph", "--no-default", "--data", str(data)]
    for args in (["show", "http://e/a"], ["search", "Evil"], ["neighbors", "Other"]):
        done = subprocess.run(
            [*base, *args], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
        assert "Evil" in done.stdout
