"""The backend contract: what the explorer asks of wherever the statements live.

Everything above the backends asks for small pieces: the statements touching
a few nodes, the names of a few nodes, the rows of a query.  So work grows
with what the user looks at, and the same code runs over an in-memory store,
an on-disk store (:class:`~graph.backends.local.LocalBackend`) or a remote
SPARQL endpoint (:class:`~graph.backends.endpoint.EndpointBackend`).

Every backend implements every method of :class:`Backend`.  Where one has no
better way, it answers with the generic method of this module (for instance
:func:`class_set_counts_from_types`), so that a capability is never probed
for: the one question a caller may ask is :attr:`Backend.remote` (whether
reading a lot is expensive, so that work should be pushed to the server).

Terms cross this boundary as plain values (:mod:`graph.terms`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from ..terms import Quad, Term

if TYPE_CHECKING:
    from pathlib import Path

    from .derived import Derived
    from .edge_index import EdgeIndex
    from .joins import ServerJoins
    from .name_index import NameIndex

__all__ = [
    "Backend",
    "BackendKind",
    "QueryLimits",
    "RawResult",
    "WaitCallback",
    "class_set_counts_from_types",
    "label_candidates",
]

BackendKind = Literal["memory", "store", "endpoint"]
#: Told while a query waits for a query process: (requests ahead of it, processes in all).
WaitCallback = Callable[[int, int], None]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class RawResult:
    """What a user's query returned, before the console formats it.

    ``kind`` is ``"select"`` (``variables`` and ``rows``), ``"ask"``
    (``boolean``) or ``"graph"`` (``triples`` of a CONSTRUCT or DESCRIBE).
    ``truncated`` says rows past the limit were not read; ``notes`` say why in
    words when the backend knows more (a server's own row cap).
    """

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QueryLimits:
    """What a user's query may use: seconds, rows kept, bytes of memory, and its dataset.

    ``graphs`` names the graphs the query sees, as its default graph and as
    its named graphs; ``None`` means every graph.  ``memory`` concerns queries
    run in a local process; a server applies its own.  Rows past ``max_bytes``
    of values need not be read.  ``client`` names who asks (a session of the
    app): where queries share processes, a client's queries run one at a time,
    and ``on_wait(ahead, processes)`` is told while a query waits for one.
    """

    timeout: float = 10.0
    max_rows: int = 10_000
    memory: int = 2 * 1024**3
    graphs: tuple[str, ...] | None = None
    max_bytes: int = 16 * 1024**2
    client: Hashable | None = None
    on_wait: WaitCallback | None = None


@runtime_checkable
class Backend(Protocol):
    """What the explorer needs from a triple store.

    Statements are read over the union of all graphs, each with the named
    graph it sits in (its source).  Methods taking many nodes read them in as
    few requests as the backend can.
    """

    #: ``"memory"``, ``"store"`` (on disk) or ``"endpoint"``.
    kind: BackendKind
    #: The store's folder, the endpoint's address, or ``None`` in memory.
    location: str | None

    @property
    def remote(self) -> bool:
        """Whether each read crosses a network: views then ask the server to do the work."""
        ...

    def select(self, query: str) -> list[dict[str, Term]]:
        """Rows of a SELECT query of the explorer's own (trusted text, project prefixes)."""
        ...

    def quads_touching(self, nodes: Sequence[str]) -> list[Quad]:
        """Every statement whose subject or object is one of ``nodes``.

        Statements with a literal object may be left out: this serves edges.
        """
        ...

    def quads_about(self, node: str) -> list[Quad]:
        """Every statement whose subject is ``node``."""
        ...

    def quads_with(self, nodes: Sequence[str], predicates: Sequence[str]) -> list[Quad]:
        """The statements about ``nodes`` with one of ``predicates`` (names, classes)."""
        ...

    def class_set_counts(self, nodes: Sequence[str]) -> dict[tuple[str, ...], int]:
        """How many of ``nodes`` have each (sorted) set of ``rdf:type`` classes."""
        ...

    def quad_count(self) -> int:
        """How many statements the backend holds."""
        ...

    def iter_quads(self) -> Iterator[Quad]:
        """Every statement (for counts and an export of the whole graph)."""
        ...

    def named_graphs(self) -> list[str]:
        """The named graphs holding statements."""
        ...

    def edge_index(self) -> EdgeIndex | None:
        """The integer adjacency of the statements, or ``None`` where there is none.

        A backend returns an index where stepping a frontier in numpy beats
        reading statements (a large local store); the callers then take the
        indexed path, and the plain one otherwise.
        """
        ...

    def name_index(self) -> NameIndex | None:
        """Every name of every resource, indexed for search, or ``None`` where reading
        every name is too expensive (a remote endpoint: see :meth:`search_labels`)."""
        ...

    def joins(self) -> ServerJoins | None:
        """The joins a server computes for a view (:mod:`graph.backends.joins`), or ``None``
        where reading the statements here is as fast (a local store)."""
        ...

    def kept(self, piece: Derived) -> Path | None:
        """The folder where ``piece`` of derived data is kept for these statements, or ``None``.

        Only a persistent store keeps derived data (:mod:`graph.backends.derived`);
        elsewhere, and when a piece is missing or out of date, the caller
        computes what it needs itself.
        """
        ...

    def search_labels(
        self, text: str, limit: int = 500, *, word_start: bool = False
    ) -> list[tuple[str, str, bool]]:
        """Names containing ``text`` (case folded): ``(node, name, is preferred label)``.

        With ``word_start``, names with a word starting with ``text`` only.
        """
        ...

    def run_query(self, text: str, limits: QueryLimits) -> RawResult:
        """Run a user's query that has passed the guard, within ``limits``.

        Raises :class:`~graph.errors.QueryTimeout` past the time limit,
        :class:`~graph.errors.LimitExceeded` past the memory limit, and
        :class:`~graph.errors.QuerySyntaxError` when the engine refuses the text.
        """
        ...

    def close(self) -> None:
        """Release what the backend holds (connections, query processes)."""
        ...


def class_set_counts_from_types(
    backend: Backend, nodes: Sequence[str]
) -> dict[tuple[str, ...], int]:
    """:meth:`Backend.class_set_counts` by reading each node's ``rdf:type`` statements."""
    classes: dict[str, set[str]] = {n: set() for n in dict.fromkeys(nodes)}
    for q in backend.quads_with(list(classes), [RDF_TYPE]):
        if q.s in classes and isinstance(q.o, str):
            classes[q.s].add(q.o)
    out: dict[tuple[str, ...], int] = {}
    for found in classes.values():
        key = tuple(sorted(found))
        out[key] = out.get(key, 0) + 1
    return out


def label_candidates(
    rows: Iterator[tuple[str, str, str]] | Sequence[tuple[str, str, str]],
    text: str,
    limit: int,
    *,
    preferred: str,
    word_start: bool = False,
) -> list[tuple[str, str, bool]]:
    """:meth:`Backend.search_labels` over ``(node, predicate, name)`` rows read in full.

    >>> rows = [("ex:a", "pref", "Deep learning"), ("ex:b", "alt", "Learning")]
    >>> label_candidates(rows, "learn", 10, preferred="pref", word_start=True)
    [('ex:a', 'Deep learning', True), ('ex:b', 'Learning', False)]
    """
    needle = text.casefold()
    out = []
    for node, predicate, name in rows:
        folded = name.casefold()
        found = (" " + needle in " " + folded) if word_start else needle in folded
        if found:
            out.append((node, name, predicate == preferred))
            if len(out) >= limit:
                break
    return out
