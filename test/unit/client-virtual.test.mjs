// MqttClient against a scripted broker on a virtual clock: every timing rule (keepalive, ping
// timeout, backoff, CONNACK refusals) checked to the millisecond, with no real sleeping.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  MqttClient,
  MqttError,
  CONNACK_ERRORS,
  encode,
  encodeUtf8,
  payloadText,
  CONNECT,
  PUBLISH,
  PUBACK,
  PUBREC,
  PUBREL,
  PUBCOMP,
  SUBSCRIBE,
  SUBACK,
  UNSUBSCRIBE,
  UNSUBACK,
  PINGREQ,
  PINGRESP,
  DISCONNECT,
} from '../../dist/index.js';
import { virtualHost } from '../helpers/virtual-host.mjs';

const endpoint = { host: 'broker.test', port: 1883 };
const text = (s) => encodeUtf8(s);

/** A client on a virtual host, recording what it reports. */
function setup(options = {}, hostOptions = {}) {
  const host = virtualHost(hostOptions);
  const client = new MqttClient(host, options.endpoint ?? endpoint, { clientId: 'dev1', reconnect: { min: 1000, max: 30000 }, ...options });
  const events = { connects: [], closes: [], messages: [] };
  client.onConnect = (sp) => events.connects.push(sp);
  client.onClose = (reason, retryIn) => events.closes.push({ reason, retryIn, at: host.now() });
  client.onMessage = (m) => events.messages.push(m);
  return { host, client, events };
}

/** Connects and completes the handshake; returns the connection. */
function online(host, client, connack = {}) {
  client.connect();
  const conn = host.last;
  conn.accept(connack);
  assert.equal(client.connected, true);
  return conn;
}

/** Two byte arrays as one. */
const concat = (a, b) => {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
};

function publishPacket(topic, payload, { qos = 0, id = qos ? 1 : 0, dup = false, retain = false } = {}) {
  return { type: PUBLISH, topic, payload: text(payload), qos, id, dup, retain };
}

describe('CONNECT', () => {
  test('carries client id, clean flag, keepalive, credentials and will', () => {
    const { host, client } = setup({
      clientId: 'lab-07',
      clean: false,
      keepalive: 15,
      username: 'student',
      password: 'secret',
      will: { topic: 'lab/07/status', payload: 'offline', qos: 1, retain: true },
    });
    client.connect();
    host.last.open();
    const [c] = host.last.expect(CONNECT);
    assert.equal(c.clientId, 'lab-07');
    assert.equal(c.clean, false);
    assert.equal(c.keepalive, 15);
    assert.equal(c.username, 'student');
    assert.equal(payloadText(c.password), 'secret');
    assert.equal(c.will.topic, 'lab/07/status');
    assert.equal(payloadText(c.will.payload), 'offline');
    assert.equal(c.will.qos, 1);
    assert.equal(c.will.retain, true);
  });

  test('credentials come from the endpoint when the options have none', () => {
    const { host, client } = setup({ endpoint: { ...endpoint, username: 'u', password: 'p' } });
    client.connect();
    host.last.open();
    const [c] = host.last.expect(CONNECT);
    assert.equal(c.username, 'u');
    assert.equal(payloadText(c.password), 'p');
  });

  test('a zero-length client id with a clean session is sent as an empty string', () => {
    const { host, client, events } = setup({ clientId: '', clean: true });
    client.connect();
    const c = host.last.accept();
    assert.equal(c.clientId, '');
    assert.equal(c.clean, true);
    assert.deepEqual(events.connects, [false]);
  });

  test('a zero-length client id with a persistent session is refused before connecting', () => {
    assert.throws(() => new MqttClient(virtualHost(), endpoint, { clientId: '', clean: false }), MqttError);
  });

  test('a will topic with a wildcard is refused at construction', () => {
    assert.throws(() => new MqttClient(virtualHost(), endpoint, { clientId: 'x', will: { topic: 'a/+', payload: '' } }), /wildcard/);
  });

  test('no CONNACK within connectTimeout: the attempt is abandoned with a reason', () => {
    const { host, client, events } = setup({ connectTimeout: 5000 });
    client.connect();
    host.last.open();
    host.advance(4999);
    assert.equal(host.last.closed, false);
    host.advance(1);
    assert.equal(host.last.closedByClient, true);
    assert.match(events.closes[0].reason, /CONNACK timeout/);
  });
});

describe('keepalive', () => {
  test('PINGREQ after keepalive seconds idle; PINGRESP keeps the connection', () => {
    const { host, client, events } = setup({ keepalive: 10 });
    const conn = online(host, client);
    host.advance(9999);
    conn.expect();
    host.advance(1);
    conn.expect(PINGREQ);
    host.advance(200);
    conn.send({ type: PINGRESP });
    // The next ping comes a keepalive after the last one, and again after that.
    host.advance(10000 - 200 - 1);
    conn.expect();
    host.advance(1);
    conn.expect(PINGREQ);
    conn.send({ type: PINGRESP });
    host.advance(10000);
    conn.expect(PINGREQ);
    conn.send({ type: PINGRESP });
    assert.equal(conn.closed, false);
    assert.deepEqual(events.closes, []);
  });

  test('a large message arriving slowly keeps the link while the PINGRESP waits behind it; a PINGREQ still goes every keepalive', () => {
    // Mosquitto 2.0.11 sends about 4 KB every 100 ms on its WebSocket: 1 MB takes 26 s.
    const { host, client, events } = setup({ keepalive: 10, maxPacketSize: 65536 });
    const conn = online(host, client);
    const warnings = [];
    client.onWarning = (w) => warnings.push(w);
    host.advance(10000);
    conn.expect(PINGREQ);
    const big = encode(publishPacket('class/mallory/photo', 'x'.repeat(1 << 20)));
    let pings = 1;
    for (let at = 0; at < big.length; at += 4096) {
      conn.send(big.subarray(at, at + 4096));
      host.advance(100);
      pings += conn.take().filter((p) => p.type === PINGREQ).length;
    }
    assert.equal(conn.closed, false, 'bytes kept coming: the link is alive');
    assert.deepEqual(events.closes, []);
    assert.equal(pings, 3, 'a PINGREQ every keepalive (10 s, 20 s, 30 s), as the broker wants one');
    conn.send({ type: PINGRESP });
    conn.send(encode(publishPacket('class/alice/hello', 'Hello #1')));
    assert.equal(client.skipped, 1);
    assert.match(warnings[0], /class\/mallory\/photo of 1,048,\d{3} bytes skipped/);
    assert.deepEqual(
      events.messages.map((m) => m.topic),
      ['class/alice/hello'],
      'the message after it arrives',
    );
    assert.equal(client.connected, true);
  });

  test('when the bytes stop, the link is dead half a keepalive after the last one', () => {
    const { host, client, events } = setup({ keepalive: 10 });
    const conn = online(host, client);
    host.advance(10000);
    conn.expect(PINGREQ);
    const big = encode(publishPacket('a/b', 'x'.repeat(100000)));
    for (let i = 0; i < 30; i++) {
      conn.send(big.subarray(i * 1000, (i + 1) * 1000));
      host.advance(100);
    }
    const lastByte = host.now() - 100;
    while (!conn.closed && host.now() - lastByte < 10000) host.advance(100);
    assert.equal(host.now() - lastByte, 5000, 'dropped 5 s after the last byte');
    assert.match(events.closes[0].reason, /^no PINGRESP within 7\.9 s, and nothing at all for 5\.0 s: connection lost$/);
  });

  test('a connection that hands over whole messages is probed at the silence: an answer keeps the link, none drops it', () => {
    const { host, client, events } = setup({ keepalive: 10 });
    const conn = online(host, client);
    let probes = 0;
    conn.probe = () => {
      probes++;
    };
    host.advance(10000);
    conn.expect(PINGREQ);
    host.advance(5000);
    assert.equal(probes, 1, 'probed at the silence instead of dropped');
    assert.equal(conn.closed, false);
    host.advance(1000);
    conn.events.alive(); // the broker is there
    host.advance(4999);
    assert.equal(probes, 1);
    host.advance(1);
    assert.equal(probes, 2, 'probed again after another silence');
    conn.expect(PINGREQ); // at 20 s: one every keepalive
    conn.send(concat(encode(publishPacket('a/b', 'x'.repeat(100000))), encode({ type: PINGRESP }))); // the whole message, at last
    assert.deepEqual(events.closes, []);
    // A second wait, with no answer to the probe: dropped one silence after it.
    host.advance(9000);
    conn.expect(PINGREQ);
    const pingAt = host.now();
    host.advance(5000);
    assert.equal(probes, 3);
    assert.equal(conn.closed, false);
    host.advance(5000);
    assert.equal(conn.closed, true);
    assert.match(events.closes[0].reason, /^no PINGRESP within 10\.0 s: connection lost$/);
    assert.equal(host.now() - pingAt, 10000);
  });

  test('traffic from the client postpones the ping only if the broker also spoke', () => {
    const { host, client } = setup({ keepalive: 10 });
    const conn = online(host, client);
    host.advance(6000);
    client.publish('a/b', 'x'); // QoS 0: the client sent, the broker said nothing
    conn.expect(PUBLISH);
    host.advance(4000); // 10 s since the broker last spoke: ping to find out if it is there
    conn.expect(PINGREQ);
  });

  test('keepalive 0 never pings', () => {
    const { host, client } = setup({ keepalive: 0 });
    const conn = online(host, client);
    host.advance(3_600_000);
    conn.expect();
    assert.equal(host.nextTimer(), Infinity);
  });

  test('no PINGRESP: connection dropped within keepalive, reported, then reconnected after the backoff', () => {
    const { host, client, events } = setup({ keepalive: 10 }, { random: 0.5 });
    const conn = online(host, client);
    const t0 = host.now();
    host.advance(10000);
    conn.expect(PINGREQ);
    const pingAt = host.now();
    while (!conn.closed && host.now() - pingAt <= 10000) host.advance(100);
    assert.equal(conn.closedByClient, true, 'the client closed the silent connection');
    assert.ok(host.now() - pingAt <= 10000, `dropped ${host.now() - pingAt} ms after the ping`);
    assert.equal(client.connected, false);
    assert.equal(events.closes.length, 1);
    const { reason, retryIn } = events.closes[0];
    assert.match(reason, /PINGRESP/);
    assert.equal(retryIn, 1000, 'first retry after min (random 0.5 = no jitter)');
    assert.ok(events.closes[0].at - t0 < 20000);
    // Reconnects exactly after retryIn.
    host.advance(999);
    assert.equal(host.connections.length, 1);
    host.advance(1);
    assert.equal(host.connections.length, 2);
    host.last.accept();
    assert.equal(client.connected, true);
    assert.deepEqual(events.connects, [false, false]);
  });
});

describe('reconnect backoff', () => {
  /** Fails `n` attempts in a row (the broker closes before CONNACK); returns each retryIn. */
  function failRepeatedly(host, client, events, n) {
    client.connect();
    const delays = [];
    for (let i = 0; i < n; i++) {
      const conn = host.last;
      conn.open();
      conn.drop('connection reset');
      const { retryIn } = events.closes.at(-1);
      delays.push(retryIn);
      const before = host.connections.length;
      host.advance(retryIn - 1);
      assert.equal(host.connections.length, before, `attempt ${i + 2} came before ${retryIn} ms`);
      host.advance(1);
      assert.equal(host.connections.length, before + 1, `attempt ${i + 2} did not come after ${retryIn} ms`);
    }
    return delays;
  }

  test('doubles from min to max (no jitter at random 0.5)', () => {
    const { host, client, events } = setup({}, { random: 0.5 });
    assert.deepEqual(failRepeatedly(host, client, events, 8), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.equal(client.failures, 8);
    assert.equal(events.closes[0].reason, 'connection reset');
  });

  test('jitter stays within ±20%, and never beyond max', () => {
    for (const r of [0, 0.999999]) {
      const { host, client, events } = setup({}, { random: r });
      const delays = failRepeatedly(host, client, events, 7);
      const bases = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
      delays.forEach((d, i) => {
        assert.ok(d >= bases[i] * 0.8 && d <= Math.min(30000, bases[i] * 1.2), `retry ${i + 1}: ${d} ms for base ${bases[i]}`);
      });
      if (r === 0)
        assert.deepEqual(
          delays,
          bases.map((b) => b * 0.8),
        );
      else
        assert.deepEqual(
          delays,
          bases.map((b) => Math.min(30000, Math.round(b * 1.2))),
        );
    }
  });

  test('a connection resets the backoff once it has proved itself: subscriptions acknowledged, a keepalive period up', () => {
    const { host, client, events } = setup({ keepalive: 10 }, { random: 0.5 });
    client.subscribe('s');
    failRepeatedly(host, client, events, 4);
    host.last.accept();
    const [sub] = host.last.expect(SUBSCRIBE);
    host.advance(9999);
    assert.equal(client.failures, 4, 'not before a keepalive period');
    host.last.send({ type: SUBACK, id: sub.id, granted: [0] });
    host.advance(1);
    assert.equal(client.failures, 0);
    host.last.drop('gone');
    assert.equal(events.closes.at(-1).retryIn, 1000);
  });

  test('a broker that drops every connection right after CONNACK gets the growing backoff', () => {
    const { host, client, events } = setup({ keepalive: 10 }, { random: 0.5 });
    client.connect();
    for (let i = 0; i < 5; i++) {
      host.last.accept();
      host.advance(500);
      host.last.drop('connection closed by the broker');
      host.advance(events.closes.at(-1).retryIn);
    }
    assert.deepEqual(
      events.closes.map((c) => c.retryIn),
      [1000, 2000, 4000, 8000, 16000],
    );
    assert.equal(client.failures, 5);
  });

  test('a SUBACK that never comes closes the connection within the connect timeout', () => {
    const { host, client, events } = setup({ connectTimeout: 3000 });
    client.subscribe('s');
    const conn = online(host, client);
    conn.expect(SUBSCRIBE);
    host.advance(2999);
    assert.equal(events.closes.length, 0);
    host.advance(1);
    assert.equal(events.closes[0].reason, 'no SUBACK from the broker within 3 s');
    assert.equal(conn.closedByClient, true);
  });

  test('onReady comes once every subscription of the connection is acknowledged', () => {
    const { host, client } = setup();
    let ready = 0;
    client.onReady = () => ready++;
    client.subscribe('a');
    client.subscribe('b');
    const conn = online(host, client);
    const [a, b] = conn.expect(SUBSCRIBE, SUBSCRIBE);
    conn.send({ type: SUBACK, id: a.id, granted: [0] });
    assert.equal(ready, 0);
    conn.send({ type: SUBACK, id: b.id, granted: [0] });
    assert.equal(ready, 1);
    conn.drop('x');
    host.advance(1500);
    host.last.accept({ sessionPresent: true }); // the broker kept them: nothing to wait for
    assert.equal(ready, 2);
  });

  test('reconnect is on by default, from 1 s', () => {
    const host = virtualHost({ random: 0.5 });
    const client = new MqttClient(host, endpoint, { clientId: 'd' });
    const closes = [];
    client.onClose = (_reason, retryIn) => closes.push(retryIn);
    client.connect();
    host.last.accept();
    host.last.drop('gone');
    assert.deepEqual(closes, [1000]);
    host.advance(1000);
    assert.equal(host.connections.length, 2);
    client.end();
  });

  test('reconnect: false gives up and says so', () => {
    const { host, client, events } = setup({ reconnect: false });
    const conn = online(host, client);
    conn.drop('gone');
    assert.deepEqual(
      events.closes.map((c) => c.retryIn),
      [-1],
    );
    host.advance(3_600_000);
    assert.equal(host.connections.length, 1);
  });

  test('end() sends DISCONNECT, closes, and stops reconnecting', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    client.end();
    conn.expect(DISCONNECT);
    assert.equal(conn.closedByClient, true);
    host.advance(3_600_000);
    assert.equal(host.connections.length, 1);
    assert.deepEqual(events.closes, []);
  });

  test('pause() closes without retrying; resume() connects again', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    client.pause('WiFi lost');
    assert.equal(conn.closedByClient, true);
    assert.deepEqual(
      events.closes.map((c) => [c.reason, c.retryIn]),
      [['WiFi lost', -1]],
    );
    host.advance(3_600_000);
    assert.equal(host.connections.length, 1);
    client.resume();
    assert.equal(host.connections.length, 2);
  });
});

describe('CONNACK refusals', () => {
  for (let code = 1; code <= 5; code++) {
    test(`return code ${code}: '${CONNACK_ERRORS[code]}', retried at the slowest pace`, () => {
      const { host, client, events } = setup({}, { random: 0 });
      client.connect();
      host.last.accept({ returnCode: code });
      assert.equal(host.last.closedByClient, true);
      assert.equal(client.connected, false);
      assert.deepEqual(events.connects, []);
      const { reason, retryIn } = events.closes[0];
      assert.equal(reason, `connection refused: ${CONNACK_ERRORS[code]}`);
      assert.ok(retryIn >= 30000 * 0.8 && retryIn <= 30000 * 1.2, `retryIn ${retryIn}`);
      // Not a tight loop: nothing for 24 s (the earliest the jitter allows), then one attempt.
      host.advance(23999);
      assert.equal(host.connections.length, 1);
      host.advance(retryIn - 23999);
      assert.equal(host.connections.length, 2);
      host.last.accept({ returnCode: code });
      assert.equal(events.closes.length, 2);
      assert.ok(events.closes[1].retryIn >= 24000);
    });
  }

  test('the spec names', () => {
    assert.deepEqual(CONNACK_ERRORS.slice(1), [
      'unacceptable protocol version',
      'identifier rejected',
      'server unavailable',
      'bad user name or password',
      'not authorized',
    ]);
  });

  test('an unknown return code is reported with its number', () => {
    const { host, client, events } = setup();
    client.connect();
    host.last.accept({ returnCode: 9 });
    assert.match(events.closes[0].reason, /9/);
  });

  test('with reconnect false, pending requests fail with the refusal and its code', () => {
    const { host, client } = setup({ reconnect: false });
    let error;
    client.subscribe('a/b', {}, (e) => {
      error = e;
    });
    client.connect();
    host.last.accept({ returnCode: 4 });
    assert.ok(error instanceof MqttError);
    assert.equal(error.code, 4);
    assert.match(error.message, /bad user name or password/);
  });
});

describe('outgoing QoS 1 and 2 across a reconnect', () => {
  test('session present: unacknowledged messages resent with DUP, PUBREL for one at PUBREC', () => {
    const { host, client } = setup({ clean: false }, { random: 0.5 });
    const conn = online(host, client);
    const done = [];
    client.publish('t/1', 'one', { qos: 1 }, (e) => done.push(['one', e]));
    client.publish('t/2', 'two', { qos: 2 }, (e) => done.push(['two', e]));
    client.publish('t/3', 'three', { qos: 2 }, (e) => done.push(['three', e]));
    const [p1, p2, p3] = conn.expect(PUBLISH, PUBLISH, PUBLISH);
    assert.deepEqual([p1.dup, p2.dup, p3.dup], [false, false, false]);
    assert.deepEqual([p1.qos, p2.qos, p3.qos], [1, 2, 2]);
    assert.equal(new Set([p1.id, p2.id, p3.id]).size, 3);
    conn.send({ type: PUBREC, id: p3.id });
    conn.expect(PUBREL);
    conn.drop('network down');
    assert.equal(client.pending, 3);

    host.advance(1000);
    const again = host.last;
    again.accept({ sessionPresent: true });
    const [r1, r2, r3] = again.expect(PUBLISH, PUBLISH, PUBREL);
    assert.deepEqual([r1.id, r1.dup, r1.qos, payloadText(r1.payload)], [p1.id, true, 1, 'one']);
    assert.deepEqual([r2.id, r2.dup, r2.qos, payloadText(r2.payload)], [p2.id, true, 2, 'two']);
    assert.equal(r3.id, p3.id);
    assert.deepEqual(done, []);

    again.send({ type: PUBACK, id: p1.id });
    again.send({ type: PUBCOMP, id: p3.id });
    again.send({ type: PUBREC, id: p2.id });
    again.expect(PUBREL);
    again.send({ type: PUBCOMP, id: p2.id });
    assert.deepEqual(done, [
      ['one', undefined],
      ['three', undefined],
      ['two', undefined],
    ]);
    assert.equal(client.pending, 0);
  });

  test('messages published while offline go out on connect, without DUP', () => {
    const { host, client } = setup();
    const done = [];
    client.publish('t/0', 'zero', { qos: 0 }, (e) => done.push(['zero', e]));
    client.publish('t/1', 'one', { qos: 1 }, (e) => done.push(['one', e]));
    client.connect();
    host.last.accept();
    const [a, b] = host.last.expect(PUBLISH, PUBLISH);
    assert.deepEqual([a.qos, a.dup], [1, false]);
    assert.deepEqual([b.qos, b.dup, payloadText(b.payload)], [0, false, 'zero']);
    assert.deepEqual(done, [['zero', undefined]]);
    host.last.send({ type: PUBACK, id: a.id });
    assert.deepEqual(done, [
      ['zero', undefined],
      ['one', undefined],
    ]);
  });

  test('an acknowledgement of the wrong kind or for an unknown id settles nothing', () => {
    const { host, client } = setup();
    const conn = online(host, client);
    let settled = 0;
    client.publish('t', 'x', { qos: 1 }, () => settled++);
    const [p] = conn.expect(PUBLISH);
    conn.send({ type: PUBCOMP, id: p.id });
    conn.send({ type: PUBACK, id: p.id + 1 });
    assert.equal(settled, 0);
    assert.equal(client.pending, 1);
    client.publish('t', 'y', { qos: 2 }, () => settled++);
    const [q] = conn.expect(PUBLISH);
    conn.send({ type: PUBREC, id: q.id });
    conn.send({ type: PUBACK, id: q.id }); // after PUBREC, only PUBCOMP ends it
    assert.equal(settled, 0);
    assert.equal(client.pending, 2);
  });

  test('a PUBACK for QoS 2 (a broker without QoS 2) completes it, said once, never sent again', () => {
    const { host, client, events } = setup();
    const warnings = [];
    client.onWarning = (w) => warnings.push(w);
    const conn = online(host, client);
    const done = [];
    for (const m of ['a', 'b', 'c']) client.publish('t', m, { qos: 2 }, (e) => done.push(e ?? 'ok'));
    for (const p of conn.expect(PUBLISH, PUBLISH, PUBLISH)) conn.send({ type: PUBACK, id: p.id });
    assert.deepEqual(done, ['ok', 'ok', 'ok']);
    assert.deepEqual(warnings, ['the broker acknowledged QoS 2 with PUBACK: it supports QoS 1 at most']);
    assert.equal(client.pending, 0);
    conn.drop('x');
    host.advance(1500);
    host.last.accept();
    assert.deepEqual(
      host.last.take().filter((p) => p.type === PUBLISH),
      [],
      'nothing sent again',
    );
    assert.equal(events.closes.length, 1);
  });

  test('at most `inflight` (20 by default) QoS 1/2 messages unacknowledged; the rest go in order as acks come', () => {
    const { host, client } = setup({ queue: { messages: 1e6, bytes: 1e9 } });
    const conn = online(host, client);
    for (let i = 0; i < 70000; i++) client.publish('t', String(i), { qos: 1 });
    let sent = conn.take();
    assert.equal(sent.length, 20);
    const order = [];
    while (sent.length) {
      for (const p of sent) {
        order.push(Number(payloadText(p.payload)));
        conn.send({ type: PUBACK, id: p.id });
      }
      sent = conn.take();
      assert.ok(sent.length <= 20);
    }
    assert.equal(order.length, 70000);
    assert.ok(
      order.every((n, i) => n === i),
      'in order',
    );
    assert.equal(client.pending, 0);
  });

  test('inflight: 5 holds five; a reconnect sends the five again with DUP, then the rest', () => {
    const { host, client } = setup({ inflight: 5 });
    const conn = online(host, client);
    for (let i = 0; i < 8; i++) client.publish('t', String(i), { qos: 2 });
    assert.equal(conn.take().length, 5);
    conn.drop('x');
    host.advance(1500);
    host.last.accept();
    const again = host.last.take().filter((p) => p.type === PUBLISH);
    assert.deepEqual(
      again.map((p) => [payloadText(p.payload), p.dup]),
      [
        ['0', true],
        ['1', true],
        ['2', true],
        ['3', true],
        ['4', true],
      ],
    );
    host.last.send({ type: PUBREC, id: again[0].id });
    host.last.send({ type: PUBCOMP, id: again[0].id });
    const next = host.last.take().filter((p) => p.type === PUBLISH);
    assert.deepEqual(
      next.map((p) => [payloadText(p.payload), p.dup]),
      [['5', false]],
    );
  });

  test('packet identifiers skip those in use; when all 65535 are, publish and subscribe fail through done', () => {
    const { host, client } = setup({ queue: { messages: Infinity, bytes: Infinity }, inflight: 0 }); // the default bound is 100, the window 20
    const conn = online(host, client);
    for (let i = 0; i < 65535; i++) client.publish('t', '', { qos: 1 });
    const sent = conn.take();
    assert.equal(sent.length, 65535);
    assert.equal(new Set(sent.map((p) => p.id)).size, 65535);
    assert.ok(sent.every((p) => p.id >= 1 && p.id <= 65535));
    const errors = [];
    client.publish('t', 'x', { qos: 2 }, (e) => errors.push(e.message));
    client.subscribe('s', {}, (e) => errors.push(e.message));
    assert.deepEqual(errors, ['all 65535 packet identifiers are in use', 'all 65535 packet identifiers are in use']);
    assert.equal(client.pending, 65535);
    conn.send({ type: PUBACK, id: 300 });
    client.publish('t', 'y', { qos: 1 });
    assert.equal(conn.expect(PUBLISH)[0].id, 300, 'the freed identifier is reused');
    conn.expect();
  });

  test('end() fails what is still waiting for the broker', () => {
    const { host, client } = setup();
    const conn = online(host, client);
    const errors = [];
    client.publish('t', 'x', { qos: 1 }, (e) => errors.push(e));
    client.subscribe('s', {}, (e) => errors.push(e));
    conn.take();
    client.end();
    assert.equal(errors.length, 2);
    for (const e of errors) assert.match(e.message, /ended/);
  });
});

describe('incoming QoS', () => {
  test('QoS 1 is acknowledged after delivery', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    conn.send(publishPacket('a/b', 'hello', { qos: 1, id: 42 }));
    const [ack] = conn.expect(PUBACK);
    assert.equal(ack.id, 42);
    assert.equal(payloadText(events.messages[0].payload), 'hello');
  });

  test('QoS 2 delivered exactly once even when the broker resends PUBLISH with DUP before PUBREL', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    conn.send(publishPacket('a/b', 'once', { qos: 2, id: 7 }));
    assert.equal(conn.expect(PUBREC)[0].id, 7);
    conn.send(publishPacket('a/b', 'once', { qos: 2, id: 7, dup: true }));
    assert.equal(conn.expect(PUBREC)[0].id, 7);
    assert.equal(events.messages.length, 1);
    conn.send({ type: PUBREL, id: 7 });
    assert.equal(conn.expect(PUBCOMP)[0].id, 7);
    conn.send({ type: PUBREL, id: 7 }); // a repeated PUBREL is answered, delivers nothing
    conn.expect(PUBCOMP);
    assert.equal(events.messages.length, 1);
    // After PUBCOMP the identifier is free: the same id now is a new message.
    conn.send(publishPacket('a/b', 'twice', { qos: 2, id: 7 }));
    conn.expect(PUBREC);
    assert.deepEqual(
      events.messages.map((m) => payloadText(m.payload)),
      ['once', 'twice'],
    );
  });

  /** A QoS 2 message `text` (id 9) received, its PUBREC sent, then the connection lost; the client
   *  back on a new one, its CONNACK saying `sessionPresent`. */
  function halfReceivedThenBack(host, client, text, sessionPresent) {
    const conn = online(host, client);
    conn.send(publishPacket('a/b', text, { qos: 2, id: 9 }));
    conn.expect(PUBREC);
    conn.drop('gone');
    host.advance(1200);
    host.last.accept({ sessionPresent });
  }

  test('QoS 2 resent after a reconnect with session present is not delivered again', () => {
    const { host, client, events } = setup({ clean: false });
    halfReceivedThenBack(host, client, 'once', true);
    host.last.send(publishPacket('a/b', 'once', { qos: 2, id: 9, dup: true }));
    host.last.expect(PUBREC);
    host.last.send({ type: PUBREL, id: 9 });
    host.last.expect(PUBCOMP);
    assert.equal(events.messages.length, 1);
  });

  test('a new session forgets half-received QoS 2: the same id is a new message', () => {
    const { host, client, events } = setup();
    halfReceivedThenBack(host, client, 'first', false);
    host.last.send(publishPacket('a/b', 'second', { qos: 2, id: 9 }));
    host.last.expect(PUBREC);
    assert.deepEqual(
      events.messages.map((m) => payloadText(m.payload)),
      ['first', 'second'],
    );
  });
});

describe('subscriptions', () => {
  test('SUBACK gives the granted QoS; messages go to the matching handlers', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    const got = { plus: [], hash: [], exact: [] };
    const acks = [];
    client.subscribe('myRasp/groundfloor/+/temperature', { qos: 1, handler: (m) => got.plus.push(m.topic) }, (e, q) => acks.push([e, q]));
    client.subscribe('myRasp/#', { qos: 2, handler: (m) => got.hash.push(m.topic) }, (e, q) => acks.push([e, q]));
    client.subscribe('myRasp/firstfloor/bedroom/light', { handler: (m) => got.exact.push(m.topic) }, (e, q) => acks.push([e, q]));
    const subs = conn.expect(SUBSCRIBE, SUBSCRIBE, SUBSCRIBE);
    assert.deepEqual(
      subs.map((s) => s.subscriptions),
      [[{ filter: 'myRasp/groundfloor/+/temperature', qos: 1 }], [{ filter: 'myRasp/#', qos: 2 }], [{ filter: 'myRasp/firstfloor/bedroom/light', qos: 0 }]],
    );
    conn.send({ type: SUBACK, id: subs[0].id, granted: [1] });
    conn.send({ type: SUBACK, id: subs[1].id, granted: [1] });
    conn.send({ type: SUBACK, id: subs[2].id, granted: [0] });
    assert.deepEqual(acks, [
      [undefined, 1],
      [undefined, 1],
      [undefined, 0],
    ]);
    for (const t of ['myRasp/groundfloor/kitchen/temperature', 'myRasp/firstfloor/bedroom/light', 'myRasp/groundfloor/kitchen/humidity']) {
      conn.send(publishPacket(t, '1'));
    }
    assert.deepEqual(got.plus, ['myRasp/groundfloor/kitchen/temperature']);
    assert.deepEqual(got.hash, ['myRasp/groundfloor/kitchen/temperature', 'myRasp/firstfloor/bedroom/light', 'myRasp/groundfloor/kitchen/humidity']);
    assert.deepEqual(got.exact, ['myRasp/firstfloor/bedroom/light']);
    assert.equal(events.messages.length, 3);
  });

  test('an exception in a handler is logged, and the connection and later messages survive it', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    client.subscribe('lab/+', {
      handler: (m) => {
        if (payloadText(m.payload) === 'bad') throw new Error('student bug');
      },
    });
    conn.send({ type: SUBACK, id: conn.expect(SUBSCRIBE)[0].id, granted: [0] });
    conn.send(publishPacket('lab/a', 'bad'));
    conn.send(publishPacket('lab/a', 'good'));
    assert.equal(client.connected, true);
    assert.deepEqual(events.closes, []);
    assert.ok(
      host.lines.some((l) => l === 'Error in a message handler for lab/a: student bug'),
      host.lines.join('\n'),
    );
    assert.deepEqual(
      events.messages.map((m) => payloadText(m.payload)),
      ['good'],
    );
  });

  test("SUBACK 0x80 is an error for subscribe's callback, and the handler is dropped", () => {
    const { host, client } = setup();
    const conn = online(host, client);
    let result;
    let handled = 0;
    client.subscribe('secret/#', { qos: 1, handler: () => handled++ }, (e, q) => {
      result = [e, q];
    });
    const [s] = conn.expect(SUBSCRIBE);
    conn.send({ type: SUBACK, id: s.id, granted: [0x80] });
    assert.ok(result[0] instanceof MqttError);
    assert.match(result[0].message, /refused/);
    assert.equal(result[1], 0x80);
    conn.send(publishPacket('secret/x', 'leak'));
    assert.equal(handled, 0);
    // ... and it is not resubscribed after a reconnect
    conn.drop('gone');
    host.advance(1200);
    host.last.accept();
    host.last.expect();
  });

  test('unsubscribe sends UNSUBSCRIBE and stops the handler', () => {
    const { host, client } = setup();
    const conn = online(host, client);
    let handled = 0;
    client.subscribe('a/b', { handler: () => handled++ });
    conn.send({ type: SUBACK, id: conn.expect(SUBSCRIBE)[0].id, granted: [0] });
    let done = false;
    client.unsubscribe('a/b', (e) => {
      assert.equal(e, undefined);
      done = true;
    });
    const [u] = conn.expect(UNSUBSCRIBE);
    assert.deepEqual(u.filters, ['a/b']);
    conn.send({ type: UNSUBACK, id: u.id });
    assert.equal(done, true);
    conn.send(publishPacket('a/b', 'x'));
    assert.equal(handled, 0);
  });

  test('publish to a wildcard topic and subscribe to a bad filter are refused with a clear error', () => {
    const { host, client } = setup();
    const conn = online(host, client);
    let pubErr, subErr;
    client.publish('a/+', 'x', { qos: 1 }, (e) => {
      pubErr = e;
    });
    client.subscribe('a/#/b', {}, (e) => {
      subErr = e;
    });
    assert.ok(pubErr instanceof MqttError);
    assert.match(pubErr.message, /a\/\+.*wildcard|wildcard.*a\/\+/);
    assert.ok(subErr instanceof MqttError);
    assert.match(subErr.message, /a\/#\/b/);
    assert.match(subErr.message, /#/);
    assert.throws(() => client.publish('a/#', 'x'), /wildcard/);
    assert.throws(() => client.subscribe('a+'), /\+/);
    conn.expect(); // nothing reached the broker
    assert.equal(client.connected, true);
  });

  test('session not present after a reconnect: every subscription is made again, once', () => {
    const { host, client } = setup();
    const conn = online(host, client);
    client.subscribe('a/#', { qos: 1 });
    client.subscribe('b', { qos: 0 });
    const [s1, s2] = conn.expect(SUBSCRIBE, SUBSCRIBE);
    conn.send({ type: SUBACK, id: s1.id, granted: [1] });
    // 'b' is still waiting for its SUBACK when the connection drops
    conn.drop('gone');
    host.advance(1200);
    host.last.accept({ sessionPresent: false });
    const subs = host.last.expect(SUBSCRIBE, SUBSCRIBE);
    const filters = subs.flatMap((s) => s.subscriptions.map((x) => `${x.filter}@${x.qos}`)).sort();
    assert.deepEqual(filters, ['a/#@1', 'b@0']);
    assert.equal(subs.find((s) => s.subscriptions[0].filter === 'b').id, s2.id, 'the pending request keeps its id');
  });

  test('session present after a reconnect: no SUBSCRIBE', () => {
    const { host, client } = setup({ clean: false });
    const conn = online(host, client);
    client.subscribe('a/#', { qos: 1 });
    conn.send({ type: SUBACK, id: conn.expect(SUBSCRIBE)[0].id, granted: [1] });
    conn.drop('gone');
    host.advance(1200);
    host.last.accept({ sessionPresent: true });
    host.last.expect();
  });

  test('subscribing while offline: SUBSCRIBE goes out on connect', () => {
    const { host, client } = setup();
    let granted;
    client.subscribe('x/y', { qos: 2 }, (_e, q) => {
      granted = q;
    });
    client.connect();
    host.last.accept();
    const [s] = host.last.expect(SUBSCRIBE);
    host.last.send({ type: SUBACK, id: s.id, granted: [2] });
    assert.equal(granted, 2);
  });
});

describe('protocol errors from the broker', () => {
  const bad = {
    'a reserved packet type': new Uint8Array([0xf0, 0x00]),
    'PUBLISH with QoS 3': new Uint8Array([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01]),
    'PUBACK with the wrong length': new Uint8Array([0x40, 0x03, 0x00, 0x01, 0x00]),
    'a remaining length over 4 bytes': new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]),
    'invalid UTF-8 in a topic': new Uint8Array([0x30, 0x04, 0x00, 0x02, 0xc3, 0x28]),
    'a CONNECT sent to the client': new Uint8Array([0x10, 0x00]),
    'SUBACK with return code 3': new Uint8Array([0x90, 0x03, 0x00, 0x01, 0x03]),
  };
  for (const [what, bytes] of Object.entries(bad)) {
    test(`${what}: the client closes the connection and says why`, () => {
      const { host, client, events } = setup({}, { random: 0.5 });
      const conn = online(host, client);
      conn.send(bytes);
      assert.equal(conn.closedByClient, true);
      assert.equal(client.connected, false);
      assert.equal(events.closes.length, 1);
      assert.match(events.closes[0].reason, /^protocol error: /);
      assert.equal(events.closes[0].retryIn, 1000);
    });
  }

  test('a packet other than CONNACK first is a protocol error', () => {
    const { host, client, events } = setup();
    client.connect();
    host.last.open();
    host.last.send({ type: SUBACK, id: 1, granted: [0] });
    assert.equal(host.last.closedByClient, true);
    assert.match(events.closes[0].reason, /protocol error: .*before CONNACK/);
  });

  test('a packet above maxPacketSize that is not a PUBLISH is refused before it is buffered', () => {
    const { host, client, events } = setup({ maxPacketSize: 64 });
    const conn = online(host, client);
    conn.send(new Uint8Array([0x90, 0xc8, 0x01])); // SUBACK of 200 bytes announced
    assert.equal(conn.closedByClient, true);
    assert.match(events.closes[0].reason, /maximum packet size/);
  });

  test('a PUBLISH above maxPacketSize is skipped as it streams by: acknowledged by its QoS, counted, said once per topic, never delivered', () => {
    const { host, client, events } = setup({ maxPacketSize: 64, who: 'board' });
    const warnings = [];
    client.onWarning = (w) => warnings.push(w);
    const conn = online(host, client);
    const big = (topic, qos, id, n) => encode({ type: PUBLISH, topic, payload: new Uint8Array(n), qos, id, dup: false, retain: false });
    const p1 = big('cls/mallory/photo', 1, 7, 2097152);
    for (let i = 0; i < p1.length; i += 1000) conn.send(p1.subarray(i, i + 1000)); // in pieces: nothing gathers them
    conn.send(big('cls/mallory/photo', 2, 8, 300));
    conn.send(big('cls/mallory/photo', 0, 0, 100));
    conn.send(publishPacket('cls/alice/hello', 'Hello #0'));
    assert.deepEqual(
      events.messages.map((m) => m.topic),
      ['cls/alice/hello'],
      'the next message is delivered',
    );
    assert.deepEqual(
      conn.take().map((p) => [p.type, p.id]),
      [
        [PUBACK, 7],
        [PUBREC, 8],
      ],
    );
    conn.send({ type: PUBREL, id: 8 });
    assert.deepEqual(
      conn.take().map((p) => [p.type, p.id]),
      [[PUBCOMP, 8]],
    );
    assert.equal(client.skipped, 3);
    assert.deepEqual(warnings, [`message on cls/mallory/photo of ${p1.length.toLocaleString('en-US')} bytes skipped: above the 64 bytes limit of this board`]);
    assert.equal(events.closes.length, 0, 'no reconnect');
    assert.equal(client.connected, true);
  });

  test('the rest of a piece after a bad packet is ignored', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    const good = new Uint8Array([0x30, 0x05, 0x00, 0x01, 0x61, 0x68, 0x69]); // PUBLISH a "hi"
    conn.send(new Uint8Array([...good, 0xf0, 0x00, ...good]));
    assert.equal(events.messages.length, 1);
    assert.equal(events.closes.length, 1);
  });

  test('packets split at every byte are reassembled', () => {
    const { host, client, events } = setup();
    const conn = online(host, client);
    const p = new Uint8Array([0x32, 0x08, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x05, 0x21, 0xd0, 0x00]);
    for (const b of p) conn.send(new Uint8Array([b]));
    assert.equal(events.messages.length, 1);
    assert.equal(events.messages[0].topic, 'a/b');
    assert.equal(conn.expect(PUBACK)[0].id, 5);
  });
});

describe('offline queue bound', () => {
  test('excess publishes get an error and are counted in dropped', () => {
    const { host, client } = setup({ queue: { messages: 3, bytes: 1000 } });
    const results = [];
    for (let i = 0; i < 5; i++) client.publish('q/t', `m${i}`, { qos: 1 }, (e) => results.push([i, e?.message]));
    assert.equal(client.dropped, 2);
    assert.equal(client.pending, 3);
    assert.deepEqual(
      results.map(([i]) => i),
      [3, 4],
    );
    for (const [, m] of results) assert.match(m, /queue full/);
    client.connect();
    host.last.accept();
    const sent = host.last.expect(PUBLISH, PUBLISH, PUBLISH);
    assert.deepEqual(
      sent.map((p) => payloadText(p.payload)),
      ['m0', 'm1', 'm2'],
    );
  });

  test('the byte bound counts too, and QoS 0 offline messages are in it', () => {
    const { client } = setup({ queue: { messages: 100, bytes: 50 } });
    const errors = [];
    client.publish('t', 'x'.repeat(30), { qos: 0 }, (e) => e && errors.push(e));
    client.publish('t', 'y'.repeat(30), { qos: 1 }, (e) => e && errors.push(e));
    client.publish('t', 'z'.repeat(10), { qos: 1 }, (e) => e && errors.push(e));
    assert.equal(errors.length, 1);
    assert.equal(client.dropped, 1);
    assert.equal(client.pending, 2);
  });

  test('room comes back as the broker acknowledges', () => {
    const { host, client } = setup({ queue: { messages: 1, bytes: 1000 } });
    const conn = online(host, client);
    client.publish('t', 'a', { qos: 1 });
    assert.throws(() => client.publish('t', 'b', { qos: 1 }), /queue full/);
    const [p] = conn.expect(PUBLISH);
    conn.send({ type: PUBACK, id: p.id });
    client.publish('t', 'c', { qos: 1 });
    assert.equal(client.dropped, 1);
  });

  test('QoS 0 without reconnect fails at once when offline', () => {
    const { client } = setup({ reconnect: false });
    assert.throws(() => client.publish('t', 'x'), /not connected/);
  });
});

describe('what enters the client is checked where it enters', () => {
  const long = 'x'.repeat(70000);
  for (const [what, options, re] of [
    ['keepalive 70000', { keepalive: 70000 }, /^keepalive 70000 is not a number of seconds from 0 \(off\) to 65535$/],
    ['keepalive -1', { keepalive: -1 }, /keepalive -1/],
    ['a client id of 70,000 bytes', { clientId: long }, /^the client id is 70000 bytes: MQTT allows 65535 at most$/],
    ['a password of 70,000 bytes', { username: 'u', password: long }, /^the password is 70000 bytes/],
    ['a will of 70,000 bytes', { will: { topic: 'w', payload: long } }, /^will: the payload is 70000 bytes/],
    ['a will at QoS 3', { will: { topic: 'w', payload: '', qos: 3 } }, /^will: QoS 3 does not exist: use 0, 1 or 2$/],
    ['a client id with a lone surrogate', { clientId: 'a\ud800b' }, /^the client id must be valid text: it holds a lone surrogate/],
  ]) {
    test(`${what}: an MqttError at construction, no RangeError later`, () => {
      assert.throws(
        () => new MqttClient(virtualHost(), endpoint, { clientId: 'c', ...options }),
        (e) => e instanceof MqttError && re.test(e.message),
      );
    });
  }

  test('QoS 3, and a topic with a lone surrogate, are refused by publish and subscribe', () => {
    const { host, client } = setup();
    online(host, client);
    const errors = [];
    client.publish('t', 'x', { qos: 3 }, (e) => errors.push(e.message));
    client.subscribe('t', { qos: 3 }, (e) => errors.push(e.message));
    client.publish('a\udc00', 'x', {}, (e) => errors.push(e.message));
    client.subscribe('a/\ud83d/#', {}, (e) => errors.push(e.message));
    assert.deepEqual(errors, [
      'QoS 3 does not exist: use 0, 1 or 2',
      'QoS 3 does not exist: use 0, 1 or 2',
      'a topic must be valid text: it holds a lone surrogate (half of a UTF-16 pair)',
      'a topic filter must be valid text: it holds a lone surrogate (half of a UTF-16 pair)',
    ]);
    assert.deepEqual(
      host.last.take().filter((p) => p.type !== SUBSCRIBE),
      [],
    );
  });

  for (const [what, bytes, re] of [
    ['an empty topic', [0x30, 0x04, 0x00, 0x00, 0x68, 0x69], /^protocol error: PUBLISH with an empty topic$/],
    ['a wildcard topic', [0x30, 0x05, 0x00, 0x03, 0x61, 0x2f, 0x23], /^protocol error: PUBLISH to "a\/#": \+ and # are only for topic filters$/],
  ]) {
    test(`a PUBLISH from the broker with ${what} is a protocol error`, () => {
      const { host, client, events } = setup();
      const conn = online(host, client);
      conn.send(new Uint8Array(bytes));
      assert.match(events.closes[0].reason, re);
      assert.equal(events.messages.length, 0);
    });
  }

  test('a SUBACK for no SUBSCRIBE, or with the wrong number of codes, is a protocol error', () => {
    const { host, client, events } = setup();
    let conn = online(host, client);
    conn.send({ type: SUBACK, id: 42, granted: [0] });
    assert.equal(events.closes[0].reason, 'protocol error: SUBACK for packet identifier 42, which no SUBSCRIBE waits for');
    host.advance(1500);
    conn = host.last;
    conn.accept();
    client.subscribe('a');
    const [s] = conn.expect(SUBSCRIBE);
    conn.send({ type: SUBACK, id: s.id, granted: [0, 0] });
    assert.equal(events.closes[1].reason, 'protocol error: SUBACK with 2 return codes for 1 topic filters');
    host.advance(3000);
    host.last.accept();
    const [again] = host.last.expect(SUBSCRIBE);
    host.last.send({ type: UNSUBACK, id: again.id });
    assert.equal(events.closes[2].reason, `protocol error: UNSUBACK for packet identifier ${again.id}, which no UNSUBSCRIBE waits for`);
  });

  test('a subscription granted a lower QoS: done gets the granted QoS, and it is said once', () => {
    const { host, client } = setup();
    const warnings = [];
    client.onWarning = (w) => warnings.push(w);
    const conn = online(host, client);
    let granted;
    client.subscribe('room/+/temp', { qos: 2 }, (_e, g) => {
      granted = g;
    });
    const [s] = conn.expect(SUBSCRIBE);
    conn.send({ type: SUBACK, id: s.id, granted: [1] });
    assert.equal(granted, 1);
    conn.drop('x');
    host.advance(1500);
    host.last.accept();
    const [again] = host.last.expect(SUBSCRIBE);
    host.last.send({ type: SUBACK, id: again.id, granted: [1] });
    assert.deepEqual(warnings, ['the broker granted QoS 1 for room/+/temp (asked 2): messages may come twice']);
  });
});
