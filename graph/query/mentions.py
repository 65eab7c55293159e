"""Finding the concepts a text names: a question, or a whole job posting.

The text is cut into words (linear time, whatever it holds); every run of up
to eight words is looked up among the graph's labels and alternative labels
(folded like every name, see :func:`~graph.vocab.text.normalize`), also with
its last word in the singular or the plural, and a possessive ``'s`` dropped.
The longest run that names something wins, left to right; a run grows only
while some name starts with its words, so a long text costs little more than
its words.  A word no name
holds, and that is not an English word, is tried again with the words of the
graph within an edit or two of it (``pyhton`` -> ``python``), so typos are
forgiven and "production" is not read as "prediction".

A single short word is only taken when the text writes it as the name does
(``R`` and ``C`` are languages; ``a`` and ``in`` are not mentions).

>>> from graph.core.examples import tiny_graph
>>> found = find_mentions(tiny_graph(), "Is pyhton used in programming?")
>>> [(m.text, m.start, m.end) for m in found]
[('pyhton', 3, 9), ('programming', 18, 29)]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..backends.name_index import KIND_LABEL, NameIndex, NameRow
from ..vocab.text import normalize, plural
from .lexicon import STOP_WORDS, english_word
from .search import max_edits

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["Mention", "Word", "find_mentions", "singular", "words_of"]

#: The longest run of words looked up as one name.
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+[+#]*")  # a run of letters or digits, then '+' or '#' (C++, C#)
_APOSTROPHES = "'\u2019"


@dataclass(frozen=True)
class Word:
    """A word of a text: as written, folded, and where it is (character offsets)."""

    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A run of words that names a node.

    ``node`` is the best node for the name; ``candidates`` every node the name
    fits equally (more than one: the text is ambiguous).  ``score`` is 100 for a
    label written as it is, less for an alternative label, a plural or a typo.
    """

    node: str
    text: str
    start: int
    end: int
    score: float
    name: str
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def words_of(text: str) -> list[Word]:
    """The words of ``text`` with their offsets; a possessive ``'s`` is left out.

    >>> [(w.key, w.start, w.end) for w in words_of("the engineer's C++ skills")]
    [('the', 0, 3), ('engineer', 4, 12), ('c++', 15, 18), ('skills', 19, 25)]
    """
    out = []
    keys: dict[str, str] = {}  # a text repeats its words: each is folded once
    for match in _WORD.finditer(text):
        written, (start, end) = match.group(), match.span()
        if written in ("s", "S") and start and text[start - 1] in _APOSTROPHES:
            continue  # the 's of a possessive
        key = keys.get(written)
        if key is None:
            key = keys[written] = normalize(written)
        if key:
            out.append(Word(written, key, start, end))
    return out


def singular(word: str) -> str:
    """The singular of an English plural, or ``word`` itself.

    >>> [singular(w) for w in ("skills", "industries", "classes", "analysis", "bus")]
    ['skill', 'industry', 'class', 'analysis', 'bus']
    """
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _variants(key: str) -> list[tuple[str, float]]:
    """``key`` and its last word in the singular and the plural, with a small cost each."""
    head, _, last = key.rpartition(" ")
    prefix = head + " " if head else ""
    out = [(key, 0.0)]
    for other in (singular(last), plural(last)):
        if other != last:
            out.append((prefix + other, 3.0))
    return out


def _alike_words(index: NameIndex, word: str) -> list[tuple[str, int]]:
    """Words of the graph within the typos ``word`` may hold, with their edit counts."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    budget = max_edits(word)
    if not budget:
        return []
    found = process.extract(
        word, index.vocabulary, scorer=OSA.distance, score_cutoff=budget, limit=3
    )
    return [(w, int(d)) for w, d, _ in found if w != word]


def _lookups(words: Sequence[Word], index: NameIndex) -> list[list[tuple[str, float]]]:
    """For each word, the spellings to try: itself, then words alike (with their cost)."""
    out = []
    seen: dict[str, list[tuple[str, float]]] = {}
    for w in words:
        options = seen.get(w.key)
        if options is None:
            options = seen[w.key] = [(w.key, 0.0)]
            if w.key not in STOP_WORDS and not index.has_word(w.key) and not english_word(w.key):
                options += [(a, 10.0 * edits) for a, edits in _alike_words(index, w.key)]
        out.append(options)
    return out


def _spellings(
    index: NameIndex, options: Sequence[list[tuple[str, float]]]
) -> tuple[list[tuple[str, float]], bool]:
    """The spellings of a run of words with their costs, and whether a name goes on after."""
    keys: dict[str, float] = {}
    goes_on = False
    for combo in itertools.islice(itertools.product(*options), 8):
        key = " ".join(spelling for spelling, _ in combo)
        goes_on = goes_on or index.continues(key)
        cost = sum(c for _, c in combo)
        for variant, extra in _variants(key):
            if variant not in keys or cost + extra < keys[variant]:
                keys[variant] = cost + extra
    return list(keys.items()), goes_on


def _index_for(kg: KnowledgeGraph, words: Sequence[Word]) -> NameIndex:
    """The graph's name index; for a remote graph, one of the names its words reach."""
    index = kg.backend.name_index()
    if index is not None:
        return index
    rows: dict[tuple[str, str], tuple[str, int, str]] = {}
    for w in {w.key for w in words if len(w.key) >= 2 and w.key not in STOP_WORDS}:
        found = kg.backend.search_labels(w, 200, word_start=True)
        if not found and len(w) >= 4:
            found = kg.backend.search_labels(w[:3], 200, word_start=True)
        for node, text, preferred in found:
            rows[node, text] = (node, KIND_LABEL if preferred else 1, text)
    return NameIndex.build(rows.values())


def find_mentions(kg: KnowledgeGraph, text: str) -> list[Mention]:
    """The concepts ``text`` names, in order, each with its place in the text.

    Parameters
    ----------
    kg : KnowledgeGraph
    text : str
        Any text: a question, a sentence, a job posting.

    Returns
    -------
    list of Mention
        Non-overlapping, left to right; the longest name wins where names overlap.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> [m.name for m in find_mentions(tiny_graph(), "Python -> programming")]
    ['Python', 'Programming']
    """
    words = words_of(text)
    if not words:
        return []
    index = _index_for(kg, words)
    options = _lookups(words, index)
    spans: dict[tuple[int, int], list[tuple[str, float]]] = {}
    # a run of words -> its spellings, and whether some name starts with it (a text
    # repeats its runs: each is worked out once)
    runs: dict[tuple[str, ...], tuple[list[tuple[str, float]], bool]] = {}
    for i in range(len(words)):
        for n in range(1, min(MAX_WORDS, len(words) - i) + 1):
            run = tuple(w.key for w in words[i : i + n])
            if run not in runs:
                runs[run] = _spellings(index, options[i : i + n])
            spans[i, i + n], goes_on = runs[run]
            if not goes_on:  # a longer run can name something only if a name starts so
                break
    found = _found(index, spans)
    schema_nodes = kg.schema.schema_nodes
    out: list[Mention] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            if (i, i + n) not in spans:
                continue
            span = words[i : i + n]
            mention = _best(found, spans[i, i + n], span, text, schema_nodes, kg.schema.lang)
            if mention is not None:
                out.append(mention)
                i += n
                break
        else:
            i += 1
    return out


def _found(index: NameIndex, spans: dict[tuple[int, int], list[tuple[str, float]]]) -> dict:
    """Folded name -> the rows that have it, for every spelling of every span, in one lookup."""
    keys = {key for options in spans.values() for key, _ in options}
    found: dict[str, list[NameRow]] = {}
    for row in index.exact(sorted(keys)):
        found.setdefault(row.key, []).append(row)
    return found


def _best(
    found: dict[str, list[NameRow]],
    options: list[tuple[str, float]],
    words: Sequence[Word],
    text: str,
    schema_nodes: set[str],
    lang: str | None = None,
) -> Mention | None:
    """The mention a span makes: its cheapest spelling that names a node, or ``None``."""
    best: tuple[float, list[NameRow]] | None = None
    for key, cost in options:
        rows = [r for r in found.get(key, ()) if r.node not in schema_nodes]
        if not rows:
            continue
        kind = min(r.kind_in(lang) for r in rows)
        cost += 0.0 if kind == KIND_LABEL else 3.0
        if best is None or cost < best[0]:
            best = (cost, [r for r in rows if r.kind_in(lang) == kind])
    if best is None:
        return None
    cost, rows = best
    written = text[words[0].start : words[-1].end]
    if len(words) == 1 and not _may_stand_alone(words[0], rows):
        return None
    nodes = tuple(dict.fromkeys(r.node for r in rows))  # best connected first
    return Mention(
        nodes[0], written, words[0].start, words[-1].end, 100.0 - cost, rows[0].text, nodes
    )


def _may_stand_alone(word: Word, rows: list[NameRow]) -> bool:
    """A lone short or common word names something only when written as the name is."""
    if len(word.key) > 2 and word.key not in STOP_WORDS:
        return True
    return any(r.text == word.text for r in rows) and word.text != word.text.lower()
