"""The persistent store: built once, opened without parsing, rebuilt when its files change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph
from graph.backends.edge_index import EdgeIndex, index_folder
from graph.backends.store import open_store
from graph.errors import RDFSyntaxError
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths
from graph.query.search import search

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of mini.trig the test may change."""
    target = tmp_path / "mini.trig"
    shutil.copy(DATA / "mini.trig", target)
    return target


def _labels(kg: graph.KnowledgeGraph, text: str) -> list[str]:
    return [r.label for r in search(kg, text)]


def test_first_run_builds_and_warm_open_reuses(tmp_path: Path, mini: Path) -> None:
    memory = graph.load([mini], default=False)
    first = graph.load([mini], default=False, store=tmp_path / "db")
    assert first.triple_count() == memory.triple_count()
    assert _labels(first, "pyhton") == _labels(memory, "pyhton")
    assert first.backend.location == str(tmp_path / "db" / "oxigraph")
    del first
    opened = open_store(tmp_path / "db", [("mini.trig", mini)])
    assert not opened.rebuilt
    assert len(opened.store) == memory.triple_count()


def test_touched_but_unchanged_file_is_not_reloaded(tmp_path: Path, mini: Path) -> None:
    open_store(tmp_path / "db", [("mini.trig", mini)])
    os.utime(mini, ns=(1, 1))
    assert not open_store(tmp_path / "db", [("mini.trig", mini)]).rebuilt


def test_changed_file_rebuilds_and_says_so(
    tmp_path: Path, mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.load([mini], default=False, store=tmp_path / "db")
    assert capsys.readouterr().err == ""
    with mini.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n<http://example.org/new> <http://www.w3.org/2004/02/skos/core#prefLabel>"
            ' "Brand new thing"@en .\n'
        )
    kg = graph.load([mini], default=False, store=tmp_path / "db")
    assert "rebuilt the store" in capsys.readouterr().err
    assert _labels(kg, "brand new thing")[0] == "Brand new thing"


def test_added_file_rebuilds(tmp_path: Path, mini: Path) -> None:
    open_store(tmp_path / "db", [("mini.trig", mini)])
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/x> <http://example.org/p> <http://example.org/y> .")
    opened = open_store(tmp_path / "db", [("mini.trig", mini), ("extra.ttl", extra)])
    assert opened.rebuilt
    assert "list of source files" in (opened.reason or "")


def test_malformed_file_leaves_the_store_as_it_was(tmp_path: Path, mini: Path) -> None:
    before = len(open_store(tmp_path / "db", [("mini.trig", mini)]).store)
    mini.write_text("<http://example.org/a> <http://example.org/p> .\n", encoding="utf-8")
    with pytest.raises(RDFSyntaxError, match=r"mini\.trig, line 1"):
        open_store(tmp_path / "db", [("mini.trig", mini)])
    shutil.copy(DATA / "mini.trig", mini)
    os.utime(mini, ns=(2, 2))  # same content as the store: opened without a rebuild
    opened = open_store(tmp_path / "db", [("mini.trig", mini)])
    assert len(opened.store) == before


def test_unsafe_rdf_xml_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r/>')
    with pytest.raises(graph.UnsafeInput):
        open_store(tmp_path / "db", [("bomb.rdf", bomb)])
    assert not (tmp_path / "db" / "oxigraph").exists()


def test_sparql_console_reads_the_store(tmp_path: Path, mini: Path) -> None:
    from graph.sparql import run_query, stop_workers

    kg = graph.load([mini], default=False, store=tmp_path / "db")
    try:
        result = run_query(kg, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(result.rows[0]["n"].value) == kg.triple_count()
    finally:
        stop_workers(kg)


def test_command_line_store(tmp_path: Path, mini: Path) -> None:
    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "graph",
                "--store",
                str(tmp_path / "db"),
                "--no-default",
                "--data",
                str(mini),
                "search",
                "pyhton",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    first, second = run(), run()
    assert first.returncode == second.returncode == 0
    assert "Python" in first.stdout and first.stdout == second.stdout
    assert second.stderr == ""
    mini.write_text(mini.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    third = run()
    assert third.returncode == 0 and "rebuilt" in third.stderr


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> graph.KnowledgeGraph:
    """20,000 synthetic ESCO-shaped triples in a persistent store."""
    folder = tmp_path_factory.mktemp("synth")
    data = folder / "synth.nq"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synth.py"), "--triples", "20000", "-o", str(data)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return graph.load([data], default=False, store=folder / "db")


def test_synthetic_graph_answers(synthetic: graph.KnowledgeGraph) -> None:
    assert synthetic.triple_count() >= 20_000
    rows = synthetic.backend.select(
        "SELECT ?r ?s WHERE { ?r mlc:requiresSkill ?s } ORDER BY ?r ?s LIMIT 1"
    )
    role, skill = rows[0]["r"], rows[0]["s"]
    label = synthetic.node(role).label
    hits = search(synthetic, label)
    assert hits and hits[0].label == label
    nb = neighbors(synthetic, role, hops=2, limit=300)
    assert 0 < len(nb.nodes) <= 300
    result = find_paths(synthetic, role, skill, k=3)
    assert result.paths[0].nodes[0].id == role
    assert len(result.paths[0].nodes) == 2


def _statements(index: EdgeIndex) -> set[tuple[str, str, str, str | None]]:
    t, p, g = index.terms, index.predicates, index.graphs
    return {
        (t[s], p[q], t[o], g[h])
        for s, q, o, h in zip(
            index.s.tolist(), index.p.tolist(), index.o.tolist(), index.g.tolist(), strict=True
        )
    }


def test_index_parsed_beside_the_load_matches_the_store(tmp_path: Path) -> None:
    """The index is parsed from the files while the store loads them: it must agree with it."""
    from graph.io.loading import DEFAULT_DATA_DIR, EXCLUDED_DIRS, source_files

    files = source_files([DEFAULT_DATA_DIR, DATA / "mini.trig"], skip_dirs=EXCLUDED_DIRS)
    opened = open_store(tmp_path / "db", files)
    saved = EdgeIndex.load(index_folder(opened.path))
    read = EdgeIndex.build(opened.store)
    assert saved is not None and len(saved) == len(read) > 1000
    assert _statements(saved) == _statements(read)
    assert sorted(saved.name_rows()) == sorted(read.name_rows())


def test_blank_nodes_are_indexed_from_the_store(tmp_path: Path) -> None:
    """A store renames blank nodes, so a file holding some is indexed from the store itself;
    the blank node folds into its owner: no edge, an attribute."""
    data = tmp_path / "b.ttl"
    data.write_text(
        "@prefix e: <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
        " e:a e:knows [ rdfs:label 'B' ] ; rdfs:label 'A' .",
        encoding="utf-8",
    )
    kg = graph.load([data], default=False, store=tmp_path / "db")
    assert kg.neighbor_ids("http://e/a") == []
    assert kg.details("http://e/a").attributes == {"knows": ["label: B"]}
    assert _statements(kg.adjacency().index) == _statements(EdgeIndex.build(kg.store))


def test_files_added_to_a_stored_graph_leave_the_store_alone(tmp_path: Path, mini: Path) -> None:
    from graph.io.loading import RdfSource

    stored = graph.load([mini], default=False, store=tmp_path / "db")
    label = b"<http://www.w3.org/2000/01/rdf-schema#label>"
    extra = RdfSource(
        "extra.nt",
        b"<http://example.org/new> " + label + b' "Brand new" .\n',
        ox.RdfFormat.N_TRIPLES,
    )
    bigger = stored.with_sources([extra])
    assert bigger.triple_count() == stored.triple_count() + 1
    assert _labels(bigger, "Brand new")[0] == "Brand new"
    assert "Brand new" not in _labels(stored, "Brand new")
    with pytest.raises(RDFSyntaxError):
        stored.with_sources([RdfSource("bad.nt", b"<a> <b>", ox.RdfFormat.N_TRIPLES)])
