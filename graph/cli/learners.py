"""The commands for learners: a plan towards a role."""

from __future__ import annotations

import argparse
from typing import Any

from ..io.words import counted
from .output import clean, emit

__all__ = ["LEARNER_COMMANDS"]


def _plan(kg: Any, args: argparse.Namespace) -> int:
    from ..query.plan import plan, step_reason

    result = plan(
        kg,
        have=args.have,
        target=args.target,
        from_role=args.from_role,
        inferred=not args.no_inferred,
    )
    had = ", ".join(clean(n.label) for n in result.have) or "nothing yet"
    lines = [f"Plan towards {clean(result.target.label)}, from: {had}"]
    if result.covered:
        covered = ", ".join(f"{clean(n.label)} (by {clean(by.label)})" for n, by in result.covered)
        lines.append(f"Already covered: {covered}")
    if not result.steps:
        lines.append("Nothing left to learn that the graph knows of.")
    number = 0
    for stage in result.stages:
        essential = sum(s.essential for s in stage)
        lines += [
            "",
            f"Stage {stage[0].stage}: {counted(essential, 'essential step')}, "
            f"{counted(len(stage) - essential, 'optional step')}",
        ]
        for step in stage:
            number += 1
            kind = "" if step.essential else "  (optional)"
            lines.append(f"  {number}. {clean(step.node.label)} ({clean(step.node.type)}){kind}")
            lines.append(f"       {clean(step_reason(step, result.total_articles), limit=400)}")
            if step.after:
                after = ", ".join(clean(kg.node(a).label) for a in step.after)
                lines.append(f"       after: {after}")
    emit(args.json, result.to_dict(), "\n".join(lines))
    return 0


LEARNER_COMMANDS = {"plan": _plan}
