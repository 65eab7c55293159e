"""Reading texts against the graph: postings, a course page and an article written for these tests.

Each text (``tests/data/texts/``, written for the purpose) comes with the
concepts of the knowledge base it names; the analyser must find at least nine
in ten of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import graph
from graph.errors import BadInput, TooLarge
from graph.query.analyse import MAX_CHARS, analyse, read_text

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "tests" / "data" / "texts"

#: Text -> (the concepts it names, by label; the closest role; terms the graph lacks).
EXPECTED = {
    "posting-ml-engineer.txt": (
        {
            "machine learning engineer",
            "machine learning model",
            "Spark",
            "bachelor's degree in computer science",
            "master's degree",
            "Python",
            "software engineering",
            "PyTorch",
            "TensorFlow",
            "scikit-learn",
            "statistics",
            "probability",
            "linear algebra",
            "Hadoop",
            "data analysis",
            "communication",
            "teamwork",
            "deep learning",
            "natural language processing",
        },
        "machine learning engineer",
        {"Kubernetes", "Docker", "Airflow", "MLflow", "GCP"},
    ),
    "posting-data-scientist.txt": (
        {
            "data scientist",
            "predictive model",
            "regression",
            "decision trees",
            "data management",
            "degree in statistics",
            "mathematics",
            "computer science",
            "R",
            "Python",
            "data visualisation",
            "probability",
            "Bayesian statistics",
            "data privacy",
            "General Data Protection Regulation",
            "problem solving",
            "attention to detail",
        },
        "data scientist",
        {"Tableau", "Power BI"},
    ),
    "course-deep-learning.html": (
        {
            "deep learning",
            "machine learning",
            "neural networks",
            "linear algebra",
            "calculus",
            "recurrent neural network",
            "PyTorch",
            "Keras",
            "natural language processing",
            "Word2vec",
            "graphics processing unit",
            "CUDA",
            "Python",
            "statistics",
        },
        "deep learning engineer",
        set(),
    ),
    "article-career-change.txt": (
        {
            "machine learning engineer",
            "machine learning",
            "mathematics",
            "linear algebra",
            "probability",
            "statistics",
            "ML algorithms",
            "scikit-learn",
            "software engineering",
            "system design",
            "deep learning",
            "TensorFlow",
            "PyTorch",
            "model evaluation",
            "data preprocessing",
            "data scientist",
            "communication",
        },
        "machine learning engineer",
        {"JavaScript"},
    ),
}


@pytest.fixture(scope="module")
def analyses(kb) -> dict[str, object]:
    return {name: analyse(kb, read_text((TEXTS / name).read_bytes())) for name in EXPECTED}


def _labels(result) -> set[str]:
    return {result.nodes[m.node].label for m in result.mentions}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_mentions_are_found(analyses, name) -> None:
    expected, _, _ = EXPECTED[name]
    found = _labels(analyses[name])
    recall = len(found & expected) / len(expected)
    assert recall >= 0.9, f"missed {sorted(expected - found)}"


def test_recall_over_all_texts(analyses) -> None:
    hits = sum(len(_labels(analyses[n]) & e) for n, (e, _, _) in EXPECTED.items())
    total = sum(len(e) for e, _, _ in EXPECTED.values())
    assert hits / total >= 0.9


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_mention_points_at_its_words(analyses, name) -> None:
    text = read_text((TEXTS / name).read_bytes())
    for m in analyses[name].mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_closest_role_and_the_new_terms(analyses, name) -> None:
    _, role, terms = EXPECTED[name]
    result = analyses[name]
    assert result.closest_roles[0][0].label == role
    scores = [s for _, s in result.closest_roles]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert terms <= set(result.new_terms)
    assert not set(result.new_terms) & _labels(result)


def test_the_gap_and_the_plan_towards_the_closest_role(kb) -> None:
    text = read_text((TEXTS / "posting-ml-engineer.txt").read_bytes())
    result = analyse(kb, text, have=["Python", "statistics", "PyTorch"])
    gap = result.gap
    covered = {n.label for n, _ in gap.covered}
    assert {"Python", "statistics", "PyTorch"} <= covered
    assert gap.summary == f"asks for {len(gap.asked)} things; you have {len(gap.covered)}"
    assert {n.label for n in gap.missing} == {n.label for n in gap.asked} - covered
    assert gap.plan.target.label == "machine learning engineer"
    assert "PyTorch" not in {s.node.label for s in gap.plan.steps}


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        pytest.param(b"\x00\x01binary\xff", BadInput, "not text", id="binary"),
        pytest.param(b"caf\xe9 au lait", BadInput, "not UTF-8", id="latin-1"),
        pytest.param(b"   \n ", BadInput, "empty", id="empty"),
        pytest.param(b"x " * (MAX_CHARS // 2 + 10), TooLarge, "reads up to", id="1-mb"),
        pytest.param(b"<p>" * 1_000_000, TooLarge, "reads up to", id="html-flood"),
    ],
)
def test_what_is_not_a_text_to_read_gets_a_message(data, error, message) -> None:
    with pytest.raises(error, match=message):
        read_text(data)


def test_html_is_read_as_text_and_nothing_in_it_runs(kb) -> None:
    page = b'<p onclick="x()">We use <b>PyTorch</b><script>PyTorch()</script> &amp; R</p>'
    text = read_text(page)
    assert text == "We use PyTorch & R"
    assert [m.text for m in analyse(kb, text).mentions] == ["PyTorch", "R"]


def test_saved_as_a_source_the_text_counts_among_the_articles(kb, tmp_path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "analyse",
            str(TEXTS / "posting-ml-engineer.txt"),
            "--save-as",
            "ML engineer at a shop",
            "--into",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    saved = Path(json.loads(done.stdout)["saved"])
    assert saved.parent == tmp_path and saved.suffix == ".trig"
    content = saved.read_text()
    assert "requests a day" not in content and "Lisbon" not in content  # names only
    mine = graph.load([saved])
    assert len(mine.schema.articles) == len(kb.schema.articles) + 1
    edge = next(
        e for e in mine.edges("machine learning engineer") if mine.node(e.target).label == "PyTorch"
    )
    where = str((TEXTS / "posting-ml-engineer.txt").read_text().index("PyTorch"))
    assert any(
        s.label == "ML engineer at a shop" and where in (s.locator or "") for s in edge.sources
    )


def test_nothing_is_written_into_the_knowledge_base(tmp_path) -> None:
    from graph.io.loading import DEFAULT_DATA_DIR

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "analyse",
            str(TEXTS / "article-career-change.txt"),
            "--save-as",
            "mine",
            "--into",
            str(DEFAULT_DATA_DIR / "knowledge"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "inside the embedded knowledge base" in done.stderr
    assert not (DEFAULT_DATA_DIR / "knowledge" / "mine.trig").exists()


def test_command_line_reads_standard_input_and_writes_the_documented_json() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "analyse", "-", "--have", "Python", "--json"],
        input="We need Python, PyTorch and Kubernetes.",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"mentions", "closest_roles", "new_terms", "gap"} <= set(data)
    assert set(data["mentions"][0]) == {"node", "text", "start", "end"}
    assert set(data["closest_roles"][0]) == {"node", "score"}
    assert data["new_terms"] == ["Kubernetes"]
    assert data["gap"]["summary"].startswith("asks for")


def test_a_device_is_read_only_up_to_a_bound() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "analyse", "/dev/zero"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "not text" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_posting_read_against_esco(esco) -> None:
    text = read_text((TEXTS / "posting-data-scientist.txt").read_bytes())
    result = analyse(esco, text, have=["Python (computer programming)"])
    labels = _labels(result)
    assert {"data scientist", "statistics", "Python (computer programming)"} & labels
    assert result.closest_roles and result.gap is not None


def test_a_posting_is_closest_to_the_role_it_names(kb) -> None:
    # statistics alone would put the statistician first; the posting is for an ML engineer
    text = "ML engineer\n\nWe need Python, PyTorch and statistics."
    first = analyse(kb, text).closest_roles[0][0]
    assert first.label == "machine learning engineer"
    # the heading names the role though the role needs none of what the text lists
    headed = "Senior ML engineer. You know Python, PyTorch and SQL; statistics helps."
    assert analyse(kb, headed).closest_roles[0][0].label == "seasoned ML engineer"
    # (the course page, written for software developers, stays closest to the deep
    # learning engineer: test_the_closest_role_and_the_new_terms)
