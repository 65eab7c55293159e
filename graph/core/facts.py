"""Facts about a whole graph, derived once when a persistent store is built and kept beside it.

A command on a store of a million statements opens it in milliseconds; what
it then needs from the whole graph (the vocabulary read from the schema, the
counts ``stats`` prints, each node's classes, label and degree, which
statements are edges) would take seconds to recompute in every process.
:class:`GraphFacts` holds all of it, computed over the adjacency index with
:mod:`graph.core.counting`, and :data:`FACTS` keeps it beside the store (see
:mod:`graph.backends.derived`): in ``DIR/oxigraph.facts/``, arrays aligned
with the index's node ids, mapped from disk rather than read.

The version of :data:`FACTS` is a digest of the code that computes the facts
(this module, the counting, the edge rules, the naming, the schema reading),
so a store built before any of it changed has its facts rewritten once, on
the next opening, and never answers with facts another version computed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..backends.derived import Derived
from ..model import Node, Source
from ..vocab.labels import name_words
from ..vocab.namespaces import local_name
from ..vocab.schema import SchemaInfo
from . import counting

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..backends.edge_index import EdgeIndex
    from .kg import KnowledgeGraph

__all__ = ["FACTS", "KEPT", "GraphFacts"]

_PACKAGE = Path(__file__).resolve().parent.parent
#: The modules whose logic the facts reflect: a change to any makes kept facts stale.
_LOGIC = (
    "core/facts.py",
    "core/counting.py",
    "core/edges.py",
    "core/names.py",
    "vocab/schema.py",
    "vocab/standard.py",
    "vocab/restrictions.py",
    "vocab/standard.py",
    "vocab/labels.py",
    "vocab/namespaces.py",
    "backends/edge_index.py",
)
_ARRAYS = (
    "node_class",
    "label_ptr",
    "label_text",
    "neighbours",
    "touching",
    "edge_rows",
    "valued",
)


def _digest() -> int:
    digest = hashlib.sha256()
    for name in _LOGIC:
        try:
            digest.update((_PACKAGE / name).read_bytes())
        except OSError:  # an installation without sources: version by the package alone
            digest.update(name.encode())
    return int.from_bytes(digest.digest()[:6], "big")


class GraphFacts:
    """Whole-graph facts over an adjacency index: counts, class sets, labels, degrees.

    Node arrays are indexed by the node ids of the index the facts were
    computed from (``index()`` returns it).
    """

    def __init__(
        self,
        schema: SchemaInfo,
        counts: dict[str, dict[str, Any]],
        class_sets: list[tuple[str, tuple[str, ...], str]],
        arrays: dict[str, np.ndarray],
        index: Callable[[], EdgeIndex | None],
    ) -> None:
        self.schema = schema
        self.counts = counts
        self.class_sets = class_sets
        self.arrays = arrays
        self._index = index
        self._loaded: list[EdgeIndex | None] = []
        #: Class set number -> the class IRIs asserted of its nodes.
        self.asserted: list[tuple[str, ...]] = []
        self._nodes: dict[str, Node] = {}

    # -- computing and keeping ----------------------------------------------------------
    @classmethod
    def compute(cls, kg: KnowledgeGraph, index: EdgeIndex) -> GraphFacts:
        """Derive every fact of ``kg`` from its adjacency ``index``."""
        edge_rows = kg.rules.edge_rows(index)
        node_class, class_sets, asserted = counting.class_sets(kg, index)
        type_of_set = [name for name, _classes, _label in class_sets]
        type_names = [type_of_set[c] for c in node_class.tolist()]
        neighbours, touching = counting.degrees(kg, index, edge_rows)
        texts = [t.encode("utf-8") for t in counting.labels(index)]
        label_ptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in texts], out=label_ptr[1:])
        counts = {}
        total = kg.backend.quad_count()
        for inferred in (True, False):
            found = counting.stats_counts(kg, index, edge_rows, type_names, inferred=inferred)
            counts[str(inferred).lower()] = {"triples": _triples(kg, total, inferred), **found}
        valued = np.zeros(len(index.terms), dtype=bool)
        valued[np.asarray(index.literal_s)] = True
        arrays = {
            "valued": valued,
            "node_class": node_class,
            "label_ptr": label_ptr,
            "label_text": np.frombuffer(b"".join(texts), dtype=np.uint8),
            "neighbours": neighbours,
            "touching": touching,
            "edge_rows": edge_rows,
        }
        facts = cls(kg.schema, counts, class_sets, arrays, lambda: index)
        facts.asserted = asserted
        return facts

    def save(self, folder: Path) -> None:
        """Write the facts into ``folder``; :meth:`load` reads them back."""
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", self.arrays[name], allow_pickle=False)
        data = {
            "schema": _encode_schema(self.schema),
            "counts": self.counts,
            "class_sets": self.class_sets,
            "asserted": self.asserted,
        }
        (folder / "facts.json").write_text(json.dumps(data), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, index: Callable[[], EdgeIndex | None]) -> GraphFacts | None:
        """The facts kept in ``folder`` (``None`` when unreadable); ``index`` gives their index."""
        try:
            data = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
            schema = _decode_schema(data["schema"])
            arrays = {
                n: np.asarray(np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False))
                for n in _ARRAYS
            }
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if schema is None:
            return None
        class_sets = [(a, tuple(b), c) for a, b, c in data["class_sets"]]
        facts = cls(schema, data["counts"], class_sets, arrays, index)
        facts.asserted = [tuple(a) for a in data["asserted"]]
        return facts

    # -- reading -----------------------------------------------------------------------
    def index(self) -> EdgeIndex | None:
        """The adjacency index the node arrays are aligned with (read once)."""
        if not self._loaded:
            self._loaded.append(self._index())
        return self._loaded[0]

    def stats(self, *, inferred: bool = True) -> dict[str, Any]:
        """The counts ``stats`` prints (the fields of :class:`graph.query.stats.GraphStats`)."""
        return dict(self.counts[str(inferred).lower()])

    def triples(self, *, inferred: bool = True) -> int:
        """How many statements the graph holds (those of inferred graphs left out if asked)."""
        return int(self.counts[str(inferred).lower()]["triples"])

    def node_id(self, iri: str) -> int | None:
        """The index's id of ``iri`` (``None`` for a blank node or an unknown IRI)."""
        index = self.index()
        if index is None or iri.startswith("_:"):
            return None
        return index.ids.get(iri)

    def node(self, iri: str) -> Node | None:
        """The :class:`~graph.model.Node` of ``iri``, as the graph names it, or ``None``."""
        found = self._nodes.get(iri)
        if found is not None:
            return found
        i = self.node_id(iri)
        if i is None:
            return None
        label = self.label_of(i)
        main, classes, type_label = self.class_sets[int(self.arrays["node_class"][i])]
        node = Node(
            id=iri,
            label=label or name_words(local_name(iri)) or iri,
            type=main,
            classes=classes,
            type_label=type_label,
        )
        if len(self._nodes) > 100_000:
            self._nodes.clear()
        self._nodes[iri] = node
        return node

    def types_of(self, nodes: Iterable[str]) -> dict[str, str]:
        """The main class (local name) of each of ``nodes`` this graph knows."""
        index = self.index()
        if index is None:
            return {}
        get = index.ids.get
        known = [(n, i) for n in nodes if (i := get(n)) is not None and not n.startswith("_:")]
        if not known:
            return {}
        sets = np.asarray(self.arrays["node_class"])[[i for _, i in known]].tolist()
        names = [name for name, _classes, _label in self.class_sets]
        return {n: names[c] for (n, _), c in zip(known, sets, strict=True)}

    def type_counts_at(self, ids: np.ndarray) -> dict[str, int]:
        """How many of the nodes ``ids`` (of :meth:`index`; no blank node) have each main
        class (local name), counted without naming a node."""
        sets = np.bincount(np.asarray(self.arrays["node_class"])[ids], minlength=1)
        counts: dict[str, int] = {}
        for number in np.flatnonzero(sets).tolist():
            name = self.class_sets[number][0] or "Resource"
            counts[name] = counts.get(name, 0) + int(sets[number])
        return counts

    def is_node(self, iri: str) -> bool | None:
        """Whether ``iri`` is a resource of the graph (its values, classes or edges), as
        :meth:`graph.core.kg.KnowledgeGraph.has_node` tells; ``None`` when unknown here."""
        i = self.node_id(iri)
        if i is None:
            return None
        arrays = self.arrays
        return bool(arrays["valued"][i] or arrays["node_class"][i] or arrays["touching"][i])

    def asserted_sets(self) -> list[tuple[str, ...]]:
        """Class set number -> the class IRIs its nodes are asserted to have."""
        return self.asserted

    def type_names(self) -> list[str]:
        """Node id -> the local name of its main class."""
        names = [name for name, _classes, _label in self.class_sets]
        return [names[c] for c in np.asarray(self.arrays["node_class"]).tolist()]

    def most_connected(self, types: Iterable[str] | None, top: int) -> list[tuple[str, int]]:
        """The ``top`` nodes touched by the most edges, of each main class in ``types``
        (of the whole graph when ``None``): (IRI, edges), class by class, the most
        connected first, ties by label, then IRI."""
        index = self.index()
        if index is None or top < 1:
            return []
        node_class = np.asarray(self.arrays["node_class"])
        touching = np.asarray(self.arrays["touching"])
        groups: list[np.ndarray] = []
        if types is None:
            groups.append(np.flatnonzero(touching))
        for wanted in types or ():
            sets = [i for i, (name, _c, _l) in enumerate(self.class_sets) if name == wanted]
            groups.append(np.flatnonzero(np.isin(node_class, sets) & (touching > 0)))
        out: list[tuple[str, int]] = []
        for nodes in groups:
            counts = touching[nodes]
            if len(nodes) > top:  # only those reaching the top count need sorting
                nodes = nodes[counts >= np.partition(counts, -top)[-top]]
            ranked = sorted(
                nodes.tolist(),
                key=lambda i: (-int(touching[i]), self.label_of(i), index.terms[i]),
            )
            out += [(index.terms[i], int(touching[i])) for i in ranked[:top]]
        return out

    def label_of(self, i: int) -> str:
        """The kept label of node id ``i`` (``""`` without one)."""
        ptr, text = self.arrays["label_ptr"], self.arrays["label_text"]
        return bytes(text[int(ptr[i]) : int(ptr[i + 1])]).decode("utf-8")


def _triples(kg: KnowledgeGraph, total: int, inferred: bool) -> int:
    """``total`` statements, less those of inferred graphs unless ``inferred``."""
    import pyoxigraph as ox

    store = kg.store
    if inferred or store is None:
        return total
    for graph in kg.graph_names():
        if kg.is_inferred_graph(graph):
            total -= sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    return total


# -- the schema as JSON ----------------------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return {"set": sorted(value, key=str)}
    if isinstance(value, Source):
        return {"source": dataclasses.asdict(value)}
    if isinstance(value, dict):
        return {"dict": [[k, _encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return {"list": [_encode(v) for v in value]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} of the schema")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "set" in value:
        return set(value["set"])
    if "source" in value:
        return Source(**value["source"])
    if "dict" in value:
        return {k: _decode(v) for k, v in value["dict"]}
    if "tuple" in value:
        return tuple(_decode(v) for v in value["tuple"])
    return [_decode(v) for v in value["list"]]


def _encode_schema(schema: SchemaInfo) -> dict[str, Any]:
    return {f.name: _encode(getattr(schema, f.name)) for f in dataclasses.fields(schema)}


def _decode_schema(data: dict[str, Any]) -> SchemaInfo | None:
    """The kept schema, or ``None`` when :class:`SchemaInfo` has other fields than were kept."""
    names = {f.name for f in dataclasses.fields(SchemaInfo)}
    if set(data) != names:
        return None
    return SchemaInfo(**{name: _decode(value) for name, value in data.items()})


def _write(store: ox.Store, index: EdgeIndex, folder: Path) -> None:
    from ..backends.local import LocalBackend
    from .kg import KnowledgeGraph

    kg = KnowledgeGraph(LocalBackend(store, index=index))
    GraphFacts.compute(kg, index).save(folder)


#: The facts as derived data of a persistent store (:mod:`graph.backends.derived`).
FACTS = Derived("facts", _digest(), _write)
#: Every piece of derived data the explorer keeps beside a persistent store, after its index.
KEPT = (FACTS,)
