"""Overview: what the graph holds, where it comes from, what is most connected."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

import graph
from graph.io.selection import Selection
from graph.vocab.namespaces import local_name

from ..components.data import current_graph, graph_stats_cached, graph_token
from ..components.state import Param, publish
from ..components.ui import md

__all__ = ["PARAMS", "render"]

PARAMS: tuple[Param, ...] = ()  # this page keeps nothing in the address

TOP = 10


@st.cache_resource(max_entries=8, show_spinner=False)
def _degrees(_kg: graph.KnowledgeGraph, token: str) -> pd.DataFrame:
    everything = Selection.everything(_kg)
    degree = Counter(x for e in everything.edges for x in (e.source, e.target))
    rows = [
        {"concept": n.label, "class": n.type_label or n.type, "relations": degree[n.id]}
        for n in everything.nodes
        if n.type in ("Skill", "Tool")
    ]
    frame = pd.DataFrame(rows, columns=["concept", "class", "relations"])
    frame = frame.sort_values(["relations", "concept"], ascending=[False, True])
    return frame.groupby("class", sort=False).head(TOP)


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
            {"class": list(stats.classes), "concepts": list(stats.classes.values())}
        )
        st.bar_chart(classes, x="class", y="concepts", horizontal=True, sort="-concepts")
    with right:
        st.subheader(f"The {TOP} most connected skills and tools", anchor=False)
        top = _degrees(kg, graph_token())
        st.bar_chart(
            top, x="concept", y="relations", color="class", horizontal=True, sort="-relations"
        )
    st.subheader("Sources", anchor=False)
    if kg.schema.articles:
        st.dataframe(_sources(kg, stats.articles), hide_index=True, key="overview_sources")
    else:
        st.caption("This graph names no source articles.")
    titles = {kg.schema.article_label(a) for a in kg.schema.articles}
    others = {k: v for k, v in stats.sources.items() if k not in titles}
    if others:
        st.caption(md("Other statements: " + ", ".join(f"{k}: {v}" for k, v in others.items())))
