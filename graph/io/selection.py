"""What the user is looking at: a set of nodes and edges, and the statements behind them.

A :class:`Selection` is what every export and the graph view take: a
neighbourhood, some paths, the result of a CONSTRUCT or DESCRIBE query, or the
whole graph.  :meth:`Selection.quads` gives the RDF statements behind it with
their named graphs, so an export to TriG or N-Quads keeps where each statement
comes from, together with the description of those sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..model import Edge, Node, Path
from ..terms import Lit, Quad, Term, from_ox
from ..vocab.labels import LABEL_PREDICATES
from ..vocab.namespaces import DCT, RDF

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from ..query.neighbors import Neighbourhood
    from ..query.paths import PathResult

__all__ = ["Selection"]

Triple = tuple[Term, str, Term]
EdgeDirection = Literal["forward", "backward", ""]


@dataclass
class Selection:
    """Nodes and edges being looked at, and optionally the raw statements they came from.

    Parameters
    ----------
    nodes : list of Node
    edges : list of Edge
        Every edge's two ends should be among ``nodes``.
    triples : list of (subject, predicate, object), optional
        The statements as given (a CONSTRUCT result); when set, :meth:`quads`
        returns them instead of looking statements up in the graph.
    focus : str, optional
        The IRI of the node the view is centred on.
    paths : list of Path
        Paths to highlight and to read edge directions along.
    title : str
        A short description for headings and file names.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> sel = Selection.everything(kg)
    >>> sorted(n.label for n in sel.nodes), [e.label for e in sel.edges]
    (['Programming', 'Python'], ['uses tool'])
    >>> len(sel.quads(kg))   # the edge and the two labels
    3
    """

    nodes: list[Node]
    edges: list[Edge]
    triples: list[Triple] | None = None
    focus: str | None = None
    paths: list[Path] = field(default_factory=list)
    title: str = ""

    # -- constructors ------------------------------------------------------------
    @classmethod
    def from_neighbourhood(cls, nb: Neighbourhood) -> Selection:
        """The nodes and edges of a :class:`~graph.query.neighbors.Neighbourhood`."""
        return cls(
            nodes=[nb.center, *nb.nodes],
            edges=list(nb.edges),
            focus=nb.center.id,
            title=f"Neighbourhood of {nb.center.label}",
        )

    @classmethod
    def from_paths(cls, result: PathResult | Sequence[Path]) -> Selection:
        """Every node and edge of some paths (a :class:`~graph.query.paths.PathResult` or list)."""
        paths = list(getattr(result, "paths", result))
        nodes: dict[str, Node] = {}
        edges: dict[tuple[str, str, str], Edge] = {}
        for path in paths:
            nodes.update((n.id, n) for n in path.nodes)
            edges.update((e.key, e) for e in path.edges)
        title = ""
        if paths and paths[0].nodes:
            first = paths[0].nodes
            title = f"Paths from {first[0].label} to {first[-1].label}"
        return cls(list(nodes.values()), list(edges.values()), paths=paths, title=title)

    @classmethod
    def from_triples(cls, kg: KnowledgeGraph, triples: Iterable[Sequence[Any]]) -> Selection:
        """The graph drawn by CONSTRUCT or DESCRIBE output.

        Subjects and resource objects become nodes; statements whose object is a
        resource (``rdf:type`` aside) become edges, with their sources when the
        graph holds the same statement.  Terms may be plain values
        (:data:`~graph.backends.base.Term`) or pyoxigraph terms.
        """
        plain = [_plain_triple(t) for t in triples]
        node_ids: dict[str, None] = {}
        edges: dict[tuple[str, str, str], Edge] = {}
        for s, p, o in plain:
            if isinstance(s, str):
                node_ids.setdefault(s)
            if isinstance(s, str) and isinstance(o, str) and p != RDF.type:
                node_ids.setdefault(o)
                edges.setdefault((s, p, o), _known_edge(kg, s, p, o))
        nodes = [kg.node(n) for n in node_ids]
        return cls(nodes, list(edges.values()), triples=plain, title="Query result")

    @classmethod
    def everything(cls, kg: KnowledgeGraph, *, inferred: bool = True) -> Selection:
        """Every node and edge of the projection: resources with a label or a relation."""
        subjects: dict[str, bool] = {}
        labels = set(LABEL_PREDICATES)
        for q in kg.backend.iter_quads():
            has_label = q.p in labels and isinstance(q.o, Lit)
            subjects[q.s] = subjects.get(q.s, False) or has_label
        schema_nodes = kg.schema.schema_nodes
        node_ids: dict[str, None] = {}
        edges: dict[tuple[str, str, str], Edge] = {}
        for s, labelled in subjects.items():
            if s in schema_nodes:
                continue
            found = kg.edges(s, inferred=inferred) if kg.has_node(s) else []
            if labelled or found:
                node_ids.setdefault(s)
            for edge in found:
                node_ids.setdefault(edge.source)
                node_ids.setdefault(edge.target)
                edges.setdefault(edge.key, edge)
        return cls([kg.node(n) for n in node_ids], list(edges.values()), title="Whole graph")

    # -- reading -------------------------------------------------------------------
    def node_ids(self) -> set[str]:
        """The IRIs of the selected nodes."""
        return {n.id for n in self.nodes}

    def path_edge_keys(self) -> set[tuple[str, str, str]]:
        """The keys of the edges that lie on one of :attr:`paths`."""
        return {e.key for p in self.paths for e in p.edges}

    def edge_direction(self, edge: Edge) -> EdgeDirection:
        """``forward`` when ``edge`` points along a path or away from the focus.

        ``backward`` when it points against, ``""`` when it touches neither.

        >>> e = Edge("http://e/a", "http://e/b", "http://e/p", "p")
        >>> Selection([], [e], focus="http://e/b").edge_direction(e)
        'backward'
        """
        for path in self.paths:
            for start, step in zip(path.nodes, path.edges, strict=False):
                if step.key == edge.key:
                    return "forward" if start.id == edge.source else "backward"
        if self.focus in (edge.source, edge.target):
            return "forward" if self.focus == edge.source else "backward"
        return ""

    # -- statements ------------------------------------------------------------------
    def quads(self, kg: KnowledgeGraph) -> list[Quad]:
        """The RDF statements behind the selection, each in its named graph.

        Each edge's statement in each graph that states it; each node's literal
        statements (labels, definitions, values) and its types; and the
        description of every source graph used, with the article it belongs to.
        A selection made from triples returns them as they are, in the default graph.
        """
        if self.triples is not None:
            return [Quad(s, p, o, None) for s, p, o in self.triples]  # type: ignore[arg-type]
        about = _AboutCache(kg)
        out: dict[Quad, None] = {}
        for edge in self.edges:
            out.update(dict.fromkeys(_edge_quads(kg, about, edge)))
        ends = {n.id for n in self.nodes} | {x for e in self.edges for x in (e.source, e.target)}
        for node in sorted(ends):
            out.update((q, None) for q in about(node) if isinstance(q.o, Lit) or q.p == RDF.type)
        out.update(dict.fromkeys(_graph_metadata(about, {q.g for q in out})))
        return list(out)


class _AboutCache:
    """``kg.backend.quads_about`` with each node fetched once."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.seen: dict[str, list[Quad]] = {}

    def __call__(self, node: str) -> list[Quad]:
        if node not in self.seen:
            self.seen[node] = self.kg.backend.quads_about(node)
        return self.seen[node]


def _edge_quads(kg: KnowledgeGraph, about: _AboutCache, edge: Edge) -> list[Quad]:
    """The stored statements an edge stands for: itself and its inverse, in its graphs."""
    graphs = {s.graph or None for s in edge.sources}
    inverse = kg.schema.inverse.get(edge.predicate)
    wanted = {(edge.source, edge.predicate, edge.target)}
    if inverse:
        wanted.add((edge.target, inverse, edge.source))
    found = [
        q
        for node in (edge.source, edge.target)
        for q in about(node)
        if (q.s, q.p, q.o) in wanted and q.g in graphs
    ]
    if not found and not edge.sources:
        found = [Quad(edge.source, edge.predicate, edge.target, None)]
    return found


def _graph_metadata(about: _AboutCache, graphs: set[str | None]) -> list[Quad]:
    """What the store says about the named graphs used, and the articles they are part of."""
    out: list[Quad] = []
    parents: set[str] = set()
    for graph in sorted(g for g in graphs if g):
        for q in about(graph):
            out.append(q)
            if q.p == DCT.isPartOf and isinstance(q.o, str):
                parents.add(q.o)
    for parent in sorted(parents - graphs):
        out.extend(about(parent))
    return out


def _known_edge(kg: KnowledgeGraph, s: str, p: str, o: str) -> Edge:
    """The graph's own edge for a statement (with sources), else a bare one."""
    try:
        return kg.edge_between(s, o, p)
    except KeyError:
        return Edge(s, o, p, kg.schema.property_label(p))


def _plain_triple(triple: Sequence[Any]) -> Triple:
    """A triple of plain terms from plain or pyoxigraph terms (or a pyoxigraph Triple)."""
    if hasattr(triple, "subject"):
        triple = (triple.subject, triple.predicate, triple.object)  # type: ignore[attr-defined]
    s, p, o = (t if isinstance(t, str | Lit) else from_ox(t) for t in triple)
    return s, str(p), o  # type: ignore[return-value]
