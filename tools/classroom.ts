// `mqtt-pair classroom`: a whole class of simulated pairs in one process. Each pair (ESP#1 role
// hello, ESP#2 role responder, no simulated WiFi) has its own prefix <school>/<class>/<name>/, on
// the embedded broker or a given one. A live table (or a page, --web) shows every pair; at the end
// one line says how many pairs are ok, and the exit code is 0 only when all of them are.
//
// A pair is ok when its ESP#1 got at least 3 replies and nothing crossed between pairs: an
// observer subscribed to <school>/<class>/# checks that every message belongs to a known pair,
// and that the `Hello #N` under a prefix are that pair's own (never above what its ESP#1 sent,
// never going back); each ESP#2 checks the hellos it receives the same way.
//
// Built to hold hundreds of pairs on a small machine: no console line per board (the boards'
// lines are read into counters and dropped), connections staggered (a bounded number connecting
// at once), and the CPU each message costs is measured and printed at the end.

import { brokerName } from '../src/endpoint';
import { printable } from '../src/apps/text';
import type { Connection, Endpoint } from '../src/host';
import { nodeHost } from '../hosts/node/host';
import { SimBoard, startEmbeddedBroker } from '../hosts/node/sim';
import { UsageError, integer, last, parseArgs, seconds, usageText, type Flag } from './args';
import {
  ClassObserver,
  TerminalView,
  VIEW_FLAGS,
  brokerOption,
  printStudentPage,
  studentOptions,
  type StudentOptions,
  countStates,
  duration,
  langOption,
  lookOf,
  readRoster,
  sortTiles,
  startWebView,
  tileOf,
  topicLevel,
  untilStopped,
  warnDots,
  type PairLook,
  type TileView,
  type ViewSnapshot,
  type WebView,
} from './watch';

/** First names, French and English, in topic-safe ASCII; after the list, alice2, bob2, … */
export const FIRST_NAMES = [
  'alice',
  'bob',
  'camille',
  'david',
  'emma',
  'felix',
  'gabriel',
  'hugo',
  'ines',
  'jules',
  'karim',
  'lea',
  'louis',
  'manon',
  'nina',
  'oscar',
  'paul',
  'quentin',
  'rose',
  'sarah',
  'thomas',
  'ugo',
  'victor',
  'william',
  'xavier',
  'yasmine',
  'zoe',
  'adam',
  'chloe',
  'ethan',
  'jade',
  'lucas',
  'mia',
  'noah',
  'olivia',
  'raphael',
  'sofia',
  'theo',
  'lina',
  'leo',
  'clara',
  'arthur',
  'louise',
  'nathan',
  'charlotte',
  'james',
  'grace',
  'henry',
  'oliver',
  'amelia',
  'jack',
  'emily',
  'harry',
  'lily',
  'george',
  'sophie',
  'mathis',
  'eva',
  'tom',
  'anna',
  'maxime',
  'julie',
  'antoine',
  'lucie',
  'baptiste',
  'margot',
  'samuel',
  'juliette',
  'martin',
  'elise',
];

/** n unique names: alice, bob, …, elise, alice2, bob2, … */
export function pairNames(n: number): string[] {
  const L = FIRST_NAMES.length;
  return Array.from({ length: n }, (_, i) => FIRST_NAMES[i % L] + (i >= L ? String(Math.floor(i / L) + 1) : ''));
}

const HELLO = /^Hello #(\d+)$/;
/** Boards connecting at once, at most: enough to start 1,000 boards in seconds, few enough for a loaded machine. */
const MAX_CONNECTING = 48;
/** A board that has not connected after this long no longer holds a connecting slot. */
const CONNECT_SLOT_MS = 10_000;

interface Sim {
  board: SimBoard;
  startedAt: number;
  /** Accepted MQTT connections so far. */
  connects: number;
  /** PUBLISH packets written, in all; and since the last (simulated) restart. */
  publishes: number;
  sinceBoot: number;
  lastError: string;
}

class Pair {
  esp1: Sim | null = null;
  esp2: Sim | null = null;
  /** `ESP received hello message` lines of ESP#1. */
  replies = 0;
  /** The last N ESP#2 received, and the observer saw, since ESP#1's last boot. */
  esp2Last = -1;
  seenLast = -1;
  seenHellos = 0;
  seenNotifications = 0;
  /** replies and seenNotifications when its boards last started (from the page): the checks count from there. */
  repliesAtStart = 0;
  /** Hellos of its ESP#1s before the one running now. */
  hellosBefore = 0;
  notificationsAtStart = 0;
  violations = 0;
  /** Stopped from the page (classroom --web): left out of the verdict. */
  stopped = false;
  readonly problems: string[] = [];

  constructor(
    readonly index: number,
    readonly name: string,
    readonly prefix: string,
  ) {}

  crossed(what: string): void {
    this.violations++;
    if (this.problems.length < 3) this.problems.push(what);
  }

  get boardsConnected(): number {
    return (this.esp1?.board.board?.client.connected ? 1 : 0) + (this.esp2?.board.board?.client.connected ? 1 : 0);
  }

  get reconnects(): number {
    return Math.max(0, (this.esp1?.connects ?? 0) - 1) + Math.max(0, (this.esp2?.connects ?? 0) - 1);
  }

  get lastError(): string {
    const e1 = this.esp1?.lastError,
      e2 = this.esp2?.lastError;
    return e1 ? `ESP#1: ${e1}` : e2 ? `ESP#2: ${e2}` : '';
  }

  /** Why the pair is not ok, or '' when it is. */
  verdict(): string {
    if (this.violations) return `crossed topics (${this.violations}): ${this.problems[0]}`;
    const sent = this.esp1?.publishes ?? 0,
      answered = this.esp2?.publishes ?? 0;
    const why = (s: string) => (this.lastError ? `${s}; last error ${this.lastError}` : s);
    if (this.replies < 3) {
      if (!this.esp1 || !this.esp2) return 'never started (the run ended first)';
      if (!sent) return why(`${this.replies} rounds: ESP#1 sent no hello`);
      if (!answered) return why(`${this.replies} rounds: ESP#1 sent ${sent} hellos, ESP#2 answered none`);
      if (!this.replies) return why(`0 rounds: ESP#2 answered ${answered} hellos, but no answer reached ESP#1`);
      return why(`only ${this.replies} rounds, 3 needed (a longer --duration?)`);
    }
    if (!this.seenHellos || !this.seenNotifications) {
      return 'the observer did not see its messages, so crossed topics could not be ruled out';
    }
    return '';
  }
}

// ---- the command

const CLASSROOM_FLAGS: Flag[] = [
  { names: ['--pairs'], key: 'pairs', value: 'n', example: '30', help: 'how many pairs (2 boards each) to simulate, 1 to 1000' },
  {
    names: ['--broker'],
    key: 'broker',
    value: 'url',
    example: '192.168.1.144',
    help: 'use this broker, start none: mqtt://[user:pass@]host[:port] or host[:port] (default: an embedded broker on 127.0.0.1)',
  },
  { names: ['--duration'], key: 'duration', value: 'seconds', example: '60', help: 'stop after this many seconds and say how it went (default: until Ctrl+C)' },
  {
    names: ['--until-ok'],
    key: 'untilOk',
    help: 'stop as soon as every pair is ok (3 round trips each, nothing crossed), or at --duration: a rehearsal that ends once the broker has proved itself',
  },
  { names: ['--interval'], key: 'interval', value: 'ms', example: '5000', help: 'milliseconds between two hellos of a pair (default: 5000)' },
  { names: ['--school'], key: 'school', value: 'name', example: 'LycMaurois', help: 'first topic level (default: LycMaurois)' },
  { names: ['--class'], key: 'class', value: 'name', example: 'SNT_2nde', help: 'second topic level (default: SNT_2nde)' },
  {
    names: ['--web'],
    key: 'web',
    value: 'port',
    example: '8080',
    help: 'also serve the live class page on http://127.0.0.1:<port>/ (0: any free port), where a pair can be stopped and started again',
  },
  ...VIEW_FLAGS,
  { names: ['--help'], key: 'help', help: 'show this help' },
];

function classroomUsage(): string {
  return usageText(
    'mqtt-pair classroom: a whole class of simulated pairs (ESP#1 and ESP#2 each) in this process.',
    [
      'mqtt-pair classroom {--pairs N | --roster FILE} [--broker URL] [--duration S] [--until-ok] [--interval MS]',
      '[--school NAME --class NAME] [--web PORT] [--lang fr|en]',
    ],
    CLASSROOM_FLAGS,
    [
      'Each pair talks under its own prefix, <school>/<class>/<name>/hello and …/notification, with',
      'names alice, bob, camille, … (or those of --roster). A table shows every pair (boards connected,',
      'hellos sent, replies received, reconnects, last error); at the end, "N/N pairs ok". A pair is ok',
      'when it made at least 3 hello/received round trips and no hello or notification crossed into',
      "another pair's topics. Other messages under the class (a sensor's retained values) are counted",
      'and shown, and fail nothing. On the page (--web), a pair can be stopped, to show what a red tile',
      'means, and started again; a stopped pair is left out of the verdict.',
      '',
      'Examples:',
      '  mqtt-pair classroom --pairs 15                              (embedded broker, until Ctrl+C)',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --duration 60 --web 8080',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --until-ok --duration 300',
      'Exit code: 0 when every pair is ok; 1 when one is not, or for a bad option.',
    ],
  );
}

export async function runClassroom(argv: string[]): Promise<number> {
  const p = parseArgs(argv, CLASSROOM_FLAGS, 'mqtt-pair classroom --help');
  if (p.has('help')) {
    process.stdout.write(classroomUsage());
    return 0;
  }
  const pairsText = last(p, 'pairs');
  const rosterFile = last(p, 'roster');
  if (pairsText === undefined && rosterFile === undefined)
    throw new UsageError('say how many pairs to simulate with --pairs, e.g. --pairs 30 (or name them with --roster FILE)');
  const brokerText = last(p, 'broker');
  const endpoint: Endpoint | null = brokerText === undefined ? null : brokerOption(brokerText);
  const durationText = last(p, 'duration');
  const runFor = durationText === undefined ? undefined : seconds('--duration', durationText);
  const interval = last(p, 'interval') === undefined ? 5000 : integer('--interval', last(p, 'interval')!, 10, 3_600_000, 'milliseconds');
  const school = topicLevel('--school', last(p, 'school') ?? 'LycMaurois', 'LycMaurois');
  const className = topicLevel('--class', last(p, 'class') ?? 'SNT_2nde', 'SNT_2nde');
  const roster = rosterFile === undefined ? undefined : readRoster(rosterFile, `${school}/${className}`);
  const names = roster?.map((prefix) => prefix.split('/').at(-2)!);
  if (roster?.some((x) => x !== `${school}/${className}/${x.split('/').at(-2)}/`)) {
    throw new UsageError(`--roster: classroom simulates the pairs of one class: write first names only (they go under ${school}/${className}/)`);
  }
  const count = pairsText === undefined ? names!.length : integer('--pairs', pairsText, 1, 1000, 'a number of pairs');
  if (names && count !== names.length) throw new UsageError(`--pairs ${count} and a roster of ${names.length} names: give one of them`);
  const lang = langOption(last(p, 'lang'));
  warnDots(school, className, roster);
  const webText = last(p, 'web');
  const webPort = webText === undefined ? undefined : integer('--web', webText, 0, 65535, 'a port number');
  if (runFor !== undefined && runFor * 1000 < 4 * interval) {
    process.stderr.write(`mqtt-pair classroom: note: ${durationText} s leaves little time for 3 round trips at one hello every ${interval} ms\n`);
  }
  // The students' page needs a broker with a WebSocket listener: the embedded broker gets one.
  const student = studentOptions(p, webPort, endpoint ?? { host: '127.0.0.1', port: 1883 }, `${school}/${className}/`, `${school} / ${className}`);
  const studentBrokerGiven = last(p, 'studentBroker') !== undefined;
  const untilOk = p.has('untilOk');
  return new Classroom({ count, names, endpoint, brokerText, runFor, untilOk, interval, school, className, webPort, lang, student, studentBrokerGiven }).run();
}

interface Settings {
  count: number;
  /** The pairs' names (--roster); else alice, bob, … */
  names?: string[];
  lang?: 'fr' | 'en';
  endpoint: Endpoint | null;
  brokerText?: string;
  runFor?: number;
  /** --until-ok: the run ends once every pair is ok. */
  untilOk?: boolean;
  interval: number;
  school: string;
  className: string;
  webPort?: number;
  student?: StudentOptions;
  studentBrokerGiven?: boolean;
}

class Classroom {
  private readonly pairs: Pair[];
  private readonly byPrefix = new Map<string, Pair>();
  private readonly tcp = nodeHost({ log: () => {} }).connect;
  private observer!: ClassObserver;
  private brokerForBoards = '';
  private where = '';
  /** The origins of the pages this command serves: the embedded broker's WebSocket lets them in. */
  private readonly origins = new Set<string>();
  private startedAt = 0;
  private foreign: string[] = [];
  private foreignCount = 0;
  /** Messages under the class that are no hello or notification (another activity, retained values). */
  private others: string[] = [];
  private otherCount = 0;
  private checking = true;
  private next = 0;
  /** --until-ok: ends the run, once every pair is ok. */
  private onAllOk: (() => void) | null = null;
  private waitingForEsp1: Pair[] = [];
  /** Boards started and not connected yet (for at most CONNECT_SLOT_MS). */
  private readonly connecting = new Set<Sim>();
  /** Boards that connected at least once, and when the last of them first did (ms after the start). */
  private boardsUp = 0;
  private allUpAfter = 0;
  private finished: string | undefined;
  private result: ViewSnapshot['result'];

  constructor(private s: Settings) {
    const group = `${s.school}/${s.className}`;
    this.pairs = (s.names ?? pairNames(s.count)).map((name, i) => new Pair(i, name, `${group}/${name}/`));
    for (const pair of this.pairs) this.byPrefix.set(pair.prefix, pair);
  }

  async run(): Promise<number> {
    const s = this.s;
    let embedded: { port: number; wsPort?: number; close(): Promise<void> } | null = null;
    let endpoint = s.endpoint;
    if (endpoint) {
      this.brokerForBoards = s.brokerText!;
      this.where = brokerName(endpoint, true);
    } else {
      // With the class page, a WebSocket for the students' page too (9001, or the next free port).
      // Its WebSocket lets in the pages of this command alone (their origins are known once served).
      embedded = await startEmbeddedBroker(1883, 20, s.student ? 9001 : undefined, (origin) => this.origins.has(origin));
      endpoint = { host: '127.0.0.1', port: embedded.port };
      this.brokerForBoards = `127.0.0.1:${embedded.port}`;
      this.where = `127.0.0.1:${embedded.port} (embedded Aedes)`;
      console.log(
        `Embedded MQTT broker (Aedes) listening on 127.0.0.1:${embedded.port}${embedded.wsPort ? `, and for the students' page on ws://127.0.0.1:${embedded.wsPort}/mqtt` : ''}`,
      );
      if (s.student && embedded.wsPort && !s.studentBrokerGiven) s.student.broker = `ws://127.0.0.1:${embedded.wsPort}/mqtt`;
    }
    // The observer follows the class's own pairs, no others: anything else under the class is counted.
    this.observer = new ClassObserver(endpoint, {
      school: s.school,
      className: s.className,
      interval: s.interval,
      clientId: `mqtt-pair-classroom-${process.pid}`,
      maxPairs: 0,
    });
    for (const pair of this.pairs) this.observer.ensure(pair.prefix, false, true);
    this.observer.onPairMessage = (op, leaf, text) => this.observed(op.prefix, leaf, text);
    this.observer.onForeign = (topic, text, retained) => this.other(topic, text, retained);
    this.observer.onStranger = (topic, text) => this.strange(topic, text);
    try {
      await this.observer.start();
    } catch (e) {
      this.observer.stop();
      await embedded?.close();
      process.stderr.write(
        `mqtt-pair classroom: cannot observe ${s.school}/${s.className}/# on the broker at ${this.where}: ${printable((e as Error).message)}\n`,
      );
      return 1;
    }
    console.log(
      `${s.count} pairs (${2 * s.count} simulated boards) under ${s.school}/${s.className}/<name>/ on ${this.where}, ` +
        `one hello every ${s.interval} ms${s.untilOk ? ' until every pair is ok' : ''}${s.runFor ? ` ${s.untilOk ? 'or' : 'for'} ${s.runFor} s` : s.untilOk ? ' or Ctrl+C' : ' until Ctrl+C'}`,
    );

    let web: WebView | null = null;
    if (s.webPort !== undefined) {
      try {
        web = await startWebView(
          s.webPort,
          () => this.snapshot(),
          1000,
          (action, name) => this.control(action, name),
          s.student,
        );
        for (const o of web.origins) this.origins.add(o);
      } catch (e) {
        this.observer.stop();
        await embedded?.close();
        throw e;
      }
      console.log(`Classroom view: ${web.url}`);
      printStudentPage(web, s.student!);
      if (!s.endpoint && s.student?.listen)
        console.log("  (the embedded broker listens on this computer only: for students' computers, give --broker, a broker with a websockets listener)");
    }

    const cpu0 = process.cpuUsage();
    this.startedAt = performance.now();
    const pump = setInterval(() => this.pump(), 20);
    this.pump();
    const terminal = new TerminalView(
      () => this.snapshot(),
      (snap) => this.details(snap),
    );
    terminal.start();

    await untilStopped(
      s.runFor,
      s.untilOk
        ? new Promise<void>((resolve) => {
            this.onAllOk = resolve;
          })
        : undefined,
    );

    // The run is over: measure before the teardown, then stop everything.
    const cpu = process.cpuUsage(cpu0);
    const elapsed = (performance.now() - this.startedAt) / 1000;
    this.checking = false;
    clearInterval(pump);
    terminal.stop();
    const judged = this.pairs.filter((pair) => !pair.stopped);
    const notOk = judged.filter((pair) => pair.verdict());
    const ok = judged.length - notOk.length;
    const stopped = this.pairs.length - judged.length;
    const summary =
      `${ok}/${judged.length} pairs ok` +
      (stopped ? ` (${stopped} stopped from the page)` : '') +
      (this.foreignCount ? `; ${this.foreignCount} message${this.foreignCount > 1 ? 's' : ''} on topics of no pair (${this.foreign[0]})` : '') +
      (this.otherCount ? `; ${this.otherCount} other message${this.otherCount > 1 ? 's' : ''} under the class, not judged (${this.others[0]})` : '');
    this.finished = `Finished: ${summary}`;
    this.result = { ok, of: judged.length, stopped };
    if (web) await web.close(); // an open page shows the end

    for (const pair of this.pairs) {
      pair.esp1?.board.stop();
      pair.esp2?.board.stop();
    }
    this.observer.stop();
    await embedded?.close();

    const hellos = this.pairs.reduce((n, pair) => n + (pair.esp1?.publishes ?? 0), 0);
    const replies = this.pairs.reduce((n, pair) => n + (pair.esp2?.publishes ?? 0), 0);
    const messages = hellos + replies;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const mem = process.memoryUsage();
    const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
    const n = (x: number) => x.toLocaleString('en-US');
    const lines = [
      `Ran ${this.pairs.length} pairs (${2 * this.pairs.length} simulated boards) for ${elapsed.toFixed(1)} s on ${this.where}, one hello every ${s.interval} ms; ` +
        (this.allUpAfter ? `all boards connected within ${duration(this.allUpAfter)}` : `${this.boardsUp} of ${2 * this.pairs.length} boards ever connected`),
      `Messages: ${n(messages)} published by the boards (${n(hellos)} hellos, ${n(replies)} replies), ${n(this.observer.messages)} seen by the observer`,
      `CPU: ${cpuSeconds.toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s), ${Math.round((100 * cpuSeconds) / elapsed)}% of one core; ` +
        (messages ? `${Math.round((cpuSeconds * 1e6) / messages)} µs per message` : 'no message') +
        ` (boards and observer${embedded ? ', and the broker' : ''}, all in this process)`,
      `Memory: ${mb(mem.rss)} resident at the end (${mb(process.resourceUsage().maxRSS * 1024)} at most), ${mb(mem.heapUsed)} JavaScript heap`,
    ];
    for (const pair of notOk.slice(0, 20)) lines.push(`Not ok: ${pair.name}: ${pair.verdict()}`);
    if (notOk.length > 20) lines.push(`Not ok: … and ${notOk.length - 20} more pairs`);
    for (const f of this.foreign.slice(1, 3)) lines.push(`Topic of no pair: ${f}`);
    lines.push(summary);
    process.stdout.write(`${lines.map(printable).join('\n')}\n`);
    return notOk.length || this.foreignCount ? 1 : 0;
  }

  /** Starts boards: ESP#2 first, then its ESP#1 once ESP#2 is connected; a bounded number connecting at once. */
  private pump(): void {
    if (this.onAllOk && this.next === this.pairs.length && this.pairs.every((pair) => pair.stopped || !pair.verdict())) this.onAllOk();
    const now = performance.now();
    for (const sim of this.connecting) if (sim.connects || now - sim.startedAt > CONNECT_SLOT_MS) this.connecting.delete(sim);
    this.waitingForEsp1 = this.waitingForEsp1.filter((pair) => {
      const e2 = pair.esp2!;
      if (!e2.connects && now - e2.startedAt < 5000) return true;
      pair.esp1 = this.boot(pair, 'hello');
      return false;
    });
    while (this.next < this.pairs.length && this.connecting.size < MAX_CONNECTING) {
      const pair = this.pairs[this.next++];
      this.observer.ensure(pair.prefix, false, true);
      pair.esp2 = this.boot(pair, 'responder');
      this.waitingForEsp1.push(pair);
    }
  }

  private boot(pair: Pair, role: 'hello' | 'responder'): Sim {
    const name = `${pair.name}-${role === 'hello' ? 'esp1' : 'esp2'}`;
    const skip = name.length + 3; // "[name] "
    const sim: Sim = { board: null as unknown as SimBoard, startedAt: performance.now(), connects: 0, publishes: 0, sinceBoot: 0, lastError: '' };
    sim.board = new SimBoard({
      name,
      config: {
        broker: this.brokerForBoards,
        role,
        interval: this.s.interval,
        topicPrefix: pair.prefix,
        clientId: `mp${process.pid}-${pair.name}-${role === 'hello' ? 1 : 2}`,
      },
      // No line per board on the console: each line becomes counters, then is dropped.
      print: (line) => {
        sim.board.lines.length = 0;
        this.boardLine(pair, sim, role, line.slice(skip));
      },
      // Count the PUBLISH packets each board writes (one packet per write): hellos, or replies.
      connect: (to, events): Connection => {
        const c = this.tcp(to, events);
        return {
          write: (bytes) => {
            if ((bytes[0] & 0xf0) === 0x30) {
              sim.publishes++;
              sim.sinceBoot++;
            }
            c.write(bytes);
          },
          close: () => c.close(),
        };
      },
    });
    sim.board.start();
    this.connecting.add(sim);
    return sim;
  }

  /** One console line of a board. */
  private boardLine(pair: Pair, sim: Sim, role: 'hello' | 'responder', line: string): void {
    if (line.startsWith('Connected to ')) {
      if (!sim.connects++ && ++this.boardsUp === 2 * this.pairs.length) this.allUpAfter = performance.now() - this.startedAt;
      return;
    }
    if (role === 'hello') {
      if (line === 'ESP received hello message') {
        pair.replies++;
        const got = pair.replies - pair.repliesAtStart;
        if (this.checking && got > (pair.esp2?.publishes ?? 0)) {
          pair.crossed(`ESP#1 got a "received" that its ESP#2 did not send (${got} received, ${pair.esp2?.publishes ?? 0} sent)`);
        }
        return;
      }
      if (line.startsWith('Received ')) return;
      if (line.startsWith('Board restarted')) {
        // Its hello count starts again from 0.
        sim.sinceBoot = 0;
        pair.esp2Last = -1;
        pair.seenLast = -1;
      }
    } else if (line.startsWith('Received ')) {
      const head = `Received ${pair.prefix}hello: `;
      if (!line.startsWith(head)) return pair.crossed(`ESP#2 got "${line.slice(9)}", not on its own hello topic`);
      const text = line.slice(head.length);
      const why = this.foreignHello(pair, text, pair.esp2Last);
      if (why) return pair.crossed(`ESP#2 got ${why}`);
      const m = HELLO.exec(text);
      if (m) pair.esp2Last = Number(m[1]);
      return;
    }
    if (/^(Failed to connect|Lost connection|Subscription failed|Config error|Restarting the board)/.test(line)) {
      sim.lastError = line.replace(/\. Reconnecting in .*$/, '');
    }
  }

  /** Why `text`, seen on the pair's hello topic after Hello #`last`, is not from its own ESP#1; '' when it is. */
  private foreignHello(pair: Pair, text: string, last: number): string {
    if (!this.checking) return '';
    const m = HELLO.exec(text);
    if (!m) return `"${text}" on ${pair.prefix}hello, not a hello of its ESP#1`;
    const n = Number(m[1]);
    const sent = pair.esp1?.sinceBoot ?? 0;
    if (n >= sent) return `"${text}" on ${pair.prefix}hello, but its ESP#1 has sent only ${sent} hellos (#0 to #${sent - 1})`;
    if (n <= last) return `"${text}" on ${pair.prefix}hello after Hello #${last}: another board publishes on this pair's topic`;
    return '';
  }

  /** A message the observer saw under the class. */
  private observed(prefix: string, leaf: 'hello' | 'notification', text: string): void {
    const pair = this.byPrefix.get(prefix);
    if (!pair) return this.strange(prefix + leaf, text);
    if (leaf === 'hello') {
      pair.seenHellos++;
      const why = this.foreignHello(pair, text, pair.seenLast);
      if (why) return pair.crossed(`the observer saw ${why}`);
      const m = HELLO.exec(text);
      if (m) pair.seenLast = Number(m[1]);
      return;
    }
    pair.seenNotifications++;
    if (!this.checking) return;
    if (text !== 'received') return pair.crossed(`the observer saw "${text}" on ${prefix}notification, not its ESP#2's "received"`);
    const answered = pair.esp2?.publishes ?? 0;
    const seen = pair.seenNotifications - pair.notificationsAtStart;
    if (seen > answered) {
      pair.crossed(`the observer saw ${seen} messages on ${prefix}notification, its ESP#2 sent ${answered}`);
    }
  }

  /** A live hello or notification under the class that belongs to no pair: a crossing. */
  private strange(topic: string, text: string): void {
    if (!this.checking) return;
    this.foreignCount++;
    if (this.foreign.length < 3) this.foreign.push(`"${printable(text.slice(0, 40))}" on ${printable(topic)}`);
  }

  /** Another message under the class (a sensor's values, something retained): counted and shown, not judged. */
  private other(topic: string, text: string, retained: boolean): void {
    this.otherCount++;
    if (this.others.length < 3) this.others.push(`${retained ? 'retained ' : ''}"${printable(text.slice(0, 40))}" on ${printable(topic)}`);
  }

  /** The page's buttons: stop a pair (as if unplugged), or start it again. */
  private control(action: 'stop' | 'start', name: string): boolean {
    const pair = this.pairs.find((x) => x.name === name);
    if (!pair?.esp2) return false;
    if (action === 'stop' && !pair.stopped) {
      pair.stopped = true;
      pair.hellosBefore += pair.esp1?.publishes ?? 0;
      pair.esp1?.board.stop();
      pair.esp2.board.stop();
    } else if (action === 'start' && pair.stopped) {
      pair.stopped = false;
      pair.esp2Last = -1; // its ESP#1 counts from Hello #0 again
      pair.seenLast = -1;
      pair.repliesAtStart = pair.replies;
      pair.notificationsAtStart = pair.seenNotifications;
      pair.esp2 = this.boot(pair, 'responder');
      this.waitingForEsp1.push(pair);
    }
    return true;
  }

  private tile(pair: Pair, now: number): TileView {
    const op = this.observer.pairs.get(pair.prefix);
    let look: PairLook;
    if (!op || !pair.esp2) look = { state: 'wait', label: 'Starting', why: 'waiting for its turn to connect', reason: 'starting' };
    else look = lookOf(op, now, this.s.interval);
    const connected = pair.boardsConnected;
    if (pair.violations) look = { state: 'silent', label: 'Crossed topics', why: pair.problems[0], reason: 'crossed' };
    else if (pair.stopped) {
      // Red at once: the point is to show the class what a red tile means.
      look = { state: 'silent', label: 'Stopped', why: 'stopped from the page: both boards are off', reason: 'stopped' };
    } else if (op && pair.esp2 && look.state !== 'silent' && connected < 2) {
      const ever = (pair.esp1?.connects ?? 0) + pair.esp2.connects;
      look = {
        state: 'wait',
        label: ever ? 'Reconnecting' : 'Connecting',
        why: `${connected} of 2 boards connected`,
        reason: ever ? 'reconnecting' : 'connecting',
      };
    }
    const base = op
      ? tileOf(op, look, now)
      : {
          ...look,
          name: pair.name,
          group: `${this.s.school}/${this.s.className}`,
          hellos: 0,
          replies: 0,
          rounds: 0,
          lastHello: null,
          since: null,
        };
    return {
      ...base,
      hellos: pair.hellosBefore + (pair.esp1?.publishes ?? 0),
      replies: pair.replies,
      rounds: pair.replies,
      boards: connected,
      reconnects: pair.reconnects,
      error: pair.lastError || undefined,
      ...(pair.stopped && { stopped: true }),
    };
  }

  private snapshot(): ViewSnapshot {
    const now = this.observer.now();
    const pairs = sortTiles(this.pairs.map((pair) => this.tile(pair, now)));
    const elapsed = this.startedAt ? performance.now() - this.startedAt : 0;
    return {
      title: `${this.s.school} / ${this.s.className}`,
      subtitle: `${this.pairs.length} simulated pairs on ${this.where}${this.s.runFor ? ` · a ${this.s.runFor} s run` : ''}`,
      interval: this.s.interval,
      pairs,
      counts: countStates(pairs),
      alert: this.observer.client.connected ? undefined : `The observer is not connected to the broker: ${this.observer.problem || 'reconnecting'}`,
      problem: this.observer.client.connected ? undefined : this.observer.problem || 'reconnecting',
      uptime: Math.round(elapsed / 1000),
      finished: this.finished,
      result: this.result,
      about: { simulated: this.pairs.length, where: this.where, runFor: this.s.runFor },
      lang: this.s.lang,
      controls: !this.finished,
      other: this.otherCount,
    };
  }

  /** What the table's header and the plain summaries add to the counts. */
  private details(snap: ViewSnapshot): string {
    let boards = 0,
      hellos = 0,
      replies = 0,
      reconnects = 0;
    for (const t of snap.pairs) {
      boards += t.boards ?? 0;
      hellos += t.hellos;
      replies += t.replies;
      reconnects += t.reconnects ?? 0;
    }
    return `boards ${boards}/${2 * snap.counts.total} connected; ${hellos} hellos, ${replies} replies, ${reconnects} reconnects`;
  }
}
