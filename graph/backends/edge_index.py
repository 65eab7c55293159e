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
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox

from ..terms import from_ox
from ..vocab.labels import ALIAS_PREDICATES, HIDDEN_PREDICATES, LABEL_PREDICATES
from .derived import Derived, derived_folder

__all__ = [
    "EDGES",
    "NAME_PREDICATES",
    "EdgeIndex",
    "IndexBuilder",
    "distinct",
    "gather",
    "index_folder",
]

_FILES = ("s", "p", "o", "g", "in_order", "out_ptr", "in_ptr", "literal_s", "literal_g")
_VERSION = 4  # 3: more label predicates; 4: node ids in the IRIs' order, IRIs as bytes
#: The literal statements kept as names (what search and labels need).
NAME_PREDICATES = (*LABEL_PREDICATES, *ALIAS_PREDICATES, *HIDDEN_PREDICATES)


class EdgeIndex:
    """Every statement with a resource as object, as integer arrays.

    Attributes
    ----------
    terms : sequence of str
        Node id -> IRI (or ``_:`` blank node); ids follow the IRIs' order, so a
        node's id is also its rank and an IRI is found by binary search.
    ids : mapping of str to int
        IRI -> node id.
    predicates, graphs : list of str
        Predicate id -> IRI; graph id -> graph IRI (``None`` for the default graph).
    s, p, o, g : numpy.ndarray
        One entry per statement, sorted by subject.
    literal_s, literal_g : numpy.ndarray
        Each (node id, graph id) with at least one literal statement (subjects with values).
    names : dict of lists
        Every name statement (label, alternative or hidden label): node id,
        predicate (index into :data:`NAME_PREDICATES`), text, language.  Read
        from disk on first use.
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
        names: dict[str, list[Any]] | Path | None = None,
        *,
        literal_s: np.ndarray | None = None,
        literal_g: np.ndarray | None = None,
        out_ptr: np.ndarray | None = None,
        in_ptr: np.ndarray | None = None,
    ) -> None:
        self.terms: TermList | TermArray = (
            terms if isinstance(terms, TermList | TermArray) else TermList(terms)
        )
        self._names = names
        self.predicates = predicates
        self.graphs = graphs
        self.predicate_ids = {t: i for i, t in enumerate(predicates)}
        self.s, self.p, self.o, self.g = s, p, o, g
        empty = np.zeros(0, dtype=np.int32)
        self.literal_s = empty if literal_s is None else literal_s
        self.literal_g = empty if literal_g is None else literal_g
        n = len(terms)
        self.out_ptr = _pointers(s, n) if out_ptr is None else out_ptr
        self.in_order = np.argsort(o, kind="stable") if in_order is None else in_order
        self.in_ptr = _pointers(o, n) if in_ptr is None else in_ptr

    def __len__(self) -> int:
        return len(self.s)

    @property
    def ids(self) -> TermIds:
        """IRI -> node id (a binary search over the IRIs)."""
        return TermIds(self.terms)

    @property
    def names(self) -> dict[str, list[Any]]:
        """Every name statement, by column (see the class docstring)."""
        if not isinstance(self._names, dict):
            names = None
            if self._names is not None:
                try:
                    names = json.loads(self._names.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    names = None
            self._names = names or {"node": [], "predicate": [], "text": [], "lang": []}
        return self._names

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
            np.save(folder / f"{name}.npy", np.asarray(getattr(self, name)), allow_pickle=False)
        meta = {"version": _VERSION, "predicates": self.predicates, "graphs": self.graphs}
        (folder / "names.json").write_text(json.dumps(self.names), encoding="utf-8")
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        np.save(folder / "terms.npy", self.terms.encoded(), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> EdgeIndex | None:
        """The index saved in ``folder``, or ``None`` when it is missing or unreadable.

        The arrays are mapped, not read: opening costs the same at any size,
        and only the pages a view touches are read from disk.
        """
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("version") != _VERSION:
                return None
            terms = TermArray(
                np.asarray(np.load(folder / "terms.npy", mmap_mode="r", allow_pickle=False))
            )
            # plain arrays over the mapped files: a memmap's every slice is a new subclass
            arrays = {
                n: np.asarray(np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False))
                for n in _FILES
            }
        except (OSError, ValueError, KeyError):
            return None
        s, p, o, g = (arrays.pop(n) for n in "spog")
        return cls(
            terms,
            meta["predicates"],
            meta["graphs"],
            s,
            p,
            o,
            g,
            names=folder / "names.json",
            **arrays,
        )

    # -- lookups ----------------------------------------------------------------------
    def rows(self, node: int) -> np.ndarray:
        """Positions of the statements whose subject or object is ``node``."""
        out = np.arange(self.out_ptr[node], self.out_ptr[node + 1])
        inc = self.in_order[self.in_ptr[node] : self.in_ptr[node + 1]]
        return np.concatenate((out, inc))

    def row_counts(self, nodes: np.ndarray) -> np.ndarray:
        """How many statements touch each of ``nodes`` (what :meth:`frontier_rows` reads).

        >>> one = np.array([0])  # a single statement: a p b
        >>> index = EdgeIndex(["a", "b", "c"], ["p"], [None], one, one, one + 1, one)
        >>> index.row_counts(np.array([0, 1, 2])).tolist()
        [1, 1, 0]
        """
        nodes = np.asarray(nodes, dtype=np.int64)
        out = self.out_ptr[nodes + 1] - self.out_ptr[nodes]
        return out + self.in_ptr[nodes + 1] - self.in_ptr[nodes]

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
        if ordered:  # ids follow the IRIs' order
            order = np.lexsort((other, place))
            rows, place, other = rows[order], place[order], other[order]
        return rows, nodes[place], other

    @property
    def rank(self) -> np.ndarray:
        """Node id -> its place in the sorted list of IRIs (ids are in that order)."""
        return np.arange(len(self.terms))

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
        #: Graph id -> ids of the nodes with a literal statement in it.
        self.valued: dict[int, set[int]] = {}
        self.saw_blank_nodes = False

    def add(self, quads: Iterable[ox.Quad], default_graph: str | None = None) -> None:
        """Add ``quads``; those of the default graph go to ``default_graph`` when given."""
        term_id, pred_id = self.terms.setdefault, self.predicates.setdefault
        s_col, p_col, o_col, g_col = self.columns
        name_of = {p: i for i, p in enumerate(NAME_PREDICATES)}
        names, valued = self.names, self.valued
        graph_ids: dict[Any, int] = {}  # the graph term -> its id, for this batch
        literal, blank = ox.Literal, ox.BlankNode
        for q in quads:
            subject, obj, graph = q.subject, q.object, q.graph_name
            gid = graph_ids.get(graph)
            if gid is None:
                gid = graph_ids[graph] = self._graph_id(graph, default_graph)
            if type(subject) is blank or type(obj) is blank:
                self.saw_blank_nodes = True
            if type(obj) is literal:
                sid = term_id(from_ox(subject), len(self.terms))  # type: ignore[arg-type]
                found = valued.get(gid)
                if found is None:
                    found = valued[gid] = set()
                found.add(sid)
                which = name_of.get(q.predicate.value)
                if which is not None and type(subject) is not blank:
                    names["node"].append(sid)
                    names["predicate"].append(which)
                    names["text"].append(obj.value)
                    names["lang"].append(obj.language)
                continue
            s_col.append(term_id(from_ox(subject), len(self.terms)))  # type: ignore[arg-type]
            p_col.append(pred_id(q.predicate.value, len(self.predicates)))
            o_col.append(term_id(from_ox(obj), len(self.terms)))  # type: ignore[arg-type]
            g_col.append(gid)

    def _graph_id(self, graph: Any, default_graph: str | None) -> int:
        name = default_graph if type(graph) is ox.DefaultGraph else from_ox(graph)
        return self.graphs.setdefault(name, len(self.graphs))  # type: ignore[arg-type]

    def finish(self) -> EdgeIndex:
        """The index: node ids in the IRIs' order, statements sorted by subject, each once."""
        terms = list(self.terms)
        order = sorted(range(len(terms)), key=terms.__getitem__)
        rank = np.empty(len(terms), dtype=np.int32)
        rank[order] = np.arange(len(terms), dtype=np.int32)
        arrays = np.array(self.columns, dtype=np.int32).reshape(4, -1)
        arrays[0], arrays[2] = rank[arrays[0]], rank[arrays[2]]
        if arrays.shape[1]:  # a statement read twice (two files, or twice in one) counts once
            arrays = np.unique(arrays, axis=1)
        by_subject = np.argsort(arrays[0], kind="stable")
        pairs = [(s, g) for g, nodes in sorted(self.valued.items()) for s in nodes]
        valued = np.array(pairs, dtype=np.int32).reshape(-1, 2)
        valued[:, 0] = rank[valued[:, 0]]
        valued = np.unique(valued, axis=0) if len(valued) else valued
        names = dict(self.names)
        names["node"] = rank[np.array(names["node"], dtype=np.int64)].tolist()
        return EdgeIndex(
            [terms[i] for i in order],
            list(self.predicates),
            list(self.graphs),
            *(a[by_subject] for a in arrays),
            names=names,
            literal_s=valued[:, 0].copy(),
            literal_g=valued[:, 1].copy(),
        )


class TermList(list):  # type: ignore[type-arg]
    """Node id -> IRI, the IRIs sorted: found again by binary search."""

    def blank(self) -> np.ndarray:
        """Node id -> whether it is a blank node."""
        return np.fromiter((t.startswith("_:") for t in self), dtype=bool, count=len(self))

    def blank_at(self, ids: np.ndarray) -> np.ndarray:
        """Whether each node of ``ids`` is a blank node."""
        return np.fromiter((self[i].startswith("_:") for i in ids.tolist()), bool, len(ids))

    def find(self, iri: str) -> int | None:
        i = bisect_left(self, iri)
        return i if i < len(self) and self[i] == iri else None

    def encoded(self) -> np.ndarray:
        """The IRIs as fixed-width UTF-8 bytes, for :class:`TermArray`."""
        if not self:
            return np.zeros(0, dtype="S1")
        return np.array([t.encode("utf-8") for t in self], dtype=bytes)


class TermArray:
    """Node id -> IRI over fixed-width UTF-8 bytes mapped from disk: nothing is read or
    decoded at opening, a lookup is a binary search, an IRI is decoded when asked for."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, i: int) -> str:
        return bytes(self.array[i]).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return (bytes(t).decode("utf-8") for t in self.array)

    def blank(self) -> np.ndarray:
        """Node id -> whether it is a blank node."""
        return np.char.startswith(self.array, b"_:")

    def blank_at(self, ids: np.ndarray) -> np.ndarray:
        """Whether each node of ``ids`` is a blank node (no IRI decoded)."""
        return np.char.startswith(self.array[ids], b"_:")

    def find(self, iri: str) -> int | None:
        key = iri.encode("utf-8")
        i = int(np.searchsorted(self.array, key))
        return i if i < len(self.array) and bytes(self.array[i]) == key else None

    def encoded(self) -> np.ndarray:
        return np.asarray(self.array)


class TermIds:
    """IRI -> node id, as a read-only mapping over a :class:`TermList` or :class:`TermArray`."""

    def __init__(self, terms: TermList | TermArray) -> None:
        self.terms = terms

    def get(self, iri: str, default: int | None = None) -> int | None:
        found = self.terms.find(iri)
        return default if found is None else found

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.terms.find(iri) is not None

    def __getitem__(self, iri: str) -> int:
        found = self.terms.find(iri)
        if found is None:
            raise KeyError(iri)
        return found


def _pointers(column: np.ndarray, n: int) -> np.ndarray:
    """Where each node's run starts in ``column`` sorted by node (``n + 1`` offsets)."""
    counts = np.bincount(column, minlength=n) if len(column) else np.zeros(n, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` by a sort.

    NumPy 2's ``np.unique`` hashes when asked for values alone, which on
    millions of large integers (the keys of edges) runs tens of times slower
    than sorting them, and imports ``numpy.ma`` on its first call.

    >>> distinct(np.array([3, 1, 3, 2]))
    array([1, 2, 3])
    """
    if len(values) == 0:
        return np.asarray(values)
    ordered = np.sort(values, kind="stable")
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


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


def _save(_store: ox.Store, edges: EdgeIndex, folder: Path) -> None:
    edges.save(folder)


#: The adjacency index as derived data of a persistent store (:mod:`graph.backends.derived`).
EDGES = Derived("edges", _VERSION, _save, from_index=True)


def index_folder(db: str | os.PathLike[str]) -> Path:
    """Where the index of the persistent database ``db`` is kept (beside it)."""
    return derived_folder(db, EDGES.name)
