// The live class page that `mqtt-pair watch --web` and `mqtt-pair classroom --web` serve: one tile
// per pair, updated by Server-Sent Events from /events, self-contained (no CDN, no font to fetch).
// Made for a projector: the tiles grow or shrink so that every pair fits the screen, pairs in
// trouble come first, and the words are large. French or English, from --lang or the browser's
// language (?lang=fr works too), with the times of the language (24 h in French).
// Names from the broker are set with textContent, never parsed as HTML. The page's CSP runs no
// inline style: the tiles' size is set through the CSSOM (style.setProperty), which it allows.

import { silentAfter, type TileState, type TileView, type ViewSnapshot } from '../../classroom/view-model';
import { duration } from '../../words/duration';
import { classWords as enPage, tileWords as enTiles } from '../../words/en';
import { classWords as frPage, tileWords as frTiles } from '../../words/fr';
import type { ClassPageWords, TileWords } from '../../words/words';

type Lang = 'fr' | 'en';
const WORDS: Record<Lang, { page: ClassPageWords; tiles: TileWords }> = { en: { page: enPage, tiles: enTiles }, fr: { page: frPage, tiles: frTiles } };
const ICON: Record<TileState, string> = { ok: '✓', wait: '…', silent: '✕' };

/** The elements of one tile, made once and updated in place. */
interface Tile {
  li: HTMLLIElement;
  /** The name, and the stop/start button beside it. */
  head: HTMLElement;
  name: HTMLElement;
  status: HTMLElement;
  icon: HTMLElement;
  label: HTMLElement;
  why: HTMLElement;
  /** What its boards run (a program, or a built-in role), and whether the pair protocol is followed. */
  runs: HTMLElement;
  group: HTMLElement;
  extra: HTMLElement;
  error: HTMLElement;
  nums: HTMLElement;
  seen: HTMLElement;
  button: HTMLButtonElement | null;
  /** « Identifier »: the pair's boards blink (watch --web). */
  identify: HTMLButtonElement | null;
}

const query = /[?&]lang=(fr|en)/.exec(location.search);
const browserLang = navigator.languages?.[0] || navigator.language || 'en';
/** Chosen in the address (?lang=), else by the teacher (--lang), else the browser's. */
let lang: Lang = query ? (query[1] as Lang) : /^fr/i.test(browserLang) ? 'fr' : 'en';
const tiles = new Map<string, Tile>();
const list = byId('tiles');
let last: ViewSnapshot | null = null;

function byId(id: string): HTMLElement {
  return document.getElementById(id)!;
}

function part<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  parent.appendChild(e);
  return e;
}

/** Sets the text only when it changed: the page is redrawn every second. */
function set(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

function dur(ms: number | undefined): string {
  return ms === undefined ? '' : duration(ms);
}

function makeTile(): Tile {
  const li = document.createElement('li');
  li.className = 'tile';
  const head = part(li, 'div', 'head');
  const name = part(head, 'div', 'name');
  const status = part(li, 'div', 'status');
  const icon = part(status, 'span', 'icon');
  icon.setAttribute('aria-hidden', 'true');
  return {
    li,
    head,
    name,
    status,
    icon,
    label: part(status, 'span', 'label'),
    why: part(li, 'div', 'why'),
    runs: part(li, 'div', 'runs'),
    group: part(li, 'div', 'group'),
    extra: part(li, 'div', 'extra'),
    error: part(li, 'div', 'error'),
    nums: part(li, 'div', 'nums'),
    seen: part(li, 'div', 'nums seen'),
    button: null,
    identify: null,
  };
}

/** The scales tried for the tiles' words, largest first (class.css keeps every size at 11 px or more). */
const SCALES = [1.6, 1.45, 1.3, 1.18, 1.07, 0.97, 0.88, 0.8, 0.73, 0.67, 0.62, 0.57];
/** How much green tiles say: everything, less, least (class.css's say-less and say-least). */
const LEVELS = ['', 'say-less', 'say-least'];
const GAP = 8;
/** What the last fit was made for: the page fits again only when this changes, or a tile grew. */
let fitted = '';
let scrolls = false;

function applyFit(cols: number, k: number, level: number): void {
  const root = document.documentElement.style;
  root.setProperty('--cols', String(cols));
  root.setProperty('--k', String(k));
  LEVELS.forEach((cls, i) => {
    if (cls) document.body.classList.toggle(cls, i === level);
  });
}

/**
 * Lays the tiles out so that every pair fits the screen and no word is clipped: for each column
 * count, the largest scale whose tiles fit (a row grows to its tallest tile, so a tile that says
 * more makes its row taller, never cuts its words). Green tiles say less only when the class would
 * not fit otherwise. When nothing fits, the smallest scale is kept and the page scrolls.
 */
function layout(n: number): void {
  const main = byId('main');
  const style = getComputedStyle(main);
  const W = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const H = main.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const fits = () => main.scrollHeight <= main.clientHeight + 1 && main.scrollWidth <= main.clientWidth + 1;
  // Tiles about 1.7 times as wide as high suit the words best: the columns around that shape.
  const shape = Math.max(1, Math.round(Math.sqrt((Math.max(n, 1) * W) / (H * 1.7))));
  const cols: number[] = [];
  for (let c = Math.max(1, shape - 2); c <= Math.min(Math.max(n, 1), shape + 3); c++) if (c === 1 || (W - GAP * (c - 1)) / c >= 125) cols.push(c);
  let best: { c: number; k: number; level: number } | null = null;
  for (let level = 0; level < LEVELS.length; level++) {
    for (const c of cols) {
      // The largest scale that fits with c columns: a binary search over SCALES (largest first).
      let lo = 0,
        hi = SCALES.length - 1,
        found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        applyFit(c, SCALES[mid], level);
        if (fits()) {
          found = mid;
          hi = mid - 1;
        } else lo = mid + 1;
      }
      if (found < 0) continue;
      const k = SCALES[found];
      // A level said less only if its words are clearly larger: green tiles keep their words while they can.
      if (!best || (best.level === level ? k > best.k || (k === best.k && Math.abs(c - shape) < Math.abs(best.c - shape)) : k > best.k * 1.15))
        best = { c, k, level };
    }
    if (best && best.k >= 0.97) break;
  }
  scrolls = !best;
  if (!best) {
    // Nothing fits: the smallest words, green tiles saying least, and the columns that scroll least.
    const k = SCALES[SCALES.length - 1],
      level = LEVELS.length - 1;
    let least = Infinity;
    for (const c of cols) {
      applyFit(c, k, level);
      if (main.scrollHeight < least) {
        least = main.scrollHeight;
        best = { c, k, level };
      }
    }
  }
  if (best) applyFit(best.c, best.k, best.level);
}

/** Fits the tiles again when the class, the window or the words changed, or when a tile outgrew its place. */
function fit(s: ViewSnapshot): void {
  const main = byId('main');
  const key = () =>
    [s.pairs.length, main.clientWidth, main.clientHeight, lang, s.controls, s.counts.ok, s.counts.wait, s.counts.silent, document.body.className].join();
  if (key() === fitted && (scrolls || main.scrollHeight <= main.clientHeight + 1)) return;
  layout(s.pairs.length);
  fitted = key();
}

/** Asks the server (classroom --web) to stop or start a pair; the next snapshot shows it. */
function control(action: 'stop' | 'start' | 'identify', name: string): void {
  fetch(`pairs/${encodeURIComponent(name)}/${action}`, { method: 'POST', headers: { 'x-mqtt-pair': '1' } }).catch(() => {});
}

function renderTile(x: Tile, p: TileView, s: ViewSnapshot): void {
  const { page: L, tiles: T } = WORDS[lang];
  if (x.li.dataset.state !== p.state) x.li.dataset.state = p.state;
  x.li.dataset.name = p.name;
  x.li.dataset.reason = p.reason;
  set(x.name, p.name);
  set(x.group, p.group);
  set(x.icon, ICON[p.state]);
  // A reason this page does not know (a newer server) is shown as its code.
  const label = T.label[p.reason] ?? p.reason;
  set(x.label, label);
  const why = T.why[p.reason]?.(dur(p.ms), p.ms ?? 0, p.facts ?? {}) ?? '';
  set(x.why, why);
  // A pair on another activity, or not there yet, says nothing of hellos it does not send.
  const hello = p.hellos > 0 || p.replies > 0;
  set(x.nums, hello ? L.last(p.lastHello) : '');
  set(x.seen, hello ? L.seen(p.hellos, p.replies) : '');
  const extra: string[] = [];
  if (p.boards !== undefined) extra.push(L.boards(p.boards));
  if (p.reconnects) extra.push(L.reconnects(p.reconnects));
  if (p.other) extra.push(L.other(p.other));
  if (p.retained) extra.push(L.retained(p.retained));
  set(x.extra, extra.join(' · '));
  renderRuns(x.runs, p, L);
  set(x.error, p.failure && p.state !== 'ok' ? T.failure(p.failure) : '');
  if (s.controls && p.boards !== undefined) {
    if (!x.button) {
      const button = part(x.head, 'button');
      button.type = 'button';
      button.addEventListener('click', () => control(x.li.dataset.stopped === '1' ? 'start' : 'stop', x.li.dataset.name ?? ''));
      x.button = button;
    }
    x.li.dataset.stopped = p.stopped ? '1' : '';
    set(x.button, p.stopped ? L.start : L.stop);
    x.button.setAttribute('aria-label', `${p.stopped ? L.start : L.stop} ${p.name}`);
  } else if (x.button) {
    x.button.remove();
    x.button = null;
  }
  if (s.identify && !p.student) {
    if (!x.identify) {
      const button = part(x.head, 'button', 'identify');
      button.type = 'button';
      button.addEventListener('click', () => control('identify', x.li.dataset.name ?? ''));
      x.identify = button;
    }
    set(x.identify, L.identify);
    x.identify.title = L.identifyTitle;
    x.identify.setAttribute('aria-label', `${L.identify} ${p.name}`);
  } else if (x.identify) {
    x.identify.remove();
    x.identify = null;
  }
  x.li.setAttribute('aria-label', `${p.name}: ${label}, ${why}`);
}

/** The board names of the pair protocol; other roles by their own name. */
const BOARD: Record<string, string> = { hello: 'ESP#1', responder: 'ESP#2' };

/** One line a board: its program (the hash as a tooltip) or its built-in role; then, when a board
 *  runs a program, whether the pair still speaks « Hello #N » / « received ». */
function renderRuns(box: HTMLElement, p: TileView, L: ClassPageWords): void {
  const runs = p.runs ?? [];
  const key = `${lang}|${p.rounds > 0}|${runs.map((r) => `${r.role}:${r.program ?? ''}:${r.hash ?? ''}`).join()}`;
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.textContent = '';
  for (const r of runs) {
    const board = BOARD[r.role] ?? r.role;
    const line = part(box, 'div', r.program === undefined ? 'run role' : 'run program');
    line.textContent = r.program === undefined ? L.runsRole(board, r.role) : L.runsProgram(board, r.program);
    if (r.hash) line.title = L.hash(r.hash);
  }
  if (runs.some((r) => r.program !== undefined)) {
    const line = part(box, 'div', 'protocol');
    line.dataset.follows = p.rounds > 0 ? '1' : '';
    line.textContent = L.protocol(p.rounds > 0);
  }
}

/** Students on the students' page (not pairs): one line above the tiles, a name each, green while online. */
function renderStudents(students: TileView[], L: ClassPageWords): void {
  const box = byId('students');
  box.hidden = !students.length;
  box.textContent = '';
  if (!students.length) return;
  part(box, 'b').textContent = L.students(students.length);
  for (const p of students) {
    const e = part(box, 'span', 'student');
    e.dataset.state = p.state;
    e.textContent = p.name;
    const label = WORDS[lang].tiles.label[p.reason] ?? p.reason;
    e.title = label;
    e.setAttribute('aria-label', `${p.name}: ${label}`);
  }
}

function render(all: ViewSnapshot): void {
  // Students on the students' page are shown apart: the tiles and their layout are the pairs'.
  const s: ViewSnapshot = { ...all, pairs: all.pairs.filter((p) => !p.student) };
  last = s;
  if (!query && s.lang) lang = s.lang;
  const L = WORDS[lang].page;
  document.documentElement.lang = lang;
  set(byId('title'), s.title);
  document.title = `${s.title} · mqtt-pair`;
  const a = s.about;
  const sub = !a
    ? (s.subtitle ?? '')
    : a.simulated
      ? L.simulated(a.simulated, a.where, a.runFor ? dur(a.runFor * 1000) : '')
      : L.watching((a.filters ?? []).join(' '), a.where);
  set(byId('subtitle'), `${sub} · ${L.interval} ${dur(s.interval)} · ${L.running} ${dur(s.uptime * 1000)}`);
  set(byId('l-ok'), L.okLegend);
  set(byId('l-ok-d'), L.okMeans);
  set(byId('l-wait'), L.waitLegend);
  set(byId('l-wait-d'), L.waitMeans);
  set(byId('l-silent'), L.silentLegend);
  set(byId('l-silent-d'), L.silentMeans(dur(silentAfter(s.interval))));
  set(byId('empty'), L.empty);
  const c = s.counts,
    counts = byId('counts');
  counts.textContent = '';
  for (const [cls, text] of [
    ['total', L.pairs(c.total)],
    ['ok', `${ICON.ok} ${c.ok} ${L.ok}`],
    ['wait', `${ICON.wait} ${c.wait} ${L.wait}`],
    ['silent', `${ICON.silent} ${c.silent} ${L.silent}`],
  ])
    part(counts, 'span', `count ${cls}`).textContent = text;
  renderStudents(
    all.pairs.filter((p) => p.student),
    L,
  );
  const alert = byId('alert');
  // The broker's problem in the page's words (the simulation sends it alone; watch, with its alert).
  alert.hidden = !s.alert && !s.problem;
  set(alert, s.problem ? L.noBroker(s.problem) : (s.alert ?? ''));
  const fin = byId('finished');
  fin.hidden = !s.finished || !s.result;
  set(fin, s.finished && s.result ? L.finished(s.result) : '');
  const notes: string[] = [];
  if (s.ignored?.pairs) notes.push(L.ignored(s.ignored.pairs, s.ignored.more, s.ignored.messages));
  if (s.unconfirmed) notes.push(L.once(s.unconfirmed));
  if (s.other) notes.push(L.others(s.other));
  const n = byId('notes');
  n.hidden = !notes.length;
  set(n, notes.join(' · '));
  byId('empty').hidden = s.pairs.length > 0;
  document.body.classList.toggle('one-group', new Set(s.pairs.map((p) => p.group)).size <= 1);
  const seen = new Set<string>();
  s.pairs.forEach((p, i) => {
    const key = `${p.group}/${p.name}`;
    seen.add(key);
    let x = tiles.get(key);
    if (!x) {
      x = makeTile();
      tiles.set(key, x);
    }
    if (list.children[i] !== x.li) list.insertBefore(x.li, list.children[i] ?? null);
    renderTile(x, p, s);
  });
  for (const [key, x] of tiles)
    if (!seen.has(key)) {
      x.li.remove();
      tiles.delete(key);
    }
  // The footer before the fit: written after it, its first line took the tiles' room, and the
  // class overflowed the screen until the next snapshot.
  set(byId('footer'), `mqtt-pair · ${L.live} · ${L.updated} ${new Date().toLocaleTimeString(L.locale)}`);
  fit(s);
}

window.addEventListener('resize', () => {
  if (last) fit(last);
});

let lost = false;
const events = new EventSource('events');
events.onmessage = (e: MessageEvent<string>) => {
  lost = false;
  render(JSON.parse(e.data) as ViewSnapshot);
};
events.onerror = () => {
  if (lost) return;
  lost = true;
  const alert = byId('alert');
  alert.hidden = false;
  alert.textContent = WORDS[lang].page.lost;
};
