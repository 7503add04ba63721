// The class in a terminal: a table redrawn in place (ANSI) that fits the window, or, when stdout is
// no terminal, a plain summary line every few seconds. Names from the network are escaped.

import { printable } from '../../src/apps/text';
import { duration } from '../words/duration';
import { RANK, countStates } from '../classroom/look';
import type { TileState, TileView, ViewSnapshot } from '../classroom/view-model';
import { classWords as enPage, tileWords as en } from '../words/en';
import { classWords as frPage, tileWords as fr } from '../words/fr';
import type { ClassPageWords, TileWords } from '../words/words';
import { cliLang, cliWords } from '../words/cli';

const ICON: Record<TileState, string> = { ok: '✓', wait: '…', silent: '✕' };
const COLOUR: Record<TileState, string> = { ok: '\x1b[32m', wait: '\x1b[33m', silent: '\x1b[31m' };
/** `text` in lines of `width` columns at most, cut at spaces where it can be. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) lines.push(rest);
  return lines;
}

/** The counts as words: `28 ok, 1 waiting, 1 silent`, in the view's language (--lang, else the locale's). */
export function countsText(c: ViewSnapshot['counts'], lang?: ViewSnapshot['lang']): string {
  return cliWords(lang).counts(c.ok, c.wait, c.silent);
}

/**
 * The status table. `height` rows at most (problem pairs first when they do not all fit),
 * `width` columns at most; with `colour`, ANSI colours on the state.
 */
export function renderTable(s: ViewSnapshot, o: { height: number; width: number; colour: boolean }): string[] {
  const sim = s.pairs.some((p) => p.boards !== undefined);
  const words = cliWords(s.lang);
  const head = sim ? words.tableHead.sim : words.tableHead.watch;
  const widths = sim ? [12, 16, 6, 7, 7, 7, 0] : [16, 12, 7, 7, 10, 10, 0];
  let nameWidth = 4; // a loop, not Math.max(...pairs): that spreads every pair onto the stack
  for (const p of s.pairs) if (p.name.length > nameWidth) nameWidth = p.name.length;
  widths[0] = Math.min(24, Math.max(widths[0], nameWidth));
  const cut = (t: string, w: number) => (t.length > w ? `${t.slice(0, Math.max(0, w - 1))}…` : t);
  const row = (cells: string[], state?: TileState) => {
    // Names come from topics, errors from the network: escaped, they cannot drive the terminal.
    cells = cells.map(printable);
    let line = '';
    cells.forEach((c, i) => {
      const w = widths[i];
      const text = w ? (i >= 2 && i <= 5 ? c.padStart(w) : cut(c, w).padEnd(w)) : c;
      line += (i ? '  ' : '') + text;
    });
    line = cut(line.trimEnd(), o.width);
    if (state && o.colour) {
      // Colour only the state column (it starts after the name).
      const at = widths[0] + 2;
      line = `${line.slice(0, at) + COLOUR[state] + line.slice(at, at + widths[1])}\x1b[0m${line.slice(at + widths[1])}`;
    }
    return line;
  };
  const sorted = [...s.pairs];
  const room = Math.max(1, o.height - 1);
  const shown =
    sorted.length > room
      ? sorted
          .map((p, i) => [p, i] as const)
          .sort((a, b) => RANK[a[0].state] - RANK[b[0].state] || a[1] - b[1])
          .slice(0, room - 1)
          .map(([p]) => p)
      : sorted;
  const lines = [row(head)];
  for (const p of shown) {
    const state = `${ICON[p.state]} ${worded(p, s.lang).label}`;
    lines.push(
      row(
        sim
          ? [p.name, state, `${p.boards}/2`, String(p.hellos), String(p.replies), String(p.reconnects ?? 0), p.failure ? tiles(s.lang).failure(p.failure) : '']
          : [
              p.name,
              state,
              String(p.hellos),
              String(p.replies),
              p.lastHello === null ? '-' : `#${p.lastHello}`,
              p.since === null ? '-' : words.ago(duration(p.since)),
              p.state === 'ok' ? '' : worded(p, s.lang).why,
            ],
        p.state,
      ),
    );
  }
  if (shown.length < sorted.length) {
    const rest = sorted.filter((p) => !shown.includes(p));
    lines.push(cut(words.andMore(rest.length, countsText(countStates(rest), s.lang)), o.width));
  }
  return lines;
}

/** The tiles' words in the view's language (--lang, else the commands'), the same tables as the pages' (tools/words). */
function tiles(lang: ViewSnapshot['lang']): TileWords {
  return (lang ?? cliLang()) === 'fr' ? fr : en;
}

/** The class page's words in the view's language: the simulation's subtitle and alert are made from them. */
function page(lang: ViewSnapshot['lang']): ClassPageWords {
  return (lang ?? cliLang()) === 'fr' ? frPage : enPage;
}

/** A tile's label and reason in the view's language (--lang; English by default), from the same
 *  tables as the pages (tools/words). */
function worded(p: TileView, lang: ViewSnapshot['lang']): { label: string; why: string } {
  const words = tiles(lang);
  return { label: words.label[p.reason], why: words.why[p.reason](duration(p.ms ?? 0), p.ms ?? 0, p.facts ?? {}) };
}

/**
 * The live terminal view: on a TTY the table is redrawn in place (ANSI) and fits the window;
 * otherwise a plain summary line (and the pairs in trouble) is printed every `every` ms.
 */
export class TerminalView {
  private drawn = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastPlain = 0;
  readonly tty: boolean;

  /** `details` adds to the counts, e.g. `boards 60/60 connected; 120 hellos`. */
  constructor(
    private snapshot: () => ViewSnapshot,
    private details: (s: ViewSnapshot) => string,
    private every = 5000,
  ) {
    this.tty = !!process.stdout.isTTY && process.env.TERM !== 'dumb';
  }

  start(): void {
    if (this.tty) process.stdout.write('\x1b[?25l'); // hide the cursor while redrawing
    this.timer = setInterval(() => this.tick(), this.tty ? 500 : 250);
    this.tick();
  }

  private tick(): void {
    if (this.tty) return this.draw();
    const now = Date.now();
    if (!this.lastPlain) {
      this.lastPlain = now;
      return;
    } // the first summary after `every`
    if (now - this.lastPlain < this.every) return;
    this.lastPlain = now;
    const s = this.snapshot();
    const words = cliWords(s.lang);
    const lines = [`[${s.uptime} s] ${words.pairsLine(s.counts.total, countsText(s.counts, s.lang))}${words.sep === ': ' ? '; ' : ' ; '}${this.details(s)}`];
    const trouble = s.pairs.filter((p) => p.state !== 'ok');
    for (const p of trouble.slice(0, 5)) {
      const w = worded(p, s.lang);
      lines.push(`  ${p.name}: ${w.label.toLowerCase()} (${p.failure ? tiles(s.lang).failure(p.failure) : w.why})`);
    }
    if (trouble.length > 5) lines.push(`  ${words.andMore(trouble.length - 5)}`);
    process.stdout.write(`${lines.map(printable).join('\n')}\n`);
  }

  /** Redraws the table over the previous one. */
  draw(): void {
    const s = this.snapshot();
    const rows = process.stdout.rows || 24;
    const width = (process.stdout.columns || 80) - 1;
    // Wrapped, not cut: the counts and the details must be read whole in a narrow terminal.
    const title = printable(s.title);
    // Worded by the command (watch), or here from the snapshot's facts (classroom).
    const a = s.about;
    const subtitle = s.subtitle ?? (a?.simulated ? page(s.lang).simulated(a.simulated, a.where, a.runFor ? duration(a.runFor * 1000) : '') : '');
    const alert = s.alert ?? (s.problem ? page(s.lang).noBroker(s.problem) : '');
    const header = [
      ...wrap(printable(`${s.title}  ${subtitle} · ${duration(s.uptime * 1000)}`), width).map((l, i) =>
        i ? l : `\x1b[1m${l.slice(0, title.length)}\x1b[0m${l.slice(title.length)}`,
      ),
      ...wrap(printable(`${cliWords(s.lang).pairsLine(s.counts.total, countsText(s.counts, s.lang))}  ·  ${this.details(s)}`), width),
      ...(alert ? wrap(printable(alert), width).map((l) => `\x1b[31m${l}\x1b[0m`) : []),
    ];
    const table = renderTable(s, { height: rows - header.length - 1, width, colour: true });
    const out = [...header, ...table];
    process.stdout.write(`${this.drawn ? `\x1b[${this.drawn}F` : ''}\x1b[J${out.join('\n')}\n`);
    this.drawn = out.length;
  }

  /** Stops redrawing; the last table stays on the screen. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty) {
      this.draw();
      process.stdout.write('\x1b[?25h');
    }
  }
}
