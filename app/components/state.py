"""The view lives in the address: read widget values from ``st.query_params`` and write them back.

Each page declares its parameters once (:class:`Param`); :func:`restore` fills
``st.session_state`` from the address before the widgets are drawn, and
:func:`publish` writes the current values back, leaving defaults out so the
address stays short.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from graph.core.choice import LANG_TAG, VIEWS

from .launch import launch

__all__ = ["PAGE_PARAMS", "Param", "begin", "publish", "restore"]


@dataclass(frozen=True)
class Param:
    """A widget ``key`` mirrored in the address as ``name``.

    A whole number read from the address is brought within ``low`` and
    ``high`` (and onto ``step`` from ``low``), the range of its widget: a link
    holding ``max_hops=100`` opens the page at the largest value allowed
    instead of failing.

    >>> Param("k", "k", 5, int, low=1, high=10).parse(["10000"])
    10
    >>> Param("cap", "cap", 30, int, low=5, high=200, step=5).parse(["-3"])
    5

    A value ``allowed`` refuses is dropped: the default stands in for it, and
    a list keeps the values allowed.

    >>> Param("v", "view", "auto", allowed=VIEWS.__contains__).parse(["<b>x</b>"])
    'auto'
    """

    key: str
    name: str
    default: Any
    kind: type = str  # str, int, bool or list
    low: int | None = None
    high: int | None = None
    step: int = 1
    allowed: Callable[[str], bool] | None = None

    def parse(self, values: list[str]) -> Any:
        if self.allowed is not None:
            values = [v for v in values if self.allowed(v)]
        if self.kind is list:
            return [v for v in values if v]
        if not values:
            return self.default
        raw = values[-1]
        if self.kind is bool:
            return raw.lower() not in ("0", "false", "no", "off")
        if self.kind is int:
            try:
                return self._within(int(raw))
            except ValueError:
                return self.default
        return raw

    def _within(self, value: int) -> int:
        if self.low is not None:
            value = max(value, self.low)
            value -= (value - self.low) % self.step
        if self.high is not None:
            value = min(value, self.high)
        return value

    def dump(self, value: Any) -> str | list[str] | None:
        if value is None or value == self.default:
            return None
        if self.kind is list:
            return [str(v) for v in value] or None
        if self.kind is bool:
            return "1" if value else "0"
        return str(value)


def _address() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def begin() -> None:
    """Note, once at the top of a run, whether the address changed outside the app.

    The browser's Back and Forward buttons, an edited or a pasted address all
    change it outside the app; then the view is read again from the address.
    """
    st.session_state["_address_changed"] = st.session_state.get("_published") != _address()


def restore(params: Iterable[Param]) -> None:
    """Put the address's values into session state: first time, or when the address changed."""
    changed = st.session_state.get("_address_changed", True)
    page = PAGE_PARAMS[0]
    # Right after a switch of page, the address still holds the previous page's values.
    current = st.session_state.get(page.key)
    ours = page.parse(st.query_params.get_all(page.name)) == current
    # Streamlit forgets the value of a widget that a run did not draw: coming back to a
    # page, its values are those it last wrote into the address.
    saved = st.session_state.get("_page_addresses", {}).get(current, {})
    for param in params:
        if param.key in st.session_state and not changed:
            continue
        if ours or param in PAGE_PARAMS:  # the graph's settings belong to every page
            values = st.query_params.get_all(param.name)
        else:
            values = saved.get(param.name, [])
        st.session_state[param.key] = param.parse(values)


def publish(params: Iterable[Param]) -> None:
    """Make the address the page and the current values of ``params``, and nothing else.

    Each page owns its parameters: another page's values never ride along. A
    change becomes one step of the browser's history.
    """
    wanted: dict[str, list[str]] = {}
    for param in (*PAGE_PARAMS, *params):
        value = param.dump(st.session_state.get(param.key, param.default))
        if value is not None:
            wanted[param.name] = value if isinstance(value, list) else [value]
    if wanted != _address():
        st.query_params.from_dict(wanted)
    st.session_state["_published"] = wanted
    page = st.session_state.get(PAGE_PARAMS[0].key)
    st.session_state.setdefault("_page_addresses", {})[page] = wanted
    st.session_state["_address_changed"] = False


#: A named graph's name as the address may give it: an absolute IRI, nothing that is markup.
GRAPH_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]{1,2000}")


def _graph_params() -> tuple[Param, ...]:
    started = launch()
    return (
        Param("graph_view", "show", started.view, allowed=VIEWS.__contains__),
        Param("graph_lang", "lang", started.lang.lower(), allowed=LANG_TAG.fullmatch),
        Param("graph_graphs", "graph", [], list, allowed=GRAPH_IRI.fullmatch),
    )


#: The parameters every page's address carries: which page it is, and which graph it
#: explores (view, label language, named graphs), as the command line's options say it.
PAGE_PARAMS: tuple[Param, ...] = (Param("page", "page", "Explore"), *_graph_params())
