"""A backend over a remote SPARQL 1.1 endpoint (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever).

The explorer asks an endpoint only for what a view needs: the statements
around a few nodes (one query with ``VALUES`` for a whole frontier), the
labels that contain a word the user typed, the rows of a SPARQL query.  It
never downloads the whole graph, except for an explicit export of everything.

Every request goes through :class:`graph.backends.http.Connection` (a few kept at once in a
:class:`~graph.backends.http.ConnectionPool`): only the http(s)
address the user gave is contacted, and each request has a deadline that
holds even against a server that accepts the connection and never answers.

Endpoints differ in what their default graph is.  The backend finds out once,
on first use: with no named graphs it reads the default graph; when the
default graph already shows the named graphs' statements (Virtuoso, Oxigraph
with ``--union-default-graph``) it asks for ``GRAPH ?g`` to learn each
statement's source; otherwise it asks both, and runs the explorer's own
queries over the merge of the named graphs (``default-graph-uri``).  When the
user chose graphs (``graphs=``), or the server keeps system graphs of its own
(Virtuoso's configuration), every request names the graphs explored as its
dataset, so the server's own statements never count as data.

What a server answers is read by :mod:`graph.backends.protocol`: the media
type asked for fits the query form, malformed answers are refused in one
line, blank nodes get valid labels, and a server's row cap is detected: the
whole-graph reads (counts, validation, export of everything) page through it
with ``ORDER BY``, ``LIMIT`` and ``OFFSET``, and any other answer cut by it is
reported as a limit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any, Literal
from urllib.parse import urlencode

from ..errors import LimitExceeded
from ..terms import Lit, Quad, Term
from ..vocab.labels import ALIAS_PREDICATES, HIDDEN_PREDICATES, LABEL_PREDICATES
from ..vocab.namespaces import PREFIXES, RDF
from .base import BackendKind, QueryLimits, RawResult
from .derived import Derived
from .http import ConnectionPool, Response
from .joins import ServerJoins
from .protocol import (
    RESULTS_JSON,
    accept_for,
    cap_error,
    graph_from_rows,
    is_system_graph,
    parse_graph,
    parse_json,
    quads_of,
    query_kind,
    read_results,
    row_cap,
    rows_result,
    server_error,
    sparql_term,
)

__all__ = ["DEFAULT_TIMEOUT", "EndpointBackend", "sparql_term"]

#: Seconds each request may take, unless the caller says otherwise.
DEFAULT_TIMEOUT = 10.0
#: Nodes per ``VALUES`` block: keeps each request small enough for any endpoint.
_BATCH = 100
#: Nodes per request when only counts come back: the server looks each up, and requests
#: of 2,500 sent four at once took half the time of 5,000 one after another (Oxigraph, 1M).
_COUNT_BATCH = 2500
_MAX_GRAPHS = 2000
#: Statements per page when the whole graph is read (fewer if the server caps rows lower).
_PAGE = 10_000
#: The largest answer read: far below memory once parsed (JSON grows about 15x in Python).
MAX_ANSWER = 64 * 1024 * 1024
_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

#: How the default graph relates to the named ones; ``chosen``: a dataset is named.
Mode = Literal["default", "union", "separate", "chosen"]


class EndpointBackend:
    """The :class:`~graph.backends.base.Backend` interface over SPARQL 1.1 protocol requests.

    Parameters
    ----------
    url : str
        The query endpoint, e.g. ``http://127.0.0.1:7878/query``.
    timeout : float
        Deadline in seconds of each request.
    graphs : sequence of str, optional
        The named graphs to explore; by default every graph but the server's own.
    max_bytes : int
        The largest answer read (:data:`MAX_ANSWER` by default).

    Examples
    --------
    >>> EndpointBackend("ftp://example.org/sparql")
    Traceback (most recent call last):
    ...
    graph.errors.EndpointError: only http and https endpoints are supported, not 'ftp://...'
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        graphs: Sequence[str] | None = None,
        max_bytes: int = MAX_ANSWER,
    ) -> None:
        self.connection = ConnectionPool(url)
        self.url = self.connection.url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.kind: BackendKind = "endpoint"
        self.location: str | None = self.url
        #: The graphs the user chose (``None``: every graph but the server's own).
        self.chosen_graphs = tuple(dict.fromkeys(graphs)) if graphs else None
        #: The most rows the server sends in one answer, once it has said so.
        self.row_cap: int | None = None
        self._mode: Mode | None = None
        self._default_has_triples = False
        self._graphs: list[str] = []
        self._joins: ServerJoins | None = None

    @property
    def remote(self) -> bool:
        return True

    def edge_index(self) -> None:
        """None: the statements stay on the server."""
        return None

    def kept(self, piece: Derived) -> None:
        """None: an endpoint keeps no derived data here (the caller computes what it needs)."""

    def joins(self) -> ServerJoins:
        """The joins this server computes for a view (see :mod:`graph.backends.joins`)."""
        if self._joins is None:
            self._joins = ServerJoins(
                self._patterns,
                lambda q: self._rows(q, dataset=self._named_dataset)[1],
                self.connection.map,
            )
        return self._joins

    # -- the protocol ----------------------------------------------------------
    def _request(
        self,
        query: str,
        accept: str,
        *,
        timeout: float | None = None,
        dataset: bool = False,
        graphs: Sequence[str] | None = None,
    ) -> Response:
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
        limits: dict[str, Any] = {"timeout": timeout or self.timeout, "max_bytes": self.max_bytes}
        if len(encoded) + len(base) < 2000:
            joiner = "&" if "?" in base else "?"
            response = self.connection.request(
                "GET", base + joiner + encoded, headers=headers, **limits
            )
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            response = self.connection.request(
                "POST", base, body=encoded.encode(), headers=headers, **limits
            )
        if response.status >= 400:
            raise server_error(self.url, response.status, response.body)
        return response

    def _rows(
        self,
        query: str,
        *,
        timeout: float | None = None,
        dataset: bool = False,
        graphs: Sequence[str] | None = None,
        capped_ok: bool = False,
    ) -> tuple[list[str], list[dict[str, Term]], bool | None, int | None]:
        """Variables, rows, boolean and the row cap that cut the answer (``None``: not cut).

        An answer cut by the server's row cap raises :class:`~graph.errors.LimitExceeded`
        unless ``capped_ok`` (the caller pages, or reports the cut itself).
        """
        started, limit = time.monotonic(), timeout or self.timeout
        response = self._request(
            _PROLOGUE + query, RESULTS_JSON, timeout=limit, dataset=dataset, graphs=graphs
        )
        data = parse_json(response.body, self.url, started + limit, self.timeout)
        names, rows, boolean = read_results(data, self.url)
        cap = self._cap_hit(response, len(rows))
        if cap is not None and not capped_ok:
            raise cap_error(cap)
        return names, rows, boolean, cap

    def _select(
        self, query: str, *, timeout: float | None = None, dataset: bool = False
    ) -> tuple[list[str], list[dict[str, Term]]]:
        names, rows, _, _ = self._rows(query, timeout=timeout, dataset=dataset)
        return names, rows

    def _cap_hit(self, response: Response, count: int) -> int | None:
        """The server's row cap when it cut this answer: said in a header, or a full cap."""
        said = row_cap(response.headers)
        if said is not None:
            self.row_cap = said
            return said if count >= said else None
        if self.row_cap is not None and count == self.row_cap:
            return self.row_cap
        return None

    # -- the dataset's shape -----------------------------------------------------
    @property
    def mode(self) -> Mode:
        """How this endpoint's default graph relates to its named graphs (asked once)."""
        if self._mode is None:
            self._mode = self._detect_mode()
        return self._mode

    def _detect_mode(self) -> Mode:
        every = self._list_graphs()
        if self.chosen_graphs is not None or any(is_system_graph(g) for g in every):
            chosen = self.chosen_graphs or [g for g in every if not is_system_graph(g)]
            self._graphs = list(chosen)[:_MAX_GRAPHS]
            return "chosen"
        _, rows = self._select(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) } } LIMIT 1"
        )
        if not rows:
            return "default"
        row = rows[0]
        ask = f"ASK {{ {sparql_term(row['s'])} {sparql_term(row['p'])} {sparql_term(row['o'])} }}"
        if self._ask(ask):
            return "union"
        self._graphs = every[:_MAX_GRAPHS]
        self._default_has_triples = self._ask("ASK { ?s ?p ?o }")
        return "separate"

    def _list_graphs(self) -> list[str]:
        """Every named graph on the server (``GRAPH ?g { }`` lists none on Virtuoso, where
        ``GROUP BY`` takes milliseconds and ``DISTINCT`` seconds)."""
        found: list[str] = []
        for query in (
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        ):
            _, rows, _, _ = self._rows(query, capped_ok=True)
            found = [r["g"] for r in rows if isinstance(r.get("g"), str)]
            if found:
                break
        return found

    def _ask(self, query: str) -> bool:
        return bool(self._rows(query)[2])

    @property
    def _named_dataset(self) -> bool:
        """Whether the explorer's patterns name the dataset (graphs chosen)."""
        return self.mode == "chosen"

    def _patterns(
        self, subject: str, obj: str, predicate: str = "?p", graph: str = "?g"
    ) -> list[str]:
        """Group patterns matching ``subject predicate obj`` in every graph, binding ``graph``."""
        triple = f"{subject} {predicate} {obj}"
        if self.mode == "default":
            return [f"{{ {triple} }}"]
        out = [f"{{ GRAPH {graph} {{ {triple} }} }}"]
        if self.mode == "separate" and self._default_has_triples:
            out.append(f"{{ {triple} }}")
        return out

    def _quads(
        self, where: str, *, timeout: float | None = None, page: tuple[int, int] | None = None
    ) -> list[Quad]:
        query = f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}"
        if page is not None:
            # Virtuoso refuses ORDER BY with a large OFFSET at one level; sorted inside, a
            # sub-select pages the same way on every server.
            query = f"SELECT * WHERE {{ {{ {query} ORDER BY ?g ?s ?p ?o }} }}"
            query += f" LIMIT {page[1]} OFFSET {page[0]}"
        started, limit = time.monotonic(), timeout or self.timeout
        response = self._request(
            _PROLOGUE + query,
            RESULTS_JSON,
            timeout=limit,
            dataset=self._named_dataset,
        )
        data = parse_json(response.body, self.url, started + limit, self.timeout)
        out = quads_of(data, self.url)
        cap = self._cap_hit(response, len(out))
        if cap is not None and page is None:
            raise cap_error(cap)
        return out

    # -- Backend ----------------------------------------------------------------
    def select(self, query: str) -> list[dict[str, Term]]:
        """Rows of a trusted SELECT query over the union of all graphs."""
        return self._select(query, dataset=self.mode in ("separate", "chosen"))[1]

    def quads_touching(self, nodes: Sequence[str]) -> list[Quad]:
        """Every statement whose subject or object is one of ``nodes`` and whose object
        is a resource, not a literal (one query per 100 nodes).

        What this serves is the edges around nodes; leaving the labels and
        descriptions on the server cuts a third of the rows of a taxonomy like ESCO.
        """
        parts = [f"{p} FILTER(!isLiteral(?o)) BIND(?n AS ?s)" for p in self._patterns("?n", "?o")]
        parts += [f"{p} BIND(?n AS ?o)" for p in self._patterns("?s", "?n")]
        return self._batched(nodes, " UNION ".join(f"{{ {p} }}" for p in parts))

    def quads_about(self, node: str) -> list[Quad]:
        """Every statement whose subject is ``node``."""
        return self.quads_about_many([node])

    def quads_about_many(self, nodes: Sequence[str]) -> list[Quad]:
        """Every statement whose subject is one of ``nodes``, in as few requests as possible."""
        parts = [f"{p} BIND(?n AS ?s)" for p in self._patterns("?n", "?o")]
        return self._batched(nodes, " UNION ".join(f"{{ {p} }}" for p in parts))

    def quads_with(self, nodes: Sequence[str], predicates: Sequence[str]) -> list[Quad]:
        """The statements about ``nodes`` with one of ``predicates`` (one query per 100 nodes).

        Each predicate is written out in its own pattern: endpoints look a constant
        predicate up in an index, while ``VALUES ?p`` made Oxigraph scan (40x slower).
        """
        union = " UNION ".join(
            f"{{ {pattern} BIND(?n AS ?s) BIND({sparql_term(p)} AS ?p) }}"
            for p in sorted(predicates)
            for pattern in self._patterns("?n", "?o", sparql_term(p))
        )
        return self._batched(nodes, union)

    def _batched(self, nodes: Sequence[str], where: str) -> list[Quad]:
        """The statements ``where`` finds for each ``?n`` of ``nodes``: :data:`_BATCH` a request,
        the requests sent at once (:meth:`~graph.backends.http.ConnectionPool.map`)."""
        found = self.connection.map(
            lambda v: self._quads(f"VALUES ?n {{ {v} }} {where}"), _blocks(nodes, _BATCH)
        )
        return [quad for part in found for quad in part]

    def class_set_counts(self, nodes: Sequence[str]) -> dict[tuple[str, ...], int]:
        """How many of ``nodes`` have each set of classes (``rdf:type``), counted on the server.

        Only a few rows come back however many nodes are asked about: the
        thousands a capped view leaves out are counted by type this way.
        """
        typed = " UNION ".join(self._patterns("?m", "?c", sparql_term(RDF.type)))
        out: dict[tuple[str, ...], int] = {}
        answers = self.connection.map(
            lambda values: self._select(
                "SELECT ?cs (COUNT(*) AS ?k) WHERE { { SELECT ?m"
                ' (GROUP_CONCAT(DISTINCT STR(?c); separator=" ") AS ?cs) WHERE {'
                f" VALUES ?m {{ {values} }} OPTIONAL {{ {typed} }} }} GROUP BY ?m }} }}"
                " GROUP BY ?cs"
            )[1],
            _blocks(nodes, _COUNT_BATCH),
        )
        for rows in answers:
            for row in rows:
                classes, count = row.get("cs"), row.get("k")
                key = tuple(sorted(str(classes).split())) if classes is not None else ()
                out[key] = out.get(key, 0) + int(str(count))
        return out

    def quad_count(self) -> int:
        total = 0
        for pattern in self._patterns("?s", "?o"):
            _, rows = self._select(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", dataset=self._named_dataset
            )
            value = rows[0].get("n") if rows else None
            total += int(value.value) if isinstance(value, Lit) else 0
        return total

    def iter_quads(self) -> Iterator[Quad]:
        """Every statement, for counts, validation and an explicit export of everything.

        Read in pages, sorted, so a server's row cap cuts nothing: a page
        shorter than asked for before the count is reached shows a cap the
        server did not announce, and the pages shrink to it.  A count that
        still does not match raises :class:`~graph.errors.LimitExceeded`.
        """
        union = " UNION ".join(self._patterns("?s", "?o"))
        expected = self.quad_count()
        size = min(_PAGE, self.row_cap or _PAGE)
        offset = seen = 0
        while seen < expected:
            page = self._quads(union, timeout=max(self.timeout, 120.0), page=(offset, size))
            if not page:
                break
            seen += len(page)
            offset += len(page)
            if len(page) < size and seen < expected:
                size = len(page)  # the server's own cap, unannounced
            yield from page
        if seen != expected:
            raise LimitExceeded(
                f"{self.url} counts {expected:,} statements but sent {seen:,} when read in"
                f" pages of {size:,}; its answers are cut short (is a row cap in force?)"
            )

    def named_graphs(self) -> list[str]:
        if self.mode == "chosen":
            return list(self._graphs)
        return self._list_graphs()

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
            dataset=self.mode in ("separate", "chosen"),
        )
        return [
            (row["s"], row["l"].value, row["p"] in LABEL_PREDICATES)  # type: ignore[union-attr]
            for row in rows
            if isinstance(row.get("l"), Lit)  # every language: the caller prefers one
        ]

    def run_query(self, text: str, limits: QueryLimits) -> RawResult:
        """Run a (guarded, read-only) query of the user's and return its result.

        The query goes as written, with the project's prefixes declared before
        it; SELECT and ASK ask for SPARQL JSON, CONSTRUCT and DESCRIBE for RDF
        (a graph sent as rows of subject, predicate and object is read too).
        Rows past ``limits.max_rows`` are cut and the result marked truncated,
        as are rows cut by the server's own row cap (with a note); the server
        applies its own memory limits; ``limits.graphs`` go to the server as the
        protocol's dataset (``default-graph-uri``), by default the graphs explored.
        """
        timeout, max_rows, graphs = limits.timeout, limits.max_rows, limits.graphs
        kind = query_kind(text)
        dataset = self.mode in ("separate", "chosen")
        if kind == "rows":
            answer = self._rows(
                text, timeout=timeout, dataset=dataset, graphs=graphs, capped_ok=True
            )
            return rows_result(*answer, max_rows=max_rows)
        started = time.monotonic()
        response = self._request(
            _PROLOGUE + text, accept_for(kind), timeout=timeout, dataset=dataset, graphs=graphs
        )
        if response.content_type in (RESULTS_JSON, "application/json"):
            data = parse_json(response.body, self.url, started + timeout, timeout)
            names, rows, _ = read_results(data, self.url)
            triples = graph_from_rows(names, rows, self.url)
        else:
            triples = parse_graph(response.content_type, response.body, self.url)
        cut = len(triples) > max_rows
        result = RawResult("graph", triples=triples[:max_rows] if cut else triples)  # type: ignore[arg-type]
        result.truncated = cut
        return result

    def close(self) -> None:
        self.connection.close()


def _blocks(nodes: Sequence[str], size: int) -> list[str]:
    """The distinct named ``nodes`` as the bodies of ``VALUES`` blocks of ``size`` each (a
    blank node cannot be named in a query)."""
    named = [n for n in dict.fromkeys(nodes) if not n.startswith("_:")]
    return [
        " ".join(sparql_term(n) for n in named[start : start + size])
        for start in range(0, len(named), size)
    ]
