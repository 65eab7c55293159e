"""A standalone HTML page that draws a selection: vis-network inlined, no request made.

The vis-network script and style are read from the pyvis package on disk and
inlined (:func:`vis_assets`); the data goes in as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&``
escaped (:func:`spec_json`); tooltips are DOM elements filled with
``textContent``; every text put into markup is ``html.escape``-d; and a
Content-Security-Policy forbids any request.  The same assets serve the app's
component.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import re
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, GraphError
from ..model import Path
from .view import view_spec
from .words import source_text

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from .selection import Selection

__all__ = ["network_html", "renderer_assets", "spec_json", "vis_assets"]

ASSETS = FilePath(__file__).parent / "assets"


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
    >>> "vis-network" in js and ".vis-network" in css and "url(" not in css
    True
    """
    folder = _vis_folder()
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # The images of the navigation and editing buttons (200 KB of data: URLs) style
    # buttons the renderer turns off; every page and every run of the app would carry them.
    css = _IMAGE_RULE.sub("", css)
    return _inline_safe(js), _inline_safe(css)


_IMAGE_RULE = re.compile(r"[^{}]+\{[^{}]*url\([^)]*\)[^{}]*\}")


@functools.cache
def renderer_assets() -> tuple[str, str]:
    """The project's renderer (``assets/network.js``, ``panel.js``, ``network.css``), to inline.

    The same script draws the app's graph and the standalone page: it defines
    ``KGView.mount(container, spec, options)`` (which needs vis-network loaded
    first) and ``KGPanel``, the node panel beside the drawing.

    >>> js, css = renderer_assets()
    >>> "KGView" in js and "KGPanel" in js and ".kg-legend" in css
    True
    """
    js = "\n;\n".join(
        (ASSETS / name).read_text(encoding="utf-8") for name in ("network.js", "panel.js")
    )
    css = (ASSETS / "network.css").read_text(encoding="utf-8")
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
    >>> from graph.model import Node
    >>> page = network_html(Selection([Node("http://e/a", "<b>A</b>", "Role")], []))
    >>> "<b>A" in page, "&lt;b&gt;A&lt;/b&gt;" in page, "<script src" in page
    (False, True, False)
    """
    if not isinstance(height, int) or isinstance(height, bool) or height <= 0:
        raise BadInput(f"height must be a positive number of pixels, not {height!r}")
    spec = view_spec(selection, kg=kg, highlight_paths=highlight_paths, focus=focus)
    heading = title if title is not None else (selection.title or "Knowledge graph")
    js, css = vis_assets()
    renderer_js, renderer_css = renderer_assets()
    body = "\n".join(
        [
            f"<h1>{_esc(heading)}</h1>",
            '<div class="kg-split">'
            f'<div id="network" data-height="{height}"'
            f' aria-label="{_esc(heading)}: graph drawing; the tables below list the same">'
            "</div>"
            '<aside id="panel" class="kg-panel" aria-label="The selected node"></aside></div>',
            _tables_html(selection, spec),
        ]
    )
    values = {
        "CSP": _CSP,
        "TITLE": _esc(heading),
        "CSS": css + "\n" + renderer_css,
        "BODY": body,
        "DATA": spec_json(spec),
        "JS": js,
        "RENDERER": renderer_js,
        "APP": _APP_JS,
    }
    # One pass over the template only: text coming from data is never scanned for tokens.
    page = re.sub(r"@@([A-Z]+)@@", lambda m: values[m.group(1)], _PAGE)
    return page


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


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
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.4rem; text-align: left;
  vertical-align: top; }
tr.selected { background: #fff3c4; }
</style>
</head>
<body>
@@BODY@@
<script type="application/json" id="graph-data">@@DATA@@</script>
<script>@@JS@@</script>
<script>@@RENDERER@@</script>
<script>@@APP@@</script>
</body>
</html>
"""

_APP_JS = """
(function () {
  "use strict";
  var spec = JSON.parse(document.getElementById("graph-data").textContent);
  var container = document.getElementById("network");
  if (typeof KGView === "undefined") {
    container.textContent = "The drawing could not be shown; the tables list every node and edge.";
    return;
  }
  var rows = document.querySelectorAll("#node-table tbody tr");
  var panel = document.getElementById("panel");
  function select(id) {
    rows.forEach(function (row) { row.classList.toggle("selected", row.dataset.id === id); });
    if (typeof KGPanel === "undefined") return;
    KGPanel.draw(panel, KGPanel.fromView(spec, id), { onOpen: open });
  }
  function open(id) {
    view.network.selectNodes([id]);
    view.network.focus(id, { animation: false, scale: view.network.getScale() });
    select(id);
  }
  var view = KGView.mount(container, spec, {
    name: "page",
    height: Number(container.dataset.height) || 640,
    actions: [{ kind: "hide", label: "Hide", help: "Hide this node from the drawing",
                run: function (id) { view.hide(id); } }],
    onSelect: select,
  });
  if (spec.focus) select(spec.focus);
  else panel.textContent = "Click a node: what this drawing says about it is listed here.";
  window.graphView = { network: view.network, spec: spec, view: view };
})();
"""
