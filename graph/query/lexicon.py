"""The words of questions that are not names: asking, relating, filling.

The reading of questions (:mod:`graph.query.questions`) and of texts
(:mod:`graph.query.mentions`) sorts every word of a sentence into a concept,
a class word, one of these, or a word it could not read.
"""

from __future__ import annotations

import functools

__all__ = [
    "ARROWS",
    "FILLER",
    "PATH_WORDS",
    "SHARED_WORDS",
    "STOP_WORDS",
    "VERBS",
    "english_word",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@functools.cache
def _dictionary() -> frozenset[str]:
    """The words of the GNU Collaborative International Dictionary of English, lower case."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["gcide"], lower=True, alpha=True))


def english_word(word: str) -> bool:
    """Whether ``word`` (folded) is an English word, inflected or not.

    A word of the language is not taken for a misspelt name: "production" is
    not a typo of "prediction", though an edit or two part them.

    >>> english_word("production"), english_word("deploying"), english_word("pyhton")
    (True, True, False)
    """
    known = _dictionary()
    if word in known:
        return True
    stems = []
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("s"):
        stems.append(word[:-1])
    if word.endswith("ed"):
        stems += [word[:-2], word[:-1]]
    if word.endswith("ing"):
        stems += [word[:-3], word[:-3] + "e"]
    return any(len(stem) > 2 and stem in known for stem in stems)


#: Words that never name a concept on their own, however the graph labels things.
STOP_WORDS = _words(
    """a an the and or of to in on at by for from with as is are was were be been being it its
    this that these those what which who whom whose how why when where do does did done can
    could should would will shall may might must have has had i me my we our you your he she
    they them their there here not no yes if then than so such into onto about between both all
    any each some most more less much many other same very just also only own up down out over
    under again further once s t get got go going"""
)
#: Words carrying no concept in a question: asking, pointing, filling.
FILLER = STOP_WORDS | _words(
    """show list find tell give me please main key top important typical typically usually
    kind kinds type types thing things someone person people become need want know possible
    good best should path help helps learn study"""
)
#: Words saying "what do both have": two concepts are then compared, not joined.
SHARED_WORDS = _words(
    """shared share shares sharing common both overlap overlaps compare comparing comparison
    versus vs difference differences differ similar similarities"""
)
#: Words saying "how are they joined": nothing to add to two concepts, but no noise.
PATH_WORDS = _words(
    """link links linking linked connect connects connecting connected connection connections
    relate relates related relation relations relationship relationships path paths route
    routes bridge bridges between from to go get move moving transition way ways"""
)
#: Arrows written between two concepts: ``Python -> data scientist``.
ARROWS = ("->", "\u2192", "=>", "\u27f6")


def _verbs(stem: str, text: str) -> dict[str, str]:
    return dict.fromkeys(text.split(), stem)


#: Verbs that name a relation of the schema -> the stem of the first word of its label.
VERBS = {
    **_verbs(
        "requir",
        """require requires required requiring requirement requirements need needs needed
        prerequisite prerequisites become becoming""",
    ),
    **_verbs("us", "use uses used using"),
    **_verbs("lead", "lead leads leading qualify qualifies prepare prepares"),
    **_verbs("employ", "employ employs employed employing hire hires hiring"),
    **_verbs("concern", "concern concerns concerning"),
    **_verbs("regulat", "regulate regulates regulated govern governs"),
    **_verbs("cover", "cover covers covered teach teaches taught"),
    **_verbs("offer", "offer offers offered"),
    **_verbs("benefit", "benefit benefits"),
    **_verbs("work", "work works working"),
}
