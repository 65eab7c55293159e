"""The child process that answers SPARQL queries for :mod:`graph.sparql`.

Run as ``python -I graph/_sparql_worker.py --memory BYTES (--store DIR | --nquads FILE)``
(or ``python -m graph.backends.query_worker ...``); it imports nothing but pyoxigraph.
It caps its own address space first, opens the data once (an on-disk Oxigraph
store read-only, or an N-Quads dump loaded into memory), says it is ready and
then answers one query per request until its stdin closes.  The parent kills it
when a query runs past its deadline: neither Oxigraph nor a signal handler can
stop a running query, but the end of a process always does.

Messages both ways are frames: a 4-byte big-endian length, then that many
bytes of UTF-8 JSON.  Terms travel as short lists: ``["u", iri]``,
``["b", id]``, ``["l", value, language, datatype]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import struct
import sys
import threading
import time
from collections.abc import Iterable
from typing import Any, BinaryIO

import pyoxigraph as ox

_HEADER = struct.Struct(">I")


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


def _limit_memory(limit: int) -> None:
    """Cap this process's address space so a runaway query dies instead of the machine."""
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _exit_with_parent() -> None:
    """Leave as soon as the parent is gone, even in the middle of a query."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _protocol_stream() -> BinaryIO:
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


def _take(items: Iterable[Any], limit: int) -> tuple[list[Any], bool]:
    """At most ``limit`` items, and whether there were more (reads one past the limit)."""
    out = []
    for item in items:
        if len(out) == limit:
            return out, True
        out.append(item)
    return out, False


def answer(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    """Run one query and describe its result (or its error) as a message."""
    started = time.perf_counter()
    try:
        result = store.query(request["query"], **_dataset(request))
        message = _describe(result, int(request.get("max_rows", 10_000)))
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


def _describe(result: Any, max_rows: int) -> dict[str, Any]:
    if isinstance(result, ox.QueryBoolean):
        return {"kind": "boolean", "boolean": bool(result)}
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        solutions, truncated = _take(result, max_rows)
        rows = [[encode_term(row[name]) for name in names] for row in solutions]
        return {"kind": "solutions", "variables": names, "rows": rows, "truncated": truncated}
    triples, truncated = _take(result, max_rows)
    encoded = [
        [encode_term(t.subject), encode_term(t.predicate), encode_term(t.object)] for t in triples
    ]
    return {"kind": "triples", "triples": encoded, "truncated": truncated}


def serve(store: ox.Store, stdin: BinaryIO, stdout: BinaryIO, *, offline: bool = False) -> None:
    """Answer requests from ``stdin`` until it closes; ``offline``: no network reachable."""
    write_frame(stdout, {"ready": True, "quads": len(store), "offline": offline})
    while (request := read_frame(stdin)) is not None:
        write_frame(stdout, answer(store, request))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.backends.query_worker")
    parser.add_argument("--memory", type=int, default=0, help="address-space cap in bytes")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", help="an Oxigraph store directory, opened read-only")
    source.add_argument("--nquads", help="an N-Quads file loaded into memory")
    args = parser.parse_args(argv)
    offline = leave_network()
    _limit_memory(args.memory)
    _exit_with_parent()
    stdout = _protocol_stream()
    try:
        store = open_store(store_dir=args.store, nquads=args.nquads)
    except (OSError, ValueError, SyntaxError, MemoryError) as err:
        write_frame(stdout, {"ready": False, "message": str(err)})
        return 1
    serve(store, sys.stdin.buffer, stdout, offline=offline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
