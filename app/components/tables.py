"""A view as tables: the nodes and the edges, the same content as the drawing."""

from __future__ import annotations

import streamlit as st

from graph.io.selection import Selection
from graph.io.words import source_text

__all__ = ["tables"]


def tables(selection: Selection, key: str) -> None:
    """The nodes and edges of ``selection`` as two tables side by side."""
    import pandas as pd  # only when tables are asked for: the first page need not wait for it

    labels = {n.id: n.label for n in selection.nodes}
    nodes = pd.DataFrame(
        [{"label": n.label, "class": n.type_label or n.type, "IRI": n.id} for n in selection.nodes]
    )
    edges = pd.DataFrame(
        [
            {
                "from": labels.get(e.source, e.source),
                "relation": e.label,
                "to": labels.get(e.target, e.target),
                "inferred": e.inferred,
                "articles": len(e.articles),
                "sources": "; ".join(source_text(s) for s in e.sources),
            }
            for e in selection.edges
        ]
    )
    c1, c2 = st.columns([2, 3])
    c1.dataframe(nodes, hide_index=True, key=f"{key}_nodes", height=300)
    c2.dataframe(edges, hide_index=True, key=f"{key}_edges", height=300)
