"""Explore: search a concept, see its neighbourhood, click through it, read its panel."""

from __future__ import annotations

import streamlit as st

import graph
from graph.io.selection import Selection
from graph.io.view import view_spec
from graph.query.neighbors import Neighbourhood, neighbors
from graph.query.search import search
from graph.vocab.namespaces import local_name

from ..components import panel
from ..components.data import class_choices, current_graph, node_options
from ..components.network import graph_view
from ..components.state import Param, publish, restore
from ..components.tables import tables
from ..components.ui import md, set_focus, shows_errors

__all__ = ["PARAMS", "render"]

PARAMS = (
    Param("focus", "focus", ""),
    Param("explore_hops", "hops", 1, int),
    Param("explore_classes", "classes", [], list),
    Param("explore_relations", "relations", [], list),
    Param("explore_sources", "sources", [], list),
    Param("explore_inferred", "inferred", True, bool),
    Param("explore_cap", "cap", 40, int),
)
DEFAULT_FOCUS = "machine learning engineer"


def _on_search() -> None:
    """Focus what was picked; a typed text goes through fuzzy search first."""
    picked = st.session_state.get("explore_search")
    st.session_state.pop("explore_suggestions", None)
    if not picked:
        return
    options = node_options()
    if picked in options:
        set_focus(options[picked].id)
    else:
        hits = search(current_graph(), picked, limit=6)
        if hits and hits[0].exact:
            set_focus(hits[0].id)
        else:
            st.session_state["explore_suggestions"] = (picked, [(h.id, h.label) for h in hits])
    st.session_state["explore_search"] = None


def _on_click() -> None:
    clicked = (st.session_state.get("explore_graph") or {}).get("clicked")
    if clicked:
        set_focus(clicked)


def _search_box() -> None:
    _on_search()  # what was picked or typed in the last run, before the box is drawn again
    st.selectbox(
        "Search a concept",
        list(node_options()),
        index=None,
        key="explore_search",
        placeholder="Type a role, skill, tool… (typos are fine)",
        accept_new_options=True,
    )
    pending = st.session_state.get("explore_suggestions")
    if pending:
        text, hits = pending
        if not hits:
            st.warning(f"Nothing matches {md(text)}.")
        else:
            st.info(f"No exact match for {md(text)}; did you mean:")
            cols = st.columns(len(hits))
            for i, (node, label) in enumerate(hits):
                cols[i].button(
                    md(label), key=f"explore_suggest_{i}", on_click=set_focus, args=(node,)
                )


def _filters(kg: graph.KnowledgeGraph) -> None:
    with st.expander("Filters and limits", expanded=False):
        c1, c2 = st.columns(2)
        c1.slider("Hops", 1, 3, key="explore_hops")
        c2.slider("Nodes drawn at most", 5, 200, step=5, key="explore_cap")
        classes = class_choices(kg)
        st.multiselect(
            "Classes",
            classes,
            key="explore_classes",
            format_func=lambda c: kg.schema.class_label(kg.schema.class_iri(c) or c),
        )
        relations = sorted({kg.schema.property_label(p) for p in kg.schema.property_labels})
        st.multiselect("Relations", relations, key="explore_relations")
        sources = {local_name(a): kg.schema.article_label(a) for a in sorted(kg.schema.articles)}
        st.multiselect(
            "Source articles",
            list(sources),
            key="explore_sources",
            format_func=lambda s: f"{s}: {sources.get(s, s)}",
        )
        st.toggle("Include inferred statements", key="explore_inferred")


def _clean_lists(kg: graph.KnowledgeGraph) -> None:
    """Drop filter values from the address that this graph does not know."""
    known = {
        "explore_classes": set(class_choices(kg)),
        "explore_relations": {kg.schema.property_label(p) for p in kg.schema.property_labels},
        "explore_sources": {local_name(a) for a in kg.schema.articles},
    }
    for key, allowed in known.items():
        values = st.session_state.get(key) or []
        st.session_state[key] = [v for v in values if v in allowed]
    st.session_state["explore_hops"] = min(max(int(st.session_state["explore_hops"]), 1), 3)
    st.session_state["explore_cap"] = min(max(int(st.session_state["explore_cap"]), 5), 200)


def _default_focus(kg: graph.KnowledgeGraph) -> str:
    hits = search(kg, DEFAULT_FOCUS, limit=1)
    if hits:
        return hits[0].id
    options = node_options()
    return next(iter(options.values())).id if options else ""


def _neighbourhood(kg: graph.KnowledgeGraph, focus: str) -> Neighbourhood:
    state = st.session_state
    return neighbors(
        kg,
        focus,
        hops=state["explore_hops"],
        types=state["explore_classes"] or None,
        predicates=state["explore_relations"] or None,
        sources=state["explore_sources"] or None,
        inferred=state["explore_inferred"],
        limit=state["explore_cap"],
    )


def _caption(nb: Neighbourhood) -> None:
    text = f"{len(nb.nodes) + 1} nodes, {len(nb.edges)} relations drawn."
    if nb.omitted:
        parts = ", ".join(f"{n} {t}" for t, n in sorted(nb.omitted_by_type.items()))
        text += f" {nb.omitted} more left out by the node cap ({parts}): raise it under Filters."
    st.caption(md(text))


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    _clean_lists(kg)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        _search_box()
        _filters(kg)
        focus = st.session_state.get("focus") or _default_focus(kg)
        if not focus:
            st.info("This graph has no nodes to explore.")
            return
        with shows_errors():
            nb = _neighbourhood(kg, focus)
            st.session_state["focus"] = focus = nb.center.id
            selection = Selection.from_neighbourhood(nb)
            st.session_state["view_explore"] = selection
            spec = view_spec(selection, kg=kg, focus=focus)
            graph_view(spec, key="explore_graph", focus=focus, on_click=_on_click)
            _caption(nb)
            if st.toggle("Show as tables", key="explore_tables"):
                tables(selection, "explore_table")
    with right, shows_errors():
        panel.render(kg, st.session_state["focus"], inferred=st.session_state["explore_inferred"])
    publish(PARAMS)
