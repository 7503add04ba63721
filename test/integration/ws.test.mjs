// ws:// and wss:// on Node (hosts/node/ws.ts): first the WebSocket client against a scripted server
// (the upgrade request and its checks, masking, fragmented messages, frames split anywhere, 16- and
// 64-bit lengths, ping/pong, the closing handshake, each protocol error), then against Mosquitto's
// websockets listeners: mqtt-pair pub/sub with -L ws:// and wss://, the MQTT client, the simulator.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { MqttClient, SimBoard, connectWs, nodeHost, parseBroker } from '../../dist/index.js';
import { checkUpgrade, encodeFrame } from '../../dist/testing.js';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { makeCertificates, opensslSkip } from '../helpers/certs.mjs';
import { assertNotPrinted, assertOneLineError, mqttPair, publishEach, waitForLine } from '../helpers/child.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const PASSWORD = 'ws-S3cret:p@ss';
const USER = 'student';

// ---- a scripted WebSocket server on 127.0.0.1

/** A server frame: unmasked unless `mask`; `rsv` sets reserved bits. */
function frame(opcode, payload = Buffer.alloc(0), { fin = true, mask = false, rsv = 0 } = {}) {
  const n = payload.length;
  const head = [(fin ? 0x80 : 0) | rsv | opcode];
  if (n < 126) head.push((mask ? 0x80 : 0) | n);
  else if (n < 65536) head.push((mask ? 0x80 : 0) | 126, n >> 8, n & 255);
  else {
    head.push((mask ? 0x80 : 0) | 127, 0, 0, 0, 0, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  }
  const key = mask ? [1, 2, 3, 4] : [];
  const body = mask ? Buffer.from(payload.map((b, i) => b ^ key[i & 3])) : payload;
  return Buffer.concat([Buffer.from(head), Buffer.from(key), body]);
}

/** Client frames from `buf`: { fin, opcode, masked, key, payload } each (payload unmasked), and the bytes left. */
function parseFrames(buf) {
  const frames = [];
  let i = 0;
  for (;;) {
    if (buf.length - i < 2) break;
    let len = buf[i + 1] & 127,
      h = 2;
    if (len === 126) {
      if (buf.length - i < 4) break;
      len = buf.readUInt16BE(i + 2);
      h = 4;
    }
    if (len === 127) {
      if (buf.length - i < 10) break;
      len = Number(buf.readBigUInt64BE(i + 2));
      h = 10;
    }
    const masked = (buf[i + 1] & 128) !== 0;
    if (buf.length - i < h + (masked ? 4 : 0) + len) break;
    const key = masked ? buf.subarray(i + h, i + h + 4) : Buffer.alloc(4);
    const start = i + h + (masked ? 4 : 0);
    const payload = Buffer.from(buf.subarray(start, start + len).map((b, j) => b ^ key[j & 3]));
    frames.push({ fin: (buf[i] & 128) !== 0, opcode: buf[i] & 15, masked, key: Buffer.from(key), payload });
    i = start + len;
  }
  return { frames, rest: buf.subarray(i) };
}

const acceptFor = (key) =>
  createHash('sha1')
    .update(key + GUID)
    .digest('base64');
const OK_HEADERS = (key) =>
  `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`;

/**
 * A server that hands each connection to `script({ socket, request, key, frames })` once the
 * upgrade request is in; `frames()` resolves with the next client frame.
 */
async function scriptedServer(script) {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    let request = null;
    const queue = [];
    const waiting = [];
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!request) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        request = buf.subarray(0, end).toString('latin1');
        buf = buf.subarray(end + 4);
        const key = /^Sec-WebSocket-Key: (.*)$/im.exec(request)?.[1];
        script({ socket, request, key, next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r))) });
      }
      const { frames, rest } = parseFrames(buf);
      buf = Buffer.from(rest);
      for (const f of frames) waiting.length ? waiting.shift()(f) : queue.push(f);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
  };
}

/** connectWs with its events recorded: `opened`, `bytes` (all data), `closed` (a promise of the reason). */
function client(port, extra = {}) {
  const rec = { bytes: [], opened: false };
  let closed;
  rec.closed = new Promise((r) => {
    closed = r;
  });
  rec.conn = connectWs(
    { host: '127.0.0.1', port, transport: 'ws', path: '/mqtt', ...extra },
    {
      connected: () => {
        rec.opened = true;
        rec.onOpen?.();
      },
      data: (b) => {
        rec.bytes.push(Buffer.from(b));
        rec.onData?.();
      },
      closed: (reason) => closed({ reason }),
    },
  );
  rec.open = new Promise((resolve, reject) => {
    rec.onOpen = resolve;
    rec.closed.then((c) => reject(new Error(`closed before open: ${c.reason}`)));
  });
  rec.open.catch(() => {}); // awaited only by the tests that expect it to open
  rec.received = (n) =>
    new Promise((resolve) => {
      const check = () => {
        const all = Buffer.concat(rec.bytes);
        if (all.length >= n) resolve(all);
      };
      rec.onData = check;
      check();
    });
  return rec;
}

const within = (p, ms, what) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms))]);

describe('the WebSocket client against a scripted server', () => {
  test('the upgrade asks for mqtt on the path given; each write is one masked binary frame with a fresh key', async () => {
    let seen;
    const server = await scriptedServer(async ({ socket, request, key, next }) => {
      seen = request;
      socket.write(OK_HEADERS(key));
      seen = { request, frames: [await next(), await next(), await next()] };
    });
    try {
      const c = client(server.port);
      await within(c.open, LIMIT, 'open');
      c.conn.write(Uint8Array.of(0x10, 0x02, 0xaa, 0xbb));
      c.conn.write(new Uint8Array(300).fill(7));
      c.conn.write(new Uint8Array(70000).fill(9));
      await until(() => seen?.frames, 'the frames at the server');
      const lines = seen.request.split('\r\n');
      assert.equal(lines[0], 'GET /mqtt HTTP/1.1');
      for (const h of [
        `Host: 127.0.0.1:${server.port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Protocol: mqtt',
      ]) {
        assert.ok(lines.includes(h), `${h} in\n${seen.request}`);
      }
      const key = /^Sec-WebSocket-Key: (.*)$/m.exec(seen.request)[1];
      assert.equal(Buffer.from(key, 'base64').length, 16);
      const [a, b, cc] = seen.frames;
      for (const f of [a, b, cc]) {
        assert.equal(f.opcode, 2);
        assert.ok(f.fin);
        assert.ok(f.masked);
      }
      assert.deepEqual([...a.payload], [0x10, 0x02, 0xaa, 0xbb]);
      assert.equal(b.payload.length, 300);
      assert.ok(b.payload.every((x) => x === 7));
      assert.equal(cc.payload.length, 70000);
      assert.ok(cc.payload.every((x) => x === 9));
      assert.equal(new Set([a.key.toString('hex'), b.key.toString('hex'), cc.key.toString('hex')]).size, 3, 'a fresh masking key per frame');
      c.conn.close();
    } finally {
      await server.close();
    }
  });

  test('fragmented messages, frames split anywhere, 16- and 64-bit lengths: one byte stream; ping is answered with its payload', async () => {
    let pong;
    const big = Buffer.alloc(70000, 5);
    const mid = Buffer.alloc(300, 6);
    const server = await scriptedServer(async ({ socket, key, next }) => {
      const stream = Buffer.concat([
        Buffer.from(OK_HEADERS(key)),
        frame(2, Buffer.from([1, 2, 3]), { fin: false }),
        frame(9, Buffer.from('hi')), // a ping between two fragments
        frame(0, Buffer.from([4]), { fin: false }),
        frame(0, Buffer.from([5]), { fin: true }),
        frame(2, mid),
        frame(2, big),
        frame(2, Buffer.alloc(0)),
      ]);
      // Dribbled out in odd pieces: headers and frames cut at every kind of place.
      for (let i = 0; i < stream.length; ) {
        const n = i < 400 ? 1 + (i % 7) : 8191;
        socket.write(stream.subarray(i, i + n));
        i += n;
        if (i < 400) await new Promise((r) => setImmediate(r));
      }
      pong = await next();
    });
    try {
      const c = client(server.port);
      const all = await within(c.received(5 + mid.length + big.length), LIMIT, 'data');
      assert.deepEqual([...all.subarray(0, 5)], [1, 2, 3, 4, 5]);
      assert.ok(all.subarray(5, 305).equals(mid));
      assert.ok(all.subarray(305).equals(big));
      await until(() => pong, 'the pong');
      assert.equal(pong.opcode, 10);
      assert.ok(pong.masked);
      assert.equal(pong.payload.toString(), 'hi');
      c.conn.close();
    } finally {
      await server.close();
    }
  });

  test('the closing handshake: a normal close ends quietly, another code is said; close() sends 1000', async () => {
    const answers = [];
    let closeFromClient;
    const server = await scriptedServer(async ({ socket, request, key, next }) => {
      socket.write(OK_HEADERS(key));
      const which = /GET \/(\w+)/.exec(request)[1];
      if (which === 'normal') {
        socket.write(frame(8, Buffer.from([0x03, 0xe8])));
        answers.push(await next());
      }
      if (which === 'error') {
        socket.write(frame(8, Buffer.concat([Buffer.from([0x03, 0xf3]), Buffer.from('boom')])));
        answers.push(await next());
      }
      if (which === 'mine') closeFromClient = await next();
    });
    try {
      const normal = client(server.port, { path: '/normal' });
      assert.equal((await within(normal.closed, LIMIT, 'close')).reason, undefined);
      const error = client(server.port, { path: '/error' });
      assert.equal((await within(error.closed, LIMIT, 'close')).reason, 'WebSocket: the broker closed the connection (code 1011: boom)');
      await until(() => answers.length >= 2, 'two answers');
      assert.deepEqual(
        answers.map((f) => [f.opcode, f.payload.readUInt16BE(0)]),
        [
          [8, 1000],
          [8, 1011],
        ],
        'the client answers a close with the same code',
      );

      const mine = client(server.port, { path: '/mine' });
      await within(mine.open, LIMIT, 'open');
      let reported = false;
      mine.closed.then(() => {
        reported = true;
      });
      mine.conn.close();
      await until(() => closeFromClient, 'the close frame from the client');
      assert.equal(closeFromClient.opcode, 8);
      assert.equal(closeFromClient.payload.readUInt16BE(0), 1000);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(reported, false, 'after close() the connection reports nothing');
    } finally {
      await server.close();
    }
  });

  test('each broken answer or frame ends the connection with its reason', async () => {
    const answers = {
      notfound: () => 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
      accept: () => 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: nope\r\n\r\n',
      protocol: (key) => OK_HEADERS(key).replace('Protocol: mqtt', 'Protocol: chat'),
      text: (key) => Buffer.concat([Buffer.from(OK_HEADERS(key)), frame(1, Buffer.from('hello'))]),
      masked: (key) => Buffer.concat([Buffer.from(OK_HEADERS(key)), frame(2, Buffer.from([1]), { mask: true })]),
      rsv: (key) => Buffer.concat([Buffer.from(OK_HEADERS(key)), frame(2, Buffer.from([1]), { rsv: 0x40 })]),
      opcode: (key) => Buffer.concat([Buffer.from(OK_HEADERS(key)), frame(3, Buffer.from([1]))]),
      continuation: (key) => Buffer.concat([Buffer.from(OK_HEADERS(key)), frame(0, Buffer.from([1]))]),
      mqtt: () => Buffer.from([0x20, 0x02, 0x00, 0x00]),
      silent: () => null,
    };
    const server = await scriptedServer(({ socket, request, key }) => {
      const which = /GET \/(\w+)/.exec(request)[1];
      const answer = answers[which](key);
      if (answer === null) socket.destroy();
      else socket.write(answer);
    });
    const expected = {
      notfound: /^WebSocket: ws:\/\/127\.0\.0\.1:\d+\/notfound answered HTTP 404 Not Found instead of switching to WebSocket: check the path$/,
      accept: /wrong Sec-WebSocket-Accept/,
      protocol: /chose the subprotocol "chat", not "mqtt"/,
      text: /^WebSocket: the broker sent a text frame: MQTT goes in binary frames$/,
      masked: /sent a masked frame/,
      rsv: /set reserved bits/,
      opcode: /unknown opcode 3/,
      continuation: /continuation frame outside a message/,
      mqtt: /did not answer with HTTP: is it a WebSocket port\? \(a plain MQTT port wants mqtt:\/\/\)/,
      silent: /closed the connection instead of answering the WebSocket upgrade/,
    };
    try {
      for (const [which, re] of Object.entries(expected)) {
        const c = client(server.port, { path: `/${which}` });
        const { reason } = await within(c.closed, LIMIT, which);
        assert.match(reason ?? '', re, which);
      }
    } finally {
      await server.close();
    }
  });

  test('a port where nothing listens is said as for TCP', async () => {
    const s = createServer();
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    const port = s.address().port;
    await new Promise((r) => s.close(r));
    const { reason } = await within(client(port).closed, LIMIT, 'refused');
    assert.equal(reason, `no MQTT broker at 127.0.0.1:${port} (connection refused)`);
  });

  test('frames and the upgrade answer, checked alone', () => {
    const f = encodeFrame(2, Uint8Array.of(1, 2, 3));
    const { frames } = parseFrames(f);
    assert.deepEqual([...frames[0].payload], [1, 2, 3]);
    assert.equal(parseFrames(encodeFrame(2, new Uint8Array(65536))).frames[0].payload.length, 65536);
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    assert.equal(acceptFor(key), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', 'the RFC 6455 example');
    assert.equal(checkUpgrade(OK_HEADERS(key).trimEnd(), key, 'ws://h/mqtt'), undefined);
    assert.equal(
      checkUpgrade(OK_HEADERS(key).replace('Sec-WebSocket-Protocol: mqtt\r\n', '').trimEnd(), key, 'ws://h/mqtt'),
      undefined,
      'no subprotocol in the answer is allowed',
    );
    assert.match(checkUpgrade('HTTP/1.1 101 OK\r\nUpgrade: websocket', key, 'ws://h/mqtt'), /no "Connection: Upgrade"/);
  });
});

describe('against Mosquitto websockets listeners', { skip: mosquittoSkip() || opensslSkip() }, () => {
  let certs, broker, wsPort, wssPort;
  before(async () => {
    certs = makeCertificates();
    broker = await startMosquitto({
      users: { [USER]: PASSWORD },
      listeners: [{ protocol: 'websockets' }, { protocol: 'websockets', certfile: certs.server.cert, keyfile: certs.server.key }],
    });
    [wsPort, wssPort] = broker.ports;
  });
  after(async () => {
    await broker?.stop();
    certs?.remove();
  });

  const assertNoPassword = (...rs) => assertNotPrinted(PASSWORD, ...rs);

  test('sub -L ws://…/mqtt/topic, pub over ws://, wss:// and plain MQTT: everyone talks to everyone', async () => {
    const sub = mqttPair(['sub', '-L', `ws://${USER}@127.0.0.1:${wsPort}/mqtt/lab/ws/#`, '-P', PASSWORD, '-C', '3', '-v', '-d']);
    await sub.waitFor('stdout', /received SUBACK/);
    const pubs = [
      ['pub', '-L', `ws://${USER}@127.0.0.1:${wsPort}/mqtt/lab/ws/a`, '-P', PASSWORD, '-m', 'over ws', '-q', '1'],
      ['pub', '-L', `wss://${USER}@localhost:${wssPort}/mqtt/lab/ws/b`, '-P', PASSWORD, '--cafile', certs.ca, '-m', 'over wss', '-q', '2'],
      ['pub', '-h', '127.0.0.1', '-p', String(broker.port), '-u', USER, '-P', PASSWORD, '-t', 'lab/ws/c', '-m', 'over tcp'],
    ];
    const r = await publishEach(pubs, sub, PASSWORD);
    assert.equal(r.stdout, 'lab/ws/a over ws\nlab/ws/b over wss\nlab/ws/c over tcp\n');
    assert.match(r.raw, new RegExp(`connecting to ws://127\\.0\\.0\\.1:${wsPort}/mqtt`));
  });

  test("a wrong password over ws:// is the broker's refusal, in one line, without the password", async () => {
    const r = await mqttPair(['pub', '-L', `ws://${USER}@127.0.0.1:${wsPort}/mqtt/lab/x`, '-P', `wrong-${PASSWORD}`, '-m', 'x']).exit;
    assertOneLineError(r, 'mqtt-pair pub: ', /refused the connection: (not authorized|bad user name or password)/);
    assert.ok(!r.stderr.includes('wrong-'), r.stderr);
  });

  test("wss:// with a CA that did not sign the broker's certificate is refused in one line", async () => {
    const r = await mqttPair(['sub', '-L', `wss://127.0.0.1:${wssPort}/mqtt/lab/x`, '--cafile', certs.otherCa]).exit;
    assertOneLineError(
      r,
      'mqtt-pair sub: ',
      new RegExp(`^mqtt-pair sub: TLS: certificate of 127\\.0\\.0\\.1:${wssPort} is not signed by the given CA \\(--cafile\\)$`),
    );
  });

  test('the MQTT client over ws:// and wss://: a 100 KB message both ways at QoS 1 (16- and 64-bit frame lengths)', async () => {
    for (const [url, ca] of [
      [`ws://127.0.0.1:${wsPort}`, undefined],
      [`wss://127.0.0.1:${wssPort}/mqtt`, certs.ca],
    ]) {
      const c = new MqttClient(
        nodeHost({ log: () => {} }),
        { ...parseBroker(url), ca },
        {
          clientId: `ws-${url.slice(0, 3)}`,
          username: USER,
          password: PASSWORD,
          reconnect: false,
          queue: { messages: 10, bytes: 1 << 20 },
        },
      );
      const got = [];
      c.onMessage = (m) => got.push(Buffer.from(m.payload));
      await new Promise((resolve, reject) => {
        c.onConnect = resolve;
        c.onClose = (reason) => reject(new Error(reason));
        c.connect();
      });
      await new Promise((resolve, reject) => c.subscribe('lab/big', { qos: 1 }, (e) => (e ? reject(e) : resolve())));
      const big = Buffer.alloc(100_000, 0x5a);
      await new Promise((resolve, reject) => c.publish('lab/big', 'small', { qos: 1 }, (e) => (e ? reject(e) : resolve())));
      await new Promise((resolve, reject) => c.publish('lab/big', big, { qos: 1 }, (e) => (e ? reject(e) : resolve())));
      await until(() => got.length >= 2, 'both messages back');
      c.end();
      assert.equal(got[0]?.toString(), 'small', url);
      assert.ok(got[1]?.equals(big), url);
    }
  });

  test('the simulator pair over ws://user:password@…: the exchange runs and the password never shows', async () => {
    const sim = mqttPair(['sim', '--broker', `ws://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${wsPort}/mqtt`, '--no-wifi', '--interval', '200']);
    try {
      await sim.waitFor('stdout', /\[esp1\] ESP received hello message/);
    } finally {
      const r = await sim.stop();
      assert.match(r.stdout, new RegExp(`Using the broker at ws://${USER}:\\*\\*\\*@127\\.0\\.0\\.1:${wsPort}/mqtt`));
      assert.match(r.stdout, new RegExp(`\\[esp2\\] Connected to ws://127\\.0\\.0\\.1:${wsPort}/mqtt MQTT broker, subscribed to hello topic`));
      assertNoPassword(r);
      assert.ok(!r.stdout.includes(encodeURIComponent(PASSWORD)), r.stdout);
    }
  });

  test('simulated boards over wss:// with ca= and over ws://: the pair talks across transports', async () => {
    const wss = `wss://${USER}:${encodeURIComponent(PASSWORD)}@localhost:${wssPort}`;
    const ws = `ws://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${wsPort}/any/path`;
    const esp2 = new SimBoard({ name: 'esp2', print: () => {}, config: { broker: wss, ca: certs.ca, role: 'responder', clientId: 'ws-esp2', interval: 100 } });
    const esp1 = new SimBoard({ name: 'esp1', print: () => {}, config: { broker: ws, role: 'hello', clientId: 'ws-esp1', interval: 100 } });
    try {
      esp2.start();
      await waitForLine(esp2, new RegExp(`^Connected to wss://localhost:${wssPort}/mqtt MQTT broker, subscribed to hello topic$`));
      esp1.start();
      await waitForLine(esp1, new RegExp(`^Connected to ws://127\\.0\\.0\\.1:${wsPort}/any/path MQTT broker`));
      await waitForLine(esp1, /^ESP received hello message$/);
    } finally {
      esp1.stop();
      esp2.stop();
    }
    for (const line of [...esp1.lines, ...esp2.lines]) assert.ok(!line.includes(PASSWORD) && !line.includes(encodeURIComponent(PASSWORD)), line);
  });
});
