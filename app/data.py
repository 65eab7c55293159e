"""The graph the pages work on: the embedded knowledge base, loaded once per process.

An uploaded graph lives in the user's session (``st.session_state["user_graph"]``)
and replaces or extends the embedded one until it is dropped.
"""

from __future__ import annotations

import streamlit as st

import graph
from graph.model import Node
from graph.selection import Selection

__all__ = ["base_graph", "current_graph", "graph_token", "is_remote", "node_options"]


@st.cache_resource(show_spinner="Loading the knowledge base…")
def base_graph() -> graph.KnowledgeGraph:
    """The embedded knowledge base, parsed once and shared by every session."""
    return graph.load()


def current_graph() -> graph.KnowledgeGraph:
    """The graph the user explores: their upload if they made one, else the embedded base."""
    user = st.session_state.get("user_graph")
    return user if user is not None else base_graph()


def graph_token() -> str:
    """A name for the current graph, so per-graph caches do not mix graphs."""
    return st.session_state.get("user_graph_token", "base")


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
    return kg.store is None


def node_options() -> dict[str, Node]:
    """``"label · class"`` -> node, for every node of the current graph, for type-ahead boxes.

    Empty for a remote endpoint: there the box relies on typed text and the search.
    """
    kg = current_graph()
    return {} if is_remote(kg) else _options(kg, graph_token())
