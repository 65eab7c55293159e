"""The Paths page shows how a question was read and lets the reading be changed."""

from __future__ import annotations

import pyoxigraph as ox
from streamlit.testing.v1 import AppTest

import graph
from graph.query.isolated import TaskLimits

from .test_app import APP, open_app

ML = "https://w3id.org/mlcareer/id/"
TWINS = b"""
@prefix ml: <https://w3id.org/mlcareer/id/> .
@prefix mlc: <https://w3id.org/mlcareer/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ml:TwinA a mlc:Role ; skos:prefLabel "prompt engineer"@en ; mlc:requiresSkill ml:Programming .
ml:TwinB a mlc:Skill ; skos:prefLabel "Prompt engineer"@en ; mlc:relatedTo ml:Statistics .
"""


def test_the_reading_is_shown_and_can_be_narrowed() -> None:
    at = open_app("Paths", q="Python -> data scientist")
    assert not at.exception
    labels = [e.label.replace("\\", "") for e in at.expander]
    assert any(label.startswith("Read as: paths from Python (Tool)") for label in labels)
    assert at.selectbox(key="paths_kind").value == "paths"
    at.multiselect(key="paths_read_via").set_value(["Skill"]).run()
    assert not at.exception
    paths = at.session_state["view_paths"].paths
    assert paths and all(n.type == "Skill" for p in paths for n in p.nodes[1:-1])
    assert "through skills" in at.success[0].value


def test_a_name_that_fits_two_nodes_is_a_choice() -> None:
    base = graph.load()
    twins = base.with_sources([graph.RdfSource("twins.ttl", TWINS, ox.RdfFormat.TURTLE)])
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_graph"] = twins
    at.session_state["user_graph_token"] = "twins"
    at.query_params["page"] = "Paths"
    at.query_params["q"] = "how is prompt engineer related to statistics"
    at.run()
    assert not at.exception
    pick = at.selectbox(key="paths_pick_from")
    assert set(pick.options) >= {"prompt engineer (Role)", "Prompt engineer (Skill)"}
    first = at.session_state["view_paths"].paths[0].nodes[0].id
    other = {ML + "TwinA", ML + "TwinB"} - {first}
    pick.set_value(other.pop()).run()
    assert not at.exception
    assert at.session_state["view_paths"].paths[0].nodes[0].id != first


def test_plain_ranking_is_a_toggle() -> None:
    at = open_app("Paths", q="what connects statistics and healthcare")
    weighed = [n.label for n in at.session_state["view_paths"].paths[0].nodes]
    at.toggle(key="paths_plain").set_value(True).run()
    assert not at.exception
    plain = [n.label for n in at.session_state["view_paths"].paths[0].nodes]
    assert len(plain) <= len(weighed)
    assert at.query_params["plain"] in ("True", "true", "1", ["True"], ["true"], ["1"])


def test_a_search_past_its_time_limit_is_a_message_and_the_page_carries_on(monkeypatch) -> None:
    """The question is read in a query process, stopped at its time limit (here a millisecond)."""
    from app.pages import paths as page

    seen: list[TaskLimits] = []

    def short(**options: object) -> TaskLimits:
        seen.append(TaskLimits(**{**options, "timeout": 0.001}))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setattr(page, "TaskLimits", short)
    at = open_app("Paths", q="Python -> data scientist")
    assert not at.exception
    # Reading the question can take under a millisecond in a warm process: then the
    # answering is what runs past the limit (both are stopped the same way).
    assert "the question ran past its time limit" in at.error[0].value
    assert seen and seen[0].client is not None and seen[0].on_wait is not None
    monkeypatch.undo()
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["view_paths"].paths
