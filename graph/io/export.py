"""Export a selection (a neighbourhood, some paths, a query result, the whole graph).

RDF formats carry the statements behind the selection (:meth:`Selection.quads
<graph.io.selection.Selection.quads>`): TriG, N-Quads and JSON-LD keep each
statement's named graph and the description of those graphs (which article,
which section), so provenance survives; Turtle, N-Triples and RDF/XML hold
triples only.  Graph formats carry the networkx projection (GraphML, GEXF,
Cytoscape.js JSON); ``csv`` is a zip of two files:

- ``nodes.csv``: ``id, label, type, classes, definition``;
- ``edges.csv``: ``source, target, predicate, label, direction, sources, inferred``,
  where ``direction`` is ``forward`` when the statement points along a path or
  away from the focus, ``backward`` when against, empty otherwise, and list
  values are joined with ``"; "``.

A CSV cell that a spreadsheet would run as a formula (one starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
apostrophe, so a hostile label stays text when the file is opened.

``html`` is the standalone interactive page of :func:`graph.io.view.network_html`.

Examples
--------
>>> from graph.core.examples import tiny_graph
>>> kg = tiny_graph()
>>> print(export(kg, None, "nt").decode().splitlines()[0])
<http://example.org/coding> <http://example.org/usesTool> <http://example.org/python> .
>>> file_name("csv", "python"), media_type(ExportFormat.TRIG)
('python.zip', 'application/trig')
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import BadInput
from ..terms import Lit, Quad, to_ox
from ..vocab.namespaces import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from ..core.kg import KnowledgeGraph
    from .selection import Selection

__all__ = ["FORMATS", "ExportFormat", "FormatInfo", "export", "file_name", "media_type"]


class ExportFormat(StrEnum):
    """The formats a selection can be exported to; the value is the usual file suffix."""

    TURTLE = "ttl"
    TRIG = "trig"
    N_TRIPLES = "nt"
    N_QUADS = "nq"
    JSON_LD = "jsonld"
    JSON_LD_DATASET = "jsonld-dataset"
    RDF_XML = "xml"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"
    CYJS = "cyjs"
    HTML = "html"


@dataclass(frozen=True)
class FormatInfo:
    """How to name and label an export: a title, the file extension, the media type."""

    title: str
    extension: str
    media_type: str
    rdf_format: ox.RdfFormat | None = None


FORMATS: dict[ExportFormat, FormatInfo] = {
    ExportFormat.TURTLE: FormatInfo("Turtle", "ttl", "text/turtle", ox.RdfFormat.TURTLE),
    ExportFormat.TRIG: FormatInfo("TriG", "trig", "application/trig", ox.RdfFormat.TRIG),
    ExportFormat.N_TRIPLES: FormatInfo(
        "N-Triples", "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES
    ),
    ExportFormat.N_QUADS: FormatInfo("N-Quads", "nq", "application/n-quads", ox.RdfFormat.N_QUADS),
    ExportFormat.JSON_LD: FormatInfo(
        "JSON-LD", "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD
    ),
    ExportFormat.JSON_LD_DATASET: FormatInfo(
        "JSON-LD with its sources (named graphs)",
        "jsonld",
        "application/ld+json",
        ox.RdfFormat.JSON_LD,
    ),
    ExportFormat.RDF_XML: FormatInfo("RDF/XML", "rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ExportFormat.GRAPHML: FormatInfo("GraphML", "graphml", "application/graphml+xml"),
    ExportFormat.GEXF: FormatInfo("GEXF", "gexf", "application/gexf+xml"),
    ExportFormat.CSV: FormatInfo("CSV (nodes and edges, zipped)", "zip", "application/zip"),
    ExportFormat.CYJS: FormatInfo("Cytoscape.js JSON", "cyjs", "application/json"),
    ExportFormat.HTML: FormatInfo("Interactive HTML page", "html", "text/html"),
}


def parse_format(fmt: str | ExportFormat) -> ExportFormat:
    """The :class:`ExportFormat` named by ``fmt`` (its value, its name, or an extension).

    >>> parse_format("TriG"), parse_format("rdf"), parse_format("zip")
    (<ExportFormat.TRIG: 'trig'>, <ExportFormat.RDF_XML: 'xml'>, <ExportFormat.CSV: 'csv'>)
    >>> parse_format("pdf")
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: unknown export format 'pdf'; choose one of ttl, trig, nt, nq, \
jsonld, jsonld-dataset, xml, graphml, gexf, csv, cyjs, html
    """
    if isinstance(fmt, ExportFormat):
        return fmt
    wanted = str(fmt).strip().lower().lstrip(".")
    for candidate, info in FORMATS.items():
        if wanted in (candidate.value, candidate.name.lower(), info.extension):
            return candidate
    choices = ", ".join(f.value for f in ExportFormat)
    raise BadInput(f"unknown export format {fmt!r}; choose one of {choices}")


def file_name(fmt: str | ExportFormat, stem: str = "graph") -> str:
    """A file name for an export in ``fmt``."""
    return f"{stem}.{FORMATS[parse_format(fmt)].extension}"


def media_type(fmt: str | ExportFormat) -> str:
    """The media type of an export in ``fmt``."""
    return FORMATS[parse_format(fmt)].media_type


def export(
    kg: KnowledgeGraph,
    selection: Selection | None,
    fmt: str | ExportFormat,
    *,
    title: str | None = None,
) -> bytes:
    """``selection`` (by default the whole graph) written in ``fmt``.

    Parameters
    ----------
    kg : KnowledgeGraph
    selection : Selection or None
        What to export; ``None`` for every node and edge.
    fmt : ExportFormat or str
        One of :class:`ExportFormat` (``"ttl"``, ``"trig"``, ...).
    title : str, optional
        Heading of the HTML page and name of the Cytoscape network.

    Returns
    -------
    bytes
        The file's content (UTF-8 text, or a zip for ``csv``).

    Raises
    ------
    BadInput
        When ``fmt`` is not a known format.
    """
    from .selection import Selection

    fmt = parse_format(fmt)
    if selection is None:
        selection = Selection.everything(kg)
    info = FORMATS[fmt]
    if fmt in (ExportFormat.JSON_LD, ExportFormat.JSON_LD_DATASET):
        return _jsonld(selection.quads(kg), dataset=fmt is ExportFormat.JSON_LD_DATASET)
    if info.rdf_format is not None:
        return _rdf(selection.quads(kg), info.rdf_format)
    if fmt is ExportFormat.HTML:
        from .page import network_html

        return network_html(selection, kg=kg, title=title).encode("utf-8")
    from .projection import to_networkx

    G = to_networkx(kg, selection)
    name = title or selection.title or "Knowledge graph"
    writers = {
        ExportFormat.GRAPHML: _graphml,
        ExportFormat.GEXF: _gexf,
        ExportFormat.CSV: lambda G, _: _csv_zip(G, selection),
        ExportFormat.CYJS: _cyjs,
    }
    return writers[fmt](G, name)


# -- RDF -------------------------------------------------------------------------------
def _rdf(quads: list[Quad], rdf_format: ox.RdfFormat) -> bytes:
    """Serialise ``quads``, grouped by graph and subject; graph names are dropped for
    formats without datasets."""
    if rdf_format.supports_datasets:
        ordered = sorted(dict.fromkeys(quads), key=lambda q: (q.g or "", *_order(q)))
        items: list[Any] = [_ox_quad(q) for q in ordered]
    else:
        triples = sorted(dict.fromkeys(Quad(q.s, q.p, q.o, None) for q in quads), key=_order)
        items = [ox.Triple(to_ox(q.s), ox.NamedNode(q.p), to_ox(q.o)) for q in triples]
    return ox.serialize(items, format=rdf_format, prefixes=_used_prefixes(quads)) or b""


def _jsonld(quads: list[Quad], *, dataset: bool) -> bytes:
    """Compacted JSON-LD with a ``@context`` of the prefixes used: the merged graph, or
    with ``dataset`` each named graph as its own ``@graph`` (as TriG and N-Quads keep them).

    A JSON-LD reader taking the file as one graph gets every statement: the
    list of named graphs with full IRIs that the plain serialisation wrote read
    as no triples at all to such a reader.
    """
    import rdflib

    def term(t: Any) -> Any:
        if isinstance(t, Lit):
            datatype = None if t.lang else t.datatype
            return rdflib.Literal(t.value, lang=t.lang or None, datatype=datatype)
        return rdflib.BNode(t[2:]) if t.startswith("_:") else rdflib.URIRef(t)

    context = _used_prefixes(quads)
    if dataset:
        store = rdflib.Dataset()
        for q in sorted(dict.fromkeys(quads), key=lambda q: (q.g or "", *_order(q))):
            graph = store.graph(rdflib.URIRef(q.g)) if q.g else store.default_graph
            graph.add((term(q.s), rdflib.URIRef(q.p), term(q.o)))
    else:
        store = rdflib.Graph()  # type: ignore[assignment]
        for q in sorted({Quad(q.s, q.p, q.o, None) for q in quads}, key=_order):
            store.add((term(q.s), rdflib.URIRef(q.p), term(q.o)))
    text = store.serialize(format="json-ld", context=context, auto_compact=True)
    # rdflib lists nodes and values in set order: sorted, the same selection gives the same file
    stable = _stable(json.loads(text))
    return json.dumps(stable, indent=1, ensure_ascii=False).encode("utf-8")


def _stable(value: Any, key: str = "") -> Any:
    """A JSON-LD document with its objects' keys and its unordered arrays sorted
    (``@list`` arrays keep their order: it is an RDF list's).

    >>> _stable({"b": [{"@id": "y"}, {"@id": "x"}], "@list": [2, 1]})
    {'@list': [2, 1], 'b': [{'@id': 'x'}, {'@id': 'y'}]}
    """
    if isinstance(value, dict):
        return {k: _stable(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_stable(v) for v in value]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v))
    return value


def _order(q: Quad) -> tuple[str, ...]:
    o = q.o
    if isinstance(o, Lit):
        return (q.s, q.p, "1", o.value, o.lang or "", o.datatype or "")
    return (q.s, q.p, "0", o, "", "")


def _used_prefixes(quads: list[Quad]) -> dict[str, str]:
    """The project's prefixes that some IRI of ``quads`` starts with."""
    iris = {t for q in quads for t in (q.s, q.p, q.o, q.g) if isinstance(t, str)}
    iris |= {q.o.datatype for q in quads if isinstance(q.o, Lit) and q.o.datatype}
    return {prefix: ns for prefix, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}


def _ox_quad(q: Quad) -> ox.Quad:
    graph = to_ox(q.g) if q.g else ox.DefaultGraph()
    return ox.Quad(to_ox(q.s), ox.NamedNode(q.p), to_ox(q.o), graph)  # type: ignore[arg-type]


# -- graph formats -------------------------------------------------------------------------
def _graphml(G: nx.MultiDiGraph, name: str) -> bytes:
    import networkx as nx

    from .projection import flatten

    H = flatten(G)
    H.graph["name"] = name
    buffer = io.BytesIO()
    nx.write_graphml(H, buffer, encoding="utf-8")
    return buffer.getvalue()


def _gexf(G: nx.MultiDiGraph, name: str) -> bytes:
    import networkx as nx

    from .projection import flatten

    H = flatten(G)
    for key, (_, _, data) in enumerate(H.edges(data=True)):
        data["id"] = f"e{key}"  # GEXF edge ids must be unique; the predicate is not
    H.graph.pop("name", None)
    buffer = io.BytesIO()
    nx.write_gexf(H, buffer, encoding="utf-8", version="1.3")
    return _gexf_13(buffer.getvalue(), name)


def _gexf_13(data: bytes, name: str) -> bytes:
    """networkx's GEXF made valid GEXF 1.3: the title goes into ``meta/description``
    (``graph`` has no ``name`` attribute) and the XML Schema instance namespace is right.

    >>> out = _gexf_13(b'<gexf><meta><creator>x</creator></meta><graph name="">', "A & B")
    >>> out.decode()
    '<gexf><meta><creator>x</creator><description>A &amp; B</description></meta><graph>'
    """
    from xml.sax.saxutils import escape

    data = data.replace(
        b'xmlns:xsi="http://w3.org/2001/XMLSchema-instance"',
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    )
    data = re.sub(rb'(<graph\b[^>]*?) name="[^"]*"', rb"\1", data, count=1)
    description = f"<description>{escape(name)}</description>".encode()
    return data.replace(b"</creator>", b"</creator>" + description, 1)


def _cyjs(G: nx.MultiDiGraph, name: str) -> bytes:
    """Cytoscape.js elements JSON, which Cytoscape desktop also imports (``.cyjs``)."""
    nodes = [{"data": {"id": n, "name": d["label"], **d}} for n, d in G.nodes(data=True)]
    edges = [
        {"data": {"id": f"e{i}", "source": s, "target": t, "interaction": d["label"], **d}}
        for i, (s, t, d) in enumerate(G.edges(data=True))
    ]
    document = {
        "format_version": "1.0",
        "generated_by": "mlcareer-graph",
        "target_cytoscapejs_version": "~3",
        "data": {"name": name},
        "elements": {"nodes": nodes, "edges": edges},
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


NODE_COLUMNS = ("id", "label", "type", "classes", "definition")
EDGE_COLUMNS = ("source", "target", "predicate", "label", "direction", "sources", "inferred")


def _csv_zip(G: nx.MultiDiGraph, selection: Selection) -> bytes:
    node_rows = [
        (n, d["label"], d["type"], "; ".join(d["classes"]), d["definition"] or "")
        for n, d in G.nodes(data=True)
    ]
    edge_rows = [
        (
            e.source,
            e.target,
            e.predicate,
            e.label,
            selection.edge_direction(e),
            "; ".join(G.edges[e.source, e.target, e.predicate]["sources"]),
            "true" if e.inferred else "false",
        )
        for e in selection.edges
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header, rows in (
            ("nodes.csv", NODE_COLUMNS, node_rows),
            ("edges.csv", EDGE_COLUMNS, edge_rows),
        ):
            # A fixed date keeps the same selection's zip byte for byte the same.
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, _csv_text(header, rows))
    return buffer.getvalue()


def _csv_text(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(tuple(_cell(value) for value in row) for row in rows)
    return out.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """``value`` made safe to open in a spreadsheet: text that would start a formula
    gets a leading apostrophe.

    >>> _cell("=SUM(A1:A9)"), _cell("Python"), _cell(3)
    ("'=SUM(A1:A9)", 'Python', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
