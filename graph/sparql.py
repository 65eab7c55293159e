"""The SPARQL console: read-only queries with a time limit, a row limit and a memory cap.

A query goes through :func:`check_query` first.  It is parsed with rdflib and
refused, before anything runs, when it is an update (``INSERT``, ``DROP``,
``LOAD``...), when its algebra holds a ``SERVICE`` pattern anywhere (either
engine would send an HTTP request for it) or when it names a dataset with
``FROM``/``FROM NAMED`` (rdflib would read the file or URL).  A query that
cannot be parsed is refused with its line and column.

A checked query then runs in a child process (:mod:`graph._sparql_worker`,
managed by :mod:`graph._sparql_pool`) that holds the same data, answers
queries one at a time and caps its own memory.  The parent waits for the
answer until the deadline and kills the child when it passes: neither
Python API can stop a running query, and a signal handler neither
interrupts Oxigraph nor works outside the main thread.
The next query starts a fresh child.  Rows past ``max_rows`` are never read.

Every query gets the project's prefixes (:data:`graph.namespaces.PREFIXES`)
pre-declared, without adding text to it, so the positions in error messages
are those of the text the user typed.

Examples
--------
>>> check_query("SELECT ?s WHERE { ?s a mlc:Role }")
'SELECT'
>>> check_query("DROP ALL")
Traceback (most recent call last):
...
graph.errors.UnsafeQuery: the console is read-only: INSERT, DELETE, LOAD, DROP, CLEAR and \
other updates are refused
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
import rdflib.plugins.sparql
from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ._sparql_pool import stop_workers, worker_for
from .backend import Lit, Term, to_ox
from .errors import BadInput, QuerySyntaxError, UnsafeQuery
from .loading import DEFAULT_DATA_DIR
from .namespaces import PREFIXES, shorten
from .schema import humanize

# rdflib would otherwise dereference FROM / FROM NAMED (files and URLs) for any
# query run on a Dataset anywhere in this process, pySHACL's included.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_QUERIES_DIR",
    "DEFAULT_TIMEOUT",
    "GalleryQuery",
    "QueryForm",
    "QueryResult",
    "ResultFormat",
    "check_query",
    "format_result",
    "gallery",
    "run_query",
    "stop_workers",
]

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
ResultFormat = Literal["table", "csv", "tsv", "json", "turtle"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_LIMIT = 2 * 1024**3
DEFAULT_QUERIES_DIR = DEFAULT_DATA_DIR / "queries"
MAX_QUERY_CHARS = 100_000

_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_READ_ONLY = (
    "the console is read-only: INSERT, DELETE, LOAD, DROP, CLEAR and other updates are refused"
)
_NO_SERVICE = (
    "SERVICE is refused: the console queries the loaded graph only and never contacts "
    "another server; remove the SERVICE block"
)
_NO_DATASET = (
    "FROM and FROM NAMED are refused: the console queries the loaded graph only and reads "
    "no other file or URL; use GRAPH <...> { ... } to query one named graph"
)
# SPARQL ends a comment at CR or LF; rdflib only at LF.  Every line end becomes LF
# before either parser sees the text, so both read the same comments.
_LINE_END = re.compile(r"\r\n?")
_PROLOGUE_ITEM = re.compile(
    r"\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>\s]*>|BASE\s*<[^>\s]*>", re.IGNORECASE
)
_UPDATE_WORD = re.compile(
    r"(?:INSERT|DELETE|DROP|LOAD|CLEAR|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)
_NOT_KEYWORDS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\r\n]*"
)
_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix\s*:\s*(\S*)")
_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_MAX_CELL = 60


# -- results ---------------------------------------------------------------------------------
@dataclass
class QueryResult:
    """What a query returned.

    ``rows`` (SELECT) map each bound variable to a term: an IRI ``str``, a blank
    node ``"_:id"`` or a :class:`~graph.backend.Lit`.  ``boolean`` answers an
    ASK; ``triples`` hold a CONSTRUCT or DESCRIBE graph.  ``truncated`` says the
    row limit cut the result, and ``notes`` say so in words.
    """

    form: QueryForm
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False
    elapsed: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; terms as in the SPARQL 1.1 JSON results format."""
        out = asdict(self)
        out["rows"] = [{k: _term_json(v) for k, v in row.items()} for row in self.rows]
        out["triples"] = [[_term_json(t) for t in triple] for triple in self.triples]
        return out


@dataclass(frozen=True)
class GalleryQuery:
    """A ready-made query of the gallery: file name, title, description and text."""

    name: str
    title: str
    description: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


# -- the guard -------------------------------------------------------------------------------
def check_query(text: str) -> QueryForm:
    """Parse ``text`` and refuse anything the console must not run; return the query form.

    Parameters
    ----------
    text : str
        A SPARQL query; the project's prefixes need no declaration.

    Returns
    -------
    str
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.

    Raises
    ------
    UnsafeQuery
        An update, a ``SERVICE`` pattern anywhere, or ``FROM``/``FROM NAMED``.
    QuerySyntaxError
        The text is not a SPARQL query; carries the line and column.
    BadInput
        The text is empty or longer than :data:`MAX_QUERY_CHARS`.

    Examples
    --------
    >>> check_query("ASK { ml:Python ?p ?o }")
    'ASK'
    >>> check_query("select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.UnsafeQuery: SERVICE is refused: ...
    >>> check_query("SELECT * WHERE {\\n  ?s ?p ?o ?? }")
    Traceback (most recent call last):
    ...
    graph.errors.QuerySyntaxError: malformed SPARQL at line 2, column 12: unexpected '?? }'
    """
    if not text.strip():
        raise BadInput("the query is empty; write a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if len(text) > MAX_QUERY_CHARS:
        raise BadInput(f"the query is {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,}")
    text = normalize_query(text)
    tree = _parse(text)
    algebra = _translate(text, tree)
    names = set(_comp_names(tree, algebra))
    if "ServiceGraphPattern" in names or _mentions_service(text):
        raise UnsafeQuery(_NO_SERVICE)
    if "DatasetClause" in names or algebra.get("datasetClause"):
        raise UnsafeQuery(_NO_DATASET)
    return _FORMS[algebra.name]


def normalize_query(text: str) -> str:
    """``text`` with every line end written as LF: what both the guard and the engine read.

    SPARQL ends a ``#`` comment at CR as at LF; a parser that ends it at LF only
    would read a query whose comment ends at CR differently from the engine.

    >>> normalize_query("SELECT * { # note\\r SERVICE <x:y> {} }")
    'SELECT * { # note\\n SERVICE <x:y> {} }'
    """
    return _LINE_END.sub("\n", text)


def _mentions_service(text: str) -> bool:
    """Whether the keyword SERVICE appears outside strings, IRIs, comments and names.

    A second, lexical line of defence behind the algebra walk, in case the two
    parsers ever read a query differently.

    >>> _mentions_service('SELECT ?service { ?s ex:service "SERVICE" } # service')
    False
    >>> _mentions_service("SELECT * { Service<http://e/> { ?s ?p ?o } }")
    True
    """
    stripped = _NOT_KEYWORDS.sub(" ", text)
    return re.search(r"(?<![?$:\w])SERVICE(?![\w:])", stripped, re.IGNORECASE) is not None


def _parse(text: str) -> ParseResults:
    try:
        return parseQuery(text)
    except ParseBaseException as err:
        if _is_update(text):
            raise UnsafeQuery(_READ_ONLY) from err
        raise QuerySyntaxError(_unexpected(text, err.loc), err.lineno, err.col) from err
    except RecursionError as err:
        raise QuerySyntaxError("the query is nested too deeply to read") from err


def _is_update(text: str) -> bool:
    """Whether ``text`` is (or starts like) a SPARQL update; parsing it runs nothing."""
    if _starts_like_update(text):
        return True
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return True


def _starts_like_update(text: str) -> bool:
    """Whether the first keyword after the prologue is an update's, read in linear time.

    The prologue is skipped one item at a time (no nested repetition), so no
    text can make the scan backtrack.

    >>> _starts_like_update("PREFIX ex: <http://e/> # note\\n  insert data {}")
    True
    >>> _starts_like_update("#\\n" * 50 + "SELEKT")
    False
    """
    pos = 0
    while (match := _PROLOGUE_ITEM.match(text, pos)) is not None and match.end() > pos:
        pos = match.end()
    return _UPDATE_WORD.match(text, pos) is not None


def _unexpected(text: str, loc: int) -> str:
    snippet = text[loc:].split("\n", 1)[0].strip()[:30]
    return f"unexpected {snippet!r}" if snippet else "the query ends too early"


def _translate(text: str, tree: ParseResults) -> CompValue:
    try:
        return translateQuery(tree, initNs=PREFIXES).algebra
    except Exception as err:  # rdflib raises bare Exception for unknown prefixes and the like
        match = _UNKNOWN_PREFIX.search(str(err))
        if match:
            prefix = match.group(1)
            line, column = _position_of(text, prefix + ":")
            known = ", ".join(sorted(PREFIXES))
            message = (
                f"unknown prefix '{prefix}:'; declare it with PREFIX {prefix}: <...> "
                f"or use one of {known}"
            )
            raise QuerySyntaxError(message, line, column) from err
        raise QuerySyntaxError(str(err)) from err


def _position_of(text: str, token: str) -> tuple[int | None, int | None]:
    """Line and column (both from 1) of the first use of ``token`` outside an IRI."""
    match = re.search(rf"(?<![\w<:/#.-]){re.escape(token)}", text)
    if match is None:
        return None, None
    before = text[: match.start()]
    return before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1


def _comp_names(*roots: Any) -> Iterator[str]:
    """The name of every rdflib parse or algebra node below ``roots``."""
    stack, seen = list(roots), set()
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, str | bytes):
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node.name
            stack.extend(dict.values(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple | set | frozenset | ParseResults):
            stack.extend(node)


# -- running ---------------------------------------------------------------------------------
def run_query(
    kg: Any,
    text: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
) -> QueryResult:
    """Check ``text`` and run it on ``kg`` with a time limit, a row limit and a memory cap.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to query (the union of all its named graphs is the default graph).
    text : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query; the project's prefixes are declared.
    timeout : float
        Seconds the query may run before it is stopped.
    max_rows : int
        Rows (or triples) kept; the rest are not read and a note says so.
    memory_limit : int
        Bytes of address space the query process may use.

    Returns
    -------
    QueryResult

    Raises
    ------
    UnsafeQuery, QuerySyntaxError
        See :func:`check_query`.
    QueryTimeout
        The query ran past ``timeout`` and was stopped.
    LimitExceeded
        The query process died, most likely past ``memory_limit``.
    BadInput
        A limit is not positive, or the engine rejected the query.

    Examples
    --------
    >>> from graph.kg import TINY, KnowledgeGraph
    >>> from graph.loading import RdfSource
    >>> kg = KnowledgeGraph.from_sources([RdfSource("tiny.ttl", TINY, ox.RdfFormat.TURTLE)])
    >>> result = run_query(kg, "SELECT ?label { ?x skos:prefLabel ?label } ORDER BY ?label")
    >>> [str(row["label"]) for row in result.rows]
    ['Programming', 'Python']
    >>> run_query(kg, "ASK { ?x skos:prefLabel 'Python'@en }").boolean
    True
    """
    if not timeout > 0 or max_rows < 1 or memory_limit < 0:
        raise BadInput("timeout and max_rows must be positive and memory_limit not negative")
    form = check_query(text)
    text = normalize_query(text)  # the engine runs exactly the text the guard read
    if not isinstance(getattr(kg, "store", None), ox.Store):
        return _run_remote(kg, text, form, timeout=timeout, max_rows=max_rows)
    worker = worker_for(kg, memory_limit)
    request = {"query": text, "prefixes": PREFIXES, "max_rows": max_rows}
    started = time.perf_counter()
    reply = worker.ask(request, timeout)
    result = _result_from_reply(form, reply, max_rows)
    result.elapsed = time.perf_counter() - started
    return result


def _run_remote(
    kg: Any, text: str, form: QueryForm, *, timeout: float, max_rows: int
) -> QueryResult:
    """The hook for backends that are not a local Oxigraph store (a SPARQL endpoint).

    Such a backend has a method ``query_endpoint(text, timeout, *, max_rows=...)``
    that enforces ``timeout`` itself (a socket-level deadline), declares
    :data:`~graph.namespaces.PREFIXES` to its endpoint, and returns an object
    with ``variables``, ``rows``, ``boolean``, ``triples`` and ``truncated``
    (:class:`graph.endpoint.EndpointResult`).  ``text`` has passed :func:`check_query`.
    """
    query_endpoint = getattr(kg.backend, "query_endpoint", None)
    if not callable(query_endpoint):
        raise BadInput("this graph's backend cannot run SPARQL queries")
    started = time.perf_counter()
    raw = query_endpoint(text, timeout, max_rows=max_rows)
    result = QueryResult(
        form=form,
        variables=list(getattr(raw, "variables", None) or []),
        rows=list(getattr(raw, "rows", None) or []),
        boolean=getattr(raw, "boolean", None),
        triples=[tuple(t) for t in getattr(raw, "triples", None) or []],
        truncated=bool(getattr(raw, "truncated", False)),
    )
    result.elapsed = time.perf_counter() - started
    return _cap(result, max_rows)


def _cap(result: QueryResult, max_rows: int) -> QueryResult:
    if len(result.rows) > max_rows or len(result.triples) > max_rows:
        result.rows, result.triples = result.rows[:max_rows], result.triples[:max_rows]
        result.truncated = True
    if result.truncated and not result.notes:
        result.notes.append(_truncation_note(result.form, max_rows))
    return result


def _truncation_note(form: QueryForm, max_rows: int) -> str:
    unit = "rows" if form == "SELECT" else "triples"
    return f"showing the first {max_rows:,} {unit}; the query returned more (add a LIMIT)"


def _result_from_reply(form: QueryForm, reply: dict[str, Any], max_rows: int) -> QueryResult:
    if reply.get("error") == "syntax":
        message = reply.get("message", "")
        match = _OX_POSITION.match(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            raise QuerySyntaxError(message[match.end() :], line, column)
        raise QuerySyntaxError(message)
    if "error" in reply:
        raise BadInput(f"the query failed: {reply.get('message', 'unknown error')}")
    result = QueryResult(form=form, truncated=bool(reply.get("truncated")))
    if reply["kind"] == "boolean":
        result.boolean = bool(reply["boolean"])
    elif reply["kind"] == "solutions":
        result.variables = list(reply["variables"])
        result.rows = [
            {
                name: _decode(value)
                for name, value in zip(result.variables, row, strict=True)
                if value is not None
            }
            for row in reply["rows"]
        ]
    else:
        result.triples = [tuple(_decode(t) for t in triple) for triple in reply["triples"]]
    return _cap(result, max_rows)


def _decode(value: list[Any]) -> Term:
    kind = value[0]
    if kind == "u":
        return value[1]
    if kind == "b":
        return "_:" + value[1]
    return Lit(value[1], value[2], value[3])


# -- formats ---------------------------------------------------------------------------------
def format_result(result: QueryResult, fmt: ResultFormat = "table") -> str:
    """Write ``result`` as text in ``fmt``.

    SELECT and ASK results: ``table`` (aligned, IRIs shortened, for a terminal),
    ``csv`` and ``tsv`` (the SPARQL 1.1 CSV/TSV results formats) or ``json``
    (the SPARQL 1.1 JSON results format).  CONSTRUCT and DESCRIBE results are
    a graph: Turtle for ``table`` and ``turtle``, JSON-LD for ``json``, and a
    subject/predicate/object table for ``csv`` and ``tsv``.

    Raises
    ------
    BadInput
        ``fmt`` is unknown, or ``turtle`` was asked of a SELECT or ASK result.

    Examples
    --------
    >>> row = {"s": "https://w3id.org/mlcareer/id/Python",
    ...        "n": Lit("1", None, "http://www.w3.org/2001/XMLSchema#integer")}
    >>> result = QueryResult("SELECT", ["s", "n"], [row])
    >>> format_result(result, "csv").split("\\r\\n")
    ['s,n', 'https://w3id.org/mlcareer/id/Python,1', '']
    >>> [line.split("\\t") for line in format_result(result, "tsv").splitlines()]
    [['?s', '?n'], ['<https://w3id.org/mlcareer/id/Python>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']]
    >>> print(format_result(result))
    s         n
    --------- -
    ml:Python 1
    """
    if fmt not in ("table", "csv", "tsv", "json", "turtle"):
        raise BadInput(f"unknown result format {fmt!r}; use table, csv, tsv, json or turtle")
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return _format_graph(result, fmt)
    if fmt == "turtle":
        raise BadInput("turtle is for CONSTRUCT and DESCRIBE results; use table, csv, tsv or json")
    if fmt == "json":
        return json.dumps(_results_json(result), indent=2, ensure_ascii=False) + "\n"
    if result.form == "ASK":
        return _format_boolean(result, fmt)
    return _FORMATTERS[fmt](result.variables, result.rows, result.notes)


def _format_graph(result: QueryResult, fmt: ResultFormat) -> str:
    if fmt in ("csv", "tsv"):
        names = ["subject", "predicate", "object"]
        rows = [dict(zip(names, triple, strict=True)) for triple in result.triples]
        return _FORMATTERS[fmt](names, rows, result.notes)
    triples = [ox.Triple(*(to_ox(t) for t in triple)) for triple in result.triples]
    if fmt == "json":
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD).decode("utf-8") + "\n"
    prefixes = _used_prefixes(result.triples)
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    return "".join(f"# {note}\n" for note in result.notes) + text


def _used_prefixes(triples: list[tuple[Term, Term, Term]]) -> dict[str, str]:
    """The project prefixes whose namespace some IRI or datatype of ``triples`` starts with."""
    iris = set()
    for triple in triples:
        for term in triple:
            iri = term.datatype if isinstance(term, Lit) else term
            if iri and not iri.startswith("_:"):
                iris.add(iri)
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _format_boolean(result: QueryResult, fmt: ResultFormat) -> str:
    value = "true" if result.boolean else "false"
    if fmt == "csv":
        return f"boolean\r\n{value}\r\n"
    if fmt == "tsv":
        return f"?boolean\n{value}\n"
    return value


def _results_json(result: QueryResult) -> dict[str, Any]:
    """The SPARQL 1.1 Query Results JSON document of a SELECT or ASK result."""
    if result.form == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings = [{k: _term_json(v) for k, v in row.items()} for row in result.rows]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def _term_json(term: Term) -> dict[str, str]:
    """One term as the SPARQL 1.1 JSON results format writes it.

    >>> _term_json(Lit("Python", "en", None))
    {'type': 'literal', 'value': 'Python', 'xml:lang': 'en'}
    >>> _term_json("_:b0")
    {'type': 'bnode', 'value': 'b0'}
    """
    if isinstance(term, Lit):
        out = {"type": "literal", "value": term.value}
        if term.lang:
            out["xml:lang"] = term.lang
        elif term.datatype and term.datatype != _XSD_STRING:
            out["datatype"] = term.datatype
        return out
    if term.startswith("_:"):
        return {"type": "bnode", "value": term[2:]}
    return {"type": "uri", "value": term}


def _csv(variables: list[str], rows: list[dict[str, Term]], notes: list[str]) -> str:
    """SPARQL 1.1 CSV: plain values, RFC 4180 quoting, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row.get(v)) for v in variables])
    return out.getvalue()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, Lit) else term


def _tsv(variables: list[str], rows: list[dict[str, Term]], notes: list[str]) -> str:
    """SPARQL 1.1 TSV: terms written as in Turtle, tab-separated."""
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_value(row.get(v)) for v in variables) for row in rows]
    return "\n".join(lines) + "\n"


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Lit):
        quoted = '"' + _escape(term.value) + '"'
        if term.lang:
            return f"{quoted}@{term.lang}"
        if term.datatype and term.datatype != _XSD_STRING:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    return term if term.startswith("_:") else f"<{term}>"


def _escape(value: str) -> str:
    table = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(table.get(c, c) for c in value)


def _table(variables: list[str], rows: list[dict[str, Term]], notes: list[str]) -> str:
    """An aligned text table for a terminal; control characters in data are blanked."""
    cells = [[_cell(row.get(v)) for v in variables] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = [" ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append(" ".join("-" * w for w in widths))
    lines += [" ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    if not rows:
        lines.append("(no rows)")
    return "\n".join(lines)  # the notes are the caller's to show, as for every format


def _cell(term: Term | None) -> str:
    if term is None:
        text = ""
    elif isinstance(term, Lit):
        text = term.value
    else:
        text = shorten(term)
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


_FORMATTERS = {"csv": _csv, "tsv": _tsv, "table": _table}


# -- the gallery -----------------------------------------------------------------------------
def gallery(path: str | Path | None = None) -> list[GalleryQuery]:
    """The ready-made queries in ``path`` (``ontology/queries`` by default), in file order.

    Each ``.rq`` file starts with comment lines ``# title: ...`` and
    ``# description: ...``; a comment line without a key continues the one
    before it.  The text returned is the whole file.

    Examples
    --------
    >>> queries = gallery()
    >>> all(q.title and q.text for q in queries)
    True
    """
    folder = Path(path) if path is not None else DEFAULT_QUERIES_DIR
    if not folder.is_dir():
        raise BadInput(f"no such folder of queries: {folder}")
    return [_read_gallery_query(file) for file in sorted(folder.glob("*.rq"))]


def _read_gallery_query(file: Path) -> GalleryQuery:
    text = file.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        match = re.match(r"(\w+):\s*(.*)", body)
        if match and match.group(1).lower() in ("title", "description"):
            key = match.group(1).lower()
            header[key] = match.group(2)
        elif key and body:
            header[key] += " " + body
    title = header.get("title") or humanize(re.sub(r"^\d+-", "", file.stem).replace("-", " "))
    title = title[:1].upper() + title[1:]
    return GalleryQuery(file.stem, title, header.get("description", ""), text)
