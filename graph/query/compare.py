"""Comparing two roles: the skills, tools and qualifications they share and do not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Node

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["CATEGORIES", "Comparison", "compare"]

#: The main classes a comparison is broken down by.
CATEGORIES = ("Skill", "Tool", "Qualification")


@dataclass
class Comparison:
    """Shared and distinct neighbours of two nodes, per category."""

    a: Node
    b: Node
    shared: dict[str, list[Node]] = field(default_factory=dict)
    only_a: dict[str, list[Node]] = field(default_factory=dict)
    only_b: dict[str, list[Node]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def nodes(groups: dict[str, list[Node]]) -> dict[str, list[dict[str, str]]]:
            return {k: [n.to_dict() for n in v] for k, v in groups.items()}

        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "shared": nodes(self.shared),
            "only_a": nodes(self.only_a),
            "only_b": nodes(self.only_b),
        }


def _related(kg: KnowledgeGraph, node: str, inferred: bool) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {c: set() for c in CATEGORIES}
    for edge in kg.edges(node, inferred=inferred):
        other = kg.node(edge.other(node))
        if other.type in out:
            out[other.type].add(other.id)
    return out


def compare(kg: KnowledgeGraph, a: str, b: str, *, inferred: bool = True) -> Comparison:
    """Skills, tools and qualifications ``a`` and ``b`` share, and those only one has.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> compare(kg, "Python", "Programming").shared
    {'Skill': [], 'Tool': [], 'Qualification': []}
    """
    first, second = kg.node(kg.resolve(a)), kg.node(kg.resolve(b))
    mine, theirs = _related(kg, first.id, inferred), _related(kg, second.id, inferred)
    result = Comparison(first, second)

    def nodes(ids: set[str]) -> list[Node]:
        return sorted((kg.node(i) for i in ids), key=lambda n: n.label.casefold())

    for category in CATEGORIES:
        result.shared[category] = nodes(mine[category] & theirs[category])
        result.only_a[category] = nodes(mine[category] - theirs[category])
        result.only_b[category] = nodes(theirs[category] - mine[category])
    return result
