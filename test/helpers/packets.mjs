// Seeded random MQTT 3.1.1 packets, each as our codec's object and as the equivalent mqtt-packet
// object, shared by the codec cross-check, the fuzz test and the benchmark.
//
//   const rng = createRng(seed)            // deterministic PRNG (mulberry32)
//   const pairs = randomPackets(n, seed)   // [[ours, theirs], ...]
//   fromMqttPacket(parsed)                 // mqtt-packet's parser output -> our object (strict)
//   toMqttPacket(ours)                     // our object -> what mqtt-packet's generate() takes
//   canonical(ours)                        // copy with every byte field a plain Uint8Array, for deepStrictEqual
//   describePacket(ours)                   // short JSON for failure messages (payloads abbreviated)
//
// Every packet is valid MQTT 3.1.1: well-formed UTF-8 strings without U+0000, packet ids 1..65535,
// DUP only at QoS > 0, a password only with a user name, a non-empty will topic, an empty client id
// only with a clean session.
import { Buffer } from 'node:buffer';

export const TYPE_NAMES = [
  'reserved0',
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'reserved15',
];
const TYPE_BY_NAME = Object.fromEntries(TYPE_NAMES.map((n, i) => [n, i]));

/** mulberry32: small, fast, and good enough to pick test data. The seed is any 32-bit integer. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A seeded random source with the helpers the tests need. */
export function createRng(seed) {
  const next = mulberry32(seed);
  const rng = {
    seed: seed >>> 0,
    u32: next,
    /** float in [0, 1) */
    float: () => next() / 4294967296,
    /** integer in [0, n) */
    int: (n) => Math.floor((next() / 4294967296) * n),
    /** integer in [lo, hi] */
    range: (lo, hi) => lo + Math.floor((next() / 4294967296) * (hi - lo + 1)),
    chance: (p) => next() / 4294967296 < p,
    pick: (arr) => arr[Math.floor((next() / 4294967296) * arr.length)],
    bytes(n) {
      const words = new Uint32Array(Math.ceil(n / 4));
      for (let i = 0; i < words.length; i++) words[i] = next();
      return new Uint8Array(words.buffer, 0, n);
    },
  };
  return rng;
}

// ---- strings

// Characters at every UTF-8 length boundary, plus a few that trip naive codecs.
const CHARS_1 = [0x01, 0x1f, 0x20, 0x24 /* $ */, 0x2d, 0x2e, 0x5f, 0x7e, 0x7f];
const CHARS_2 = [0x80, 0xa9, 0xe9, 0xdf, 0x3a9, 0x440, 0x5d0, 0x7ff];
const CHARS_3 = [0x800, 0x20ac, 0x4e2d, 0x6587, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xffff];
const CHARS_4 = [0x10000, 0x1d11e, 0x1f600, 0x1f30d, 0x1f9ea, 0x10ffff];
const LATIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomChar(rng, banned) {
  for (;;) {
    const r = rng.float();
    let cp;
    if (r < 0.6) cp = LATIN.charCodeAt(rng.int(LATIN.length));
    else if (r < 0.7) cp = rng.pick(CHARS_1);
    else if (r < 0.8) cp = rng.pick(CHARS_2);
    else if (r < 0.9) cp = rng.pick(CHARS_3);
    else cp = rng.pick(CHARS_4);
    const c = String.fromCodePoint(cp);
    if (!banned?.includes(c)) return c;
  }
}

/** A random well-formed string of up to `max` code points; sometimes long (hundreds of code points). */
export function randomString(rng, max = 24, banned = '') {
  const n = rng.chance(0.02) ? rng.range(200, 1500) : rng.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += randomChar(rng, banned);
  return s;
}

function randomLevel(rng) {
  const r = rng.float();
  if (r < 0.05) return '';
  if (r < 0.35) return rng.pick(['sensors', 'myRasp', 'groundfloor', 'kitchen', 'temperature', 'a', 'b', 'x']);
  const s = randomString(rng, 12, '/+#');
  return s;
}

/** A topic name: no wildcards, never empty, sometimes starting with $ or /. */
export function randomTopic(rng) {
  const levels = [];
  const n = rng.range(1, 6);
  for (let i = 0; i < n; i++) levels.push(randomLevel(rng));
  if (rng.chance(0.05)) levels[0] = '$SYS';
  const t = levels.join('/');
  return t || 'x';
}

/** A topic filter: + as whole levels, # as the last level. */
export function randomFilter(rng) {
  const levels = [];
  const n = rng.range(1, 6);
  for (let i = 0; i < n; i++) levels.push(rng.chance(0.2) ? '+' : randomLevel(rng));
  if (rng.chance(0.25)) levels.push('#');
  const f = levels.join('/');
  return f || '#';
}

// ---- numbers and payloads

function packetId(rng) {
  return rng.chance(0.1) ? rng.pick([1, 2, 127, 128, 255, 256, 32767, 32768, 65534, 65535]) : rng.range(1, 65535);
}

/**
 * Payload sizes: empty, small, medium, sometimes up to a few hundred KB (3-byte remaining length),
 * rarely just over 2 MiB (4-byte remaining length) unless `maxPayload` is lower.
 */
function payload(rng, maxPayload) {
  const r = rng.float();
  let n;
  if (r < 0.1) n = 0;
  else if (r < 0.7) n = rng.range(1, 100);
  else if (r < 0.9) n = rng.range(100, 2000);
  else if (r < 0.985) n = rng.range(2000, 20000);
  else if (r < 0.9995) n = rng.range(16384, 300000);
  else n = rng.range(2097152, 2200000);
  return rng.bytes(Math.min(n, maxPayload));
}

const qos = (rng) => rng.int(3);
const buf = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

// ---- one packet

/** One random packet of `type` (1..14), as our codec's object. */
export function randomPacket(rng, type, { maxPayload = Infinity } = {}) {
  switch (type) {
    case 1: {
      // CONNECT
      const clean = rng.chance(0.5);
      const p = { type, clientId: '', clean, keepalive: rng.chance(0.1) ? rng.pick([0, 1, 65535]) : rng.int(65536) };
      p.clientId = clean && rng.chance(0.2) ? '' : randomString(rng, 23) || 'c';
      if (rng.chance(0.5)) p.will = { topic: randomTopic(rng), payload: payload(rng, Math.min(maxPayload, 65535)), qos: qos(rng), retain: rng.chance(0.5) };
      if (rng.chance(0.5)) {
        p.username = rng.chance(0.1) ? '' : randomString(rng, 16);
        if (rng.chance(0.6)) p.password = rng.bytes(Math.min(maxPayload, rng.chance(0.1) ? 0 : rng.range(1, rng.chance(0.05) ? 65535 : 40)));
      }
      return p;
    }
    case 2: {
      // CONNACK
      const returnCode = rng.chance(0.6) ? 0 : rng.range(1, 5);
      return { type, sessionPresent: returnCode === 0 && rng.chance(0.5), returnCode };
    }
    case 3: {
      // PUBLISH
      const q = qos(rng);
      return {
        type,
        topic: randomTopic(rng),
        payload: payload(rng, maxPayload),
        qos: q,
        retain: rng.chance(0.3),
        dup: q > 0 && rng.chance(0.3),
        id: q ? packetId(rng) : 0,
      };
    }
    case 4:
    case 5:
    case 6:
    case 7:
    case 11:
      return { type, id: packetId(rng) };
    case 8: {
      // SUBSCRIBE
      const n = rng.chance(0.4) ? 1 : rng.range(2, 10);
      const subscriptions = [];
      for (let i = 0; i < n; i++) subscriptions.push({ filter: randomFilter(rng), qos: qos(rng) });
      return { type, id: packetId(rng), subscriptions };
    }
    case 9: {
      // SUBACK
      const n = rng.chance(0.4) ? 1 : rng.range(2, 10);
      const granted = [];
      for (let i = 0; i < n; i++) granted.push(rng.pick([0, 1, 2, 0x80]));
      return { type, id: packetId(rng), granted };
    }
    case 10: {
      // UNSUBSCRIBE
      const n = rng.chance(0.4) ? 1 : rng.range(2, 8);
      const filters = [];
      for (let i = 0; i < n; i++) filters.push(randomFilter(rng));
      return { type, id: packetId(rng), filters };
    }
    case 12:
    case 13:
    case 14:
      return { type };
  }
  throw new Error(`no packet type ${type}`);
}

/**
 * `n` random packets from `seed`: an array of [ours, theirs] pairs, where `ours` is the object our
 * encode() takes and Decoder emits, and `theirs` the object mqtt-packet's generate() takes.
 * About a third are PUBLISH; the rest spread evenly over the other 13 types.
 * options.maxPayload caps payloads, will payloads and passwords (default: none, so a few PUBLISH reach 2 MiB).
 */
export function randomPackets(n, seed, options = {}) {
  const rng = createRng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const type = rng.chance(0.35) ? 3 : rng.pick([1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const ours = randomPacket(rng, type, options);
    out.push([ours, toMqttPacket(ours)]);
  }
  return out;
}

// ---- conversions

/** Our packet object -> the object mqtt-packet's generate() takes (byte fields become Buffers, not copies). */
export function toMqttPacket(p) {
  const cmd = TYPE_NAMES[p.type];
  switch (p.type) {
    case 1: {
      const m = { cmd, protocolId: 'MQTT', protocolVersion: 4, clientId: p.clientId, clean: p.clean, keepalive: p.keepalive };
      if (p.will) m.will = { topic: p.will.topic, payload: buf(p.will.payload), qos: p.will.qos, retain: p.will.retain };
      if (p.username !== undefined) m.username = p.username;
      if (p.password !== undefined) m.password = buf(p.password);
      return m;
    }
    case 2:
      return { cmd, sessionPresent: p.sessionPresent, returnCode: p.returnCode };
    case 3: {
      const m = { cmd, topic: p.topic, payload: buf(p.payload), qos: p.qos, dup: p.dup, retain: p.retain };
      if (p.qos) m.messageId = p.id;
      return m;
    }
    case 4:
    case 5:
    case 6:
    case 7:
    case 11:
      return { cmd, messageId: p.id };
    case 8:
      return { cmd, messageId: p.id, subscriptions: p.subscriptions.map((s) => ({ topic: s.filter, qos: s.qos })) };
    case 9:
      return { cmd, messageId: p.id, granted: [...p.granted] };
    case 10:
      return { cmd, messageId: p.id, unsubscriptions: [...p.filters] };
    case 12:
    case 13:
    case 14:
      return { cmd };
  }
  throw new Error(`no packet type ${p.type}`);
}

/**
 * mqtt-packet's parsed object -> our packet object. Strict: throws if the parsed packet carries
 * anything our object cannot express (another protocol, header flags on a type that has none).
 */
export function fromMqttPacket(m) {
  const type = TYPE_BY_NAME[m.cmd];
  if (!(type >= 1 && type <= 14)) throw new Error(`mqtt-packet gave command ${m.cmd}`);
  if (type !== 3 && (m.retain || m.dup)) throw new Error(`mqtt-packet gave ${m.cmd} with retain or dup set`);
  if (m.properties !== undefined) throw new Error(`mqtt-packet gave ${m.cmd} with MQTT 5 properties`);
  const u8 = (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case 1: {
      if (m.protocolId !== 'MQTT' || m.protocolVersion !== 4 || m.bridgeMode) throw new Error(`mqtt-packet gave protocol ${m.protocolId} ${m.protocolVersion}`);
      const p = { type, clientId: m.clientId, clean: m.clean, keepalive: m.keepalive };
      if (m.will) p.will = { topic: m.will.topic, payload: u8(m.will.payload), qos: m.will.qos, retain: m.will.retain };
      if (m.username !== undefined) p.username = m.username;
      if (m.password !== undefined) p.password = u8(m.password);
      return p;
    }
    case 2:
      return { type, sessionPresent: m.sessionPresent, returnCode: m.returnCode };
    case 3:
      return { type, topic: m.topic, payload: u8(m.payload), qos: m.qos, retain: m.retain, dup: m.dup, id: m.qos ? m.messageId : 0 };
    case 4:
    case 5:
    case 6:
    case 7:
    case 11:
      return { type, id: m.messageId };
    case 8:
      return { type, id: m.messageId, subscriptions: m.subscriptions.map((s) => ({ filter: s.topic, qos: s.qos })) };
    case 9:
      return { type, id: m.messageId, granted: [...m.granted] };
    case 10:
      return { type, id: m.messageId, filters: [...m.unsubscriptions] };
    default:
      return { type };
  }
}

/** A copy of our packet with every byte field a plain Uint8Array (not a Buffer), so deepStrictEqual compares content. */
export function canonical(p) {
  const u8 = (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const c = { ...p };
  if (c.payload) c.payload = u8(c.payload);
  if (c.password) c.password = u8(c.password);
  if (c.will) c.will = { ...c.will, payload: u8(c.will.payload) };
  if (c.subscriptions) c.subscriptions = c.subscriptions.map((s) => ({ ...s }));
  if (c.granted) c.granted = [...c.granted];
  if (c.filters) c.filters = [...c.filters];
  return c;
}

/** Short, readable JSON of a packet for failure messages: byte fields shown as length + first bytes in hex. */
export function describePacket(p) {
  return JSON.stringify(p, (_k, v) => {
    if (v instanceof Uint8Array) {
      const hex = Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, 32)).toString('hex');
      return `<${v.byteLength} bytes${v.byteLength ? ` ${hex}${v.byteLength > 32 ? '…' : ''}` : ''}>`;
    }
    if (v && v.type === 'Buffer' && Array.isArray(v.data)) return `<${v.data.length} bytes>`;
    if (typeof v === 'string' && v.length > 200) return `${v.slice(0, 200)}… (${v.length} UTF-16 units)`;
    return v;
  });
}
