"""The same statements seen another way: another view, label language or choice of graphs.

The command line chooses these when it loads a graph (``--view``, ``--lang``,
``--graph``, through :meth:`KnowledgeGraph.load`); a long-running program such
as the app changes them on a graph it already holds with :func:`seen_as`, which
goes through the same constructors, so both answer alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..backends.endpoint import EndpointBackend
from ..backends.local import LocalBackend
from ..errors import BadInput
from ..vocab.labels import LANG_TAG, check_lang
from .kg import KnowledgeGraph
from .scope import keep_graphs

__all__ = ["LANG_TAG", "VIEWS", "check_lang", "check_view", "seen_as"]

#: The views a graph can be explored in (``auto``: the schema when the data is mostly schema).
VIEWS = ("auto", "instances", "schema", "both")


def check_view(view: str) -> str:
    """``view`` if it names a view, else :class:`BadInput` listing the views.

    >>> check_view("schema")
    'schema'
    >>> check_view("<b>")
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: unknown view '<b>'; choose auto, instances, schema or both
    """
    if view not in VIEWS:
        raise BadInput(f"unknown view {view!r}; choose {', '.join(VIEWS[:-1])} or {VIEWS[-1]}")
    return view


def seen_as(
    kg: KnowledgeGraph,
    *,
    view: str | None = None,
    lang: str | None = None,
    graphs: Sequence[str] | None = None,
) -> KnowledgeGraph:
    """``kg``'s statements with another ``view``, label ``lang`` or choice of named ``graphs``.

    ``None`` keeps what ``kg`` has; an empty or missing ``graphs`` keeps every
    graph of ``kg``. ``kg`` itself is left as it was (and returned when nothing
    is asked for). Graphs are chosen among those ``kg`` holds: in memory
    by a copy holding only them, on an endpoint by asking the server for them
    alone; a persistent store keeps all its graphs (as with ``--store`` on the
    command line, choose graphs in memory or on an endpoint).

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> seen_as(kg, view="schema").schema.view
    'schema'
    >>> seen_as(kg) is kg
    True
    >>> seen_as(kg, graphs=["http://e/none"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: no graph named 'http://e/none' in the data; its graphs: urn:...
    """
    if view is None and lang is None and not graphs:
        return kg
    view = check_view(view) if view is not None else kg.schema.view
    lang = check_lang(lang) if lang is not None else kg.schema.lang
    if not graphs:
        return KnowledgeGraph(kg.backend, data_sources=kg.data_sources, view=view, lang=lang)
    graphs = list(dict.fromkeys(graphs))
    if isinstance(kg.backend, EndpointBackend):
        return KnowledgeGraph.from_endpoint(
            kg.backend.url, timeout=kg.backend.timeout, graphs=graphs, view=view, lang=lang
        )
    if kg.store is None or kg.backend.kind == "store":
        raise BadInput("--graph chooses graphs in memory or on an endpoint, not in --store")
    store = ox.Store()
    store.bulk_load(input=kg.store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    keep_graphs(store, graphs)
    return KnowledgeGraph(LocalBackend(store), data_sources=kg.data_sources, view=view, lang=lang)
