"""Finding nodes by name, ranked in tiers a person expects.

1. the text is a node's label,
2. the text is one of its alternative labels,
3. a name starts with the text (``deep learn`` -> ``deep learning engineer``),
4. a name holds every word of the text, the last one perhaps still being typed,
5. every word of the text is within an edit or two of a word of the name
   (``pyhton`` -> ``Python``; a swap counts one edit); weaker likenesses are dropped.

Within a tier, names with fewer extra words come first, then nodes with more
statements.  Names are looked up in the graph's
:class:`~graph.backends.name_index.NameIndex` (SQLite, kept beside a
persistent store); a remote endpoint sends the names holding the longest word
of the text, and the same tiers rank them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..backends.name_index import KIND_HIDDEN, KIND_LABEL, NameRow, degree_counts
from ..errors import AmbiguousName, NodeNotFound
from ..vocab.text import normalize

if TYPE_CHECKING:
    from ..backends.name_index import NameIndex
    from ..core.kg import KnowledgeGraph

__all__ = ["TIERS", "SearchResult", "best_match", "max_edits", "search", "word_likeness"]

#: What each tier means, as ``SearchResult.match`` says it.
TIERS = ("label", "alternative label", "starts with", "all words", "typo")
#: Fuzzy matches whose words are less alike than this (0-100) are dropped.
FUZZY_FLOOR = 75.0
#: ... and so are those with a word less alike than this (two typos in a short word).
_WORD_FLOOR = 0.8
#: How many candidates each lookup takes, best connected first.
_PREFIX_LIMIT, _WORDS_LIMIT, _FUZZY_LIMIT = 50, 200, 300
#: How many names a remote backend sends per word looked up, and how many are ranked.
_REMOTE_CANDIDATES, _REMOTE_RANKED = 500, 60


@dataclass(frozen=True)
class SearchResult:
    """One match: the node, the name that matched, its tier and a score (0-100).

    ``exact`` says the text names this node (a label or alternative label, or
    the only name matching it word for word, typos forgiven).
    """

    id: str
    label: str
    type: str
    type_label: str
    score: float
    matched: str
    exact: bool = False
    tier: int = 0
    degree: int = 0

    @property
    def match(self) -> str:
        """How the name matched: one of :data:`TIERS`."""
        return TIERS[self.tier]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "type": self.type,
            "type_label": self.type_label,
            "score": round(self.score, 1),
            "matched": self.matched,
            "match": self.match,
        }


@dataclass(frozen=True)
class _Hit:
    row: NameRow
    tier: int
    score: float
    whole: bool  # the name has no word beyond the text's

    @property
    def order(self) -> tuple[int, float, int, int]:
        return (self.tier, -round(self.score, 1), -self.row.degree, len(self.row.key))


def max_edits(word: str) -> int:
    """Typos forgiven in a word: none up to 3 letters, one up to 7, else two.

    >>> [max_edits(w) for w in ("sql", "pyhton", "statistcs")]
    [0, 1, 2]
    """
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def word_likeness(typed: str, word: str, *, last: bool = False) -> float:
    """How alike a typed word and a word of a name are (0-1), 0 beyond the typos forgiven.

    ``last`` lets ``typed`` be the start of ``word`` (the word still being typed).

    >>> word_likeness("python", "python"), word_likeness("pyth", "python", last=True)
    (1.0, 0.97)
    >>> round(word_likeness("pyhton", "python"), 2), word_likeness("honesty", "python")
    (0.87, 0.0)
    """
    from rapidfuzz.distance import OSA, JaroWinkler

    if typed == word:
        return 1.0
    if last and word.startswith(typed):
        return 0.97
    budget = max_edits(typed)
    if budget:
        edits = OSA.distance(typed, word, score_cutoff=budget)
        if edits <= budget:
            # Jaro-Winkler tells a swap ('pyhton') from a wrong letter ('pyston').
            closeness = 1.0 - edits / max(len(typed), len(word))
            return 0.7 * closeness + 0.3 * JaroWinkler.similarity(typed, word)
        near_start = last and len(typed) >= 5 and len(word) > len(typed)
        if near_start and OSA.distance(typed, word[: len(typed)], score_cutoff=1) <= 1:
            return 0.9 - 1 / len(typed)
    return 0.0


def _judge(query: str, words: list[str], row: NameRow) -> _Hit | None:
    """The tier and score of one name for the folded ``query``, or ``None`` to drop it."""
    key = row.key
    if key == query:
        label = row.kind == KIND_LABEL
        return _Hit(row, 0 if label else 1, 100.0 if label else 97.0, True)
    name_words = key.split()
    extra = max(0, len(name_words) - len(words))
    penalty = min(10.0, 2.0 * extra) + (1.0 if row.kind == KIND_HIDDEN else 0.0)
    if key.startswith(query):
        on_word = key[len(query)] == " "
        return _Hit(row, 2, (92.0 if on_word else 90.0) - penalty, False)
    if all(w in name_words for w in words[:-1]) and any(
        n.startswith(words[-1]) for n in name_words
    ):
        return _Hit(row, 3, 85.0 - penalty, extra == 0)
    total = 0.0
    for i, typed in enumerate(words):
        last = i == len(words) - 1
        best = max((word_likeness(typed, n, last=last) for n in name_words), default=0.0)
        if best < _WORD_FLOOR:
            return None
        total += best
    likeness = 100.0 * total / len(words) - penalty
    if likeness < FUZZY_FLOOR:
        return None
    return _Hit(row, 4, 0.8 * likeness, extra == 0)


def _corrections(index: NameIndex, word: str, *, last: bool) -> list[str]:
    """``word`` and the words of the index within the typos it may hold."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    budget = max_edits(word)
    found = [word]
    if budget:
        found += [
            w
            for w, _d, _i in process.extract(
                word, index.vocabulary, scorer=OSA.distance, score_cutoff=budget, limit=30
            )
            if w != word
        ]
        if last and len(word) >= 5:  # a typo in a word still being typed: 'machne l'
            starts = {w for w in index.vocabulary if w[:1] == word[:1] and len(w) > len(word)}
            found += [
                w for w in sorted(starts) if OSA.distance(word, w[: len(word)], score_cutoff=1) <= 1
            ][:30]
    return found


def _local_candidates(
    index: NameIndex, query: str, words: list[str], limit: int, lang: str | None
) -> list[_Hit]:
    rows = index.exact([query]) + index.starting(query, _PREFIX_LIMIT)
    rows += index.with_words([[w] for w in words], last_prefix=True, limit=_WORDS_LIMIT)
    rows = _in_language(rows, lang)
    hits = _rank(query, words, rows)
    if len({h.row.node for h in hits}) < limit:
        alternatives = [
            _corrections(index, w, last=i == len(words) - 1) for i, w in enumerate(words)
        ]
        rows += _in_language(
            index.with_words(alternatives, last_prefix=True, limit=_FUZZY_LIMIT), lang
        )
        hits = _rank(query, words, rows)
    return hits


def _in_language(rows: list[NameRow], lang: str | None) -> list[NameRow]:
    """The rows as a reader of ``lang`` takes them: a label in another language is an
    alternative label."""
    return [r if r.kind_in(lang) == r.kind else replace(r, kind=r.kind_in(lang)) for r in rows]


def _remote_candidates(kg: KnowledgeGraph, query: str, words: list[str]) -> list[_Hit]:
    """Names a remote backend finds for the longest word (or, for a typo, its first letters)."""
    cache: dict[str, list[_Hit]] = kg.memo("search.remote", dict)
    if query in cache:
        return cache[query]
    lookup = kg.backend.search_labels
    word = max(words, key=len)
    found = lookup(word, _REMOTE_CANDIDATES)
    if len(word) >= 4 and not any(query in normalize(text) for _, text, _ in found):
        found = [*found, *lookup(word[:2], _REMOTE_CANDIDATES, word_start=True)]
    rows = [
        NameRow(node, text, normalize(text), KIND_LABEL if preferred else 1, 0)
        for node, text, preferred in found
    ]
    hits = _rank(query, words, rows)
    # How connected the best few are breaks their ties, as a local index would.
    top = sorted({h.row.node for h in hits[:_REMOTE_RANKED]})
    quads = kg.backend.quads_touching(top) if top else []
    degrees = degree_counts((q.s, q.p, q.o) for q in quads if isinstance(q.o, str))
    hits = _rank(
        query,
        words,
        (replace(h.row, degree=degrees.get(h.row.node, 0)) for h in hits[:_REMOTE_RANKED]),
    )
    if len(cache) > 256:
        cache.clear()
    cache[query] = hits
    return hits


def _rank(query: str, words: list[str], rows: Iterable[NameRow]) -> list[_Hit]:
    """The best hit of each node, best first."""
    best: dict[str, _Hit] = {}
    for row in rows:
        hit = _judge(query, words, row)
        if hit is not None and (row.node not in best or hit.order < best[row.node].order):
            best[row.node] = hit
    return sorted(best.values(), key=lambda h: (h.order, h.row.node))


def search(
    kg: KnowledgeGraph,
    text: str,
    *,
    types: Iterable[str] | None = None,
    limit: int = 10,
    cutoff: float = 0.0,
) -> list[SearchResult]:
    """The nodes whose label or alternative label best matches ``text``, in tiers.

    Parameters
    ----------
    kg : KnowledgeGraph
    text : str
        What the user typed; case, accents, punctuation and small typos do not matter.
    types : iterable of str, optional
        Keep only nodes of these classes (local name or label, sub-classes included).
    limit : int
        At most this many results, best first.
    cutoff : float
        Leave out matches scoring below this (0-100).

    Raises
    ------
    BadInput
        When a name in ``types`` is no class of the graph.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> [(r.label, r.match, r.exact) for r in search(kg, "pyhton")]
    [('Python', 'typo', True)]
    """
    query = normalize(text)
    words = query.split()
    if not words:
        return []
    wanted = _class_filter(kg, types)
    index = kg.backend.name_index()
    if index is None:
        hits = _remote_candidates(kg, query, words)
    else:
        hits = _local_candidates(index, query, words, limit, kg.schema.lang)
    extra = _extra_index(kg)
    if extra is not None:  # local names of classes and properties, when the schema shows
        more = _local_candidates(extra, query, words, limit, kg.schema.lang)
        hits = _rank(query, words, [h.row for h in (*hits, *more)])
    schema_nodes = kg.schema.schema_nodes
    results: list[SearchResult] = []
    for hit in hits:
        if hit.score < cutoff or hit.row.node in schema_nodes:
            continue
        info = kg.node(hit.row.node)
        if wanted and not wanted & {info.type, *info.classes}:
            continue
        results.append(
            SearchResult(
                info.id,
                info.label,
                info.type,
                info.type_label,
                hit.score,
                hit.row.text,
                tier=hit.tier,
                degree=hit.row.degree,
                exact=hit.whole,
            )
        )
        if len(results) >= limit:
            break
    return _mark_exact(results)


def _extra_index(kg: KnowledgeGraph) -> NameIndex | None:
    """The names the backend's index leaves out (:meth:`graph.core.names.NodeNames.extra_names`)."""

    def build() -> NameIndex | None:
        from ..backends.name_index import NameIndex

        names = kg.names.extra_names()
        return NameIndex.build(names) if names else None

    return kg.memo("search.extra-names", build)


def _mark_exact(results: list[SearchResult]) -> list[SearchResult]:
    """``exact`` for labels and alternative labels, and for the one whole-name match of a
    typo or a reordering; a whole-name match among several is no longer exact."""
    whole = [r for r in results if r.exact and r.tier >= 2]
    out = []
    for r in results:
        exact = r.tier <= 1 or (r.exact and len(whole) == 1 and results[0] is r)
        out.append(r if exact == r.exact else SearchResult(**{**r.__dict__, "exact": exact}))
    return out


def best_match(kg: KnowledgeGraph, text: str) -> str:
    """The IRI of the node ``text`` names (see :meth:`KnowledgeGraph.resolve`).

    Raises :class:`~graph.errors.AmbiguousName` when several nodes have that
    name equally (same tier: two labels, or two alternative labels), and
    :class:`~graph.errors.NodeNotFound` with suggestions when none has it.
    """
    hits = search(kg, text, limit=6)
    if hits and hits[0].exact:
        rivals = [h for h in hits if h.exact and h.tier == hits[0].tier]
        if len(rivals) > 1:
            raise AmbiguousName(text, [(h.id, f"{h.label} ({h.type_label})") for h in rivals])
        return hits[0].id
    raise NodeNotFound(text, [f"{h.label} ({h.type_label})" for h in hits[:5]] or suggest(kg, text))


def suggest(kg: KnowledgeGraph, text: str, limit: int = 5) -> list[str]:
    """``label (type)`` of nodes sharing a word (typos forgiven) with ``text``, likest first:
    the suggestions for a text that names nothing."""
    from rapidfuzz import fuzz

    query = normalize(text)
    words = query.split()
    if not words:
        return []
    index = kg.backend.name_index()
    if index is None:
        rows = [h.row for h in _remote_candidates(kg, query, words)]
        found = kg.backend.search_labels(max(words, key=len), _REMOTE_CANDIDATES)
        rows += [NameRow(n, t, normalize(t), 1, 0) for n, t, _ in found]
    else:
        anywhere = [w for word in words for w in _corrections(index, word, last=False)]
        # and words a longer typed word starts with ('pythonesque' -> 'python')
        anywhere += [w for w in index.vocabulary if len(w) >= 4 and query.startswith(w)]
        rows = index.with_words([anywhere], limit=_FUZZY_LIMIT)
    scored: dict[str, float] = {}
    for row in rows:
        if row.node not in kg.schema.schema_nodes:
            score = fuzz.token_set_ratio(query, row.key) + fuzz.ratio(query, row.key)
            scored[row.node] = max(scored.get(row.node, 0.0), score)
    best = sorted(scored, key=lambda n: (-scored[n], n))[:limit]
    return [f"{kg.node(n).label} ({kg.node(n).type_label})" for n in best]


def _class_filter(kg: KnowledgeGraph, types: Iterable[str] | None) -> set[str]:
    """Local names of the classes named by ``types``, sub-classes included."""
    if not types:
        return set()
    from .classes import resolve_classes

    return resolve_classes(kg, types)
