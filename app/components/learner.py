"""What the learners' pages share: the choice of what one has and of roles, and a page switch.

Values are IRIs where the graph lists its nodes; a name typed into the address
stays as typed and the plan or the analysis resolves it (with suggestions).
"""

from __future__ import annotations

import streamlit as st

from graph.io.words import class_name
from graph.model import Node
from graph.query.plan import is_role

from .data import node_options

__all__ = ["choices", "have_box", "known", "name", "open_plan"]


def choices() -> tuple[dict[str, Node], dict[str, Node]]:
    """IRI -> node of what one can have (not roles), and of the roles; empty on a large graph."""
    things: dict[str, Node] = {}
    roles: dict[str, Node] = {}
    for node in node_options().values():
        (roles if is_role(node) else things)[node.id] = node
    return things, roles


def name(options: dict[str, Node], value: str | None) -> str:
    """``value`` as shown in a box: ``label · class``, or as given when it is not a node."""
    node = options.get(value or "")
    if node is None:
        return value or "none"
    return f"{node.label} · {class_name(node.type_label or node.type)}"


def known(value: str, options: dict[str, Node]) -> str:
    """``value`` as an IRI of ``options`` when it is one or names one exactly; else as given."""
    if not value or value in options:
        return value
    lowered = value.strip().casefold()
    found = [iri for iri, node in options.items() if node.label.casefold() == lowered]
    return found[0] if len(found) == 1 else value


def have_box(key: str, things: dict[str, Node], label: str) -> None:
    """The searchable multi-select of what one has, under ``key`` (a list of IRIs or names)."""
    state = st.session_state
    state[key] = list(dict.fromkeys(known(v, things) for v in state.get(key) or []))
    st.multiselect(
        label,
        list(dict.fromkeys([*state[key], *things])),
        key=key,
        format_func=lambda v: name(things, v),
        placeholder="Type to search…",
    )


def open_plan(target: str, have: list[str]) -> None:
    """Switch to the Plan page towards ``target`` from ``have`` (a callback)."""
    st.session_state["plan_target"] = target
    st.session_state["plan_have"] = list(have)
    st.session_state["plan_from"] = ""
    st.session_state["page"] = "Plan"
