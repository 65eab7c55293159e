"""What the standard vocabularies mean, known without the data declaring it.

SKOS, RDFS and OWL say which of their properties are inverse or symmetric,
which build the schema, and Dublin Core, PROV and SKOS which record who made
or changed something.  The explorer reads them this way in any graph: a
thesaurus's ``skos:broader`` and ``skos:narrower`` are one edge, a class's
``rdfs:subClassOf`` is an edge when the schema is shown, and an editor named
by ``dct:contributor`` is an attribute of what they edited, not a way through
the graph.

>>> STANDARD_INVERSES[SKOS.broader] == SKOS.narrower
True
"""

from __future__ import annotations

from .labels import DC
from .namespaces import DCT, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, Namespace

__all__ = [
    "CLASS_TYPES",
    "COMMON_PREFIXES",
    "METADATA_PREDICATES",
    "PROPERTY_TYPES",
    "SCHEMA_EDGE_PREDICATES",
    "STANDARD_INVERSES",
    "STANDARD_SYMMETRIC",
    "UNIVERSAL_CLASSES",
]

FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA_HTTP = Namespace("http://schema.org/")

#: Pairs of inverse properties (each way round).
STANDARD_INVERSES: dict[str, str] = {}
for _p, _q in (
    (SKOS.broader, SKOS.narrower),
    (SKOS.broaderTransitive, SKOS.narrowerTransitive),
    (SKOS.broadMatch, SKOS.narrowMatch),
    (SKOS.hasTopConcept, SKOS.topConceptOf),
    (DCT.hasPart, DCT.isPartOf),
):
    STANDARD_INVERSES[_p], STANDARD_INVERSES[_q] = _q, _p

#: Properties that read the same both ways.
STANDARD_SYMMETRIC = frozenset(
    {
        SKOS.related,
        SKOS.relatedMatch,
        SKOS.exactMatch,
        SKOS.closeMatch,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.disjointWith,
        OWL.sameAs,
        OWL.inverseOf,
    }
)

#: Statements that build a schema: edges between classes and properties when the schema shows.
SCHEMA_EDGE_PREDICATES = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.disjointWith,
        OWL.inverseOf,
        SCHEMA.domainIncludes,
        SCHEMA.rangeIncludes,
        SCHEMA_HTTP.domainIncludes,
        SCHEMA_HTTP.rangeIncludes,
    }
)

#: Who made, edited or published a resource, and its change notes: attributes, never paths.
METADATA_PREDICATES = frozenset(
    {
        DCT.creator,
        DCT.contributor,
        DCT.publisher,
        DCT.rightsHolder,
        DCT.license,
        DCT.rights,
        DC.creator,
        DC.contributor,
        DC.publisher,
        DC.rights,
        FOAF.maker,
        SKOS.changeNote,
        SKOS.editorialNote,
        SKOS.historyNote,
        OWL.imports,
        OWL.versionIRI,
        OWL.priorVersion,
        SCHEMA_HTTP.creator,
        SCHEMA_HTTP.contributor,
        SCHEMA.creator,
        SCHEMA.contributor,
    }
)

#: Types that make a resource a class, or a property.
CLASS_TYPES = frozenset({OWL.Class, RDFS.Class, RDFS.Datatype})
PROPERTY_TYPES = frozenset(
    {
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.AsymmetricProperty,
    }
)

#: Classes above everything: never a node's main class.
UNIVERSAL_CLASSES = frozenset(
    {OWL.Thing, RDFS.Resource, SCHEMA.Thing, SCHEMA_HTTP.Thing, PROV.Entity}
)

#: Prefixes understood in ``--type``, ``--predicate`` and node names, besides the project's.
COMMON_PREFIXES = {
    "foaf": str(FOAF),
    "dc": str(DC),
    "dcterms": str(DCT),
    "sdo": str(SCHEMA_HTTP),
    "schemaorg": str(SCHEMA_HTTP),
    "brick": "https://brickschema.org/schema/Brick#",
    "qudt": "http://qudt.org/schema/qudt/",
    "sosa": "http://www.w3.org/ns/sosa/",
    "ssn": "http://www.w3.org/ns/ssn/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "dbo": "http://dbpedia.org/ontology/",
    "wd": "http://www.wikidata.org/entity/",
}
