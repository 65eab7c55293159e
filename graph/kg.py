"""The knowledge graph the explorer works on, and the projection of its nodes and edges.

:class:`KnowledgeGraph` wraps a :mod:`backend <graph.backend>` and turns its
statements into the explorer's view: resources become :class:`~graph.model.Node`
(label, main class, all classes), statements whose object is a resource become
:class:`~graph.model.Edge` (predicate, label, sources, inferred or not), and
literal values stay attributes of their node.  Nothing is projected up front:
the statements around a node are fetched when someone looks at it and cached.
"""

from __future__ import annotations

import gc
import sys
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyoxigraph as ox

from .adjacency import EdgeIndex
from .backend import Backend, Lit, LocalBackend, Quad
from .errors import BadInput, NodeNotFound
from .loading import (
    DEFAULT_DATA_DIR,
    EXCLUDED_DIRS,
    RdfSource,
    load_into,
    read_sources,
    source_files,
)
from .model import Edge, Node, Source
from .namespaces import RDF, expand, local_name
from .schema import (
    ALIAS_PREDICATES,
    DEFINITION_PREDICATES,
    HIDDEN_PREDICATES,
    LABEL_PREDICATES,
    MATCH_PREDICATES,
    SchemaInfo,
    humanize,
)

if TYPE_CHECKING:
    from .filters import EdgeFilter

__all__ = ["KnowledgeGraph", "NodeDetails", "load"]

_CACHE_SIZE = 50_000


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


@dataclass
class _Cache:
    size: int = _CACHE_SIZE
    data: OrderedDict[str, Any] = field(default_factory=OrderedDict)

    def get(self, key: str) -> Any:
        value = self.data.get(key)
        if value is not None:
            self.data.move_to_end(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.data[key] = value
        if len(self.data) > self.size:
            self.data.popitem(last=False)


class KnowledgeGraph:
    """A graph to explore: statements in a backend plus what the explorer knows of them.

    Examples
    --------
    >>> kg = KnowledgeGraph.from_sources([RdfSource("tiny.ttl", TINY, ox.RdfFormat.TURTLE)])
    >>> kg.node("http://example.org/python").label
    'Python'
    >>> [e.label for e in kg.edges("http://example.org/python")]
    ['uses tool']
    """

    def __init__(self, backend: Backend, *, data_sources: Sequence[RdfSource] = ()) -> None:
        self.backend = backend
        self.data_sources = tuple(data_sources)
        self.schema = SchemaInfo.read(backend)
        self._raw_cache = _Cache()
        self._node_cache = _Cache()
        self._literal_cache = _Cache()
        self._facts_cache = _Cache()
        self._search_index: Any = None
        self._adjacency: Adjacency | bool | None = False  # False: not looked for yet
        self._graph_facts: dict[tuple[str, Any], Any] = {}
        self._triples: int | None = None

    # -- construction --------------------------------------------------------
    @classmethod
    def from_sources(
        cls, sources: Iterable[RdfSource], *, max_bytes: int | None = None
    ) -> KnowledgeGraph:
        """A graph holding the parsed ``sources`` in an in-memory store."""
        sources = list(sources)
        store = ox.Store()
        # A fresh store is dropped on error, so it needs no scratch copy.
        load_into(store, sources, max_bytes=max_bytes, atomic=False)
        return cls(LocalBackend(store), data_sources=sources)

    @classmethod
    def load(
        cls,
        data: Iterable[str | Path] = (),
        *,
        default: bool = True,
        max_bytes: int | None = None,
        store: str | Path | None = None,
        endpoint: str | None = None,
        timeout: float | None = None,
    ) -> KnowledgeGraph:
        """Load the embedded knowledge base (unless ``default`` is false) and ``data``.

        Parameters
        ----------
        data : iterable of str or Path
            The user's RDF files or folders.
        default : bool
            Whether the embedded knowledge base is loaded too.
        max_bytes : int, optional
            Refuse files larger than this.
        store : str or Path, optional
            Keep the parsed graph in a persistent store in this folder: built on
            the first run (and whenever the files change), opened without
            parsing afterwards.  A rebuild is reported on stderr.
        endpoint : str, optional
            Explore a remote SPARQL endpoint instead; ``data`` must then be empty.
        timeout : float, optional
            Deadline in seconds of each request to ``endpoint``.
        """
        data = list(data)
        if endpoint is not None:
            if data or store is not None:
                raise BadInput("--endpoint cannot be combined with --data or --store")
            return cls.from_endpoint(endpoint, timeout=timeout)
        if store is not None:
            return cls.from_store(store, data, default=default, max_bytes=max_bytes)
        sources: list[RdfSource] = []
        if default:
            sources += read_sources([DEFAULT_DATA_DIR], skip_dirs=EXCLUDED_DIRS)
        sources += read_sources(data, max_bytes=max_bytes)
        kg = cls.from_sources(sources, max_bytes=max_bytes)
        # The interpreter's first full collection after the imports scans every module
        # object (tens of milliseconds): have it now rather than in the first query.
        gc.collect()
        return kg

    @classmethod
    def from_store(
        cls,
        directory: str | Path,
        data: Iterable[str | Path] = (),
        *,
        default: bool = True,
        max_bytes: int | None = None,
    ) -> KnowledgeGraph:
        """A graph kept in the persistent store in ``directory`` (see :mod:`graph.store`)."""
        from .store import open_store

        files = source_files([DEFAULT_DATA_DIR], skip_dirs=EXCLUDED_DIRS) if default else []
        files += source_files(data)
        opened = open_store(directory, files, max_bytes=max_bytes)
        if opened.rebuilt and opened.reason != "new store":
            print(f"note: rebuilt the store in {directory}: {opened.reason}", file=sys.stderr)
        return cls(LocalBackend(opened.store, path=str(opened.path)))

    @classmethod
    def from_endpoint(cls, url: str, *, timeout: float | None = None) -> KnowledgeGraph:
        """A graph behind a remote SPARQL endpoint (see :mod:`graph.endpoint`)."""
        from .endpoint import DEFAULT_TIMEOUT, EndpointBackend

        return cls(EndpointBackend(url, timeout=timeout or DEFAULT_TIMEOUT))

    def with_sources(
        self, sources: Iterable[RdfSource], *, max_bytes: int | None = None
    ) -> KnowledgeGraph:
        """A new graph with ``sources`` added; this one is left as it was, even on error.

        A graph opened from a persistent store is copied into memory first (the
        store is not changed); one behind an endpoint cannot take files.
        """
        if self.data_sources:
            return KnowledgeGraph.from_sources([*self.data_sources, *sources], max_bytes=max_bytes)
        if self.store is None:
            raise BadInput("files cannot be added to a graph behind a SPARQL endpoint")
        return self._copied_with(sources, max_bytes=max_bytes)

    def _copied_with(
        self, sources: Iterable[RdfSource], *, max_bytes: int | None
    ) -> KnowledgeGraph:
        store = ox.Store()
        store.bulk_load(  # dumped and parsed in Oxigraph: no statement passes through Python
            input=self.store.dump(format=ox.RdfFormat.N_QUADS),  # type: ignore[union-attr]
            format=ox.RdfFormat.N_QUADS,
        )
        load_into(store, list(sources), max_bytes=max_bytes, atomic=False)  # dropped on error
        return KnowledgeGraph(LocalBackend(store))

    @property
    def store(self) -> ox.Store | None:
        """The pyoxigraph store behind a local backend, else ``None``."""
        return getattr(self.backend, "store", None)

    def adjacency(self) -> Adjacency | None:
        """The integer adjacency of a local store read the explorer's way, else ``None``."""
        if self._adjacency is False:
            get_index = getattr(self.backend, "edge_index", None)
            index = get_index() if get_index is not None else None
            self._adjacency = Adjacency(self, index) if index is not None else None
        return self._adjacency  # type: ignore[return-value]

    # -- statements ------------------------------------------------------------
    def _raw_edges(self, node: str) -> list[tuple[str, str, str, frozenset[str | None]]]:
        """The edge statements touching ``node``: (s, p, o, graphs), inverses merged."""
        cached = self._raw_cache.get(node)
        if cached is not None:
            return cached
        adjacency = self.adjacency()
        if adjacency is not None:
            statements = adjacency.statements(node)
        else:
            statements = [
                (q.s, q.p, q.o, q.g)  # type: ignore[misc]
                for q in self.backend.quads_touching([node])
                if self._is_edge(q)
            ]
        result = self.merged(statements)
        self._raw_cache.put(node, result)
        return result

    def merged(
        self, statements: Iterable[tuple[str, str, str, str | None]]
    ) -> list[tuple[str, str, str, frozenset[str | None]]]:
        """Edge statements (s, p, o, graph) as edges: graphs gathered, inverse twins folded."""
        graphs: dict[tuple[str, str, str], set[str | None]] = {}
        for s, p, o, g in statements:
            graphs.setdefault((s, p, o), set()).add(g)
        return self._merge_inverses(graphs)

    def prefetch_edges(self, nodes: Iterable[str]) -> None:
        """Fetch the edge statements of many nodes at once (one request on an endpoint)."""
        wanted = [n for n in dict.fromkeys(nodes) if self._raw_cache.get(n) is None]
        local = self.adjacency() is not None
        if local or len(wanted) < 2 or not hasattr(self.backend, "quads_with"):
            for n in wanted:
                self._raw_edges(n)
            return
        by_node: dict[str, dict[tuple[str, str, str], set[str | None]]] = {n: {} for n in wanted}
        for q in self.backend.quads_touching(wanted):
            if not self._is_edge(q):
                continue
            for end in {q.s, q.o}:
                if end in by_node:
                    by_node[end].setdefault((q.s, q.p, q.o), set()).add(q.g)  # type: ignore[arg-type]
        for n, graphs in by_node.items():
            self._raw_cache.put(n, self._merge_inverses(graphs))

    def _is_edge(self, q: Quad) -> bool:
        if isinstance(q.o, Lit) or q.s == q.o:
            return False
        schema = self.schema
        if not schema.is_edge_predicate(q.p):
            return False
        if q.s in schema.schema_nodes or q.o in schema.schema_nodes:
            return False
        if q.p in MATCH_PREDICATES:
            return bool(self._labels(q.o))
        return True

    def _merge_inverses(
        self, graphs: dict[tuple[str, str, str], set[str | None]]
    ) -> list[tuple[str, str, str, frozenset[str | None]]]:
        """Fold ``(o, inverse(p), s)`` into ``(s, p, o)``: one edge per statement pair."""
        inverse, forward = self.schema.inverse, self.schema.forward
        out = []
        for (s, p, o), gs in graphs.items():
            inv = inverse.get(p)
            twin = (o, inv, s) if inv else None
            if twin and twin in graphs and twin != (s, p, o):
                mine_asserted = any(not self._is_inferred_graph(g) for g in gs)
                twin_asserted = any(not self._is_inferred_graph(g) for g in graphs[twin])
                keep_me = (mine_asserted and not twin_asserted) or (
                    mine_asserted == twin_asserted
                    and (p in forward, s) > (inv in forward, o)  # a stable choice
                )
                if not keep_me:
                    continue
                if mine_asserted == twin_asserted:
                    gs = gs | graphs[twin]
            out.append((s, p, o, frozenset(gs)))
        out.sort(key=lambda t: (t[1], t[0], t[2]))
        return out

    def _is_inferred_graph(self, graph: str | None) -> bool:
        return self.schema.source_of(graph).kind == "inferred"

    def is_inferred(self, graphs: frozenset[str | None]) -> bool:
        """Whether a statement found in ``graphs`` is inferred (stated in no other graph)."""
        cached = self._graph_facts.get(("inferred", graphs))
        if cached is None:
            cached = all(self._is_inferred_graph(g) for g in graphs)
            self._graph_facts[("inferred", graphs)] = cached
        return cached

    def article_count(self, graphs: frozenset[str | None]) -> int:
        """How many distinct articles state a statement found in ``graphs``."""
        cached = self._graph_facts.get(("articles", graphs))
        if cached is None:
            found = {self.schema.source_of(g) for g in graphs}
            cached = len({s.source for s in found if s.kind == "article"})
            self._graph_facts[("articles", graphs)] = cached
        return cached

    def edges(self, node: str, *, inferred: bool = True) -> list[Edge]:
        """The edges touching ``node``, each with its label and sources."""
        node = self.resolve(node)
        out = []
        for s, p, o, gs in self._raw_edges(node):
            edge = self._edge(s, p, o, gs)
            if inferred or not edge.inferred:
                out.append(edge)
        return out

    def _edge(self, s: str, p: str, o: str, graphs: frozenset[str | None]) -> Edge:
        facts = self._graph_facts.get(("sources", graphs))
        if facts is None:  # a few graph sets recur across thousands of edges
            sources = sorted(
                {self.schema.source_of(g) for g in graphs},
                key=lambda src: (src.kind != "article", src.label, src.locator or ""),
            )
            facts = (tuple(sources), all(src.kind == "inferred" for src in sources))
            self._graph_facts[("sources", graphs)] = facts
        label = self._graph_facts.get(("label", p))
        if label is None:
            label = self._graph_facts[("label", p)] = self.schema.property_label(p)
        return Edge(
            source=s, target=o, predicate=p, label=label, sources=facts[0], inferred=facts[1]
        )

    def neighbor_ids(self, node: str, *, inferred: bool = True) -> list[tuple[str, str, bool]]:
        """Cheap adjacency for path search: ``(other, predicate, inferred)`` per edge."""
        out = []
        for s, p, o, gs in self._raw_edges(node):
            is_inferred = self.is_inferred(gs)
            if inferred or not is_inferred:
                out.append((o if s == node else s, p, is_inferred))
        return out

    def edges_joining(self, a: str, b: str) -> list[Edge]:
        """Every edge between ``a`` and ``b``, either way round (reads a hub's edges only once)."""
        adjacency = self.adjacency()
        if adjacency is None or self._raw_cache.get(a) is not None:
            raw = [e for e in self._raw_edges(a) if {e[0], e[2]} == {a, b}]
        else:
            raw = self.merged(adjacency.statements(a, b))
        return [self._edge(*e) for e in raw]

    def edge_between(self, a: str, b: str, predicate: str) -> Edge:
        """The edge with ``predicate`` joining ``a`` and ``b``, either way round."""
        for s, p, o, gs in self._raw_edges(a):
            if p == predicate and {s, o} == {a, b}:
                return self._edge(s, p, o, gs)
        raise KeyError((a, predicate, b))

    # -- nodes -----------------------------------------------------------------
    def _literals(self, node: str) -> dict[str, list[Lit]]:
        """Every literal of ``node`` by predicate, and its classes under ``rdf:type``."""
        cached = self._literal_cache.get(node)
        if cached is None:
            cached = _group(self.backend.quads_about(node))
            self._literal_cache.put(node, cached)
        return cached

    def _facts(self, node: str) -> dict[str, list[Lit]]:
        """The labels and classes of ``node``: all that naming it needs."""
        full = self._literal_cache.get(node)
        if full is not None:
            return full
        cached = self._facts_cache.get(node)
        if cached is None:
            self.prefetch_nodes([node])
            cached = self._facts_cache.get(node)
        return cached

    def prefetch_nodes(self, nodes: Iterable[str]) -> None:
        """Fetch the labels and classes of many nodes at once (one request on an endpoint).

        Only the statements naming a node are read, not all of its statements:
        a role with hundreds of relations costs as little to name as a leaf.
        """
        wanted = [
            n
            for n in dict.fromkeys(nodes)
            if self._node_cache.get(n) is None
            and self._facts_cache.get(n) is None
            and self._literal_cache.get(n) is None
        ]
        if not wanted:
            return
        quads_with = getattr(self.backend, "quads_with", None)
        if quads_with is None:
            quads = [q for n in wanted for q in self.backend.quads_about(n)]
        else:
            quads = quads_with(wanted, _NAME_PREDICATES)
        by_node: dict[str, list[Quad]] = {n: [] for n in wanted}
        for q in quads:
            if q.s in by_node and q.p in _NAME_PREDICATES:
                by_node[q.s].append(q)
        for n, found in by_node.items():
            self._facts_cache.put(n, _group(found))

    def types_of(self, nodes: Iterable[str]) -> dict[str, str]:
        """The main class (local name) of each node, reading only its ``rdf:type`` statements."""
        out: dict[str, str] = {}
        wanted = []
        for n in dict.fromkeys(nodes):
            cached = self._node_cache.get(n)
            if cached is not None:
                out[n] = cached.type
            else:
                wanted.append(n)
        adjacency = self.adjacency() if len(wanted) > 50 else None
        if adjacency is not None:
            names = adjacency.type_names(self)
            ids = adjacency.index.ids
            for n in wanted:
                i = ids.get(n)
                out[n] = names[i] if i is not None else "Resource"
            return out
        quads_with = getattr(self.backend, "quads_with", None)
        classes: dict[str, list[str]] = {n: [] for n in wanted}
        if quads_with is not None:
            for q in quads_with(wanted, [RDF.type]):
                if q.s in classes and isinstance(q.o, str):
                    classes[q.s].append(q.o)
        else:
            for n in wanted:
                classes[n] = [c.value for c in self._facts(n).get(RDF.type, [])]
        names: dict[tuple[str, ...], str] = {}
        for n, asserted in classes.items():
            key = tuple(sorted(asserted))
            name = names.get(key)
            if name is None:
                name = names[key] = self._type_name(key)
            out[n] = name
        return out

    def type_counts(self, nodes: Iterable[str]) -> dict[str, int]:
        """How many of ``nodes`` have each main class (local name; ``Resource`` without one).

        >>> kg = KnowledgeGraph.from_sources([RdfSource("t.ttl", TINY, ox.RdfFormat.TURTLE)])
        >>> kg.type_counts(["http://example.org/python", "http://example.org/coding"])
        {'Resource': 2}
        """
        nodes = list(dict.fromkeys(nodes))
        counts: dict[str, int] = {}
        class_set_counts = getattr(self.backend, "class_set_counts", None)
        if class_set_counts is not None and len(nodes) > _COUNT_ON_SERVER:
            named = [n for n in nodes if not n.startswith("_:")]  # blank nodes cannot be named
            for classes, n in class_set_counts(named).items():
                name = self._type_name(classes)
                counts[name] = counts.get(name, 0) + n
            nodes = [n for n in nodes if n.startswith("_:")]
        for name in self.types_of(nodes).values():
            counts[name or "Resource"] = counts.get(name or "Resource", 0) + 1
        return dict(sorted(counts.items()))

    def _type_name(self, asserted: Iterable[str]) -> str:
        """The local name of the main class among ``asserted`` (``Resource`` without one)."""
        main = self._main_class(sorted(asserted))
        return local_name(main) if main else "Resource"

    def _main_class(self, asserted: list[str]) -> str:
        mains = sorted(
            {self.schema.main_class(c) for c in asserted},
            key=lambda c: (c not in self.schema.class_labels, self.schema.class_label(c)),
        )
        return mains[0] if mains else ""

    def _labels(self, node: str) -> list[Lit]:
        lits = self._facts(node)
        return [lit for p in LABEL_PREDICATES for lit in lits.get(p, [])]

    def node(self, node: str) -> Node:
        """The :class:`Node` for an IRI (labels and classes looked up once, then cached)."""
        cached = self._node_cache.get(node)
        if cached is not None:
            return cached
        lits = self._facts(node)
        label = _pick_label(self._labels(node)) or humanize(local_name(node)) or node
        asserted = sorted(c.value for c in lits.get(RDF.type, []))
        classes: list[str] = []
        for cls_iri in asserted:
            for ancestor in self.schema.ancestors(cls_iri):
                if ancestor not in classes and (
                    ancestor in self.schema.class_labels or ancestor == cls_iri
                ):
                    classes.append(ancestor)
        main = self._main_class(asserted)
        result = Node(
            id=node,
            label=label,
            type=local_name(main) if main else "Resource",
            classes=tuple(local_name(c) for c in classes),
            type_label=self.schema.class_label(main) if main else "Resource",
        )
        self._node_cache.put(node, result)
        return result

    def has_node(self, node: str) -> bool:
        """Whether ``node`` is a resource of the graph (not a class, property or source)."""
        if node in self.schema.schema_nodes:
            return False
        lits = self._literals(node)
        return any(lits.values()) or bool(self._raw_edges(node))

    def details(self, node: str, *, inferred: bool = True) -> NodeDetails:
        """Label, classes, aliases, definition, literal attributes and every relation."""
        node = self.resolve(node)
        lits = self._literals(node)
        aliases = [lit.value for p in ALIAS_PREDICATES for lit in lits.get(p, [])]
        labels = [lit.value for lit in self._labels(node)]
        main = self.node(node)
        aliases += [v for v in labels if v != main.label]
        definition = _pick_label([lit for p in DEFINITION_PREDICATES for lit in lits.get(p, [])])
        shown = set(LABEL_PREDICATES) | set(ALIAS_PREDICATES) | set(HIDDEN_PREDICATES)
        shown |= set(DEFINITION_PREDICATES) | {RDF.type}
        attributes = {
            self.schema.property_label(p): sorted({v.value for v in values})
            for p, values in lits.items()
            if p not in shown and values
        }
        matches = tuple(
            sorted(
                (q.p, q.o)
                for q in self.backend.quads_about(node)
                if q.p in MATCH_PREDICATES and isinstance(q.o, str)
            )
        )
        return NodeDetails(
            node=main,
            aliases=tuple(dict.fromkeys(aliases)),
            definition=definition,
            attributes=attributes,
            matches=matches,
            edges=tuple(self.edges(node, inferred=inferred)),
        )

    def definitions(self, nodes: Iterable[str]) -> dict[str, str]:
        """The definition of each of ``nodes`` that has one, reading only definitions.

        >>> kg = KnowledgeGraph.from_sources([RdfSource("t.ttl", TINY, ox.RdfFormat.TURTLE)])
        >>> kg.definitions(["http://example.org/python"])
        {}
        """
        wanted = list(dict.fromkeys(nodes))
        quads_with = getattr(self.backend, "quads_with", None)
        if quads_with is None:
            quads = [q for n in wanted for q in self.backend.quads_about(n)]
        else:
            quads = quads_with(wanted, DEFINITION_PREDICATES)
        found: dict[str, list[Quad]] = {}
        for q in quads:
            if q.p in DEFINITION_PREDICATES and isinstance(q.o, Lit):
                found.setdefault(q.s, []).append(q)
        out = {}
        for node in wanted:
            grouped = _group(found.get(node, ()))
            text = _pick_label([lit for p in DEFINITION_PREDICATES for lit in grouped.get(p, [])])
            if text:
                out[node] = text
        return out

    def resolve(self, text: str) -> str:
        """The IRI of the node ``text`` names: an IRI, a ``prefix:name`` or a label.

        Raises :class:`~graph.errors.NodeNotFound`, with suggestions, when nothing fits.
        """
        candidate = expand(text.strip())
        if candidate.startswith(("http://", "https://", "urn:", "_:")) and self.has_node(candidate):
            return candidate
        from .search import search  # search builds on this module

        hits = search(self, text, limit=5, cutoff=30)
        if hits and hits[0].exact:
            return hits[0].id
        suggestions = [f"{h.label} ({h.type_label})" for h in hits[:5]]
        raise NodeNotFound(text, suggestions)

    # -- whole-graph facts ------------------------------------------------------
    def triple_count(self) -> int:
        """How many statements the graph holds (a local store is counted once: it never
        changes under a graph, and counting an on-disk store walks it)."""
        if self.store is None:
            return self.backend.quad_count()
        if self._triples is None:
            self._triples = self.backend.quad_count()
        return self._triples

    def source_list(self) -> list[Source]:
        """Every article known to the graph, one :class:`Source` each."""
        return [
            Source(a, a, self.schema.article_label(a), None, "article")
            for a in sorted(self.schema.articles)
        ]


_NAME_PREDICATES = frozenset({*LABEL_PREDICATES, RDF.type})
#: Above this many nodes an endpoint counts their types itself rather than list them.
_COUNT_ON_SERVER = 500


class Adjacency:
    """An :class:`~graph.adjacency.EdgeIndex` read with the explorer's notion of an edge.

    ``edge_rows`` marks the statements that are edges of the projection (the
    same test as :meth:`KnowledgeGraph._is_edge`, applied to every statement at
    once) and ``inferred_graphs`` the graphs holding inferred statements.
    """

    def __init__(self, kg: KnowledgeGraph, index: EdgeIndex) -> None:
        self.index = index
        self.schema = schema = kg.schema
        predicates = index.predicates
        is_edge = np.array([schema.is_edge_predicate(p) for p in predicates] or [False])
        is_match = np.array([p in MATCH_PREDICATES for p in predicates] or [False])
        schema_node = np.zeros(len(index.terms) + 1, dtype=bool)
        for node in schema.schema_nodes:
            i = index.ids.get(node)
            if i is not None:
                schema_node[i] = True
        s, p, o = index.s, index.p, index.o
        rows = is_edge[p] & (s != o) & ~schema_node[s] & ~schema_node[o]
        match_rows = np.flatnonzero(rows & is_match[p])
        if len(match_rows):  # a match is an edge only when its target is named in the graph
            targets = np.unique(o[match_rows])
            named = np.array([bool(kg._labels(index.terms[int(i)])) for i in targets])
            unnamed = targets[~named]
            rows[match_rows[np.isin(o[match_rows], unnamed)]] = False
        self.edge_rows = rows
        self.inferred_graphs = np.array(
            [schema.source_of(g).kind == "inferred" for g in index.graphs] or [False]
        )
        self._classes: dict[int, list[int]] | None = None
        self._type_names: list[str] | None = None

    def statements(
        self, node: str, other: str | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        """The edge statements touching ``node`` (and ``other``): (s, p, o, graph)."""
        index = self.index
        i = index.ids.get(node)
        if i is None:
            return []
        rows = index.rows(i)
        rows = rows[self.edge_rows[rows]]
        if other is not None:
            j = index.ids.get(other, -1)
            rows = rows[(index.s[rows] == j) | (index.o[rows] == j)]
        return index.statements_at(rows)

    def predicate_rows(self, keep: EdgeFilter) -> np.ndarray:
        """The edge statements whose predicate ``keep`` allows."""
        predicates = self.index.predicates
        allowed = np.array([keep.allows_predicate(p, False) for p in predicates] or [False])
        return self.edge_rows & allowed[self.index.p]

    def source_graphs(self, keep: EdgeFilter) -> np.ndarray:
        """Graph id -> whether it is one of the sources ``keep`` asks for."""
        graphs = self.index.graphs
        return np.array([keep.allows_raw(None, frozenset([g]), False) for g in graphs] or [False])

    def allowed_rows(self, keep: EdgeFilter) -> np.ndarray:
        """The edge statements ``keep`` lets through, judged one statement at a time."""
        graph_ok = self.source_graphs(keep)
        if not keep.inferred:
            graph_ok &= ~self.inferred_graphs
        return self.predicate_rows(keep) & graph_ok[self.index.g]

    def predicate_pairs(self) -> np.ndarray:
        """Predicate id -> one id shared by a predicate and its inverse."""
        ids = self.index.predicate_ids
        pair = np.arange(max(len(ids), 1))
        for p, i in ids.items():
            inverse = ids.get(self.schema.inverse.get(p, ""))
            if inverse is not None:
                pair[i] = min(i, inverse)
        return pair

    def graph_articles(self) -> np.ndarray:
        """Graph id -> a number for the article the graph belongs to (0: none)."""
        numbers: dict[str, int] = {}
        out = []
        for g in self.index.graphs:
            source = self.schema.source_of(g)
            out.append(
                numbers.setdefault(source.source, len(numbers) + 1)
                if source.kind == "article"
                else 0
            )
        return np.array(out or [0])

    def class_mask(self, wanted: set[str]) -> np.ndarray:
        """Which nodes belong to one of the ``wanted`` classes (local names, with sub-classes)."""
        schema = self.schema
        mask = np.zeros(len(self.index.terms) + 1, dtype=bool)
        if self._classes is None:
            self._classes = self.index.classes(RDF.type)
        fits: dict[int, bool] = {}
        for node, classes in self._classes.items():
            for c in classes:
                ok = fits.get(c)
                if ok is None:
                    iri = self.index.terms[c]
                    names = {local_name(a) for a in (iri, *schema.ancestors(iri))}
                    ok = fits[c] = bool(wanted & names)
                if ok:
                    mask[node] = True
                    break
        return mask

    def type_names(self, kg: KnowledgeGraph) -> list[str]:
        """Node id -> local name of its main class (``Resource`` without one), found once."""
        if self._type_names is None:
            if self._classes is None:
                self._classes = self.index.classes(RDF.type)
            names = ["Resource"] * len(self.index.terms)
            known: dict[tuple[int, ...], str] = {}
            terms = self.index.terms
            for node, classes in self._classes.items():
                key = tuple(sorted(classes))
                name = known.get(key)
                if name is None:
                    name = known[key] = kg._type_name(terms[c] for c in key)
                names[node] = name
            self._type_names = names
        return self._type_names


def _group(quads: Iterable[Quad]) -> dict[str, list[Lit]]:
    """Literals by predicate, classes under ``rdf:type``, each list in a stable order."""
    grouped: dict[str, list[Lit]] = {RDF.type: []}
    for q in quads:
        if isinstance(q.o, Lit):
            grouped.setdefault(q.p, []).append(q.o)
        elif q.p == RDF.type:
            grouped[RDF.type].append(Lit(q.o))
    for values in grouped.values():
        # Backends list statements in different orders: pick labels the same way.
        values.sort(key=lambda lit: (lit.value[:1].isupper(), lit.value, lit.lang or ""))
    return grouped


def _pick_label(labels: list[Lit]) -> str | None:
    for lit in labels:
        if lit.lang in (None, "", "en") or (lit.lang or "").startswith("en-"):
            return lit.value
    return labels[0].value if labels else None


def load(
    data: Iterable[str | Path] = (),
    *,
    default: bool = True,
    max_bytes: int | None = None,
    store: str | Path | None = None,
    endpoint: str | None = None,
) -> KnowledgeGraph:
    """Load the embedded knowledge base plus ``data``: see :meth:`KnowledgeGraph.load`."""
    return KnowledgeGraph.load(
        data, default=default, max_bytes=max_bytes, store=store, endpoint=endpoint
    )


TINY = b"""
@prefix ex: <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:python skos:prefLabel "Python"@en .
ex:coding skos:prefLabel "Programming"@en ; ex:usesTool ex:python .
"""
