"""Checking and running queries away from the caller: time and memory bounded, shared fairly.

The guard reads each query in a child process with the query's deadline, the
result is cut to a size in bytes before it reaches this process, and the
processes are shared between clients so that one client's runaway queries
hold one process, not all of them.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph
from graph.backends import processes, query_pool
from graph.backends.query_worker import GROUP_NICENESS, NICENESS
from graph.core.kg import KnowledgeGraph
from graph.errors import BadInput, QuerySyntaxError, QueryTimeout, UnsafeQuery
from graph.io.loading import RdfSource
from graph.sparql import guard, run_query
from graph.sparql.isolated import check_isolated, new_guard_pool
from graph.sparql.run import DEFAULT_MAX_BYTES, DEFAULT_MEMORY_LIMIT

DATA = Path(__file__).parent.parent / "data"
#: A guard against hangs, not a measure of speed.
HANG = 60.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def mini() -> KnowledgeGraph:
    return graph.load([DATA / "mini.trig"], default=False)


@pytest.fixture(scope="module")
def big() -> KnowledgeGraph:
    lines = (
        f"<http://example.org/n{i}> <http://example.org/p{i % 7}> "
        f"<http://example.org/n{(i * 31) % 3000}> .\n"
        for i in range(3000)
    )
    data = "".join(lines).encode()
    return KnowledgeGraph.from_sources([RdfSource("big.nt", data, ox.RdfFormat.N_TRIPLES)])


# -- the guard runs in a child process, within the deadline ------------------------------------
SLOW_TO_READ = [
    pytest.param("SELECT * WHERE { ?s ?p (" + " 1" * 2000 + " ) }", id="collection-2000"),
    pytest.param("SELECT * WHERE { ?s ml:p []" + ", []" * 2999 + " }", id="blank-nodes-3000"),
]


@pytest.mark.parametrize("query", SLOW_TO_READ)
def test_a_query_slow_to_read_is_stopped_at_the_deadline(mini, query):
    """rdflib took 64 s (2,000 items) reading these; the guard's process is stopped instead."""
    with pytest.raises(QueryTimeout, match="stopped after 1 s"):
        run_query(mini, query, timeout=1)
    assert run_query(mini, "ASK { ?s ?p ?o }").boolean is True


def test_this_process_never_parses_the_users_query(mini, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the guard ran in the caller's process")

    monkeypatch.setattr(guard, "parseQuery", refuse)
    monkeypatch.setattr(guard, "translateQuery", refuse)
    assert run_query(mini, "ASK { ?s ?p ?o }").boolean is True
    with pytest.raises(UnsafeQuery):
        run_query(mini, "DROP ALL")


def test_a_long_flat_query_is_not_too_deep_to_read(mini):
    """100 triple patterns in a row were refused as "nested too deeply"."""
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(100))
    assert check_isolated(f"SELECT * WHERE {{ {patterns} }} LIMIT 1", timeout=HANG) == "SELECT"


def test_a_query_too_deep_for_any_stack_is_refused_with_a_message():
    query = "SELECT * WHERE " + "{ " * 20_000 + "?s ?p ?o" + " }" * 20_000
    with pytest.raises((QuerySyntaxError, QueryTimeout)):
        check_isolated(query, timeout=20)


def test_the_guard_answers_many_threads_at_once():
    """rdflib's parser is not safe across threads; in processes each query is read alone."""
    queries = [f"SELECT ?x{i} WHERE {{ ?x{i} ?p ?o }}" for i in range(12)] + ["DROP ALL"] * 4
    outcomes: list[object] = [None] * len(queries)

    def check(i: int) -> None:
        try:
            outcomes[i] = check_isolated(queries[i], timeout=HANG, client=i)
        except graph.GraphError as err:
            outcomes[i] = type(err)

    threads = [threading.Thread(target=check, args=(i,)) for i in range(len(queries))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(HANG)
    assert outcomes == ["SELECT"] * 12 + [UnsafeQuery] * 4


# -- limits ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"timeout": float("inf")}, id="infinite-timeout"),
        pytest.param({"timeout": float("nan")}, id="nan-timeout"),
        pytest.param({"timeout": 1e10}, id="huge-timeout"),
        pytest.param({"timeout": -1}, id="negative-timeout"),
        pytest.param({"max_rows": -1}, id="negative-rows"),
        pytest.param({"max_bytes": 0}, id="zero-bytes"),
    ],
)
def test_limits_that_are_not_positive_finite_numbers_are_refused(mini, kwargs):
    with pytest.raises(BadInput):
        run_query(mini, "ASK {}", **kwargs)


# -- results are cut in bytes before they reach this process ----------------------------------
def _doubling(times: int) -> str:
    binds = " ".join(
        f"BIND(CONCAT({', '.join([f'?v{i}'] * 8)}) AS ?v{i + 1})" for i in range(times)
    )
    return f'BIND(CONCAT(STR(?n), "aaaaaaaaaaaaaaa") AS ?v0) {binds}'


def test_a_result_larger_than_the_byte_cap_is_cut_in_the_query_process(mini):
    """Ten rows of 4 million characters: the parent reads at most the cap."""
    query = "SELECT ?v6 WHERE { VALUES ?n { 0 1 2 3 4 5 6 7 8 9 } " + _doubling(6) + " }"
    result = run_query(mini, query)
    assert result.truncated
    assert 0 < len(result.rows) < 10
    assert sum(len(row["v6"].value) for row in result.rows) <= DEFAULT_MAX_BYTES
    assert any("larger than 16 MB" in note for note in result.notes)


def test_the_byte_cap_can_be_lowered(mini):
    query = "SELECT ?v3 WHERE { VALUES ?n { 0 1 2 3 4 5 6 7 8 9 } " + _doubling(3) + " }"
    result = run_query(mini, query, max_bytes=20_000)
    assert result.truncated and 0 < len(result.rows) < 10
    assert any("larger than" in note for note in result.notes)


def test_a_frame_larger_than_asked_for_ends_the_process_not_this_one(mini):
    pool = query_pool.pool_for(mini.backend, 2 * 1024**3)
    request = {"query": "SELECT * { ?s ?p ?o }", "prefixes": {}, "max_rows": 100}
    with pytest.raises(graph.LimitExceeded):
        pool.ask(request, timeout=HANG, max_reply=10)
    assert run_query(mini, "ASK { ?s ?p ?o }").boolean is True


# -- processes shared fairly between clients --------------------------------------------------
#: A check that runs for minutes in the guard's process: it holds one.
SLOW_CHECK = {"check": "SELECT * WHERE { ?s ?p (" + " 1" * 3000 + " ) }"}


def _ask_quickly(pool, client: str, timeout: float = HANG) -> tuple[object, list[tuple[int, int]]]:
    """A quick check by ``client``, and what it was told while it waited."""
    told: list[tuple[int, int]] = []
    reply = pool.ask(
        {"check": "ASK {}"},
        timeout=timeout,
        client=client,
        on_wait=lambda ahead, size: told.append((ahead, size)),
    )
    return reply, told


def _in_thread(target, *args, **kwargs) -> tuple[threading.Thread, dict[str, object]]:
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["value"] = target(*args, **kwargs)
        except Exception as err:  # the test reads it
            out["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


@pytest.mark.slow
def test_one_clients_runaway_query_does_not_hold_up_another(big):
    runaway, _ = _in_thread(run_query, big, RUNAWAY, timeout=6, client="attacker")
    time.sleep(1.0)  # the runaway query is running
    assert run_query(big, "ASK { ?s ?p ?o }", client="victim", timeout=HANG).boolean is True
    assert runaway.is_alive()  # the victim was answered while the runaway query still ran
    runaway.join(HANG)


@pytest.mark.slow
def test_one_clients_queries_run_one_at_a_time(big):
    """A client that sends many runaway queries holds one process; another still gets one."""
    threads = [
        _in_thread(run_query, big, RUNAWAY, timeout=4, client="attacker")[0] for _ in range(6)
    ]
    time.sleep(1.0)
    assert run_query(big, "ASK { ?s ?p ?o }", client="victim", timeout=HANG).boolean is True
    for t in threads:
        t.join(HANG)


def test_a_full_pool_makes_callers_wait_their_turn_and_says_so():
    pool = new_guard_pool(size=1)
    try:
        first, _ = _in_thread(pool.ask, SLOW_CHECK, timeout=3, client="a")
        time.sleep(0.5)
        reply, told = _ask_quickly(pool, "b")
        assert reply == {"form": "ASK"}
        assert told and told[0] == (0, 1)
        first.join(HANG)
    finally:
        pool.close()


def test_a_wait_longer_than_the_time_limit_ends_in_a_message():
    pool = new_guard_pool(size=1)
    try:
        first, _ = _in_thread(pool.ask, SLOW_CHECK, timeout=3, client="a")
        time.sleep(0.5)
        with pytest.raises(QueryTimeout, match="stayed busy"):
            pool.ask({"check": "ASK {}"}, timeout=1, client="b")
        first.join(HANG)
    finally:
        pool.close()


def test_idle_processes_are_stopped_but_one(mini):
    pool = new_guard_pool(size=3)
    try:
        threads = [
            _in_thread(pool.ask, {"check": "ASK {}"}, timeout=HANG, client=i)[0] for i in range(3)
        ]
        for t in threads:
            t.join(HANG)
        assert 1 <= len(pool.pids()) <= 3
        pool.stop_idle(older_than=0)
        assert len(pool.pids()) == 1
    finally:
        pool.close()
    assert pool.pids() == []


def test_a_client_that_used_the_processes_least_goes_first():
    """A session whose queries ran to the limit waits behind one that asks now."""
    pool = new_guard_pool(size=1)
    try:
        with pytest.raises(QueryTimeout):
            pool.ask(SLOW_CHECK, timeout=1, client="greedy")
        holder, _ = _in_thread(pool.ask, SLOW_CHECK, timeout=2, client="holder")
        time.sleep(0.3)
        done: list[str] = []

        def ask(client: str) -> None:
            pool.ask({"check": "ASK {}"}, timeout=HANG, client=client)
            done.append(client)

        greedy = threading.Thread(target=ask, args=("greedy",))
        greedy.start()
        time.sleep(0.3)  # the greedy client asked first
        newcomer = threading.Thread(target=ask, args=("newcomer",))
        newcomer.start()
        for t in (holder, greedy, newcomer):
            t.join(HANG)
        assert done == ["newcomer", "greedy"]
    finally:
        pool.close()


@pytest.mark.slow
def test_heavy_clients_leave_a_process_for_the_others():
    """However many sessions' queries run to their limit, a quick query finds a process."""
    pool = new_guard_pool(size=2)
    try:
        first = [
            _in_thread(pool.ask, SLOW_CHECK, timeout=6, client=c)[0]
            for c in ("greedy-1", "greedy-2")
        ]
        for t in first:
            t.join(HANG)  # each has now used 6 s of processing
        runaway = [
            _in_thread(pool.ask, SLOW_CHECK, timeout=4, client=c)[0]
            for c in ("greedy-1", "greedy-2")
        ]
        time.sleep(0.5)  # greedy-1 holds one process; greedy-2 may not take the last one
        reply, told = _ask_quickly(pool, "quiet", timeout=2)
        assert reply == {"form": "ASK"} and told == []
        for t in runaway:
            t.join(HANG)
    finally:
        pool.close()


def test_a_quick_query_stops_one_that_ran_long_when_every_process_is_busy():
    """Sessions never seen before can fill the pool with runaway work: it does not hold it."""
    pool = new_guard_pool(size=1)
    pool.preempt_after = 1.0
    try:
        runaway, out = _in_thread(pool.ask, SLOW_CHECK, timeout=HANG, client="runaway")
        time.sleep(0.3)
        reply, told = _ask_quickly(pool, "quiet")
        assert reply == {"form": "ASK"} and told == [(0, 1)]
        runaway.join(HANG)
        error = out.get("error")
        assert isinstance(error, processes.Preempted), out
        assert "another session's query" in str(error)
        # the process is whole again for whoever comes next
        assert pool.ask({"check": "ASK {}"}, timeout=HANG, client="runaway") == {"form": "ASK"}
        # and the stopped query counted as all the time it asked for: its session
        # now waits its turn and stops no one else's
        holder, held = _in_thread(pool.ask, SLOW_CHECK, timeout=4, client="holder")
        time.sleep(1.5)
        with pytest.raises(QueryTimeout, match="stayed busy"):
            pool.ask({"check": "ASK {}"}, timeout=1.5, client="runaway")
        holder.join(HANG)
        assert not isinstance(held["error"], processes.Preempted)
    finally:
        pool.close()


def test_a_heavy_client_waits_its_turn_and_stops_nothing(monkeypatch):
    monkeypatch.setattr(processes, "HEAVY_SECONDS", 0.5)
    pool = new_guard_pool(size=1)
    pool.preempt_after = 0.5
    try:
        with pytest.raises(QueryTimeout):
            pool.ask(SLOW_CHECK, timeout=1, client="greedy")  # now heavy
        holder, out = _in_thread(pool.ask, SLOW_CHECK, timeout=4, client="holder")
        time.sleep(1.0)
        with pytest.raises(QueryTimeout, match="stayed busy"):
            pool.ask({"check": "ASK {}"}, timeout=1.5, client="greedy")
        holder.join(HANG)
        assert "stopped after 4 s" in str(out["error"])  # its own limit, not a preemption
    finally:
        pool.close()


def _autogroup_nice(pid: int) -> int | None:
    """The niceness of the scheduling group `pid` is in, or None outside any.

    The file is empty for a process whose scheduling a cgroup decides (as in
    many containers): Linux then keeps no session group for it.
    """
    try:
        text = Path(f"/proc/{pid}/autogroup").read_text()
    except OSError:
        return None
    found = re.search(r"nice\s+(-?\d+)", text)
    return int(found.group(1)) if found else None


def test_query_processes_yield_to_the_app_even_in_a_scheduling_group_of_their_own(mini):
    """Each process leads its own session; Linux weighs the session's group, not the process."""
    if _autogroup_nice(os.getpid()) is None:
        pytest.skip("no autogroup scheduling here")
    run_query(mini, "ASK { ?s ?p ?o }")
    pids = query_pool.pool_for(mini.backend, DEFAULT_MEMORY_LIMIT).pids()
    assert pids
    for pid in pids:
        assert os.getpriority(os.PRIO_PROCESS, pid) == NICENESS
        assert _autogroup_nice(pid) == GROUP_NICENESS
