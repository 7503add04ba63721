// Faults a classroom network makes, injected between the client and a real Mosquitto by the
// proxy of helpers/proxy.mjs: lost acknowledgements, lost pings, a frozen link, a stream cut into
// single bytes, duplicated packets, a slow link; a board whose WiFi goes away; a board that loses
// power in the middle of a QoS 2 exchange; and passwords, which must never reach a log line.
// Only 127.0.0.1 is contacted. Times are bounded functionally (the event loop's measured lateness
// is added to every bound), never benchmarked.
//
// What a power cycle in the middle of QoS 2 does (a new MqttClient, same client id, clean: false,
// all RAM gone), as the tests below establish against Mosquitto 2.0:
//   receiving  the ids of QoS 2 messages received but not yet released (PUBREL) live in RAM only.
//              If the power goes after the application got the message but before the broker got
//              the PUBREC, the broker sends the PUBLISH again with DUP set and the new incarnation
//              delivers it again: at least once, and the second delivery has `dup` true. If the
//              broker had the PUBREC, it sends only PUBREL again; the new incarnation answers
//              PUBCOMP and delivers nothing: exactly once.
//   sending    messages not yet acknowledged, and the offline queue, live in RAM only: lost.
//              A QoS 2 message whose PUBREC came back but whose PUBREL was never sent stays in the
//              broker's session undelivered (Mosquitto delivers at PUBREL and does not send PUBREC
//              again when the session resumes); a new message that reuses its packet identifier
//              is delivered, once, and the old one never is.
//   the demo   boards use clean sessions and QoS 0: a restart starts again from nothing, as the
//              seed's machine.reset() does.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MqttClient, SimBoard, SimWiFi, payloadText, encode, CONNECT, CONNACK, PUBLISH } from '../../dist/index.js';
import { startMosquitto, mosquittoSkip, needMosquitto } from '../helpers/mosquitto.mjs';
import { startProxy, until, sleep, once, measuredHost } from '../helpers/proxy.mjs';
import { virtualHost } from '../helpers/virtual-host.mjs';

const LOCAL = '127.0.0.1';
const uid = () => randomBytes(4).toString('hex');
const FAST = { min: 20, max: 200 };

const live = new Set();
const proxies = new Set();
const boards = new Set();
afterEach(async () => {
  for (const c of live) c.end();
  live.clear();
  for (const b of boards) b.stop();
  boards.clear();
  await Promise.all([...proxies].map((p) => p.close()));
  proxies.clear();
});

async function proxyTo(port) {
  const p = await startProxy({ target: port });
  proxies.add(p);
  return p;
}

/** A client on a measured Node host, connecting at once, recording what it reports. */
function client(port, options = {}) {
  const host = measuredHost();
  const c = new MqttClient(host, { host: LOCAL, port }, { clientId: `f-${uid()}`, keepalive: 30, reconnect: FAST, connectTimeout: 2000, ...options });
  live.add(c);
  const r = { client: c, host, messages: [], closes: [], connects: [] };
  c.onMessage = (m) => r.messages.push({ topic: m.topic, text: payloadText(m.payload), qos: m.qos, dup: m.dup, size: m.payload.length });
  // lastData: when the client was last given bytes, i.e. when the broker last spoke on that link.
  c.onClose = (reason, retryIn) => r.closes.push({ reason, retryIn, at: performance.now(), lastData: host.lastData });
  c.onConnect = (sp) => r.connects.push(sp);
  c.connect();
  return r;
}

const subscribe = (c, filter, qos) => new Promise((resolve, reject) => c.subscribe(filter, { qos }, (e, g) => (e ? reject(e) : resolve(g))));
const publish = (c, topic, payload, qos) => new Promise((resolve, reject) => c.publish(topic, payload, { qos }, (e) => (e ? reject(e) : resolve())));
const connected = (r, n = 1) => until(() => r.connects.length >= n && r.client.connected, `connection #${n}`);
/** Ends a client the way a power cut does: no DISCONNECT (the link is already gone), nothing kept. */
function powerOff(r) {
  r.client.onClose = undefined;
  r.client.end();
  live.delete(r.client);
}

/**
 * The keepalive promise: a dead link is found within 1.5 keepalive periods of the last bytes
 * from the broker. `r.host` measured when those came and how late the client's timers fired.
 */
function assertDetectedInTime(r, keepalive, close) {
  const silentFor = close.at - close.lastData;
  const bound = 1.5 * keepalive * 1000 + r.host.lateness(close.lastData, close.at) + 20;
  assert.ok(silentFor <= bound, `closed ${Math.round(silentFor)} ms after the broker last spoke; bound ${Math.round(bound)} ms`);
  return silentFor;
}

describe('faults between the client and Mosquitto', { skip: mosquittoSkip() }, () => {
  let broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(async () => {
    await broker?.stop();
  });

  test('split at every byte, both ways: connect, subscribe, QoS 0/1/2 of every size still work', async (t) => {
    const proxy = await proxyTo(broker.port);
    proxy.splitEveryByte(true);
    const topic = `f/split/${uid()}`;
    const sub = client(proxy.port);
    assert.equal(await subscribe(sub.client, `${topic}/#`, 2), 2);
    const pub = client(proxy.port);
    const sizes = [0, 1, 127, 128, 3000];
    for (const qos of [0, 1, 2]) for (const n of sizes) await publish(pub.client, `${topic}/${qos}`, 'x'.repeat(n), qos);
    await until(
      () => sub.messages.length === 15,
      () => `15 messages, got ${sub.messages.length}`,
    );
    assert.deepEqual(
      sub.messages.map((m) => [m.qos, m.size]),
      [0, 1, 2].flatMap((q) => sizes.map((n) => [q, n])),
    );
    // The client was really given its stream in small pieces (loopback may join a few bytes under load).
    const small = sub.host.chunks.filter((n) => n <= 2).length;
    assert.ok(small > sub.host.chunks.length / 2, `${small} of ${sub.host.chunks.length} pieces were 1-2 bytes`);
    t.diagnostic(`the subscriber was given ${sub.host.chunks.length} pieces, ${small} of them 1-2 bytes`);
    assert.deepEqual([sub.closes, pub.closes], [[], []]);
  });

  test('a dropped PUBACK to the publisher: after a reconnect the message goes again with DUP and is acknowledged', async () => {
    const proxy = await proxyTo(broker.port);
    const topic = `f/puback/${uid()}`;
    const sub = client(broker.port);
    await subscribe(sub.client, topic, 1);
    const pub = client(proxy.port, { clean: false });
    await connected(pub);
    proxy.drop(once((p, dir) => dir === 'toClient' && p.cmd === 'puback'));
    let acked = null;
    pub.client.publish(topic, 'once more', { qos: 1 }, (e) => {
      acked = e ?? 'ok';
    });
    await until(() => proxy.packets.some((e) => e.cmd === 'puback' && e.dropped), 'the PUBACK dropped');
    await until(() => sub.messages.length === 1, 'the first delivery');
    await sleep(100);
    assert.equal(acked, null, 'no PUBACK, no acknowledgement');
    assert.equal(pub.client.pending, 1);
    const first = proxy.packets.find((e) => e.dir === 'toBroker' && e.cmd === 'publish');
    proxy.cut();
    await until(() => acked, 'the acknowledgement after the reconnect');
    assert.equal(acked, 'ok');
    const again = proxy.packets.filter((e) => e.dir === 'toBroker' && e.cmd === 'publish');
    assert.equal(again.length, 2);
    assert.deepEqual([again[1].packet.dup, again[1].packet.messageId, String(again[1].packet.payload)], [true, first.packet.messageId, 'once more']);
    assert.equal(again[1].link, 1, 'sent on the new connection');
    await until(() => sub.messages.length === 2, 'the broker delivers the resent copy too (QoS 1 is at least once)');
    assert.equal(pub.client.pending, 0);
  });

  test('a dropped PUBACK from the subscriber: the broker redelivers with DUP after the reconnect', async () => {
    const proxy = await proxyTo(broker.port);
    const topic = `f/puback-sub/${uid()}`;
    const sub = client(proxy.port, { clientId: `f-sub-${uid()}`, clean: false });
    await subscribe(sub.client, topic, 1);
    proxy.drop(once((p, dir) => dir === 'toBroker' && p.cmd === 'puback'));
    const pub = client(broker.port);
    await publish(pub.client, topic, 'hello', 1);
    await until(() => sub.messages.length === 1 && proxy.packets.some((e) => e.cmd === 'puback' && e.dropped), 'delivered, PUBACK dropped');
    proxy.cut();
    await until(() => sub.messages.length === 2, 'the redelivery');
    assert.deepEqual(
      sub.messages.map((m) => [m.text, m.dup]),
      [
        ['hello', false],
        ['hello', true],
      ],
    );
    assert.equal(sub.connects.at(-1), true, 'session present');
  });

  test('a dropped PUBREC to the publisher: PUBLISH again with DUP, and the subscriber gets it once', async () => {
    const proxy = await proxyTo(broker.port);
    const topic = `f/pubrec/${uid()}`;
    const sub = client(broker.port);
    await subscribe(sub.client, topic, 2);
    const pub = client(proxy.port, { clean: false });
    await connected(pub);
    proxy.drop(once((p, dir) => dir === 'toClient' && p.cmd === 'pubrec'));
    let done = null;
    pub.client.publish(topic, 'exactly once', { qos: 2 }, (e) => {
      done = e ?? 'ok';
    });
    await until(() => proxy.packets.some((e) => e.cmd === 'pubrec' && e.dropped), 'the PUBREC dropped');
    await sleep(100);
    assert.equal(done, null);
    proxy.cut();
    await until(() => done, 'PUBCOMP after the reconnect');
    assert.equal(done, 'ok');
    const sent = proxy.packets.filter((e) => e.dir === 'toBroker').map((e) => e.cmd + (e.packet.dup ? '+dup' : ''));
    assert.deepEqual(
      sent.filter((c) => c.startsWith('pub')),
      ['publish', 'publish+dup', 'pubrel'],
    );
    await sleep(200);
    assert.deepEqual(
      sub.messages.map((m) => m.text),
      ['exactly once'],
    );
  });

  test('a dropped PUBREC from the subscriber: the broker sends the PUBLISH again, the client does not deliver it twice', async () => {
    const proxy = await proxyTo(broker.port);
    const topic = `f/pubrec-sub/${uid()}`;
    const sub = client(proxy.port, { clientId: `f-sub-${uid()}`, clean: false });
    await subscribe(sub.client, topic, 2);
    proxy.drop(once((p, dir) => dir === 'toBroker' && p.cmd === 'pubrec'));
    const pub = client(broker.port);
    await publish(pub.client, topic, 'exactly once', 2);
    await until(() => sub.messages.length === 1 && proxy.packets.some((e) => e.cmd === 'pubrec' && e.dropped), 'delivered, PUBREC dropped');
    proxy.cut();
    await until(() => proxy.packets.some((e) => e.dir === 'toClient' && e.cmd === 'publish' && e.packet.dup), 'the broker sending it again with DUP');
    await until(() => proxy.count('toBroker', 'pubcomp') === 1, 'the exchange completed');
    await sleep(100);
    assert.deepEqual(
      sub.messages.map((m) => m.text),
      ['exactly once'],
    );
  });

  test('a duplicated PUBLISH QoS 2, either way, is delivered once', async () => {
    const topic = `f/dup/${uid()}`;
    const toSub = await proxyTo(broker.port);
    toSub.duplicate((p, dir) => dir === 'toClient' && p.cmd === 'publish' && p.qos === 2);
    const sub = client(toSub.port);
    await subscribe(sub.client, topic, 2);
    const fromPub = await proxyTo(broker.port);
    fromPub.duplicate((p, dir) => dir === 'toBroker' && p.cmd === 'publish' && p.qos === 2);
    const pub = client(fromPub.port);
    for (let i = 0; i < 5; i++) await publish(pub.client, topic, `m${i}`, 2);
    await until(() => sub.messages.length >= 5 && toSub.count('toBroker', 'pubcomp') >= 5, 'five messages and their PUBCOMPs');
    await sleep(200);
    assert.equal(fromPub.count('toBroker', 'publish'), 5);
    assert.ok(fromPub.packets.filter((e) => e.duplicated).length === 5 && toSub.packets.filter((e) => e.duplicated).length === 5);
    assert.deepEqual(
      sub.messages.map((m) => m.text),
      ['m0', 'm1', 'm2', 'm3', 'm4'],
    );
    assert.deepEqual([sub.closes, pub.closes], [[], []], 'a duplicate is no reason to drop the connection');
  });

  test('a dropped PINGRESP: the dead link is found within 1.5 keepalive periods, then the client reconnects', async () => {
    const proxy = await proxyTo(broker.port);
    const r = client(proxy.port, { keepalive: 1 });
    await connected(r);
    await until(() => proxy.count('toClient', 'pingresp') >= 1, 'a first PINGRESP');
    proxy.drop((p) => p.cmd === 'pingresp');
    const close = await until(() => r.closes[0], 'the client closing the link');
    assertDetectedInTime(r, 1, close);
    assert.match(close.reason, /^no PINGRESP within \d+\.\d s: connection lost$/);
    assert.ok(close.retryIn > 0);
    proxy.drop(null);
    await connected(r, 2);
  });

  test('a stalled link (nothing forwarded, sockets open): found within 1.5 keepalive periods; back when it flows', async () => {
    const proxy = await proxyTo(broker.port);
    const r = client(proxy.port, { keepalive: 1, connectTimeout: 1000 });
    await connected(r);
    await sleep(100);
    proxy.stall(true);
    r.client.publish('f/stall', 'into the void', { qos: 0 }); // the client's own traffic does not prove the broker alive
    const close = await until(() => r.closes[0], 'the client closing the link');
    assertDetectedInTime(r, 1, close);
    assert.match(close.reason, /no PINGRESP/);
    // While it stays stalled, attempts fail on the CONNACK timeout, with backoff.
    await until(() => r.closes.length >= 2, 'a failed attempt while stalled');
    assert.match(r.closes[1].reason, /CONNACK timeout/);
    proxy.stall(false);
    await connected(r, 2);
  });

  test('a slow link (100 ms each way): QoS 2 completes and keepalive 2 s does not mistake it for a dead one', async () => {
    const proxy = await proxyTo(broker.port);
    proxy.delay(100);
    const topic = `f/slow/${uid()}`;
    const r = client(proxy.port, { keepalive: 2 });
    await subscribe(r.client, topic, 2);
    await publish(r.client, topic, 'slowly', 2);
    await until(() => r.messages.length === 1, 'the message back');
    await until(() => proxy.count('toClient', 'pingresp') >= 1, 'a ping answered');
    assert.deepEqual(r.closes, []);
  });

  test('WiFi lost: no connection attempt while it is gone; back, the board reconnects and the count goes on', async () => {
    const proxy = await proxyTo(broker.port);
    const prefix = `f/wifi/${uid()}/`;
    const watcher = client(broker.port);
    const hellos = [];
    watcher.client.onMessage = (m) => hellos.push(Number(payloadText(m.payload).split('#')[1]));
    await subscribe(watcher.client, `${prefix}hello`, 0);
    const wifi = new SimWiFi(20);
    const sim = new SimBoard({
      name: 'esp1',
      wifi,
      print: () => {},
      restartDelay: 50,
      config: {
        ssid: 'classroom',
        password: 'wifi-pass',
        broker: `${LOCAL}:${proxy.port}`,
        role: 'hello',
        topicPrefix: prefix,
        interval: 50,
        backoffMin: 50,
        backoffMax: 200,
        wifiRetry: 100,
        wifiTimeout: 200,
      },
    }).start();
    boards.add(sim);
    await until(() => hellos.length >= 3, 'hellos');
    wifi.drop();
    await until(() => sim.lines.includes('WiFi disconnected: MQTT paused until the WiFi is back'), 'the pause');
    const attempts = proxy.connections;
    await until(() => sim.lines.filter((l) => l.startsWith('WiFi: no IP address')).length >= 2, 'two WiFi join timeouts');
    assert.equal(proxy.connections, attempts, 'no TCP attempt while the WiFi is down');
    assert.equal(sim.board.client.connected, false);
    assert.ok(!sim.lines.some((l) => l.startsWith('Failed to connect')), 'no reconnect storm');
    // Read now, not at the pause: hellos written just before it may still have been on their way.
    const seenBefore = hellos.length;
    const lastBefore = Math.max(...hellos);
    wifi.restore();
    await until(() => hellos.length >= seenBefore + 2, 'hellos again');
    const again = hellos.slice(seenBefore);
    // The count goes on (a hello written just as the WiFi went may be lost: QoS 0).
    assert.ok(again[0] > lastBefore && again[0] <= lastBefore + 2, `the count went on: ${lastBefore}, then ${again.join(', ')}`);
    assert.deepEqual(
      hellos,
      [...hellos].sort((a, b) => a - b),
    );
    assert.equal(sim.restarts, 0);
  });

  describe('a power cycle in the middle of a QoS 2 exchange (new client, same id, clean: false)', () => {
    test('receiver, before the broker got PUBREC: delivered again, marked DUP (at least once)', async () => {
      const proxy = await proxyTo(broker.port);
      const topic = `f/pc/a/${uid()}`;
      const id = `f-pc-a-${uid()}`;
      const first = client(proxy.port, { clientId: id, clean: false });
      await subscribe(first.client, topic, 2);
      proxy.drop((p, dir) => dir === 'toBroker' && p.cmd === 'pubrec'); // lost with the power
      const pub = client(broker.port);
      await publish(pub.client, topic, 'm', 2);
      await until(() => first.messages.length === 1, 'the first delivery');
      proxy.cut();
      powerOff(first);
      proxy.drop(null);
      const second = client(proxy.port, { clientId: id, clean: false });
      await until(() => second.messages.length === 1, 'the redelivery to the new incarnation');
      await until(() => proxy.count('toBroker', 'pubcomp') === 1, 'the exchange completed');
      assert.deepEqual(second.connects, [true]);
      assert.deepEqual([first.messages[0].dup, second.messages[0].dup], [false, true]);
      assert.deepEqual(
        [...first.messages, ...second.messages].map((m) => m.text),
        ['m', 'm'],
      );
    });

    test('receiver, after the broker got PUBREC: only PUBREL comes again, answered, nothing delivered twice', async () => {
      const proxy = await proxyTo(broker.port);
      const topic = `f/pc/b/${uid()}`;
      const id = `f-pc-b-${uid()}`;
      const first = client(proxy.port, { clientId: id, clean: false });
      await subscribe(first.client, topic, 2);
      proxy.drop((p, dir) => dir === 'toClient' && p.cmd === 'pubrel');
      const pub = client(broker.port);
      await publish(pub.client, topic, 'm', 2);
      await until(() => first.messages.length === 1 && proxy.count('toClient', 'pubrel') === 1, 'delivered, PUBREC sent, PUBREL lost');
      proxy.cut();
      powerOff(first);
      proxy.drop(null);
      const second = client(proxy.port, { clientId: id, clean: false });
      await until(() => proxy.count('toBroker', 'pubcomp') === 1, 'PUBCOMP for the PUBREL sent again');
      await sleep(200);
      assert.deepEqual(second.messages, []);
      assert.deepEqual(
        first.messages.map((m) => m.text),
        ['m'],
      );
    });

    test('sender, after PUBREC and before PUBREL: the message stays undelivered; a new one on the same id arrives once', async () => {
      const proxy = await proxyTo(broker.port);
      const topic = `f/pc/c/${uid()}`;
      const id = `f-pc-c-${uid()}`;
      const sub = client(broker.port);
      await subscribe(sub.client, topic, 2);
      const first = client(proxy.port, { clientId: id, clean: false });
      await connected(first);
      proxy.drop((p, dir) => dir === 'toClient' && p.cmd === 'pubrec'); // the PUBREL is never sent
      first.client.publish(topic, 'before the power cut', { qos: 2 }, () => {});
      await until(() => proxy.count('toClient', 'pubrec') === 1, 'the broker has it, waiting for PUBREL');
      proxy.cut();
      powerOff(first);
      proxy.drop(null);
      const second = client(proxy.port, { clientId: id, clean: false });
      await connected(second);
      assert.equal(second.connects[0], true);
      await sleep(200);
      assert.equal(proxy.packets.filter((e) => e.link === 1 && e.dir === 'toClient' && e.cmd === 'pubrec').length, 0, 'Mosquitto does not send PUBREC again');
      await publish(second.client, topic, 'after the power cut', 2);
      const reused = proxy.packets.filter((e) => e.dir === 'toBroker' && e.cmd === 'publish').map((e) => e.packet.messageId);
      await until(() => sub.messages.length >= 1, 'a delivery');
      await sleep(200);
      assert.deepEqual(
        sub.messages.map((m) => m.text),
        ['after the power cut'],
      );
      assert.equal(reused[0], reused[1], 'the new incarnation reused the packet identifier');
    });
  });
});

describe('a piece of stream that outlives its connection', () => {
  test('packets after a refusal, in the same piece, do not reach the connection the application opens at once', () => {
    const host = virtualHost();
    const client = new MqttClient(host, { host: 'broker.test', port: 1883 }, { clientId: 'x' });
    const closes = [];
    client.onConnect = () => closes.push('connected');
    client.onClose = (reason) => {
      closes.push(reason);
      client.connect();
    }; // an application that retries at once
    client.connect();
    const first = host.last;
    first.open();
    first.expect(CONNECT);
    const refusal = encode({ type: CONNACK, sessionPresent: false, returnCode: 5 });
    const stray = encode({ type: PUBLISH, topic: 't', payload: new Uint8Array(1), qos: 0, retain: false, dup: false, id: 0 });
    const chunk = new Uint8Array(refusal.length + stray.length);
    chunk.set(refusal);
    chunk.set(stray, refusal.length);
    first.send(chunk);
    const second = host.last;
    assert.notEqual(second, first, 'a new connection was opened from onClose');
    assert.equal(second.closed, false, 'the stray PUBLISH did not close the new connection');
    second.accept();
    assert.deepEqual(closes, ['connection refused: not authorized', 'connected']);
  });
});

describe('passwords never reach a log line or a close reason', () => {
  // Passwords with the characters that break naive masking: @ / : % and a space.
  const PASSWORDS = ['S3cret-Pw', 'p@ss/w:rd 50%', 'a/b'];
  const forms = (pw) => [pw, encodeURIComponent(pw), ...pw.split(/[@/:% ]/).filter((s) => s.length >= 3)];
  function assertClean(texts, pw, where) {
    for (const text of texts) for (const f of forms(pw)) assert.ok(!text.includes(f), `${where}: "${text}" contains "${f}"`);
  }

  test('the client: options.password and the endpoint password, refused, accepted, lost', async (t) => {
    if (!needMosquitto(t)) return;
    const users = { student: PASSWORDS[0], teacher: PASSWORDS[1] };
    const broker = await startMosquitto({ users });
    try {
      const seen = [];
      for (const [username, password] of [
        ['student', `wrong-${PASSWORDS[0]}`],
        ['teacher', PASSWORDS[1].slice(1)],
        ['student', PASSWORDS[0]],
        ['teacher', PASSWORDS[1]],
      ]) {
        for (const where of ['options', 'endpoint']) {
          const host = measuredHost();
          const endpoint = { host: LOCAL, port: broker.port, ...(where === 'endpoint' ? { username, password } : {}) };
          const c = new MqttClient(host, endpoint, {
            clientId: `s-${uid()}`,
            reconnect: { min: 20, max: 40 },
            ...(where === 'options' ? { username, password } : {}),
          });
          live.add(c);
          const reasons = [];
          c.onClose = (reason) => reasons.push(reason);
          c.connect();
          await until(() => reasons.length >= 2 || c.connected, 'a refusal or a connection');
          seen.push({ password, texts: [...reasons, ...host.lines], c, reasons, host });
        }
      }
      await broker.stop({ keepDir: true }); // and the accepted ones lose their broker
      await until(() => seen.every((s) => s.reasons.length >= 2), 'every client reporting a loss or refusal');
      await broker.start();
      for (const s of seen) {
        s.c.end();
        assertClean([...s.reasons, ...s.host.lines], s.password, 'client');
      }
      assert.ok(
        seen.some((s) => s.reasons.some((r) => /not authorized|bad user name or password/.test(r))),
        'refusals were seen',
      );
    } finally {
      await broker.stop();
    }
  });

  test('the board: mqtt://user:pass@ in its config, refused until it restarts, then accepted and lost', async (t) => {
    if (!needMosquitto(t)) return;
    const broker = await startMosquitto({ users: { student: PASSWORDS[1] } });
    try {
      const url = (pw) => `mqtt://student:${encodeURIComponent(pw)}@${LOCAL}:${broker.port}`;
      const wrong = new SimBoard({
        name: 'esp1',
        print: () => {},
        restartDelay: 20,
        config: { broker: url(`x${PASSWORDS[1]}`), role: 'hello', backoffMin: 20, backoffMax: 40, restartAfter: 2 },
      });
      boards.add(wrong);
      wrong.start();
      await until(() => wrong.restarts >= 1 && wrong.lines.some((l) => l.startsWith('Board restarted')), 'a restart after refusals');
      wrong.stop();
      assert.ok(
        wrong.lines.some((l) => /connection refused: (not authorized|bad user name or password)/.test(l)),
        wrong.lines.join('\n'),
      );
      assertClean(wrong.lines, `x${PASSWORDS[1]}`, 'board refused');

      const right = new SimBoard({
        name: 'esp1',
        print: () => {},
        config: { broker: url(PASSWORDS[1]), role: 'hello', backoffMin: 20, backoffMax: 40, restartAfter: 0 },
      });
      boards.add(right);
      right.start();
      await until(() => right.lines.some((l) => l.startsWith('Connected to')), 'connected');
      await broker.stop({ keepDir: true });
      await until(() => right.lines.some((l) => l.startsWith('Failed to connect')), 'the loss reported');
      await broker.start();
      right.stop();
      assertClean(right.lines, PASSWORDS[1], 'board accepted');
    } finally {
      await broker.stop();
    }
  });

  // A broker value the config rejects is shown back to the user: with the password masked.
  const configCases = [
    ['a plain password, bad port', 'mqtt://student:S3cret-Pw@127.0.0.1:0', 'S3cret-Pw', false],
    ['a plain password, a path', 'mqtt://student:S3cret-Pw@127.0.0.1/x', 'S3cret-Pw', false],
    ['an escaped password, another scheme', 'http://student:p%40ss%2Fw@127.0.0.1', 'p@ss/w', false],
    ['an unescaped @ in the password', 'mqtt://student:p@ss0rd@127.0.0.1:0', 'p@ss0rd', false],
    ['an unescaped / in the password, bad port', 'mqtt://student:ab/cd@127.0.0.1:0', 'ab/cd', false],
    ['no mqtt:// in front', 'student:S3cret-Pw@127.0.0.1', 'S3cret-Pw', false],
  ];
  for (const [name, value, pw, todo] of configCases) {
    test(`config refusal, ${name}`, { todo: todo || undefined }, () => {
      const b = new SimBoard({ name: 'bad', print: () => {}, config: { broker: value, role: 'hello' } });
      b.start();
      assert.equal(b.board, null);
      assert.match(b.lines[0], /^Config error: broker "/);
      assertClean(b.lines, pw, 'config error');
    });
  }
});
