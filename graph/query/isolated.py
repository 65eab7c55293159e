"""Path search, question reading and text analysis where they can be stopped.

:func:`run_isolated` does one of these (:data:`TASKS`) for a graph held in
this process's memory or in a persistent store in a child process: the same
program as the graph's SPARQL processes (:mod:`graph.backends.query_pool`),
over the same data (dumped once), with their memory cap, their lower priority
and no network, in a pool of its own (``purpose="tasks"``) shared between
sessions in the same fair turns (a session runs one request at a time, and
the session that used the processes least goes first).  The process is killed
at the time limit; a search or a reading that runs away costs that process,
never the caller's.

A pool of its own, not the queries' processes: a runaway query is killed at
its deadline, and the process replacing it would have to build its view of
the data again for the next search (seconds on a busy machine).

The process builds the explorer's view of its data (a
:class:`~graph.core.kg.KnowledgeGraph` in the caller's view and label
language) with the first such request and keeps it for the next ones, so the
answers are those the caller would have found itself.  A graph behind an
endpoint is read over the network, which the processes cannot reach: its
work runs in the caller, bounded by the endpoint's deadlines.

Arguments and answers travel pickled.  This side reads back only the
package's own value types and errors (:data:`ALLOWED`): a reply can build
nothing else, let alone run code.
"""

from __future__ import annotations

import base64
import io
import pickle
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import errors
from ..backends.base import QueryLimits, WaitCallback
from ..backends.local import LocalBackend
from ..backends.worker_process import Preempted, RanPastDeadline, WorkerDied, size_text
from ..errors import GraphError, LimitExceeded, QueryTimeout
from .analyse import analyse
from .paths import find_paths
from .questions import MAX_QUESTION_CHARS, answer, read_question

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..core.kg import KnowledgeGraph

__all__ = [
    "ALLOWED",
    "MAX_REPLY",
    "TASKS",
    "TASK_TIMEOUT",
    "TaskLimits",
    "run_isolated",
    "serve_task",
]

#: The work a query process does for the explorer, by name: each is called as ``f(kg, **args)``.
TASKS: dict[str, Callable[..., Any]] = {
    "paths": find_paths,
    "read": read_question,
    "answer": answer,
    "analyse": analyse,
}
#: What each task is called in a message, and the way out when it runs past a limit.
_WORDS = {
    "paths": ("the path search", "ask for fewer hops, fewer paths or nodes less connected"),
    "read": ("reading the question", "ask a shorter question"),
    "answer": ("answering the question", "ask for fewer hops, fewer paths or nodes less connected"),
    "analyse": ("reading the text", "give a shorter text"),
}
#: Seconds a task may run in its process: well past a path search's own deadline
#: (:data:`graph.query.paths.DEFAULT_DEADLINE`), and the first request of a process
#: also builds its view of the data.
TASK_TIMEOUT = 30.0
#: Bytes a reply may take (a path search's answer is a few kilobytes, a long text's mentions
#: a few megabytes).
MAX_REPLY = 64 * 1024**2
#: The classes a reply may hold: the package's value types, its errors and a few containers.
ALLOWED = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("graph.model", "Node"),
    ("graph.model", "Edge"),
    ("graph.model", "Path"),
    ("graph.model", "Source"),
    ("graph.query.paths", "PathResult"),
    ("graph.query.answers", "Answer"),
    ("graph.query.questions", "Interpretation"),
    ("graph.query.mentions", "Mention"),
    ("graph.query.analyse", "Analysis"),
    ("graph.query.analyse", "Gap"),
    ("graph.query.plan", "Plan"),
    ("graph.query.plan", "Step"),
    ("graph.query.plan", "Why"),
}


@dataclass(frozen=True)
class TaskLimits:
    """How long a task may run, the memory its process may use, who asks and how to say a wait.

    ``client`` and ``on_wait`` are those of :class:`~graph.backends.base.QueryLimits`.
    """

    timeout: float = TASK_TIMEOUT
    memory: int = QueryLimits.memory
    client: Hashable | None = None
    on_wait: WaitCallback | None = None


def run_isolated(
    kg: KnowledgeGraph, task: str, /, *, limits: TaskLimits | None = None, **args: Any
) -> Any:
    """``TASKS[task](kg, **args)``, done in a query process of ``kg`` when ``limits`` are given.

    Without ``limits``, or for a graph behind an endpoint, the work runs here
    (the command line's case: one person's own process).

    Raises
    ------
    QueryTimeout
        The task ran past ``limits.timeout`` (its process is stopped), or every
        process stayed busy that long.
    LimitExceeded
        The task's process stopped past its memory limit.
    GraphError
        Whatever the task itself raises, of the same class and message.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> limits = TaskLimits(timeout=60)
    >>> found = run_isolated(kg, "paths", source="Python", target="Programming", limits=limits)
    >>> [n.label for n in found.paths[0].nodes]
    ['Python', 'Programming']
    """
    if task not in TASKS:
        raise errors.BadInput(f"no task named {task!r}; the tasks are {', '.join(TASKS)}")
    if limits is None or not isinstance(kg.backend, LocalBackend) or _refused_here(task, args):
        return TASKS[task](kg, **args)
    from ..backends.query_pool import pool_for

    backend = kg.backend
    request = {
        "task": task,
        "args": _pack(args),
        "view": kg.schema.view,
        "lang": kg.schema.lang,
        "generation": backend.kept_data.generation if backend.kept_data is not None else None,
    }
    what, way_out = _WORDS[task]
    try:
        reply = pool_for(backend, limits.memory, purpose="tasks").ask(
            request,
            timeout=limits.timeout,
            client=limits.client,
            on_wait=limits.on_wait,
            max_reply=MAX_REPLY,
        )
    except RanPastDeadline as err:
        raise QueryTimeout(
            f"stopped after {limits.timeout:g} s: {what} ran past its time limit; {way_out}"
        ) from err
    except Preempted as err:
        raise QueryTimeout(
            f"{what} was stopped to let another session's work run (every process was busy "
            f"with long work); {way_out}, or ask again when the others are done"
        ) from err
    except WorkerDied as err:
        raise LimitExceeded(
            f"{what} stopped past its memory limit of {size_text(err.limit)}; {way_out}"
        ) from err
    if "result" in reply:
        return _unpack(reply["result"])
    raise _error(reply, what, way_out)


def _refused_here(task: str, args: dict[str, Any]) -> bool:
    """Whether the task refuses ``args`` as its first step, at no cost: no process is asked."""
    return task == "read" and len(str(args.get("text", ""))) > MAX_QUESTION_CHARS


def _error(reply: dict[str, Any], what: str, way_out: str) -> GraphError:
    """The error a task's process sent, as the class the task raised there."""
    if reply.get("error") == "memory":
        return LimitExceeded(f"{what} ran out of memory; {way_out}")
    kind = getattr(errors, str(reply.get("error")), None)
    if not (isinstance(kind, type) and issubclass(kind, GraphError)):
        kind = GraphError
    err = kind.__new__(kind)
    Exception.__init__(err, str(reply.get("message", "")))
    err.__dict__.update(_unpack(reply["attributes"]) if "attributes" in reply else {})
    return err


# -- in the query process ----------------------------------------------------------------------
_GRAPHS: dict[tuple[Any, ...], KnowledgeGraph] = {}


def serve_task(store: ox.Store, store_dir: str | None, request: dict[str, Any]) -> dict[str, Any]:
    """Do ``request``'s task on ``store`` (called in a query process); the reply to send."""
    try:
        kg = _graph(store, store_dir, request)
        result = TASKS[str(request["task"])](kg, **_unpack(request["args"]))
        return {"result": _pack(result)}
    except GraphError as err:
        return {
            "error": type(err).__name__,
            "message": str(err),
            "attributes": _pack(vars(err)),
        }
    except MemoryError:
        return {"error": "memory"}
    except RecursionError:
        return {"error": "LimitExceeded", "message": "the work nested too deeply to finish"}
    except Exception as err:  # a fault of the task's own: said, and the process carries on
        return {"error": "GraphError", "message": f"the work failed: {type(err).__name__}: {err}"}


def _graph(store: ox.Store, store_dir: str | None, request: dict[str, Any]) -> KnowledgeGraph:
    """The explorer's view of ``store`` in the request's view and language, built once."""
    key = (request["view"], request["lang"], request.get("generation"))
    if key not in _GRAPHS:
        from ..backends.derived import KeptData
        from ..core.kg import KnowledgeGraph

        generation = request.get("generation")
        kept = KeptData(store_dir, generation) if store_dir and generation else None
        backend = LocalBackend(store, path=store_dir, kept=kept)
        kg = KnowledgeGraph(backend, view=request["view"], lang=request["lang"])
        kg.adjacency()  # built now, not within the first search's own deadline
        _import_what_searches_import()
        _GRAPHS[key] = kg
    return _GRAPHS[key]


def _import_what_searches_import() -> None:
    """Import now what a search imports on first use (a second or more in a busy, low-priority
    process): within the search's own deadline it would cut the first answer short."""
    import networkx  # noqa: F401
    import rapidfuzz.distance  # noqa: F401
    import scipy.sparse.csgraph  # noqa: F401


# -- on the way ------------------------------------------------------------------------------
def _pack(value: Any) -> str:
    return base64.b64encode(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).decode("ascii")


class _Reader(pickle.Unpickler):
    """An unpickler that builds only the classes of :data:`ALLOWED`."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise errors.GraphError(f"a reply held {module}.{name}, which is not read back")
        return super().find_class(module, name)


def _unpack(text: str) -> Any:
    """What :func:`_pack` packed, with only :data:`ALLOWED` classes.

    >>> from graph.model import Node
    >>> _unpack(_pack({"a": (Node("x", "X", "T"),)}))
    {'a': (Node(id='x', label='X', type='T', classes=(), type_label=''),)}
    >>> _unpack(_pack(print))
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: a reply held builtins.print, which is not read back
    """
    return _Reader(io.BytesIO(base64.b64decode(text))).load()
