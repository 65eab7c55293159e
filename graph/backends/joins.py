"""Joins a SPARQL server computes for a path's region, so that only their results cross
the network.

:class:`ServerJoins` asks the server how many neighbours a node has, and
for the statements among a set of nodes; no query lists more than
``WIDE_BATCH`` nodes.

What an edge is, and what a view lets through, is said by an
:class:`EdgeSpec`, built by the graph from its schema and the view's
filters (:func:`graph.query.served.edge_spec`), so that the server applies
the explorer's own rules: a statement between two resources that are not
schema nodes, with an edge predicate, a mapping only toward a named node, a
statement and its inverse twin one edge, an edge's articles those of the
graphs stating it.  Every term is written into the query by
:func:`~graph.backends.protocol.sparql_term`, never spliced as text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..terms import Lit, Quad, Term
from .protocol import sparql_term

__all__ = ["EdgeSpec", "ServerJoins"]

#: Nodes per VALUES block of a join: small enough for any server, large enough to be few.
BATCH = 300
#: Nodes per VALUES block a join is filtered by: Virtuoso 7 refuses a block of 5,000
#: ("SP030: Too many arguments for standard built-in function").
WIDE_BATCH = 1000
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: ``patterns(subject, object, predicate, graph)``: the group patterns matching a triple in
#: every graph the explorer reads, binding ``graph`` (an endpoint's dataset shape).
Patterns = Callable[[str, str, str, str], list[str]]
Rows = Callable[[str], list[dict[str, Term]]]
#: Runs ``rows`` over several queries; the answers in the queries' order.
Each = Callable[[Rows, list[str]], list[list[dict[str, Term]]]]


@dataclass(frozen=True)
class EdgeSpec:
    """Which statements are edges of a view, in terms a server can test.

    A statement ``s p o`` is an edge when ``o`` is neither a literal nor a
    blank node, ``s != o``, neither is in ``schema_nodes``, ``p`` starts with
    none of ``excluded_prefixes`` (unless it is in ``kept``), is not in
    ``excluded``, is in ``allowed`` (when
    given), its graph is not in ``skipped_graphs``, and, when ``p`` is one of
    ``mappings``, ``o`` has a literal value for one of ``labels``.  ``inverse``
    pairs predicates (a symmetric one with itself): ``s p o`` and ``o q s``
    are one edge.  ``articles`` maps a graph to the article it belongs to.
    """

    excluded_prefixes: tuple[str, ...] = ()
    excluded: frozenset[str] = frozenset()
    #: Predicates in the excluded namespaces that are edges all the same.
    kept: frozenset[str] = frozenset()
    allowed: frozenset[str] | None = None
    schema_nodes: frozenset[str] = frozenset()
    skipped_graphs: frozenset[str] = frozenset()
    mappings: frozenset[str] = frozenset()
    labels: tuple[str, ...] = ()
    inverse: Mapping[str, str] = field(default_factory=dict)
    articles: Mapping[str, str] = field(default_factory=dict)
    inferred_graphs: frozenset[str] = frozenset()
    #: When given, the predicates of the data that :meth:`admits`: tested in place of the
    #: namespaces and lists above, one comparison a statement instead of one a namespace.
    used: frozenset[str] | None = None

    def admits(self, predicate: str) -> bool:
        """Whether statements with ``predicate`` may be edges (the tests on ``p`` alone).

        >>> EdgeSpec(excluded_prefixes=("urn:x:",), kept=frozenset({"urn:x:k"})).admits("urn:x:k")
        True
        >>> EdgeSpec(allowed=frozenset({"urn:a"})).admits("urn:b")
        False
        """
        if predicate.startswith(self.excluded_prefixes) and predicate not in self.kept:
            return False
        if predicate in self.excluded:
            return False
        return self.allowed is None or predicate in self.allowed


def _terms(nodes: Iterable[str]) -> str:
    """IRIs for a VALUES block (a blank node cannot be named in a query, so it is left out)."""
    return " ".join(sparql_term(n) for n in nodes if not n.startswith("_:"))


def _in(var: str, values: Iterable[str]) -> str:
    listed = ", ".join(sparql_term(v) for v in sorted(values) if not v.startswith("_:"))
    return f"{var} IN ({listed})" if listed else "false"


class ServerJoins:
    """The joins of :mod:`graph.backends.joins` run by one SPARQL endpoint.

    ``patterns`` writes a triple in every graph the endpoint's dataset holds;
    ``rows`` runs one of the explorer's own SELECT queries; ``each`` runs it
    over a list of queries and keeps their order (the endpoint's sends them
    at once: :meth:`~graph.backends.http.ConnectionPool.map`).
    """

    def __init__(self, patterns: Patterns, rows: Rows, each: Each) -> None:
        self.patterns = patterns
        self.rows = rows
        self.each = each
        self._predicates: frozenset[str] | None = None
        self._asking = threading.Lock()

    def predicates(self) -> frozenset[str]:
        """The predicates of every statement the server holds in the graphs read.

        Asked once for this object (an endpoint keeps one for its life, as it keeps
        the shape of its dataset): the server scans every statement for it (0.13 s
        on ESCO, 0.8 s at a million statements on Oxigraph).
        """
        with self._asking:
            if self._predicates is None:
                where = " UNION ".join(self.patterns("?s", "?o", "?p", "?g"))
                rows = self.rows(f"SELECT ?p WHERE {{ {where} }} GROUP BY ?p")
                self._predicates = frozenset(
                    str(r["p"]) for r in rows if isinstance(r.get("p"), str)
                )
            return self._predicates

    # -- the edge pattern ------------------------------------------------------------------------
    def edge(self, spec: EdgeSpec, near: str, far: str, tag: str = "") -> str:
        """A group matching the edge statements between ``near`` and ``far``, either way.

        Binds ``?p{tag}``, ``?g{tag}`` (the graph; unbound on a server without
        named graphs) and ``?a{tag}``/``?b{tag}``, the statement's subject and object.
        """
        p, g, a, b = (f"?{v}{tag}" for v in ("p", "g", "a", "b"))
        out = " UNION ".join(self.patterns(near, far, p, g))
        back = " UNION ".join(self.patterns(far, near, p, g))
        tests = [f"{far} != {near}", f"!isLiteral({far})", f"!isBlank({far})"]
        if spec.used is not None:
            # Written as the predicates refused: Virtuoso 7 reads a test listing those kept
            # as a pattern per predicate, and counts a statement stated in two graphs once.
            refused = [q for q in spec.used if not spec.admits(q)]
            if refused:
                tests.append(f"!({_in(p, refused)})")
        elif spec.excluded_prefixes:
            starts = " || ".join(
                f"STRSTARTS(STR({p}), {json.dumps(x)})" for x in spec.excluded_prefixes
            )
            tests.append(f"(!({starts}) || {_in(p, spec.kept)})")
        if spec.excluded and spec.used is None:
            tests.append(f"!({_in(p, spec.excluded)})")
        if spec.allowed is not None and spec.used is None:
            tests.append(_in(p, spec.allowed))
        if spec.schema_nodes:
            tests.append(f"!({_in(far, spec.schema_nodes)})")
        if spec.skipped_graphs:
            tests.append(f"(!BOUND({g}) || !({_in(g, spec.skipped_graphs)}))")
        group = (
            f"{{ {{ {out} }} BIND({near} AS {a}) BIND({far} AS {b}) }}"
            f" UNION {{ {{ {back} }} BIND({far} AS {a}) BIND({near} AS {b}) }}"
        )
        # Only the mappings the server holds: the EXISTS below costs whatever the predicate
        # (Oxigraph evaluates both sides of ``||``; 60% of a degree count on ESCO, which has
        # none), and Virtuoso 7 answers it wrongly inside IF.
        mappings = spec.mappings if spec.used is None else spec.mappings & spec.used
        if mappings:
            named = " UNION ".join(
                f"{{ {b} {sparql_term(label)} ?l{tag} FILTER(isLiteral(?l{tag})) }}"
                for label in spec.labels
            )
            tests.append(f"(!({_in(p, mappings)}) || EXISTS {{ {named or 'FILTER(false)'} }})")
        return f"{group} FILTER({' && '.join(tests)})"

    def statements_between(self, nodes: Sequence[str], others: Sequence[str]) -> list[Quad]:
        """Every statement, either way, between one of ``nodes`` and one of ``others``.

        The statements of ``nodes`` are read in a sub-select, then joined with
        ``others``: given both lists at one level, Oxigraph tries every pair of
        them (on ESCO, 1.1 s for 300 by 1,100 nodes where this takes 0.04 s).
        Virtuoso 7 takes seconds either way.
        """
        out: list[Quad] = []
        named = [n for n in dict.fromkeys(others) if not n.startswith("_:")]
        ends = [n for n in dict.fromkeys(nodes) if not n.startswith("_:")]
        if not named:
            return out
        forth = " UNION ".join(self.patterns("?f", "?x", "?p", "?g"))
        back = " UNION ".join(self.patterns("?x", "?f", "?p", "?g"))
        queries = [
            "SELECT ?s ?p ?o ?g WHERE { { SELECT ?x ?s ?p ?o ?g WHERE {"
            f" VALUES ?f {{ {_terms(ends[start : start + BATCH])} }}"
            f" {{ {{ {forth} }} BIND(?f AS ?s) BIND(?x AS ?o) }}"
            f" UNION {{ {{ {back} }} BIND(?x AS ?s) BIND(?f AS ?o) }} }} }}"
            f" VALUES ?x {{ {_terms(named[first : first + WIDE_BATCH])} }} }}"
            for start in range(0, len(ends), BATCH)
            for first in range(0, len(named), WIDE_BATCH)
        ]
        for rows in self.each(self.rows, queries):
            for row in rows:
                s, p, o, g = row.get("s"), row.get("p"), row.get("o"), row.get("g")
                if isinstance(s, str) and isinstance(p, str) and o is not None:
                    out.append(Quad(s, p, o, g if isinstance(g, str) else None))
        return out

    # -- degrees, for paths --------------------------------------------------------------------
    def degrees(self, nodes: Sequence[str], spec: EdgeSpec) -> dict[str, int]:
        """How many distinct neighbours each of ``nodes`` has through the view's edges."""
        out = dict.fromkeys(nodes, 0)
        named = [n for n in dict.fromkeys(nodes) if not n.startswith("_:")]
        edge = self.edge(spec, "?f", "?x")
        queries = [
            f"SELECT ?f (COUNT(DISTINCT ?x) AS ?n) WHERE {{"
            f" VALUES ?f {{ {_terms(named[start : start + BATCH])} }} {edge} }} GROUP BY ?f"
            for start in range(0, len(named), BATCH)
        ]
        for rows in self.each(self.rows, queries):
            for row in rows:
                if isinstance(row.get("f"), str):
                    out[str(row["f"])] = _int(row.get("n"))
        return out


def _int(value: Term | None) -> int:
    if isinstance(value, Lit):
        try:
            return int(value.value)
        except ValueError:
            return int(float(value.value))
    return 0
