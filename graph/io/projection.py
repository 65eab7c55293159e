"""The networkx projection: resources as nodes, relations as typed edges with their sources.

Node ids are IRIs.  A node carries ``label``, ``type`` (its main class),
``type_label``, ``classes``, ``definition``, ``aliases`` and any other literal
values under their property labels.  Edges are keyed by predicate IRI and carry
``predicate``, ``label``, ``sources`` (readable source names), ``source_graphs``
(named graph IRIs) and ``inferred``.

networkx is imported only when a projection is made, so ``import graph`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import NodeNotFound
from ..model import Edge, Node
from .words import source_text

if TYPE_CHECKING:
    import networkx as nx

    from ..core.kg import KnowledgeGraph
    from .selection import Selection

__all__ = ["edge_attributes", "flatten", "node_attributes", "to_networkx"]

#: Keys every node has; literal values whose property label clashes are left out.
NODE_KEYS = ("label", "type", "type_label", "classes", "definition", "aliases")


def node_attributes(kg: KnowledgeGraph, node: Node) -> dict[str, Any]:
    """The attributes of ``node`` in the projection (lists stay lists)."""
    data: dict[str, Any] = {
        "label": node.label,
        "type": node.type,
        "type_label": node.type_label,
        "classes": list(node.classes),
        "definition": None,
        "aliases": [],
    }
    try:
        details = kg.details(node.id)
    except NodeNotFound:
        return data  # a resource the graph says nothing about (e.g. from a CONSTRUCT)
    data["definition"] = details.definition
    data["aliases"] = list(details.aliases)
    for key, values in details.attributes.items():
        if key not in data:
            data[key] = values[0] if len(values) == 1 else list(values)
    return data


def edge_attributes(edge: Edge) -> dict[str, Any]:
    """The attributes of ``edge`` in the projection.

    >>> edge_attributes(Edge("a", "b", "http://e/p", "p"))["sources"]
    []
    """
    return {
        "predicate": edge.predicate,
        "label": edge.label,
        "sources": list(dict.fromkeys(source_text(s) for s in edge.sources)),
        "source_graphs": sorted({s.graph for s in edge.sources if s.graph}),
        "inferred": edge.inferred,
    }


def to_networkx(
    kg: KnowledgeGraph, selection: Selection | None = None, *, flat: bool = False
) -> nx.MultiDiGraph:
    """The selection (by default the whole projection) as a networkx multigraph.

    Parameters
    ----------
    kg : KnowledgeGraph
    selection : Selection, optional
        What to project; ``None`` for every node and edge of the graph.
    flat : bool
        Join list values with ``"; "`` and write missing values as ``""``, as
        GraphML and GEXF need.

    Returns
    -------
    networkx.MultiDiGraph
        Node id = IRI; edge key = predicate IRI.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> G = to_networkx(kg)
    >>> G.nodes["http://example.org/python"]["label"]
    'Python'
    >>> [(d["label"], d["sources"]) for _, _, d in G.edges(data=True)]
    [('uses tool', ['tiny.ttl'])]
    """
    import networkx as nx

    from .selection import Selection

    if selection is None:
        selection = Selection.everything(kg)
    G = nx.MultiDiGraph()
    for node in selection.nodes:
        G.add_node(node.id, **node_attributes(kg, node))
    for edge in selection.edges:
        for end in (edge.source, edge.target):
            if end not in G:
                G.add_node(end, **node_attributes(kg, kg.node(end)))
        G.add_edge(edge.source, edge.target, key=edge.predicate, **edge_attributes(edge))
    return flatten(G) if flat else G


def flatten(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attribute values are plain strings, numbers or booleans.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", classes=["Tool", "Concept"], definition=None)
    >>> flatten(G).nodes["a"]
    {'classes': 'Tool; Concept', 'definition': ''}
    """
    H = G.copy()
    for _, data in H.nodes(data=True):
        data.update({k: _flat(v) for k, v in data.items()})
    for _, _, data in H.edges(data=True):
        data.update({k: _flat(v) for k, v in data.items()})
    return H


def _flat(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)
