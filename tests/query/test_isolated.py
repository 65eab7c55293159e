"""Path search, question reading and text analysis in a query process: same answers, bounded.

The app runs these through :func:`graph.query.isolated.run_isolated` with
limits; the answers must be those found in the caller's own process, a runaway
search must end at its time limit in a message, and one session's runaway must
not keep another's question waiting.
"""

from __future__ import annotations

import contextlib
import random
import threading
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import graph
from graph.core.kg import KnowledgeGraph
from graph.errors import AmbiguousName
from graph.io.loading import RdfSource
from graph.query.analyse import analyse
from graph.query.isolated import TaskLimits, run_isolated
from graph.query.paths import find_paths
from graph.query.questions import Interpretation, answer, read_question

DATA = Path(__file__).parent.parent / "data"
#: A guard against hangs, not a measure of speed.
HANG = 120.0
QUESTIONS = [
    "How is Python connected to core ML engineer?",
    "skills shared by ML engineer and data scientist",
    "what uses PyTorch",
]
#: A search the app cannot ask (it offers 10 paths at most) that runs for minutes on a dense
#: graph: Yen's algorithm asked for a hundred thousand paths of up to 8 hops.
#: How long the runaway work runs: longer than a fresh process takes to answer the other
#: session on a busy machine (its first search also builds its view of the data).
RUNAWAY_LIMIT = 60
RUNAWAY_QUERY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RUNAWAY = {"source": "http://example.org/n0", "target": "http://example.org/n1", "k": 100_000}


def limits(client: str = "a", **options: Any) -> TaskLimits:
    return TaskLimits(client=client, **{"timeout": HANG, **options})


@pytest.fixture(scope="module")
def dense() -> KnowledgeGraph:
    """3,000 nodes with 20 links each: large enough to be searched with the integer index."""
    rng = random.Random(1)
    lines = (
        f"<http://example.org/n{i}> <http://example.org/p{(i + j) % 5}> "
        f"<http://example.org/n{j}> .\n"
        for i in range(3000)
        for j in rng.sample(range(3000), 20)
        if i != j
    )
    data = "".join(lines).encode()
    return KnowledgeGraph.from_sources([RdfSource("dense.nt", data, ox.RdfFormat.N_TRIPLES)])


# -- the same answers -----------------------------------------------------------------------
@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_is_read_and_answered_as_in_the_callers_process(kb, question):
    read = run_isolated(kb, "read", text=question, limits=limits())
    assert read == read_question(kb, question)
    found = run_isolated(kb, "answer", interpretation=read, k=5, max_hops=4, limits=limits())
    assert found == answer(kb, read, k=5, max_hops=4)


def test_paths_and_analysis_are_those_of_the_callers_process(kb):
    args = {"source": "Python", "target": "core ML engineer", "k": 5, "max_hops": 4}
    assert run_isolated(kb, "paths", limits=limits(), **args) == find_paths(kb, **args)
    text = "ML engineer\nWe want Python, PyTorch and SQL; statistics is a plus."
    have = ["Python"]
    isolated = run_isolated(kb, "analyse", text=text, have=have, limits=limits())
    assert isolated == analyse(kb, text, have=have)


def test_a_graph_in_a_persistent_store_answers_alike(tmp_path):
    kg = graph.load([DATA / "mini.trig"], default=False, store=tmp_path / "store")
    question = read_question(kg, "Python -> Programming")
    assert run_isolated(kg, "read", text="Python -> Programming", limits=limits()) == question
    found = run_isolated(kg, "answer", interpretation=question, limits=limits())
    assert found == answer(kg, question)


def test_an_error_keeps_its_class_its_message_and_what_it_carries(kb):
    with pytest.raises(graph.NodeNotFound) as isolated:
        run_isolated(kb, "paths", source="qqqzzz", target="core ML engineer", limits=limits())
    with pytest.raises(graph.NodeNotFound) as here:
        find_paths(kb, "qqqzzz", "core ML engineer")
    assert str(isolated.value) == str(here.value)
    assert vars(isolated.value) == vars(here.value)
    python, engineer = kb.resolve("Python"), kb.resolve("core ML engineer")
    both = Interpretation("paths", target=engineer, choices={"from": (python, engineer)})
    with pytest.raises(graph.AmbiguousName) as ambiguous:
        run_isolated(kb, "answer", interpretation=both, limits=limits())
    assert len(ambiguous.value.candidates) == 2
    assert str(ambiguous.value) == str(AmbiguousName("Python", ambiguous.value.candidates))


def test_without_limits_the_work_runs_here(mini_kg):
    assert run_isolated(mini_kg, "read", text="Python -> Programming") == read_question(
        mini_kg, "Python -> Programming"
    )


# -- bounded ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_runaway_path_search_ends_at_its_time_limit_and_the_caller_carries_on(dense, kb):
    with pytest.raises(graph.QueryTimeout, match=r"stopped after 3 s: the path search ran past"):
        run_isolated(dense, "paths", deadline=600, limits=limits(timeout=3), **RUNAWAY)
    # the process that ran it is gone; the next search is answered, here and there
    found = run_isolated(
        dense,
        "paths",
        source="http://example.org/n0",
        target="http://example.org/n1",
        limits=limits(),
    )
    assert found.paths  # (on a busy machine the search may stop at its own deadline)
    assert run_isolated(kb, "read", text=QUESTIONS[0], limits=limits()).kind == "paths"


@pytest.mark.slow
def test_a_reading_past_its_memory_limit_ends_in_a_message(mini_kg):
    kg = graph.load([DATA / "mini.trig"], default=False)  # a pool of its own, capped low
    text = "Python and Programming " * 350_000  # 8 MB, past the app's cap: a gigabyte of words
    with pytest.raises(graph.LimitExceeded, match=r"reading the text .*memory.*shorter text"):
        run_isolated(kg, "analyse", text=text, limits=limits(memory=512 * 1024**2))
    assert run_isolated(kg, "read", text="Python -> Programming", limits=limits()) == (
        read_question(mini_kg, "Python -> Programming")
    )


def _victims_search(dense: KnowledgeGraph):
    """A small path search by another session, while runaway work holds processes."""
    return run_isolated(
        dense,
        "paths",
        source="http://example.org/n5",
        target="http://example.org/n6",
        k=2,
        limits=limits("victim"),
    )


@pytest.mark.slow
def test_one_sessions_runaway_search_does_not_hold_up_anothers_question(dense):
    outcome: list[BaseException] = []

    def runaway() -> None:
        try:
            run_isolated(
                dense,
                "paths",
                deadline=600,
                limits=limits("attacker", timeout=RUNAWAY_LIMIT),
                **RUNAWAY,
            )
        except graph.GraphError as err:
            outcome.append(err)

    thread = threading.Thread(target=runaway, daemon=True)
    thread.start()
    thread.join(4.0)  # the runaway search is running
    assert thread.is_alive()
    found = _victims_search(dense)
    assert found.paths
    assert thread.is_alive()  # answered while the runaway search still ran
    thread.join(HANG)
    assert outcome and isinstance(outcome[0], graph.QueryTimeout)


def _victims_search_while(dense: KnowledgeGraph, runaway, *, sessions: int):
    """The victim's search, asked once ``sessions`` runaway sessions hold every process.

    Returns the search and whether any runaway session was still running when
    it was answered; waits for them all to end before returning.
    """
    threads = [
        threading.Thread(target=runaway, args=(f"attacker {i}",), daemon=True)
        for i in range(sessions)
    ]
    for thread in threads:
        thread.start()
    threads[0].join(4.0)  # every process is taken by now
    found = _victims_search(dense)
    still_running = any(t.is_alive() for t in threads)
    for thread in threads:
        thread.join(HANG)
    return found, still_running


@pytest.mark.slow
def test_runaway_queries_take_no_process_from_path_searches(dense):
    """Queries and the explorer's own work have processes of their own over the same data."""
    from graph.sparql import run_query

    def runaway(client: str) -> None:
        with contextlib.suppress(graph.GraphError):
            run_query(dense, RUNAWAY_QUERY, timeout=RUNAWAY_LIMIT, client=client)

    found, still_running = _victims_search_while(dense, runaway, sessions=6)
    assert found.paths
    assert still_running  # answered while the runaway queries still ran


@pytest.mark.slow
def test_sessions_never_seen_filling_every_process_give_way_to_another_sessions_search(dense):
    """Four sessions' first searches run away at once; a fifth session's search still runs."""
    outcomes: list[BaseException] = []

    def runaway(client: str) -> None:
        try:
            run_isolated(
                dense,
                "paths",
                deadline=600,
                limits=limits(client, timeout=RUNAWAY_LIMIT),
                **RUNAWAY,
            )
        except graph.GraphError as err:
            outcomes.append(err)

    found, still_running = _victims_search_while(dense, runaway, sessions=4)
    assert found.paths
    assert still_running  # not by waiting for them all to end
    stopped = [str(e) for e in outcomes if "to let another session's work run" in str(e)]
    assert stopped and stopped[0].startswith("the path search was stopped"), outcomes
