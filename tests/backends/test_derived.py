"""Derived data: written with its store, replaced with it, rewritten alone on a new version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.backends.derived import Derived, KeptData, derived_folder
from graph.backends.edge_index import EDGES
from graph.backends.store import open_store

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def mini(tmp_path: Path) -> list[tuple[str, Path]]:
    target = tmp_path / "mini.trig"
    shutil.copy(DATA / "mini.trig", target)
    return [("mini.trig", target)]


def _counter(version: int, calls: list[str]) -> Derived:
    """A piece that writes how many statements the store holds, and records each writing."""

    def write(store, edges, folder: Path) -> None:
        calls.append(folder.name)
        (folder / "n.txt").write_text(f"{len(store)} {len(edges)}", encoding="utf-8")

    return Derived("count", version, write)


def test_written_with_the_store_and_read_back(tmp_path: Path, mini) -> None:
    calls: list[str] = []
    piece = _counter(1, calls)
    opened = open_store(tmp_path / "db", mini, derived=[piece])
    assert opened.rebuilt and len(calls) == 1
    folder = opened.kept.folder(piece)
    assert folder == derived_folder(opened.path, "count")
    assert folder.joinpath("n.txt").read_text().split()[0] == str(len(opened.store))
    assert opened.kept.folder(EDGES) is not None
    del opened
    again = open_store(tmp_path / "db", mini, derived=[piece])
    assert not again.rebuilt and len(calls) == 1  # kept, not recomputed


def test_a_new_version_rewrites_the_piece_and_keeps_the_database(tmp_path: Path, mini) -> None:
    calls: list[str] = []
    opened = open_store(tmp_path / "db", mini, derived=[_counter(1, calls)])
    database = {p.name: p.stat().st_mtime_ns for p in opened.path.iterdir()}
    del opened
    newer = _counter(2, calls)
    again = open_store(tmp_path / "db", mini, derived=[newer])
    assert not again.rebuilt and len(calls) == 2
    assert again.kept.folder(newer) is not None
    assert {p.name: p.stat().st_mtime_ns for p in again.path.iterdir()} == database


def test_data_of_another_build_is_never_read(tmp_path: Path, mini) -> None:
    calls: list[str] = []
    piece = _counter(1, calls)
    first = open_store(tmp_path / "db", mini, derived=[piece])
    stale = KeptData(first.path, first.kept.generation)
    del first
    mini[0][1].write_text(mini[0][1].read_text() + "\n# changed\n", encoding="utf-8")
    second = open_store(tmp_path / "db", mini, derived=[piece])
    assert second.rebuilt and len(calls) == 2
    assert stale.folder(piece) is None  # a process that opened the old build sees nothing
    assert second.kept.folder(piece) is not None


def test_a_rebuild_drops_pieces_no_longer_asked_for(tmp_path: Path, mini) -> None:
    calls: list[str] = []
    open_store(tmp_path / "db", mini, derived=[_counter(1, calls)])
    mini[0][1].write_text(mini[0][1].read_text() + "\n# changed\n", encoding="utf-8")
    opened = open_store(tmp_path / "db", mini)
    assert opened.rebuilt
    assert not derived_folder(opened.path, "count").exists()


def test_a_failing_piece_leaves_nothing_half_written(tmp_path: Path, mini) -> None:
    def broken(store, edges, folder: Path) -> None:
        (folder / "part.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("the piece could not be derived")

    with pytest.raises(RuntimeError):
        open_store(tmp_path / "db", mini, derived=[Derived("broken", 1, broken)])
    assert not any(p.name.startswith("oxigraph") for p in (tmp_path / "db").iterdir())
