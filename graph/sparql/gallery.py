"""The gallery of ready-made queries: ``ontology/queries/*.rq``, each with a title and text."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import BadInput
from ..io.loading import DEFAULT_DATA_DIR
from ..vocab.labels import humanize

__all__ = ["DEFAULT_QUERIES_DIR", "GalleryQuery", "gallery"]

DEFAULT_QUERIES_DIR = DEFAULT_DATA_DIR / "queries"


@dataclass(frozen=True)
class GalleryQuery:
    """A ready-made query of the gallery: file name, title, description and text."""

    name: str
    title: str
    description: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def gallery(path: str | Path | None = None) -> list[GalleryQuery]:
    """The ready-made queries in ``path`` (``ontology/queries`` by default), in file order.

    Each ``.rq`` file starts with comment lines ``# title: ...`` and
    ``# description: ...``; a comment line without a key continues the one
    before it.  The text returned is the whole file.

    Examples
    --------
    >>> queries = gallery()
    >>> all(q.title and q.text for q in queries)
    True
    """
    folder = Path(path) if path is not None else DEFAULT_QUERIES_DIR
    if not folder.is_dir():
        raise BadInput(f"no such folder of queries: {folder}")
    return [_read_gallery_query(file) for file in sorted(folder.glob("*.rq"))]


def _read_gallery_query(file: Path) -> GalleryQuery:
    text = file.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        match = re.match(r"(\w+):\s*(.*)", body)
        if match and match.group(1).lower() in ("title", "description"):
            key = match.group(1).lower()
            header[key] = match.group(2)
        elif key and body:
            header[key] += " " + body
    title = header.get("title") or humanize(re.sub(r"^\d+-", "", file.stem).replace("-", " "))
    title = title[:1].upper() + title[1:]
    return GalleryQuery(file.stem, title, header.get("description", ""), text)
