// MqttClient on the Node host against real brokers: a private Mosquitto (password file, ACL,
// persistence) and Aedes in-process. The scenarios are those of the lab (a French university
// MQTT lab with Mosquitto and Paho), shared by both brokers where they behave the same.
// Only 127.0.0.1 is ever contacted.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { randomBytes } from 'node:crypto';
import { MqttClient, Decoder, connectTcp, nodeHost, payloadText, PINGREQ, PINGRESP, PUBREC, PUBCOMP, PUBREL, DISCONNECT } from '../../dist/index.js';
import { describeSocketError } from '../../dist/testing.js';
import { startMosquitto, mosquittoAround, mosquittoSkip, freePort } from '../helpers/mosquitto.mjs';
import { startAedes, usersAuthenticate } from '../helpers/aedes.mjs';
import { sleep, until } from '../helpers/wait.mjs';

const LOCAL = '127.0.0.1';
const USERS = { student: 'secret', teacher: 'chalk' };
const STUDENT = { username: 'student', password: 'secret' };
const TEACHER = { username: 'teacher', password: 'chalk' };

// Mosquitto's acl_file: the student may use lab/# and myRasp/#, and only read secret/public.
const ACL = `
user student
topic readwrite lab/#
topic readwrite myRasp/#
topic read secret/public

user teacher
topic readwrite #
`;

// The same rules for Aedes. A denied subscription answers SUBACK 0x80; a denied publish
// closes the connection (Aedes has no way to drop it silently as Mosquitto does).
const studentMay = (topic) => /^(lab|myRasp)(\/|$)/.test(topic);
const aedesWithUsers = () =>
  startAedes({
    authenticate: (client, username, password, cb) =>
      usersAuthenticate(USERS)(client, username, password, (e, ok) => {
        if (ok) client.user = username;
        cb(e, ok);
      }),
    authorizeSubscribe(client, sub, cb) {
      if (client.user === 'teacher' || studentMay(sub.topic) || sub.topic === 'secret/public') return cb(null, sub);
      cb(null, null); // SUBACK 0x80
    },
    authorizePublish(client, packet, cb) {
      if (!client || client.user === 'teacher' || studentMay(packet.topic)) return cb(null);
      cb(new Error(`publish to ${packet.topic} denied`));
    },
  });

const BROKERS = [
  {
    name: 'mosquitto',
    skip: mosquittoSkip(),
    start: () => startMosquitto({ users: USERS, acl: ACL, allowAnonymous: false }),
    // Mosquitto 2.0's acl_file grants any subscription and filters at delivery; a denied publish is acknowledged and dropped.
    refusal: 'not authorized', // Mosquitto 2 answers 5 to a wrong password
    deniedSubscribe: 'filtered',
    deniedPublish: 'dropped',
    acl: 'a denied subscription is granted but nothing forbidden is delivered; a denied publish is acknowledged and dropped',
  },
  {
    name: 'aedes',
    skip: false,
    start: aedesWithUsers,
    refusal: 'bad user name or password', // what usersAuthenticate answers (4)
    deniedSubscribe: 'refused',
    deniedPublish: 'disconnect',
    acl: 'a denied subscription is SUBACK 0x80; a denied publish closes the connection',
  },
];

// ---- helpers

const uid = () => randomBytes(4).toString('hex');

/**
 * A Node host (nodeHost, connectTcp) whose connections are tapped: the type of every packet the
 * client wrote and every packet it received, decoded. With `raw`, connections use a socket of
 * our own instead of connectTcp, so that `sever()` can destroy it without DISCONNECT.
 */
function tappedHost({ raw = false } = {}) {
  const host = nodeHost({ log: () => {}, deviceId: 'test' });
  const tap = { sent: [], received: [], sockets: [], connects: 0 };
  host.connect = (to, events) => {
    assert.equal(to.host, LOCAL, 'tests only ever connect to 127.0.0.1');
    tap.connects++;
    const decoder = new Decoder((p) => tap.received.push(p), 1 << 24);
    const tapped = {
      connected: () => events.connected(),
      closed: (reason) => events.closed(reason),
      data(bytes) {
        try {
          decoder.push(Uint8Array.from(bytes));
        } catch {
          /* the client reports it */
        }
        events.data(bytes);
      },
    };
    const conn = raw ? rawTcp(to, tapped, tap.sockets) : connectTcp(to, tapped);
    return {
      write: (bytes) => {
        tap.sent.push(bytes[0] >> 4);
        conn.write(bytes);
      },
      close: () => conn.close(),
    };
  };
  tap.count = (type) => tap.sent.filter((t) => t === type).length;
  tap.countReceived = (type) => tap.received.filter((p) => p.type === type).length;
  /** Destroys the socket: no DISCONNECT, as when the board loses power (raw hosts only). */
  tap.sever = () => {
    assert.ok(tap.sockets.length, 'sever() needs tappedHost({ raw: true })');
    for (const s of tap.sockets) s.destroy();
  };
  return { host, tap };
}

/** connectTcp's twin that hands its socket to the test. */
function rawTcp(to, events, sockets) {
  const socket = createConnection({ host: to.host, port: to.port });
  socket.setNoDelay(true);
  sockets.push(socket);
  let reason;
  socket.on('connect', () => events.connected());
  socket.on('data', (b) => events.data(new Uint8Array(b.buffer, b.byteOffset, b.length)));
  socket.on('error', (e) => {
    reason = describeSocketError(e, to);
  });
  socket.on('close', () => events.closed(reason));
  return {
    write: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    close: () => {
      socket.removeAllListeners('close');
      socket.end();
      socket.destroySoon();
    },
  };
}

const live = new Set();
afterEach(() => {
  for (const c of live) c.end();
  live.clear();
});

/**
 * A client on a tapped Node host, with promises for what it reports.
 * options: ClientOptions (reconnect is off unless given); hostOptions: tappedHost's.
 */
function makeClient(port, options = {}, hostOptions = {}) {
  const { host, tap } = tappedHost(hostOptions);
  const client = new MqttClient(
    host,
    { host: LOCAL, port },
    { clientId: `t-${uid()}`, reconnect: false, keepalive: 30, connectTimeout: 3000, ...STUDENT, ...options },
  );
  live.add(client);
  const c = {
    client,
    tap,
    messages: [],
    closes: [],
    connects: [],
    /** Connects; resolves with sessionPresent, rejects with the close reason. */
    connect() {
      return new Promise((resolve, reject) => {
        client.onConnect = (sp) => {
          c.connects.push(sp);
          resolve(sp);
        };
        client.onClose = (reason, retryIn) => {
          c.closes.push({ reason, retryIn });
          reject(new Error(reason));
        };
        client.connect();
      });
    },
    /** Resolves with the granted QoS; rejects on refusal. */
    subscribe(filter, opts = {}) {
      return new Promise((resolve, reject) => client.subscribe(filter, opts, (e, q) => (e ? reject(e) : resolve(q))));
    },
    /** Resolves once the broker acknowledged (QoS 1/2) or the packet was written (QoS 0). */
    publish(topic, payload, opts = {}) {
      return new Promise((resolve, reject) => client.publish(topic, payload, opts, (e) => (e ? reject(e) : resolve())));
    },
    end() {
      client.end();
      live.delete(client);
    },
  };
  client.onMessage = (m) => c.messages.push({ topic: m.topic, text: payloadText(m.payload), qos: m.qos, retain: m.retain, dup: m.dup });
  return c;
}

async function online(port, options, hostOptions) {
  const c = makeClient(port, options, hostOptions);
  await c.connect();
  // Later closes are recorded, not thrown.
  c.client.onClose = (reason, retryIn) => c.closes.push({ reason, retryIn });
  return c;
}

// ---- the shared scenarios

for (const kind of BROKERS) {
  describe(`against ${kind.name}`, { skip: kind.skip }, () => {
    let broker;
    let port;
    let prefix;
    before(async () => {
      broker = await kind.start();
      port = broker.port;
    });
    after(async () => {
      for (const c of live) c.end();
      live.clear();
      await broker?.stop();
    });
    afterEach(() => {
      prefix = undefined;
    });
    const topicPrefix = () => (prefix ??= `lab/${kind.name}/${uid()}`);

    test('keepalive: an idle connection pings and stays up', async () => {
      // 3 s: a PINGRESP may be 1.5 s late (half the keepalive) before the link counts as lost,
      // room for a stalled test process; at 1 s, half a second would do it.
      const c = await online(port, { keepalive: 3 });
      await until(() => c.tap.countReceived(PINGRESP) >= 2, 'two PINGRESPs');
      assert.ok(c.tap.count(PINGREQ) >= 2, `${c.tap.count(PINGREQ)} PINGREQ sent`);
      assert.equal(c.client.connected, true);
      assert.deepEqual(c.closes, []);
    });

    test('a persistent session gets the QoS 1 messages published while it was away', async () => {
      const p = topicPrefix();
      const clientId = `persist-${uid()}`;
      const first = await online(port, { clientId, clean: false });
      assert.deepEqual(first.connects, [false]);
      assert.equal(await first.subscribe(`${p}/persist/#`, { qos: 1 }), 1);
      first.end();
      await sleep(50); // let the broker see the DISCONNECT

      const pub = await online(port, TEACHER);
      for (const n of [1, 2, 3]) await pub.publish(`${p}/persist/m`, `offline ${n}`, { qos: 1 });

      const again = makeClient(port, { clientId, clean: false });
      assert.equal(await again.connect(), true, 'CONNACK session present');
      await until(() => again.messages.length >= 3, 'the three stored messages');
      assert.deepEqual(
        again.messages.map((m) => [m.topic, m.text, m.qos]),
        [1, 2, 3].map((n) => [`${p}/persist/m`, `offline ${n}`, 1]),
      );
      // The session is still subscribed: a new message arrives without subscribing again.
      await pub.publish(`${p}/persist/m`, 'live', { qos: 1 });
      await until(() => again.messages.length === 4, 'the live message');
    });

    test('a retained message reaches a later subscriber with the retain flag set', async () => {
      const p = topicPrefix();
      const pub = await online(port);
      await pub.publish(`${p}/status`, 'on', { qos: 1, retain: true });
      const sub = await online(port);
      await sub.subscribe(`${p}/status`, { qos: 1 });
      await until(() => sub.messages.length >= 1, 'the retained message');
      assert.deepEqual(sub.messages[0], { topic: `${p}/status`, text: 'on', qos: 1, retain: true, dup: false });
      // A live message to an existing subscription comes without the flag (MQTT-3.3.1-9).
      await pub.publish(`${p}/status`, 'off', { qos: 1, retain: true });
      await until(() => sub.messages.length >= 2, 'the live message');
      assert.equal(sub.messages[1].retain, false);
      // An empty retained message clears it.
      await pub.publish(`${p}/status`, '', { qos: 1, retain: true });
      const late = await online(port);
      await late.subscribe(`${p}/#`, { qos: 1 });
      await pub.publish(`${p}/marker`, 'm', { qos: 1 });
      await until(() => late.messages.length >= 1, 'the marker');
      assert.deepEqual(
        late.messages.map((m) => m.topic),
        [`${p}/marker`],
      );
    });

    test('a will is published on an abnormal disconnect, not after end()', async () => {
      const p = topicPrefix();
      const watcher = await online(port);
      await watcher.subscribe(`${p}/will/#`, { qos: 1 });
      const will = (name) => ({ topic: `${p}/will/${name}`, payload: `${name} is gone`, qos: 1 });

      const crashed = await online(port, { will: will('crashed') }, { raw: true });
      crashed.tap.sever();
      await until(() => watcher.messages.some((m) => m.topic === `${p}/will/crashed`), 'the will of the severed client');
      assert.equal(watcher.messages[0].text, 'crashed is gone');

      const polite = await online(port, { will: will('polite') });
      polite.end();
      assert.equal(polite.tap.sent.at(-1), DISCONNECT);
      await sleep(150);
      const marker = await online(port);
      await marker.publish(`${p}/will/marker`, 'm', { qos: 1 });
      await until(() => watcher.messages.some((m) => m.topic === `${p}/will/marker`), 'the marker');
      assert.deepEqual(
        watcher.messages.map((m) => m.topic),
        [`${p}/will/crashed`, `${p}/will/marker`],
      );
    });

    test('the myRasp tree: + and # subscriptions dispatched to their own handlers', async () => {
      const base = 'myRasp'; // each broker here is private to this file: the lab's own tree
      const sub = await online(port);
      const got = { plus: new Set(), ground: new Set(), bedroom: new Set(), all: new Set() };
      const handler = (set) => (m) => set.add(m.topic.slice(base.length + 1));
      await sub.subscribe(`${base}/groundfloor/+/temperature`, { qos: 1, handler: handler(got.plus) });
      await sub.subscribe(`${base}/groundfloor/#`, { qos: 1, handler: handler(got.ground) });
      await sub.subscribe(`${base}/+/bedroom/#`, { qos: 1, handler: handler(got.bedroom) });
      await sub.subscribe(`${base}/#`, { qos: 1, handler: handler(got.all) });
      const pub = await online(port);
      const readings = {
        'groundfloor/livingroom/temperature': '21.5',
        'groundfloor/kitchen/temperature': '23.0',
        'groundfloor/kitchen/humidity': '48',
        'firstfloor/bedroom/temperature': '19.0',
        'firstfloor/bedroom/light': 'on',
        'firstfloor/bathroom/humidity': '70',
      };
      for (const [t, v] of Object.entries(readings)) await pub.publish(`${base}/${t}`, v, { qos: 1 });
      await pub.publish(`${base}/done`, '1', { qos: 1 });
      await until(() => got.all.has('done'), 'the last reading');
      assert.deepEqual([...got.plus].sort(), ['groundfloor/kitchen/temperature', 'groundfloor/livingroom/temperature']);
      assert.deepEqual([...got.ground].sort(), ['groundfloor/kitchen/humidity', 'groundfloor/kitchen/temperature', 'groundfloor/livingroom/temperature']);
      assert.deepEqual([...got.bedroom].sort(), ['firstfloor/bedroom/light', 'firstfloor/bedroom/temperature']);
      assert.deepEqual([...got.all].sort(), [...Object.keys(readings), 'done'].sort());
      const byTopic = new Map(sub.messages.map((m) => [m.topic.slice(base.length + 1), m.text]));
      for (const [t, v] of Object.entries(readings)) assert.equal(byTopic.get(t), v);
    });

    test('authentication: a wrong password is refused, the right one accepted', async () => {
      const wrong = makeClient(port, { username: 'student', password: 'wrong' });
      await assert.rejects(wrong.connect(), { message: `connection refused: ${kind.refusal}` });
      assert.equal(wrong.closes[0].retryIn, -1);
      assert.equal(wrong.client.connected, false);
      const anonymous = makeClient(port, { username: undefined, password: undefined });
      await assert.rejects(anonymous.connect(), { message: 'connection refused: not authorized' });
      const right = makeClient(port, { username: 'student', password: 'secret' });
      assert.equal(await right.connect(), false);
      assert.equal(right.client.connected, true);
    });

    test(`ACL: ${kind.acl}`, async () => {
      const teacher = await online(port, TEACHER);
      const student = await online(port);
      if (kind.deniedSubscribe === 'refused') {
        await assert.rejects(student.subscribe('secret/#', { qos: 1 }), /refused/);
      } else {
        // Mosquitto 2.0 with acl_file: SUBACK grants it, but nothing the ACL forbids is delivered.
        await student.subscribe('secret/#', { qos: 1 });
      }
      await student.subscribe('secret/public', { qos: 1 });
      await teacher.publish('secret/plans', 'hidden', { qos: 1 });
      await teacher.publish('secret/public', 'visible', { qos: 1 });
      await until(() => student.messages.length >= 1, 'secret/public');
      await sleep(20);
      assert.deepEqual(
        student.messages.map((m) => m.topic),
        ['secret/public'],
        'only what the ACL allows',
      );

      await teacher.subscribe('forbidden/#', { qos: 1 });
      await teacher.subscribe(`${topicPrefix()}/#`, { qos: 1 });
      if (kind.deniedPublish === 'dropped') {
        await student.publish('forbidden/x', 'nope', { qos: 1 }); // acknowledged...
        await student.publish(`${topicPrefix()}/marker`, 'm', { qos: 1 });
        await until(() => teacher.messages.length >= 1, 'the marker');
        assert.deepEqual(
          teacher.messages.map((m) => m.topic),
          [`${topicPrefix()}/marker`],
          '...and dropped',
        );
        assert.equal(student.client.connected, true);
      } else {
        student.publish('forbidden/x', 'nope', { qos: 1 }).catch(() => {});
        await until(() => student.closes.length === 1, 'the broker closing the connection');
        assert.equal(student.client.connected, false);
        assert.deepEqual(teacher.messages, []);
      }
    });

    test('QoS 2 is delivered exactly once', async () => {
      const p = topicPrefix();
      const sub = await online(port);
      assert.equal(await sub.subscribe(`${p}/q2`, { qos: 2 }), 2);
      const pub = await online(port);
      const n = 20;
      await Promise.all(Array.from({ length: n }, (_, i) => pub.publish(`${p}/q2`, `m${i}`, { qos: 2 })));
      assert.equal(pub.tap.count(PUBREL), n, 'one PUBREL per message from the publisher');
      await pub.publish(`${p}/q2`, 'end', { qos: 2 });
      await until(() => sub.messages.some((m) => m.text === 'end'), 'the last message');
      await until(() => sub.tap.count(PUBCOMP) === n + 1, 'the PUBCOMPs');
      const texts = sub.messages.map((m) => m.text);
      assert.equal(texts.length, n + 1);
      assert.deepEqual(new Set(texts).size, n + 1);
      assert.ok(sub.messages.every((m) => m.qos === 2));
      assert.equal(sub.tap.count(PUBREC), n + 1);
      assert.equal(sub.client.pending, 0);
      assert.equal(pub.client.pending, 0);
    });

    test('a zero-length client id with a clean session is accepted', async () => {
      const c = makeClient(port, { clientId: '', clean: true });
      assert.equal(await c.connect(), false);
      await c.subscribe(`${topicPrefix()}/anon`, { qos: 1 });
      await c.publish(`${topicPrefix()}/anon`, 'me', { qos: 1 });
      await until(() => c.messages.length === 1, 'its own message');
    });
  });
}

// ---- Mosquitto only

describe('mosquitto with the dynamic security plugin', { skip: mosquittoSkip({ dynsec: true }) }, () => {
  const broker = mosquittoAround(
    {
      users: USERS,
      dynsec: {
        student: [
          { acltype: 'subscribePattern', topic: 'lab/#', allow: true },
          { acltype: 'publishClientSend', topic: 'lab/#', allow: true },
        ],
        teacher: [
          { acltype: 'subscribePattern', topic: '#', allow: true },
          { acltype: 'publishClientSend', topic: '#', allow: true },
        ],
      },
    },
    live,
  );

  test("a denied subscription is SUBACK 0x80, reported to subscribe's callback", async () => {
    const student = await online(broker().port);
    await assert.rejects(student.subscribe('secret/#', { qos: 1 }), /subscription to secret\/# refused by the broker/);
    const granted = await new Promise((resolve) => student.client.subscribe('other/x', { qos: 0 }, (e, q) => resolve([e?.message, q])));
    assert.deepEqual(granted, ['subscription to other/x refused by the broker', 0x80]);
    assert.equal(await student.subscribe('lab/ok', { qos: 1 }), 1);
    assert.equal(student.client.connected, true);
  });

  test('a denied publish is acknowledged and dropped', async () => {
    const teacher = await online(broker().port, TEACHER);
    await teacher.subscribe('#', { qos: 1 });
    const student = await online(broker().port);
    await student.publish('secret/x', 'nope', { qos: 1 });
    await student.publish('lab/marker', 'm', { qos: 1 });
    await until(() => teacher.messages.length >= 1, 'the marker');
    assert.deepEqual(
      teacher.messages.map((m) => m.topic),
      ['lab/marker'],
    );
  });

  test('a wrong password is refused', async () => {
    const c = makeClient(broker().port, { password: 'nope' });
    await assert.rejects(c.connect(), /connection refused: (bad user name or password|not authorized)/);
  });
});

describe('mosquitto restart with persistence', { skip: mosquittoSkip() }, () => {
  const broker = mosquittoAround({ persistence: true }, live);

  test('the client reconnects on its own and the broker kept the session and the retained message', async () => {
    const reconnect = { min: 50, max: 400 };
    const sub = await online(broker().port, { clientId: 'persist-restart', clean: false, reconnect, username: undefined, password: undefined });
    await sub.subscribe('lab/restart/#', { qos: 1 });
    const pub = await online(broker().port, { reconnect, username: undefined, password: undefined });
    await pub.publish('lab/restart/retained', 'kept', { qos: 1, retain: true });
    await until(() => sub.messages.length === 1, 'the first message');

    await broker().restart();
    await until(() => sub.connects.length === 2 && pub.connects.length === 2, 'both clients back');
    assert.equal(sub.connects[1], true, 'session present after the restart');
    assert.ok(sub.closes.length >= 1 && sub.closes[0].retryIn > 0, 'the drop was reported with a retry delay');
    assert.equal(typeof sub.closes[0].reason, 'string');

    await pub.publish('lab/restart/after', 'again', { qos: 1 });
    await until(() => sub.messages.some((m) => m.text === 'again'), 'a message after the restart');
    const late = await online(broker().port, { username: undefined, password: undefined });
    await late.subscribe('lab/restart/retained', { qos: 1 });
    await until(() => late.messages.length === 1, 'the retained message');
    assert.deepEqual([late.messages[0].text, late.messages[0].retain], ['kept', true]);
  });
});

// The Node host itself: connectTcp reports a refused connection as a reason, not a throw.
test('nodeHost: no broker on a port is a reason in onClose', async () => {
  const port = await freePort(); // nothing listens there
  const client = new MqttClient(nodeHost({ log: () => {} }), { host: LOCAL, port }, { clientId: 'x', reconnect: false });
  const reason = await new Promise((resolve) => {
    client.onClose = (r) => resolve(r);
    client.connect();
  });
  assert.match(reason, /connection refused/);
});
