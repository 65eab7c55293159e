"""Report which concepts of the knowledge base an article mentions, and what it may add.

For each text file given, the script lists the concepts whose preferred,
alternative or hidden label (a misspelling kept for search) occurs in the text
(case-insensitive unless the label is an acronym or very short, whole words
only, British and American spellings and hyphens treated alike, a plural ending
allowed), then the candidate terms that
no concept covers: capitalised words and phrases, tool-like names (internal
capitals, digits, ``++``), items listed after "such as", "like" or "including",
and noun phrases next to words such as "skills", "degree", "industry",
"language", "framework" and "library". A summary line per article gives the
three counts.

Usage (from the project root)::

    python scripts/coverage.py ../shared/seeds/*.txt

The knowledge base is every ``.ttl`` and ``.trig`` file under ``ontology/``
except ``shapes/``, ``rules/`` and ``queries/``. Only the standard library and
pyoxigraph are used.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

ROOT = pathlib.Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SKIPPED_FOLDERS = {"shapes", "rules", "queries"}
CONCEPT_NS = "https://w3id.org/mlcareer/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

LABEL_QUERY = f"""
SELECT ?concept ?label ?kind WHERE {{
  VALUES ?kind {{ <{SKOS}prefLabel> <{SKOS}altLabel> <{SKOS}hiddenLabel> }}
  ?concept ?kind ?label .
  FILTER(STRSTARTS(STR(?concept), "{CONCEPT_NS}"))
}}
"""

# Spelling pairs folded together before matching (British -> American).
SPELLINGS = (
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("modelling", "modeling"),
    ("analys", "analyz"),
    ("labelled", "labeled"),
)

# Words that are never concepts on their own: function words, sentence
# openers, vague nouns and the web-page furniture around the articles.
_STOP_TEXT = """
a about above across after again all along also although an and another any are as at
be because been before being below between both but by can could did do does doing each
either even every few for from further had has have having he her here hers him his how
however i if in into is it its itself just let like many may me more moreover most much
must my neither no nor not now of off often on once one only or other our ours out over
own per perhaps same say she should simply since so some still such than that the their
them then there these they this those though through thus to too under until up upon us
very was we were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself
additionally already always answer apart certain consequently conversely despite
essentially finally firstly generally hence imagine instead overall otherwise plus
ready remember similarly so step take therefore transitioning understanding wondering
well yes yeah
how to become start join learn read leave recent posts posted comment comments reply
email address published required fields marked linkedin logo faqs people button click
note today journey guide blog article articles section post posts note
man glasses scarf standing front mountain close person body made multiple lines robot
reading newspaper wearing helmet
key takeaways conclusion final elevate insights inbox latest straight
lead editor
role roles responsibilities responsibility job jobs career careers path paths
individual individuals professional professionals expert experts team teams someone
engineer engineers person persons member members
field fields area areas discipline disciplines domain realm world sphere
step steps phase stage level levels
skill skills skillset knowledge understanding ability abilities expertise experience
technology technologies tool tools technique techniques method methods system systems
concept concepts principle principles problem problems task tasks challenge challenges
solution solutions project projects work data information insight
intelligent smart computer computers technical tech
factor factors factors influencing growth progression
education educational path pathway foundation higher
industry industries sector sectors
language languages framework frameworks library libraries
degree degrees course courses certification certifications
etc vs
able advanced background excellent extensive helpful mandatory proven solid strong thorough
choose design developing extend existing focuses following involved keep looks needs
perform prepare research resources use requires machines what's
associated authenticating classifying identifying looking optimizing researching using
assessing becoming building collection current day life different embrace ensuring
explaining faced first future gathering harnessing impact it's let's navigating numerous
online soft test they're updated utilizing various working you'll you're driving
innovation efficiency diverse continually propelling revolutionizing
acquisition advancing business committing conducting crucial designing development given
dynamic embark embarking employer employing entry essential evaluation exploring
familiarity gaining initial here's highest paying ideal keeping large scale larger laying
mastery need proficiency real relevant robust salaries salary similar skilfully sparking
specialization specialized starting structure tackling tests size company geographical
location usd inr april last build tactical
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# Whole candidate phrases that are not concepts (names of people cited,
# titles of other articles, the magazine's metaphors).
STOP_PHRASES = frozenset(
    {
        "ramya shankar",
        "ramyashankar",
        "lars langenstueck",
        "aigantic journey",
        "carleo",
        "carleo et al",
        "arora",
        "gillis",
        "gupta",
        "april",
        "may",
        "last updated",
        "last updated on april",
        "united states",
        "india",
        "inr",
        "usd",
        "lakhs",
        "lakh",
        "data wizards",
        "data wizard",
        "engineer's toolbox essentials",
        "toolbox",
        "12 things i learned as an ml engineer",
        "what's the machine learning engineering job like",
        "people are also reading",
        "leave a comment on this post",
        "global",
        "certified",
        "new era",
        "rising tide",
        "financefraud",
        "industriesimpact",
        "interpret human",
        "build tactical",
        "creating reliable models",
        "build essential",
    }
)

TRIGGER_BEFORE = (
    "skills",
    "skill",
    "degree",
    "degrees",
    "industry",
    "industries",
    "sector",
    "sectors",
    "language",
    "languages",
    "framework",
    "frameworks",
    "library",
    "libraries",
)
TRIGGER_AFTER = ("degree in", "degrees in", "phd in", "master's in", "bachelor's in")
LIST_INTRODUCERS = ("such as", "like", "including", "include", "includes", "e.g.")

TOKEN = r"[A-Za-z0-9][A-Za-z0-9+#.'’]*[A-Za-z0-9+#]|[A-Za-z]"


@dataclass
class Concept:
    """A concept of the knowledge base with the labels it can be recognised by."""

    iri: str
    pref_label: str = ""
    labels: set[str] = field(default_factory=set)


@dataclass
class Report:
    """What one article mentions and what it holds that no concept covers."""

    name: str
    mentioned: Counter[str]
    candidates: list[str]
    unmatched: list[str]


def load_store(folder: pathlib.Path = ONTOLOGY) -> ox.Store:
    """Parse every RDF file of the knowledge base into an in-memory store."""
    store = ox.Store()
    for path in sorted(folder.rglob("*")):
        if path.suffix not in {".ttl", ".trig"}:
            continue
        if SKIPPED_FOLDERS & set(path.relative_to(folder).parts):
            continue
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
        graph = None if fmt is ox.RdfFormat.TRIG else ox.NamedNode(path.resolve().as_uri())
        store.load(path=str(path), format=fmt, to_graph=graph)
    return store


def load_concepts(store: ox.Store) -> dict[str, Concept]:
    """Collect each concept's preferred and alternative labels."""
    concepts: dict[str, Concept] = {}
    for row in store.query(LABEL_QUERY, use_default_graph_as_union=True):
        iri, label, kind = row[0].value, row[1].value, row[2].value
        concept = concepts.setdefault(iri, Concept(iri))
        concept.labels.add(label)
        if kind.endswith("prefLabel"):
            concept.pref_label = label
    return concepts


def normalise(text: str) -> str:
    """Fold apostrophes, hyphens, slashes and British spellings so variants compare equal."""
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"[-–—/]", " ", text).replace("&", " and ")
    for british, american in SPELLINGS:
        text = re.sub(british, american, text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text)


def label_pattern(label: str) -> re.Pattern[str]:
    """A whole-word pattern for a label; acronyms and very short labels keep their case."""
    norm = normalise(label).strip()
    flags = 0 if (len(norm) <= 3 or norm.isupper()) else re.IGNORECASE
    body = re.escape(norm).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<![\w+#]){body}(?:s|es)?(?![\w+#])", flags)


def find_mentions(text: str, concepts: dict[str, Concept]) -> tuple[Counter[str], list[range]]:
    """Count each concept's mentions and return the spans they cover.

    Where labels overlap, the longest wins: "machine learning engineer" is one
    mention of the role, not also one of "machine learning".
    """
    matches: list[tuple[int, int, str]] = []
    for concept in concepts.values():
        for label in concept.labels:
            for match in label_pattern(label).finditer(text):
                matches.append((match.start(), match.end(), concept.pref_label or concept.iri))
    matches.sort(key=lambda m: (m[0] - m[1], m[0]))
    counts: Counter[str] = Counter()
    spans: list[range] = []
    for start, end, name in matches:
        if any(span.start < end and start < span.stop for span in spans):
            continue
        counts[name] += 1
        spans.append(range(start, end))
    return counts, spans


def capitalised_phrases(text: str) -> list[tuple[int, str]]:
    """Runs of capitalised or tool-like tokens, split at stop words."""
    found: list[tuple[int, str]] = []
    run: list[re.Match[str]] = []
    for match in re.finditer(TOKEN, text):
        token = match.group()
        gap = text[run[-1].end() : match.start()] if run else " "
        looks_named = token[0].isupper() or bool(re.search(r"[0-9+#]|[a-z][A-Z]", token))
        if looks_named and token.lower() not in STOP_WORDS and gap.strip() == "":
            run.append(match)
            continue
        found.extend(_close_run(text, run))
        run = [match] if looks_named and token.lower() not in STOP_WORDS else []
    found.extend(_close_run(text, run))
    return found


def _close_run(text: str, run: list[re.Match[str]]) -> list[tuple[int, str]]:
    if not run:
        return []
    return [(run[0].start(), text[run[0].start() : run[-1].end()])]


def listed_items(text: str) -> list[tuple[int, str]]:
    """Items named after "such as", "like", "including": up to the end of the clause."""
    found: list[tuple[int, str]] = []
    introducers = "|".join(re.escape(word) for word in LIST_INTRODUCERS)
    for match in re.finditer(rf"\b(?:{introducers})\s+([^.;:()\n]+)", text, re.IGNORECASE):
        start = match.start(1)
        for item in re.split(r",|\band\b|\bor\b|\betc\b", match.group(1)):
            words = item.strip().split()
            if 0 < len(words) <= 4:
                found.append((start + match.group(1).find(item.strip()), " ".join(words)))
    return found


def trigger_phrases(text: str) -> list[tuple[int, str]]:
    """Noun phrases just before words like "skills" or "industry", or after "degree in"."""
    found: list[tuple[int, str]] = []
    before = "|".join(TRIGGER_BEFORE)
    for match in re.finditer(rf"((?:[\w+#']+\s+){{1,2}})(?:{before})\b", text, re.IGNORECASE):
        found.append((match.start(1), match.group(1).strip()))
    after = "|".join(re.escape(word) for word in TRIGGER_AFTER)
    for match in re.finditer(rf"\b(?:{after})\s+((?:[\w+#']+\s*){{1,3}})", text, re.IGNORECASE):
        found.append((match.start(1), match.group(1).strip()))
    return found


def strip_stop_words(phrase: str) -> str:
    """Drop stop words at either end of a phrase."""
    words = phrase.split()
    while words and words[0].lower().strip("'") in STOP_WORDS:
        words.pop(0)
    while words and words[-1].lower().strip("'") in STOP_WORDS:
        words.pop()
    return " ".join(words)


def is_covered(start: int, phrase: str, spans: list[range]) -> bool:
    """Whether a concept mention overlaps the phrase found at start."""
    end = start + len(phrase)
    return any(span.start < end and start < span.stop for span in spans)


def candidate_terms(text: str) -> list[tuple[int, str]]:
    """Every candidate term of a text, with its position, stop words removed."""
    raw = capitalised_phrases(text) + listed_items(text) + trigger_phrases(text)
    terms: list[tuple[int, str]] = []
    for start, phrase in raw:
        term = strip_stop_words(phrase)
        if term.lower() in STOP_PHRASES or not re.search(r"[A-Za-z]{2}", term):
            continue
        terms.append((start + phrase.find(term), term))
    return terms


def analyse(name: str, raw_text: str, concepts: dict[str, Concept]) -> Report:
    """Mentions and unmatched candidate terms of one article."""
    text = normalise(raw_text)
    mentioned, spans = find_mentions(text, concepts)
    candidates = candidate_terms(text)
    unmatched = sorted(
        {term for start, term in candidates if not is_covered(start, term, spans)},
        key=str.lower,
    )
    names = sorted({term.lower() for _, term in candidates})
    return Report(name, mentioned, names, unmatched)


def print_report(report: Report) -> None:
    """Print one article's mentions, its unmatched candidates and a summary line."""
    print(f"== {report.name}")
    mentions = ", ".join(f"{label} ({n})" for label, n in sorted(report.mentioned.items()))
    print(f"concepts mentioned: {mentions}")
    print(f"unmatched candidates: {'; '.join(report.unmatched) or '(none)'}")
    print(
        f"summary {report.name}: {len(report.mentioned)} concepts mentioned, "
        f"{len(report.candidates)} candidates, {len(report.unmatched)} unmatched"
    )


def main(argv: list[str] | None = None) -> int:
    """Analyse each article named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="+", type=pathlib.Path, help="plain-text articles")
    parser.add_argument("--ontology", type=pathlib.Path, default=ONTOLOGY)
    args = parser.parse_args(argv)
    concepts = load_concepts(load_store(args.ontology))
    for path in args.articles:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            print(f"cannot read {path}: {err}", file=sys.stderr)
            return 2
        print_report(analyse(path.name, text, concepts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
