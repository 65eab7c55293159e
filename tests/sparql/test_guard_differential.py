"""The guard against the engine, on queries built to make them read a text differently.

Each query opens a context (a comment, a string, an IRI, an escape), hides a
``SERVICE`` call to a loopback listener behind it, and closes the context in
another way.  Whatever the guard accepts is then run by Oxigraph in this
process (which has a network): the listener must never be called.
"""

from __future__ import annotations

import contextlib
import itertools

import pyoxigraph as ox
import pytest

from graph.errors import GraphError
from graph.sparql.guard import check_query, normalize_query

pytestmark = pytest.mark.slow  # a few seconds: hundreds of queries through both parsers

OPENS = [
    "# c",
    '?s ?p "a',
    "?s ?p 'a",
    '?s ?p """a',
    "?s ?p '''a",
    "?s ?p <http://e/a",
    '?s ?p "a\\u0022',
    "?s ?p 'a\\u0027",
    "# \\u000a",
    '?s ?p "a\\\\',
    '?s ?p "a\\"',
    "# x\\",
    "FILTER(?s < ?p) #",
    "?s ?p <http://e/a#",
]
CLOSES = ["\n", "\r", "\r\n", "\u2028", "\x85", '"', "'", '"""', ">", "\\u000a", "\\u0022", '" .']
TAILS = ["", ' # "', " # '''", ' . ?s ?p "b"', '\n# " \n']


def test_no_query_the_guard_accepts_reaches_a_server(loopback_listener):
    service = f"SERVICE <http://127.0.0.1:{loopback_listener.port}/x> {{ ?s ?p ?o }}"
    store = ox.Store()
    accepted = 0
    for opening, closing, tail in itertools.product(OPENS, CLOSES, TAILS):
        for layout in (
            f"{opening}{closing} {service}{tail}",
            f"{opening} {service} {closing}{tail}",
        ):
            query = "SELECT * WHERE { " + layout + "\n}"
            try:
                check_query(query)
            except GraphError:
                continue
            accepted += 1
            with contextlib.suppress(SyntaxError, OSError, RuntimeError, ValueError):
                list(store.query(normalize_query(query)))
    assert accepted > 100  # the cases exercise the engine, not only the guard's refusals
    assert loopback_listener.connections == []
