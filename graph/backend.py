"""Where the triples live: the backend interface and the local Oxigraph backend.

Everything above this module asks a backend for small pieces: the statements
touching a few nodes, the literals of a node, the rows of a SPARQL query.  So
work grows with what the user looks at, and the same code can run over an
in-memory store, an on-disk store or a remote SPARQL endpoint.

Terms cross this boundary as plain Python values: an IRI is a ``str``, a blank
node a ``str`` starting with ``_:``, a literal a :class:`Lit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

import pyoxigraph as ox

from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .adjacency import EdgeIndex

__all__ = ["Backend", "Lit", "LocalBackend", "Quad", "Term", "from_ox", "to_ox"]


class Lit(NamedTuple):
    """A literal: its lexical value, language tag and datatype IRI."""

    value: str
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.value


Term = str | Lit


class Quad(NamedTuple):
    """A statement and the named graph it sits in (``None`` for the default graph)."""

    s: str
    p: str
    o: Term
    g: str | None


def from_ox(term: object) -> Term:
    """Turn a pyoxigraph term into a plain value."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return Lit(term.value, term.language, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.DefaultGraph) or term is None:
        return None  # type: ignore[return-value]
    return str(term)


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Turn a plain value back into a pyoxigraph term."""
    if isinstance(term, Lit):
        if term.lang:
            return ox.Literal(term.value, language=term.lang)
        if term.datatype:
            return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term.value)
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    return ox.NamedNode(term)


class Backend(Protocol):
    """What the explorer needs from a triple store."""

    def select(self, query: str) -> list[dict[str, Term]]:
        """Rows of a SELECT query over the union of all graphs (trusted queries only)."""

    def quads_touching(self, nodes: Sequence[str]) -> list[Quad]:
        """Every statement whose subject or object is one of ``nodes`` (statements
        with a literal object may be left out: this serves edges)."""

    def quads_about(self, node: str) -> list[Quad]:
        """Every statement whose subject is ``node``."""

    def quad_count(self) -> int:
        """How many statements the store holds."""

    def iter_quads(self) -> Iterator[Quad]:
        """Every statement (for export of the whole graph)."""


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

    def __init__(self, store: ox.Store, *, path: str | None = None) -> None:
        self.store = store
        self.path = path
        self._edge_index: EdgeIndex | bool | None = False  # False: not looked for yet

    def edge_index(self) -> EdgeIndex | None:
        """The integer adjacency of the store (see :mod:`graph.adjacency`), or ``None``.

        A persistent store keeps its index beside the database; a store in memory
        builds one on first use when it holds at least ``index_min_statements``.
        """
        if self._edge_index is False:
            from .adjacency import EdgeIndex, index_folder  # it reads the schema's names

            index = EdgeIndex.load(index_folder(self.path)) if self.path else None
            if index is None and len(self.store) >= self.index_min_statements:
                index = EdgeIndex.build(self.store)
            self._edge_index = index
        return self._edge_index  # type: ignore[return-value]

    def select(self, query: str) -> list[dict[str, Term]]:
        result = self.store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [
            {name: from_ox(row[name]) for name in names if row[name] is not None} for row in result
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
        return len(self.store)

    def iter_quads(self) -> Iterator[Quad]:
        return self._convert(self.store.quads_for_pattern(None, None, None, None))

    def named_graphs(self) -> list[str]:
        return [from_ox(g) for g in self.store.named_graphs()]  # type: ignore[misc]

    @staticmethod
    def _convert(quads: Iterable[ox.Quad]) -> Iterator[Quad]:
        for q in quads:
            yield Quad(
                from_ox(q.subject), q.predicate.value, from_ox(q.object), from_ox(q.graph_name)
            )
