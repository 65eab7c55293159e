"""RDF terms as plain Python values, the way they cross every boundary of the package.

An IRI is a ``str``, a blank node a ``str`` starting with ``_:``, a literal a
:class:`Lit`; a statement with its named graph is a :class:`Quad`.

>>> from_ox(ox.Literal("Python", language="en"))
Lit(value='Python', lang='en', datatype='http://www.w3.org/1999/02/22-rdf-syntax-ns#langString')
>>> to_ox("_:b0")
<BlankNode value=b0>
"""

from __future__ import annotations

from typing import NamedTuple

import pyoxigraph as ox

__all__ = ["STATEMENT_NODE", "Lit", "Quad", "Term", "from_ox", "statement_node", "to_ox"]

#: The IRIs that stand for RDF 1.2 triple terms, followed by a hash of the triple.
STATEMENT_NODE = "urn:mlcareer:statement:"


class Lit(NamedTuple):
    """A literal: its lexical value, language tag and datatype IRI."""

    value: str
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.value


Term = str | Lit


class Quad(NamedTuple):
    """A statement and the named graph it sits in (``None`` for the default graph)."""

    s: str
    p: str
    o: Term
    g: str | None


def from_ox(term: object) -> Term:
    """Turn a pyoxigraph term into a plain value."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return Lit(term.value, term.language, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.DefaultGraph) or term is None:
        return None  # type: ignore[return-value]
    if isinstance(term, ox.Triple):
        return statement_node(term)
    return str(term)


def statement_node(triple: ox.Triple) -> str:
    """The IRI that stands for an RDF 1.2 triple term: the same for the same triple.

    Uploads write a triple term as this node with ``rdf:subject``,
    ``rdf:predicate`` and ``rdf:object`` (see :mod:`graph.io.parse_worker`).

    >>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    >>> statement_node(ox.Triple(a, p, a)).startswith(STATEMENT_NODE)
    True
    """
    import hashlib

    return STATEMENT_NODE + hashlib.sha256(str(triple).encode("utf-8")).hexdigest()[:24]


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Turn a plain value back into a pyoxigraph term."""
    if isinstance(term, Lit):
        if term.lang:
            return ox.Literal(term.value, language=term.lang)
        if term.datatype:
            return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term.value)
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    return ox.NamedNode(term)
