"""Compare: two roles side by side, what they share and what only one needs."""

from __future__ import annotations

import streamlit as st

import graph
from graph.io.words import class_name, counted, evidence, sources_text
from graph.model import Edge, Node
from graph.query.compare import CATEGORIES, Comparison, compare

from ..components.data import current_graph, graph_token, node_options
from ..components.state import Param, publish, restore
from ..components.ui import focus_button, md, shows_errors

__all__ = ["PARAMS", "render"]

PARAMS = (
    Param("compare_a", "a", ""),
    Param("compare_b", "b", ""),
    Param("compare_inferred", "inferred", True, bool),
)
PLURALS = {"Skill": "Skills", "Tool": "Tools", "Qualification": "Qualifications"}


def _role_options() -> dict[str, str]:
    """``label`` -> IRI for every role; the roles come first, then everything else."""
    options = node_options()
    roles = {name: node.id for name, node in options.items() if node.type == "Role"}
    return roles or {name: node.id for name, node in options.items()}


def _pick(label: str, key: str, options: dict[str, str]) -> None:
    value = st.session_state.get(key)
    if value and value not in options:
        by_id = {iri: name for name, iri in options.items()}
        lowered = {name.split(" · ")[0].casefold(): name for name in options}
        st.session_state[key] = by_id.get(value) or lowered.get(str(value).casefold())
    st.selectbox(label, list(options), index=None, key=key, placeholder="Choose a role…")


def _type_in(label: str, key: str) -> None:
    """A text box for a role's name, where the graph is too large to list its roles."""
    st.text_input(label, key=key, placeholder="a role's name, e.g. data scientist")


@st.cache_resource(max_entries=32, show_spinner=False)
def _evidence(_kg: graph.KnowledgeGraph, token: str, role: str, inferred: bool) -> dict[str, Edge]:
    """For each node joined to ``role``: the best-attested edge between them."""
    best: dict[str, Edge] = {}
    for edge in _kg.edges(role, inferred=inferred):
        other = edge.other(role)
        if other not in best or len(edge.articles) > len(best[other].articles):
            best[other] = edge
    return best


def _chips(
    nodes: list[Node], edges: list[tuple[str, dict[str, Edge]]], total: int, key: str
) -> None:
    """The nodes as small buttons, best attested first; the sources show on hover."""

    def strength(node: Node) -> int:
        return max((len(e[node.id].articles) for _, e in edges if node.id in e), default=0)

    ranked = sorted(nodes, key=lambda n: (-strength(n), n.label.casefold()))
    if not ranked:
        st.caption("none")
        return
    with st.container(horizontal=True, gap="small"):
        for i, node in enumerate(ranked):
            found = [(role, e[node.id]) for role, e in edges if node.id in e]
            hover = "\n\n".join(
                f"{role} {edge.label} {node.label}: {evidence(edge, total)}. "
                + (sources_text(edge) or "")
                for role, edge in found
            )
            focus_button(
                f"{node.label} ({strength(node)})" if total else node.label,
                node.id,
                key=f"{key}_{i}",
                help=md(hover) if hover else None,
                kind="secondary",
            )


def _category(kg: graph.KnowledgeGraph, result: Comparison, category: str, inferred: bool) -> None:
    token = graph_token()
    mine = _evidence(kg, token, result.a.id, inferred)
    theirs = _evidence(kg, token, result.b.id, inferred)
    total = len(kg.schema.articles)
    only_a, both, only_b = (
        result.only_a[category],
        result.shared[category],
        result.only_b[category],
    )
    name = class_name(category).lower()
    st.subheader(
        f"{PLURALS.get(category, category)}: {len(both)} shared of "
        f"{len(only_a) + len(both) + len(only_b)}",
        anchor=False,
    )
    left, middle, right = st.columns([3, 3, 3], gap="medium", border=True)
    with left:
        st.markdown(f"**Only {md(result.a.label)}** · {counted(len(only_a), name)}")
        _chips(only_a, [(result.a.label, mine)], total, f"compare_{category}_a")
    with middle:
        st.markdown(f"**Both** · {counted(len(both), name)}")
        pair = [(result.a.label, mine), (result.b.label, theirs)]
        _chips(both, pair, total, f"compare_{category}_both")
    with right:
        st.markdown(f"**Only {md(result.b.label)}** · {counted(len(only_b), name)}")
        _chips(only_b, [(result.b.label, theirs)], total, f"compare_{category}_b")


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    st.header("Compare two roles", anchor=False)
    options = _role_options()
    pick = (lambda label, key: _pick(label, key, options)) if options else _type_in
    c1, c2 = st.columns(2)
    with c1:
        pick("First role", "compare_a")
    with c2:
        pick("Second role", "compare_b")
    st.toggle("Include inferred requirements", key="compare_inferred")
    publish(PARAMS)
    a, b = st.session_state.get("compare_a"), st.session_state.get("compare_b")
    if not (a and b):
        st.caption("Pick two roles to see the skills, tools and qualifications they share.")
        return
    with shows_errors():
        # Without a list, the typed names are resolved like any search (with suggestions).
        first, second = (options[a], options[b]) if options else (a, b)
        inferred = st.session_state["compare_inferred"]
        result = compare(kg, first, second, inferred=inferred)
        if kg.schema.articles:
            st.caption(
                "The number beside a name: how many of the "
                f"{counted(len(kg.schema.articles), 'article')} state the link; "
                "the best attested come first. Hover for the sources; click to explore."
            )
        for category in CATEGORIES:
            _category(kg, result, category, inferred)
