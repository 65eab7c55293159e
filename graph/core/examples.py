"""A tiny graph for the examples in docstrings.

>>> kg = tiny_graph()
>>> kg.node("http://example.org/python").label
'Python'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

__all__ = ["TINY", "tiny_graph"]

TINY = b"""
@prefix ex: <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:python skos:prefLabel "Python"@en .
ex:coding skos:prefLabel "Programming"@en ; ex:usesTool ex:python .
"""


def tiny_graph() -> KnowledgeGraph:
    """A graph of two nodes and one edge: Programming uses tool Python."""
    import pyoxigraph as ox

    from ..io.loading import RdfSource
    from .kg import KnowledgeGraph

    source = RdfSource("tiny.ttl", TINY, ox.RdfFormat.TURTLE, trusted=True)  # our own text
    return KnowledgeGraph.from_sources([source])
