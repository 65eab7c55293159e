"""The child process that answers SPARQL queries for :mod:`graph.sparql`.

Run as ``python -I graph/backends/query_worker.py (--store DIR | --nquads FILE)
--memory BYTES`` (or ``python -m graph.backends.query_worker ...``); it imports
nothing but pyoxigraph until it is asked for other work than a query (a path
search, a question or a text read against the graph: :func:`run_task`).  It
leaves the network, caps its own address space and lowers its priority first
(:func:`enter_sandbox`, also used by the guard's process,
:mod:`graph.sparql.guard_worker`), opens the data once (an on-disk Oxigraph
store read-only, or an N-Quads dump loaded into memory), says it is ready and
then answers one request at a time until its stdin closes.  The
parent kills it when a query runs past its deadline: neither Oxigraph nor a
signal handler can stop a running query, but the end of a process always does.

A result is cut at a number of rows and at a number of bytes before it is
sent, so that the parent never holds more than it asked for.

Messages both ways are frames: a 4-byte big-endian length, then that many
bytes of UTF-8 JSON.  Terms travel as short lists: ``["u", iri]``,
``["b", id]``, ``["l", value, language, datatype]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

_HEADER = struct.Struct(">I")
#: How much lower than the parent's the worker's scheduling priority is: the
#: explorer's own pages come first when the machine is busy with queries.
NICENESS = 19
#: The niceness of a query process's scheduling group: its share of the processors
#: beside the app's is about a tenth (19 starved it to 1.5% on a busy machine).
GROUP_NICENESS = 10
#: Bytes a result may take when none is given (see :func:`_take`).
DEFAULT_MAX_BYTES = 16 * 1024**2


def read_frame(stream: BinaryIO) -> dict[str, Any] | None:
    """The next message on ``stream``, or ``None`` at end of input."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return json.loads(payload.decode("utf-8"))


def encode_frame(message: dict[str, Any]) -> bytes:
    """``message`` as one frame: length prefix and JSON.

    >>> encode_frame({"ok": True})
    b'\\x00\\x00\\x00\\x0c{"ok": true}'
    """
    payload = json.dumps(message, ensure_ascii=False).encode("utf-8")
    return _HEADER.pack(len(payload)) + payload


def write_frame(stream: BinaryIO, message: dict[str, Any]) -> None:
    stream.write(encode_frame(message))
    stream.flush()


def encode_term(term: Any) -> list[Any] | None:
    """A pyoxigraph term as a JSON-friendly list (``None`` for an unbound variable).

    >>> encode_term(ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#int")))
    ['l', '1', None, 'http://www.w3.org/2001/XMLSchema#int']
    >>> encode_term(ox.NamedNode("http://example.org/a"))
    ['u', 'http://example.org/a']
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["u", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    if isinstance(term, ox.Literal):
        return ["l", term.value, term.language, term.datatype.value]
    return ["l", str(term), None, None]  # an RDF-star triple term, shown as text


def leave_network() -> bool:
    """Move this process into a network namespace of its own, with no interface up.

    A second line of defence behind the query guard: whatever a query asks
    for, this process can reach no server (a SERVICE call fails at connect).
    Needs Linux and either root or unprivileged user namespaces; returns
    whether it worked, and the process carries on either way.  Must run before
    any thread starts (the kernel refuses a new user namespace otherwise).
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    new_user, new_net = 0x10000000, 0x40000000
    return libc.unshare(new_net) == 0 or libc.unshare(new_user | new_net) == 0


def limit_memory(limit: int) -> None:
    """Cap this process's address space so a runaway query dies instead of the machine."""
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def lower_priority(*, group: bool = False) -> None:
    """Yield the processors to the explorer's own work when both want them.

    This process leads a session of its own (so it can be killed with its
    children), and where Linux groups processes by session ("autogroup"
    scheduling, on by default) a nice value orders a process only within its
    group: against the app, the group's own nice value weighs.  With ``group``
    that is lowered too (to :data:`GROUP_NICENESS`): with it left at 0, each
    runaway query weighed as much as the whole app, however nice the process.
    """
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    if group:
        with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as handle:
            handle.write(str(GROUP_NICENESS))


def exit_with_parent() -> None:
    """Leave as soon as the parent is gone, even in the middle of a query."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def protocol_stream() -> BinaryIO:
    """Keep the real stdout for frames; anything else printed goes to stderr instead."""
    sys.stdout.flush()
    stream = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return stream


def open_store(*, store_dir: str | None, nquads: str | None) -> ox.Store:
    """The data to query: an on-disk store opened read-only, or an N-Quads dump in memory."""
    if store_dir is not None:
        return ox.Store.read_only(store_dir)
    store = ox.Store()
    if nquads is not None:
        # load, not bulk_load: the bulk loader reserves large buffers that the memory cap refuses
        store.load(path=nquads, format=ox.RdfFormat.N_QUADS)
    return store


def _take(
    items: Iterable[Any], encode: Callable[[Any], list[Any]], max_rows: int, max_bytes: int
) -> tuple[list[Any], str | None]:
    """The first items encoded, at most ``max_rows`` of them in at most ``max_bytes``.

    Also returns what cut the list: ``"rows"``, ``"bytes"`` or ``None`` (reads
    one item past the row limit to know whether there were more).

    >>> _take(iter(["a", "bb", "ccc"]), lambda x: [x], 2, 100)
    ([['a'], ['bb']], 'rows')
    >>> _take(iter(["a", "bb", "ccc"]), lambda x: [x], 5, 16)
    ([['a'], ['bb']], 'bytes')
    """
    out: list[Any] = []
    size = 0
    for item in items:
        if len(out) == max_rows:
            return out, "rows"
        encoded = encode(item)
        size += _size(encoded)
        if size > max_bytes:
            return out, "bytes"
        out.append(encoded)
    return out, None


def _size(value: Any) -> int:
    """About how many bytes of JSON ``value`` takes (strings by their UTF-8 length)."""
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass")) + 4
    if isinstance(value, list):
        return sum(_size(v) for v in value) + 2
    return 6


def answer(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    """Run one query and describe its result (or its error) as a message."""
    started = time.perf_counter()
    try:
        result = store.query(request["query"], **_dataset(request))
        message = _describe(
            result,
            int(request.get("max_rows", 10_000)),
            int(request.get("max_bytes", DEFAULT_MAX_BYTES)),
        )
    except SyntaxError as err:
        return {"error": "syntax", "message": str(err)}
    except (OSError, ValueError, RuntimeError, MemoryError) as err:
        return {"error": "query", "message": str(err)}
    message["elapsed"] = time.perf_counter() - started
    return message


def _dataset(request: dict[str, Any]) -> dict[str, Any]:
    """The query's dataset: every graph, or only the graphs named in ``request["graphs"]``.

    >>> _dataset({"graphs": ["http://e/g"]})["default_graph"]
    [<NamedNode value=http://e/g>]
    """
    options: dict[str, Any] = {"prefixes": request.get("prefixes") or {}}
    graphs = request.get("graphs")
    if graphs is None:
        options["use_default_graph_as_union"] = True
        return options
    named = [ox.NamedNode(g) for g in graphs]
    options["default_graph"] = named
    options["named_graphs"] = named
    return options


def _describe(result: Any, max_rows: int, max_bytes: int) -> dict[str, Any]:
    if isinstance(result, ox.QueryBoolean):
        return {"kind": "boolean", "boolean": bool(result)}
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows, cut = _take(
            result, lambda row: [encode_term(row[name]) for name in names], max_rows, max_bytes
        )
        return {"kind": "solutions", "variables": names, "rows": rows, "cut": cut}
    triples, cut = _take(
        result,
        lambda t: [encode_term(t.subject), encode_term(t.predicate), encode_term(t.object)],
        max_rows,
        max_bytes,
    )
    return {"kind": "triples", "triples": triples, "cut": cut}


def serve(
    handle: Callable[[dict[str, Any]], dict[str, Any]],
    stdin: BinaryIO,
    stdout: BinaryIO,
    *,
    ready: dict[str, Any],
) -> None:
    """Say ``ready``, then answer each request from ``stdin`` with ``handle`` until it closes."""
    write_frame(stdout, {"ready": True, **ready})
    while (request := read_frame(stdin)) is not None:
        write_frame(stdout, handle(request))


def run_task(store: ox.Store, store_dir: str | None, request: dict[str, Any]) -> dict[str, Any]:
    """Do the explorer's work of ``request["task"]`` on ``store`` (:mod:`graph.query.isolated`).

    The package is imported with the first such request, not before: a
    process that only answers queries stays as small as it was.
    """
    root = str(Path(__file__).resolve().parents[2])  # run by path: the package sits above
    if root not in sys.path:
        sys.path.insert(0, root)
    from graph.query.isolated import serve_task

    return serve_task(store, store_dir, request)


def enter_sandbox(memory: int) -> bool:
    """Leave the network, cap memory, lower priority, go with the parent; whether offline.

    Call first thing: leaving the network needs a process with one thread.
    """
    lower_priority()
    offline = leave_network()
    limit_memory(memory)
    exit_with_parent()
    return offline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.backends.query_worker")
    parser.add_argument("--memory", type=int, default=0, help="address-space cap in bytes")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", help="an Oxigraph store directory, opened read-only")
    source.add_argument("--nquads", help="an N-Quads file loaded into memory")
    args = parser.parse_args(argv)
    offline = enter_sandbox(args.memory)
    stdout = protocol_stream()
    try:
        store = open_store(store_dir=args.store, nquads=args.nquads)
    except (OSError, ValueError, SyntaxError, MemoryError) as err:
        write_frame(stdout, {"ready": False, "message": str(err)})
        return 1
    # Queries yield to the app; starting did not: a process that replaces one
    # killed at its deadline is ready as soon as it can be.
    lower_priority(group=True)

    def handle(request: dict[str, Any]) -> dict[str, Any]:
        if "task" in request:
            return run_task(store, args.store, request)
        return answer(store, request)

    serve(handle, sys.stdin.buffer, stdout, ready={"quads": len(store), "offline": offline})
    return 0


if __name__ == "__main__":
    sys.exit(main())
