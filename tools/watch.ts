// `mqtt-pair watch`: the classroom seen from the broker, as an ordinary MQTT subscriber, so it
// works for real boards as well as simulated ones. A pair is whatever publishes on
// `<prefix>hello` and `<prefix>notification`; each pair is a tile on a page served on 127.0.0.1
// (--web PORT, live through Server-Sent Events) or a row of a table in the terminal.
//
// Also the pieces `mqtt-pair classroom` shares: the observer, the tile states, the page server
// and the terminal table.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeHost } from '../hosts/node/host';
import { ConfigError, hideSecret, parseBroker } from '../src/apps/config';
import type { Endpoint } from '../src/host';
import { MqttClient, payloadText } from '../src/mqtt/client';
import { UsageError, integer, last, parseArgs, seconds, usageText, type Flag } from './args';
import { PAGE_HTML } from './web/page';

// ---- what the observer sees of each pair

export type TileState = 'ok' | 'wait' | 'silent';

export interface ObservedPair {
  /** `LycMaurois/SNT_2nde/alice/` */
  prefix: string;
  /** `alice` */
  name: string;
  /** `LycMaurois/SNT_2nde` (empty for a pair without a prefix) */
  group: string;
  hellos: number;
  replies: number;
  /** Hellos answered by a `received` before the next hello. */
  rounds: number;
  /** N of the last `Hello #N`, or null. */
  lastHello: number | null;
  firstAt: number;
  lastAt: number;
  lastHelloAt: number;
  lastReplyAt: number;
  /** A hello was seen and no `received` since. */
  awaiting: boolean;
  /** The last few gaps between hellos, in ms, to learn the pair's interval. */
  gaps: number[];
}

export interface PairLook { state: TileState; label: string; why: string }

/** What a tile (and a table row) shows. Fields a source does not know stay undefined. */
export interface TileView extends PairLook {
  name: string;
  group: string;
  hellos: number;
  replies: number;
  rounds: number;
  lastHello: number | null;
  /** ms since the pair's last message, or null if it never said anything. */
  since: number | null;
  /** Simulated pairs only: boards connected to the broker, of 2. */
  boards?: number;
  reconnects?: number;
  error?: string;
}

export interface ViewSnapshot {
  title: string;
  subtitle: string;
  /** The interval the red threshold is based on when a pair's own is not known yet. */
  interval: number;
  counts: { ok: number; wait: number; silent: number; total: number };
  pairs: TileView[];
  /** Shown on top of the page when set: e.g. the observer lost the broker. */
  alert?: string;
  /** Seconds since the start. */
  uptime: number;
  /** Set once the run is over (classroom --duration). */
  finished?: string;
}

const HELLO = /^Hello #(\d+)$/;

/** The interval a pair keeps, learnt from its hellos (median of the last gaps), else `fallback`. */
export function pairInterval(p: ObservedPair, fallback: number): number {
  if (p.gaps.length < 2) return fallback;
  const s = [...p.gaps].sort((a, b) => a - b);
  return Math.min(600_000, Math.max(20, s[s.length >> 1]));
}

/**
 * The colour of a tile. Green: the last round trip succeeded and replies keep coming. Red: the pair
 * said nothing for about 3 intervals, or its hellos went unanswered that long. Amber: in between
 * (starting, waiting for a reply, reconnecting).
 */
export function lookOf(p: ObservedPair, now: number, fallbackInterval: number): PairLook {
  const interval = pairInterval(p, fallbackInterval);
  const silentAfter = Math.max(3.5 * interval, 3000);
  // A reply comes within moments of its hello: one late by half an interval is waited for.
  const grace = Math.max(interval / 2, 500);
  const since = now - p.lastAt;
  if (since > silentAfter) {
    return { state: 'silent', label: 'Silent', why: p.hellos || p.replies ? `nothing for ${duration(since)}` : `not heard for ${duration(since)}` };
  }
  const sinceReply = p.replies ? now - p.lastReplyAt : now - p.firstAt;
  if (p.hellos && sinceReply > silentAfter) {
    return { state: 'silent', label: 'No reply', why: `hellos go unanswered (${duration(sinceReply)}): is ESP#2 on?` };
  }
  if (p.rounds > 0 && now - p.lastReplyAt <= 1.5 * interval + 500 && (!p.awaiting || now - p.lastHelloAt <= grace)) {
    const ago = now - p.lastReplyAt;
    return { state: 'ok', label: 'OK', why: ago < 1000 ? 'last round trip just now' : `last round trip ${duration(ago)} ago` };
  }
  if (!p.hellos) return { state: 'wait', label: 'Waiting', why: p.replies ? 'a reply, but no hello seen yet' : 'no hello yet' };
  if (p.awaiting) {
    const why = p.replies && sinceReply > 1.5 * interval ? `no reply for ${duration(sinceReply)}` : `hello sent ${duration(now - p.lastHelloAt)} ago, no reply yet`;
    return { state: 'wait', label: 'Waiting', why };
  }
  return { state: 'wait', label: 'Waiting', why: `quiet for ${duration(since)}` };
}

/** 850 ms, 4 s, 2 min 5 s */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

export interface ObserverOptions {
  /** Both or neither: watch `<school>/<class>/#`; without them, `+/+/+/hello`, `+/+/+/notification` and the bare topics. */
  school?: string;
  className?: string;
  clientId: string;
  /** The interval pairs are expected to keep, in ms, until their own is learnt. */
  interval: number;
}

/**
 * An MQTT subscriber that follows every pair of a class. `onPairMessage` sees each message of a
 * pair, `onForeign` every other message under the class's topics.
 */
export class ClassObserver {
  readonly pairs = new Map<string, ObservedPair>();
  readonly client: MqttClient;
  /** Messages under the class's topics that are no pair's hello or notification. */
  foreign = 0;
  messages = 0;
  /** The last connection problem, cleared once connected again. */
  problem = '';
  everSubscribed = false;
  onPairMessage?: (pair: ObservedPair, leaf: 'hello' | 'notification', text: string) => void;
  onForeign?: (topic: string, text: string) => void;
  private readonly host = nodeHost({ log: () => {} });

  constructor(readonly endpoint: Endpoint, readonly options: ObserverOptions) {
    this.client = new MqttClient(this.host, endpoint, {
      clientId: options.clientId, keepalive: 30, reconnect: { min: 500, max: 5000 },
      // A watcher holds nothing for the broker; big enough for a class's hellos in a burst.
      queue: { messages: 100, bytes: 65536 },
    });
  }

  get filters(): string[] {
    const { school, className } = this.options;
    return school !== undefined && className !== undefined
      ? [`${school}/${className}/#`]
      : ['+/+/+/hello', '+/+/+/notification', 'hello', 'notification'];
  }

  now(): number { return this.host.now(); }

  /** Connects and subscribes; resolves once the broker granted every subscription, rejects on the first failure. */
  start(): Promise<void> {
    const c = this.client;
    c.onMessage = (m) => this.message(m.topic, payloadText(m.payload));
    return new Promise((resolve, reject) => {
      let first = true;
      c.onConnect = () => {
        this.problem = '';
        if (!first) return; // the client subscribes again by itself
        first = false;
        let granted = 0;
        for (const f of this.filters) {
          c.subscribe(f, {}, (err, qos) => {
            if (err || qos === 0x80) {
              const e = err?.message ?? `the broker refused the subscription to ${f}`;
              this.problem = e;
              return reject(new Error(`${e}: check the broker's ACL`));
            }
            if (++granted === this.filters.length) { this.everSubscribed = true; resolve(); }
          });
        }
      };
      c.onClose = (reason) => {
        this.problem = reason;
        if (first) { first = false; reject(new Error(reason)); }
      };
      c.connect();
    });
  }

  stop(): void { this.client.end(); }

  /** The pair under `prefix`, created (as seen now) if new. */
  ensure(prefix: string): ObservedPair {
    let p = this.pairs.get(prefix);
    if (!p) {
      const levels = prefix.split('/').slice(0, -1);
      const now = this.now();
      p = {
        prefix, name: levels.length ? levels[levels.length - 1] : '(no prefix)', group: levels.slice(0, -1).join('/'),
        hellos: 0, replies: 0, rounds: 0, lastHello: null,
        firstAt: now, lastAt: now, lastHelloAt: 0, lastReplyAt: 0, awaiting: false, gaps: [],
      };
      this.pairs.set(prefix, p);
    }
    return p;
  }

  /** One message from the broker; public so that tests and the classroom can feed it too. */
  message(topic: string, text: string): void {
    this.messages++;
    const slash = topic.lastIndexOf('/');
    const leaf = topic.slice(slash + 1);
    const prefix = topic.slice(0, slash + 1);
    const { school, className } = this.options;
    const levels = prefix ? prefix.split('/').length - 1 : 0;
    const inClass = school === undefined || className === undefined ? levels === 3 || levels === 0 : levels === 3;
    if ((leaf !== 'hello' && leaf !== 'notification') || !inClass) {
      this.foreign++;
      this.onForeign?.(topic, text);
      return;
    }
    const p = this.ensure(prefix);
    const now = this.now();
    p.lastAt = now;
    if (leaf === 'hello') {
      if (p.lastHelloAt) { p.gaps.push(now - p.lastHelloAt); if (p.gaps.length > 5) p.gaps.shift(); }
      p.hellos++;
      p.awaiting = true;
      p.lastHelloAt = now;
      const m = HELLO.exec(text);
      p.lastHello = m ? Number(m[1]) : null;
    } else if (text === 'received') {
      p.replies++;
      if (p.awaiting) { p.rounds++; p.awaiting = false; }
      p.lastReplyAt = now;
    }
    this.onPairMessage?.(p, leaf, text);
  }

  /** A tile for every pair seen, in natural name order. */
  tiles(): TileView[] {
    const now = this.now();
    return [...this.pairs.values()]
      .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name, 'en', { numeric: true }))
      .map((p) => tileOf(p, lookOf(p, now, this.options.interval), now));
  }
}

export function tileOf(p: ObservedPair, look: PairLook, now: number): TileView {
  return {
    ...look, name: p.name, group: p.group, hellos: p.hellos, replies: p.replies, rounds: p.rounds, lastHello: p.lastHello,
    since: p.hellos || p.replies ? Math.round(now - p.lastAt) : null,
  };
}

export function countStates(tiles: TileView[]): ViewSnapshot['counts'] {
  const counts = { ok: 0, wait: 0, silent: 0, total: tiles.length };
  for (const t of tiles) counts[t.state]++;
  return counts;
}

// ---- the page

export interface WebView { port: number; url: string; close(): Promise<void> }

/**
 * Serves the classroom page on 127.0.0.1:port (0: any free port): `/` the page, `/events` the
 * snapshots as Server-Sent Events (one a second), `/state.json` the current snapshot.
 */
export async function startWebView(port: number, snapshot: () => ViewSnapshot, every = 1000): Promise<WebView> {
  const clients = new Set<ServerResponse>();
  let actualPort = port;
  const server = createServer((req, res) => serve(req, res));

  function serve(req: IncomingMessage, res: ServerResponse) {
    // Only this machine's own names: a page elsewhere cannot read the class through DNS rebinding.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${actualPort}` && host !== `localhost:${actualPort}`) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('open this page as http://127.0.0.1:' + actualPort + '/\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const common = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, allow: 'GET, HEAD' }).end();
    } else if (path === '/' || path === '/index.html') {
      res.writeHead(200, {
        ...common, 'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
      }).end(req.method === 'HEAD' ? undefined : PAGE_HTML);
    } else if (path === '/state.json') {
      res.writeHead(200, { ...common, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(snapshot()));
    } else if (path === '/events') {
      res.writeHead(200, { ...common, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      res.write(`retry: 2000\ndata: ${JSON.stringify(snapshot())}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
    } else {
      res.writeHead(404, { ...common, 'content-type': 'text/plain; charset=utf-8' }).end('not found: the page is at /\n');
    }
  }

  const timer = setInterval(() => {
    if (!clients.size) return;
    const data = `data: ${JSON.stringify(snapshot())}\n\n`;
    for (const c of clients) c.write(data);
  }, every);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(new UsageError(e.code === 'EADDRINUSE'
        ? `port ${port} is already in use on 127.0.0.1: choose another with --web, e.g. --web ${port + 1}`
        : `cannot serve the page on 127.0.0.1:${port}: ${e.message}`));
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/`,
    close: () => new Promise<void>((resolve) => {
      clearInterval(timer);
      // The last state, so an open page shows how the run ended.
      const data = `data: ${JSON.stringify(snapshot())}\n\n`;
      for (const c of clients) c.end(data);
      clients.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

// ---- the terminal

const ICON: Record<TileState, string> = { ok: '✓', wait: '…', silent: '✕' };
const COLOUR: Record<TileState, string> = { ok: '\x1b[32m', wait: '\x1b[33m', silent: '\x1b[31m' };
const RANK: Record<TileState, number> = { silent: 0, wait: 1, ok: 2 };

/** The counts as words: `28 ok, 1 waiting, 1 silent`. */
export function countsText(c: ViewSnapshot['counts']): string {
  return `${c.ok} ok, ${c.wait} waiting, ${c.silent} silent`;
}

/**
 * The status table. `height` rows at most (problem pairs first when they do not all fit),
 * `width` columns at most; with `colour`, ANSI colours on the state.
 */
export function renderTable(s: ViewSnapshot, o: { height: number; width: number; colour: boolean }): string[] {
  const sim = s.pairs.some((p) => p.boards !== undefined);
  const head = sim
    ? ['pair', 'state', 'boards', 'hellos', 'replies', 'reconn.', 'last error']
    : ['pair', 'state', 'hellos', 'replies', 'last hello', 'last heard', 'why'];
  const widths = sim ? [12, 16, 6, 7, 7, 7, 0] : [16, 12, 7, 7, 10, 10, 0];
  const nameWidth = Math.max(4, ...s.pairs.map((p) => p.name.length));
  widths[0] = Math.min(24, Math.max(widths[0], nameWidth));
  const cut = (t: string, w: number) => (t.length > w ? `${t.slice(0, Math.max(0, w - 1))}…` : t);
  const row = (cells: string[], state?: TileState) => {
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
      line = line.slice(0, at) + COLOUR[state] + line.slice(at, at + widths[1]) + '\x1b[0m' + line.slice(at + widths[1]);
    }
    return line;
  };
  const sorted = [...s.pairs];
  const room = Math.max(1, o.height - 1);
  const shown = sorted.length > room
    ? sorted.map((p, i) => [p, i] as const).sort((a, b) => RANK[a[0].state] - RANK[b[0].state] || a[1] - b[1]).slice(0, room - 1).map(([p]) => p)
    : sorted;
  const lines = [row(head)];
  for (const p of shown) {
    const state = `${ICON[p.state]} ${p.label}`;
    lines.push(row(sim
      ? [p.name, state, `${p.boards}/2`, String(p.hellos), String(p.replies), String(p.reconnects ?? 0), p.error ?? '']
      : [p.name, state, String(p.hellos), String(p.replies), p.lastHello === null ? '-' : `#${p.lastHello}`,
        p.since === null ? '-' : `${duration(p.since)} ago`, p.state === 'ok' ? '' : p.why], p.state));
  }
  if (shown.length < sorted.length) {
    const rest = sorted.filter((p) => !shown.includes(p));
    lines.push(cut(`… and ${rest.length} more pairs (${countsText(countStates(rest))})`, o.width));
  }
  return lines;
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
  constructor(private snapshot: () => ViewSnapshot, private details: (s: ViewSnapshot) => string, private every = 5000) {
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
    if (!this.lastPlain) { this.lastPlain = now; return; } // the first summary after `every`
    if (now - this.lastPlain < this.every) return;
    this.lastPlain = now;
    const s = this.snapshot();
    const lines = [`[${s.uptime} s] ${s.counts.total} pairs: ${countsText(s.counts)}; ${this.details(s)}`];
    const trouble = s.pairs.filter((p) => p.state !== 'ok');
    for (const p of trouble.slice(0, 5)) lines.push(`  ${p.name}: ${p.label.toLowerCase()} (${p.error && p.state !== 'ok' ? p.error : p.why})`);
    if (trouble.length > 5) lines.push(`  … and ${trouble.length - 5} more`);
    process.stdout.write(lines.join('\n') + '\n');
  }

  /** Redraws the table over the previous one. */
  draw(): void {
    const s = this.snapshot();
    const rows = process.stdout.rows || 24;
    const width = (process.stdout.columns || 80) - 1;
    const header = [
      `\x1b[1m${s.title}\x1b[0m  ${s.subtitle} · ${duration(s.uptime * 1000)}`.slice(0, width + 8),
      `${s.counts.total} pairs: ${countsText(s.counts)}  ·  ${this.details(s)}`.slice(0, width),
      s.alert ? `\x1b[31m${s.alert.slice(0, width)}\x1b[0m` : '',
    ].filter(Boolean);
    const table = renderTable(s, { height: rows - header.length - 1, width, colour: true });
    const out = [...header, ...table];
    process.stdout.write((this.drawn ? `\x1b[${this.drawn}F` : '') + '\x1b[J' + out.join('\n') + '\n');
    this.drawn = out.length;
  }

  /** Stops redrawing; the last table stays on the screen. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty) { this.draw(); process.stdout.write('\x1b[?25h'); }
  }
}

// ---- mqtt-pair watch

const WATCH_FLAGS: Flag[] = [
  { names: ['--broker'], key: 'broker', value: 'url', example: '192.168.1.144', help: 'the broker to watch: mqtt://[user:pass@]host[:port] or host[:port] (default: 127.0.0.1:1883)' },
  { names: ['--web'], key: 'web', value: 'port', example: '8080', help: 'serve the live class page on http://127.0.0.1:<port>/ (0: any free port); without it, a table in the terminal' },
  { names: ['--school'], key: 'school', value: 'name', example: 'LycMaurois', help: 'with --class: watch <school>/<class>/# (default: every +/+/+/hello and +/+/+/notification)' },
  { names: ['--class'], key: 'class', value: 'name', example: 'SNT_2nde', help: 'with --school: the class' },
  { names: ['--interval'], key: 'interval', value: 'ms', example: '5000', help: "the boards' hello interval, until it is learnt from their hellos (default: 5000): a pair silent for about 3 intervals turns red" },
  { names: ['--duration'], key: 'duration', value: 'seconds', example: '60', help: 'stop after this many seconds (default: until Ctrl+C)' },
  { names: ['--help'], key: 'help', help: 'show this help' },
];

function watchUsage(): string {
  return usageText(
    'mqtt-pair watch: every pair of a class, live, as seen from the broker (real or simulated boards).',
    ['mqtt-pair watch [--broker URL] [--web PORT] [--school NAME --class NAME] [--interval MS] [--duration S]'],
    WATCH_FLAGS,
    [
      'A pair is the two boards that publish on <prefix>hello and <prefix>notification, e.g.',
      'LycMaurois/SNT_2nde/alice/hello. Each pair is a tile: green (OK) when its last hello was',
      'answered, amber (Waiting) while it starts or waits for a reply, red (Silent, No reply) after',
      'about 3 intervals without a message or without a reply.',
      '',
      'Examples:',
      '  mqtt-pair watch --broker 192.168.1.144 --web 8080 --school LycMaurois --class SNT_2nde',
      '  mqtt-pair watch --broker 192.168.1.144          (a table in this terminal, every prefix)',
      'The page is served on 127.0.0.1 only: open it on this computer (or show it on the projector).',
    ],
  );
}

/** A topic level for --school / --class: not empty, no / + #. */
export function topicLevel(flag: string, value: string, example: string): string {
  if (!value || /[/+#\0]/.test(value)) throw new UsageError(`${flag} needs one topic level without / + or #, e.g. ${flag} ${example}, got '${value}'`);
  return value;
}

/** --broker's value as an Endpoint, or a UsageError. */
export function brokerOption(value: string): Endpoint {
  try { return parseBroker(value); } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`--broker: ${e.message}`);
    throw e;
  }
}

/** Waits for `seconds` (when given) or a signal, whichever comes first. */
export function untilStopped(seconds?: number): Promise<'time' | 'signal'> {
  return new Promise((resolve) => {
    const done = (why: 'time' | 'signal') => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
      resolve(why);
    };
    const onSignal = () => done('signal');
    const timer = seconds ? setTimeout(() => done('time'), seconds * 1000) : null;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function runWatch(argv: string[]): Promise<number> {
  const p = parseArgs(argv, WATCH_FLAGS, 'mqtt-pair watch --help');
  if (p.has('help')) { process.stdout.write(watchUsage()); return 0; }
  const brokerText = last(p, 'broker') ?? '127.0.0.1:1883';
  const endpoint = brokerOption(brokerText);
  const school = last(p, 'school');
  const className = last(p, 'class');
  if ((school === undefined) !== (className === undefined)) {
    throw new UsageError('--school and --class go together, e.g. --school LycMaurois --class SNT_2nde');
  }
  if (school !== undefined) topicLevel('--school', school, 'LycMaurois');
  if (className !== undefined) topicLevel('--class', className, 'SNT_2nde');
  const interval = last(p, 'interval') === undefined ? 5000 : integer('--interval', last(p, 'interval')!, 10, 3_600_000, 'milliseconds');
  const webText = last(p, 'web');
  const webPort = webText === undefined ? undefined : integer('--web', webText, 0, 65535, 'a port number');
  const durationText = last(p, 'duration');
  const stopAfter = durationText === undefined ? undefined : seconds('--duration', durationText);

  const where = hideSecret(brokerText);
  const observer = new ClassObserver(endpoint, { school, className, interval, clientId: `mqtt-pair-watch-${process.pid}` });
  try {
    await observer.start();
  } catch (e) {
    observer.stop();
    process.stderr.write(`mqtt-pair watch: cannot watch the broker at ${where}: ${(e as Error).message}: check --broker, and that the broker is running\n`);
    return 1;
  }
  const started = observer.now();
  const title = school !== undefined ? `${school} / ${className}` : 'Every class';
  const snapshot = (): ViewSnapshot => {
    const pairs = observer.tiles();
    return {
      title, subtitle: `watching ${observer.filters.join(' ')} on ${where}`, interval, pairs, counts: countStates(pairs),
      alert: observer.client.connected ? undefined : `Not connected to the broker at ${where}: ${observer.problem || 'reconnecting'}`,
      uptime: Math.round((observer.now() - started) / 1000),
    };
  };
  console.log(`Watching ${observer.filters.join(' ')} on ${where}`);
  let web: WebView | null = null;
  let terminal: TerminalView | null = null;
  if (webPort !== undefined) {
    try { web = await startWebView(webPort, snapshot); } catch (e) { observer.stop(); throw e; }
    console.log(`Classroom view: ${web.url}  (Ctrl+C stops)`);
  } else {
    terminal = new TerminalView(snapshot, () => `${observer.messages} messages seen`);
    terminal.start();
  }
  await untilStopped(stopAfter);
  terminal?.stop();
  const last_ = snapshot();
  await web?.close();
  observer.stop();
  console.log(`${last_.counts.total} pairs seen: ${countsText(last_.counts)}`);
  return 0;
}
