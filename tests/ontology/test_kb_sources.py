"""Every statement of an article graph, read against the paragraph it cites.

Statements taken from an article live in passage graphs (one paragraph, list
item or table row each). These tests cut the articles of ``shared/seeds`` as
``scripts/review.py`` does and check that each passage graph names a real
passage, that every statement joins concepts its section mentions, that every
spelling and number it records is in its passage, and that no figure is
credited to an organisation its sentence does not name.
"""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from kb_support import ML, MLC, ROOT, SRC, ask, load_store, review, seeds_or_skip, select

ARTICLES = {
    "000": "000_5c06ce507eda4b7e.txt",
    "001": "001_d2225df08d9f2641.txt",
    "002": "002_b971eb43af7d4431.txt",
    "003": "003_6afb2bd63552aeaa.txt",
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load_store()


@pytest.fixture(scope="module")
def names(store: ox.Store) -> review.Names:
    return review.Names.read(store)


@pytest.fixture(scope="module")
def seeds() -> Path:
    return seeds_or_skip()


def read(store: ox.Store, seeds: Path, article: str) -> tuple[dict[str, str], dict]:
    _, sections, cut = review.read_article(store, seeds / ARTICLES[article])
    return sections, cut


def passages_of(store: ox.Store, seeds: Path, article: str):
    """(section, passage, passage graph) for every passage graph of ``article``."""
    sections, cut = read(store, seeds, article)
    for iri, locator in sections.items():
        section = cut[locator]
        for graph, where in review.passage_graphs(store, iri).items():
            passage = section.passage(where.removeprefix(f"{locator}, "))
            yield section, passage, graph, iri, where


# -- the passages ------------------------------------------------------------------------------


def test_statements_of_articles_live_only_in_passage_graphs(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?g WHERE {
             GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(src:a0)))
             FILTER NOT EXISTS { GRAPH src:sources {
               ?g a mlc:SourcePassage ; dct:isPartOf ?section, ?article ; mlc:locator ?where .
               ?section a mlc:SourceSection ; dct:isPartOf ?article .
               ?article a mlc:Article .
               FILTER NOT EXISTS { ?section a mlc:SourcePassage } } }
           }""",
    )
    assert rows == []


def test_every_described_passage_holds_statements(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?g WHERE {
             ?g a mlc:SourcePassage FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }""",
    )
    assert rows == []


@pytest.mark.parametrize("article", sorted(ARTICLES))
def test_every_passage_locator_names_a_passage_of_its_article(
    store: ox.Store, seeds: Path, article: str
) -> None:
    found = 0
    for section, passage, graph, section_iri, where in passages_of(store, seeds, article):
        assert passage is not None, f"{graph}: {where!r} is not a passage of the article"
        assert where == f"{section.locator}, {passage.words}"
        assert graph == f"{section_iri}-{passage.suffix}", graph
        found += 1
    assert found >= 20


@pytest.mark.parametrize("article", sorted(ARTICLES))
def test_every_statement_rests_on_the_passage_it_cites(
    store: ox.Store, names: review.Names, seeds: Path, article: str
) -> None:
    """Concepts mentioned by the section; spellings, numbers and credits in the passage."""
    problems = []
    for section, passage, graph, _, _ in passages_of(store, seeds, article):
        for statement in review.statements(store, graph):
            for reason in review.doubts(names, section, passage, statement):
                problems.append((graph.removeprefix(SRC), review.local(statement[1]), reason))
    assert problems == []


def test_no_figure_cites_an_organisation_its_sentence_does_not(
    store: ox.Store, names: review.Names, seeds: Path
) -> None:
    credited = []
    for article in ARTICLES:
        for _, passage, graph, _, _ in passages_of(store, seeds, article):
            for figure, p, org in review.statements(store, graph):
                if p != MLC + "citedOrganization":
                    continue
                together = [
                    sentence
                    for sentence in review.sentences(passage.text)
                    if names.mentioned(sentence, figure) and names.mentioned(sentence, org.value)
                ]
                assert together, f"{graph}: no sentence gives {figure} with {org.value}"
                credited.append((review.local(figure), review.local(org.value)))
    assert sorted(credited) == [
        ("Figure-EntryLevelStartingPay-BLS", "BureauOfLaborStatistics"),
        ("Figure-MLEngineerTypicalPay-Indeed", "Indeed"),
        ("Figure-MLMarket2022-FortuneBI", "FortuneBusinessInsights"),
        ("Figure-MLMarket2029-FortuneBI", "FortuneBusinessInsights"),
    ]


def test_sections_of_sections_read_their_parents_heading(store: ox.Store, seeds: Path) -> None:
    sections, cut = read(store, seeds, "003")
    step2 = cut[sections[SRC + "a003-step2-professional-experience"]]
    assert step2.context and step2.context[0].startswith("Educational Journey")
    assert ask(
        store,
        "ASK { src:a003-step2-professional-experience dct:isPartOf src:a003-educational-journey }",
    )


# -- what counts as mentioned -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        pytest.param("Extensive data modeling skills", "data modelling", True, id="spelling"),
        pytest.param("analyzing large data sets", "data analysis", True, id="ending"),
        pytest.param("FinanceFraud reduction", "fraud reduction", True, id="glued-cells"),
        pytest.param("graphical processing units (GPUs)", "GPU", True, id="plural-acronym"),
        pytest.param("addressing these biases", "bias", True, id="bias"),
        pytest.param("Java, C, and C++", "C++", True, id="c-plus-plus"),
        pytest.param("Knowledge of Hadoop", "distributed computing", False, id="absent"),
        pytest.param("a career in data science", "data scientist", False, id="other-word"),
    ],
)
def test_mentions(text: str, label: str, expected: bool) -> None:
    assert review.mentions(text, label) is expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        pytest.param("typically earns about $146,085.", 146085.0, True, id="commas"),
        pytest.param("earns up to $98000.", 98000.0, True, id="plain"),
        pytest.param("from USD 21.7 billion in 2022", 21.7e9, True, id="billion"),
        pytest.param("INR 10 lakhs per annum", 1e6, True, id="lakh"),
        pytest.param("increased ten folds", 10.0, True, id="word"),
        pytest.param("founded in 2010", 10.0, False, id="inside-a-number"),
        pytest.param("earns about $146,085.", 146.0, False, id="part-of-a-number"),
    ],
)
def test_gives_number(text: str, value: float, expected: bool) -> None:
    assert review.gives_number(text, value) is expected


@pytest.mark.parametrize(
    ("graph", "statement", "reason"),
    [
        pytest.param(
            "a001-career-paths-i1",
            (ML + "MLSoftwareEngineer", MLC + "requiresSkill", ox.NamedNode(ML + "GroupTheory")),
            "does not mention GroupTheory",
            id="concept-not-in-section",
        ),
        pytest.param(
            "a001-who-is-an-ml-engineer-p2",
            (
                ML + "Figure-EntryLevelMaxPay-001",
                MLC + "citedOrganization",
                ox.NamedNode(ML + "Indeed"),
            ),
            "no sentence gives the figure",
            id="credit-from-another-sentence",
        ),
        pytest.param(
            "a002-industry-impact-r3",
            (
                ML + "PowerConsumptionOptimization",
                "http://www.w3.org/2004/02/skos/core#altLabel",
                ox.Literal("smart grid", language="en"),
            ),
            "does not use the spelling",
            id="spelling-from-another-passage",
        ),
        pytest.param(
            "a003-salary-factors-i3",
            (
                ML + "Figure-SeasonedMinPay-003",
                MLC + "minValue",
                ox.Literal(
                    "232100", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
                ),
            ),
            "does not give 232100",
            id="wrong-number",
        ),
    ],
)
def test_doubts_catch_statements_their_passage_does_not_support(
    store: ox.Store, names: review.Names, seeds: Path, graph: str, statement: tuple, reason: str
) -> None:
    article = graph[1:4]
    for section, passage, name, _, _ in passages_of(store, seeds, article):
        if name == SRC + graph:
            found = review.doubts(names, section, passage, statement)
            assert any(reason in why for why in found), found
            return
    pytest.fail(f"no passage graph {graph}")


# -- the review script -------------------------------------------------------------------------


def test_review_examples_run() -> None:
    result = doctest.testmod(review)
    assert result.attempted >= 8 and result.failed == 0


def run_review(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "review.py"), *args],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip


def test_review_shows_each_statement_beside_its_passage(seeds: Path) -> None:
    done = run_review(str(seeds / ARTICLES["001"]), "career-paths")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("== Career Paths for an ML engineer")
    item3 = out.split("-- item 3", 1)[1]
    assert "[a001-career-paths-i3]" in item3
    assert "Core ML engineer: This role requires" in item3  # the article's own text, read live
    assert "* core ML engineer —combines skills of→ ML software engineer" in item3
    assert "-- paragraph 1  [nothing cites it]" in out
    assert "\n   ? " not in out


def test_review_of_every_section_flags_nothing(seeds: Path) -> None:
    for article in ARTICLES.values():
        done = run_review(str(seeds / article), "--all")
        assert done.returncode == 0, done.stderr
        assert "\n   ? " not in done.stdout and "\n!! " not in done.stdout


def test_review_describes_the_passages_of_the_sources_file(seeds: Path) -> None:
    sources = (ROOT / "ontology" / "sources.trig").read_text(encoding="utf-8")
    for article in ARTICLES.values():
        done = run_review(str(seeds / article), "--describe")
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() and done.stdout.strip() in sources


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("ARTICLE", "no-such-section"), "no single section matches", id="section"),
        pytest.param(("missing.txt", "faqs"), "missing.txt", id="article"),
        pytest.param(("ARTICLE",), "name a SECTION", id="nothing-asked"),
    ],
)
def test_review_errors_name_the_way_out(seeds: Path, args: tuple[str, ...], message: str) -> None:
    args = tuple(str(seeds / ARTICLES["001"]) if a == "ARTICLE" else a for a in args)
    done = run_review(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
