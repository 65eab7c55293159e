"""Every name of every resource in SQLite: exact keys, whole words and a word list for typos.

Search and the reading of questions look names up in three ways: a name
equal to a text (``data scientist``), names holding every word of a text
(``deep learnin`` -> ``deep learning engineer``) and, for typos, names whose
words are within an edit or two of the text's.  :class:`NameIndex` answers
the first two from SQLite (a B-tree on the folded name, and an FTS5 table of
its words, both in Python's standard library) and keeps the distinct words
for the third, which :mod:`rapidfuzz` compares in C.

Rows are stored best first (the node with more statements, a label before an
alternative label, a shorter name), so taking the first rows of a match in
row order gives the best-connected names without sorting.  A persistent
store writes the index beside its database when it is built
(:mod:`graph.backends.store`); a graph in memory builds it in memory on first
use; a remote endpoint ranks the few names it sends in a throwaway one.

>>> index = NameIndex.build([("http://e/py", 0, "Python"), ("http://e/py", 2, "py")])
>>> [(r.node, r.text, r.kind) for r in index.exact(["python"])]
[('http://e/py', 'Python', 0)]
>>> [r.text for r in index.with_words([["pyth"]], last_prefix=True)]
['Python']
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..terms import from_ox
from ..vocab.labels import ALIAS_PREDICATES, HIDDEN_PREDICATES, LABEL_PREDICATES
from ..vocab.text import normalize

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .edge_index import EdgeIndex

__all__ = ["KIND_ALIAS", "KIND_HIDDEN", "KIND_LABEL", "NameIndex", "NameRow", "degree_counts"]

#: What kind of name a row holds: a label, an alternative label, a hidden label.
KIND_LABEL, KIND_ALIAS, KIND_HIDDEN = 0, 1, 2
VERSION = 3  # 2: names also without possessives; 3: names in every language
_FILE = "names.sqlite"
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE nodes(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, degree INTEGER NOT NULL);
CREATE TABLE names(id INTEGER PRIMARY KEY, node INTEGER NOT NULL, kind INTEGER NOT NULL,
                   key TEXT NOT NULL, text TEXT NOT NULL, lang TEXT);
CREATE TABLE vocabulary(word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE words USING fts5(key, content='names', content_rowid='id',
    tokenize="unicode61 tokenchars '+#'", prefix='2 3', columnsize=0, detail=none);
"""
_SELECT = (
    "SELECT n.iri, m.text, m.key, m.kind, n.degree, m.lang"
    " FROM names m JOIN nodes n ON n.id = m.node "
)
_KINDS = {
    **{p: KIND_HIDDEN for p in HIDDEN_PREDICATES},
    **{p: KIND_ALIAS for p in ALIAS_PREDICATES},
    **{p: KIND_LABEL for p in LABEL_PREDICATES},
}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_POSSESSIVE = re.compile("['\u2019]s\\b")
#: The last character of Unicode: ``key < prefix || _TOP`` bounds a range of keys.
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class NameRow:
    """One name: the node it names, the text, its folded key, its kind, the node's degree."""

    node: str
    text: str
    key: str
    kind: int
    degree: int
    lang: str | None = None

    def kind_in(self, lang: str | None) -> int:
        """The kind for a reader of ``lang``: a label in another language counts as an
        alternative label (untagged names are every language's)."""
        if self.kind != KIND_LABEL or not self.lang or not lang:
            return self.kind
        same = self.lang == lang or self.lang.startswith(lang + "-")
        return self.kind if same else KIND_ALIAS


class NameIndex:
    """Names in an SQLite database (a file beside a store, or in memory)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._vocabulary: list[str] | None = None

    # -- building -------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        names: Iterable[tuple[str, int, str] | tuple[str, int, str, str | None]],
        degrees: Mapping[str, int] | None = None,
        *,
        path: Path | None = None,
    ) -> NameIndex:
        """An index of ``names`` (node, kind, text[, language]); ``degrees`` ranks equal
        matches.  Written to ``path`` (replaced) when given, else kept in memory.
        """
        degrees = degrees or {}
        best: dict[tuple[str, str, str | None], tuple[int, str]] = {}
        for node, kind, text, *tagged in names:
            lang = tagged[0] if tagged else None
            for key, variant in _keys(text):
                rank = KIND_HIDDEN if variant else kind  # a variant ranks as a hidden label
                if key and ((node, key, lang) not in best or rank < best[node, key, lang][0]):
                    best[node, key, lang] = (rank, text)
        rows = sorted(
            ((node, key, kind, text, lang) for (node, key, lang), (kind, text) in best.items()),
            key=lambda r: (-degrees.get(r[0], 0), r[2], len(r[1]), r[1], r[0], r[4] or ""),
        )
        if path is not None:
            path.unlink(missing_ok=True)
        connection = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        node_ids: dict[str, int] = {}
        for node, *_rest in rows:
            node_ids.setdefault(node, len(node_ids) + 1)
        connection.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?)",
            ((i, node, int(degrees.get(node, 0))) for node, i in node_ids.items()),
        )
        connection.executemany(
            "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)",
            (
                (i, node_ids[node], kind, key, text, lang)
                for i, (node, key, kind, text, lang) in enumerate(rows, 1)
            ),
        )
        connection.executemany(
            "INSERT INTO vocabulary VALUES (?)",
            ((w,) for w in sorted({w for row in rows for w in row[1].split()})),
        )
        connection.executescript(
            "CREATE INDEX names_key ON names(key);"
            "INSERT INTO words(words) VALUES ('rebuild');"
            "INSERT INTO words(words) VALUES ('optimize');"
        )
        connection.execute("INSERT INTO meta VALUES ('version', ?)", (str(VERSION),))
        connection.commit()
        return cls(connection)

    @classmethod
    def from_edge_index(cls, index: EdgeIndex, *, path: Path | None = None) -> NameIndex:
        """The names an :class:`~graph.backends.edge_index.EdgeIndex` read, ranked by how many
        statements (other than ``rdf:type``) touch each node."""
        import numpy as np

        n = len(index.terms)
        keep = index.p != index.predicate_ids.get(_RDF_TYPE, -1)
        s, p, o = (index.s[keep], index.p[keep], index.o[keep])
        # a statement stated in several graphs counts once (see :func:`degree_counts`)
        triples = np.unique(np.stack((s, p, o)).astype(np.int64), axis=1)
        counts = np.bincount(triples[0], minlength=n) + np.bincount(triples[2], minlength=n)
        names = [
            (node, kind, text, lang or None)
            for node, predicate, text, lang in index.name_rows()
            if (kind := _KINDS.get(predicate)) is not None
        ]
        named = sorted(set(index.names["node"]))  # ids: no IRI looked up again
        degrees = {index.terms[i]: int(counts[i]) for i in named}
        return cls.build(names, degrees, path=path)

    @classmethod
    def from_store(cls, store: ox.Store) -> NameIndex:
        """The names of a (small) store read statement by statement, in memory."""
        import pyoxigraph as ox

        names: list[tuple[str, int, str, str | None]] = []
        triples: list[tuple[str, str, str]] = []
        for q in store.quads_for_pattern(None, None, None, None):
            subject, obj = q.subject, q.object
            if isinstance(obj, ox.Literal):
                kind = _KINDS.get(q.predicate.value)
                named = isinstance(subject, ox.NamedNode)
                if kind is not None and named:
                    names.append((subject.value, kind, obj.value, obj.language or None))
            else:
                triples.append((from_ox(subject), q.predicate.value, from_ox(obj)))  # type: ignore[arg-type]
        return cls.build(names, degree_counts(triples))

    @classmethod
    def open(cls, folder: Path) -> NameIndex | None:
        """The index written into ``folder``, or ``None`` when it is missing or of another version.

        The file is opened read-only and immutable: a store replaces the whole
        folder when it rewrites the index, never the file in place.
        """
        path = folder / _FILE
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != str(VERSION):
            connection.close()
            return None
        return cls(connection)

    @staticmethod
    def file(folder: Path) -> Path:
        """The database file of the index kept in ``folder``."""
        return folder / _FILE

    # -- lookups ----------------------------------------------------------------------
    def _rows(self, sql: str, args: Sequence[object]) -> list[NameRow]:
        return [NameRow(*row) for row in self.connection.execute(sql, args)]

    def exact(self, keys: Sequence[str]) -> list[NameRow]:
        """The names whose folded text is one of ``keys``, best first."""
        out: list[NameRow] = []
        keys = list(dict.fromkeys(keys))
        for start in range(0, len(keys), 500):  # SQLite caps the parameters of one query
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out += self._rows(_SELECT + f"WHERE m.key IN ({marks}) ORDER BY m.id", chunk)
        return out

    def starting(self, prefix: str, limit: int) -> list[NameRow]:
        """Names whose folded text starts with ``prefix`` (and is longer), best first."""
        return self._rows(
            _SELECT + "WHERE m.key > ? AND m.key < ? ORDER BY m.id LIMIT ?",
            (prefix, prefix + _TOP, limit),
        )

    def continues(self, key: str) -> bool:
        """Whether some name's folded text is ``key`` followed by more words."""
        sql = "SELECT 1 FROM names WHERE key > ? AND key < ? LIMIT 1"
        return self.connection.execute(sql, (key + " ", key + " " + _TOP)).fetchone() is not None

    def with_words(
        self, words: Sequence[Sequence[str]], *, last_prefix: bool = False, limit: int = 200
    ) -> list[NameRow]:
        """Names holding, for each entry of ``words``, one of its alternatives, best first.

        With ``last_prefix``, a word of the name may also just start with the
        last entry's first alternative (the word the user is still typing).
        """
        parts = []
        for i, alternatives in enumerate(words):
            terms = [_quote(w) for w in alternatives if w]
            if last_prefix and i == len(words) - 1 and alternatives and alternatives[0]:
                terms.append(_quote(alternatives[0]) + "*")
            if not terms:
                return []
            parts.append("(" + " OR ".join(terms) + ")")
        if not parts:
            return []
        try:
            return self._rows(
                _SELECT + "WHERE m.id IN (SELECT rowid FROM words WHERE words MATCH ?"
                " ORDER BY rowid LIMIT ?) ORDER BY m.id",
                (" AND ".join(parts), limit),
            )
        except sqlite3.OperationalError:  # a word FTS5 cannot take: no match, not an error
            return []

    @property
    def vocabulary(self) -> list[str]:
        """Every distinct word of every name (read once)."""
        if self._vocabulary is None:
            self._vocabulary = [
                w for (w,) in self.connection.execute("SELECT word FROM vocabulary")
            ]
        return self._vocabulary

    def has_word(self, word: str) -> bool:
        """Whether some name holds ``word``."""
        sql = "SELECT 1 FROM vocabulary WHERE word = ?"
        return self.connection.execute(sql, (word,)).fetchone() is not None

    def __len__(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM names").fetchone()[0])


def _keys(text: str) -> list[tuple[str, bool]]:
    """The folded name, and (a variant) without its possessives: 'master's degree' is also
    'master degree', the way a reader of sentences takes it."""
    key = normalize(text)
    if "'" not in text and "\u2019" not in text:
        return [(key, False)]
    bare = normalize(_POSSESSIVE.sub("", text))
    return [(key, False)] + ([(bare, True)] if bare != key else [])


def degree_counts(triples: Iterable[tuple[str, str, str]]) -> dict[str, int]:
    """How connected each node is: the distinct statements between resources touching it,
    ``rdf:type`` left out.  Every backend counts so, to rank equal matches alike.

    >>> degree_counts([("a", "p", "b"), ("a", "p", "b"), ("a", "q", "c")])
    {'a': 2, 'b': 1, 'c': 1}
    """
    out: dict[str, int] = {}
    for s, p, o in dict.fromkeys(triples):
        if p != _RDF_TYPE:
            out[s] = out.get(s, 0) + 1
            out[o] = out.get(o, 0) + 1
    return out


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'
