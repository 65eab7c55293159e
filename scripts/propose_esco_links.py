#!/usr/bin/env python3
"""Propose links from the concepts of the knowledge base to ESCO, and write the checked ones.

Reads the ESCO occupations and skills from the classification zip of the CSV
release, compares their preferred and alternative labels with the labels of
our concepts (``ontology/concepts.trig``, ``ontology/knowledge/*.trig``,
``ontology/curated.trig``) and prints the candidates with a score:

- ``exactMatch`` candidates: the normalised labels are equal (score 1.0 against
  ESCO's preferred label, 0.95 against one of its alternative labels);
- ``closeMatch`` candidates: the labels share most words or characters (score
  from 0 to 1, only those above ``--threshold``).

Roles are compared with ESCO occupations, every other concept with ESCO skills
and knowledge. Nothing is linked automatically: a person checks the proposals
and lists the right ones in ``ontology/esco-links.accept.tsv`` (our IRI, ESCO
IRI, exactMatch or closeMatch, note); ``--write`` turns that file into the
TriG graph ``src:esco-links``.

ESCO is published by the European Commission; the links graph says so.

Usage::

    python scripts/propose_esco_links.py [--top 3] [--threshold 0.8]
    python scripts/propose_esco_links.py --write ontology/esco-links.trig
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import sys
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Dataset
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
ESCO_DIR = ROOT.parent / "shared" / "datasets" / "esco"
CLASSIFICATION = ESCO_DIR / "esco-v1.1.1-classification-en-csv.zip"
ACCEPT = ONTOLOGY / "esco-links.accept.tsv"

ML = "https://w3id.org/mlcareer/id/"
MLC = "https://w3id.org/mlcareer/ontology#"
SRC = "https://w3id.org/mlcareer/source/"
ESCO = "http://data.europa.eu/esco/"
RELATIONS = {"exactMatch", "closeMatch"}
ROLE_CLASSES = {MLC + "Role"}
NOT_LINKED = {MLC + c for c in ("SalaryFigure", "MarketSizeFigure", "Figure", "Organization")}
STOPWORDS = {"and", "of", "the", "a", "an", "for", "in", "to", "with", "on"}


@dataclass
class Concept:
    """A concept of ours or of ESCO, with its labels."""

    iri: str
    kind: str
    pref: str
    labels: list[str] = field(default_factory=list)


def normalise(label: str) -> str:
    """Lower-case, strip accents, drop a trailing parenthesis and punctuation."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text)
    text = text.replace("&", " and ").replace("'s", "s")
    text = re.sub(r"[^a-z0-9+#]+", " ", text)
    return " ".join(text.split())


def tokens(label: str) -> set[str]:
    """Words of a normalised label, without the commonest function words."""
    return {t for t in label.split() if t not in STOPWORDS}


def load_ours(ontology: Path) -> list[Concept]:
    """Collect our concepts and their labels from the concept and knowledge files."""
    files = [
        ontology / "concepts.trig",
        ontology / "curated.trig",
        *sorted((ontology / "knowledge").glob("*.trig")),
    ]
    data = Dataset()
    for path in files:
        if path.exists():
            data.parse(path, format="trig")
    concepts: dict[str, Concept] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for s, _p, o, _g in data.quads((None, RDF.type, None, None)):
        types[str(s)].add(str(o))
    for s, p, o, _g in data.quads((None, None, None, None)):
        if p not in (SKOS.prefLabel, SKOS.altLabel) or not str(s).startswith(ML):
            continue
        iri = str(s)
        if types[iri] & NOT_LINKED:
            continue
        kind = "role" if types[iri] & ROLE_CLASSES else "skill"
        concept = concepts.setdefault(iri, Concept(iri, kind, ""))
        if p == SKOS.prefLabel:
            concept.pref = str(o)
        concept.labels.append(str(o))
    return sorted(concepts.values(), key=lambda c: c.iri)


def _rows(archive: zipfile.ZipFile, member: str) -> Iterable[dict[str, str]]:
    with archive.open(member) as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


def load_esco(classification: Path) -> list[Concept]:
    """Read ESCO occupations and skills with their preferred and alternative labels."""
    found = []
    with zipfile.ZipFile(classification) as archive:
        for member, kind in (("occupations_en.csv", "role"), ("skills_en.csv", "skill")):
            for row in _rows(archive, member):
                pref = row.get("preferredLabel", "")
                alts = [a.strip() for a in (row.get("altLabels") or "").splitlines() if a.strip()]
                found.append(Concept(row["conceptUri"], kind, pref, [pref, *alts]))
    return found


@dataclass
class Index:
    """ESCO labels by normalised form and by word, for one kind of concept."""

    exact: dict[str, list[tuple[Concept, bool]]] = field(default_factory=lambda: defaultdict(list))
    by_token: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    entries: list[tuple[str, Concept]] = field(default_factory=list)


def build_indexes(esco: Iterable[Concept]) -> dict[str, Index]:
    """Index ESCO labels per kind (role, skill)."""
    indexes: dict[str, Index] = defaultdict(Index)
    for concept in esco:
        index = indexes[concept.kind]
        for i, label in enumerate(concept.labels):
            norm = normalise(label)
            if not norm:
                continue
            index.exact[norm].append((concept, i == 0))
            index.entries.append((norm, concept))
            for tok in tokens(norm):
                index.by_token[tok].add(len(index.entries) - 1)
    return indexes


def similarity(a: str, b: str) -> float:
    """Score two normalised labels: the mean of word overlap (Dice) and character ratio."""
    ta, tb = tokens(a), tokens(b)
    dice = 2 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0
    return (dice + difflib.SequenceMatcher(None, a, b).ratio()) / 2


@dataclass(order=True)
class Proposal:
    """A candidate link with its score."""

    score: float
    relation: str
    ours: Concept = field(compare=False)
    esco: Concept = field(compare=False)
    via: str = field(compare=False)


def propose(concept: Concept, index: Index, threshold: float, top: int) -> list[Proposal]:
    """Return the best candidates for one of our concepts."""
    best: dict[str, Proposal] = {}

    def keep(p: Proposal) -> None:
        if p.esco.iri not in best or best[p.esco.iri] < p:
            best[p.esco.iri] = p

    for label in concept.labels:
        norm = normalise(label)
        for esco, is_pref in index.exact.get(norm, []):
            keep(Proposal(1.0 if is_pref else 0.95, "exactMatch", concept, esco, label))
        candidates: set[int] = set()
        for tok in tokens(norm):
            candidates |= index.by_token.get(tok, set())
        for i in candidates:
            esco_label, esco = index.entries[i]
            if esco_label == norm:
                continue  # already an exactMatch candidate
            score = min(0.94, similarity(norm, esco_label))
            if score >= threshold:
                keep(Proposal(round(score, 3), "closeMatch", concept, esco, label))
    return sorted(best.values(), reverse=True)[:top]


def short(iri: str) -> str:
    """Abbreviate our and ESCO's IRIs for the table."""
    return iri.replace(ML, "ml:").replace(ESCO, "esco:")


def print_table(proposals: list[Proposal]) -> None:
    """Print the proposals as an aligned table."""
    rows = [("score", "match", "our concept", "our label", "ESCO concept", "ESCO label")]
    rows += [
        (f"{p.score:.2f}", p.relation, short(p.ours.iri), p.via, short(p.esco.iri), p.esco.pref)
        for p in proposals
    ]
    widths = [min(60, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell[:60].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def read_accept(path: Path) -> list[tuple[str, str, str, str]]:
    """Read the accept file: (our IRI, ESCO IRI, relation, note); '#' lines are comments."""
    links = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = [c.strip() for c in line.rstrip("\n").split("\t")]
            if len(cells) < 3 or cells[2] not in RELATIONS:
                raise ValueError(
                    f"{path}:{number}: expected our IRI, ESCO IRI, exactMatch|closeMatch, note"
                )
            ours = cells[0].replace("ml:", ML, 1) if cells[0].startswith("ml:") else cells[0]
            links.append((ours, cells[1], cells[2], cells[3] if len(cells) > 3 else ""))
    return links


def check_links(
    links: list[tuple[str, str, str, str]], ours: set[str], esco: set[str]
) -> list[str]:
    """List the accept-file entries that name an unknown concept."""
    problems = []
    for our_iri, esco_iri, _rel, _note in links:
        if our_iri not in ours:
            problems.append(f"unknown concept of ours: {our_iri}")
        if esco_iri not in esco:
            problems.append(f"not in the ESCO release: {esco_iri}")
    return problems


def render_links(links: list[tuple[str, str, str, str]]) -> str:
    """Render the accepted links as TriG in the graph src:esco-links, sorted."""
    body = sorted({f"    <{o}> skos:{rel} <{e}> ." for o, e, rel, _note in links})
    return "\n".join(
        [
            "# Links from concepts of the knowledge base to ESCO, checked by hand.",
            "# Generated by scripts/propose_esco_links.py --write from",
            "# ontology/esco-links.accept.tsv; edit that file, not this one.",
            "# ESCO is published by the European Commission and used with attribution.",
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
            "@prefix dct: <http://purl.org/dc/terms/> .",
            "@prefix src: <https://w3id.org/mlcareer/source/> .",
            "",
            "src:esco-links {",
            '    src:esco-links dct:title "Links to ESCO"@en .',
            '    src:esco-links dct:description "skos:exactMatch and skos:closeMatch links from '
            "concepts of the knowledge base to ESCO occupations and skills, each checked by "
            'hand."@en .',
            "    src:esco-links dct:source <https://esco.ec.europa.eu/> .",
            '    src:esco-links dct:rightsHolder "European Commission (for ESCO)"@en .',
            *body,
            "}",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esco", type=Path, default=CLASSIFICATION, help="classification zip")
    ap.add_argument("--ontology", type=Path, default=ONTOLOGY, help="knowledge base folder")
    ap.add_argument("--threshold", type=float, default=0.8, help="least closeMatch score")
    ap.add_argument("--top", type=int, default=3, help="candidates shown per concept")
    ap.add_argument("--accept", type=Path, default=ACCEPT, help="checked links (TSV)")
    ap.add_argument(
        "--write",
        type=Path,
        metavar="PATH",
        help="write the accepted links as TriG instead of proposing",
    )
    args = ap.parse_args(argv)
    ours = load_ours(args.ontology)
    esco = load_esco(args.esco)
    if args.write:
        links = read_accept(args.accept)
        problems = check_links(links, {c.iri for c in ours}, {c.iri for c in esco})
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if problems:
            return 1
        args.write.write_text(render_links(links), encoding="utf-8")
        print(f"wrote {len(links)} links to {args.write}")
        return 0
    indexes = build_indexes(esco)
    proposals = [p for c in ours for p in propose(c, indexes[c.kind], args.threshold, args.top)]
    print_table(proposals)
    print(
        f"\n{len(proposals)} proposals for {len({p.ours.iri for p in proposals})} of "
        f"{len(ours)} concepts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
