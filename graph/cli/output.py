"""Writing answers to a terminal: data made safe to print, and the shapes of paths and sources.

Labels come from data, and data can hold terminal escape sequences or
right-to-left overrides that would repaint the screen or disguise what is
printed; :func:`clean` shows them as a replacement character instead, and
shortens a very long label.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from ..io import words
from ..model import Edge, Path

__all__ = ["clean", "emit", "emit_error", "path_text", "sources_text"]

#: Longest label printed whole; longer ones are cut with an ellipsis.
MAX_LABEL = 200
# C0 and C1 control characters (tab and newline aside) and the bidirectional controls.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object, limit: int = MAX_LABEL) -> str:
    """``text`` safe to print: control and direction characters replaced, length capped.

    >>> clean("Py\\x1b[31mthon\\u202e")
    'Py�[31mthon�'
    >>> clean("x" * 10, limit=4)
    'xxx…'
    """
    out = _UNSAFE.sub("\ufffd", str(text))
    return out if len(out) <= limit else out[: limit - 1] + "…"


def emit(as_json: bool, data: dict[str, Any], text: str) -> None:
    """Print the answer: ``data`` as JSON, or ``text`` for a person."""
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(text)


def emit_error(as_json: bool, message: str, code: int) -> None:
    """One line on stderr: ``error: ...``, or ``{"error": ..., "code": ...}`` with ``--json``."""
    if as_json:
        print(json.dumps({"error": message, "code": code}, ensure_ascii=False), file=sys.stderr)
    else:
        print(f"error: {clean(message, limit=2000)}", file=sys.stderr)


def sources_text(edge: Edge) -> str:
    """`` (inferred)  [Article one: Section; Other | Article two]``: printed after an edge."""
    flag = " (inferred)" if edge.inferred else ""
    text = clean(words.sources_text(edge), limit=2000)
    return f"{flag}  [{text}]" if text else flag


def path_text(path: Path) -> str:
    """A path on one line: ``A -label-> B <-label- C``."""
    parts = [clean(path.nodes[0].label)]
    for node, edge in zip(path.nodes[1:], path.edges, strict=True):
        label = clean(edge.label)
        arrow = f" -{label}-> " if edge.target == node.id else f" <-{label}- "
        parts += [arrow, clean(node.label)]
    return "".join(parts)
