"""How deeply an RDF document nests, read before any parser sees it.

Parsers recurse once per level of nesting, and some take time or memory out of
proportion with it: JSON-LD objects nested 3,000 deep (18 KB) took 1.9 GB to
parse and 6,000 deep crashed the interpreter; RDF/XML nested 50,000 deep took
52 s.  :func:`check_nesting` scans the bytes once (strings, IRIs and comments
are skipped, so a bracket inside a literal does not count) and refuses a
document nested deeper than :data:`MAX_NESTING`, naming the line.  Real data
nests a few levels: a blank node inside a blank node, an object in a list.

The scanner is a handful of regular expressions without nested repetition,
so it runs in time linear in the document.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Callable

import pyoxigraph as ox

from ..errors import UnsafeInput

__all__ = ["MAX_NESTING", "Buffer", "check_nesting", "has_triple_terms", "nesting_depth"]

#: What the scanner reads: a document's bytes, or a file mapped into memory.
Buffer = bytes | mmap.mmap

#: Levels of nesting accepted (objects and lists in JSON-LD, blank nodes, collections
#: and quoted triples in Turtle, elements in RDF/XML).
MAX_NESTING = 256

_JSON = re.compile(rb'"(?:[^"\\]|\\.)*"|([\[{])|([\]}])', re.DOTALL)
_TURTLE = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n]|\\.)*"'
    rb"|'(?:[^'\\\n]|\\.)*'"
    rb"|#[^\n]*"
    rb"|(<<\(?|[\[(])"
    rb"|(\)?>>|[\])])"
    rb"|<[^<>\s]*>",
    re.DOTALL,
)
_XML = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>"
    rb"|(</)"
    rb"|<[^>]*/>"
    rb"|(<)[^>]*>",
    re.DOTALL,
)
_TOKENS: dict[ox.RdfFormat, tuple[re.Pattern[bytes], bool]] = {
    ox.RdfFormat.JSON_LD: (_JSON, False),
    ox.RdfFormat.TURTLE: (_TURTLE, False),
    ox.RdfFormat.TRIG: (_TURTLE, False),
    ox.RdfFormat.N3: (_TURTLE, False),
    ox.RdfFormat.N_TRIPLES: (_TURTLE, False),
    ox.RdfFormat.N_QUADS: (_TURTLE, False),
    ox.RdfFormat.RDF_XML: (_XML, True),
}


def nesting_depth(
    data: Buffer, fmt: ox.RdfFormat, *, stop_at: int | None = None
) -> tuple[int, int]:
    """The deepest nesting of ``data`` read as ``fmt``, and the offset where it is reached.

    With ``stop_at``, the scan ends as soon as that depth is reached.

    >>> nesting_depth(b'{"a": [1, {"b": "[[[["}]}', ox.RdfFormat.JSON_LD)
    (3, 10)
    >>> nesting_depth(b"<a> <p> [ <q> ( 1 2 [ ] ) ] . # [[[[", ox.RdfFormat.TURTLE)[0]
    3
    >>> nesting_depth(b"<r><a x='1'><b/><c>t</c></a></r>", ox.RdfFormat.RDF_XML)[0]
    3
    """
    entry = _TOKENS.get(fmt)
    if entry is None:
        return 0, 0
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) and data.find(b"<<") < 0:
        return 0, 0  # line formats nest only in triple terms: skip the scan of big dumps
    pattern, xml = entry
    depth = deepest = where = 0
    closes: Callable[[re.Match[bytes]], bool] = (
        (lambda m: m.group(1) is not None) if xml else (lambda m: m.group(2) is not None)
    )
    opens_group = 2 if xml else 1
    for match in pattern.finditer(data):
        if match.group(opens_group) is not None:
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
                if stop_at is not None and deepest >= stop_at:
                    break
        elif closes(match):
            depth -= 1
    return deepest, where


def check_nesting(name: str, data: Buffer, fmt: ox.RdfFormat, *, limit: int = MAX_NESTING) -> None:
    """Refuse ``data`` when it nests deeper than ``limit`` levels.

    Raises
    ------
    UnsafeInput
        Names the file, the line where the limit is passed and the limit.

    Examples
    --------
    >>> check_nesting("deep.jsonld", b'{"a": ' * 300 + b"1" + b"}" * 300, ox.RdfFormat.JSON_LD)
    Traceback (most recent call last):
    ...
    graph.errors.UnsafeInput: deep.jsonld, line 1: nested more than 256 levels deep; ...
    """
    deepest, where = nesting_depth(data, fmt, stop_at=limit + 1)
    if deepest > limit:
        line = bytes(data[:where]).count(b"\n") + 1
        raise UnsafeInput(
            f"{name}, line {line}: nested more than {limit} levels deep; parsers take time "
            "and memory out of proportion with such nesting, so the file is refused"
        )


def has_triple_terms(data: Buffer, fmt: ox.RdfFormat) -> bool:
    """Whether ``data`` holds RDF 1.2 triple terms (``<<( ... )>>`` or ``<< ... >>``).

    >>> has_triple_terms(b'<a> <p> "<<" . <a> <q> <<( <b> <c> <d> )>> .', ox.RdfFormat.TURTLE)
    True
    >>> has_triple_terms(b'<a> <p> "<< not one >>" .', ox.RdfFormat.TURTLE)
    False
    """
    if _TOKENS.get(fmt, (None,))[0] is not _TURTLE or data.find(b"<<") < 0:
        return False
    return any(
        (opened := match.group(1)) is not None and opened.startswith(b"<<")
        for match in _TURTLE.finditer(data)
    )
