"""Graph exports read by JavaScript readers the project did not write: cytoscape.js reads
the Cytoscape JSON, graphology-gexf the GEXF.  Both come from the npm registry at
test time (once per machine, into ``~/.cache/mlcareer-test-data/node``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.io.export import export
from graph.io.selection import Selection

pytestmark = pytest.mark.slow
PACKAGES = ["cytoscape@3.34.4", "graphology@0.25.4", "graphology-gexf@0.13.2"]
FOLDER = Path.home() / ".cache" / "mlcareer-test-data" / "node"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are not installed")
    if not (FOLDER / "node_modules" / "graphology-gexf").exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(FOLDER),
                *PACKAGES,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            pytest.fail(f"npm install failed: {done.stderr[-300:]}")
    return FOLDER / "node_modules"


def _node(script: str, folder: Path) -> dict:
    done = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=120, cwd=folder.parent
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_cytoscape_js_reads_the_cytoscape_export(kb, node_modules, tmp_path) -> None:
    selection = Selection.everything(kb)
    path = tmp_path / "kb.cyjs"
    path.write_bytes(export(kb, selection, "cyjs"))
    counts = _node(
        "const cytoscape = require('cytoscape');"
        f"const doc = JSON.parse(require('fs').readFileSync({json.dumps(str(path))}));"
        "const cy = cytoscape({headless: true, elements: doc.elements});"
        "console.log(JSON.stringify({nodes: cy.nodes().length, edges: cy.edges().length}));",
        node_modules,
    )
    assert counts == {"nodes": len(selection.nodes), "edges": len(selection.edges)}


def test_graphology_reads_the_gexf_export(kb, node_modules, tmp_path) -> None:
    selection = Selection.everything(kb)
    path = tmp_path / "kb.gexf"
    path.write_bytes(export(kb, selection, "gexf"))
    counts = _node(
        "const Graph = require('graphology'); const gexf = require('graphology-gexf');"
        f"const text = require('fs').readFileSync({json.dumps(str(path))}, 'utf8');"
        "const g = gexf.parse(Graph.MultiGraph, text);"
        "console.log(JSON.stringify({nodes: g.order, edges: g.size}));",
        node_modules,
    )
    assert counts == {"nodes": len(selection.nodes), "edges": len(selection.edges)}
