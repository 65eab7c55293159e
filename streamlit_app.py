"""The ML-career knowledge graph explorer.

Run with ``streamlit run streamlit_app.py`` (it listens on 127.0.0.1:8501; see
``.streamlit/config.toml`` to bind another address). Every page is a short
module of :mod:`app`; everything about the graph itself is in :mod:`graph`.
"""

from __future__ import annotations

import importlib

import streamlit as st

from app.components.choice import graph_settings, settings_caption
from app.components.data import base_description, current_graph
from app.components.housekeeping import keep_memory_trimmed, prepare_pages
from app.components.network import load_code
from app.components.state import PAGE_PARAMS, begin, restore
from app.components.ui import md, shows_errors

#: Each page's module, imported when it is first shown: the first page waits for its own only.
PAGES = {
    "Explore": "app.pages.explore",
    "Paths": "app.pages.paths",
    "SPARQL": "app.pages.sparql",
    "Compare": "app.pages.compare",
    "Plan": "app.pages.plan",
    "Analyse": "app.pages.analyse",
    "Overview": "app.pages.overview",
    "Export": "app.pages.export",
    "Your data": "app.pages.upload",
}

st.set_page_config(
    page_title="ML career graph",
    page_icon="🕸️",
    layout="wide",
    initial_sidebar_state="collapsed",
)
load_code()  # the graph's script, first: the browser reads it while the rest comes
begin()
restore(PAGE_PARAMS)
if st.session_state["page"] not in PAGES:
    st.session_state["page"] = PAGE_PARAMS[0].default
graph_settings()  # the sidebar: view, label language, named graphs
with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
    st.markdown("**ML career graph**", width="content")
    st.radio("Page", list(PAGES), key="page", horizontal=True, label_visibility="collapsed")
    if st.session_state.get("user_graph") is not None:
        st.caption("Exploring your uploaded data (see *Your data*).", width="content")
    else:
        st.caption(md(base_description()), width="content")
    if settings_caption():
        st.caption(md("Shown: " + settings_caption() + " (see the sidebar)."), width="content")
current_graph()  # loaded once per process, before any page needs it
keep_memory_trimmed()
with shows_errors():  # a page's own messages come first; this catches what they leave
    importlib.import_module(PAGES[st.session_state["page"]]).render()
prepare_pages(tuple(PAGES.values()))  # the other pages' imports, once, after this one
