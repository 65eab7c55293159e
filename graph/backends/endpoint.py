"""A backend over a remote SPARQL 1.1 endpoint (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever).

The explorer asks an endpoint only for what a view needs: the statements
around a few nodes (one query with ``VALUES`` for a whole frontier), the
labels that contain a word the user typed, the rows of a SPARQL query.  It
never downloads the whole graph, except for an explicit export of everything.

Every request goes through :class:`graph.backends.http.Connection`: only the http(s)
address the user gave is contacted, and each request has a deadline that
holds even against a server that accepts the connection and never answers.

Endpoints differ in what their default graph is.  The backend finds out once,
on first use: with no named graphs it reads the default graph; when the
default graph already shows the named graphs' statements (Virtuoso, Oxigraph
with ``--union-default-graph``) it asks for ``GRAPH ?g`` to learn each
statement's source; otherwise it asks both, and runs the explorer's own
queries over the merge of the named graphs (``default-graph-uri``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal
from urllib.parse import urlencode

import pyoxigraph as ox

from ..errors import EndpointError, QuerySyntaxError
from ..terms import Lit, Quad, Term, from_ox
from ..vocab.labels import ALIAS_PREDICATES, HIDDEN_PREDICATES, LABEL_PREDICATES
from ..vocab.namespaces import PREFIXES, RDF
from .base import BackendKind, QueryLimits, RawResult
from .http import Connection

__all__ = ["DEFAULT_TIMEOUT", "EndpointBackend", "sparql_term"]

#: Seconds each request may take, unless the caller says otherwise.
DEFAULT_TIMEOUT = 10.0
#: Nodes per ``VALUES`` block: keeps each request small enough for any endpoint.
_BATCH = 100
#: Nodes per request when only counts come back.
_BIG_BATCH = 5000
_MAX_GRAPHS = 2000
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.5"
_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

Mode = Literal["default", "union", "separate"]


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


def _term(value: dict[str, str]) -> Term:
    kind = value.get("type")
    if kind == "uri":
        return value["value"]
    if kind == "bnode":
        return "_:" + value["value"]
    lang = value.get("xml:lang")
    datatype = value.get("datatype") or (_LANG_STRING if lang else _XSD_STRING)
    return Lit(value["value"], lang, datatype)


class EndpointBackend:
    """The :class:`~graph.backends.base.Backend` interface over SPARQL 1.1 protocol requests.

    Parameters
    ----------
    url : str
        The query endpoint, e.g. ``http://127.0.0.1:7878/query``.
    timeout : float
        Deadline in seconds of each request.

    Examples
    --------
    >>> EndpointBackend("ftp://example.org/sparql")
    Traceback (most recent call last):
    ...
    graph.errors.EndpointError: only http and https endpoints are supported, not 'ftp://...'
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.connection = Connection(url)
        self.url = self.connection.url
        self.timeout = timeout
        self.kind: BackendKind = "endpoint"
        self.location: str | None = self.url
        self._mode: Mode | None = None
        self._default_has_triples = False
        self._graphs: list[str] = []

    @property
    def remote(self) -> bool:
        return True

    def edge_index(self) -> None:
        """None: the statements stay on the server."""
        return None

    # -- the protocol ----------------------------------------------------------
    def _request(
        self,
        query: str,
        accept: str,
        *,
        timeout: float | None = None,
        dataset: bool = False,
        graphs: Sequence[str] | None = None,
    ) -> tuple[str, bytes]:
        params: list[tuple[str, str]] = [("query", query)]
        if graphs is None and dataset:
            graphs = self._graphs
        if graphs is not None:
            # Naming default graphs empties the named ones unless they are named too.
            params += [("default-graph-uri", g) for g in graphs]
            params += [("named-graph-uri", g) for g in graphs]
        encoded = urlencode(params)
        headers = {"Accept": accept, "User-Agent": "mlcareer-graph"}
        base = self.connection.path
        if len(encoded) + len(base) < 2000:
            joiner = "&" if "?" in base else "?"
            response = self.connection.request(
                "GET", base + joiner + encoded, headers=headers, timeout=timeout or self.timeout
            )
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            response = self.connection.request(
                "POST",
                base,
                body=encoded.encode(),
                headers=headers,
                timeout=timeout or self.timeout,
            )
        if response.status >= 400:
            message = response.body[:500].decode("utf-8", "replace").strip()
            if response.status == 400:
                raise QuerySyntaxError(f"the endpoint refused the query: {message}")
            raise EndpointError(f"{self.url} answered {response.status}: {message}")
        return response.content_type, response.body

    def _select(
        self, query: str, *, timeout: float | None = None, dataset: bool = False
    ) -> tuple[list[str], list[dict[str, Term]]]:
        _, body = self._request(_PROLOGUE + query, _RESULTS_JSON, timeout=timeout, dataset=dataset)
        data = self._json(body)
        names = data.get("head", {}).get("vars", [])
        rows = [
            {name: _term(value) for name, value in binding.items()}
            for binding in data.get("results", {}).get("bindings", [])
        ]
        return names, rows

    def _json(self, body: bytes) -> dict[str, Any]:
        try:
            return json.loads(body)
        except ValueError as err:
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results") from err

    # -- the dataset's shape -----------------------------------------------------
    @property
    def mode(self) -> Mode:
        """How this endpoint's default graph relates to its named graphs (asked once)."""
        if self._mode is None:
            self._mode = self._detect_mode()
        return self._mode

    def _detect_mode(self) -> Mode:
        _, rows = self._select(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) } } LIMIT 1"
        )
        if not rows:
            return "default"
        row = rows[0]
        ask = f"ASK {{ {sparql_term(row['s'])} {sparql_term(row['p'])} {sparql_term(row['o'])} }}"
        if self._ask(ask):
            return "union"
        _, graphs = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        self._graphs = [g["g"] for g in graphs if isinstance(g.get("g"), str)][:_MAX_GRAPHS]
        self._default_has_triples = self._ask("ASK { ?s ?p ?o }")
        return "separate"

    def _ask(self, query: str) -> bool:
        _, body = self._request(_PROLOGUE + query, _RESULTS_JSON)
        return bool(self._json(body).get("boolean"))

    def _patterns(self, subject: str, obj: str, predicate: str = "?p") -> list[str]:
        """Group patterns matching ``subject predicate obj`` in every graph, binding ``?g``."""
        triple = f"{subject} {predicate} {obj}"
        if self.mode == "default":
            return [f"{{ {triple} }}"]
        out = [f"{{ GRAPH ?g {{ {triple} }} }}"]
        if self.mode == "separate" and self._default_has_triples:
            out.append(f"{{ {triple} }}")
        return out

    def _quads(self, where: str, *, timeout: float | None = None) -> list[Quad]:
        query = f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}"
        _, body = self._request(_PROLOGUE + query, _RESULTS_JSON, timeout=timeout)
        out = []
        # Thousands of rows per view: read the bindings directly, without a dict per row.
        for row in self._json(body).get("results", {}).get("bindings", []):
            s, p, o, g = row.get("s"), row.get("p"), row.get("o"), row.get("g")
            if s is None or p is None or o is None:
                continue
            out.append(Quad(_term(s), p["value"], _term(o), _term(g) if g else None))  # type: ignore[arg-type]
        return out

    # -- Backend ----------------------------------------------------------------
    def select(self, query: str) -> list[dict[str, Term]]:
        """Rows of a trusted SELECT query over the union of all graphs."""
        return self._select(query, dataset=self.mode == "separate")[1]

    def quads_touching(self, nodes: Sequence[str]) -> list[Quad]:
        """Every statement whose subject or object is one of ``nodes`` and whose object
        is a resource, not a literal (one query per 100 nodes).

        What this serves is the edges around nodes; leaving the labels and
        descriptions on the server cuts a third of the rows of a taxonomy like ESCO.
        """
        named = [n for n in dict.fromkeys(nodes) if not n.startswith("_:")]
        out: list[Quad] = []
        for start in range(0, len(named), _BATCH):
            values = " ".join(sparql_term(n) for n in named[start : start + _BATCH])
            parts = [
                f"{p} FILTER(!isLiteral(?o)) BIND(?n AS ?s)" for p in self._patterns("?n", "?o")
            ]
            parts += [f"{p} BIND(?n AS ?o)" for p in self._patterns("?s", "?n")]
            union = " UNION ".join(f"{{ {p} }}" for p in parts)
            out += self._quads(f"VALUES ?n {{ {values} }} {union}")
        return out

    def quads_about(self, node: str) -> list[Quad]:
        """Every statement whose subject is ``node``."""
        return self.quads_about_many([node])

    def quads_about_many(self, nodes: Sequence[str]) -> list[Quad]:
        """Every statement whose subject is one of ``nodes``, in as few requests as possible."""
        named = [n for n in dict.fromkeys(nodes) if not n.startswith("_:")]
        out: list[Quad] = []
        for start in range(0, len(named), _BATCH):
            values = " ".join(sparql_term(n) for n in named[start : start + _BATCH])
            parts = [f"{p} BIND(?n AS ?s)" for p in self._patterns("?n", "?o")]
            union = " UNION ".join(f"{{ {p} }}" for p in parts)
            out += self._quads(f"VALUES ?n {{ {values} }} {union}")
        return out

    def quads_with(self, nodes: Sequence[str], predicates: Sequence[str]) -> list[Quad]:
        """The statements about ``nodes`` with one of ``predicates`` (one query per 100 nodes).

        Each predicate is written out in its own pattern: endpoints look a constant
        predicate up in an index, while ``VALUES ?p`` made Oxigraph scan (40x slower).
        """
        named = [n for n in dict.fromkeys(nodes) if not n.startswith("_:")]
        union = " UNION ".join(
            f"{{ {pattern} BIND(?n AS ?s) BIND({sparql_term(p)} AS ?p) }}"
            for p in sorted(predicates)
            for pattern in self._patterns("?n", "?o", sparql_term(p))
        )
        out: list[Quad] = []
        for start in range(0, len(named), _BATCH):
            values = " ".join(sparql_term(n) for n in named[start : start + _BATCH])
            out += self._quads(f"VALUES ?n {{ {values} }} {union}")
        return out

    def class_set_counts(self, nodes: Sequence[str]) -> dict[tuple[str, ...], int]:
        """How many of ``nodes`` have each set of classes (``rdf:type``), counted on the server.

        Only a few rows come back however many nodes are asked about: the
        thousands a capped view leaves out are counted by type this way.
        """
        named = [n for n in dict.fromkeys(nodes) if not n.startswith("_:")]
        typed = " UNION ".join(self._patterns("?m", "?c", sparql_term(RDF.type)))
        out: dict[tuple[str, ...], int] = {}
        for start in range(0, len(named), _BIG_BATCH):
            values = " ".join(sparql_term(n) for n in named[start : start + _BIG_BATCH])
            _, rows = self._select(
                "SELECT ?cs (COUNT(*) AS ?k) WHERE { { SELECT ?m"
                ' (GROUP_CONCAT(DISTINCT STR(?c); separator=" ") AS ?cs) WHERE {'
                f" VALUES ?m {{ {values} }} OPTIONAL {{ {typed} }} }} GROUP BY ?m }} }}"
                " GROUP BY ?cs"
            )
            for row in rows:
                classes, count = row.get("cs"), row.get("k")
                key = tuple(sorted(str(classes).split())) if classes is not None else ()
                out[key] = out.get(key, 0) + int(str(count))
        return out

    def quad_count(self) -> int:
        total = 0
        for pattern in self._patterns("?s", "?o"):
            _, rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
            value = rows[0].get("n") if rows else None
            total += int(value.value) if isinstance(value, Lit) else 0
        return total

    def iter_quads(self) -> Iterator[Quad]:
        """Every statement: one long request, for an explicit export of everything."""
        union = " UNION ".join(self._patterns("?s", "?o"))
        yield from self._quads(union, timeout=max(self.timeout, 120.0))

    def named_graphs(self) -> list[str]:
        _, rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return [row["g"] for row in rows if isinstance(row.get("g"), str)]

    # -- search and the console ---------------------------------------------------
    def name_index(self) -> None:
        """None: every name would cross the network; search asks :meth:`search_labels`."""
        return None

    def search_labels(
        self, text: str, limit: int = 500, *, word_start: bool = False
    ) -> list[tuple[str, str, bool]]:
        """Names containing ``text`` (case folded): ``(node, name, is preferred label)``.

        With ``word_start``, only names with a word that starts with ``text``.
        Only the matching labels cross the network; the caller ranks them.
        """
        predicates = [*LABEL_PREDICATES, *ALIAS_PREDICATES, *HIDDEN_PREDICATES]
        values = " ".join(sparql_term(p) for p in predicates)
        folded = text.casefold()
        haystack = "LCASE(STR(?l))"
        if word_start:
            folded, haystack = " " + folded, f'CONCAT(" ", {haystack})'
        needle = json.dumps(folded, ensure_ascii=False)
        _, rows = self._select(
            f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?l"
            f" FILTER(isIRI(?s) && isLiteral(?l) && CONTAINS({haystack}, {needle})) }}"
            f" LIMIT {int(limit)}",
            dataset=self.mode == "separate",
        )
        return [
            (row["s"], row["l"].value, row["p"] == LABEL_PREDICATES[0])  # type: ignore[union-attr]
            for row in rows
            if isinstance(row.get("l"), Lit)
            and (row["l"].lang in (None, "", "en") or row["l"].lang.startswith("en"))  # type: ignore[union-attr]
        ]

    def run_query(self, text: str, limits: QueryLimits) -> RawResult:
        """Run a (guarded, read-only) query of the user's and return its result.

        The query goes as written, with the project's prefixes declared before
        it; SELECT and ASK come back as SPARQL JSON, CONSTRUCT and DESCRIBE as
        N-Triples.  Rows past ``limits.max_rows`` are cut and the result marked
        truncated; ``limits.graphs`` go to the server as the protocol's dataset
        (``default-graph-uri``); the server applies its own memory limits.
        """
        timeout, max_rows, graphs = limits.timeout, limits.max_rows, limits.graphs
        accept = f"{_RESULTS_JSON}, {_GRAPH_TYPES}"
        dataset = self.mode == "separate"
        content_type, body = self._request(
            _PROLOGUE + text, accept, timeout=timeout, dataset=dataset, graphs=graphs
        )
        if content_type in ("application/n-triples", "text/turtle", "text/plain"):
            return self._graph_result(content_type, body, max_rows)
        data = self._json(body)
        if "boolean" in data:
            return RawResult("ask", boolean=bool(data["boolean"]))
        names = data.get("head", {}).get("vars", [])
        bindings = data.get("results", {}).get("bindings", [])
        cut = max_rows is not None and len(bindings) > max_rows
        rows = [
            {name: _term(value) for name, value in binding.items()}
            for binding in (bindings[:max_rows] if cut else bindings)
        ]
        return RawResult("select", variables=names, rows=rows, truncated=cut)

    def _graph_result(self, content_type: str, body: bytes, max_rows: int | None) -> RawResult:
        fmt = ox.RdfFormat.TURTLE if content_type == "text/turtle" else ox.RdfFormat.N_TRIPLES
        try:
            triples = [
                (from_ox(t.subject), t.predicate.value, from_ox(t.object))
                for t in ox.parse(body, format=fmt)
            ]
        except SyntaxError as err:
            raise EndpointError(f"{self.url} sent a graph that cannot be read: {err}") from err
        cut = max_rows is not None and len(triples) > max_rows
        kept = triples[:max_rows] if cut else triples
        return RawResult("graph", triples=kept, truncated=cut)  # type: ignore[arg-type]

    def close(self) -> None:
        self.connection.close()
