"""Path questions in plain words.

Understood forms (class words come from the graph's class labels, singular or
plural; names are matched as :func:`~graph.query.search.search` matches them):

- "skills linking Python to Core ML engineer"   (paths whose inner nodes are skills)
- "how is linear algebra related to deep learning engineer"
- "path from A to B"
- "tools shared by data scientist and ML engineer"
- "what does applied ML engineer require"
- "which qualifications lead to ML engineer"
- "which regulations concern data privacy"

Every answer is a list of paths, so it is drawn, listed and exported the same
way: a shared tool is the middle of a two-edge path, a requirement a one-edge
path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, NodeNotFound, NoPath, UnknownQuestion
from ..model import Edge, Path
from ..vocab.namespaces import MLC
from ..vocab.text import normalize
from .classes import class_words, resolve_classes
from .paths import PathResult, find_paths

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["EXAMPLES", "MAX_QUESTION_CHARS", "Question", "answer", "ask", "parse_question"]

#: Longer texts are refused before any reading: a question names two or three concepts.
MAX_QUESTION_CHARS = 400

EXAMPLES = (
    "skills linking Python to Core ML engineer",
    "how is linear algebra related to deep learning engineer",
    "path from Python to data scientist",
    "tools shared by data scientist and ML engineer",
    "what does applied ML engineer require",
    "which qualifications lead to ML engineer",
    "which regulations concern data privacy",
)

_LEAD = r"(?:(?:which|what|show|list|find|the)\s+)*"
_NAME = r"(?:(?:the|an?)\s+)?(?P<{}>.+?)"
_PATTERNS: list[tuple[str, str]] = [
    (
        "linking",
        _LEAD + r"(?P<cls>.+?)\s+(?:link|links|linking|connect|connects|connecting|"
        r"between|joining|that\s+link|that\s+connect)\s+"
        + _NAME.format("a")
        + r"\s+(?:to|and|with)\s+"
        + _NAME.format("b"),
    ),
    (
        "related",
        r"how\s+(?:is|are|does|do)\s+"
        + _NAME.format("a")
        + r"\s+(?:related|connected|linked|relate|connect)\s+(?:to|with)\s+"
        + _NAME.format("b"),
    ),
    (
        "path",
        r"(?:(?:shortest\s+)?(?:path|paths|route|routes)\s+)?(?:from|between)\s+"
        + _NAME.format("a")
        + r"\s+(?:to|and)\s+"
        + _NAME.format("b"),
    ),
    (
        "shared",
        _LEAD + r"(?P<cls>.+?)\s+(?:are\s+|do\s+)?(?:shared\s+by|shared\s+between|"
        r"common\s+to|in\s+common\s+(?:between|for|to)|used\s+by\s+both|both)\s+"
        + _NAME.format("a")
        + r"\s+and\s+"
        + _NAME.format("b"),
    ),
    ("requires", r"what\s+(?:does|do|did)\s+" + _NAME.format("a") + r"\s+(?:require|need)"),
    (
        "leads",
        _LEAD
        + r"(?P<cls>.+?)\s+(?:lead|leads|qualify\s+for|prepare\s+for)\s+(?:to\s+)?"
        + _NAME.format("a"),
    ),
    (
        "adjacent",
        _LEAD + r"(?P<cls>.+?)\s+(?:concern|concerns|relate\s+to|relates\s+to|apply\s+to|"
        r"applies\s+to|are\s+about|cover|regulate|regulates|mention|involve)\s+"
        + _NAME.format("a"),
    ),
    (
        "adjacent",
        _LEAD
        + r"(?P<cls>.+?)\s+(?:does|do)\s+"
        + _NAME.format("a")
        + r"\s+(?:need|use|require|have)",
    ),
    ("path", _NAME.format("a") + r"\s+(?:to|and)\s+" + _NAME.format("b")),
    (
        "adjacent",
        _LEAD + r"(?P<cls>.+?)\s+(?:of|for|needed\s+by|required\s+by|used\s+by|"
        r"used\s+in|in)\s+" + _NAME.format("a"),
    ),
]


@dataclass(frozen=True)
class Question:
    """A parsed question: its form, the named nodes (IRIs) and the class words."""

    kind: str
    a: str
    b: str | None = None
    classes: tuple[str, ...] = ()
    class_words: str = ""


@dataclass
class Answer(PathResult):
    """A :class:`~graph.query.paths.PathResult` that also says what was asked."""

    question: Question | None = None
    summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if self.question:
            data["question"] = {
                "kind": self.question.kind,
                "from": self.question.a,
                "to": self.question.b,
                "classes": list(self.question.classes),
            }
        data["summary"] = self.summary
        return data


def _clean(text: str) -> str:
    text = re.sub(r"[?!.]+\s*$", "", text.strip())
    return re.sub(r"\s+", " ", text)


def _name(kg: KnowledgeGraph, text: str) -> str:
    """Resolve a name, trying it also without a trailing 'role' / 'position'."""
    text = re.sub(r"^(?:the|an?)\s+", "", text.strip(), flags=re.I)
    try:
        return kg.resolve(text)
    except NodeNotFound:
        shorter = re.sub(r"\s+(?:role|roles|position|job)$", "", text, flags=re.I)
        if shorter != text:
            return kg.resolve(shorter)
        raise


def parse_question(kg: KnowledgeGraph, text: str) -> Question:
    """Match ``text`` against the understood forms and resolve its names.

    Raises :class:`~graph.errors.UnknownQuestion` (listing the forms) when no
    form fits, :class:`~graph.errors.NodeNotFound` when a name matches no node.
    """
    if len(text) > MAX_QUESTION_CHARS:
        raise BadInput(
            f"the question is {len(text):,} characters long; questions are at most "
            f"{MAX_QUESTION_CHARS} characters: name the concepts, e.g. {EXAMPLES[0]!r}"
        )
    cleaned = _clean(text)
    words = class_words(kg)
    not_found: NodeNotFound | None = None
    for kind, pattern in _PATTERNS:
        match = re.fullmatch(pattern, cleaned, flags=re.I)
        if not match:
            continue
        groups = match.groupdict()
        cls_text = normalize(groups.get("cls") or "")
        if "cls" in groups and cls_text not in words:
            continue
        try:
            a = _name(kg, groups["a"])
            b = _name(kg, groups["b"]) if groups.get("b") else None
        except NodeNotFound as err:
            not_found = not_found or err
            continue
        classes = tuple(sorted(resolve_classes(kg, [cls_text]))) if cls_text else ()
        return Question(kind, a, b, classes, groups.get("cls") or "")
    if not_found is not None:
        raise not_found
    forms = "\n  ".join(EXAMPLES)
    raise UnknownQuestion(
        f"cannot understand {text!r}; questions I understand look like:\n  {forms}"
    )


def answer(
    kg: KnowledgeGraph, question: Question, *, k: int = 5, max_hops: int = 6, inferred: bool = True
) -> Answer:
    """Answer a parsed question with paths."""
    handler = _HANDLERS[question.kind]
    return handler(kg, question, k=k, max_hops=max_hops, inferred=inferred)


def ask(
    kg: KnowledgeGraph, text: str, *, k: int = 5, max_hops: int = 6, inferred: bool = True
) -> Answer:
    """Parse and answer a question in plain words.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> [n.label for n in ask(kg, "path from Python to Programming").paths[0].nodes]
    ['Python', 'Programming']
    """
    return answer(kg, parse_question(kg, text), k=k, max_hops=max_hops, inferred=inferred)


def _paths(kg: KnowledgeGraph, q: Question, *, k: int, max_hops: int, inferred: bool) -> Answer:
    via = list(q.classes) or None
    result = find_paths(kg, q.a, q.b or "", via=via, k=k, max_hops=max_hops, inferred=inferred)
    a, b = kg.node(q.a).label, kg.node(q.b or "").label
    what = f"{q.class_words} linking" if via else "paths from"
    summary = f"{len(result.paths)} {what} {a} to {b}"
    return Answer(result.paths, result.truncated, result.notes, q, summary)


def _one_hop(
    kg: KnowledgeGraph, node: str, keep: Callable[[Edge, str], bool], inferred: bool
) -> list[Path]:
    """One-edge paths from ``node`` to each neighbour ``keep`` accepts."""
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


def _in_classes(kg: KnowledgeGraph, classes: tuple[str, ...]) -> Callable[[Edge, str], bool]:
    wanted = set(classes)

    def keep(_edge: Edge, other: str) -> bool:
        info = kg.node(other)
        return bool(wanted & {info.type, *info.classes})

    return keep


def _shared(kg: KnowledgeGraph, q: Question, *, inferred: bool, **_: Any) -> Answer:
    b = q.b or ""
    keep = _in_classes(kg, q.classes)
    from_a = {p.nodes[-1].id: p for p in _one_hop(kg, q.a, keep, inferred)}
    from_b = {p.nodes[-1].id: p for p in _one_hop(kg, b, keep, inferred)}
    paths = [
        Path(
            (from_a[m].nodes[0], from_a[m].nodes[1], from_b[m].nodes[0]),
            (from_a[m].edges[0], from_b[m].edges[0]),
        )
        for m in from_a.keys() & from_b.keys()
    ]
    paths.sort(key=lambda p: (-p.support, p.nodes[1].label.casefold()))
    a_label, b_label = kg.node(q.a).label, kg.node(b).label
    if not paths:
        raise NoPath(f"{a_label} and {b_label} share no {q.class_words}")
    only_a = sorted(kg.node(n).label for n in from_a.keys() - from_b.keys())
    only_b = sorted(kg.node(n).label for n in from_b.keys() - from_a.keys())
    summary = f"{len(paths)} {q.class_words} shared by {a_label} and {b_label}"
    return Answer(
        paths,
        question=q,
        summary=summary,
        extra={"only_" + a_label: only_a, "only_" + b_label: only_b},
    )


def _requires(kg: KnowledgeGraph, q: Question, *, inferred: bool, **_: Any) -> Answer:
    needs = kg.schema.sub_properties_of(MLC.requires) | {MLC.requires}
    inverse = {kg.schema.inverse[p] for p in needs if p in kg.schema.inverse}

    def keep(edge: Edge, _other: str) -> bool:
        forward = edge.source == q.a and edge.predicate in needs
        return forward or (edge.target == q.a and edge.predicate in inverse)

    paths = _one_hop(kg, q.a, keep, inferred)
    label = kg.node(q.a).label
    if not paths:
        raise NoPath(f"the graph states no requirements of {label}")
    paths.sort(key=lambda p: (p.nodes[-1].type, -p.support, p.nodes[-1].label.casefold()))
    return Answer(paths, question=q, summary=f"{len(paths)} things {label} requires")


def _adjacent(kg: KnowledgeGraph, q: Question, *, inferred: bool, **_: Any) -> Answer:
    paths = _one_hop(kg, q.a, _in_classes(kg, q.classes), inferred)
    label = kg.node(q.a).label
    if not paths:
        raise NoPath(f"no {q.class_words} are directly related to {label}")
    return Answer(paths, question=q, summary=f"{len(paths)} {q.class_words} related to {label}")


def _leads(kg: KnowledgeGraph, q: Question, *, inferred: bool, **kw: Any) -> Answer:
    result = _adjacent(kg, q, inferred=inferred, **kw)
    result.paths = [Path(p.nodes[::-1], p.edges[::-1]) for p in result.paths]
    result.summary = result.summary.replace("related to", "leading to")
    return result


_HANDLERS: dict[str, Callable[..., Answer]] = {
    "linking": _paths,
    "related": _paths,
    "path": _paths,
    "shared": _shared,
    "requires": _requires,
    "leads": _leads,
    "adjacent": _adjacent,
}
