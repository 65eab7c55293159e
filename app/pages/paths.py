"""Paths: ask how two concepts are connected, in words or with a form.

A question is shown as it was read ("Read as: ..."), and the reading can be
changed: which node an ambiguous name means, what is asked, through which
classes; paths may also be ranked by hops alone.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

import graph
from graph.io.selection import Selection
from graph.io.view import view_spec
from graph.io.words import counted, evidence, source_text
from graph.model import Path
from graph.query.classes import resolve_classes
from graph.query.isolated import TaskLimits, run_isolated
from graph.query.paths import PathResult
from graph.query.questions import EXAMPLES, Interpretation

from ..components.data import class_choices, current_graph, graph_token
from ..components.network import graph_view
from ..components.state import Param, publish, restore
from ..components.tables import tables
from ..components.ui import focus_button, focus_clicked, md, session_id, shows_errors, waiting_note

__all__ = ["PARAMS", "render"]

PARAMS = (
    Param("paths_question", "q", ""),
    Param("paths_from", "from", ""),
    Param("paths_to", "to", ""),
    Param("paths_via", "via", [], list),
    Param("paths_max_hops", "max_hops", 4, int, low=1, high=8),
    Param("paths_k", "k", 5, int, low=1, high=10),
    Param("paths_selected", "path", 1, int, low=1),
    Param("paths_plain", "plain", False, bool),
)
#: The reading of the question, as the user may change it (reset when the question changes).
_READING_KEYS = ("paths_kind", "paths_read_via", "paths_pick_from", "paths_pick_to")
#: Searches and readings kept per session: the page runs again on every click.
_KEPT = 8
_KINDS = {
    "paths": "paths between them",
    "shared": "what both are joined to",
    "related": "what is joined to one of them",
}


def _use_question() -> None:
    st.session_state["paths_selected"] = 1
    st.session_state["paths_from"] = st.session_state["paths_to"] = ""


def _use_form() -> None:
    st.session_state["paths_selected"] = 1
    st.session_state["paths_question"] = ""


def _ask_box() -> None:
    with st.form("paths_ask_form", border=False):
        st.text_input(
            "Ask a question",
            key="paths_question",
            placeholder=EXAMPLES[0],
            help="For example: " + "; ".join(EXAMPLES[:4]),
        )
        st.form_submit_button("Ask", key="paths_ask", on_click=_use_question, type="primary")


def _form(kg: graph.KnowledgeGraph) -> None:
    with (
        st.expander("Or fill in the ends and constraints", expanded=False),
        st.form("paths_form", border=False),
    ):
        c1, c2 = st.columns(2)
        c1.text_input("From", key="paths_from", placeholder="Python")
        c2.text_input("To", key="paths_to", placeholder="core ML engineer")
        classes = class_choices(kg)
        st.multiselect("Only through these classes", classes, key="paths_via")
        c3, c4 = st.columns(2)
        c3.slider("Longest path (hops)", 1, 8, key="paths_max_hops")
        c4.slider("How many paths", 1, 10, key="paths_k")
        st.form_submit_button("Find paths", key="paths_find", on_click=_use_form)


def _isolated(kg: graph.KnowledgeGraph, task: str, **args: object) -> Any:
    """``task`` done in a query process of the graph, with the wait said; kept for the session.

    The same search for the same graph is not done again when the page runs
    again (choosing the path to highlight runs it).
    """
    done = st.session_state.setdefault("paths_done", {})
    key = (graph_token(), task, repr(sorted(args.items())))
    if key not in done:
        tell, clear = waiting_note("question" if task == "read" else "path search")
        try:
            limits = TaskLimits(client=session_id(), on_wait=tell)
            done[key] = run_isolated(kg, task, limits=limits, **args)
        finally:
            clear()
        while len(done) > _KEPT:
            done.pop(next(iter(done)))
    return done[key]


def _run(kg: graph.KnowledgeGraph) -> tuple[str, PathResult] | None:
    state = st.session_state
    hops, k = int(state["paths_max_hops"]), int(state["paths_k"])
    plain = bool(state.get("paths_plain"))
    if state["paths_question"].strip():
        reading = _reading(kg, state["paths_question"])
        found = _isolated(kg, "answer", interpretation=reading, k=k, max_hops=hops, plain=plain)
        return found.summary, found
    if state["paths_from"].strip() and state["paths_to"].strip():
        via = state["paths_via"] or None
        if via:
            resolve_classes(kg, via)  # unknown class names fail here with the known ones
        result = _isolated(
            kg,
            "paths",
            source=state["paths_from"],
            target=state["paths_to"],
            via=via,
            max_hops=hops,
            k=k,
            plain=plain,
        )
        return counted(len(result.paths), "path"), result
    return None


def _reading(kg: graph.KnowledgeGraph, question: str) -> Interpretation:
    """The question as read, shown, with choices that change it; returns the chosen reading."""
    state = st.session_state
    read = _isolated(kg, "read", text=question)
    if state.get("paths_read_for") != question:  # a new question: its own reading first
        for key in _READING_KEYS:
            state.pop(key, None)
        state["paths_read_for"] = question
        state["paths_kind"] = read.kind
        state["paths_read_via"] = list(read.via)

    def name(node: str) -> str:  # options are shown as plain text
        info = kg.node(node)
        return f"{info.label} ({info.type_label})"

    chosen = {"from": read.source, "to": read.target}
    with st.expander("Read as: " + md(read.describe(kg)), expanded=bool(read.choices)):
        for end, candidates in read.choices.items():
            said = read.said.get(end, "")
            chosen[end] = st.selectbox(
                md(f"'{said}' names several nodes: which one?"),
                list(candidates),
                key=f"paths_pick_{end}",
                format_func=name,
            )
        both = read.source is not None and read.target is not None
        kinds = [k for k in _KINDS if (k == "related") != both]
        c1, c2 = st.columns(2)
        c1.selectbox("Asking for", kinds, key="paths_kind", format_func=_KINDS.__getitem__)
        c2.multiselect("Through or of these classes", class_choices(kg), key="paths_read_via")
        st.toggle("Shortest by hops only (ignore hubs and evidence)", key="paths_plain")
    changed = dataclasses.replace(
        read,
        kind=state["paths_kind"] if state["paths_kind"] in kinds else read.kind,
        source=chosen["from"],
        target=chosen["to"],
        via=tuple(state["paths_read_via"]),
        choices={},
    )
    if changed != dataclasses.replace(read, choices={}):
        st.caption("Read as: " + md(changed.describe(kg)))
    return changed


def _path_card(kg: graph.KnowledgeGraph, path: Path, n: int) -> None:
    """One path, node by node; each edge's sources one click away."""
    for i, (start, edge) in enumerate(zip(path.nodes, path.edges, strict=False)):
        end = path.nodes[i + 1]
        forward = edge.source == start.id
        arrow = f"— {edge.label} →" if forward else f"← {edge.label} —"
        if i == 0:
            focus_button(start.label, start.id, key=f"paths_node_{n}_0", help="Explore it")
        sources = [source_text(s) for s in edge.sources if s.kind != "inferred"]
        words = evidence(edge, len(kg.schema.articles))
        with st.popover(md(f"{arrow}  ({words})"), type="tertiary"):
            st.caption(md(f"{start.label} {arrow} {end.label}"))
            for source in sources or ["inferred from other statements"]:
                st.caption(md(source))
        focus_button(end.label, end.id, key=f"paths_node_{n}_{i + 1}", help="Explore it")


def _path_title(path: Path, n: int) -> str:
    ends = f"{path.nodes[0].label} → {path.nodes[-1].label}" if path.nodes else ""
    return f"Path {n} · {counted(len(path), 'hop')} · {ends}"


def _show(kg: graph.KnowledgeGraph, summary: str, result: PathResult) -> None:
    st.success(md(summary))
    for note in result.notes:
        st.caption(md(note))
    if not result.paths:
        return
    count = len(result.paths)
    if int(st.session_state.get("paths_selected") or 1) > count:
        st.session_state["paths_selected"] = 1
    left, right = st.columns([2, 3], gap="medium")
    with left:
        st.radio(
            "Highlight a path",
            list(range(1, count + 1)),
            key="paths_selected",
            format_func=lambda n: md(_path_title(result.paths[n - 1], n)),
            help="The chosen path is drawn dark and the others faint.",
        )
        n = int(st.session_state["paths_selected"])
        path = result.paths[n - 1]
        with st.container(border=True):
            why = result.reasons[n - 1] if n <= len(result.reasons) else counted(len(path), "hop")
            st.markdown(
                f"**Path {n}**: {md(why)}",
                help="Paths through specific nodes, stated by more articles, come first; "
                "a hub is a node with a hundred links or more.",
            )
            _path_card(kg, path, n)
    selection = Selection.from_paths(result)
    st.session_state["view_paths"] = selection
    spec = view_spec(selection, kg=kg, highlight_paths=result.paths)
    with right:
        graph_view(
            spec,
            key="paths_graph",
            selected_path=n - 1,
            on_action=lambda: focus_clicked("paths_graph"),
        )
        st.caption("Start and end are marked; click a node to explore it.")
    if st.toggle("Show as tables", key="paths_tables"):
        tables(selection, "paths_table")


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    st.header("Paths", anchor=False)
    _ask_box()
    _form(kg)
    publish(PARAMS)
    with shows_errors():
        found = _run(kg)
        if found is None:
            st.caption("Examples: " + " · ".join(md(e) for e in EXAMPLES))
            return
        _show(kg, *found)
