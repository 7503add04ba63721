// The chosen topic or branch: its summary, its last messages with the change from the one before,
// and clearing the retained messages under it. What the broker holds retained there is asked of it
// when the branch is chosen (GET /retained): a message retained after the explorer subscribed
// comes without its RETAIN flag, so the tree alone cannot know.

import { branchOf, isUnder, numberOf, type RetainedProblem } from '../../explorer/tree';
import { chart, charted, MAX_CHARTED } from './chart';
import { $, draw, set, tree, valueText, W } from './page';

export let selected: string | null = null;
/** What the broker said it holds retained under the selected level; null while asked. */
let held: { level: string; count: number; more: boolean } | null = null;
let questions = 0;

/** The server's answer when it is no answer: why, worded here from its code (else its own line). */
async function failed(r: Response): Promise<Error> {
  const body = await r.text();
  let problem: RetainedProblem | undefined;
  try {
    problem = (JSON.parse(body) as { problem?: RetainedProblem }).problem;
  } catch {
    // not JSON: a line of the server's own (a request it did not take)
  }
  return new Error(problem ? W.retainedWhy(problem) : body.trim());
}

/** Asks the server what the broker holds retained under `level`; the tree's marks follow. */
async function ask(level: string): Promise<void> {
  const mine = ++questions;
  held = null;
  // At once, not at the next drawing: until the broker answers for this level, the button must not
  // clear with the count of the level chosen before.
  ($('clear') as HTMLButtonElement).disabled = true;
  draw();
  try {
    const r = await fetch(`retained?branch=${encodeURIComponent(branchOf(level))}`, { headers: { 'x-mqtt-pair': '1' } });
    if (!r.ok) throw await failed(r);
    const a = (await r.json()) as { count: number; more: boolean; retained: string[] };
    if (mine !== questions) return;
    held = { level, count: a.count, more: a.more };
    tree.markRetained(branchOf(level), new Set(a.retained));
  } catch (e) {
    if (mine === questions) set($('done'), W.askFailed((e as Error).message));
  }
  draw();
}

export function select(path: string): void {
  selected = path;
  void ask(path);
  const n = tree.topics.get(path);
  if (n && numberOf(n.last) !== null && !charted.has(path) && charted.size < MAX_CHARTED) chart(path, true);
  set($('done'), '');
  draw();
}

export function drawSelected(): void {
  $('pick').hidden = selected !== null;
  $('selected').hidden = selected === null;
  $('history-box').hidden = true;
  if (selected === null) return;
  const n = tree.topics.get(selected);
  const count = held?.level === selected ? held : null;
  set($('topic'), selected);
  set(
    $('summary'),
    n
      ? `${W.messages(n.count)}${n.retained ? ` · ${W.retained}` : ''}`
      : `${W.topics([...tree.topics.keys()].filter((t) => isUnder(t, branchOf(selected!))).length)}`,
  );
  const toggle = $('chart-toggle') as HTMLButtonElement;
  toggle.hidden = !n;
  toggle.disabled = !n || (!charted.has(selected) && (numberOf(n.last) === null || charted.size >= MAX_CHARTED));
  set(toggle, charted.has(selected) ? W.removeChart : W.addChart);
  const clear = $('clear') as HTMLButtonElement;
  set(clear, `${W.clear} ${W.held(count?.count ?? null, !!count?.more)}`);
  clear.disabled = !count?.count;
  if (!n) return;
  $('history-box').hidden = false;
  const body = ($('history') as HTMLTableElement).tBodies[0];
  const rowsText = n.history
    .map((s, i) => {
      const prev = n.history[i - 1];
      let change = W.first;
      if (prev) {
        const a = numberOf(prev),
          b = numberOf(s);
        if (a !== null && b !== null) change = b === a ? W.same : `${b > a ? '+' : ''}${(b - a).toLocaleString(W.locale, { maximumFractionDigits: 3 })}`;
        else change = valueText(prev) === valueText(s) ? W.same : '≠';
      }
      const t = new Date(s.at);
      return [
        `${t.toLocaleTimeString(W.locale)}.${String(t.getMilliseconds()).padStart(3, '0')}`,
        String(s.qos),
        s.retain ? W.yes : W.no,
        valueText(s),
        change,
      ];
    })
    .reverse();
  while (body.rows.length > rowsText.length) body.deleteRow(-1);
  rowsText.forEach((cells, i) => {
    const tr = body.rows[i] ?? body.insertRow();
    cells.forEach((text, j) => {
      const td = tr.cells[j] ?? tr.insertCell();
      td.className = j === 3 ? 'v' : 'n';
      set(td, text);
    });
  });
}

export async function clearBranch(): Promise<void> {
  if (selected === null) return;
  const level = selected;
  const branch = branchOf(level);
  const n = held?.level === level ? held.count : 0;
  if (!n) return void set($('done'), W.nothingToClear(branch));
  if (!confirm(W.confirmClear(n, branch))) return;
  try {
    const r = await fetch('clear', { method: 'POST', headers: { 'x-mqtt-pair': '1', 'content-type': 'application/json' }, body: JSON.stringify({ branch }) });
    if (!r.ok) throw await failed(r);
    const answer = (await r.json()) as { cleared: number };
    set($('done'), W.cleared(answer.cleared));
  } catch (e) {
    set($('done'), e instanceof TypeError ? W.lost : W.askFailed((e as Error).message));
  }
  if (selected === level) void ask(level);
}
