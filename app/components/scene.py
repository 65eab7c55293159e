"""The Explore scene: a neighbourhood that grows one step at a time.

A scene is a focus (the neighbourhood it starts from) and a list of steps:
expand a node (its most connected neighbours join), or remove one. The
steps live in the address (``step=+IRI``, ``step=-IRI``, ``step=+Skill IRI``
for an expansion kept to one class), so an address restores every node shown,
and each step is one entry of the browser's history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import streamlit as st

import graph
from graph.io.panel import panel_data
from graph.io.selection import Selection
from graph.model import Edge, Node
from graph.query.neighbors import Neighbourhood, neighbors

__all__ = ["EXPAND_LIMIT", "Expansion", "Scene", "Step", "build_scene", "expansion", "panel"]

#: An expansion adds at most this many neighbours (the most connected); above it, a guard asks.
EXPAND_LIMIT = 25


@dataclass(frozen=True)
class Step:
    """Expand ``node`` (optionally only its neighbours of class ``only``), or remove it."""

    kind: str  # "expand" or "remove"
    node: str
    only: str | None = None

    def encode(self) -> str:
        """The step as the address writes it.

        >>> Step("expand", "http://e/a", "Skill").encode(), Step("remove", "http://e/b").encode()
        ('+Skill http://e/a', '-http://e/b')
        """
        sign = "+" if self.kind == "expand" else "-"
        return f"{sign}{self.only} {self.node}" if self.only else f"{sign}{self.node}"

    @classmethod
    def decode(cls, text: str) -> Step | None:
        """A step read from the address, or ``None`` for text that is not one.

        >>> Step.decode("+Skill http://e/a"), Step.decode("nonsense")
        (Step(kind='expand', node='http://e/a', only='Skill'), None)
        """
        if len(text) < 2 or text[0] not in "+-":
            return None
        kind = "expand" if text[0] == "+" else "remove"
        only, _, node = text[1:].rpartition(" ")
        if not node or (only and kind == "remove"):
            return None
        return cls(kind, node, only or None)


@dataclass
class Scene:
    """What Explore draws: the nodes in the order they joined, and where each hangs from."""

    centre: Neighbourhood
    selection: Selection
    anchors: dict[str, str | None]
    expanded: list[str] = field(default_factory=list)
    skipped: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class Expansion:
    """What expanding a node would add, for the guard shown before a large expansion."""

    node: Node
    total: int
    by_relation: dict[str, int]
    by_class: dict[str, int]


@st.cache_resource(max_entries=64, show_spinner=False)
def _scene(
    _kg: graph.KnowledgeGraph,
    token: str,
    focus: str,
    steps: tuple[Step, ...],
    filters: tuple,
) -> Scene:
    hops, types, predicates, sources, inferred, limit = filters
    centre = neighbors(
        _kg,
        focus,
        hops=hops,
        types=list(types) or None,
        predicates=list(predicates) or None,
        sources=list(sources) or None,
        inferred=inferred,
        limit=limit,
    )
    nodes: dict[str, Node] = {centre.center.id: centre.center}
    nodes.update((n.id, n) for n in centre.nodes)
    anchors: dict[str, str | None] = dict.fromkeys(nodes)
    edges: dict[tuple[str, str, str], Edge] = {e.key: e for e in centre.edges}
    expanded: list[str] = []
    skipped: list[Step] = []
    for step in steps:
        if step.kind == "remove":
            if step.node == centre.center.id or step.node not in nodes:
                skipped.append(step)
                continue
            del nodes[step.node]
            anchors.pop(step.node, None)
            edges = {k: e for k, e in edges.items() if step.node not in (e.source, e.target)}
            continue
        if step.node not in nodes:
            skipped.append(step)
            continue
        grown = neighbors(
            _kg,
            step.node,
            hops=1,
            types=[step.only] if step.only else (list(types) or None),
            predicates=list(predicates) or None,
            sources=list(sources) or None,
            inferred=inferred,
            # Enough to find the next most connected ones when the best are already shown.
            limit=EXPAND_LIMIT + len(nodes),
        )
        fresh = [n for n in grown.nodes if n.id not in nodes][:EXPAND_LIMIT]
        for node in fresh:
            nodes[node.id] = node
            anchors[node.id] = step.node
        edges.update((e.key, e) for e in grown.edges)
        expanded.append(step.node)
    kept = [e for e in edges.values() if e.source in nodes and e.target in nodes]
    selection = Selection(
        list(nodes.values()),
        kept,
        focus=centre.center.id,
        title=f"Neighbourhood of {centre.center.label}",
    )
    return Scene(centre, selection, anchors, expanded, skipped)


def build_scene(
    kg: graph.KnowledgeGraph,
    token: str,
    focus: str,
    steps: list[Step],
    *,
    hops: int,
    types: list[str],
    predicates: list[str],
    sources: list[str],
    inferred: bool,
    limit: int,
) -> Scene:
    """The scene for ``focus`` after ``steps``, computed once per graph, steps and filters."""
    filters = (hops, tuple(types), tuple(predicates), tuple(sources), inferred, limit)
    return _scene(kg, token, focus, tuple(steps), filters)


@st.cache_resource(max_entries=64, show_spinner=False)
def _expansion(_kg: graph.KnowledgeGraph, token: str, node: str, inferred: bool) -> Expansion:
    edges = _kg.edges(node, inferred=inferred)
    others: dict[str, str] = {}
    for edge in edges:
        others.setdefault(edge.other(node), edge.label)
    relations = Counter(e.label for e in edges)
    if len(others) <= EXPAND_LIMIT:
        classes = Counter(_kg.node(o).type for o in others)
    else:  # the neighbourhood counts the classes of what it leaves out, cheaply
        nb = neighbors(_kg, node, hops=1, inferred=inferred, limit=EXPAND_LIMIT)
        classes = Counter(n.type for n in nb.nodes) + Counter(nb.omitted_by_type)
    return Expansion(_kg.node(node), len(others), dict(relations), dict(classes))


def expansion(kg: graph.KnowledgeGraph, token: str, node: str, *, inferred: bool) -> Expansion:
    """How many neighbours ``node`` has, by relation and by class."""
    return _expansion(kg, token, node, inferred)


@st.cache_resource(max_entries=64, show_spinner=False)
def _panel(_kg: graph.KnowledgeGraph, token: str, node: str, inferred: bool) -> dict:
    return panel_data(_kg, node, inferred=inferred)


def panel(kg: graph.KnowledgeGraph, token: str, node: str, *, inferred: bool) -> dict:
    """The node panel of ``node`` (:func:`graph.io.panel.panel_data`), read once per graph,
    node and option: every rerun of the page sends it, and a hub's panel reads every
    statement of the hub (1.5 s of each rerun on a hub of ten million statements)."""
    return _panel(kg, token, node, inferred)
