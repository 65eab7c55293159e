"""Naming classes in plain words: "skills", "Programming language", "Tool".

Class words come from the graph's own class labels and local names, singular
or plural, so a question or a ``--type`` option can say ``skills`` or
``programming languages``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import BadInput
from ..vocab.labels import humanize
from ..vocab.namespaces import local_name
from ..vocab.text import normalize, plural

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["class_words", "resolve_classes"]


def class_words(kg: KnowledgeGraph) -> dict[str, str]:
    """Every way to name a class (normalised, singular and plural) -> class IRI."""
    words: dict[str, str] = {}
    classes = set(kg.schema.class_labels) | set(kg.schema.class_parents)
    for cls_iri in sorted(classes):
        names = {humanize(local_name(cls_iri)), local_name(cls_iri)}
        if cls_iri in kg.schema.class_labels:
            names.add(kg.schema.class_labels[cls_iri])
        for name in names:
            key = normalize(name)
            if key:
                words.setdefault(key, cls_iri)
                words.setdefault(normalize(plural(key)), cls_iri)
    return words


def resolve_classes(kg: KnowledgeGraph, names: Iterable[str]) -> set[str]:
    """Local names of the classes ``names`` denote, with all their sub-classes.

    Raises :class:`~graph.errors.BadInput` listing the known classes when a name fits none.
    """
    words = class_words(kg)
    out: set[str] = set()
    for name in names:
        cls_iri = words.get(normalize(name))
        if cls_iri is None:
            known = sorted({kg.schema.class_label(c) for c in kg.schema.class_labels})
            raise BadInput(f"unknown class {name!r}; known classes: {', '.join(known)}")
        out |= {local_name(c) for c in kg.schema.descendants(cls_iri)}
    return out
