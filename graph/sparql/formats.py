"""Query results written out: an aligned table, SPARQL 1.1 CSV, TSV and JSON, Turtle, JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

import pyoxigraph as ox

from ..errors import BadInput
from ..terms import Lit, Term, to_ox
from ..vocab.namespaces import PREFIXES, shorten
from .run import QueryResult

__all__ = ["ResultFormat", "format_result", "term_json"]

ResultFormat = Literal["table", "csv", "tsv", "json", "turtle"]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_MAX_CELL = 60


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
    bindings = [{k: term_json(v) for k, v in row.items()} for row in result.rows]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def term_json(term: Term) -> dict[str, str]:
    """One term as the SPARQL 1.1 JSON results format writes it.

    >>> term_json(Lit("Python", "en", None))
    {'type': 'literal', 'value': 'Python', 'xml:lang': 'en'}
    >>> term_json("_:b0")
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
