"""What the learners' pages share: the choice of what one has and of roles, and a page switch.

Values are IRIs where the graph lists its nodes; a name typed into the address
stays as typed and the plan or the analysis resolves it (with suggestions).
"""

from __future__ import annotations

import re

import streamlit as st

import graph
from graph.io.words import class_name
from graph.model import Node
from graph.query.plan import is_role
from graph.query.search import search

from .data import current_graph, node_options
from .ui import md

__all__ = ["choices", "have_box", "known", "name", "open_plan", "typed_role"]

#: How many names a pasted list may hold.
MAX_PASTED = 100
_SPLIT = re.compile(r"[\n,;]+")
#: How many roles a typed name offers to choose from, on a graph too large to list them.
ROLE_CHOICES = 8


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
    """What one has, under ``key`` (a list of IRIs or names): a searchable list, or pasted names.

    Where the graph is too large to list its nodes, pasting is the way to add.
    """
    state = st.session_state
    state[key] = list(dict.fromkeys(known(v, things) for v in state.get(key) or []))
    st.multiselect(
        label,
        list(dict.fromkeys([*state[key], *things])),
        key=key,
        format_func=lambda v: name(things, v),
        placeholder="Type to search…" if things else "Paste names below to add them",
    )
    with st.expander("Or paste a list (one per line, or separated by commas)"):
        st.text_area("Names", key=f"{key}_paste", height=100, label_visibility="collapsed")
        st.button("Add these", key=f"{key}_add", on_click=_add_pasted, args=(key,))
    for problem in state.pop(f"{key}_problems", []):
        st.warning(md(problem))


def _add_pasted(key: str) -> None:
    """Resolve each pasted name; the unknown ones are kept with their message."""
    kg = current_graph()
    state = st.session_state
    names = [n.strip() for n in _SPLIT.split(state.get(f"{key}_paste") or "") if n.strip()]
    problems = []
    if len(names) > MAX_PASTED:
        problems.append(f"only the first {MAX_PASTED} of {len(names)} names are read")
        names = names[:MAX_PASTED]
    have = list(state.get(key) or [])
    for given in names:
        try:
            iri = kg.resolve(given)
        except graph.GraphError as err:
            problems.append(str(err))
            continue
        if iri not in have:
            have.append(iri)
    state[key] = have
    state[f"{key}_paste"] = ""
    state[f"{key}_problems"] = problems


def open_plan(target: str, have: list[str]) -> None:
    """Switch to the Plan page towards ``target`` from ``have`` (a callback)."""
    st.session_state["plan_target"] = target
    st.session_state["plan_have"] = list(have)
    st.session_state["plan_from"] = ""
    st.session_state["page"] = "Plan"


def _picked(key: str) -> None:
    chosen = st.session_state.get(f"{key}_pick")
    if chosen:
        st.session_state[key] = chosen


def typed_role(kg: graph.KnowledgeGraph, key: str, label: str) -> None:
    """A role typed by name, where the graph is too large to list its roles.

    When the name fits several roles (ESCO has its own "data scientist"), they
    are offered to choose from; the choice puts the role's IRI in the box.
    """
    st.text_input(label, key=key, placeholder="a role's name, or its IRI")
    typed = (st.session_state.get(key) or "").strip()
    if not typed or "://" in typed:
        return
    found = {}
    for hit in search(kg, typed, limit=4 * ROLE_CHOICES):
        if len(found) < ROLE_CHOICES and is_role(kg.node(hit.id)):
            found[hit.id] = f"{hit.label} · {class_name(hit.type_label or hit.type)} · {hit.id}"
    if len(found) > 1:
        st.selectbox(
            f"Roles named like '{typed}': which one?",
            list(found),
            index=None,
            key=f"{key}_pick",
            format_func=found.__getitem__,
            on_change=_picked,
            args=(key,),
            placeholder="Choose one…",
        )
