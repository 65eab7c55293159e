"""Everything known about one node, as ``show`` prints it and the app's panel draws it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Edge, Node

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

__all__ = ["NodeDetails"]


@dataclass(frozen=True)
class NodeDetails:
    """Everything known about one node: what ``show`` prints."""

    node: Node
    aliases: tuple[str, ...]
    definition: str | None
    attributes: dict[str, list[str]]
    matches: tuple[tuple[str, str], ...]
    edges: tuple[Edge, ...]

    def to_dict(self, kg: KnowledgeGraph) -> dict[str, Any]:
        relations = []
        for edge in self.edges:
            other = kg.node(edge.other(self.node.id))
            relations.append(
                {
                    "predicate": edge.predicate,
                    "label": edge.label,
                    "direction": edge.direction_from(self.node.id),
                    "target": other.to_dict(),
                    "inferred": edge.inferred,
                    "sources": [s.to_dict() for s in edge.sources],
                }
            )
        return {
            **self.node.to_dict(),
            "type_label": self.node.type_label,
            "classes": list(self.node.classes),
            "aliases": list(self.aliases),
            "definition": self.definition,
            "attributes": self.attributes,
            "matches": [{"predicate": p, "target": t} for p, t in self.matches],
            "relations": relations,
        }
