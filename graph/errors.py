"""Exceptions raised by the explorer, and the exit code each maps to.

Every error the package raises derives from :class:`GraphError`.  The command
line turns them into one line on stderr and a documented exit code:

- 1: nothing found (:class:`NothingFound`: no match, no path);
- 2: bad input (:class:`BadInput`: unknown node, malformed query or file);
- 3: a limit was hit (:class:`LimitExceeded`: time, rows, size).
"""

from __future__ import annotations

__all__ = [
    "AmbiguousName",
    "BadInput",
    "EndpointError",
    "EndpointTimeout",
    "GraphError",
    "LimitExceeded",
    "NoPath",
    "NodeNotFound",
    "NothingFound",
    "QuerySyntaxError",
    "QueryTimeout",
    "RDFSyntaxError",
    "StoreDamaged",
    "TooLarge",
    "UnknownQuestion",
    "UnsafeInput",
    "UnsafeQuery",
]


class GraphError(Exception):
    """Base class of every error the package raises."""

    exit_code = 2


class BadInput(GraphError):
    """The user's input cannot be used: a usage error, malformed data or query."""

    exit_code = 2


class NothingFound(GraphError):
    """The input was understood but nothing matches it."""

    exit_code = 1


class LimitExceeded(GraphError):
    """A time, row or size limit stopped the work."""

    exit_code = 3


class RDFSyntaxError(BadInput):
    """An RDF file could not be parsed; names the file and, when known, the line."""

    def __init__(self, name: str, message: str, line: int | None = None) -> None:
        self.name = name
        self.line = line
        self.detail = message
        where = f"{name}, line {line}" if line else name
        super().__init__(f"cannot read {where}: {message}")


class UnsafeInput(BadInput):
    """Input refused before parsing because parsing it could do harm."""


class StoreDamaged(GraphError):
    """A persistent store's files are damaged; it is rebuilt from its sources on the next run."""


class TooLarge(LimitExceeded):
    """An upload or file is larger than the size cap."""


class NodeNotFound(BadInput):
    """No node matches the text the user gave; carries suggestions."""

    def __init__(self, text: str, suggestions: list[str] | None = None) -> None:
        self.text = text
        self.suggestions = list(suggestions or [])
        message = f"no node matches {text!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(self.suggestions) + "?"
        else:
            message += "; no name shares a word with it: try another word for it"
        super().__init__(message)


class AmbiguousName(BadInput):
    """A name that several nodes have equally; carries them as ``(IRI, "label (type)")``."""

    def __init__(self, text: str, candidates: list[tuple[str, str]]) -> None:
        self.text = text
        self.candidates = list(candidates)
        names = "; ".join(f"{shown} <{iri}>" for iri, shown in self.candidates)
        super().__init__(f"{text!r} names several nodes: {names}; give the IRI of the one meant")


class UnknownQuestion(BadInput):
    """A plain-words question whose phrasing is not understood."""


class NoPath(NothingFound):
    """The two nodes are not connected within the constraints given."""


class QuerySyntaxError(BadInput):
    """A SPARQL query could not be parsed; carries line and column when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        self.detail = message
        where = f" at line {line}, column {column}" if line else ""
        super().__init__(f"malformed SPARQL{where}: {message}")


class UnsafeQuery(BadInput):
    """A SPARQL query refused by the guard (update, SERVICE, FROM)."""


class QueryTimeout(LimitExceeded):
    """A query ran past its time limit and was stopped."""


class EndpointError(BadInput):
    """A remote SPARQL endpoint refused the address, could not be reached or failed."""


class EndpointTimeout(EndpointError, QueryTimeout):
    """A remote SPARQL endpoint did not answer within the deadline."""

    exit_code = 3
