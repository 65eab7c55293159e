"""The child process that reads users' queries for the guard (:mod:`graph.sparql.isolated`).

Run as ``python -I graph/sparql/guard_worker.py --memory BYTES``.  It enters
the same sandbox as the query processes (no network, capped memory, lower
priority; :func:`graph.backends.query_worker.enter_sandbox`), then imports
the guard and answers each ``{"check": text}`` with the query's form or the
reason it is refused.  rdflib's parser recurses once per nested pattern and
takes time out of proportion with some texts: here it gets a deep stack of its
own, and the parent kills the process at the deadline.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

#: Stack and recursion depth given to the parser (a flat query of 100 patterns needed more
#: than Python's default 1,000 frames).
STACK_BYTES = 256 * 1024**2
RECURSION_LIMIT = 50_000


def check(text: str) -> dict[str, Any]:
    """Run the guard on ``text``: ``{"form": ...}`` or ``{"error": ..., "message": ...}``."""
    from graph.errors import GraphError, QuerySyntaxError
    from graph.sparql.guard import check_query

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["form"] = check_query(text)
        except QuerySyntaxError as err:
            outcome.update(error="syntax", message=err.detail, line=err.line, column=err.column)
        except GraphError as err:
            outcome.update(error=type(err).__name__, message=str(err))
        except RecursionError:
            outcome.update(error="syntax", message="the query is nested too deeply to read")
        except MemoryError:
            outcome.update(error="memory", message="the query is too large to read")

    thread = threading.Thread(target=run, name="guard")
    thread.start()
    thread.join()
    return outcome or {"error": "memory", "message": "the query could not be read"}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m graph.sparql.guard_worker")
    parser.add_argument("--memory", type=int, default=0, help="address-space cap in bytes")
    args = parser.parse_args(argv)
    root = str(Path(__file__).resolve().parents[2])  # run by path: the package sits above
    if root not in sys.path:
        sys.path.insert(0, root)
    from graph.backends.query_worker import enter_sandbox, protocol_stream, serve, write_frame

    offline = enter_sandbox(args.memory)  # before any thread starts (numpy's, the watcher)
    stdout = protocol_stream()
    try:
        sys.setrecursionlimit(RECURSION_LIMIT)
        threading.stack_size(STACK_BYTES)
        import graph.sparql.guard  # noqa: F401 - loaded before the first request needs it
    except (ImportError, MemoryError, ValueError) as err:
        write_frame(stdout, {"ready": False, "message": str(err)})
        return 1

    def handle(request: dict[str, Any]) -> dict[str, Any]:
        return check(str(request.get("check", "")))

    serve(handle, sys.stdin.buffer, stdout, ready={"offline": offline})
    return 0


if __name__ == "__main__":
    sys.exit(main())
