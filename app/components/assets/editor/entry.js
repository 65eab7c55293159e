// The SPARQL editor of the explorer: CodeMirror 6 with the SPARQL mode, line
// numbers, completion of prefixes and of the names a graph uses, an error marker
// at a position the server reports, and Ctrl+Enter (Cmd+Enter) to run.
import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, placeholder,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap,
} from "@codemirror/autocomplete";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { searchKeymap } from "@codemirror/search";

const KEYWORDS = [
  "SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND",
  "VALUES", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT",
  "DESCRIBE", "COUNT", "SAMPLE", "GROUP_CONCAT", "LANG", "LANGMATCHES", "STR", "REGEX",
  "CONTAINS", "STRSTARTS", "LCASE", "UCASE", "EXISTS", "NOT EXISTS", "PREFIX", "AS", "a",
];

/* Completion of the word before the cursor: keywords, prefixes, and prefixed names. */
function completions(words) {
  const options = [
    ...KEYWORDS.map((k) => ({ label: k, type: "keyword" })),
    ...(words.prefixes || []).map((p) => ({ label: p + ":", type: "namespace", detail: "prefix" })),
    ...(words.classes || []).map((c) => ({ label: c[0], type: "class", detail: c[1] || "class" })),
    ...(words.predicates || []).map((p) => ({
      label: p[0], type: "property", detail: p[1] || "relation",
    })),
  ];
  return (context) => {
    const word = context.matchBefore(/[\w:-]+/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return { from: word.from, options, validFor: /^[\w:-]*$/ };
  };
}

function positionOf(doc, line, column) {
  const n = Math.min(Math.max(1, line | 0), doc.lines);
  const row = doc.line(n);
  return Math.min(row.from + Math.max(0, (column | 0) - 1), row.to);
}

/* Mount an editor in `parent`; `onRun(text)` is called by Ctrl+Enter; `onChange(text)` on edits. */
export function mount(parent, options) {
  const runKey = {
    key: "Mod-Enter",
    preventDefault: true,
    run: (view) => { options.onRun(view.state.doc.toString()); return true; },
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.text || "",
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(),
        bracketMatching(), closeBrackets(), highlightActiveLine(), lintGutter(),
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [completions(options.words || {})] }),
        placeholder(options.placeholder || ""),
        keymap.of([runKey, ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap,
                   ...historyKeymap, ...completionKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.updateListener.of((update) => {
          if (update.docChanged && options.onChange) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /* Mark an error at 1-based `line` and `column` (the guard's and the parser's numbers). */
    markError(error) {
      if (!error) { view.dispatch(setDiagnostics(view.state, [])); return; }
      const from = positionOf(view.state.doc, error.line, error.column);
      const to = Math.min(from + 1, view.state.doc.length);
      view.dispatch(setDiagnostics(view.state, [
        { from, to: Math.max(to, from), severity: "error", message: String(error.message || "") },
      ]));
    },
    destroy() { view.destroy(); },
  };
}
