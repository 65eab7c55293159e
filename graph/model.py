"""The small value types the package returns: nodes, edges, sources, paths.

They are plain frozen dataclasses with a ``to_dict`` for ``--json`` output, so
the command line, the app and the tests all see the same shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Edge", "Node", "Path", "Source"]

Direction = Literal["out", "in"]


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: a named graph and what it belongs to.

    ``source`` is the article (or file) the graph is part of, ``kind`` one of
    ``article``, ``curated``, ``inferred`` or ``file``.
    """

    graph: str
    source: str
    label: str
    locator: str | None = None
    kind: str = "file"

    def to_dict(self) -> dict[str, Any]:
        return {
            "graph": self.graph,
            "source": self.source,
            "label": self.label,
            "locator": self.locator,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Node:
    """A resource of the graph: IRI, label, main class and all its classes."""

    id: str
    label: str
    type: str
    classes: tuple[str, ...] = ()
    type_label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "type": self.type}


@dataclass(frozen=True)
class Edge:
    """A statement whose object is a resource, with the sources that state it."""

    source: str
    target: str
    predicate: str
    label: str
    sources: tuple[Source, ...] = ()
    inferred: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.predicate, self.target)

    def other(self, node: str) -> str:
        """The end of the edge that is not ``node``."""
        return self.target if node == self.source else self.source

    def direction_from(self, node: str) -> Direction:
        """``out`` when the edge leaves ``node``, ``in`` when it arrives."""
        return "out" if node == self.source else "in"

    @property
    def articles(self) -> tuple[str, ...]:
        """The distinct articles among the sources."""
        return tuple(sorted({s.source for s in self.sources if s.kind == "article"}))

    def to_dict(self, *, start: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "predicate": self.predicate,
            "label": self.label,
            "inferred": self.inferred,
            "sources": [s.to_dict() for s in self.sources],
        }
        if start is not None:
            data["direction"] = "forward" if start == self.source else "backward"
        return data


@dataclass(frozen=True)
class Path:
    """A path: its nodes in order and the edge joining each consecutive pair."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.edges)

    @property
    def support(self) -> int:
        """How many (edge, article) pairs back the path: more is better attested."""
        return sum(len(e.articles) or (0 if e.inferred else 1) for e in self.edges)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict(start=n.id) for n, e in zip(self.nodes, self.edges, strict=False)],
            "length": len(self.edges),
            "support": self.support,
        }
