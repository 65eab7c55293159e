"""Questions in the user's own words, read into an :class:`Interpretation` and answered.

Reading finds what a sentence names, whatever the words around them:

- concepts: the graph's labels and alternative labels (longest first, typos,
  plurals and possessives forgiven; see :mod:`graph.query.mentions`);
- class words: the graph's class labels and alternative labels, singular or
  plural ("skills", "programming languages", "degrees");
- relation words: "requires", "leads to", "uses", "shared by", "in common",
  "connects", "from ... to", "->", and the like.

Two concepts ask for the paths between them (a class word: through nodes of
that class), or, with "shared" or "in common", for what both are joined to.
One concept and a class word or a verb ask for its neighbours of that class
or by that relation ("which degrees lead to applied ML engineer", "what does
X require").  The interpretation is part of every answer, and can be changed
and answered again (:func:`answer`).  Only a sentence that names no concept is
refused, with examples of what works.

Reading is linear in the length of the text (no pattern over it can
backtrack), and texts longer than :data:`MAX_QUESTION_CHARS` are refused.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import AmbiguousName, BadInput, NodeNotFound, UnknownQuestion
from ..vocab.namespaces import local_name
from ..vocab.text import normalize
from .classes import class_names
from .lexicon import ARROWS, FILLER, PATH_WORDS, SHARED_WORDS, VERBS
from .mentions import Mention, Word, find_mentions, singular, words_of

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from .answers import Answer

__all__ = [
    "EXAMPLES",
    "MAX_QUESTION_CHARS",
    "Interpretation",
    "answer",
    "ask",
    "read_question",
]

#: Longer texts are refused before any reading: a question names two or three concepts.
MAX_QUESTION_CHARS = 400
EXAMPLES = (
    "skills linking Python to Core ML engineer",
    "how is linear algebra related to deep learning engineer",
    "what connects statistics and healthcare",
    "Python -> data scientist",
    "tools shared by data scientist and ML engineer",
    "what does applied ML engineer require",
    "which degrees lead to applied ML engineer",
    "which regulations concern data privacy",
)
Kind = Literal["paths", "related", "shared"]

_PASSIVE_NEXT = frozenset({"by", "for", "in"})


@dataclass(frozen=True)
class Interpretation:
    """What a question asks, in terms of the graph.

    ``kind`` is ``paths`` (from ``source`` to ``target``, inner nodes of the
    ``via`` classes), ``shared`` (nodes of the ``via`` classes joined to both)
    or ``related`` (nodes of the ``via`` classes joined to the one end given by
    the ``predicates``: ``source`` given, it is their subject; ``target``
    given, their object).  ``choices`` lists, for an end (``"from"`` or
    ``"to"``) whose name fits several nodes equally, every one of them: such an
    interpretation is not answered until a choice replaces it
    (``dataclasses.replace(i, source=..., choices={})``).  ``unread`` holds the
    words that named nothing, ``said`` the words that named each end.
    """

    kind: Kind
    source: str | None = None
    target: str | None = None
    via: tuple[str, ...] = ()
    predicates: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unread: tuple[str, ...] = ()
    text: str = ""
    said: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from": self.source,
            "to": self.target,
            "via": list(self.via),
            "predicates": list(self.predicates),
        }

    def describe(self, kg: KnowledgeGraph) -> str:
        """The interpretation in words: ``paths from Python (Tool) to ... through skills``."""

        def name(node: str | None) -> str:
            info = kg.node(node or "")
            return f"{info.label} ({info.type_label})"

        what = " or ".join(class_names(kg, self.via, plural=True)) or "nodes"
        if self.kind == "paths":
            through = f" through {what}" if self.via else ""
            text = f"paths from {name(self.source)} to {name(self.target)}{through}"
        elif self.kind == "shared":
            text = f"{what} joined to both {name(self.source)} and {name(self.target)}"
        elif not self.predicates:
            text = f"{what} related to {name(self.source or self.target)}"
        elif self.source is not None:
            text = f"{what} that {name(self.source)} {_relation_words(kg, self.predicates)}"
        else:
            how = _relation_words(kg, self.predicates, plural=True)
            text = f"{what} that {how} {name(self.target)}"
        if self.unread:
            text += f" (not read: {', '.join(self.unread)})"
        return text


def _relation_words(kg: KnowledgeGraph, predicates: tuple[str, ...], plural: bool = False) -> str:
    """The labels of the broadest of ``predicates`` ('requires', not its sub-properties);
    with ``plural``, their verbs agree with a plural subject ('lead to')."""
    broadest = [
        p
        for p in predicates
        if not any(p != q and p in kg.schema.sub_properties_of(q) for q in predicates)
    ]
    out = []
    for p in broadest:
        first, _, rest = kg.schema.property_label(p).partition(" ")
        if plural and first.endswith("ies"):
            first = first[:-3] + "y"
        elif plural and first.endswith("s") and not first.endswith("ss"):
            first = first[:-1]
        out.append(f"{first} {rest}".strip())
    return " or ".join(out)


@dataclass(frozen=True)
class _ClassWord:
    start: int  # word positions
    end: int
    classes: tuple[str, ...]  # local names


def read_question(kg: KnowledgeGraph, text: str) -> Interpretation:
    """Read ``text`` into an :class:`Interpretation` (nothing is answered yet).

    Raises
    ------
    BadInput
        When the text is longer than :data:`MAX_QUESTION_CHARS`.
    UnknownQuestion
        When the text names no concept (the message lists examples).
    NodeNotFound
        When the text asks for a path but one of its ends names nothing.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> read_question(tiny_graph(), "how is pyhton related to programming?").to_dict()["kind"]
    'paths'
    """
    if len(text) > MAX_QUESTION_CHARS:
        raise BadInput(
            f"the question is {len(text):,} characters long; questions are at most "
            f"{MAX_QUESTION_CHARS} characters: name the concepts, e.g. {EXAMPLES[0]!r}"
        )
    words = words_of(text)
    keys = [w.key for w in words]
    classes = _class_words(kg, keys)
    mentions = _concepts(find_mentions(kg, text), classes, words)
    used = {i for c in classes for i in range(c.start, c.end)}
    used |= {i for m in mentions for i, w in enumerate(words) if m.start <= w.start < m.end}
    unread = _unread(words, used)
    two_ends = any(a in text for a in ARROWS) or _asks_two_ends(keys)
    if not mentions:
        raise UnknownQuestion(_no_concept_message(kg, text, unread))
    if len(mentions) == 1 and two_ends and unread:
        from .search import suggest

        raise NodeNotFound(unread[0], suggest(kg, unread[0]))
    via = tuple(dict.fromkeys(c for cw in _via(classes, mentions, words, kg) for c in cw.classes))
    ends = dict(zip(("from", "to"), mentions, strict=False))
    choices = {end: m.candidates for end, m in ends.items() if m.ambiguous}
    said = {end: m.text for end, m in ends.items()}
    if len(mentions) >= 2:
        a, b = mentions[0].node, mentions[1].node
        kind: Kind = "shared" if SHARED_WORDS & set(keys) else "paths"
        return Interpretation(kind, a, b, via, (), choices, unread, text, said)
    read = _one_concept(kg, text, words, mentions[0], classes, via, choices, unread)
    return dataclasses.replace(read, said={"from" if read.source else "to": mentions[0].text})


def _one_concept(
    kg: KnowledgeGraph,
    text: str,
    words: list[Word],
    mention: Mention,
    classes: list[_ClassWord],
    via: tuple[str, ...],
    choices: dict[str, tuple[str, ...]],
    unread: tuple[str, ...],
) -> Interpretation:
    """Neighbours of the one concept named: which end it is comes from the verb."""
    at = next(i for i, w in enumerate(words) if w.start >= mention.start)
    verb = next(((i, VERBS[w.key]) for i, w in enumerate(words) if w.key in VERBS), None)
    become = next((i for i, w in enumerate(words) if w.key.startswith("becom") and i < at), None)
    predicates: tuple[str, ...] = ()
    is_subject = True
    if become is not None:  # "what do I need to become X": what X requires
        predicates = _predicates(kg, VERBS["become"])
    elif verb is not None:
        i, stem = verb
        predicates = _predicates(kg, stem)
        following = words[i + 1].key if i + 1 < len(words) else ""
        if words[i].key.endswith("ed") and following in _PASSIVE_NEXT:
            is_subject = at > i  # "skills required by X", "needed for X"
        else:
            before = [c.end - 1 for c in classes if c.end - 1 < i]
            is_subject = at < i and (not before or at > max(before))
    source, target = (mention.node, None) if is_subject else (None, mention.node)
    end = "from" if is_subject else "to"
    choices = {end: mention.candidates} if choices else {}
    return Interpretation("related", source, target, via, predicates, choices, unread, text)


def _class_words(kg: KnowledgeGraph, keys: list[str]) -> list[_ClassWord]:
    """The runs of words naming a class, longest first, left to right."""
    from .classes import class_words

    words = class_words(kg)
    longest = max((len(w.split()) for w in words), default=0)
    out: list[_ClassWord] = []
    i = 0
    while i < len(keys):
        for n in range(min(longest, len(keys) - i), 0, -1):
            phrase = " ".join(keys[i : i + n])
            one = " ".join([*keys[i : i + n - 1], singular(keys[i + n - 1])])
            found = words.get(phrase) or words.get(one)
            if found:
                out.append(_ClassWord(i, i + n, (local_name(found),)))
                i += n
                break
        else:
            i += 1
    return out


def _settle(
    mentions: list[Mention], classes: list[_ClassWord], words: list[Word]
) -> tuple[list[Mention], list[_ClassWord]]:
    """Where a concept and a class word cover the same words, keep one: the longer, or
    for the same words the class word when it is plural or follows 'which', 'what'..."""
    span = {id(m): _word_span(m, words) for m in mentions}
    kept_mentions, dropped_classes = [], set()
    for m in mentions:
        start, end = span[id(m)]
        clash = [c for c in classes if c.start < end and start < c.end]
        if not clash:
            kept_mentions.append(m)
            continue
        c = clash[0]
        if end - start > c.end - c.start or (
            end - start == c.end - c.start and not _reads_as_class(c, words)
        ):
            kept_mentions.append(m)
            dropped_classes.add(id(c))
    return kept_mentions, [c for c in classes if id(c) not in dropped_classes]


def _reads_as_class(c: _ClassWord, words: list[Word]) -> bool:
    last = words[c.end - 1].key
    before = words[c.start - 1].key if c.start else ""
    return singular(last) != last or before in {"which", "what", "list", "all", "any", "show"}


def _word_span(m: Mention, words: list[Word]) -> tuple[int, int]:
    inside = [i for i, w in enumerate(words) if m.start <= w.start < m.end]
    return inside[0], inside[-1] + 1


def _concepts(
    mentions: list[Mention], classes: list[_ClassWord], words: list[Word]
) -> list[Mention]:
    kept, settled = _settle(mentions, classes, words)
    classes[:] = settled
    out: list[Mention] = []
    for m in kept:  # the same node named twice ("ML engineer, the machine learning engineer")
        if all(m.node != o.node for o in out):
            out.append(m)
    return out


def _via(
    classes: list[_ClassWord], mentions: list[Mention], words: list[Word], kg: KnowledgeGraph
) -> list[_ClassWord]:
    """The class words that constrain the answer: not those describing a concept next to
    them ('the data scientist role', 'the Python tool')."""
    out = []
    for c in classes:
        describes = False
        for m in mentions:
            start, end = _word_span(m, words)
            if c.start == end or c.end == start:
                info = kg.node(m.node)
                describes = bool(set(c.classes) & {info.type, *info.classes})
        if not describes:
            out.append(c)
    return out


def _unread(words: list[Word], used: set[int]) -> tuple[str, ...]:
    """Runs of words that named nothing and are no question, relation or filler word."""
    known = FILLER | SHARED_WORDS | PATH_WORDS | VERBS.keys()
    runs: list[list[Word]] = []
    for i, w in enumerate(words):
        if i in used or w.key in known:
            if runs and runs[-1]:
                runs.append([])
            continue
        if not runs:
            runs.append([])
        runs[-1].append(w)
    return tuple(" ".join(w.text for w in run) for run in runs if run)


def _asks_two_ends(keys: list[str]) -> bool:
    two = {"from", "between", "and", "to", "vs", "versus", "with"}
    return bool(two.intersection(keys) or SHARED_WORDS.intersection(keys))


def _stem(word: str) -> str:
    for suffix in ("ments", "ment", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.removesuffix("e")


def _predicates(kg: KnowledgeGraph, stem: str) -> tuple[str, ...]:
    """The properties whose label starts with the verb ``stem`` (not their 'X by' inverses),
    with their sub-properties."""
    found: set[str] = set()
    for p, label in kg.schema.property_labels.items():
        first = normalize(label).split(" ", 1)[0]
        if first and _stem(first) == stem and not label.endswith(" by"):
            found |= kg.schema.sub_properties_of(p)
    return tuple(sorted(found))


def _no_concept_message(kg: KnowledgeGraph, text: str, unread: tuple[str, ...]) -> str:
    from .search import suggest

    hints = []
    for chunk in unread[:2]:
        near = suggest(kg, chunk, limit=3)
        if near:
            hints.append(f"{chunk!r} names no node; did you mean {', '.join(near)}?")
    forms = "\n  ".join(EXAMPLES)
    return (
        f"no concept of the graph is named in {text.strip()!r}"
        + (" (" + " ".join(hints) + ")" if hints else "")
        + f"; questions I understand look like:\n  {forms}"
    )


def answer(
    kg: KnowledgeGraph,
    interpretation: Interpretation,
    *,
    k: int = 5,
    max_hops: int = 6,
    inferred: bool = True,
    plain: bool = False,
) -> Answer:
    """Answer an interpretation (as read, or as the user changed it) with paths.

    Raises :class:`~graph.errors.AmbiguousName` when a name it was read from fits
    several nodes equally (the candidates are listed; choose one and answer
    again), and :class:`~graph.errors.NoPath` when nothing answers it.
    """
    from .answers import answer_interpretation

    for end, candidates in interpretation.choices.items():
        shown = [(c, f"{kg.node(c).label} ({kg.node(c).type_label})") for c in candidates]
        raise AmbiguousName(interpretation.said.get(end, kg.node(candidates[0]).label), shown)
    return answer_interpretation(
        kg, interpretation, k=k, max_hops=max_hops, inferred=inferred, plain=plain
    )


def ask(
    kg: KnowledgeGraph,
    text: str,
    *,
    k: int = 5,
    max_hops: int = 6,
    inferred: bool = True,
    plain: bool = False,
) -> Answer:
    """Read and answer a question in plain words.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> [n.label for n in ask(kg, "Python -> programming").paths[0].nodes]
    ['Python', 'Programming']
    """
    interpretation = read_question(kg, text)
    return answer(kg, interpretation, k=k, max_hops=max_hops, inferred=inferred, plain=plain)
