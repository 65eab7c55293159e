"""Naming classes in plain words: "skills", "Programming language", "degrees".

Class words come from the graph's own class labels, alternative labels and
local names, singular or plural, so a question or a ``--type`` option can say
``skills``, ``programming languages`` or ``fields of study``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import BadInput
from ..terms import Lit
from ..vocab.labels import humanize
from ..vocab.namespaces import expand_name, local_name
from ..vocab.text import normalize, plural

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["class_names", "class_words", "plural_phrase", "resolve_classes"]


def plural_phrase(name: str) -> str:
    """The plural of a class name: its head noun takes the plural.

    >>> plural_phrase("field of study"), plural_phrase("soft skill"), plural_phrase("industry")
    ('fields of study', 'soft skills', 'industries')
    """
    head, sep, rest = name.partition(" of ")
    if sep:
        return plural_phrase(head) + sep + rest
    return plural(name)


def _aliases(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """The alternative labels of classes ('degree' for degree levels), read once."""

    def read() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        rows = kg.backend.select(
            "SELECT ?c ?l WHERE { VALUES ?t { owl:Class rdfs:Class } ?c a ?t ; skos:altLabel ?l }"
        )
        for row in rows:
            label = row.get("l")
            if isinstance(label, Lit) and (label.lang or "en").startswith("en"):
                out.setdefault(row["c"], []).append(label.value)
        return out

    return kg.memo("classes.aliases", read)


def class_words(kg: KnowledgeGraph) -> dict[str, str]:
    """Every way to name a class (folded, singular and plural) -> class IRI."""

    def build() -> dict[str, str]:
        words: dict[str, str] = {}
        aliases = _aliases(kg)
        parents = {c for above in kg.schema.class_parents.values() for c in above}
        labelled = set(kg.schema.class_labels)
        others = (set(kg.schema.classes) | set(kg.schema.class_parents) | parents) - labelled
        for cls_iri in [*sorted(labelled), *sorted(others)]:  # the graph's own names first
            names = {humanize(local_name(cls_iri)), local_name(cls_iri)}
            if cls_iri in kg.schema.class_labels:
                names.add(kg.schema.class_labels[cls_iri])
            names.update(aliases.get(cls_iri, ()))
            for name in names:
                key = normalize(name)
                if key:
                    words.setdefault(key, cls_iri)
                    words.setdefault(normalize(plural_phrase(key)), cls_iri)
        return words

    return kg.memo("classes.words", build)


def class_names(kg: KnowledgeGraph, names: Iterable[str], *, plural: bool = False) -> list[str]:
    """How to write the classes of local ``names`` in a sentence ('skills', 'degree levels')."""
    by_local = {local_name(c): c for c in kg.schema.class_labels}
    out = []
    for name in names:
        label = kg.schema.class_label(by_local.get(name, name)).lower()
        out.append(plural_phrase(label) if plural else label)
    return out


def resolve_classes(kg: KnowledgeGraph, names: Iterable[str]) -> set[str]:
    """Local names of the classes ``names`` denote, with all their sub-classes.

    Raises :class:`~graph.errors.BadInput` listing the known classes when a name fits none.
    """
    words = class_words(kg)
    every = set(kg.schema.classes) | set(kg.schema.class_labels) | set(kg.schema.class_parents)
    by_local = {local_name(c): c for c in sorted(every)}
    out: set[str] = set()
    for name in names:
        iri = expand_name(name.strip())
        cls_iri = iri if iri in every else words.get(normalize(name)) or by_local.get(name)
        if cls_iri is None:
            known = sorted({kg.schema.class_label(c) for c in every})
            shown = ", ".join(known[:40]) + (
                f" and {len(known) - 40} more" if len(known) > 40 else ""
            )
            raise BadInput(f"unknown class {name!r}; known classes: {shown or 'none'}")
        out |= {local_name(c) for c in kg.schema.descendants(cls_iri)}
    return out
