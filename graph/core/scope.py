"""Choosing the named graphs a graph explores (``--graph``)."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..errors import BadInput

__all__ = ["keep_graphs"]


def keep_graphs(store: ox.Store, graphs: Sequence[str]) -> None:
    """Drop every named graph of ``store`` but ``graphs`` (and the default graph).

    >>> store = ox.Store()
    >>> keep_graphs(store, ["http://e/g"])
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: no graph named 'http://e/g' in the data; its graphs: none
    """
    present = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    missing = [g for g in graphs if g not in present]
    if missing:
        known = ", ".join(sorted(present)[:20]) or "none"
        raise BadInput(f"no graph named {missing[0]!r} in the data; its graphs: {known}")
    for g in sorted(present - set(graphs)):
        store.remove_graph(ox.NamedNode(g))
    store.clear_graph(ox.DefaultGraph())
