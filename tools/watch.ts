// `mqtt-pair watch`: the classroom seen from the broker, as an ordinary MQTT subscriber, so it
// works for real boards as well as simulated ones. A pair is whatever publishes on
// `<prefix>hello` and `<prefix>notification`; each pair is a tile on a page served on 127.0.0.1
// (--web PORT, live through Server-Sent Events) or a row of a table in the terminal.
//
// Also the pieces `mqtt-pair classroom` shares: the observer, the tile states, the page server
// and the terminal table.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { nodeHost } from '../hosts/node/host';
import { brokerEndpoint, brokerName, hostPort, redact, splitHostPort } from '../src/endpoint';
import type { Endpoint } from '../src/host';
import { MqttClient, payloadText } from '../src/mqtt/client';
import { printable } from '../src/apps/text';
import { UsageError, integer, last, parseArgs, seconds, usageText, type Flag } from './args';
import { PAGE_HTML } from './web/page';
import { studentPage } from './web/student-page';

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
  /** On the roster (--roster): shown from the start, never forgotten. */
  expected: boolean;
  /** Never set aside for another nor forgotten: the roster's, or the classroom's own pairs. */
  kept: boolean;
  /** Its student's page is online: `<prefix>status` says "online" (the students' page's chat status). */
  present: boolean;
  /** Messages under the pair's prefix on other topics (another activity: the sensor, the remote). */
  other: number;
  /** Retained hellos and notifications: old news the broker kept, not the pair's state. */
  retained: number;
}

/**
 * Why a tile has its colour, as a code the page words in its own language (`reason`, with `ms` a
 * duration when there is one), and in English for the terminal (`label`, `why`).
 */
export type Reason =
  | 'ok'
  | 'silent'
  | 'unheard'
  | 'noReply'
  | 'noHello'
  | 'replyOnly'
  | 'waitReply'
  | 'quiet'
  | 'neverConnected'
  | 'starting'
  | 'connecting'
  | 'reconnecting'
  | 'crossed'
  | 'stopped';

export interface PairLook {
  state: TileState;
  label: string;
  why: string;
  reason: Reason;
  ms?: number;
}

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
  /** On the roster. */
  expected?: boolean;
  other?: number;
  retained?: number;
  /** Simulated pairs only: boards connected to the broker, of 2. */
  boards?: number;
  reconnects?: number;
  error?: string;
  /** classroom --web: the teacher stopped this pair from the page (and can start it again). */
  stopped?: boolean;
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
  /** The page's language when the teacher chose it (--lang); else the browser's. */
  lang?: 'fr' | 'en';
  /** classroom --web: the page may stop and start pairs. */
  controls?: boolean;
  /** What the observer left aside: pairs beyond --max-pairs, and their messages. */
  ignored?: { pairs: number; messages: number; more: boolean };
  /** Prefixes heard once only (one hello, say), not shown until they say more or prove themselves. */
  unconfirmed?: number;
  /** Messages under the class on topics of no pair's hello or notification. */
  other?: number;
  /** What the subtitle says, for the page to word in its language. */
  about?: { where: string; simulated?: number; runFor?: number; filters?: string[] };
  /** The broker connection's problem, when `alert` is set. */
  problem?: string;
  /** classroom, once over: pairs ok of those judged, and those stopped from the page. */
  result?: { ok: number; of: number; stopped: number };
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
 * said nothing for about 3 intervals, or its hellos went unanswered that long, or it is on the
 * roster and never said anything. Amber: in between (starting, waiting for a reply, reconnecting).
 */
export function lookOf(p: ObservedPair, now: number, fallbackInterval: number): PairLook {
  const interval = pairInterval(p, fallbackInterval);
  const silentAfter = Math.max(3.5 * interval, 3000);
  // A reply comes within moments of its hello: one late by half an interval is waited for.
  const grace = Math.max(interval / 2, 500);
  const since = now - p.lastAt;
  if (p.expected && !p.hellos && !p.replies) {
    return { state: 'silent', label: 'Never connected', why: 'on the roster, and no hello yet', reason: 'neverConnected' };
  }
  if (since > silentAfter) {
    return p.hellos || p.replies
      ? { state: 'silent', label: 'Silent', why: `nothing for ${duration(since)}`, reason: 'silent', ms: since }
      : { state: 'silent', label: 'Silent', why: `not heard for ${duration(since)}`, reason: 'unheard', ms: since };
  }
  const sinceReply = p.replies ? now - p.lastReplyAt : now - p.firstAt;
  if (p.hellos && sinceReply > silentAfter) {
    return { state: 'silent', label: 'No reply', why: `hellos go unanswered (${duration(sinceReply)}): is ESP#2 on?`, reason: 'noReply', ms: sinceReply };
  }
  if (p.rounds > 0 && now - p.lastReplyAt <= 1.5 * interval + 500 && (!p.awaiting || now - p.lastHelloAt <= grace)) {
    const ago = now - p.lastReplyAt;
    return { state: 'ok', label: 'OK', why: ago < 1000 ? 'last round trip just now' : `last round trip ${duration(ago)} ago`, reason: 'ok', ms: ago };
  }
  if (!p.hellos) {
    return p.replies
      ? { state: 'wait', label: 'Waiting', why: 'a reply, but no hello seen yet', reason: 'replyOnly' }
      : { state: 'wait', label: 'Waiting', why: 'no hello yet', reason: 'noHello' };
  }
  if (p.awaiting) {
    if (p.replies && sinceReply > 1.5 * interval)
      return { state: 'wait', label: 'Waiting', why: `no reply for ${duration(sinceReply)}`, reason: 'noReply', ms: sinceReply };
    const ago = now - p.lastHelloAt;
    return { state: 'wait', label: 'Waiting', why: `hello sent ${duration(ago)} ago, no reply yet`, reason: 'waitReply', ms: ago };
  }
  return { state: 'wait', label: 'Waiting', why: `quiet for ${duration(since)}`, reason: 'quiet', ms: since };
}

/** 850 ms, 4 s, 2 min 5 s */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

export interface ObserverOptions {
  /** Both or neither: watch `<school>/<class>/#`; without them, every hello and notification, at any depth. */
  school?: string;
  className?: string;
  clientId: string;
  /** The interval pairs are expected to keep, in ms, until their own is learnt. */
  interval: number;
  /** Pairs followed at most (the roster's aside). When full, a new prefix takes the place of one
   *  heard once only, else of the unproven pair quiet longest; with none, it is counted, not kept.
   *  Default 100. */
  maxPairs?: number;
  /** A pair silent this long (ms) leaves the view, unless it is on the roster. Default: never. */
  forgetAfter?: number;
  /** Prefixes of the pairs expected (--roster), e.g. `LycMaurois/SNT_2nde/alice/`. */
  roster?: string[];
}

/** Prefixes set aside beyond --max-pairs are remembered up to this many (to count them), no more. */
const IGNORED_KEPT = 1000;

/**
 * An MQTT subscriber that follows every pair of a class, within bounds: at most `maxPairs` pairs
 * (plus the roster), silent ones forgotten after `forgetAfter`, the rest counted. `onPairMessage`
 * sees each live message of a pair's hello or notification, `onForeign` every other message.
 */
export class ClassObserver {
  readonly pairs = new Map<string, ObservedPair>();
  readonly client: MqttClient;
  /** Messages under the class's topics that are no pair's hello or notification. */
  foreign = 0;
  messages = 0;
  /** Pairs beyond maxPairs: distinct prefixes seen (up to IGNORED_KEPT) and their messages. */
  private ignoredPrefixes = new Set<string>();
  ignoredMessages = 0;
  // The pairs that have not proved themselves, as prefixes: heard once only (oldest first), and
  // all of them (quiet longest first). When full, a newcomer takes the place of the first of these.
  private heardOnce = new Set<string>();
  private unproven = new Set<string>();
  /** Prefixes whose students' page is online (`<prefix>status`), pair or not yet, IGNORED_KEPT at most. */
  private online = new Set<string>();
  /** The last connection problem, cleared once connected again. */
  problem = '';
  /** The last warning from the client (a message too large skipped), for the page. */
  warning = '';
  everSubscribed = false;
  onPairMessage?: (pair: ObservedPair, leaf: 'hello' | 'notification', text: string) => void;
  onForeign?: (topic: string, text: string, retained: boolean) => void;
  /** A live hello or notification of a pair not followed (one too many, or not the classroom's). */
  onStranger?: (topic: string, text: string) => void;
  private readonly host = nodeHost({ log: () => {} });
  private readonly maxPairs: number;

  constructor(
    readonly endpoint: Endpoint,
    readonly options: ObserverOptions,
  ) {
    this.maxPairs = options.maxPairs ?? 100;
    this.client = new MqttClient(this.host, endpoint, {
      clientId: options.clientId,
      keepalive: 30,
      reconnect: { min: 500, max: 5000 },
      // A watcher holds nothing for the broker; big enough for a class's hellos in a burst.
      queue: { messages: 100, bytes: 65536 },
    });
    this.client.onWarning = (w) => {
      this.warning = w;
    };
    for (const prefix of options.roster ?? []) this.ensure(prefix, true);
  }

  get filters(): string[] {
    const { school, className } = this.options;
    return school !== undefined && className !== undefined ? [`${school}/${className}/#`] : ['#'];
  }

  get ignored(): ViewSnapshot['ignored'] {
    return { pairs: this.ignoredPrefixes.size, messages: this.ignoredMessages, more: this.ignoredPrefixes.size >= IGNORED_KEPT };
  }

  /** Prefixes heard once only, not shown yet. */
  get unconfirmed(): number {
    return this.heardOnce.size;
  }

  now(): number {
    return this.host.now();
  }

  /** Connects and subscribes; resolves once the broker granted every subscription, rejects on the first failure. */
  start(): Promise<void> {
    const c = this.client;
    c.onMessage = (m) => this.message(m.topic, payloadText(m.payload), m.retain);
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
            if (++granted === this.filters.length) {
              this.everSubscribed = true;
              resolve();
            }
          });
        }
      };
      c.onClose = (reason) => {
        this.problem = reason;
        if (first) {
          first = false;
          reject(new Error(reason));
        }
      };
      c.connect();
    });
  }

  stop(): void {
    this.client.end();
  }

  /**
   * The pair under `prefix`, created (as seen now) if new; null when it is one too many. `expected`:
   * on the roster; `kept`: never set aside nor forgotten (the roster's, the classroom's own pairs).
   */
  ensure(prefix: string, expected = false, kept = expected): ObservedPair | null {
    let p = this.pairs.get(prefix);
    if (p) {
      if (expected) p.expected = true;
      if (kept && !p.kept) {
        p.kept = true;
        this.proved(p);
      }
      return p;
    }
    if (!kept && this.pairs.size - this.keptCount >= this.maxPairs && !this.makeRoom()) {
      this.setAside(prefix, 1);
      return null;
    }
    const levels = prefix.split('/').slice(0, -1);
    const now = this.now();
    p = {
      prefix,
      name: levels.length ? levels[levels.length - 1] : '(no prefix)',
      group: levels.slice(0, -1).join('/'),
      hellos: 0,
      replies: 0,
      rounds: 0,
      lastHello: null,
      firstAt: now,
      lastAt: now,
      lastHelloAt: 0,
      lastReplyAt: 0,
      awaiting: false,
      gaps: [],
      expected,
      kept,
      present: this.online.has(prefix),
      other: 0,
      retained: 0,
    };
    this.pairs.set(prefix, p);
    if (kept) this.keptCount++;
    else if (!p.present) {
      this.heardOnce.add(prefix);
      this.unproven.add(prefix);
    }
    return p;
  }

  /** Pairs kept whatever comes (they do not count against maxPairs). */
  private keptCount = 0;

  /** A pair proved itself (a hello answered, its student present, kept): never set aside for another. */
  private proved(p: ObservedPair): void {
    this.heardOnce.delete(p.prefix);
    this.unproven.delete(p.prefix);
  }

  /** After a message of `p`: proved, or heard more than once, or at least heard lately. */
  private heard(p: ObservedPair): void {
    if (p.kept || p.rounds > 0 || p.present) return this.proved(p);
    if (p.hellos + p.replies + p.other > 1) this.heardOnce.delete(p.prefix);
    this.unproven.delete(p.prefix); // to the end: the one quiet longest comes first
    this.unproven.add(p.prefix);
  }

  /** Sets aside a pair that has not proved itself, for a newcomer: one heard once only (the oldest),
   *  else the one quiet longest. False when every pair followed proved itself. */
  private makeRoom(): boolean {
    const first = (set: Set<string>) => {
      for (const x of set) return x;
      return undefined;
    };
    const prefix = first(this.heardOnce) ?? first(this.unproven);
    if (prefix === undefined) return false;
    const p = this.pairs.get(prefix)!;
    this.pairs.delete(prefix);
    this.heardOnce.delete(prefix);
    this.unproven.delete(prefix);
    this.setAside(prefix, p.hellos + p.replies + p.other);
    return true;
  }

  /** `<prefix>status` said whether its student is online. */
  private status(prefix: string, online: boolean): void {
    if (!online) this.online.delete(prefix);
    else if (this.online.size < IGNORED_KEPT) this.online.add(prefix);
  }

  /** Counts a prefix left aside, with its messages. */
  private setAside(prefix: string, messages: number): void {
    if (this.ignoredPrefixes.size < IGNORED_KEPT) this.ignoredPrefixes.add(prefix);
    this.ignoredMessages += messages;
  }

  /** The pair whose prefix `topic` is under (a/b/alice/myRasp/sensors/x: a/b/alice/), if one is known. */
  private owner(topic: string): ObservedPair | undefined {
    for (let i = topic.lastIndexOf('/'); i >= 0; i = topic.lastIndexOf('/', i - 1)) {
      const p = this.pairs.get(topic.slice(0, i + 1));
      if (p) return p;
      if (i === 0) break;
    }
    return undefined;
  }

  /** One message from the broker; public so that tests and the classroom can feed it too. */
  message(topic: string, text: string, retained = false): void {
    this.messages++;
    const slash = topic.lastIndexOf('/');
    const leaf = topic.slice(slash + 1);
    const prefix = topic.slice(0, slash + 1);
    if (leaf !== 'hello' && leaf !== 'notification') {
      // Another activity under a pair's prefix (the sensor's retained values…): shown, never judged.
      // The students' page says "online" on <prefix>status while its student is there.
      if (leaf === 'status') this.status(prefix, text === 'online');
      const p = this.owner(topic);
      if (p) {
        p.other++;
        if (topic === `${p.prefix}status`) p.present = text === 'online';
        this.heard(p);
      } else this.foreign++;
      this.onForeign?.(topic, text, retained);
      return;
    }
    const p = retained ? this.pairs.get(prefix) : this.ensure(prefix);
    if (!p) {
      if (retained) {
        this.foreign++;
        this.onForeign?.(topic, text, retained);
      } else {
        this.onStranger?.(topic, text);
      }
      return;
    }
    if (retained) {
      p.retained++;
      return;
    } // old news: the pair's state is what it says now
    const now = this.now();
    p.lastAt = now;
    if (leaf === 'hello') {
      if (p.lastHelloAt) {
        p.gaps.push(now - p.lastHelloAt);
        if (p.gaps.length > 5) p.gaps.shift();
      }
      p.hellos++;
      p.awaiting = true;
      p.lastHelloAt = now;
      const m = HELLO.exec(text);
      p.lastHello = m ? Number(m[1]) : null;
    } else if (text === 'received') {
      p.replies++;
      if (p.awaiting) {
        p.rounds++;
        p.awaiting = false;
      }
      p.lastReplyAt = now;
    }
    this.heard(p);
    this.onPairMessage?.(p, leaf, text);
  }

  /** Pairs silent longer than forgetAfter leave (not the roster's). */
  forget(now = this.now()): void {
    const after = this.options.forgetAfter;
    if (!after) return;
    for (const [k, p] of this.pairs) {
      if (!p.kept && now - p.lastAt > after) {
        this.pairs.delete(k);
        this.heardOnce.delete(k);
        this.unproven.delete(k);
      }
    }
  }

  /** A tile for every pair followed, but those heard once only: those in trouble first (red, then
   *  amber), then by name. (A junk script's one-shot prefixes never reach the projector.) */
  tiles(): TileView[] {
    const now = this.now();
    this.forget(now);
    const tiles: TileView[] = [];
    for (const p of this.pairs.values()) if (!this.heardOnce.has(p.prefix)) tiles.push(tileOf(p, lookOf(p, now, this.options.interval), now));
    return sortTiles(tiles);
  }
}

const RANK: Record<TileState, number> = { silent: 0, wait: 1, ok: 2 };

/** Trouble first (red, then amber, then green), then by group and natural name order. */
export function sortTiles(tiles: TileView[]): TileView[] {
  return tiles.sort((a, b) => RANK[a.state] - RANK[b.state] || a.group.localeCompare(b.group) || a.name.localeCompare(b.name, 'en', { numeric: true }));
}

export function tileOf(p: ObservedPair, look: PairLook, now: number): TileView {
  return {
    ...look,
    name: p.name,
    group: p.group,
    hellos: p.hellos,
    replies: p.replies,
    rounds: p.rounds,
    lastHello: p.lastHello,
    since: p.hellos || p.replies ? Math.round(now - p.lastAt) : null,
    ...(p.expected && { expected: true }),
    ...(p.other && { other: p.other }),
    ...(p.retained && { retained: p.retained }),
  };
}

export function countStates(tiles: TileView[]): ViewSnapshot['counts'] {
  const counts = { ok: 0, wait: 0, silent: 0, total: tiles.length };
  for (const t of tiles) counts[t.state]++;
  return counts;
}

/**
 * --roster FILE: one first name a line (or a whole prefix, school/class/name), blank lines and
 * `#` comments aside. Names need `group` (school/class) to make a prefix.
 */
export function readRoster(file: string, group: string | undefined): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--roster: cannot read '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const prefixes: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    if (/[+#\0]/.test(line)) throw new UsageError(`--roster: line ${i + 1} ('${line}') holds + or #: write one first name a line`);
    if (line.includes('/')) {
      prefixes.push(line.replace(/\/*$/, '/'));
      return;
    }
    if (group === undefined)
      throw new UsageError(`--roster: '${line}' needs --school and --class to make its prefix (or write it whole, e.g. LycMaurois/SNT_2nde/${line})`);
    prefixes.push(`${group}/${line}/`);
  });
  if (!prefixes.length) throw new UsageError(`--roster: '${file}' has no name: write one first name a line`);
  if (prefixes.length > 1000) throw new UsageError(`--roster: '${file}' has ${prefixes.length} names, 1000 at most`);
  return [...new Set(prefixes)];
}

// ---- the page

/** The headers every answer of the pages carries: never cached, never sniffed, never framed by
 *  another page (a click in a hidden frame could stop a pair). */
const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };

/** Connections at once to the students' server: a class's computers, a few tabs each. Beyond, a new
 *  one is closed at once, and the rest of the process (the class page, the broker) keeps its files. */
export const MAX_STUDENT_CONNECTIONS = 256;

export interface WebView {
  port: number;
  url: string;
  studentUrl?: string;
  /** The origins of the pages served (`http://127.0.0.1:8080`): the embedded broker lets in their WebSockets. */
  origins: string[];
  close(): Promise<void>;
}

/** What the page may ask the server to do (classroom --web): stop or start one pair. */
export type Control = (action: 'stop' | 'start', name: string) => boolean;

/**
 * Serves the classroom page on 127.0.0.1:port (0: any free port): `/` the page, `/events` the
 * snapshots as Server-Sent Events (one a second), `/state.json` the current snapshot; with
 * `control`, POST /pairs/<name>/stop and …/start. A page that reads slowly gets the latest state
 * when it is ready again, never a backlog.
 */
export async function startWebView(port: number, snapshot: () => ViewSnapshot, every = 1000, control?: Control, student?: StudentOptions): Promise<WebView> {
  const clients = new Map<ServerResponse, { stale: boolean }>();
  let actualPort = port;
  const server = createServer((req, res) => serve(req, res));
  const studentHtml = student && studentPage({ broker: student.broker, prefix: student.prefix, title: student.title, open: !!student.listen });

  const send = (res: ServerResponse, data: string) => {
    const c = clients.get(res);
    if (!c) return;
    // Still sending the last one: this one is skipped, and the latest goes once it drains.
    if (res.writableNeedDrain) {
      c.stale = true;
      return;
    }
    res.write(data);
  };

  function serve(req: IncomingMessage, res: ServerResponse) {
    // Only this machine's own names: a page elsewhere cannot read the class through DNS rebinding.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${actualPort}` && host !== `localhost:${actualPort}`) {
      res.writeHead(421, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end(`open this page as http://127.0.0.1:${actualPort}/\n`);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const common = NO_STORE;
    if (studentHtml && serveStudent(req, res, path, studentHtml)) return;
    const action = /^\/pairs\/([^/]+)\/(stop|start)$/.exec(path);
    if (req.method === 'POST' && action && control) {
      // A page of this server only: a custom header, which no form of another site can send.
      if (req.headers['x-mqtt-pair'] !== '1') return void res.writeHead(403, common).end();
      let name: string;
      try {
        name = decodeURIComponent(action[1]);
      } catch {
        return void res.writeHead(400, common).end();
      }
      const ok = control(action[2] as 'stop' | 'start', name);
      res.writeHead(ok ? 204 : 404, common).end();
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, allow: 'GET, HEAD' }).end();
    } else if (path === '/' || path === '/index.html') {
      res
        .writeHead(200, {
          ...common,
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy':
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        })
        .end(req.method === 'HEAD' ? undefined : PAGE_HTML);
    } else if (path === '/state.json') {
      res.writeHead(200, { ...common, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(snapshot()));
    } else if (path === '/events') {
      res.writeHead(200, { ...common, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      const c = { stale: false };
      clients.set(res, c);
      res.on('drain', () => {
        if (c.stale) {
          c.stale = false;
          send(res, event());
        }
      });
      req.on('close', () => clients.delete(res));
      res.write(`retry: 2000\n${event()}`);
    } else {
      res.writeHead(404, { ...common, 'content-type': 'text/plain; charset=utf-8' }).end('not found: the page is at /\n');
    }
  }

  const event = () => `data: ${JSON.stringify(snapshot())}\n\n`;
  const timer = setInterval(() => {
    if (!clients.size) return;
    const data = event();
    for (const res of clients.keys()) send(res, data);
  }, every);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(
        new UsageError(
          e.code === 'EADDRINUSE'
            ? `port ${port} is already in use on 127.0.0.1: choose another with --web, e.g. --web ${port + 1}`
            : `cannot serve the page on 127.0.0.1:${port}: ${e.message}`,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  actualPort = (server.address() as AddressInfo).port;
  let students: { server: Server; url: string } | undefined;
  if (student?.listen && studentHtml) {
    try {
      students = await startStudentServer(student.listen.host, student.listen.port, studentHtml);
    } catch (e) {
      clearInterval(timer);
      server.close();
      throw e;
    }
  }
  const origins = [`http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`];
  if (student?.listen) {
    const { host, port: p } = student.listen;
    const any = host === '0.0.0.0' || host === '::';
    for (const h of any ? localAddresses() : [host]) origins.push(`http://${hostPort(h, p)}`);
    origins.push(`http://localhost:${p}`);
  }
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/`,
    studentUrl: studentHtml && (students?.url ?? `http://127.0.0.1:${actualPort}/student`),
    origins,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        // The last state, so an open page shows how the run ended.
        const data = event();
        for (const c of clients.keys()) c.end(data);
        clients.clear();
        students?.server.close();
        students?.server.closeAllConnections();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- the students' page

/** What /student needs: the broker's WebSocket as the students' browsers reach it, the class's
 *  topic prefix, and where to serve it for the students' computers (none: 127.0.0.1 only). */
export interface StudentOptions {
  broker: string;
  prefix: string;
  title: string;
  listen?: { host: string; port: number };
}

const STUDENT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src ws: wss:; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Serves /student and /student.js; false for any other path. */
function serveStudent(req: IncomingMessage, res: ServerResponse, path: string, html: string): boolean {
  const common = NO_STORE;
  if (path !== '/student' && path !== '/student/' && path !== '/student.js') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...common, allow: 'GET, HEAD' }).end();
    return true;
  }
  const body = req.method === 'HEAD' ? undefined : path === '/student.js' ? STUDENT_JS : html;
  if (path === '/student.js') res.writeHead(200, { ...common, 'content-type': 'text/javascript; charset=utf-8' }).end(body);
  else
    res
      .writeHead(200, { ...common, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STUDENT_CSP, 'referrer-policy': 'no-referrer' })
      .end(body);
  return true;
}

/** The students' own server on the classroom network: /student only, never the teacher's page.
 *  The Host header must be an address (or localhost) and this port: no DNS name can point here. */
async function startStudentServer(host: string, port: number, html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const h = (req.headers.host ?? '').toLowerCase();
    const m = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\]|localhost):(\d+)$/.exec(h);
    const path = (req.url ?? '/').split('?')[0];
    if (!m || Number(m[2]) !== port)
      return void res
        .writeHead(421, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' })
        .end(`open this page by the computer's address: http://ADDRESS:${port}/student\n`);
    if (path === '/') return void res.writeHead(302, { ...NO_STORE, location: '/student' }).end();
    if (!serveStudent(req, res, path, html))
      res.writeHead(404, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end('not found: the page is at /student\n');
  });
  server.maxConnections = MAX_STUDENT_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          e.code === 'EADDRINUSE'
            ? `port ${port} is already in use on ${host}: choose another with --listen ${host}:${port + 1}`
            : e.code === 'EADDRNOTAVAIL'
              ? `--listen ${host}: this computer has no such address (its addresses: ip -4 addr, or ipconfig on Windows)`
              : `cannot serve the students' page on ${host}:${port}: ${e.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const shownHost = host === '0.0.0.0' || host === '::' ? (lanAddress() ?? host) : host;
  return { server, url: `http://${hostPort(shownHost, port)}/student` };
}

/** Every address of this computer. */
function localAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address);
  return out;
}

/** This computer's first IPv4 address on a network, to tell the class; undefined if none. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

/** --listen's value: ADDRESS or ADDRESS:PORT (default port: the --web port + 1). */
export function listenOption(value: string, webPort: number): { host: string; port: number } {
  // A bare IPv6 address (::, fe80::1) has no port; [IPv6]:PORT has one.
  const bare = !value.startsWith('[') && value.split(':').length > 2;
  const hp = bare ? { host: value, port: undefined } : splitHostPort(value);
  const address = hp && (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(hp.host) || (hp.host.includes(':') && /^[0-9a-f:.]+$/i.test(hp.host)));
  if (!hp || !address) {
    throw new UsageError(
      `--listen needs this computer's address on the classroom network, e.g. --listen 192.168.1.10 or --listen 0.0.0.0:8081, got '${value}'`,
    );
  }
  if (hp.port !== undefined) return { host: hp.host, port: integer('--listen', hp.port, 1, 65535, 'a port number after the address') };
  const port = webPort ? webPort + 1 : 8081;
  if (port > 65535)
    throw new UsageError(
      `--web ${webPort} leaves no port after it for the students' page: give one with --listen ${hostPort(hp.host, 8081)}, or a lower --web port`,
    );
  return { host: hp.host, port };
}

/** --student-broker's value: the broker's WebSocket as students' browsers reach it; without it,
 *  port 9001 of the broker's host. Every student's page shows it: never a user or a password. */
export function studentBrokerOption(value: string | undefined, endpoint: Endpoint): string {
  if (value === undefined) return `ws://${hostPort(endpoint.host, 9001)}/mqtt`;
  const e = /^wss?:\/\//i.test(value.trim()) ? brokerEndpoint(value) : '';
  if (typeof e === 'string') {
    throw new UsageError(`--student-broker needs the broker's WebSocket address, e.g. --student-broker ws://192.168.1.144:9001, got '${redact(value)}'`);
  }
  if (e.username !== undefined || e.password !== undefined) {
    throw new UsageError(
      `--student-broker ${redact(value)}: leave the user name and password out: every student's page shows this address; students type their own on the page`,
    );
  }
  return brokerName(e, true);
}

// ---- the terminal

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
    const state = `${ICON[p.state]} ${p.label}`;
    lines.push(
      row(
        sim
          ? [p.name, state, `${p.boards}/2`, String(p.hellos), String(p.replies), String(p.reconnects ?? 0), p.error ?? '']
          : [
              p.name,
              state,
              String(p.hellos),
              String(p.replies),
              p.lastHello === null ? '-' : `#${p.lastHello}`,
              p.since === null ? '-' : `${duration(p.since)} ago`,
              p.state === 'ok' ? '' : p.why,
            ],
        p.state,
      ),
    );
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
    const lines = [`[${s.uptime} s] ${s.counts.total} pairs: ${countsText(s.counts)}; ${this.details(s)}`];
    const trouble = s.pairs.filter((p) => p.state !== 'ok');
    for (const p of trouble.slice(0, 5)) lines.push(`  ${p.name}: ${p.label.toLowerCase()} (${p.error && p.state !== 'ok' ? p.error : p.why})`);
    if (trouble.length > 5) lines.push(`  … and ${trouble.length - 5} more`);
    process.stdout.write(`${lines.map(printable).join('\n')}\n`);
  }

  /** Redraws the table over the previous one. */
  draw(): void {
    const s = this.snapshot();
    const rows = process.stdout.rows || 24;
    const width = (process.stdout.columns || 80) - 1;
    // Wrapped, not cut: the counts and the details must be read whole in a narrow terminal.
    const title = printable(s.title);
    const header = [
      ...wrap(printable(`${s.title}  ${s.subtitle} · ${duration(s.uptime * 1000)}`), width).map((l, i) =>
        i ? l : `\x1b[1m${l.slice(0, title.length)}\x1b[0m${l.slice(title.length)}`,
      ),
      ...wrap(printable(`${s.counts.total} pairs: ${countsText(s.counts)}  ·  ${this.details(s)}`), width),
      ...(s.alert ? wrap(printable(s.alert), width).map((l) => `\x1b[31m${l}\x1b[0m`) : []),
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

// ---- mqtt-pair watch

/** What watch and classroom both take for the page and the roster. */
export const VIEW_FLAGS: Flag[] = [
  {
    names: ['--roster'],
    key: 'roster',
    value: 'file',
    example: 'class.txt',
    help: 'the class list, one first name a line: every pair on it has a tile from the start, red "never connected" until it says hello (give it on a shared broker: no other client can change it)',
  },
  { names: ['--lang'], key: 'lang', value: 'fr|en', example: 'fr', help: "the page's language (default: the browser's)" },
  {
    names: ['--student-broker'],
    key: 'studentBroker',
    value: 'url',
    example: 'ws://192.168.1.144:9001',
    help: "with --web: the broker's WebSocket for the students' page /student (default: ws://<broker host>:9001/mqtt)",
  },
  {
    names: ['--listen'],
    key: 'listen',
    value: 'address[:port]',
    example: '192.168.1.10',
    help: "with --web: serve the students' page to the classroom network on this address (port: the --web port + 1); the class page stays on 127.0.0.1",
  },
];

/** The students' page options from --student-broker and --listen (they need --web). */
export function studentOptions(
  p: Map<string, string[]>,
  webPort: number | undefined,
  endpoint: Endpoint,
  prefix: string,
  title: string,
): StudentOptions | undefined {
  const brokerText = last(p, 'studentBroker'),
    listenText = last(p, 'listen');
  if (webPort === undefined) {
    if (brokerText !== undefined || listenText !== undefined)
      throw new UsageError(
        `${listenText !== undefined ? '--listen' : '--student-broker'} goes with --web: the students' page is served beside the class page, e.g. --web 8080`,
      );
    return undefined;
  }
  return { broker: studentBrokerOption(brokerText, endpoint), prefix, title, listen: listenText === undefined ? undefined : listenOption(listenText, webPort) };
}

/** --lang's value. */
export function langOption(value: string | undefined): 'fr' | 'en' | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'fr' || v === 'en') return v;
  throw new UsageError(`--lang needs fr or en, got '${value}'`);
}

const WATCH_FLAGS: Flag[] = [
  {
    names: ['--broker'],
    key: 'broker',
    value: 'url',
    example: '192.168.1.144',
    help: 'the broker to watch: mqtt://[user:pass@]host[:port] or host[:port] (default: 127.0.0.1:1883)',
  },
  {
    names: ['--web'],
    key: 'web',
    value: 'port',
    example: '8080',
    help: 'serve the live class page on http://127.0.0.1:<port>/ (0: any free port); without it, a table in the terminal',
  },
  {
    names: ['--school'],
    key: 'school',
    value: 'name',
    example: 'LycMaurois',
    help: 'with --class: watch <school>/<class>/# (default: every +/+/+/hello and +/+/+/notification)',
  },
  { names: ['--class'], key: 'class', value: 'name', example: 'SNT_2nde', help: 'with --school: the class' },
  {
    names: ['--interval'],
    key: 'interval',
    value: 'ms',
    example: '5000',
    help: "the boards' hello interval, until it is learnt from their hellos (default: 5000): a pair silent for about 3 intervals turns red",
  },
  { names: ['--duration'], key: 'duration', value: 'seconds', example: '60', help: 'stop after this many seconds (default: until Ctrl+C)' },
  ...VIEW_FLAGS,
  {
    names: ['--max-pairs'],
    key: 'maxPairs',
    value: 'n',
    example: '100',
    help: 'follow this many pairs at most, the roster aside (default: 100): a newcomer takes the place of a prefix heard once, else of the unanswered pair quiet longest; a pair that proved itself keeps its place',
  },
  {
    names: ['--forget'],
    key: 'forget',
    value: 'minutes',
    example: '15',
    help: 'a pair silent this many minutes leaves the view, unless it is on the roster (default: 15; 0: never)',
  },
  { names: ['--help'], key: 'help', help: 'show this help' },
];

function watchUsage(): string {
  return usageText(
    'mqtt-pair watch: every pair of a class, live, as seen from the broker (real or simulated boards).',
    [
      'mqtt-pair watch [--broker URL] [--web PORT] [--school NAME --class NAME] [--roster FILE] [--lang fr|en]',
      '[--interval MS] [--duration S] [--max-pairs N] [--forget MINUTES]',
    ],
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
  const e = brokerEndpoint(value);
  if (typeof e === 'string') throw new UsageError(`--broker: ${e}`);
  return e;
}

/** Waits for `seconds` (when given), a signal, or `ended` (when given), whichever comes first. */
export function untilStopped(seconds?: number, ended?: Promise<unknown>): Promise<'time' | 'signal' | 'ended'> {
  return new Promise((resolve) => {
    ended?.then(() => done('ended'));
    const done = (why: 'time' | 'signal' | 'ended') => {
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
  if (p.has('help')) {
    process.stdout.write(watchUsage());
    return 0;
  }
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
  const maxPairs = last(p, 'maxPairs') === undefined ? 100 : integer('--max-pairs', last(p, 'maxPairs')!, 1, 10000, 'a number of pairs');
  const forgetMinutes = last(p, 'forget') === undefined ? 15 : integer('--forget', last(p, 'forget')!, 0, 10080, 'a number of minutes');
  const lang = langOption(last(p, 'lang'));
  const rosterFile = last(p, 'roster');
  const roster = rosterFile === undefined ? undefined : readRoster(rosterFile, school === undefined ? undefined : `${school}/${className}`);
  warnDots(school, className, roster);

  const student = studentOptions(
    p,
    webPort,
    endpoint,
    school === undefined ? '' : `${school}/${className}/`,
    school === undefined ? '' : `${school} / ${className}`,
  );
  const where = brokerName(endpoint, true);
  const observer = new ClassObserver(endpoint, {
    school,
    className,
    interval,
    clientId: `mqtt-pair-watch-${process.pid}`,
    maxPairs,
    forgetAfter: forgetMinutes * 60000,
    roster,
  });
  try {
    await observer.start();
  } catch (e) {
    observer.stop();
    process.stderr.write(
      `mqtt-pair watch: cannot watch the broker at ${where}: ${printable((e as Error).message)}: check --broker, and that the broker is running\n`,
    );
    return 1;
  }
  const started = observer.now();
  const title = school !== undefined ? `${school} / ${className}` : 'Every class';
  const snapshot = (): ViewSnapshot => {
    const pairs = observer.tiles();
    return {
      title,
      subtitle: `watching ${observer.filters.join(' ')} on ${where}`,
      interval,
      pairs,
      counts: countStates(pairs),
      alert: observer.client.connected ? undefined : `Not connected to the broker at ${where}: ${observer.problem || 'reconnecting'}`,
      uptime: Math.round((observer.now() - started) / 1000),
      problem: observer.client.connected ? undefined : observer.problem || 'reconnecting',
      about: { where, filters: observer.filters },
      lang,
      ignored: observer.ignored,
      unconfirmed: observer.unconfirmed,
      other: observer.foreign,
    };
  };
  console.log(`Watching ${observer.filters.join(' ')} on ${where}`);
  let web: WebView | null = null;
  let terminal: TerminalView | null = null;
  if (webPort !== undefined) {
    try {
      web = await startWebView(webPort, snapshot, 1000, undefined, student);
    } catch (e) {
      observer.stop();
      throw e;
    }
    console.log(`Classroom view: ${web.url}  (Ctrl+C stops)`);
    printStudentPage(web, student!);
  } else {
    terminal = new TerminalView(snapshot, (snap) => `${observer.messages} messages seen${ignoredText(snap)}`);
    terminal.start();
  }
  await untilStopped(stopAfter);
  terminal?.stop();
  const last_ = snapshot();
  await web?.close();
  observer.stop();
  console.log(`${last_.counts.total} pairs seen: ${countsText(last_.counts)}${ignoredText(last_)}`);
  return 0;
}

/** Where the students open their page, and what anyone on that network can then do. */
export function printStudentPage(web: WebView, student: StudentOptions): void {
  console.log(`Students' page: ${web.studentUrl}  (broker ${student.broker}${student.prefix ? `, topics ${student.prefix}…` : ''})`);
  if (student.listen) console.log("  open to the classroom network: anyone on it can open the students' page (the class page stays on 127.0.0.1)");
}

/** `; 99,900 more pairs ignored (…)`, `; 3 prefixes heard once, not shown`, or ''. */
export function ignoredText(s: ViewSnapshot): string {
  const i = s.ignored,
    n = (x: number) => x.toLocaleString('en-US');
  const once = s.unconfirmed ? `; ${n(s.unconfirmed)} prefix${s.unconfirmed > 1 ? 'es' : ''} heard once, not shown` : '';
  if (!i?.pairs) return once;
  return `; ${i.more ? 'more than ' : ''}${n(i.pairs)} more pairs ignored (${n(i.messages)} messages, beyond --max-pairs)${once}`;
}

/** RabbitMQ turns a '.' in a topic into a '/': a class or a name with one would not be found there. */
export function warnDots(
  school: string | undefined,
  className: string | undefined,
  roster: string[] | undefined,
  out = (l: string) => process.stderr.write(`${l}\n`),
): void {
  const dotted = [school, className, ...(roster ?? [])].filter((x): x is string => !!x && x.includes('.'));
  if (dotted.length) out(`mqtt-pair: note: '${dotted[0]}' holds a '.': on a RabbitMQ broker a '.' in a topic becomes a '/', so use '_' or '-' there instead`);
}
