// The embedded broker's WebSocket (classroom --web, hosts/node/ws-server.ts on the `ws` package)
// under a hostile local program: a page of another origin, messages and pings too large, a flood
// of fragments or pings whose answers are never read, and a subscriber to # that stops reading.
// The broker runs in its own process (`mqtt-pair classroom --pairs 1 --web 0`), whose memory is
// read from /proc: what an attack adds is bounded (figures in docs/performance.md).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mqttPair } from '../helpers/child.mjs';
import { LIMIT, sleep, until } from '../helpers/wait.mjs';

const rss = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const linux = process.platform === 'linux' ? false : "reads the broker's memory from /proc (Linux)";

/** A client frame (masked); `fin` false leaves the message open. */
function frame(opcode, payload = Buffer.alloc(0), fin = true) {
  const n = payload.length,
    key = randomBytes(4);
  let head;
  if (n < 126) head = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | n]);
  else if (n < 65536) head = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, n >> 8, n & 255]);
  else {
    head = Buffer.alloc(10);
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = 0x80 | 127;
    head.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    head.writeUInt32BE(n >>> 0, 6);
  }
  const body = Buffer.from(payload);
  for (let i = 0; i < n; i++) body[i] ^= key[i & 3];
  return Buffer.concat([head, key, body]);
}

/** An MQTT packet: type byte, then the body with its remaining length. */
function packet(first, body) {
  const len = [];
  let n = body.length;
  do {
    let d = n & 127;
    n >>= 7;
    if (n) d |= 128;
    len.push(d);
  } while (n);
  return Buffer.concat([Buffer.from([first, ...len]), body]);
}
const str = (s) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
};
const CONNECT = (id) => packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 2, 0, 60]), str(id)]));
const SUBSCRIBE = (filter) => packet(0x82, Buffer.concat([Buffer.from([0, 1]), str(filter), Buffer.from([0])]));
const PUBLISH = (topic, payload) => packet(0x30, Buffer.concat([str(topic), Buffer.from(payload)]));

/**
 * A raw WebSocket client: `status` the upgrade's answer line; `frames` the server's frames so far
 * ({ fin, opcode, payload }); `closed` resolves when the connection ends.
 */
function rawClient(port, { origin, read = true, http = '1.1', version = '13' } = {}) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const c = { socket: s, status: '', frames: [], bytes: 0 };
    c.closed = new Promise((r) => s.once('close', r));
    s.on('error', () => {});
    let buf = Buffer.alloc(0),
      upgraded = false;
    s.on('connect', () =>
      s.write(
        `GET /mqtt HTTP/${http}\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: ${version}\r\nSec-WebSocket-Protocol: mqtt\r\n${origin ? `Origin: ${origin}\r\n` : ''}\r\n`,
      ),
    );
    s.on('data', (d) => {
      c.bytes += d.length;
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        c.status = buf.subarray(0, buf.indexOf('\r\n')).toString();
        upgraded = true;
        buf = buf.subarray(end + 4);
        if (!read) s.pause();
        resolve(c);
      }
      for (;;) {
        if (buf.length < 2) break;
        let len = buf[1] & 127,
          h = 2;
        if (len === 126) {
          if (buf.length < 4) break;
          len = buf.readUInt16BE(2);
          h = 4;
        } else if (len === 127) {
          if (buf.length < 10) break;
          len = Number(buf.readBigUInt64BE(2));
          h = 10;
        }
        if (buf.length < h + len) break;
        c.frames.push({ fin: (buf[0] & 0x80) !== 0, opcode: buf[0] & 15, payload: buf.subarray(h, h + len) });
        buf = buf.subarray(h + len);
      }
    });
    s.once('close', () => {
      if (!upgraded) {
        c.status = buf.toString().split('\r\n')[0] || 'closed';
        resolve(c);
      }
    });
  });
}

/** Writes all of `bytes`, waiting for the socket to drain (or to close). */
const send = (s, bytes) =>
  new Promise((r) => {
    if (s.destroyed || s.write(bytes)) r();
    else {
      const done = () => {
        s.off('drain', done);
        s.off('close', done);
        r();
      };
      s.on('drain', done);
      s.on('close', done);
    }
  });
const closeCode = (c) => {
  const f = c.frames.find((x) => x.opcode === 8);
  return f && f.payload.length >= 2 ? f.payload.readUInt16BE(0) : undefined;
};

describe("the embedded broker's WebSocket against a hostile local program", { skip: linux }, () => {
  let room, wsPort, tcpPort, page, pid;
  before(async () => {
    room = mqttPair(['classroom', '--pairs', '1', '--web', '0', '--interval', '300', '--duration', '900']);
    const m = await room.waitFor(
      'stdout',
      /listening on 127\.0\.0\.1:(\d+), and for the students' page on ws:\/\/127\.0\.0\.1:(\d+)\/mqtt[\s\S]*Classroom view: (http:\/\/127\.0\.0\.1:\d+)\//,
    );
    [tcpPort, wsPort, page] = [Number(m[1]), Number(m[2]), m[3]];
    pid = room.child.pid;
  });
  after(async () => {
    await room?.stop();
  });

  test('a page of another origin is refused (403); the pages of this command and clients with no Origin get their CONNACK', async () => {
    const evil = await rawClient(wsPort, { origin: 'http://evil.example' });
    assert.match(evil.status, /^HTTP\/1\.1 403/);
    for (const origin of [undefined, page, page.replace('127.0.0.1', 'localhost')]) {
      const c = await rawClient(wsPort, { origin });
      assert.match(c.status, /^HTTP\/1\.1 101/, `origin ${origin}`);
      c.socket.write(frame(2, CONNECT(`origin-${c.socket.localPort}`)));
      await until(() => c.frames.length, `a frame for origin ${origin}`);
      assert.equal(c.frames[0]?.payload[0], 0x20, `a CONNACK for origin ${origin}`);
      c.socket.destroy();
    }
    const other = await rawClient(wsPort, { origin: 'http://127.0.0.1:1' });
    assert.match(other.status, /^HTTP\/1\.1 403/, 'another page on this computer');
  });

  test('an upgrade of another WebSocket version, or over HTTP/1.0, is refused (426, version 13)', async () => {
    for (const [what, options] of [
      ['version 8', { version: '8' }],
      ['HTTP/1.0', { http: '1.0' }],
    ]) {
      const c = await rawClient(wsPort, options);
      assert.match(c.status, /^HTTP\/1\.1 426/, what);
      await c.closed;
    }
  });

  test('each MQTT packet goes out as one frame', async () => {
    const sub = await rawClient(wsPort);
    sub.socket.write(frame(2, CONNECT('frames')));
    sub.socket.write(frame(2, SUBSCRIBE('frames/#')));
    await until(() => sub.frames.length >= 2, 'the CONNACK and the SUBACK');
    const pub = connect(tcpPort, '127.0.0.1');
    await new Promise((r) => pub.once('connect', r));
    pub.write(CONNECT('frames-pub'));
    const sizes = [5, 300, 70_000];
    for (const n of sizes) pub.write(PUBLISH('frames/x', Buffer.alloc(n, 65)));
    await until(
      () => sub.frames.length >= 2 + sizes.length,
      () => `${sizes.length} PUBLISH frames (${sub.frames.length - 2} so far)`,
    );
    const publishes = sub.frames.slice(2);
    assert.deepEqual(
      publishes.map((f) => [f.fin, f.opcode, f.payload[0] >> 4]),
      sizes.map(() => [true, 2, 3]),
      'one binary frame each, a PUBLISH',
    );
    assert.deepEqual(
      publishes.map((f) => f.payload.length),
      sizes.map((n) => packet(0x30, Buffer.concat([str('frames/x'), Buffer.alloc(n)])).length),
    );
    pub.destroy();
    sub.socket.destroy();
  });

  test('a message above 1 MiB, a text frame and a ping above 125 bytes close the connection', async () => {
    for (const [what, bytes, code] of [
      // Its header alone: the broker refuses it as the length arrives, before any of it is read.
      ['a 2 MiB message', frame(2, PUBLISH('big/x', Buffer.alloc(2 << 20))).subarray(0, 1024), 1009],
      ['a text frame', frame(1, Buffer.from('hello')), 1003],
      ['a 200-byte ping', frame(9, Buffer.alloc(200)), 1002],
    ]) {
      const c = await rawClient(wsPort);
      await send(c.socket, bytes);
      await until(() => closeCode(c) !== undefined || c.socket.destroyed, `${what}: the connection closed`);
      assert.equal(closeCode(c), code, `${what}: a close frame with the code`);
      c.socket.destroy();
    }
  });

  test('2,000,000 empty fragments (12 MB), a million one-byte ones, 200 MB of pings never answered: memory stays bounded', async (t) => {
    const base = rss(pid);
    const figures = [];
    for (const [what, first, next, count] of [
      ['empty fragments', frame(2, Buffer.alloc(0), false), frame(0, Buffer.alloc(0), false), 2_000_000],
      ['one-byte fragments', frame(2, Buffer.from([0x30]), false), frame(0, Buffer.from([0x41]), false), 1_000_000],
      ['125-byte pings, pongs never read', frame(9, Buffer.alloc(125)), frame(9, Buffer.alloc(125)), 1_500_000],
    ]) {
      const c = await rawClient(wsPort, { read: false });
      const batch = Buffer.concat(Array.from({ length: 10_000 }, () => next));
      let sent = first.length;
      await send(c.socket, first);
      for (let i = 0; i < count / 10_000 && !c.socket.destroyed; i++) {
        await Promise.race([send(c.socket, batch), c.closed]);
        sent += batch.length;
      }
      await sleep(500);
      figures.push(`${what}: ${(sent / 1e6).toFixed(0)} MB sent, the broker at ${rss(pid).toFixed(0)} MB`);
      if (what.includes('fragments')) assert.ok(sent < count * next.length, `${what}: the connection closed before all were sent`);
      c.socket.destroy();
      await sleep(300);
    }
    const grown = rss(pid) - base;
    t.diagnostic(`from ${base.toFixed(0)} MB: ${figures.join('; ')}`);
    assert.ok(grown < 100, `the broker grew by ${grown.toFixed(0)} MB (before: 440 MB for the empty fragments, 640 MB for the pings)`);
  });

  test("a subscriber to # that stops reading: the others' round trips go on, and it is dropped past 8 MiB", async (t) => {
    const stalled = await rawClient(wsPort);
    stalled.socket.write(frame(2, CONNECT('stalled')));
    stalled.socket.write(frame(2, SUBSCRIBE('#')));
    await until(() => stalled.frames.length >= 2, 'the CONNACK and the SUBACK');
    stalled.socket.pause();
    const probe = connect(tcpPort, '127.0.0.1');
    let echoed = 0;
    probe.on('data', (d) => {
      if (d.includes(Buffer.from('probe/echo'))) echoed = Date.now();
    });
    await new Promise((r) => probe.once('connect', r));
    probe.write(Buffer.concat([CONNECT('probe'), SUBSCRIBE('probe/echo')]));
    const flood = connect(tcpPort, '127.0.0.1');
    await new Promise((r) => flood.once('connect', r));
    flood.write(CONNECT('flood'));
    await sleep(300);
    const big = PUBLISH('flood/x', Buffer.alloc(65_000, 66));
    const trips = [];
    for (let i = 0; i < 640; i++) {
      // 40 MB for a reader that reads nothing
      await send(flood, big);
      if (i % 32 === 31) {
        const at = Date.now();
        echoed = 0;
        probe.write(PUBLISH('probe/echo', 'x'));
        // 45 s: far above what a round trip takes here, well below the 60 s one took before.
        while (!echoed && Date.now() - at < 45_000) await sleep(5);
        trips.push(echoed ? echoed - at : Infinity);
      }
    }
    let got = 0;
    stalled.socket.on('data', (d) => {
      got += d.length;
    });
    stalled.socket.resume();
    const closed = await Promise.race([stalled.closed.then(() => true), sleep(LIMIT).then(() => false)]);
    t.diagnostic(
      `round trips of another client meanwhile: worst ${Math.max(...trips)} ms; the stalled reader got ${(got / 1048576).toFixed(1)} MiB, then was dropped: ${closed}`,
    );
    assert.ok(
      trips.every((x) => x !== Infinity),
      'every round trip came back within 45 s',
    );
    assert.ok(closed, 'the reader that stopped was dropped');
    assert.ok(got < 40 << 20, 'before all 40 MB were queued for it');
    probe.destroy();
    flood.destroy();
  });
});
