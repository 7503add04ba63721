// The MQTT 3.1.1 codec, checked against mqtt-packet (an independent implementation) in both
// directions on seeded random packets, fed to the streaming Decoder in every fragmentation, and
// given bad input, which must always end in a ProtocolError.
//
// Rerun a failure with the seed it prints: CODEC_SEED=<n> node --test test/unit/codec.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import mqttPacket from 'mqtt-packet';
import { encode, BrokerDecoder, Decoder, ProtocolError, MAX_REMAINING_LENGTH, encodeUtf8, decodeUtf8, utf8Length } from '../../dist/index.js';
import { randomPackets, createRng, fromMqttPacket, toMqttPacket, canonical, describePacket, TYPE_NAMES } from '../helpers/packets.mjs';

const SEED = process.env.CODEC_SEED !== undefined ? Number(process.env.CODEC_SEED) >>> 0 : 0x6d717474;
const COUNT = 10_000;

// ---- helpers

const asBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
const generate = (m) => mqttPacket.generate(m, { protocolVersion: 4 });

function varint(n) {
  const out = [];
  do {
    let d = n % 128;
    n = Math.floor(n / 128);
    if (n) d |= 128;
    out.push(d);
  } while (n);
  return out;
}
/** A packet from its first byte and body. */
function frame(first, body) {
  return Uint8Array.from([first, ...varint(body.length), ...body]);
}
const u16 = (v) => [v >> 8, v & 255];
const strBytes = (s) => {
  const b = [...Buffer.from(s, 'utf8')];
  return [...u16(b.length), ...b];
};
const rawStr = (bytes) => [...u16(bytes.length), ...bytes];
/** Bytes in the remaining length field of an encoded packet. */
function lengthFieldSize(bytes) {
  let k = 1;
  while (bytes[k] & 128) k++;
  return k;
}

const where = (i, p) => `seed ${SEED} (rerun with CODEC_SEED=${SEED}), packet #${i}: ${describePacket(p)}`;
function check(i, p, fn) {
  try {
    fn();
  } catch (err) {
    throw new Error(`${where(i, p)}\n${err.message}`, { cause: err });
  }
}

function assertSamePackets(got, expected, context) {
  for (let i = 0; i < Math.min(got.length, expected.length); i++) {
    check(i, expected[i], () => assert.deepStrictEqual(canonical(got[i]), canonical(expected[i]), `${context}: packet #${i} differs`));
  }
  assert.equal(got.length, expected.length, `${context}: ${got.length} packets out, ${expected.length} in (seed ${SEED})`);
}

/** Pushes `chunks` into the decoder `d` until one throws: the error, if any, and at which chunk. */
function feed(d, chunks) {
  for (let i = 0; i < chunks.length; i++) {
    try {
      d.push(chunks[i]);
    } catch (error) {
      return { error, failedAt: i };
    }
  }
  return { error: null, failedAt: -1 };
}

/** Runs a fresh Decoder over `chunks`; returns the packets and the error, if any. */
function decodeChunks(chunks, max) {
  const out = [];
  const d = max === undefined ? new BrokerDecoder((p) => out.push(p)) : new BrokerDecoder((p) => out.push(p), max);
  return { out, ...feed(d, chunks), decoder: d };
}

const bytewise = (b) => Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1));

function randomChunks(bytes, rng) {
  const chunks = [];
  for (let i = 0; i < bytes.length; ) {
    const r = rng.float();
    const n = r < 0.3 ? rng.range(1, 8) : r < 0.8 ? rng.range(9, 1500) : rng.range(1500, 100_000);
    chunks.push(bytes.subarray(i, i + n));
    i += n;
  }
  return chunks;
}

function concat(list) {
  const out = new Uint8Array(list.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of list) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/** One mqtt-packet parser fed piece by piece; collects packets and errors. */
function mqttParser() {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const packets = [],
    errors = [];
  parser.on('packet', (p) => packets.push(p));
  parser.on('error', (e) => errors.push(e));
  return { packets, errors, parse: (u8) => parser.parse(asBuffer(u8)) };
}

// ---- the packets under test: random ones, plus fixed ones at every size boundary

const publish = (topic, payload, qos = 0, id = 0) => ({ type: 3, topic, payload, qos, retain: false, dup: false, id });
const big = (n, fill = 0x5a) => new Uint8Array(n).fill(fill);
const BOUNDARY_PACKETS = [
  // remaining length at each boundary of its 1..4 byte encoding (topic "b" takes 3 bytes)
  ...[3, 127, 128, 16383, 16384, 2097151, 2097152].map((rl) => publish('b', big(rl - 3))),
  publish('b/c', big(3_000_000, 7), 2, 65535),
  // strings and binaries at their 65535-byte limit
  publish('t'.repeat(65535), new Uint8Array(0)),
  publish(`${'\u{1f600}'.repeat(16383)}abc`, new Uint8Array([1])), // 4-byte characters, 65535 bytes
  {
    type: 1,
    clientId: 'c'.repeat(65535),
    clean: false,
    keepalive: 65535,
    will: { topic: 'w', payload: big(65535, 1), qos: 2, retain: true },
    username: '\u4e2d'.repeat(21845),
    password: big(65535, 2),
  },
  { type: 8, id: 1, subscriptions: [{ filter: '#'.padStart(65535, 'x/').replace(/^\/+/, ''), qos: 1 }] },
  { type: 10, id: 65535, filters: ['+'.padStart(65535, 'a/')] },
  { type: 9, id: 2, granted: Array.from({ length: 200 }, (_, i) => [0, 1, 2, 128][i % 4]) },
].map((p) => [p, toMqttPacket(p)]);

const RANDOM = randomPackets(COUNT, SEED);
const ALL = [...RANDOM, ...BOUNDARY_PACKETS];

describe(`cross-check with mqtt-packet (seed ${SEED})`, () => {
  test('the packets cover every type, flag, size class and kind of character', (t) => {
    t.diagnostic(`seed ${SEED}; rerun with CODEC_SEED=${SEED}`);
    const seen = new Set();
    const see = (k) => seen.add(k);
    for (const [p] of ALL) {
      see(`type ${TYPE_NAMES[p.type]}`);
      const b = encode(p);
      see(`length field ${lengthFieldSize(b)} bytes`);
      const strings = [];
      if (p.type === 1) {
        see(`clean ${p.clean}`);
        if (p.clientId === '') see('empty client id');
        see(p.will ? `will qos ${p.will.qos} retain ${p.will.retain}` : 'no will');
        see(p.username === undefined ? 'no username' : 'username');
        see(p.password === undefined ? 'no password' : 'password');
        strings.push(p.clientId, p.username ?? '', p.will?.topic ?? '');
      }
      if (p.type === 2) see(`session present ${p.sessionPresent}`);
      if (p.type === 3) {
        see(`publish qos ${p.qos}`);
        see(`publish dup ${p.dup}`);
        see(`publish retain ${p.retain}`);
        if (!p.payload.length) see('empty payload');
        if (p.payload.length > 100_000) see('payload over 100 KB');
        strings.push(p.topic);
      }
      if (p.type === 8) {
        if (p.subscriptions.length > 1) see('subscribe with several filters');
        for (const s of p.subscriptions) {
          see(`subscribe qos ${s.qos}`);
          strings.push(s.filter);
        }
      }
      if (p.type === 9) for (const g of p.granted) see(`suback ${g}`);
      if (p.type === 10 && p.filters.length > 1) see('unsubscribe with several filters');
      for (const s of strings) {
        for (const ch of s) {
          const n = utf8Length(ch);
          see(`${n}-byte character`);
        }
      }
    }
    const want = [
      ...TYPE_NAMES.slice(1, 15).map((n) => `type ${n}`),
      ...[1, 2, 3, 4].map((n) => `length field ${n} bytes`),
      'clean true',
      'clean false',
      'empty client id',
      'no will',
      'username',
      'no username',
      'password',
      'no password',
      ...[0, 1, 2].flatMap((q) => [`will qos ${q} retain true`, `will qos ${q} retain false`]),
      'session present true',
      'session present false',
      ...[0, 1, 2].map((q) => `publish qos ${q}`),
      'publish dup true',
      'publish dup false',
      'publish retain true',
      'publish retain false',
      'empty payload',
      'payload over 100 KB',
      'subscribe with several filters',
      ...[0, 1, 2].map((q) => `subscribe qos ${q}`),
      ...[0, 1, 2, 128].map((g) => `suback ${g}`),
      'unsubscribe with several filters',
      '1-byte character',
      '2-byte character',
      '3-byte character',
      '4-byte character',
    ];
    const missing = want.filter((k) => !seen.has(k));
    assert.deepEqual(missing, [], `seed ${SEED}: the random packets miss ${missing.join(', ')}`);
  });

  test(`encode() gives the same bytes as mqtt-packet generate() (${ALL.length} packets)`, () => {
    for (const [i, [ours, theirs]] of ALL.entries()) {
      check(i, ours, () => {
        const mine = encode(ours);
        assert.ok(mine instanceof Uint8Array, 'encode() returns a Uint8Array');
        const ref = generate(theirs);
        assert.ok(
          Buffer.compare(asBuffer(mine), ref) === 0,
          `bytes differ: ours ${mine.length} bytes ${asBuffer(mine.subarray(0, 48)).toString('hex')}, mqtt-packet ${ref.length} bytes ${ref.subarray(0, 48).toString('hex')}`,
        );
      });
    }
  });

  test("Decoder decodes mqtt-packet's bytes to the same packet", () => {
    let got = [];
    const d = new BrokerDecoder((p) => got.push(p));
    for (const [i, [ours, theirs]] of ALL.entries()) {
      check(i, ours, () => {
        got = [];
        d.push(generate(theirs));
        assert.equal(got.length, 1, 'one packet in, one packet out');
        assert.ok(d.idle, 'nothing left over');
        assert.deepStrictEqual(canonical(got[0]), canonical(ours));
      });
    }
  });

  test("mqtt-packet's parser decodes encode()'s bytes to the same packet", () => {
    const mp = mqttParser();
    for (const [i, [ours]] of ALL.entries()) {
      check(i, ours, () => {
        const before = mp.packets.length;
        const left = mp.parse(encode(ours));
        assert.deepEqual(mp.errors.map(String), [], 'mqtt-packet reports no error');
        assert.equal(mp.packets.length, before + 1, 'one packet in, one packet out');
        assert.equal(left, 0, 'mqtt-packet holds no bytes afterwards: our remaining length is exact');
        assert.deepStrictEqual(canonical(fromMqttPacket(mp.packets[before])), canonical(ours));
      });
    }
  });

  test('strings: utf8Length and encodeUtf8 agree with Buffer (lone surrogates become U+FFFD), decodeUtf8 inverts', () => {
    const rng = createRng(SEED ^ 0x5151);
    const units = [0x41, 0x2f, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xffff];
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const n = rng.int(12);
      for (let k = 0; k < n; k++)
        s += rng.chance(0.3)
          ? String.fromCharCode(rng.pick(units))
          : String.fromCodePoint(rng.chance(0.5) ? rng.range(1, 0xd7ff) : rng.range(0x10000, 0x10ffff));
      const ref = Buffer.from(s, 'utf8');
      const ctx = `seed ${SEED} string #${i} ${JSON.stringify(s)}`;
      assert.equal(utf8Length(s), ref.length, ctx);
      assert.ok(Buffer.compare(asBuffer(encodeUtf8(s)), ref) === 0, ctx);
      if (!s.includes('\0')) assert.equal(decodeUtf8(encodeUtf8(s)), ref.toString('utf8'), ctx);
      // and inside a packet, against mqtt-packet
      if (s && !s.includes('\0')) {
        const p = publish(s, new Uint8Array([i & 255]), 1, 1 + i);
        assert.ok(Buffer.compare(asBuffer(encode(p)), generate(toMqttPacket(p))) === 0, ctx);
      }
    }
  });

  test('decodeUtf8 agrees with a fatal TextDecoder on random bytes, and only ever throws ProtocolError', () => {
    const rng = createRng(SEED ^ 0xbad);
    const pool = [
      0x00, 0x01, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5,
      0xf7, 0xf8, 0xfb, 0xfc, 0xfe, 0xff,
    ];
    const td = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let valid = 0,
      invalid = 0;
    for (let i = 0; i < 30_000; i++) {
      const b = Uint8Array.from({ length: rng.int(9) }, () => (rng.chance(0.8) ? rng.pick(pool) : rng.int(256)));
      let expected;
      try {
        expected = td.decode(b);
        if (expected.includes('\0')) expected = null;
      } catch {
        expected = null;
      }
      let got;
      try {
        got = decodeUtf8(b);
      } catch (e) {
        assert.ok(e instanceof ProtocolError, `seed ${SEED}: ${Buffer.from(b).toString('hex')} threw ${e.name}: ${e.message}`);
        got = null;
      }
      assert.equal(got, expected, `seed ${SEED}: bytes ${Buffer.from(b).toString('hex')}`);
      if (expected === null) invalid++;
      else valid++;
    }
    assert.ok(valid > 1000 && invalid > 1000, `both kinds tried: ${valid} valid, ${invalid} invalid`);
  });

  test('encode() refuses a string or binary field over 65535 bytes instead of writing a wrong length', () => {
    const long = 't'.repeat(65536);
    const wide = '\u4e2d'.repeat(21846); // 21846 UTF-16 units but 65538 bytes
    const cases = [
      publish(long, new Uint8Array(0)),
      publish(wide, new Uint8Array(0)),
      { type: 1, clientId: long, clean: true, keepalive: 0 },
      { type: 1, clientId: 'c', clean: true, keepalive: 0, username: wide },
      { type: 1, clientId: 'c', clean: true, keepalive: 0, username: 'u', password: new Uint8Array(65536) },
      { type: 1, clientId: 'c', clean: true, keepalive: 0, will: { topic: 'w', payload: new Uint8Array(65536), qos: 0, retain: false } },
      { type: 8, id: 1, subscriptions: [{ filter: long, qos: 0 }] },
      { type: 10, id: 1, filters: ['a', wide] },
    ];
    for (const p of cases) assert.throws(() => encode(p), RangeError, describePacket(p));
    // one byte less is fine (and mqtt-packet agrees on the bytes)
    const ok = publish('\u4e2d'.repeat(21845), new Uint8Array(0));
    assert.ok(Buffer.compare(asBuffer(encode(ok)), generate(toMqttPacket(ok))) === 0);
  });
});

// ---- (b) any fragmentation

describe('streaming Decoder: any fragmentation gives the same packets', () => {
  const packets = ALL.map(([p]) => p);
  const encoded = packets.map(encode);
  const stream = concat(encoded);

  test(`all in one chunk (${packets.length} packets, ${stream.length} bytes)`, () => {
    const { out, error, decoder } = decodeChunks([stream]);
    assert.equal(error, null);
    assertSamePackets(out, packets, 'one chunk');
    assert.ok(decoder.idle);
  });

  test('as Node Buffers of random sizes, with three split seeds', () => {
    for (const s of [1, 2, 3]) {
      const chunks = randomChunks(stream, createRng(SEED + s)).map(asBuffer);
      assert.ok(chunks.length > 1000, `many pieces: ${chunks.length}`);
      const { out, error, decoder } = decodeChunks(chunks);
      assert.equal(error, null);
      assertSamePackets(out, packets, `random split ${SEED + s}`);
      assert.ok(decoder.idle);
    }
  });

  test('one byte at a time, with idle true exactly at packet boundaries', () => {
    const small = [
      ...randomPackets(1500, SEED + 7, { maxPayload: 20_000 }).map(([p]) => p),
      ...[127, 128, 16383, 16384, 2097152].map((rl) => publish('b', big(rl - 3))), // 1- to 4-byte lengths
      { type: 12 },
      { type: 14 },
    ];
    const bytes = concat(small.map(encode));
    const ends = new Set();
    let o = 0;
    for (const p of small) {
      o += encode(p).length;
      ends.add(o);
    }
    const out = [];
    const d = new BrokerDecoder((p) => out.push(p));
    let wrongIdle = -1;
    for (let i = 0; i < bytes.length; i++) {
      d.push(bytes.subarray(i, i + 1));
      if (d.idle !== ends.has(i + 1) && wrongIdle < 0) wrongIdle = i;
    }
    assert.equal(wrongIdle, -1, `idle is wrong after byte ${wrongIdle}`);
    assertSamePackets(out, small, 'one byte at a time');
  });

  test('split in two at every byte, and in three around every header', () => {
    const few = randomPackets(200, SEED + 9, { maxPayload: 300 })
      .map(([p]) => p)
      .filter((p) => encode(p).length <= 400)
      .slice(0, 45);
    few.push(publish('b', big(200)), { type: 13 });
    assert.equal(few.length, 47);
    const bytes = concat(few.map(encode));
    for (let k = 0; k <= bytes.length; k++) {
      const { out, error } = decodeChunks([bytes.subarray(0, k), bytes.subarray(k)]);
      assert.equal(error, null, `split at ${k}`);
      assertSamePackets(out, few, `split at ${k}`);
    }
    // three pieces: every pair of cuts inside and around each fixed header
    let start = 0;
    for (const p of few) {
      const len = encode(p).length;
      const hl = 1 + lengthFieldSize(encode(p));
      for (let a = start; a <= start + hl + 1; a++) {
        for (let b = a; b <= Math.min(start + len, a + hl + 2); b++) {
          const { out, error } = decodeChunks([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
          assert.equal(error, null, `cuts at ${a}, ${b}`);
          assertSamePackets(out, few, `cuts at ${a}, ${b}`);
        }
      }
      start += len;
    }
  });

  test('empty chunks are harmless', () => {
    const few = ALL.slice(0, 50).map(([p]) => p);
    const chunks = [];
    for (const b of few.map(encode)) chunks.push(new Uint8Array(0), b.subarray(0, 1), new Uint8Array(0), b.subarray(1));
    const { out, error } = decodeChunks(chunks);
    assert.equal(error, null);
    assertSamePackets(out, few, 'with empty chunks');
  });

  test('a remaining length sent in more bytes than needed frames the same way in every fragmentation', () => {
    // MQTT 3.1.1 does not demand the shortest form; mqtt-packet and mosquitto accept padded lengths.
    const pad = (bytes, extra) => {
      const k = lengthFieldSize(bytes);
      if (k + extra > 4) return bytes;
      const len = [...bytes.subarray(1, 1 + k)];
      len[len.length - 1] |= 128;
      for (let e = 1; e < extra; e++) len.push(128);
      len.push(0);
      return Uint8Array.from([bytes[0], ...len, ...bytes.subarray(1 + k)]);
    };
    const rng = createRng(SEED + 11);
    const few = [{ type: 12 }, { type: 4, id: 7 }, ...randomPackets(300, SEED + 12, { maxPayload: 3000 }).map(([p]) => p), { type: 14 }];
    const padded = concat(few.map((p) => pad(encode(p), rng.range(0, 3))));
    const mp = mqttParser();
    mp.parse(padded);
    assert.deepEqual(mp.errors.map(String), []);
    assertSamePackets(mp.packets.map(fromMqttPacket), few, 'mqtt-packet on padded lengths');
    for (const [name, chunks] of [
      ['one chunk', [padded]],
      ['random', randomChunks(padded, rng)],
      ['bytewise', bytewise(padded)],
    ]) {
      const { out, error } = decodeChunks(chunks);
      assert.equal(error, null, name);
      assertSamePackets(out, few, `padded lengths, ${name}`);
    }
  });
});

// ---- (c) bad input

/** Feeds `bytes` whole and one byte at a time: both must end in a ProtocolError and emit nothing. */
function assertRejects(bytes, label, { max, message } = {}) {
  for (const [mode, chunks] of [
    ['whole', [bytes]],
    ['bytewise', bytewise(bytes)],
  ]) {
    const { out, error } = decodeChunks(chunks, max);
    const ctx = `${label} (${mode}, bytes ${asBuffer(bytes.subarray(0, 40)).toString('hex')})`;
    assert.ok(error, `${ctx}: accepted as ${describePacket(out)}`);
    assert.equal(error.name, 'ProtocolError', `${ctx}: ${error.name}: ${error.message}`);
    assert.ok(error instanceof ProtocolError, ctx);
    assert.deepEqual(out, [], `${ctx}: emitted a packet`);
    if (message) assert.match(error.message, message, ctx);
  }
}
function assertAccepts(bytes, label) {
  const { out, error } = decodeChunks([bytes]);
  assert.equal(error, null, `${label}: ${error?.message}`);
  assert.equal(out.length, 1, label);
  return out[0];
}

describe('bad input gives a ProtocolError, never a TypeError or RangeError', () => {
  test('remaining length longer than 4 bytes', () => {
    for (const bytes of [
      [0x30, 0x80, 0x80, 0x80, 0x80, 0x01],
      [0xc0, 0xff, 0xff, 0xff, 0xff, 0x7f],
      [0x30, 0xff, 0xff, 0xff, 0xff],
    ]) {
      assertRejects(Uint8Array.from(bytes), 'five-byte remaining length', { message: /4 bytes/ });
      // it is detected on the fourth length byte, without waiting for a fifth
      const { error, failedAt } = decodeChunks(bytewise(Uint8Array.from(bytes.slice(0, 5))));
      assert.ok(error instanceof ProtocolError);
      assert.equal(failedAt, 4);
    }
    // the largest 4-byte length is fine as far as the header goes
    const { error, decoder } = decodeChunks([Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0x7f])], MAX_REMAINING_LENGTH + 5);
    assert.equal(error, null);
    assert.equal(decoder.idle, false);
  });

  test('above the maximum packet size: rejected on the header alone, before any allocation', () => {
    const RealUint8Array = globalThis.Uint8Array;
    const allocations = [];
    const spy = new Proxy(RealUint8Array, {
      construct(target, args, newTarget) {
        if (typeof args[0] === 'number') allocations.push(args[0]);
        return Reflect.construct(target, args, newTarget === spy ? target : newTarget);
      },
    });
    const header = RealUint8Array.from([0x30, 0xff, 0xff, 0xff, 0x7f]); // announces 268,435,455 bytes
    const feeds = { whole: [header], bytewise: bytewise(header), split: [header.subarray(0, 2), header.subarray(2)] };
    for (const [mode, chunks] of Object.entries(feeds)) {
      const out = [];
      const d = new BrokerDecoder((p) => out.push(p), 1024);
      allocations.length = 0;
      let fed;
      globalThis.Uint8Array = spy;
      try {
        fed = feed(d, chunks);
      } finally {
        globalThis.Uint8Array = RealUint8Array;
      }
      const { error, failedAt } = fed;
      assert.ok(error instanceof ProtocolError, `${mode}: ${error}`);
      assert.match(error.message, /maximum packet size/);
      assert.equal(failedAt, chunks.length - 1, `${mode}: thrown when the header's last byte arrives, no body given`);
      assert.ok(
        allocations.every((n) => n <= 1024),
        `${mode}: allocated ${allocations.join(', ')} bytes`,
      );
    }
    // the spy does see the decoder allocate for an allowed packet split across pieces
    const ok = encode(publish('a', big(50_000)));
    const d = new BrokerDecoder(() => {}, 1 << 20);
    allocations.length = 0;
    globalThis.Uint8Array = spy;
    try {
      d.push(ok.subarray(0, 100));
    } finally {
      globalThis.Uint8Array = RealUint8Array;
    }
    assert.ok(allocations.includes(ok.length), `allocations seen: ${allocations.join(', ')}`);
  });

  test('the maximum packet size counts the whole packet, header included', () => {
    assert.equal(new BrokerDecoder(() => {}).maxPacketSize, MAX_REMAINING_LENGTH + 5);
    const exact = encode(publish('a', big(200 - 3 - 3))); // 3-byte fixed header + 3-byte topic + payload = 200
    assert.equal(exact.length, 200);
    for (const chunks of [[exact], bytewise(exact), [exact.subarray(0, 1), exact.subarray(1, 3), exact.subarray(3)]]) {
      const { out, error } = decodeChunks(chunks, 200);
      assert.equal(error, null);
      assert.equal(out.length, 1);
    }
    const over = encode(publish('a', big(200 - 3 - 3 + 1)));
    assertRejects(over, '201-byte packet with a 200-byte maximum', { max: 200, message: /maximum packet size/ });
    assertRejects(over.subarray(0, 3), 'header of a 201-byte packet with a 200-byte maximum', { max: 200 });
  });

  test('wrong reserved flags, for each packet type', () => {
    const samples = {
      1: { type: 1, clientId: 'c', clean: true, keepalive: 60 },
      2: { type: 2, sessionPresent: false, returnCode: 0 },
      4: { type: 4, id: 1 },
      5: { type: 5, id: 1 },
      6: { type: 6, id: 1 },
      7: { type: 7, id: 1 },
      8: { type: 8, id: 1, subscriptions: [{ filter: 'a', qos: 0 }] },
      9: { type: 9, id: 1, granted: [0] },
      10: { type: 10, id: 1, filters: ['a'] },
      11: { type: 11, id: 1 },
      12: { type: 12 },
      13: { type: 13 },
      14: { type: 14 },
    };
    let rejected = 0;
    for (const [type, p] of Object.entries(samples)) {
      const good = encode(p);
      const required = good[0] & 15;
      assert.equal(required, [6, 8, 10].includes(+type) ? 2 : 0, `type ${type} is encoded with its required flags`);
      assert.deepStrictEqual(canonical(assertAccepts(good, `type ${type}`)), canonical(p));
      for (let flags = 0; flags < 16; flags++) {
        if (flags === required) continue;
        const bad = good.slice();
        bad[0] = (type << 4) | flags;
        assertRejects(bad, `type ${type} with flags ${flags}`, { message: /reserved flags/ });
        rejected++;
      }
    }
    assert.equal(rejected, 13 * 15);
  });

  test('PUBLISH with QoS 3', () => {
    const body = [...strBytes('a/b'), 0, 1, 9, 9];
    for (const first of [0x36, 0x37, 0x3e, 0x3f]) assertRejects(frame(first, body), `first byte ${first.toString(16)}`, { message: /QoS 3/ });
    assert.equal(assertAccepts(frame(0x34, body), 'QoS 2').qos, 2);
  });

  const BAD_UTF8 = {
    'overlong NUL C0 80': [0xc0, 0x80],
    'overlong C1 BF': [0xc1, 0xbf],
    'overlong 3-byte E0 80 AF': [0xe0, 0x80, 0xaf],
    'overlong 3-byte E0 9F BF': [0xe0, 0x9f, 0xbf],
    'overlong 4-byte F0 80 80 AF': [0xf0, 0x80, 0x80, 0xaf],
    'overlong 4-byte F0 8F BF BF': [0xf0, 0x8f, 0xbf, 0xbf],
    'high surrogate ED A0 80': [0xed, 0xa0, 0x80],
    'low surrogate ED BF BF': [0xed, 0xbf, 0xbf],
    'surrogate pair as CESU-8': [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
    'truncated 2-byte': [0x61, 0xc3],
    'truncated 3-byte': [0x61, 0xe2, 0x82],
    'truncated 4-byte': [0xf0, 0x9f, 0x98],
    'truncated then ASCII': [0xe2, 0x82, 0x61],
    'lone continuation 80': [0x80],
    'lone continuation BF': [0x61, 0xbf],
    '0xFF': [0x61, 0xff],
    '0xFE': [0xfe],
    'F5 (above U+10FFFF)': [0xf5, 0x80, 0x80, 0x80],
    'F4 90 (above U+10FFFF)': [0xf4, 0x90, 0x80, 0x80],
    '5-byte form F8': [0xf8, 0x88, 0x80, 0x80, 0x80],
    'U+0000': [0x61, 0x00, 0x62],
    'U+0000 alone': [0x00],
  };
  const GOOD_UTF8 = [
    [[0x7f], '\x7f'],
    [[0xc2, 0x80], '\x80'],
    [[0xdf, 0xbf], '\u07ff'],
    [[0xe0, 0xa0, 0x80], '\u0800'],
    [[0xed, 0x9f, 0xbf], '\ud7ff'],
    [[0xee, 0x80, 0x80], '\ue000'],
    [[0xef, 0xbf, 0xbf], '\uffff'],
    [[0xf0, 0x90, 0x80, 0x80], '\u{10000}'],
    [[0xf4, 0x8f, 0xbf, 0xbf], '\u{10ffff}'],
    [[0xef, 0xbb, 0xbf, 0x61], '\ufeffa'],
  ];

  test('invalid UTF-8 in a PUBLISH topic', () => {
    for (const [name, bytes] of Object.entries(BAD_UTF8)) {
      assertRejects(frame(0x30, [...rawStr(bytes), 1, 2, 3]), `topic with ${name}`, { message: /UTF-8/ });
      assertRejects(frame(0x32, [...rawStr(bytes), 0, 5]), `QoS 1 topic with ${name}`, { message: /UTF-8/ });
      // followed by continuation bytes, which a decoder reading past the string's end would take
      assertRejects(frame(0x30, [...rawStr(bytes), 0x82, 0xac, 0x80, 0x80]), `topic with ${name}, then 80..BF`, { message: /UTF-8/ });
    }
    assert.throws(() => decodeUtf8(Uint8Array.of(0xe2, 0x82, 0xac), 0, 2), ProtocolError);
    assert.equal(decodeUtf8(Uint8Array.of(0x61, 0xe2, 0x82, 0xac, 0x62), 1, 4), '\u20ac');
    for (const [bytes, s] of GOOD_UTF8) assert.equal(assertAccepts(frame(0x30, [...rawStr(bytes), 1]), s).topic, s);
  });

  test('invalid UTF-8 in the other strings: filters, client id, will topic, user name', () => {
    for (const [name, bytes] of Object.entries(BAD_UTF8)) {
      const s = rawStr(bytes);
      const connect = (flags, ...fields) => frame(0x10, [...strBytes('MQTT'), 4, flags, 0, 60, ...fields.flat()]);
      const cases = {
        subscribe: frame(0x82, [0, 1, ...strBytes('ok'), 0, ...s, 1]),
        unsubscribe: frame(0xa2, [0, 1, ...s]),
        'client id': connect(2, s),
        'will topic': connect(2 | 4, strBytes('c'), s, rawStr([1])),
        'user name': connect(2 | 128, strBytes('c'), s),
      };
      for (const [where, bytes2] of Object.entries(cases)) assertRejects(bytes2, `${where} with ${name}`, { message: /UTF-8/ });
    }
    // the same packets with good strings pass: the cases above differ only in the string
    const good = strBytes('\u{1f600}');
    assert.equal(assertAccepts(frame(0x82, [0, 1, ...strBytes('ok'), 0, ...good, 1])).subscriptions[1].filter, '\u{1f600}');
    assert.equal(assertAccepts(frame(0x10, [...strBytes('MQTT'), 4, 2 | 128, 0, 60, ...strBytes('c'), ...good])).username, '\u{1f600}');
  });

  test('packet identifier 0 on QoS>0 PUBLISH, SUBSCRIBE, UNSUBSCRIBE, SUBACK and acks', () => {
    const topic = strBytes('a');
    const cases = {
      'PUBLISH QoS 1': frame(0x32, [...topic, 0, 0, 7]),
      'PUBLISH QoS 2': frame(0x34, [...topic, 0, 0]),
      'PUBLISH QoS 1 DUP retain': frame(0x3b, [...topic, 0, 0]),
      SUBSCRIBE: frame(0x82, [0, 0, ...topic, 1]),
      UNSUBSCRIBE: frame(0xa2, [0, 0, ...topic]),
      SUBACK: frame(0x90, [0, 0, 1]),
      PUBACK: frame(0x40, [0, 0]),
      PUBREC: frame(0x50, [0, 0]),
      PUBREL: frame(0x62, [0, 0]),
      PUBCOMP: frame(0x70, [0, 0]),
      UNSUBACK: frame(0xb0, [0, 0]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      assertRejects(bytes, `${name} with id 0`, { message: /identifier 0/ });
      const fixed = bytes.slice();
      fixed[fixed.indexOf(0, 1 + lengthFieldSize(bytes) + (name.startsWith('PUBLISH') ? 3 : 0)) + 1] = 1; // id 0 -> 1
      assert.equal(assertAccepts(fixed, `${name} with id 1`).id, 1, name);
    }
    // QoS 0 has no identifier: the two bytes after the topic are payload
    const p = assertAccepts(frame(0x30, [...topic, 0, 0]), 'QoS 0');
    assert.equal(p.id, 0);
    assert.deepEqual([...p.payload], [0, 0]);
  });

  test('wrong remaining length for fixed-size packets', () => {
    for (const first of [0x40, 0x50, 0x62, 0x70, 0xb0]) {
      for (const body of [[], [0], [0, 1, 0], [0, 1, 0, 0], [0, 1, ...new Array(200).fill(0)]]) {
        assertRejects(frame(first, body), `type ${first >> 4} with remaining length ${body.length}`, { message: /remaining length 2/ });
      }
      assert.equal(assertAccepts(frame(first, [1, 2]), `type ${first >> 4}`).id, 0x102);
    }
    for (const body of [[], [0], [0, 0, 0]])
      assertRejects(frame(0x20, body), `CONNACK with remaining length ${body.length}`, { message: /remaining length 2/ });
    for (const first of [0xc0, 0xd0, 0xe0]) {
      for (const body of [[0], [0, 0], new Array(300).fill(1)])
        assertRejects(frame(first, body), `type ${first >> 4} with remaining length ${body.length}`, { message: /remaining length 0/ });
      assert.deepEqual(assertAccepts(frame(first, []), `type ${first >> 4}`), { type: first >> 4 });
    }
  });

  test('reserved packet types 0 and 15', () => {
    for (const first of [0x00, 0xf0]) {
      for (const body of [[], [0, 1], [...strBytes('a'), 1, 2]]) assertRejects(frame(first, body), `type ${first >> 4}`, { message: /reserved/ });
    }
  });

  test('SUBACK with a return code other than 0, 1, 2, 128, or none', () => {
    for (const codes of [[3], [0x7f], [0x81], [0xff], [0, 1, 2, 128, 3], [4, 0]]) {
      assertRejects(frame(0x90, [0, 9, ...codes]), `SUBACK codes ${codes}`, { message: /return code/ });
    }
    assertRejects(frame(0x90, [0, 9]), 'SUBACK without codes', { message: /without return codes/ });
    assert.deepEqual(assertAccepts(frame(0x90, [0, 9, 0, 1, 2, 128])).granted, [0, 1, 2, 128]);
  });

  test('truncated fields and other malformed bodies', () => {
    const connect = (flags, ...fields) => frame(0x10, [...strBytes('MQTT'), 4, flags, 0, 60, ...fields.flat()]);
    const cases = {
      'PUBLISH with an empty body': frame(0x30, []),
      'PUBLISH with one byte': frame(0x30, [0]),
      'PUBLISH topic longer than the packet': frame(0x30, [0, 5, 0x61, 0x62]),
      'PUBLISH QoS 1 without room for the id': frame(0x32, [...strBytes('a'), 0]),
      'SUBSCRIBE without filters': frame(0x82, [0, 1]),
      'SUBSCRIBE filter without a QoS byte': frame(0x82, [0, 1, ...strBytes('a')]),
      'SUBSCRIBE with QoS byte 3': frame(0x82, [0, 1, ...strBytes('a'), 3]),
      'SUBSCRIBE with reserved bits in the QoS byte': frame(0x82, [0, 1, ...strBytes('a'), 0x41]),
      'SUBSCRIBE filter cut short': frame(0x82, [0, 1, 0, 9, 0x61]),
      'UNSUBSCRIBE without filters': frame(0xa2, [0, 1]),
      'UNSUBSCRIBE filter cut short': frame(0xa2, [0, 1, ...strBytes('a'), 0, 4, 0x61]),
      'SUBACK with one byte': frame(0x90, [0]),
      'CONNACK with reserved flags': frame(0x20, [2, 0]),
      'CONNECT empty': frame(0x10, []),
      'CONNECT MQIsdp level 3': frame(0x10, [...strBytes('MQIsdp'), 3, 2, 0, 60, ...strBytes('c')]),
      'CONNECT level 5': frame(0x10, [...strBytes('MQTT'), 5, 2, 0, 60, ...strBytes('c')]),
      'CONNECT without flags and keepalive': frame(0x10, [...strBytes('MQTT'), 4, 2]),
      'CONNECT reserved flag': connect(3, strBytes('c')),
      'CONNECT will QoS 3': connect(2 | 4 | 24, strBytes('c'), strBytes('w'), rawStr([1])),
      'CONNECT will QoS without a will': connect(2 | 8, strBytes('c')),
      'CONNECT will retain without a will': connect(2 | 32, strBytes('c')),
      'CONNECT password without user name': connect(2 | 64, strBytes('c'), rawStr([1])),
      'CONNECT without client id': connect(2),
      'CONNECT will without payload': connect(2 | 4, strBytes('c'), strBytes('w')),
      'CONNECT password cut short': connect(2 | 128 | 64, strBytes('c'), strBytes('u'), [0, 3, 1]),
      'CONNECT with extra bytes': connect(2, strBytes('c'), [0]),
    };
    for (const [name, bytes] of Object.entries(cases)) assertRejects(bytes, name);
    assert.equal(assertAccepts(connect(2 | 4 | 16 | 32 | 128 | 64, strBytes('c'), strBytes('w'), rawStr([1]), strBytes('u'), rawStr([2]))).will.qos, 2);
  });

  test('packets before a bad one are delivered, then the error', () => {
    const good = [{ type: 12 }, publish('a', big(10), 1, 5), { type: 4, id: 5 }];
    const bytes = concat([...good.map(encode), frame(0x30, [0, 1, 0xff]), encode({ type: 13 })]);
    for (const chunks of [[bytes], bytewise(bytes), [bytes.subarray(0, 5), bytes.subarray(5)]]) {
      const { out, error } = decodeChunks(chunks);
      assert.ok(error instanceof ProtocolError);
      assertSamePackets(out, good, 'before the bad packet');
    }
  });

  test('mutated and random bytes only ever give packets or a ProtocolError', () => {
    const rng = createRng(SEED ^ 0xf022);
    const seeds = randomPackets(400, SEED ^ 0xf023, { maxPayload: 200 }).map(([p]) => encode(p));
    let errors = 0,
      packets = 0;
    for (let i = 0; i < 15_000; i++) {
      let b;
      if (i % 5 === 4) b = Uint8Array.from({ length: rng.int(40) }, () => rng.int(256));
      else {
        b = rng.pick(seeds).slice();
        const edits = rng.range(1, 3);
        for (let e = 0; e < edits; e++) {
          const r = rng.float();
          if (r < 0.5) b[rng.int(b.length)] = rng.chance(0.5) ? rng.int(256) : rng.pick([0, 0x80, 0xc0, 0xff, 0x7f]);
          else if (r < 0.75) b = b.subarray(0, rng.int(b.length + 1));
          else b = concat([b.subarray(0, 1 + rng.int(b.length)), Uint8Array.of(rng.int(256)), b.subarray(1 + rng.int(b.length))]);
        }
      }
      const chunks = rng.chance(0.5) ? [b] : randomChunks(b, rng);
      const { out, error } = decodeChunks(chunks, 1 << 16);
      packets += out.length;
      if (error) {
        errors++;
        if (!(error instanceof ProtocolError)) {
          assert.fail(`seed ${SEED}, case ${i}: ${asBuffer(b).toString('hex')} threw ${error.name}: ${error.message}\n${error.stack}`);
        }
      }
    }
    assert.ok(errors > 3000, `${errors} errors`);
    assert.ok(packets > 1000, `${packets} packets`);
  });
});

describe("a client's decoder and a broker's", () => {
  test('a board decodes only what a broker sends: CONNECT, SUBSCRIBE and UNSUBSCRIBE are refused; BrokerDecoder reads them', () => {
    const connect = encode({ type: 1, clientId: 'c', clean: true, keepalive: 30 });
    const subscribe = encode({ type: 8, id: 1, subscriptions: [{ filter: 'a/#', qos: 0 }] });
    for (const bytes of [connect, subscribe]) {
      assert.throws(() => new Decoder(() => {}).push(bytes), /is only sent to a broker/);
      const got = [];
      new BrokerDecoder((p) => got.push(p)).push(bytes);
      assert.equal(got.length, 1);
    }
  });
});
