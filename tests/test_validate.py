"""Validation: SHACL shapes, the integrity checks, and what conforming means."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph
from graph.core.kg import KnowledgeGraph
from graph.errors import BadInput, UnsafeInput
from graph.io.loading import RdfSource
from graph.validate import ValidationReport, validate

DATA = Path(__file__).parent / "data"
ML = "https://w3id.org/mlcareer/id/"
MLC = "https://w3id.org/mlcareer/ontology#"
SRC = "https://w3id.org/mlcareer/source/"

PREFIXES = """
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix mlc:  <https://w3id.org/mlcareer/ontology#> .
@prefix ml:   <https://w3id.org/mlcareer/id/> .
@prefix src:  <https://w3id.org/mlcareer/source/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex:   <http://example.org/shapes#> .
"""

DEFINITION_REQUIRED = """
ex:RoleDefinition a sh:NodeShape ; sh:targetClass mlc:Role ;
    sh:property [ sh:path skos:definition ; sh:minCount 1 ;
                  sh:message "A role needs a definition." ] .
"""
SALARY_REQUIRED = """
ex:RoleSalary a sh:NodeShape ; sh:targetClass mlc:Role ;
    sh:property [ sh:path mlc:salary ; sh:minCount 1 ; sh:message "A role needs a salary." ] .
"""
SALARY_EXPECTED = """
ex:RoleSalary a sh:NodeShape ; sh:targetClass mlc:Role ;
    sh:property [ sh:path mlc:salary ; sh:minCount 1 ; sh:severity sh:Warning ;
                  sh:message "A role is expected to give a salary." ] .
"""
SKILL_CLASS = """
ex:SkillRange a sh:NodeShape ; sh:targetSubjectsOf mlc:requiresSkill ;
    sh:property [ sh:path mlc:requiresSkill ; sh:class mlc:Skill ;
                  sh:message "mlc:requiresSkill points to an mlc:Skill." ] .
"""
TOOL_IS_SKILL = """
ex:ToolRange a sh:NodeShape ; sh:targetSubjectsOf mlc:usesTool ;
    sh:property [ sh:path [ sh:alternativePath ( mlc:usesTool mlc:requiresSkill ) ] ;
                  sh:class mlc:Skill ; sh:message "points to a skill" ] .
"""


@pytest.fixture(scope="module")
def mini() -> KnowledgeGraph:
    return graph.load([DATA / "mini.trig"], default=False)


def shapes_dir(tmp_path: Path, *shapes: str) -> Path:
    folder = tmp_path / "shapes"
    folder.mkdir(exist_ok=True)
    (folder / "test.ttl").write_text(PREFIXES + "\n".join(shapes), encoding="utf-8")
    return folder


def with_data(kg: KnowledgeGraph, trig: str) -> KnowledgeGraph:
    extra = RdfSource("extra.trig", (PREFIXES + trig).encode(), ox.RdfFormat.TRIG)
    return kg.with_sources([extra])


def by_shape(report: ValidationReport, shape: str) -> list[dict]:
    return [r for r in report.results if r["shape"] == shape]


# -- SHACL -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("shapes", "conforms", "violations", "warnings"),
    [
        pytest.param([DEFINITION_REQUIRED], True, 0, 0, id="definitions-present"),
        pytest.param([SALARY_REQUIRED], False, 5, 0, id="salary-missing-is-a-violation"),
        pytest.param([SALARY_EXPECTED], True, 0, 5, id="salary-missing-is-a-warning"),
        pytest.param([SKILL_CLASS], True, 0, 0, id="sh-class-follows-subclasses"),
        pytest.param([DEFINITION_REQUIRED, SALARY_REQUIRED], False, 5, 0, id="two-shapes"),
    ],
)
def test_inline_shapes_on_mini(mini, tmp_path, shapes, conforms, violations, warnings):
    report = validate(mini, shapes_dir=shapes_dir(tmp_path, *shapes))
    shacl = [r for r in report.results if r["shape"].startswith("http://example.org/shapes#")]
    assert report.conforms is conforms
    assert sum(r["severity"] == "Violation" for r in shacl) == violations
    assert sum(r["severity"] == "Warning" for r in shacl) == warnings


def test_a_result_names_focus_path_message_and_shape(mini, tmp_path):
    report = validate(mini, shapes_dir=shapes_dir(tmp_path, SALARY_REQUIRED))
    result = by_shape(report, "http://example.org/shapes#RoleSalary")[0]
    assert result["focus"].startswith(ML)
    assert result["path"] == MLC + "salary"
    assert result["message"] == "A role needs a salary."
    assert result["severity"] == "Violation"


def test_a_path_in_words(mini, tmp_path):
    bad = with_data(mini, "src:a-skills { ml:Programming mlc:requiresSkill ml:Python . }")
    report = validate(bad, shapes_dir=shapes_dir(tmp_path, TOOL_IS_SKILL))
    paths = {r["path"] for r in by_shape(report, "http://example.org/shapes#ToolRange")}
    assert paths == {"mlc:usesTool | mlc:requiresSkill"}


def test_a_shape_that_would_reach_outside_is_refused(mini, tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    port = server.getsockname()[1]
    shape = f"""
ex:Remote a sh:NodeShape ; sh:targetClass mlc:Role ;
    sh:sparql [ sh:select "SELECT $this {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}" ] .
"""
    try:
        with pytest.raises(UnsafeInput):
            validate(mini, shapes_dir=shapes_dir(tmp_path, shape))
        with pytest.raises(OSError):
            server.accept()  # nobody called
    finally:
        server.close()


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        pytest.param(lambda tmp: tmp / "missing", BadInput, id="missing-folder"),
        pytest.param(
            lambda tmp: shapes_dir(tmp, "ex:Broken a sh:NodeShape ; sh:targetClass ."),
            BadInput,
            id="malformed-shapes",
        ),
    ],
)
def test_unusable_shapes(mini, tmp_path, setup, error):
    with pytest.raises(error):
        validate(mini, shapes_dir=setup(tmp_path))


def test_mini_against_the_knowledge_base_shapes(mini):
    report = validate(mini)
    assert report.conforms, report.text
    assert by_shape(report, "declared-class")  # mini's schema leaves mlc:Article undeclared


# -- integrity checks ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("trig", "check", "focus", "severity"),
    [
        pytest.param(
            "src:a-skills { ml:Python mlc:usesTool ml:Unlabelled . }",
            "label-of-edge-endpoint",
            ML + "Unlabelled",
            "Violation",
            id="edge-to-an-unlabelled-node",
        ),
        pytest.param(
            "src:mystery { ml:Python mlc:usesTool ml:SQL . }",
            "described-graph",
            SRC + "mystery",
            "Violation",
            id="undescribed-graph",
        ),
        pytest.param(
            'src:vocabulary { ml:Python skos:altLabel "  "@en . }',
            "non-empty-literal",
            ML + "Python",
            "Violation",
            id="empty-literal",
        ),
        pytest.param(
            'src:vocabulary { ml:Gizmo a mlc:Gadget ; skos:prefLabel "Gizmo"@en . }',
            "declared-class",
            MLC + "Gadget",
            "Warning",
            id="undeclared-class",
        ),
        pytest.param(
            'src:vocabulary { ml:Python mlc:madeUp "x" . }',
            "declared-property",
            MLC + "madeUp",
            "Warning",
            id="undeclared-property",
        ),
    ],
)
def test_integrity_checks(mini, tmp_path, trig, check, focus, severity):
    before = validate(mini, shapes_dir=shapes_dir(tmp_path))
    assert not by_shape(before, check) or focus not in {r["focus"] for r in by_shape(before, check)}
    report = validate(with_data(mini, trig), shapes_dir=shapes_dir(tmp_path))
    found = [r for r in by_shape(report, check) if r["focus"] == focus]
    assert [r["severity"] for r in found] == [severity]
    assert report.conforms is (severity != "Violation")


@pytest.mark.parametrize(
    "trig",
    [
        pytest.param("src:curated { ml:Python mlc:usesTool ml:SQL . }", id="curated-graph"),
        pytest.param("src:inferred { ml:SQL mlc:usesTool ml:Python . }", id="inferred-graph"),
        pytest.param("ml:Python mlc:usesTool ml:SQL .", id="a-file-graph"),
        pytest.param(
            "src:vocabulary { ml:Python skos:exactMatch <http://esco/x> . }",
            id="match-to-an-unlabelled-external-node",
        ),
    ],
)
def test_statements_that_pass_the_integrity_checks(mini, tmp_path, trig):
    report = validate(with_data(mini, trig), shapes_dir=shapes_dir(tmp_path))
    assert report.conforms, report.text


# -- the report ------------------------------------------------------------------------------
def test_report_text_and_dict(mini, tmp_path):
    report = validate(mini, shapes_dir=shapes_dir(tmp_path, SALARY_REQUIRED, SALARY_EXPECTED))
    first, *rest = report.text.splitlines()
    assert first.startswith("does not conform: 5 violations, ")
    assert rest[0].startswith("Violation: ml:")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["conforms"] is False and data["counts"]["Violation"] == 5


def test_the_loaded_graph_is_left_as_it_was(mini, tmp_path):
    before = mini.triple_count()
    validate(mini, shapes_dir=shapes_dir(tmp_path, SALARY_REQUIRED))
    assert mini.triple_count() == before


def test_the_knowledge_base_conforms():
    report = validate(graph.load())
    assert report.conforms, report.text
