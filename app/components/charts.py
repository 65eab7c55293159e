"""Bar charts of labelled counts, the one shape the Overview and SPARQL pages draw."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

__all__ = ["ranked_bars"]


def ranked_bars(
    frame: pd.DataFrame, label: str, value: str, *, label_limit: int = 320, **marks: Any
) -> alt.Chart:
    """Horizontal bars of ``value`` per ``label``, longest first, every label written out.

    ``marks`` go to the bar mark (``cursor="pointer"`` where a bar can be clicked);
    the caller adds colours, selections and the height.

    >>> chart = ranked_bars(pd.DataFrame({"skill": ["a", "b"], "n": [2, 1]}), "skill", "n")
    >>> chart.to_dict()["encoding"]["y"]["sort"]
    '-x'
    """
    return (
        alt.Chart(frame)
        .mark_bar(**marks)
        .encode(
            x=alt.X(f"{value}:Q", title=value),
            y=alt.Y(
                f"{label}:N",
                sort="-x",
                title=None,
                axis=alt.Axis(labelLimit=label_limit, labelOverlap=False, labelFontSize=13),
            ),
            tooltip=[label, value],
        )
    )
