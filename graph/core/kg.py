"""The knowledge graph the explorer works on: the facade every view and command calls.

:class:`KnowledgeGraph` wraps a :class:`~graph.backends.base.Backend` and turns
its statements into the explorer's view: resources become
:class:`~graph.model.Node` (label, main class, all classes; see
:mod:`graph.core.names`), statements between resources become
:class:`~graph.model.Edge` (predicate, label, sources, inferred or not; see
:mod:`graph.core.edges`), and literal values stay attributes of their node.
Nothing is projected up front: the statements around a node are fetched when
someone looks at it, and cached.
"""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..backends.base import Backend
from ..backends.local import LocalBackend
from ..errors import BadInput
from ..io.loading import (
    DEFAULT_DATA_DIR,
    EXCLUDED_DIRS,
    RdfSource,
    load_into,
    read_sources,
    source_files,
)
from ..model import Edge, Node, Source
from ..terms import Lit
from ..vocab.labels import (
    DEFAULT_LANG,
)
from ..vocab.namespaces import expand, names_a_node
from ..vocab.schema import SchemaInfo
from .adjacency import Adjacency
from .details import NodeDetails, read_details
from .edges import EdgeRules, RawEdge, Statement
from .facts import FACTS, KEPT, GraphFacts
from .names import LruCache, NodeNames
from .scope import keep_graphs

__all__ = ["ENDPOINT_TIMEOUT", "KnowledgeGraph", "NodeDetails", "load"]

#: Seconds each request to an endpoint may take, unless the caller says otherwise.
ENDPOINT_TIMEOUT = 10.0
#: Above this many nodes an endpoint counts their types itself rather than list them.
_COUNT_ON_SERVER = 500


class KnowledgeGraph:
    """A graph to explore: statements in a backend plus what the explorer knows of them.

    Examples
    --------
    >>> from graph.core.examples import tiny_graph
    >>> kg = tiny_graph()
    >>> kg.node("http://example.org/python").label
    'Python'
    >>> [e.label for e in kg.edges("http://example.org/python")]
    ['uses tool']
    """

    def __init__(
        self,
        backend: Backend,
        *,
        data_sources: Sequence[RdfSource] = (),
        view: str = "auto",
        lang: str = DEFAULT_LANG,
    ) -> None:
        self.backend = backend
        self.data_sources = tuple(data_sources)
        folder = backend.kept(FACTS)
        #: Whole-graph facts kept beside a persistent store (:mod:`graph.core.facts`), if any.
        self.kept = GraphFacts.load(folder, backend.edge_index) if folder is not None else None
        kept = self.kept.schema if self.kept is not None else None
        if kept is not None and (view not in ("auto", kept.view) or lang != kept.lang):
            self.kept = kept = None  # kept for another view or language
        #: The vocabulary, the sources and the view (instances, schema or both) shown.
        self.schema = kept or SchemaInfo.read(backend, view=view, lang=lang)
        self.kept = None if self.schema.derived else self.kept  # OWL's edges: in no kept fact
        self.names = NodeNames(backend, self.schema)
        self.rules = EdgeRules(self.schema, self.names.is_named, self.is_inferred_graph)
        self._edges = LruCache()
        self._adjacency: Adjacency | bool | None = False  # False: not looked for yet
        self._graph_facts: dict[tuple[str, Any], Any] = {}
        self._memo: dict[str, Any] = {}
        self._triples: int | None = None

    # -- construction --------------------------------------------------------
    @classmethod
    def from_sources(
        cls, sources: Iterable[RdfSource], *, graphs: Sequence[str] | None = None, **options: Any
    ) -> KnowledgeGraph:
        """A graph holding the parsed ``sources`` in memory: only the named ``graphs`` if
        given; ``options`` are ``max_bytes``, ``view`` and ``lang``."""
        max_bytes = options.pop("max_bytes", None)
        sources = list(sources)
        store = ox.Store()
        # A fresh store is dropped on error, so it needs no scratch copy.
        load_into(store, sources, max_bytes=max_bytes, atomic=False)
        if graphs:
            keep_graphs(store, graphs)
        return cls(LocalBackend(store), data_sources=sources, **options)

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
        graphs: Sequence[str] | None = None,
        view: str = "auto",
        lang: str = DEFAULT_LANG,
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
        graphs : sequence of str, optional
            Explore only these named graphs (an endpoint's system graphs are
            left out anyway).
        view : str
            ``instances``, ``schema`` (classes and properties as nodes), ``both``,
            or ``auto``: the schema when the graph is mostly schema.
        lang : str
            The language whose labels are preferred (then untagged, then any).
        """
        data = list(data)
        options = {"view": view, "lang": lang}
        if endpoint is not None:
            if data or store is not None:
                raise BadInput("--endpoint cannot be combined with --data or --store")
            return cls.from_endpoint(endpoint, timeout=timeout, graphs=graphs, **options)
        if store is not None:
            if graphs:
                raise BadInput("--graph chooses graphs in memory or on an endpoint, not in --store")
            return cls.from_store(store, data, default=default, max_bytes=max_bytes, **options)
        sources: list[RdfSource] = []
        if default:
            sources += read_sources([DEFAULT_DATA_DIR], skip_dirs=EXCLUDED_DIRS)
        sources += read_sources(data, max_bytes=max_bytes)
        kg = cls.from_sources(sources, max_bytes=max_bytes, graphs=graphs, **options)
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
        **options: str,
    ) -> KnowledgeGraph:
        """A graph kept in the persistent store in ``directory`` (:mod:`graph.backends.store`)."""
        from ..backends.store import open_store

        files = source_files([DEFAULT_DATA_DIR], skip_dirs=EXCLUDED_DIRS) if default else []
        files += source_files(data)
        opened = open_store(directory, files, max_bytes=max_bytes, derived=KEPT)
        if opened.rebuilt and opened.reason != "new store":
            print(f"note: rebuilt the store in {directory}: {opened.reason}", file=sys.stderr)
        backend = LocalBackend(opened.store, path=str(opened.path), kept=opened.kept)
        weakref.finalize(backend, opened.release)  # others may rebuild it once it is not read
        return cls(backend, **options)

    @classmethod
    def from_endpoint(
        cls,
        url: str,
        *,
        timeout: float | None = None,
        graphs: Sequence[str] | None = None,
        **options: str,
    ) -> KnowledgeGraph:
        """A graph behind a remote SPARQL endpoint (see :mod:`graph.backends.endpoint`).

        ``timeout`` is each request's deadline (:data:`ENDPOINT_TIMEOUT` by default);
        ``graphs`` the named graphs explored (by default all but the server's own).
        """
        from ..backends.endpoint import EndpointBackend

        backend = EndpointBackend(url, timeout=timeout or ENDPOINT_TIMEOUT, graphs=graphs)
        return cls(backend, **options)

    def with_sources(
        self, sources: Iterable[RdfSource], *, max_bytes: int | None = None
    ) -> KnowledgeGraph:
        """A new graph with ``sources`` added; this one is left as it was, even on error.

        A graph opened from a persistent store is copied into memory first (the
        store is not changed); one behind an endpoint cannot take files.
        """
        if self.data_sources:
            return KnowledgeGraph.from_sources([*self.data_sources, *sources], max_bytes=max_bytes)
        if self.remote:
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
        return self.backend.store if isinstance(self.backend, LocalBackend) else None

    @property
    def remote(self) -> bool:
        """Whether the statements are behind a network (see :attr:`Backend.remote`)."""
        return self.backend.remote

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """What ``make()`` returns, computed once per graph (for indexes built on demand)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def adjacency(self) -> Adjacency | None:
        """The integer adjacency of a local store read the explorer's way, else ``None``."""
        if self._adjacency is False:
            index = None if self.schema.derived else self.backend.edge_index()  # nor index
            self._adjacency = Adjacency(self, index) if index is not None else None
        return self._adjacency  # type: ignore[return-value]

    # -- statements ------------------------------------------------------------
    def raw_edges(self, node: str) -> list[RawEdge]:
        """The edges touching ``node`` before they are named: (s, p, o, graphs)."""
        cached = self._edges.get(node)
        if cached is not None:
            return cached
        adjacency = self.adjacency()
        if adjacency is not None:
            statements = adjacency.statements(node)
        else:
            statements = [
                (q.s, q.p, q.o, q.g)  # type: ignore[misc]
                for q in self.backend.quads_touching([node])
                if self.rules.is_edge(q)
            ]
        statements += self.derived_statements(node)
        result = self.rules.merged(statements)
        self._edges.put(node, result)
        return result

    def derived_statements(self, node: str) -> list[Statement]:
        """The edges of OWL class descriptions around ``node`` (graph.vocab.restrictions)."""
        hidden = self.schema.schema_nodes
        return [e for e in self.schema.derived_touching(node) if not {e[0], e[2]} & hidden]

    def merged(self, statements: Iterable[Statement]) -> list[RawEdge]:
        """Edge statements (s, p, o, graph) as edges: graphs gathered, inverse twins folded."""
        return self.rules.merged(statements)

    def prefetch_edges(self, nodes: Iterable[str]) -> None:
        """Fetch the edges of many nodes at once (one request on an endpoint)."""
        wanted = [n for n in dict.fromkeys(nodes) if self._edges.get(n) is None]
        if self.adjacency() is not None or len(wanted) < 2:
            for n in wanted:
                self.raw_edges(n)
            return
        by_node: dict[str, dict[tuple[str, str, str], set[str | None]]] = {n: {} for n in wanted}
        for q in self.backend.quads_touching(wanted):
            if not self.rules.is_edge(q):
                continue
            for end in {q.s, q.o}:
                if end in by_node:
                    by_node[end].setdefault((q.s, q.p, q.o), set()).add(q.g)  # type: ignore[arg-type]
        for n, found in by_node.items():
            for s, p, o, g in self.derived_statements(n):
                found.setdefault((s, p, o), set()).add(g)
        for n, graphs in by_node.items():
            self._edges.put(n, self.rules.merge_inverses(graphs))

    def is_inferred_graph(self, graph: str | None) -> bool:
        """Whether ``graph`` holds inferred statements."""
        return self.schema.source_of(graph).kind == "inferred"

    def is_inferred(self, graphs: frozenset[str | None]) -> bool:
        """Whether a statement found in ``graphs`` is inferred (stated in no other graph)."""
        cached = self._graph_facts.get(("inferred", graphs))
        if cached is None:
            cached = all(self.is_inferred_graph(g) for g in graphs)
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
        for raw in self.raw_edges(node):
            edge = self.edge(raw)
            if inferred or not edge.inferred:
                out.append(edge)
        return out

    def edge(self, raw: RawEdge) -> Edge:
        """The :class:`~graph.model.Edge` of a raw edge: its label and its sources."""
        s, p, o, graphs = raw
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
        label = self.schema.qualified_label(label, facts[0])  # "has topping some"
        return Edge(
            source=s, target=o, predicate=p, label=label, sources=facts[0], inferred=facts[1]
        )

    def neighbor_ids(self, node: str, *, inferred: bool = True) -> list[tuple[str, str, bool]]:
        """Cheap adjacency for path search: ``(other, predicate, inferred)`` per edge."""
        out = []
        for s, p, o, gs in self.raw_edges(node):
            is_inferred = self.is_inferred(gs)
            if inferred or not is_inferred:
                out.append((o if s == node else s, p, is_inferred))
        return out

    def edges_joining(self, a: str, b: str) -> list[Edge]:
        """Every edge between ``a`` and ``b``, either way round (reads a hub's edges only once)."""
        adjacency = self.adjacency()
        if adjacency is None or self._edges.get(a) is not None:
            raw = [e for e in self.raw_edges(a) if {e[0], e[2]} == {a, b}]
        else:
            raw = self.merged(adjacency.statements(a, b))
        return [self.edge(e) for e in raw]

    def edge_between(self, a: str, b: str, predicate: str) -> Edge:
        """The edge with ``predicate`` joining ``a`` and ``b``, either way round."""
        for raw in self.raw_edges(a):
            s, p, o, _gs = raw
            if p == predicate and {s, o} == {a, b}:
                return self.edge(raw)
        raise KeyError((a, predicate, b))

    # -- nodes -----------------------------------------------------------------
    def node(self, node: str) -> Node:
        """The :class:`Node` for an IRI (labels and classes looked up once, then cached)."""
        found = self.kept.node(node) if self.kept is not None else None  # kept: named at build
        return found or self.names.node(node)

    def labels(self, node: str) -> list[Lit]:
        """Every label of ``node``, best predicate first."""
        return self.names.labels(node)

    def prefetch_nodes(self, nodes: Iterable[str]) -> None:
        """Read the labels and classes of many nodes at once (one request on an endpoint)."""
        self.names.prefetch(nodes)

    def types_of(self, nodes: Iterable[str]) -> dict[str, str]:
        """The main class (local name) of each node, reading only its ``rdf:type`` statements."""
        if self.kept is not None:
            nodes = list(nodes)
            found = self.kept.types_of(nodes)
            if len(found) == len(nodes):
                return found
            return {**self.names.types_of(n for n in nodes if n not in found), **found}
        adjacency = self.adjacency()
        return self.names.types_of(nodes, adjacency.type_names_of if adjacency else None)

    def type_name(self, classes: Iterable[str]) -> str:
        """The local name of the main class among ``classes`` (``Resource`` without one)."""
        return self.names.type_name(classes)

    def type_counts(self, nodes: Iterable[str]) -> dict[str, int]:
        """How many of ``nodes`` have each main class (local name; ``Resource`` without one).

        >>> from graph.core.examples import tiny_graph
        >>> tiny_graph().type_counts(["http://example.org/python", "http://example.org/coding"])
        {'Resource': 2}
        """
        nodes = list(dict.fromkeys(nodes))
        counts: dict[str, int] = {}
        if self.remote and len(nodes) > _COUNT_ON_SERVER:
            named = [n for n in nodes if not n.startswith("_:")]  # blank nodes cannot be named
            for classes, n in self.backend.class_set_counts(named).items():
                name = self.type_name(classes)
                counts[name] = counts.get(name, 0) + n
            nodes = [n for n in nodes if n.startswith("_:")]
        for name in self.types_of(nodes).values():
            counts[name or "Resource"] = counts.get(name or "Resource", 0) + 1
        return dict(sorted(counts.items()))

    def has_node(self, node: str) -> bool:
        """Whether ``node`` is a resource of the graph (not a class, property or source)."""
        if node in self.schema.schema_nodes:
            return False
        known = self.kept.is_node(node) if self.kept is not None else None
        if known is not None:
            return known
        lits = self.names.literals(node)
        return any(lits.values()) or bool(self.raw_edges(node))

    def details(self, node: str, *, inferred: bool = True) -> NodeDetails:
        """Label, classes, aliases, definition, literal attributes and every relation
        (see :func:`graph.core.details.read_details`)."""
        return read_details(self, self.resolve(node), inferred=inferred)

    def definitions(self, nodes: Iterable[str]) -> dict[str, str]:
        """The definition of each of ``nodes`` that has one, reading only definitions.

        >>> from graph.core.examples import tiny_graph
        >>> tiny_graph().definitions(["http://example.org/python"])
        {}
        """
        return self.names.definitions(nodes)

    def resolve(self, text: str) -> str:
        """The IRI of the node ``text`` names: an IRI, a ``prefix:name`` or a label.

        Raises :class:`~graph.errors.NodeNotFound`, with suggestions, when nothing fits,
        and :class:`~graph.errors.AmbiguousName` when several nodes have the name equally.
        """
        candidate = expand(text.strip())
        if names_a_node(candidate) and self.has_node(candidate):
            return candidate
        from ..query.search import best_match  # search ranks names; this module only reads them

        return best_match(self, text)

    # -- whole-graph facts ------------------------------------------------------
    def triple_count(self) -> int:
        """How many statements the graph holds (a local store is counted once: it never
        changes under a graph, and counting an on-disk store walks it)."""
        if self.remote:
            return self.backend.quad_count()
        if self.kept is not None:
            return self.kept.triples()
        if self._triples is None:
            self._triples = self.backend.quad_count()
        return self._triples

    def graph_names(self, *, inferred: bool = True) -> list[str]:
        """The named graphs holding statements (without those of inferred ones if asked)."""
        names = self.memo("graph-names", self.backend.named_graphs)
        return [g for g in names if inferred or not self.is_inferred_graph(g)]

    def source_list(self) -> list[Source]:
        """Every article known to the graph, one :class:`Source` each."""
        return [
            Source(a, a, self.schema.article_label(a), None, "article")
            for a in sorted(self.schema.articles)
        ]


def load(data: Iterable[str | Path] = (), **options: Any) -> KnowledgeGraph:
    """Load the embedded knowledge base plus ``data``: see :meth:`KnowledgeGraph.load`."""
    return KnowledgeGraph.load(data, **options)
