"""The Plan page: a plan from the address, "learned" moving a step, errors with suggestions,
and the learner's own RDF graph read by rdflib and by the explorer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib

import graph
from graph.io.learner import learner_graph, plan_view
from graph.query.plan import plan, step_reason
from graph.validate import validate

from .test_app import errors, open_app, texts, warnings

ML = "https://w3id.org/mlcareer/id/"
MLC = rdflib.Namespace("https://w3id.org/mlcareer/ontology#")
TARGET = ML + "MachineLearningEngineer"


def _have(at) -> list[str]:
    return list(at.session_state["plan_have"])


def test_a_plan_opens_from_the_address_in_stages() -> None:
    at = open_app("Plan", target="machine learning engineer", have=["Python", "statistics"])
    assert not at.exception
    assert at.session_state["plan_target"] == TARGET  # names in the address become nodes
    assert _have(at) == [ML + "Python", ML + "Statistics"]
    assert "towards machine learning engineer" in texts(at)
    shown = texts(at)
    assert "Stage" in "\n".join(e.label for e in at.expander)
    assert "1. mathematics" in shown and "essential" in shown
    assert "4 of 4 articles" in shown  # every step says why, with its sources
    assert at.query_params["target"] in (TARGET, [TARGET])


def test_learned_moves_the_step_to_what_i_have_and_into_the_address() -> None:
    at = open_app("Plan", target="data scientist", have=["Python"])
    before = texts(at)
    at.button(key="plan_learned_1").click().run()
    assert not at.exception
    have = _have(at)
    assert len(have) == 2 and have[0] == ML + "Python"
    assert have[1] in str(at.query_params["have"])
    assert texts(at) != before
    # the step learned is no longer a step
    result = plan(graph.load(), have=have, target=ML + "DataScientist")
    assert have[1] not in {s.node.id for s in result.steps}


def test_a_target_that_is_not_a_role_names_the_roles_close_to_it() -> None:
    at = open_app("Plan", target="Python")
    assert not at.exception
    assert "Python is not a role; roles close to it: machine learning engineer" in errors(at)


def test_an_unknown_skill_is_an_error_with_the_way_out() -> None:
    at = open_app("Plan", target="data scientist", have=["quantum basket weaving"])
    assert not at.exception
    assert "no node matches 'quantum basket weaving'" in errors(at)


def test_a_hostile_name_in_the_address_is_shown_as_text() -> None:
    hostile = "<img src=x onerror=alert(1)>[link](https://evil.example)"
    at = open_app("Plan", target=hostile)
    assert not at.exception
    shown = [str(e.value) for e in at.error]
    assert shown and not any(re.search(r"(?<!\\)[<\[]", s) for s in shown)  # all escaped
    assert "<img src=x" in errors(at)  # there, as text


def test_a_pasted_list_adds_what_it_names_and_reports_the_rest() -> None:
    at = open_app("Plan", target="data scientist")
    at.text_area(key="plan_have_paste").set_value(
        "Python, statistics\nquantum basket weaving"
    ).run()
    at.button(key="plan_have_add").click().run()
    assert not at.exception
    assert _have(at) == [ML + "Python", ML + "Statistics"]
    assert "quantum basket weaving" in warnings(at)


def test_a_role_i_hold_counts_as_had() -> None:
    at = open_app("Plan", target="machine learning engineer")
    steps_alone = at.success[0].value
    at.selectbox(key="plan_from").set_value(ML + "DataScientist").run()
    assert not at.exception
    assert at.success[0].value != steps_alone
    assert at.query_params["from"] in (ML + "DataScientist", [ML + "DataScientist"])


def test_the_view_colours_nodes_by_where_they_stand() -> None:
    kg = graph.load()
    result = plan(kg, have=["Python"], target="data scientist")
    spec = plan_view(result, kg)
    kinds = {n["id"]: n["kgClass"] for n in spec["nodes"]}
    assert kinds[ML + "DataScientist"] == "target" and kinds[ML + "Python"] == "have"
    assert {item["type"] for item in spec["legend"]} <= {
        "target",
        "have",
        "covered",
        "essential",
        "optional",
        "context",
    }
    assert {s.node.id for s in result.steps} <= set(kinds)


@pytest.mark.parametrize("fmt", ["trig", "turtle"])
def test_the_learner_graph_is_read_by_rdflib_and_by_the_explorer(fmt: str, tmp_path: Path) -> None:
    kg = graph.load()
    result = plan(kg, have=["Python", "statistics"], target="data scientist")
    reasons = {s.node.id: step_reason(s, result.total_articles) for s in result.steps}
    data = learner_graph(result, name="Ada <b>", fmt=fmt, reasons=reasons)
    path = tmp_path / ("plan.trig" if fmt == "trig" else "plan.ttl")
    path.write_bytes(data)
    parsed = rdflib.Dataset()
    parsed.parse(data=data, format="trig" if fmt == "trig" else "turtle")
    me = rdflib.URIRef(ML + "learner-ada-b")
    assert list(parsed.quads((me, rdflib.RDF.type, MLC.Learner, None)))
    assert len(list(parsed.quads((None, MLC.toLearn, None, None)))) == len(result.steps)
    mine = graph.load([str(path)])
    assert mine.has_node(me)
    reached = {e.other(str(me)) for e in mine.edges(str(me))}
    assert {ML + "Python", ML + "Statistics", ML + "DataScientist"} <= reached
    plan_iri = str(me) + "-plan"
    steps = [e.other(plan_iri) for e in mine.edges(plan_iri) if e.predicate == str(MLC.hasStep)]
    assert len(steps) == len(result.steps)
    learned = {e.other(s) for s in steps for e in mine.edges(s) if e.predicate == str(MLC.toLearn)}
    assert learned == {s.node.id for s in result.steps}
    assert mine.node(str(me)).label == "Ada <b>"
    report = validate(mine)  # the shapes of the learner vocabulary, and a described graph
    assert report.conforms, [r for r in report.results if r["severity"] == "Violation"]
