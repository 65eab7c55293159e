"""The SPARQL editor: CodeMirror 6 in a bidirectional component, served inline (works offline).

The bundle (``assets/sparql_editor.js``, built from ``assets/editor/``; see the
README there) highlights SPARQL, numbers lines, completes prefixes and the names
of the graph's classes and relations, and marks an error at the line and column
the parser reports. Ctrl+Enter and the Run button send the text back as the
``run`` trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

__all__ = ["sparql_editor"]

ASSETS = Path(__file__).parent / "assets"

_ADAPTER = r"""
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let box = parentElement.__kgEditor;
  if (!box) {
    const root = document.createElement("div");
    root.className = "kg-editor";
    const area = document.createElement("div");
    area.className = "kg-editor-area";
    const bar = document.createElement("div");
    bar.className = "kg-editor-bar";
    const run = document.createElement("button");
    run.type = "button";
    run.className = "kg-editor-run";
    run.textContent = "Run";
    const hint = document.createElement("span");
    hint.textContent = "Ctrl+Enter runs · Ctrl+Space completes prefixes, classes and relations";
    bar.append(run, hint);
    root.append(area, bar);
    parentElement.append(root);
    let nonce = 0;
    const send = (text) => setTriggerValue("run", { text, nonce: ++nonce });
    const editor = globalThis.KGEditor.mount(area, {
      text: data.text || "", words: data.words || {}, placeholder: data.placeholder || "",
      onRun: send,
    });
    run.addEventListener("click", () => send(editor.text()));
    area.style.minHeight = String(Number(data.height) || 220) + "px";
    box = { editor, text: data.text || "" };
    parentElement.__kgEditor = box;
    globalThis.__kgEditors = globalThis.__kgEditors || {};
    globalThis.__kgEditors[String(data.name || "editor")] = editor;
  }
  if ((data.text || "") !== box.text) {  // Python changed the text (the gallery, an address)
    box.text = data.text || "";
    box.editor.setText(box.text);
  }
  box.editor.markError(data.error || null);
  return () => { box.editor.destroy(); delete parentElement.__kgEditor; };
}
"""

_CSS = r"""
.kg-editor { font-family: sans-serif; }
.kg-editor-area { border: 1px solid #ccc; border-radius: 6px; background: #fff; }
.kg-editor-area .cm-editor { min-height: inherit; font-size: 14px; }
.kg-editor-area .cm-scroller { font-family: monospace; min-height: inherit; }
.kg-editor-bar { display: flex; gap: 12px; align-items: center; margin-top: 6px;
  font-size: 13px; color: #555; }
.kg-editor-run { font: inherit; font-size: 14px; border: 0; border-radius: 6px;
  padding: 5px 16px; background: #ff4b4b; color: #fff; cursor: pointer; }
.kg-editor-run:hover { background: #e03e3e; }
"""


@cache
def _component() -> Callable[..., Any]:
    bundle = (ASSETS / "sparql_editor.js").read_text(encoding="utf-8")
    return st.components.v2.component(
        "mlcareer_sparql_editor",
        # The bundle is a classic script; in a module its name must be made global.
        js=bundle + "\n;globalThis.KGEditor = KGEditor;\n" + _ADAPTER,
        css=_CSS,
    )


def sparql_editor(
    text: str,
    *,
    key: str,
    words: dict[str, list[Any]],
    error: dict[str, Any] | None = None,
    placeholder: str = "",
    height: int = 220,
    on_run: Callable[[], None] | None = None,
) -> str | None:
    """Draw the editor holding ``text``; return the text to run when the user asked to run it.

    ``words`` holds ``prefixes`` (names), ``classes`` and ``predicates``
    (``[prefixed name, label]`` pairs) for completion; ``error`` (``line``,
    ``column``, ``message``) puts a marker in the text.
    """
    result = _component()(
        key=key,
        data={
            "text": text,
            "words": words,
            "error": error,
            "placeholder": placeholder,
            "height": height,
            "name": key,
        },
        on_run_change=on_run or (lambda: None),
    )
    run = result.get("run") if result else None
    return run.get("text") if isinstance(run, dict) else None
