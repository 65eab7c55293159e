"""The sidebar's *What is shown*: the command line's ``--view``, ``--lang`` and ``--graph``.

The values live in the address (``show=``, ``lang=``, ``graph=``; see
:data:`app.components.state.PAGE_PARAMS`), are checked there, and reach the
graph through :func:`app.components.data.current_graph`. Nothing read from the
address is shown as markup: graph names are options of a box, messages go
through :func:`app.components.ui.md`.
"""

from __future__ import annotations

import streamlit as st

from graph.core.choice import LANG_TAG, VIEWS
from graph.io.words import counted

from .data import as_loaded, chosen_graphs, explored_graph
from .ui import md

__all__ = ["VIEW_NAMES", "graph_settings", "settings_caption"]

#: How each view is offered.
VIEW_NAMES = {
    "auto": "As the data suggests",
    "instances": "Instances",
    "schema": "Schema: classes and properties",
    "both": "Both",
}
#: What a page drew for the previous graph (its selections), forgotten when the graph changes.
_VIEWS = ("view_explore", "view_paths", "view_query", "sparql_result")


def _forget_views() -> None:
    st.session_state.pop("graph_choice_error", None)
    for key in _VIEWS:
        st.session_state.pop(key, None)


def _check_lang() -> None:
    """Keep a typed language only if it is a language tag; else the previous one, and say so."""
    _forget_views()
    typed = (st.session_state.get("graph_lang") or "").strip()
    if LANG_TAG.fullmatch(typed):
        st.session_state["graph_lang"] = typed.lower()
        st.session_state.pop("graph_lang_error", None)
        return
    st.session_state["graph_lang_error"] = (
        f"{typed!r} is not a language tag; give one such as en, de or pt-BR."
    )
    st.session_state["graph_lang"] = st.session_state.get("_graph_lang_kept", "en")


def graph_settings() -> None:
    """Draw the sidebar's choices of view, label language and named graphs."""
    kg = explored_graph()
    if not LANG_TAG.fullmatch(st.session_state.get("graph_lang") or ""):
        st.session_state["graph_lang"] = as_loaded(kg)[1]
    st.session_state["_graph_lang_kept"] = st.session_state["graph_lang"]
    wanted = st.session_state.get("graph_graphs") or []
    kept = chosen_graphs(kg)
    st.session_state["graph_graphs"] = kept
    with st.sidebar:
        st.markdown("**What is shown**")
        st.radio(
            "View",
            VIEWS,
            format_func=VIEW_NAMES.get,
            key="graph_view",
            on_change=_forget_views,
            help="Instances: the things the data describes. Schema: its classes and properties"
            " as nodes (super- and subclasses, domains, ranges, restrictions). As the data"
            " suggests: the schema of data that is mostly schema.",
        )
        st.text_input(
            "Label language",
            key="graph_lang",
            on_change=_check_lang,
            max_chars=35,
            help="Labels in this language are preferred, then labels without a language,"
            " then any (a language tag: en, de, fr, pt-BR).",
        )
        if st.session_state.get("graph_lang_error"):
            st.error(md(st.session_state.pop("graph_lang_error")))
        if kg.backend.kind == "store":
            st.caption(
                "Named graphs: a persistent store is explored whole. To explore some of its"
                " graphs, load the files without --store, or serve them from an endpoint."
            )
        else:
            names = kg.graph_names()
            if names:
                st.multiselect(
                    "Named graphs",
                    names,
                    key="graph_graphs",
                    on_change=_forget_views,
                    placeholder="Every graph",
                    help="Explore only the statements of these graphs; none chosen: every graph.",
                )
            else:
                st.caption("Named graphs: this data has none.")
        if len(wanted) > len(kept):
            st.warning(
                md(
                    counted(len(wanted) - len(kept), "graph")
                    + " named in the address "
                    + ("is" if len(wanted) - len(kept) == 1 else "are")
                    + " not in this data and left out."
                )
            )
        if st.session_state.get("graph_choice_error"):
            st.error(md(st.session_state["graph_choice_error"]))


def settings_caption() -> str:
    """The chosen view, language and graphs in words, when they are not as loaded; else ''."""
    kg = explored_graph()
    view, lang = as_loaded(kg)
    parts = []
    if st.session_state.get("graph_view", view) != view:
        parts.append(VIEW_NAMES[st.session_state["graph_view"]].split(":")[0].lower() + " view")
    if st.session_state.get("graph_lang", lang) != lang:
        parts.append("labels in " + st.session_state["graph_lang"])
    graphs = chosen_graphs(kg)
    if graphs:
        parts.append(counted(len(graphs), "named graph") + " chosen")
    return "; ".join(parts)
