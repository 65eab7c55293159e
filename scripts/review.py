#!/usr/bin/env python3
"""Show each statement of an article section beside the paragraph it cites.

Every statement taken from an article lives in a passage graph: one paragraph,
list item or table row of one section (``ontology/sources.trig`` describes
them, e.g. ``src:a001-career-paths-i3`` is item 3 of the section "Career Paths
for an ML engineer" of article 001). This script reads the article file, cuts
it into sections and passages the same way the knowledge base counts them, and
prints every passage of the section asked for with the statements that cite it,
so that a maintainer can check each statement against the words it rests on.
Passages that no statement cites are printed too, marked as such, and a
statement is marked "?", with the reason, when its section (with the headings
of the sections it belongs to) does not mention one of the concepts it joins,
when its passage lacks the spelling, number or year it records, or when it
credits a figure to an organisation no sentence names together with the
figure.

What "mentions" means
---------------------
Words are compared after folding British spellings to American ones and
stripping common endings; two words match when they are equal or, if both have
four letters or more, when one begins with the other ("modelling" and "models"
match, "data" and "database" too). A label is mentioned by a passage when every
word of it, leaving out words such as "and" or "of", matches a word of the
passage. A figure's number is given when the passage writes it in one of the
usual ways: 146,085, 146085, 21.7 billion, 1.4 lakh, ten.

How an article is cut up
------------------------
- Section headings are found from the ``mlc:locator`` of the article's section
  resources: the whole line, ignoring case, or its beginning when the locator
  was cut short with "…". The introduction runs from the first real paragraph
  (a line of eight words or more ending in punctuation) to the first heading.
- Inside a section, lines separated by blank lines are paragraphs; a run of
  lines starting with "•" or "1." is a list; any other run of lines with no
  blank line between them is a table (a header row, then rows).
- Locators count paragraphs, list items (numbered lists keep the article's
  numbers) and table rows from one within their section: "paragraph 2",
  "item 3", "list 2, item 3" when a section has several lists, "table, row 2".
  Passage graphs are named after them: ``-p2``, ``-i3``, ``-l2i3``, ``-r2``.

Usage::

    python scripts/review.py ../shared/seeds/001_d2225df08d9f2641.txt career-paths
    python scripts/review.py ARTICLE --all            # every section in turn
    python scripts/review.py ARTICLE --describe       # TriG for the passage graphs used

Exit status: 0; 2 when the article, a section's heading or the section asked
for cannot be found (one line on stderr says which).
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SKIPPED_DIRS = {"shapes", "rules", "queries"}

MLC = "https://w3id.org/mlcareer/ontology#"
ML = "https://w3id.org/mlcareer/id/"
SRC = "https://w3id.org/mlcareer/source/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
INTRODUCTION = "introduction"
ELLIPSIS = "…"

_ITEM = re.compile(r"^(?:•|(\d+)\.)\s*")
_TOKEN = re.compile(r"[a-z0-9]+(?:\+\+|#)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PER_YEAR = ("year", "annum", "annual", "annually")
_SPELLINGS = (
    ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("modelling", "modeling"),
    ("analys", "analyz"), ("labelled", "labeled"), ("behaviour", "behavior"),
    ("optimis", "optimiz"), ("visualis", "visualiz"), ("organis", "organiz"),
    ("specialis", "specializ"), ("anonymis", "anonymiz"),
)  # fmt: skip
_ENDINGS = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ies", "es", "ed",
            "al", "ly", "s", "e", "y")  # fmt: skip
_STOPWORDS = frozenset(
    ["a", "an", "and", "or", "of", "the", "in", "on", "for", "to", "with", "by", "from",
     "as", "at", "its", "s", "into", "your", "their"]
)  # fmt: skip
_NUMBER_WORDS = dict(
    enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
               "nine", "ten", "eleven", "twelve"])
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z0-9']+")


@dataclass(frozen=True)
class Passage:
    """One paragraph, list item or table row of a section.

    ``kind`` is ``paragraph``, ``item``, ``row`` or ``header``; ``number`` counts
    passages of that kind in the section from one (numbered items keep their
    own number); ``list_number`` says which list of the section an item is in.
    """

    kind: str
    number: int
    line: int
    text: str
    list_number: int = 1
    lists_in_section: int = 1

    @property
    def words(self) -> str:
        """The locator's tail in words: ``item 3``, ``list 2, item 1``, ``table, row 2``."""
        if self.kind == "item":
            head = f"list {self.list_number}, " if self.lists_in_section > 1 else ""
            return f"{head}item {self.number}"
        if self.kind == "row":
            return f"table, row {self.number}"
        if self.kind == "header":
            return "table, header"
        return f"paragraph {self.number}"

    @property
    def suffix(self) -> str:
        """The end of the passage graph's name: ``p2``, ``i3``, ``l2i3``, ``r2``, ``h``."""
        if self.kind == "item":
            head = f"l{self.list_number}" if self.lists_in_section > 1 else ""
            return f"{head}i{self.number}"
        return {"row": f"r{self.number}", "header": "h"}.get(self.kind, f"p{self.number}")


@dataclass
class Section:
    """A section of an article: its locator, the line of its heading and its passages."""

    locator: str
    line: int
    end: int
    passages: list[Passage] = field(default_factory=list)
    heading: str = ""
    context: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The headings above the section, its own, and every passage, one per line."""
        return "\n".join([*self.context, self.heading, *(p.text for p in self.passages)])

    def passage(self, words: str) -> Passage | None:
        """The passage whose locator tail is ``words`` (``item 3``), if any."""
        return next((p for p in self.passages if p.words == words), None)


# -- cutting an article into sections and passages ------------------------------------------


def heading_matches(locator: str, line: str) -> bool:
    """Whether ``line`` is the heading a section locator names.

    >>> heading_matches("Career Paths …", "    Career Paths for an ML engineer")
    True
    >>> heading_matches("FAQs", "FAQs and more")
    False
    """
    text, wanted = " ".join(line.split()).lower(), " ".join(locator.split()).lower()
    if wanted.endswith(ELLIPSIS):
        return text.startswith(wanted.removesuffix(ELLIPSIS).rstrip())
    return text == wanted


def _is_paragraph_like(line: str) -> bool:
    words = _WORD.findall(line)
    return len(words) >= 8 and line.rstrip()[-1:] in ".?!:"


def find_headings(lines: list[str], locators: Iterable[str]) -> dict[str, int]:
    """The line index of each section's heading; the introduction's first paragraph.

    Raises
    ------
    ValueError
        A locator matches no line, or several.
    """
    found: dict[str, int] = {}
    for locator in locators:
        if locator == INTRODUCTION:
            start = next(i for i, line in enumerate(lines) if i and _is_paragraph_like(line))
            found[locator] = start - 1
            continue
        hits = [i for i, line in enumerate(lines) if heading_matches(locator, line)]
        if len(hits) != 1:
            raise ValueError(f"section {locator!r} matches {len(hits)} lines of the article")
        found[locator] = hits[0]
    return found


def _runs(lines: list[str], start: int, end: int) -> Iterator[list[tuple[int, str]]]:
    """Groups of consecutive non-blank lines between ``start`` and ``end`` (exclusive)."""
    run: list[tuple[int, str]] = []
    for i in range(start, end):
        text = lines[i].strip()
        if text:
            run.append((i, text))
        elif run:
            yield run
            run = []
    if run:
        yield run


def cut_passages(lines: list[str], start: int, end: int) -> list[Passage]:
    """Paragraphs, list items and table rows of the lines ``start`` to ``end``."""
    runs = list(_runs(lines, start, end))
    lists = sum(1 for run in runs if _ITEM.match(run[0][1]))
    out: list[Passage] = []
    counts = {"paragraph": 0, "row": 0, "list": 0}
    for run in runs:
        if _ITEM.match(run[0][1]):
            counts["list"] += 1
            for position, (i, text) in enumerate(run, start=1):
                number = _ITEM.match(text).group(1)  # type: ignore[union-attr]
                item = int(number or position)
                out.append(Passage("item", item, i + 1, _ITEM.sub("", text), counts["list"], lists))
        elif len(run) > 1:
            out.append(Passage("header", 0, run[0][0] + 1, run[0][1]))
            for i, text in run[1:]:
                counts["row"] += 1
                out.append(Passage("row", counts["row"], i + 1, text))
        else:
            counts["paragraph"] += 1
            out.append(Passage("paragraph", counts["paragraph"], run[0][0] + 1, run[0][1]))
    return out


def cut_article(text: str, locators: Iterable[str]) -> list[Section]:
    """Cut an article's text into its sections, in reading order.

    Parameters
    ----------
    text
        The article file's text.
    locators
        The ``mlc:locator`` of each section of the article in the knowledge base.

    Returns
    -------
    list of Section
        One per locator, ordered by where the heading stands.

    Examples
    --------
    >>> article = "Title\\n\\nA first paragraph that is long enough to count here.\\n\\n"
    >>> article += "Steps\\n\\n  1. Learn.\\n  2. Build.\\n\\nThen practise a lot.\\n"
    >>> [(s.locator, [p.words for p in s.passages]) for s in cut_article(article,
    ...     ["introduction", "Steps"])]
    [('introduction', ['paragraph 1']), ('Steps', ['item 1', 'item 2', 'paragraph 1'])]
    """
    lines = text.splitlines()
    starts = sorted((line, locator) for locator, line in find_headings(lines, locators).items())
    sections = []
    for position, (line, locator) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        heading = "" if locator == INTRODUCTION else lines[line].strip()
        passages = cut_passages(lines, line + 1, end)
        sections.append(Section(locator, line + 1, end, passages, heading))
    return sections


# -- does a passage mention a label, give a number? ---------------------------------------------


def stem(word: str) -> str:
    """A word folded to American spelling, with one common ending cut off.

    >>> [stem(w) for w in ("modelling", "models", "visualisation", "visualizing", "C++")]
    ['model', 'model', 'visualiz', 'visualiz', 'c++']
    """
    word = word.lower()
    for british, american in _SPELLINGS:
        word = word.replace(british, american)
    for ending in _ENDINGS:
        kept = word[: -len(ending)]
        if word.endswith(ending) and len(kept) >= 3 and not (ending == "s" and _keeps_s(word)):
            return kept
    return word


def _keeps_s(word: str) -> bool:
    """Whether a final s belongs to the word (bias, analysis, status) rather than a plural."""
    return word.endswith(("ss", "is", "as")) or (word.endswith("us") and len(word) > 4)


def stems(text: str) -> list[str]:
    """The stems of every word of ``text``, function words left out.

    Words run together by a lost table cell border ("FinanceFraud") are split
    at the capital, on both sides of a comparison alike.
    """
    text = _GLUED.sub(" ", text).lower()
    return [stem(t) for t in _TOKEN.findall(text) if t not in _STOPWORDS]


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def mentions(text: str, label: str) -> bool:
    """Whether every word of ``label`` occurs in ``text``, as the module docstring says.

    >>> mentions("Extensive data modeling and data architecture skills", "data modelling")
    True
    >>> mentions("Knowledge of Hadoop or other systems", "distributed computing")
    False
    """
    wanted, found = stems(label), stems(text)
    return bool(wanted) and all(any(_same(w, f) for f in found) for w in wanted)


def number_forms(value: float) -> list[str]:
    """The ways an article may write ``value``: 146,085 and 146085, 21.7 billion, ten.

    >>> number_forms(140000.0)
    ['140,000', '140000', '1.4 lakh']
    """
    forms = []
    if value == int(value):
        forms += [f"{int(value):,}", str(int(value))]
        if int(value) in _NUMBER_WORDS:
            forms.append(_NUMBER_WORDS[int(value)])
    else:
        forms.append(f"{value:g}")
    if value >= 1e9:
        forms.append(f"{value / 1e9:g} billion")
    elif value >= 1e5:
        forms.append(f"{value / 1e5:g} lakh")
    return list(dict.fromkeys(forms))


def gives_number(text: str, value: float) -> bool:
    """Whether ``text`` writes ``value`` in one of its usual forms, as a whole number."""
    lowered = text.lower()
    return any(
        re.search(
            rf"(?<![\w.,]){re.escape(form)}{'s?' if form[-1].isalpha() else ''}"
            rf"(?![\w]|[.,]\d)",
            lowered,
        )
        for form in number_forms(value)
    )


def sentences(text: str) -> list[str]:
    """``text`` cut after each full stop, question or exclamation mark followed by a space."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


# -- the knowledge base ------------------------------------------------------------------------


def load_store(ontology: Path = ONTOLOGY) -> ox.Store:
    """Every RDF file of the knowledge base (not shapes, rules or queries) in one store."""
    store = ox.Store()
    for path in sorted(ontology.rglob("*")):
        rel = path.relative_to(ontology)
        if path.suffix not in {".ttl", ".trig"} or rel.parts[0] in SKIPPED_DIRS:
            continue
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
        graph = None if path.suffix == ".trig" else ox.NamedNode(path.resolve().as_uri())
        store.load(path=str(path), format=fmt, to_graph=graph)
    return store


def _rows(store: ox.Store, query: str) -> list[list[str]]:
    result = store.query(query, use_default_graph_as_union=True)
    return [[term.value if term is not None else "" for term in row] for row in result]


def article_iri(store: ox.Store, file_name: str) -> str:
    """The article resource whose ``dct:identifier`` is ``file_name``."""
    rows = _rows(
        store,
        f'SELECT ?a WHERE {{ ?a a <{MLC}Article> ; <{DCT}identifier> "{_escape(file_name)}" }}',
    )
    if not rows:
        raise LookupError(f"no article of the knowledge base has the file name {file_name}")
    return rows[0][0]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def sections_of(store: ox.Store, article: str) -> dict[str, str]:
    """Section resource -> locator, for the sections (not passages) of ``article``."""
    rows = _rows(
        store,
        f"SELECT ?s ?loc WHERE {{ ?s a <{MLC}SourceSection> ; <{DCT}isPartOf> <{article}> ;"
        f" <{MLC}locator> ?loc FILTER NOT EXISTS {{ ?s a <{MLC}SourcePassage> }} }}",
    )
    return {s: loc for s, loc in rows}


def parents_of(store: ox.Store, article: str) -> dict[str, str]:
    """Section resource -> the section it is a subsection of, for ``article``'s sections."""
    rows = _rows(
        store,
        f"SELECT ?s ?parent WHERE {{ ?s <{DCT}isPartOf> <{article}>, ?parent ."
        f" ?parent a <{MLC}SourceSection> FILTER NOT EXISTS {{ ?s a <{MLC}SourcePassage> }} }}",
    )
    return {s: parent for s, parent in rows}


def read_article(store: ox.Store, path: Path) -> tuple[str, dict[str, str], dict[str, Section]]:
    """The article resource, its sections (resource -> locator) and its text cut up by locator.

    Each section's ``context`` holds the headings of the sections it is part of.
    """
    article = article_iri(store, path.name)
    sections = sections_of(store, article)
    cut = {s.locator: s for s in cut_article(path.read_text(encoding="utf-8"), sections.values())}
    parents = parents_of(store, article)
    for iri, locator in sections.items():
        parent = parents.get(iri)
        while parent in sections:
            cut[locator].context.insert(0, cut[sections[parent]].heading)
            parent = parents.get(parent)
    return article, sections, cut


def local(iri: str) -> str:
    """The last part of an IRI: ``ml:Python`` -> ``Python``."""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def label(store: ox.Store, iri: str) -> str:
    """A readable name for ``iri``: its preferred label, else its local name."""
    rows = _rows(store, f"SELECT ?l WHERE {{ <{iri}> <{SKOS}prefLabel> ?l }} LIMIT 1")
    return rows[0][0] if rows else local(iri)


def statements(store: ox.Store, graph: str) -> list[tuple[str, str, ox.Term]]:
    """The statements of one named graph, sorted, objects kept as terms."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    found = [(q.subject.value, q.predicate.value, q.object) for q in quads]
    return sorted(found, key=lambda t: (t[0], t[1], str(t[2])))


def render_statement(store: ox.Store, s: str, p: str, o: ox.Term) -> str:
    """``machine learning engineer —requires skill→ programming``."""
    prop = label(store, p) if p.startswith(MLC) else local(p)
    target = f'"{o.value}"' if isinstance(o, ox.Literal) else label(store, o.value)
    return f"{label(store, s)} —{prop}→ {target}"


_LABELS = ("prefLabel", "altLabel", "hiddenLabel")
_NUMBERS = ("value", "median", "mean", "minValue", "maxValue")
_YEARS = ("startYear", "endYear", "asOf", "reportedIn")


@dataclass
class Names:
    """What the checks need to know about concepts: their labels, a figure's numbers."""

    labels: dict[str, set[str]] = field(default_factory=dict)
    numbers: dict[str, set[float]] = field(default_factory=dict)

    @classmethod
    def read(cls, store: ox.Store) -> Names:
        names = cls()
        for q in store.quads_for_pattern(None, None, None, None):
            p, o = q.predicate.value, q.object
            if not isinstance(o, ox.Literal):
                continue
            name = local(p)
            if p.startswith(SKOS) and name in _LABELS:
                names.labels.setdefault(q.subject.value, set()).add(o.value)
            elif p.startswith(MLC) and name in (*_NUMBERS, "startYear", "endYear", "duration"):
                names.numbers.setdefault(q.subject.value, set()).update(_figure_numbers(name, o))
        return names

    def mentioned(self, text: str, iri: str) -> bool:
        """Whether ``text`` names the concept, or gives one of the figure's numbers."""
        if iri in self.numbers:
            return any(gives_number(text, n) for n in self.numbers[iri])
        return any(mentions(text, label) for label in self.labels.get(iri, ()))


def _figure_numbers(name: str, literal: ox.Literal) -> list[float]:
    if name == "duration":
        years = re.fullmatch(r"P(\d+)Y", literal.value)
        return [float(years.group(1))] if years else []
    return [float(literal.value[:4] if name in _YEARS else literal.value)]


def doubts(names: Names, section: Section, passage: Passage, statement: tuple) -> list[str]:
    """Why a statement of ``passage`` may not rest on it; empty when it does.

    A concept it joins must be mentioned in the section; a spelling it records,
    a number or year it gives must be in the passage (or the heading); an
    organisation credited with a figure must be named in a sentence that gives
    the figure.
    """
    s, p, o = statement
    name = local(p)
    here = "\n".join([*section.context, section.heading, passage.text])
    if isinstance(o, ox.Literal):
        if name in _LABELS and not mentions(here, o.value):
            return [f"the passage does not use the spelling {o.value!r}"]
        if name == "duration" and o.value == "P1Y":
            yearly = any(mentions(here, word) for word in _PER_YEAR)
            return [] if yearly else ["the passage does not say the figure is per year"]
        if name in (*_NUMBERS, "startYear", "endYear", "duration", "asOf", "reportedIn"):
            missing = [n for n in _figure_numbers(name, o) if not gives_number(here, n)]
            return [f"the passage does not give {n:g}" for n in missing]
        return []
    found = [iri for iri in (s, o.value) if not names.mentioned(section.text, iri)]
    out = [f"the section does not mention {local(iri)}" for iri in found]
    if name == "citedOrganization" and not any(
        names.mentioned(sentence, s) and names.mentioned(sentence, o.value)
        for sentence in sentences(passage.text)
    ):
        out.append("no sentence gives the figure together with the organisation")
    return out


def passage_graphs(store: ox.Store, section: str) -> dict[str, str]:
    """Passage graph -> its locator, for the passages of ``section``."""
    rows = _rows(
        store,
        f"SELECT ?g ?loc WHERE {{ ?g a <{MLC}SourcePassage> ; <{DCT}isPartOf> <{section}> ;"
        f" <{MLC}locator> ?loc }}",
    )
    return {g: loc for g, loc in rows}


# -- the command line ---------------------------------------------------------------------------


def pick_section(sections: dict[str, str], wanted: str) -> str:
    """The section resource ``wanted`` names: its graph name, its end, or its heading."""
    key = wanted.lower()
    for iri, locator in sections.items():
        name = iri.removeprefix(SRC)
        if key in (name.lower(), name.split("-", 1)[-1].lower()) or locator.lower() == key:
            return iri
    heads = [iri for iri, loc in sections.items() if loc.lower().startswith(key)]
    if len(heads) == 1:
        return heads[0]
    names = ", ".join(sorted(iri.removeprefix(SRC).split("-", 1)[-1] for iri in sections))
    raise LookupError(f"no single section matches {wanted!r}; the sections are: {names}")


def review_section(store: ox.Store, section_iri: str, section: Section, names: Names) -> str:
    """Every passage of a section, its text wrapped, with the statements citing it."""
    graphs = passage_graphs(store, section_iri)
    by_locator = {loc: g for g, loc in graphs.items()}
    out = [f"== {section.locator}  ({section_iri.removeprefix(SRC)}, line {section.line})"]
    for passage in section.passages:
        locator = f"{section.locator}, {passage.words}"
        graph = by_locator.pop(locator, None)
        name = graph.removeprefix(SRC) if graph else "nothing cites it"
        out += ["", f"-- {passage.words}  [{name}]  line {passage.line}"]
        out += textwrap.wrap(passage.text, 88, initial_indent="   ", subsequent_indent="   ")
        for statement in statements(store, graph) if graph else ():
            why = doubts(names, section, passage, statement)
            mark = "?" if why else "*"
            out.append(f"   {mark} {render_statement(store, *statement)}")
            out += [f"       ({reason})" for reason in why]
    for locator, graph in sorted(by_locator.items()):
        out += ["", f"!! {graph.removeprefix(SRC)} cites {locator!r}, which is not in the text"]
    return "\n".join(out)


def describe(store: ox.Store, article: str, cut: list[Section], sections: dict[str, str]) -> str:
    """TriG describing every passage graph the knowledge files use for ``article``."""
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o }"
        f' FILTER(STRSTARTS(STR(?g), "{SRC}a")) }}'
    )
    used = {row[0] for row in _rows(store, query)}
    by_locator = {s.locator: s for s in cut}
    lines = []
    for iri, locator in sorted(sections.items(), key=lambda kv: by_locator[kv[1]].line):
        for passage in by_locator[locator].passages:
            graph = f"{iri}-{passage.suffix}"
            if graph in used:
                parts = f"src:{iri.removeprefix(SRC)}, src:{article.removeprefix(SRC)}"
                lines.append(
                    f"    src:{graph.removeprefix(SRC)} a mlc:SourcePassage, mlc:SourceSection ;\n"
                    f"        dct:isPartOf {parts} ;\n"
                    f'        mlc:locator "{locator}, {passage.words}" .'
                )
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("article", type=Path, help="the article's text file")
    ap.add_argument("section", nargs="?", help="a section: graph name, its end, or its heading")
    ap.add_argument("--all", action="store_true", help="review every section of the article")
    ap.add_argument("--describe", action="store_true", help="print TriG for the passages used")
    ap.add_argument("--ontology", type=Path, default=ONTOLOGY, help="folder of the knowledge base")
    args = ap.parse_args(argv)
    if not (args.section or args.all or args.describe):
        ap.error("name a SECTION, or give --all or --describe")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the command line; 0 on success, 2 when the article or section is unknown."""
    args = parse_args(argv)
    try:
        store = load_store(args.ontology)
        article, sections, cut = read_article(store, args.article)
        if args.describe:
            print(describe(store, article, list(cut.values()), sections))
            return 0
        chosen = sorted(sections, key=lambda iri: cut[sections[iri]].line)
        if not args.all:
            chosen = [pick_section(sections, args.section)]
    except (OSError, LookupError, ValueError) as err:
        print(f"review: {err}", file=sys.stderr)
        return 2
    names = Names.read(store)
    print("\n\n".join(review_section(store, iri, cut[sections[iri]], names) for iri in chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
