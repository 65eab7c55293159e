"""What counts as an edge of the explorer's graph, and how a statement and its inverse fold.

One definition, used everywhere: by the graph when it reads the statements
around a node, by the adjacency index (the same test over every statement at
once, in numpy), by the counts of ``stats`` and by the integrity checks.

A statement is an edge when its object is a resource other than its subject,
neither end is a blank node (blank nodes fold into what owns them), its
predicate makes edges in the graph's view
(:meth:`~graph.vocab.schema.SchemaInfo.is_edge_predicate`: not the RDF/OWL/SHACL
machinery unless the schema shows, not who made or edited something, not the
bookkeeping predicates), and neither end is left out of the view (a source; a
class or a property unless the schema shows).  A mapping
(``skos:exactMatch`` and its kin) is an edge only when its target is named in
the graph: a link to an outside vocabulary the graph does not describe would
be a node with no name.

A statement ``s p o`` and ``o inverse(p) s`` are one edge, read the way the
sources write it (:meth:`EdgeRules.merge_inverses`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np

from ..backends.edge_index import distinct
from ..terms import Lit, Quad
from ..vocab.schema import MATCH_PREDICATES, SchemaInfo

if TYPE_CHECKING:
    from ..backends.edge_index import EdgeIndex

__all__ = ["EdgeRules", "RawEdge", "Statement"]

#: A statement with the named graph it sits in: (subject, predicate, object, graph).
Statement = tuple[str, str, str, str | None]
#: An edge before it is named: (subject, predicate, object, the graphs stating it).
RawEdge = tuple[str, str, str, frozenset[str | None]]


class EdgeRules:
    """The edge test and the inverse folding of one graph's vocabulary.

    ``is_named(node)`` says whether a node has a label (for mappings).
    ``is_inferred_graph(graph)`` says whether a graph holds inferred statements.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> rules = tiny_graph().rules
    >>> q = Quad("http://example.org/coding", "http://example.org/usesTool",
    ...          "http://example.org/python", None)
    >>> rules.is_edge(q), rules.is_edge(q._replace(o=Lit("x")))
    (True, False)
    """

    def __init__(
        self,
        schema: SchemaInfo,
        is_named: Callable[[str], bool],
        is_inferred_graph: Callable[[str | None], bool],
    ) -> None:
        self.schema = schema
        self.is_named = is_named
        self.is_inferred_graph = is_inferred_graph

    def joins_resources(self, q: Quad) -> bool:
        """The test without the mapping rule: an edge predicate between two non-schema nodes.

        The integrity checks use this form: a mapping's target may lie outside
        the graph, and that is no fault of the graph.
        """
        if isinstance(q.o, Lit) or q.s == q.o:
            return False
        if q.s.startswith("_:") or q.o.startswith("_:"):
            return False  # a blank node folds into its owner (restrictions, notes, lists)
        schema = self.schema
        if not schema.is_edge_predicate(q.p):
            return False
        return q.s not in schema.schema_nodes and q.o not in schema.schema_nodes

    def is_edge(self, q: Quad) -> bool:
        """Whether the statement ``q`` is an edge of the explorer's graph."""
        if not self.joins_resources(q):
            return False
        if q.p in MATCH_PREDICATES:
            return self.is_named(q.o)  # type: ignore[arg-type]
        return True

    def edge_rows(self, index: EdgeIndex) -> np.ndarray:
        """:meth:`is_edge` for every statement of ``index`` at once: a boolean mask.

        The same rules as :meth:`is_edge`, written over integer arrays because a
        large store has millions of statements; ``tests/core/test_edges.py``
        keeps the two equal.
        """
        schema = self.schema
        predicates = index.predicates
        is_edge = np.array([schema.is_edge_predicate(p) for p in predicates] or [False])
        is_match = np.array([p in MATCH_PREDICATES for p in predicates] or [False])
        schema_node = np.zeros(len(index.terms) + 1, dtype=bool)
        schema_node[: len(index.terms)] = index.terms.blank()
        for node in schema.schema_nodes:
            i = index.ids.get(node)
            if i is not None:
                schema_node[i] = True
        s, p, o = index.s, index.p, index.o
        rows = is_edge[p] & (s != o) & ~schema_node[s] & ~schema_node[o]
        match_rows = np.flatnonzero(rows & is_match[p])
        if len(match_rows):
            targets = distinct(o[match_rows])
            named = np.array([self.is_named(index.terms[int(i)]) for i in targets])
            unnamed = targets[~named]
            rows[match_rows[np.isin(o[match_rows], unnamed)]] = False
        return rows

    def merged(self, statements: Iterable[Statement]) -> list[RawEdge]:
        """Edge statements as edges: the graphs of each gathered, inverse twins folded."""
        graphs: dict[tuple[str, str, str], set[str | None]] = {}
        for s, p, o, g in statements:
            graphs.setdefault((s, p, o), set()).add(g)
        return self.merge_inverses(graphs)

    def merge_inverses(self, graphs: dict[tuple[str, str, str], set[str | None]]) -> list[RawEdge]:
        """Fold ``(o, inverse(p), s)`` into ``(s, p, o)``: one edge per statement pair.

        The statement kept is the asserted one when only one of the pair is
        asserted; otherwise the one whose predicate reads forward (the way the
        sources state it), and both contribute their graphs.
        """
        inverse, forward = self.schema.inverse, self.schema.forward
        asserted = self._asserted
        out = []
        for (s, p, o), gs in graphs.items():
            inv = inverse.get(p)
            twin = (o, inv, s) if inv else None
            if twin and twin in graphs and twin != (s, p, o):
                mine, theirs = asserted(gs), asserted(graphs[twin])
                keep_me = (mine and not theirs) or (
                    mine == theirs and (p in forward, s) > (inv in forward, o)  # a stable choice
                )
                if not keep_me:
                    continue
                if mine == theirs:
                    gs = gs | graphs[twin]
            out.append((s, p, o, frozenset(gs)))
        out.sort(key=lambda t: (t[1], t[0], t[2]))
        return out

    def _asserted(self, graphs: Iterable[str | None]) -> bool:
        return any(not self.is_inferred_graph(g) for g in graphs)
