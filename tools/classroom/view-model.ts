// What the class views show, as the server sends it: a tile per pair and the snapshot of the class.
// The page (tools/web/class/) imports these types, so the page and the server cannot disagree.

import type { CloseKind } from '../../src/host';
import type { BoardRun } from './board-runs';

export type TileState = 'ok' | 'wait' | 'silent';

/** How long a pair may stay without a message, or without a reply, before its tile turns red: about
 *  3 of its hello intervals, 3 s at least. The page's legend says it. */
export function silentAfter(interval: number): number {
  return Math.max(3.5 * interval, 3000);
}

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
  /** A students' page said online or offline on `<prefix>status`: a student is there, or was. */
  page: boolean;
  /** Messages under the pair's prefix on other topics (another activity: the sensor, the remote). */
  other: number;
  /** Retained hellos and notifications: old news the broker kept, not the pair's state. */
  retained: number;
  /** When it first showed a sign of life (any live message of its own), 0 while never heard: a
   *  roster pair that starts late counts its silence from there, not from the lesson's start. */
  heardAt: number;
  /** The last activity other than hello/responder seen live under its prefix, when it does one. */
  activity?: Activity;
  /** When that activity last published, and the last gaps between its messages (ms). */
  otherAt: number;
  otherGaps: number[];
  /** What the activity said last: the sensor's values and status, the remote's command. */
  facts: ActivityFacts;
}

/** What a pair does besides hello/responder: the weather station (`<prefix>myRasp/sensors/…`), the
 *  chat (`<class>/<name>`, the students' page or a board), the remote (`<prefix>remote/command`). */
export type Activity = 'sensor' | 'chat' | 'remote' | 'other';

/** The last facts of an activity, for the tile's words (bounded, printable). */
export interface ActivityFacts {
  temperature?: number;
  pressure?: number;
  /** The sensor's `…/status`: false once it said "offline" (its will, when the board vanished). */
  sensorOnline?: boolean;
  command?: string;
}

/**
 * Why a tile has its colour, as a code the views word in their language (tools/words/en.ts, fr.ts),
 * with `ms` a duration when there is one and `facts` what the words need besides.
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
  | 'stopped'
  | 'notYet'
  | 'sensor'
  | 'sensorOffline'
  | 'chat'
  | 'remote'
  | 'student'
  | 'studentLeft'
  | 'otherActivity'
  | 'doubled';

/**
 * What crossed into a pair (PairCheck.problems): a code and its facts, worded by the views. `by`:
 * who saw it, its ESP#2 or the observer; `text` is bounded and printable.
 */
export type Crossing =
  | { code: 'replyNotSent'; got: number; sent: number }
  | { code: 'offTopic'; text: string; topic: string }
  | { code: 'notHello'; by: 'esp2' | 'observer'; text: string; topic: string }
  | { code: 'helloAhead'; by: 'esp2' | 'observer'; text: string; topic: string; sent: number }
  | { code: 'helloBack'; by: 'esp2' | 'observer'; text: string; topic: string; last: number }
  | { code: 'notReply'; text: string; topic: string }
  | { code: 'tooManyReplies'; topic: string; seen: number; sent: number };

/** The facts a tile's words use besides its duration: the activity's (the sensor's values, the
 *  remote's command), the boards connected of 2 (a simulated pair connecting), what crossed. */
export interface LookFacts extends ActivityFacts {
  boards?: number;
  crossing?: Crossing;
  /** How many crossings in all, the first in `crossing`. */
  crossings?: number;
}

/**
 * How a connection to the broker closed, as facts the views word: its kind and CONNACK code, and the
 * client's English reason for what the kind alone does not say (TLS, WebSocket, protocol). No kind:
 * a connection under way (the first, or again after a close).
 */
export interface BrokerTrouble {
  kind?: CloseKind;
  code?: number;
  reason: string;
}

/**
 * A simulated board's last failure, as its event gave it (src/apps/events.ts): a connection closed
 * (its kind, the CONNACK's code for a refusal, whether it had been connected, the client's own
 * reason) or a subscription refused. Worded by `tileWords.failure` (tools/words/en.ts, fr.ts).
 */
export type BoardFailure = { event: 'closed'; kind: CloseKind; code?: number; wasConnected: boolean; reason: string } | { event: 'refused'; reason: string };

/** A pair's last failure: which board (ESP#1 first), and what. */
export interface PairFailure {
  esp: 1 | 2;
  failure: BoardFailure;
}

/** A message under the class that no pair's check took: its topic, its text (cut, printable), whether it was retained. */
export interface StrayMessage {
  topic: string;
  text: string;
  retained?: boolean;
}

/** A tile's colour and why, as values: no words (the views make them). */
export interface PairLook {
  state: TileState;
  reason: Reason;
  ms?: number;
  facts?: LookFacts;
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
  /** Simulated pairs only: the last failure a board reported. */
  failure?: PairFailure;
  /** classroom --web: the teacher stopped this pair from the page (and can start it again). */
  stopped?: boolean;
  /** A student on the students' page, not a pair (no hello, no reply, not on the roster): shown apart, not counted as a pair. */
  student?: boolean;
  /** What its boards said they run (board-runs.ts), ESP#1 first; absent when none said (an older firmware). */
  runs?: BoardRun[];
}

export interface ViewSnapshot {
  title: string;
  /** Worded by the command (watch); absent where the views word it from `about` (classroom). */
  subtitle?: string;
  /** The interval the red threshold is based on when a pair's own is not known yet. */
  interval: number;
  /** The pairs' tiles by colour (students on the students' page apart, in `students`). */
  counts: { ok: number; wait: number; silent: number; total: number; students?: number };
  pairs: TileView[];
  /** Shown on top of the page when set: e.g. the observer lost the broker (worded by the command; else the views word `problem`). */
  alert?: string;
  /** Seconds since the start. */
  uptime: number;
  /** Set once the run is over (classroom --duration): the views word `result`. */
  finished?: boolean;
  /** The page's language when the teacher chose it (--lang); else the browser's. */
  lang?: 'fr' | 'en';
  /** classroom --web: the page may stop and start pairs. */
  controls?: boolean;
  /** watch --web: the page may make a pair's boards blink (« Identifier »), through the teacher's own connection. */
  identify?: boolean;
  /** What the observer left aside: pairs beyond --max-pairs, and their messages. */
  ignored?: { pairs: number; messages: number; more: boolean };
  /** Prefixes heard once only (one hello, say), not shown until they say more or prove themselves. */
  unconfirmed?: number;
  /** Messages under the class on topics of no pair's hello or notification. */
  other?: number;
  /** What the subtitle says, for the page to word in its language. */
  about?: { where: string; simulated?: number; runFor?: number; filters?: string[] };
  /** The observer's broker connection, while it is not connected: the views word it. */
  problem?: BrokerTrouble;
  /** classroom, once over: pairs ok of those judged, and those stopped from the page. */
  result?: { ok: number; of: number; stopped: number };
}
