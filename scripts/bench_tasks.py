#!/usr/bin/env python3
"""The measurements of ``scripts/benchmark.py``, each run in a process of its own.

``python scripts/bench_tasks.py TASK ARG...`` prints one JSON object on its
last line.  The code measured is the ``graph`` package of the working
directory, so the benchmark can measure another checkout with the same
tasks (``benchmark.py --code DIR``).  Each task reports its own peak memory
(``ru_maxrss``), its process being its own.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.getcwd())  # the checkout measured, not necessarily this one

BIG_QUERIES = {
    "most required skills": "SELECT ?s (COUNT(?r) AS ?n) WHERE { ?r mlc:requiresSkill ?s }"
    " GROUP BY ?s ORDER BY DESC(?n) LIMIT 10",
    "roles per class": "SELECT ?c (COUNT(?r) AS ?n) WHERE { ?r a ?c } GROUP BY ?c",
    "labels containing 'data'": "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l"
    " FILTER(CONTAINS(LCASE(STR(?l)), 'data')) } LIMIT 100",
    "skills of 20 roles": "SELECT ?r ?l WHERE { { SELECT ?r WHERE { ?r a mlc:Role } LIMIT 20 }"
    " ?r mlc:requiresSkill ?s . ?s skos:prefLabel ?l }",
}
#: Path pairs and neighbourhood centres measured locally and through each server.
PAIRS, CENTRES = 40, 6


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_mb(folder: str) -> float:
    """Bytes under ``folder`` (its database and everything kept beside it), in MB."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / 1e6


# -- loading ------------------------------------------------------------------------------------
def task_bare(data: str, folder: str) -> dict[str, Any]:
    import pyoxigraph as ox

    def load() -> None:
        store = ox.Store(folder)
        store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
        store.flush()

    seconds, _ = _timed(load)
    return {"seconds": seconds, "rss_mb": _maxrss_mb(), "size_mb": folder_mb(folder)}


def task_bare_memory(data: str) -> dict[str, Any]:
    import pyoxigraph as ox

    seconds, _ = _timed(lambda: ox.Store().bulk_load(path=data, format=ox.RdfFormat.N_QUADS))
    return {"seconds": seconds, "rss_mb": _maxrss_mb()}


def task_cold_memory(data: str) -> dict[str, Any]:
    import graph

    seconds, kg = _timed(graph.load, [data], default=False)
    return {"seconds": seconds, "rss_mb": _maxrss_mb(), "triples": kg.triple_count()}


def task_cold(data: str, folder: str) -> dict[str, Any]:
    import graph

    seconds, kg = _timed(graph.load, [data], default=False, store=folder)
    triples = kg.triple_count()
    return {
        "seconds": seconds,
        "rss_mb": _maxrss_mb(),
        "triples": triples,
        "size_mb": folder_mb(folder),
    }


def task_rdflib(data: str) -> dict[str, Any]:
    import rdflib

    from graph.vocab.namespaces import PREFIXES

    ds = rdflib.Dataset(default_union=True)
    seconds, _ = _timed(ds.parse, data, format="nquads")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    queries = {}
    for name, q in BIG_QUERIES.items():
        queries[name], _ = _timed(lambda q=q: list(ds.query(prologue + q)))
    return {"seconds": seconds, "sparql": queries, "rss_mb": _maxrss_mb()}


# -- a warm store, in one process ------------------------------------------------------------------
def task_warm(data: str, folder: str, plan_file: str) -> dict[str, Any]:
    """Open the store, then search, view and find paths; write what was asked to ``plan_file``."""
    import graph
    from graph.query.search import search

    seconds, kg = _timed(graph.load, [data], default=False, store=folder)
    out: dict[str, Any] = {"open": seconds}
    roles = [r["r"] for r in kg.backend.select("SELECT ?r WHERE { ?r a mlc:Role } LIMIT 2000")]
    rng = random.Random(7)
    words = [kg.node(r).label for r in rng.sample(roles, 10)]
    out["search_first"], _ = _timed(search, kg, words[0])
    out["search"] = statistics.median(_timed(search, kg, w)[0] for w in words[1:])
    centres = rng.sample(roles, CENTRES)
    out["neighbourhood"] = _neighbourhoods(kg, centres)
    pairs = _pairs(kg, roles, rng, PAIRS)
    out.update(_paths(kg, pairs))
    out["sparql"] = {name: _timed(kg.backend.select, q)[0] for name, q in BIG_QUERIES.items()}
    out["rss_mb"] = _maxrss_mb()
    show = _unique_label(kg, pairs[0][0])
    plan = {"pairs": pairs, "centres": centres, "word": words[1], "show": show}
    Path(plan_file).write_text(json.dumps(plan), encoding="utf-8")
    return out


def _unique_label(kg: Any, node: str) -> str:
    """The node's label when it names the node alone, else its IRI (what a user would type)."""
    label = kg.node(node).label
    try:
        return label if kg.resolve(label) == node else node
    except Exception:  # an ambiguous or unmatched label: the IRI names it
        return node


def _neighbourhoods(kg: Any, centres: list[str]) -> dict[str, float]:
    from graph.query.neighbors import neighbors

    times = []
    for centre in centres:
        started = time.perf_counter()
        nb = neighbors(kg, centre, hops=2, limit=300)
        _view(kg, nb)
        times.append(time.perf_counter() - started)
    return _spread(times)


def _view(kg: Any, nb: Any) -> None:
    from graph.io.selection import Selection
    from graph.io.view import view_spec

    view_spec(Selection.from_neighbourhood(nb), kg=kg, focus=nb.center.id)


def _pairs(kg: Any, roles: list[str], rng: random.Random, n: int) -> list[list[str]]:
    """Random connected pairs: a role and the end of a random walk of 2 or 3 steps from it."""
    pairs: list[list[str]] = []
    while len(pairs) < n:
        start = rng.choice(roles)
        node, seen = start, {start}
        for _ in range(rng.choice((2, 3))):
            options = [o for o, _, _ in kg.neighbor_ids(node) if o not in seen]
            if not options:
                break
            node = rng.choice(options)
            seen.add(node)
        if node != start:
            pairs.append([start, node])
    return pairs


def _paths(kg: Any, pairs: list[list[str]]) -> dict[str, Any]:
    from graph.query.paths import find_paths

    fresh = type(kg)(kg.backend)  # empty caches: each query pays for what it reads
    times = []
    for a, b in pairs:
        started = time.perf_counter()
        find_paths(fresh, a, b, k=3)
        times.append(time.perf_counter() - started)
    spread = _spread(times)
    return {"path_median": spread["median"], "path_p95": spread["p95"], "path_times": times}


def _spread(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


# -- through a SPARQL endpoint ---------------------------------------------------------------------
def task_remote(url: str, plan_file: str) -> dict[str, Any]:
    import graph

    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    kg = graph.KnowledgeGraph.from_endpoint(url, timeout=60)
    out = _paths(kg, plan["pairs"])
    out["neighbourhood"] = _neighbourhoods(kg, plan["centres"])
    return out


# -- the embedded knowledge base ------------------------------------------------------------------
def task_embedded() -> dict[str, Any]:
    """Path and search times on the embedded base, and its gallery against rdflib."""
    import pyoxigraph as ox
    import rdflib

    import graph
    from graph.query.questions import ask
    from graph.query.search import search
    from graph.vocab.namespaces import PREFIXES

    question = "skills linking Python to Core ML engineer"
    out: dict[str, Any] = {}
    kg = graph.load()
    out["path_first"], _ = _timed(ask, kg, question)
    out["path"] = statistics.median(_timed(ask, kg, question)[0] for _ in range(10))
    out["search_first"], _ = _timed(search, kg, "pyhton")
    words = ["python", "data scientist", "linear algebra", "mlops", "deep learnin"]
    out["search"] = statistics.median(_timed(search, kg, w)[0] for w in words)
    store = kg.store
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=store.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    ours = theirs = 0.0
    failed = []
    for q in sorted((Path.cwd() / "ontology" / "queries").glob("*.rq")):
        text = q.read_text(encoding="utf-8")
        try:
            seconds = _timed(lambda t=text: list(ds.query(prologue + t)))[0]
        except Exception:  # rdflib cannot run every gallery query: compare the others
            failed.append(q.name)
            continue
        theirs += seconds
        ours += _timed(
            lambda t=text: list(store.query(t, prefixes=PREFIXES, use_default_graph_as_union=True))
        )[0]
    out.update(gallery=ours, gallery_rdflib=theirs, gallery_failed=failed)
    out["app_rerun"] = _app_rerun()
    return out


def _app_rerun() -> float | None:
    """Median time of the Explore page's rerun after a search, in Streamlit's test runner."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path.cwd() / "streamlit_app.py"), default_timeout=60)
    at.run()
    times = []
    options = list(at.selectbox(key="explore_search").options)
    for word in ["Python", "data scientist", "linear algebra", "MLOps", "deep learning"]:
        picked = next((o for o in options if o.lower().startswith(word.lower())), None)
        if picked is None:
            continue
        at.selectbox(key="explore_search").set_value(picked)
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


TASKS = {
    "embedded": task_embedded,
    "bare": task_bare,
    "bare_memory": task_bare_memory,
    "cold": task_cold,
    "cold_memory": task_cold_memory,
    "warm": task_warm,
    "remote": task_remote,
    "rdflib": task_rdflib,
}


if __name__ == "__main__":
    task, *args = sys.argv[1:]
    if task == "app":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_app import task_app

        result = task_app(*args)
    else:
        result = TASKS[task](*args)
    print(json.dumps(result))
