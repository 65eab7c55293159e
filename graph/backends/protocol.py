"""Reading what a SPARQL 1.1 server answers, as servers really answer.

The SPARQL 1.1 protocol leaves servers room, and they use it:

- **Media types.** A server picks one of the types a request accepts, and may
  pick a results type for a CONSTRUCT (Virtuoso answered a combined Accept
  header with SPARQL JSON rows of ``s``, ``p``, ``o``).  :func:`accept_for`
  asks each query form for its own kind of answer; :func:`graph_from_rows`
  turns such rows back into triples, and anything else of the wrong kind is
  reported.
- **Shapes.** A body that is JSON but not SPARQL JSON results (``[]``,
  ``"hello"``, bindings that are strings, a binding without a value) is
  refused with one line by :func:`read_results`, not left to fail later.
- **Blank nodes.** Servers name them as they like (Virtuoso: ``nodeID://b10047``,
  even typed as IRIs); :func:`term_of` writes each as a valid blank node label.
- **Row caps.** A server may cut every answer at its own maximum and say so in
  a header (Virtuoso: ``X-SPARQL-MaxRows``); :func:`row_cap` reads it.
- **Errors.** Texts span lines and echo the query; :func:`server_error` keeps
  the first line and tells a refusal for cost or time (a limit, exit 3) from a
  malformed query (bad input, exit 2).
- **System graphs.** Servers keep their own configuration as named graphs;
  :func:`is_system_graph` knows them, so they are not explored as data.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Mapping
from typing import Any, Literal

import pyoxigraph as ox

from ..errors import (
    EndpointError,
    EndpointTimeout,
    GraphError,
    LimitExceeded,
    QuerySyntaxError,
    QueryTimeout,
)
from ..terms import Lit, Quad, Term, from_ox
from .base import RawResult

__all__ = [
    "GRAPH_TYPES",
    "RESULTS_JSON",
    "SYSTEM_GRAPHS",
    "QueryKind",
    "accept_for",
    "blank_label",
    "cap_error",
    "graph_from_rows",
    "is_system_graph",
    "parse_graph",
    "parse_json",
    "quads_of",
    "query_kind",
    "read_results",
    "row_cap",
    "rows_result",
    "server_error",
    "sparql_term",
    "term_of",
]

RESULTS_JSON = "application/sparql-results+json"
#: RDF syntaxes read from a CONSTRUCT or DESCRIBE answer, best first.
GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')

QueryKind = Literal["rows", "graph"]

#: Named graphs that servers keep for themselves (exact IRIs).
SYSTEM_GRAPHS = frozenset(
    {
        "http://www.openlinksw.com/schemas/virtrdf#",
        "http://www.openlinksw.com/virtrdf-data-formats#",
        "http://www.openlinksw.com/schemas/oplweb#",
        "http://www.w3.org/ns/ldp#",
        "urn:activitystreams-owl:map",
        "urn:core:services:sparql",
        "virtrdf-label",
        "urn:x-arq:DefaultGraph",
        "urn:x-arq:UnionGraph",
        "http://www.ontotext.com/explicit",
        "http://www.ontotext.com/implicit",
    }
)
#: Beginnings of server-made graph names (Virtuoso names some after its own host).
_SYSTEM_PREFIXES = (
    "http://localuriqaserver/",
    "http://localhost:8890/",
    "http://www.openlinksw.com/schemas/",
    "tag:stardog:api:",
)

_PROLOGUE = re.compile(
    r"""\s*(?:\#[^\n]*\n?\s*)*          # comments
        (?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*(?:\#[^\n]*\n?\s*)*)*""",
    re.IGNORECASE | re.VERBOSE,
)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_kind(text: str) -> QueryKind:
    """Whether ``text`` asks for rows (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE).

    >>> query_kind("PREFIX s: <http://e/#> # a comment\\nCONSTRUCT { ?a ?b ?c } WHERE { }")
    'graph'
    >>> query_kind("select * { ?s ?p ?o }")
    'rows'
    """
    match = _FORM.match(text, _PROLOGUE.match(text).end())  # type: ignore[union-attr]
    if match and match.group(1).upper() in ("CONSTRUCT", "DESCRIBE"):
        return "graph"
    return "rows"


def accept_for(kind: QueryKind) -> str:
    """The Accept header for a query of ``kind``: results for rows, RDF for a graph.

    >>> accept_for("rows")
    'application/sparql-results+json'
    """
    return GRAPH_TYPES if kind == "graph" else RESULTS_JSON


def is_system_graph(graph: str) -> bool:
    """Whether ``graph`` is one a server keeps for itself rather than the user's data.

    >>> is_system_graph("http://www.openlinksw.com/schemas/virtrdf#")
    True
    >>> is_system_graph("https://w3id.org/mlcareer/source/curated")
    False
    """
    return graph in SYSTEM_GRAPHS or graph.startswith(_SYSTEM_PREFIXES)


def row_cap(headers: Mapping[str, str]) -> int | None:
    """The row cap a server says it applied to an answer (``X-SPARQL-MaxRows``), if any.

    >>> row_cap({"x-sparql-maxrows": "10000"}), row_cap({})
    (10000, None)
    """
    value = headers.get("x-sparql-maxrows", "").strip()
    return int(value) if value.isdigit() else None


# -- terms ---------------------------------------------------------------------------------
def blank_label(name: str) -> str:
    """A valid blank node label (``_:...``) for whatever a server calls a blank node.

    >>> blank_label("nodeID://b10047"), blank_label("b0"), blank_label("_:x")
    ('_:b10047', '_:b0', '_:x')
    >>> blank_label("a b/c")[:4]
    '_:bx'
    """
    name = name.removeprefix("_:").removeprefix("nodeID://")
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_\-]*", name):
        return "_:" + name
    return "_:bx" + hashlib.blake2b(name.encode("utf-8"), digest_size=8).hexdigest()


def term_of(value: Any) -> Term:
    """One term of SPARQL JSON results as a plain value; refuses a malformed one.

    >>> term_of({"type": "uri", "value": "nodeID://b1"})
    '_:b1'
    >>> term_of({"type": "typed-literal", "value": "2", "datatype": "http://e/int"})
    Lit(value='2', lang=None, datatype='http://e/int')
    """
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise _Malformed(f"a term is {_show(value)}, not an object with a string value")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return blank_label(text) if text.startswith("nodeID://") else text
    if kind == "bnode":
        return blank_label(text)
    if kind not in ("literal", "typed-literal"):
        raise _Malformed(f"a term has the type {_show(kind)}")
    lang = value.get("xml:lang") or None
    datatype = value.get("datatype") or (_LANG_STRING if lang else _XSD_STRING)
    if not isinstance(datatype, str) or not isinstance(lang, str | None):
        raise _Malformed("a literal's datatype or language is not a string")
    if datatype == _XSD_DURATION and text.lstrip("-").isdigit():
        text = months_as_duration(int(text))
    elif datatype == _XSD_BOOLEAN and text in ("0", "1"):
        text = "true" if text == "1" else "false"  # Virtuoso answers a stored boolean as 0 or 1
    return Lit(text, lang, datatype)


def months_as_duration(months: int) -> str:
    """A number of months as an ``xsd:duration``: how Virtuoso 7 writes a stored duration.

    Virtuoso keeps ``"P1Y"^^xsd:duration`` as the number of months and answers
    ``"12"`` with the same datatype, a lexical form no reader accepts.

    >>> [months_as_duration(n) for n in (12, 18, -3, 0)]
    ['P1Y', 'P1Y6M', '-P3M', 'P0M']
    """
    sign, months = ("-", -months) if months < 0 else ("", months)
    years, rest = divmod(months, 12)
    text = (f"{years}Y" if years else "") + (f"{rest}M" if rest or not years else "")
    return f"{sign}P{text}"


def sparql_term(term: Term) -> str:
    """``term`` written as SPARQL (an IRI in angle brackets or a quoted literal).

    >>> sparql_term("http://example.org/a")
    '<http://example.org/a>'
    >>> sparql_term(Lit('say "hi"', "en"))
    '"say \\\\"hi\\\\""@en'
    """
    if isinstance(term, Lit):
        text = json.dumps(term.value, ensure_ascii=False)
        if term.lang:
            return f"{text}@{term.lang}"
        if term.datatype and term.datatype != _XSD_STRING:
            return f"{text}^^{sparql_term(term.datatype)}"
        return text
    if term.startswith("_:") or _BAD_IRI.search(term):
        raise EndpointError(f"cannot name {term!r} in a query to an endpoint")
    return f"<{term}>"


def parse_json(body: bytes, url: str, deadline: float, timeout: float) -> Any:
    """``body`` parsed as JSON, and within the request's deadline (a large answer takes
    seconds to parse: the deadline counts them)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as err:
        first = body[:80].decode("utf-8", "replace").splitlines()
        seen = repr(first[0]) if first else "nothing"
        raise EndpointError(
            f"{url} did not answer with SPARQL JSON results (it sent {seen})"
        ) from err
    if time.monotonic() > deadline:
        raise EndpointTimeout(
            f"{url} did not answer within {timeout:g} s (its answer took too long to read);"
            " ask for less, or give a larger timeout"
        )
    return data


def quads_of(data: Any, url: str) -> list[Quad]:
    """The statements of rows binding ``?s ?p ?o`` and ``?g`` (thousands per view: read
    without a dict per row); refuses a malformed document like :func:`read_results`."""
    bindings = data.get("results", {}).get("bindings") if isinstance(data, dict) else None
    if not isinstance(bindings, list):
        read_results(data, url)  # names what is wrong
    out = []
    try:
        for row in bindings:  # type: ignore[union-attr]
            s, p, o, g = row.get("s"), row.get("p"), row.get("o"), row.get("g")
            if s is None or p is None or o is None:
                continue
            out.append(Quad(_term(s), _term(p), _term(o), _term(g) if g else None))  # type: ignore[arg-type]
    except (_Malformed, AttributeError, TypeError):
        read_results(data, url)
    return out


def _term(value: Any) -> Term:
    """:func:`term_of`, an IRI taken as it is first (most terms of a statement are IRIs:
    this cuts reading a large answer's terms to a third)."""
    if value.get("type") == "uri":
        text = value.get("value")
        if type(text) is str and not text.startswith("nodeID://"):
            return text
    return term_of(value)


def cap_error(cap: int) -> LimitExceeded:
    """The error for an answer cut at the server's row cap of ``cap``."""
    return LimitExceeded(
        f"the server returned its maximum of {cap:,} rows, so the answer is incomplete;"
        " ask for less (a smaller neighbourhood, --graph) or raise the server's"
        " ResultSetMaxRows"
    )


# -- answers -------------------------------------------------------------------------------
class _Malformed(Exception):
    """A SPARQL JSON document that is not what the format says (caught and reported)."""


def read_results(data: Any, url: str) -> tuple[list[str], list[dict[str, Term]], bool | None]:
    """Variables, rows and boolean of a parsed SPARQL JSON results document.

    Raises :class:`~graph.errors.EndpointError` in one line when the document
    is JSON but not SPARQL results.

    >>> read_results({"head": {"vars": ["x"]}, "results": {"bindings": [
    ...     {"x": {"type": "bnode", "value": "nodeID://b7"}}]}}, "u")
    (['x'], [{'x': '_:b7'}], None)
    >>> read_results({"results": [1]}, "http://e/q")
    Traceback (most recent call last):
    ...
    graph.errors.EndpointError: http://e/q did not answer with SPARQL results: "results" is a list
    """
    try:
        return _results(data)
    except _Malformed as err:
        raise EndpointError(f"{url} did not answer with SPARQL results: {err}") from None


def _results(data: Any) -> tuple[list[str], list[dict[str, Term]], bool | None]:
    if not isinstance(data, dict):
        raise _Malformed(f"the answer is {_show(data)}, not an object")
    head = data.get("head", {})
    names = head.get("vars", []) if isinstance(head, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _Malformed('"head" does not list the variables')
    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise _Malformed(f'"boolean" is {_show(data["boolean"])}')
        return names, [], data["boolean"]
    results = data.get("results")
    if not isinstance(results, dict):
        raise _Malformed(f'"results" is {_show(results)}')
    bindings = results.get("bindings")
    if not isinstance(bindings, list):
        raise _Malformed(f'"bindings" is {_show(bindings)}')
    rows = []
    for binding in bindings:
        if not isinstance(binding, dict):
            raise _Malformed(f"a row is {_show(binding)}, not an object")
        rows.append({str(name): term_of(value) for name, value in binding.items()})
    if names == ["__ASK_RETVAL"] and len(rows) <= 1:  # Virtuoso's answer to ASK: a 1 or 0 row
        value = rows[0].get("__ASK_RETVAL") if rows else None
        return [], [], isinstance(value, Lit) and value.value not in ("0", "false")
    return names, rows, None


def _show(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", type(None): "missing"}
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return kinds.get(type(value), type(value).__name__)


def rows_result(
    names: list[str],
    rows: list[dict[str, Term]],
    boolean: bool | None,
    cap: int | None,
    *,
    max_rows: int,
) -> RawResult:
    """The result of a SELECT or ASK: rows past ``max_rows`` cut, and rows cut by the
    server's own cap (``cap``) marked truncated with a note saying so."""
    if boolean is not None:
        return RawResult("ask", boolean=boolean)
    cut = len(rows) > max_rows
    result = RawResult("select", variables=names, rows=rows[:max_rows] if cut else rows)
    result.truncated = cut
    if cap is not None and cap <= max_rows:
        result.truncated = True
        result.notes.append(
            f"the server returned its maximum of {cap:,} rows; there may be more"
            " (add a LIMIT, or narrow the query)"
        )
    return result


def graph_from_rows(
    names: list[str], rows: list[dict[str, Term]], url: str
) -> list[tuple[Term, Term, Term]]:
    """Triples from a graph query answered as rows of subject, predicate and object.

    >>> graph_from_rows(["s", "p", "o"], [{"s": "http://e/a", "p": "http://e/p",
    ...                                    "o": Lit("x")}], "u")
    [('http://e/a', 'http://e/p', Lit(value='x', lang=None, datatype=None))]
    """
    if len(names) != 3:
        raise EndpointError(
            f"{url} answered a CONSTRUCT or DESCRIBE with a table of {len(names)} columns,"
            " not a graph"
        )
    out = []
    for row in rows:
        s, p, o = (row.get(n) for n in names)
        if not isinstance(s, str) or not isinstance(p, str) or p.startswith("_:") or o is None:
            raise EndpointError(
                f"{url} answered a CONSTRUCT or DESCRIBE with rows that are not triples"
            )
        out.append((s, p, o))
    return out


def parse_graph(content_type: str, body: bytes, url: str) -> list[tuple[Term, Term, Term]]:
    """The triples of an RDF answer, blank nodes given valid labels; refuses other types."""
    fmt = _GRAPH_FORMATS.get(content_type)
    if fmt is None:
        raise EndpointError(
            f"{url} answered a CONSTRUCT or DESCRIBE as {content_type or 'an unnamed type'},"
            " not as RDF"
        )
    try:
        parsed = list(ox.parse(body, format=fmt))
    except (SyntaxError, ValueError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise EndpointError(f"{url} sent a graph that cannot be read: {first}") from err
    out = []
    for item in parsed:
        s, o = from_ox(item.subject), from_ox(item.object)
        s = blank_label(s) if s.startswith(("_:", "nodeID://")) else s  # type: ignore[union-attr]
        if isinstance(o, str) and o.startswith(("_:", "nodeID://")):
            o = blank_label(o)
        out.append((s, item.predicate.value, o))
    return out


# -- errors --------------------------------------------------------------------------------
_COST = re.compile(r"estimated execution time|exceeds the limit|SR353|SR319|too (many|long)", re.I)
_TIME = re.compile(r"timed? ?out|timeout|SR171|S1T00", re.I)
_SYNTAX = re.compile(r"syntax|parse|SP030|SQ074|undefined|unexpected|expected|lexical", re.I)


def server_error(url: str, status: int, body: bytes) -> GraphError:
    """The error to raise for a failed request: one line, and the right kind.

    A refusal for estimated cost or a server-side limit is a
    :class:`~graph.errors.LimitExceeded` (exit 3), a server-side timeout a
    :class:`~graph.errors.QueryTimeout`, a malformed query a
    :class:`~graph.errors.QuerySyntaxError`; anything else an
    :class:`~graph.errors.EndpointError`.

    >>> err = server_error("http://e/sparql", 500, b"Virtuoso 42000 Error The estimated "
    ...     b"execution time 9 (sec) exceeds the limit of 4 (sec).\\n\\nSPARQL query:\\nSELECT")
    >>> type(err).__name__, err.exit_code, str(err)
    ('LimitExceeded', 3, 'the server refused the query: Virtuoso 42000 Error The estimated \
execution time 9 (sec) exceeds the limit of 4 (sec). (simplify it, or add a LIMIT)')
    """
    text = body[:4000].decode("utf-8", "replace")
    lines = [line.strip() for line in text.split("SPARQL query:")[0].splitlines()]
    message = " ".join(line for line in lines if line)[:400] or f"HTTP status {status}"
    if _COST.search(message):
        return LimitExceeded(
            f"the server refused the query: {message} (simplify it, or add a LIMIT)"
        )
    if _TIME.search(message):
        return QueryTimeout(
            f"the server stopped the query: {message} (simplify it, or add a LIMIT)"
        )
    if status == 400 or _SYNTAX.search(message):
        return QuerySyntaxError(f"the endpoint refused the query: {message}")
    return EndpointError(f"{url} answered {status}: {message}")
