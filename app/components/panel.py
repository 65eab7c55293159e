"""The node panel: what the graph says about the focus, each relation a way to move on."""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

import graph
from graph.io.words import class_name, evidence, source_text
from graph.model import Edge

from .ui import focus_button, md

__all__ = ["PER_GROUP", "render"]

#: Relations listed per group; a hub's thousands stay in the graph and the tables.
PER_GROUP = 25


def _relations(kg: graph.KnowledgeGraph, details: graph.NodeDetails) -> None:
    me = details.node.id
    groups: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in details.edges:
        groups[(edge.label, edge.direction_from(me))].append(edge)
    total = len(kg.schema.articles)
    st.markdown(f"**Relations** ({len(details.edges)})")
    for n, ((label, direction), edges) in enumerate(sorted(groups.items())):
        arrow = "→" if direction == "out" else "←"
        with st.expander(f"{arrow} {md(label)} ({len(edges)})", expanded=len(groups) <= 4):
            shown = sorted(edges, key=lambda e: -len(e.articles))[:PER_GROUP]
            for i, edge in enumerate(shown):
                other = kg.node(edge.other(me))
                focus_button(
                    f"{other.label} · {class_name(other.type_label or other.type).lower()}",
                    other.id,
                    key=f"panel_rel_{n}_{i}",
                )
                where = "; ".join(
                    source_text(s) for s in edge.sources if s.kind in ("article", "curated")
                )
                st.caption(md(evidence(edge, total) + (f": {where}" if where else "")))
            if len(edges) > PER_GROUP:
                st.caption(
                    f"… and {len(edges) - PER_GROUP:,} more: expand the node in the graph, "
                    "or list them with the table view."
                )


def _links(kg: graph.KnowledgeGraph, details: graph.NodeDetails) -> None:
    links = [(p, t) for p, t in details.matches if t.startswith(("http://", "https://"))]
    if not links:
        return
    st.markdown("**Linked concepts**")
    for i, (predicate, target) in enumerate(links):
        where = "ESCO concept" if "data.europa.eu/esco" in target else "Linked concept"
        name = f"{where}: {kg.node(target).label}" if kg.has_node(target) else where
        kind = kg.schema.property_label(predicate).lower()
        st.link_button(f"{md(name)} ({md(kind)})", target, key=f"panel_link_{i}")


def render(kg: graph.KnowledgeGraph, focus: str, *, inferred: bool = True) -> None:
    """The panel of ``focus``: label, class, aliases, definition, relations, sources, links."""
    details = kg.details(focus, inferred=inferred)
    node = details.node
    st.subheader(md(node.label), anchor=False)
    classes = ", ".join(class_name(c).lower() for c in node.classes if c != node.type)
    kind = class_name(node.type_label or node.type)
    st.caption(md(kind) + (f" ({md(classes)})" if classes else ""))
    if details.aliases:
        st.markdown("**Also called:** " + ", ".join(md(a) for a in details.aliases))
    if details.definition:
        st.text(details.definition)
    for name, values in details.attributes.items():
        st.markdown(f"**{md(name)}:** " + ", ".join(md(v) for v in values))
    articles = sorted({a for e in details.edges for a in e.articles})
    if details.edges and kg.schema.articles:
        st.caption(md(f"Mentioned by {len(articles)} of {len(kg.schema.articles)} articles."))
    _links(kg, details)
    _relations(kg, details)
    st.code(node.id, language=None, wrap_lines=True)
