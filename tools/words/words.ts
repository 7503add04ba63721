// What a language table holds (tools/words/en.ts, fr.ts): every word of the class page and of the
// students' page, and the tiles' words by reason code, which the terminal can share. Plain data and
// small functions, no import but types: the pages' scripts bundle them for the browser.

import type { BrokerTrouble, Crossing, LookFacts, PairFailure, Reason } from '../classroom/view-model';

/** The words of a tile: a short label and a reason, by the reason code of the snapshot. */
export interface TileWords {
  label: Record<Reason, string>;
  /** `duration` is `ms` as the views write it (`4 s`, `2 min 5 s`); `facts`, the look's. */
  why: Record<Reason, (duration: string, ms: number, facts: LookFacts) => string>;
  /** What crossed into a pair (a tile's `facts.crossing`, a verdict's first crossing). */
  crossing(c: Crossing): string;
  /** A simulated pair's last failure (a tile's `failure`, a verdict's `last`): which board, and what. */
  failure(f: PairFailure): string;
}

/** The class page's words (tools/web/class). Numbers come as numbers: each language writes its own. */
export interface ClassPageWords {
  /** For numbers and times: `fr-FR`, `en-GB`. */
  locale: string;
  pairs(n: number): string;
  /** The counts in the header. */
  ok: string;
  wait: string;
  silent: string;
  /** The legend: each state, and what it means. */
  okLegend: string;
  okMeans: string;
  waitLegend: string;
  waitMeans: string;
  silentLegend: string;
  silentMeans(after: string): string;
  empty: string;
  /** Students on the students' page (not pairs), counted and shown apart. */
  students(n: number): string;
  last(hello: number | null): string;
  seen(hellos: number, replies: number): string;
  boards(connected: number): string;
  reconnects(n: number): string;
  other(n: number): string;
  retained(n: number): string;
  /** What a board runs, as it said (tools/classroom/board-runs.ts): `board` is ESP#1, ESP#2 or its role. */
  runsProgram(board: string, name: string): string;
  runsRole(board: string, role: string): string;
  /** A pair with a program: whether a « Hello #N » was answered by « received » (a round seen). */
  protocol(follows: boolean): string;
  /** The tooltip of a program: its hash. */
  hash(hash: string): string;
  stop: string;
  start: string;
  /** « Identifier »: the pair's boards blink their LED (watch --web). */
  identify: string;
  identifyTitle: string;
  ignored(pairs: number, more: boolean, messages: number): string;
  once(prefixes: number): string;
  others(messages: number): string;
  interval: string;
  running: string;
  live: string;
  updated: string;
  watching(filters: string, where: string): string;
  simulated(pairs: number, where: string, runFor: string): string;
  finished(result: { ok: number; of: number; stopped: number }): string;
  /** The observer's broker connection while it is not connected (its close's facts; none: connecting). */
  noBroker(problem: BrokerTrouble): string;
  lost: string;
}

/** The students' page's words (tools/web/student). The markup names its strings by `data-t`. */
export interface StudentPageWords {
  title: string;
  me: string;
  peer: string;
  broker: string;
  user: string;
  password: string;
  connect: string;
  leave: string;
  tabChat: string;
  tabRemote: string;
  tabLab: string;
  message: string;
  pubMessage: string;
  send: string;
  online: string;
  offline: string;
  unknown: string;
  notConnected: string;
  connecting: string;
  connected: string;
  lost: string;
  /** Before the first connection: it never connected, so nothing was lost. */
  failed: string;
  /**
   * Why a connection ended, in words from its kind and the CONNACK code (`where`: the broker's
   * address); '' shows the client's own reason (English).
   */
  closeWhy(kind: string | undefined, code: number | undefined, where: string): string;
  retry: string;
  seconds: string;
  /** Between a name and what it is about: `': '` in English, `' : '` in French. */
  colon: string;
  needNames: string;
  samePeer: string;
  badName: string;
  /** After the broker field's name and `colon`: what is wrong with the address typed. */
  notWebSocket(address: string): string;
  sensorTitle: string;
  sensorHelp: string;
  actuatorTitle: string;
  actuatorHelp: string;
  up: string;
  down: string;
  left: string;
  right: string;
  sent: string;
  received: string;
  unknownCommand: string;
  labConn: string;
  willTopic: string;
  willMessage: string;
  /** The will's default message, after the student's name. */
  willGone: string;
  retain: string;
  clean: string;
  labConnect: string;
  labEnd: string;
  labCut: string;
  publish: string;
  topic: string;
  subscribe: string;
  filter: string;
  unsubscribe: string;
  messages: string;
  time: string;
  qos: string;
  labUp: string;
  labDown: string;
  labCutDone: string;
  labEndDone: string;
  sessionPresent: string;
  subscribed: string;
  granted: string;
  refused: string;
  published: string;
  error: string;
  control: string;
  openWarning: string;
  /** Before the topic a student publishes on, and before the one they read. */
  writeOn: string;
  readFrom: string;
  /** A first name already online in the class (case and accents aside), before connecting. */
  nameTaken(name: string): string;
  /** The actuator's colours, as its block names them. */
  colourNames: Record<string, string>;
  you: string;
  yes: string;
  no: string;
}
