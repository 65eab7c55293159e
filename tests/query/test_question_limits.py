"""A question is bounded: a long or repetitive text is refused or read in linear time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import graph
from graph.query.questions import MAX_QUESTION_CHARS, ask

ROOT = Path(__file__).resolve().parents[2]
#: Far more than a question needs; a reading that backtracks takes minutes on these texts.
HANG_GUARD = 60

_CHILD = """
import sys
import graph
from graph.query.questions import ask
kg = graph.load([sys.argv[1]], default=False)
text = sys.argv[2] * int(sys.argv[3])
try:
    ask(kg, text)
except graph.GraphError as err:
    print(type(err).__name__, str(err)[:200])
"""


@pytest.mark.parametrize(
    ("unit", "times"),
    [
        pytest.param("which ", 12_000, id="72KB-repeated-lead-word"),
        pytest.param("show list ", 7_200, id="72KB-two-lead-words"),
        pytest.param("which ", MAX_QUESTION_CHARS // 6, id="at-the-cap"),
    ],
)
def test_long_questions_end_quickly(unit: str, times: int) -> None:
    """Reading once took 65 s on 72 KB (a lazy pattern retried at every position)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT / "tests/data/mini.trig"), unit, str(times)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    if len(unit) * times > MAX_QUESTION_CHARS:
        assert done.stdout.startswith("BadInput") and "characters" in done.stdout


def test_the_cap_names_the_length_and_the_way_out(mini_kg: graph.KnowledgeGraph) -> None:
    with pytest.raises(graph.BadInput, match=r"1,000 characters.*at most") as info:
        ask(mini_kg, "x" * 1000)
    assert "Python" in str(info.value) or "e.g." in str(info.value)
