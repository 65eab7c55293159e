"""Explore the ML-career knowledge graph: load, search, neighbourhoods, paths, SPARQL, export.

>>> import graph
>>> kg = graph.load()                      # the embedded knowledge base   # doctest: +SKIP
>>> graph.search(kg, "pyhton")[0].label                                    # doctest: +SKIP
'Python'
"""

from .errors import (
    BadInput,
    GraphError,
    LimitExceeded,
    NodeNotFound,
    NoPath,
    NothingFound,
    QuerySyntaxError,
    QueryTimeout,
    RDFSyntaxError,
    TooLarge,
    UnknownQuestion,
    UnsafeInput,
    UnsafeQuery,
)
from .kg import KnowledgeGraph, NodeDetails, load
from .loading import RdfSource, detect_format
from .model import Edge, Node, Path, Source
from .search import SearchResult, search

__all__ = [
    "BadInput",
    "Edge",
    "GraphError",
    "KnowledgeGraph",
    "LimitExceeded",
    "NoPath",
    "Node",
    "NodeDetails",
    "NodeNotFound",
    "NothingFound",
    "Path",
    "QuerySyntaxError",
    "QueryTimeout",
    "RDFSyntaxError",
    "RdfSource",
    "SearchResult",
    "Source",
    "TooLarge",
    "UnknownQuestion",
    "UnsafeInput",
    "UnsafeQuery",
    "detect_format",
    "load",
    "search",
]
