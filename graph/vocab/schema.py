"""What the explorer learns about a graph's vocabulary when it opens it.

Classes and their hierarchy (for a node's main class), properties with their
labels and inverses (for edge labels and for merging a statement with its
inferred inverse), and the named graphs with the article each belongs to (for
the sources of every edge).  All of it is read with a handful of SPARQL
queries, so it works the same over a local store or a remote endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..model import Source
from ..terms import Lit
from .labels import DEFAULT_LANG, name_words, pick_label
from .namespaces import DCT, MLC, OWL, PROV, RDF, RDFS, SH, SKOS, SRC, local_name
from .restrictions import DERIVED_GRAPH, read_derived_edges
from .standard import (
    CLASS_TYPES,
    METADATA_PREDICATES,
    PROPERTY_TYPES,
    SCHEMA_EDGE_PREDICATES,
    STANDARD_INVERSES,
    STANDARD_SYMMETRIC,
    UNIVERSAL_CLASSES,
)

if TYPE_CHECKING:
    from ..backends.base import Backend

__all__ = [
    "EXCLUDED_PREDICATES",
    "MATCH_PREDICATES",
    "SCHEMA_NAMESPACES",
    "VIEWS",
    "SchemaInfo",
    "View",
]

#: What a graph shows: its instances, its schema (classes and properties), or both.
View = Literal["instances", "schema", "both"]
VIEWS: tuple[str, ...] = ("auto", "instances", "schema", "both")

MATCH_PREDICATES = frozenset(
    {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
)
_SCHEMA_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(SH), str(PROV))
#: Namespaces whose predicates never become edges (the RDF, OWL, SHACL machinery).
SCHEMA_NAMESPACES = _SCHEMA_NAMESPACES
#: Predicates that never become edges of the projection.
EXCLUDED_PREDICATES = frozenset({DCT.source, DCT.isPartOf, SKOS.inScheme, SKOS.topConceptOf})
_SCHEMA_TYPES = (
    *sorted(CLASS_TYPES | PROPERTY_TYPES),
    OWL.Ontology,
    SH.NodeShape,
    SH.PropertyShape,
    MLC.Article,
    MLC.SourceSection,
    MLC.CuratedGraph,
    MLC.InferredGraph,
    SKOS.ConceptScheme,
)
_SCHEMA_TYPE_SET = frozenset(_SCHEMA_TYPES)


@dataclass
class SchemaInfo:
    """Vocabulary and provenance facts about one graph."""

    class_labels: dict[str, str] = field(default_factory=dict)
    class_parents: dict[str, set[str]] = field(default_factory=dict)
    property_labels: dict[str, str] = field(default_factory=dict)
    inverse: dict[str, str] = field(default_factory=dict)
    forward: set[str] = field(default_factory=set)
    symmetric: set[str] = field(default_factory=set)
    sub_properties: dict[str, set[str]] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    #: The nodes the current view leaves out (sources, shapes; classes and
    #: properties unless the schema is shown).
    schema_nodes: set[str] = field(default_factory=set)
    articles: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Every class (declared, a super-class, or the type of something) -> its name.
    classes: dict[str, str] = field(default_factory=dict)
    #: Every declared property and every predicate in use -> its name.
    properties: dict[str, str] = field(default_factory=dict)
    #: How many typed resources each class has.
    class_sizes: dict[str, int] = field(default_factory=dict)
    view: View = "instances"
    lang: str = DEFAULT_LANG
    #: Edges read out of OWL class descriptions, by each end (when the schema shows):
    #: (source, predicate, target, graph naming their kind).
    derived: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    _declared_classes: set[str] = field(default_factory=set)
    _declared_properties: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, backend: Backend, *, view: str = "auto", lang: str = DEFAULT_LANG) -> SchemaInfo:
        """Read the vocabulary and the sources of the graph behind ``backend``.

        ``view`` is ``instances``, ``schema``, ``both`` or ``auto`` (the schema
        when the graph declares half again as many classes and properties as it
        has typed resources, else the instances); ``lang`` is the preferred label
        language.
        """
        info = cls(lang=lang.lower() or DEFAULT_LANG)
        info._read_classes(backend)
        info._read_properties(backend)
        info._read_sources(backend)
        info._read_schema_nodes(backend)
        info._choose_view(view)
        if info.view != "instances":
            for edge in read_derived_edges(backend):
                plain = (edge.source, edge.predicate, edge.target, edge.graph)
                info.derived.setdefault(edge.source, []).append(plain)
                info.derived.setdefault(edge.target, []).append(plain)
        return info

    def _choose_view(self, view: str) -> None:
        vocabulary = self.vocabulary()
        if view == "auto":
            instances = sum(
                n
                for c, n in self.class_sizes.items()
                if c not in _SCHEMA_TYPE_SET and not c.startswith(_SCHEMA_NAMESPACES)
            )
            # Mostly schema: half again as many classes and properties as typed resources.
            view = "schema" if len(vocabulary) >= 1.5 * max(instances, 1) else "instances"
        self.view = view  # type: ignore[assignment]
        if view != "instances":
            self.schema_nodes -= vocabulary

    def vocabulary(self) -> set[str]:
        """The classes and properties the graph declares (IRIs), shown when the schema is."""
        declared = self._declared_classes | set(self.class_parents) | self._declared_properties
        return {n for n in declared if not n.startswith("_:")}

    def kind_of(self, node: str) -> str | None:
        """``"Class"`` or ``"Property"`` for a node of the shown schema, else ``None``."""
        if self.view == "instances":
            return None
        if node in self._declared_properties:
            return "Property"
        if node in self._declared_classes or node in self.class_parents:
            return "Class"
        return None

    # -- classes -----------------------------------------------------------
    def _read_classes(self, backend: Backend) -> None:
        labels: dict[str, list[Lit]] = {}
        for row in backend.select(
            "SELECT ?c ?label WHERE { VALUES ?t { owl:Class rdfs:Class } ?c a ?t ."
            " OPTIONAL { ?c skos:prefLabel|rdfs:label ?label } }"
        ):
            c = row["c"]
            labels.setdefault(c, [])
            if isinstance(row.get("label"), Lit):
                labels[c].append(row["label"])
        for c, lits in labels.items():
            label = pick_label(lits, lang=self.lang)
            if label and not c.startswith("_:"):
                self.class_labels[c] = label
        self._declared_classes = {c for c in labels if not c.startswith("_:")}
        for row in backend.select("SELECT ?c ?p WHERE { ?c rdfs:subClassOf ?p FILTER(isIRI(?p)) }"):
            self.class_parents.setdefault(row["c"], set()).add(row["p"])
        for row in backend.select("SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
            if isinstance(row.get("c"), str) and isinstance(row.get("n"), Lit):
                self.class_sizes[row["c"]] = int(row["n"].value)  # type: ignore[union-attr]
        found = set(labels) | set(self.class_parents) | set(self.class_sizes)
        found |= {p for parents in self.class_parents.values() for p in parents}
        for c in sorted(found):
            if not c.startswith("_:"):
                self.classes[c] = self.class_label(c)

    def ancestors(self, cls_iri: str) -> list[str]:
        """``cls_iri`` and every class above it, nearest first."""
        seen, order, queue = {cls_iri}, [cls_iri], [cls_iri]
        while queue:
            current = queue.pop(0)
            for parent in sorted(self.class_parents.get(current, ())):
                if parent not in seen:
                    seen.add(parent)
                    order.append(parent)
                    queue.append(parent)
        return order

    def descendants(self, cls_iri: str) -> set[str]:
        """``cls_iri`` and every class below it."""
        out = {cls_iri}
        changed = True
        while changed:
            changed = False
            for child, parents in self.class_parents.items():
                if child not in out and parents & out:
                    out.add(child)
                    changed = True
        return out

    def main_class(self, cls_iri: str) -> str:
        """The most general class of this graph's own vocabulary above ``cls_iri``
        (a class above everything, such as ``owl:Thing``, is never the one)."""
        universal = self.universal_classes()
        ours = [c for c in self.ancestors(cls_iri) if c in self.class_labels and c not in universal]
        return ours[-1] if ours else cls_iri

    def universal_classes(self) -> set[str]:
        """Classes above everything (``owl:Thing``, or a root such as Brick's ``Entity``
        above at least half of 20 or more classes): never a main class, which should
        tell a tag from a substance of the same name."""
        cached = self.__dict__.get("_universal")
        if cached is None:
            counts: dict[str, int] = {}
            for c in self.class_parents:
                for above in self.ancestors(c)[1:]:
                    counts[above] = counts.get(above, 0) + 1
            n = len(self.class_parents)
            cached = set(UNIVERSAL_CLASSES)
            if n >= 20:
                cached |= {c for c, k in counts.items() if k >= n / 2}
            self.__dict__["_universal"] = cached
        return cached

    def class_iri(self, name: str) -> str | None:
        """The IRI of the graph's own class whose local name is ``name``, if there is one."""
        for iri in self.class_labels:
            if local_name(iri) == name:
                return iri
        return None

    def class_label(self, cls_iri: str) -> str:
        return self.class_labels.get(cls_iri) or name_words(local_name(cls_iri))

    # -- properties --------------------------------------------------------
    def _read_properties(self, backend: Backend) -> None:
        types = " ".join(f"<{t}>" for t in sorted(PROPERTY_TYPES))
        labels: dict[str, list[Lit]] = {}
        for row in backend.select(
            f"SELECT ?p ?label WHERE {{ VALUES ?t {{ {types} }} ?p a ?t ."
            " OPTIONAL { ?p skos:prefLabel|rdfs:label ?label } }"
        ):
            found = labels.setdefault(row["p"], [])
            if isinstance(row.get("label"), Lit):
                found.append(row["label"])  # type: ignore[arg-type]
        for p, lits in labels.items():
            label = pick_label(lits, lang=self.lang)
            if label:
                self.property_labels[p] = label
        self._declared_properties = {p for p in labels if not p.startswith("_:")}
        for row in backend.select(
            "SELECT DISTINCT ?p WHERE { { ?p rdfs:subPropertyOf ?q } UNION { ?p rdfs:domain ?q }"
            " UNION { ?p rdfs:range ?q } UNION { ?p owl:inverseOf ?q } FILTER(isIRI(?p)) }"
        ):
            self._declared_properties.add(row["p"])  # type: ignore[arg-type]
        used = [row["p"] for row in backend.select("SELECT ?p WHERE { ?s ?p ?o } GROUP BY ?p")]
        for p in sorted({*self._declared_properties, *map(str, used)}):
            self.properties[p] = self.property_label(p)
        for row in backend.select("SELECT ?p ?q WHERE { ?p owl:inverseOf ?q }"):
            p, q = row["p"], row["q"]
            self.inverse[p], self.inverse[q] = q, p
        for p in self.properties:  # what SKOS and OWL say, where the data does not
            if p in STANDARD_INVERSES and p not in self.inverse:
                self.inverse[p] = STANDARD_INVERSES[p]
                self.inverse.setdefault(STANDARD_INVERSES[p], p)
            elif p in STANDARD_SYMMETRIC and p not in self.inverse:
                self.symmetric.add(p)
                self.inverse[p] = p
        self.forward = self._forward_properties(backend)
        for row in backend.select("SELECT ?p WHERE { ?p a owl:SymmetricProperty }"):
            self.symmetric.add(row["p"])
            self.inverse[row["p"]] = row["p"]
        for row in backend.select("SELECT ?p ?q WHERE { ?p rdfs:subPropertyOf ?q }"):
            self.sub_properties.setdefault(row["q"], set()).add(row["p"])

    def _forward_properties(self, backend: Backend) -> set[str]:
        """Of each pair of inverse properties, the one the data itself states more often.

        Statements and their inferred inverses fold into one edge that reads the
        way the sources write it ("requires skill", not "required by"); ties go to
        the alphabetically first IRI, so the choice never depends on query order.
        """
        pairs = {p for p, q in self.inverse.items() if p != q}
        if not pairs:
            return set()
        values = " ".join(f"<{p}>" for p in sorted(pairs))
        used = {
            row["p"]: int(row["n"].value)
            for row in backend.select(
                f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }}"
                " GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?g a mlc:InferredGraph }"
                " FILTER(?g != src:inferred) } GROUP BY ?p"
            )
            if isinstance(row.get("n"), Lit)
        }
        return {
            p
            for p in pairs
            if (used.get(p, 0), self.inverse[p]) > (used.get(self.inverse[p], 0), p)
        }

    def property_label(self, predicate: str) -> str:
        return self.property_labels.get(predicate) or name_words(local_name(predicate))

    def sub_properties_of(self, predicate: str) -> set[str]:
        """``predicate`` and every property below it."""
        out, queue = {predicate}, [predicate]
        while queue:
            for child in self.sub_properties.get(queue.pop(), ()):
                if child not in out:
                    out.add(child)
                    queue.append(child)
        return out

    # -- sources -----------------------------------------------------------
    def _read_sources(self, backend: Backend) -> None:
        for row in backend.select(
            "SELECT ?a ?title ?id ?creator ?publisher ?date WHERE { ?a a mlc:Article ."
            " OPTIONAL { ?a dct:title ?title } OPTIONAL { ?a dct:identifier ?id }"
            " OPTIONAL { ?a dct:creator ?creator } OPTIONAL { ?a dct:publisher ?publisher }"
            " OPTIONAL { ?a dct:date ?date } }"
        ):
            self.articles[row["a"]] = {k: str(v) for k, v in row.items() if k != "a"}
        for row in backend.select(
            "SELECT ?g ?a ?loc WHERE { ?g dct:isPartOf ?a . ?a a mlc:Article ."
            " OPTIONAL { ?g mlc:locator ?loc } }"
        ):
            self.sources[row["g"]] = Source(
                graph=row["g"],
                source=row["a"],
                label=self.article_label(row["a"]),
                locator=str(row["loc"]) if "loc" in row else None,
                kind="article",
            )
        for kind, cls_iri in (("curated", MLC.CuratedGraph), ("inferred", MLC.InferredGraph)):
            for row in backend.select(f"SELECT ?g WHERE {{ ?g a <{cls_iri}> }}"):
                self.sources[row["g"]] = Source(row["g"], row["g"], kind, None, kind)
        for row in backend.select(
            "SELECT ?g ?title WHERE { ?g a prov:Entity ; dct:title ?title"
            " FILTER NOT EXISTS { ?g a mlc:Article } FILTER NOT EXISTS { ?g dct:isPartOf ?a } }"
        ):
            # A dataset that describes itself (the ESCO import does) is named by its title.
            graph = row["g"]
            self.sources.setdefault(graph, Source(graph, graph, str(row["title"]), None, "file"))
            self.schema_nodes.add(graph)
        for g, kind in ((SRC.curated, "curated"), (SRC.inferred, "inferred")):
            self.sources.setdefault(g, Source(g, g, kind, None, kind))

    def article_label(self, article: str) -> str:
        """The article's title and, to tell near-identical titles apart, its author or site.

        >>> info = SchemaInfo(articles={"http://e/a": {"title": "T", "creator": "A. Writer"}})
        >>> info.article_label("http://e/a"), info.article_label("http://e/b")
        ('T (A. Writer)', 'b')
        """
        meta = self.articles.get(article, {})
        title = meta.get("title") or meta.get("id") or local_name(article)
        by = meta.get("creator") or local_name(meta.get("publisher", ""))
        return f"{title} ({by})" if by and meta.get("title") else title

    def source_of(self, graph: str | None) -> Source:
        """The :class:`Source` a named graph stands for (a file graph names its file)."""
        if graph is None:
            return Source("", "", "default graph", None, "file")
        if graph.startswith(DERIVED_GRAPH):
            kind = graph.removeprefix(DERIVED_GRAPH)
            return Source(graph, graph, f"OWL class description ({kind})", None, "file")
        known = self.sources.get(graph)
        if known is not None:
            return known
        name = graph.removeprefix("urn:mlcareer:file:")
        if graph.startswith(str(SRC)):
            name = local_name(graph)
        return Source(graph, graph, name, None, "file")

    # -- schema nodes ------------------------------------------------------
    def _read_schema_nodes(self, backend: Backend) -> None:
        values = " ".join(f"<{t}>" for t in _SCHEMA_TYPES)
        for row in backend.select(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?t {{ {values} }} ?s a ?t }}"
        ):
            self.schema_nodes.add(row["s"])
        self.schema_nodes.update(self.class_labels, self.class_parents, self.sources)
        self.schema_nodes.update(self.articles)

    def is_edge_predicate(self, predicate: str) -> bool:
        """Whether statements with ``predicate`` become edges of the projection in this view.

        Who made or changed a resource (:data:`~graph.vocab.standard.METADATA_PREDICATES`)
        stays an attribute; the statements building a schema (sub-classes,
        domains, ...) are edges when the schema shows, and ``rdf:type`` joins
        instances to their classes when both show.
        """
        if predicate in EXCLUDED_PREDICATES or predicate in METADATA_PREDICATES:
            return False
        if predicate in SCHEMA_EDGE_PREDICATES:
            return self.view != "instances"
        if predicate == RDF.type:
            return self.view == "both"
        return not predicate.startswith(_SCHEMA_NAMESPACES)

    def qualified_label(self, label: str, sources: tuple[Source, ...]) -> str:
        """An edge's label, with the kind of restriction it stands for when it stands for one.

        >>> SchemaInfo().qualified_label("has topping", (Source(DERIVED_GRAPH + "some", "", ""),))
        'has topping some'
        """
        if not sources or not all(s.graph.startswith(DERIVED_GRAPH) for s in sources):
            return label
        kinds = sorted(s.graph.removeprefix(DERIVED_GRAPH) for s in sources)
        return f"{label} {' and '.join(kinds)}"

    def derived_touching(self, node: str) -> list[tuple[str, str, str, str]]:
        """The edges OWL class descriptions stand for, from or to ``node``."""
        return self.derived.get(node, [])
