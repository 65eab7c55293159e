"""The benchmark's figures: kept as JSON, compared between runs, and how they grow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_table import Table, compare, growth, shown  # noqa: E402


def _run(triples: int, path_ms: float) -> dict:
    table = Table({"commit": "abc", "date": "today"})
    table.section(f"synthetic, {triples:,} triples", {"file_mb": 1, "triples": triples})
    table.add("path k=3 (median)", path_ms / 1000, "s")
    table.add("cold load into --store", 2.0, "s", ("bare bulk load", 1.6), "<= 1.07x bare")
    return table.to_json()


def test_figures_with_their_baseline_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(1000, 20)
    row = data["sections"][0]["rows"][1]
    assert row["ratio"] == pytest.approx(1.25) and row["baseline"] == "bare bulk load"
    assert "1.25x" in capsys.readouterr().out
    assert json.loads(json.dumps(data)) == data
    assert shown(0.5, "s") == "500.0 ms"


def test_two_runs_compared_figure_by_figure(capsys: pytest.CaptureFixture[str]) -> None:
    before, after = _run(1000, 40), _run(1000, 10)
    capsys.readouterr()
    compare(before, after)
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "path k=3" in line)
    assert "40.0 ms" in line and "10.0 ms" in line and "0.25x" in line


def test_growth_from_the_smallest_to_the_largest_graph(capsys: pytest.CaptureFixture[str]) -> None:
    small, large = _run(1000, 10), _run(10_000, 30)
    capsys.readouterr()
    growth({"sections": small["sections"] + large["sections"]})
    out = capsys.readouterr().out
    path = next(line for line in out.splitlines() if "path" in line)
    assert "(10.0x)" in out and "3.00x" in path


def test_the_command_line_compares_two_files(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(_run(1000, 40)))
    (tmp_path / "b.json").write_text(json.dumps(_run(1000, 20)))
    files = [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--compare", *files],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "0.50x" in done.stdout
