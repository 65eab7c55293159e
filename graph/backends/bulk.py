"""Loading files into a persistent store: Oxigraph's bulk loader, with the index beside it.

The bulk loader runs in a thread of its own without the interpreter lock while
this one parses the same files for the adjacency index, and writes what that
index alone gives; RDF/XML is read whole and checked like any upload.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ..errors import RDFSyntaxError, TooLarge
from ..io.loading import RdfSource, check_safe, detect_format, file_graph, syntax_error
from .edge_index import EdgeIndex, IndexBuilder
from .store_lock import forget_frames

__all__ = ["bulk_load_file", "load_and_index"]

_LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)


def load_and_index(
    store: ox.Store,
    files: Sequence[tuple[str, Path]],
    *,
    max_bytes: int | None,
    while_loading: Callable[[EdgeIndex], None],
) -> EdgeIndex | None:
    """Bulk-load ``files`` into ``store`` while this thread parses them again for the index.

    Oxigraph's bulk loader runs without the interpreter lock, so the second parse
    costs no extra time on two cores, and ``while_loading(index)`` writes what the
    index alone gives while the loader finishes.  ``None`` when the parsed copy
    cannot stand for the store (blank nodes, which the store renames, or a parse
    that failed): the caller then reads the index out of the store.
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
    index = None
    try:
        if builder is not None:
            index = builder.finish()
            while_loading(index)
    finally:
        loader.join()
    if failure:
        store = None  # the traceback keeps this frame: it must not keep the database open
        raise failure[0]
    return index


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
        forget_frames(err)
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
