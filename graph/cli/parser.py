"""The command line's options: each with its help text, its default and its range.

Numbers are checked where they are read: a time limit must be a finite
positive number of seconds, a count a positive integer, so ``--timeout inf``
or ``--limit -1`` are usage errors, not tracebacks or odd answers.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from ..errors import BadInput
from ..io.export import ExportFormat
from ..vocab.labels import check_lang

__all__ = ["EXIT_CODES", "UsageError", "build_parser"]

EXIT_CODES = """exit codes:
  0  answered
  1  nothing found (no match, no path; validate: the graph does not conform)
  2  bad input (usage, unknown node, malformed query or file, refused query)
  3  a limit was hit (time, rows, size)"""

#: The longest time limit accepted, in seconds (a day).
MAX_SECONDS = 86_400.0
#: The largest count accepted (rows, nodes, paths).
MAX_COUNT = 10_000_000


class UsageError(BadInput):
    """The command line itself is wrong: an unknown option, a missing value."""


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that raises instead of printing and exiting, so errors
    reach the caller (and come out as JSON with ``--json``)."""

    def error(self, message: str) -> Any:  # argparse's signature returns NoReturn
        raise UsageError(f"{message} (see {self.prog} --help)")


class _Help(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Keep the epilog's line breaks and show each option's default."""


def seconds(text: str) -> float:
    """A time limit: a finite number of seconds above zero, at most a day.

    >>> seconds("2.5")
    2.5
    >>> seconds("inf")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 'inf' is not a number of seconds between 0 and 86400
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds between 0 and {MAX_SECONDS:g}"
        )
    return value


def count(text: str) -> int:
    """A positive whole number (at most ten million).

    >>> count("5")
    5
    >>> count("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '-1' is not a whole number between 1 and 10000000
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number between 1 and {MAX_COUNT}"
        )
    return value


def hops(text: str) -> int:
    """A number of hops: 1 to 10."""
    value = count(text)
    if value > 10:
        raise argparse.ArgumentTypeError(f"{text!r} hops is too far; the most is 10")
    return value


def lang_tag(text: str) -> str:
    """A language tag such as en, de or pt-BR, lower-cased.

    >>> lang_tag("pt-BR")
    'pt-br'
    """
    try:
        return check_lang(text)
    except BadInput as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _shared(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
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
        "--no-default", action="store_true", help="leave the embedded knowledge base out", **unset
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="machine-readable output; errors as JSON on stderr",
        **unset,
    )
    parser.add_argument(
        "--no-inferred",
        action="store_true",
        help="leave inferred statements out (every command that reads edges or statements)",
        **unset,
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: global options, then one sub-command."""
    from ..query.questions import EXAMPLES

    parser = _Parser(
        prog="mlcareer",
        description="Explore the ML-career knowledge graph (also: python -m graph).",
        epilog=EXIT_CODES,
        formatter_class=_Help,
    )
    _shared(parser, defaults=True)
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
        type=seconds,
        default=10.0,
        metavar="S",
        help="deadline of each request to the endpoint, in seconds",
    )
    parser.add_argument(
        "--graph",
        action="append",
        dest="graphs",
        metavar="IRI",
        help="explore only this named graph (repeatable; by default every graph but a"
        " server's own)",
    )
    parser.add_argument(
        "--view",
        choices=["auto", "instances", "schema", "both"],
        default="auto",
        help="show the instances, the schema (classes and properties as nodes) or both;"
        " auto shows the schema of a file that is mostly schema",
    )
    parser.add_argument(
        "--lang",
        type=lang_tag,
        default="en",
        metavar="TAG",
        help="preferred language of labels (then untagged, then any)",
    )
    common = _Parser(add_help=False)
    _shared(common, defaults=False)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return subparsers.add_parser(
            name, parents=[common], formatter_class=_Help, description=kwargs.get("help"), **kwargs
        )

    command("stats", help="counts of triples, nodes, edges, by class and by source")

    p = command("search", help="find nodes by name (case, accents and typos forgiven)")
    p.add_argument("text", help="what to look for")
    p.add_argument(
        "--type", action="append", dest="types", metavar="T", help="only nodes of class T"
    )
    p.add_argument("--limit", type=count, default=10, help="at most this many results")

    p = command("show", help="everything about one node: names, definition, relations, sources")
    p.add_argument("node", help="a label, prefix:name or IRI")

    p = command("neighbors", aliases=["neighbours"], help="a node's neighbourhood")
    p.add_argument("node", help="a label, prefix:name or IRI")
    p.add_argument("--hops", type=hops, default=1, help="how far to go (1 to 10)")
    p.add_argument(
        "--type", action="append", dest="types", metavar="T", help="only nodes of class T"
    )
    p.add_argument(
        "--predicate", action="append", dest="predicates", metavar="P", help="only relation P"
    )
    p.add_argument(
        "--source", action="append", dest="sources", metavar="S", help="only edges stated by S"
    )
    p.add_argument("--limit", type=count, default=50, help="at most this many nodes")

    forms = "\n".join(f"  {q}" for q in EXAMPLES)
    p = command(
        "path",
        help="paths between two nodes, or a question in words",
        epilog=f"questions understood, for example:\n{forms}",
    )
    p.add_argument("question", nargs="?", help="a question in plain words (see below)")
    p.add_argument("--from", dest="source", metavar="A", help="one end")
    p.add_argument("--to", dest="target", metavar="B", help="the other end")
    p.add_argument("--via", action="append", metavar="T", help="class of every inner node")
    p.add_argument("--max-hops", type=hops, default=6, help="longest path considered")
    p.add_argument("-k", type=count, default=5, help="how many paths")
    p.add_argument(
        "--plain",
        action="store_true",
        help="the shortest paths by hops, not weighed by hubs and evidence",
    )

    p = command("compare", help="shared and distinct skills, tools, qualifications of two roles")
    p.add_argument("a", help="a role")
    p.add_argument("b", help="another role")

    p = command("sparql", help="run a read-only SPARQL query (the project's prefixes declared)")
    p.add_argument("query", nargs="?", help="the query text")
    p.add_argument("--file", help="read the query from this file")
    p.add_argument(
        "--format", default="table", choices=["table", "csv", "tsv", "json"], help="result format"
    )
    p.add_argument("--timeout", type=seconds, default=10.0, help="seconds before it is stopped")
    p.add_argument("--max-rows", type=count, default=10_000, help="rows kept")

    formats = [f.value for f in ExportFormat]
    p = command("export", help="write a subgraph in an RDF or graph format")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--around", metavar="NODE", help="a node's neighbourhood")
    what.add_argument("--path", metavar="QUESTION", help="the paths answering a question")
    what.add_argument("--query", metavar="QUERY", help="a CONSTRUCT or DESCRIBE query's graph")
    what.add_argument("--all", action="store_true", help="the whole graph")
    p.add_argument("--hops", type=hops, default=1, help="with --around: how far")
    p.add_argument(
        "--format",
        required=True,
        choices=formats,
        metavar="F",
        help=f"one of {', '.join(formats)}",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")

    command("validate", help="check the SHACL shapes and integrity rules")

    p = command(
        "plan",
        help="what to learn, in order, for a role: from what you have to what it needs",
        epilog="example:\n  mlcareer plan --have Python --have statistics "
        '--target "core ML engineer"',
    )
    p.add_argument(
        "--have",
        action="append",
        default=[],
        metavar="NAME",
        help="a skill, tool or qualification you have (repeatable)",
    )
    p.add_argument("--target", required=True, metavar="ROLE", help="the role you want")
    p.add_argument(
        "--from-role", metavar="ROLE", help="a role you hold: what it needs counts as had"
    )

    p = command(
        "analyse",
        aliases=["analyze"],
        help="read a job posting, an article or a course page against the graph",
        epilog="example:\n  mlcareer analyse posting.txt --have Python --have statistics\n"
        "  mlcareer analyse posting.txt --save-as 'ML engineer at Acme' --into my-sources",
    )
    p.add_argument("file", metavar="FILE", help="a text or HTML file; - reads standard input")
    p.add_argument(
        "--have", action="append", default=[], metavar="NAME", help="what you have (repeatable)"
    )
    p.add_argument("--save-as", metavar="NAME", help="keep what was found as a source of this name")
    p.add_argument("--into", metavar="FOLDER", help="with --save-as: the folder to write it in")
    p.add_argument(
        "--as-role",
        metavar="ROLE",
        help="with --save-as: the role the text asks for (default: the closest role)",
    )
    return parser
