"""Running a user's query: the guard first, then the backend, within a time, row and memory limit.

The guard (:func:`~graph.sparql.guard.check_query`) reads the query in a
child process with the same deadline (:func:`~graph.backends.query_pool.check_isolated`):
rdflib's parser can take minutes or gigabytes on a few kilobytes of text, and
this process never runs it on a user's text.  A checked query then runs where
the backend runs it (:meth:`Backend.run_query
<graph.backends.base.Backend.run_query>`): on a local store, in a child
process that holds the same data, caps its own memory and is killed at the
deadline (neither Python API can stop a running query, and a signal handler
neither interrupts Oxigraph nor works outside the main thread); on an
endpoint, over HTTP with a deadline on the socket.  Rows past ``max_rows`` and
values past ``max_bytes`` are never read into this process.  Every query gets
the project's prefixes (:data:`graph.vocab.namespaces.PREFIXES`) pre-declared,
without adding text to it, so the positions in error messages are those of
the text typed.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..backends.base import QueryLimits, WaitCallback
from ..errors import BadInput
from ..terms import Lit, Term
from .guard import MAX_QUERY_CHARS, QueryForm, normalize_query

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "QueryResult",
    "check_limits",
    "run_query",
    "stop_workers",
]

DEFAULT_TIMEOUT = QueryLimits.timeout
DEFAULT_MAX_ROWS = QueryLimits.max_rows
DEFAULT_MEMORY_LIMIT = QueryLimits.memory
#: Bytes of values a result may bring into this process (the rest is cut, with a note).
DEFAULT_MAX_BYTES = QueryLimits.max_bytes
#: The longest time limit accepted: a day.
MAX_TIMEOUT = 86_400.0


@dataclass
class QueryResult:
    """What a query returned.

    ``rows`` (SELECT) map each bound variable to a term: an IRI ``str``, a blank
    node ``"_:id"`` or a :class:`~graph.backends.base.Lit`.  ``boolean`` answers an
    ASK; ``triples`` hold a CONSTRUCT or DESCRIBE graph.  ``truncated`` says the
    row limit cut the result, and ``notes`` say so in words.
    """

    form: QueryForm
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False
    elapsed: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; terms as in the SPARQL 1.1 JSON results format."""
        from .formats import term_json

        out = asdict(self)
        out["rows"] = [{k: term_json(v) for k, v in row.items()} for row in self.rows]
        out["triples"] = [[term_json(t) for t in triple] for triple in self.triples]
        return out


def run_query(
    kg: KnowledgeGraph,
    text: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    inferred: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: Hashable | None = None,
    on_wait: WaitCallback | None = None,
) -> QueryResult:
    """Check ``text`` and run it on ``kg`` with a time limit, a row limit and a memory cap.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to query (the union of all its named graphs is the default graph).
    text : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query; the project's prefixes are declared.
    timeout : float
        Seconds the check may take, and then the query (each may also wait as
        long for a free process when other sessions keep them busy).
    max_rows : int
        Rows (or triples) kept; the rest are not read and a note says so.
    memory_limit : int
        Bytes of address space the query process may use.
    inferred : bool
        Whether the graphs of inferred statements are part of the dataset.
    max_bytes : int
        Bytes of values kept; the rows past them are not read and a note says so.
    client : hashable, optional
        Who asks (the app's session): a client's queries run one at a time, and
        the others' in turn, so that one client's runaway queries hold one process.
    on_wait : callable, optional
        Called with (queries ahead, processes) while the query waits for a process.

    Returns
    -------
    QueryResult

    Raises
    ------
    UnsafeQuery, QuerySyntaxError
        See :func:`~graph.sparql.guard.check_query`.
    QueryTimeout
        The check or the query ran past ``timeout`` and was stopped, or every
        query process stayed busy that long.
    LimitExceeded
        The query process died, most likely past ``memory_limit``.
    BadInput
        A limit is not a positive number, or the engine rejected the query.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> result = run_query(kg, "SELECT ?label { ?x skos:prefLabel ?label } ORDER BY ?label")
    >>> [str(row["label"]) for row in result.rows]
    ['Programming', 'Python']
    >>> run_query(kg, "ASK { ?x skos:prefLabel 'Python'@en }").boolean
    True
    """
    from .isolated import check_isolated

    check_limits(timeout=timeout, max_rows=max_rows, memory_limit=memory_limit)
    if not max_bytes > 0:
        raise BadInput("max_bytes must be a positive number of bytes")
    if not text.strip():
        raise BadInput("the query is empty; write a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if len(text) > MAX_QUERY_CHARS:
        raise BadInput(f"the query is {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,}")
    text = normalize_query(text)  # the guard checks, and the engine runs, exactly this text
    form: QueryForm = check_isolated(  # type: ignore[assignment]
        text, timeout=timeout, client=client, on_wait=on_wait
    )
    started = time.perf_counter()
    graphs = None if inferred else tuple(kg.graph_names(inferred=False))
    limits = QueryLimits(
        timeout=timeout,
        max_rows=max_rows,
        memory=memory_limit,
        graphs=graphs,
        max_bytes=max_bytes,
        client=client,
        on_wait=on_wait,
    )
    raw = kg.backend.run_query(text, limits)
    result = QueryResult(
        form=form,
        variables=list(raw.variables),
        rows=list(raw.rows),
        boolean=raw.boolean,
        triples=[tuple(t) for t in raw.triples],  # type: ignore[misc]
        truncated=raw.truncated,
        notes=list(raw.notes),
    )
    result.elapsed = time.perf_counter() - started
    return _cap_bytes(_cap(result, max_rows), max_bytes)


def check_limits(*, timeout: float, max_rows: int, memory_limit: int = 0) -> None:
    """Refuse limits that are not positive finite numbers (a day at most for ``timeout``).

    >>> check_limits(timeout=float("inf"), max_rows=10)
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: the time limit must be a number of seconds above 0 and at most 86,400, \
not inf
    """
    if not (isinstance(timeout, int | float) and 0 < timeout <= MAX_TIMEOUT):
        raise BadInput(
            f"the time limit must be a number of seconds above 0 and at most {MAX_TIMEOUT:,.0f}, "
            f"not {timeout}"
        )
    if not (isinstance(max_rows, int) and max_rows >= 1):
        raise BadInput(f"the row limit must be a whole number of 1 or more, not {max_rows}")
    if not (isinstance(memory_limit, int) and memory_limit >= 0):
        raise BadInput(f"the memory limit must be a number of bytes, 0 or more, not {memory_limit}")


def stop_workers(kg: KnowledgeGraph | None = None) -> None:
    """Stop the query processes of ``kg``'s backend (of every graph, and the guard's, when
    ``kg`` is ``None``)."""
    if kg is not None:
        kg.backend.close()
        return
    from ..backends.query_pool import stop_all
    from .isolated import stop_guard

    stop_all()
    stop_guard()


def _cap(result: QueryResult, max_rows: int) -> QueryResult:
    if len(result.rows) > max_rows or len(result.triples) > max_rows:
        result.rows, result.triples = result.rows[:max_rows], result.triples[:max_rows]
        result.truncated = True
    if result.truncated and not result.notes:
        result.notes.append(_truncation_note(result.form, max_rows))
    return result


def _cap_bytes(result: QueryResult, max_bytes: int) -> QueryResult:
    """Cut rows (or triples) past ``max_bytes`` of values, as the query process does."""
    items: list[Any] = result.rows if result.form == "SELECT" else result.triples
    size = 0
    for i, item in enumerate(items):
        values = item.values() if isinstance(item, dict) else item
        size += sum(len(v.value if isinstance(v, Lit) else v) + 8 for v in values)
        if size > max_bytes:
            del items[i:]
            result.truncated = True
            unit = "rows" if result.form == "SELECT" else "triples"
            result.notes.append(
                f"showing the first {i:,} {unit}: the result is larger than "
                f"{max_bytes / 1024**2:.0f} MB (select fewer or shorter values)"
            )
            break
    return result


def _truncation_note(form: QueryForm, max_rows: int) -> str:
    unit = "rows" if form == "SELECT" else "triples"
    return f"showing the first {max_rows:,} {unit}; the query returned more (add a LIMIT)"
