"""SPARQL: the gallery, an editor, results as a table or a graph, downloads."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

import graph
from graph.errors import QuerySyntaxError
from graph.io.selection import Selection
from graph.io.view import view_spec
from graph.io.words import counted
from graph.sparql import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, QueryResult, format_result, gallery
from graph.sparql import run_query as _run_query
from graph.terms import Lit
from graph.vocab.namespaces import PREFIXES, shorten

from ..components.charts import ranked_bars
from ..components.data import current_graph, graph_token
from ..components.editor import sparql_editor
from ..components.network import drawable, graph_view
from ..components.state import Param, publish, restore
from ..components.tables import tables
from ..components.ui import focus_clicked, md, session_id, shows_errors, waiting_note

__all__ = ["PARAMS", "render"]

PARAMS = (Param("sparql_text", "query", ""), Param("sparql_view", "view", ""))
VIEWS = {"table": "Table", "chart": "Bar chart", "graph": "Graph"}
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


def _explore_link(term: object) -> str | None:
    """A link that opens the resource in Explore (IRIs only; literals stay text)."""
    if isinstance(term, str) and term.startswith(("http://", "https://", "urn:")):
        # The fragment carries the short name the table shows; the app ignores it.
        return "./?focus=" + quote(term, safe="") + "#" + quote(shorten(term), safe=":")
    return None


def _number(term: object) -> float | None:
    if isinstance(term, Lit):
        try:
            return float(term.value)
        except ValueError:
            return None
    return None


def _run(kg: graph.KnowledgeGraph, text: str) -> QueryResult:
    """Run once per (graph, text); reruns for other widgets reuse the result."""
    cache_key = (graph_token(), text)
    cached = st.session_state.get("sparql_result")
    if cached and cached[0] == cache_key:
        return cached[1]
    tell, clear = waiting_note()
    try:
        result = _run_query(
            kg,
            text,
            timeout=DEFAULT_TIMEOUT,
            max_rows=DEFAULT_MAX_ROWS,
            client=session_id(),
            on_wait=tell,
        )
    finally:
        clear()
    st.session_state["sparql_result"] = (cache_key, result)
    return result


@st.cache_resource(max_entries=8, show_spinner=False)
def _words(_kg: graph.KnowledgeGraph, token: str) -> dict[str, list]:
    """What the editor completes: the prefixes, and the classes and relations of the graph."""
    return {
        "prefixes": list(PREFIXES),
        "classes": sorted([shorten(c), label] for c, label in _kg.schema.class_labels.items()),
        "predicates": sorted(
            [shorten(p), label] for p, label in _kg.schema.property_labels.items()
        ),
    }


def _on_run() -> None:
    run = (st.session_state.get("sparql_editor") or {}).get("run")
    if isinstance(run, dict) and isinstance(run.get("text"), str):
        st.session_state["sparql_text"] = run["text"].strip()


def _gallery_box() -> None:
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


def _table(result: QueryResult) -> None:
    columns = {}
    rows = []
    for row in result.rows:
        out = {}
        for v in result.variables:
            term = row.get(v)
            link = _explore_link(term)
            out[v] = link or _cell(term)
            if link:
                columns[v] = st.column_config.LinkColumn(
                    v, display_text=r"#(.*)$", help="Opens in Explore"
                )
        rows.append(out)
    frame = pd.DataFrame(rows, columns=result.variables)
    st.dataframe(frame, hide_index=True, key="sparql_table", column_config=columns)


def _chart_columns(result: QueryResult) -> tuple[str, str] | None:
    """A label column and a number column, if the result has them (for a bar chart)."""
    numeric = [
        v
        for v in result.variables
        if result.rows and all(_number(r.get(v)) is not None for r in result.rows)
    ]
    labels = [v for v in result.variables if v not in numeric]
    return (labels[0], numeric[0]) if numeric and labels else None


def _chart(result: QueryResult, columns: tuple[str, str]) -> None:
    label, value = columns
    frame = pd.DataFrame(
        {
            label: [_cell(r.get(label)) for r in result.rows],
            value: [_number(r.get(value)) for r in result.rows],
        }
    )
    chart = ranked_bars(frame, label, value, label_limit=360)
    st.altair_chart(chart, width="stretch", height=max(160, 24 * len(frame)) + 60)


def _show(kg: graph.KnowledgeGraph, result: QueryResult) -> None:
    if result.form == "ASK":
        st.caption(md(f"ASK in {result.elapsed:.2f} s"))
        st.metric("Answer", "yes" if result.boolean else "no")
    elif result.form == "SELECT":
        st.caption(md(f"SELECT: {counted(len(result.rows), 'row')} in {result.elapsed:.2f} s"))
    else:
        size = counted(len(result.triples), "statement")
        st.caption(md(f"{result.form}: {size} in {result.elapsed:.2f} s"))
    for note in result.notes:
        st.warning(md(note))
    if result.form == "SELECT":
        chartable = _chart_columns(result)
        views = ["table", "chart"] if chartable else ["table"]
        _view_choice(views)
        if st.session_state["sparql_view"] == "chart" and chartable:
            _chart(result, chartable)
        else:
            _table(result)
    elif result.form != "ASK":
        _view_choice(["graph", "table"])
        selection = Selection.from_triples(kg, result.triples)
        st.session_state["view_query"] = selection
        if st.session_state["sparql_view"] == "table":
            tables(selection, "sparql_triples")
        else:
            part, left_out = drawable(selection)
            graph_view(
                view_spec(part, kg=kg),
                key="sparql_graph",
                on_action=lambda: focus_clicked("sparql_graph"),
            )
            if left_out:
                st.caption(
                    md(
                        f"Drawn: the {len(part.nodes):,} best-connected of "
                        f"{counted(len(selection.nodes), 'node')}; the table view lists them all."
                    )
                )
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


def _view_choice(views: list[str]) -> None:
    if st.session_state.get("sparql_view") not in views:
        st.session_state["sparql_view"] = views[0]
    if len(views) > 1:
        st.segmented_control("View", views, key="sparql_view", format_func=VIEWS.get, required=True)


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    st.header("SPARQL", anchor=False)
    _gallery_box()
    text = (st.session_state.get("sparql_text") or "").strip()
    result, error, failure = None, None, None
    if text:
        try:
            result = _run(kg, text)
        except QuerySyntaxError as err:
            failure = err
            if err.line:
                error = {"line": err.line, "column": err.column or 1, "message": str(err)}
        except graph.GraphError as err:
            failure = err
    sparql_editor(
        text,
        key="sparql_editor",
        words=_words(kg, graph_token()),
        error=error,
        placeholder="SELECT ?role ?label WHERE { ?role a mlc:Role ; skos:prefLabel ?label }",
        on_run=_on_run,
    )
    st.caption(
        f"Read-only. Queries stop after {DEFAULT_TIMEOUT:g} s; results are cut at "
        f"{DEFAULT_MAX_ROWS:,} rows. SERVICE, FROM and updates are refused."
    )
    with shows_errors():
        if failure is not None:
            raise failure
        if result is not None:
            _show(kg, result)
    publish(PARAMS)
