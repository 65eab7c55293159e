"""A learning plan: from what I have to what a role needs, in an order that builds up.

What the target role needs is read from the graph: what it requires (skills,
tools, qualifications: the sub-properties of ``mlc:requires``, ESCO's essential
skills) and what helps (``mlc:benefitsFrom``, ESCO's optional skills), the
same for every role it specialises or combines, what each needed skill itself
requires, and the broader skill each one refines.  What I have covers a need
when it is the need, a narrower or a part of it, or a tool the need is
practised with (having PyTorch covers "ML frameworks" where the graph says the
frameworks use PyTorch).  A role I hold already gives me what it needs.

The rest is put in order: a step comes after what it builds on (a
prerequisite, a part of it, the broader skill it refines, a skill it
requires), in stages; within a stage, essential before optional, then the
better attested first.  Every step says why, with the relation, the node it
comes from and the sources.

Examples
--------
>>> from graph.core.examples import tiny_graph
>>> plan(tiny_graph(), have=[], target="Python")
Traceback (most recent call last):
...
graph.query.plan.NotARole: Python is not a role; roles close to it: none found
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..errors import BadInput
from ..io.words import counted
from ..model import Edge, Node
from ..vocab.namespaces import MLC

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = [
    "NotARole",
    "Plan",
    "Relations",
    "Step",
    "Why",
    "as_role",
    "covered_by",
    "is_role",
    "plan",
    "role_needs",
]

#: Main classes (local names) that make a node a role.
ROLE_CLASSES = frozenset({"Role", "Occupation"})
#: Classes whose nodes only group others (ESCO's skill groups): never a step of their own.
GROUP_CLASSES = frozenset({"SkillGroup", "OccupationGroup"})
#: How far the requirements of a needed skill are followed.
SKILL_DEPTH = 2


class NotARole(BadInput):
    """The target of a plan is not a role."""


@dataclass(frozen=True)
class Why:
    """One reason a step is in the plan: ``origin`` --``label``--> the step."""

    predicate: str
    label: str
    origin: Node
    edge: Edge
    essential: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "predicate": self.predicate,
            "label": self.label,
            "from": self.origin.to_dict(),
            "sources": [s.to_dict() for s in self.edge.sources],
        }


@dataclass
class Step:
    """Something to learn: the node, its stage, what it builds on and why it is needed."""

    node: Node
    stage: int = 0
    essential: bool = False
    after: list[str] = field(default_factory=list)
    why: list[Why] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": {"id": self.node.id, "label": self.node.label, "type": self.node.type},
            "stage": self.stage,
            "essential": self.essential,
            "after": list(self.after),
            "why": [w.to_dict() for w in self.why],
        }


@dataclass
class Plan:
    """The steps towards ``target`` from what one ``have``s, and the needs already covered."""

    target: Node
    have: list[Node]
    covered: list[tuple[Node, Node]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    total_articles: int = 0

    @property
    def stages(self) -> list[list[Step]]:
        """The steps grouped by stage, first stage first."""
        out: dict[int, list[Step]] = {}
        for step in self.steps:
            out.setdefault(step.stage, []).append(step)
        return [out[k] for k in sorted(out)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.to_dict(),
            "have": [n.to_dict() for n in self.have],
            "covered": [{"node": n.to_dict(), "by": by.to_dict()} for n, by in self.covered],
            "steps": [s.to_dict() for s in self.steps],
        }


# -- the relations, read the same way whatever direction the graph states them ---------------
class Relations:
    """The predicates a plan reads, each with its inverse, from the graph's own vocabulary."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        schema = kg.schema
        self.inverse = schema.inverse

        def family(*roots: str) -> frozenset[str]:
            # the project's own sub-properties are named too: a graph loaded without the
            # project's schema (ESCO on its own) still uses them
            return frozenset(p for r in roots for p in schema.sub_properties_of(r))

        self.essential = family(
            MLC.requires,
            MLC.requiresSkill,
            MLC.requiresQualification,
            MLC.usesTool,
            MLC.essentialRelatedSkill,
        )
        self.optional = family(MLC.benefitsFrom, MLC.optionalSkill)
        self.inherits = family(MLC.specialisationOf, MLC.combinesSkillsOf)
        self.broader = family(MLC.broader, "http://www.w3.org/2004/02/skos/core#broader")
        self.part_of = family(MLC.partOf)
        self.prerequisite = family(MLC.prerequisiteOf)
        self.uses = family(MLC.usesTool)

    def forward(self, edge: Edge, predicates: frozenset[str]) -> tuple[str, str] | None:
        """``(subject, object)`` when ``edge`` states one of ``predicates``, either way round."""
        if edge.predicate in predicates:
            return edge.source, edge.target
        inverse = self.inverse.get(edge.predicate)
        if inverse in predicates:
            return edge.target, edge.source
        return None


def plan(
    kg: KnowledgeGraph,
    *,
    have: Iterable[str],
    target: str,
    from_role: str | None = None,
    inferred: bool = True,
) -> Plan:
    """The steps from what one ``have``s (and the role ``from_role``) to the role ``target``.

    Parameters
    ----------
    kg : KnowledgeGraph
    have : iterable of str
        Names (labels, IRIs, prefixed names) of skills, tools and qualifications one has.
    target : str
        The role wanted.
    from_role : str, optional
        A role one holds: what it needs counts as had.
    inferred : bool
        Whether inferred statements count.

    Raises
    ------
    NodeNotFound
        A name matches no node (with suggestions).
    NotARole
        ``target`` or ``from_role`` names something that is not a role (with the roles
        closest to it).
    """
    rel = Relations(kg)
    goal = as_role(kg, target)
    had = [kg.node(kg.resolve(name)) for name in dict.fromkeys(have)]
    holding = as_role(kg, from_role) if from_role else None
    owned = {n.id: n for n in had}
    if holding is not None:
        owned.update((n, kg.node(n)) for n in role_needs(kg, rel, holding, inferred)[0])
        owned[holding.id] = holding
    result = Plan(goal, had, total_articles=len(kg.schema.articles))
    needs, roles = role_needs(kg, rel, goal, inferred)

    covered: set[str] = set()

    def settle(candidates: Iterable[str]) -> list[str]:
        """Move the covered ones to ``result.covered``; the rest stay needs."""
        kept = []
        for node in candidates:
            if node in covered:
                needs.pop(node, None)
                continue
            by = covered_by(kg, rel, node, owned, inferred)
            if by is None:
                kept.append(node)
            else:
                covered.add(node)
                result.covered.append((needs.pop(node).node, by))
        return kept

    frontier = settle(list(needs))
    for _depth in range(SKILL_DEPTH):  # what the needed skills need in turn
        added = [n for node in frontier for n in _skill_needs(kg, rel, needs, node, inferred)]
        frontier = settle(dict.fromkeys(added))
    settle(_broader_needs(kg, rel, needs, inferred))
    for role in roles:
        needs.pop(role, None)
    _without_inferred_repeats(needs)
    _alternatives_are_optional(kg, rel, needs, covered, inferred)
    result.steps = _ordered(kg, rel, needs, inferred)
    return result


def is_role(node: Node) -> bool:
    """Whether ``node`` is a role (the project's roles, ESCO's occupations)."""
    return bool(ROLE_CLASSES & {node.type, *node.classes})


def as_role(kg: KnowledgeGraph, name: str) -> Node:
    """The role ``name`` names; :class:`NotARole`, naming the roles near it, otherwise."""
    node = kg.node(kg.resolve(name))
    if is_role(node):
        return node
    close = _roles_near(kg, node)
    listed = ", ".join(f"{n.label}" for n in close) or "none found"
    raise NotARole(f"{node.label} is not a role; roles close to it: {listed}")


def _roles_near(kg: KnowledgeGraph, node: Node, limit: int = 5) -> list[Node]:
    """The roles joined to ``node`` by an edge, best attested first."""
    found: dict[str, int] = {}
    for edge in kg.edges(node.id):
        other = kg.node(edge.other(node.id))
        if ROLE_CLASSES & {other.type, *other.classes}:
            found[other.id] = max(found.get(other.id, 0), len(edge.articles))
    ranked = sorted(found, key=lambda n: (-found[n], kg.node(n).label.casefold()))
    return [kg.node(n) for n in ranked[:limit]]


def role_needs(
    kg: KnowledgeGraph, rel: Relations, role: Node, inferred: bool
) -> tuple[dict[str, Step], set[str]]:
    """What ``role`` and every role it specialises or combines need, and those roles."""
    steps: dict[str, Step] = {}
    roles, seen = [role], {role.id}
    while roles:
        current = roles.pop(0)
        for edge in kg.edges(current.id, inferred=inferred):
            parent = rel.forward(edge, rel.inherits)
            if parent and parent[0] == current.id:
                if parent[1] not in seen:
                    seen.add(parent[1])
                    roles.append(kg.node(parent[1]))
                continue
            for predicates, essential in ((rel.essential, True), (rel.optional, False)):
                pair = rel.forward(edge, predicates)
                if pair and pair[0] == current.id:
                    _add(
                        kg,
                        steps,
                        pair[1],
                        Why(edge.predicate, edge.label, current, edge, essential),
                    )
                    break
    return steps, seen


def _skill_needs(
    kg: KnowledgeGraph, rel: Relations, steps: dict[str, Step], node: str, inferred: bool
) -> list[str]:
    """Add the skills ``node`` requires (not the tools it is practised with); the new ones."""
    origin, added = kg.node(node), []
    for edge in kg.edges(node, inferred=inferred):
        for predicates, essential in ((rel.essential - rel.uses, True), (rel.optional, False)):
            pair = rel.forward(edge, predicates)
            if pair and pair[0] == node:
                new = pair[1] not in steps
                _add(kg, steps, pair[1], Why(edge.predicate, edge.label, origin, edge, essential))
                if new and pair[1] in steps:
                    added.append(pair[1])
                break
    return added


def _broader_needs(
    kg: KnowledgeGraph, rel: Relations, steps: dict[str, Step], inferred: bool
) -> list[str]:
    """Add the broader skill each need refines, one level up; the new ones."""
    added = []
    for node in list(steps):
        for edge in kg.edges(node, inferred=inferred):
            pair = rel.forward(edge, rel.broader)
            if pair and pair[0] == node:
                new = pair[1] not in steps
                why = Why(edge.predicate, edge.label, kg.node(node), edge, steps[node].essential)
                _add(kg, steps, pair[1], why)
                if new and pair[1] in steps:
                    added.append(pair[1])
    return added


def _add(kg: KnowledgeGraph, steps: dict[str, Step], node_id: str, why: Why) -> None:
    node = kg.node(node_id)
    if GROUP_CLASSES & {node.type, *node.classes} or ROLE_CLASSES & {node.type, *node.classes}:
        return
    step = steps.setdefault(node_id, Step(node))
    if all((w.origin.id, w.predicate) != (why.origin.id, why.predicate) for w in step.why):
        step.why.append(why)
    step.essential = step.essential or why.essential


def _alternatives_are_optional(
    kg: KnowledgeGraph, rel: Relations, steps: dict[str, Step], covered: set[str], inferred: bool
) -> None:
    """A tool that a skill one already covers is practised with is an alternative, not a need.

    The articles list several languages a role uses; with programming covered
    by Python, Java and C++ remain worth knowing but are no longer essential.
    """
    for node, step in steps.items():
        if not step.essential:
            continue
        for edge in kg.edges(node, inferred=inferred):
            pair = rel.forward(edge, rel.uses)
            if pair and pair[1] == node and pair[0] in covered:
                step.essential = False
                break


def _without_inferred_repeats(steps: dict[str, Step]) -> dict[str, Step]:
    """An inferred reason is dropped where an asserted one says the same (its source)."""
    for step in steps.values():
        asserted = [w for w in step.why if not w.edge.inferred]
        if asserted:
            step.why = asserted
            step.essential = any(w.essential for w in asserted)
    return steps


def covered_by(
    kg: KnowledgeGraph, rel: Relations, need: str, owned: dict[str, Node], inferred: bool
) -> Node | None:
    """What of ``owned`` covers ``need``: itself, a narrower or part of it, a tool it uses.

    A tool covers a skill practised with it (programming, with Python) but not
    knowledge that uses it (machine learning, with Python): a need the graph
    classes as knowledge is covered by knowledge, not by a tool.
    """
    if need in owned:
        return owned[need]
    practical = "Knowledge" not in kg.node(need).classes
    for edge in kg.edges(need, inferred=inferred):
        other = edge.other(need)
        if other not in owned:
            continue
        narrower = rel.forward(edge, rel.broader) or rel.forward(edge, rel.part_of)
        uses = rel.forward(edge, rel.uses)
        if narrower and narrower == (other, need):
            return owned[other]
        if practical and uses and uses == (need, other):
            return owned[other]
    return None


def _ordered(
    kg: KnowledgeGraph, rel: Relations, steps: dict[str, Step], inferred: bool
) -> list[Step]:
    """The steps in stages: each after what it builds on, cycles kept in one stage."""
    G = nx.DiGraph()
    G.add_nodes_from(steps)
    for node in steps:
        for edge in kg.edges(node, inferred=inferred):
            other = edge.other(node)
            if other in steps and other != node:
                first = _builds_on(rel, edge)
                if first is not None:
                    G.add_edge(*first)
    dag = nx.condensation(G)
    stage_of: dict[str, int] = {}
    for level, members in enumerate(nx.topological_generations(dag), start=1):
        for component in members:
            for node in dag.nodes[component]["members"]:
                stage_of[node] = level
    for node, step in steps.items():
        step.stage = stage_of[node]
        step.after = sorted(p for p in G.predecessors(node) if stage_of[p] < step.stage)
    return sorted(
        steps.values(),
        key=lambda s: (
            s.stage,
            not s.essential,
            -max((len(w.edge.articles) for w in s.why), default=0),
            s.node.label.casefold(),
        ),
    )


def _builds_on(rel: Relations, edge: Edge) -> tuple[str, str] | None:
    """``(first, then)`` when ``edge`` says one must come before the other."""
    pair = rel.forward(edge, rel.prerequisite) or rel.forward(edge, rel.part_of)
    if pair:
        return pair
    broader = rel.forward(edge, rel.broader)
    if broader:  # the general skill before the one that refines it
        return broader[1], broader[0]
    needs = rel.forward(edge, rel.essential - rel.uses) or rel.forward(edge, rel.optional)
    if needs:  # a skill after the skills it requires
        return needs[1], needs[0]
    return None


def step_reason(step: Step, total_articles: int, *, most: int = 3) -> str:
    """Why a step is there, in one line: "X requires skill Y (3 of 4 articles)".

    At most ``most`` reasons are written out, the rest counted.
    """
    parts = []
    for why in step.why[:most]:
        articles = len(why.edge.articles)
        if why.edge.inferred:
            evidence = "inferred"
        elif total_articles and articles:
            evidence = f"{articles} of {counted(total_articles, 'article')}"
        else:
            evidence = ", ".join(dict.fromkeys(s.label for s in why.edge.sources)) or "stated"
        parts.append(f"{why.origin.label} {why.label} {step.node.label} ({evidence})")
    rest = len(step.why) - most
    return "; ".join(parts) + (f"; and {counted(rest, 'other reason')}" if rest > 0 else "")
