"""The SPARQL console: read-only queries with a time limit, a row limit and a memory cap.

- :mod:`~graph.sparql.guard`: what is refused before anything runs (updates,
  ``SERVICE``, ``FROM``), and the position of a syntax error;
- :mod:`~graph.sparql.run`: running a checked query on a graph's backend;
- :mod:`~graph.sparql.formats`: the result as a table, CSV, TSV, JSON, Turtle;
- :mod:`~graph.sparql.gallery`: the ready-made queries of ``ontology/queries``.
"""

from __future__ import annotations

from .formats import ResultFormat, format_result
from .gallery import DEFAULT_QUERIES_DIR, GalleryQuery, gallery
from .guard import MAX_QUERY_CHARS, QueryForm, check_query, normalize_query
from .run import (
    DEFAULT_MAX_ROWS,
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIMEOUT,
    QueryResult,
    run_query,
    stop_workers,
)

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_QUERIES_DIR",
    "DEFAULT_TIMEOUT",
    "MAX_QUERY_CHARS",
    "GalleryQuery",
    "QueryForm",
    "QueryResult",
    "ResultFormat",
    "check_query",
    "format_result",
    "gallery",
    "normalize_query",
    "run_query",
    "stop_workers",
]
