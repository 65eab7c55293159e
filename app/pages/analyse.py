"""Analyse: a job posting, a course page or an article read against the graph.

The text is data: it is shown with what it names highlighted, every piece
escaped with ``html.escape`` (nothing of it is read as Markdown or HTML), and it is kept in this
session only. "Save as a source" offers the analysis as a TriG file to
download, loadable with ``--data``; nothing is written on the server.
"""

from __future__ import annotations

import hashlib
import html
import tempfile
from pathlib import Path

import streamlit as st

import graph
from graph.io.saved import save_source
from graph.io.words import class_name, counted
from graph.model import Node
from graph.query.analyse import MAX_CHARS, Analysis, read_text
from graph.query.isolated import TaskLimits, run_isolated

from ..components.data import current_graph, graph_token
from ..components.learner import choices, have_box, name, open_plan
from ..components.state import Param, publish, restore
from ..components.ui import md, session_id, shows_errors, waiting_note

__all__ = ["PARAMS", "render"]

PARAMS = (Param("analyse_have", "have", [], list),)
#: The largest file read: four bytes a character, and room for HTML around the text.
MAX_BYTES = 4 * MAX_CHARS * 4
#: How much of the text is shown highlighted; the mentions table lists every one.
SHOWN_CHARS = 20_000


# -- reading -------------------------------------------------------------------------------
def text_of(pasted: str, upload: tuple[str, bytes] | None = None) -> str:
    """The text to analyse: the uploaded file's (``(name, bytes)``) if any, else ``pasted``.

    Raises :class:`~graph.errors.TooLarge` past the bounds, before any work on the
    text, and :class:`~graph.errors.BadInput` for what is not text.

    >>> text_of("", ("posting.html", b"<p>Python &amp; SQL</p>"))
    'Python & SQL'
    """
    if upload is None:
        return read_text(pasted, name="the pasted text")
    name, data = upload
    if len(data) > MAX_BYTES:
        raise graph.TooLarge(
            f"{name} is {len(data):,} bytes; the largest file read is {MAX_BYTES:,} bytes: "
            "give a shorter text"
        )
    return read_text(data, name=name)


def _read() -> None:
    """On "Analyse": read the upload or the pasted text and keep it, or the reason it cannot be."""
    state = st.session_state
    state.pop("analyse_problem", None)
    state.pop("analyse_read", None)
    upload = state.get("analyse_file")
    try:
        given = (upload.name, upload.getvalue()) if upload is not None else None
        state["analyse_read"] = text_of(state.get("analyse_text") or "", given)
    except graph.GraphError as err:
        state["analyse_problem"] = str(err)


def _analysis(kg: graph.KnowledgeGraph, text: str, have: tuple[str, ...]) -> Analysis:
    """The text read against the graph in a query process, with the wait said; kept for the
    session until the text, what one has or the graph changes (the page runs on every click)."""
    state = st.session_state
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = (graph_token(), digest, have)
    kept = state.get("analyse_done")
    if kept is not None and kept[0] == key:
        return kept[1]
    state.pop("analyse_done", None)
    tell, clear = waiting_note("reading")
    try:
        with st.spinner("Reading the text against the graph…"):
            limits = TaskLimits(client=session_id(), on_wait=tell)
            result = run_isolated(kg, "analyse", text=text, have=list(have), limits=limits)
    finally:
        clear()
    state["analyse_done"] = (key, result)
    return result


def _form() -> None:
    with st.form("analyse_form", border=False):
        st.text_area(
            "Paste a job posting, a course page or an article",
            key="analyse_text",
            height=200,
            max_chars=MAX_CHARS,
            placeholder="We are looking for an ML engineer with Python, PyTorch and SQL…",
        )
        st.file_uploader(
            "Or upload a text or HTML file",
            type=["txt", "html", "htm"],
            key="analyse_file",
            help=f"Up to {counted(MAX_CHARS, 'character')} of text; HTML is read as text.",
        )
        st.form_submit_button("Analyse", key="analyse_go", on_click=_read, type="primary")


# -- showing -------------------------------------------------------------------------------
def highlighted(text: str, marks: list[tuple[int, int, str]]) -> str:
    """``text`` as HTML with the ``marks`` (start, end, what it names) highlighted.

    Every piece of the text and every name is escaped: nothing in them is read
    as markup, and no Markdown is involved (so no address becomes a link).

    >>> print(highlighted("Use <b>Python</b>!", [(7, 13, "Python (Tool)")]))
    <div class="kg-analysed" style="white-space: pre-wrap; line-height: 1.7">Use &lt;b&gt;<mark title="Python (Tool)">Python</mark>&lt;/b&gt;!</div>
    """  # noqa: E501
    out, at = [], 0
    for start, end, names in marks:
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f'<mark title="{html.escape(names)}">{html.escape(text[start:end])}</mark>')
        at = end
    out.append(html.escape(text[at:]))
    style = "white-space: pre-wrap; line-height: 1.7"
    return f'<div class="kg-analysed" style="{style}">' + "".join(out) + "</div>"


def _named(node: Node) -> str:
    return f"{node.label} ({class_name(node.type_label or node.type)})"


def _text(result: Analysis, text: str) -> None:
    shown = text[:SHOWN_CHARS]
    marks = [
        (m.start, m.end, _named(result.nodes[m.node]))
        for m in result.mentions
        if m.end <= len(shown)
    ]
    st.markdown(f"**The text**, with {counted(len(result.mentions), 'mention')} highlighted")
    with st.container(height=420, border=True):
        st.html(highlighted(shown, marks))
        if len(text) > len(shown):
            st.caption(
                f"The first {len(shown):,} of {len(text):,} characters are shown; "
                "the table lists every mention."
            )
    if result.mentions and st.toggle("List the mentions", key="analyse_table"):
        import pandas as pd

        rows = [
            {
                "text": m.text,
                "concept": result.nodes[m.node].label,
                "class": class_name(result.nodes[m.node].type),
                "start": m.start,
                "end": m.end,
            }
            for m in result.mentions
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, height=300)


def _roles(result: Analysis, have: list[str]) -> None:
    st.markdown("**Closest roles** (how much of what each needs the text asks for)")
    if not result.closest_roles:
        st.caption("The text asks for nothing the graph's roles need.")
    for i, (role, score) in enumerate(result.closest_roles):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.progress(min(max(score, 0.0), 1.0), text=md(f"{role.label} · {score:.2f}"))
        c2.button(
            "Plan",
            key=f"analyse_plan_{i}",
            on_click=open_plan,
            args=(role.id, have),
            help="Open the Plan page towards this role, from what I have",
        )
    if result.new_terms:
        st.markdown("**Terms the graph lacks**")
        st.caption(md(", ".join(result.new_terms)))


def _gap(result: Analysis) -> None:
    gap = result.gap
    if gap is None:
        st.caption("Add what you have to see how far you are from what the text asks for.")
        return
    st.info(md(f"This text {gap.summary}."))
    if gap.missing:
        st.caption("Missing: " + md(", ".join(n.label for n in gap.missing)))
    if gap.covered:
        covered = ", ".join(
            n.label + ("" if n.id == by.id else f" (by {by.label})") for n, by in gap.covered
        )
        st.caption("You have: " + md(covered))
    if gap.plan:
        plan = gap.plan
        st.caption(
            md(
                f"Plan towards {plan.target.label}: {counted(len(plan.steps), 'step')} in "
                f"{counted(len(plan.stages), 'stage')}"
            )
        )


def _save(kg: graph.KnowledgeGraph, result: Analysis, roles: dict[str, Node]) -> None:
    with st.expander("Save as a source"):
        st.caption(
            "The names the text mentions, each where it stands, as statements of what the role "
            "asks for; load the file with --data and the explorer counts it among the sources. "
            "Nothing else of the text is kept."
        )
        closest = [r.id for r, _ in result.closest_roles]
        options = list(dict.fromkeys([*closest, *roles]))
        if not options:
            st.caption("The text is close to no role: nothing to save.")
            return
        c1, c2 = st.columns(2)
        title = c1.text_input("Title", key="analyse_title", max_chars=120)
        every = {**roles, **{r.id: r for r, _ in result.closest_roles}}
        role = c2.selectbox(
            "The role it asks for",
            options,
            key="analyse_role",
            format_func=lambda v: name(every, v),
        )
        if not title.strip():
            st.caption("Give it a title to download it.")
            return
        with shows_errors(), tempfile.TemporaryDirectory() as folder:
            path = save_source(kg, result, title=title, folder=folder, role=kg.node(role))
            data = Path(path).read_bytes()
            st.download_button(
                "Download the source (TriG)",
                data=data,
                file_name=path.name,
                mime="application/trig",
                key="analyse_download",
            )


def render() -> None:
    kg = current_graph()
    restore(PARAMS)
    st.header("Analyse a job posting or an article", anchor=False)
    things, roles = choices()
    _form()
    have_box("analyse_have", things, "What I have (optional: to see how far I am)")
    publish(PARAMS)
    state = st.session_state
    problem = state.get("analyse_problem")
    if problem:
        st.error(md(problem))
    text = state.get("analyse_read")
    if not text:
        if not problem:
            st.caption("Paste a text or upload a file, then Analyse.")
        return
    with shows_errors():
        have = tuple(state["analyse_have"])
        result = _analysis(kg, text, have)
        left, right = st.columns([3, 2], gap="medium")
        with left:
            _text(result, text)
        with right:
            _roles(result, list(have))
            _gap(result)
        _save(kg, result, roles)
