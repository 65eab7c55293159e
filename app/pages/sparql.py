"""SPARQL: the gallery, an editor, results as a table or a graph, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import graph
from graph.io.selection import Selection
from graph.io.view import view_spec
from graph.io.words import counted
from graph.sparql import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, QueryResult, format_result, gallery
from graph.sparql import run_query as _run_query
from graph.terms import Lit
from graph.vocab.namespaces import PREFIXES, shorten

from ..components.data import current_graph, graph_token
from ..components.network import graph_view
from ..components.state import Param, publish, restore
from ..components.tables import tables
from ..components.ui import focus_clicked, md, shows_errors

__all__ = ["PARAMS", "render"]

PARAMS = (Param("sparql_text", "query", ""),)
#: (format, button, media type, file extension) for each query form.
DOWNLOADS = {
    "SELECT": (
        ("csv", "CSV", "text/csv", "csv"),
        ("json", "JSON", "application/sparql-results+json", "srj"),
    ),
    "ASK": (
        ("csv", "CSV", "text/csv", "csv"),
        ("json", "JSON", "application/sparql-results+json", "srj"),
    ),
    "CONSTRUCT": (
        ("turtle", "Turtle", "text/turtle", "ttl"),
        ("json", "JSON-LD", "application/ld+json", "jsonld"),
        ("csv", "CSV", "text/csv", "csv"),
    ),
}
DOWNLOADS["DESCRIBE"] = DOWNLOADS["CONSTRUCT"]


@st.cache_resource(show_spinner=False)
def _gallery() -> dict[str, graph.sparql.GalleryQuery]:
    return {q.name: q for q in gallery()}


def _load_example() -> None:
    chosen = _gallery().get(st.session_state.get("sparql_gallery") or "")
    if chosen:
        st.session_state["sparql_text"] = chosen.text.strip()


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, Lit):
        return term.value
    return shorten(str(term))


def _run(kg: graph.KnowledgeGraph, text: str) -> QueryResult:
    """Run once per (graph, text); reruns for other widgets reuse the result."""
    cache_key = (graph_token(), text)
    cached = st.session_state.get("sparql_result")
    if cached and cached[0] == cache_key:
        return cached[1]
    result = _run_query(kg, text, timeout=DEFAULT_TIMEOUT, max_rows=DEFAULT_MAX_ROWS)
    st.session_state["sparql_result"] = (cache_key, result)
    return result


def _editor() -> None:
    queries = _gallery()
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    c1.selectbox(
        "Gallery",
        list(queries),
        index=None,
        key="sparql_gallery",
        format_func=lambda n: queries[n].title,
        placeholder="Pick a ready query…",
    )
    c2.button("Load and run", key="sparql_load", on_click=_load_example)
    chosen = queries.get(st.session_state.get("sparql_gallery") or "")
    if chosen:
        st.caption(md(chosen.description))
    with st.expander("Prefixes already declared"):
        st.code("\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()), language=None)
    st.text_area(
        "Query",
        key="sparql_text",
        height=220,
        placeholder="SELECT ?role ?label WHERE { ?role a mlc:Role ; skos:prefLabel ?label }",
    )
    st.button("Run", key="sparql_run", type="primary")
    st.caption(
        f"Read-only. Queries stop after {DEFAULT_TIMEOUT:g} s; results are cut at "
        f"{DEFAULT_MAX_ROWS:,} rows. SERVICE, FROM and updates are refused."
    )


def _show(kg: graph.KnowledgeGraph, result: QueryResult) -> None:
    if result.form == "ASK":
        size = "one answer"
    elif result.form == "SELECT":
        size = counted(len(result.rows), "row")
    else:
        size = counted(len(result.triples), "statement")
    st.caption(md(f"{result.form}: {size} in {result.elapsed:.2f} s"))
    for note in result.notes:
        st.warning(md(note))
    if result.form == "ASK":
        st.metric("Answer", "yes" if result.boolean else "no")
    elif result.form == "SELECT":
        frame = pd.DataFrame(
            [{v: _cell(row.get(v)) for v in result.variables} for row in result.rows],
            columns=result.variables,
        )
        st.dataframe(frame, hide_index=True, key="sparql_table")
    else:
        selection = Selection.from_triples(kg, result.triples)
        st.session_state["view_query"] = selection
        graph_view(
            view_spec(selection, kg=kg),
            key="sparql_graph",
            on_action=lambda: focus_clicked("sparql_graph"),
        )
        tables(selection, "sparql_triples")
    cols = st.columns(len(DOWNLOADS[result.form]) + 2)
    for col, (fmt, label, mime, extension) in zip(cols, DOWNLOADS[result.form], strict=False):
        col.download_button(
            f"Download {label}",
            format_result(result, fmt),
            file_name=f"query-result.{extension}",
            mime=mime,
            key=f"sparql_download_{fmt}",
            on_click="ignore",
        )


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    st.header("SPARQL", anchor=False)
    _editor()
    publish(PARAMS)
    text = st.session_state["sparql_text"].strip()
    if not text:
        return
    with shows_errors():
        _show(kg, _run(kg, text))
