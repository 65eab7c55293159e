"""How the explorer says things in words: sources, evidence, counts.

One place for the phrases the command line, the app and the exported page
share, so that they read the same everywhere.

>>> counted(1, "node"), counted(3, "hop"), counted(2, "industry")
('1 node', '3 hops', '2 industries')
"""

from __future__ import annotations

from ..model import Edge, Source
from ..vocab.labels import humanize
from ..vocab.text import plural

__all__ = ["class_name", "counted", "evidence", "short", "source_text", "sources_text"]


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless ``n`` is one."""
    return f"{n:,} {word if n == 1 else plural(word)}"


def class_name(name: str) -> str:
    """A class as words: a local name such as ``LearningParadigm`` spaced out, a label kept.

    >>> class_name("LearningParadigm"), class_name("Learning paradigm"), class_name("MLTool")
    ('Learning paradigm', 'Learning paradigm', 'ML tool')
    """
    return name if " " in name or not name else humanize(name)


def short(text: str, limit: int = 40) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis.

    >>> short("How to Become a Machine Learning Engineer in 2025", 30)
    'How to Become a Machine…'
    >>> short("Python")
    'Python'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "\u2026"


def source_text(source: Source) -> str:
    """A source as a person reads it: the article and, when known, where in it.

    >>> source_text(Source("g", "a", "Article A", "Skills", "article"))
    'Article A (Skills)'
    """
    return f"{source.label} ({source.locator})" if source.locator else source.label


def sources_text(edge: Edge) -> str:
    """Every source of ``edge`` on one line, one entry per article with its places.

    >>> e = Edge("a", "b", "p", "uses", (Source("g1", "A", "Art A", "Skills", "article"),
    ...                                    Source("g2", "A", "Art A", "FAQ", "article")))
    >>> sources_text(e)
    'Art A: Skills; FAQ'
    """
    places: dict[str, list[str]] = {}
    for s in edge.sources:
        places.setdefault(s.label, [])
        if s.locator:
            places[s.label].append(s.locator)
    return " | ".join(
        f"{label}: {'; '.join(locs)}" if locs else label for label, locs in places.items()
    )


def evidence(edge: Edge, total_articles: int) -> str:
    """How well attested an edge is: "stated by 3 of 4 articles", "inferred", ...

    >>> evidence(Edge("a", "b", "p", "uses", (Source("g", "A", "Art A", None, "article"),)), 4)
    'stated by 1 of 4 articles'
    >>> evidence(Edge("a", "b", "p", "uses", (Source("g", "g", "mine.ttl", None, "file"),)), 4)
    'stated in mine.ttl'
    """
    if edge.inferred:
        return "inferred"
    n = len(edge.articles)
    if not n:
        kinds = {s.kind for s in edge.sources}
        if kinds == {"file"}:  # an upload, a --data file, the ontology's own files
            return "stated in " + ", ".join(sorted({s.label for s in edge.sources}))
        return "curated statement"
    if total_articles:
        return f"stated by {n} of {counted(total_articles, 'article')}"
    return f"stated by {counted(n, 'article')}"
