"""A persistent on-disk store: load once, open instantly afterwards.

``--store DIR`` keeps the parsed graph in an Oxigraph database under ``DIR``
together with a manifest of the files it was built from (path, size,
modification time and a content hash).  Opening the store again skips parsing
entirely unless the manifest no longer matches the files, in which case the
store is rebuilt, and the caller is told why.

Layout of ``DIR``::

    DIR/manifest.json   what the store was built from
    DIR/oxigraph/       the Oxigraph (RocksDB) database
    DIR/oxigraph.edges/ its integer adjacency index (see :mod:`graph.backends.edge_index`)
    DIR/oxigraph.NAME/  each derived index of :data:`DERIVED_INDEXES` (``names``: the
                        name index of :mod:`graph.backends.name_index`)

Derived indexes are computed from the database and its adjacency index once
it is loaded.  Each has a version, recorded in the manifest: a store whose
derived index was written by another version gets that index rewritten when
it is opened, and keeps its database.  To add one, append a
:class:`DerivedIndex` to :data:`DERIVED_INDEXES`.

A rebuild happens in ``DIR/oxigraph.new`` and replaces the old database only
once every file has loaded, so a malformed file leaves the previous store as
it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ..errors import BadInput, RDFSyntaxError, TooLarge
from ..io.loading import RdfSource, check_safe, detect_format, file_graph, syntax_error
from . import name_index
from .edge_index import EdgeIndex, IndexBuilder, index_folder

__all__ = [
    "DERIVED_INDEXES",
    "DerivedIndex",
    "FileEntry",
    "Manifest",
    "OpenedStore",
    "derived_folder",
    "open_store",
]

_MANIFEST = "manifest.json"
_DB = "oxigraph"
_FORMAT_VERSION = 2  # 2: the adjacency index is kept beside the database
_HASH_CHUNK = 1 << 20
_LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)


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
class DerivedIndex:
    """An index computed from a loaded store and kept beside its database.

    ``write(store, edges, folder)`` fills the empty ``folder`` from the store and
    its adjacency index; ``version`` changes whenever what it writes changes.
    """

    name: str
    version: int
    write: Callable[[ox.Store, EdgeIndex, Path], None]


def _write_names(_store: ox.Store, edges: EdgeIndex, folder: Path) -> None:
    name_index.NameIndex.from_edge_index(edges, path=name_index.NameIndex.file(folder))


#: The derived indexes every persistent store keeps, written in this order.
DERIVED_INDEXES: tuple[DerivedIndex, ...] = (
    DerivedIndex("names", name_index.VERSION, _write_names),
)


def derived_folder(db: str | os.PathLike[str], name: str) -> Path:
    """Where the derived index ``name`` of the database ``db`` is kept (beside it)."""
    db = Path(db)
    return db.with_name(f"{db.name}.{name}")


@dataclass(frozen=True)
class Manifest:
    """What a store was built from: its files, in load order, and its derived indexes."""

    files: tuple[FileEntry, ...]
    version: int = _FORMAT_VERSION
    derived: tuple[tuple[str, int], ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "files": [asdict(f) for f in self.files],
                "derived": dict(self.derived),
            }
        )

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = tuple(FileEntry(**f) for f in data["files"])
            derived = tuple((str(k), int(v)) for k, v in data.get("derived", {}).items())
            return cls(files, int(data["version"]), derived)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class OpenedStore:
    """An opened persistent store, and whether (and why) it was rebuilt."""

    store: ox.Store
    path: Path
    rebuilt: bool
    reason: str | None = None


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
    if old is None or old.version != _FORMAT_VERSION:
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
    directory: str | Path, files: Sequence[tuple[str, Path]], *, max_bytes: int | None = None
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

    Returns
    -------
    OpenedStore
        The store, opened read-only, with ``rebuilt`` and the ``reason``.

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
    if root.exists() and not root.is_dir():
        raise BadInput(f"--store {root}: not a folder")
    manifest_path, db = root / _MANIFEST, root / _DB
    old = Manifest.read(manifest_path)
    reason = _changes(old, files) if db.is_dir() else "new store"
    if reason is None and old is not None:
        store = _open_read_only(db)
        if dict(old.derived) != _derived_versions():
            _refresh_derived(store, db, old)
            manifest_path.write_text(
                Manifest(old.files, derived=tuple(_derived_versions().items())).to_json(),
                encoding="utf-8",
            )
        return OpenedStore(store, db, rebuilt=False)
    root.mkdir(parents=True, exist_ok=True)
    manifest = _build(root, files, max_bytes=max_bytes)
    manifest_path.write_text(manifest.to_json(), encoding="utf-8")
    return OpenedStore(_open_read_only(db), db, rebuilt=True, reason=reason)


def _open_read_only(db: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(db))
    except OSError as err:
        raise BadInput(f"cannot open the store at {db}: {err}") from err


def _derived_versions() -> dict[str, int]:
    return {d.name: d.version for d in DERIVED_INDEXES}


def _write_derived(
    store: ox.Store, edges: EdgeIndex, db: Path, which: Sequence[DerivedIndex]
) -> None:
    """Write each of ``which`` into its folder beside ``db`` (replaced)."""
    for derived in which:
        folder = derived_folder(db, derived.name)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        derived.write(store, edges, folder)


def _refresh_derived(store: ox.Store, db: Path, old: Manifest) -> None:
    """Rewrite the derived indexes whose version differs from the one ``old`` records."""
    recorded = dict(old.derived)
    stale = [d for d in DERIVED_INDEXES if recorded.get(d.name) != d.version]
    edges = EdgeIndex.load(index_folder(db)) or EdgeIndex.build(store)
    staging = db.with_name(db.name + ".refresh")
    _write_derived(store, edges, staging, stale)
    for derived in stale:
        target = derived_folder(db, derived.name)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(derived_folder(staging, derived.name), target)


def _build(root: Path, files: Sequence[tuple[str, Path]], *, max_bytes: int | None) -> Manifest:
    """Bulk-load ``files`` into a fresh database, then swap it in."""
    fresh, db = root / (_DB + ".new"), root / _DB
    fresh_index = index_folder(fresh)
    beside = [fresh_index, *(derived_folder(fresh, d.name) for d in DERIVED_INDEXES)]
    for folder in (fresh, *beside):
        shutil.rmtree(folder, ignore_errors=True)
    (root / _MANIFEST).unlink(missing_ok=True)
    entries = [FileEntry.of(name, path) for name, path in files]
    try:
        store = ox.Store(str(fresh))
        index = _load_and_index(store, files, max_bytes=max_bytes)
        store.flush()
        store.optimize()
        index = index or EdgeIndex.build(store)
        index.save(fresh_index)
        _write_derived(store, index, fresh, DERIVED_INDEXES)
        del store
    except BaseException:
        store = None  # noqa: F841 (closes the database before its folder goes)
        for folder in (fresh, *beside):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    swaps = [(db, fresh), (index_folder(db), fresh_index)]
    swaps += [(derived_folder(db, d.name), derived_folder(fresh, d.name)) for d in DERIVED_INDEXES]
    for old, new in swaps:
        shutil.rmtree(old, ignore_errors=True)
        os.replace(new, old)
    return Manifest(tuple(entries), derived=tuple(_derived_versions().items()))


def _load_and_index(
    store: ox.Store, files: Sequence[tuple[str, Path]], *, max_bytes: int | None
) -> EdgeIndex | None:
    """Bulk-load ``files`` into ``store`` while this thread parses them again for the index.

    Oxigraph's bulk loader runs without the interpreter lock, so the second
    parse costs no extra time on a machine with two cores or more.  Returns
    ``None`` when the parsed copy cannot stand for the store (blank nodes,
    which the store renames, or a parse that failed): the caller then reads
    the index out of the store.
    """
    failure: list[BaseException] = []
    loader = threading.Thread(
        target=_bulk_load_all, args=(store, files, max_bytes, failure), name="bulk-load"
    )
    loader.start()
    builder: IndexBuilder | None = IndexBuilder()
    try:
        for name, path in files:
            data, fmt = _input(name, path, max_bytes=max_bytes)
            with data if not isinstance(data, bytes) else nullcontext(data) as readable:
                builder.add(  # type: ignore[union-attr]
                    ox.parse(input=readable, format=fmt, base_iri=file_graph(name)),
                    default_graph=file_graph(name),
                )
            if builder.saw_blank_nodes:  # type: ignore[union-attr]
                builder = None
                break
    except Exception:  # the loader reports the same error with its position
        builder = None
    finally:
        loader.join()
    if failure:
        store = None  # the traceback keeps this frame: it must not keep the database open
        raise failure[0]
    return builder.finish() if builder is not None else None


def _bulk_load_all(
    store: ox.Store,
    files: Sequence[tuple[str, Path]],
    max_bytes: int | None,
    failure: list[BaseException],
) -> None:
    try:
        for name, path in files:
            bulk_load_file(store, name, path, max_bytes=max_bytes)
    except BaseException as err:  # handed to the waiting thread
        # Tracebacks hold the frames that hold the store: drop them, or the
        # database stays locked after the failed build.
        link: BaseException | None = err
        while link is not None:
            link.__traceback__ = None
            link = link.__cause__ or link.__context__
        failure.append(err)


def _input(
    name: str, path: Path, *, max_bytes: int | None
) -> tuple[bytes | BinaryIO, ox.RdfFormat]:
    """The open file (or, for XML, its checked bytes) and its format."""
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(f"{name} is {size:,} bytes; the limit is {max_bytes:,}")
    handle = path.open("rb")
    try:
        head = handle.read(2048)
        fmt = detect_format(path.name, head)
        handle.seek(0)
        if fmt == ox.RdfFormat.RDF_XML or (head.lstrip()[:1] == b"<" and fmt not in _LINE_FORMATS):
            data = handle.read()
            check_safe(RdfSource(name, data, fmt), max_bytes=max_bytes)
            handle.close()
            return data, fmt
    except BaseException:
        handle.close()
        raise
    return handle, fmt


def bulk_load_file(store: ox.Store, name: str, path: Path, *, max_bytes: int | None = None) -> None:
    """Stream one file into ``store`` with Oxigraph's bulk loader, in the graph of ``name``.

    RDF/XML is read whole and checked like any upload (no DOCTYPE or ENTITY);
    the line-based and Turtle-family formats are streamed from the file.
    """
    data, fmt = _input(name, path, max_bytes=max_bytes)
    graph = ox.NamedNode(file_graph(name))
    try:
        store.bulk_load(input=data, format=fmt, base_iri=file_graph(name), to_graph=graph)
    except SyntaxError as err:
        raise syntax_error(name, err) from err
    except (ValueError, OSError) as err:
        raise RDFSyntaxError(name, str(err)) from err
    finally:
        if not isinstance(data, bytes):
            data.close()
