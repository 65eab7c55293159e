"""Whole-graph facts computed over an adjacency index at once: counts, classes, names, degrees.

The same answers as reading the graph statement by statement (``stats``
iterating every statement, a node named from its own statements), computed
with a handful of numpy operations over every statement so that a store of
millions of statements derives them in seconds when it is built
(:mod:`graph.core.facts` keeps them).  ``tests/core/test_facts.py`` holds the
two readings equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..backends.edge_index import distinct
from ..terms import Lit
from ..vocab.labels import LABEL_PREDICATES, pick_label
from ..vocab.namespaces import RDF

if TYPE_CHECKING:
    from ..backends.edge_index import EdgeIndex
    from .kg import KnowledgeGraph

__all__ = ["class_sets", "degrees", "edge_keys", "labels", "stats_counts"]


def _label_order(lit: Lit) -> tuple[bool, str, str]:
    """How :func:`graph.core.names.group_literals` orders the labels of one predicate."""
    return (lit.value[:1].isupper(), lit.value, lit.lang or "")


def class_sets(
    kg: KnowledgeGraph, index: EdgeIndex
) -> tuple[np.ndarray, list[tuple[str, tuple[str, ...], str]], list[tuple[str, ...]]]:
    """Each node's set of classes, numbered: (node id -> set number, set number ->
    description, set number -> the class IRIs).

    A description is (main class local name, every class's local name, main
    class label), as :meth:`graph.core.names.NodeNames.describe` gives it;
    set number 0 is the empty set (``Resource``).
    """
    n = len(index.terms)
    which = np.zeros(n, dtype=np.int32)
    described = [kg.names.describe(())]
    asserted: list[tuple[str, ...]] = [()]
    pid = index.predicate_ids.get(RDF.type)
    if pid is None:
        return which, described, asserted
    rows = np.flatnonzero(np.asarray(index.p) == pid)
    pairs = np.unique(np.stack((index.s[rows], index.o[rows])).astype(np.int64), axis=1)
    nodes, classes = pairs
    # An order-free fingerprint of each node's set: the sum of one random number per class.
    weights = np.random.default_rng(7).integers(1, 2**62, size=n, dtype=np.int64)
    print_of = np.zeros(n, dtype=np.int64)
    np.add.at(print_of, nodes, weights[classes])
    typed = distinct(nodes)
    prints, first, number = np.unique(print_of[typed], return_index=True, return_inverse=True)
    starts = np.searchsorted(nodes, typed[first])
    ends = np.searchsorted(nodes, typed[first], side="right")
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        iris = tuple(sorted(index.terms[int(c)] for c in classes[start:end]))
        described.append(kg.names.describe(iris))
        asserted.append(iris)
    which[typed] = number.ravel() + 1
    del prints
    return which, described, asserted


def labels(index: EdgeIndex) -> list[str]:
    """Node id -> the label it is shown with (``""`` without one), picked as a node is named."""
    names = index.names
    out = [""] * len(index.terms)
    wanted = len(LABEL_PREDICATES)  # label predicates come first among the names kept
    rows = np.flatnonzero(np.asarray(names["predicate"], dtype=np.int64) < wanted)
    if not len(rows):
        return out
    nodes = np.asarray(names["node"], dtype=np.int64)[rows]
    many = np.bincount(nodes, minlength=len(out)) > 1
    text, lang, predicate = names["text"], names["lang"], names["predicate"]
    found: dict[int, list[tuple[int, Lit]]] = {}
    for row, node, several in zip(rows.tolist(), nodes.tolist(), many[nodes].tolist(), strict=True):
        if several:  # ordered and picked as a node's own labels are
            found.setdefault(node, []).append((predicate[row], Lit(text[row], lang[row])))
        else:  # the one label a node has is its label, whatever its language
            out[node] = text[row]
    for node, lits in found.items():
        ordered = []
        for p in range(wanted):
            ordered += sorted((lit for q, lit in lits if q == p), key=_label_order)
        out[node] = pick_label(ordered) or ""
    return out


def edge_keys(kg: KnowledgeGraph, index: EdgeIndex, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Number the edges of ``rows`` as :meth:`~graph.core.edges.EdgeRules.merge_inverses` folds
    them: (edge number per row, its direction, subject and object per edge number).

    A statement and its inverse twin share a number and differ in direction.
    """
    predicates = index.predicates
    partner = np.arange(max(len(predicates), 1), dtype=np.int64)
    symmetric = np.zeros(len(partner), dtype=bool)
    for i, p in enumerate(predicates):
        inverse = kg.schema.inverse.get(p)
        j = index.predicate_ids.get(inverse) if inverse else None
        if j is not None:
            partner[i] = j
            symmetric[i] = j == i
    s = np.asarray(index.s[rows], dtype=np.int64)
    o = np.asarray(index.o[rows], dtype=np.int64)
    p = np.asarray(index.p[rows], dtype=np.int64)
    q = partner[p]
    flip = np.where(symmetric[p], s > o, q < p)
    ks, ko, kp = np.where(flip, o, s), np.where(flip, s, o), np.where(flip, q, p)
    n, n_pred = max(len(index.terms), 1), len(partner)
    if n * n * n_pred < 2**62:
        key = (ks * n + ko) * n_pred + kp
        unique, number = np.unique(key, return_inverse=True)
        ends_s, ends_o = (unique // n_pred) // n, (unique // n_pred) % n
    else:  # too many nodes for one number per edge
        triples = np.stack((ks, ko, kp))
        unique, number = np.unique(triples, axis=1, return_inverse=True)
        ends_s, ends_o = unique[0], unique[1]
    return number.ravel(), flip.astype(np.int64), ends_s, ends_o


def degrees(
    kg: KnowledgeGraph, index: EdgeIndex, edge_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per node: how many distinct neighbours it has, and how many edges touch it."""
    n = len(index.terms)
    rows = np.flatnonzero(edge_rows)
    s = np.asarray(index.s[rows], dtype=np.int64)
    o = np.asarray(index.o[rows], dtype=np.int64)
    pairs = distinct(np.minimum(s, o) * max(n, 1) + np.maximum(s, o))
    neighbours = np.bincount(pairs // max(n, 1), minlength=n) + np.bincount(
        pairs % max(n, 1), minlength=n
    )
    _number, _flip, ends_s, ends_o = edge_keys(kg, index, rows)
    touching = np.bincount(ends_s, minlength=n) + np.bincount(ends_o, minlength=n)
    return neighbours.astype(np.int32), touching.astype(np.int32)


def stats_counts(
    kg: KnowledgeGraph,
    index: EdgeIndex,
    edge_rows: np.ndarray,
    type_names: Sequence[str],
    *,
    inferred: bool,
) -> dict[str, Any]:
    """What :func:`graph.query.stats.graph_stats` counts, over the index (``triples`` aside).

    ``type_names`` gives each node's main class (local name).
    """
    schema = kg.schema
    graphs = index.graphs
    inferred_graph = np.array([kg.is_inferred_graph(g) for g in graphs] or [False])
    rows = np.flatnonzero(edge_rows)
    valued_s, valued_g = np.asarray(index.literal_s), np.asarray(index.literal_g)
    if not inferred:
        rows = rows[~inferred_graph[index.g[rows]]]
        valued_s = valued_s[~inferred_graph[valued_g]]
    schema_node = np.zeros(len(index.terms) + 1, dtype=bool)
    for node in schema.schema_nodes:
        i = index.ids.get(node)
        if i is not None:
            schema_node[i] = True
    schema_node[: len(index.terms)] |= index.terms.blank()  # folded into their owners
    valued_s = valued_s[~schema_node[valued_s]]
    nodes = distinct(np.concatenate((index.s[rows], index.o[rows], valued_s)).astype(np.int64))
    by_class: dict[str, int] = {}
    for node in nodes.tolist():
        name = type_names[node]
        by_class[name] = by_class.get(name, 0) + 1
    number, flip, _s, _o = edge_keys(kg, index, rows)
    edges = int(number.max()) + 1 if len(number) else 0
    asserted_row = ~inferred_graph[index.g[rows]]
    side = number * 2 + flip
    side_asserted = np.bincount(side, weights=asserted_row, minlength=2 * edges) > 0
    edge_asserted = side_asserted[0::2] | side_asserted[1::2]
    # An edge keeps the graphs of its asserted statements, or all of them when none is asserted.
    kept = side_asserted[side] | ~edge_asserted[number]
    sources = [schema.source_of(g) for g in graphs]
    return {
        "nodes": len(nodes),
        "edges": edges,
        "inferred_edges": int((~edge_asserted).sum()),
        "classes": dict(sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sources": _per_edge(number[kept], index.g[rows][kept], [s.label for s in sources]),
        "articles": _per_edge(
            number[kept],
            index.g[rows][kept],
            [s.source if s.kind == "article" else None for s in sources],
        ),
    }


def _per_edge(number: np.ndarray, graph: np.ndarray, names: list[Any]) -> dict[str, int]:
    """How many edges each name (of the graphs stating them) has, each edge once per name."""
    known = sorted({n for n in names if n is not None})
    if not known:
        return {}
    code = {name: i for i, name in enumerate(known)}
    of_graph = np.array([code.get(n, -1) for n in names], dtype=np.int64)
    named = of_graph[graph]
    keep = named >= 0
    pairs = distinct(number[keep].astype(np.int64) * len(known) + named[keep])
    counts = np.bincount(pairs % len(known), minlength=len(known))
    return {name: int(c) for name, c in zip(known, counts.tolist(), strict=True) if c}
