"""Finding nodes by name: labels and alternative labels, forgiving of case,
accents and typos, ranked by a score from 0 to 100.

The index is built the first time a graph is searched and kept with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from ..terms import Lit
from ..vocab.labels import ALIAS_PREDICATES, HIDDEN_PREDICATES, LABEL_PREDICATES
from ..vocab.text import normalize

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["LabelIndex", "SearchResult", "search"]

#: A fuzzy hit this good, and this far ahead of the next one, names its node.
_CONFIDENT, _MARGIN = 80.0, 8.0
#: How many names a remote backend sends per word looked up.
_CANDIDATES = 500
#: Above this many names, a fast scorer shortlists before the careful one ranks.
_LARGE = 20_000


@dataclass(frozen=True)
class SearchResult:
    """One match: the node, the text that matched, and how well (0-100)."""

    id: str
    label: str
    type: str
    type_label: str
    score: float
    matched: str
    exact: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "type": self.type,
            "score": round(self.score, 1),
            "matched": self.matched,
        }


class LabelIndex:
    """Every name of every node, normalised once."""

    def __init__(self, entries: Iterable[tuple[str, str, bool]]) -> None:
        self.nodes: list[str] = []
        self.texts: list[str] = []
        self.keys: list[str] = []
        self.preferred: list[bool] = []
        self.exact: dict[str, list[int]] = {}
        for node, text, preferred in entries:
            key = normalize(text)
            if not key:
                continue
            self.exact.setdefault(key, []).append(len(self.keys))
            self.nodes.append(node)
            self.texts.append(text)
            self.keys.append(key)
            self.preferred.append(preferred)

    @classmethod
    def build(cls, kg: KnowledgeGraph) -> LabelIndex:
        schema_nodes = kg.schema.schema_nodes
        adjacency = kg.adjacency()
        if adjacency is not None:  # a local store: its names were read with its index
            return cls(
                (node, text, p == LABEL_PREDICATES[0])
                for node, p, text, lang in adjacency.index.name_rows()
                if node not in schema_nodes and (not lang or lang.startswith("en"))
            )
        predicates = [*LABEL_PREDICATES, *ALIAS_PREDICATES, *HIDDEN_PREDICATES]
        values = " ".join(f"<{p}>" for p in predicates)
        rows = kg.backend.select(
            f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?l FILTER(isIRI(?s)) }}"
        )
        return cls(
            (row["s"], row["l"].value, row["p"] == LABEL_PREDICATES[0])
            for row in rows
            if isinstance(row.get("l"), Lit)
            and row["s"] not in schema_nodes
            and (row["l"].lang in (None, "", "en") or row["l"].lang.startswith("en"))
        )


def _index(kg: KnowledgeGraph, query: str) -> LabelIndex:
    """The names to rank for ``query``: every name, or those a remote backend finds."""
    if kg.remote:
        return _candidate_index(kg, query)
    return kg.memo("search.label-index", lambda: LabelIndex.build(kg))


def _candidate_index(kg: KnowledgeGraph, query: str) -> LabelIndex:
    """Names containing the query's longest word (or, in case it holds a typo, a word
    starting with its first two letters), fetched from the backend, so a huge graph's
    labels stay where they are.
    """
    cache: dict[str, LabelIndex] = kg.memo("search.candidates", dict)
    if query in cache:
        return cache[query]
    lookup = kg.backend.search_labels
    word = max(query.split(), key=len)
    rows = lookup(word, _CANDIDATES)
    if len(word) >= 4 and not any(query in normalize(text) for _, text, _ in rows):
        rows = [*rows, *lookup(word[:2], _CANDIDATES, word_start=True)]
    schema_nodes = kg.schema.schema_nodes
    index = LabelIndex(row for row in rows if row[0] not in schema_nodes)
    if len(cache) > 256:
        cache.clear()
    cache[query] = index
    return index


def search(
    kg: KnowledgeGraph,
    text: str,
    *,
    types: Iterable[str] | None = None,
    limit: int = 10,
    cutoff: float = 60.0,
) -> list[SearchResult]:
    """The nodes whose label or alternative label best matches ``text``.

    Parameters
    ----------
    kg : KnowledgeGraph
    text : str
        What the user typed; case, accents and small typos do not matter.
    types : iterable of str, optional
        Keep only nodes of these classes (local name or label, sub-classes included).
    limit : int
        At most this many results, best first.
    cutoff : float
        Leave out matches scoring below this (0-100).

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> [(r.label, r.exact) for r in search(kg, "pyhton")]
    [('Python', True)]
    """
    query = normalize(text)
    if not query:
        return []
    index = _index(kg, query)
    scores: dict[str, tuple[float, str, bool]] = {}

    def offer(i: int, score: float, exact: bool) -> None:
        node = index.nodes[i]
        score = min(100.0, score + (0.5 if index.preferred[i] else 0.0))
        if node not in scores or score > scores[node][0]:
            scores[node] = (score, index.texts[i], exact)

    for i in index.exact.get(query, ()):
        offer(i, 100.0, True)
    wanted_hits = max(limit * 8, 40)
    keys: Any = index.keys
    if len(keys) > _LARGE:
        # A Python scorer over every name is too slow on a large graph: let rapidfuzz's C
        # scorer pick a shortlist first, then rank the shortlist as usual.
        shortlist = process.extract(
            query, keys, scorer=fuzz.WRatio, limit=wanted_hits * 5, score_cutoff=cutoff
        )
        keys = {i: key for key, _score_, i in shortlist}
    for _key, score, i in process.extract(
        query, keys, scorer=_score, limit=wanted_hits, score_cutoff=cutoff
    ):
        offer(i, min(score, 99.0), False)
    wanted = _class_filter(kg, types)
    results = []
    for node, (score, matched, exact) in sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0])):
        info = kg.node(node)
        if wanted and not wanted & set(info.classes) | ({info.type} & wanted):
            continue
        results.append(
            SearchResult(node, info.label, info.type, info.type_label, score, matched, exact)
        )
        if len(results) >= limit:
            break
    return _mark_confident(results)


def _score(query: str, choice: str, **kwargs: Any) -> float:
    """Whole-string similarity, with a smaller reward for matching a part."""
    whole = fuzz.ratio(query, choice, **kwargs)
    if len(query) >= 4 and len(choice) > len(query):
        whole = max(whole, 0.9 * fuzz.partial_ratio(query, choice, **kwargs))
    return max(whole, 0.95 * fuzz.token_sort_ratio(query, choice, **kwargs))


def _mark_confident(results: list[SearchResult]) -> list[SearchResult]:
    """Treat a clear fuzzy winner (a typo) as naming its node."""
    if not results or results[0].exact:
        return results
    top = results[0]
    runner_up = results[1].score if len(results) > 1 else 0.0
    if top.score >= _CONFIDENT and top.score - runner_up >= _MARGIN:
        results[0] = SearchResult(**{**top.__dict__, "exact": True})
    return results


def _class_filter(kg: KnowledgeGraph, types: Iterable[str] | None) -> set[str]:
    """Local names of the classes named by ``types``, sub-classes included."""
    if not types:
        return set()
    from .classes import resolve_classes

    return resolve_classes(kg, types)
