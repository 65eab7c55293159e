"""What the knowledge-base tests share: where the articles are, the store, the review script.

The four source articles live in ``shared/seeds`` beside the checkout (CI clones
the project next to ``shared``); a worktree one folder deeper finds them too,
and ``MLCAREER_SEEDS`` names another folder. Tests that read the articles are
skipped when no such folder exists, except under CI (``CI`` set), where a
missing folder fails them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
SCRIPTS = ROOT / "scripts"


def _script(name: str):
    """A script of ``scripts/`` imported as a module, without touching ``sys.path``."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


review = _script("review")

MLC = "https://w3id.org/mlcareer/ontology#"
ML = "https://w3id.org/mlcareer/id/"
SRC = "https://w3id.org/mlcareer/source/"
PREFIXES = f"""
PREFIX mlc: <{MLC}>
PREFIX ml: <{ML}>
PREFIX src: <{SRC}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX esco: <http://data.europa.eu/esco/model#>
PREFIX schema: <https://schema.org/>
"""

__all__ = [
    "ML", "MLC", "ONTOLOGY", "ROOT", "SRC",
    "ask", "find_seeds", "load_store", "local", "review", "seeds_or_skip", "select",
]  # fmt: skip


def find_seeds() -> Path | None:
    """The folder of the source articles: ``MLCAREER_SEEDS``, else ``shared/seeds`` above."""
    named = os.environ.get("MLCAREER_SEEDS")
    if named:
        return Path(named)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


def seeds_or_skip() -> Path:
    """The articles' folder; a skip when it is absent, a failure when CI expects it."""
    seeds = find_seeds()
    if seeds is not None and seeds.is_dir():
        return seeds
    message = "the source articles (shared/seeds) are not beside the project"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def load_store() -> ox.Store:
    """Every data file of the knowledge base in one store, as the review script reads it."""
    return review.load_store(ONTOLOGY)


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    """Run a SELECT over the union of all graphs; each row as a tuple of strings."""
    rows = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [tuple(term.value if term is not None else "" for term in row) for row in rows]


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=True))


def local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
