"""Small display helpers shared by the pages: text from data is always shown as text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

import graph

__all__ = [
    "focus_button",
    "focus_clicked",
    "md",
    "session_id",
    "set_focus",
    "shows_errors",
    "waiting_note",
]

# Every character Streamlit's Markdown gives a meaning to (links, images,
# emphasis, HTML, directives like :red[...] and :material/...:, LaTeX).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-!|~$=&\"'])")
# GitHub-flavoured Markdown links a bare address (``https://``, ``www.``, ``a@b``,
# ``mailto:``) even when its characters are escaped or written as references; an
# invisible word joiner (U+2060) before ``:``, ``@`` and the dot of ``www.`` breaks
# the pattern and shows the same text (checked in Chromium: tests/app/test_markdown_browser.py).
_AUTOLINK = re.compile(r"(?=@)|(?<=www)(?=\\?\.)", re.IGNORECASE)
_JOINER = "\u2060"
# A colon also opens Streamlit's directives (``:red[...]``): written as a reference.
_COLON = _JOINER + "&#58;"


def md(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally: no links, images or HTML.

    >>> md("[x](https://e.org) <b>").replace("\\u2060", "^")
    '\\\\[x\\\\]\\\\(https^&#58;//e.org\\\\) \\\\<b\\\\>'
    """
    escaped = _MARKDOWN.sub(r"\\\1", str(text))
    escaped = _AUTOLINK.sub(_JOINER, escaped).replace(":", _COLON)
    return escaped.replace("\n", "  \n")


@contextmanager
def shows_errors() -> Iterator[None]:
    """Show the package's errors as messages; the rest of the page carries on."""
    try:
        yield
    except graph.NothingFound as err:
        st.warning(md(err))
    except graph.GraphError as err:
        st.error(md(err))


def set_focus(node: str, page: str | None = None) -> None:
    """Start Explore's view from ``node`` (and switch page when asked)."""
    st.session_state["focus"] = node
    st.session_state["explore_steps"] = []
    st.session_state["explore_node"] = node
    if page:
        st.session_state["page"] = page


def focus_button(
    label: str, node: str, *, key: str, help: str | None = None, kind: str = "tertiary"
) -> None:
    """A button that focuses ``node`` on the Explore page (``help`` is Markdown, escape it)."""
    callback: Callable[..., None] = set_focus
    st.button(
        md(label),
        key=key,
        help=help,
        on_click=callback,
        args=(node, "Explore"),
        type=kind,  # type: ignore[arg-type]
    )


def focus_clicked(key: str) -> None:
    """Focus, on Explore, the node last clicked in the graph drawn under ``key``."""
    action = (st.session_state.get(key) or {}).get("action")
    if isinstance(action, dict) and isinstance(action.get("node"), str):
        set_focus(action["node"], "Explore")


def session_id() -> str:
    """This browser session's id: the work the package shares out is shared per session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def waiting_note(work: str = "query") -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A note that says while work waits for a free process, and a function clearing it.

    The first is the ``on_wait`` of :func:`graph.sparql.run_query` (and of
    :class:`graph.query.isolated.TaskLimits`): it is told how many requests go
    first (``-1``: this session's previous one still runs). ``work`` names what
    waits: ``"query"``, ``"path search"``, ``"reading"``.
    """
    slot = st.empty()

    def tell(ahead: int, processes: int) -> None:
        if ahead < 0:
            slot.info(f"Your {work} waits for your previous query or search to finish…")
        else:
            slot.info(
                f"All {processes} query processes are busy with other sessions' work; "
                f"your {work} is next after {ahead}. Waiting…"
                if ahead
                else f"All {processes} query processes are busy; "
                f"your {work} runs as soon as one is free…"
            )

    return tell, slot.empty
