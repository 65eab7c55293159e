"""The view lives in the address: read widget values from ``st.query_params`` and write them back.

Each page declares its parameters once (:class:`Param`); :func:`restore` fills
``st.session_state`` from the address before the widgets are drawn, and
:func:`publish` writes the current values back, leaving defaults out so the
address stays short.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

__all__ = ["Param", "publish", "restore"]


@dataclass(frozen=True)
class Param:
    """A widget ``key`` mirrored in the address as ``name``."""

    key: str
    name: str
    default: Any
    kind: type = str  # str, int, bool or list

    def parse(self, values: list[str]) -> Any:
        if self.kind is list:
            return [v for v in values if v]
        if not values:
            return self.default
        raw = values[-1]
        if self.kind is bool:
            return raw.lower() not in ("0", "false", "no", "off")
        if self.kind is int:
            try:
                return int(raw)
            except ValueError:
                return self.default
        return raw

    def dump(self, value: Any) -> str | list[str] | None:
        if value is None or value == self.default:
            return None
        if self.kind is list:
            return [str(v) for v in value] or None
        if self.kind is bool:
            return "1" if value else "0"
        return str(value)


def restore(params: Iterable[Param]) -> None:
    """Put the address's values into session state, once per session and key."""
    for param in params:
        if param.key in st.session_state:
            continue
        st.session_state[param.key] = param.parse(st.query_params.get_all(param.name))


def publish(params: Iterable[Param]) -> None:
    """Write the current values of ``params`` into the address."""
    for param in params:
        value = param.dump(st.session_state.get(param.key, param.default))
        if value is None:
            if param.name in st.query_params:
                del st.query_params[param.name]
        elif st.query_params.get_all(param.name) != (value if isinstance(value, list) else [value]):
            st.query_params[param.name] = value
