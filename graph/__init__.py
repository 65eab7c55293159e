"""Explore the ML-career knowledge graph: load, search, neighbourhoods, paths, SPARQL, export.

>>> import graph
>>> kg = graph.load()                      # the embedded knowledge base   # doctest: +SKIP
>>> graph.search(kg, "pyhton")[0].label                                    # doctest: +SKIP
'Python'

Importing the package loads nothing heavy: each public name below is imported
from its module the first time it is used (rdflib, numpy, networkx and
pySHACL come in only with the features that need them).  The layers, bottom
up: :mod:`graph.terms` and :mod:`graph.model`, :mod:`graph.vocab`,
:mod:`graph.backends`, :mod:`graph.core`, then :mod:`graph.query`,
:mod:`graph.sparql`, :mod:`graph.io`, :mod:`graph.validate` and
:mod:`graph.cli`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> the module that defines it.
_EXPORTS = {
    "AmbiguousName": "graph.errors",
    "BadInput": "graph.errors",
    "GraphError": "graph.errors",
    "LimitExceeded": "graph.errors",
    "NodeNotFound": "graph.errors",
    "NoPath": "graph.errors",
    "NothingFound": "graph.errors",
    "QuerySyntaxError": "graph.errors",
    "QueryTimeout": "graph.errors",
    "RDFSyntaxError": "graph.errors",
    "TooLarge": "graph.errors",
    "UnknownQuestion": "graph.errors",
    "UnsafeInput": "graph.errors",
    "UnsafeQuery": "graph.errors",
    "Edge": "graph.model",
    "Node": "graph.model",
    "Path": "graph.model",
    "Source": "graph.model",
    "check_endpoint_allowed": "graph.backends.http",
    "KnowledgeGraph": "graph.core.kg",
    "NodeDetails": "graph.core.kg",
    "load": "graph.core.kg",
    "seen_as": "graph.core.choice",
    "RdfSource": "graph.io.loading",
    "detect_format": "graph.io.loading",
    "ExportFormat": "graph.io.export",
    "export": "graph.io.export",
    "Selection": "graph.io.selection",
    "to_networkx": "graph.io.projection",
    "network_html": "graph.io.page",
    "view_spec": "graph.io.view",
    "Comparison": "graph.query.compare",
    "compare": "graph.query.compare",
    "Neighbourhood": "graph.query.neighbors",
    "neighbors": "graph.query.neighbors",
    "PathResult": "graph.query.paths",
    "find_paths": "graph.query.paths",
    "ask": "graph.query.questions",
    "Interpretation": "graph.query.questions",
    "read_question": "graph.query.questions",
    "Mention": "graph.query.mentions",
    "find_mentions": "graph.query.mentions",
    "SearchResult": "graph.query.search",
    "search": "graph.query.search",
    "QueryResult": "graph.sparql.run",
    "run_query": "graph.sparql.run",
}

__all__ = [
    "AmbiguousName",
    "BadInput",
    "Comparison",
    "Edge",
    "ExportFormat",
    "GraphError",
    "Interpretation",
    "KnowledgeGraph",
    "LimitExceeded",
    "Mention",
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
    "check_endpoint_allowed",
    "compare",
    "detect_format",
    "export",
    "find_mentions",
    "find_paths",
    "load",
    "neighbors",
    "network_html",
    "read_question",
    "run_query",
    "search",
    "seen_as",
    "to_networkx",
    "view_spec",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from .backends.http import check_endpoint_allowed
    from .core.choice import seen_as
    from .core.kg import KnowledgeGraph, NodeDetails, load
    from .errors import (
        AmbiguousName,
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
    from .io.page import network_html
    from .io.projection import to_networkx
    from .io.selection import Selection
    from .io.view import view_spec
    from .model import Edge, Node, Path, Source
    from .query.compare import Comparison, compare
    from .query.mentions import Mention, find_mentions
    from .query.neighbors import Neighbourhood, neighbors
    from .query.paths import PathResult, find_paths
    from .query.questions import Interpretation, ask, read_question
    from .query.search import SearchResult, search
    from .sparql.run import QueryResult, run_query
