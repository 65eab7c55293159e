"""The projection of nodes and edges: labels, main classes, sources, inverses, inferred."""

from __future__ import annotations

import graph
from graph.vocab.namespaces import ML, MLC, SRC


def test_node_has_label_main_class_and_all_classes(mini_kg: graph.KnowledgeGraph) -> None:
    node = mini_kg.node(ML.Python)
    assert (node.label, node.type, node.type_label) == ("Python", "Tool", "Tool")
    assert node.classes == ("ProgrammingLanguage", "Tool")


def test_edge_carries_every_source_with_its_locator(mini_kg: graph.KnowledgeGraph) -> None:
    edge = mini_kg.edge_between(ML.MLEngineer, ML.Programming, MLC.requiresSkill)
    assert edge.label == "requires skill"
    assert edge.articles == (SRC.term("article-A"), SRC.term("article-B"))
    assert {(s.label, s.locator) for s in edge.sources if s.kind == "article"} == {
        ("Article A", "Skills"),
        ("Article B", "paragraph 1"),
    }
    assert not edge.inferred


def test_inferred_inverse_folds_into_the_asserted_statement(mini_kg: graph.KnowledgeGraph) -> None:
    edges = [e for e in mini_kg.edges(ML.Programming) if ML.MLEngineer in (e.source, e.target)]
    assert [(e.source, e.predicate) for e in edges] == [(ML.MLEngineer, MLC.requiresSkill)]


def test_symmetric_statement_is_one_edge(mini_kg: graph.KnowledgeGraph) -> None:
    edges = [e for e in mini_kg.edges(ML.DataScientist) if e.predicate == MLC.collaboratesWith]
    assert len(edges) == 1


def test_statement_only_in_inferred_graph_is_marked_and_can_be_left_out(
    mini_kg: graph.KnowledgeGraph,
) -> None:
    kg = mini_kg.with_sources(
        [
            graph.RdfSource(
                "extra.trig",
                b"<https://w3id.org/mlcareer/source/inferred> { "
                b"<https://w3id.org/mlcareer/id/DataScientist> "
                b"<https://w3id.org/mlcareer/ontology#requiresSkill> "
                b"<https://w3id.org/mlcareer/id/Programming> . }",
                graph.detect_format("extra.trig", b""),
            )
        ]
    )
    inferred = [e for e in kg.edges(ML.DataScientist) if e.target == ML.Programming]
    assert len(inferred) == 1 and inferred[0].inferred
    assert not [e for e in kg.edges(ML.DataScientist, inferred=False) if e.target == ML.Programming]


def test_schema_and_sources_are_not_nodes(mini_kg: graph.KnowledgeGraph) -> None:
    assert not mini_kg.has_node(MLC.Role)
    assert not mini_kg.has_node(SRC.term("article-A"))
    assert mini_kg.has_node(ML.Python)


def test_details_group_everything_show_needs(mini_kg: graph.KnowledgeGraph) -> None:
    data = mini_kg.details("ML engineer").to_dict(mini_kg)
    assert data["label"] == "Machine learning engineer"
    assert data["aliases"] == ["ML engineer"]
    assert data["definition"]
    relation = next(
        r
        for r in data["relations"]
        if r["target"]["label"] == "Computer science degree" and r["direction"] == "in"
    )
    assert relation["label"] == "leads to"
    assert relation["sources"][0]["locator"] == "Roles"


def test_every_edge_of_the_knowledge_base_has_a_source(kb: graph.KnowledgeGraph) -> None:
    from graph.query.stats import graph_stats

    stats = graph_stats(kb)
    assert stats.nodes > 150 and stats.edges > 300
    everything = graph.Selection.everything(kb)
    assert len(everything.edges) == stats.edges
    assert all(edge.sources for edge in everything.edges)
