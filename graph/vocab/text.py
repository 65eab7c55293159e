"""Text as the explorer compares it: folded case and accents, and English plurals."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "plural"]

_NON_WORD = re.compile(r"[^a-z0-9+#]+")


def normalize(text: str) -> str:
    """Fold case and accents and squeeze punctuation, for matching.

    >>> normalize("  Résumé -- Writing! ")
    'resume writing'
    >>> normalize("C++")
    'c++'
    """
    if text.isascii():  # most names: nothing to decompose, and lower() is casefold()
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", plain.casefold()).strip()


def plural(word: str) -> str:
    """English plural of the last word of a class name.

    >>> plural("skill"), plural("industry"), plural("learning paradigm"), plural("process")
    ('skills', 'industries', 'learning paradigms', 'processes')
    """
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"
