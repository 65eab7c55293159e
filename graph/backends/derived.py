"""Data derived from a persistent store, computed once, kept beside it and replaced with it.

Opening a store takes milliseconds; what a command needs beyond its
statements (the adjacency index, the names search looks up, the counts
``stats`` prints, each node's main class and degree) takes seconds to
recompute from millions of statements.  So each such piece is a
:class:`Derived`: a name, a version and a function that writes it into a
folder from the loaded store.  :mod:`graph.backends.store` writes every one
the caller asks for when it builds the store, swaps them in together with the
database, and rewrites only those whose version changed when it opens a store
built by another version (the database is kept).

Layout beside the database ``DIR/oxigraph``::

    DIR/oxigraph.NAME/          one folder per derived piece
    DIR/oxigraph.NAME/kept.json {"name", "version", "generation", "files"}, written last

``files`` holds each file's size, modification time and CRC-32.  A piece is
used only while its files match: a file whose size changed, or whose time
changed and whose checksum no longer matches (a truncated ``terms.npy``, one
array copied over another), makes the piece stale, and the store rewrites it
from the database.  An unchanged file costs one ``stat`` to check.

``generation`` names one build of the database (it is recorded in the
store's manifest): a folder is used only by a process that opened the same
build, so data derived from an older database is never read beside a newer
one, even by a process that opened the store before it was rebuilt.

To add a piece, define a :class:`Derived` and pass it to
:func:`~graph.backends.store.open_store` (the graph does so with
:data:`graph.core.facts.KEPT`); read it back with :meth:`KeptData.folder`.

>>> import tempfile
>>> db = Path(tempfile.mkdtemp()) / "oxigraph"
>>> piece = Derived("demo", 1, lambda store, edges, folder: (folder / "n.txt").write_text("7"))
>>> write_derived(None, None, db, [piece], generation="g1")
>>> kept = KeptData(db, "g1")
>>> (kept.folder(piece) / "n.txt").read_text()
'7'
>>> KeptData(db, "g2").folder(piece) is None   # another build: not this one's data
True
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .edge_index import EdgeIndex

__all__ = [
    "Derived",
    "KeptData",
    "damaged",
    "derived_folder",
    "fingerprints",
    "first_change",
    "is_current",
    "new_generation",
    "remove_all",
    "stale",
    "write_derived",
]

_META = "kept.json"


@dataclass(frozen=True)
class Derived:
    """One piece of data derived from a loaded store and kept beside its database.

    Parameters
    ----------
    name : str
        The folder's suffix (``DIR/oxigraph.NAME``); letters, digits and ``-``.
    version : int
        Change it whenever what ``write`` produces changes: stores whose kept
        copy has another version get it rewritten when they are next opened.
    write : callable
        ``write(store, edges, folder)`` fills the empty ``folder`` from the
        store (read only) and its :class:`~graph.backends.edge_index.EdgeIndex`.
    from_index : bool
        ``write`` reads the index only (it is given ``None`` for the store), so a
        build may write it while the store is still being loaded.
    """

    name: str
    version: int
    write: Callable[[ox.Store, EdgeIndex, Path], Any]
    from_index: bool = False


def derived_folder(db: str | os.PathLike[str], name: str) -> Path:
    """Where the derived piece ``name`` of the database ``db`` is kept (beside it).

    >>> derived_folder("/data/store/oxigraph", "edges").as_posix()
    '/data/store/oxigraph.edges'
    """
    db = Path(db)
    return db.with_name(f"{db.name}.{name}")


def new_generation() -> str:
    """A fresh name for one build of a database."""
    return secrets.token_hex(8)


def _meta(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / _META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_current(db: Path, piece: Derived, generation: str) -> bool:
    """Whether ``piece`` is kept beside ``db`` for this build, at its present version, intact."""
    folder = derived_folder(db, piece.name)
    meta = _meta(folder)
    return (
        meta is not None
        and meta.get("name") == piece.name
        and meta.get("version") == piece.version
        and meta.get("generation") == generation
        and _intact(folder, meta.get("files"))
    )


def _checksum(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def _kept_file(path: Path, skip: Callable[[str], bool]) -> bool:
    return path.is_file() and path.name != _META and not skip(path.name)


def fingerprints(
    folder: Path, *, skip: Callable[[str], bool] = lambda _name: False
) -> dict[str, list[int]]:
    """Each file of ``folder`` but those ``skip`` names: [size, time in ns, CRC-32]."""
    out = {}
    for path in sorted(folder.iterdir()):
        if _kept_file(path, skip):
            stat = path.stat()
            out[path.name] = [stat.st_size, stat.st_mtime_ns, _checksum(path)]
    return out


def first_change(
    folder: Path, files: Any, *, skip: Callable[[str], bool] = lambda _name: False
) -> str | None:
    """The first file of ``folder`` that differs from its :func:`fingerprints`, else ``None``.

    A file whose size and time are unchanged costs one ``stat``; one whose
    time changed is read to compare its checksum.
    """
    if not isinstance(files, dict):
        return "the record of its files"
    try:
        present = {p.name for p in folder.iterdir() if _kept_file(p, skip)}
        for name in sorted(present ^ set(files)):
            return f"{name} is {'gone' if name in files else 'new'}"
        for name, (size, mtime_ns, crc) in sorted(files.items()):
            stat = (folder / name).stat()
            if stat.st_size != size:
                return f"{name} changed size"
            if stat.st_mtime_ns != mtime_ns and _checksum(folder / name) != crc:
                return f"{name} changed"
    except (OSError, TypeError, ValueError) as err:
        return str(err) or type(err).__name__
    return None


def _intact(folder: Path, files: Any) -> bool:
    """Whether the files of ``folder`` are those written (see the module's notes)."""
    return first_change(folder, files) is None


def damaged(db: Path, pieces: Iterable[Derived], generation: str) -> list[str]:
    """The names of ``pieces`` kept for this build and version whose files no longer match."""
    out = []
    for piece in pieces:
        folder = derived_folder(db, piece.name)
        meta = _meta(folder)
        if (
            meta is not None
            and meta.get("version") == piece.version
            and meta.get("generation") == generation
            and not _intact(folder, meta.get("files"))
        ):
            out.append(piece.name)
    return out


def stale(db: Path, pieces: Iterable[Derived], generation: str) -> list[Derived]:
    """The ``pieces`` missing beside ``db``, or kept at another version or for another build."""
    return [p for p in pieces if not is_current(db, p, generation)]


def write_derived(
    store: ox.Store | None,
    edges: EdgeIndex | None,
    db: Path,
    pieces: Sequence[Derived],
    *,
    generation: str,
) -> None:
    """Write each of ``pieces`` beside ``db``, in order, each replacing its old copy.

    Each is written into a scratch folder first and moved in complete, its
    ``kept.json`` last, so a failure leaves no half-written piece in use.
    """
    for piece in pieces:
        target = derived_folder(db, piece.name)
        scratch = target.with_name(f"{target.name}.tmp-{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        try:
            piece.write(store, edges, scratch)  # type: ignore[arg-type]
            meta = {
                "name": piece.name,
                "version": piece.version,
                "generation": generation,
                "files": fingerprints(scratch),
            }
            (scratch / _META).write_text(json.dumps(meta), encoding="utf-8")
            _replace(scratch, target)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise


def _replace(new: Path, target: Path) -> None:
    """Move the folder ``new`` to ``target``, setting any older copy aside first."""
    if target.exists():
        old = target.with_name(f"{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        shutil.rmtree(old, ignore_errors=True)
    os.replace(new, target)


def remove_all(db: Path) -> None:
    """Remove every derived folder beside ``db`` (before a new build is swapped in)."""
    for folder in db.parent.glob(f"{db.name}.*"):
        if folder.is_dir() and not folder.name.startswith(f"{db.name}.new"):
            shutil.rmtree(folder, ignore_errors=True)


class KeptData:
    """The derived data kept beside one build of a database, as a backend reads it.

    ``folder(piece)`` is the folder of ``piece`` when it was written for this
    build at the piece's present version, else ``None``: the reader then
    computes what it needs itself.
    """

    def __init__(self, db: str | os.PathLike[str], generation: str) -> None:
        self.db = Path(db)
        self.generation = generation

    def folder(self, piece: Derived) -> Path | None:
        """The folder holding ``piece`` for this build, or ``None``."""
        if is_current(self.db, piece, self.generation):
            return derived_folder(self.db, piece.name)
        return None
