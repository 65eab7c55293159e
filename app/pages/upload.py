"""Your data: upload RDF files, check them against the shapes, explore them."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

import graph
from graph.core.kg import ENDPOINT_TIMEOUT
from graph.io.loading import RDF_SUFFIXES, RdfSource, detect_format
from graph.io.words import counted
from graph.validate import validate

from ..components.data import allowed_endpoints, base_graph, current_graph
from ..components.state import Param, publish
from ..components.ui import md, shows_errors

__all__ = ["PARAMS", "render"]

PARAMS: tuple[Param, ...] = ()  # this page keeps nothing in the address

MAX_MB = 25
SUFFIXES = sorted(suffix.lstrip(".") for suffix in RDF_SUFFIXES)
MODES = {"replace": "Instead of the knowledge base", "add": "Together with the knowledge base"}
_VIEWS = ("view_explore", "view_paths", "view_query", "sparql_result", "focus", "upload_report")


def _forget_views() -> None:
    for key in _VIEWS:
        st.session_state.pop(key, None)


def _parse_files() -> tuple[graph.KnowledgeGraph, str, list[str]] | None:
    """The chosen files as a graph (with the base when adding), or ``None`` with the error kept.

    A failure also clears what an earlier upload or check showed.
    """
    files = st.session_state.get("upload_files") or []
    st.session_state.pop("upload_report", None)
    if not files:
        st.session_state["upload_error"] = "Choose one or more RDF files first."
        return None
    sources = []
    digest = hashlib.sha256(st.session_state["upload_mode"].encode())
    for f in files:
        data = f.getvalue()
        digest.update(f.name.encode() + data)
        sources.append(RdfSource(f.name, data, detect_format(f.name, data)))
    try:
        if st.session_state["upload_mode"] == "add":
            kg = base_graph().with_sources(sources, max_bytes=MAX_MB * 1024**2)
        else:
            kg = graph.KnowledgeGraph.from_sources(sources, max_bytes=MAX_MB * 1024**2)
    except graph.GraphError as err:
        st.session_state["upload_error"] = str(err)
        return None
    st.session_state.pop("upload_error", None)
    return kg, digest.hexdigest()[:16], [f.name for f in files]


def _load() -> None:
    parsed = _parse_files()
    if parsed is not None:
        _use(*parsed)


def _connect() -> None:
    url = (st.session_state.get("upload_endpoint") or "").strip()
    if not url:
        st.session_state["upload_error"] = "Give the address of a SPARQL endpoint first."
        return
    try:
        graph.check_endpoint_allowed(url, allowed_endpoints())
        kg = graph.KnowledgeGraph.from_endpoint(url, timeout=ENDPOINT_TIMEOUT)
    except graph.GraphError as err:
        st.session_state["upload_error"] = str(err)
        return
    _use(kg, "endpoint:" + hashlib.sha256(url.encode()).hexdigest()[:16], [url])


def _use(kg: graph.KnowledgeGraph, token: str, names: list[str]) -> None:
    """Explore ``kg`` from now on in this session; views of the previous graph are dropped."""
    _forget_views()
    st.session_state.pop("upload_error", None)
    st.session_state["user_graph"] = kg
    st.session_state["user_graph_token"] = token
    st.session_state["user_graph_files"] = names


def _reset() -> None:
    _forget_views()
    for key in ("user_graph", "user_graph_token", "user_graph_files", "upload_error"):
        st.session_state.pop(key, None)


def _validate() -> None:
    """Check the chosen files (loaded or not); with none chosen, the graph explored."""
    if st.session_state.get("upload_files"):
        parsed = _parse_files()
        if parsed is None:
            return
        kg, names = parsed[0], ", ".join(parsed[2])
        what = f"Your files ({names})" + (
            " with the knowledge base" if st.session_state["upload_mode"] == "add" else ""
        )
    else:
        kg = current_graph()
        files = st.session_state.get("user_graph_files")
        what = f"Your data ({', '.join(files)})" if files else "The embedded knowledge base"
    try:
        st.session_state["upload_report"] = (what, validate(kg))
    except graph.GraphError as err:
        st.session_state["upload_error"] = str(err)


def _report() -> None:
    saved = st.session_state.get("upload_report")
    if not saved:
        return
    what, report = saved
    counts = ", ".join(counted(n, s.lower()) for s, n in report.counts.items())
    if report.conforms:
        st.success(md(f"{what}: conforms to the shapes ({counts})."))
    else:
        st.error(md(f"{what}: does not conform to the shapes ({counts})."))
    if report.results:
        st.dataframe(pd.DataFrame(report.results), hide_index=True, key="upload_results")


def render() -> None:
    publish(PARAMS)
    st.header("Your data", anchor=False)
    files = st.session_state.get("user_graph_files")
    if files:
        st.info(md("Exploring your data: " + ", ".join(files)))
        st.button("Back to the embedded knowledge base", key="upload_reset", on_click=_reset)
    else:
        st.caption("Exploring the embedded knowledge base.")
    st.file_uploader(
        f"RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML; up to {MAX_MB} MB)",
        type=SUFFIXES,
        accept_multiple_files=True,
        key="upload_files",
    )
    st.radio("Explore them", list(MODES), format_func=MODES.get, key="upload_mode", horizontal=True)
    c1, c2 = st.columns([1, 4])
    c1.button("Load", key="upload_load", type="primary", on_click=_load)
    c2.button("Check against the shapes", key="upload_validate", on_click=_validate)
    with st.expander("Or explore a remote SPARQL endpoint"):
        st.text_input(
            "Endpoint address", key="upload_endpoint", placeholder="http://localhost:7878/query"
        )
        allowed = allowed_endpoints()
        st.caption(
            f"Only this address is contacted; each request stops after "
            f"{ENDPOINT_TIMEOUT:g} s. Nothing is downloaded whole."
            + (
                ""
                if "*" in allowed
                else " Endpoints allowed here: " + md(", ".join(allowed))
                if allowed
                else " This app is served to others and lets visitors name no endpoint "
                "(its operator allows some with --allow-endpoint)."
            )
        )
        st.button("Connect", key="upload_connect", on_click=_connect)
    if st.session_state.get("upload_error"):
        st.error(md(st.session_state["upload_error"]))
    with shows_errors():
        _report()
