"""Explore the ML-career knowledge graph: load, search, neighbourhoods, paths, SPARQL, export.

>>> import graph
>>> kg = graph.load()                      # the embedded knowledge base   # doctest: +SKIP
>>> graph.search(kg, "pyhton")[0].label                                    # doctest: +SKIP
'Python'
"""

from .compare import Comparison, compare
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
from .export import ExportFormat, export
from .kg import KnowledgeGraph, NodeDetails, load
from .loading import RdfSource, detect_format
from .model import Edge, Node, Path, Source
from .neighbors import Neighbourhood, neighbors
from .paths import PathResult, find_paths
from .projection import to_networkx
from .questions import ask
from .search import SearchResult, search
from .selection import Selection
from .sparql import QueryResult, run_query
from .view import network_html, view_spec

__all__ = [
    "BadInput",
    "Comparison",
    "Edge",
    "ExportFormat",
    "GraphError",
    "KnowledgeGraph",
    "LimitExceeded",
    "Neighbourhood",
    "NoPath",
    "Node",
    "NodeDetails",
    "NodeNotFound",
    "NothingFound",
    "Path",
    "PathResult",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "RDFSyntaxError",
    "RdfSource",
    "SearchResult",
    "Selection",
    "Source",
    "TooLarge",
    "UnknownQuestion",
    "UnsafeInput",
    "UnsafeQuery",
    "ask",
    "compare",
    "detect_format",
    "export",
    "find_paths",
    "load",
    "neighbors",
    "network_html",
    "run_query",
    "search",
    "to_networkx",
    "view_spec",
]
