#!/usr/bin/env python3
"""Convert the ESCO CSV release into RDF in the schema of the ML-career ontology.

ESCO (European Skills, Competences, Qualifications and Occupations) is
published by the European Commission; reuse requires attribution to it, which
the output states on a dataset resource. The script reads the two zip archives
of the CSV release (the classification and the relations) member by member,
with the ``csv`` module, and writes N-Quads, everything in the named graph
``<http://data.europa.eu/esco/>`` (``--graph`` changes it).

Mapping
-------
- occupations: ``mlc:Role`` and ``esco:Occupation``; ISCO groups:
  ``mlc:OccupationGroup`` (a sub-class of ``mlc:Role``);
- skills: ``mlc:Competence`` (skillType skill/competence) or ``mlc:Knowledge``
  (skillType knowledge), both sub-classes of ``mlc:Skill``, plus ``esco:Skill``;
  skill groups: ``mlc:SkillGroup`` (a sub-class of ``mlc:Skill``);
- preferredLabel, altLabels, hiddenLabels, description, code: ``skos:prefLabel``,
  ``skos:altLabel``, ``skos:hiddenLabel``, ``skos:definition``, ``skos:notation``;
- essential / optional occupation-skill relations: ``mlc:requiresSkill`` /
  ``mlc:optionalSkill``; essential / optional skill-skill relations:
  ``mlc:essentialRelatedSkill`` / ``mlc:optionalSkill``;
- broader relations of both pillars: ``mlc:broader``.

ESCO IRIs are kept as node IRIs. The classes and properties the ontology does
not define itself are declared, with labels and definitions, in the output.
Malformed rows are reported on stderr with their file and line and skipped.

Usage::

    python scripts/import_esco.py CLASSIFICATION_ZIP RELATIONS_ZIP -o OUT.nq
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tqdm import tqdm

MLC = "https://w3id.org/mlcareer/ontology#"
ESCO_MODEL = "http://data.europa.eu/esco/model#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT_GRAPH = "http://data.europa.eu/esco/"
REUSE_DECISION = "https://eur-lex.europa.eu/eli/dec/2011/833/oj"
ESCO_PORTAL = "https://esco.ec.europa.eu/"
MAX_REPORTED = 50

_IRI_OK = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")

# Schema terms the ESCO data needs beyond ontology/schema.ttl:
# (IRI, kind, label, definition, [(predicate, object IRI), ...])
EXTENSION: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    (
        MLC + "OccupationGroup",
        "class",
        "Occupation group",
        "A group of related occupations in a classification such as ISCO.",
        [(RDFS + "subClassOf", MLC + "Role")],
    ),
    (
        MLC + "SkillGroup",
        "class",
        "Skill group",
        "A heading that gathers related skills or areas of knowledge in a skills hierarchy.",
        [(RDFS + "subClassOf", MLC + "Skill")],
    ),
    (
        MLC + "Competence",
        "class",
        "Competence",
        "A skill in the sense of being able to carry out tasks and apply know-how, as "
        "opposed to knowing facts and theory.",
        [(RDFS + "subClassOf", MLC + "Skill")],
    ),
    (
        MLC + "Knowledge",
        "class",
        "Knowledge",
        "A body of facts, principles and theory in a field, as opposed to the ability to do "
        "something.",
        [(RDFS + "subClassOf", MLC + "Skill")],
    ),
    (
        MLC + "optionalSkill",
        "property",
        "optional skill",
        "The role or skill may call for the other skill, which helps but is not essential.",
        [
            (RDFS + "subPropertyOf", MLC + "relatedTo"),
            (RDFS + "subPropertyOf", ESCO_MODEL + "relatedOptionalSkill"),
            (RDFS + "domain", SKOS + "Concept"),
            (RDFS + "range", MLC + "Skill"),
        ],
    ),
    (
        MLC + "essentialRelatedSkill",
        "property",
        "essential related skill",
        "The skill cannot be practised well without the other skill.",
        [
            (RDFS + "subPropertyOf", MLC + "relatedTo"),
            (RDFS + "subPropertyOf", ESCO_MODEL + "relatedEssentialSkill"),
            (RDFS + "domain", MLC + "Skill"),
            (RDFS + "range", MLC + "Skill"),
        ],
    ),
]


def iri(value: str) -> str:
    """Write an IRI as an N-Quads term."""
    return f"<{value}>"


def literal(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """Write a literal as an N-Quads term, escaping what N-Quads requires."""
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def valid_iri(value: str) -> bool:
    """Tell whether a string can be written as an IRI term."""
    return bool(_IRI_OK.match(value))


@dataclass
class Output:
    """An N-Quads sink that counts what it writes."""

    stream: IO[str]
    graph: str
    triples: int = 0
    counts: Counter = field(default_factory=Counter)
    malformed: int = 0

    def add(self, s: str, p: str, o: str) -> None:
        """Write one statement into the output graph (terms already formatted)."""
        self.stream.write(f"{s} {p} {o} <{self.graph}> .\n")
        self.triples += 1

    def report(self, where: str, line: int, reason: str) -> None:
        """Report a malformed row on stderr (the first MAX_REPORTED of them)."""
        self.malformed += 1
        if self.malformed <= MAX_REPORTED:
            tqdm.write(f"malformed row {where}:{line}: {reason}", file=sys.stderr)
        elif self.malformed == MAX_REPORTED + 1:
            tqdm.write("more malformed rows follow; only the count is kept", file=sys.stderr)


class _CountingReader(io.RawIOBase):
    """A binary reader that reports the bytes it reads to a progress bar."""

    def __init__(self, raw: IO[bytes], bar: tqdm) -> None:
        self._raw = raw
        self._bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self._raw.readinto(buffer)
        self._bar.update(n)
        return n


def find_member(archive: zipfile.ZipFile, stem: str) -> tuple[str, str] | None:
    """Find ``<stem>.csv`` or ``<stem>_<lang>.csv`` in an archive.

    Returns
    -------
    tuple or None
        The member name and the language tag of its labels ("en" by default).
    """
    pattern = re.compile(rf"(?:.*/)?{re.escape(stem)}(?:_([a-zA-Z-]+))?\.csv$")
    for name in archive.namelist():
        match = pattern.fullmatch(name)
        if match:
            return name, match.group(1) or "en"
    return None


def read_rows(
    archive: zipfile.ZipFile, member: str, bar: tqdm, out: Output
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for the well-formed rows of a CSV member.

    The line is the physical line where the record starts. Rows with too few
    or too many fields are reported and skipped.
    """
    where = f"{Path(archive.filename or '').name}/{member}"
    raw = io.BufferedReader(_CountingReader(archive.open(member), bar))
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    start = reader.line_num + 2  # the header is line 1
    try:
        for row in reader:
            if None in row or None in row.values():
                width = len(reader.fieldnames or [])
                got = width + len(row.get(None, [])) - list(row.values()).count(None)
                out.report(where, start, f"expected {width} fields, found {got}")
            else:
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        out.report(where, reader.line_num, f"unreadable CSV: {exc}")
    finally:
        text.close()


def split_labels(cell: str) -> list[str]:
    """Split a newline-separated label cell into distinct, trimmed labels."""
    seen: dict[str, None] = {}
    for part in cell.splitlines():
        label = " ".join(part.split())
        if label:
            seen.setdefault(label, None)
    return list(seen)


def write_concept(out: Output, row: dict[str, str], classes: list[str], lang: str) -> None:
    """Write the class, labels, definition and code of one concept row."""
    s = iri(row["conceptUri"])
    for cls in classes:
        out.add(s, iri(RDF_TYPE), iri(cls))
    pref = " ".join(row["preferredLabel"].split())
    out.add(s, iri(SKOS + "prefLabel"), literal(pref, lang))
    for alt in split_labels(row.get("altLabels", "")):
        if alt != pref:
            out.add(s, iri(SKOS + "altLabel"), literal(alt, lang))
    for hidden in split_labels(row.get("hiddenLabels", "")):
        out.add(s, iri(SKOS + "hiddenLabel"), literal(hidden, lang))
    text = (row.get("description") or row.get("definition") or "").strip()
    if text:
        out.add(s, iri(SKOS + "definition"), literal(text, lang))
    code = (row.get("code") or "").strip()
    if code:
        out.add(s, iri(SKOS + "notation"), literal(code))


def concept_problem(row: dict[str, str]) -> str | None:
    """Say what is wrong with a concept row, or None when it is usable."""
    if not valid_iri(row.get("conceptUri", "").strip()):
        return f"bad conceptUri {row.get('conceptUri', '')!r}"
    if not row.get("preferredLabel", "").strip():
        return "empty preferredLabel"
    return None


SKILL_CLASSES = {
    "skill/competence": [MLC + "Competence", ESCO_MODEL + "Skill"],
    "knowledge": [MLC + "Knowledge", ESCO_MODEL + "Skill"],
    "": [MLC + "Skill", ESCO_MODEL + "Skill"],
}

CONCEPT_FILES: list[tuple[str, str]] = [
    ("occupations", "occupation"),
    ("ISCOGroups", "occupation group"),
    ("skills", "skill"),
    ("skillGroups", "skill group"),
]


def classes_for(kind: str, row: dict[str, str]) -> list[str] | None:
    """Return the classes of a concept row, or None for an unknown skill type."""
    if kind == "occupation":
        return [MLC + "Role", ESCO_MODEL + "Occupation"]
    if kind == "occupation group":
        return [MLC + "OccupationGroup"]
    if kind == "skill group":
        return [MLC + "SkillGroup"]
    return SKILL_CLASSES.get(row.get("skillType", "").strip())


def import_concepts(archive: zipfile.ZipFile, out: Output, bar: tqdm) -> None:
    """Write every occupation, ISCO group, skill and skill group of the release."""
    for stem, kind in CONCEPT_FILES:
        found = find_member(archive, stem)
        if found is None:
            tqdm.write(f"warning: no {stem}*.csv in {archive.filename}", file=sys.stderr)
            continue
        member, lang = found
        for line, row in read_rows(archive, member, bar, out):
            problem = concept_problem(row)
            classes = classes_for(kind, row)
            if classes is None:
                problem = problem or f"unknown skillType {row.get('skillType')!r}"
            if problem:
                out.report(f"{Path(archive.filename or '').name}/{member}", line, problem)
                continue
            write_concept(out, row, classes, lang)
            out.counts[kind] += 1


# (member stem, subject column, object column, {relationType: (predicate, counter)})
RELATION_FILES: list[tuple[str, str, str, dict[str, tuple[str, str]]]] = [
    (
        "occupationSkillRelations",
        "occupationUri",
        "skillUri",
        {
            "essential": (MLC + "requiresSkill", "essential occupation-skill relations"),
            "optional": (MLC + "optionalSkill", "optional occupation-skill relations"),
        },
    ),
    (
        "skillSkillRelations",
        "originalSkillUri",
        "relatedSkillUri",
        {
            "essential": (MLC + "essentialRelatedSkill", "essential skill-skill relations"),
            "optional": (MLC + "optionalSkill", "optional skill-skill relations"),
        },
    ),
    (
        "broaderRelationsOccPillar",
        "conceptUri",
        "broaderUri",
        {
            "*": (MLC + "broader", "broader links (occupations)"),
        },
    ),
    (
        "broaderRelationsSkillPillar",
        "conceptUri",
        "broaderUri",
        {
            "*": (MLC + "broader", "broader links (skills)"),
        },
    ),
]


def import_relations(archive: zipfile.ZipFile, out: Output, bar: tqdm) -> None:
    """Write the occupation-skill, skill-skill and broader relations of the release."""
    for stem, s_col, o_col, predicates in RELATION_FILES:
        found = find_member(archive, stem)
        if found is None:
            tqdm.write(f"warning: no {stem}.csv in {archive.filename}", file=sys.stderr)
            continue
        member, _lang = found
        where = f"{Path(archive.filename or '').name}/{member}"
        seen: set[tuple[str, str, str]] = set()
        for line, row in read_rows(archive, member, bar, out):
            s, o = row.get(s_col, "").strip(), row.get(o_col, "").strip()
            kind = row.get("relationType", "*").strip() if "*" not in predicates else "*"
            if not (valid_iri(s) and valid_iri(o)):
                out.report(where, line, f"bad IRI in {s_col} or {o_col}")
                continue
            if kind not in predicates:
                out.report(where, line, f"unknown relationType {kind!r}")
                continue
            predicate, counter = predicates[kind]
            if (s, predicate, o) in seen:
                continue
            seen.add((s, predicate, o))
            out.add(iri(s), iri(predicate), iri(o))
            out.counts[counter] += 1


def _bytes_to_read(archive: zipfile.ZipFile, stems: list[str]) -> int:
    """Total uncompressed size of the members the conversion reads."""
    found = (find_member(archive, stem) for stem in stems)
    return sum(archive.getinfo(f[0]).file_size for f in found if f is not None)


def write_extension(out: Output) -> None:
    """Declare the classes and properties the ESCO data uses beyond schema.ttl."""
    for term, kind, label, definition, links in EXTENSION:
        s = iri(term)
        owl_type = OWL + ("Class" if kind == "class" else "ObjectProperty")
        out.add(s, iri(RDF_TYPE), iri(owl_type))
        out.add(s, iri(RDFS + "label"), literal(label, "en"))
        out.add(s, iri(SKOS + "prefLabel"), literal(label, "en"))
        out.add(s, iri(SKOS + "definition"), literal(definition, "en"))
        for predicate, obj in links:
            out.add(s, iri(predicate), iri(obj))


def release_version(path: Path) -> str:
    """Guess the ESCO version from an archive name such as esco-v1.1.1-...zip."""
    match = re.search(r"v(\d+(?:\.\d+)+)", path.name)
    return match.group(1) if match else "unknown"


def write_metadata(out: Output, version: str) -> None:
    """Describe the converted dataset and credit the European Commission."""
    s = iri(out.graph)
    out.add(s, iri(RDF_TYPE), iri(PROV + "Entity"))
    out.add(
        s, iri(DCT + "title"), literal(f"ESCO {version}, converted to the ML career schema", "en")
    )
    out.add(
        s,
        iri(DCT + "description"),
        literal(
            "Occupations, skills and their relations from ESCO, the European Skills, "
            "Competences, Qualifications and Occupations classification, converted by "
            "scripts/import_esco.py.",
            "en",
        ),
    )
    out.add(s, iri(DCT + "rightsHolder"), literal("European Commission", "en"))
    out.add(
        s,
        iri(DCT + "rights"),
        literal(
            "ESCO is published by the European Commission and is reused here with "
            "attribution to the European Commission.",
            "en",
        ),
    )
    out.add(s, iri(DCT + "license"), iri(REUSE_DECISION))
    out.add(s, iri(DCT + "source"), iri(ESCO_PORTAL))
    out.add(s, iri(OWL + "versionInfo"), literal(version))
    out.add(s, iri(PROV + "wasAttributedTo"), literal("European Commission", "en"))


def convert(
    classification: Path,
    relations: Path,
    stream: IO[str],
    graph: str = DEFAULT_GRAPH,
    progress: bool = True,
) -> Output:
    """Convert the two ESCO archives, writing N-Quads to ``stream``.

    Parameters
    ----------
    classification, relations
        The classification and relations zip archives of the CSV release.
    stream
        Where the N-Quads go.
    graph
        The named graph of every statement.
    progress
        Show a progress bar (bytes read) on stderr.

    Returns
    -------
    Output
        The counts: statements, concepts and relations by kind, malformed rows.
    """
    out = Output(stream, graph)
    with zipfile.ZipFile(classification) as c_zip, zipfile.ZipFile(relations) as r_zip:
        total = _bytes_to_read(c_zip, [stem for stem, _ in CONCEPT_FILES])
        total += _bytes_to_read(r_zip, [stem for stem, *_ in RELATION_FILES])
        with tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            desc="ESCO",
            file=sys.stderr,
            disable=not progress,
        ) as bar:
            write_metadata(out, release_version(classification))
            write_extension(out)
            import_concepts(c_zip, out, bar)
            import_relations(r_zip, out, bar)
    return out


def summary(out: Output, seconds: float) -> str:
    """Format the figures of a conversion."""
    lines = [f"{key}: {value:,}" for key, value in sorted(out.counts.items())]
    lines += [
        f"triples: {out.triples:,}",
        f"malformed rows: {out.malformed:,}",
        f"seconds: {seconds:.1f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("classification", type=Path, help="esco-*-classification-*-csv.zip")
    ap.add_argument("relations", type=Path, help="esco-*-relations-csv.zip")
    ap.add_argument("-o", "--output", type=Path, required=True, help="N-Quads file to write")
    ap.add_argument("--graph", default=DEFAULT_GRAPH, help="IRI of the named graph")
    ap.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = ap.parse_args(argv)
    for path in (args.classification, args.relations):
        if not path.is_file():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
    started = time.perf_counter()
    with args.output.open("w", encoding="utf-8", newline="\n") as stream:
        out = convert(
            args.classification, args.relations, stream, args.graph, progress=not args.no_progress
        )
    print(summary(out, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
