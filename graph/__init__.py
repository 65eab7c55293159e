"""Explore the ML-career knowledge graph: load, search, neighbourhoods, paths, SPARQL, export.

>>> import graph
>>> kg = graph.load()                      # the embedded knowledge base   # doctest: +SKIP
>>> graph.search(kg, "pyhton")[0].label                                    # doctest: +SKIP
'Python'
"""

from .core.kg import KnowledgeGraph, NodeDetails, load
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
from .io.export import ExportFormat, export
from .io.loading import RdfSource, detect_format
from .io.projection import to_networkx
from .io.selection import Selection
from .io.view import network_html, view_spec
from .model import Edge, Node, Path, Source
from .query.compare import Comparison, compare
from .query.neighbors import Neighbourhood, neighbors
from .query.paths import PathResult, find_paths
from .query.questions import ask
from .query.search import SearchResult, search
from .sparql import QueryResult, run_query

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
