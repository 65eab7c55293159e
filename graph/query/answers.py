"""Answering an :class:`~graph.query.questions.Interpretation` with paths.

Every answer is a list of paths, so it is drawn, listed and exported the same
way: a path question's paths, a shared neighbour as the middle of a two-edge
path, a related node as a one-edge path (subject first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import NoPath
from ..model import Edge, Path
from .classes import class_names, resolve_classes
from .paths import PathResult, find_paths

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from .questions import Interpretation

__all__ = ["Answer", "answer_interpretation"]

#: How far a related node is looked for when none is joined directly, and among how many.
_NEAR, _NEAR_NODES = 3, 5000


@dataclass
class Answer(PathResult):
    """A :class:`~graph.query.paths.PathResult` that also says what was asked and how it
    was read (``read_as``)."""

    interpretation: Interpretation | None = None
    summary: str = ""
    read_as: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if self.interpretation is not None:
            data["interpretation"] = self.interpretation.to_dict()
        data["read_as"] = self.read_as
        data["summary"] = self.summary
        return data


def answer_interpretation(
    kg: KnowledgeGraph,
    interpretation: Interpretation,
    *,
    k: int = 5,
    max_hops: int = 6,
    inferred: bool = True,
    plain: bool = False,
) -> Answer:
    """The paths that answer ``interpretation`` (see :func:`graph.query.questions.answer`)."""
    handler = _HANDLERS[interpretation.kind]
    result = handler(kg, interpretation, k=k, max_hops=max_hops, inferred=inferred, plain=plain)
    result.interpretation = interpretation
    result.read_as = interpretation.describe(kg)
    return result


def _paths(kg: KnowledgeGraph, q: Interpretation, *, k: int, max_hops: int, **kw: Any) -> Answer:
    via = list(q.via) or None
    result = find_paths(
        kg,
        q.source or "",
        q.target or "",
        via=via,
        k=k,
        max_hops=max_hops,
        inferred=kw["inferred"],
        plain=kw["plain"],
    )
    a, b = kg.node(q.source or "").label, kg.node(q.target or "").label
    what = " or ".join(class_names(kg, q.via, plural=True))
    summary = f"{len(result.paths)} paths from {a} to {b}" + (f" through {what}" if via else "")
    return Answer(result.paths, result.truncated, result.notes, result.reasons, summary=summary)


def _one_hop(
    kg: KnowledgeGraph, node: str, keep: Callable[[Edge, str], bool], inferred: bool
) -> list[Path]:
    """One-edge paths from ``node`` to each neighbour ``keep`` accepts, best attested first."""
    best: dict[str, Edge] = {}
    for edge in kg.edges(node, inferred=inferred):
        other = edge.other(node)
        if keep(edge, other) and (
            other not in best or len(edge.articles) > len(best[other].articles)
        ):
            best[other] = edge
    paths = [Path((kg.node(node), kg.node(o)), (e,)) for o, e in best.items()]
    paths.sort(key=lambda p: (-p.support, p.nodes[-1].label.casefold()))
    return paths


def _in_classes(kg: KnowledgeGraph, via: tuple[str, ...]) -> Callable[[Edge, str], bool]:
    wanted = resolve_classes(kg, via) if via else None

    def keep(_edge: Edge, other: str) -> bool:
        if other in kg.schema.schema_nodes:
            return False
        info = kg.node(other)
        return wanted is None or bool(wanted & {info.type, *info.classes})

    return keep


def _shared(kg: KnowledgeGraph, q: Interpretation, *, inferred: bool, **_: Any) -> Answer:
    a, b = q.source or "", q.target or ""
    keep = _in_classes(kg, q.via)
    from_a = {p.nodes[-1].id: p for p in _one_hop(kg, a, keep, inferred)}
    from_b = {p.nodes[-1].id: p for p in _one_hop(kg, b, keep, inferred)}
    from_a.pop(b, None)
    from_b.pop(a, None)
    paths = [
        Path(
            (from_a[m].nodes[0], from_a[m].nodes[1], from_b[m].nodes[0]),
            (from_a[m].edges[0], from_b[m].edges[0]),
        )
        for m in from_a.keys() & from_b.keys()
    ]
    paths.sort(key=lambda p: (-p.support, p.nodes[1].label.casefold()))
    a_label, b_label = kg.node(a).label, kg.node(b).label
    what = " or ".join(class_names(kg, q.via, plural=True)) or "neighbours"
    if not paths:
        raise NoPath(f"{a_label} and {b_label} share no {what}")
    only_a = sorted(kg.node(n).label for n in from_a.keys() - from_b.keys())
    only_b = sorted(kg.node(n).label for n in from_b.keys() - from_a.keys())
    return Answer(
        paths,
        summary=f"{len(paths)} {what} shared by {a_label} and {b_label}",
        extra={"only_" + a_label: only_a, "only_" + b_label: only_b},
    )


def _nearest(
    kg: KnowledgeGraph, node: str, keep: Callable[[Edge, str], bool], *, inferred: bool, k: int
) -> list[Path]:
    """The best path to each of the ``k`` nearest nodes ``keep`` accepts (within :data:`_NEAR`
    hops, looking at no more than :data:`_NEAR_NODES` nodes)."""
    seen, frontier, found = {node}, [node], []
    for depth in range(1, _NEAR + 1):
        reached = []
        for current in frontier:
            for other, _p, _inferred in kg.neighbor_ids(current, inferred=inferred):
                if other not in seen and len(seen) < _NEAR_NODES:
                    seen.add(other)
                    reached.append(other)
        found += [o for o in reached if depth > 1 and keep(None, o)]  # type: ignore[arg-type]
        if len(found) >= k or not reached:
            break
        frontier = reached
    paths = []
    for other in found[:k]:
        result = find_paths(kg, node, other, k=1, max_hops=_NEAR, inferred=inferred)
        paths += result.paths
    return paths


def _related(kg: KnowledgeGraph, q: Interpretation, *, inferred: bool, **kw: Any) -> Answer:
    """Neighbours of the one end, of the classes asked, by the relation asked (if any)."""
    node = q.source or q.target or ""
    in_class = _in_classes(kg, q.via)
    wanted = set(q.predicates)
    inverse = {kg.schema.inverse[p] for p in wanted if p in kg.schema.inverse}

    def by_relation(edge: Edge, other: str) -> bool:
        subject_first = edge.source == node if q.source else edge.target == node
        right = (edge.predicate in wanted and subject_first) or (
            edge.predicate in inverse and not subject_first
        )
        return right and in_class(edge, other)

    notes = []
    paths = _one_hop(kg, node, by_relation, inferred) if wanted else []
    if wanted and not paths:
        names = " or ".join(sorted({kg.schema.property_label(p) for p in wanted}))
        notes.append(f"no '{names}' statement joins them; showing every relation")
    if not paths:
        paths = _one_hop(kg, node, in_class, inferred)
    label = kg.node(node).label
    what = " or ".join(class_names(kg, q.via, plural=True)) or "nodes"
    if not paths and q.via:
        paths = _nearest(kg, node, in_class, inferred=inferred, k=kw["k"])
        if paths:
            notes = [f"no {what} are joined to {label} directly; the nearest ones follow"]
    if not paths:
        raise NoPath(f"no {what} are related to {label} within {_NEAR} hops")
    if q.target:  # the nodes asked for are the subjects: they come first
        paths = [Path(p.nodes[::-1], p.edges[::-1]) for p in paths]
    paths.sort(key=lambda p: (p.nodes[0 if q.target else -1].type, -p.support))
    return Answer(paths, notes=notes, summary=f"{len(paths)} {what} related to {label}")


_HANDLERS: dict[str, Callable[..., Answer]] = {
    "paths": _paths,
    "shared": _shared,
    "related": _related,
}
