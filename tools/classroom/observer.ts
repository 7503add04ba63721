// The class seen from the broker, as an ordinary MQTT subscriber, so that it works for real boards
// as well as simulated ones: a pair is whatever publishes on `<prefix>hello` and
// `<prefix>notification` (src/apps/pair-protocol.ts), followed within bounds.

import type { Endpoint, Host } from '../../src/host';
import { MqttClient, MqttError, payloadText } from '../../src/mqtt/client';
import { HELLO, NOTIFICATION } from '../../src/apps/pair-protocol';
import { LATE_AFTER, lookOf, sortTiles, tileOf } from './look';
import { activityPrefix, recordActivity } from './activities';
import { newPair, recordRound } from './pair-record';
import { BoardRuns } from './board-runs';
import type { BrokerTrouble, ObservedPair, TileView, ViewSnapshot } from './view-model';
import type { CloseKind } from '../../src/host';

/** start()'s failure when the broker refused a filter (SUBACK 0x80): the commands word it from `filter`. */
export class SubscriptionRefused extends Error {
  constructor(readonly filter: string) {
    super(`the broker refused the subscription to ${filter}: check the broker's ACL`);
    this.name = 'SubscriptionRefused';
  }
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
  /** A roster pair never heard stays amber this long (ms) after the start, then red. Default 5 min. */
  lateAfter?: number;
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
  /** What each pair's boards said they run (`<prefix>board/<role>`), IGNORED_KEPT prefixes at most. */
  readonly runs = new BoardRuns(IGNORED_KEPT);
  /** The last connection problem, cleared once connected again (the client's English), and its kind and CONNACK code for the commands' words. */
  problem = '';
  problemKind?: CloseKind;
  problemCode?: number;
  /** The last warning from the client (a message too large skipped), for the page. */
  warning = '';
  everSubscribed = false;
  onPairMessage?: (pair: ObservedPair, leaf: 'hello' | 'notification', text: string) => void;
  onForeign?: (topic: string, text: string, retained: boolean) => void;
  /** A live hello or notification of a pair not followed (one too many, or not the classroom's). */
  onStranger?: (topic: string, text: string) => void;
  private readonly maxPairs: number;

  /** `host` gives the connection and the clock: the Node host, or a virtual one in tests. */
  constructor(
    readonly endpoint: Endpoint,
    readonly options: ObserverOptions,
    private readonly host: Host,
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

  /** The broker connection while it is not connected, as the views word it; undefined while connected. */
  trouble(): BrokerTrouble | undefined {
    if (this.client.connected) return undefined;
    return this.problem ? { kind: this.problemKind, code: this.problemCode, reason: this.problem } : { reason: '' };
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
            // (A SUBACK 0x80 comes with an error too: the refusal first.)
            if (qos === 0x80 || err) {
              const e = qos === 0x80 ? new SubscriptionRefused(f) : new MqttError(err!.message, undefined, (err as MqttError).kind);
              this.problem = e.message;
              return reject(e);
            }
            if (++granted === this.filters.length) {
              this.everSubscribed = true;
              resolve();
            }
          });
        }
      };
      c.onClose = (reason, _retryIn, kind, code) => {
        this.problem = reason;
        this.problemKind = kind;
        this.problemCode = code;
        if (first) {
          first = false;
          // With its kind and CONNACK code: the commands word it in their language.
          reject(new MqttError(reason, code, kind));
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
    const now = this.now();
    p = newPair(prefix, now, expected, kept, this.online.has(prefix));
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
    // A board saying what it runs: a fact for its pair's tile, neither a round nor an activity.
    if (this.runs.message(topic, text)) return;
    const slash = topic.lastIndexOf('/');
    const leaf = topic.slice(slash + 1);
    const prefix = topic.slice(0, slash + 1);
    if (leaf !== HELLO && leaf !== NOTIFICATION) {
      // Another activity under a pair's prefix (the sensor's retained values…): shown, never judged.
      // The students' page says "online" on <prefix>status while its student is there.
      if (leaf === 'status') this.status(prefix, text === 'online');
      // The chat's topic is the student's name itself (`<class>/alice`): alice's prefix, slash added.
      const p = this.owner(topic) ?? this.pairs.get(`${topic}/`) ?? (retained ? undefined : this.activityPair(topic));
      if (p) {
        p.other++;
        if (topic === `${p.prefix}status`) {
          p.present = text === 'online';
          p.page = true;
        }
        if (!retained) recordActivity(p, topic, text, this.now());
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
    recordRound(p, leaf, text, this.now());
    this.heard(p);
    this.onPairMessage?.(p, leaf, text);
  }

  /** The pair a live message of another activity belongs to, made if new (activities.ts). Without a
   *  class, only pairs already known (by their hellos) get such messages. */
  private activityPair(topic: string): ObservedPair | null {
    const prefix = activityPrefix(this.options.school, this.options.className, topic);
    return prefix === null ? null : this.ensure(prefix);
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
    for (const p of this.pairs.values())
      if (!this.heardOnce.has(p.prefix)) {
        const tile = tileOf(p, lookOf(p, now, this.options.interval, this.options.lateAfter ?? LATE_AFTER), now);
        const runs = this.runs.of(p.prefix);
        if (runs) tile.runs = runs;
        tiles.push(tile);
      }
    return sortTiles(tiles);
  }
}
