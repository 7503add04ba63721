// The Decoder against 1,000,000 random and mutated packets, fed in random pieces; then brokers that
// misbehave on purpose: one announcing a 268,435,455-byte packet, one that stops answering pings.
//
// The promise: whatever the bytes, the Decoder gives packets or throws ProtocolError, nothing else,
// and never allocates more than its maximum packet size (every `new Uint8Array(n)` is watched
// through a Proxy on globalThis.Uint8Array for the whole run). Every packet it gives must encode
// and decode back to itself, and an unmutated packet must come out as it went in.
//
// Rerun a failure with the seed it prints: FUZZ_SEED=<n> node --test test/unit/fuzz.test.mjs
// FUZZ_CASES=<n> changes the number of cases (default 1,000,000).
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Buffer } from 'node:buffer';
import { BrokerDecoder, ProtocolError, MqttClient, encode } from '../../dist/index.js';
import { createRng, randomPackets, randomPacket } from '../helpers/packets.mjs';
import { measuredHost, until } from '../helpers/proxy.mjs';

const U8 = globalThis.Uint8Array; // the real one: the test's own buffers are not the decoder's
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) >>> 0 : 0x66757a7a;
const CASES = Number(process.env.FUZZ_CASES ?? 1_000_000);
const MAX = 4096; // the decoder's maximum packet size during the run
const LOCAL = '127.0.0.1';

/**
 * Watches every `new Uint8Array(n)` made through the global between install() and uninstall(),
 * except while `paused` (the test's own encoding). `largest` is the largest n seen, `count` how many.
 */
function spyAllocations() {
  const spy = { largest: 0, count: 0, sizes: [], paused: false };
  const trap = new Proxy(U8, {
    construct(target, args, newTarget) {
      if (typeof args[0] === 'number' && !spy.paused) {
        spy.count++;
        if (args[0] > spy.largest) spy.largest = args[0];
        if (spy.sizes.length < 20 && args[0] > 1024) spy.sizes.push(args[0]);
      }
      return Reflect.construct(target, args, newTarget === trap ? target : newTarget);
    },
  });
  spy.install = () => {
    globalThis.Uint8Array = trap;
  };
  spy.uninstall = () => {
    globalThis.Uint8Array = U8;
  };
  return spy;
}

// ---- mutations

const INTERESTING = [0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xfe, 0xff, 0x30, 0x32, 0x34, 0x36, 0x62, 0x82, 0xa2];
const LENGTHS = [0, 1, 2, 3, 4, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, MAX - 2, MAX - 1, MAX, MAX + 1];

function cat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new U8(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A remaining length as `bytes` varint bytes (padded beyond the minimum, or 5: always invalid). */
function varint(value, bytes) {
  const out = [];
  let v = value;
  for (let i = 0; i < bytes; i++) {
    let d = v & 127;
    v = Math.floor(v / 128);
    if (i < bytes - 1) d |= 128;
    out.push(d);
  }
  return U8.from(out);
}
const minimalBytes = (v) => (v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : 4);

function headerLength(b) {
  let k = 1;
  while (k < 5 && k < b.length && b[k] & 128) k++;
  return Math.min(k + 1, b.length);
}

function mutate(rng, b, corpus) {
  switch (rng.int(9)) {
    case 0: {
      // bit flip
      if (!b.length) return b;
      const c = b.slice();
      c[rng.int(c.length)] ^= 1 << rng.int(8);
      return c;
    }
    case 1: {
      // an interesting or random byte
      if (!b.length) return b;
      const c = b.slice();
      c[rng.int(c.length)] = rng.chance(0.6) ? rng.pick(INTERESTING) : rng.int(256);
      return c;
    }
    case 2: {
      // insert 1-4 bytes
      const i = rng.int(b.length + 1);
      return cat(b.subarray(0, i), rng.bytes(rng.range(1, 4)), b.subarray(i));
    }
    case 3: {
      // delete 1-4 bytes
      const i = rng.int(b.length + 1);
      return cat(b.subarray(0, i), b.subarray(i + rng.range(1, 4)));
    }
    case 4: // truncate
      return b.subarray(0, rng.int(b.length + 1));
    case 5: {
      // corrupt the remaining length: another value, padded, or five bytes long
      const body = b.subarray(headerLength(b));
      const value = rng.chance(0.5) ? rng.pick(LENGTHS) : rng.chance(0.5) ? body.length + rng.range(-3, 3) : rng.int(268435456);
      const v = Math.max(0, Math.min(268435455, value));
      const n = rng.chance(0.8) ? minimalBytes(v) : rng.range(minimalBytes(v), 5);
      return cat(U8.of(b.length ? b[0] : rng.int(256)), varint(v, n), body);
    }
    case 6: {
      // splice with another packet
      const o = rng.pick(corpus);
      return cat(b.subarray(0, rng.int(b.length + 1)), o.subarray(rng.int(o.length + 1)));
    }
    case 7: {
      // another type or other flags in the first byte
      if (!b.length) return b;
      const c = b.slice();
      c[0] = rng.chance(0.5) ? (rng.int(16) << 4) | (c[0] & 15) : (c[0] & 0xf0) | rng.int(16);
      return c;
    }
    default: {
      // overwrite a run of bytes
      if (!b.length) return b;
      const c = b.slice();
      const i = rng.int(c.length),
        n = Math.min(c.length - i, rng.range(1, 8));
      c.set(rng.bytes(n), i);
      return c;
    }
  }
}

function pieces(rng, b) {
  const r = rng.float();
  if (r < 0.3 || b.length < 2) return [b];
  if (r < 0.4 && b.length <= 64) return Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1));
  const out = [];
  for (let i = 0; i < b.length; ) {
    const n = rng.chance(0.5) ? rng.range(1, 4) : rng.range(1, 200);
    out.push(b.subarray(i, i + n));
    i += n;
  }
  return out;
}

const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const same = (a, b) =>
  a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

describe('the Decoder under fuzzing', () => {
  test(`${CASES.toLocaleString('en')} random and mutated packets in random pieces: packets or ProtocolError, no allocation above the maximum`, (t) => {
    const rng = createRng(SEED);
    // The corpus: valid packets of every type from mqtt-packet-checked generators, small enough
    // to fit under MAX mostly (a few long strings do not: they must be refused by size alone).
    const corpus = randomPackets(3000, SEED ^ 0x5eed, { maxPayload: 300 }).map(([p]) => encode(p));
    for (let type = 1; type <= 14; type++) for (let i = 0; i < 20; i++) corpus.push(encode(randomPacket(rng, type, { maxPayload: 64 })));

    const stats = { cases: 0, packets: 0, errors: 0, tooBig: 0, exact: 0 };
    let current = null;
    const check = (p) => {
      stats.packets++;
      // Whatever comes out must go back to bytes and decode to the same bytes again.
      spy.paused = true; // encode() cuts packets from an 8 KB slab on Node: not the decoder's doing
      const once = encode(p);
      let again = null;
      const d = new BrokerDecoder((q) => {
        again = q;
      }, MAX + 8);
      d.push(once);
      const ok = again && same(encode(again), once);
      spy.paused = false;
      if (!ok) assert.fail(`case ${stats.cases}: ${hex(current)} gave a packet that does not survive encode/decode: ${hex(once)} (FUZZ_SEED=${SEED})`);
    };

    const spy = spyAllocations();
    const t0 = performance.now();
    spy.install();
    try {
      for (let i = 0; i < CASES; i++) {
        stats.cases++;
        const r = rng.float();
        let input,
          expectExact = null;
        if (r < 0.04) {
          // unmutated: must come out exactly as it went in
          input = rng.pick(corpus);
          if (input.length <= MAX) expectExact = input;
        } else if (r < 0.1) {
          // noise
          input = rng.bytes(rng.int(48));
          if (input.length && rng.chance(0.7)) input[0] = rng.pick(INTERESTING);
        } else if (r < 0.2) {
          // a stream of packets, one of them mutated
          const parts = Array.from({ length: rng.range(2, 5) }, () => rng.pick(corpus));
          const k = rng.int(parts.length);
          parts[k] = mutate(rng, parts[k], corpus);
          input = cat(...parts);
        } else {
          input = rng.pick(corpus);
          for (let m = rng.range(1, 3); m > 0; m--) input = mutate(rng, input, corpus);
        }
        current = input;
        const out = [];
        const d = new BrokerDecoder((p) => {
          out.push(p);
          check(p);
        }, MAX);
        try {
          for (const piece of pieces(rng, input)) d.push(piece);
        } catch (e) {
          if (!(e instanceof ProtocolError)) {
            spy.uninstall();
            assert.fail(`case ${i}: ${hex(input)} threw ${e.name}: ${e.message} (FUZZ_SEED=${SEED})\n${e.stack}`);
          }
          stats.errors++;
          if (/maximum packet size/.test(e.message)) stats.tooBig++;
        }
        if (expectExact) {
          spy.paused = true;
          assert.equal(out.length, 1, `case ${i}: ${hex(input)} gave ${out.length} packets (FUZZ_SEED=${SEED})`);
          assert.ok(same(encode(out[0]), expectExact), `case ${i}: ${hex(input)} decoded differently (FUZZ_SEED=${SEED})`);
          stats.exact++;
          spy.paused = false;
        }
        if (spy.largest > MAX) {
          spy.uninstall();
          assert.fail(`case ${i}: ${hex(input)} made a Uint8Array of ${spy.largest} bytes, above the maximum ${MAX} (FUZZ_SEED=${SEED})`);
        }
      }
    } finally {
      spy.uninstall();
    }
    const seconds = (performance.now() - t0) / 1000;
    t.diagnostic(
      `seed ${SEED}: ${stats.cases} cases in ${seconds.toFixed(1)} s (${Math.round(stats.cases / seconds).toLocaleString('en')} cases/s); ${stats.packets} packets decoded and round-tripped, ${stats.errors} ProtocolErrors (${stats.tooBig} above the maximum size), ${stats.exact} unmutated packets exact; ${spy.count} Uint8Array allocations watched, the largest ${spy.largest} bytes`,
    );
    assert.ok(stats.errors > CASES / 4, `${stats.errors} errors: the mutations bite`);
    assert.ok(stats.packets > CASES / 10, `${stats.packets} packets: and some still decode`);
    assert.ok(stats.tooBig > CASES / 100, `${stats.tooBig} packets refused by size alone`);
    assert.ok(spy.count > CASES / 2, 'the spy saw the decoder allocate');
    assert.ok(spy.largest <= MAX);
  });
});

// ---- brokers that misbehave on purpose

const servers = new Set();
const clients = new Set();
afterEach(async () => {
  for (const c of clients) c.end();
  clients.clear();
  await Promise.all(
    [...servers].map(
      (s) =>
        new Promise((r) => {
          s.closeAll();
          s.close(() => r());
        }),
    ),
  );
  servers.clear();
});

/** A fake broker on 127.0.0.1: `onConnect(socket, n)` for each CONNECT it reads (n counts connections). */
async function fakeBroker(onConnect) {
  const sockets = new Set();
  let n = 0;
  const server = createServer((s) => {
    sockets.add(s);
    const k = ++n;
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.once('data', () => onConnect(s, k));
  });
  server.closeAll = () => {
    for (const s of sockets) s.destroy();
  };
  await new Promise((r) => server.listen(0, LOCAL, r));
  servers.add(server);
  server.connections = () => n;
  return server;
}

const CONNACK = Buffer.from([0x20, 2, 0, 0]);
const HUGE = Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]); // a PUBLISH of 268,435,455 bytes, says the header

function fakeClient(port, options) {
  const host = measuredHost();
  const client = new MqttClient(host, { host: LOCAL, port }, { clientId: 'fuzz', reconnect: { min: 20, max: 50 }, ...options });
  clients.add(client);
  const r = { client, host, closes: [], connects: 0 };
  client.onClose = (reason, retryIn) => r.closes.push({ reason, retryIn, at: performance.now(), lastData: host.lastData });
  client.onConnect = () => {
    r.connects++;
  };
  return r;
}

describe('brokers that misbehave', () => {
  test('a 268,435,455-byte PUBLISH announced after CONNACK, whose body stops coming: skipped as it streams, never buffered; the link kept while bytes come, dropped once they stop', async () => {
    let stopped = 0;
    const broker = await fakeBroker((s) => {
      s.write(CONNACK);
      s.write(HUGE);
      // 3 s of its body (three keepalives: the PINGRESP waits behind it), then silence.
      const t0 = performance.now();
      const more = setInterval(() => {
        if (s.destroyed) return clearInterval(more);
        if (performance.now() - t0 > 3000) {
          clearInterval(more);
          stopped = performance.now();
          return;
        }
        s.write(Buffer.alloc(16 * 1024, 0x61));
      }, 20);
      s.on('close', () => clearInterval(more));
    });
    const r = fakeClient(broker.address().port, { maxPacketSize: 16384, keepalive: 1 });
    const spy = spyAllocations();
    spy.install();
    try {
      r.client.connect();
      await until(() => r.closes.length >= 1, 'a cut-off');
    } finally {
      spy.uninstall();
    }
    assert.ok(spy.largest <= 16384, `allocated ${spy.sizes.join(', ')} bytes`);
    assert.ok(stopped && r.closes[0].at >= stopped, 'not cut off while the bytes came');
    assert.match(r.closes[0].reason, /^no PINGRESP within \d+\.\d s, and nothing at all for 0\.\d s: connection lost$/);
    assert.equal(r.client.skipped, 0, 'nothing counted before its end');
  });

  for (const when of ['instead of CONNACK']) {
    test(`a 268,435,455-byte packet announced ${when}: cut off on the header, before any allocation; then a reconnect`, async () => {
      const broker = await fakeBroker((s) => {
        if (when === 'after CONNACK') s.write(CONNACK);
        s.write(HUGE);
        s.write(Buffer.alloc(64 * 1024, 0x61)); // and the beginning of a body that never ends
      });
      const r = fakeClient(broker.address().port, { maxPacketSize: 16384 }); // a board's
      const spy = spyAllocations();
      spy.install();
      try {
        r.client.connect();
        await until(() => r.closes.length >= 2, 'two cut-offs', 10_000);
      } finally {
        spy.uninstall();
      }
      assert.ok(spy.largest <= 16384, `allocated ${spy.sizes.join(', ')} bytes`);
      assert.equal(r.closes[0].reason, 'protocol error: packet of 268435460 bytes is above the maximum packet size 16384');
      assert.ok(r.closes[0].retryIn > 0, 'and the client tries again');
      assert.ok(broker.connections() >= 2);
      assert.equal(r.connects, when === 'after CONNACK' ? r.closes.length : 0);
    });
  }

  test('a broker that stops answering pings is found dead within 1.5 keepalive periods', async () => {
    const broker = await fakeBroker((s, n) => {
      s.write(CONNACK);
      // The first connection answers two pings, then goes silent; later ones answer them all.
      let pings = 0;
      s.on('data', (b) => {
        for (const byte of b) {
          if (byte !== 0xc0) continue;
          if (n > 1 || ++pings <= 2) s.write(Buffer.from([0xd0, 0]));
        }
      });
    });
    const r = fakeClient(broker.address().port, { keepalive: 1 });
    r.client.connect();
    const close = await until(() => r.closes[0], 'the client giving up on the silent broker', 15_000);
    const silentFor = close.at - close.lastData;
    const bound = 1500 + r.host.lateness(close.lastData, close.at) + 20;
    assert.ok(silentFor <= bound, `closed ${Math.round(silentFor)} ms after the broker last spoke; bound ${Math.round(bound)} ms`);
    assert.ok(silentFor >= 1000, `not before a keepalive period: ${Math.round(silentFor)} ms`);
    assert.match(close.reason, /^no PINGRESP within \d+\.\d s: connection lost$/);
    await until(() => r.connects >= 2, 'a new connection');
  });
});
