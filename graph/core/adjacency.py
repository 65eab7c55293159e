"""The adjacency index read the explorer's way: which statements are edges, as numpy masks.

:class:`~graph.backends.edge_index.EdgeIndex` holds every statement between
resources of a local store as integer arrays; :class:`Adjacency` adds what the
explorer's notion of an edge needs (the predicates that make edges, schema
nodes left out, inverse pairs, the graphs that hold inferred statements) so
that neighbourhoods and path searches step a whole frontier at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from ..vocab.namespaces import RDF, local_name

if TYPE_CHECKING:
    from ..backends.edge_index import EdgeIndex
    from ..query.filters import EdgeFilter
    from .kg import KnowledgeGraph

__all__ = ["Adjacency", "RowMask"]


class Adjacency:
    """An :class:`~graph.backends.edge_index.EdgeIndex` read with the explorer's notion of an edge.

    ``edge_rows`` marks the statements that are edges of the projection (the
    same test as :meth:`graph.core.edges.EdgeRules.is_edge`, applied to every
    statement at once) and ``inferred_graphs`` the graphs holding inferred statements.
    """

    def __init__(self, kg: KnowledgeGraph, index: EdgeIndex) -> None:
        self.index = index
        self.schema = schema = kg.schema
        self.type_name = kg.type_name
        self.kept = kg.kept
        kept = kg.kept
        self.edge_rows = kg.rules.edge_rows(index) if kept is None else kept.arrays["edge_rows"]
        self.inferred_graphs = np.array(
            [schema.source_of(g).kind == "inferred" for g in index.graphs] or [False]
        )
        self._classes: dict[int, list[int]] | None = None
        self._type_names: list[str] | None = None

    def statements(
        self, node: str, other: str | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        """The edge statements touching ``node`` (and ``other``): (s, p, o, graph)."""
        index = self.index
        i = index.ids.get(node)
        if i is None:
            return []
        rows = index.rows(i)
        rows = rows[self.edge_rows[rows]]
        if other is not None:
            j = index.ids.get(other, -1)
            rows = rows[(index.s[rows] == j) | (index.o[rows] == j)]
        return index.statements_at(rows)

    def predicate_rows(self, keep: EdgeFilter) -> RowMask:
        """The edge statements whose predicate ``keep`` allows."""
        predicates = self.index.predicates
        allowed = np.array([keep.allows_predicate(p, False) for p in predicates] or [False])
        return RowMask(self.index, self.edge_rows, allowed, None)

    def source_graphs(self, keep: EdgeFilter) -> np.ndarray:
        """Graph id -> whether it is one of the sources ``keep`` asks for."""
        graphs = self.index.graphs
        return np.array([keep.allows_raw(None, frozenset([g]), False) for g in graphs] or [False])

    def allowed_rows(self, keep: EdgeFilter) -> RowMask:
        """The edge statements ``keep`` lets through, judged one statement at a time."""
        graph_ok = self.source_graphs(keep)
        if not keep.inferred:
            graph_ok &= ~self.inferred_graphs
        return RowMask(self.index, self.edge_rows, self.predicate_rows(keep).predicates, graph_ok)

    def predicate_pairs(self) -> np.ndarray:
        """Predicate id -> one id shared by a predicate and its inverse."""
        ids = self.index.predicate_ids
        pair = np.arange(max(len(ids), 1))
        for p, i in ids.items():
            inverse = ids.get(self.schema.inverse.get(p, ""))
            if inverse is not None:
                pair[i] = min(i, inverse)
        return pair

    def graph_articles(self) -> np.ndarray:
        """Graph id -> a number for the article the graph belongs to (0: none)."""
        numbers: dict[str, int] = {}
        out = []
        for g in self.index.graphs:
            source = self.schema.source_of(g)
            out.append(
                numbers.setdefault(source.source, len(numbers) + 1)
                if source.kind == "article"
                else 0
            )
        return np.array(out or [0])

    def class_mask(self, wanted: set[str]) -> np.ndarray:
        """Which nodes belong to one of the ``wanted`` classes (local names, with sub-classes)."""
        schema = self.schema

        def fits(classes: Iterable[str]) -> bool:
            return any(
                wanted & {local_name(a) for a in (iri, *schema.ancestors(iri))} for iri in classes
            )

        n = len(self.index.terms)
        if self.kept is not None:  # judged once per set of classes, not once per node
            sets = np.array([fits(asserted) for asserted in self.kept.asserted_sets()])
            return np.concatenate((sets[np.asarray(self.kept.arrays["node_class"])], [False]))
        mask = np.zeros(n + 1, dtype=bool)
        if self._classes is None:
            self._classes = self.index.classes(RDF.type)
        terms = self.index.terms
        judged: dict[int, bool] = {}
        for node, classes in self._classes.items():
            for c in classes:
                ok = judged.get(c)
                if ok is None:
                    ok = judged[c] = fits([terms[c]])
                if ok:
                    mask[node] = True
                    break
        return mask

    def type_names(self) -> list[str]:
        """Node id -> local name of its main class (``Resource`` without one), found once."""
        if self._type_names is None and self.kept is not None:
            self._type_names = self.kept.type_names()
        if self._type_names is None:
            if self._classes is None:
                self._classes = self.index.classes(RDF.type)
            names = ["Resource"] * len(self.index.terms)
            terms = self.index.terms
            for node, classes in self._classes.items():
                names[node] = self.type_name(terms[c] for c in classes)
            self._type_names = names
        return self._type_names

    def type_names_of(self, nodes: list[str]) -> dict[str, str]:
        """The main class (local name) of each of ``nodes``, from the index's class lists."""
        names, ids = self.type_names(), self.index.ids
        return {n: names[i] if (i := ids.get(n)) is not None else "Resource" for n in nodes}


class RowMask:
    """Which statements a view lets through: judged for the rows asked about only.

    The test is the edge test of every statement (computed once per graph),
    the predicate's and the graph's: indexing with the rows a frontier
    touches costs as many operations as those rows, however large the graph.
    """

    def __init__(
        self,
        index: EdgeIndex,
        edge_rows: np.ndarray,
        predicates: np.ndarray,
        graphs: np.ndarray | None,
    ) -> None:
        self.index = index
        self.edge_rows = edge_rows
        self.predicates = predicates
        self.graphs = graphs

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        ok = self.edge_rows[rows] & self.predicates[self.index.p[rows]]
        if self.graphs is not None:
            ok &= self.graphs[self.index.g[rows]]
        return ok

    def dense(self) -> np.ndarray:
        """The test for every statement at once (a boolean mask as long as the index)."""
        return self[np.arange(len(self.index))]
