// The explorer's model: every topic seen under a filter, with its message count, its last value,
// whether the broker keeps it retained, and its last messages. Pure and bounded, the same in the
// server (tools/view/explorer-server.ts) and in the page (tools/web/explorer): at most `maxTopics`
// topics (a new topic beyond is counted, not kept), `maxHistory` messages a topic, and each value
// cut to VALUE_CHARS characters. Time is passed in.

/** A value is kept to this many characters (its size is kept whole). */
export const VALUE_CHARS = 200;

export interface Limits {
  /** Topics kept at most (default 2,000). */
  maxTopics: number;
  /** Messages kept a topic (default 50). */
  maxHistory: number;
}

export const DEFAULT_LIMITS: Limits = { maxTopics: 2000, maxHistory: 50 };

/** One message as the explorer keeps it (and as the server sends it to the page). */
export interface Seen {
  topic: string;
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
}

export interface TopicNode {
  topic: string;
  count: number;
  last: Seen;
  /** The broker holds a retained message on it (the last one seen said so, and was not empty). */
  retained: boolean;
  /** Oldest first, maxHistory at most. */
  history: Seen[];
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

  /** One message. False when its topic was not kept (the tree is full). */
  add(m: Seen): boolean {
    this.messages++;
    let node = this.topics.get(m.topic);
    if (!node) {
      if (this.topics.size >= this.limits.maxTopics) {
        this.droppedMessages++;
        if (!this.dropped.has(m.topic) && this.dropped.size < this.limits.maxTopics) this.dropped.add(m.topic);
        this.droppedTopics = this.dropped.size;
        return false;
      }
      node = { topic: m.topic, count: 0, last: m, retained: false, history: [] };
      this.topics.set(m.topic, node);
    }
    node.count++;
    node.last = m;
    // A retained message says the broker holds it; an empty one (retained or live) clears it.
    if (m.retain) node.retained = m.size > 0;
    else if (m.size === 0) node.retained = false;
    node.history.push(m);
    if (node.history.length > this.limits.maxHistory) node.history.splice(0, node.history.length - this.limits.maxHistory);
    return true;
  }

  /** The topics under `branch` (a topic, or a prefix ending in `/`; '' for all) that hold a retained message. */
  retainedUnder(branch: string): string[] {
    const out: string[] = [];
    for (const n of this.topics.values()) if (n.retained && isUnder(n.topic, branch)) out.push(n.topic);
    return out;
  }
}

/** `topic` is `branch` itself or below it (`a/b` is under `a/b`, `a/b/`, `a/`, ''; `a/bc` is not under `a/b`). */
export function isUnder(topic: string, branch: string): boolean {
  if (!branch) return true;
  if (branch.endsWith('/')) return topic.startsWith(branch);
  return topic === branch || topic.startsWith(`${branch}/`);
}

// What the server sends the page (tools/view/explorer-server.ts): the tree first, then batches.

/** What the page is told first: the whole tree and the settings. */
export interface ExplorerHello {
  filters: string[];
  where: string;
  lang?: 'fr' | 'en';
  limits: Limits;
  topics: { topic: string; count: number; retained: boolean; history: Seen[] }[];
  seen: number;
  droppedTopics: number;
  droppedMessages: number;
}

/** A batch: the messages since the last one, and how many were dropped on the way. */
export interface ExplorerBatch {
  messages: Seen[];
  /** Messages not sent to the pages (a batch was full). */
  dropped: number;
  /** The server's tree: messages seen, topics and messages it did not keep. */
  seen: number;
  droppedTopics: number;
  droppedMessages: number;
  connected: boolean;
}
