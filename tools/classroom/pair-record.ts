// What a pair's own messages (src/apps/pair-protocol.ts) do to its record: a new pair as first
// heard, and each live hello or notification counted, its rounds and gaps kept.

import { HELLO, REPLY, helloNumber } from '../../src/apps/pair-protocol';
import type { ObservedPair } from './view-model';

/** A pair as first seen at `now` under `prefix` (see ClassObserver.ensure for `expected` and `kept`). */
export function newPair(prefix: string, now: number, expected: boolean, kept: boolean, present: boolean): ObservedPair {
  const levels = prefix.split('/').slice(0, -1);
  return {
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
    present,
    page: present,
    other: 0,
    retained: 0,
    heardAt: expected ? 0 : now,
    otherAt: 0,
    otherGaps: [],
    facts: {},
  };
}

/** A live hello (`leaf` HELLO) or notification of `p` at `now`: a reply after a hello is a round. */
export function recordRound(p: ObservedPair, leaf: string, text: string, now: number): void {
  p.lastAt = now;
  if (!p.heardAt) p.heardAt = now;
  if (leaf === HELLO) {
    if (p.lastHelloAt) {
      p.gaps.push(now - p.lastHelloAt);
      if (p.gaps.length > 5) p.gaps.shift();
    }
    p.hellos++;
    p.awaiting = true;
    p.lastHelloAt = now;
    const n = helloNumber(text);
    p.lastHello = n < 0 ? null : n;
  } else if (text === REPLY) {
    p.replies++;
    if (p.awaiting) {
      p.rounds++;
      p.awaiting = false;
    }
    p.lastReplyAt = now;
  }
}
