"""Running a user's query: the guard first, then the backend, within a time, row and memory limit.

A checked query runs where the backend runs it (:meth:`Backend.run_query
<graph.backends.base.Backend.run_query>`): on a local store, in a child
process that holds the same data, caps its own memory and is killed at the
deadline (neither Python API can stop a running query, and a signal handler
neither interrupts Oxigraph nor works outside the main thread); on an
endpoint, over HTTP with a deadline on the socket.  Rows past ``max_rows`` are
never read.  Every query gets the project's prefixes
(:data:`graph.vocab.namespaces.PREFIXES`) pre-declared, without adding text
to it, so the positions in error messages are those of the text typed.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..backends.base import QueryLimits
from ..errors import BadInput
from ..terms import Term
from .guard import QueryForm, check_query, normalize_query

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIMEOUT",
    "QueryResult",
    "run_query",
    "stop_workers",
]

DEFAULT_TIMEOUT = QueryLimits.timeout
DEFAULT_MAX_ROWS = QueryLimits.max_rows
DEFAULT_MEMORY_LIMIT = QueryLimits.memory


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
) -> QueryResult:
    """Check ``text`` and run it on ``kg`` with a time limit, a row limit and a memory cap.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to query (the union of all its named graphs is the default graph).
    text : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query; the project's prefixes are declared.
    timeout : float
        Seconds the query may run before it is stopped.
    max_rows : int
        Rows (or triples) kept; the rest are not read and a note says so.
    memory_limit : int
        Bytes of address space the query process may use.
    inferred : bool
        Whether the graphs of inferred statements are part of the dataset.

    Returns
    -------
    QueryResult

    Raises
    ------
    UnsafeQuery, QuerySyntaxError
        See :func:`~graph.sparql.guard.check_query`.
    QueryTimeout
        The query ran past ``timeout`` and was stopped.
    LimitExceeded
        The query process died, most likely past ``memory_limit``.
    BadInput
        A limit is not positive, or the engine rejected the query.

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
    if not timeout > 0 or max_rows < 1 or memory_limit < 0:
        raise BadInput("timeout and max_rows must be positive and memory_limit not negative")
    form = check_query(text)
    text = normalize_query(text)  # the engine runs exactly the text the guard read
    started = time.perf_counter()
    graphs = None if inferred else tuple(kg.graph_names(inferred=False))
    limits = QueryLimits(timeout=timeout, max_rows=max_rows, memory=memory_limit, graphs=graphs)
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
    return _cap(result, max_rows)


def stop_workers(kg: KnowledgeGraph | None = None) -> None:
    """Stop the query process of ``kg``'s backend (of every graph when ``kg`` is ``None``)."""
    if kg is not None:
        kg.backend.close()
        return
    from ..backends.query_pool import stop_all

    stop_all()


def _cap(result: QueryResult, max_rows: int) -> QueryResult:
    if len(result.rows) > max_rows or len(result.triples) > max_rows:
        result.rows, result.triples = result.rows[:max_rows], result.triples[:max_rows]
        result.truncated = True
    if result.truncated and not result.notes:
        result.notes.append(_truncation_note(result.form, max_rows))
    return result


def _truncation_note(form: QueryForm, max_rows: int) -> str:
    unit = "rows" if form == "SELECT" else "triples"
    return f"showing the first {max_rows:,} {unit}; the query returned more (add a LIMIT)"
