// The chosen topic or branch: its summary, its last messages with the change from the one before,
// and clearing the retained messages under it.

import { isUnder, numberOf } from '../../explorer/tree';
import { chart, charted, MAX_CHARTED } from './chart';
import { $, draw, set, tree, valueText, W } from './page';

export let selected: string | null = null;

export function select(path: string): void {
  selected = path;
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
  const retained = tree.retainedUnder(selected);
  set($('topic'), selected);
  set(
    $('summary'),
    n ? `${W.messages(n.count)}${n.retained ? ` · ${W.retained}` : ''}` : `${W.topics([...tree.topics.keys()].filter((t) => isUnder(t, selected!)).length)}`,
  );
  const toggle = $('chart-toggle') as HTMLButtonElement;
  toggle.hidden = !n;
  toggle.disabled = !n || (!charted.has(selected) && (numberOf(n.last) === null || charted.size >= MAX_CHARTED));
  set(toggle, charted.has(selected) ? W.removeChart : W.addChart);
  const clear = $('clear') as HTMLButtonElement;
  set(clear, `${W.clear} (${retained.length})`);
  clear.disabled = retained.length === 0;
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
  const branch = selected;
  const n = tree.retainedUnder(branch).length;
  if (!n) return void set($('done'), W.nothingToClear(branch));
  if (!confirm(W.confirmClear(n, branch))) return;
  try {
    const r = await fetch('clear', { method: 'POST', headers: { 'x-mqtt-pair': '1', 'content-type': 'application/json' }, body: JSON.stringify({ branch }) });
    const answer = (await r.json()) as { cleared: number };
    set($('done'), W.cleared(answer.cleared));
  } catch {
    set($('done'), W.lost);
  }
}
