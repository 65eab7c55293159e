"""A learning plan drawn as a graph, and kept as the learner's own small RDF graph.

:func:`plan_view` is the view of a :class:`~graph.query.plan.Plan`: the
target role, what one has, what that already covers and the steps left,
joined by the statements that put each step in the plan.  Each node keeps the
shape of its class; its colour says where it stands (had, covered, to learn
first, optional), from the same colour-blind-safe palette as every other view.

:func:`learner_graph` writes the plan as RDF with the learner vocabulary of
``ontology/schema-additions.ttl``: a ``mlc:Learner`` who ``mlc:hasLearned``
what they have, ``mlc:holdsRole`` a role and ``mlc:aimsFor`` the target, and
``mlc:followsPlan`` a ``mlc:LearningPlan`` whose ``mlc:PlanStep`` s each
name what ``mlc:toLearn``, their ``mlc:stage``, ``mlc:stepNumber``, whether
they are ``mlc:essential``, the steps they ``mlc:buildsOn`` and why (the
reason in words and its articles).  ``--data FILE`` loads it beside the
knowledge base.

Examples
--------
>>> from graph.core.examples import tiny_graph
>>> from graph.model import Node
>>> from graph.query.plan import Plan, Step
>>> role = Node("http://e/r", "Coder", "Role", ("Role",))
>>> python = Node("http://e/p", "Python", "Tool", ("Tool",))
>>> spec = plan_view(Plan(role, [], steps=[Step(python, 1, True)]))
>>> [(n["label"], n["kgClass"]) for n in spec["nodes"]]
[('Coder', 'target'), ('Python', 'essential')]
>>> b"mlc:toLearn" in learner_graph(Plan(role, [], steps=[Step(python, 1, True)]))
True
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import BadInput
from ..model import Edge, Node
from ..vocab.namespaces import DCT, ML, MLC, PROV, RDF, RDFS, XSD
from .selection import Selection
from .view import GLYPHS, PALETTE, SHAPES, view_spec
from .words import counted

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from ..query.plan import Plan

__all__ = ["STATUSES", "learner_graph", "plan_status", "plan_view"]

#: Where a node of a plan stands: the legend's label and colour (Okabe-Ito, as every view).
STATUSES: dict[str, tuple[str, str]] = {
    "target": ("the role I want", PALETTE["Role"]),
    "have": ("what I have", PALETTE["Tool"]),
    "covered": ("covered by what I have", PALETTE["Skill"]),
    "essential": ("to learn", PALETTE["Responsibility"]),
    "optional": ("to learn, optional", PALETTE["Qualification"]),
    "context": ("on the way (roles and groups)", PALETTE["Resource"]),
}
FORMATS = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE}
_SLUG = re.compile(r"[^a-z0-9]+")


def plan_status(plan: Plan) -> dict[str, str]:
    """Each node of ``plan`` -> its status (a key of :data:`STATUSES`).

    What one has wins over anything else; the target over a step.
    """
    status: dict[str, str] = {}
    for step in plan.steps:
        status[step.node.id] = "essential" if step.essential else "optional"
        for why in step.why:
            status.setdefault(why.origin.id, "context")
    for need, by in plan.covered:
        status[need.id] = "covered"
        status.setdefault(by.id, "have")
    status[plan.target.id] = "target"
    for node in plan.have:
        status[node.id] = "have"
    return status


def _selection(plan: Plan, kg: KnowledgeGraph | None) -> Selection:
    nodes: dict[str, Node] = {plan.target.id: plan.target}
    nodes.update((n.id, n) for n in plan.have)
    edges: dict[tuple[str, str, str], Edge] = {}
    for need, by in plan.covered:
        nodes.setdefault(need.id, need)
        nodes.setdefault(by.id, by)
    for step in plan.steps:
        nodes.setdefault(step.node.id, step.node)
        for why in step.why:
            nodes.setdefault(why.origin.id, why.origin)
            edges.setdefault(why.edge.key, why.edge)
    if kg is not None:  # how what one has meets the plan: the few statements joining them
        pairs = [(need.id, by.id) for need, by in plan.covered if need.id != by.id]
        pairs += [(plan.target.id, n.id) for n in plan.have]
        for a, b in pairs:
            for edge in kg.edges_joining(a, b):
                edges.setdefault(edge.key, edge)
    ids = set(nodes)
    kept = [e for e in edges.values() if e.source in ids and e.target in ids]
    return Selection(
        list(nodes.values()), kept, focus=plan.target.id, title=f"plan to {plan.target.label}"
    )


def plan_view(plan: Plan, kg: KnowledgeGraph | None = None) -> dict[str, Any]:
    """The view spec of ``plan`` (see :func:`graph.io.view.view_spec`), coloured by status.

    Each node keeps its class's shape; its fill is its status's colour and its
    ``kgClass`` the status, so the legend names the statuses and a click on one
    hides those nodes.  With ``kg``, the statements joining what one has to the
    needs it covers are drawn too.
    """
    selection = _selection(plan, kg)
    spec = view_spec(selection, kg=kg, highlight_paths=[], focus=plan.target.id)
    status = plan_status(plan)
    counts: dict[str, int] = {}
    for item in spec["nodes"]:
        kind = status.get(item["id"], "context")
        counts[kind] = counts.get(kind, 0) + 1
        colour = STATUSES[kind][1]
        item["kgClass"] = kind
        item["color"] = {
            "background": colour,
            "border": "#000000",
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        }
        item["font"] = {"color": "#000000"} if item["shape"] != "text" else item.get("font", {})
        item["borderWidth"] = 3 if kind in ("have", "target") else 1
    shapes = {"target": SHAPES["Role"]}  # the other glyphs are dots: shapes say the class
    spec["legend"] = [
        {
            "type": kind,
            "label": label,
            "color": colour,
            "shape": shapes.get(kind, SHAPES["Skill"]),
            "count": counts[kind],
        }
        for kind, (label, colour) in STATUSES.items()
        if counts.get(kind)
    ]
    spec["status"] = status
    return spec


def legend_note() -> str:
    """What the shapes say in a plan's view (its colours say the status)."""
    shown = ("Role", "Skill", "Tool", "Qualification")
    return "Shapes: " + ", ".join(f"{GLYPHS[SHAPES[c]]} {c.lower()}" for c in shown)


def slug(name: str) -> str:
    """A name for IRIs and files.

    >>> slug("Ada L. (me)")
    'ada-l-me'
    """
    return _SLUG.sub("-", name.casefold()).strip("-")[:60] or "me"


def learner_graph(
    plan: Plan,
    *,
    name: str = "me",
    from_role: Node | None = None,
    fmt: str = "trig",
    today: datetime.date | None = None,
    reasons: dict[str, str] | None = None,
) -> bytes:
    """``plan`` as the learner's own RDF graph (TriG or Turtle), loadable with ``--data``.

    Parameters
    ----------
    plan : Plan
    name : str
        The learner's name, used for the IRIs (``ml:learner-<slug>``) and the label.
    from_role : Node, optional
        A role the learner holds.
    fmt : {"trig", "turtle"}
        TriG puts the statements in a named graph of their own; Turtle in the default graph.
    reasons : dict of str to str, optional
        Each step's node IRI -> why, in words (see :func:`graph.query.plan.step_reason`).
    """
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    label = name.strip() or "me"
    me = f"{ML}learner-{slug(label)}"
    where = ox.NamedNode(f"{me}-graph") if fmt == "trig" else ox.DefaultGraph()
    out: list[ox.Quad] = []

    def add(s: str, p: str, o: str | ox.Literal) -> None:
        obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        out.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, where))

    def literal(value: object, kind: str | None = None) -> ox.Literal:
        if kind is None:
            return ox.Literal(str(value), language="en")
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(kind))

    plan_iri = f"{me}-plan"
    when = (today or datetime.date.today()).isoformat()
    if fmt == "trig":  # a graph that describes itself: the explorer names its statements' source
        add(f"{me}-graph", RDF.type, PROV.Entity)
        add(f"{me}-graph", DCT.title, literal(f"learning plan of {label}"))
    add(me, RDF.type, MLC.Learner)
    add(me, RDFS.label, literal(label))
    add(me, MLC.aimsFor, plan.target.id)
    add(me, MLC.followsPlan, plan_iri)
    if from_role is not None:
        add(me, MLC.holdsRole, from_role.id)
    for node in plan.have:
        add(me, MLC.hasLearned, node.id)
    add(plan_iri, RDF.type, MLC.LearningPlan)
    add(plan_iri, RDFS.label, literal(f"{label}: plan to {plan.target.label}"))
    add(plan_iri, MLC.planTowards, plan.target.id)
    add(plan_iri, DCT.created, literal(when, XSD.date))
    add(plan_iri, RDFS.comment, literal(_summary(plan)))
    step_iri = {s.node.id: f"{plan_iri}-step-{i}" for i, s in enumerate(plan.steps, start=1)}
    for i, step in enumerate(plan.steps, start=1):
        iri = step_iri[step.node.id]
        add(plan_iri, MLC.hasStep, iri)
        add(iri, RDF.type, MLC.PlanStep)
        add(iri, RDFS.label, literal(f"step {i}: {step.node.label}"))
        add(iri, MLC.toLearn, step.node.id)
        add(iri, MLC.stage, literal(step.stage, XSD.integer))
        add(iri, MLC.stepNumber, literal(i, XSD.integer))
        add(iri, MLC.essential, literal(step.essential, XSD.boolean))
        for before in step.after:
            if before in step_iri:
                add(iri, MLC.buildsOn, step_iri[before])
        if reasons and reasons.get(step.node.id):
            add(iri, RDFS.comment, literal(reasons[step.node.id]))
        for article in _articles(w.edge for w in step.why):
            add(iri, DCT.source, article)
    prefixes = {"mlc": str(MLC), "ml": str(ML), "dct": str(DCT), "rdfs": str(RDFS)}
    prefixes["prov"] = str(PROV)
    return ox.serialize(out, format=FORMATS[fmt], prefixes=prefixes)


def _summary(plan: Plan) -> str:
    essential = sum(s.essential for s in plan.steps)
    return (
        f"{counted(len(plan.steps), 'step')} in {counted(len(plan.stages), 'stage')} "
        f"({essential} essential); {counted(len(plan.covered), 'need')} already covered"
    )


def _articles(edges: Iterable[Edge]) -> list[str]:
    return list(dict.fromkeys(s.source for e in edges for s in e.sources if s.kind == "article"))
