"""Overview: what the graph holds, where it comes from, what is most connected."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

import graph
from graph.io.view import class_colours
from graph.io.words import class_name
from graph.query.stats import most_connected
from graph.vocab.namespaces import local_name

from ..components.charts import ranked_bars
from ..components.data import current_graph, graph_stats_cached, graph_token
from ..components.state import Param, publish
from ..components.ui import md, set_focus

__all__ = ["PARAMS", "render"]

PARAMS: tuple[Param, ...] = ()  # this page keeps nothing in the address

TOP = 10


@st.cache_resource(max_entries=8, show_spinner=False)
def _degrees(_kg: graph.KnowledgeGraph, token: str) -> pd.DataFrame:
    rows = [
        {"concept": n.label, "class": n.type, "relations": k, "iri": n.id}
        for n, k in most_connected(_kg, types=("Skill", "Tool"), top=TOP)
    ]
    return pd.DataFrame(rows, columns=["concept", "class", "relations", "iri"])


def _bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    pick: str,
    *,
    key: str,
    on_pick: Callable[[str], None],
) -> None:
    """Bars in the graph's class colours; returns the ``pick`` value of a clicked bar."""
    classes = frame["class"].unique().tolist()
    colours = class_colours(classes)
    click = alt.selection_point(fields=[pick], name="bar")
    chart = (
        ranked_bars(frame, label, value, cursor="pointer")
        .encode(
            color=alt.Color(
                "class:N",
                scale=alt.Scale(domain=classes, range=[colours[c] for c in classes]),
                legend=None
                if pick == "class"
                else alt.Legend(title=None, orient="bottom", labelExpr=_LABEL_EXPR),
            ),
        )
        .add_params(click)
    )
    height = max(160, 26 * len(frame)) + 60

    def picked() -> None:  # a callback: it may switch the page before the script runs
        points = (st.session_state.get(key) or {}).get("selection", {}).get("bar", [])
        if points and pick in points[0]:
            on_pick(str(points[0][pick]))

    st.altair_chart(chart, on_select=picked, key=key, width="stretch", height=height)


# Class names in the legend spaced out as in the graph's legend ("LearningParadigm" ->
# "Learning Paradigm"); Vega's own expression language, no data spliced in.
_LABEL_EXPR = "replace(datum.label, /([a-z])([A-Z])/g, '$1 $2')"


def _open_class(cls: str) -> None:
    """Explore showing only the nodes of ``cls`` around the default focus."""
    st.session_state["explore_classes"] = [cls]
    st.session_state["page"] = "Explore"


def _open_node(node: str) -> None:
    set_focus(node, "Explore")


def _sources(kg: graph.KnowledgeGraph, edges_by_article: dict[str, int]) -> pd.DataFrame:
    rows = []
    for article, meta in sorted(kg.schema.articles.items()):
        rows.append(
            {
                "article": kg.schema.article_label(article),
                "author": meta.get("creator", ""),
                "publisher": local_name(meta.get("publisher", "")),
                "date": meta.get("date", ""),
                "statements": edges_by_article.get(article, 0),
                "file": meta.get("id", ""),
                "IRI": article,
            }
        )
    return pd.DataFrame(rows)


def render() -> None:
    publish(PARAMS)
    kg = current_graph()
    st.header("Overview", anchor=False)
    stats = graph_stats_cached(kg)
    c = st.columns(4)
    c[0].metric("Statements", f"{stats.triples:,}")
    c[1].metric("Concepts", f"{stats.nodes:,}")
    c[2].metric("Relations", f"{stats.edges:,}")
    c[3].metric("Inferred relations", f"{stats.inferred_edges:,}")
    left, right = st.columns(2)
    with left:
        st.subheader("Concepts by class", anchor=False)
        classes = pd.DataFrame(
            {
                "class": list(stats.classes),
                "name": [class_name(c) for c in stats.classes],
                "concepts": list(stats.classes.values()),
            }
        )
        _bars(classes, "name", "concepts", "class", key="overview_classes", on_pick=_open_class)
    with right:
        st.subheader(f"The {TOP} most connected skills and tools", anchor=False)
        top = _degrees(kg, graph_token())
        _bars(top, "concept", "relations", "iri", key="overview_top", on_pick=_open_node)
    st.caption("Click a bar to explore it; colours are the graph's.")
    st.subheader("Sources", anchor=False)
    if kg.schema.articles:
        st.dataframe(_sources(kg, stats.articles), hide_index=True, key="overview_sources")
    else:
        st.caption("This graph names no source articles.")
    titles = {kg.schema.article_label(a) for a in kg.schema.articles}
    others = {k: v for k, v in stats.sources.items() if k not in titles}
    if others:
        st.caption(md("Other statements: " + ", ".join(f"{k}: {v}" for k, v in others.items())))
