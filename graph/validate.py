"""Validate a graph: the SHACL shapes of the knowledge base plus integrity checks of our own.

The shapes (``ontology/shapes/*.ttl`` by default) run with pySHACL, without
inference, on an rdflib graph holding every statement of every named graph.
The integrity checks catch what the explorer relies on and SHACL says poorly:

- every endpoint of an edge has a label (else it shows as a bare name);
- every named graph holding edges says where it comes from (a section of an
  article, the curated or inferred graph, or a loaded file);
- no literal is empty;
- every class used with ``rdf:type`` and every property used on a concept is
  declared in the schema (warnings: the data may use a vocabulary on purpose).

A graph conforms when nothing is a Violation; warnings and infos are reported
but do not fail it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
from pyparsing import ParseBaseException
from rdflib.term import BNode, Literal, Node, URIRef

from .errors import BadInput, UnsafeInput
from .io.loading import DEFAULT_DATA_DIR, file_graph
from .sparql.guard import comp_names
from .terms import Lit, Quad, Term
from .vocab.labels import LABEL_PREDICATES
from .vocab.namespaces import DCT, OWL, PROV, RDF, RDFS, SH, SKOS, SRC, XSD, shorten
from .vocab.schema import MATCH_PREDICATES

__all__ = ["DEFAULT_SHAPES_DIR", "ValidationReport", "validate"]

DEFAULT_SHAPES_DIR = DEFAULT_DATA_DIR / "shapes"
_SEVERITIES = ("Violation", "Warning", "Info")
#: Vocabularies whose classes and properties need no declaration in our schema.
_STANDARD = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD, SH, SKOS, DCT, PROV))
_PROPERTY_TYPES = frozenset(
    {
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.SymmetricProperty,
        OWL.TransitiveProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.AsymmetricProperty,
    }
)
_CLASS_TYPES = frozenset({OWL.Class, RDFS.Class, RDFS.Datatype})
_MAX_TEXT_LINES = 200


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    ``results`` hold one dict per finding: ``focus`` (the node), ``path`` (the
    property, when there is one), ``message``, ``severity`` (``Violation``,
    ``Warning`` or ``Info``), ``shape`` (the SHACL shape, or the name of the
    integrity check) and ``value`` (the offending value, when there is one).
    """

    conforms: bool
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """How many results of each severity."""
        out = dict.fromkeys(_SEVERITIES, 0)
        for r in self.results:
            out[r["severity"]] = out.get(r["severity"], 0) + 1
        return out

    @property
    def text(self) -> str:
        """A readable report: a summary line, then one line per result, worst first."""
        counts = self.counts
        head = "conforms" if self.conforms else "does not conform"
        summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items())
        lines = [f"{head}: {summary}"]
        for r in self.results[:_MAX_TEXT_LINES]:
            where = shorten(r["focus"]) + (f" {shorten(r['path'])}" if r.get("path") else "")
            value = f" [{r['value']}]" if r.get("value") else ""
            lines.append(f"{r['severity']}: {where}: {r['message']}{value}")
        if len(self.results) > _MAX_TEXT_LINES:
            lines.append(f"... and {len(self.results) - _MAX_TEXT_LINES} more")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "counts": self.counts, "results": self.results}


def validate(
    kg: Any, *, shapes_dir: str | Path | None = None, inferred: bool = True
) -> ValidationReport:
    """Check ``kg`` against the SHACL shapes in ``shapes_dir`` and the integrity checks.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to check; every statement of every named graph is checked together.
    shapes_dir : str or Path, optional
        A folder of Turtle shapes files (``*.ttl``); ``ontology/shapes`` by default.
    inferred : bool
        Whether the statements of inferred graphs are checked too.

    Returns
    -------
    ValidationReport
        ``conforms`` is false when any result is a Violation.

    Raises
    ------
    BadInput
        ``shapes_dir`` is missing or a shapes file cannot be parsed.
    UnsafeInput
        A shape's SPARQL constraint holds ``SERVICE`` or ``FROM``.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> from graph.io.loading import RdfSource
    >>> import pyoxigraph as ox, tempfile
    >>> kg = tiny_graph()
    >>> report = validate(kg, shapes_dir=tempfile.mkdtemp())
    >>> report.conforms, report.counts["Violation"]
    (True, 0)
    """
    shapes = read_shapes(Path(shapes_dir) if shapes_dir is not None else DEFAULT_SHAPES_DIR)
    quads = [q for q in kg.backend.iter_quads() if inferred or not kg.is_inferred_graph(q.g)]
    results = shacl_results(data_graph(quads), shapes) + integrity_results(kg, quads)
    results.sort(key=lambda r: (_SEVERITIES.index(r["severity"]), r["shape"], r["focus"]))
    conforms = not any(r["severity"] == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results)


# -- SHACL -----------------------------------------------------------------------------------
def read_shapes(folder: Path) -> rdflib.Graph:
    """Every ``*.ttl`` file of ``folder`` in one shapes graph, parsed from bytes."""
    if not folder.is_dir():
        raise BadInput(f"no such folder of shapes: {folder}")
    shapes = rdflib.Graph()
    for file in sorted(folder.glob("*.ttl")):
        try:
            shapes.parse(data=file.read_bytes(), format="turtle", publicID=file.as_uri())
        except (SyntaxError, ValueError, ParseBaseException) as err:
            raise BadInput(f"cannot read the shapes file {file.name}: {err}") from err
    _refuse_remote_sparql(shapes)
    return shapes


def _refuse_remote_sparql(shapes: rdflib.Graph) -> None:
    """SHACL-SPARQL constraints run through rdflib: refuse any that would reach outside."""
    from rdflib.plugins.sparql.parser import parseQuery

    for predicate in (SH.select, SH.ask, SH.construct):
        for text in shapes.objects(None, URIRef(predicate)):
            try:
                names = set(comp_names(parseQuery(str(text))))
            except (ParseBaseException, RecursionError):
                continue  # pySHACL reports the malformed constraint itself
            if names & {"ServiceGraphPattern", "DatasetClause"}:
                raise UnsafeInput("a shape's SPARQL constraint uses SERVICE or FROM; refused")


def data_graph(quads: Iterable[Quad]) -> rdflib.Graph:
    """An rdflib graph holding every statement of ``quads`` once, whatever its named graph."""
    g = rdflib.Graph()
    for q in quads:
        g.add((_rdflib_term(q.s), URIRef(q.p), _rdflib_term(q.o)))
    return g


def _rdflib_term(term: Term) -> Node:
    """A plain term as an rdflib term; simple literals stay untyped, as Turtle parses them.

    >>> _rdflib_term(Lit("Python", "en", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"))
    rdflib.term.Literal('Python', lang='en')
    """
    if isinstance(term, Lit):
        if term.lang:
            return Literal(term.value, lang=term.lang)
        if term.datatype and term.datatype != XSD.string:
            return Literal(term.value, datatype=URIRef(term.datatype))
        return Literal(term.value)
    if term.startswith("_:"):
        return BNode(term[2:])
    return URIRef(term)


def shacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> list[dict[str, Any]]:
    """Run pySHACL (no inference, no imports) and turn its report graph into dicts."""
    if not len(shapes):
        return []
    import rdflib.plugins.sparql
    from pyshacl import validate as pyshacl_validate  # heavy; only when shapes are run

    # Shapes run SPARQL through rdflib, which would otherwise read FROM's files and URLs.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

    _, report, _ = pyshacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=True,
        allow_infos=True,
        do_owl_imports=False,
    )
    sh = rdflib.Namespace(str(SH))
    results = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        severity = report.value(node, sh.resultSeverity)
        results.append(
            {
                "focus": _text(report.value(node, sh.focusNode)),
                "path": _path_text(shapes, report, report.value(node, sh.resultPath)),
                "message": _text(report.value(node, sh.resultMessage))
                or "does not match its shape",
                "severity": _text(severity).removeprefix(str(SH)) or "Violation",
                "shape": _shape_text(shapes, report.value(node, sh.sourceShape)),
                "value": _text(report.value(node, sh.value)),
            }
        )
    return results


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _shape_text(shapes: rdflib.Graph, node: Node | None) -> str:
    """The shape's IRI; for a blank property shape, the IRI of the node shape holding it."""
    holder = shapes.value(None, URIRef(SH.property), node) if isinstance(node, BNode) else None
    if isinstance(holder, URIRef):
        return str(holder)
    return "(anonymous shape)" if node is None or isinstance(node, BNode) else str(node)


def _path_text(shapes: rdflib.Graph, report: rdflib.Graph, node: Node | None) -> str | None:
    """A property path in words: ``p``, ``^p``, ``p1 | p2``, ``p1 / p2``."""
    if node is None:
        return None
    if not isinstance(node, BNode):
        return str(node)
    sh = rdflib.Namespace(str(SH))
    for g in (report, shapes):
        inverse = g.value(node, sh.inversePath)
        if inverse is not None:
            return "^" + shorten(str(inverse))
        alternatives = g.value(node, sh.alternativePath)
        if alternatives is not None:
            members = rdflib.collection.Collection(g, alternatives)
            return " | ".join(shorten(str(p)) for p in members)
        if g.value(node, rdflib.RDF.first) is not None:
            return " / ".join(shorten(str(p)) for p in rdflib.collection.Collection(g, node))
    return "(complex path)"


# -- integrity checks ------------------------------------------------------------------------
@dataclass
class _Facts:
    """What the integrity checks need to know, gathered in one pass over the quads."""

    labelled: set[str] = field(default_factory=set)
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    edges: list[Quad] = field(default_factory=list)
    empty: list[Quad] = field(default_factory=list)
    predicates_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def gather(cls, quads: Iterable[Quad]) -> _Facts:
        facts = cls()
        labels = set(LABEL_PREDICATES)
        for q in quads:
            facts.predicates_of[q.s].add(q.p)
            if isinstance(q.o, Lit):
                if q.p in labels and q.o.value.strip():
                    facts.labelled.add(q.s)
                if not q.o.value.strip():
                    facts.empty.append(q)
            elif q.p == RDF.type:
                facts.types[q.s].add(q.o)
            else:
                facts.edges.append(q)
        return facts


def integrity_results(kg: Any, quads: Iterable[Quad]) -> list[dict[str, Any]]:
    """The findings of the integrity checks over ``quads`` (the statements of ``kg``)."""
    facts = _Facts.gather(quads)
    return [
        *_unlabelled_endpoints(kg, facts),
        *_undescribed_graphs(kg, facts),
        *_empty_literals(facts),
        *_undeclared_classes(facts),
        *_undeclared_properties(kg, facts),
    ]


def _finding(
    check: str,
    focus: str,
    message: str,
    *,
    severity: str = "Violation",
    path: str | None = None,
    value: str = "",
) -> dict[str, Any]:
    return {
        "focus": focus,
        "path": path,
        "message": message,
        "severity": severity,
        "shape": check,
        "value": value,
    }


def _is_edge(kg: Any, q: Quad) -> bool:
    """An edge whose ends must be named: mappings may point outside the graph."""
    return q.p not in MATCH_PREDICATES and kg.rules.joins_resources(q)


def _unlabelled_endpoints(kg: Any, facts: _Facts) -> list[dict[str, Any]]:
    missing: dict[str, str] = {}
    for q in facts.edges:
        if _is_edge(kg, q):
            for node in (q.s, q.o):
                if node not in facts.labelled and not node.startswith("_:"):
                    missing.setdefault(node, q.p)
    return [
        _finding(
            "label-of-edge-endpoint",
            node,
            "an edge ends here but the node has no label (skos:prefLabel or rdfs:label)",
            path=p,
        )
        for node, p in sorted(missing.items())
    ]


def _undescribed_graphs(kg: Any, facts: _Facts) -> list[dict[str, Any]]:
    described = set(kg.schema.sources) | {SRC.curated, SRC.inferred}
    seen: set[str] = set()
    out = []
    for q in facts.edges:
        g = q.g
        if g is None or g in described or g in seen or g.startswith(file_graph("")):
            continue
        if _is_edge(kg, q):
            seen.add(g)
            out.append(
                _finding(
                    "described-graph",
                    g,
                    "this named graph holds statements but does not say where they come from: "
                    "make it a mlc:SourceSection with dct:isPartOf an mlc:Article, "
                    "or a mlc:CuratedGraph or mlc:InferredGraph",
                )
            )
    return out


def _empty_literals(facts: _Facts) -> list[dict[str, Any]]:
    return [
        _finding("non-empty-literal", q.s, "this value is empty", path=q.p, value=repr(q.o.value))
        for q in facts.empty
    ]


def _declared(iri: str, facts: _Facts, kinds: frozenset[str]) -> bool:
    return iri.startswith(_STANDARD) or bool(facts.types.get(iri, set()) & kinds)


def _undeclared_classes(facts: _Facts) -> list[dict[str, Any]]:
    used = {c for classes in facts.types.values() for c in classes}
    return [
        _finding(
            "declared-class",
            c,
            "used as a class (rdf:type) but not declared as owl:Class in the schema",
            severity="Warning",
        )
        for c in sorted(used)
        if not c.startswith("_:") and not _declared(c, facts, _CLASS_TYPES)
    ]


def _undeclared_properties(kg: Any, facts: _Facts) -> list[dict[str, Any]]:
    schema_nodes = kg.schema.schema_nodes
    used: set[str] = set()
    for node, classes in facts.types.items():
        if node not in schema_nodes and classes - _CLASS_TYPES - _PROPERTY_TYPES:
            used |= facts.predicates_of.get(node, set())
    return [
        _finding(
            "declared-property",
            p,
            "used on a concept but not declared as a property in the schema",
            severity="Warning",
        )
        for p in sorted(used)
        if not _declared(p, facts, _PROPERTY_TYPES)
    ]
