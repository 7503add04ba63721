// One simulated pair, judged from what its boards report (src/apps/events.ts) and what the
// observer sees on the broker: its round trips, and whether anything crossed between pairs. A
// pair is ok when its ESP#1 got at least 3 replies and nothing crossed: every `Hello #N` under its
// prefix is its own ESP#1's (never above what it sent since it booted, never going back), and no
// more `received` came than its ESP#2 sent. Pure: events in, counters and a verdict out.

import type { BoardEvent } from '../../src/apps/events';
import { HELLO, NOTIFICATION, REPLY, helloNumber } from '../../src/apps/pair-protocol';
import { printable } from '../../src/apps/text';
import type { BoardFailure, Crossing, PairFailure } from './view-model';

/** What a board of the pair did, counted from its events. */
export class BoardCounts {
  /** Connections accepted so far. */
  connects = 0;
  connected = false;
  /** Hellos (ESP#1) or replies (ESP#2) published, in all. */
  published = 0;
  /** ESP#1: hellos sent since it last booted (Hello #0 … #sinceBoot-1). */
  sinceBoot = 0;
  /** The last failure, as its event gave it (codes and facts: tools/words/ words it); null when none. */
  lastFailure: BoardFailure | null = null;

  constructor(readonly startedAt: number) {}

  /** Counts an event; true when it is the board's first connection. */
  count(e: BoardEvent): boolean {
    switch (e.type) {
      case 'connected':
        this.connected = true;
        return ++this.connects === 1;
      case 'closed':
        this.connected = false;
        this.lastFailure = { event: 'closed', kind: e.kind, code: e.code, wasConnected: e.wasConnected, reason: e.reason };
        return false;
      case 'refused':
        this.lastFailure = { event: 'refused', reason: e.reason };
        return false;
      case 'hello':
        this.published++;
        this.sinceBoot = e.n + 1;
        return false;
      case 'reply':
        this.published++;
        return false;
      default:
        return false;
    }
  }

  /** The board booted again (a simulated reset): its hellos count from #0. */
  restarted(): void {
    this.connected = false;
    this.sinceBoot = 0;
  }
}

/** Why a pair is not ok, as a code and its facts; tools/words/ words it (verdictLine). `last`:
 *  the last failure a board reported, null when none. */
export type Verdict =
  | { code: 'crossed'; count: number; first: Crossing }
  | { code: 'neverStarted' }
  | { code: 'noHello'; rounds: number; last: PairFailure | null }
  | { code: 'noAnswer'; rounds: number; sent: number; last: PairFailure | null }
  | { code: 'answersLost'; answered: number; last: PairFailure | null }
  | { code: 'fewRounds'; rounds: number; last: PairFailure | null }
  | { code: 'unseen' };

/** A message's text as a crossing keeps it: its first 40 characters, printable. */
function shown(text: string): string {
  return printable(text.slice(0, 40));
}

export class PairCheck {
  esp1: BoardCounts | null = null;
  esp2: BoardCounts | null = null;
  /** Answers ESP#1 received. */
  replies = 0;
  /** The last N ESP#2 received, and the observer saw, since ESP#1's last boot. */
  esp2Last = -1;
  seenLast = -1;
  seenHellos = 0;
  seenNotifications = 0;
  /** replies and seenNotifications when its boards last started (from the page): the checks count from there. */
  repliesAtStart = 0;
  notificationsAtStart = 0;
  /** Hellos of its ESP#1s, and answers of its ESP#2s, before the ones running now. */
  hellosBefore = 0;
  answersBefore = 0;
  violations = 0;
  /** Stopped from the page (classroom --web): left out of the verdict. */
  stopped = false;
  /** The first crossings, as codes and facts (tools/words/ words them). */
  readonly problems: Crossing[] = [];

  constructor(
    readonly name: string,
    readonly prefix: string,
  ) {}

  crossed(what: Crossing): void {
    this.violations++;
    if (this.problems.length < 3) this.problems.push(what);
  }

  /** An event of ESP#1 (role hello). */
  esp1Event(e: BoardEvent): void {
    if (e.type !== 'answered') return;
    this.replies++;
    const got = this.replies - this.repliesAtStart;
    const sent = this.esp2?.published ?? 0;
    if (got > sent) this.crossed({ code: 'replyNotSent', got, sent });
  }

  /** ESP#1 booted again: its hellos count from #0. */
  esp1Restarted(): void {
    this.esp1?.restarted();
    this.esp2Last = -1;
    this.seenLast = -1;
  }

  /** An event of ESP#2 (role responder). */
  esp2Event(e: BoardEvent): void {
    if (e.type !== 'received') return;
    if (e.topic !== this.prefix + HELLO) return this.crossed({ code: 'offTopic', text: shown(e.text), topic: printable(e.topic) });
    const foreign = this.foreignHello('esp2', e.text, this.esp2Last);
    if (foreign) return this.crossed(foreign);
    this.esp2Last = helloNumber(e.text);
  }

  /** A message the observer saw on the pair's hello or notification topic. */
  observed(leaf: typeof HELLO | typeof NOTIFICATION, text: string): void {
    // Stopped: its boards are gone, and what still comes is theirs, in flight when they stopped.
    if (this.stopped) return;
    if (leaf === HELLO) {
      this.seenHellos++;
      const foreign = this.foreignHello('observer', text, this.seenLast);
      if (foreign) return this.crossed(foreign);
      this.seenLast = helloNumber(text);
      return;
    }
    this.seenNotifications++;
    const topic = this.prefix + NOTIFICATION;
    if (text !== REPLY) return this.crossed({ code: 'notReply', text: shown(text), topic });
    const sent = this.esp2?.published ?? 0;
    const seen = this.seenNotifications - this.notificationsAtStart;
    if (seen > sent) this.crossed({ code: 'tooManyReplies', topic, seen, sent });
  }

  /** Why `text`, seen by `by` on the pair's hello topic after Hello #`last`, is not from its own
   *  ESP#1; null when it is. */
  private foreignHello(by: 'esp2' | 'observer', text: string, last: number): Crossing | null {
    const n = helloNumber(text);
    const topic = this.prefix + HELLO;
    if (n < 0) return { code: 'notHello', by, text: shown(text), topic };
    const sent = this.esp1?.sinceBoot ?? 0;
    if (n >= sent) return { code: 'helloAhead', by, text: shown(text), topic, sent };
    if (n <= last) return { code: 'helloBack', by, text: shown(text), topic, last };
    return null;
  }

  /** Stopped from the page: its hellos so far are kept in the count, its boards are gone. */
  stop(): void {
    this.stopped = true;
    this.hellosBefore += this.esp1?.published ?? 0;
    this.answersBefore += this.esp2?.published ?? 0;
    this.esp1 = null;
    this.esp2 = null;
  }

  /** Started again from the page: its new ESP#1 counts from Hello #0, the checks from now. */
  startAgain(): void {
    this.stopped = false;
    this.esp2Last = -1;
    this.seenLast = -1;
    this.repliesAtStart = this.replies;
    this.notificationsAtStart = this.seenNotifications;
  }

  get hellos(): number {
    return this.hellosBefore + (this.esp1?.published ?? 0);
  }

  get answers(): number {
    return this.answersBefore + (this.esp2?.published ?? 0);
  }

  get boardsConnected(): number {
    return (this.esp1?.connected ? 1 : 0) + (this.esp2?.connected ? 1 : 0);
  }

  get reconnects(): number {
    return Math.max(0, (this.esp1?.connects ?? 0) - 1) + Math.max(0, (this.esp2?.connects ?? 0) - 1);
  }

  /** The last failure of its ESP#1, else of its ESP#2; null when neither reported one. */
  get lastFailure(): PairFailure | null {
    const f1 = this.esp1?.lastFailure;
    const f2 = this.esp2?.lastFailure;
    return f1 ? { esp: 1, failure: f1 } : f2 ? { esp: 2, failure: f2 } : null;
  }

  /** Why the pair is not ok, or null when it is. */
  verdict(): Verdict | null {
    if (this.violations) return { code: 'crossed', count: this.violations, first: this.problems[0] };
    const sent = this.esp1?.published ?? 0;
    const answered = this.esp2?.published ?? 0;
    const last = this.lastFailure;
    if (this.replies < 3) {
      if (!this.esp1 || !this.esp2) return { code: 'neverStarted' };
      if (!sent) return { code: 'noHello', rounds: this.replies, last };
      if (!answered) return { code: 'noAnswer', rounds: this.replies, sent, last };
      if (!this.replies) return { code: 'answersLost', answered, last };
      return { code: 'fewRounds', rounds: this.replies, last };
    }
    if (!this.seenHellos || !this.seenNotifications) return { code: 'unseen' };
    return null;
  }
}
