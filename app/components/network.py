"""The interactive graph: the project's renderer in a bidirectional component.

The component is registered once per process with vis-network and the
renderer (``graph/io/assets/network.js``, the same script the standalone HTML
export inlines) as its JavaScript, so nothing is fetched from a CDN and the app
and the export draw a spec the same way. A click on a node, a double-click and
the buttons over the drawing come back as the ``action`` trigger:
``{"kind": "select" | "expand" | ..., "node": IRI}``. Beside the drawing the
component can hold the node panel (``assets/panel.js``), which a click updates
without waiting for the server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import streamlit as st

from graph.io.selection import Selection

__all__ = ["MAX_DRAWN", "Action", "clicked", "drawable", "graph_view", "load_code"]

#: A view with more nodes than this is drawn in part; its tables list everything.
MAX_DRAWN = 1500

_ADAPTER = r"""
// vis-network and the renderer come with the "mlcareer_graph_code" element, whose
// message is the same on every run (so the browser keeps it); wait for them once.
const ready = () => new Promise((resolve) => {
  const check = () => (globalThis.KGView && globalThis.KGPanel ? resolve() : setTimeout(check, 5));
  check();
});

export default async function (component) {
  await ready();
  const { data, parentElement, setTriggerValue } = component;
  let nonce = 0;
  const send = (kind, node) => setTriggerValue("action", { kind, node, nonce: ++nonce });
  const spec = data.spec || {};
  const expanded = new Set(spec.expanded || []);
  const when = {
    expand: (n) => !expanded.has(n.id),
    collapse: (n) => expanded.has(n.id),
    remove: (n) => n.id !== spec.focus,
    centre: (n) => n.id !== spec.focus,
    learned: (n) => n.kgClass === "essential" || n.kgClass === "optional",
  };
  // An expansion the run has already worked out is drawn at once, then confirmed.
  const expand = (id) => {
    const view = parentElement.__kgView;
    const preview = spec.preview;
    if (view && preview && preview.node === id && !expanded.has(id)) {
      const now = view.spec();
      expanded.add(id);
      view.update({
        ...now,
        nodes: now.nodes.concat(preview.nodes),
        edges: now.edges.concat(preview.edges),
        legend: preview.legend,
        expanded: [...expanded],
      }, {});
    }
    send("expand", id);
  };
  const actions = (data.actions || []).map((a) => ({
    kind: a.kind, label: a.label, help: a.help || "", when: when[a.kind],
    run: (id) => (a.kind === "expand" ? expand(id) : send(a.kind, id)),
  }));
  // The node panel, when asked for: drawn here at a click from what the view holds,
  // then completed by the next run's data (a run from before the last click is skipped).
  const panelState = parentElement.__kgPanel || (parentElement.__kgPanel = {
    pending: null, skipped: 0, full: new Map(), scope: null,
  });
  if (panelState.scope !== data.panel_scope) {
    panelState.full.clear();
    panelState.scope = data.panel_scope;
  }
  const panelHandlers = { onOpen: (id) => send("centre", id) };
  // parentElement may be a shadow root, where ":scope" matches nothing: look at children.
  const children = (cls) => Array.from(parentElement.children).filter(
    (c) => c.classList.contains(cls));
  let host = parentElement;
  let panelEl = null;
  if (data.panel) {
    let split = children("kg-split")[0];
    if (!split) {
      for (const old of children("kg-root")) old.remove();
      parentElement.__kgView = undefined;
      split = document.createElement("div");
      split.className = "kg-split";
      const main = document.createElement("div");
      const aside = document.createElement("aside");
      aside.className = "kg-panel";
      aside.setAttribute("aria-label", "The selected node");
      split.append(main, aside);
      parentElement.append(split);
    }
    host = split.firstChild;
    panelEl = split.lastChild;
    const full = data.panel;
    panelState.full.set(full.id, full);
    if (panelState.pending && panelState.pending !== full.id && panelState.skipped < 2) {
      panelState.skipped += 1;
    } else {
      panelState.pending = null;
      globalThis.KGPanel.draw(panelEl, full, panelHandlers);
    }
  }
  const showPanel = (id) => {
    if (!panelEl) return;
    const known = panelState.full.get(id);
    const view = parentElement.__kgView;
    const quick = known || (view ? globalThis.KGPanel.fromView(view.spec(), id) : null);
    if (!quick) return;
    panelState.pending = known ? null : id;
    panelState.skipped = 0;
    globalThis.KGPanel.draw(panelEl, quick, { ...panelHandlers, pending: !known });
  };
  const opts = {
    name: String(data.name || "graph"),
    height: data.height === "fit" ? undefined : Number(data.height) || undefined,
    focus: data.focus || null,
    selectedPath: data.selected_path === null || data.selected_path === undefined
      ? undefined : Number(data.selected_path),
    actions,
    fit: !!data.fit,
    onSelect: (id) => { showPanel(id); send("select", id); },
    onExpand: data.expandable ? expand : undefined,
  };
  const fitPanel = () => {
    const canvas = panelEl && host.querySelector(".kg-canvas");
    if (canvas) panelEl.style.maxHeight = Math.max(420, canvas.offsetHeight + 40) + "px";
  };
  const previous = parentElement.__kgView;
  if (previous && previous.alive) {
    previous.update(spec, opts);
    fitPanel();
    return () => {};
  }
  for (const old of Array.from(host.children)) if (old.classList.contains("kg-root")) old.remove();
  const view = globalThis.KGView.mount(host, spec, opts);
  view.alive = true;
  parentElement.__kgView = view;
  fitPanel();
  return () => {
    view.alive = false;
    view.destroy();
    delete parentElement.__kgView;
    for (const split of children("kg-split")) split.remove();
  };
}
"""


@dataclass(frozen=True)
class Action:
    """A button over the drawing that acts on the selected node."""

    kind: str
    label: str
    help: str = ""


def load_code() -> None:
    """Send vis-network and the renderer, once per run, before anything else of the page.

    Its own element, the same on every run, so the browser keeps it: the
    half-megabyte of code is sent once per session and not with each change of
    a view; sent first (in the sidebar, where it takes no room), the browser
    reads it while the rest of the page is built.
    """
    with st.sidebar:
        _code()(key="mlcareer_graph_code", height=0)


@cache
def _code() -> Callable[..., Any]:
    """vis-network and the renderer: a script that defines them for the whole page."""
    from graph.io.page import renderer_assets, vis_assets

    vis_js, _ = vis_assets()
    renderer_js, _ = renderer_assets()
    return st.components.v2.component(
        "mlcareer_graph_code",
        js=vis_js + "\n;\n" + renderer_js + "\n;\nexport default function () {}\n",
    )


@cache
def _component() -> Callable[..., Any]:
    from graph.io.page import renderer_assets, vis_assets

    _, vis_css = vis_assets()
    _, renderer_css = renderer_assets()
    return st.components.v2.component(
        "mlcareer_network", js=_ADAPTER, css=vis_css + "\n" + renderer_css
    )


def drawable(selection: Selection, limit: int = MAX_DRAWN) -> tuple[Selection, int]:
    """``selection`` cut to its ``limit`` best-connected nodes, and how many were left out.

    >>> from graph.model import Node
    >>> sel = Selection([Node(f"http://e/{i}", str(i), "Skill") for i in range(5)], [])
    >>> [len(drawable(sel, 3)[0].nodes), drawable(sel, 3)[1]]
    [3, 2]
    """
    if len(selection.nodes) <= limit:
        return selection, 0
    degree: dict[str, int] = {}
    for edge in selection.edges:
        for end in (edge.source, edge.target):
            degree[end] = degree.get(end, 0) + 1
    keep_first = {selection.focus} | {n.id for p in selection.paths for n in p.nodes}
    ranked = sorted(
        selection.nodes, key=lambda n: (n.id not in keep_first, -degree.get(n.id, 0), n.id)
    )
    kept = ranked[:limit]
    ids = {n.id for n in kept}
    edges = [e for e in selection.edges if e.source in ids and e.target in ids]
    part = Selection(
        kept, edges, focus=selection.focus, paths=selection.paths, title=selection.title
    )
    return part, len(selection.nodes) - limit


def graph_view(
    spec: dict[str, Any],
    *,
    key: str,
    focus: str | None = None,
    height: int | str = "fit",
    on_action: Callable[[], None] | None = None,
    actions: Sequence[Action] = (),
    selected_path: int | None = None,
    expandable: bool = False,
    fit: bool = False,
    panel: dict[str, Any] | None = None,
    panel_scope: str = "",
) -> dict[str, Any] | None:
    """Draw ``spec``; return the action taken in this run (``{"kind", "node"}``), if any.

    ``height="fit"`` makes the drawing as tall as the window leaves room for.
    With ``panel`` (from :func:`graph.io.panel.panel_data`) the node panel is
    drawn beside the drawing, in the browser: a click on a node shows its panel
    at once from the view's data (or the complete one already seen in this
    ``panel_scope``, a token of the graph and the options the panels depend on)
    and the complete panel when the click's run answers. A relation in the
    panel comes back as the ``"centre"`` action.
    """
    mount = _component()
    result = mount(
        key=key,
        data={
            "spec": spec,
            "height": height,
            "focus": focus,
            "name": key,
            "actions": [{"kind": a.kind, "label": a.label, "help": a.help} for a in actions],
            "selected_path": selected_path,
            "expandable": expandable,
            "fit": fit,
            "panel": panel,
            "panel_scope": panel_scope,
        },
        on_action_change=on_action or (lambda: None),
    )
    return result.get("action") if result else None


def clicked(key: str) -> dict[str, str] | None:
    """The action last taken in the graph drawn under ``key`` (for ``on_action`` callbacks)."""
    action = (st.session_state.get(key) or {}).get("action")
    return action if isinstance(action, dict) and isinstance(action.get("node"), str) else None
