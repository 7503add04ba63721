// A deterministic Host for client tests: a virtual clock and a scripted broker side.
//
//   const host = virtualHost({ random: 0.5 })
//   const client = new MqttClient(host, { host: 'broker', port: 1883 }, { clientId: 'c' })
//   client.connect()
//   const conn = host.last            // the connection the client opened
//   conn.open()                        // TCP is up: the client writes CONNECT
//   conn.expect(CONNECT)               // the packets the client wrote, decoded, oldest first
//   conn.send({ type: CONNACK, sessionPresent: false, returnCode: 0 })
//   host.advance(60_000)               // fires every timer due, in order; nothing really sleeps
//
// Nothing here touches the network or a real timer.
import assert from 'node:assert/strict';
import { BrokerDecoder, encode } from '../../dist/index.js';

export const TYPE_NAMES = [
  'reserved0',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'reserved15',
];

/** The broker's end of one connection the client opened. */
export class VirtualConnection {
  constructor(host, to, events) {
    this.host = host;
    this.to = to;
    this.events = events;
    /** Every packet the client wrote, decoded, in order. `take()` empties it. */
    this.packets = [];
    /** Every packet ever written on this connection (not emptied by take()). */
    this.log = [];
    /** Raw writes, as the client made them. */
    this.writes = [];
    this.opened = false;
    /** Set when the client called close(). */
    this.closedByClient = false;
    /** Set when the broker side (the test) closed it; the reason it gave. */
    this.closedByBroker = false;
    this.decodeError = null;
    this.decoder = new BrokerDecoder((p) => {
      this.packets.push(p);
      this.log.push(p);
    });
  }

  get closed() {
    return this.closedByClient || this.closedByBroker;
  }

  // ---- what the Host's Connection gives the client

  write(bytes) {
    assert.ok(!this.closed, 'the client wrote on a closed connection');
    assert.ok(this.opened, 'the client wrote before the connection was open');
    const copy = Uint8Array.from(bytes);
    this.writes.push(copy);
    try {
      this.decoder.push(copy);
    } catch (e) {
      this.decodeError = e;
      throw e;
    }
  }

  close() {
    this.closedByClient = true;
  }

  // ---- what the test does as the broker

  /** The TCP connection is up: the client sends CONNECT. */
  open() {
    assert.ok(!this.opened && !this.closed, 'open() on a connection that is not pending');
    this.opened = true;
    this.events.connected();
    return this;
  }

  /** Sends one packet (our codec's object) or raw bytes to the client. */
  send(packet) {
    assert.ok(!this.closed, 'send() on a closed connection');
    this.events.data(packet instanceof Uint8Array ? packet : encode(packet));
    return this;
  }

  /** The broker (or the network) ends the connection; the client sees `closed(reason)`. */
  drop(reason) {
    if (this.closed) return;
    this.closedByBroker = true;
    this.brokerReason = reason;
    this.events.closed(reason);
  }

  /** Returns the packets written since the last take() and forgets them. */
  take() {
    const p = this.packets;
    this.packets = [];
    return p;
  }

  /** Names of the packets written since the last take(), e.g. ['CONNECT']; does not forget them. */
  types() {
    return this.packets.map((p) => TYPE_NAMES[p.type]);
  }

  /** Takes the pending packets and asserts their types, e.g. conn.expect(PUBLISH, PUBACK). Returns them. */
  expect(...types) {
    const got = this.take();
    assert.deepEqual(
      got.map((p) => TYPE_NAMES[p.type]),
      types.map((t) => TYPE_NAMES[t]),
      'packets the client wrote',
    );
    return got;
  }

  /** Opens, checks CONNECT, answers CONNACK. Returns the CONNECT packet. */
  accept({ sessionPresent = false, returnCode = 0 } = {}) {
    this.open();
    const [connect] = this.expect(1);
    this.send({ type: 2, sessionPresent, returnCode });
    return connect;
  }
}

/**
 * options.random: a number in [0, 1) returned by random(), or a function producing them.
 * The clock starts at options.start (default 1000, so 0 is never a valid "sent at").
 */
export function virtualHost(options = {}) {
  let time = options.start ?? 1000;
  let seq = 0;
  const timers = []; // { at, seq, fn }
  const host = {
    /** Every connection the client opened, oldest first. */
    connections: [],
    lines: [],
    restarts: [],
    randomValue: options.random ?? 0.5,

    get last() {
      return host.connections[host.connections.length - 1];
    },
    /** Timers waiting, soonest first: [{ at, in }] */
    get pending() {
      return timers.map((t) => ({ at: t.at, in: t.at - time }));
    },

    now: () => time,
    after(ms, fn) {
      assert.ok(Number.isFinite(ms) && ms >= 0, `after(${ms}): not a delay`);
      const t = { at: time + ms, seq: seq++, fn };
      timers.push(t);
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      return t;
    },
    cancel(t) {
      const i = timers.indexOf(t);
      if (i >= 0) timers.splice(i, 1);
    },
    connect(to, events) {
      const c = new VirtualConnection(host, to, events);
      host.connections.push(c);
      return c;
    },
    random() {
      const r = host.randomValue;
      const v = typeof r === 'function' ? r() : r;
      assert.ok(v >= 0 && v < 1, `random() gave ${v}`);
      return v;
    },
    log: (line) => {
      host.lines.push(line);
    },
    deviceId: () => 'c0ffee000001',
    restart: (reason) => {
      host.restarts.push(reason);
    },

    /** Moves the clock forward by `ms`, firing each due timer at its own time, in order. */
    advance(ms) {
      assert.ok(ms >= 0, 'time only moves forward');
      const end = time + ms;
      for (;;) {
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        time = t.at;
        if (typeof t.fn === 'function') t.fn();
        else t.fn.fire();
      }
      time = end;
    },
    /** Milliseconds until the next timer, or Infinity. */
    nextTimer() {
      return timers.length ? timers[0].at - time : Infinity;
    },
    /** Advances to the next timer and fires it (and any due at the same time); returns the delay. */
    runNext() {
      const d = host.nextTimer();
      assert.ok(Number.isFinite(d), 'no timer is pending');
      host.advance(d);
      return d;
    },
  };
  return host;
}
