"""Export: what the user is looking at, in every format the package writes."""

from __future__ import annotations

import re

import streamlit as st

from graph.io.export import FORMATS, ExportFormat, export, file_name, media_type
from graph.io.selection import Selection
from graph.io.words import counted

from ..components.data import current_graph
from ..components.state import Param, publish
from ..components.ui import md, shows_errors

__all__ = ["PARAMS", "render"]

PARAMS: tuple[Param, ...] = ()  # this page keeps nothing in the address

VIEWS = {
    "view_explore": "The Explore view",
    "view_paths": "The paths found",
    "view_query": "The last CONSTRUCT or DESCRIBE result",
    "everything": "The whole graph",
}


def _stem(selection: Selection | None) -> str:
    title = selection.title if selection is not None else "graph"
    return re.sub(r"[^a-z0-9]+", "-", (title or "graph").lower()).strip("-")[:60] or "graph"


def render() -> None:
    publish(PARAMS)
    kg = current_graph()
    st.header("Export", anchor=False)
    available = [k for k in VIEWS if k == "everything" or st.session_state.get(k) is not None]
    if st.session_state.get("export_what") not in available:
        st.session_state["export_what"] = available[0]
    st.radio("What to export", available, format_func=VIEWS.get, key="export_what")
    what = st.session_state["export_what"]
    selection = None if what == "everything" else st.session_state[what]
    if selection is not None:
        st.caption(
            md(
                f"{selection.title}: {counted(len(selection.nodes), 'node')}, "
                f"{counted(len(selection.edges), 'relation')}"
            )
        )
    st.selectbox(
        "Format",
        list(ExportFormat),
        key="export_format",
        format_func=lambda f: f"{FORMATS[f].title} (.{FORMATS[f].extension})",
    )
    fmt = st.session_state["export_format"]
    with shows_errors():
        data = export(kg, selection, fmt, title=selection.title if selection else None)
        st.download_button(
            f"Download {FORMATS[fmt].title}",
            data,
            file_name=file_name(fmt, _stem(selection)),
            mime=media_type(fmt),
            key="export_download",
            type="primary",
            on_click="ignore",
        )
        st.caption(f"{len(data):,} bytes")
