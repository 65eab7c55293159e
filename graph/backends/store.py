"""A persistent on-disk store: load once, open instantly afterwards.

``--store DIR`` keeps the parsed graph in an Oxigraph database under ``DIR``
with a manifest of the files it was built from (path, size, modification time,
content hash).  Opening it again skips parsing unless the manifest no longer
matches the files: then the store is rebuilt, and the caller told why.

Layout of ``DIR``::

    DIR/manifest.json   what the store was built from, and which build it is
    DIR/oxigraph/       the Oxigraph (RocksDB) database
    DIR/oxigraph.edges/ its integer adjacency index (see :mod:`graph.backends.edge_index`)
    DIR/oxigraph.names/ the names search looks up (see :mod:`graph.backends.name_index`)
    DIR/oxigraph.NAME/  each other piece of derived data (see :mod:`graph.backends.derived`)

A rebuild happens in ``DIR/oxigraph.new`` and replaces the old database once
every file has loaded: a malformed file leaves the previous store as it was.
Derived data are written during the build and swapped in with the database;
derived data of another version are rewritten, the database kept.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadInput
from ..io.loading import plain_files
from .bulk import load_and_index
from .derived import (
    Derived,
    KeptData,
    damaged,
    derived_folder,
    fingerprints,
    first_change,
    new_generation,
    remove_all,
    stale,
    write_derived,
)
from .edge_index import EDGES, EdgeIndex
from .name_index import VERSION as NAMES_VERSION
from .store_lock import (
    check_folder,
    forget_frames,
    hold_readers,
    locked,
    no_other_readers,
    out_of_space,
)

__all__ = [
    "DERIVED_INDEXES",
    "NAMES",
    "FileEntry",
    "Manifest",
    "OpenedStore",
    "derived_folder",
    "mark_damaged",
    "open_store",
]

_MANIFEST = "manifest.json"
_DAMAGED = "damaged.txt"
_DB = "oxigraph"
_FORMAT_VERSION = 4  # 2: the adjacency index beside the database; 3: derived data; 4: checksums
_HASH_CHUNK = 1 << 20


def _write_names(_store: ox.Store, edges: EdgeIndex, folder: Path) -> None:
    from .name_index import NameIndex

    NameIndex.from_edge_index(edges, path=NameIndex.file(folder))


#: The name index of :mod:`graph.backends.name_index`, kept beside every store.
NAMES = Derived("names", NAMES_VERSION, _write_names, from_index=True)
#: The derived data every persistent store keeps after its adjacency index, in this order
#: (the caller of :func:`open_store` may ask for more).
DERIVED_INDEXES: tuple[Derived, ...] = (NAMES,)


@dataclass(frozen=True)
class FileEntry:
    """One source file as the store saw it."""

    name: str
    path: str
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, name: str, path: Path) -> FileEntry:
        stat = path.stat()
        return cls(name, str(path.resolve()), stat.st_size, stat.st_mtime_ns, _hash(path))


@dataclass(frozen=True)
class Manifest:
    """What a store was built from: its files, in load order."""

    files: tuple[FileEntry, ...]
    version: int = _FORMAT_VERSION
    #: Names this build of the database (see :mod:`graph.backends.derived`).
    generation: str = ""
    #: The database's files as built: name -> [size, time in ns, CRC-32].
    database: dict[str, list[int]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "generation": self.generation,
                "files": [asdict(f) for f in self.files],
                "database": self.database,
            }
        )

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = tuple(FileEntry(**f) for f in data["files"])
            database = data["database"]
            if not isinstance(database, dict):
                return None
            return cls(files, int(data["version"]), str(data.get("generation", "")), database)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class OpenedStore:
    """An opened persistent store, and whether (and why) it was rebuilt."""

    store: ox.Store
    path: Path
    rebuilt: bool
    reason: str | None = None
    #: The derived data kept for this build of the database.
    kept: KeptData | None = None
    #: Call when the store is no longer read: another process may then rebuild it.
    release: Callable[[], None] = field(default=lambda: None, compare=False, repr=False)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _changes(old: Manifest | None, files: Sequence[tuple[str, Path]]) -> str | None:
    """Why the store no longer matches ``files``, or ``None`` when it does.

    Size and modification time are compared first; the content hash is only
    computed for a file whose time changed, so an unchanged store opens
    without reading its sources.
    """
    if old is None or old.version != _FORMAT_VERSION or not old.generation:
        return "no usable manifest"
    if [f.path for f in old.files] != [str(p.resolve()) for _, p in files]:
        return "the list of source files changed"
    for entry, (_, path) in zip(old.files, files, strict=True):
        try:
            stat = path.stat()
        except OSError:
            return f"{entry.name} is gone"
        if stat.st_size != entry.size:
            return f"{entry.name} changed size"
        if stat.st_mtime_ns != entry.mtime_ns and _hash(path) != entry.sha256:
            return f"{entry.name} changed"
    return None


def open_store(
    directory: str | Path,
    files: Sequence[tuple[str, Path]],
    *,
    max_bytes: int | None = None,
    derived: Sequence[Derived] = (),
) -> OpenedStore:
    """Open the persistent store in ``directory``, (re)building it from ``files`` if needed.

    Parameters
    ----------
    directory : str or Path
        Where the store lives; created when missing.
    files : sequence of (name, Path)
        The RDF files the store must hold, in load order; ``name`` names each
        file's graph (see :func:`~graph.io.loading.file_graph`).
    max_bytes : int, optional
        Refuse files larger than this.
    derived : sequence of Derived
        Data to keep beside the database besides its adjacency index (see
        :mod:`graph.backends.derived`): written when the store is built, and
        rewritten on opening when kept at another version.

    Returns
    -------
    OpenedStore
        The store, opened read-only, with ``rebuilt``, the ``reason`` and its ``kept`` data.

    Raises
    ------
    RDFSyntaxError
        When a file cannot be parsed; the previous store is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "a.ttl").write_text("<http://e/a> <http://e/p> <http://e/b> .")
    >>> first = open_store(tmp / "db", [("a.ttl", tmp / "a.ttl")])
    >>> first.rebuilt, len(first.store)
    (True, 1)
    >>> del first
    >>> open_store(tmp / "db", [("a.ttl", tmp / "a.ttl")]).rebuilt
    False
    """
    root = Path(directory)
    check_folder(root)
    pieces = [EDGES, *DERIVED_INDEXES, *derived]
    with locked(root, exclusive=False):
        release = hold_readers(root)  # no other process rebuilds it while this one reads
        opened = None
        try:
            opened, reason = _open_current(root, files, pieces)
        finally:
            if opened is None:
                release()  # a builder waits for no reader, this one included
    if opened is not None:
        return replace(opened, release=release)
    with locked(root, exclusive=True):
        release = hold_readers(root)
        try:
            opened, again = _open_current(root, files, pieces)  # built while this one waited?
            if opened is not None:
                return replace(opened, release=release)
            reason = again or reason
            with no_other_readers(root):
                manifest = _build(root, files, pieces, max_bytes=max_bytes)
                _write_atomically(root / _MANIFEST, manifest.to_json())
                (root / _DAMAGED).unlink(missing_ok=True)
            db = root / _DB
            kept = KeptData(db, manifest.generation)
            store = _open_read_only(db)
        except BaseException:
            release()
            raise
        return OpenedStore(store, db, rebuilt=True, reason=reason, kept=kept, release=release)


def _open_current(
    root: Path, files: Sequence[tuple[str, Path]], pieces: Sequence[Derived]
) -> tuple[OpenedStore | None, str]:
    """The store opened when it matches ``files`` and opens; else why it must be rebuilt."""
    db = root / _DB
    old = Manifest.read(root / _MANIFEST)
    reason = _changes(old, files) if db.is_dir() else "new store"
    if (root / _DAMAGED).exists():
        detail = ""
        with suppress(OSError):
            detail = (root / _DAMAGED).read_text(encoding="utf-8")[:160]
        reason = "the database was found damaged" + (f" ({detail})" if detail else "")
    if reason is not None or old is None:
        return None, reason or "no usable manifest"
    changed = first_change(db, old.database, skip=_unrecorded)
    if changed is not None:
        return None, f"the database was damaged ({changed})"
    try:
        store = ox.Store.read_only(str(db))
    except (OSError, RuntimeError, ValueError) as err:  # RocksDB reports damage as RuntimeError
        return None, f"the database was damaged ({_first_line(err)})"
    _refresh(store, db, pieces, old.generation)
    return OpenedStore(store, db, rebuilt=False, kept=KeptData(db, old.generation)), ""


def _unrecorded(name: str) -> bool:
    """Files of the database that change while it is read (its log, its lock)."""
    return name.startswith("LOG") or name == "LOCK"


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:160] if text else type(err).__name__


def mark_damaged(db: str | Path, detail: str = "") -> Path:
    """Have the store of the database ``db`` rebuilt when next opened; its folder.

    Its manifest goes (it is what says a build is complete), so the next
    :func:`open_store` rebuilds the database from the source files, and says why.
    """
    root = Path(db).parent
    with suppress(OSError):
        (root / _DAMAGED).write_text(detail, encoding="utf-8")
        (root / _MANIFEST).unlink(missing_ok=True)
    return root


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)


def _refresh(store: ox.Store, db: Path, pieces: Sequence[Derived], generation: str) -> None:
    """Rewrite the derived data kept at another version than ``pieces`` say (the database stays).

    A store that cannot be written to (another user's, a read-only disk) is
    left as it is: the graph then computes what it needs in memory.
    """
    todo = stale(db, pieces, generation)
    if not todo:
        return
    hurt = damaged(db, todo, generation)
    if hurt:
        print(
            f"note: the store's {', '.join(hurt)} data in {db.parent} was damaged; "
            "rewriting it from the database",
            file=sys.stderr,
        )
    edges = None if EDGES in todo else EdgeIndex.load(derived_folder(db, EDGES.name))
    if edges is None:  # everything else is derived from the index: rewrite it all
        edges = EdgeIndex.build(store)
        todo = list(pieces)
    try:
        write_derived(store, edges, db, todo, generation=generation)
    except Exception as err:  # unwritable or full: the graph computes what it needs itself
        if not isinstance(err, OSError) and out_of_space(db, err) is None:
            raise


def _open_read_only(db: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(db))
    except (OSError, RuntimeError, ValueError) as err:
        raise BadInput(f"cannot open the store at {db}: {_first_line(err)}") from err


def _build(
    root: Path,
    files: Sequence[tuple[str, Path]],
    pieces: Sequence[Derived],
    *,
    max_bytes: int | None,
) -> Manifest:
    """Bulk-load ``files`` into a fresh database, derive ``pieces`` from it, then swap all in."""
    fresh, db = root / (_DB + ".new"), root / _DB
    remove_all(fresh)
    shutil.rmtree(fresh, ignore_errors=True)
    (root / _MANIFEST).unlink(missing_ok=True)
    entries = [FileEntry.of(name, path) for name, path in files]
    scratch = Path(tempfile.mkdtemp(prefix="mlcareer-build-"))
    generation = new_generation()
    try:
        files = plain_files(files, scratch)
        store = ox.Store(str(fresh))
        early = [p for p in pieces if p.from_index]
        index = load_and_index(
            store,
            files,
            max_bytes=max_bytes,
            while_loading=partial(
                write_derived, None, db=fresh, pieces=early, generation=generation
            ),
        )
        store.flush()
        store.optimize()
        rest = [p for p in pieces if index is None or not p.from_index]
        write_derived(store, index or EdgeIndex.build(store), fresh, rest, generation=generation)
        del store
        gc.collect()  # a derived piece may have left a cycle holding the database open
    except BaseException as err:
        store = None  # noqa: F841 (closes the database before its folder goes)
        full = out_of_space(root, err)
        if full is not None:
            forget_frames(err)
        gc.collect()
        remove_all(fresh)
        shutil.rmtree(fresh, ignore_errors=True)
        if full is not None:
            raise full from None
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    remove_all(db)
    shutil.rmtree(db, ignore_errors=True)
    os.replace(fresh, db)
    for piece in pieces:
        os.replace(derived_folder(fresh, piece.name), derived_folder(db, piece.name))
    database = fingerprints(db, skip=_unrecorded)
    return Manifest(tuple(entries), generation=generation, database=database)
