"""How resources are named: the label, alias and definition predicates, and picking one.

>>> pick_label([Lit("Programmation", "fr"), Lit("Programming", "en")])
'Programming'
>>> pick_label([Lit("Programmation", "fr"), Lit("Programming", "en")], lang="fr")
'Programmation'
"""

from __future__ import annotations

import re

from ..errors import BadInput
from ..terms import Lit
from .namespaces import DCT, RDFS, SCHEMA, SKOS, Namespace

__all__ = [
    "ALIAS_PREDICATES",
    "DEFAULT_LANG",
    "DEFINITION_PREDICATES",
    "HIDDEN_PREDICATES",
    "LABEL_PREDICATES",
    "LANG_TAG",
    "check_lang",
    "humanize",
    "name_words",
    "pick_label",
]

FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA_HTTP = Namespace("http://schema.org/")
DC = Namespace("http://purl.org/dc/elements/1.1/")
#: The language whose labels are preferred unless the user says otherwise.
DEFAULT_LANG = "en"
#: A language tag as BCP 47 spells one (``en``, ``de-CH``, ``zh-Hant-TW``), without its rarer forms.
LANG_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}")


def check_lang(lang: str) -> str:
    """``lang`` as a lower-case language tag, else :class:`BadInput` with examples.

    >>> check_lang("DE-ch")
    'de-ch'
    >>> check_lang("<b>")
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: '<b>' is not a language tag; give one such as en, de or pt-BR
    """
    if not LANG_TAG.fullmatch(lang):
        raise BadInput(f"{lang!r} is not a language tag; give one such as en, de or pt-BR")
    return lang.lower()


#: Predicates whose literal values name a resource, best first.
LABEL_PREDICATES = (
    SKOS.prefLabel,
    RDFS.label,
    SCHEMA.name,
    DCT.title,
    FOAF.name,
    SCHEMA_HTTP.name,
    DC.title,
)
ALIAS_PREDICATES = (SKOS.altLabel,)
HIDDEN_PREDICATES = (SKOS.hiddenLabel,)
DEFINITION_PREDICATES = (
    SKOS.definition,
    RDFS.comment,
    DCT.description,
    SCHEMA.description,
    SCHEMA_HTTP.description,
)


def humanize(name: str) -> str:
    """Turn a local name into words: ``requiresSkill`` -> ``requires skill``.

    >>> humanize("requiresSkill"), humanize("LearningParadigm"), humanize("MLTechnique")
    ('requires skill', 'Learning paradigm', 'ML technique')
    """
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_-]+", " ", name).split()
    if not words:
        return name
    rest = [w if w.isupper() else w.lower() for w in words[1:]]
    return " ".join([words[0], *rest])


def name_words(name: str) -> str:
    """A name for a resource that has no label, from its IRI's local name.

    A capitalised name keeps its words' capitals (a class or an individual);
    one in lower case reads as a phrase (a property).

    >>> name_words("MozzarellaTopping"), name_words("Air_Handling_Unit"), name_words("AHU")
    ('Mozzarella Topping', 'Air Handling Unit', 'AHU')
    >>> name_words("hasTopping"), name_words("has_topping"), name_words("tema=381")
    ('has topping', 'has topping', 'tema=381')
    """
    if name[:1].isupper():
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_+", " ", name).split()
        return " ".join(words) or name
    return humanize(name)


def _fits(tag: str | None, lang: str) -> bool:
    tag = (tag or "").lower()
    return tag == lang or tag.startswith(lang + "-")


def pick_label(labels: list[Lit], *, lang: str = DEFAULT_LANG) -> str | None:
    """The first label in ``lang`` (``en`` by default), else untagged, else of any language."""
    lang = lang.lower()
    for fits in (lambda t: _fits(t, lang), lambda t: not t):
        for lit in labels:
            if fits(lit.lang):
                return lit.value
    return labels[0].value if labels else None
