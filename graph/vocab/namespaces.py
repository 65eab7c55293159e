"""Namespaces and the prefixes every SPARQL query gets pre-declared.

>>> MLC.Role
'https://w3id.org/mlcareer/ontology#Role'
>>> shorten("https://w3id.org/mlcareer/id/Python")
'ml:Python'
>>> expand("ml:Python")
'https://w3id.org/mlcareer/id/Python'
"""

from __future__ import annotations

import re

__all__ = [
    "ML",
    "MLC",
    "PREFIXES",
    "SRC",
    "Namespace",
    "expand",
    "expand_name",
    "local_name",
    "names_a_node",
    "shorten",
]


class Namespace:
    """An IRI prefix whose attributes are IRIs: ``MLC.Role``.

    Not a ``str`` subclass on purpose: ``DCT.title`` must be an IRI, not ``str.title``.
    """

    __slots__ = ("iri",)

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.iri + name

    def __str__(self) -> str:
        return self.iri

    def __repr__(self) -> str:
        return f"Namespace({self.iri!r})"

    def term(self, name: str) -> str:
        """The IRI ``self + name`` (for names that are not identifiers)."""
        return self.iri + name


MLC = Namespace("https://w3id.org/mlcareer/ontology#")
ML = Namespace("https://w3id.org/mlcareer/id/")
SRC = Namespace("https://w3id.org/mlcareer/source/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SCHEMA = Namespace("https://schema.org/")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ESCO = Namespace("http://data.europa.eu/esco/model#")
SARO = Namespace("http://w3id.org/saro#")

PREFIXES: dict[str, str] = {
    "mlc": str(MLC),
    "ml": str(ML),
    "src": str(SRC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "dct": str(DCT),
    "prov": str(PROV),
    "sh": str(SH),
    "esco": str(ESCO),
    "saro": str(SARO),
}


def shorten(iri: str) -> str:
    """Write ``iri`` with a known prefix when one fits, else return it unchanged."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return iri


def expand(name: str) -> str:
    """Turn ``prefix:local`` into a full IRI; other text is returned unchanged."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def names_a_node(text: str) -> bool:
    """Whether ``text`` is written as a node is: an absolute IRI of any scheme, or ``_:id``.

    >>> names_a_node("tag:example.org,2024:x"), names_a_node("urn:x"), names_a_node("_:b0")
    (True, True, True)
    >>> names_a_node("data scientist"), names_a_node("Python")
    (False, False)
    """
    return _NODE_NAME.match(text) is not None


_NODE_NAME = re.compile(r"(?:_:|[A-Za-z][A-Za-z0-9+.-]*:)[^\s<>\"{}|\\^`]+\Z")


def expand_name(name: str) -> str:
    """Like :func:`expand`, with the common prefixes of other vocabularies too.

    >>> expand_name("foaf:name"), expand_name("skos:Concept")
    ('http://xmlns.com/foaf/0.1/name', 'http://www.w3.org/2004/02/skos/core#Concept')
    """
    from .standard import COMMON_PREFIXES

    prefix, sep, local = name.partition(":")
    if sep and prefix in COMMON_PREFIXES and prefix not in PREFIXES and not local.startswith("//"):
        return COMMON_PREFIXES[prefix] + local
    return expand(name)


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``#``, ``/`` or ``:``.

    >>> local_name("https://w3id.org/mlcareer/ontology#requiresSkill")
    'requiresSkill'
    """
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri
