"""The graph the pages work on: the embedded knowledge base, loaded once per process.

An uploaded graph lives in the user's session (``st.session_state["user_graph"]``)
and replaces or extends the embedded one until it is dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

import graph
from graph.io.selection import Selection
from graph.model import Node
from graph.query.stats import GraphStats, graph_stats
from graph.vocab.labels import DEFAULT_LANG
from graph.vocab.namespaces import local_name

from .launch import launch_options

__all__ = [
    "allowed_endpoints",
    "as_loaded",
    "base_description",
    "base_graph",
    "chosen_graphs",
    "class_choices",
    "current_graph",
    "explored_graph",
    "graph_choice",
    "graph_stats_cached",
    "graph_token",
    "is_large",
    "is_remote",
    "node_options",
    "relation_choices",
]


#: Above this many statements the type-ahead boxes list no nodes: the search finds them.
LISTED_NODES_MAX_TRIPLES = 200_000


#: Addresses on which the app is reached from this machine only.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_endpoints() -> list[str]:
    """The endpoints a visitor may name in *Your data*.

    Those given with ``-- --allow-endpoint URL`` (``*``: any); without any,
    every endpoint while the app listens on this machine only, and none once it
    is served to others, whose visitors could otherwise make the server fetch
    the addresses they choose.

    >>> launch_options(["--allow-endpoint", "http://127.0.0.1:7878/"]).allow_endpoints
    ['http://127.0.0.1:7878/']
    """
    given = launch_options(sys.argv[1:]).allow_endpoints
    if given:
        return list(given)
    address = str(st.get_option("server.address") or "")
    return ["*"] if address in LOOPBACK else []


@st.cache_resource(show_spinner="Loading the knowledge base…")
def base_graph() -> graph.KnowledgeGraph:
    """The graph the app was started on (by default the embedded knowledge base), loaded once.

    The person starting the app chooses it (``-- --data esco.nq --store DIR``,
    or ``-- --endpoint URL``, with ``--graph IRI``, ``--view`` and ``--lang`` as on
    the command line); nothing typed into the page reads a file.
    """
    options = launch_options(sys.argv[1:])
    return graph.load(
        options.data,
        default=not options.no_default,
        store=options.store,
        endpoint=options.endpoint,
        graphs=options.graphs,
        view=options.view,
        lang=options.lang,
    )


def base_description() -> str:
    """What the app was started on, in words, for the line under the page names."""
    options = launch_options(sys.argv[1:])
    if options.endpoint:
        return "The SPARQL endpoint " + options.endpoint
    names = [Path(d).name for d in options.data]
    if not names:
        return "The embedded knowledge base, from four articles."
    kb = "" if options.no_default else "the embedded knowledge base and "
    return f"Exploring {kb}{', '.join(names)}."


def explored_graph() -> graph.KnowledgeGraph:
    """The data the user explores, as loaded: their upload if they made one, else the base."""
    user = st.session_state.get("user_graph")
    return user if user is not None else base_graph()


def chosen_graphs(kg: graph.KnowledgeGraph) -> list[str]:
    """The named graphs the session chose (``graph=`` in the address, the sidebar's box)
    that ``kg`` holds; none chosen means every graph. A persistent store keeps all its graphs.
    """
    chosen = st.session_state.get("graph_graphs") or []
    if not chosen or kg.backend.kind == "store":
        return []
    names = set(kg.graph_names())
    return [g for g in chosen if g in names]


def as_loaded(kg: graph.KnowledgeGraph) -> tuple[str, str]:
    """The view and label language ``kg`` was loaded with: the launch options' for the
    base graph, the defaults for an upload."""
    if kg is st.session_state.get("user_graph"):
        return "auto", DEFAULT_LANG
    options = launch_options(sys.argv[1:])
    return options.view, options.lang.lower()


def graph_choice() -> tuple[str, str, tuple[str, ...]] | None:
    """The view, label language and named graphs chosen in this session, or ``None``
    when the graph is explored as it was loaded."""
    kg = explored_graph()
    view, lang = as_loaded(kg)
    view = st.session_state.get("graph_view") or view
    lang = st.session_state.get("graph_lang") or lang
    graphs = tuple(chosen_graphs(kg))
    if (view, lang) == as_loaded(kg) and not graphs:
        return None
    return view, lang, graphs


@st.cache_resource(max_entries=6, show_spinner="Reading the graph as chosen…")
def _seen(
    _kg: graph.KnowledgeGraph, token: str, view: str, lang: str, graphs: tuple[str, ...]
) -> graph.KnowledgeGraph:
    return graph.seen_as(_kg, view=view, lang=lang, graphs=list(graphs) or None)


def current_graph() -> graph.KnowledgeGraph:
    """The graph the user explores: their upload if they made one, else the base graph,
    in the view, label language and named graphs chosen (:func:`graph.seen_as`, the
    command line's ``--view``, ``--lang`` and ``--graph``)."""
    kg = explored_graph()
    choice = graph_choice()
    if choice is None:
        return kg
    try:
        return _seen(kg, st.session_state.get("user_graph_token", "base"), *choice)
    except graph.GraphError as err:
        st.session_state["graph_choice_error"] = str(err)
        return kg


def graph_token() -> str:
    """A name for the current graph, so per-graph caches do not mix graphs."""
    token = st.session_state.get("user_graph_token", "base")
    choice = graph_choice()
    if choice is None:
        return token
    view, lang, graphs = choice
    return "|".join((token, view, lang, *graphs))


@st.cache_resource(max_entries=8, show_spinner=False)
def _options(_kg: graph.KnowledgeGraph, token: str) -> dict[str, Node]:
    nodes = sorted(Selection.everything(_kg).nodes, key=lambda n: (n.label.lower(), n.type))
    out: dict[str, Node] = {}
    for node in nodes:
        name = f"{node.label} · {node.type_label or node.type}"
        if name in out:
            name = f"{name} · {node.id}"
        out[name] = node
    return out


def is_remote(kg: graph.KnowledgeGraph) -> bool:
    """Whether ``kg`` lives behind an endpoint (nothing should read it whole)."""
    return kg.remote


@st.cache_resource(max_entries=8, show_spinner=False)
def _stats(_kg: graph.KnowledgeGraph, token: str) -> GraphStats:
    return graph_stats(_kg)


def graph_stats_cached(kg: graph.KnowledgeGraph) -> GraphStats:
    """The graph's counts, computed once per graph."""
    return _stats(kg, graph_token())


def is_large(kg: graph.KnowledgeGraph) -> bool:
    """Whether reading ``kg`` whole would slow a page down (an endpoint, or a large store)."""
    return is_remote(kg) or kg.triple_count() > LISTED_NODES_MAX_TRIPLES


def class_choices(kg: graph.KnowledgeGraph) -> list[str]:
    """Main classes to filter by: those present, or on a large graph those the schema names.

    On a large graph nothing is counted: the first page must not read the whole store.
    """
    if is_large(kg):
        return sorted({local_name(iri) for iri in kg.schema.class_labels})
    return list(graph_stats_cached(kg).classes)


@st.cache_resource(max_entries=8, show_spinner=False)
def _relations(_kg: graph.KnowledgeGraph, token: str) -> list[str]:
    literal = {
        row["p"]
        for row in _kg.backend.select(
            "SELECT DISTINCT ?p WHERE { VALUES ?t { owl:DatatypeProperty owl:AnnotationProperty }"
            " ?p a ?t }"
        )
    }
    return sorted(
        {
            _kg.schema.property_label(p)
            for p in _kg.schema.property_labels
            if p not in literal and _kg.schema.is_edge_predicate(p)
        }
    )


def relation_choices(kg: graph.KnowledgeGraph) -> list[str]:
    """Names of the relations between resources (not labels, amounts or other literals)."""
    return _relations(kg, graph_token())


def node_options() -> dict[str, Node]:
    """``"label · class"`` -> node, for every node of the current graph, for type-ahead boxes.

    Empty for a remote endpoint or a large graph: there the box relies on typed
    text and the search.
    """
    kg = current_graph()
    if is_large(kg):
        return {}
    return _options(kg, graph_token())
