"""Loading RDF: formats, named graphs, and bad input that changes nothing."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import graph
from graph.io.loading import RdfSource, detect_format, file_graph, load_into

TRIPLE = b"<http://example.org/a> <http://example.org/p> <http://example.org/b> ."
SAMPLES = {
    "a.ttl": b"@prefix e: <http://example.org/> . e:a e:p e:b .",
    "a.nt": TRIPLE,
    "a.nq": b"<http://example.org/a> <http://example.org/p> <http://example.org/b> "
    b"<http://example.org/g> .",
    "a.trig": b"<http://example.org/g> { <http://example.org/a> <http://example.org/p> "
    b"<http://example.org/b> . }",
    "a.jsonld": b'{"@id": "http://example.org/a", "http://example.org/p": '
    b'{"@id": "http://example.org/b"}}',
    "a.rdf": b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns:e="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
    b'<e:p rdf:resource="http://example.org/b"/></rdf:Description></rdf:RDF>',
}


@pytest.mark.parametrize("name", sorted(SAMPLES), ids=sorted(SAMPLES))
def test_every_format_loads_by_extension_and_by_content(name: str) -> None:
    data = SAMPLES[name]
    for shown_name in (name, "upload"):
        store = ox.Store()
        load_into(store, [RdfSource(shown_name, data, detect_format(shown_name, data))])
        assert len(store) == 1


def test_triples_go_to_a_graph_named_after_their_file_and_quads_keep_theirs() -> None:
    store = ox.Store()
    load_into(store, [RdfSource("a.ttl", SAMPLES["a.ttl"], ox.RdfFormat.TURTLE)])
    load_into(store, [RdfSource("a.trig", SAMPLES["a.trig"], ox.RdfFormat.TRIG)])
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {file_graph("a.ttl"), "http://example.org/g"}


def test_queries_see_the_union_of_named_graphs(mini_kg: graph.KnowledgeGraph) -> None:
    rows = mini_kg.backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?s mlc:requiresSkill ?o }")
    assert int(rows[0]["n"].value) > 5


BAD = [
    pytest.param(
        "bad.ttl",
        b"@prefix e: <http://e/> .\ne:a e:p e:b\ne:c e:p e:d .",
        3,
        id="turtle-missing-dot",
    ),
    pytest.param(
        "bad.ttl", b"@prefix e: <http://e/> .\n\nx:a e:p e:b .", 3, id="undeclared-prefix"
    ),
    pytest.param("bad.ttl", b'<http://e/a> <http://e/p> "caf\xe9" .', 1, id="invalid-utf8"),
    pytest.param(
        "bad.nt",
        b"<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <p>",
        2,
        id="ntriples-relative-iri",
    ),
]


@pytest.mark.parametrize(("name", "data", "line"), BAD)
def test_malformed_rdf_names_file_and_line_and_changes_nothing(
    name: str, data: bytes, line: int
) -> None:
    store = ox.Store()
    load_into(store, [RdfSource("good.ttl", SAMPLES["a.ttl"], ox.RdfFormat.TURTLE)])
    with pytest.raises(graph.RDFSyntaxError) as info:
        load_into(
            store,
            [
                RdfSource("fine.nt", TRIPLE.replace(b"/b>", b"/c>"), ox.RdfFormat.N_TRIPLES),
                RdfSource(name, data, detect_format(name, data)),
            ],
        )
    assert info.value.name == name
    assert info.value.line == line
    assert f"{name}, line {line}" in str(info.value)
    assert len(store) == 1  # the good file before, and nothing of this batch


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">
<rdf:Description rdf:about="http://e/a"><e:p>&lol3;</e:p></rdf:Description></rdf:RDF>"""


@pytest.mark.parametrize("name", ["laughs.rdf", "laughs.xml", "upload"])
def test_xml_entities_are_refused_before_parsing(name: str) -> None:
    store = ox.Store()
    with pytest.raises(graph.UnsafeInput, match="DOCTYPE or ENTITY"):
        load_into(store, [RdfSource(name, BILLION_LAUGHS, detect_format(name, BILLION_LAUGHS))])
    assert len(store) == 0


def test_jsonld_remote_context_is_not_fetched(loopback_listener) -> None:
    data = b'{"@context": "%s", "@id": "http://e/a", "name": "x"}' % loopback_listener.url
    with pytest.raises(graph.RDFSyntaxError):
        load_into(ox.Store(), [RdfSource("ctx.jsonld", data, ox.RdfFormat.JSON_LD)])
    assert loopback_listener.connections == []


def test_jsonld_file_context_is_not_read() -> None:
    data = b'{"@context": "file:///etc/hostname", "@id": "http://e/a", "name": "x"}'
    with pytest.raises(graph.RDFSyntaxError):
        load_into(ox.Store(), [RdfSource("ctx.jsonld", data, ox.RdfFormat.JSON_LD)])


def test_owl_imports_is_data_not_a_fetch(loopback_listener) -> None:
    data = b"<http://e/o> <http://www.w3.org/2002/07/owl#imports> <%s> ." % loopback_listener.url
    kg = graph.KnowledgeGraph.from_sources([RdfSource("o.ttl", data, ox.RdfFormat.TURTLE)])
    assert kg.triple_count() == 1
    assert loopback_listener.connections == []


def test_size_cap_refuses_large_uploads() -> None:
    with pytest.raises(graph.TooLarge) as info:
        graph.KnowledgeGraph.from_sources(
            [RdfSource("big.nt", TRIPLE * 100, ox.RdfFormat.N_TRIPLES)], max_bytes=1000
        )
    assert info.value.exit_code == 3


def test_with_sources_leaves_the_loaded_graph_as_it_was(mini_kg: graph.KnowledgeGraph) -> None:
    before = mini_kg.triple_count()
    with pytest.raises(graph.RDFSyntaxError):
        mini_kg.with_sources([RdfSource("bad.ttl", b"<a> <b>", ox.RdfFormat.TURTLE)])
    bigger = mini_kg.with_sources([RdfSource("more.nt", TRIPLE, ox.RdfFormat.N_TRIPLES)])
    assert mini_kg.triple_count() == before
    assert bigger.triple_count() == before + 1


def test_missing_path_is_bad_input() -> None:
    with pytest.raises(graph.BadInput, match="no such file"):
        graph.load(["/nonexistent/where.ttl"], default=False)


def test_embedded_knowledge_base_loads_every_ontology_file(kb: graph.KnowledgeGraph) -> None:
    graphs = {q.g for q in kb.backend.iter_quads()}
    assert any(g and g.endswith("schema.ttl") for g in graphs)
    assert not any(g and "shapes" in g for g in graphs)
    assert len(kb.schema.articles) == 4
