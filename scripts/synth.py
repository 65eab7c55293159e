#!/usr/bin/env python3
"""Generate a synthetic graph shaped like ESCO, in the schema of the ML-career ontology.

The graph has roles grouped under role groups, skills (competences and
knowledge) grouped under skill groups, and tools of the five tool kinds, each
with a class, a preferred label, a few alternative labels and a definition.
Roles require skills (``mlc:requiresSkill``), may use optional ones
(``mlc:optionalSkill``) and tools (``mlc:usesTool``); skills relate to other
skills and tools; every concept has an ``mlc:broader`` parent. Relation ends
are drawn with Zipf-like weights, so a few skills and roles gather most links,
as in ESCO. Output is N-Quads in one named graph; the same seed gives the same
bytes.

Usage::

    python scripts/synth.py --triples 1000000 -o /tmp/synth.nq [--seed 7]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_esco import EXTENSION, OWL, RDF_TYPE, RDFS, SKOS, iri, literal

MLC = "https://w3id.org/mlcareer/ontology#"
BASE = "https://w3id.org/mlcareer/synth/"
GRAPH = "https://w3id.org/mlcareer/source/synthetic"

# Share of the concepts per kind, and classes per kind (chosen at random).
KINDS: dict[str, tuple[float, Sequence[str]]] = {
    "role": (0.11, ("Role",)),
    "rolegroup": (0.03, ("OccupationGroup",)),
    "skill": (0.75, ("Competence", "Competence", "Competence", "Knowledge")),
    "skillgroup": (0.06, ("SkillGroup",)),
    "tool": (0.05, ("ProgrammingLanguage", "Framework", "Library", "Platform", "DataStore")),
}
CONCEPTS_PER_TRIPLE = 0.07  # ESCO: about 18,000 concepts for 346,000 triples

# (predicate, subject kind, object kind, share of the relation statements)
RELATIONS: list[tuple[str, str, str, float]] = [
    ("requiresSkill", "role", "skill", 0.40),
    ("optionalSkill", "role", "skill", 0.36),
    ("usesTool", "role", "tool", 0.10),
    ("usesTool", "skill", "tool", 0.05),
    ("optionalSkill", "skill", "skill", 0.07),
    ("essentialRelatedSkill", "skill", "skill", 0.02),
]

WORDS = {
    "role": (
        [
            "junior",
            "senior",
            "lead",
            "applied",
            "research",
            "platform",
            "data",
            "cloud",
            "field",
            "principal",
            "staff",
            "associate",
        ],
        [
            "vision",
            "speech",
            "robotics",
            "analytics",
            "pricing",
            "search",
            "ranking",
            "forecasting",
            "security",
            "health",
            "retail",
            "logistics",
            "finance",
            "media",
        ],
        [
            "engineer",
            "scientist",
            "analyst",
            "architect",
            "developer",
            "specialist",
            "consultant",
            "manager",
            "researcher",
            "technician",
        ],
    ),
    "skill": (
        [
            "apply",
            "tune",
            "evaluate",
            "design",
            "monitor",
            "deploy",
            "document",
            "explain",
            "optimise",
            "audit",
            "test",
            "scale",
            "clean",
            "label",
        ],
        [
            "probabilistic",
            "distributed",
            "streaming",
            "relational",
            "sparse",
            "causal",
            "temporal",
            "visual",
            "textual",
            "graph",
            "tabular",
            "federated",
        ],
        [
            "models",
            "pipelines",
            "features",
            "datasets",
            "experiments",
            "metrics",
            "queries",
            "embeddings",
            "schedules",
            "reports",
            "services",
            "dashboards",
        ],
    ),
    "tool": (
        ["open", "quick", "deep", "hyper", "meta", "micro", "auto", "flux"],
        ["torch", "frame", "store", "flow", "lake", "stack", "grid", "kit", "base"],
        ["", " pro", " lite", " cloud", " server", " studio"],
    ),
}
WORDS["rolegroup"] = WORDS["role"]
WORDS["skillgroup"] = WORDS["skill"]


@dataclass
class Concept:
    """A generated node: its kind, index within the kind and IRI term."""

    kind: str
    index: int
    term: str


def label_for(kind: str, index: int) -> str:
    """Build a readable, unique label from word lists (mixed radix on the index)."""
    first, second, third = WORDS[kind]
    a, rest = index % len(first), index // len(first)
    b, rest = rest % len(second), rest // len(second)
    c, rest = rest % len(third), rest // len(third)
    suffix = f" {rest + 1}" if rest else ""
    if kind == "tool":
        return f"{first[a].capitalize()}{second[b]}{third[c]}{suffix}"
    if kind in ("rolegroup", "skillgroup"):
        return f"{second[b]} {third[c]} group{suffix}"
    return f"{first[a]} {second[b]} {third[c]}{suffix}"


def make_concepts(target: int) -> dict[str, list[Concept]]:
    """Create the nodes of each kind for a graph of about ``target`` triples."""
    total = max(10, int(target * CONCEPTS_PER_TRIPLE))
    nodes = {}
    for kind, (share, _classes) in KINDS.items():
        count = max(2, int(total * share))
        nodes[kind] = [Concept(kind, i, iri(f"{BASE}{kind}/{i}")) for i in range(count)]
    return nodes


def zipf_cumulative(n: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights 1/rank**exponent for n items."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))


def pick(rng: random.Random, cumulative: list[float]) -> int:
    """Draw an index with the given cumulative weights."""
    return bisect_left(cumulative, rng.random() * cumulative[-1])


class Writer:
    """Write N-Quads lines into one graph, stopping at a triple budget."""

    def __init__(self, stream: IO[str], budget: int) -> None:
        self.stream = stream
        self.budget = budget
        self.count = 0
        self._graph = iri(GRAPH)
        self._lines: list[str] = []

    @property
    def full(self) -> bool:
        """Tell whether the budget is spent."""
        return self.count >= self.budget

    def add(self, s: str, p: str, o: str) -> bool:
        """Write one statement unless the budget is spent; tell whether it was written."""
        if self.full:
            return False
        self._lines.append(f"{s} {p} {o} {self._graph} .\n")
        self.count += 1
        if len(self._lines) >= 50_000:
            self.flush()
        return True

    def flush(self) -> None:
        """Write the buffered lines out."""
        self.stream.write("".join(self._lines))
        self._lines.clear()


def write_declarations(out: Writer) -> None:
    """Declare the schema terms the synthetic graph uses beyond schema.ttl."""
    for term, kind, label, definition, links in EXTENSION:
        s = iri(term)
        out.add(s, iri(RDF_TYPE), iri(OWL + ("Class" if kind == "class" else "ObjectProperty")))
        out.add(s, iri(RDFS + "label"), literal(label, "en"))
        out.add(s, iri(SKOS + "prefLabel"), literal(label, "en"))
        out.add(s, iri(SKOS + "definition"), literal(definition, "en"))
        for predicate, obj in links:
            out.add(s, iri(predicate), iri(obj))


PARENT_KIND = {
    "role": "rolegroup",
    "rolegroup": "rolegroup",
    "skill": "skillgroup",
    "skillgroup": "skillgroup",
    "tool": "tool",
}


def write_concept(
    out: Writer, rng: random.Random, concept: Concept, parents: list[Concept]
) -> None:
    """Write a node's class, labels, definition and broader parent."""
    classes = KINDS[concept.kind][1]
    label = label_for(concept.kind, concept.index)
    out.add(concept.term, iri(RDF_TYPE), iri(MLC + rng.choice(classes)))
    out.add(concept.term, iri(SKOS + "prefLabel"), literal(label, "en"))
    for n in range(min(8, int(rng.expovariate(0.45)))):
        out.add(concept.term, iri(SKOS + "altLabel"), literal(f"{label} (variant {n + 1})", "en"))
    out.add(
        concept.term,
        iri(SKOS + "definition"),
        literal(
            f"Synthetic {concept.kind} number {concept.index}, generated for "
            f"load tests; it stands for nothing real.",
            "en",
        ),
    )
    # Groups point to an earlier group, so the hierarchy is a forest without cycles.
    if concept.kind in ("rolegroup", "skillgroup"):
        if concept.index > 0:
            out.add(concept.term, iri(MLC + "broader"), parents[rng.randrange(concept.index)].term)
    elif concept.kind != "tool":
        out.add(concept.term, iri(MLC + "broader"), rng.choice(parents).term)


def write_relations(out: Writer, rng: random.Random, nodes: dict[str, list[Concept]]) -> None:
    """Fill the rest of the budget with skewed, distinct relation statements."""
    cumulative = {kind: zipf_cumulative(len(items), 0.9) for kind, items in nodes.items()}
    shares = list(itertools.accumulate(share for *_rest, share in RELATIONS))
    seen: set[int] = set()
    width = max(len(items) for items in nodes.values())
    misses = 0
    while not out.full and misses < 10_000:
        r = bisect_left(shares, rng.random() * shares[-1])
        predicate, s_kind, o_kind, _share = RELATIONS[r]
        s = pick(rng, cumulative[s_kind])
        o = pick(rng, cumulative[o_kind])
        key = (r * width + s) * width + o
        if key in seen or (s_kind == o_kind and s == o):
            misses += 1
            continue
        seen.add(key)
        misses = 0
        out.add(nodes[s_kind][s].term, iri(MLC + predicate), nodes[o_kind][o].term)


def generate(stream: IO[str], triples: int, seed: int) -> int:
    """Write a synthetic graph of ``triples`` statements (fewer only if tiny); return the count."""
    rng = random.Random(seed)
    out = Writer(stream, triples)
    nodes = make_concepts(triples)
    write_declarations(out)
    for kind in KINDS:
        for concept in nodes[kind]:
            write_concept(out, rng, concept, nodes[PARENT_KIND[kind]])
    write_relations(out, rng, nodes)
    out.flush()
    return out.count


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, required=True, help="how many statements to write")
    ap.add_argument("-o", "--output", type=Path, required=True, help="N-Quads file to write")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args(argv)
    if args.triples < 1:
        ap.error("--triples must be positive")
    started = time.perf_counter()
    with args.output.open("w", encoding="utf-8", newline="\n") as stream:
        count = generate(stream, args.triples, args.seed)
    print(f"triples: {count:,}\nseconds: {time.perf_counter() - started:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
