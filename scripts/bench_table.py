"""The benchmark's table: rows printed as they come, kept as JSON, compared between runs."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["Table", "compare", "growth", "shown"]


def shown(value: float | None, unit: str) -> str:
    """A figure for the eye: seconds as ms or s, sizes in MB.

    >>> shown(0.0123, "s"), shown(12.5, "s"), shown(2048.4, "MB"), shown(None, "s")
    ('12.3 ms', '12.50 s', '2,048 MB', 'n/a')
    """
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:g} {unit}"


def _row(name: str, value: str, baseline: str = "", ratio: str = "", target: str = "") -> None:
    print(f"  {name:<46} {value:>12} {baseline:>34} {ratio:>8}  {target}")


class Table:
    """Figures by section; each printed as it is added."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.meta = meta
        self.sections: list[dict[str, Any]] = []
        self.extra: dict[str, Any] = {}
        _row("measure", "value", "baseline", "ratio", "target")

    @property
    def section_info(self) -> dict[str, Any]:
        return self.sections[-1]["info"]

    def section(self, name: str, info: dict[str, Any] | None = None) -> None:
        load = os.getloadavg()[0]
        size = f"{info['file_mb']:,} MB of N-Quads, " if info else ""
        print(f"\n{name} ({size}machine load {load:.1f})")
        info = {**(info or {}), "load": round(load, 2)}
        self.sections.append({"name": name, "info": info, "rows": []})
        self.extra = self.sections[-1]["info"]

    def add(
        self,
        measure: str,
        value: float | None,
        unit: str,
        baseline: tuple[str, float] | None = None,
        target: str = "",
        *,
        inverse: bool = False,
    ) -> None:
        """A figure, with its baseline: the ratio is value/baseline, or baseline/value
        when ``inverse`` (how many times faster than the baseline)."""
        ratio = None
        if baseline and value and baseline[1]:
            ratio = baseline[1] / value if inverse else value / baseline[1]
        self.sections[-1]["rows"].append(
            {
                "measure": measure,
                "value": value,
                "unit": unit,
                "baseline": baseline[0] if baseline else None,
                "baseline_value": baseline[1] if baseline else None,
                "ratio": ratio,
                "inverse": inverse,
                "target": target,
            }
        )
        base = f"{baseline[0]} {shown(baseline[1], unit)}" if baseline else ""
        text = "" if ratio is None else (f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x")
        _row(measure, shown(value, unit), base, text, target)

    def to_json(self) -> dict[str, Any]:
        return {**self.meta, "sections": self.sections}


def _key(section: dict[str, Any]) -> str:
    """Sections of two runs match by name, synthetic ones by their size."""
    if section["name"].startswith("synthetic") and "triples" in section["info"]:
        return f"synthetic, {section['info']['triples']:,} triples"
    return section["name"]


def compare(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Print every figure of ``new`` beside the same figure of ``old``, with each baseline."""
    print(
        f"\nbefore: {old.get('commit')} {old.get('date')}   after: {new.get('commit')} "
        f"{new.get('date')}"
    )
    before = {(_key(s), r["measure"]): r for s in old["sections"] for r in s["rows"]}
    print(
        f"  {'measure':<46} {'before':>12} {'(ratio)':>9} {'after':>12} {'(ratio)':>9}"
        f" {'after/before':>12}"
    )
    for section in new["sections"]:
        print(f"\n{_key(section)}")
        for row in section["rows"]:
            was = before.get((_key(section), row["measure"]))
            old_value = was["value"] if was else None
            change = row["value"] / old_value if old_value and row["value"] else None
            print(
                f"  {row['measure']:<46} {shown(old_value, row['unit']):>12}"
                f" {_ratio(was):>9} {shown(row['value'], row['unit']):>12} {_ratio(row):>9}"
                f" {'' if change is None else f'{change:.2f}x':>12}"
            )


def _ratio(row: dict[str, Any] | None) -> str:
    if not row or row.get("ratio") is None:
        return ""
    return f"({row['ratio']:.2f}x)"


def growth(data: dict[str, Any]) -> None:
    """How each figure grows from the smallest synthetic graph to the largest."""
    synthetic = sorted(
        (s for s in data["sections"] if s["name"].startswith("synthetic") and s["rows"]),
        key=lambda s: s["info"].get("triples", 0),
    )
    if len(synthetic) < 2:
        return
    small, large = synthetic[0], synthetic[-1]
    factor = large["info"]["triples"] / max(small["info"]["triples"], 1)
    print(
        f"\nhow each figure grows from {small['info']['triples']:,} to "
        f"{large['info']['triples']:,} statements ({factor:.1f}x)"
    )
    at_large = {r["measure"]: r for r in large["rows"]}
    for row in small["rows"]:
        other = at_large.get(row["measure"])
        if other is None or not row["value"] or other["value"] is None:
            continue
        _row(
            row["measure"],
            shown(row["value"], row["unit"]),
            shown(other["value"], row["unit"]),
            f"{other['value'] / row['value']:.2f}x",
        )
