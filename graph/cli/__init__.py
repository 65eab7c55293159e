"""The command line: ``mlcareer [--data PATH]... [--no-default] COMMAND ... [--json]``.

Also run as ``python -m graph``.  Exit codes: 0 answered; 1 nothing found (no
match, no path); 2 bad input (usage, unknown node, malformed query or file);
3 a limit was hit (time, rows, size).  Errors are one line on stderr, never a
traceback; with ``--json`` that line is a JSON object ``{"error", "code"}``.

>>> main(["search", "pyhton", "--limit", "0"])
2
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..errors import GraphError
from .commands import COMMANDS
from .output import emit_error
from .parser import build_parser

__all__ = ["main", "run"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (``sys.argv[1:]`` by default); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    try:
        args = build_parser().parse_args(argv)
        from ..core.kg import KnowledgeGraph

        kg = KnowledgeGraph.load(
            args.data,
            default=not args.no_default,
            store=args.store,
            endpoint=args.endpoint,
            timeout=args.endpoint_timeout,
            graphs=args.graphs,
            view=args.view,
            lang=args.lang,
        )
        return COMMANDS[args.command](kg, args)
    except GraphError as err:
        emit_error(as_json, str(err), err.exit_code)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    """The ``mlcareer`` console script."""
    sys.exit(main())
