// A pair's tile: its colour and why (from what the observer saw of it), and the order of tiles.
// Pure: time is passed in.

import {
  type LookFacts,
  type ObservedPair,
  type PairLook,
  type Reason,
  silentAfter as silentAfterOf,
  type TileState,
  type TileView,
  type ViewSnapshot,
} from './view-model';

/** A roster pair never heard stays amber this long after the lesson's start (ms), then turns red. */
export const LATE_AFTER = 5 * 60_000;
/** A chat or a remote speaks when its student acts: it counts as alive this long after its last message. */
const ACTIVE_FOR = 5 * 60_000;

/** The interval a pair keeps, learnt from its hellos (median of the last gaps), else `fallback`. */
export function pairInterval(p: ObservedPair, fallback: number): number {
  if (p.gaps.length < 2) return fallback;
  const s = [...p.gaps].sort((a, b) => a - b);
  return Math.min(600_000, Math.max(20, s[s.length >> 1]));
}

/** A look: a colour, a reason code and its facts. The views word it (tools/words/en.ts, fr.ts). */
export function look(state: TileState, reason: Reason, ms?: number, facts?: LookFacts): PairLook {
  return { state, reason, ...(ms !== undefined && { ms }), ...(facts && { facts }) };
}

/** The median of a few gaps (ms), or `fallback` with fewer than 2. */
function median(gaps: number[], fallback: number): number {
  if (gaps.length < 2) return fallback;
  const s = [...gaps].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * The look of a pair that does another activity than hello/responder, or null. The weather station
 * publishes on its own clock: red once silent for about 3 of its intervals, or once its status says
 * "offline" (its will). A chat or a remote speaks when its student acts: alive for ACTIVE_FOR after
 * its last message, and while its student's page says "online".
 */
function activityLook(p: ObservedPair, now: number, fallbackInterval: number): PairLook | null {
  const ago = now - p.otherAt;
  if (p.activity === 'sensor') {
    if (p.facts.sensorOnline === false) return look('silent', 'sensorOffline', ago, p.facts);
    if (ago > silentAfterOf(median(p.otherGaps, Math.max(fallbackInterval, 1000)))) return look('silent', 'silent', ago);
    return look('ok', 'sensor', ago, p.facts);
  }
  if (p.present) return look('ok', 'student', p.otherAt ? ago : undefined);
  if (!p.activity) return null;
  if (ago > ACTIVE_FOR) return look('wait', 'quiet', ago);
  if (p.activity === 'chat') return look('ok', 'chat', ago);
  if (p.activity === 'remote') return look('ok', 'remote', ago, p.facts);
  return look('ok', 'otherActivity', ago);
}

/**
 * The colour of a tile. Green: the last round trip succeeded and replies keep coming. Red: the pair
 * said nothing for about 3 intervals, or its hellos went unanswered that long, or it is on the
 * roster and never said anything. Amber: in between (starting, waiting for a reply, reconnecting).
 */
export function lookOf(p: ObservedPair, now: number, fallbackInterval: number, lateAfter = LATE_AFTER): PairLook {
  const interval = pairInterval(p, fallbackInterval);
  const silentAfter = silentAfterOf(interval);
  // A reply comes within moments of its hello: one late by half an interval is waited for.
  const grace = Math.max(interval / 2, 500);
  const since = now - p.lastAt;
  if (!p.hellos && !p.replies) {
    if (pageOnly(p) && !p.present) return look('wait', 'studentLeft');
    const other = activityLook(p, now, fallbackInterval);
    if (other) return other;
    // On the roster and not heard yet: amber while the lesson starts, red after lateAfter.
    if (p.expected && !p.heardAt) return now - p.firstAt > lateAfter ? look('silent', 'neverConnected') : look('wait', 'notYet', now - p.firstAt);
  }
  if (since > silentAfter) {
    return p.hellos || p.replies ? look('silent', 'silent', since) : look('silent', 'unheard', since);
  }
  // Counted from its first sign of life: a roster pair that starts late is not late for that.
  const sinceReply = p.replies ? now - p.lastReplyAt : now - (p.heardAt || p.firstAt);
  if (p.hellos && sinceReply > silentAfter) {
    return look('silent', 'noReply', sinceReply);
  }
  if (p.rounds > 0 && now - p.lastReplyAt <= 1.5 * interval + 500 && (!p.awaiting || now - p.lastHelloAt <= grace)) {
    const ago = now - p.lastReplyAt;
    // More replies than hellos, well beyond one in flight: a second responder answers beside its own ESP#2.
    if (p.replies > p.hellos + 2) return look('wait', 'doubled', ago);
    return look('ok', 'ok', ago);
  }
  if (!p.hellos) {
    return p.replies ? look('wait', 'replyOnly') : look('wait', 'noHello');
  }
  if (p.awaiting) {
    if (p.replies && sinceReply > 1.5 * interval) return look('wait', 'noReply', sinceReply);
    const ago = now - p.lastHelloAt;
    return look('wait', 'waitReply', ago);
  }
  return look('wait', 'quiet', since);
}

export const RANK: Record<TileState, number> = { silent: 0, wait: 1, ok: 2 };

/** Trouble first (red, then amber, then green), then by group and natural name order. */
export function sortTiles(tiles: TileView[]): TileView[] {
  return tiles.sort((a, b) => RANK[a.state] - RANK[b.state] || a.group.localeCompare(b.group) || a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/**
 * A student on the students' page and nothing more: its page said it is there (`<prefix>status`),
 * and no board of a pair spoke under its name (no hello, no reply, no weather station), nor is it
 * on the roster. Not a pair: shown apart, so that 15 pairs stay « 15 binômes ».
 */
export function pageOnly(p: ObservedPair): boolean {
  return p.page && !p.hellos && !p.replies && !p.expected && (p.activity === undefined || p.activity === 'chat' || p.activity === 'remote');
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
    since: p.hellos || p.replies ? Math.round(now - p.lastAt) : p.otherAt ? Math.round(now - p.otherAt) : null,
    ...(p.expected && { expected: true }),
    ...(p.other && { other: p.other }),
    ...(p.retained && { retained: p.retained }),
    ...(pageOnly(p) && { student: true }),
  };
}

export function countStates(tiles: TileView[]): ViewSnapshot['counts'] {
  const counts: ViewSnapshot['counts'] = { ok: 0, wait: 0, silent: 0, total: 0 };
  let students = 0;
  for (const t of tiles) {
    if (t.student) students++;
    else {
      counts[t.state]++;
      counts.total++;
    }
  }
  if (students) counts.students = students;
  return counts;
}
