"""Compare: two roles side by side, what they share and what only one needs."""

from __future__ import annotations

import streamlit as st

from graph.model import Node
from graph.query.compare import CATEGORIES, compare

from ..components.data import current_graph, node_options
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


def _column(nodes: list[Node], key: str) -> None:
    if not nodes:
        st.caption("none")
    for i, node in enumerate(nodes):
        focus_button(node.label, node.id, key=f"{key}_{i}")


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
        result = compare(kg, first, second, inferred=st.session_state["compare_inferred"])
        for category in CATEGORIES:
            st.subheader(PLURALS.get(category, category), anchor=False)
            left, middle, right = st.columns(3)
            left.markdown(f"**Only {md(result.a.label)}**")
            middle.markdown("**Both**")
            right.markdown(f"**Only {md(result.b.label)}**")
            with left:
                _column(result.only_a[category], f"compare_{category}_a")
            with middle:
                _column(result.shared[category], f"compare_{category}_both")
            with right:
                _column(result.only_b[category], f"compare_{category}_b")
