"""Reading a text against the graph: a job posting, an article, a course page.

:func:`analyse` finds the concepts the text names (:func:`~graph.query.mentions.find_mentions`:
longest match over labels and alternative labels, plurals and small typos
forgiven), the roles whose needs they overlap most, the terms it uses that the
graph lacks (tool and product names, capitalised terms), and, given what one
has, the gap: what it asks for that one does not have, and a plan towards the
closest role.

The text is data: HTML is read as text (tags dropped, nothing fetched), and a
text too long or not text at all is refused with a message.  Nothing of it is
kept beyond the names matched; :func:`save_source` writes those, with where
they stand in the text, as a new source others can load with ``--data``.

Examples
--------
>>> from graph.core.examples import tiny_graph
>>> found = analyse(tiny_graph(), "We want Python and Kubernetes for our Programming team.")
>>> [m.name for m in found.mentions], found.new_terms
(['Python', 'Programming'], ['Kubernetes'])
"""

from __future__ import annotations

import bisect
import html.parser
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, TooLarge
from ..io.words import counted
from ..model import Node
from .lexicon import STOP_WORDS
from .mentions import Mention, find_mentions, words_of
from .plan import Relations, covered_by, is_role, role_needs

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from .plan import Plan

__all__ = ["MAX_CHARS", "Analysis", "Gap", "analyse", "read_text"]

#: The longest text read (about thirty pages).
MAX_CHARS = 200_000
#: How many closest roles and new terms are given.
TOP_ROLES, TOP_TERMS = 5, 20
#: Roles scored in full: the text's own, and those most joined to what it names.
CANDIDATE_ROLES = 40
#: Classes of what a text can ask for: what a role needs.
ASKED_CLASSES = frozenset({"Skill", "Tool", "Qualification", "Knowledge", "Competence"})
_TAGGED = re.compile(r"<\s*[a-zA-Z!/][^>]{0,2000}>")


@dataclass
class Gap:
    """What a text asks for against what one has."""

    asked: list[Node]
    have: list[Node]
    covered: list[tuple[Node, Node]] = field(default_factory=list)
    missing: list[Node] = field(default_factory=list)
    plan: Plan | None = None

    @property
    def summary(self) -> str:
        return f"asks for {counted(len(self.asked), 'thing')}; you have {len(self.covered)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "asked": [n.to_dict() for n in self.asked],
            "have": [n.to_dict() for n in self.have],
            "covered": [{"node": n.to_dict(), "by": by.to_dict()} for n, by in self.covered],
            "missing": [n.to_dict() for n in self.missing],
            "plan": self.plan.to_dict() if self.plan else None,
        }


@dataclass
class Analysis:
    """What a text names, the roles it is closest to, what it adds, and the gap."""

    length: int
    mentions: list[Mention]
    nodes: dict[str, Node]
    closest_roles: list[tuple[Node, float]] = field(default_factory=list)
    new_terms: list[str] = field(default_factory=list)
    gap: Gap | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "length": self.length,
            "mentions": [
                {
                    "node": self.nodes[m.node].to_dict(),
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                }
                for m in self.mentions
            ],
            "closest_roles": [
                {"node": n.to_dict(), "score": round(score, 3)} for n, score in self.closest_roles
            ],
            "new_terms": self.new_terms,
            "gap": self.gap.to_dict() if self.gap else None,
        }


def read_text(data: bytes | str, *, name: str = "the text") -> str:
    """``data`` as text to analyse: decoded, HTML read as text, its length checked.

    Raises :class:`~graph.errors.BadInput` for what is not text and
    :class:`~graph.errors.TooLarge` past :data:`MAX_CHARS`.

    >>> read_text(b"<p>Python &amp; <b>SQL</b></p><script>x()</script>")
    'Python & SQL'
    >>> read_text(b"\\x00\\x01\\x02")
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: the text is not text (it holds control bytes); give a text file
    """
    if isinstance(data, bytes):
        if b"\x00" in data[: MAX_CHARS * 4]:
            raise BadInput(f"{name} is not text (it holds control bytes); give a text file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise BadInput(f"{name} is not UTF-8 text") from err
    else:
        text = data
    if len(text) > 4 * MAX_CHARS:  # checked before any work on it
        raise TooLarge(_too_long(name, len(text)))
    if _TAGGED.search(text):
        text = _html_text(text)
    text = text.strip()
    if len(text) > MAX_CHARS:
        raise TooLarge(_too_long(name, len(text)))
    if not text:
        raise BadInput(f"{name} is empty")
    return text


def _too_long(name: str, n: int) -> str:
    return f"{name} has {n:,} characters; the analyser reads up to {MAX_CHARS:,} (about 30 pages)"


class _TextOnly(html.parser.HTMLParser):
    """The text of an HTML page: tags, scripts and styles dropped; no entity fetched."""

    _SKIP = frozenset({"script", "style", "template", "noscript"})
    _BREAK = frozenset({"p", "br", "li", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html_text(text: str) -> str:
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return re.sub(r"[ \t]+", " ", "".join(parser.parts)).strip()


def analyse(
    kg: KnowledgeGraph,
    text: str,
    *,
    have: Iterable[str] = (),
    inferred: bool = True,
) -> Analysis:
    """Read ``text`` against ``kg``; with ``have``, the gap and a plan to the closest role.

    Parameters
    ----------
    kg : KnowledgeGraph
    text : str
        The text, already read (see :func:`read_text`).
    have : iterable of str
        Names of what one has; the gap is computed when any is given.
    inferred : bool
        Whether inferred statements count.
    """
    mentions = find_mentions(kg, text)
    nodes = {m.node: kg.node(m.node) for m in mentions}
    result = Analysis(len(text), mentions, nodes)
    rel = Relations(kg)
    heading = len(text) - len(text.lstrip())
    heading = text.find("\n", heading) % (len(text) + 1)  # the end of the first line
    titled = {m.node for m in mentions if m.start < heading}
    result.closest_roles = _closest_roles(kg, rel, nodes, titled, inferred)
    result.new_terms = _new_terms(kg, text, mentions)
    had = list(dict.fromkeys(have))
    if had:
        result.gap = _gap(kg, rel, result, had, inferred)
    return result


def _closest_roles(
    kg: KnowledgeGraph,
    rel: Relations,
    nodes: dict[str, Node],
    titled: set[str],
    inferred: bool,
) -> list[tuple[Node, float]]:
    """Roles ranked by how much of what the text names they need (and need only that).

    The score is the harmonic mean of two shares: of the text's concepts the
    role needs, and of the role's needs the text names.  A role the text names
    itself gains a quarter, and a half when its first line (``titled``) names it
    or it also needs what the text asks for: a posting is headed by the role it
    is for, a course names its audience in passing.
    Only roles joined to a named concept are scored.
    """
    named = {n for n, node in nodes.items() if not is_role(node)}
    joined: Counter[str] = Counter()  # role -> named concepts joined to it directly
    for node in named:
        for other in {e.other(node) for e in kg.edges(node, inferred=inferred)}:
            if is_role(kg.node(other)):
                joined[other] += 1
    # what a role needs is read for the best joined only (ESCO joins hundreds of roles)
    candidates = {n for n, node in nodes.items() if is_role(node)}
    candidates.update(role for role, _ in joined.most_common(CANDIDATE_ROLES))
    scored = []
    for role in candidates:
        needs = set(role_needs(kg, rel, kg.node(role), inferred)[0])
        shared = len(needs & named)
        score = 2 * shared / (len(needs) + len(named)) if needs or named else 0.0
        if role in nodes:
            score += 0.5 if shared or role in titled else 0.25
        if score > 0:
            scored.append((kg.node(role), min(score, 1.0)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].label.casefold()))
    return scored[:TOP_ROLES]


def _new_terms(kg: KnowledgeGraph, text: str, mentions: list[Mention]) -> list[str]:
    """Terms the text uses that name nothing in the graph: tool and product names first.

    A candidate is a word outside every mention that looks like a name (an
    acronym, a word with a capital inside or a digit, or a capitalised word
    not at the start of a sentence or a line), or a run of such words written
    together ("Power BI"); ranked by shape, then by how often it comes; a term
    the graph already names (search finds it exactly) is left out.
    """
    starts = [m.start for m in mentions]  # left to right, not overlapping
    ends = [m.end for m in mentions]

    def taken(at: int) -> bool:
        i = bisect.bisect_right(starts, at) - 1
        return i >= 0 and at < ends[i]

    seen: Counter[str] = Counter()
    shape: dict[str, int] = {}
    run: list[tuple[int, int, int]] = []  # (start, end, shape) of the words of the current run

    def close() -> None:
        if run:
            term = text[run[0][0] : run[-1][1]]
            seen[term] += 1
            shape[term] = max(shape.get(term, 0), max(r[2] for r in run))
            run.clear()

    for word in words_of(text):
        rank = 0
        if not taken(word.start) and word.key not in STOP_WORDS:
            rank = _name_shape(text[word.start : word.end], text, word.start)
        if rank and run and text[run[-1][1] : word.start] in (" ", "-"):
            run.append((word.start, word.end, rank))
            continue
        close()
        if rank:
            run.append((word.start, word.end, rank))
    close()
    ranked = sorted(seen, key=lambda t: (-shape[t], -seen[t], t.casefold()))
    out = []
    for term in ranked:
        if not _graph_knows(kg, term):
            out.append(term)
        if len(out) >= TOP_TERMS:
            break
    return out


def _name_shape(raw: str, text: str, start: int) -> int:
    """How much ``raw`` looks like a name: 3 product-like, 2 acronym, 1 capitalised, 0 not."""
    if len(raw) < 2 or not raw[0].isalpha():
        return 0
    inner = raw[1:]
    mixed = any(c.isupper() for c in inner) and any(c.islower() for c in raw)
    if mixed or any(c.isdigit() for c in raw):
        return 3
    if raw.isupper() and len(raw) <= 6:
        return 2
    if raw[0].isupper() and not _sentence_start(text, start):
        return 1
    return 0


def _sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a line, a list item or a bracket."""
    before = text[max(0, start - 40) : start].rstrip(" \t")
    return not before or before[-1] in ".!?:;\n\u2022-*(\"'\u201c"


def _graph_knows(kg: KnowledgeGraph, term: str) -> bool:
    from .search import search

    hits = search(kg, term, limit=1)
    return bool(hits) and hits[0].exact


def _gap(
    kg: KnowledgeGraph, rel: Relations, result: Analysis, had: list[str], inferred: bool
) -> Gap:
    from .plan import plan

    owned = {n.id: n for n in (kg.node(kg.resolve(name)) for name in had)}
    asked = [
        node
        for node in dict.fromkeys(result.nodes.values())
        if ASKED_CLASSES & {node.type, *node.classes} and not is_role(node)
    ]
    gap = Gap(asked, list(owned.values()))
    for node in asked:
        by = covered_by(kg, rel, node.id, owned, inferred)
        if by is None:
            gap.missing.append(node)
        else:
            gap.covered.append((node, by))
    if result.closest_roles:
        target = result.closest_roles[0][0]
        gap.plan = plan(kg, have=list(owned), target=target.id, inferred=inferred)
    return gap
