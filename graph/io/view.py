"""The interactive graph view: vis-network data for a selection, and a standalone page.

Choice of renderer: pyvis ships vis-network 9, and that copy is what draws the
graph, but pyvis's own page template is not used.  Its template loads
Bootstrap from a CDN in every mode, switches tooltips to ``innerHTML`` when a
title contains ``href``, and inserts the heading unescaped.  So this module
builds the page itself:

- the vis-network script and style are read from the pyvis package on disk and
  inlined (:func:`vis_assets`); the page makes no request at all, and a
  Content-Security-Policy forbids any;
- the data goes in as JSON inside a ``<script type="application/json">``
  block, with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``,
  ``\\u0026``, so nothing in a label can end the block;
- tooltips are DOM elements filled with ``textContent``, never HTML;
- every text put into markup (title, legend, tables) is ``html.escape``-d.

Colours are the Okabe-Ito palette, which stays distinguishable with the common
colour-vision deficiencies, and every main class also has its own shape, so
neither colour nor shape alone carries the meaning.  A table of the nodes and
edges follows the drawing, readable without the canvas.

:func:`view_spec` and :func:`vis_assets` are also what an app embeds in its own
component (for instance inside a Streamlit iframe).
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, GraphError
from ..model import Edge, Node, Path
from .projection import source_text

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from .selection import Selection

__all__ = ["PALETTE", "SHAPES", "VIS_OPTIONS", "network_html", "view_spec", "vis_assets"]

#: Okabe-Ito colours by main class (colour-blind safe); a shape tells classes apart too.
PALETTE: dict[str, str] = {
    "Role": "#E69F00",  # orange
    "Skill": "#56B4E9",  # sky blue
    "Tool": "#009E73",  # bluish green
    "Qualification": "#F0E442",  # yellow
    "Industry": "#0072B2",  # blue
    "Responsibility": "#D55E00",  # vermilion
    "LearningParadigm": "#CC79A7",  # reddish purple
    "Regulation": "#000000",  # black
    "Organization": "#0072B2",
    "Application": "#CC79A7",
    "Figure": "#F0E442",
    "Resource": "#999999",  # grey: anything else
}
#: A vis-network shape per main class, none used twice.
SHAPES: dict[str, str] = {
    "Role": "star",
    "Skill": "dot",
    "Tool": "square",
    "Qualification": "triangle",
    "Industry": "diamond",
    "Responsibility": "triangleDown",
    "LearningParadigm": "hexagon",
    "Regulation": "box",
    "Organization": "circle",
    "Application": "database",
    "Figure": "ellipse",
    "Resource": "text",
}
#: Shapes that draw their label inside, so the text colour must contrast with the fill.
_LABEL_INSIDE = {"box", "ellipse", "database", "circle", "text"}
#: What the legend draws for each shape, as text.
_GLYPHS = {
    "star": "\u2605",
    "dot": "\u25cf",
    "square": "\u25a0",
    "triangle": "\u25b2",
    "diamond": "\u25c6",
    "triangleDown": "\u25bc",
    "hexagon": "\u2b22",
    "box": "\u25ac",
    "ellipse": "\u2b2c",
    "database": "\u26c1",
    "circle": "\u25ef",
    "text": "T",
}
_EDGE_COLOUR = "#707070"
_PATH_COLOUR = "#000000"

#: vis-network options shared by the standalone page and any embedding.
VIS_OPTIONS: dict[str, Any] = {
    "nodes": {"size": 16, "font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1},
    "edges": {
        "font": {"size": 11, "align": "middle", "strokeWidth": 3},
        "smooth": {"type": "dynamic"},
        "color": {"inherit": False},
    },
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
        "stabilization": {"iterations": 200},
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
}


# -- styling ---------------------------------------------------------------------
def node_style(node_type: str) -> tuple[str, str]:
    """The ``(colour, shape)`` of a main class; unknown classes look like ``Resource``.

    >>> node_style("Role"), node_style("Spaceship")
    (('#E69F00', 'star'), ('#999999', 'text'))
    """
    key = node_type if node_type in SHAPES else "Resource"
    return PALETTE[key], SHAPES[key]


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``).

    >>> text_colour("#F0E442"), text_colour("#000000")
    ('#000000', '#FFFFFF')
    """
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.4 else "#FFFFFF"


# -- the spec ----------------------------------------------------------------------
def view_spec(
    selection: Selection,
    *,
    kg: KnowledgeGraph | None = None,
    highlight_paths: Sequence[Path] | None = None,
    focus: str | None = None,
) -> dict[str, Any]:
    """vis-network nodes and edges for ``selection``, with a legend.

    Parameters
    ----------
    selection : Selection
    kg : KnowledgeGraph, optional
        When given, node tooltips include definitions.
    highlight_paths : sequence of Path, optional
        Paths whose edges are drawn wider and darker; by default the selection's
        own paths (pass ``[]`` for none).
    focus : str, optional
        IRI of the node drawn larger; by default the selection's focus.

    Returns
    -------
    dict
        ``nodes`` and ``edges`` (vis-network items; ``title`` is plain text to be
        shown as text), ``legend`` (``type``, ``label``, ``color``, ``shape``),
        ``paths`` (the edge ids of each highlighted path), ``focus`` and ``options``.

    Examples
    --------
    >>> from graph.io.selection import Selection
    >>> a = Node("http://e/a", "A <b>", "Role", type_label="Role")
    >>> b = Node("http://e/b", "B", "Skill", type_label="Skill")
    >>> spec = view_spec(Selection([a, b], [Edge(a.id, b.id, "http://e/p", "needs")]))
    >>> spec["nodes"][0]["label"], spec["nodes"][0]["shape"], spec["edges"][0]["arrows"]
    ('A <b>', 'star', 'to')
    >>> [item["label"] for item in spec["legend"]]
    ['Role', 'Skill']
    """
    chosen = selection.paths if highlight_paths is None else highlight_paths
    paths = list(getattr(chosen, "paths", chosen))  # a PathResult will do too
    focus = selection.focus if focus is None else focus
    on_path = {e.key for p in paths for e in p.edges}
    path_nodes = {n.id for p in paths for n in p.nodes}
    # vis-network refuses a page whose data repeats an id, so repeats are dropped here.
    unique_nodes = list({n.id: n for n in selection.nodes}.values())
    unique_edges = list({e.key: e for e in selection.edges}.values())
    labels = {n.id: n.label for n in unique_nodes}
    edges, edge_ids = [], {}
    for i, edge in enumerate(unique_edges):
        edge_ids[edge.key] = f"e{i}"
        edges.append(_edge_item(edge, f"e{i}", labels, edge.key in on_path))
    definitions = _definitions(kg, unique_nodes) if kg is not None else {}
    touching: dict[str, list[Edge]] = {}
    for edge in unique_edges:
        for end in {edge.source, edge.target}:
            touching.setdefault(end, []).append(edge)
    nodes = [
        _node_item(
            n, definitions.get(n.id), touching.get(n.id, []), n.id == focus, n.id in path_nodes
        )
        for n in unique_nodes
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": legend(unique_nodes),
        "paths": [[edge_ids[e.key] for e in p.edges if e.key in edge_ids] for p in paths],
        "focus": focus,
        "options": VIS_OPTIONS,
    }


def legend(nodes: Iterable[Node]) -> list[dict[str, str]]:
    """One entry per main class present, in palette order: type, label, colour, shape."""
    present: dict[str, str] = {}
    for node in nodes:
        present.setdefault(node.type, node.type_label or node.type)
    order = list(SHAPES)
    ranked = sorted(present, key=lambda t: (order.index(t) if t in order else len(order), t))
    out = []
    for node_type in ranked:
        colour, shape = node_style(node_type)
        label = present[node_type]
        out.append({"type": node_type, "label": label, "color": colour, "shape": shape})
    return out


def _node_item(
    node: Node, definition: str | None, edges: Sequence[Edge], is_focus: bool, on_path: bool
) -> dict[str, Any]:
    colour, shape = node_style(node.type)
    border = "#000000" if is_focus or on_path else _darker(colour)
    item: dict[str, Any] = {
        "id": node.id,
        "label": node.label,
        "title": node_tooltip(node, definition, edges),
        "group": node.type,
        "type_label": node.type_label,
        "definition": definition or "",
        "shape": shape,
        "color": {
            "background": colour,
            "border": border,
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        },
        "borderWidth": 2 if is_focus or on_path else 1,
    }
    if is_focus:
        item["size"] = 30  # larger, not darker: a thick border turns small shapes into blobs
    if shape == "text":
        item["font"] = {"color": "#343434", "background": "#EEEEEE"}
    elif shape in _LABEL_INSIDE:
        item["font"] = {"color": text_colour(colour)}
    return item


def _edge_item(edge: Edge, edge_id: str, labels: dict[str, str], on_path: bool) -> dict[str, Any]:
    return {
        "id": edge_id,
        "from": edge.source,
        "to": edge.target,
        "label": edge.label,
        "title": edge_tooltip(edge, labels),
        "predicate": edge.predicate,
        "inferred": edge.inferred,
        "arrows": "to",
        "dashes": edge.inferred,
        "width": 4 if on_path else 1.5,
        "color": {"color": _PATH_COLOUR if on_path else _EDGE_COLOUR, "highlight": "#000000"},
        "path": on_path,
    }


def node_tooltip(node: Node, definition: str | None, edges: Sequence[Edge] = ()) -> str:
    """Plain-text tooltip of a node: label, class, definition, the articles that mention it.

    >>> print(node_tooltip(Node("http://e/a", "A", "Role", type_label="Role"), "Does things."))
    A
    Role
    Does things.
    """
    lines = [node.label, node.type_label or node.type]
    if definition:
        lines.append(definition)
    articles = sorted(
        {
            s.label
            for e in edges
            if node.id in (e.source, e.target)
            for s in e.sources
            if s.kind == "article"
        }
    )
    if articles:
        lines.append("Mentioned in: " + ", ".join(articles))
    return "\n".join(lines)


def edge_tooltip(edge: Edge, labels: dict[str, str]) -> str:
    """Plain-text tooltip of an edge: the statement in words and each of its sources."""
    source = labels.get(edge.source, edge.source)
    target = labels.get(edge.target, edge.target)
    lines = [f"{source} \u2014 {edge.label} \u2192 {target}"]
    if edge.inferred:
        lines.append("(inferred)")
    if edge.sources:
        lines.append("Sources:")
        lines += [f"\u2022 {source_text(s)}" for s in edge.sources]
    return "\n".join(lines)


def _definitions(kg: KnowledgeGraph, nodes: Iterable[Node]) -> dict[str, str]:
    return kg.definitions(n.id for n in nodes)


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) * 2 // 3 for i in (1, 3, 5))
    return f"#{r:02X}{g:02X}{b:02X}"


# -- the assets --------------------------------------------------------------------
def _vis_folder() -> FilePath:
    """The newest ``vis-9.x`` folder inside the installed pyvis package (not imported)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise GraphError("the graph view needs pyvis: pip install -r requirements.txt")
    lib = FilePath(next(iter(spec.submodule_search_locations))) / "templates" / "lib"
    folders = [f for f in lib.glob("vis-9.*") if (f / "vis-network.min.js").is_file()]
    if not folders:
        raise GraphError(f"no vis-network copy found in {lib}; reinstall pyvis")
    return max(folders, key=lambda f: tuple(int(x) for x in re.findall(r"\d+", f.name)))


@functools.cache
def vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet shipped with pyvis, ready to inline.

    Returns
    -------
    (str, str)
        The JavaScript and the CSS text; any ``</script``, ``</style`` or ``<!--``
        in them is neutralised so they can sit inside ``<script>`` and ``<style>``.

    Examples
    --------
    >>> js, css = vis_assets()
    >>> "vis-network" in js and ".vis-network" in css
    True
    """
    folder = _vis_folder()
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    return _inline_safe(js), _inline_safe(css)


def _inline_safe(text: str) -> str:
    text = re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


def spec_json(spec: dict[str, Any]) -> str:
    """``spec`` as JSON safe to put inside a ``<script>`` block.

    >>> spec_json({"label": "</script><img src=x>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(spec, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# -- the page ------------------------------------------------------------------------
def network_html(
    selection: Selection,
    *,
    kg: KnowledgeGraph | None = None,
    title: str | None = None,
    highlight_paths: Sequence[Path] | None = None,
    focus: str | None = None,
    height: int = 640,
) -> str:
    """A standalone HTML page drawing ``selection``, with a legend and tables; no request made.

    Parameters
    ----------
    selection : Selection
    kg : KnowledgeGraph, optional
        For definitions in tooltips and tables.
    title : str, optional
        The page heading; by default the selection's title.
    highlight_paths, focus
        As for :func:`view_spec`.
    height : int
        Height of the drawing in pixels.

    Raises
    ------
    BadInput
        When ``height`` is not a positive whole number.

    Examples
    --------
    >>> from graph.io.selection import Selection
    >>> page = network_html(Selection([Node("http://e/a", "<b>A</b>", "Role")], []))
    >>> "<b>A" in page, "&lt;b&gt;A&lt;/b&gt;" in page, "<script src" in page
    (False, True, False)
    """
    if not isinstance(height, int) or isinstance(height, bool) or height <= 0:
        raise BadInput(f"height must be a positive number of pixels, not {height!r}")
    spec = view_spec(selection, kg=kg, highlight_paths=highlight_paths, focus=focus)
    heading = title if title is not None else (selection.title or "Knowledge graph")
    js, css = vis_assets()
    body = "\n".join(
        [
            f"<h1>{_esc(heading)}</h1>",
            _legend_html(spec["legend"]),
            f'<div id="network" style="height:{height}px" role="img"'
            f' aria-label="{_esc(heading)}: graph drawing; the tables below list the same">'
            "</div>",
            _tables_html(selection, spec),
        ]
    )
    values = {
        "CSP": _CSP,
        "TITLE": _esc(heading),
        "CSS": css,
        "BODY": body,
        "DATA": spec_json(spec),
        "JS": js,
        "APP": _APP_JS,
    }
    # One pass over the template only: text coming from data is never scanned for tokens.
    page = re.sub(r"@@([A-Z]+)@@", lambda m: values[m.group(1)], _PAGE)
    return page


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _legend_html(items: list[dict[str, str]]) -> str:
    entries = "".join(
        f'<li><span class="glyph" style="color:{_esc(item["color"])}" aria-hidden="true">'
        f"{_GLYPHS.get(item['shape'], '?')}</span> {_esc(item['label'])}"
        f' <span class="shape">({_esc(item["shape"])})</span></li>'
        for item in items
    )
    return f'<ul class="legend" aria-label="Legend">{entries}</ul>'


def _tables_html(selection: Selection, spec: dict[str, Any]) -> str:
    labels = {n.id: n.label for n in selection.nodes}
    node_rows = "".join(
        f'<tr data-id="{_esc(item["id"])}"><td>{_esc(item["label"])}</td>'
        f"<td>{_esc(item['type_label'])}</td><td>{_esc(item['definition'])}</td>"
        f"<td><code>{_esc(item['id'])}</code></td></tr>"
        for item in spec["nodes"]
    )
    edge_rows = "".join(
        f"<tr><td>{_esc(labels.get(e.source, e.source))}</td><td>{_esc(e.label)}</td>"
        f"<td>{_esc(labels.get(e.target, e.target))}</td>"
        f"<td>{_esc('; '.join(source_text(s) for s in e.sources))}</td>"
        f"<td>{'yes' if e.inferred else 'no'}</td></tr>"
        for e in {e.key: e for e in selection.edges}.values()
    )
    return (
        f"<h2>Nodes ({len(spec['nodes'])})</h2>"
        '<table id="node-table"><thead><tr><th scope="col">Label</th><th scope="col">Class</th>'
        '<th scope="col">Definition</th><th scope="col">IRI</th></tr></thead>'
        f"<tbody>{node_rows}</tbody></table>"
        f"<h2>Edges ({len(spec['edges'])})</h2>"
        '<table id="edge-table"><thead><tr><th scope="col">From</th>'
        '<th scope="col">Relation</th><th scope="col">To</th><th scope="col">Sources</th>'
        '<th scope="col">Inferred</th></tr></thead>'
        f"<tbody>{edge_rows}</tbody></table>"
    )


# Nothing may be fetched: scripts and styles are inline, images only data: URIs.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>@@CSS@@</style>
<style>
body { font-family: sans-serif; margin: 0.5rem 1rem; color: #222; }
h1 { font-size: 1.3rem; margin: 0.3rem 0; }
h2 { font-size: 1.1rem; margin: 1rem 0 0.3rem; }
#network { width: 100%; border: 1px solid #ccc; background: #fff; }
.legend { list-style: none; padding: 0; margin: 0.3rem 0; display: flex; flex-wrap: wrap;
  gap: 0.3rem 1.2rem; }
.legend .glyph { font-size: 1.2rem; -webkit-text-stroke: 0.5px #333; }
.legend .shape { color: #666; font-size: 0.85rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.4rem; text-align: left;
  vertical-align: top; }
tr.selected { background: #fff3c4; }
div.vis-tooltip { white-space: pre-wrap; max-width: 28rem; font-family: sans-serif; }
.tip { white-space: pre-wrap; }
</style>
</head>
<body>
@@BODY@@
<script type="application/json" id="graph-data">@@DATA@@</script>
<script>@@JS@@</script>
<script>@@APP@@</script>
</body>
</html>
"""

_APP_JS = """
(function () {
  "use strict";
  var spec = JSON.parse(document.getElementById("graph-data").textContent);
  var container = document.getElementById("network");
  if (typeof vis === "undefined") {
    container.textContent = "The drawing could not be shown; the tables list every node and edge.";
    return;
  }
  function asText(text) {
    var el = document.createElement("div");
    el.className = "tip";
    el.textContent = text;
    return el;
  }
  spec.nodes.forEach(function (n) { if (n.title) { n.title = asText(n.title); } });
  spec.edges.forEach(function (e) { if (e.title) { e.title = asText(e.title); } });
  var data = { nodes: new vis.DataSet(spec.nodes), edges: new vis.DataSet(spec.edges) };
  var network = new vis.Network(container, data, spec.options);
  var rows = document.querySelectorAll("#node-table tbody tr");
  network.on("selectNode", function (params) {
    rows.forEach(function (row) {
      row.classList.toggle("selected", params.nodes.indexOf(row.dataset.id) >= 0);
    });
  });
  window.graphView = { network: network, spec: spec };
})();
"""
