"""The SHACL shapes: a domain and a range shape for every property, and what they catch.

The shapes in ``ontology/shapes/shapes.ttl`` are compared with the declarations
of ``ontology/schema.ttl`` and ``ontology/schema-additions.ttl``, then run on
small graphs that break one rule each.
"""

from __future__ import annotations

import pyshacl
import pytest
from kb_support import ML, MLC, ONTOLOGY
from rdflib import OWL, RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection

SH = Namespace("http://www.w3.org/ns/shacl#")
HEAD = """
@prefix mlc:  <https://w3id.org/mlcareer/ontology#> .
@prefix ml:   <https://w3id.org/mlcareer/id/> .
@prefix src:  <https://w3id.org/mlcareer/source/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""
CONCEPTS = """
ml:R a mlc:Role ; skos:prefLabel "r"@en ; skos:definition "A role."@en .
ml:S a mlc:Competence ; skos:prefLabel "s"@en ; skos:definition "A skill."@en .
ml:K a mlc:FieldOfStudy ; skos:prefLabel "k"@en ; skos:definition "A field."@en .
ml:P a mlc:LearningParadigm ; skos:prefLabel "p"@en ; skos:definition "A paradigm."@en .
ml:C a mlc:Challenge ; skos:prefLabel "c"@en ; skos:definition "A challenge."@en .
ml:I a mlc:Industry ; skos:prefLabel "i"@en ; skos:definition "An industry."@en .
ml:T a mlc:Tool ; skos:prefLabel "t"@en ; skos:definition "A tool."@en .
ml:D a mlc:Degree ; skos:prefLabel "d"@en ; skos:definition "A degree."@en ; mlc:inField ml:K .
src:a a mlc:Article ; dct:title "A" ; dct:identifier "a.txt" ; dct:publisher "P" .
src:a-s a mlc:SourceSection ; dct:isPartOf src:a ; mlc:locator "Skills" .
"""


@pytest.fixture(scope="module")
def schema() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY / "schema.ttl")
    graph.parse(ONTOLOGY / "schema-additions.ttl")
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes" / "shapes.ttl")


def members(graph: Graph, node: URIRef | BNode, via: URIRef) -> set[URIRef]:
    """The classes (or datatypes) a declaration or a shape names, unions unfolded."""
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return set(Collection(graph, union))
    alternatives = graph.value(node, SH["or"])
    if alternatives is not None:
        return {graph.value(item, via) for item in Collection(graph, alternatives)}
    value = graph.value(node, via)
    return {value} if value is not None else {node}


def properties(schema: Graph) -> list[URIRef]:
    found = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in schema.subjects(RDF.type, kind)
        if str(p).startswith(MLC)
    }
    return sorted(found)


def test_every_property_has_a_domain_and_a_range_shape(schema: Graph, shapes: Graph) -> None:
    props = properties(schema)
    assert len(props) >= 60
    missing = []
    for prop in props:
        datatype = (prop, RDF.type, OWL.DatatypeProperty) in schema
        domain = members(schema, schema.value(prop, RDFS.domain), RDFS.domain)
        range_ = members(schema, schema.value(prop, RDFS.range), RDFS.range)
        targets = list(shapes.subjects(SH.targetSubjectsOf, prop))
        domains = [
            members(shapes, t, SH["class"])
            for t in targets
            if (t, SH["class"], None) in shapes or shapes.value(t, SH["or"]) is not None
        ]
        ranges = [
            members(shapes, ps, SH.datatype if datatype else SH["class"])
            for t in targets
            for ps in shapes.objects(t, SH.property)
            if shapes.value(ps, SH.path) == prop
        ]
        if domain not in domains:
            missing.append((str(prop), "domain", sorted(map(str, domain))))
        if range_ not in ranges:
            missing.append((str(prop), "range", sorted(map(str, range_))))
    assert missing == []


def violations(data: str, schema: Graph, shapes: Graph) -> set[tuple[str, str]]:
    graph = Graph()
    for s, p, o in schema:
        graph.add((s, p, o))
    graph.parse(data=HEAD + CONCEPTS + data, format="turtle")
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, allow_warnings=True)
    found = set()
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = str(report.value(result, SH.focusNode)).removeprefix(ML)
        path = report.value(result, SH.resultPath)
        found.add((focus, str(path).removeprefix(MLC) if isinstance(path, URIRef) else ""))
    return found


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("", set(), id="the-concepts-alone-conform"),
        pytest.param("ml:R mlc:requiresSkill ml:S .", set(), id="role-requires-skill"),
        pytest.param("ml:R mlc:requiresSkill ml:P .", set(), id="role-requires-a-paradigm"),
        pytest.param(
            "ml:R mlc:requiresSkill ml:C .", {("R", "requiresSkill")}, id="a-challenge-is-no-skill"
        ),
        pytest.param("ml:R mlc:requires ml:I .", {("R", "requires")}, id="requires-an-industry"),
        pytest.param("ml:S mlc:requiresSkill ml:S .", {("S", "")}, id="a-skill-requires-a-skill"),
        pytest.param(
            "ml:R mlc:requiresQualification ml:K .",
            {("R", "requiresQualification")},
            id="a-field-is-no-qualification",
        ),
        pytest.param("ml:R mlc:requiresQualification ml:D .", set(), id="a-degree-is-one"),
        pytest.param("ml:T mlc:worksInIndustry ml:I .", {("T", "")}, id="a-tool-works-nowhere"),
        pytest.param("ml:R mlc:facesChallenge ml:C .", set(), id="role-faces-challenge"),
        pytest.param("ml:R mlc:builds ml:T .", {("R", "builds")}, id="a-tool-is-no-artifact"),
        pytest.param(
            'ml:F a mlc:GrowthFigure ; mlc:value 10.0 ; mlc:unit "times" ; mlc:currency "USD" ;'
            " dct:source src:a .",
            {("F", "")},
            id="currency-on-a-count",
        ),
        pytest.param(
            'ml:F a mlc:SalaryFigure ; mlc:currency "USD" ; dct:source src:a .',
            {("F", "")},
            id="a-figure-without-a-number",
        ),
        pytest.param(
            'ml:F a mlc:SalaryFigure ; mlc:median 1.0 ; mlc:currency "USD" ; dct:source src:a ;'
            ' mlc:asOf "May 2022" .',
            {("F", "asOf")},
            id="a-date-as-text",
        ),
        pytest.param(
            'ml:D2 a mlc:Degree ; skos:prefLabel "d2"@en ; skos:definition "D."@en .',
            {("D2", "inField")},
            id="a-degree-without-a-field",
        ),
        pytest.param(
            "src:a-s-p1 a mlc:SourcePassage ; dct:isPartOf src:a ;"
            ' mlc:locator "Skills, paragraph 1" .',
            {("https://w3id.org/mlcareer/source/a-s-p1", "http://purl.org/dc/terms/isPartOf")},
            id="a-passage-outside-any-section",
        ),
        pytest.param(
            'src:a-s-p1 a mlc:SourcePassage ; dct:isPartOf src:a, src:a-s ; mlc:locator "Skills" .',
            {("https://w3id.org/mlcareer/source/a-s-p1", "locator")},
            id="a-passage-locator-without-its-place",
        ),
    ],
)
def test_shapes_catch(
    data: str, expected: set[tuple[str, str]], schema: Graph, shapes: Graph
) -> None:
    assert violations(data, schema, shapes) == expected
