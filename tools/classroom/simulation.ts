// A whole class of simulated pairs in one process (mqtt-pair classroom): each pair's ESP#2 (role
// responder) then ESP#1 (role hello) under its own prefix, a bounded number connecting at once, so
// that hundreds of pairs start on a small machine. Each pair is judged from its boards' events and
// the observer's view of the broker (pair-check.ts); the page's buttons stop and start a pair.

import { SimBoard } from '../../hosts/node/sim';
import type { BoardEvent } from '../../src/apps/events';
import { countStates, look as lookAs, lookOf, sortTiles, tileOf } from './look';
import type { ClassObserver } from './observer';
import { BoardCounts, PairCheck } from './pair-check';
import type { PairLook, StrayMessage, TileView, ViewSnapshot } from './view-model';

/** Boards connecting at once, at most: enough to start 1,000 boards in seconds, few enough for a loaded machine. */
const MAX_CONNECTING = 48;
/** A board that has not connected after this long no longer holds a connecting slot. */
const CONNECT_SLOT_MS = 10_000;
/** ESP#1 starts once its ESP#2 is connected, or after this long. */
const ESP2_HEAD_START_MS = 5000;

export interface SimulationSettings {
  /** The pairs' names; each pair's prefix is `<school>/<class>/<name>/`. */
  names: string[];
  school: string;
  className: string;
  interval: number;
  /** The broker as the boards' config takes it (`127.0.0.1:1883`, `mqtt://…`). */
  broker: string;
  /** The broker as the views name it. */
  where: string;
  runFor?: number;
  lang?: 'fr' | 'en';
}

interface Running {
  check: PairCheck;
  esp1: SimBoard | null;
  esp2: SimBoard | null;
}

export class ClassSimulation {
  readonly pairs: Running[];
  private readonly byPrefix = new Map<string, Running>();
  private readonly connecting = new Set<BoardCounts>();
  private waitingForEsp1: Running[] = [];
  private next = 0;
  private pump: ReturnType<typeof setInterval> | null = null;
  private checking = true;
  startedAt = 0;
  /** Boards that connected at least once, and when the last of them first did (ms after the start). */
  boardsUp = 0;
  allUpAfter = 0;
  /** Live hellos and notifications under the class that belong to no pair: crossings (the first 3 kept). */
  foreign: StrayMessage[] = [];
  foreignCount = 0;
  /** Other messages under the class (another activity, retained values): counted, not judged (the first 3 kept). */
  others: StrayMessage[] = [];
  otherCount = 0;
  /** Set by `end`, for the views: the run is over, and how many pairs were ok. */
  finished = false;
  result: ViewSnapshot['result'];
  private onAllOk: (() => void) | null = null;

  constructor(
    private readonly s: SimulationSettings,
    private readonly observer: ClassObserver,
  ) {
    const group = `${s.school}/${s.className}`;
    this.pairs = s.names.map((name) => ({ check: new PairCheck(name, `${group}/${name}/`), esp1: null, esp2: null }));
    for (const p of this.pairs) {
      this.byPrefix.set(p.check.prefix, p);
      observer.ensure(p.check.prefix, false, true);
    }
    observer.onPairMessage = (op, leaf, text) => {
      const p = this.byPrefix.get(op.prefix);
      if (!this.checking) return;
      if (p) p.check.observed(leaf, text);
      else this.strange(op.prefix + leaf, text);
    };
    observer.onForeign = (topic, text, retained) => {
      this.otherCount++;
      if (this.others.length < 3) this.others.push({ topic, text: text.slice(0, 40), ...(retained && { retained }) });
    };
    observer.onStranger = (topic, text) => this.strange(topic, text);
  }

  /** Starts the boards, a bounded number at a time. */
  start(): void {
    this.startedAt = performance.now();
    this.pump = setInterval(() => this.step(), 20);
    this.step();
  }

  /** Resolves once every pair that is not stopped is ok (--until-ok). */
  allOk(): Promise<void> {
    return new Promise((resolve) => {
      this.onAllOk = resolve;
    });
  }

  /**
   * Ends the checks and judges: the pairs not ok, and the counts the summary is worded from
   * (`result`, `foreignCount`, `otherCount` and their first examples). Boards keep running.
   */
  end(): { notOk: PairCheck[]; result: NonNullable<ViewSnapshot['result']> } {
    this.checking = false;
    if (this.pump) clearInterval(this.pump);
    const judged = this.pairs.map((p) => p.check).filter((c) => !c.stopped);
    const notOk = judged.filter((c) => c.verdict());
    const result = { ok: judged.length - notOk.length, of: judged.length, stopped: this.pairs.length - judged.length };
    this.finished = true;
    this.result = result;
    return { notOk, result };
  }

  stopBoards(): void {
    for (const p of this.pairs) {
      p.esp1?.stop();
      p.esp2?.stop();
    }
  }

  /** Hellos and replies the boards published, in all. */
  get published(): { hellos: number; replies: number } {
    let hellos = 0;
    let replies = 0;
    for (const p of this.pairs) {
      hellos += p.check.hellos;
      replies += p.check.answers;
    }
    return { hellos, replies };
  }

  private step(): void {
    if (this.onAllOk && this.next === this.pairs.length && this.pairs.every((p) => p.check.stopped || !p.check.verdict())) this.onAllOk();
    const now = performance.now();
    for (const b of this.connecting) if (b.connects || now - b.startedAt > CONNECT_SLOT_MS) this.connecting.delete(b);
    this.waitingForEsp1 = this.waitingForEsp1.filter((p) => {
      if (p.check.stopped) return false;
      const e2 = p.check.esp2!;
      if (!e2.connects && now - e2.startedAt < ESP2_HEAD_START_MS) return true;
      this.boot(p, 'hello');
      return false;
    });
    while (this.next < this.pairs.length && this.connecting.size < MAX_CONNECTING) {
      const p = this.pairs[this.next++];
      this.boot(p, 'responder');
      this.waitingForEsp1.push(p);
    }
  }

  private boot(p: Running, role: 'hello' | 'responder'): void {
    const esp1 = role === 'hello';
    const { check } = p;
    const counts = new BoardCounts(performance.now());
    const onEvent = (e: BoardEvent) => {
      if (!this.checking) return;
      if (counts.count(e) && ++this.boardsUp === 2 * this.pairs.length) this.allUpAfter = performance.now() - this.startedAt;
      if (esp1) check.esp1Event(e);
      else check.esp2Event(e);
    };
    const board = new SimBoard({
      name: `${check.name}-${esp1 ? 'esp1' : 'esp2'}`,
      config: { broker: this.s.broker, role, interval: this.s.interval, topicPrefix: check.prefix, clientId: `mp${process.pid}-${check.name}-${esp1 ? 1 : 2}` },
      // No line per board on the console: what a board does comes as events.
      print: () => {
        board.lines.length = 0;
      },
      onEvent,
      onRestart: () => {
        if (esp1) check.esp1Restarted();
        else counts.restarted();
      },
    });
    if (esp1) {
      check.esp1 = counts;
      p.esp1 = board;
    } else {
      check.esp2 = counts;
      p.esp2 = board;
    }
    board.start();
    this.connecting.add(counts);
  }

  private strange(topic: string, text: string): void {
    if (!this.checking) return;
    this.foreignCount++;
    if (this.foreign.length < 3) this.foreign.push({ topic, text: text.slice(0, 40) });
  }

  /** The page's buttons: stop a pair (as if unplugged), or start it again. */
  control(action: 'stop' | 'start', name: string): boolean {
    const p = this.pairs.find((x) => x.check.name === name);
    if (!p?.esp2) return false;
    if (action === 'stop' && !p.check.stopped) {
      p.check.stop();
      p.esp1?.stop();
      p.esp2.stop();
    } else if (action === 'start' && p.check.stopped) {
      p.check.startAgain();
      this.boot(p, 'responder');
      this.waitingForEsp1.push(p);
    }
    return true;
  }

  private tile(p: Running, now: number): TileView {
    const { check } = p;
    const op = this.observer.pairs.get(check.prefix);
    let look: PairLook;
    if (!op || !check.esp2) look = lookAs('wait', 'starting');
    else look = lookOf(op, now, this.s.interval);
    const connected = check.boardsConnected;
    if (check.violations) look = lookAs('silent', 'crossed', undefined, { crossing: check.problems[0], crossings: check.violations });
    else if (check.stopped) {
      // Red at once: the point is to show the class what a red tile means.
      look = lookAs('silent', 'stopped');
    } else if (op && check.esp2 && look.state !== 'silent' && connected < 2) {
      const ever = (check.esp1?.connects ?? 0) + check.esp2.connects;
      look = lookAs('wait', ever ? 'reconnecting' : 'connecting', undefined, { boards: connected });
    }
    const base = op
      ? tileOf(op, look, now)
      : { ...look, name: check.name, group: `${this.s.school}/${this.s.className}`, hellos: 0, replies: 0, rounds: 0, lastHello: null, since: null };
    return {
      ...base,
      hellos: check.hellos,
      replies: check.replies,
      rounds: check.replies,
      boards: connected,
      reconnects: check.reconnects,
      failure: check.lastFailure ?? undefined,
      ...(check.stopped && { stopped: true }),
    };
  }

  snapshot(): ViewSnapshot {
    const now = this.observer.now();
    const pairs = sortTiles(this.pairs.map((p) => this.tile(p, now)));
    const elapsed = this.startedAt ? performance.now() - this.startedAt : 0;
    const problem = this.observer.trouble();
    return {
      // No subtitle nor alert: the views word them from `about` and `problem`.
      title: `${this.s.school} / ${this.s.className}`,
      interval: this.s.interval,
      pairs,
      counts: countStates(pairs),
      problem,
      uptime: Math.round(elapsed / 1000),
      finished: this.finished,
      result: this.result,
      about: { simulated: this.pairs.length, where: this.s.where, runFor: this.s.runFor },
      lang: this.s.lang,
      controls: !this.finished,
      other: this.otherCount,
    };
  }

  /** What the table's header and the plain summaries add to the counts (worded by the command):
   *  the boards connected (of how many), and the hellos, replies and reconnects of every pair. */
  totals(snap: ViewSnapshot): { boards: number; of: number; hellos: number; replies: number; reconnects: number } {
    let boards = 0;
    let hellos = 0;
    let replies = 0;
    let reconnects = 0;
    for (const t of snap.pairs) {
      boards += t.boards ?? 0;
      hellos += t.hellos;
      replies += t.replies;
      reconnects += t.reconnects ?? 0;
    }
    return { boards, of: 2 * snap.counts.total, hellos, replies, reconnects };
  }
}
