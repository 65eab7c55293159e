"""The package as pip installs it: the knowledge base travels with it and ``mlcareer`` runs.

The wheel is built from the checkout and installed into a folder of its own
(dependencies come from the test environment); the command then runs from
another folder, where no ``ontology/`` is in sight.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, ROOT],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("mlcareer_graph-*.whl")
    return found


def test_the_wheel_carries_the_knowledge_base_and_the_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "mlcareer = graph.cli:run" in archive.read(entry_points).decode()
    for expected in (
        "graph/kb/schema.ttl",
        "graph/kb/knowledge/001-shankar-how-to-become.trig",
        "graph/kb/shapes/shapes.ttl",
        "graph/kb/queries/01-skills-of-a-role-with-sources.rq",
        "graph/backends/query_worker.py",
        "graph/io/assets/network.js",  # the renderer the HTML export inlines
    ):
        assert expected in names


def test_the_installed_command_answers_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", target, wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "from graph.cli import run; run()"
    done = subprocess.run(
        [sys.executable, "-c", code, "path", "skills linking Python to Core ML engineer"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Python" in done.stdout and "core ML engineer" in done.stdout
    assert (
        str(target)
        in subprocess.run(
            [sys.executable, "-c", "import graph.io.loading as l; print(l.DEFAULT_DATA_DIR)"],
            capture_output=True,
            text=True,
            cwd=elsewhere,
            env={"PYTHONPATH": str(target)},
            check=True,
        ).stdout
    )
