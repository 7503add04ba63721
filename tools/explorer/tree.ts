// The explorer's model: every topic seen under a filter, with its message count, its last value,
// whether the broker keeps it retained, and its last messages. Pure and bounded, the same in the
// server (tools/view/explorer-server.ts) and in the page (tools/web/explorer): at most `maxTopics`
// topics (a new topic beyond is counted, not kept), `maxHistory` messages a topic, each value cut
// to VALUE_CHARS characters and each topic to TOPIC_CHARS. A topic is kept once, in its node: the
// history's messages do not carry it. Time is passed in.

import type { CloseKind } from '../../src/host';
import { matches } from '../../src/mqtt/topic';

/** A value is kept to this many characters (its size is kept whole). */
export const VALUE_CHARS = 200;
/** A topic is kept to this many characters, then `…` (a topic may be 64 KB long: a student's joke
 *  would otherwise fill the memory, once for every message). */
export const TOPIC_CHARS = 1000;

export interface Limits {
  /** Topics kept at most (default 2,000). */
  maxTopics: number;
  /** Messages kept a topic (default 50). */
  maxHistory: number;
}

export const DEFAULT_LIMITS: Limits = { maxTopics: 2000, maxHistory: 50 };

/** One message as the explorer keeps it in a topic's history. */
export interface Seen {
  /** The payload as text, cut to VALUE_CHARS; '' for an empty payload. Not shown for a binary one. */
  text: string;
  /** The payload's size in bytes. */
  size: number;
  /** The payload is not UTF-8 text: only its size is shown. */
  binary: boolean;
  qos: number;
  retain: boolean;
  /** ms since the epoch (the server's clock). */
  at: number;
  /** The server's count of messages when this one came: a page that got it twice keeps it once. */
  seq: number;
}

/** A message with its topic, as the server sends it to the page. */
export interface TopicMessage extends Seen {
  topic: string;
}

export interface TopicNode {
  /** The topic, cut to TOPIC_CHARS. */
  topic: string;
  count: number;
  last: Seen;
  /** The broker holds a retained message on it: the last message said so (and was not empty), or
   *  the broker said so when asked (learnRetained in tools/cli/explore-retained.ts). */
  retained: boolean;
  /** Oldest first, maxHistory at most. */
  history: Seen[];
}

/** A topic as the tree keeps it: cut to TOPIC_CHARS. */
export function keptTopic(topic: string): string {
  if (topic.length <= TOPIC_CHARS) return topic;
  // Not between the two halves of a character beyond U+FFFF.
  const high = topic.charCodeAt(TOPIC_CHARS - 1);
  return `${topic.slice(0, high >= 0xd800 && high <= 0xdbff ? TOPIC_CHARS - 1 : TOPIC_CHARS)}…`;
}

/** The number in a value, or null: "20.7", " -3 ", "1e3" are numbers; "", "20 °C", "0x10" are not. */
export function numberOf(s: Seen): number | null {
  if (s.binary || !s.text.trim() || s.text.length > 40) return null;
  const n = Number(s.text);
  return Number.isFinite(n) ? n : null;
}

export class TopicTree {
  readonly topics = new Map<string, TopicNode>();
  readonly limits: Limits;
  /** Topics not kept (the tree was full), distinct up to a point, and their messages. */
  droppedTopics = 0;
  droppedMessages = 0;
  messages = 0;
  private readonly dropped = new Set<string>();

  constructor(limits: Partial<Limits> = {}) {
    this.limits = { maxTopics: limits.maxTopics ?? DEFAULT_LIMITS.maxTopics, maxHistory: limits.maxHistory ?? DEFAULT_LIMITS.maxHistory };
  }

  /** One message on `topic` (as keptTopic cut it). Its node, or null when the topic was not kept
   *  (the tree is full) or the message is one the node already holds (its seq is not newer). */
  add(topic: string, m: Seen): TopicNode | null {
    let node = this.topics.get(topic);
    if (node && m.seq <= node.last.seq) return null;
    this.messages++;
    if (!node) {
      if (this.topics.size >= this.limits.maxTopics) {
        this.droppedMessages++;
        if (!this.dropped.has(topic) && this.dropped.size < this.limits.maxTopics) this.dropped.add(topic);
        this.droppedTopics = this.dropped.size;
        return null;
      }
      node = { topic, count: 0, last: m, retained: false, history: [] };
      this.topics.set(topic, node);
    }
    node.count++;
    node.last = m;
    // A retained message says the broker holds it; an empty one (retained or live) clears it.
    if (m.retain) node.retained = m.size > 0;
    else if (m.size === 0) node.retained = false;
    node.history.push(m);
    if (node.history.length > this.limits.maxHistory) node.history.splice(0, node.history.length - this.limits.maxHistory);
    return node;
  }

  /** A node as the server sent it, in place of what the page had (the server's is newer). */
  put(n: { topic: string; count: number; retained: boolean; history: Seen[] }): void {
    if (!n.history.length) return;
    if (!this.topics.has(n.topic) && this.topics.size >= this.limits.maxTopics) return;
    const history = n.history.slice(-this.limits.maxHistory);
    this.topics.set(n.topic, { topic: n.topic, count: n.count, retained: n.retained, last: history[history.length - 1], history });
  }

  /** The topics under `branch` (see branchFilter) that the tree holds as retained. */
  retainedUnder(branch: string): string[] {
    const out: string[] = [];
    for (const n of this.topics.values()) if (n.retained && isUnder(n.topic, branch)) out.push(n.topic);
    return out;
  }

  /** What the broker said it holds retained under `branch` (kept topics): the marks follow it. */
  markRetained(branch: string, retained: Set<string>): void {
    for (const n of this.topics.values()) if (isUnder(n.topic, branch)) n.retained = retained.has(n.topic);
  }
}

/**
 * The subscription that holds a branch, or null. A branch keeps its separators: it is a level of
 * the tree followed by `/`, and holds that level's topic and every topic below it, as MQTT's `#`
 * does: `a/b/` is a/b and a/b/…; `/` (the empty first level of `/x`) is every topic starting with
 * `/`; `cls//` (the empty level of `cls//double`) is cls/ and cls//…, not cls/a. A branch without
 * its final `/` names the same level (`a/b`). '' is no branch: it holds nothing, never everything.
 */
export function branchFilter(branch: string): string | null {
  // No topic holds a wildcard: a branch with one names no level (`+/` would be every level).
  if (!branch || /[+#\u0000]/.test(branch)) return null;
  return branch.endsWith('/') ? `${branch}#` : `${branch}/#`;
}

/** `topic` is in `branch` (see branchFilter). */
export function isUnder(topic: string, branch: string): boolean {
  const f = branchFilter(branch);
  return f !== null && matches(f, topic);
}

/** The branch of a level of the tree (`a/b`, '' for the empty first level): the level and its `/`. */
export function branchOf(level: string): string {
  return `${level}/`;
}

// What the server sends the page (tools/view/explorer-server.ts): the settings, the tree in pieces,
// then batches.

/** What the page is told first: the settings and the counts; the topics follow in pieces. */
export interface ExplorerHello {
  filters: string[];
  where: string;
  lang?: 'fr' | 'en';
  limits: Limits;
  seen: number;
  droppedTopics: number;
  droppedMessages: number;
}

/** A piece of the tree (event `topics`): some of its nodes, each with its history. */
export type ExplorerPiece = { topic: string; count: number; retained: boolean; history: Seen[] }[];

/** A batch: the messages since the last one, and how many were dropped on the way. */
export interface ExplorerBatch {
  messages: TopicMessage[];
  /** Messages not sent to the pages (a batch was full). */
  dropped: number;
  /** The server's tree: messages seen, topics and messages it did not keep. */
  seen: number;
  droppedTopics: number;
  droppedMessages: number;
  connected: boolean;
}

/**
 * Why the broker did not say what it holds retained under a branch (GET /retained and POST /clear
 * answer it as `{ problem }`, 503 or 502): the page words it. `closed`: the question's own
 * connection ended, for the client's reason (its kind, when it has one).
 */
export type RetainedProblem =
  | { code: 'offline' }
  | { code: 'timeout'; seconds: number }
  | { code: 'refused'; filter: string }
  | { code: 'closed'; kind?: CloseKind; reason: string };
