// The MQTT 3.1.1 client: one object per broker, alive across reconnections. It owns the
// session (packet identifiers, QoS 1/2 in flight both ways, subscriptions, the offline queue)
// and talks to the world only through the Host, so a virtual host makes every test deterministic.

import type { CloseKind, Connection, ConnectionEvents, Endpoint, Host, TimerHandle } from '../host';
import {
  CONNACK,
  CONNECT,
  DISCONNECT,
  Decoder,
  PINGREQ,
  PINGRESP,
  ProtocolError,
  PUBACK,
  PUBCOMP,
  PUBLISH,
  PUBREC,
  PUBREL,
  SUBACK,
  SUBSCRIBE,
  UNSUBACK,
  UNSUBSCRIBE,
  decodeUtf8,
  encode,
  encodePublishHead,
  encodeUtf8,
  nameError,
  utf8Length,
  wellFormed,
  type Packet,
  type Publish,
  type QoS,
  type Skipped,
  type Subscribe,
  type Unsubscribe,
} from './codec';
import { filterError, matches, topicError } from './topic';

export type { QoS } from './codec';
export type Message = Publish;
export type Done = (error?: Error) => void;
export type MessageHandler = (message: Message) => void;

export interface ClientOptions {
  /** '' asks the broker to assign one (clean session only). */
  clientId: string;
  /** Start a new session (true, the default) or resume the broker's stored one (false). */
  clean?: boolean;
  /** Seconds, 1 to 65535; 0 turns keepalive off. Default 60. */
  keepalive?: number;
  username?: string;
  password?: string;
  will?: { topic: string; payload: string | Uint8Array; qos?: QoS; retain?: boolean };
  /** Largest packet accepted from the broker, in bytes. Default 1 MiB. A PUBLISH above it is
   *  skipped (acknowledged, counted in `skipped`, reported once per topic), never buffered. */
  maxPacketSize?: number;
  /** Milliseconds to wait for CONNACK, and for each SUBACK or UNSUBACK. Default 10 s. */
  connectTimeout?: number;
  /** Reconnect backoff in ms, doubled after each failure up to max, with ±20% jitter. Default
   *  { min: 1000, max: 30000 }; false: never reconnect. */
  reconnect?: { min: number; max: number } | false;
  /** Bounds on messages held for the broker: QoS 1/2 until acknowledged, QoS 0 queued while
   *  offline; bytes count topic and payload. Default { messages: 100, bytes: 16384 }, for a board.
   *  When full, the oldest queued QoS 0 messages are dropped to make room; if that is not enough,
   *  the new message is refused. An accepted QoS 1/2 message is never dropped. */
  queue?: { messages: number; bytes: number };
  /** QoS 1/2 messages sent and not yet acknowledged at most; the others wait their turn, in order.
   *  Default 20, Mosquitto's own max_inflight_messages: a broker drops what comes beyond its
   *  window. 0: no limit. */
  inflight?: number;
  /** What the client calls itself in what it reports ("above the 16 KB limit of this board"). */
  who?: string;
}

// The client's states, as numbers: they are compared on every packet and timer.
const IDLE = 0,
  CONNECTING = 1,
  OPEN = 2,
  WAITING = 3,
  ENDED = 4;

const DEFAULT_RECONNECT = { min: 1000, max: 30000 };
const DEFAULT_QUEUE = { messages: 100, bytes: 16384 };
const NO_IDS = 'all 65535 packet identifiers are in use';
/** Payloads from this many bytes are not copied into their packet when the host has writev. */
const LARGE_PAYLOAD = 1024;
/** A connection has proved itself after this long at least (ms) when keepalive is off. */
const PROOF_WITHOUT_KEEPALIVE = 60000;

/** Spec names of CONNACK refusals (MQTT 3.1.1 table 3.1). */
export const CONNACK_ERRORS = ['', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

export class MqttError extends Error {
  /** The CONNACK return code when the broker refused the connection. */
  code?: number;
  /** Why the connection ended, when it did (src/host.ts). */
  kind?: CloseKind;
  constructor(message: string, code?: number, kind?: CloseKind) {
    super(message);
    this.code = code;
    if (kind) this.kind = kind;
  }
}
nameError(MqttError, 'MqttError');

interface Outgoing {
  packet: Publish;
  size: number;
  done?: Done;
  sent: boolean;
  released: boolean;
}
interface Request {
  packet: Subscribe | Unsubscribe;
  done?: (error?: Error, granted?: number[]) => void;
  sentAt: number;
}
/** A subscription: its QoS alone when it has no handler (the usual case: one object less). */
type Subscription = QoS | { qos: QoS; handler: MessageHandler };

// flags
const READY = 1,
  PROVEN = 2;

/**
 * One connection: the host's events and its own decoder's packets reach the client only while it
 * is the client's current link, so a stale connection, or packets left in a chunk after a drop,
 * change nothing. One object with methods, not closures: on XS each closure costs RAM.
 */
class Link extends Decoder implements ConnectionEvents {
  conn: Connection | null = null;
  constructor(
    private client: MqttClient,
    maxPacketSize: number,
  ) {
    super(null, maxPacketSize);
  }
  connected() {
    if (this.client.link === this) this.client.linkOpened();
  }
  data(chunk: Uint8Array) {
    if (this.client.link !== this) return;
    this.client.heard();
    try {
      this.push(chunk);
    } catch (e) {
      this.client.linkBroken(e as Error);
    }
  }
  alive() {
    if (this.client.link === this) this.client.heard();
  }
  closed(reason?: string, kind?: CloseKind) {
    if (this.client.link === this) this.client.linkLost(reason || 'connection closed by the broker', kind);
  }
  protected override packet(p: Packet) {
    if (this.client.link === this) this.client.receive(p);
  }
  protected override skipped(s: Skipped) {
    if (this.client.link === this) this.client.skip(s, this.maxPacketSize);
  }
}

export class MqttClient {
  // Callbacks: assign a function, or override in a subclass (the firmware does: no closures).
  onConnect(_sessionPresent: boolean): void {}
  /** The connection is up and every subscription sent on it is acknowledged (once a connection). */
  onReady(): void {}
  /**
   * A connection ended or an attempt failed. `retryIn` is the delay before the next attempt, or -1;
   * `kind` says why as code acts on it (src/host.ts), `code` is the CONNACK's when it refused.
   */
  onClose(_reason: string, _retryIn: number, _kind: CloseKind, _code?: number): void {}
  onMessage(_message: Message): void {}
  /** A message was dropped because the queue was full (the reason says which, and why). */
  onDrop(_reason: string): void {}
  /** Something the user should know that is not an error, said once: a QoS the broker lowered,
   *  a message too large for this client skipped. */
  onWarning(_message: string): void {}

  /** True between an accepted CONNACK and the end of that connection. */
  get connected(): boolean {
    return this.state === OPEN;
  }
  /** Consecutive failed attempts since a connection last proved itself: its subscriptions
   *  acknowledged and one keepalive period up. A broker that accepts then drops counts. */
  failures = 0;
  /** Messages dropped because the queue was full: refused, or queued QoS 0 replaced by newer ones. */
  get dropped(): number {
    return this.droppedCount ?? 0;
  }
  /** Messages from the broker above maxPacketSize, skipped. */
  get skipped(): number {
    return this.skippedCount ?? 0;
  }
  // (Counts that stay 0 on most boards: no field until the first, as the queues below.)
  declare private droppedCount?: number;
  declare private skippedCount?: number;

  /** The current connection. @internal for Link: not part of the API (README, "The client API"). */
  link: Link | null = null;
  // What a board keeps in RAM is these fields: each collection is made when needed and let go
  // once empty (null), so a board that only sends QoS 0 keeps none but its subscriptions.
  // (`declare`d, no field until first needed: each field takes RAM on a board, and a QoS 0 board
  // that never publishes offline nor gets a warning never makes these four.)
  declare private outgoing?: Map<number, Outgoing> | null; // QoS 1/2 in flight (sent, or to send on connecting), in order
  declare private waiting?: Outgoing[] | null; // QoS 1/2 beyond the in-flight window, no identifier yet
  declare private offline?: Outgoing[] | null; // QoS 0 waiting for a connection
  declare private queuedBytes?: number; // of the queues' messages (undefined: none was ever queued)
  private requests: Map<number, Request> | null = null; // SUBSCRIBE and UNSUBSCRIBE waiting for their ack, in order
  private subs = new Map<string, Subscription>();
  private incomingQos2: Set<number> | null = null; // received, PUBREC sent, PUBREL not yet
  declare private said?: Set<string>; // warnings already given
  private nextId = 0;
  private lastSent = 0;
  private lastReceived = 0; // bytes, not packets: a large packet arriving slowly is a sign of life
  private pingSentAt = 0; // the oldest PINGREQ not answered yet
  private probedAt = 0; // when the connection was last asked to prove the broker is there (probe)
  private openedAt = 0;
  private flags = 0; // READY: every SUBSCRIBE of this connection acknowledged; PROVEN: and up a keepalive period
  private timer: TimerHandle | null = null;
  private state = IDLE;

  private options: ClientOptions;

  constructor(
    readonly host: Host,
    public endpoint: Endpoint,
    options: ClientOptions,
  ) {
    this.options = options;
    const problem = optionsError(options, endpoint);
    if (problem) throw new MqttError(problem);
  }

  /** Connects, and keeps reconnecting unless `reconnect` is false. */
  connect(): void {
    if (this.state === CONNECTING || this.state === OPEN) return;
    this.state = CONNECTING;
    this.cancel();
    const link = new Link(this, this.options.maxPacketSize ?? 1 << 20);
    this.link = link;
    this.lastReceived = this.host.now();
    link.conn = this.host.connect(this.endpoint, link);
    this.arm(this.host.now() + this.timeout());
  }

  // ---- what a Link reports: public for Link alone, marked @internal (not part of the API)

  /** The connection opened: CONNECT goes out. @internal for Link. */
  linkOpened(): void {
    const o = this.options;
    const will = o.will;
    const pass = o.password ?? this.endpoint.password;
    this.send({
      type: CONNECT,
      clientId: this.clientId,
      clean: o.clean ?? true,
      keepalive: o.keepalive ?? 60,
      username: o.username ?? this.endpoint.username,
      password: pass === undefined ? undefined : encodeUtf8(pass),
      will: will && { topic: will.topic, payload: bytes(will.payload), qos: will.qos ?? 0, retain: will.retain ?? false },
    });
  }

  /** The stream broke the protocol, or handling a packet threw. @internal for Link. */
  linkBroken(e: Error): void {
    this.drop(e instanceof ProtocolError ? `protocol error: ${e.message}` : `error: ${e.message}`, 'protocol');
  }

  /** The host's connection closed; without a kind, it dropped once open, or never opened.
   *  @internal for Link. */
  linkLost(reason: string, kind?: CloseKind): void {
    this.drop(reason, kind ?? (this.connected ? 'lost' : 'unreachable'));
  }

  /** A PUBLISH above maxPacketSize went by: acknowledged so that the broker does not send it
   *  again, counted, and said once per topic. Never delivered. @internal for Link. */
  skip(s: Skipped, limit: number): void {
    if (!this.connected) return this.drop('protocol error: PUBLISH before CONNACK', 'protocol');
    this.skippedCount = this.skipped + 1;
    if (s.qos === 1) this.send({ type: PUBACK, id: s.id });
    else if (s.qos === 2) {
      (this.incomingQos2 ??= new Set()).add(s.id);
      this.send({ type: PUBREC, id: s.id });
    }
    const topic = payloadText(s.topic) + (s.truncated ? '…' : '');
    this.sayOnce(
      `skip ${topic}`,
      `message on ${topic} of ${grouped(s.size)} bytes skipped: above the ${sizeText(limit)} limit of this ${this.options.who ?? 'client'}`,
    );
  }

  /** Sends DISCONNECT (so the will is not published), closes, and stops reconnecting.
   *  Whatever still waits for the broker (requests, unacknowledged and queued messages) fails. */
  end(): void {
    if (this.link && this.connected) this.send({ type: DISCONNECT });
    this.state = ENDED;
    this.close();
    this.cancel();
    const err = new MqttError('client ended');
    const waiting = [...(this.requests?.values() ?? []), ...(this.outgoing?.values() ?? []), ...(this.waiting ?? []), ...(this.offline ?? [])];
    this.requests = this.outgoing = this.waiting = this.offline = null;
    if (this.queuedBytes) this.queuedBytes = 0;
    for (const w of waiting) w.done?.(err);
  }

  /** Closes the connection and waits for `resume()` (the WiFi is gone). Session state is kept. */
  pause(reason: string): void {
    if (this.state === ENDED) return;
    const wasUp = this.state === OPEN || this.state === CONNECTING;
    this.state = IDLE;
    this.close();
    this.cancel();
    if (wasUp) this.onClose(reason, -1, 'lost');
  }

  resume(): void {
    if (this.state === IDLE || this.state === WAITING) {
      this.state = IDLE;
      this.connect();
    }
  }

  publish(topic: string, payload: string | Uint8Array, opts: { qos?: QoS; retain?: boolean } = {}, done?: Done): void {
    const err = topicError(topic) || qosError(opts.qos);
    if (err) return fail(done, new MqttError(err));
    const qos = opts.qos ?? 0;
    const packet: Publish = { type: PUBLISH, topic, payload: bytes(payload), qos, retain: !!opts.retain, dup: false, id: 0 };
    if (qos === 0 && this.connected) {
      this.send(packet);
      done?.();
      return;
    }
    const size = packet.payload.length + topic.length;
    if (this.state === ENDED || (qos === 0 && this.options.reconnect === false)) return fail(done, new MqttError('not connected'));
    const q = this.options.queue ?? DEFAULT_QUEUE;
    const full = (n: number, bytes: number) => this.pending - n >= q.messages || (this.queuedBytes ?? 0) - bytes + size > q.bytes;
    if (full(0, 0)) {
      // Make room by dropping the oldest queued QoS 0 messages, if that is enough; else refuse this one.
      const offline = this.offline ?? [];
      let n = 0,
        bytes = 0;
      while (n < offline.length && full(n, bytes)) bytes += offline[n++].size;
      const why = `queue full (${q.messages} messages, ${q.bytes} bytes)`;
      if (full(n, bytes)) return this.dropOne(done, `${why}: message to ${topic} dropped`, true);
      for (const o of offline.splice(0, n)) {
        this.queuedBytes = (this.queuedBytes ?? 0) - o.size;
        this.dropOne(o.done, `${why}: oldest QoS 0 message to ${o.packet.topic} dropped for a newer one`);
      }
    }
    const entry: Outgoing = { packet, size, done, sent: false, released: false };
    this.queuedBytes = (this.queuedBytes ?? 0) + size;
    if (qos === 0) {
      (this.offline ??= []).push(entry);
      return;
    }
    (this.waiting ??= []).push(entry);
    this.fill();
  }

  /** Subscribes; `handler` gets the messages matching this filter. `done` gets the QoS the broker
   *  granted (which may be lower than asked: a warning says so too). */
  subscribe(filter: string, opts: { qos?: QoS; handler?: MessageHandler } = {}, done?: (error?: Error, qos?: number) => void): void {
    const err = filterError(filter) || qosError(opts.qos);
    if (err) return fail(done, new MqttError(err));
    const qos = opts.qos ?? 0;
    this.subs.set(filter, opts.handler ? { qos, handler: opts.handler } : qos);
    this.request({ type: SUBSCRIBE, id: 0, subscriptions: [{ filter, qos }] }, (e, granted) => {
      const g = granted?.[0];
      if (!e && g === 0x80) {
        this.subs.delete(filter);
        e = new MqttError(`subscription to ${filter} refused by the broker`);
      }
      done?.(e, g);
    });
  }

  unsubscribe(filter: string, done?: Done): void {
    this.subs.delete(filter);
    this.request({ type: UNSUBSCRIBE, id: 0, filters: [filter] }, done);
  }

  /** The client id the CONNECT carries. */
  get clientId(): string {
    return this.options.clientId;
  }

  /** The topic filters subscribed to (less those the broker refused), in order. */
  get filters(): string[] {
    return Array.from(this.subs.keys());
  }

  /** Messages held for the broker: in flight and queued. */
  get pending(): number {
    return (this.outgoing?.size ?? 0) + (this.waiting?.length ?? 0) + (this.offline?.length ?? 0);
  }

  // ---- inside

  private request(packet: Subscribe | Unsubscribe, done?: Request['done']) {
    if (this.state === ENDED) return fail(done, new MqttError('client ended'));
    if (!(packet.id = this.allocateId())) return fail(done, new MqttError(NO_IDS));
    const r: Request = { packet, done, sentAt: 0 };
    (this.requests ??= new Map()).set(packet.id, r);
    if (this.connected) {
      if (packet.type === SUBSCRIBE) this.flags &= ~READY;
      this.sendRequest(r);
    }
  }

  private sendRequest(r: Request) {
    r.sentAt = this.host.now();
    this.send(r.packet);
    this.arm(this.deadline());
  }

  /** Moves waiting QoS 1/2 messages into the in-flight window, and sends them when connected. */
  private fill() {
    const max = this.options.inflight ?? 20;
    const waiting = this.waiting;
    while (waiting?.length && (!max || (this.outgoing?.size ?? 0) < max)) {
      const id = this.allocateId();
      const o = waiting.shift()!;
      if (!id) {
        // Only without a window: the oldest waiting message is refused, never silently held.
        this.queuedBytes = (this.queuedBytes ?? 0) - o.size;
        this.dropOne(o.done, NO_IDS);
        continue;
      }
      o.packet.id = id;
      (this.outgoing ??= new Map()).set(id, o);
      if (this.connected) {
        o.sent = true;
        this.send(o.packet);
      }
    }
    if (waiting && !waiting.length && this.waiting === waiting) this.waiting = null;
  }

  /** A packet identifier not in use, or 0 when all 65535 are. */
  private allocateId(): number {
    for (let i = 0; i < 65535; i++) {
      this.nextId = this.nextId === 65535 ? 1 : this.nextId + 1;
      if (!this.outgoing?.has(this.nextId) && !this.requests?.has(this.nextId)) return this.nextId;
    }
    return 0;
  }

  private send(p: Packet) {
    const conn = this.link?.conn;
    if (!conn) return;
    this.lastSent = this.host.now();
    // A large payload goes as it is, after its header, where the host can write both at once.
    if (p.type === PUBLISH && p.payload.length >= LARGE_PAYLOAD && conn.writev) conn.writev(encodePublishHead(p), p.payload);
    else conn.write(encode(p));
  }

  /** Bytes arrived, or a probe answered: the link is alive. @internal for Link. */
  heard(): void {
    this.lastReceived = this.host.now();
  }

  /** A packet from the current link. @internal for Link. */
  receive(p: Packet): void {
    if (!this.connected) {
      if (p.type !== CONNACK) return this.drop(`protocol error: packet type ${p.type} before CONNACK`, 'protocol');
      if (p.returnCode) {
        const name = CONNACK_ERRORS[p.returnCode] || `refused with code ${p.returnCode}`;
        return this.drop(`connection refused: ${name}`, 'refused', p.returnCode);
      }
      return this.opened(p.sessionPresent);
    }
    switch (p.type) {
      case PUBLISH: {
        if (p.qos === 2) {
          const seen = !!this.incomingQos2?.has(p.id);
          (this.incomingQos2 ??= new Set()).add(p.id);
          this.send({ type: PUBREC, id: p.id });
          if (!seen) this.deliver(p);
          return;
        }
        this.deliver(p);
        if (p.qos === 1) this.send({ type: PUBACK, id: p.id });
        return;
      }
      case PUBREL:
        this.incomingQos2?.delete(p.id);
        return this.send({ type: PUBCOMP, id: p.id });
      case PUBACK:
      case PUBCOMP: {
        const o = this.outgoing?.get(p.id);
        if (!o) return;
        if (o.packet.qos === 2 && p.type === PUBACK && !o.released) {
          // A broker without QoS 2 (RabbitMQ) acknowledges it as QoS 1: delivered at least once.
          this.sayOnce('puback2', 'the broker acknowledged QoS 2 with PUBACK: it supports QoS 1 at most');
          return this.settle(p.id, o);
        }
        if (o.packet.qos === (p.type === PUBACK ? 1 : 2)) this.settle(p.id, o);
        return;
      }
      case PUBREC: {
        const o = this.outgoing?.get(p.id);
        if (o && o.packet.qos === 2) o.released = true;
        return this.send({ type: PUBREL, id: p.id });
      }
      case SUBACK:
      case UNSUBACK: {
        const r = this.requests?.get(p.id);
        const asked = r?.packet.type === SUBSCRIBE ? r.packet.subscriptions : null;
        const name = p.type === SUBACK ? 'SUBACK' : 'UNSUBACK';
        if (!r?.sentAt || (p.type === SUBACK) !== !!asked)
          return this.drop(
            `protocol error: ${name} for packet identifier ${p.id}, which no ${p.type === SUBACK ? 'SUBSCRIBE' : 'UNSUBSCRIBE'} waits for`,
            'protocol',
          );
        if (asked && p.type === SUBACK && p.granted.length !== asked.length) {
          return this.drop(`protocol error: SUBACK with ${p.granted.length} return codes for ${asked.length} topic filters`, 'protocol');
        }
        this.forgetRequest(p.id);
        if (asked && p.type === SUBACK) {
          asked.forEach((s, i) => {
            const g = p.granted[i];
            if (g === 0x80) {
              if (!r.done) this.sayOnce(`refused ${s.filter}`, `subscription to ${s.filter} refused by the broker`);
            } else if (g < s.qos)
              this.sayOnce(
                `granted ${s.filter} ${g}`,
                `the broker granted QoS ${g} for ${s.filter} (asked ${s.qos})${s.qos === 2 ? ': messages may come twice' : ''}`,
              );
          });
        }
        r.done?.(undefined, p.type === SUBACK ? p.granted : undefined);
        this.checkReady();
        return;
      }
      case PINGRESP:
        this.pingSentAt = 0;
        return;
    }
    this.drop(`protocol error: unexpected packet type ${p.type} from the broker`, 'protocol');
  }

  private deliver(m: Message) {
    // A mistake in the application's handler must not cost the connection.
    try {
      for (const [filter, s] of this.subs) if (typeof s === 'object' && matches(filter, m.topic)) s.handler(m);
      this.onMessage(m);
    } catch (e) {
      this.host.log(`Error in a message handler for ${m.topic}: ${(e as Error).message}`);
    }
  }

  /** Tells onWarning once per `key` for the client's life (at most 100 keys kept, then anew). */
  private sayOnce(key: string, message: string) {
    const said = (this.said ??= new Set());
    if (said.has(key)) return;
    if (said.size >= 100) said.clear();
    said.add(key);
    this.onWarning(message);
  }

  /** Counts a dropped message and tells its publisher; `refused` throws when there is no callback. */
  private dropOne(done: Done | undefined, reason: string, refused = false) {
    this.droppedCount = this.dropped + 1;
    this.onDrop(reason);
    const err = new MqttError(reason);
    if (refused) fail(done, err);
    else done?.(err);
  }

  private settle(id: number, o: Outgoing) {
    const outgoing = this.outgoing!;
    outgoing.delete(id);
    if (!outgoing.size) this.outgoing = null;
    this.queuedBytes = (this.queuedBytes ?? 0) - o.size;
    this.fill();
    o.done?.();
  }

  private opened(sessionPresent: boolean) {
    // From now on a PUBLISH too large is skipped; before CONNACK any oversized packet is an error.
    this.link!.skipOversized = true;
    this.state = OPEN;
    this.pingSentAt = this.probedAt = 0;
    this.openedAt = this.host.now();
    this.flags = 0;
    // Requests and messages the broker has not acknowledged go again, oldest first.
    const requests = this.requests?.values() ?? [];
    for (const r of requests) this.sendRequest(r);
    if (!sessionPresent) {
      // The broker forgot our subscriptions and half-done QoS 2 receptions.
      this.incomingQos2 = null;
      const asked = new Set<string>();
      for (const r of this.requests?.values() ?? []) if (r.packet.type === SUBSCRIBE) for (const s of r.packet.subscriptions) asked.add(s.filter);
      const subscriptions: Subscribe['subscriptions'] = [];
      for (const [filter, s] of this.subs) if (!asked.has(filter)) subscriptions.push({ filter, qos: typeof s === 'object' ? s.qos : s });
      if (subscriptions.length) this.request({ type: SUBSCRIBE, id: 0, subscriptions });
    }
    for (const [id, o] of this.outgoing ?? []) {
      if (o.released) this.send({ type: PUBREL, id });
      else {
        o.packet.dup = o.sent;
        o.sent = true;
        this.send(o.packet);
      }
    }
    this.fill();
    const queued = this.offline ?? [];
    if (this.offline) this.offline = null;
    for (const o of queued) {
      this.queuedBytes = (this.queuedBytes ?? 0) - o.size;
      this.send(o.packet);
      o.done?.();
    }
    this.arm(this.deadline());
    this.onConnect(sessionPresent);
    this.checkReady();
  }

  /** onReady once no SUBSCRIBE waits for its SUBACK on this connection. */
  private checkReady() {
    if (this.flags & READY || !this.connected) return;
    for (const r of this.requests?.values() ?? []) if (r.packet.type === SUBSCRIBE) return;
    this.flags |= READY;
    this.prove(this.host.now());
    this.onReady();
  }

  /** The connection has proved itself (ready, and up a keepalive period): failures start again from 0. */
  private prove(now: number) {
    if (this.flags !== READY || now - this.openedAt < this.proofTime()) return;
    this.flags |= PROVEN;
    this.failures = 0;
  }

  /** A request acknowledged or given up: the map goes once empty. */
  private forgetRequest(id: number) {
    const requests = this.requests!;
    requests.delete(id);
    if (!requests.size) this.requests = null;
  }

  private proofTime(): number {
    return (this.options.keepalive ?? 60) * 1000 || PROOF_WITHOUT_KEEPALIVE;
  }

  private timeout(): number {
    return this.options.connectTimeout ?? 10000;
  }

  /** When the timer must next look: a ping, a missing PINGRESP, SUBACK or UNSUBACK, the proof. */
  private deadline(): number {
    let at = 0;
    const sooner = (t: number) => {
      if (t && (!at || t < at)) at = t;
    };
    const k = (this.options.keepalive ?? 60) * 1000;
    if (k) {
      // Ping when we have not sent for a keepalive (the broker's rule, even while a PINGRESP is
      // awaited: it may wait behind a large message) or not heard (to find a dead broker).
      sooner(this.lastSent + k);
      sooner(this.pingSentAt ? Math.max(this.pingSentAt, this.lastReceived, this.probedAt) + silence(k) : this.lastReceived + k);
    }
    for (const r of this.requests?.values() ?? [])
      if (r.sentAt) {
        sooner(r.sentAt + this.timeout());
        break;
      } // the oldest
    if (this.flags === READY) sooner(this.openedAt + this.proofTime());
    return at;
  }

  /** One timer serves the connect timeout, the pings, the requests' timeouts and the reconnect delay. */
  private arm(at: number) {
    this.cancel();
    if (at) this.timer = this.host.after(Math.max(0, at - this.host.now()), this);
  }

  private cancel() {
    if (this.timer) {
      this.host.cancel(this.timer);
      this.timer = null;
    }
  }

  /** The client's timer: the host calls it (a timer target, not a closure). @internal */
  fire(): void {
    this.timer = null;
    const now = this.host.now();
    if (this.state === WAITING) return this.connect();
    if (this.state === CONNECTING) return this.drop('no answer from the broker (CONNACK timeout)', 'timeout');
    if (this.state !== OPEN) return;
    for (const r of this.requests?.values() ?? []) {
      if (r.sentAt && now - r.sentAt >= this.timeout()) {
        const name = r.packet.type === SUBSCRIBE ? 'SUBACK' : 'UNSUBACK';
        return this.drop(`no ${name} from the broker within ${(this.timeout() / 1000).toFixed(0)} s`, 'timeout');
      }
      break; // the oldest one decides
    }
    this.prove(now);
    const k = (this.options.keepalive ?? 60) * 1000;
    if (k) {
      // The PINGRESP is late: the link is dead only if nothing at all came for a while. A
      // connection that hands over whole messages only (a browser's WebSocket) cannot show a large
      // one arriving: it is asked once a silence to prove, another way, that the broker is there.
      const heard = Math.max(this.pingSentAt, this.lastReceived);
      if (this.pingSentAt && now >= Math.max(heard, this.probedAt) + silence(k)) {
        const conn = this.link?.conn;
        if (!conn?.probe || this.probedAt > heard) {
          const quiet = heard > this.pingSentAt ? `, and nothing at all for ${((now - heard) / 1000).toFixed(1)} s` : '';
          return this.drop(`no PINGRESP within ${((now - this.pingSentAt) / 1000).toFixed(1)} s${quiet}: connection lost`, 'timeout');
        }
        this.probedAt = now;
        conn.probe();
      }
      if (now >= this.lastSent + k || (!this.pingSentAt && now >= this.lastReceived + k)) {
        this.send({ type: PINGREQ });
        if (!this.pingSentAt) this.pingSentAt = this.lastSent;
      }
    }
    this.arm(this.deadline());
  }

  /** Closes the connection; the caller has left state OPEN already (`connected` is false). */
  private close() {
    const c = this.link?.conn;
    this.link = null;
    for (const r of this.requests?.values() ?? []) r.sentAt = 0;
    c?.close();
  }

  /** Ends this connection and schedules the next attempt. */
  private drop(reason: string, kind: CloseKind, refusedCode = 0) {
    if (this.state === ENDED || this.state === IDLE) return this.close();
    const r = this.options.reconnect ?? DEFAULT_RECONNECT;
    this.state = r ? WAITING : IDLE;
    this.close();
    this.cancel();
    this.failures++;
    let retryIn = -1;
    if (r) {
      // A refusal will not fix itself quickly: go straight to the slowest pace.
      const base = refusedCode ? r.max : Math.min(r.max, r.min * 2 ** Math.min(this.failures - 1, 20));
      retryIn = Math.round(Math.min(r.max, base * (0.8 + 0.4 * this.host.random())));
      this.arm(this.host.now() + retryIn);
    } else {
      const err = new MqttError(reason, refusedCode || undefined, kind);
      const requests = this.requests?.values() ?? [];
      this.requests = null;
      for (const q of requests) q.done?.(err);
    }
    this.onClose(reason, retryIn, kind, refusedCode || undefined);
  }
}

/** How long a link may stay silent while a PINGRESP is awaited (ms): half the keepalive. */
function silence(k: number): number {
  return Math.max(k / 2, 500);
}

function bytes(p: string | Uint8Array): Uint8Array {
  return typeof p === 'string' ? encodeUtf8(p) : p;
}

function fail<E>(done: ((e: E) => void) | undefined, err: E) {
  if (!done) throw err;
  done(err);
}

function qosError(qos: unknown): string {
  return qos === undefined || qos === 0 || qos === 1 || qos === 2 ? '' : `QoS ${String(qos)} does not exist: use 0, 1 or 2`;
}

/** What is wrong with these options, or ''. Every field MQTT prefixes with a 2-byte length is checked. */
function optionsError(o: ClientOptions, e: Endpoint): string {
  if (!o.clientId && o.clean === false) return 'a persistent session (clean=false) needs a client id';
  const k = o.keepalive ?? 60;
  if (!Number.isInteger(k) || k < 0 || k > 65535) return `keepalive ${k} is not a number of seconds from 0 (off) to 65535`;
  const fields: [string, string | undefined][] = [
    ['client id', o.clientId],
    ['user name', o.username ?? e.username],
    ['password', o.password ?? e.password],
  ];
  for (const [what, v] of fields) {
    if (v === undefined) continue;
    if (!wellFormed(v)) return `the ${what} must be valid text: it holds a lone surrogate (half of a UTF-16 pair)`;
    if (utf8Length(v) > 65535) return `the ${what} is ${utf8Length(v)} bytes: MQTT allows 65535 at most`;
  }
  const w = o.will;
  if (w) {
    const err = topicError(w.topic) || qosError(w.qos);
    if (err) return `will: ${err}`;
    const n = typeof w.payload === 'string' ? utf8Length(w.payload) : w.payload.length;
    if (n > 65535) return `will: the payload is ${n} bytes: MQTT allows 65535 at most in a will`;
  }
  return '';
}

/** 2097176 as "2,097,176". */
function grouped(n: number): string {
  let s = String(n),
    out = '';
  while (s.length > 3) {
    out = `,${s.slice(-3)}${out}`;
    s = s.slice(0, -3);
  }
  return s + out;
}

/** A size for people: 16384 as "16 KB", 1048576 as "1 MB", others in bytes. */
function sizeText(n: number): string {
  if (n >= 1048576 && n % 1048576 === 0) return `${n / 1048576} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${grouped(n)} bytes`;
}

/** A payload as text for people: UTF-8, or '?' for bytes that are not. */
export function payloadText(p: Uint8Array): string {
  try {
    return decodeUtf8(p);
  } catch {
    return Array.from(p, (c) => (c < 128 && c ? String.fromCharCode(c) : '?')).join('');
  }
}
