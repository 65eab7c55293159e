"""A persistent store under faults: damaged files are found and rebuilt, no user file is lost.

``scripts/store_faults.py`` runs every file of a store through the same damage
from the command line; these tests pin the behaviour of each kind.
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import graph
from graph.backends import store as store_module
from graph.backends import store_lock
from graph.backends.store import open_store
from graph.errors import BadInput, StoreDamaged, TooLarge
from graph.query.neighbors import neighbors

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini.trig"
    shutil.copy(DATA / "mini.trig", target)
    return target


def _build(tmp_path: Path, mini: Path) -> Path:
    kg = graph.load([mini], default=False, store=tmp_path / "db")
    del kg
    gc.collect()
    return tmp_path / "db"


def _neighbour_ids(kg: graph.KnowledgeGraph) -> list[str]:
    return sorted(n.id for n in neighbors(kg, "Python", hops=1).nodes)


# -- other people's files ---------------------------------------------------------------------
def test_a_folder_that_is_not_a_store_is_refused_and_left_alone(tmp_path: Path, mini: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    with pytest.raises(BadInput, match=r"holds other files \(notes\.txt\) and no store"):
        graph.load([mini], default=False, store=folder)
    assert (folder / "notes.txt").read_text() == "my notes"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_users_own_manifest_does_not_make_a_store(tmp_path: Path, mini: Path):
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"name": "my app"}')
    with pytest.raises(BadInput, match="no store"):
        graph.load([mini], default=False, store=folder)
    assert (folder / "manifest.json").read_text() == '{"name": "my app"}'


def test_a_users_file_beside_a_store_survives_a_rebuild(tmp_path: Path, mini: Path):
    db = _build(tmp_path, mini)
    (db / "notes.txt").write_text("kept")
    mini.write_text(mini.read_text() + "\n# changed\n")
    assert open_store(db, [("mini.trig", mini)]).rebuilt
    assert (db / "notes.txt").read_text() == "kept"


# -- concurrent and interrupted builds --------------------------------------------------------
_BUILD = (
    "import graph, sys; graph.load([sys.argv[1]], default=False, store=sys.argv[2]); print('ok')"
)


def _builder(mini: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _BUILD, str(mini), str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_first_builds_at_once_leave_one_good_store(tmp_path: Path, mini: Path):
    db = tmp_path / "db"
    first = _builder(mini, db)
    time.sleep(0.3)
    second = _builder(mini, db)
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert all("Traceback" not in err for _, err in outputs)
    opened = open_store(db, [("mini.trig", mini)])
    assert not opened.rebuilt
    assert len(opened.store) == graph.load([mini], default=False).triple_count()


def test_a_build_killed_midway_is_rebuilt_next_time(tmp_path: Path, mini: Path):
    db = tmp_path / "db"
    proc = _builder(mini, db)
    time.sleep(0.8)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    opened = open_store(db, [("mini.trig", mini)])
    assert len(opened.store) == graph.load([mini], default=False).triple_count()


_READER = """
import sys, graph
from graph.sparql import run_query
kg = graph.load([sys.argv[1]], default=False, store=sys.argv[2])
print("open", flush=True)
sys.stdin.readline()
print(len(run_query(kg, "SELECT * WHERE { ?s ?p ?o }").rows), flush=True)
"""


def test_a_store_read_by_another_process_is_not_rebuilt_under_it(
    tmp_path: Path, mini: Path, monkeypatch
):
    """Rebuilt from other files under the app, it once answered SPARQL from the new data."""
    db = _build(tmp_path, mini)
    other = tmp_path / "other.ttl"
    other.write_text("<http://e/a> <http://e/p> <http://e/b> .\n")
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(mini), str(db)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline() == "open\n"
        monkeypatch.setattr(store_lock, "READERS_WAIT", 0.5)
        with pytest.raises(BadInput, match=r"another process .* is reading this store"):
            open_store(db, [("other.ttl", other)])
        reader.stdin.write("\n")
        reader.stdin.flush()
        rows = int(reader.stdout.readline())
    finally:
        reader.kill()
        reader.wait()
    assert rows == graph.load([mini], default=False).triple_count()  # the data it opened
    opened = open_store(db, [("other.ttl", other)])  # the reader gone, the rebuild goes on
    assert opened.rebuilt and len(opened.store) == 1


def test_this_processs_own_readers_do_not_stop_its_rebuild(tmp_path: Path, mini: Path):
    db = _build(tmp_path, mini)
    kg = graph.load([mini], default=False, store=db)
    other = tmp_path / "other.ttl"
    other.write_text("<http://e/a> <http://e/p> <http://e/b> .\n")
    assert open_store(db, [("other.ttl", other)]).rebuilt
    del kg


_FULL = [
    OSError(errno.ENOSPC, "No space left on device"),
    sqlite3.OperationalError("database or disk is full"),
    RuntimeError("IO error: No space left on device: While appending to file: 000012.sst"),
]


@pytest.mark.parametrize("error", _FULL, ids=["os", "sqlite", "rocksdb"])
def test_a_full_disk_during_a_build_is_a_message_and_leaves_no_half_store(
    tmp_path: Path, mini: Path, monkeypatch, error: Exception
):
    def full(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(store_module, "write_derived", full)
    with pytest.raises(TooLarge, match="the disk is full"):
        open_store(tmp_path / "db", [("mini.trig", mini)])
    assert sorted(p.name for p in (tmp_path / "db").iterdir()) == ["readers.lock", "store.lock"]
    monkeypatch.undo()
    assert open_store(tmp_path / "db", [("mini.trig", mini)]).rebuilt


def test_a_store_on_a_full_disk_from_the_command_line(tmp_path: Path, mini: Path):
    """A real small disk (a tmpfs, where this user may mount one)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small disk here")
    try:
        shutil.copy(mini, disk / "notes.trig")  # a user's file on the same disk
        run = subprocess.run(
            [sys.executable, "-m", "graph", "--store", str(disk / "db"), "stats"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 3, run.stderr
        assert "Traceback" not in run.stderr and "the disk is full" in run.stderr
        assert (disk / "notes.trig").read_bytes() == mini.read_bytes()
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# -- damaged database -------------------------------------------------------------------------
def _largest_sst(db: Path) -> Path:
    return max((db / "oxigraph").glob("*.sst"), key=lambda p: p.stat().st_size)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda db: (db / "oxigraph" / "CURRENT").write_bytes(b""), id="empty-current"),
        pytest.param(
            lambda db: os.truncate(
                next((db / "oxigraph").glob("MANIFEST-*")),
                next((db / "oxigraph").glob("MANIFEST-*")).stat().st_size // 2,
            ),
            id="truncated-rocksdb-manifest",
        ),
        pytest.param(lambda db: _largest_sst(db).unlink(), id="missing-sst"),
        pytest.param(
            lambda db: os.truncate(_largest_sst(db), _largest_sst(db).stat().st_size // 2),
            id="truncated-sst",
        ),
    ],
)
def test_a_database_damaged_before_opening_is_rebuilt(tmp_path: Path, mini: Path, damage):
    db = _build(tmp_path, mini)
    damage(db)
    opened = open_store(db, [("mini.trig", mini)])
    assert opened.rebuilt and "damaged" in (opened.reason or "")
    assert len(opened.store) == graph.load([mini], default=False).triple_count()


def test_a_database_damaged_inside_is_reported_then_rebuilt(tmp_path: Path, mini: Path):
    db = _build(tmp_path, mini)
    for sst in (db / "oxigraph").glob("*.sst"):
        size = sst.stat().st_size
        with sst.open("r+b") as handle:
            handle.seek(size // 3)
            handle.write(os.urandom(min(2048, size // 3)))
    try:
        kg = graph.load([mini], default=False, store=db)
        list(kg.backend.iter_quads())
    except StoreDamaged as err:
        assert "is rebuilt from its sources" in str(err)
    else:  # this time every damaged block escaped the read: opening found it, or nothing did
        pass
    kg = graph.load([mini], default=False, store=db)
    assert len(list(kg.backend.iter_quads())) == graph.load([mini], default=False).triple_count()


# -- damaged derived data ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda e: shutil.copy(e / "o.npy", e / "s.npy"), id="o-copied-over-s"),
        pytest.param(
            lambda e: os.truncate(e / "terms.npy", (e / "terms.npy").stat().st_size // 2),
            id="truncated-terms",
        ),
        pytest.param(
            lambda e: (e / "meta.json").write_text(
                '{"version": 1, "predicates": [], "graphs": []}'
            ),
            id="meta-without-names",
        ),
    ],
)
def test_damaged_index_files_are_found_and_rewritten(tmp_path: Path, mini: Path, damage, capsys):
    memory = graph.load([mini], default=False)
    db = _build(tmp_path, mini)
    damage(db / "oxigraph.edges")
    capsys.readouterr()
    kg = graph.load([mini], default=False, store=db)
    assert "edges data" in capsys.readouterr().err
    assert _neighbour_ids(kg) == _neighbour_ids(memory)
