"""A plan towards a role: what it needs, minus what one has, in an order that builds up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import graph
from graph.query.plan import NotARole, plan

ROOT = Path(__file__).resolve().parents[2]
ML = "https://w3id.org/mlcareer/id/"


def _ids(p) -> list[str]:
    return [s.node.id for s in p.steps]


def _step(p, node: str):
    (found,) = [s for s in p.steps if s.node.id == ML + node]
    return found


def test_what_one_has_and_what_it_covers_are_not_steps(kb) -> None:
    p = plan(kb, have=["Python", "PyTorch"], target="core ML engineer")
    assert ML + "Python" not in _ids(p) and ML + "PyTorch" not in _ids(p)
    covered = {n.id: by.id for n, by in p.covered}
    # the graph says programming is practised with Python, and the frameworks with PyTorch
    assert covered[ML + "Programming"] == ML + "Python"
    assert covered[ML + "MLFrameworks"] == ML + "PyTorch"
    # machine learning is knowledge that uses Python: knowing Python does not cover it
    assert ML + "MachineLearning" not in covered and ML + "MachineLearning" in _ids(p)


def test_a_step_comes_after_what_it_builds_on(kb) -> None:
    p = plan(kb, have=["Python"], target="core ML engineer")
    stage = {s.node.id: s.stage for s in p.steps}
    for step in p.steps:
        assert all(stage[a] < step.stage for a in step.after), step.node.label
    # mathematics, the broader skill, before linear algebra; the ML algorithms, a part of
    # machine learning (001 says so), before it
    assert stage[ML + "Mathematics"] < stage[ML + "LinearAlgebra"]
    assert stage[ML + "MLAlgorithms"] < stage[ML + "MachineLearning"]
    assert ML + "MLAlgorithms" in _step(p, "MachineLearning").after
    assert [s.stage for s in p.steps] == sorted(s.stage for s in p.steps)


def test_every_step_says_why_with_a_statement_of_the_graph(kb) -> None:
    p = plan(kb, have=["Python"], target="core ML engineer", inferred=False)
    for step in p.steps:
        assert step.why, step.node.label
        for why in step.why:
            stated = kb.edges_joining(why.origin.id, step.node.id)
            assert why.edge in stated
            assert why.edge.sources and not why.edge.inferred


def test_needs_come_through_the_roles_a_role_specialises(kb) -> None:
    p = plan(kb, have=[], target="core ML engineer", inferred=False)
    origins = {w.origin.id for s in p.steps for w in s.why}
    # core ML engineer specialises machine learning engineer: its needs are the plan's too
    assert ML + "MachineLearningEngineer" in origins
    assert ML + "LinearAlgebra" in _ids(p)


def test_essential_before_optional_in_each_stage(kb) -> None:
    p = plan(kb, have=["Python"], target="machine learning engineer")
    for stage in p.stages:
        flags = [s.essential for s in stage]
        assert flags == sorted(flags, reverse=True)
    optional = {s.node.id for s in p.steps if not s.essential}
    # benefits from: optional; Java, an alternative to Python for programming: optional
    assert ML + "MLCertification" in optional
    assert ML + "Java" in optional


def test_a_role_one_holds_gives_its_needs(kb) -> None:
    alone = plan(kb, have=[], target="machine learning engineer")
    from_role = plan(kb, have=[], target="machine learning engineer", from_role="data scientist")
    assert len(from_role.steps) < len(alone.steps)
    assert {n.id for n, _ in from_role.covered} - {n.id for n, _ in alone.covered}


def test_a_target_that_is_not_a_role_names_the_roles_near_it(kb) -> None:
    with pytest.raises(NotARole, match="linear algebra is not a role; roles close to it: "):
        plan(kb, have=[], target="linear algebra")
    with pytest.raises(NotARole, match="machine learning engineer"):
        plan(kb, have=[], target="linear algebra")


def test_an_unknown_skill_gets_suggestions(kb) -> None:
    with pytest.raises(graph.NodeNotFound, match="Quantum knitting"):
        plan(kb, have=["Quantum knitting"], target="data scientist")


def test_command_line_json_has_the_documented_shape() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "plan",
            "--have",
            "Python",
            "--target",
            "core ML engineer",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"target", "have", "covered", "steps"}
    assert set(data["covered"][0]) == {"node", "by"}
    step = data["steps"][0]
    assert set(step) == {"node", "stage", "essential", "after", "why"}
    assert set(step["node"]) == {"id", "label", "type"}
    assert set(step["why"][0]) == {"predicate", "label", "from", "sources"}


def test_command_line_text_and_errors() -> None:
    base = [sys.executable, "-m", "graph", "plan"]
    done = subprocess.run(
        [*base, "--have", "Python", "--target", "core ML engineer"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert "Stage 1:" in done.stdout and "Already covered: programming (by Python)" in done.stdout
    done = subprocess.run(
        [*base, "--target", "Python"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "not a role" in done.stderr


@pytest.mark.slow
def test_a_plan_on_esco(esco) -> None:
    p = plan(esco, have=["Python (computer programming)"], target="data scientist")
    assert p.target.label == "data scientist"
    assert p.steps and any(s.essential for s in p.steps) and any(not s.essential for s in p.steps)
    essential_of_role = [
        s for s in p.steps if any(w.origin.id == p.target.id and w.essential for w in s.why)
    ]
    assert essential_of_role  # ESCO's essential skills of the occupation
    assert all(s.essential for s in essential_of_role)
