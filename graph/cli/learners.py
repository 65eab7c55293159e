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


def _analyse(kg: Any, args: argparse.Namespace) -> int:
    from ..errors import BadInput
    from ..query.analyse import analyse, read_text
    from ..query.plan import as_role

    if args.save_as and not args.into:
        raise BadInput("--save-as needs --into FOLDER: where to write the new source")
    text = read_text(_read_input(args.file), name=args.file)
    result = analyse(kg, text, have=args.have, inferred=not args.no_inferred)
    data = result.to_dict()
    lines = [f"{counted(len(result.mentions), 'mention')} of the graph's concepts:"]
    for m in result.mentions:
        node = result.nodes[m.node]
        lines.append(f"  {m.start:>6}  {clean(m.text)} -> {clean(node.label)} ({clean(node.type)})")
    if result.closest_roles:
        lines += ["", "closest roles:"]
        lines += [f"  {score:.2f}  {clean(n.label)}" for n, score in result.closest_roles]
    if result.new_terms:
        lines += ["", "terms the graph lacks: " + ", ".join(clean(t) for t in result.new_terms)]
    if result.gap:
        lines += ["", f"this text {result.gap.summary}"]
        if result.gap.missing:
            lines.append("missing: " + ", ".join(clean(n.label) for n in result.gap.missing))
        if result.gap.plan:
            steps = result.gap.plan.steps
            lines.append(
                f"plan towards {clean(result.gap.plan.target.label)}: "
                f"{counted(len(steps), 'step')} in {counted(len(result.gap.plan.stages), 'stage')}"
                " (mlcareer plan for the details)"
            )
    if args.save_as:
        from ..io.saved import save_source

        if args.as_role:
            role = as_role(kg, args.as_role)
        elif result.closest_roles:
            role = result.closest_roles[0][0]
        else:
            raise BadInput("the text is close to no role; name the one it asks for with --as-role")
        path = save_source(kg, result, title=args.save_as, folder=args.into, role=role)
        data["saved"] = str(path)
        lines += ["", f"saved as a source: {path} (load it with --data {path})"]
    emit(args.json, data, "\n".join(lines))
    return 0


def _read_input(name: str) -> bytes:
    """The bytes of ``name`` (``-``: standard input), read up to a bound: never a whole device."""
    import sys
    from pathlib import Path

    from ..errors import BadInput
    from ..query.analyse import MAX_CHARS

    bound = 4 * MAX_CHARS * 4 + 1  # four bytes a character, and room for HTML around it
    try:
        if name == "-":
            return sys.stdin.buffer.read(bound)
        with Path(name).open("rb") as handle:
            return handle.read(bound)
    except FileNotFoundError as err:
        raise BadInput(f"cannot read {name}: no such file") from err
    except OSError as err:
        raise BadInput(f"cannot read {name}: {err.strerror or err}") from err


LEARNER_COMMANDS = {"plan": _plan, "analyse": _analyse, "analyze": _analyse}
