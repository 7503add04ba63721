// The program editor of the « Programme » tab: CodeMirror 6, bundled into the page's script (no CDN).
// JavaScript with line numbers and highlighting; the program's API offered as completions, one
// line of help each in the page's language; a line highlighted where an error is.
//
// The page's CSP (style-src 'self') refuses the <style> element CodeMirror adds to a document. In a
// shadow root, CodeMirror (style-mod) gives its styles as constructed style sheets instead, which a
// CSP does not govern, as it does not govern the style properties CodeMirror sets from its script:
// so the editor lives in a shadow root of #editor, and the page's CSP stays as strict as it was.

import { autocompletion, type CompletionContext, type CompletionResult, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript, javascriptLanguage } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, ensureSyntaxTree, indentOnInput, syntaxHighlighting, syntaxTree } from '@codemirror/language';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { API, type ProgramWords } from '../../words/program';

const setError = StateEffect.define<number | null>();
const errorLine = Decoration.line({ class: 'cm-error-line' });

/** The line an error is on, until the program is changed. */
const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (!e.is(setError)) continue;
      const n = e.value;
      return n === null || n < 1 || n > tr.state.doc.lines ? Decoration.none : Decoration.set([errorLine.range(tr.state.doc.line(n).from)]);
    }
    return tr.docChanged ? Decoration.none : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The API's names as completions: `mqtt.pu` offers mqtt.publish, with its signature and help. */
function apiSource(w: ProgramWords) {
  const options = API.map(([label, signature]) => ({ label, detail: signature.slice(label.length), info: w.help[label], type: 'function' }));
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[\w$.]+/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return { from: word.from, options, validFor: /^[\w$.]*$/ };
  };
}

export interface ProgramEditor {
  code(): string;
  setCode(text: string): void;
  /** Highlights a line (1-based) and scrolls to it; null clears. */
  markError(line: number | null): void;
  /** The line of the first syntax error the parser sees, or null. */
  syntaxErrorLine(): number | null;
}

/** The editor's look, inside its shadow root (student.css cannot reach there). */
const theme = EditorView.theme({
  '&': { height: '24em', maxHeight: '70vh', border: '1px solid #999', borderRadius: '4px', background: '#fff' },
  '.cm-scroller': { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', overflow: 'auto' },
  '.cm-error-line': { background: '#fdd', outline: '1px solid #c00' },
  '.cm-completionInfo': { maxWidth: '24em', whiteSpace: 'normal' },
});

export function createEditor(host: HTMLElement, initial: string, w: ProgramWords, changed: (code: string) => void): ProgramEditor {
  const root = host.attachShadow({ mode: 'open' });
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle),
        javascript(),
        javascriptLanguage.data.of({ autocomplete: apiSource(w) }),
        autocompletion(),
        errorField,
        theme,
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) changed(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': w.tab }),
      ],
    }),
  });
  return {
    code: () => view.state.doc.toString(),
    setCode(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    markError(line) {
      const n = line !== null && line >= 1 && line <= view.state.doc.lines ? line : null;
      view.dispatch({ effects: [setError.of(n), ...(n ? [EditorView.scrollIntoView(view.state.doc.line(n).from, { y: 'center' })] : [])] });
    },
    syntaxErrorLine() {
      const state = view.state;
      const tree = ensureSyntaxTree(state, state.doc.length, 1000) ?? syntaxTree(state);
      let at: number | null = null;
      tree.iterate({
        enter: (n) => {
          if (at !== null) return false;
          if (n.type.isError) at = n.from;
          return undefined;
        },
      });
      return at === null ? null : state.doc.lineAt(at).number;
    },
  };
}
