"""One function per sub-command: call the library, print the answer, return the exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import BadInput, NothingFound
from ..io.words import class_name, counted
from ..vocab.namespaces import shorten
from .output import clean, emit, path_text, sources_text

__all__ = ["COMMANDS"]

Command = Callable[[Any, argparse.Namespace], int]
#: The largest query file read (the guard refuses longer queries anyway).
MAX_QUERY_FILE = 1_000_000


def _stats(kg: Any, args: argparse.Namespace) -> int:
    from ..query.stats import graph_stats

    s = graph_stats(kg, inferred=not args.no_inferred)
    lines = [
        f"triples  {s.triples:>8,}",
        f"nodes    {s.nodes:>8,}",
        f"edges    {s.edges:>8,}  ({s.inferred_edges:,} inferred)",
        "",
        "by class:",
    ]
    lines += [f"  {clean(class_name(name), 28):<28} {n:>6,}" for name, n in s.classes.items()]
    lines += ["", "edges by source:"]
    lines += [f"  {clean(name, 60):<60} {n:>6,}" for name, n in s.sources.items()]
    emit(args.json, s.to_dict(), "\n".join(lines))
    return 0


def _search(kg: Any, args: argparse.Namespace) -> int:
    from ..query.search import search

    results = search(kg, args.text, types=args.types, limit=args.limit)
    text = "\n".join(
        f"{r.score:5.1f}  {clean(r.label)}  ({clean(r.type_label)})  {clean(shorten(r.id))}"
        f"  [{r.match}" + (f": {clean(r.matched)!r}]" if r.matched != r.label else "]")
        for r in results
    )
    emit(args.json, {"results": [r.to_dict() for r in results]}, text)
    if not results:
        raise NothingFound(f"nothing matches {args.text!r}")
    return 0


def _show(kg: Any, args: argparse.Namespace) -> int:
    details = kg.details(args.node, inferred=not args.no_inferred)
    node = details.node
    lines = [f"{clean(node.label)}  ({clean(node.type_label)})", f"  {clean(node.id)}"]
    if details.aliases:
        lines.append("  also: " + ", ".join(clean(a) for a in details.aliases))
    if details.definition:
        lines.append("  " + clean(details.definition, limit=2000))
    for name, values in details.attributes.items():
        lines.append(f"  {clean(name)}: {', '.join(clean(v) for v in values)}")
    for predicate, target in details.matches:
        lines.append(f"  {shorten(predicate)} {clean(target)}")
    groups: dict[str, list[str]] = {}
    for edge in details.edges:
        out = edge.source == node.id
        other = kg.node(edge.other(node.id))
        label = clean(edge.label)
        heading = f"{label} ->" if out else f"<- {label}"
        groups.setdefault(heading, []).append(
            f"    {clean(other.label)} ({clean(other.type_label)}){sources_text(edge)}"
        )
    for heading, items in groups.items():
        lines += ["", f"  {heading}", *items]
    emit(args.json, details.to_dict(kg), "\n".join(lines))
    return 0


def _neighbors(kg: Any, args: argparse.Namespace) -> int:
    from ..query.neighbors import neighbors

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
    count = len(nb.nodes)
    lines = [
        f"{clean(nb.center.label)} ({clean(nb.center.type_label)}): "
        f"{count} {'neighbour' if count == 1 else 'neighbours'}"
    ]
    lines += [f"  {nb.distance[n.id]}  {clean(n.label)} ({clean(n.type_label)})" for n in nb.nodes]
    if nb.omitted:
        detail = ", ".join(
            counted(v, class_name(k).lower()) for k, v in sorted(nb.omitted_by_type.items())
        )
        lines.append(f"  ... {nb.omitted:,} more left out by the limit ({detail})")
    emit(args.json, nb.to_dict(), "\n".join(lines))
    if not nb.nodes:
        raise NothingFound(f"{nb.center.label} has no neighbours under these filters")
    return 0


def _path(kg: Any, args: argparse.Namespace) -> int:
    from ..query.paths import find_paths
    from ..query.questions import ask

    options = {"k": args.k, "max_hops": args.max_hops, "inferred": not args.no_inferred}
    if args.plain:
        options["plain"] = True
    lines = []
    if args.question and not (args.source or args.target):
        result: Any = ask(kg, args.question, **options)
        lines.append(f"Read as: {clean(result.read_as, limit=500)}")
        heading = result.summary
    elif args.source and args.target and not args.question:
        result = find_paths(kg, args.source, args.target, via=args.via, **options)
        heading = f"{len(result.paths)} {'path' if len(result.paths) == 1 else 'paths'}"
    else:
        raise BadInput("give either a QUESTION or both --from and --to")
    lines.append(clean(heading, limit=500))
    for i, path in enumerate(result.paths, 1):
        lines.append(f"{i}. {path_text(path)}")
        if i <= len(result.reasons):
            lines.append(f"     ({clean(result.reasons[i - 1], limit=500)})")
        for edge in path.edges:
            lines.append(
                f"     {clean(kg.node(edge.source).label)} {clean(edge.label)} "
                f"{clean(kg.node(edge.target).label)}{sources_text(edge)}"
            )
    lines += [f"note: {clean(n, limit=500)}" for n in result.notes]
    emit(args.json, result.to_dict(), "\n".join(lines))
    return 0


def _compare(kg: Any, args: argparse.Namespace) -> int:
    from ..query.compare import compare

    c = compare(kg, args.a, args.b, inferred=not args.no_inferred)
    lines = [f"{clean(c.a.label)}  vs  {clean(c.b.label)}"]
    for category in c.shared:
        lines.append(f"\n{category}s")
        for title, group in (
            ("both", c.shared),
            (f"only {clean(c.a.label)}", c.only_a),
            (f"only {clean(c.b.label)}", c.only_b),
        ):
            names = ", ".join(clean(n.label) for n in group[category]) or "-"
            lines.append(f"  {title}: {names}")
    emit(args.json, c.to_dict(), "\n".join(lines))
    return 0


def _sparql(kg: Any, args: argparse.Namespace) -> int:
    from ..sparql import format_result, run_query

    if (args.query is None) == (args.file is None):
        raise BadInput("give either a QUERY or --file F")
    text = args.query if args.query is not None else read_query_file(args.file)
    result = run_query(
        kg, text, timeout=args.timeout, max_rows=args.max_rows, inferred=not args.no_inferred
    )
    fmt = "json" if args.json else args.format
    sys.stdout.write(format_result(result, fmt).rstrip("\n") + "\n")
    for note in result.notes:
        print(f"note: {clean(note, limit=500)}", file=sys.stderr)
    return 3 if result.truncated else 0


def read_query_file(name: str) -> str:
    """The text of a query file, read up to :data:`MAX_QUERY_FILE` bytes (``/dev/zero`` too).

    >>> read_query_file("/nonexistent/q.rq")
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: cannot read /nonexistent/q.rq: no such file
    """
    path = Path(name)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_QUERY_FILE + 1)
    except FileNotFoundError as err:
        raise BadInput(f"cannot read {name}: no such file") from err
    except OSError as err:
        raise BadInput(f"cannot read {name}: {err.strerror or err}") from err
    if len(data) > MAX_QUERY_FILE:
        raise BadInput(f"{name} is longer than {MAX_QUERY_FILE:,} bytes; that is not a query")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(f"{name} is not UTF-8 text") from err


def _export(kg: Any, args: argparse.Namespace) -> int:
    from ..io.export import FORMATS, export, parse_format
    from ..io.selection import Selection

    fmt = parse_format(args.format)
    binary = FORMATS[fmt].media_type == "application/zip"
    if binary and not args.output and sys.stdout.isatty():
        raise BadInput(
            f"the {args.format} export is a zip archive; write it to a file with -o FILE"
        )
    inferred = not args.no_inferred
    if args.around:
        from ..query.neighbors import neighbors

        selection = Selection.from_neighbourhood(
            neighbors(kg, args.around, hops=args.hops, inferred=inferred, limit=10_000)
        )
    elif args.path:
        from ..query.questions import ask

        selection = Selection.from_paths(ask(kg, args.path, inferred=inferred))
    elif args.query:
        from ..sparql import run_query

        result = run_query(kg, args.query, inferred=inferred)
        if result.form not in ("CONSTRUCT", "DESCRIBE"):
            raise BadInput(
                f"export --query takes a CONSTRUCT or DESCRIBE query, not {result.form}; "
                "for a table of results use: sparql QUERY --format csv"
            )
        selection = Selection.from_triples(kg, result.triples)
    else:
        selection = Selection.everything(kg, inferred=inferred)
    data = export(kg, selection, fmt)
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as err:
            raise BadInput(f"cannot write {args.output}: {err.strerror or err}") from err
    else:
        sys.stdout.buffer.write(data)
    return 0


def _validate(kg: Any, args: argparse.Namespace) -> int:
    from ..validate import validate

    report = validate(kg, inferred=not args.no_inferred)
    emit(args.json, report.to_dict(), report.text)
    return 0 if report.conforms else 1


COMMANDS: dict[str, Command] = {
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


def _register_learners() -> None:
    from .learners import LEARNER_COMMANDS

    COMMANDS.update(LEARNER_COMMANDS)


_register_learners()
