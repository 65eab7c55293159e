"""The local backend: a pyoxigraph store in this process, in memory or on disk.

Statements are read straight from the store's indexes.  A large store also
has an integer adjacency index (:mod:`graph.backends.edge_index`) for
neighbourhoods and path searches, and a user's SPARQL runs in a separate
process that can be stopped (:mod:`graph.backends.query_pool`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import pyoxigraph as ox

from ..errors import StoreDamaged
from ..terms import Quad, Term, from_ox, to_ox
from ..vocab.labels import ALIAS_PREDICATES, HIDDEN_PREDICATES, LABEL_PREDICATES
from ..vocab.namespaces import PREFIXES
from .base import BackendKind, QueryLimits, RawResult, class_set_counts_from_types, label_candidates

if TYPE_CHECKING:
    from pathlib import Path

    from .derived import Derived, KeptData
    from .edge_index import EdgeIndex
    from .name_index import NameIndex

__all__ = ["LocalBackend"]


class LocalBackend:
    """A backend over a pyoxigraph :class:`~pyoxigraph.Store` in this process.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"),
    ...                   ox.NamedNode("http://e/b")))
    >>> [q.o for q in LocalBackend(store).quads_touching(["http://e/b"])]
    ['http://e/b']
    """

    #: Below this many statements, reading statements directly is as fast as any index.
    index_min_statements = 50_000

    def __init__(
        self,
        store: ox.Store,
        *,
        path: str | None = None,
        kept: KeptData | None = None,
        index: EdgeIndex | None = None,
    ) -> None:
        self.store = store
        #: The folder of an on-disk store, ``None`` in memory.
        self.location = path
        self.kind: BackendKind = "store" if path else "memory"
        #: The derived data kept beside a persistent store (:mod:`graph.backends.derived`).
        self.kept_data = kept
        # False: not looked for yet; an index given is used as it is (while a store builds)
        self._edge_index: EdgeIndex | bool | None = index if index is not None else False
        self._name_index: NameIndex | None = None

    @property
    def remote(self) -> bool:
        return False

    def edge_index(self) -> EdgeIndex | None:
        """The integer adjacency of the store (see :mod:`graph.backends.edge_index`), or ``None``.

        A persistent store keeps its index beside the database; a store in memory
        builds one on first use when it holds at least ``index_min_statements``.
        """
        if self._edge_index is False:
            from .edge_index import EDGES, EdgeIndex  # it reads the schema's names

            folder = self.kept(EDGES)
            index = EdgeIndex.load(folder) if folder is not None else None
            if index is None and len(self.store) >= self.index_min_statements:
                index = EdgeIndex.build(self.store)
            self._edge_index = index
        return self._edge_index  # type: ignore[return-value]

    def name_index(self) -> NameIndex:
        """The names of the store (see :mod:`graph.backends.name_index`).

        A persistent store keeps them beside the database; otherwise they are
        indexed in memory on first use (from the adjacency index when there is one).
        """
        if self._name_index is None:
            from .name_index import NameIndex
            from .store import NAMES

            folder = self.kept(NAMES)
            index = NameIndex.open(folder) if folder is not None else None
            if index is None:
                edges = self.edge_index()
                index = (
                    NameIndex.from_edge_index(edges)
                    if edges is not None
                    else NameIndex.from_store(self.store)
                )
            self._name_index = index
        return self._name_index

    def joins(self) -> None:
        """None: the statements are here, read faster than any server joins them."""
        return None

    def kept(self, piece: Derived) -> Path | None:
        """The folder of ``piece`` kept beside a persistent store for this build, else ``None``."""
        return self.kept_data.folder(piece) if self.kept_data is not None else None

    def select(self, query: str) -> list[dict[str, Term]]:
        with self._reading():
            result = self.store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
            names = [v.value for v in result.variables]
            return [
                {name: from_ox(row[name]) for name in names if row[name] is not None}
                for row in result
            ]

    def quads_touching(self, nodes: Sequence[str]) -> list[Quad]:
        out: list[Quad] = []
        for node in nodes:
            term = to_ox(node)
            out.extend(self._convert(self.store.quads_for_pattern(term, None, None, None)))
            out.extend(self._convert(self.store.quads_for_pattern(None, None, term, None)))
        return out

    def quads_about(self, node: str) -> list[Quad]:
        return list(self._convert(self.store.quads_for_pattern(to_ox(node), None, None, None)))

    def quads_with(self, nodes: Sequence[str], predicates: Iterable[str]) -> list[Quad]:
        """The statements about ``nodes`` with one of ``predicates`` (index lookups only)."""
        preds = [ox.NamedNode(p) for p in predicates]
        out: list[Quad] = []
        for node in nodes:
            term = to_ox(node)
            for p in preds:
                out.extend(self._convert(self.store.quads_for_pattern(term, p, None, None)))
        return out

    def quad_count(self) -> int:
        with self._reading():
            return len(self.store)

    def iter_quads(self) -> Iterator[Quad]:
        return self._convert(self.store.quads_for_pattern(None, None, None, None))

    def named_graphs(self) -> list[str]:
        with self._reading():
            return [from_ox(g) for g in self.store.named_graphs()]  # type: ignore[misc]

    def class_set_counts(self, nodes: Sequence[str]) -> dict[tuple[str, ...], int]:
        return class_set_counts_from_types(self, nodes)

    def search_labels(
        self, text: str, limit: int = 500, *, word_start: bool = False
    ) -> list[tuple[str, str, bool]]:
        index = self.edge_index()
        if index is not None:
            rows = ((n, p, t) for n, p, t, _lang in index.name_rows())
        else:
            rows = (
                (q.s, q.p, q.o.value)  # type: ignore[union-attr]
                for p in (*LABEL_PREDICATES, *ALIAS_PREDICATES, *HIDDEN_PREDICATES)
                for q in self._convert(self.store.quads_for_pattern(None, ox.NamedNode(p), None))
                if not isinstance(q.o, str)
            )
        return label_candidates(
            rows, text, limit, preferred=LABEL_PREDICATES[0], word_start=word_start
        )

    def run_query(self, text: str, limits: QueryLimits) -> RawResult:
        """Run ``text`` in this store's query process (started on first use)."""
        from .query_pool import run_in_worker

        return run_in_worker(self, text, limits)

    def close(self) -> None:
        """Stop this store's query process, if it runs."""
        from .query_pool import stop_worker

        stop_worker(self)

    def _convert(self, quads: Iterable[ox.Quad]) -> Iterator[Quad]:
        with self._reading():
            named = ox.NamedNode
            graphs: dict[object, str | None] = {}  # a hub's thousands of statements share a few
            for q in quads:
                s, o, g = q.subject, q.object, q.graph_name
                graph = graphs.get(g, "")
                if graph == "":
                    graph = graphs[g] = from_ox(g)  # type: ignore[assignment]
                yield Quad(
                    s.value if type(s) is named else from_ox(s),  # type: ignore[arg-type]
                    q.predicate.value,
                    o.value if type(o) is named else from_ox(o),
                    graph,
                )

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn the database's report of damaged files into a message, and a rebuild next run."""
        try:
            yield
        except RuntimeError as err:  # RocksDB reports a checksum mismatch as RuntimeError
            self._damaged(err)

    def _damaged(self, err: RuntimeError) -> NoReturn:
        from .store import mark_damaged

        detail = (str(err).strip().splitlines() or [type(err).__name__])[0][:160]
        if self.location is None:
            raise StoreDamaged(f"the in-memory store failed: {detail}") from err
        where = mark_damaged(self.location, detail)
        raise StoreDamaged(
            f"the store in {where} is damaged ({detail}); it is rebuilt from its sources "
            "the next time it is opened"
        ) from err
