"""The child process that parses one RDF document for :func:`graph.io.loading.parse_isolated`.

Run as ``python -I graph/io/parse_worker.py --memory BYTES --format MEDIA-TYPE
--graph IRI --name NAME --input FILE --output FILE``.  It enters the query processes' sandbox (no
network, capped memory, lower priority; see
:func:`graph.backends.query_worker.enter_sandbox`), refuses a document nested
too deeply (:func:`graph.io.nesting.check_nesting`), then parses it in a
stream and writes every statement as N-Quads to ``--output``, triples in the
graph ``--graph`` and RDF 1.2 triple terms as statements about statements
(:func:`statements_about_statements`).  It prints one line of JSON: ``{"quads": n}`` or
``{"error": kind, "message": ..., "line": n}``.  The parent gives it a deadline
and reads the N-Quads back with Oxigraph's line parser, which does not nest.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from pathlib import Path
from typing import Any


def parse(source: Path, output: Path, fmt_name: str, graph: str, name: str) -> dict[str, Any]:
    """Parse ``source`` (called ``name``) as ``fmt_name`` into N-Quads at ``output``."""
    import pyoxigraph as ox

    from graph.errors import UnsafeInput
    from graph.io.nesting import check_nesting

    fmt = ox.RdfFormat.from_media_type(fmt_name) or ox.RdfFormat.from_extension(fmt_name)
    if fmt is None:
        return {"error": "format", "message": f"unknown format {fmt_name!r}"}
    data = source.read_bytes()
    try:
        check_nesting(name, data, fmt)
    except UnsafeInput as err:
        return {"error": "nesting", "message": str(err)}
    target = ox.NamedNode(graph)
    count = 0

    def quads() -> Any:
        nonlocal count
        for q in ox.parse(data, format=fmt, base_iri=graph):
            count += 1
            where = target if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name
            yield from statements_about_statements(q.subject, q.predicate, q.object, where)

    try:
        with output.open("wb") as out:
            ox.serialize(quads(), out, format=ox.RdfFormat.N_QUADS)
    except SyntaxError as err:
        message = str(err.msg) if err.msg is not None else str(err)
        return {"error": "syntax", "message": message, "line": err.lineno}
    except (ValueError, OSError) as err:
        return {"error": "syntax", "message": str(err)}
    return {"quads": count}


def statements_about_statements(subject: Any, predicate: Any, obj: Any, graph: Any) -> Any:
    """The quad, with an RDF 1.2 triple term object written as a statement node.

    ``:a :says <<( :b :c :d )>>`` becomes ``:a :says T`` where ``T`` (named
    :data:`graph.terms.STATEMENT_NODE` and a hash of the triple) is an ``rdf:Statement``
    with ``rdf:subject :b``, ``rdf:predicate :c`` and ``rdf:object :d`` (RDF 1.1
    reification: every tool reads it, and the explorer shows it as a node).
    A reifier (``<< :b :c :d >> :source :s``, read as ``_:r rdf:reifies
    <<( :b :c :d )>>``) becomes that statement node itself.  The same triple
    term always gets the same node.

    >>> import pyoxigraph as ox
    >>> e = "http://e/"
    >>> term = ox.Triple(ox.NamedNode(e + "b"), ox.NamedNode(e + "c"), ox.NamedNode(e + "d"))
    >>> out = list(statements_about_statements(ox.NamedNode(e + "a"), ox.NamedNode(e + "says"),
    ...                                        term, ox.DefaultGraph()))
    >>> [q.predicate.value.rsplit("#")[-1].rsplit("/")[-1] for q in out]
    ['says', 'type', 'subject', 'predicate', 'object']
    """
    import pyoxigraph as ox

    from graph.terms import statement_node

    if not isinstance(obj, ox.Triple):
        yield ox.Quad(subject, predicate, obj, graph)
        return
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    if predicate.value == rdf + "reifies":
        node = subject
    else:
        node = ox.NamedNode(statement_node(obj))
        yield ox.Quad(subject, predicate, node, graph)
    yield ox.Quad(node, ox.NamedNode(rdf + "type"), ox.NamedNode(rdf + "Statement"), graph)
    yield ox.Quad(node, ox.NamedNode(rdf + "subject"), obj.subject, graph)
    yield ox.Quad(node, ox.NamedNode(rdf + "predicate"), obj.predicate, graph)
    yield from statements_about_statements(node, ox.NamedNode(rdf + "object"), obj.object, graph)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m graph.io.parse_worker")
    parser.add_argument("--memory", type=int, default=0, help="address-space cap in bytes")
    parser.add_argument("--output-bytes", type=int, default=0, help="largest output file")
    parser.add_argument("--format", required=True, help="the media type of the document")
    parser.add_argument("--graph", required=True, help="the graph of the document's triples")
    parser.add_argument("--name", default="the document", help="the name in messages")
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    args = parser.parse_args(argv)
    root = str(Path(__file__).resolve().parents[2])  # run by path: the package sits above
    if root not in sys.path:
        sys.path.insert(0, root)
    from graph.backends.query_worker import enter_sandbox

    enter_sandbox(args.memory)
    if args.output_bytes > 0:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (args.output_bytes, args.output_bytes))
    sys.setrecursionlimit(10_000)
    try:
        report = parse(args.input, args.output, args.format, args.graph, args.name)
    except MemoryError:
        report = {"error": "memory", "message": "the document needs more memory than allowed"}
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
