"""The interactive graph: vis-network in a bidirectional component that reports clicks.

The component is registered once per process with vis-network's JavaScript
inlined (from :func:`graph.io.view.vis_assets`), so nothing is fetched from a CDN.
It draws the spec :func:`graph.io.view.view_spec` builds; every text that comes
from the data (labels, tooltips, legend) is set with ``textContent`` or drawn
on the canvas, never parsed as HTML. Clicking a node sends its id back as the
``clicked`` trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

__all__ = ["graph_view"]

_JS = r"""
const DEFAULTS = {
  autoResize: true,
  interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false },
  physics: { stabilization: { iterations: 150, fit: true },
             barnesHut: { gravitationalConstant: -9000, springLength: 140 } },
  edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, font: { size: 10, align: "middle" },
           smooth: { type: "continuous" } },
  nodes: { font: { size: 14 } },
};

function asText(value) {
  if (value === undefined || value === null || value === "") return undefined;
  const tip = document.createElement("div");
  tip.className = "kg-tip";
  tip.textContent = String(value);
  return tip;
}

const GLYPHS = {
  star: "\u2605", dot: "\u25cf", square: "\u25a0", triangle: "\u25b2", diamond: "\u25c6",
  triangleDown: "\u25bc", hexagon: "\u2b22", box: "\u25ac", ellipse: "\u2b2c",
  database: "\u26c1", circle: "\u25ef", text: "T",
};

function drawLegend(box, legend) {
  for (const item of legend || []) {
    const entry = document.createElement("span");
    entry.className = "kg-legend-item";
    const glyph = document.createElement("span");
    glyph.className = "kg-glyph";
    glyph.textContent = GLYPHS[item.shape] || GLYPHS.dot;
    glyph.style.color = String(item.color || "#999").replace(/[^#0-9a-zA-Z]/g, "");
    const name = document.createElement("span");
    name.textContent = String(item.label ?? item.type ?? "");
    entry.append(glyph, name);
    box.append(entry);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const vis = globalThis.vis;
  const spec = (data && data.spec) || {};
  const root = document.createElement("div");
  root.className = "kg-root";
  const canvas = document.createElement("div");
  canvas.className = "kg-canvas";
  canvas.style.height = String(Number(data.height) || 560) + "px";
  const legend = document.createElement("div");
  legend.className = "kg-legend";
  root.append(canvas, legend);
  for (const old of parentElement.querySelectorAll(".kg-root")) old.remove();
  parentElement.append(root);
  drawLegend(legend, spec.legend);

  const nodes = (spec.nodes || []).map((n) => ({ ...n, title: asText(n.title) }));
  const edges = (spec.edges || []).map((e) => ({ ...e, title: asText(e.title) }));
  const options = { ...DEFAULTS, ...(spec.options || {}) };
  const network = new vis.Network(
    canvas, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }, options);
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: false });
    if (data.focus) network.selectNodes([data.focus]);
  });
  network.on("click", (event) => {
    if (event.nodes && event.nodes.length) setTriggerValue("clicked", String(event.nodes[0]));
  });
  // Tests (and the browser console) reach the drawn network here.
  globalThis.__kgNetworks = globalThis.__kgNetworks || {};
  globalThis.__kgNetworks[String(data.name || "graph")] = network;
  return () => network.destroy();
}
"""

_CSS = r"""
.kg-root { font-family: sans-serif; }
.kg-canvas { width: 100%; border: 1px solid #ddd; border-radius: 6px; background: #fff; }
.kg-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 6px; font-size: 13px; }
.kg-legend-item { display: inline-flex; align-items: center; gap: 5px; }
.kg-glyph { font-size: 17px; line-height: 1; -webkit-text-stroke: 0.6px #333; }
.kg-tip { white-space: pre-wrap; max-width: 360px; font-size: 12px; }
"""


@cache
def _component() -> Callable[..., Any]:
    from graph.io.page import vis_assets

    vis_js, vis_css = vis_assets()
    return st.components.v2.component(
        "mlcareer_network",
        js=vis_js + "\n;\n" + _JS,
        css=vis_css + "\n" + _CSS,
    )


def graph_view(
    spec: dict[str, Any],
    *,
    key: str,
    focus: str | None = None,
    height: int = 560,
    on_click: Callable[[], None] | None = None,
) -> str | None:
    """Draw ``spec`` and return the id of the node clicked in this run, if any."""
    mount = _component()
    result = mount(
        key=key,
        data={"spec": spec, "height": height, "focus": focus, "name": key},
        on_clicked_change=on_click or (lambda: None),
    )
    return result.get("clicked") if result else None
