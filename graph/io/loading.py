"""Reading RDF files into an Oxigraph store, safely.

What the user gives is parsed as data, never as a location: files are read by
this module and handed to the parser as bytes, so nothing in them (a JSON-LD
``@context``, an ``owl:imports``, an XML entity) makes the parser fetch or open
anything else.  RDF/XML that declares a DOCTYPE or entities is refused before
parsing: entity expansion alone can exhaust memory.

Each file's triples go into a named graph of their own (:func:`file_graph`),
so a statement always says where it came from; quad files keep their graphs.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ..errors import BadInput, LimitExceeded, RDFSyntaxError, TooLarge, UnsafeInput
from .nesting import check_nesting, has_triple_terms

__all__ = [
    "DEFAULT_DATA_DIR",
    "EXCLUDED_DIRS",
    "RDF_SUFFIXES",
    "RdfSource",
    "check_file",
    "detect_format",
    "file_graph",
    "iter_rdf_files",
    "load_into",
    "parse_isolated",
    "plain_files",
    "read_sources",
    "source_files",
    "syntax_error",
]


def _knowledge_base_dir() -> Path:
    """The embedded knowledge base: installed beside the package, or ``ontology/`` of a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "kb"
    return installed if installed.is_dir() else package.parent / "ontology"


DEFAULT_DATA_DIR = _knowledge_base_dir()
#: Folders of ``ontology/`` that hold shapes, rules and queries, not data.
EXCLUDED_DIRS = frozenset({"shapes", "rules", "queries"})

RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
_XML_DANGER = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XINCLUDE = re.compile(rb"http://www\.w3\.org/200[13]/XInclude")
_POSITION = re.compile(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+): ")
_PARSE_WORKER = Path(__file__).resolve().parent / "parse_worker.py"
#: Seconds a child process may take to parse a document, plus two per megabyte.
PARSE_TIMEOUT = 60.0
#: Bytes of address space a child process may use to parse a document.
PARSE_MEMORY = 2 * 1024**3
_FILE_GRAPH = "urn:mlcareer:file:"


@dataclass(frozen=True)
class RdfSource:
    """One RDF document to load: its display name, its bytes and its format.

    A document is parsed in a child process (:func:`parse_isolated`) unless
    ``trusted``: only the package's own knowledge base is.
    """

    name: str
    data: bytes
    format: ox.RdfFormat
    trusted: bool = False


def file_graph(name: str) -> str:
    """The IRI of the named graph that holds the triples of the file ``name``.

    >>> file_graph("my data.ttl")
    'urn:mlcareer:file:my%20data.ttl'
    """
    return _FILE_GRAPH + quote(name, safe="/._-")


def detect_format(name: str, data: bytes) -> ox.RdfFormat:
    """Choose the RDF syntax of ``data`` from the file name, else from its content.

    >>> detect_format("a.ttl", b"").name
    'Turtle'
    >>> detect_format("upload", b'  {"@id": "http://example.org/a"}').name
    'JSON-LD'
    >>> detect_format("upload", b"<?xml version='1.0'?><rdf:RDF/>").name
    'RDF/XML'
    """
    suffix = Path(name).suffix.lower()
    if suffix in RDF_SUFFIXES:
        return RDF_SUFFIXES[suffix]
    head = data[:2048].lstrip()
    if head[:1] in (b"{", b"["):
        return ox.RdfFormat.JSON_LD
    if head.startswith(b"<?xml") or b"<rdf:RDF" in head:
        return ox.RdfFormat.RDF_XML
    if re.search(rb"^\s*(<[^>]*>|_:\S+)\s+<[^>]*>\s+\S.*\s+(<[^>]*>|_:\S+)\s*\.\s*$", head, re.M):
        return ox.RdfFormat.N_QUADS
    return ox.RdfFormat.TRIG


def iter_rdf_files(path: Path, *, skip_dirs: Iterable[str] = ()) -> Iterator[Path]:
    """Every RDF file under ``path`` (or ``path`` itself), in a stable order."""
    skip = set(skip_dirs)
    if path.is_file():
        yield path
        return
    if path.exists() and not path.is_dir():
        raise BadInput(
            f"{path} is not a regular file but a device, a pipe or a socket; "
            "give an RDF file or a folder of them"
        )
    if not path.is_dir():
        raise BadInput(f"no such file or folder: {path}")
    for file in sorted(path.rglob("*")):
        relative = file.relative_to(path).parts
        wanted = file.is_file() and file.suffix.lower() in RDF_SUFFIXES
        if wanted and not skip & set(relative) and not any(p.startswith(".") for p in relative):
            yield file


def read_sources(
    paths: Iterable[str | Path], *, max_bytes: int | None = None, skip_dirs: Iterable[str] = ()
) -> list[RdfSource]:
    """Read every RDF file named by ``paths`` (files or folders) as :class:`RdfSource`."""
    sources = []
    for name, file in source_files(paths, skip_dirs=skip_dirs):
        size = file.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise TooLarge(f"{name} is {size:,} bytes; the limit is {max_bytes:,}")
        data = file.read_bytes()
        trusted = file.resolve().is_relative_to(DEFAULT_DATA_DIR.resolve())
        sources.append(RdfSource(name, data, detect_format(file.name, data), trusted))
    return sources


def source_files(
    paths: Iterable[str | Path], *, skip_dirs: Iterable[str] = ()
) -> list[tuple[str, Path]]:
    """Every RDF file named by ``paths`` with the name its graph gets, in load order.

    A file inside a given folder is named ``folder/relative/path``; a file
    given directly is named by its file name.
    """
    out = []
    for given in paths:
        root = Path(given)
        for file in iter_rdf_files(root, skip_dirs=skip_dirs):
            name = str(file.relative_to(root)) if root.is_dir() else file.name
            out.append((f"{root.name}/{name}" if root.is_dir() else name, file))
    return out


def check_safe(source: RdfSource, *, max_bytes: int | None = None) -> None:
    """Refuse a document that is too large or that could make the parser do harm.

    >>> check_safe(RdfSource("x.rdf", b'<!DOCTYPE r [<!ENTITY a "b">]>', ox.RdfFormat.RDF_XML))
    Traceback (most recent call last):
    ...
    graph.errors.UnsafeInput: x.rdf: RDF/XML with a DOCTYPE or ENTITY declaration is refused
    """
    if max_bytes is not None and len(source.data) > max_bytes:
        raise TooLarge(f"{source.name} is {len(source.data):,} bytes; the limit is {max_bytes:,}")
    looks_xml = source.format == ox.RdfFormat.RDF_XML or source.data.lstrip()[:1] == b"<"
    if looks_xml and _XML_DANGER.search(source.data):
        raise UnsafeInput(f"{source.name}: RDF/XML with a DOCTYPE or ENTITY declaration is refused")
    if looks_xml and _XINCLUDE.search(source.data):
        raise UnsafeInput(
            f"{source.name}: RDF/XML with XInclude is refused: the explorer reads no file a "
            "document names; put the included statements in the file itself"
        )


def check_file(name: str, path: Path) -> bool:
    """Refuse the file ``path`` when it nests too deeply (see :mod:`graph.io.nesting`).

    Returns whether it holds RDF 1.2 triple terms (which :func:`parse_isolated`
    writes as statements about statements).  The file is mapped, not read
    into memory, so this serves files of any size.
    """
    with path.open("rb") as handle:
        fmt = detect_format(path.name, handle.read(2048))
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            check_nesting(name, view, fmt)
            return has_triple_terms(view, fmt)


def plain_files(files: Sequence[tuple[str, Path]], scratch: Path) -> list[tuple[str, Path]]:
    """``files`` checked before any parser reads them, those with triple terms rewritten.

    Deep nesting takes parsers minutes or crashes them: it is refused
    (:func:`check_file`).  A file holding RDF 1.2 triple terms is parsed in a
    child process into N-Quads in ``scratch``, where they are statements about
    statements (as in an upload); the others are returned as they are.
    """
    out = []
    for i, (name, path) in enumerate(files):
        if check_file(name, path):
            folder = scratch / str(i)
            folder.mkdir()
            data = path.read_bytes()
            path = parse_isolated(RdfSource(name, data, detect_format(path.name, data)), folder)
        out.append((name, path))
    return out


def load_into(
    store: ox.Store,
    sources: Iterable[RdfSource],
    *,
    max_bytes: int | None = None,
    atomic: bool = True,
) -> int:
    """Parse ``sources`` into ``store``; all of them or, on any error, none.

    Each document is first parsed into a scratch store, so a malformed file
    leaves ``store`` as it was.  Returns the number of quads added.  A caller
    that throws ``store`` away on error (a store created for this load) passes
    ``atomic=False``: documents then go straight into it through the bulk
    loader, with no scratch copy.  Documents not ``trusted`` are parsed in a
    child process with a time and memory limit (:func:`parse_isolated`).

    >>> store = ox.Store()
    >>> load_into(store, [RdfSource("a.ttl", b"<http://e/a> <http://e/p> <http://e/b> .",
    ...                             ox.RdfFormat.TURTLE)])
    1
    >>> load_into(store, [RdfSource("b.ttl", b"<http://e/a> <http://e/p> .", ox.RdfFormat.TURTLE)])
    Traceback (most recent call last):
    ...
    graph.errors.RDFSyntaxError: cannot read b.ttl, line 1: ...
    >>> len(store)
    1
    """
    sources = list(sources)
    for source in sources:
        check_safe(source, max_bytes=max_bytes)
    if not atomic:
        before = len(store)
        for source in sources:
            _load_one(store, source, bulk=True)
        return len(store) - before
    scratch = ox.Store()
    for source in sources:
        _load_one(scratch, source, bulk=False)
    before = len(store)
    store.extend(scratch)
    return len(store) - before


def _load_one(store: ox.Store, source: RdfSource, *, bulk: bool) -> None:
    if source.trusted:
        parse_into(store, source, bulk=bulk)
        return
    with tempfile.TemporaryDirectory(prefix="mlcareer-parse-") as scratch:
        nquads = parse_isolated(source, Path(scratch))
        (store.bulk_load if bulk else store.load)(path=str(nquads), format=ox.RdfFormat.N_QUADS)


def parse_isolated(
    source: RdfSource,
    folder: Path,
    *,
    timeout: float | None = None,
    memory_limit: int = PARSE_MEMORY,
) -> Path:
    """Parse ``source`` in a child process into an N-Quads file in ``folder``; its path.

    The child (:mod:`graph.io.parse_worker`) reaches no network, may use
    ``memory_limit`` bytes and is killed after ``timeout`` seconds (by default
    a minute plus two seconds per megabyte); it refuses a document nested
    deeper than :data:`~graph.io.nesting.MAX_NESTING`.  Its triples are put
    in the graph of the file (:func:`file_graph`).  Nothing the parser does
    can stop or grow this process: the N-Quads it writes are read back by a
    line parser that does not nest.

    Raises
    ------
    RDFSyntaxError
        The document is malformed (with the line).
    UnsafeInput
        The document nests too deeply.
    LimitExceeded
        Parsing ran past the time or memory limit.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> doc = RdfSource("a.ttl", b"<http://e/a> <http://e/p> [ <http://e/q> 1 ] .",
    ...                 ox.RdfFormat.TURTLE)
    >>> len(parse_isolated(doc, folder).read_text().splitlines())
    2
    """
    size_mb = len(source.data) / 1024**2
    timeout = PARSE_TIMEOUT + 2 * size_mb if timeout is None else timeout
    given, output = folder / "input", folder / "output.nq"
    given.write_bytes(source.data)
    command = [
        sys.executable,
        "-I",
        str(_PARSE_WORKER),
        "--memory",
        str(memory_limit),
        "--output-bytes",
        str(min(4 * 1024**3, 64 * len(source.data) + 64 * 1024**2)),
        "--format",
        source.format.media_type,
        "--graph",
        file_graph(source.name),
        "--name",
        source.name,
        "--input",
        str(given),
        "--output",
        str(output),
    ]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"},
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as err:
        proc.kill()
        proc.communicate()
        raise LimitExceeded(
            f"{source.name}: reading it took longer than {timeout:.0f} s and was stopped"
        ) from err
    finally:
        given.unlink(missing_ok=True)
    return _parse_report(source, out, proc.returncode, memory_limit, output)


def _parse_report(
    source: RdfSource, out: bytes, returncode: int, memory_limit: int, output: Path
) -> Path:
    try:
        report = json.loads(out.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):
        report = {"error": "crash"}
    kind = report.get("error")
    if kind is None:
        return output
    if kind == "syntax":
        message = _POSITION.sub("", str(report.get("message", "")))
        raise RDFSyntaxError(source.name, message, report.get("line"))
    if kind == "nesting":
        raise UnsafeInput(str(report["message"]))
    if kind == "memory" or returncode != 0:
        raise LimitExceeded(
            f"{source.name}: reading it needed more than {memory_limit / 1024**3:.3g} GB of "
            "memory (or more room on disk), and was stopped"
        )
    raise RDFSyntaxError(source.name, str(report.get("message", "unreadable")))


def parse_into(store: ox.Store, source: RdfSource, *, bulk: bool = False) -> None:
    """Parse one document into ``store``, turning parser errors into :class:`RDFSyntaxError`.

    ``bulk`` uses Oxigraph's bulk loader: much faster on large documents, but
    not transactional (a malformed document may leave part of itself behind).
    """
    target = ox.NamedNode(file_graph(source.name))
    try:
        (store.bulk_load if bulk else store.load)(
            input=source.data,
            format=source.format,
            base_iri=file_graph(source.name),
            to_graph=target,
        )
    except SyntaxError as err:
        raise syntax_error(source.name, err) from err
    except (ValueError, OSError) as err:
        raise RDFSyntaxError(source.name, str(err)) from err


def syntax_error(name: str, err: SyntaxError) -> RDFSyntaxError:
    """The parser's error about file ``name``, with the line, as the package reports it.

    >>> str(syntax_error("a.ttl", SyntaxError("Parser error at line 3 column 2: bad")))
    'cannot read a.ttl: bad'
    """
    message = str(err.msg) if err.msg is not None else str(err)
    return RDFSyntaxError(name, _POSITION.sub("", message), err.lineno)
