"""Explore: search a concept, see its neighbourhood, grow it in place, read each node's panel."""

from __future__ import annotations

import streamlit as st

import graph
from graph.io.view import view_spec
from graph.io.words import class_name, counted, short
from graph.query.search import search
from graph.query.stats import most_connected
from graph.vocab.namespaces import local_name

from ..components.data import (
    class_choices,
    current_graph,
    graph_token,
    node_options,
    relation_choices,
)
from ..components.network import Action, clicked, graph_view
from ..components.scene import EXPAND_LIMIT, Scene, Step, build_scene, expansion, panel
from ..components.state import Param, publish, restore
from ..components.tables import tables
from ..components.ui import md, set_focus, shows_errors

__all__ = ["PARAMS", "render"]

PARAMS = (
    Param("focus", "focus", ""),
    Param("explore_steps", "step", [], list),
    Param("explore_node", "node", ""),
    Param("explore_hops", "hops", 1, int, low=1, high=3),
    Param("explore_classes", "classes", [], list),
    Param("explore_relations", "relations", [], list),
    Param("explore_sources", "sources", [], list),
    Param("explore_inferred", "inferred", True, bool),
    Param("explore_cap", "cap", 30, int, low=5, high=200, step=5),
)
DEFAULT_FOCUS = "machine learning engineer"
ACTIONS = (
    Action("expand", "Expand", "Add its most connected neighbours around it (or double-click)"),
    Action("collapse", "Collapse", "Take away the neighbours its expansion added"),
    Action("remove", "Remove", "Take it off the drawing"),
    Action("centre", "Centre here", "Start a new view from it"),
)


# -- steps ---------------------------------------------------------------------------------
def _steps() -> list[Step]:
    return [s for s in (Step.decode(t) for t in st.session_state["explore_steps"]) if s]


def _set_steps(steps: list[Step]) -> None:
    st.session_state["explore_steps"] = [s.encode() for s in steps]


def _expand(node: str, only: str | None = None, *, guarded: bool = True) -> None:
    kg = current_graph()
    steps = [s for s in _steps() if not (s.kind == "expand" and s.node == node)]
    if guarded:
        found = expansion(kg, graph_token(), node, inferred=st.session_state["explore_inferred"])
        if found.total > EXPAND_LIMIT:
            st.session_state["explore_guard"] = node
            return
    _set_steps([*steps, Step("expand", node, only)])
    st.session_state["explore_node"] = node
    st.session_state.pop("explore_guard", None)


def _on_action() -> None:
    action = clicked("explore_graph")
    if not action:
        return
    kind, node = action.get("kind"), action["node"]
    if kind != "select":  # a click, even one answered after it, leaves the guard's question
        st.session_state.pop("explore_guard", None)
    if kind == "select":
        st.session_state["explore_node"] = node
    elif kind == "expand":
        _expand(node)
    elif kind == "collapse":
        _set_steps([s for s in _steps() if not (s.kind == "expand" and s.node == node)])
    elif kind == "remove" and node != st.session_state.get("focus"):
        _set_steps([*_steps(), Step("remove", node)])
        if st.session_state.get("explore_node") == node:
            st.session_state["explore_node"] = ""
    elif kind == "centre":
        set_focus(node)


def _back_to(n: int) -> None:
    _set_steps(_steps()[:n])
    st.session_state.pop("explore_guard", None)


# -- search --------------------------------------------------------------------------------
def _on_search() -> None:
    """Focus what was picked; a typed text goes through fuzzy search first."""
    picked = st.session_state.get("explore_search")
    st.session_state.pop("explore_suggestions", None)
    if not picked:
        return
    options = node_options()
    if picked in options:
        set_focus(options[picked].id)
    else:
        hits = search(current_graph(), picked, limit=6)
        if hits and hits[0].exact:
            set_focus(hits[0].id)
        else:
            found = [(h.id, h.label, h.type_label) for h in hits]
            st.session_state["explore_suggestions"] = (picked, found)
    st.session_state["explore_search"] = None


def _search_box() -> None:
    _on_search()  # what was picked or typed in the last run, before the box is drawn again
    st.selectbox(
        "Search a concept",
        list(node_options()),
        index=None,
        key="explore_search",
        placeholder="Type a role, skill, tool… (typos are fine)",
        accept_new_options=True,
    )
    pending = st.session_state.get("explore_suggestions")
    if pending:
        text, hits = pending
        if not hits:
            st.warning(f"Nothing matches {md(text)}.")
            return
        st.info(f"No exact match for {md(text)}; did you mean:")
        with st.container(horizontal=True):
            for i, (node, label, kind) in enumerate(hits):
                st.button(
                    md(f"{label} ({kind})"),
                    key=f"explore_suggest_{i}",
                    on_click=set_focus,
                    args=(node,),
                    width="content",
                )


# -- filters -------------------------------------------------------------------------------
def _filters(kg: graph.KnowledgeGraph) -> None:
    with st.expander("Filters and limits", expanded=False):
        c1, c2 = st.columns(2)
        c1.slider("Hops", 1, 3, key="explore_hops")
        c2.slider("Nodes drawn at most", 5, 200, step=5, key="explore_cap")
        st.multiselect(
            "Classes",
            class_choices(kg),
            key="explore_classes",
            format_func=lambda c: class_name(kg.schema.class_label(kg.schema.class_iri(c) or c)),
            help="Only nodes of these classes are shown, and a walk of more than one hop "
            "passes only through them.",
        )
        st.multiselect("Relations", relation_choices(kg), key="explore_relations")
        sources = {local_name(a): kg.schema.article_label(a) for a in sorted(kg.schema.articles)}
        st.multiselect(
            "Source articles",
            list(sources),
            key="explore_sources",
            format_func=lambda s: short(sources.get(s, s), 60),
        )
        st.toggle("Include inferred statements", key="explore_inferred")


def _clean_lists(kg: graph.KnowledgeGraph) -> None:
    """Drop filter values from the address that this graph does not know."""
    known = {
        "explore_classes": set(class_choices(kg)),
        "explore_relations": set(relation_choices(kg)),
        "explore_sources": {local_name(a) for a in kg.schema.articles},
    }
    for key, allowed in known.items():
        values = st.session_state.get(key) or []
        st.session_state[key] = [v for v in values if v in allowed]
    st.session_state["explore_hops"] = min(max(int(st.session_state["explore_hops"]), 1), 3)
    st.session_state["explore_cap"] = min(max(int(st.session_state["explore_cap"]), 5), 200)


def _default_focus(kg: graph.KnowledgeGraph) -> str:
    """The ML engineer where the graph has one, else its best connected node."""
    hits = search(kg, DEFAULT_FOCUS, limit=1)
    if hits:
        return hits[0].id
    central = most_connected(kg, top=1)
    if central:
        return central[0][0].id
    options = node_options()
    return next(iter(options.values())).id if options else ""


def _known_focus(kg: graph.KnowledgeGraph) -> str:
    """The focus of the address if the graph has it, else the default (said once, as text)."""
    focus = st.session_state.get("focus") or ""
    if focus:
        try:
            return kg.resolve(focus)
        except graph.GraphError:
            st.warning(
                "The address names a concept this graph does not have; showing the default view."
            )
            st.text(f"Not found: {short(focus, 120)}")
            st.session_state["explore_steps"] = []
            st.session_state["explore_node"] = ""
    return _default_focus(kg)


# -- the scene -------------------------------------------------------------------------------
def _scene(kg: graph.KnowledgeGraph, focus: str, steps: list[Step] | None = None) -> Scene:
    state = st.session_state
    return build_scene(
        kg,
        graph_token(),
        focus,
        _steps() if steps is None else steps,
        hops=state["explore_hops"],
        types=state["explore_classes"],
        predicates=state["explore_relations"],
        sources=state["explore_sources"],
        inferred=state["explore_inferred"],
        limit=state["explore_cap"],
    )


def _preview(kg: graph.KnowledgeGraph, scene: Scene, spec: dict) -> dict | None:
    """What expanding the selected node adds, for the browser to draw before the run answers.

    Only where the expansion needs no guard; the run that follows the click draws
    the same scene (computed here once, and kept).
    """
    node = st.session_state["explore_node"]
    inferred = st.session_state["explore_inferred"]
    if node in scene.expanded or st.session_state.get("explore_guard"):
        return None
    if expansion(kg, graph_token(), node, inferred=inferred).total > EXPAND_LIMIT:
        return None
    focus = scene.centre.center.id
    grown = _scene(kg, focus, [*_steps(), Step("expand", node)])
    after = view_spec(grown.selection, kg=kg, focus=focus, anchors=grown.anchors)
    shown = {n["id"] for n in spec["nodes"]}
    drawn = {(e["from"], e["to"], e["predicate"]) for e in spec["edges"]}
    edges = [e for e in after["edges"] if (e["from"], e["to"], e["predicate"]) not in drawn]
    return {
        "node": node,
        "nodes": [n for n in after["nodes"] if n["id"] not in shown],
        "edges": [{**e, "id": f"p{i}"} for i, e in enumerate(edges)],
        "legend": after["legend"],
    }


def _breadcrumb(kg: graph.KnowledgeGraph, scene: Scene) -> None:
    steps = _steps()
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.button(
            md(short(scene.centre.center.label, 30)),
            key="explore_crumb_0",
            on_click=_back_to,
            args=(0,),
            help="The view as it started",
            width="content",
        )
        for i, step in enumerate(steps[-6:], start=max(len(steps) - 6, 0) + 1):
            sign = "+" if step.kind == "expand" else "−"
            name = kg.node(step.node).label if kg.has_node(step.node) else step.node
            st.button(
                md(f"{sign} {short(name, 24)}"),
                key=f"explore_crumb_{i}",
                on_click=_back_to,
                args=(i,),
                help=("expanded" if step.kind == "expand" else "removed")
                + (f" (only {class_name(step.only).lower()})" if step.only else ""),
                width="content",
            )


def _guard(kg: graph.KnowledgeGraph) -> None:
    """Before a large expansion: what it would add, and the choice to add the most connected."""
    node = st.session_state.get("explore_guard")
    if not node:
        return
    found = expansion(kg, graph_token(), node, inferred=st.session_state["explore_inferred"])
    with st.container(border=True):
        st.markdown(
            md(f"{found.node.label} has {counted(found.total, 'neighbour')}.")
            + f" Expanding adds the {EXPAND_LIMIT} most connected."
        )
        c1, c2 = st.columns(2)
        by_relation = sorted(found.by_relation.items(), key=lambda kv: -kv[1])[:8]
        c1.caption("By relation: " + md(", ".join(f"{r} {n:,}" for r, n in by_relation)))
        by_class = sorted(found.by_class.items(), key=lambda kv: -kv[1])
        c2.caption("By class: " + md(", ".join(f"{class_name(c)} {n:,}" for c, n in by_class)))
        with st.container(horizontal=True):
            st.button(
                f"Add the {EXPAND_LIMIT} most connected",
                key="explore_guard_top",
                type="primary",
                on_click=_expand,
                args=(node,),
                kwargs={"guarded": False},
            )
            for i, (cls, n) in enumerate(by_class[:4]):
                st.button(
                    md(f"Only {class_name(cls).lower()} ({min(n, EXPAND_LIMIT)} of {n:,})"),
                    key=f"explore_guard_class_{i}",
                    on_click=_expand,
                    args=(node, cls),
                    kwargs={"guarded": False},
                )
            st.button(
                "Cancel",
                key="explore_guard_cancel",
                on_click=st.session_state.pop,
                args=("explore_guard", None),
            )


def _caption(scene: Scene) -> None:
    nb = scene.centre
    sel = scene.selection
    text = f"{counted(len(sel.nodes), 'node')}, {counted(len(sel.edges), 'relation')} drawn."
    if nb.omitted:
        parts = ", ".join(
            counted(n, class_name(t).lower()) for t, n in sorted(nb.omitted_by_type.items())
        )
        text += f" {nb.omitted:,} more around the focus left out by the node cap ({parts}):"
        text += " raise it under Filters, or expand a node."
    if len(sel.nodes) == 1 and not nb.omitted:
        filtered = any(
            st.session_state[k] for k in ("explore_classes", "explore_relations", "explore_sources")
        )
        text += (
            " Nothing around it passes the filters: widen them under Filters."
            if filtered
            else " It has no relations to other nodes."
        )
    st.caption(md(text))


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    _clean_lists(kg)
    _search_box()
    _filters(kg)
    focus = _known_focus(kg)
    if not focus:
        st.info("This graph has no nodes to explore.")
        publish(PARAMS)
        return
    with shows_errors():
        scene = _scene(kg, focus)
        st.session_state["focus"] = focus = scene.centre.center.id
        shown = {n.id for n in scene.selection.nodes}
        if st.session_state.get("explore_node") not in shown:
            st.session_state["explore_node"] = focus
        st.session_state["view_explore"] = scene.selection
        _breadcrumb(kg, scene)
        _guard(kg)
        spec = view_spec(scene.selection, kg=kg, focus=focus, anchors=scene.anchors)
        spec["expanded"] = scene.expanded
        spec["preview"] = _preview(kg, scene, spec)
        inferred = st.session_state["explore_inferred"]
        graph_view(
            spec,
            key="explore_graph",
            focus=st.session_state["explore_node"],
            on_action=_on_action,
            actions=ACTIONS,
            expandable=True,
            panel=panel(kg, graph_token(), st.session_state["explore_node"], inferred=inferred),
            panel_scope=f"{graph_token()}:{inferred}",
        )
        _caption(scene)
        if st.toggle("Show as tables", key="explore_tables"):
            tables(scene.selection, "explore_table")
    publish(PARAMS)
