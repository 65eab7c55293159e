"""Selections, the networkx projection and every export format, read back."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections import defaultdict

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.core.kg import KnowledgeGraph
from graph.errors import BadInput
from graph.io.export import FORMATS, ExportFormat, export, file_name, media_type, parse_format
from graph.io.loading import RdfSource
from graph.io.projection import to_networkx
from graph.io.selection import Selection
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths
from graph.terms import Lit, Quad, from_ox
from graph.vocab.namespaces import DCT, ML, MLC, RDF, SKOS, SRC, XSD

# rdflib's own TriG and JSON-LD parsers still use its deprecated dataset API inside.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

#: Datatypes RDF 1.1 implies, which rdflib would otherwise tell apart from none.
IMPLIED_DATATYPES = {RDF.langString, XSD.string}


# -- selections -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def selections(mini_kg) -> dict[str, Selection]:
    """One selection of each kind over the mini graph."""
    construct = mini_kg.store.query(
        "CONSTRUCT { ?s ?p ?o . _:n mlc:note ?s } WHERE { ?s ?p ?o FILTER(?s = ml:MLEngineer) }",
        prefixes={"mlc": str(MLC), "ml": str(ML)},
        use_default_graph_as_union=True,
    )
    return {
        "everything": Selection.everything(mini_kg),
        "neighbourhood": Selection.from_neighbourhood(neighbors(mini_kg, "ML engineer")),
        "paths": Selection.from_paths(find_paths(mini_kg, "Python", "Core ML engineer", k=3)),
        "construct": Selection.from_triples(mini_kg, list(construct)),
    }


SELECTIONS = ["everything", "neighbourhood", "paths", "construct"]


def test_everything_holds_every_concept_and_relation(mini_kg, selections):
    sel = selections["everything"]
    labels = {n.label for n in sel.nodes}
    assert {"Python", "GDPR", "Résumé writing", "Finance"} <= labels
    assert not labels & {"Role", "Article A", "requires skill"}  # no schema or sources
    assert len(sel.edges) == len({e.key for e in sel.edges}) == 20
    assert {x for e in sel.edges for x in (e.source, e.target)} <= sel.node_ids()


def test_neighbourhood_selection_keeps_the_focus(selections):
    sel = selections["neighbourhood"]
    assert sel.focus == ML.MLEngineer
    assert sel.nodes[0].id == ML.MLEngineer
    assert sel.title == "Neighbourhood of Machine learning engineer"


def test_path_selection_reads_directions_along_the_path(selections):
    sel = selections["paths"]
    first = sel.paths[0]
    assert [n.label for n in (first.nodes[0], first.nodes[-1])] == ["Python", "Core ML engineer"]
    directions = [sel.edge_direction(e) for e in first.edges]
    assert directions[0] == "backward"  # Programming uses tool Python: against the path
    assert set(directions) <= {"forward", "backward"}


def test_construct_selection_draws_resources_and_keeps_the_triples(mini_kg, selections):
    sel = selections["construct"]
    assert sel.focus is None
    assert ML.MLEngineer in sel.node_ids() and ML.Finance in sel.node_ids()
    assert all(e.predicate != RDF.type for e in sel.edges)
    industry = next(e for e in sel.edges if e.target == ML.Finance)
    assert [s.label for s in industry.sources] == ["Article A"]  # found in the graph
    quads = sel.quads(mini_kg)
    assert len(quads) == len(sel.triples) and all(q.g is None for q in quads)
    assert any(q.s.startswith("_:") for q in quads)


def test_quads_carry_provenance_and_source_descriptions(mini_kg, selections):
    quads = set(selections["everything"].quads(mini_kg))
    assert Quad(ML.MLEngineer, MLC.requiresSkill, ML.Programming, SRC.term("a-skills")) in quads
    assert Quad(ML.MLEngineer, MLC.requiresSkill, ML.Programming, SRC.term("b-intro")) in quads
    assert Quad(SRC.term("a-skills"), DCT.isPartOf, SRC.term("article-A"), SRC.sources) in quads
    title = Lit("Article A", None, XSD.string)
    assert Quad(SRC.term("article-A"), DCT.title, title, SRC.sources) in quads
    assert any(q.s == ML.Python and q.p == SKOS.prefLabel for q in quads)
    # an inferred inverse already stated the other way round is not exported twice
    assert not any(q.p == MLC.requiredBy and q.s == ML.Programming for q in quads)


# -- the projection ------------------------------------------------------------------------
def test_to_networkx_carries_labels_classes_and_sources(mini_kg):
    G = to_networkx(mini_kg)
    assert isinstance(G, nx.MultiDiGraph)
    assert G.nodes[ML.LinearAlgebra]["classes"] == ["MathematicsTopic", "Skill"]
    assert G.nodes[ML.LinearAlgebra]["type"] == "Skill"
    assert G.nodes[ML.GDPR]["aliases"] == ["General Data Protection Regulation"]
    data = G.edges[ML.MLEngineer, ML.Programming, MLC.requiresSkill]
    assert data["sources"] == ["Article A (Skills)", "Article B (paragraph 1)"]
    assert data["inferred"] is False


def test_flat_projection_has_only_plain_values(mini_kg, selections):
    G = to_networkx(mini_kg, selections["paths"], flat=True)
    values = [v for _, d in G.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in G.edges(data=True) for v in d.values()]
    assert all(isinstance(v, str | bool | int | float) for v in values)


# -- RDF round trips -----------------------------------------------------------------------
def _rdflib_term(term):
    if isinstance(term, Lit):
        datatype = None if term.lang or term.datatype in IMPLIED_DATATYPES else term.datatype
        return rdflib.Literal(term.value, lang=term.lang or None, datatype=datatype)
    if term.startswith("_:"):
        return rdflib.BNode(term[2:])
    return rdflib.URIRef(term)


def _by_graph(quads) -> dict[str | None, rdflib.Graph]:
    """rdflib graphs of ``(s, p, o, g)`` plain-term quads, one per graph name."""
    graphs: dict[str | None, rdflib.Graph] = defaultdict(rdflib.Graph)
    for s, p, o, g in quads:
        graphs[g].add((_rdflib_term(s), rdflib.URIRef(p), _rdflib_term(o)))
    return dict(graphs)


def _read_ox(data: bytes, fmt: ExportFormat):
    parsed = ox.parse(data, format=FORMATS[fmt].rdf_format)
    for q in parsed:
        graph_name = getattr(q, "graph_name", None)
        g = None if graph_name is None or isinstance(graph_name, ox.DefaultGraph) else graph_name
        yield from_ox(q.subject), q.predicate.value, from_ox(q.object), g and from_ox(g)


def _read_rdflib(data: bytes, fmt: ExportFormat):
    name = {"ttl": "turtle", "trig": "trig", "xml": "xml"}.get(fmt.value, "json-ld")
    ds = rdflib.Dataset()
    ds.parse(data=data, format=name)
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        g = None if ctx is None or ctx == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(ctx)
        o_plain = (
            Lit(str(o), o.language, str(o.datatype) if o.datatype else None)
            if isinstance(o, rdflib.Literal)
            else _plain(o)
        )
        yield _plain(s), str(p), o_plain, g


def _plain(term) -> str:
    return "_:" + str(term) if isinstance(term, rdflib.BNode) else str(term)


RDF_CASES = [
    pytest.param(fmt, reader, id=f"{fmt.value}-{reader.__name__[6:]}")
    for fmt, readers in (
        (ExportFormat.TURTLE, (_read_ox, _read_rdflib)),
        (ExportFormat.TRIG, (_read_ox, _read_rdflib)),
        (ExportFormat.N_TRIPLES, (_read_ox,)),
        (ExportFormat.N_QUADS, (_read_ox,)),
        (ExportFormat.JSON_LD, (_read_ox, _read_rdflib)),
        (ExportFormat.JSON_LD_DATASET, (_read_ox, _read_rdflib)),
        (ExportFormat.RDF_XML, (_read_ox, _read_rdflib)),
    )
    for reader in readers
]


@pytest.mark.parametrize("name", SELECTIONS)
@pytest.mark.parametrize(("fmt", "reader"), RDF_CASES)
def test_rdf_export_reads_back_to_the_same_statements(mini_kg, selections, name, fmt, reader):
    sel = selections[name]
    expected = sel.quads(mini_kg)
    data = export(mini_kg, sel, fmt)
    got = list(reader(data, fmt))
    keeps_graphs = fmt in (ExportFormat.TRIG, ExportFormat.N_QUADS, ExportFormat.JSON_LD_DATASET)
    if not keeps_graphs:
        expected = [Quad(q.s, q.p, q.o, None) for q in expected]
    want, have = _by_graph(expected), _by_graph(got)
    assert set(have) == set(want)
    for g, graph in want.items():
        assert isomorphic(graph, have[g]), f"graph {g} differs after a {fmt.value} round trip"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param("ttl", "@prefix ml: <https://w3id.org/mlcareer/id/>", id="turtle"),
        pytest.param("trig", "src:a-skills {", id="trig-graph-block"),
        pytest.param("xml", 'xmlns:mlc="https://w3id.org/mlcareer/ontology#"', id="rdfxml"),
    ],
)
def test_rdf_exports_use_the_project_prefixes(mini_kg, selections, fmt, expected):
    text = export(mini_kg, selections["everything"], fmt).decode()
    assert expected in text
    assert "@prefix saro:" not in text  # only prefixes that are used


# -- read by tools the project did not write -------------------------------------------------
def test_json_ld_is_one_compacted_graph_for_a_json_ld_processor(mini_kg, selections):
    """pyld, reading the file as one graph, gets every statement (it got none when the
    export was a list of named graphs with full IRIs)."""
    from pyld import jsonld

    sel = selections["everything"]
    document = json.loads(export(mini_kg, sel, "jsonld"))
    assert set(document) == {"@context", "@graph"}
    assert document["@context"]["mlc"] == "https://w3id.org/mlcareer/ontology#"
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    triples = {line for line in nquads.splitlines() if line.strip()}
    assert len(triples) == len({(q.s, q.p, q.o) for q in sel.quads(mini_kg)})
    assert not [t for t in triples if t.rstrip(" .").count("<") > 3]  # no graph names


def test_json_ld_dataset_keeps_its_sources_for_a_json_ld_processor(mini_kg, selections):
    from pyld import jsonld

    sel = selections["everything"]
    nquads = jsonld.to_rdf(
        json.loads(export(mini_kg, sel, "jsonld-dataset")), {"format": "application/n-quads"}
    )
    graphs = {line.rsplit(" ", 2)[-2] for line in nquads.splitlines() if line.count("> <") >= 2}
    assert {f"<{q.g}>" for q in sel.quads(mini_kg) if q.g} <= graphs


@pytest.mark.skipif(not shutil.which("rapper"), reason="rapper (raptor2-utils) is not installed")
@pytest.mark.parametrize(
    ("fmt", "syntax"),
    [("ttl", "turtle"), ("nt", "ntriples"), ("nq", "nquads"), ("xml", "rdfxml"), ("trig", "trig")],
)
def test_rdf_exports_are_read_by_rapper(kb, fmt, syntax, tmp_path):
    path = tmp_path / f"kb.{fmt}"
    path.write_bytes(export(kb, None, fmt))
    done = subprocess.run(
        ["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    counted = re.search(r"returned (\d+) (triples|statements)", done.stderr)
    assert counted and int(counted.group(1)) > 1000


def test_gexf_is_gexf_1_3(mini_kg, selections):
    from xml.etree import ElementTree

    root = ElementTree.fromstring(export(mini_kg, selections["everything"], "gexf"))
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    graph_element = root.find("{http://gexf.net/1.3}graph")
    assert graph_element is not None and "name" not in graph_element.attrib
    schema_location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert schema_location == "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"


# -- graph formats ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", SELECTIONS)
@pytest.mark.parametrize(
    ("fmt", "read"),
    [
        pytest.param(ExportFormat.GRAPHML, nx.read_graphml, id="graphml"),
        pytest.param(ExportFormat.GEXF, nx.read_gexf, id="gexf"),
    ],
)
def test_graph_formats_read_back_with_networkx(mini_kg, selections, name, fmt, read):
    sel = selections[name]
    G = read(io.BytesIO(export(mini_kg, sel, fmt)))
    assert G.number_of_nodes() == len(sel.nodes)
    assert G.number_of_edges() == len(sel.edges)
    assert {G.nodes[n.id]["label"] for n in sel.nodes} == {n.label for n in sel.nodes}
    labels = sorted(d["label"] for _, _, d in G.edges(data=True))
    assert labels == sorted(e.label for e in sel.edges)


def test_csv_export_is_a_zip_of_nodes_and_edges(mini_kg, selections):
    sel = selections["neighbourhood"]
    archive = zipfile.ZipFile(io.BytesIO(export(mini_kg, sel, "csv")))
    assert archive.namelist() == ["nodes.csv", "edges.csv"]
    nodes = archive.read("nodes.csv").decode().splitlines()
    edges = archive.read("edges.csv").decode().splitlines()
    assert nodes[0] == "id,label,type,classes,definition"
    assert edges[0] == "source,target,predicate,label,direction,sources,inferred"
    assert (len(nodes) - 1, len(edges) - 1) == (len(sel.nodes), len(sel.edges))
    assert any(",forward," in row for row in edges) and any(",backward," in row for row in edges)


def test_csv_export_keeps_formulas_from_running_in_a_spreadsheet():
    hostile = b"""
    @prefix ex: <http://example.org/> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ex:a skos:prefLabel "=HYPERLINK(\\"http://evil.example\\", \\"click\\")"@en ;
         skos:definition "@SUM(1+1)*cmd|' /C calc'!A0"@en ;
         ex:rel ex:b .
    ex:b skos:prefLabel "-2+3"@en .
    """
    kg = KnowledgeGraph.from_sources([RdfSource("h.ttl", hostile, ox.RdfFormat.TURTLE)])
    archive = zipfile.ZipFile(io.BytesIO(export(kg, None, "csv")))
    rows = list(csv.reader(io.StringIO(archive.read("nodes.csv").decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example", "click")' in cells
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_csv_export_is_the_same_bytes_each_time(mini_kg, selections):
    first = export(mini_kg, selections["paths"], "csv")
    assert export(mini_kg, selections["paths"], "csv") == first


def test_cytoscape_json_lists_every_element(mini_kg, selections):
    sel = selections["everything"]
    document = json.loads(export(mini_kg, sel, ExportFormat.CYJS))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    assert len(nodes) == len(sel.nodes) and len(edges) == len(sel.edges)
    ids = {n["data"]["id"] for n in nodes}
    assert all({e["data"]["source"], e["data"]["target"]} <= ids for e in edges)
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    python = next(n["data"] for n in nodes if n["data"]["id"] == ML.Python)
    assert python["name"] == "Python" and python["classes"] == ["ProgrammingLanguage", "Tool"]


def test_html_export_is_a_standalone_page(mini_kg, selections):
    page = export(mini_kg, selections["paths"], "html").decode()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script src" not in page and "<link" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "Paths from Python to Core ML engineer" in page


def test_no_selection_means_the_whole_graph(mini_kg, selections):
    assert export(mini_kg, None, "nq") == export(mini_kg, selections["everything"], "nq")


# -- formats ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("ttl", ExportFormat.TURTLE, id="value"),
        pytest.param("JSON_LD", ExportFormat.JSON_LD, id="name"),
        pytest.param(".rdf", ExportFormat.RDF_XML, id="extension"),
        pytest.param(ExportFormat.GEXF, ExportFormat.GEXF, id="enum"),
        pytest.param("docx", BadInput, id="unknown"),
    ],
)
def test_parse_format(given, expected):
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected, match="choose one of"):
            parse_format(given)
    else:
        assert parse_format(given) is expected


def test_every_format_has_a_file_name_and_media_type():
    for fmt in ExportFormat:
        assert file_name(fmt, "x").startswith("x.")
        assert "/" in media_type(fmt)


def test_unknown_format_is_refused_before_any_work(mini_kg):
    with pytest.raises(BadInput):
        export(mini_kg, None, "pdf")
