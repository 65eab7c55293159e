"""The SPARQL guard: what the console refuses before anything runs.

A query is parsed with rdflib and refused when it is an update (``INSERT``,
``DROP``, ``LOAD``...), when its algebra holds a ``SERVICE`` pattern anywhere
(either engine would send an HTTP request for it), when it names a dataset
with ``FROM``/``FROM NAMED`` (rdflib would read the file or URL), or when it
calls a function that is neither one of SPARQL 1.1's nor an XSD cast (a
server's extension functions, such as Virtuoso's ``bif:`` and ``sql:`` or
Jena's ``java:``, can change its state or reach outside).  A query that
cannot be parsed is refused with its line and column.

The guard and the engine read the same text: :func:`normalize_query` writes
every line break as LF and every ``\\u`` escape as its character, which is
what the text becomes before either parser, or a remote server, reads it.
Parsing a query can take time and memory out of proportion with its length,
so the console runs this check in a child process with a deadline
(:func:`graph.backends.query_pool.check_isolated`).

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

import re
from collections.abc import Iterator
from typing import Any, Literal

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import BadInput, QuerySyntaxError, UnsafeQuery
from ..vocab.namespaces import PREFIXES

__all__ = [
    "ALLOWED_FUNCTION_NAMESPACES",
    "MAX_QUERY_CHARS",
    "QueryForm",
    "check_query",
    "comp_names",
    "normalize_query",
]

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
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
_NO_FUNCTION = (
    "the function {iri} is refused: the console allows SPARQL 1.1's own functions and "
    "XSD casts only (a server's extension functions can change it or reach outside)"
)
#: Functions called by IRI that the guard lets through: XSD casts (``xsd:integer(?x)``).
ALLOWED_FUNCTION_NAMESPACES = ("http://www.w3.org/2001/XMLSchema#",)
# SPARQL ends a comment at CR or LF; rdflib only at LF, and a server may take any
# Unicode line break for one.  Every line break becomes LF before any parser sees
# the text, so all of them read the same comments.
_LINE_END = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# SPARQL 1.1 (section 19.2) replaces these escapes anywhere in a query before parsing;
# rdflib does, Oxigraph only inside strings and IRIs.  Both get the replaced text.
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
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
        An update, a ``SERVICE`` pattern anywhere, ``FROM``/``FROM NAMED``, or a
        function other than SPARQL 1.1's and the XSD casts.
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
    >>> check_query("PREFIX bif: <bif:> SELECT (bif:sequence_next('s') AS ?x) {}")
    Traceback (most recent call last):
    ...
    graph.errors.UnsafeQuery: the function <bif:sequence_next> is refused: ...
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
    names = set(comp_names(tree, algebra))
    if "ServiceGraphPattern" in names or _mentions_service(text):
        raise UnsafeQuery(_NO_SERVICE)
    if "DatasetClause" in names or algebra.get("datasetClause"):
        raise UnsafeQuery(_NO_DATASET)
    if "Function" in names:
        for iri in _function_iris(tree, algebra):
            if not iri.startswith(ALLOWED_FUNCTION_NAMESPACES):
                raise UnsafeQuery(_NO_FUNCTION.format(iri=f"<{iri}>"))
    return _FORMS[algebra.name]


def normalize_query(text: str) -> str:
    """``text`` as every parser will read it: what the guard checks and the engine runs.

    Each ``\\uXXXX`` and ``\\UXXXXXXXX`` escape becomes its character (SPARQL
    1.1 does this before parsing; rdflib does it everywhere, Oxigraph only
    inside strings and IRIs, so ``# \\u000a SERVICE`` hid a pattern from one of
    them), then every line break is written as LF (SPARQL ends a ``#`` comment
    at CR as at LF; rdflib only at LF).

    Raises
    ------
    QuerySyntaxError
        An escape names no character, or writes another escape.

    Examples
    --------
    >>> normalize_query("SELECT * { # note\\r SERVICE <x:y> {} }")
    'SELECT * { # note\\n SERVICE <x:y> {} }'
    >>> normalize_query("SELECT * { # \\\\u000a \\\\u0053ERVICE <x:y> {} }")
    'SELECT * { # \\n SERVICE <x:y> {} }'
    """
    if "\\u" in text or "\\U" in text:
        text = _ESCAPE.sub(_unescape, text)
        if _ESCAPE.search(text):
            raise QuerySyntaxError("a \\u escape writes another escape; write the character")
    return _LINE_END.sub("\n", text)


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise QuerySyntaxError(f"{match.group(0)} names no character")
    return chr(code)


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


def comp_names(*roots: Any) -> Iterator[str]:
    """The name of every rdflib parse or algebra node below ``roots``."""
    return (node.name for node in _comp_values(*roots))


def _function_iris(*roots: Any) -> Iterator[str]:
    """The IRI of every function called by IRI below ``roots`` (not SPARQL's own)."""
    for node in _comp_values(*roots):
        iri = node.get("iri") if node.name == "Function" else None
        if iri is not None:
            yield str(iri)


def _comp_values(*roots: Any) -> Iterator[CompValue]:
    stack, seen = list(roots), set()
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, str | bytes):
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node
            stack.extend(dict.values(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple | set | frozenset | ParseResults):
            stack.extend(node)
