"""How resources are named: the label, alias and definition predicates, and picking one.

>>> pick_label([Lit("Programmation", "fr"), Lit("Programming", "en")])
'Programming'
"""

from __future__ import annotations

import re

from ..terms import Lit
from .namespaces import DCT, RDFS, SCHEMA, SKOS

__all__ = [
    "ALIAS_PREDICATES",
    "DEFINITION_PREDICATES",
    "HIDDEN_PREDICATES",
    "LABEL_PREDICATES",
    "humanize",
    "pick_label",
]

#: Predicates whose literal values name a resource, best first.
LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCT.title)
ALIAS_PREDICATES = (SKOS.altLabel,)
HIDDEN_PREDICATES = (SKOS.hiddenLabel,)
DEFINITION_PREDICATES = (SKOS.definition, RDFS.comment, DCT.description, SCHEMA.description)


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


def pick_label(labels: list[Lit]) -> str | None:
    """The first English or untagged label of ``labels``, else the first of any language."""
    for lit in labels:
        if lit.lang in (None, "", "en") or (lit.lang or "").startswith("en-"):
            return lit.value
    return labels[0].value if labels else None
