"""Turning what a user names (a relation, a source article) into what it denotes.

Relations can be named by IRI, ``prefix:name``, local name or label, and take
their sub-properties along; sources by article IRI, file name, title or graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import BadInput
from ..model import Edge
from ..vocab.namespaces import expand, expand_name, local_name
from ..vocab.text import normalize

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph

__all__ = ["EdgeFilter", "resolve_predicates", "resolve_sources"]


def resolve_predicates(kg: KnowledgeGraph, names: Iterable[str]) -> set[str]:
    """IRIs of the properties ``names`` denote, with their sub-properties."""
    known = set(kg.schema.property_labels) | set(kg.schema.inverse)
    by_word: dict[str, str] = {}
    for p in sorted(known) + sorted(set(kg.schema.properties) - known):
        by_word.setdefault(normalize(local_name(p)), p)
        by_word.setdefault(normalize(kg.schema.property_label(p)), p)
    known |= set(kg.schema.properties)
    out: set[str] = set()
    for name in names:
        iri = expand_name(name.strip())
        if iri not in known:
            iri = by_word.get(normalize(name), "")
        if not iri:
            if "://" in name or name.startswith("urn:"):
                out.add(name)
                continue
            labels = sorted({kg.schema.property_label(p) for p in kg.schema.property_labels})
            raise BadInput(f"unknown relation {name!r}; known relations: {', '.join(labels)}")
        out |= kg.schema.sub_properties_of(iri)
        inverse = kg.schema.inverse.get(iri)
        if inverse:
            out.add(inverse)
    return out


def resolve_sources(kg: KnowledgeGraph, names: Iterable[str]) -> set[str]:
    """Article IRIs (or graph IRIs) that ``names`` denote."""
    out: set[str] = set()
    for name in names:
        key = normalize(name)
        found = {
            article
            for article, meta in kg.schema.articles.items()
            if article in (name, expand(name))
            or key in {normalize(v) for v in meta.values()}
            or key == normalize(local_name(article))
            or normalize(meta.get("id", "")).startswith(key)
        }
        found |= {g for g in kg.schema.sources if g in (name, expand(name))}
        if not found:
            known = ", ".join(meta.get("id", a) for a, meta in sorted(kg.schema.articles.items()))
            raise BadInput(f"unknown source {name!r}; known sources: {known or 'none'}")
        out |= found
    return out


class EdgeFilter:
    """Which edges a view keeps: by relation, by source article, inferred or not."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        *,
        predicates: Iterable[str] | None = None,
        exclude_predicates: Iterable[str] | None = None,
        sources: Iterable[str] | None = None,
        inferred: bool = True,
    ) -> None:
        self.predicates = resolve_predicates(kg, predicates) if predicates else None
        self.excluded = resolve_predicates(kg, exclude_predicates) if exclude_predicates else set()
        self.sources = resolve_sources(kg, sources) if sources else None
        self.inferred = inferred
        self._schema = kg.schema

    def allows_predicate(self, predicate: str, inferred: bool) -> bool:
        if inferred and not self.inferred:
            return False
        if predicate in self.excluded:
            return False
        return self.predicates is None or predicate in self.predicates

    def allows(self, edge: Edge) -> bool:
        if not self.allows_predicate(edge.predicate, edge.inferred):
            return False
        if self.sources is None:
            return True
        return any(s.source in self.sources or s.graph in self.sources for s in edge.sources)

    def allows_raw(
        self, predicate: str | None, graphs: frozenset[str | None], inferred: bool
    ) -> bool:
        """:meth:`allows` for a statement given by its predicate and graphs (``None``: any).

        The same test over a whole adjacency index at once is
        :meth:`graph.core.adjacency.Adjacency.allowed_rows`, built from this one per
        predicate and per graph; the neighbourhood and path tests of
        ``tests/core/test_indexed_and_plain.py`` keep the two equal.
        """
        if inferred and not self.inferred:
            return False
        if predicate is not None and not self.allows_predicate(predicate, inferred):
            return False
        if self.sources is None:
            return True
        source_of = self._schema.source_of
        return any(g in self.sources or source_of(g).source in self.sources for g in graphs)

    @property
    def needs_sources(self) -> bool:
        return self.sources is not None
