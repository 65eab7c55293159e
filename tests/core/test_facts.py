"""Facts kept beside a store give the same answers as reading the graph statement by statement.

A persistent store derives its counts, each node's classes and label, and
the degrees when it is built (:mod:`graph.core.facts`); a graph in memory
reads them from its statements.  Both readings run here over the same graphs.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import graph
from graph.core.facts import FACTS, GraphFacts
from graph.io.selection import Selection
from graph.query.neighbors import neighbors
from graph.query.stats import graph_stats, most_connected

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent


#: A hub joined to typed and untyped resources and to blank nodes: a view of it leaves out
#: resources of each kind, which the kept facts count by class without naming them.
HUB = "\n".join(
    ["@prefix ex: <https://example.org/hub/> ."]
    + [f"ex:hub ex:links ex:typed{i} . ex:typed{i} a ex:{'AB'[i % 2]} ." for i in range(30)]
    + [f"ex:hub ex:links ex:plain{i} ." for i in range(10)]
    + [f"ex:hub ex:links _:b{i} . _:b{i} a ex:B ; ex:links ex:typed{i} ." for i in range(10)]
)


@pytest.fixture(scope="module", params=["kb", "mini", "synthetic", "hub"])
def both(request, tmp_path_factory) -> tuple[graph.KnowledgeGraph, graph.KnowledgeGraph]:
    """(the graph from a store, the same graph in memory)."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "kb":
        files, default = [], True
    elif request.param == "mini":
        files, default = [DATA / "mini.trig"], False
    elif request.param == "hub":
        files, default = [folder / "hub.ttl"], False
        files[0].write_text(HUB + "\n", encoding="utf-8")
    else:
        files, default = [folder / "synth.nq"], False
        script = str(ROOT / "scripts" / "synth.py")
        subprocess.run(
            [sys.executable, script, "--triples", "4000", "-o", str(files[0])],
            check=True,
            capture_output=True,
            timeout=120,
        )
    stored = graph.load(files, default=default, store=folder / "db")
    assert stored.kept is not None
    return stored, graph.load(files, default=default)


@pytest.mark.parametrize("inferred", [True, False])
def test_counts_kept_equal_counts_read(both, inferred: bool) -> None:
    stored, memory = both
    assert graph_stats(stored, inferred=inferred) == graph_stats(memory, inferred=inferred)


def test_every_node_is_named_alike(both) -> None:
    stored, memory = both
    iris = {
        x
        for q in memory.backend.iter_quads()
        for x in (q.s, q.o, q.g)
        if isinstance(x, str) and not x.startswith("_:")
    }
    assert len(iris) > 20
    assert [stored.node(x) for x in sorted(iris)] == [memory.node(x) for x in sorted(iris)]
    assert stored.types_of(sorted(iris)) == memory.types_of(sorted(iris))
    assert [stored.has_node(x) for x in sorted(iris)] == [memory.has_node(x) for x in sorted(iris)]
    assert stored.triple_count() == memory.triple_count()


def test_most_connected_counts_the_edges_of_the_whole_graph(both) -> None:
    stored, memory = both
    types = sorted(graph_stats(memory).classes)
    for wanted in ([t] for t in types):
        assert most_connected(stored, types=wanted, top=5) == most_connected(
            memory, types=wanted, top=5
        )
    assert most_connected(stored, top=7) == most_connected(memory, top=7)
    everything = Selection.everything(memory)
    degree = Counter(x for e in everything.edges for x in (e.source, e.target))
    assert most_connected(memory, top=1)[0][1] == max(degree.values())


def test_a_schema_of_another_shape_is_not_trusted(both, tmp_path: Path) -> None:
    stored, _ = both
    kept = stored.kept
    assert kept is not None
    kept.save(tmp_path)
    again = GraphFacts.load(tmp_path, stored.backend.edge_index)
    assert again is not None and again.schema == stored.schema
    text = (tmp_path / "facts.json").read_text(encoding="utf-8")
    (tmp_path / "facts.json").write_text(text.replace('"articles"', '"papers"'), "utf-8")
    assert GraphFacts.load(tmp_path, stored.backend.edge_index) is None


def test_graphs_in_memory_keep_nothing(kb: graph.KnowledgeGraph) -> None:
    assert kb.kept is None and kb.backend.kept(FACTS) is None


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"hops": 2, "limit": 40}, id="2-hops"),
        pytest.param({"hops": 2, "limit": 7}, id="2-hops-cap-7"),
        pytest.param({"hops": 2, "limit": 30, "types": ["skills"]}, id="skills-only"),
        pytest.param({"hops": 2, "limit": 30, "inferred": False}, id="stated-only"),
    ],
)
def test_views_on_kept_facts_agree(both, options) -> None:
    stored, memory = both
    if "types" in options and not memory.schema.class_iri("Skill"):
        pytest.skip("no skills in this graph")
    for node, _edges in most_connected(memory, top=3):
        here = neighbors(memory, node.id, **options).to_dict()
        assert neighbors(stored, node.id, **options).to_dict() == here
        assert here["omitted"] or options["limit"] > 7  # a cap of 7 leaves nodes out
