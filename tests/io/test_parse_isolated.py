"""Uploaded documents are parsed in a child process: nesting refused, time and memory bounded."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import graph
from graph.errors import LimitExceeded, RDFSyntaxError, UnsafeInput
from graph.io import loading
from graph.io.loading import RdfSource, check_file, detect_format, parse_isolated
from graph.io.nesting import MAX_NESTING, nesting_depth

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _source(name: str, data: bytes) -> RdfSource:
    return RdfSource(name, data, detect_format(name, data))


def _deep_jsonld(depth: int) -> bytes:
    return b'{"@id": "http://e/a", "http://e/p": ' * depth + b"1" + b"}" * depth


def _deep_xml(depth: int) -> bytes:
    return (
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:e="http://e/"><rdf:Description>'.encode()
        + b"<e:p><rdf:Description>" * depth
        + b"</rdf:Description></e:p>" * depth
        + b"</rdf:Description></rdf:RDF>"
    )


DEEP = [
    # 3,000 levels took 1.9 GB in the parser; 6,000 crashed the interpreter
    pytest.param("deep.jsonld", _deep_jsonld(3000), id="jsonld-3000"),
    pytest.param("deep.jsonld", _deep_jsonld(6000), id="jsonld-6000"),
    # 50,000 levels took 52 s
    pytest.param("deep.rdf", _deep_xml(50_000), id="rdfxml-50000"),
    pytest.param(
        "deep.ttl",
        b"<http://e/a> <http://e/p> " + b"[ <http://e/p> " * 5000 + b"1" + b"]" * 5000 + b" .",
        id="turtle-blank-nodes",
    ),
    pytest.param(
        "deep.ttl",
        b"<http://e/a> <http://e/p> " + b"(" * 5000 + b")" * 5000 + b" .",
        id="turtle-collections",
    ),
]


@pytest.mark.parametrize(("name", "data"), DEEP)
def test_deep_nesting_is_refused_before_parsing_and_the_graph_stays(mini_kg, name, data):
    before = mini_kg.triple_count()
    with pytest.raises(UnsafeInput, match=rf"{name}, line 1: nested more than 256 levels"):
        mini_kg.with_sources([_source(name, data)])
    assert mini_kg.triple_count() == before


def test_brackets_inside_literals_and_iris_do_not_count():
    text = (
        b'<http://e/a> <http://e/p> "'
        + b"[(" * 1000
        + b'" ; <http://e/q> "{[' * 2
        + b'" . # ((((((\n'
    )
    kg = graph.KnowledgeGraph.from_sources([_source("brackets.ttl", text * 3)])
    assert kg.triple_count() == 2


def test_real_nesting_loads():
    kg = graph.KnowledgeGraph.from_sources([_source("ok.jsonld", _deep_jsonld(40))])
    assert kg.triple_count() == 2  # every level names the same node


@pytest.mark.parametrize(
    ("data", "fmt", "depth"),
    [
        (b"<a> <p> << <b> <c> << <d> <e> <f> >> >> .", ox.RdfFormat.TURTLE, 2),
        (b"<a> <p> <<( <b> <c> <d> )>> .", ox.RdfFormat.N_TRIPLES, 1),
        (b"<x:a> <x:p> <x:b> .", ox.RdfFormat.N_QUADS, 0),
        (b"<!-- <a><b><c> --><r><![CDATA[<x><y>]]><a/></r>", ox.RdfFormat.RDF_XML, 1),
    ],
)
def test_nesting_depth_by_format(data, fmt, depth):
    assert nesting_depth(data, fmt)[0] == depth


def test_a_file_is_checked_without_reading_it_into_memory(tmp_path: Path):
    deep = tmp_path / "deep.jsonld"
    deep.write_bytes(_deep_jsonld(MAX_NESTING + 1))
    with pytest.raises(UnsafeInput, match=r"deep\.jsonld"):
        check_file("deep.jsonld", deep)
    (tmp_path / "empty.ttl").write_bytes(b"")
    check_file("empty.ttl", tmp_path / "empty.ttl")


def test_a_store_build_refuses_deep_nesting(tmp_path: Path):
    deep = tmp_path / "deep.rdf"
    deep.write_bytes(_deep_xml(1000))
    with pytest.raises(UnsafeInput, match=r"deep\.rdf"):
        graph.load([deep], default=False, store=tmp_path / "db")


def test_uploads_are_not_parsed_in_this_process(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("parsed in the caller's process")

    monkeypatch.setattr(loading, "parse_into", refuse)
    text = b"<http://e/a> <http://e/p> <http://e/b> ."
    assert graph.KnowledgeGraph.from_sources([_source("a.ttl", text)]).triple_count() == 1


def test_a_parse_past_the_time_limit_is_stopped(tmp_path: Path):
    big = b"".join(b"<http://e/a%d> <http://e/p> <http://e/b> .\n" % i for i in range(200_000))
    with pytest.raises(LimitExceeded, match="took longer than 0 s"):
        parse_isolated(_source("big.nt", big), tmp_path, timeout=0.01)


def test_a_parse_past_the_memory_limit_is_stopped(tmp_path: Path):
    big = b"<http://e/a> <http://e/p> " + b", ".join(b'"%d"' % i for i in range(300_000)) + b" ."
    with pytest.raises(LimitExceeded, match="more than"):
        parse_isolated(_source("big.ttl", big), tmp_path, memory_limit=40 * 1024**2)


def test_syntax_errors_from_the_child_name_file_and_line():
    with pytest.raises(RDFSyntaxError, match=r"cannot read b\.ttl, line 2"):
        graph.KnowledgeGraph.from_sources(
            [_source("b.ttl", b"<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <x> .")]
        )


def test_triples_land_in_the_files_graph_and_quads_keep_theirs():
    trig = b"<http://e/a> <http://e/p> <http://e/b> . <http://e/g> { <http://e/c> <http://e/p> 1 }"
    kg = graph.KnowledgeGraph.from_sources([_source("m.trig", trig)])
    graphs = {q.graph_name.value for q in kg.store}
    assert graphs == {loading.file_graph("m.trig"), "http://e/g"}


def test_a_device_is_not_read_as_a_file():
    """``--data /dev/null`` said "no such file"; /dev/zero would be read for ever."""
    with pytest.raises(graph.BadInput, match="not a regular file"):
        graph.load(["/dev/zero"], default=False)


def test_rdf_xml_with_xinclude_is_refused_by_name():
    doc = (
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<xi:include href="file:///etc/hostname" parse="text"/></rdf:RDF>'
    ).encode()
    with pytest.raises(UnsafeInput, match="XInclude is refused"):
        graph.KnowledgeGraph.from_sources([_source("x.rdf", doc)])
