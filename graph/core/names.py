"""Naming nodes: a node's label, main class and literal attributes, read once and cached.

A node is named from its labels (:data:`~graph.vocab.labels.LABEL_PREDICATES`,
English or untagged first) or, without one, from its IRI's local name; its
*main class* is the most general class of the graph's own vocabulary above
the classes it is asserted to have.  Only the statements that name a node are
read to name it, so a hub with thousands of relations costs as little to name
as a leaf.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from ..backends.base import Backend
from ..model import Node
from ..terms import Lit, Quad
from ..vocab.labels import (
    DEFINITION_PREDICATES,
    LABEL_PREDICATES,
    name_words,
    pick_label,
)
from ..vocab.namespaces import OWL, RDF, local_name
from ..vocab.schema import SchemaInfo
from ..vocab.standard import CLASS_TYPES, PROPERTY_TYPES

__all__ = ["LruCache", "NodeNames", "group_literals"]

_CACHE_SIZE = 50_000
NAME_PREDICATES = frozenset({*LABEL_PREDICATES, RDF.type})


class LruCache:
    """A dict that forgets its least recently used entries past ``size``.

    >>> cache = LruCache(2)
    >>> cache.put("a", 1); cache.put("b", 2); cache.put("c", 3)
    >>> cache.get("a"), cache.get("c")
    (None, 3)
    """

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self.size = size
        self.data: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        value = self.data.get(key)
        if value is not None:
            self.data.move_to_end(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.data[key] = value
        if len(self.data) > self.size:
            self.data.popitem(last=False)


def group_literals(quads: Iterable[Quad]) -> dict[str, list[Lit]]:
    """Literals by predicate, classes under ``rdf:type``, each list in a stable order.

    >>> grouped = group_literals([Quad("ex:a", "ex:n", Lit("b"), None),
    ...                           Quad("ex:a", "ex:n", Lit("A"), None)])
    >>> [lit.value for lit in grouped["ex:n"]]
    ['b', 'A']
    """
    grouped: dict[str, list[Lit]] = {RDF.type: []}
    for q in quads:
        if isinstance(q.o, Lit):
            grouped.setdefault(q.p, []).append(q.o)
        elif q.p == RDF.type:
            grouped[RDF.type].append(Lit(q.o))
    for values in grouped.values():
        # Backends list statements in different orders: pick labels the same way.
        values.sort(key=lambda lit: (lit.value[:1].isupper(), lit.value, lit.lang or ""))
    return grouped


class NodeNames:
    """The names, classes and literals of a graph's nodes, fetched on demand and cached."""

    def __init__(self, backend: Backend, schema: SchemaInfo) -> None:
        self.backend = backend
        self.schema = schema
        self._nodes = LruCache()
        self._literals = LruCache()
        self._facts = LruCache()
        self._type_names: dict[tuple[str, ...], str] = {}

    # -- reading ---------------------------------------------------------------
    def literals(self, node: str, about: list[Quad] | None = None) -> dict[str, list[Lit]]:
        """Every literal of ``node`` by predicate, and its classes under ``rdf:type``
        (from ``about``, every statement about ``node``, when the caller has read them)."""
        cached = self._literals.get(node)
        if cached is None:
            cached = group_literals(self.backend.quads_about(node) if about is None else about)
            self._literals.put(node, cached)
        return cached

    def facts(self, node: str) -> dict[str, list[Lit]]:
        """The labels and classes of ``node``: all that naming it needs."""
        full = self._literals.get(node)
        if full is not None:
            return full
        cached = self._facts.get(node)
        if cached is None:
            self.prefetch([node])
            cached = self._facts.get(node)
        return cached

    def prefetch(self, nodes: Iterable[str]) -> None:
        """Read the labels and classes of many nodes at once (one request on an endpoint)."""
        wanted = [
            n
            for n in dict.fromkeys(nodes)
            if self._nodes.get(n) is None
            and self._facts.get(n) is None
            and self._literals.get(n) is None
        ]
        if not wanted:
            return
        by_node: dict[str, list[Quad]] = {n: [] for n in wanted}
        for q in self.backend.quads_with(wanted, sorted(NAME_PREDICATES)):
            if q.s in by_node and q.p in NAME_PREDICATES:
                by_node[q.s].append(q)
        for n, found in by_node.items():
            self._facts.put(n, group_literals(found))

    def labels(self, node: str) -> list[Lit]:
        """Every label of ``node``, best predicate first."""
        lits = self.facts(node)
        return [lit for p in LABEL_PREDICATES for lit in lits.get(p, [])]

    def is_named(self, node: str) -> bool:
        """Whether ``node`` has a label of its own."""
        return bool(self.labels(node))

    def cached(self, node: str) -> Node | None:
        """The node if it has been named already."""
        return self._nodes.get(node)

    # -- naming ------------------------------------------------------------------
    def node(self, node: str) -> Node:
        """The :class:`~graph.model.Node` for an IRI (looked up once, then cached)."""
        cached = self._nodes.get(node)
        if cached is not None:
            return cached
        lits = self.facts(node)
        label = pick_label(self.labels(node), lang=self.schema.lang)
        label = label or name_words(local_name(node)) or node
        main, classes, type_label = self.describe(c.value for c in lits.get(RDF.type, []))
        result = Node(id=node, label=label, type=main, classes=classes, type_label=type_label)
        self._nodes.put(node, result)
        return result

    def describe(self, asserted: Iterable[str]) -> tuple[str, tuple[str, ...], str]:
        """A node's main class (local name), all its classes and the main class's label,
        from the classes it is asserted to have."""
        asserted = sorted(asserted)
        schema = self.schema
        classes: list[str] = []
        for cls_iri in asserted:
            for ancestor in schema.ancestors(cls_iri):
                if ancestor not in classes and (
                    ancestor in schema.class_labels or ancestor == cls_iri
                ):
                    classes.append(ancestor)
        main = self.main_class(asserted)
        return (
            local_name(main) if main else "Resource",
            tuple(local_name(c) for c in classes),
            schema.class_label(main) if main else "Resource",
        )

    def main_class(self, asserted: Iterable[str]) -> str:
        """The main class of a node asserted to have ``asserted`` classes (``""``: none);
        a class's is ``owl:Class`` and a property's ``rdf:Property``, whatever else it is."""
        asserted = list(asserted)
        if any(c in PROPERTY_TYPES for c in asserted):
            return RDF.Property
        if any(c in CLASS_TYPES for c in asserted):
            return OWL.Class
        schema = self.schema
        mains = sorted(
            {schema.main_class(c) for c in asserted},
            key=lambda c: (c not in schema.class_labels, schema.class_label(c)),
        )
        return mains[0] if mains else ""

    def type_name(self, asserted: Iterable[str]) -> str:
        """The local name of the main class among ``asserted`` (``Resource`` without one)."""
        key = tuple(sorted(asserted))
        name = self._type_names.get(key)
        if name is None:
            main = self.main_class(key)
            name = self._type_names[key] = local_name(main) if main else "Resource"
        return name

    def types_of(
        self, nodes: Iterable[str], indexed: Callable[[list[str]], dict[str, str]] | None = None
    ) -> dict[str, str]:
        """The main class (local name) of each node, reading only its ``rdf:type`` statements.

        ``indexed`` names many nodes at once from an adjacency index, when there is one.
        """
        out: dict[str, str] = {}
        wanted = []
        for n in dict.fromkeys(nodes):
            cached = self._nodes.get(n)
            if cached is not None:
                out[n] = cached.type
            else:
                wanted.append(n)
        if indexed is not None and len(wanted) > 50:
            out.update(indexed(wanted))
            return out
        classes: dict[str, list[str]] = {n: [] for n in wanted}
        for q in self.backend.quads_with(wanted, [RDF.type]):
            if q.s in classes and isinstance(q.o, str):
                classes[q.s].append(q.o)
        for n, asserted in classes.items():
            out[n] = self.type_name(asserted)
        return out

    def definitions(self, nodes: Iterable[str]) -> dict[str, str]:
        """The definition of each of ``nodes`` that has one, reading only definitions."""
        wanted = list(dict.fromkeys(nodes))
        found: dict[str, list[Quad]] = {}
        for q in self.backend.quads_with(wanted, DEFINITION_PREDICATES):
            if q.p in DEFINITION_PREDICATES and isinstance(q.o, Lit):
                found.setdefault(q.s, []).append(q)
        out = {}
        for node in wanted:
            grouped = group_literals(found.get(node, ()))
            text = pick_label(
                [lit for p in DEFINITION_PREDICATES for lit in grouped.get(p, [])],
                lang=self.schema.lang,
            )
            if text:
                out[node] = text
        return out

    def extra_names(self) -> list[tuple[str, int, str]]:
        """Names the backend's own name index leaves out: (node, kind, text).

        That index holds every label in every language; when the schema shows,
        each class's and property's local name in words is added here
        ("MozzarellaTopping" -> "Mozzarella Topping").
        """
        from ..backends.name_index import KIND_ALIAS, KIND_HIDDEN

        out: list[tuple[str, int, str]] = []
        if self.schema.view != "instances":
            vocabulary = sorted(self.schema.vocabulary())
            out += [(n, KIND_ALIAS, name_words(local_name(n))) for n in vocabulary]
            out += [(n, KIND_HIDDEN, local_name(n)) for n in vocabulary]
        return out
