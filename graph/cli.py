"""The command line: ``python -m graph [--data PATH]... [--no-default] COMMAND ... [--json]``.

Exit codes: 0 answered; 1 nothing found (no match, no path); 2 bad input
(usage, unknown node, malformed query or file); 3 a limit was hit (time, rows,
size).  Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import GraphError, NothingFound
from .vocab.namespaces import shorten

__all__ = ["main"]

EXIT_CODES = """exit codes:
  0  answered
  1  nothing found (no match, no path)
  2  bad input (usage, unknown node, malformed query or file)
  3  a limit was hit (time, rows, size)"""


def _add_shared_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """Options accepted before and after the command; after it, they only override."""
    unset: dict[str, Any] = {} if defaults else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--data",
        action="append",
        metavar="PATH",
        help="add an RDF file or folder (repeatable)",
        **({"default": []} if defaults else unset),
    )
    parser.add_argument(
        "--no-default",
        action="store_true",
        help="leave the embedded knowledge base out",
        **unset,
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output", **unset)
    parser.add_argument(
        "--no-inferred", action="store_true", help="ignore inferred statements", **unset
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m graph",
        description="Explore the ML-career knowledge graph.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_shared_options(parser, defaults=True)
    parser.add_argument(
        "--store",
        metavar="DIR",
        help="keep the parsed graph in a persistent store in DIR (rebuilt when files change)",
    )
    parser.add_argument(
        "--endpoint", metavar="URL", help="explore a remote SPARQL endpoint (http or https)"
    )
    parser.add_argument(
        "--endpoint-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="deadline of each request to the endpoint, in seconds (default 10)",
    )
    # The same options after the command: `python -m graph search x --json`.
    common = argparse.ArgumentParser(add_help=False)
    _add_shared_options(common, defaults=False)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return subparsers.add_parser(name, parents=[common], **kwargs)

    command("stats", help="counts of triples, nodes, edges, classes, sources")

    p = command("search", help="find nodes by name (typos forgiven)")
    p.add_argument("text")
    p.add_argument("--type", action="append", dest="types", metavar="T")
    p.add_argument("--limit", type=int, default=10)

    p = command("show", help="everything about one node")
    p.add_argument("node")

    p = command("neighbors", aliases=["neighbours"], help="a node's neighbourhood")
    p.add_argument("node")
    p.add_argument("--hops", type=int, default=1)
    p.add_argument("--type", action="append", dest="types", metavar="T")
    p.add_argument("--predicate", action="append", dest="predicates", metavar="P")
    p.add_argument("--source", action="append", dest="sources", metavar="S")
    p.add_argument("--limit", type=int, default=50)

    p = command("path", help="paths between two nodes, or a question in words")
    p.add_argument("question", nargs="?", help='e.g. "skills linking Python to Core ML engineer"')
    p.add_argument("--from", dest="source", metavar="A")
    p.add_argument("--to", dest="target", metavar="B")
    p.add_argument("--via", action="append", metavar="T", help="class of every inner node")
    p.add_argument("--max-hops", type=int, default=6)
    p.add_argument("-k", type=int, default=5, help="how many paths (default 5)")

    p = command("compare", help="shared and distinct skills, tools, qualifications")
    p.add_argument("a")
    p.add_argument("b")

    p = command("sparql", help="run a read-only SPARQL query")
    p.add_argument("query", nargs="?")
    p.add_argument("--file", type=Path)
    p.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json"])
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--max-rows", type=int, default=10_000)

    p = command("export", help="write a subgraph in an RDF or graph format")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--around", metavar="NODE")
    what.add_argument("--path", metavar="QUESTION")
    what.add_argument("--query", metavar="CONSTRUCT")
    what.add_argument("--all", action="store_true")
    p.add_argument("--hops", type=int, default=1)
    p.add_argument(
        "--format",
        required=True,
        metavar="F",
        help="ttl, trig, nt, nq, jsonld, xml, graphml, gexf, csv, cyjs, html",
    )
    p.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    command("validate", help="check the SHACL shapes and integrity rules")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        from .core.kg import KnowledgeGraph

        kg = KnowledgeGraph.load(
            args.data,
            default=not args.no_default,
            store=args.store,
            endpoint=args.endpoint,
            timeout=args.endpoint_timeout,
        )
        return COMMANDS[args.command](kg, args)
    except GraphError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(text)


def _stats(kg: Any, args: argparse.Namespace) -> int:
    from .query.stats import graph_stats

    s = graph_stats(kg)
    lines = [
        f"triples  {s.triples:>8,}",
        f"nodes    {s.nodes:>8,}",
        f"edges    {s.edges:>8,}  ({s.inferred_edges:,} inferred)",
        "",
        "by class:",
    ]
    lines += [f"  {name:<28} {count:>6,}" for name, count in s.classes.items()]
    lines += ["", "edges by source:"]
    lines += [f"  {name[:60]:<60} {count:>6,}" for name, count in s.sources.items()]
    _emit(args, s.to_dict(), "\n".join(lines))
    return 0


def _search(kg: Any, args: argparse.Namespace) -> int:
    from .query.search import search

    results = search(kg, args.text, types=args.types, limit=args.limit)
    text = "\n".join(
        f"{r.score:5.1f}  {r.label}  ({r.type_label})  {shorten(r.id)}"
        + (f"  [matched {r.matched!r}]" if r.matched != r.label else "")
        for r in results
    )
    _emit(args, {"results": [r.to_dict() for r in results]}, text)
    if not results:
        raise NothingFound(f"nothing matches {args.text!r}")
    return 0


def _show(kg: Any, args: argparse.Namespace) -> int:
    details = kg.details(args.node, inferred=not args.no_inferred)
    node = details.node
    lines = [f"{node.label}  ({node.type_label})", f"  {node.id}"]
    if details.aliases:
        lines.append("  also: " + ", ".join(details.aliases))
    if details.definition:
        lines.append("  " + details.definition)
    for name, values in details.attributes.items():
        lines.append(f"  {name}: {', '.join(values)}")
    for predicate, target in details.matches:
        lines.append(f"  {shorten(predicate)} {target}")
    groups: dict[str, list[str]] = {}
    for edge in details.edges:
        out = edge.source == node.id
        other = kg.node(edge.other(node.id))
        heading = f"{edge.label} ->" if out else f"<- {edge.label}"
        groups.setdefault(heading, []).append(
            f"    {other.label} ({other.type_label}){_sources_text(edge)}"
        )
    for heading, items in groups.items():
        lines += ["", f"  {heading}", *items]
    _emit(args, details.to_dict(kg), "\n".join(lines))
    return 0


def _sources_text(edge: Any) -> str:
    """``[Article one: Section; Other section | Article two: ...]``, one entry per source."""
    by_source: dict[str, list[str]] = {}
    for s in edge.sources:
        by_source.setdefault(s.label, [])
        if s.locator:
            by_source[s.label].append(s.locator)
    parts = [f"{label}: {'; '.join(locs)}" if locs else label for label, locs in by_source.items()]
    flag = " (inferred)" if edge.inferred else ""
    return f"{flag}  [{' | '.join(parts)}]" if parts else flag


def _neighbors(kg: Any, args: argparse.Namespace) -> int:
    from .query.neighbors import neighbors

    nb = neighbors(
        kg,
        args.node,
        hops=args.hops,
        types=args.types,
        predicates=args.predicates,
        sources=args.sources,
        inferred=not args.no_inferred,
        limit=args.limit,
    )
    lines = [f"{nb.center.label} ({nb.center.type_label}): {len(nb.nodes)} neighbours"]
    lines += [f"  {nb.distance[n.id]}  {n.label} ({n.type_label})" for n in nb.nodes]
    if nb.omitted:
        detail = ", ".join(f"{v} {k}" for k, v in sorted(nb.omitted_by_type.items()))
        lines.append(f"  ... {nb.omitted} more left out by the limit ({detail})")
    _emit(args, nb.to_dict(), "\n".join(lines))
    if not nb.nodes:
        raise NothingFound(f"{nb.center.label} has no neighbours under these filters")
    return 0


def _path(kg: Any, args: argparse.Namespace) -> int:
    from .errors import BadInput
    from .query.paths import find_paths
    from .query.questions import ask

    inferred = not args.no_inferred
    if args.question and not (args.source or args.target):
        result: Any = ask(kg, args.question, k=args.k, max_hops=args.max_hops, inferred=inferred)
        heading = result.summary
    elif args.source and args.target and not args.question:
        result = find_paths(
            kg,
            args.source,
            args.target,
            via=args.via,
            k=args.k,
            max_hops=args.max_hops,
            inferred=inferred,
        )
        heading = f"{len(result.paths)} paths"
    else:
        raise BadInput("give either a QUESTION or both --from and --to")
    lines = [heading]
    for i, path in enumerate(result.paths, 1):
        lines.append(f"{i}. {_path_text(path)}")
        for edge in path.edges:
            lines.append(
                f"     {kg.node(edge.source).label} {edge.label} "
                f"{kg.node(edge.target).label}{_sources_text(edge)}"
            )
    lines += [f"note: {n}" for n in result.notes]
    _emit(args, result.to_dict(), "\n".join(lines))
    return 0


def _path_text(path: Any) -> str:
    parts = [path.nodes[0].label]
    for node, edge in zip(path.nodes[1:], path.edges, strict=True):
        arrow = f" -{edge.label}-> " if edge.target == node.id else f" <-{edge.label}- "
        parts += [arrow, node.label]
    return "".join(parts)


def _compare(kg: Any, args: argparse.Namespace) -> int:
    from .query.compare import compare

    c = compare(kg, args.a, args.b, inferred=not args.no_inferred)
    lines = [f"{c.a.label}  vs  {c.b.label}"]
    for category in c.shared:
        lines.append(f"\n{category}s")
        for title, group in (
            ("both", c.shared),
            (f"only {c.a.label}", c.only_a),
            (f"only {c.b.label}", c.only_b),
        ):
            names = ", ".join(n.label for n in group[category]) or "-"
            lines.append(f"  {title}: {names}")
    _emit(args, c.to_dict(), "\n".join(lines))
    return 0


def _sparql(kg: Any, args: argparse.Namespace) -> int:
    from .errors import BadInput
    from .sparql import format_result, run_query

    if (args.query is None) == (args.file is None):
        raise BadInput("give either a QUERY or --file F")
    text = args.query if args.query is not None else _read_text(args.file)
    result = run_query(kg, text, timeout=args.timeout, max_rows=args.max_rows)
    fmt = "json" if args.json else args.format
    sys.stdout.write(format_result(result, fmt).rstrip("\n") + "\n")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 3 if result.truncated else 0


def _read_text(path: Path) -> str:
    from .errors import BadInput

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BadInput(f"cannot read {path}: {err}") from err


def _export(kg: Any, args: argparse.Namespace) -> int:
    from .io.export import export
    from .io.selection import Selection

    inferred = not args.no_inferred
    if args.around:
        from .query.neighbors import neighbors

        selection = Selection.from_neighbourhood(
            neighbors(kg, args.around, hops=args.hops, inferred=inferred, limit=10_000)
        )
    elif args.path:
        from .query.questions import ask

        selection = Selection.from_paths(ask(kg, args.path, inferred=inferred))
    elif args.query:
        from .sparql import run_query

        result = run_query(kg, args.query)
        selection = Selection.from_triples(kg, result.triples)
    else:
        selection = Selection.everything(kg)
    data = export(kg, selection, args.format)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _validate(kg: Any, args: argparse.Namespace) -> int:
    from .validate import validate

    report = validate(kg)
    _emit(args, report.to_dict(), report.text)
    return 0 if report.conforms else 1


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "stats": _stats,
    "search": _search,
    "show": _show,
    "neighbors": _neighbors,
    "neighbours": _neighbors,
    "path": _path,
    "compare": _compare,
    "sparql": _sparql,
    "export": _export,
    "validate": _validate,
}
