// The MQTT 3.1.1 client: one object per broker, alive across reconnections. It owns the
// session (packet identifiers, QoS 1/2 in flight both ways, subscriptions, the offline queue)
// and talks to the world only through the Host, so a virtual host makes every test deterministic.

import type { Connection, ConnectionEvents, Endpoint, Host } from '../host';
import {
  CONNACK, CONNECT, DISCONNECT, Decoder, PINGREQ, PINGRESP, ProtocolError, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL,
  SUBACK, SUBSCRIBE, UNSUBACK, UNSUBSCRIBE, decodeUtf8, encode, encodeUtf8, nameError,
  type Packet, type Publish, type QoS, type Subscribe, type Unsubscribe,
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
  /** Seconds; 0 turns keepalive off. Default 60. */
  keepalive?: number;
  username?: string;
  password?: string;
  will?: { topic: string; payload: string | Uint8Array; qos?: QoS; retain?: boolean };
  /** Largest packet accepted from the broker, in bytes. Default 1 MiB. */
  maxPacketSize?: number;
  /** Milliseconds to wait for CONNACK. Default 10 s. */
  connectTimeout?: number;
  /** Reconnect backoff in ms, doubled after each failure up to max, with ±20% jitter. Default
   *  { min: 1000, max: 30000 }; false: never reconnect. */
  reconnect?: { min: number; max: number } | false;
  /** Bounds on messages held for the broker: QoS 1/2 until acknowledged, QoS 0 queued while
   *  offline; bytes count topic and payload. Default { messages: 100, bytes: 16384 }, for a board.
   *  When full, the oldest queued QoS 0 messages are dropped to make room; if that is not enough,
   *  the new message is refused. An accepted QoS 1/2 message is never dropped. */
  queue?: { messages: number; bytes: number };
}

// The client's states, as numbers: they are compared on every packet and timer.
const IDLE = 0, CONNECTING = 1, OPEN = 2, WAITING = 3, ENDED = 4;

const DEFAULT_RECONNECT = { min: 1000, max: 30000 };
const DEFAULT_QUEUE = { messages: 100, bytes: 16384 };
const NO_IDS = 'all 65535 packet identifiers are in use';

/** Spec names of CONNACK refusals (MQTT 3.1.1 table 3.1). */
export const CONNACK_ERRORS = ['', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

export class MqttError extends Error {
  /** The CONNACK return code when the broker refused the connection. */
  code?: number;
  constructor(message: string, code?: number) { super(message); this.code = code; }
}
nameError(MqttError, 'MqttError');

interface Outgoing { packet: Publish; size: number; done?: Done; sent: boolean; released: boolean }
interface Request { packet: Subscribe | Unsubscribe; done?: (error?: Error, granted?: number[]) => void }
interface Subscription { qos: QoS; handler?: MessageHandler }

/**
 * One connection: the host's events and its own decoder's packets reach the client only while it
 * is the client's current link, so a stale connection, or packets left in a chunk after a drop,
 * change nothing. One object with methods, not closures: on XS each closure costs RAM.
 */
class Link extends Decoder implements ConnectionEvents {
  conn: Connection | null = null;
  constructor(private client: MqttClient, maxPacketSize: number) { super(null, maxPacketSize); }
  connected() { if (this.client.link === this) this.client.linkOpened(); }
  data(chunk: Uint8Array) {
    if (this.client.link !== this) return;
    try { this.push(chunk); } catch (e) { this.client.linkBroken(e as Error); }
  }
  closed(reason?: string) { if (this.client.link === this) this.client.linkLost(reason || 'connection closed by the broker'); }
  protected override packet(p: Packet) { if (this.client.link === this) this.client.receive(p); }
}

export class MqttClient {
  // Callbacks: assign a function, or override in a subclass (the firmware does: no closures).
  onConnect(_sessionPresent: boolean): void {}
  /** A connection ended or an attempt failed. `retryIn` is the delay before the next attempt, or -1. */
  onClose(_reason: string, _retryIn: number): void {}
  onMessage(_message: Message): void {}
  /** A message was dropped because the queue was full (the reason says which, and why). */
  onDrop(_reason: string): void {}

  /** True between an accepted CONNACK and the end of that connection. */
  connected = false;
  /** Consecutive failed attempts since the last accepted connection. */
  failures = 0;
  /** Messages dropped because the queue was full: refused, or queued QoS 0 replaced by newer ones. */
  dropped = 0;

  /** The current connection; internal, for Link. */
  link: Link | null = null;
  #outgoing = new Map<number, Outgoing>(); // QoS 1/2 until acknowledged, in order
  #offline: Outgoing[] = []; // QoS 0 waiting for a connection
  #queuedBytes = 0;
  #requests = new Map<number, Request>();
  #subs = new Map<string, Subscription>();
  #incomingQos2: Set<number> | null = null; // received, PUBREC sent, PUBREL not yet; made when needed
  #nextId = 0;
  #lastSent = 0;
  #lastReceived = 0;
  #pingSentAt = 0;
  #cancelTimer: (() => void) | null = null;
  #state = IDLE;

  #options: ClientOptions;

  constructor(protected readonly host: Host, public endpoint: Endpoint, options: ClientOptions) {
    this.#options = options;
    if (!options.clientId && options.clean === false) throw new MqttError('a persistent session (clean=false) needs a client id');
    if (options.will) {
      const e = topicError(options.will.topic);
      if (e) throw new MqttError(`will: ${e}`);
    }
  }

  /** Connects, and keeps reconnecting unless `reconnect` is false. */
  connect(): void {
    if (this.#state === CONNECTING || this.#state === OPEN) return;
    this.#state = CONNECTING;
    this.#cancel();
    const link = new Link(this, this.#options.maxPacketSize ?? 1 << 20);
    this.link = link;
    this.#lastReceived = this.host.now();
    link.conn = this.host.connect(this.endpoint, link);
    this.#arm(this.host.now() + (this.#options.connectTimeout ?? 10000));
  }

  // ---- what a Link reports (internal)

  linkOpened(): void {
    const o = this.#options;
    const will = o.will;
    const pass = o.password ?? this.endpoint.password;
    this.#send({
      type: CONNECT, clientId: o.clientId, clean: o.clean ?? true, keepalive: o.keepalive ?? 60,
      username: o.username ?? this.endpoint.username, password: pass === undefined ? undefined : encodeUtf8(pass),
      will: will && { topic: will.topic, payload: bytes(will.payload), qos: will.qos ?? 0, retain: will.retain ?? false },
    });
  }

  /** The stream broke the protocol, or handling a packet threw. */
  linkBroken(e: Error): void {
    this.#drop(e instanceof ProtocolError ? `protocol error: ${e.message}` : `error: ${e.message}`);
  }

  linkLost(reason: string): void { this.#drop(reason); }

  /** Sends DISCONNECT (so the will is not published), closes, and stops reconnecting.
   *  Whatever still waits for the broker (requests, unacknowledged and queued messages) fails. */
  end(): void {
    if (this.link && this.connected) this.#send({ type: DISCONNECT });
    this.#state = ENDED;
    this.#close();
    this.#cancel();
    const err = new MqttError('client ended');
    const waiting = [...this.#requests.values(), ...this.#outgoing.values(), ...this.#offline];
    this.#requests.clear();
    this.#outgoing.clear();
    this.#offline = [];
    this.#queuedBytes = 0;
    for (const w of waiting) w.done?.(err);
  }

  /** Closes the connection and waits for `resume()` (the WiFi is gone). Session state is kept. */
  pause(reason: string): void {
    if (this.#state === ENDED) return;
    const wasUp = this.#state === OPEN || this.#state === CONNECTING;
    this.#state = IDLE;
    this.#close();
    this.#cancel();
    if (wasUp) this.onClose(reason, -1);
  }

  resume(): void { if (this.#state === IDLE || this.#state === WAITING) { this.#state = IDLE; this.connect(); } }

  publish(topic: string, payload: string | Uint8Array, opts: { qos?: QoS; retain?: boolean } = {}, done?: Done): void {
    const err = topicError(topic);
    if (err) return fail(done, new MqttError(err));
    const qos = opts.qos ?? 0;
    const packet: Publish = { type: PUBLISH, topic, payload: bytes(payload), qos, retain: !!opts.retain, dup: false, id: 0 };
    if (qos === 0 && this.connected) { this.#send(packet); done?.(); return; }
    const size = packet.payload.length + topic.length;
    if (this.#state === ENDED || (qos === 0 && this.#options.reconnect === false)) return fail(done, new MqttError('not connected'));
    const q = this.#options.queue ?? DEFAULT_QUEUE;
    const full = (n: number, bytes: number) => this.pending - n >= q.messages || this.#queuedBytes - bytes + size > q.bytes;
    if (full(0, 0)) {
      // Make room by dropping the oldest queued QoS 0 messages, if that is enough; else refuse this one.
      let n = 0, bytes = 0;
      while (n < this.#offline.length && full(n, bytes)) bytes += this.#offline[n++].size;
      const why = `queue full (${q.messages} messages, ${q.bytes} bytes)`;
      if (full(n, bytes)) return this.#dropOne(done, `${why}: message to ${topic} dropped`, true);
      for (const o of this.#offline.splice(0, n)) {
        this.#queuedBytes -= o.size;
        this.#dropOne(o.done, `${why}: oldest QoS 0 message to ${o.packet.topic} dropped for a newer one`);
      }
    }
    if (qos && !(packet.id = this.#allocateId())) return fail(done, new MqttError(NO_IDS));
    const entry: Outgoing = { packet, size, done, sent: false, released: false };
    this.#queuedBytes += size;
    if (qos === 0) { this.#offline.push(entry); return; }
    this.#outgoing.set(packet.id, entry);
    if (this.connected) { entry.sent = true; this.#send(packet); }
  }

  /** Subscribes; `handler` gets the messages matching this filter. `done` gets the granted QoS. */
  subscribe(filter: string, opts: { qos?: QoS; handler?: MessageHandler } = {}, done?: (error?: Error, qos?: number) => void): void {
    const err = filterError(filter);
    if (err) return fail(done, new MqttError(err));
    const qos = opts.qos ?? 0;
    this.#subs.set(filter, { qos, handler: opts.handler });
    this.#request({ type: SUBSCRIBE, id: 0, subscriptions: [{ filter, qos }] }, (e, granted) => {
      const g = granted?.[0];
      if (!e && g === 0x80) {
        this.#subs.delete(filter);
        e = new MqttError(`subscription to ${filter} refused by the broker`);
      }
      done?.(e, g);
    });
  }

  unsubscribe(filter: string, done?: Done): void {
    this.#subs.delete(filter);
    this.#request({ type: UNSUBSCRIBE, id: 0, filters: [filter] }, done);
  }

  /** Messages held for the broker: in flight and queued. */
  get pending(): number { return this.#outgoing.size + this.#offline.length; }

  // ---- inside

  #request(packet: Subscribe | Unsubscribe, done?: Request['done']) {
    if (this.#state === ENDED) return fail(done, new MqttError('client ended'));
    if (!(packet.id = this.#allocateId())) return fail(done, new MqttError(NO_IDS));
    this.#requests.set(packet.id, { packet, done });
    if (this.connected) this.#send(packet);
  }

  /** A packet identifier not in use, or 0 when all 65535 are. */
  #allocateId(): number {
    for (let i = 0; i < 65535; i++) {
      this.#nextId = this.#nextId === 65535 ? 1 : this.#nextId + 1;
      if (!this.#outgoing.has(this.#nextId) && !this.#requests.has(this.#nextId)) return this.#nextId;
    }
    return 0;
  }

  #send(p: Packet) {
    const conn = this.link?.conn;
    if (!conn) return;
    this.#lastSent = this.host.now();
    conn.write(encode(p));
  }

  /** A packet from the current link (internal, for Link). */
  receive(p: Packet): void {
    this.#lastReceived = this.host.now();
    if (!this.connected) {
      if (p.type !== CONNACK) return this.#drop(`protocol error: packet type ${p.type} before CONNACK`);
      if (p.returnCode) {
        const name = CONNACK_ERRORS[p.returnCode] || `refused with code ${p.returnCode}`;
        return this.#drop(`connection refused: ${name}`, p.returnCode);
      }
      return this.#opened(p.sessionPresent);
    }
    switch (p.type) {
      case PUBLISH: {
        if (p.qos === 2) {
          const seen = !!this.#incomingQos2?.has(p.id);
          (this.#incomingQos2 ??= new Set()).add(p.id);
          this.#send({ type: PUBREC, id: p.id });
          if (!seen) this.#deliver(p);
          return;
        }
        this.#deliver(p);
        if (p.qos === 1) this.#send({ type: PUBACK, id: p.id });
        return;
      }
      case PUBREL:
        this.#incomingQos2?.delete(p.id);
        return this.#send({ type: PUBCOMP, id: p.id });
      case PUBACK: case PUBCOMP: {
        const o = this.#outgoing.get(p.id);
        if (o && o.packet.qos === (p.type === PUBACK ? 1 : 2)) this.#settle(p.id, o);
        return;
      }
      case PUBREC: {
        const o = this.#outgoing.get(p.id);
        if (o && o.packet.qos === 2) o.released = true;
        return this.#send({ type: PUBREL, id: p.id });
      }
      case SUBACK: case UNSUBACK: {
        const r = this.#requests.get(p.id);
        if (!r) return;
        this.#requests.delete(p.id);
        return r.done?.(undefined, p.type === SUBACK ? p.granted : undefined);
      }
      case PINGRESP:
        this.#pingSentAt = 0;
        return;
    }
    this.#drop(`protocol error: unexpected packet type ${p.type} from the broker`);
  }

  #deliver(m: Message) {
    // A mistake in the application's handler must not cost the connection.
    try {
      for (const [filter, s] of this.#subs) if (s.handler && matches(filter, m.topic)) s.handler(m);
      this.onMessage(m);
    } catch (e) {
      this.host.log(`Error in a message handler for ${m.topic}: ${(e as Error).message}`);
    }
  }

  /** Counts a dropped message and tells its publisher; `refused` throws when there is no callback. */
  #dropOne(done: Done | undefined, reason: string, refused = false) {
    this.dropped++;
    this.onDrop(reason);
    const err = new MqttError(reason);
    if (refused) fail(done, err); else done?.(err);
  }

  #settle(id: number, o: Outgoing) {
    this.#outgoing.delete(id);
    this.#queuedBytes -= o.size;
    o.done?.();
  }

  #opened(sessionPresent: boolean) {
    this.connected = true;
    this.#state = OPEN;
    this.failures = 0;
    this.#pingSentAt = 0;
    // Requests and messages the broker has not acknowledged go again, oldest first.
    for (const r of this.#requests.values()) this.#send(r.packet);
    if (!sessionPresent) {
      // The broker forgot our subscriptions and half-done QoS 2 receptions.
      this.#incomingQos2 = null;
      const asked = new Set<string>();
      for (const r of this.#requests.values()) if (r.packet.type === SUBSCRIBE) for (const s of r.packet.subscriptions) asked.add(s.filter);
      const subscriptions: Subscribe['subscriptions'] = [];
      for (const [filter, s] of this.#subs) if (!asked.has(filter)) subscriptions.push({ filter, qos: s.qos });
      if (subscriptions.length) this.#request({ type: SUBSCRIBE, id: 0, subscriptions });
    }
    for (const [id, o] of this.#outgoing) {
      if (o.released) this.#send({ type: PUBREL, id });
      else { o.packet.dup = o.sent; o.sent = true; this.#send(o.packet); }
    }
    const queued = this.#offline;
    this.#offline = [];
    for (const o of queued) { this.#queuedBytes -= o.size; this.#send(o.packet); o.done?.(); }
    this.#arm(this.#keepaliveDeadline());
    this.onConnect(sessionPresent);
  }

  #keepaliveDeadline(): number {
    const k = (this.#options.keepalive ?? 60) * 1000;
    if (!k) return 0;
    if (this.#pingSentAt) return this.#pingSentAt + Math.max(k / 2, 500);
    // Ping when we have not sent for a keepalive (the broker's rule) or not heard (to find a dead broker).
    return Math.min(this.#lastSent, this.#lastReceived) + k;
  }

  /** One timer serves the connect timeout, the pings and the reconnect delay. */
  #arm(at: number) {
    this.#cancel();
    if (!at) return;
    this.#cancelTimer = this.host.after(Math.max(0, at - this.host.now()), () => { this.#cancelTimer = null; this.#tick(); });
  }

  #cancel() { if (this.#cancelTimer) { this.#cancelTimer(); this.#cancelTimer = null; } }

  #tick() {
    const now = this.host.now();
    if (this.#state === WAITING) return this.connect();
    if (this.#state === CONNECTING) return this.#drop('no answer from the broker (CONNACK timeout)');
    if (this.#state !== OPEN) return;
    const at = this.#keepaliveDeadline();
    if (at > now) return this.#arm(at);
    if (this.#pingSentAt) return this.#drop(`no PINGRESP within ${((now - this.#pingSentAt) / 1000).toFixed(1)} s: connection lost`);
    this.#send({ type: PINGREQ });
    this.#pingSentAt = this.#lastSent;
    this.#arm(this.#keepaliveDeadline());
  }

  #close() {
    const c = this.link?.conn;
    this.link = null;
    this.connected = false;
    c?.close();
  }

  /** Ends this connection and schedules the next attempt. */
  #drop(reason: string, refusedCode = 0) {
    if (this.#state === ENDED || this.#state === IDLE) return this.#close();
    this.#close();
    this.#cancel();
    this.failures++;
    const r = this.#options.reconnect ?? DEFAULT_RECONNECT;
    let retryIn = -1;
    if (r) {
      // A refusal will not fix itself quickly: go straight to the slowest pace.
      const base = refusedCode ? r.max : Math.min(r.max, r.min * 2 ** Math.min(this.failures - 1, 20));
      retryIn = Math.round(Math.min(r.max, base * (0.8 + 0.4 * this.host.random())));
      this.#state = WAITING;
      this.#arm(this.host.now() + retryIn);
    } else {
      this.#state = IDLE;
      const err = new MqttError(reason, refusedCode || undefined);
      for (const q of this.#requests.values()) q.done?.(err);
      this.#requests.clear();
    }
    this.onClose(reason, retryIn);
  }
}

function bytes(p: string | Uint8Array): Uint8Array { return typeof p === 'string' ? encodeUtf8(p) : p; }

function fail<E>(done: ((e: E) => void) | undefined, err: E) {
  if (!done) throw err;
  done(err);
}

/** A payload as text for people: UTF-8, or '?' for bytes that are not. */
export function payloadText(p: Uint8Array): string {
  try { return decodeUtf8(p); } catch { return Array.from(p, (c) => (c < 128 && c ? String.fromCharCode(c) : '?')).join(''); }
}
