"""Graphs for the query tests: a small handmade one, the knowledge base with the aliases
it is meant to have, and ESCO imported from the release kept beside the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph

ROOT = Path(__file__).resolve().parents[2]
ESCO_RELEASE = Path("/work/shared/datasets/esco")

#: Alternative labels the articles use and the knowledge base is to state; loaded on top of
#: it, so tests of ranking hold whether or not the base already has them.
ALIASES = b"""
@prefix ml: <https://w3id.org/mlcareer/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ml:ScikitLearn skos:altLabel "sklearn"@en .
ml:Hadoop skos:altLabel "Apache Hadoop"@en .
"""


def turtle(name: str, text: bytes) -> graph.RdfSource:
    return graph.RdfSource(name, text, ox.RdfFormat.TURTLE)


@pytest.fixture(scope="session")
def kb_aliased(kb: graph.KnowledgeGraph) -> graph.KnowledgeGraph:
    """The knowledge base with the spelling variants of :data:`ALIASES`."""
    return kb.with_sources([turtle("aliases.ttl", ALIASES)])


@pytest.fixture(scope="session")
def esco(tmp_path_factory: pytest.TempPathFactory) -> graph.KnowledgeGraph:
    """ESCO v1.1.1 imported by scripts/import_esco.py into a persistent store (about a minute)."""
    zips = (
        sorted(ESCO_RELEASE.glob("*classification*.zip")),
        sorted(ESCO_RELEASE.glob("*relations*.zip")),
    )
    if not zips[0] or not zips[1]:
        pytest.skip(f"the ESCO release is not in {ESCO_RELEASE}")
    folder = tmp_path_factory.mktemp("esco")
    data = folder / "esco.nq"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "import_esco.py"),
            str(zips[0][0]),
            str(zips[1][0]),
            "-o",
            str(data),
            "--no-progress",
        ],
        check=True,
        capture_output=True,
        timeout=600,
        cwd=ROOT,
    )
    return graph.load([data], default=False, store=folder / "store")
