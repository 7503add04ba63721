// The explorer's page (mqtt-pair explore): the topic tree with counts, last values, retained flags
// and ages; the chosen topic's last messages with the change from the one before; a live chart
// of numeric topics (uPlot: 50 KB, no dependency, made for streaming time series, bundled here so
// nothing comes from the network); and clearing the retained messages under a branch.
// The model is tools/explorer/tree.ts, the server's own, with the same bounds. Everything from the
// network is set with textContent, never parsed as HTML. The CSP runs no inline style: sizes are
// set through the CSSOM, which it allows (uPlot does the same).

import uPlot from 'uplot';
import { type ExplorerBatch, type ExplorerHello, type Seen, TopicTree, type TopicNode, isUnder, numberOf } from '../../explorer/tree';
import { duration } from '../../words/duration';
import { type ExplorerWords, en, fr } from '../../words/explorer';

/** Charted topics at most, and points kept a topic (an hour at one a second). */
const MAX_CHARTED = 8;
const MAX_POINTS = 3600;
/** The tree is drawn again at most this often (ms): a flood does not redraw it 200 times a second. */
const DRAW_EVERY = 500;
const COLOURS = ['#1f6fd1', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#4b5563'];

const query = /[?&]lang=(fr|en)/.exec(location.search);
const browserLang = navigator.languages?.[0] || navigator.language || 'en';
let lang: 'fr' | 'en' = query ? (query[1] as 'fr' | 'en') : /^fr/i.test(browserLang) ? 'fr' : 'en';
let W: ExplorerWords = lang === 'fr' ? fr : en;

let tree = new TopicTree();
let about: ExplorerHello | null = null;
/** The server's counts: messages seen, and what it did not keep or send. */
const server = { seen: 0, droppedTopics: 0, droppedMessages: 0, notSent: 0 };
let selected: string | null = null;
/** Branches the user folded or unfolded (by path), over the default (open while the tree is small). */
const toggled = new Map<string, boolean>();
const charted = new Map<string, { t: number[]; v: number[] }>();
let windowMinutes = 5;
let dirty = true;

const $ = (id: string) => document.getElementById(id)!;
function set(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}
function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  parent?.appendChild(e);
  return e;
}

// ---- the tree: branches from the topics' levels

interface Branch {
  path: string;
  seg: string;
  depth: number;
  node?: TopicNode;
  children: Map<string, Branch>;
  /** Messages of every topic under it. */
  total: number;
  lastAt: number;
}

function branches(): Branch {
  const root: Branch = { path: '', seg: '', depth: -1, children: new Map(), total: 0, lastAt: 0 };
  const needle = ($('search') as HTMLInputElement).value.trim().toLowerCase();
  for (const n of tree.topics.values()) {
    if (needle && !n.topic.toLowerCase().includes(needle)) continue;
    const segs = n.topic.split('/');
    let b = root;
    let path = '';
    segs.forEach((seg, i) => {
      path = i ? `${path}/${seg}` : seg;
      let c = b.children.get(seg);
      if (!c) {
        c = { path, seg, depth: i, children: new Map(), total: 0, lastAt: 0 };
        b.children.set(seg, c);
      }
      c.total += n.count;
      c.lastAt = Math.max(c.lastAt, n.last.at);
      b = c;
    });
    b.node = n;
  }
  return root;
}

function isOpen(b: Branch): boolean {
  const t = toggled.get(b.path);
  if (t !== undefined) return t;
  // Open while the tree is small or a search narrows it; else the first two levels.
  return tree.topics.size <= 150 || ($('search') as HTMLInputElement).value.trim() !== '' || b.depth < 1;
}

interface Row {
  li: HTMLLIElement;
  fold: HTMLButtonElement;
  seg: HTMLElement;
  count: HTMLElement;
  value: HTMLElement;
  ret: HTMLElement;
  age: HTMLElement;
}
const rows = new Map<string, Row>();

function makeRow(path: string): Row {
  const li = el('li', 'row');
  li.setAttribute('role', 'treeitem');
  li.dataset.path = path;
  const fold = el('button', 'fold', li);
  fold.type = 'button';
  const r = {
    li,
    fold,
    seg: el('span', 'seg', li),
    count: el('span', 'count', li),
    value: el('span', 'value', li),
    ret: el('span', 'ret', li),
    age: el('span', 'age', li),
  };
  fold.addEventListener('click', (e) => {
    e.stopPropagation();
    const b = li.dataset.open === '1';
    toggled.set(path, !b);
    draw();
  });
  li.addEventListener('click', () => select(path));
  return r;
}

function valueText(s: Seen): string {
  return s.binary ? W.bytes(s.size) : s.size === 0 ? '(null)' : s.text;
}

function drawTree(now: number): void {
  const root = branches();
  const list = $('tree');
  const visible: string[] = [];
  const walk = (b: Branch) => {
    const kids = [...b.children.values()].sort((x, y) => x.seg.localeCompare(y.seg, 'en', { numeric: true }));
    for (const c of kids) {
      visible.push(c.path);
      let r = rows.get(c.path);
      if (!r) {
        r = makeRow(c.path);
        rows.set(c.path, r);
      }
      const open = isOpen(c);
      const hasKids = c.children.size > 0;
      r.li.dataset.open = open ? '1' : '';
      r.li.style.setProperty('--depth', String(c.depth));
      r.li.setAttribute('aria-selected', String(c.path === selected));
      if (hasKids) r.li.setAttribute('aria-expanded', String(open));
      else r.li.removeAttribute('aria-expanded');
      set(r.fold, hasKids ? (open ? '▾' : '▸') : '');
      r.fold.disabled = !hasKids;
      r.fold.setAttribute('aria-label', hasKids ? (open ? W.fold : W.unfold) : '');
      set(r.seg, c.seg || '(empty)');
      set(r.count, `${c.total.toLocaleString(W.locale)}`);
      set(r.value, c.node ? valueText(c.node.last) : '');
      set(r.ret, c.node?.retained ? W.retained : '');
      r.ret.hidden = !c.node?.retained;
      set(r.age, W.ago(duration(Math.max(0, now - c.lastAt))));
      if (open) walk(c);
    }
  };
  walk(root);
  const keep = new Set(visible);
  for (const [path, r] of rows)
    if (!keep.has(path)) {
      r.li.remove();
      rows.delete(path);
    }
  visible.forEach((path, i) => {
    const li = rows.get(path)!.li;
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null);
  });
}

// ---- the chosen topic or branch: summary, history, clear

function select(path: string): void {
  selected = path;
  const n = tree.topics.get(path);
  if (n && numberOf(n.last) !== null && !charted.has(path) && charted.size < MAX_CHARTED) chart(path, true);
  set($('done'), '');
  draw();
}

function drawSelected(): void {
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

async function clearBranch(): Promise<void> {
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

// ---- the chart

let plot: uPlot | null = null;

function chart(topic: string, on: boolean): void {
  if (!on) charted.delete(topic);
  else if (!charted.has(topic) && charted.size < MAX_CHARTED) {
    const points = { t: [] as number[], v: [] as number[] };
    for (const s of tree.topics.get(topic)?.history ?? []) {
      const v = numberOf(s);
      if (v !== null) {
        points.t.push(s.at / 1000);
        points.v.push(v);
      }
    }
    charted.set(topic, points);
  }
  plot?.destroy();
  plot = null;
  dirty = true;
}

function point(s: Seen): void {
  const p = charted.get(s.topic);
  const v = numberOf(s);
  if (!p || v === null) return;
  p.t.push(s.at / 1000);
  p.v.push(v);
  if (p.t.length > MAX_POINTS) {
    p.t.splice(0, p.t.length - MAX_POINTS);
    p.v.splice(0, p.v.length - MAX_POINTS);
  }
}

/** The charted series on one time axis (uPlot's aligned data): the union of their times, gaps as null. */
function aligned(now: number): uPlot.AlignedData {
  const from = now / 1000 - windowMinutes * 60;
  const times = new Set<number>();
  for (const p of charted.values()) for (const t of p.t) if (t >= from) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const ys = [...charted.values()].map((p) => {
    const y: (number | null)[] = new Array(xs.length).fill(null);
    p.t.forEach((t, i) => {
      const at = index.get(t);
      if (at !== undefined) y[at] = p.v[i];
    });
    return y;
  });
  return [xs, ...ys];
}

function drawChart(now: number): void {
  const box = $('chart');
  $('no-numbers').hidden = charted.size > 0;
  set($('no-numbers'), W.noNumbers);
  if (!charted.size) {
    plot?.destroy();
    plot = null;
    return;
  }
  const width = Math.max(240, box.clientWidth || $('detail').clientWidth - 24);
  if (!plot) {
    // Each topic on its own scale (a temperature near 20 beside a pressure near 1013): the first
    // two have an axis, left and right, in their colour.
    const topics = [...charted.keys()];
    const series: uPlot.Series[] = [
      {},
      ...topics.map((label, i) => ({ label, scale: `y${i}`, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true })),
    ];
    // The time as the reader's clock says it (14:05:30), a tick every 90 px at least; the value
    // axes wide enough for "1 013,5" in either language.
    const time: uPlot.Axis = { space: 90, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString(W.locale)) };
    const axes: uPlot.Axis[] = [
      time,
      ...topics.slice(0, 2).map((_, i) => ({ scale: `y${i}`, side: i ? 1 : 3, size: 72, stroke: COLOURS[i], grid: { show: i === 0 } })),
    ];
    const scales: uPlot.Scales = { x: { time: true } };
    plot = new uPlot({ width, height: 260, series, axes, scales, legend: { live: false } }, aligned(now), box);
  } else {
    if (Math.abs(plot.width - width) > 4) plot.setSize({ width, height: 260 });
    plot.setData(aligned(now));
  }
}

// ---- drawing, and the stream from the server

function draw(): void {
  dirty = true;
}

function frame(): void {
  if (!dirty) return;
  dirty = false;
  const now = Date.now();
  const dropped = server.droppedMessages + server.notSent;
  set(
    $('stats'),
    `${W.topics(tree.topics.size)} · ${W.messages(server.seen)}${server.droppedTopics || dropped ? ` · ${W.dropped(server.droppedTopics, dropped)}` : ''}`,
  );
  drawTree(now);
  drawSelected();
  drawChart(now);
}

function words(): void {
  document.documentElement.lang = lang;
  set($('title'), W.title);
  document.title = `${W.title} · mqtt-pair`;
  ($('search') as HTMLInputElement).placeholder = W.search;
  ($('search') as HTMLInputElement).setAttribute('aria-label', W.search);
  set($('pick'), W.pick);
  set($('chart-title'), W.chart);
  set($('window-label'), W.window);
  set($('history-title'), W.history);
  set($('h-time'), W.time);
  set($('h-qos'), W.qos);
  set($('h-retain'), W.retain);
  set($('h-value'), W.value);
  set($('h-change'), W.change);
  const select = $('window') as HTMLSelectElement;
  select.textContent = '';
  for (const m of [1, 5, 15, 60]) {
    const o = el('option', undefined, select);
    o.value = String(m);
    o.textContent = W.minutes(m);
    o.selected = m === windowMinutes;
  }
  if (about) set($('about'), W.watching(about.filters.join(' '), about.where));
}

function hello(h: ExplorerHello): void {
  about = h;
  if (!query && h.lang) {
    lang = h.lang;
    W = lang === 'fr' ? fr : en;
  }
  tree = new TopicTree(h.limits);
  for (const t of h.topics) {
    for (const s of t.history) tree.add(s);
    const n = tree.topics.get(t.topic);
    if (n) {
      n.count = t.count;
      n.retained = t.retained;
    }
  }
  server.seen = h.seen;
  server.droppedTopics = h.droppedTopics;
  server.droppedMessages = h.droppedMessages;
  for (const topic of charted.keys()) chart(topic, true);
  words();
  draw();
}

function batch(b: ExplorerBatch): void {
  for (const s of b.messages) if (tree.add(s)) point(s);
  server.notSent += b.dropped;
  server.seen = b.seen;
  server.droppedTopics = b.droppedTopics;
  server.droppedMessages = b.droppedMessages;
  const alert = $('alert');
  alert.hidden = b.connected;
  set(alert, b.connected ? '' : W.offline);
  draw();
}

words();
$('search').addEventListener('input', draw);
$('chart-toggle').addEventListener('click', () => {
  if (selected !== null) chart(selected, !charted.has(selected));
  draw();
});
$('clear').addEventListener('click', () => void clearBranch());
$('window').addEventListener('change', (e) => {
  windowMinutes = Number((e.target as HTMLSelectElement).value) || 5;
  draw();
});
window.addEventListener('resize', draw);
// The ages move on even when nothing comes.
setInterval(draw, 1000);
setInterval(frame, DRAW_EVERY);

const events = new EventSource('events');
events.addEventListener('tree', (e) => {
  $('alert').hidden = true;
  hello(JSON.parse((e as MessageEvent<string>).data) as ExplorerHello);
});
events.addEventListener('batch', (e) => batch(JSON.parse((e as MessageEvent<string>).data) as ExplorerBatch));
events.onerror = () => {
  const alert = $('alert');
  alert.hidden = false;
  set(alert, W.lost);
};
