"""Tests of the schema, shapes, rules, query gallery and the RDF scripts.

Covers ontology/schema.ttl, ontology/shapes, ontology/rules with scripts/infer.py,
ontology/queries, scripts/import_esco.py, scripts/synth.py and
scripts/propose_esco_links.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parent.parent.parent
ONTOLOGY = ROOT / "ontology"
SCRIPTS = ROOT / "scripts"
TINY = Path(__file__).resolve().parent.parent / "data" / "tiny"
sys.path.insert(0, str(SCRIPTS))

import import_esco  # noqa: E402
import infer  # noqa: E402
import propose_esco_links  # noqa: E402

MLC = Namespace("https://w3id.org/mlcareer/ontology#")
ML = Namespace("https://w3id.org/mlcareer/id/")
SRC = Namespace("https://w3id.org/mlcareer/source/")
PREFIXES = {
    "mlc": str(MLC),
    "ml": str(ML),
    "src": str(SRC),
    "skos": str(SKOS),
    "schema": "https://schema.org/",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "esco": "http://data.europa.eu/esco/model#",
}
HEAD = "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()) + "\n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a script of the project with the current interpreter."""
    return subprocess.run(
        [sys.executable, *map(str, args)], capture_output=True, text=True, cwd=ROOT, check=False
    )


# --------------------------------------------------------------------------- schema


@pytest.fixture(scope="module")
def schema() -> Graph:
    return Graph().parse(ONTOLOGY / "schema.ttl")


def ours(graph: Graph, kind: URIRef) -> list[URIRef]:
    return [s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(MLC))]


def test_schema_has_ontology_metadata(schema: Graph) -> None:
    onto = URIRef("https://w3id.org/mlcareer/ontology")
    assert (onto, RDF.type, OWL.Ontology) in schema
    assert schema.value(onto, OWL.versionInfo) == Literal("1.0.0")
    assert schema.value(onto, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


@pytest.mark.parametrize("kind", [OWL.ObjectProperty, OWL.DatatypeProperty])
def test_every_property_has_label_definition_domain_range(schema: Graph, kind: URIRef) -> None:
    props = ours(schema, kind)
    assert props
    for prop in props:
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.definition, RDFS.domain, RDFS.range):
            assert schema.value(prop, predicate) is not None, (prop, predicate)


def test_every_class_has_labels_and_definition(schema: Graph) -> None:
    classes = ours(schema, OWL.Class)
    assert MLC.Role in classes and MLC.ProgrammingLanguage in classes
    for cls in classes:
        pref = list(schema.objects(cls, SKOS.prefLabel))
        assert len(pref) == 1 and pref[0].language == "en", cls
        assert schema.value(cls, SKOS.definition) is not None, cls


def test_external_terms_carry_no_labels(schema: Graph) -> None:
    for predicate in (RDFS.label, SKOS.prefLabel):
        for subject in schema.subjects(predicate, None):
            assert str(subject).startswith("https://w3id.org/mlcareer/ontology"), subject


def test_inverses_are_declared_both_ways(schema: Graph) -> None:
    pairs = list(schema.subject_objects(OWL.inverseOf))
    assert (MLC.requiresSkill, MLC.requiredBy) in pairs
    for p, q in pairs:
        assert (q, OWL.inverseOf, p) in schema, (p, q)


# --------------------------------------------------------------------------- shapes


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes" / "shapes.ttl")


def validate(data: str, shapes: Graph) -> tuple[bool, Graph]:
    graph = Graph().parse(ONTOLOGY / "schema.ttl").parse(data=HEAD + data, format="turtle")
    conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, allow_warnings=True)
    return conforms, report


def violations(report: Graph) -> set[tuple[str, str]]:
    sh = Namespace("http://www.w3.org/ns/shacl#")
    found = set()
    for result in report.subjects(sh.resultSeverity, sh.Violation):
        found.add(
            (str(report.value(result, sh.focusNode)), str(report.value(result, sh.resultPath)))
        )
    return found


def test_shapes_catch_two_preferred_labels(shapes: Graph) -> None:
    conforms, report = validate(
        'ml:X a mlc:Tool ; skos:prefLabel "x"@en, "ex"@en ; skos:definition "A tool."@en .', shapes
    )
    assert not conforms
    assert (str(ML.X), str(SKOS.prefLabel)) in violations(report)


def test_shapes_catch_a_figure_without_currency(shapes: Graph) -> None:
    conforms, report = validate(
        "ml:F a mlc:SalaryFigure ; mlc:median 10.0 ; dct:source src:a ;\n"
        '    mlc:duration "P1Y"^^xsd:duration .\n'
        'src:a a mlc:Article ; dct:title "A" ; dct:identifier "a.txt" .',
        shapes,
    )
    assert not conforms
    assert violations(report) == {(str(ML.F), str(MLC.currency))}


def test_shapes_catch_a_wrong_range(shapes: Graph) -> None:
    conforms, report = validate(
        'ml:R a mlc:Role ; skos:prefLabel "r"@en ; skos:definition "A role."@en ;\n'
        "    mlc:requiresSkill ml:T .\n"
        'ml:T a mlc:Tool ; skos:prefLabel "t"@en ; skos:definition "A tool."@en .',
        shapes,
    )
    assert not conforms
    assert (str(ML.R), str(MLC.requiresSkill)) in violations(report)


def test_tiny_dataset_conforms(shapes: Graph) -> None:
    data = Dataset()
    data.parse(TINY / "knowledge.trig", format="trig")
    graph = Graph().parse(ONTOLOGY / "schema.ttl")
    for s, p, o, _g in data.quads((None, None, None, None)):
        graph.add((s, p, o))
    conforms, _report, text = pyshacl.validate(graph, shacl_graph=shapes, allow_warnings=True)
    assert conforms, text


def test_knowledge_base_conforms(shapes: Graph) -> None:
    graph = Graph()
    for path in infer.data_files(ONTOLOGY, ONTOLOGY / "inferred.trig"):
        if path.suffix == ".trig":
            data = Dataset()
            data.parse(path, format="trig")
            for s, p, o, _g in data.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path)
    inferred = Dataset()
    if (ONTOLOGY / "inferred.trig").exists():
        inferred.parse(ONTOLOGY / "inferred.trig", format="trig")
    for s, p, o, _g in inferred.quads((None, None, None, None)):
        graph.add((s, p, o))
    conforms, _report, text = pyshacl.validate(graph, shacl_graph=shapes, allow_warnings=True)
    assert conforms, text


# --------------------------------------------------------------------------- rules


@pytest.fixture()
def tiny_ontology(tmp_path: Path) -> Path:
    folder = tmp_path / "ontology"
    folder.mkdir()
    shutil.copy(ONTOLOGY / "schema.ttl", folder)
    shutil.copy(TINY / "knowledge.trig", folder)
    return folder


def inferred_graph(text: str) -> Graph:
    data = Dataset()
    data.parse(data=text, format="trig")
    graph = Graph()
    for s, p, o, g in data.quads((None, None, None, None)):
        assert g == SRC.inferred
        graph.add((s, p, o))
    return graph


def test_rules_only_use_the_union_default_graph() -> None:
    rules = sorted((ONTOLOGY / "rules").glob("*.rq"))
    assert len(rules) >= 4
    for rule in rules:
        text = rule.read_text(encoding="utf-8")
        assert text.startswith("# title:"), rule
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        assert "GRAPH" not in body.upper(), rule
        assert "CONSTRUCT" in body.upper(), rule


def test_rules_infer_inverses_on_inline_data(tmp_path: Path) -> None:
    folder = tmp_path / "ontology"
    folder.mkdir()
    shutil.copy(ONTOLOGY / "schema.ttl", folder)
    (folder / "data.trig").write_text(
        HEAD + "src:g { ml:A mlc:requiresSkill ml:S . ml:S mlc:usesTool ml:T . }\n",
        encoding="utf-8",
    )
    text, _count = infer.build(folder, ONTOLOGY / "rules", folder / "inferred.trig")
    graph = inferred_graph(text)
    assert (ML.S, MLC.requiredBy, ML.A) in graph
    assert (ML.T, MLC.toolUsedBy, ML.S) in graph
    assert (ML.A, MLC.requiresSkill, ML.S) not in graph  # asserted, so not repeated


def test_rules_on_the_tiny_dataset(tiny_ontology: Path) -> None:
    text, count = infer.build(tiny_ontology, ONTOLOGY / "rules", tiny_ontology / "inferred.trig")
    graph = inferred_graph(text)
    assert count == len(graph) - 3  # the graph's own three description statements
    expected = [
        (ML.Probability, MLC.requiredBy, ML.TestEngineer),
        (ML.TestAnalyst, MLC.collaboratesWith, ML.TestEngineer),
        (ML.Statistics, MLC.narrower, ML.Probability),
        (ML.Probability, SKOS.broader, ML.Statistics),
        (ML.Statistics, SKOS.narrower, ML.Probability),
        (ML.Probability, SKOS.broaderTransitive, ML.Mathematics),
        (ML.Mathematics, SKOS.narrowerTransitive, ML.Probability),
        (ML.HybridEngineer, MLC.requiresSkill, ML.Probability),
        (ML.HybridEngineer, MLC.usesTool, ML.Python),
        (ML.Python, MLC.toolUsedBy, ML.HybridEngineer),
        (SRC.inferred, RDF.type, MLC.InferredGraph),
    ]
    for triple in expected:
        assert triple in graph, triple
    assert (ML.TestEngineer, MLC.requiresSkill, ML.Probability) not in graph
    # SKOS keeps chains out of skos:broader, and mlc:broader is not transitive.
    assert (ML.Probability, SKOS.broader, ML.Mathematics) not in graph
    assert (ML.Probability, MLC.broader, ML.Mathematics) not in graph


def test_infer_is_deterministic_and_checks_staleness(tiny_ontology: Path) -> None:
    out = tiny_ontology / "inferred.trig"
    args = ("--ontology", tiny_ontology, "--rules", ONTOLOGY / "rules", "--output", out)
    assert run(SCRIPTS / "infer.py", *args).returncode == 0
    first = out.read_bytes()
    assert run(SCRIPTS / "infer.py", *args).returncode == 0
    assert out.read_bytes() == first
    assert run(SCRIPTS / "infer.py", *args, "--check").returncode == 0
    with (tiny_ontology / "knowledge.trig").open("a", encoding="utf-8") as handle:
        handle.write(
            "\nsrc:extra { <https://w3id.org/mlcareer/id/TestAnalyst> "
            "<https://w3id.org/mlcareer/ontology#requiresSkill> "
            "<https://w3id.org/mlcareer/id/Statistics> . }\n"
        )
    stale = run(SCRIPTS / "infer.py", *args, "--check")
    assert stale.returncode == 1
    assert "stale" in stale.stderr


def test_committed_inferred_file_is_up_to_date() -> None:
    result = run(SCRIPTS / "infer.py", "--check")
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- queries

QUERIES = sorted((ONTOLOGY / "queries").glob("*.rq"))


def test_gallery_has_at_least_twelve_queries() -> None:
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_gallery_query_parses_and_is_described(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# title: ") and len(lines[0]) > len("# title: ")
    assert lines[1].startswith("# description: ") and len(lines[1]) > len("# description: ")
    store = ox.Store()
    list(store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True))


# --------------------------------------------------------------------------- ESCO import

OCCUPATIONS = (
    "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description,code\n"
    'Occupation,http://data.europa.eu/esco/occupation/o1,2511,model builder,"model maker\n'
    'builder of models",,released,,,,,,"Builds models, ""carefully"".",2511.1\n'
    "Occupation,http://data.europa.eu/esco/occupation/o2,2511,broken row,,,released,,,,,,,,x,y\n"
    "Occupation,http://data.europa.eu/esco/occupation/o3,2511,data tamer,,,released,,,,,,"
    "Tames data.,2511.2\n"
)
SKILLS = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,scopeNote,definition,inScheme,description\n"
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,cross-sector,"
    "tensor algebra,,,released,,,,,Algebra of tensors.\n"
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s2,skill/competence,"
    "cross-sector,train models,fit models,,released,,,,,Fit models to data.\n"
)
ISCO = (
    "conceptType,conceptUri,code,preferredLabel,status,altLabels,inScheme,description\n"
    "ISCOGroup,http://data.europa.eu/esco/isco/C2511,2511,Systems analysts,released,,,"
    "Analyse systems.\n"
)
SKILL_GROUPS = (
    "conceptType,conceptUri,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,scopeNote,inScheme,description,code\n"
    "SkillGroup,http://data.europa.eu/esco/skill/g1,mathematics group,,,released,"
    ",,,,S1\n"
)
OCC_SKILL = (
    "occupationUri,relationType,skillType,skillUri\n"
    "http://data.europa.eu/esco/occupation/o1,essential,knowledge,"
    "http://data.europa.eu/esco/skill/s1\n"
    "http://data.europa.eu/esco/occupation/o1,optional,skill/competence,"
    "http://data.europa.eu/esco/skill/s2\n"
    "http://data.europa.eu/esco/occupation/o3,sometimes,knowledge,"
    "http://data.europa.eu/esco/skill/s1\n"
)
SKILL_SKILL = (
    "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri\n"
    "http://data.europa.eu/esco/skill/s2,skill/competence,essential,knowledge,"
    "http://data.europa.eu/esco/skill/s1\n"
)
BROADER_OCC = (
    "conceptType,conceptUri,broaderType,broaderUri\n"
    "Occupation,http://data.europa.eu/esco/occupation/o1,ISCOGroup,"
    "http://data.europa.eu/esco/isco/C2511\n"
)
BROADER_SKILL = (
    "conceptType,conceptUri,broaderType,broaderUri\n"
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,SkillGroup,"
    "http://data.europa.eu/esco/skill/g1\n"
)


def make_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


@pytest.fixture()
def esco_zips(tmp_path: Path) -> tuple[Path, Path]:
    classification = make_zip(
        tmp_path / "esco-v9.9-classification-en-csv.zip",
        {
            "occupations_en.csv": OCCUPATIONS,
            "skills_en.csv": SKILLS,
            "ISCOGroups_en.csv": ISCO,
            "skillGroups_en.csv": SKILL_GROUPS,
        },
    )
    relations = make_zip(
        tmp_path / "esco-v9.9-relations-csv.zip",
        {
            "occupationSkillRelations.csv": OCC_SKILL,
            "skillSkillRelations.csv": SKILL_SKILL,
            "broaderRelationsOccPillar.csv": BROADER_OCC,
            "broaderRelationsSkillPillar.csv": BROADER_SKILL,
        },
    )
    return classification, relations


def test_import_esco_on_a_tiny_release(esco_zips: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "esco.nq"
    result = run(SCRIPTS / "import_esco.py", *esco_zips, "-o", out, "--no-progress")
    assert result.returncode == 0, result.stderr
    # The first record spans lines 2-3, so the malformed one starts on line 4.
    assert "occupations_en.csv:4: expected 14 fields, found 16" in result.stderr
    assert "occupationSkillRelations.csv:4: unknown relationType 'sometimes'" in result.stderr
    assert "malformed rows: 2" in result.stdout

    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    graph = ox.NamedNode(import_esco.DEFAULT_GRAPH)
    esco = "http://data.europa.eu/esco/"

    def has(s: str, p: str, o: ox.NamedNode | ox.Literal) -> bool:
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph) in store

    def node(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    o1, s1, s2 = esco + "occupation/o1", esco + "skill/s1", esco + "skill/s2"
    assert has(o1, str(RDF.type), node(str(MLC.Role)))
    assert has(o1, str(RDF.type), node("http://data.europa.eu/esco/model#Occupation"))
    assert has(o1, str(SKOS.prefLabel), ox.Literal("model builder", language="en"))
    assert has(o1, str(SKOS.altLabel), ox.Literal("builder of models", language="en"))
    assert has(o1, str(SKOS.definition), ox.Literal('Builds models, "carefully".', language="en"))
    assert has(o1, str(MLC.requiresSkill), node(s1))
    assert has(o1, str(MLC.optionalSkill), node(s2))
    assert has(o1, str(MLC.broader), node(esco + "isco/C2511"))
    assert has(s1, str(RDF.type), node(str(MLC.Knowledge)))
    assert has(s2, str(RDF.type), node(str(MLC.Competence)))
    assert has(s2, str(MLC.essentialRelatedSkill), node(s1))
    assert has(s1, str(MLC.broader), node(esco + "skill/g1"))
    assert has(esco + "isco/C2511", str(RDF.type), node(str(MLC.OccupationGroup)))
    assert has(
        str(MLC.optionalSkill),
        str(SKOS.definition),
        next(
            store.quads_for_pattern(node(str(MLC.optionalSkill)), node(str(SKOS.definition)), None)
        ).object,
    )
    assert has(
        import_esco.DEFAULT_GRAPH,
        "http://purl.org/dc/terms/rightsHolder",
        ox.Literal("European Commission", language="en"),
    )
    assert not list(store.quads_for_pattern(node(esco + "occupation/o2"), None, None))
    assert {q.graph_name for q in store} == {graph}
    assert f"triples: {len(store)}" in result.stdout.replace(",", "")


# --------------------------------------------------------------------------- synthetic data


def test_synth_gives_about_the_asked_size_and_is_deterministic(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.nq"
    for path, seed in ((first, "3"), (second, "3"), (other, "4")):
        result = run(SCRIPTS / "synth.py", "--triples", "5000", "-o", path, "--seed", seed)
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    store = ox.Store()
    store.load(path=str(first), format=ox.RdfFormat.N_QUADS)
    assert 4750 <= len(store) <= 5000
    predicates = {q.predicate.value for q in store}
    for expected in (
        MLC.requiresSkill,
        MLC.usesTool,
        MLC.optionalSkill,
        MLC.broader,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.definition,
    ):
        assert str(expected) in predicates


# --------------------------------------------------------------------------- ESCO links


def test_label_normalisation() -> None:
    assert propose_esco_links.normalise("Python (computer programming)") == "python"
    assert propose_esco_links.normalise("  Data-Science ") == "data science"
    assert propose_esco_links.normalise("C++") == "c++"


def test_esco_links_file_matches_the_accept_list() -> None:
    links = propose_esco_links.read_accept(ONTOLOGY / "esco-links.accept.tsv")
    assert links
    text = (ONTOLOGY / "esco-links.trig").read_text(encoding="utf-8")
    assert propose_esco_links.render_links(links) == text
    known = {c.iri for c in propose_esco_links.load_ours(ONTOLOGY)}
    assert {our for our, *_ in links} <= known
