"""Housekeeping of the app's process: memory given back, pages made ready before they are asked.

:func:`prepare_pages` imports, once per process and after its first page is
served, the modules of the pages not yet shown (Overview's charts, the SPARQL
editor and its checks...), so that the first visit of each does not wait for a
second or more of imports.

Each session's page leaves freed objects behind, and glibc keeps freed pages
in one heap ("arena") per thread that allocated them: with a script thread per
session, the server's resident size grew by a quarter under sixteen sessions
and stayed there after they were gone.  :func:`keep_memory_trimmed` caps the
arenas at :data:`ARENAS` (``mallopt``) and, every :data:`PERIOD` seconds,
collects cycles and asks glibc to return free pages (``malloc_trim``): after
the load test the app was back within 5% of its resident size before it.

A collection of the whole heap holds every session while it runs (190 ms
with the pages imported), so the first one also freezes what is alive then
(``gc.freeze``: the graph, the modules, the caches, which live as long as the
process): later collections, this thread's and Python's own, look only at
what came after.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import importlib
import threading
import time
from collections.abc import Callable, Iterable

import streamlit as st

__all__ = ["ARENAS", "PERIOD", "keep_memory_trimmed", "prepare_pages", "tidy"]

#: Seconds between two trims.
PERIOD = 20.0
#: Heaps glibc may keep for the process's threads.
ARENAS = 2
_M_ARENA_MAX = -8


@st.cache_resource(show_spinner=False)
def keep_memory_trimmed() -> threading.Thread | None:
    """Start the trimming thread of this process (once); ``None`` without glibc."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = libc.malloc_trim if libc is not None else None
    except (OSError, AttributeError):
        trim = None
    if trim is None:
        return None
    libc.mallopt(_M_ARENA_MAX, ARENAS)  # type: ignore[union-attr]

    def run() -> None:
        first = True
        while True:
            time.sleep(PERIOD)
            tidy(trim, freeze=first)
            first = False

    thread = threading.Thread(target=run, name="memory-trim", daemon=True)
    thread.start()
    return thread


def tidy(trim: Callable[[int], object] | None = None, *, freeze: bool = False) -> None:
    """Collect cycles, then keep what is left out of later collections if ``freeze``; trim.

    >>> import gc
    >>> tidy(freeze=True); gc.get_freeze_count() > 0
    True
    >>> gc.unfreeze()
    """
    gc.collect()
    if freeze:
        gc.freeze()
    if trim is not None:
        trim(0)


#: Seconds the first page is given before the other pages' imports start beside it.
PREPARE_AFTER = 3.0


@st.cache_resource(show_spinner=False)
def prepare_pages(modules: tuple[str, ...]) -> threading.Thread:
    """Import ``modules`` in a thread of their own, once per process, a little later.

    A module that fails to import is left for its page to report when it is shown.
    """

    def run(names: Iterable[str]) -> None:
        time.sleep(PREPARE_AFTER)
        for name in names:
            with contextlib.suppress(Exception):
                importlib.import_module(name)

    thread = threading.Thread(target=run, args=(modules,), name="prepare-pages", daemon=True)
    thread.start()
    return thread
