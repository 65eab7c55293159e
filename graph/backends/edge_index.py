"""An integer adjacency index of a local store: who links to whom, without decoding terms.

Reading a statement out of an on-disk Oxigraph store into Python costs about
ten microseconds, most of it turning stored term ids back into strings.  A
2-hop view or a path search around a hub touches tens of thousands of
statements, so :class:`EdgeIndex` keeps every statement whose object is a
resource as four integer arrays (subject, predicate, object, graph), sorted
by subject, with a second ordering by object: the statements touching a node
are two slices, and a breadth-first step over a whole frontier is a handful
of numpy operations.

The index holds statements, not the explorer's edges: which predicates make
edges, which nodes are schema nodes and how inverse pairs fold together are
decided by :mod:`graph.core.kg` from the schema, so one index serves any reading.
A persistent store saves its index next to the database (:mod:`graph.backends.store`);
an in-memory store builds it on first use.

>>> store = ox.Store()
>>> e = "http://e/"
>>> store.add(ox.Quad(ox.NamedNode(e + "a"), ox.NamedNode(e + "p"), ox.NamedNode(e + "b")))
>>> store.add(ox.Quad(ox.NamedNode(e + "a"), ox.NamedNode(e + "name"), ox.Literal("A")))
>>> index = EdgeIndex.build(store)
>>> len(index), index.terms
(1, ['http://e/a', 'http://e/b'])
>>> [index.terms[int(o)] for o in index.o[index.rows(index.ids["http://e/a"])]]
['http://e/b']
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox

from ..terms import from_ox
from ..vocab.labels import ALIAS_PREDICATES, HIDDEN_PREDICATES, LABEL_PREDICATES

__all__ = ["NAME_PREDICATES", "EdgeIndex", "IndexBuilder", "gather", "index_folder"]

_FILES = ("s", "p", "o", "g", "in_order")
_VERSION = 1
#: The literal statements kept as names (what search and labels need).
NAME_PREDICATES = (*LABEL_PREDICATES, *ALIAS_PREDICATES, *HIDDEN_PREDICATES)


class EdgeIndex:
    """Every statement with a resource as object, as integer arrays.

    Attributes
    ----------
    terms : list of str
        Node id -> IRI (or ``_:`` blank node).
    predicates, graphs : list of str
        Predicate id -> IRI; graph id -> graph IRI (``None`` for the default graph).
    s, p, o, g : numpy.ndarray
        One entry per statement, sorted by subject.
    """

    def __init__(
        self,
        terms: list[str],
        predicates: list[str],
        graphs: list[str | None],
        s: np.ndarray,
        p: np.ndarray,
        o: np.ndarray,
        g: np.ndarray,
        in_order: np.ndarray | None = None,
        names: dict[str, list[Any]] | None = None,
    ) -> None:
        self.terms = terms
        self.names = names or {"node": [], "predicate": [], "text": [], "lang": []}
        self.predicates = predicates
        self.graphs = graphs
        self.ids = {t: i for i, t in enumerate(terms)}
        self.predicate_ids = {t: i for i, t in enumerate(predicates)}
        self.s, self.p, self.o, self.g = s, p, o, g
        n = len(terms)
        self.out_ptr = np.concatenate(([0], np.cumsum(np.bincount(s, minlength=n)))).astype(
            np.int64
        )
        self.in_order = np.argsort(o, kind="stable") if in_order is None else in_order
        self.in_ptr = np.concatenate(([0], np.cumsum(np.bincount(o, minlength=n)))).astype(np.int64)
        self._rank: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.s)

    # -- building -----------------------------------------------------------------
    @classmethod
    def build(cls, store: ox.Store) -> EdgeIndex:
        """Read every statement whose object is a resource, and every name, out of ``store``."""
        builder = IndexBuilder()
        builder.add(store.quads_for_pattern(None, None, None, None))
        return builder.finish()

    # -- saving -------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (created); :meth:`load` reads it back."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in _FILES:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)
        meta = {
            "version": _VERSION,
            "predicates": self.predicates,
            "graphs": self.graphs,
            "names": self.names,
        }
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        # IRIs and blank node ids hold no line breaks: one per line.
        (folder / "terms.txt").write_text("\n".join(self.terms), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> EdgeIndex | None:
        """The index saved in ``folder``, or ``None`` when it is missing or unreadable."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("version") != _VERSION:
                return None
            text = (folder / "terms.txt").read_text(encoding="utf-8")
            arrays = {n: np.load(folder / f"{n}.npy", allow_pickle=False) for n in _FILES}
        except (OSError, ValueError, KeyError):
            return None
        terms = text.split("\n") if text else []
        return cls(terms, meta["predicates"], meta["graphs"], names=meta["names"], **arrays)

    # -- lookups ----------------------------------------------------------------------
    def rows(self, node: int) -> np.ndarray:
        """Positions of the statements whose subject or object is ``node``."""
        out = np.arange(self.out_ptr[node], self.out_ptr[node + 1])
        inc = self.in_order[self.in_ptr[node] : self.in_ptr[node + 1]]
        return np.concatenate((out, inc))

    def frontier_rows(
        self, nodes: np.ndarray, *, ordered: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every statement touching one of ``nodes``: (row, the node, the other end).

        ``ordered`` sorts them by the node's place in ``nodes``, then by the other
        end's IRI: the order a breadth-first search meets nodes in, on any backend.
        """
        out_rows, out_from = gather(self.out_ptr, nodes)
        in_pos, in_from = gather(self.in_ptr, nodes)
        in_rows = self.in_order[in_pos]
        rows = np.concatenate((out_rows, in_rows))
        place = np.concatenate((out_from, in_from))
        other = np.concatenate((self.o[out_rows], self.s[in_rows]))
        if ordered:
            order = np.lexsort((self.rank[other], place))
            rows, place, other = rows[order], place[order], other[order]
        return rows, nodes[place], other

    @property
    def rank(self) -> np.ndarray:
        """Node id -> its place in the sorted list of IRIs."""
        if self._rank is None:
            rank = np.empty(len(self.terms), dtype=np.int64)
            rank[sorted(range(len(self.terms)), key=self.terms.__getitem__)] = np.arange(
                len(self.terms)
            )
            self._rank = rank
        return self._rank

    def statements_at(self, rows: np.ndarray) -> list[tuple[str, str, str, str | None]]:
        """The statements at ``rows`` as (subject, predicate, object, graph) names."""
        terms, predicates, graphs = self.terms, self.predicates, self.graphs
        return [
            (terms[s], predicates[p], terms[o], graphs[g])
            for s, p, o, g in zip(
                self.s[rows].tolist(),
                self.p[rows].tolist(),
                self.o[rows].tolist(),
                self.g[rows].tolist(),
                strict=True,
            )
        ]

    def classes(self, type_predicate: str) -> dict[int, list[int]]:
        """Node id -> ids of its classes (the objects of its ``type_predicate`` statements)."""
        pid = self.predicate_ids.get(type_predicate)
        out: dict[int, list[int]] = {}
        if pid is None:
            return out
        mask = self.p == pid
        for s, o in zip(self.s[mask].tolist(), self.o[mask].tolist(), strict=True):
            out.setdefault(s, []).append(o)
        return out

    def name_rows(self) -> Iterator[tuple[str, str, str, str | None]]:
        """Every name statement: (node, predicate, text, language)."""
        names, terms = self.names, self.terms
        for node, p, text, lang in zip(
            names["node"], names["predicate"], names["text"], names["lang"], strict=True
        ):
            yield terms[node], NAME_PREDICATES[p], text, lang


class IndexBuilder:
    """Collects statements into an :class:`EdgeIndex`: resources as ids, names as text.

    Blank nodes are kept under the ids the parser gave them, so an index built
    by parsing a file instead of reading the store is only valid when
    ``saw_blank_nodes`` stays false (a store renames blank nodes as it loads).
    """

    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self.predicates: dict[str, int] = {}
        self.graphs: dict[str | None, int] = {}
        self.columns: tuple[list[int], ...] = ([], [], [], [])
        self.names: dict[str, list[Any]] = {"node": [], "predicate": [], "text": [], "lang": []}
        self.saw_blank_nodes = False

    def add(self, quads: Iterable[ox.Quad], default_graph: str | None = None) -> None:
        """Add ``quads``; those of the default graph go to ``default_graph`` when given."""
        term_id, pred_id = self.terms.setdefault, self.predicates.setdefault
        graph_id = self.graphs.setdefault
        s_col, p_col, o_col, g_col = self.columns
        name_of = {p: i for i, p in enumerate(NAME_PREDICATES)}
        names = self.names
        literal, blank, default = ox.Literal, ox.BlankNode, ox.DefaultGraph
        for q in quads:
            subject, obj = q.subject, q.object
            if type(subject) is blank or type(obj) is blank:
                self.saw_blank_nodes = True
            if type(obj) is literal:
                which = name_of.get(q.predicate.value)
                if which is not None and type(subject) is not blank:
                    names["node"].append(term_id(subject.value, len(self.terms)))
                    names["predicate"].append(which)
                    names["text"].append(obj.value)
                    names["lang"].append(obj.language)
                continue
            graph = q.graph_name
            g = default_graph if type(graph) is default else from_ox(graph)
            s_col.append(term_id(from_ox(subject), len(self.terms)))  # type: ignore[arg-type]
            p_col.append(pred_id(q.predicate.value, len(self.predicates)))
            o_col.append(term_id(from_ox(obj), len(self.terms)))  # type: ignore[arg-type]
            g_col.append(graph_id(g, len(self.graphs)))

    def finish(self) -> EdgeIndex:
        """The index: statements sorted by subject, each once."""
        arrays = np.array(self.columns, dtype=np.int32).reshape(4, -1)
        if arrays.shape[1]:  # a statement read twice (two files, or twice in one) counts once
            arrays = np.unique(arrays, axis=1)
        order = np.argsort(arrays[0], kind="stable")
        return EdgeIndex(
            list(self.terms),
            list(self.predicates),
            list(self.graphs),
            *(a[order] for a in arrays),
            names=self.names,
        )


def gather(ptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions ``ptr[n]:ptr[n + 1]`` of every ``n`` in ``nodes``, concatenated.

    Also returns, for each position, the index in ``nodes`` it came from.

    >>> gather(np.array([0, 2, 2, 5]), np.array([2, 0]))
    (array([2, 3, 4, 0, 1]), array([0, 0, 0, 1, 1]))
    """
    starts, ends = ptr[nodes], ptr[nodes + 1]
    counts = ends - starts
    total = int(counts.sum())
    which = np.repeat(np.arange(len(nodes)), counts)
    if not total:
        return np.zeros(0, dtype=np.int64), which
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets, which


def index_folder(db: str | os.PathLike[str]) -> Path:
    """Where the index of the persistent database ``db`` is kept (beside it)."""
    db = Path(db)
    return db.with_name(db.name + ".edges")
