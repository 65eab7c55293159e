"""What the explorer learns about a graph's vocabulary when it opens it.

Classes and their hierarchy (for a node's main class), properties with their
labels and inverses (for edge labels and for merging a statement with its
inferred inverse), and the named graphs with the article each belongs to (for
the sources of every edge).  All of it is read with a handful of SPARQL
queries, so it works the same over a local store or a remote endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Source
from ..terms import Lit
from .labels import humanize, pick_label
from .namespaces import DCT, MLC, OWL, PROV, RDF, RDFS, SH, SKOS, SRC, local_name

if TYPE_CHECKING:
    from ..backends.base import Backend

__all__ = ["EXCLUDED_PREDICATES", "MATCH_PREDICATES", "SchemaInfo"]

MATCH_PREDICATES = frozenset(
    {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
)
_SCHEMA_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(SH), str(PROV))
#: Predicates that never become edges of the projection.
EXCLUDED_PREDICATES = frozenset({DCT.source, DCT.isPartOf, SKOS.inScheme, SKOS.topConceptOf})
_SCHEMA_TYPES = (
    OWL.Class,
    RDFS.Class,
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.Ontology,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    SH.NodeShape,
    SH.PropertyShape,
    MLC.Article,
    MLC.SourceSection,
    MLC.CuratedGraph,
    MLC.InferredGraph,
    SKOS.ConceptScheme,
)


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
    schema_nodes: set[str] = field(default_factory=set)
    articles: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, backend: Backend) -> SchemaInfo:
        """Read the vocabulary and the sources of the graph behind ``backend``."""
        info = cls()
        info._read_classes(backend)
        info._read_properties(backend)
        info._read_sources(backend)
        info._read_schema_nodes(backend)
        return info

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
            label = pick_label(lits)
            if label and not c.startswith("_:"):
                self.class_labels[c] = label
        for row in backend.select("SELECT ?c ?p WHERE { ?c rdfs:subClassOf ?p FILTER(isIRI(?p)) }"):
            self.class_parents.setdefault(row["c"], set()).add(row["p"])

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
        """The most general class of this graph's own vocabulary above ``cls_iri``."""
        ours = [c for c in self.ancestors(cls_iri) if c in self.class_labels]
        return ours[-1] if ours else cls_iri

    def class_iri(self, name: str) -> str | None:
        """The IRI of the graph's own class whose local name is ``name``, if there is one."""
        for iri in self.class_labels:
            if local_name(iri) == name:
                return iri
        return None

    def class_label(self, cls_iri: str) -> str:
        return self.class_labels.get(cls_iri) or humanize(local_name(cls_iri))

    # -- properties --------------------------------------------------------
    def _read_properties(self, backend: Backend) -> None:
        for row in backend.select(
            "SELECT ?p ?label WHERE { VALUES ?t { owl:ObjectProperty rdf:Property"
            " owl:SymmetricProperty owl:TransitiveProperty owl:DatatypeProperty }"
            " ?p a ?t . ?p skos:prefLabel|rdfs:label ?label }"
        ):
            label = row["label"]
            if isinstance(label, Lit) and label.lang in (None, "", "en"):
                self.property_labels.setdefault(row["p"], label.value)
        for row in backend.select("SELECT ?p ?q WHERE { ?p owl:inverseOf ?q }"):
            p, q = row["p"], row["q"]
            self.inverse[p], self.inverse[q] = q, p
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
        return self.property_labels.get(predicate) or humanize(local_name(predicate))

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
        """Whether statements with ``predicate`` become edges of the projection."""
        if predicate in EXCLUDED_PREDICATES:
            return False
        return not predicate.startswith(_SCHEMA_NAMESPACES)
