"""A text one has analysed, kept as a new source of the graph: what it asks of a role.

:func:`save_source` writes a TriG file that ``--data`` loads beside the
knowledge base.  The text becomes an article (``mlc:Article``: a title, the
date it was saved, its file name); each concept it names becomes a statement
that the role asks for it (``requires skill``, ``uses tool``, ``requires
qualification``), in a section graph of its own whose locator says where in
the text the name stands.  So the explorer then counts the text among the
sources of those statements ("stated by 4 of 5 articles").  Nothing of the
text is kept but the names matched and their places.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import BadInput
from ..query.plan import is_role
from ..vocab.namespaces import DCT, MLC, RDF, SRC
from .loading import DEFAULT_DATA_DIR

if TYPE_CHECKING:
    from ..core.kg import KnowledgeGraph
    from ..model import Node
    from ..query.analyse import Analysis

__all__ = ["save_source"]

#: The predicate a role asks for a node with, by the node's main class.
ASKS = {"Tool": MLC.usesTool, "Qualification": MLC.requiresQualification}
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(title: str) -> str:
    """A file and IRI name for ``title``.

    >>> slug("ML engineer at Acme, 2026!")
    'ml-engineer-at-acme-2026'
    """
    return _SLUG.sub("-", title.casefold()).strip("-")[:60] or "text"


def save_source(
    kg: KnowledgeGraph,
    analysis: Analysis,
    *,
    title: str,
    folder: str | Path,
    role: Node,
    today: datetime.date | None = None,
) -> Path:
    """Write what ``analysis`` found as a source stating what ``role`` asks for.

    Returns the path of the TriG file written (``FOLDER/<slug>.trig``).

    Raises
    ------
    BadInput
        The title is empty, the folder is inside the embedded knowledge base,
        or the file cannot be written.
    """
    name = slug(title.strip()) if title.strip() else ""
    if not name:
        raise BadInput("give the new source a title (--save-as NAME)")
    target = Path(folder).expanduser().resolve()
    if target == DEFAULT_DATA_DIR.resolve() or DEFAULT_DATA_DIR.resolve() in target.parents:
        raise BadInput(f"{folder} is inside the embedded knowledge base; choose a folder of yours")
    article = ox.NamedNode(f"{SRC}saved/{name}")
    about = ox.NamedNode(f"{SRC}saved/{name}/about")
    quads = [
        ox.Quad(article, ox.NamedNode(RDF.type), ox.NamedNode(MLC.Article), about),
        ox.Quad(article, ox.NamedNode(DCT.title), ox.Literal(title.strip()), about),
        ox.Quad(article, ox.NamedNode(DCT.identifier), ox.Literal(f"{name}.trig"), about),
        ox.Quad(
            article,
            ox.NamedNode(DCT.date),
            ox.Literal(
                (today or datetime.date.today()).isoformat(),
                datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"),
            ),
            about,
        ),
    ]
    seen: set[str] = set()
    for i, mention in enumerate(analysis.mentions, start=1):
        node = analysis.nodes[mention.node]
        if node.id == role.id or node.id in seen or is_role(node):
            continue
        seen.add(node.id)
        section = ox.NamedNode(f"{SRC}saved/{name}/m{i}")
        where = f"characters {mention.start}-{mention.end}: {mention.text}"
        quads += [
            ox.Quad(section, ox.NamedNode(RDF.type), ox.NamedNode(MLC.SourceSection), about),
            ox.Quad(section, ox.NamedNode(DCT.isPartOf), article, about),
            ox.Quad(section, ox.NamedNode(MLC.locator), ox.Literal(where), about),
            ox.Quad(
                ox.NamedNode(role.id),
                ox.NamedNode(ASKS.get(node.type, MLC.requiresSkill)),
                ox.NamedNode(node.id),
                section,
            ),
        ]
    path = target / f"{name}.trig"
    try:
        target.mkdir(parents=True, exist_ok=True)
        data = ox.serialize(
            quads, format=ox.RdfFormat.TRIG, prefixes={"mlc": str(MLC), "src": str(SRC)}
        )
        path.write_bytes(data)
    except OSError as err:
        raise BadInput(f"cannot write {path}: {err.strerror or err}") from err
    return path
