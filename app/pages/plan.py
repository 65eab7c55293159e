"""Plan: from what I have to the role I want, in stages, each step with its reason and sources.

What I have, the role I want and a role I hold live in the address
(``have``, ``target``, ``from``), so a plan is a link. "Learned" on a step
moves it to what I have and the plan is made again. The plan downloads as the
learner's own small RDF graph, which ``python -m graph --data FILE`` loads.
"""

from __future__ import annotations

import streamlit as st

import graph
from graph.io.learner import learner_graph, legend_note, plan_view
from graph.io.words import class_name, counted, source_text
from graph.model import Node
from graph.query.plan import Plan, Step, as_role, plan, step_reason

from ..components.data import current_graph, graph_token
from ..components.learner import choices, have_box, known, name, typed_role
from ..components.network import Action, clicked, graph_view
from ..components.state import Param, publish, restore
from ..components.ui import md, set_focus, shows_errors

__all__ = ["PARAMS", "render"]

PARAMS = (
    Param("plan_have", "have", [], list),
    Param("plan_target", "target", ""),
    Param("plan_from", "from", ""),
)
ACTIONS = (
    Action("learned", "Mark as learned", "Move it to what I have; the plan is made again"),
    Action("explore", "Explore", "Open it on the Explore page"),
)
FORMATS = {"trig": "TriG", "turtle": "Turtle"}


def _normalise(things: dict[str, Node], roles: dict[str, Node]) -> None:
    for key in ("plan_target", "plan_from"):
        st.session_state[key] = known(st.session_state.get(key) or "", roles)


# -- callbacks -----------------------------------------------------------------------------
def _learned(node: str) -> None:
    have = list(st.session_state.get("plan_have") or [])
    if node not in have:
        st.session_state["plan_have"] = [*have, node]
    st.session_state["plan_note"] = node


def _on_graph() -> None:
    action = clicked("plan_graph")
    if not action:
        return
    if action.get("kind") == "learned":
        _learned(action["node"])
    elif action.get("kind") == "explore":
        set_focus(action["node"], "Explore")


# -- the form ------------------------------------------------------------------------------
def _form(things: dict[str, Node], roles: dict[str, Node]) -> None:
    state = st.session_state
    have_box("plan_have", things, "What I have (skills, tools, qualifications)")
    c1, c2 = st.columns(2)
    if roles:
        for column, key, label, first in (
            (c1, "plan_target", "The role I want", None),
            (c2, "plan_from", "A role I hold (optional)", ""),
        ):
            options = list(dict.fromkeys(([first] if first is not None else []) + [*roles]))
            if state[key] and state[key] not in options:
                options.append(state[key])  # a name from the address: checked by the plan
            if not state[key] and first is None:
                state[key] = None
            column.selectbox(
                label,
                options,
                key=key,
                index=None if first is None else 0,
                format_func=lambda v: name(roles, v),
                placeholder="Choose a role…",
            )
    else:  # a graph too large to list: names are typed and resolved like any search
        with c1:
            typed_role(current_graph(), "plan_target", "The role I want")
        with c2:
            typed_role(current_graph(), "plan_from", "A role I hold (optional)")


@st.cache_resource(max_entries=32, show_spinner=False)
def _plan(
    _kg: graph.KnowledgeGraph, token: str, have: tuple[str, ...], target: str, held: str
) -> Plan:
    return plan(_kg, have=list(have), target=target, from_role=held or None)


# -- the plan ------------------------------------------------------------------------------
def _step(kg: graph.KnowledgeGraph, result: Plan, step: Step, number: int) -> None:
    kind = "essential" if step.essential else "optional"
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(
            f"**{number}. {md(step.node.label)}** · {md(class_name(step.node.type))} · *{kind}*",
            width="content",
        )
        with st.popover("why", type="tertiary"):
            for why in step.why:
                st.markdown(f"{md(why.origin.label)} *{md(why.label)}* {md(step.node.label)}")
                sources = [source_text(s) for s in why.edge.sources if s.kind != "inferred"]
                for source in sources or ["inferred from other statements"]:
                    st.caption(md(source))
        st.button(
            "Learned",
            key=f"plan_learned_{number}",
            on_click=_learned,
            args=(step.node.id,),
            help="Move it to what I have",
        )
    st.caption(md(step_reason(step, result.total_articles)))
    if step.after:
        after = ", ".join(kg.node(a).label for a in step.after)
        st.caption("After: " + md(after))


def _steps(kg: graph.KnowledgeGraph, result: Plan) -> None:
    number = 0
    for i, stage in enumerate(result.stages):
        essential = sum(s.essential for s in stage)
        title = (
            f"Stage {stage[0].stage}: {counted(essential, 'essential step')}, "
            f"{counted(len(stage) - essential, 'optional step')}"
        )
        with st.expander(title, expanded=i == 0):
            for step in stage:
                number += 1
                _step(kg, result, step, number)


def _download(result: Plan, held: Node | None) -> None:
    reasons = {s.node.id: step_reason(s, result.total_articles) for s in result.steps}
    c1, c2, c3 = st.columns([2, 1, 2], vertical_alignment="bottom")
    name = c1.text_input("My name in the file", key="plan_name", value="me", max_chars=80)
    fmt = c2.radio(
        "Format", ["trig", "turtle"], key="plan_format", horizontal=True, format_func=FORMATS.get
    )
    data = learner_graph(result, name=name, from_role=held, fmt=fmt, reasons=reasons)
    c3.download_button(
        "Download my plan as RDF",
        data=data,
        file_name=f"my-plan.{'trig' if fmt == 'trig' else 'ttl'}",
        mime="application/trig" if fmt == "trig" else "text/turtle",
        key="plan_download",
        help="My own small graph: what I have, the role I want and the steps; "
        "load it later with python -m graph --data FILE",
    )


def _show(kg: graph.KnowledgeGraph, result: Plan, held: Node | None) -> None:
    essential = sum(s.essential for s in result.steps)
    st.success(
        md(
            f"{counted(len(result.steps), 'step')} in {counted(len(result.stages), 'stage')} "
            f"towards {result.target.label}: {essential} essential, "
            f"{len(result.steps) - essential} optional"
        )
    )
    note = st.session_state.pop("plan_note", None)
    if note:
        st.toast(md(f"{kg.node(note).label} moved to what I have"))
    if result.covered:
        covered = ", ".join(
            n.label + ("" if n.id == by.id else f" (by {by.label})") for n, by in result.covered
        )
        st.caption("Already covered: " + md(covered))
    left, right = st.columns([2, 3], gap="medium")
    with left:
        if not result.steps:
            st.info("Nothing left to learn that the graph knows of.")
        _steps(kg, result)
    with right:
        graph_view(
            plan_view(result, kg),
            key="plan_graph",
            focus=result.target.id,
            actions=ACTIONS,
            on_action=_on_graph,
        )
        st.caption(
            "Colours: where each node stands (see the legend; click an entry to hide it). "
            + md(legend_note())
            + ". Select a node to mark it as learned or explore it."
        )
    _download(result, held)


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    st.header("Plan: from what I have to the role I want", anchor=False)
    things, roles = choices()
    _normalise(things, roles)
    _form(things, roles)
    publish(PARAMS)
    state = st.session_state
    target = state.get("plan_target") or ""
    if not target:
        st.caption("Choose the role you want; add what you have to see what is left to learn.")
        return
    with shows_errors():
        held = as_role(kg, state["plan_from"]) if state.get("plan_from") else None
        have = tuple(state["plan_have"])
        result = _plan(kg, graph_token(), have, target, held.id if held else "")
        _show(kg, result, held)
