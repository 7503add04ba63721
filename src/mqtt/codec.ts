// MQTT 3.1.1 packets to bytes and back. Plain objects in, Uint8Array out; a streaming
// Decoder that takes the stream in pieces of any size, down to one byte at a time.
// No allocation happens before a packet's length has been checked against the maximum.

export type QoS = 0 | 1 | 2;

export const CONNECT = 1,
  CONNACK = 2,
  PUBLISH = 3,
  PUBACK = 4,
  PUBREC = 5,
  PUBREL = 6,
  PUBCOMP = 7,
  SUBSCRIBE = 8,
  SUBACK = 9,
  UNSUBSCRIBE = 10,
  UNSUBACK = 11,
  PINGREQ = 12,
  PINGRESP = 13,
  DISCONNECT = 14;

export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
}
export interface Connect {
  type: 1;
  clientId: string;
  clean: boolean;
  keepalive: number;
  username?: string;
  password?: Uint8Array;
  will?: Will;
}
export interface Connack {
  type: 2;
  sessionPresent: boolean;
  returnCode: number;
}
export interface Publish {
  type: 3;
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Packet identifier; 0 at QoS 0. */
  id: number;
}
export interface Ack {
  type: 4 | 5 | 6 | 7 | 11;
  id: number;
}
export interface Subscribe {
  type: 8;
  id: number;
  subscriptions: { filter: string; qos: QoS }[];
}
export interface Suback {
  type: 9;
  id: number;
  granted: number[];
}
export interface Unsubscribe {
  type: 10;
  id: number;
  filters: string[];
}
export interface Bare {
  type: 12 | 13 | 14;
}
export type Packet = Connect | Connack | Publish | Ack | Subscribe | Suback | Unsubscribe | Bare;

/** Bytes that break the protocol. The client closes the connection and reports the message. */
export class ProtocolError extends Error {}
nameError(ProtocolError, 'ProtocolError');

/**
 * Gives an Error subclass its name on the prototype. Not `this.name = …` in the constructor: in
 * preloaded firmware Error.prototype is frozen, and assigning a property that a frozen prototype
 * holds throws ("set name: not writable"). This runs once, when the module loads (at preload).
 */
export function nameError(c: { prototype: Error }, name: string): void {
  Object.defineProperty(c.prototype, 'name', { value: name });
}

export const MAX_REMAINING_LENGTH = 268435455;

// ---- UTF-8, by hand: XS has no TextEncoder unless a manifest adds it, and we must reject bad input anyway.

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3; // lone surrogates become U+FFFD, three bytes
  }
  return n;
}

function writeUtf8(s: string, b: Uint8Array, o: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[o++] = c;
      continue;
    }
    if (c < 0x800) {
      b[o++] = 0xc0 | (c >> 6);
      b[o++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && (d & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        b[o++] = 0xf0 | (c >> 18);
        b[o++] = 0x80 | ((c >> 12) & 63);
        b[o++] = 0x80 | ((c >> 6) & 63);
        b[o++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    b[o++] = 0xe0 | (c >> 12);
    b[o++] = 0x80 | ((c >> 6) & 63);
    b[o++] = 0x80 | (c & 63);
  }
  return o;
}

/** Whether `s` is well-formed UTF-16, with no lone surrogate: only then has it a UTF-8 form. */
export function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff || i + 1 >= s.length) return false;
    const d = s.charCodeAt(++i);
    if (d < 0xdc00 || d > 0xdfff) return false;
  }
  return true;
}

export function encodeUtf8(s: string): Uint8Array {
  const b = new Uint8Array(utf8Length(s));
  writeUtf8(s, b, 0);
  return b;
}

/** Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFY, no U+0000 as MQTT asks). */
export function decodeUtf8(b: Uint8Array, start = 0, end = b.length): string {
  // Plain ASCII, the usual topic: eight characters a call, no per-character string.
  let i = start,
    a = '';
  for (; i + 8 <= end; i += 8) {
    const c0 = b[i],
      c1 = b[i + 1],
      c2 = b[i + 2],
      c3 = b[i + 3],
      c4 = b[i + 4],
      c5 = b[i + 5],
      c6 = b[i + 6],
      c7 = b[i + 7];
    if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) & 0x80 || !c0 || !c1 || !c2 || !c3 || !c4 || !c5 || !c6 || !c7) break;
    a += String.fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7);
  }
  for (; i < end; i++) {
    const c = b[i];
    if (c >= 0x80 || !c) break;
    a += String.fromCharCode(c);
  }
  if (i === end) return a;
  let s = a;
  while (i < end) {
    const c = b[i++];
    if (c < 0x80) {
      if (c === 0) throw new ProtocolError('invalid UTF-8 in a string: U+0000');
      s += String.fromCharCode(c);
      continue;
    }
    let cp: number, need: number, min: number;
    if (c >= 0xc2 && c < 0xe0) {
      cp = c & 0x1f;
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c < 0xf0) {
      cp = c & 0x0f;
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c < 0xf5) {
      cp = c & 0x07;
      need = 3;
      min = 0x10000;
    } else throw new ProtocolError('invalid UTF-8 in a string');
    if (i + need > end) throw new ProtocolError('invalid UTF-8 in a string: truncated character');
    for (let k = 0; k < need; k++) {
      const x = b[i++];
      if ((x & 0xc0) !== 0x80) throw new ProtocolError('invalid UTF-8 in a string');
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new ProtocolError('invalid UTF-8 in a string');
    s += String.fromCodePoint(cp);
  }
  return s;
}

// ---- Encoding

function lengthBytes(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}

/** Allocates the whole packet once and writes its fixed header; returns the offset of the body. */
let bodyAt = 0; // where frame() left the body's first byte: no tuple to allocate per packet

// Where allocating many small ArrayBuffers is slow (V8), packets are cut from a shared slab,
// as Node's Buffer pool does. Off by default: a board has no memory to keep a slab around.
let pool: Uint8Array | null = null,
  poolAt = 0,
  poolSize = 0;
/** Encodes packets under `size` / 8 bytes into slabs of `size` bytes (0 turns the pool off). */
export function useEncodePool(size: number): void {
  poolSize = size;
  pool = null;
}

function allocate(n: number): Uint8Array {
  if (n > poolSize >> 3) return new Uint8Array(n);
  if (!pool || poolAt + n > poolSize) {
    pool = new Uint8Array(poolSize);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, poolAt + n);
  poolAt = (poolAt + n + 7) & ~7;
  return b;
}

/** The fixed header of a packet of `remaining` bytes, in a buffer of header + `remaining` - `left` bytes. */
function frame(first: number, remaining: number, left = 0): Uint8Array {
  if (remaining > MAX_REMAINING_LENGTH) throw new RangeError(`packet too large: ${remaining} bytes`);
  const b = allocate(1 + lengthBytes(remaining) + remaining - left);
  b[0] = first;
  let o = 1;
  do {
    let d = remaining & 127;
    remaining >>>= 7;
    if (remaining) d |= 128;
    b[o++] = d;
  } while (remaining);
  bodyAt = o;
  return b;
}

function u16(b: Uint8Array, o: number, v: number): number {
  b[o] = v >> 8;
  b[o + 1] = v & 255;
  return o + 2;
}
// A length prefix is two bytes: a longer field would be written with a wrong length and corrupt the packet.
function fits(len: number) {
  if (len > 65535) throw new RangeError(`a string or binary field of ${len} bytes is above 65535`);
}
function str(b: Uint8Array, o: number, s: string, len: number): number {
  fits(len);
  o = u16(b, o, len);
  return writeUtf8(s, b, o);
}
function bin(b: Uint8Array, o: number, v: Uint8Array): number {
  fits(v.length);
  o = u16(b, o, v.length);
  b.set(v, o);
  return o + v.length;
}

/**
 * A PUBLISH but its payload: the fixed header, the topic and the identifier. Sent before the
 * caller's payload bytes, it saves copying a large payload into a packet of its own.
 */
export function encodePublishHead(p: Publish): Uint8Array {
  const tl = utf8Length(p.topic);
  const b = frame(0x30 | (p.dup ? 8 : 0) | (p.qos << 1) | (p.retain ? 1 : 0), 2 + tl + (p.qos ? 2 : 0) + p.payload.length, p.payload.length);
  const o = str(b, bodyAt, p.topic, tl);
  if (p.qos) u16(b, o, p.id);
  return b;
}

export function encode(p: Packet): Uint8Array {
  switch (p.type) {
    case PUBLISH: {
      const tl = utf8Length(p.topic);
      const b = frame(0x30 | (p.dup ? 8 : 0) | (p.qos << 1) | (p.retain ? 1 : 0), 2 + tl + (p.qos ? 2 : 0) + p.payload.length);
      const s = bodyAt;
      let o = str(b, s, p.topic, tl);
      if (p.qos) o = u16(b, o, p.id);
      b.set(p.payload, o);
      return b;
    }
    case PUBACK:
    case PUBREC:
    case PUBCOMP:
    case UNSUBACK:
      return new Uint8Array([p.type << 4, 2, p.id >> 8, p.id & 255]);
    case PUBREL:
      return new Uint8Array([0x62, 2, p.id >> 8, p.id & 255]);
    case PINGREQ:
    case PINGRESP:
    case DISCONNECT:
      return new Uint8Array([p.type << 4, 0]);
    case CONNECT: {
      const idl = utf8Length(p.clientId);
      let n = 10 + 2 + idl,
        flags = p.clean ? 2 : 0,
        wtl = 0,
        ul = 0;
      const w = p.will;
      if (w) {
        wtl = utf8Length(w.topic);
        n += 4 + wtl + w.payload.length;
        flags |= 4 | (w.qos << 3) | (w.retain ? 32 : 0);
      }
      if (p.username !== undefined) {
        ul = utf8Length(p.username);
        n += 2 + ul;
        flags |= 128;
      }
      if (p.password !== undefined) {
        n += 2 + p.password.length;
        flags |= 64;
      }
      const b = frame(0x10, n);
      const s = bodyAt;
      b.set([0, 4, 77, 81, 84, 84, 4, flags, p.keepalive >> 8, p.keepalive & 255], s); // "MQTT", level 4
      let o = str(b, s + 10, p.clientId, idl);
      if (w) {
        o = str(b, o, w.topic, wtl);
        o = bin(b, o, w.payload);
      }
      if (p.username !== undefined) o = str(b, o, p.username, ul);
      if (p.password !== undefined) bin(b, o, p.password);
      return b;
    }
    case CONNACK:
      return new Uint8Array([0x20, 2, p.sessionPresent ? 1 : 0, p.returnCode]);
    case SUBSCRIBE: {
      const lens = p.subscriptions.map((x) => utf8Length(x.filter));
      const b = frame(0x82, 2 + lens.reduce((a, l) => a + l + 3, 0));
      const s = bodyAt;
      let o = u16(b, s, p.id);
      p.subscriptions.forEach((x, i) => {
        o = str(b, o, x.filter, lens[i]);
        b[o++] = x.qos;
      });
      return b;
    }
    case SUBACK: {
      const b = frame(0x90, 2 + p.granted.length);
      const s = bodyAt;
      b.set(p.granted, u16(b, s, p.id));
      return b;
    }
    case UNSUBSCRIBE: {
      const lens = p.filters.map(utf8Length);
      const b = frame(0xa2, 2 + lens.reduce((a, l) => a + l + 2, 0));
      const s = bodyAt;
      let o = u16(b, s, p.id);
      p.filters.forEach((f, i) => {
        o = str(b, o, f, lens[i]);
      });
      return b;
    }
  }
}

// ---- Decoding

/**
 * Where decoding stands in one packet's body. Each Decoder owns one and reuses it for every packet
 * (no object per packet, no closure); the read functions below take it, and so does
 * codec-server.ts, which decodes what only a broker receives.
 */
export class Cursor {
  b: Uint8Array = EMPTY;
  at = 0;
  lim = 0;
  type = 0;
}

const EMPTY = new Uint8Array(0);

function need(c: Cursor, n: number) {
  if (c.at + n > c.lim) throw new ProtocolError(`packet type ${c.type} is shorter than its contents`);
}
export function readU16(c: Cursor): number {
  need(c, 2);
  const v = (c.b[c.at] << 8) | c.b[c.at + 1];
  c.at += 2;
  return v;
}
export function readId(c: Cursor): number {
  const v = readU16(c);
  if (!v) throw new ProtocolError(`packet type ${c.type} has packet identifier 0`);
  return v;
}
export function readString(c: Cursor): string {
  const l = readU16(c);
  need(c, l);
  const s = decodeUtf8(c.b, c.at, c.at + l);
  c.at += l;
  return s;
}
export function readBinary(c: Cursor): Uint8Array {
  const l = readU16(c);
  need(c, l);
  const v = c.b.slice(c.at, c.at + l);
  c.at += l;
  return v;
}
export function readByte(c: Cursor): number {
  need(c, 1);
  return c.b[c.at++];
}
export function hasMore(c: Cursor): boolean {
  return c.at < c.lim;
}

function exact(c: Cursor, n: number) {
  if (c.lim - c.at !== n) throw new ProtocolError(`packet type ${c.type} must have remaining length ${n}`);
}

/** Decodes CONNECT, SUBSCRIBE or UNSUBSCRIBE (codec-server.ts), for a decoder on a broker's side. */
export type BrokerBound = (type: number, c: Cursor) => Packet;

/**
 * Reads one packet body `b[o..end)` with the cursor `c`; `first` is the fixed header's first byte.
 * What only a broker receives is decoded by `brokerBound` when given, else refused.
 */
export function decodeBody(c: Cursor, first: number, b: Uint8Array, o: number, end: number, brokerBound?: BrokerBound): Packet {
  c.b = b;
  c.at = o;
  c.lim = end;
  c.type = first >> 4;
  try {
    return body(c, first, b, brokerBound);
  } finally {
    c.b = EMPTY; // keep no reference to the stream
  }
}

function body(c: Cursor, first: number, b: Uint8Array, brokerBound?: BrokerBound): Packet {
  const type = first >> 4;
  const flags = first & 15;
  if (type !== PUBLISH && flags !== (type === PUBREL || type === SUBSCRIBE || type === UNSUBSCRIBE ? 2 : 0)) {
    throw new ProtocolError(`packet type ${type} has reserved flags ${flags}`);
  }
  switch (type) {
    case PUBLISH: {
      const qos = (flags >> 1) & 3;
      if (qos === 3) throw new ProtocolError('PUBLISH with QoS 3');
      const topic = readString(c);
      // A broker only sends what matched a filter: a topic name, never empty, never a wildcard.
      if (!topic) throw new ProtocolError('PUBLISH with an empty topic');
      if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) throw new ProtocolError(`PUBLISH to "${topic}": + and # are only for topic filters`);
      const pid = qos ? readId(c) : 0;
      return { type, topic, payload: b.subarray(c.at, c.lim), qos: qos as QoS, retain: (flags & 1) === 1, dup: (flags & 8) === 8, id: pid };
    }
    case PUBACK:
    case PUBREC:
    case PUBREL:
    case PUBCOMP:
    case UNSUBACK:
      exact(c, 2);
      return { type, id: readId(c) };
    case PINGREQ:
    case PINGRESP:
    case DISCONNECT:
      exact(c, 0);
      return { type };
    case CONNACK: {
      exact(c, 2);
      if (b[c.at] & 0xfe) throw new ProtocolError('CONNACK has reserved flags set');
      return { type, sessionPresent: b[c.at] === 1, returnCode: b[c.at + 1] };
    }
    case SUBACK: {
      const pid = readId(c);
      if (c.at === c.lim) throw new ProtocolError('SUBACK without return codes');
      const granted = Array.from(b.subarray(c.at, c.lim));
      for (const g of granted) if (g > 2 && g !== 0x80) throw new ProtocolError(`SUBACK return code ${g} is not 0, 1, 2 or 128`);
      return { type, id: pid, granted };
    }
    case SUBSCRIBE:
    case UNSUBSCRIBE:
    case CONNECT:
      // What only a broker receives: a board's client never decodes it, and does not carry the code.
      if (brokerBound) return brokerBound(type, c);
      throw new ProtocolError(`packet type ${type} is only sent to a broker`);
  }
  throw new ProtocolError(`packet type ${type} is reserved`);
}

/** A PUBLISH above the maximum packet size, skipped: what the client needs to acknowledge and report it. */
export interface Skipped {
  /** The topic's first bytes (at most SKIPPED_TOPIC_BYTES), and whether there were more. */
  topic: Uint8Array;
  truncated: boolean;
  qos: QoS;
  id: number;
  /** The whole packet, in bytes. */
  size: number;
}
export const SKIPPED_TOPIC_BYTES = 200;

/**
 * Splits a byte stream into packets. `push` may be given any piece of the stream; it calls
 * `onPacket` for each whole packet and throws ProtocolError on the first bad one.
 * After an error the decoder must be discarded along with the connection.
 *
 * A packet above `maxPacketSize` is an error, except a PUBLISH when `skipOversized` is set: that
 * one streams past, never buffered (only its topic's first bytes and its identifier are kept), and
 * `skipped` gets it once its last byte has gone by.
 */
export class Decoder {
  // Few fields: on a board each costs RAM for as long as the connection lives.
  private buf: Uint8Array | null = null; // a packet being gathered across pieces
  private head: Uint8Array | null = null; // or a fixed header split across pieces (then `buf` is null)
  private filled = 0; // bytes of `buf`, or of `head`, gathered so far
  // Skipping an oversized PUBLISH: bytes of its body still to go, and where in the body we are.
  private skip: { left: number; first: number; size: number; at: number; topicLength: number; topic: Uint8Array; id: number } | null = null;

  /** Skip oversized PUBLISH packets (see `skipped`) instead of failing on them. */
  skipOversized = false;
  private readonly cursor = new Cursor();

  /** `onPacket` gets each packet; a subclass may override `packet` instead (no closure to keep). */
  private onPacket: ((p: Packet) => void) | null;
  constructor(
    onPacket: ((p: Packet) => void) | null,
    public maxPacketSize = MAX_REMAINING_LENGTH + 5,
  ) {
    this.onPacket = onPacket;
  }

  protected packet(p: Packet): void {
    this.onPacket!(p);
  }

  /** An oversized PUBLISH went by (with `skipOversized`). */
  protected skipped(_s: Skipped): void {}

  /** One packet's body: what a client receives (BrokerDecoder, in codec-server.ts, decodes all). */
  protected decode(c: Cursor, first: number, b: Uint8Array, o: number, end: number): Packet {
    return decodeBody(c, first, b, o, end);
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.skip) {
        i = this.skipBytes(chunk, i, n);
        continue;
      }
      if (this.buf) {
        // finish a packet started in an earlier piece
        const take = Math.min(n - i, this.buf.length - this.filled);
        this.buf.set(chunk.subarray(i, i + take), this.filled);
        this.filled += take;
        i += take;
        if (this.filled < this.buf.length) return;
        const b = this.buf;
        this.buf = null;
        this.emit(b, 0, b.length);
        continue;
      }
      if (this.head) {
        // finish a fixed header started in an earlier piece
        const head = this.head;
        head[this.filled++] = chunk[i++];
        const l = this.parseLength(head, 0, this.filled);
        if (l < 0) continue;
        const r = Math.floor(l / 8),
          total = this.filled + r;
        this.head = null;
        this.filled = 0;
        if (total > this.maxPacketSize) {
          this.startSkip(head[0], total, r);
          continue;
        }
        this.start(head.subarray(0, total - r), total);
        if (r === 0) this.finish();
        continue;
      }
      const l = this.parseLength(chunk, i, n);
      if (l < 0) {
        // header incomplete: keep what there is
        (this.head = new Uint8Array(5)).set(chunk.subarray(i, n));
        this.filled = n - i;
        return;
      }
      const r = Math.floor(l / 8);
      const hl = 1 + (l & 7); // not lengthBytes(r): a sender may use more bytes than the value needs
      const total = hl + r;
      if (total > this.maxPacketSize) {
        this.startSkip(chunk[i], total, r);
        i += hl;
        continue;
      }
      if (i + total <= n) {
        // the common case: the whole packet is here, decode in place
        this.packet(this.decode(this.cursor, chunk[i], chunk, i + hl, i + total));
        i += total;
      } else {
        this.start(chunk.subarray(i, i + hl), total);
        const take = n - i - hl;
        this.buf!.set(chunk.subarray(i + hl, n), hl);
        this.filled += take;
        return;
      }
    }
  }

  /**
   * The remaining length from b[o..end) times 8, plus the bytes it took (1 to 4), or -1 if more
   * bytes are needed. Checks the maximum first.
   */
  private parseLength(b: Uint8Array, o: number, end: number): number {
    let v = 0,
      mul = 1;
    for (let k = 1; k <= 4; k++) {
      if (o + k >= end) return -1;
      const d = b[o + k];
      v += (d & 127) * mul;
      if (!(d & 128)) {
        const size = 1 + k + v;
        if (size > this.maxPacketSize && !(this.skipOversized && b[o] >> 4 === PUBLISH)) {
          throw new ProtocolError(`packet of ${size} bytes is above the maximum packet size ${this.maxPacketSize}`);
        }
        return v * 8 + k;
      }
      mul *= 128;
    }
    throw new ProtocolError('remaining length longer than 4 bytes');
  }

  private startSkip(first: number, size: number, remaining: number) {
    if (((first >> 1) & 3) === 3) throw new ProtocolError('PUBLISH with QoS 3');
    this.skip = { left: remaining, first, size, at: 0, topicLength: 0, topic: new Uint8Array(0), id: 0 };
    if (!remaining) this.skipBytes(EMPTY, 0, 0);
  }

  /** Goes through an oversized PUBLISH's body in chunk[i..n): the topic length, the topic's first
   *  bytes and the identifier are kept, the rest counted. Returns where it stopped in the chunk. */
  private skipBytes(chunk: Uint8Array, i: number, n: number): number {
    const s = this.skip!;
    const qos = (s.first >> 1) & 3;
    while (i < n && s.left) {
      const at = s.at;
      if (at < 2) {
        // the topic's length
        s.topicLength = (s.topicLength << 8) | chunk[i];
        if (at === 1) s.topic = new Uint8Array(Math.min(s.topicLength, SKIPPED_TOPIC_BYTES));
        i++;
        s.at++;
        s.left--;
      } else if (at < 2 + s.topicLength) {
        // the topic, its first bytes kept
        const take = Math.min(n - i, 2 + s.topicLength - at, s.left);
        const keep = Math.max(0, Math.min(take, s.topic.length - (at - 2)));
        if (keep) s.topic.set(chunk.subarray(i, i + keep), at - 2);
        i += take;
        s.at += take;
        s.left -= take;
      } else if (qos && at < 4 + s.topicLength) {
        // the packet identifier
        s.id = (s.id << 8) | chunk[i];
        i++;
        s.at++;
        s.left--;
      } else {
        // the payload: counted, not kept
        const take = Math.min(n - i, s.left);
        i += take;
        s.at += take;
        s.left -= take;
      }
    }
    if (!s.left) {
      this.skip = null;
      if (s.at < 2 + s.topicLength + (qos ? 2 : 0)) throw new ProtocolError('PUBLISH is shorter than its topic and identifier');
      if (qos && !s.id) throw new ProtocolError('PUBLISH has packet identifier 0');
      this.skipped({ topic: s.topic, truncated: s.topicLength > s.topic.length, qos: qos as QoS, id: s.id, size: s.size });
    }
    return i;
  }

  private start(header: Uint8Array, total: number) {
    this.buf = new Uint8Array(total); // size already checked against the maximum
    this.buf.set(header);
    this.filled = header.length;
  }

  private finish() {
    const b = this.buf!;
    this.buf = null;
    this.emit(b, 0, b.length);
  }

  private emit(b: Uint8Array, o: number, end: number) {
    let p = o + 1;
    while (b[p] & 128) p++;
    this.packet(this.decode(this.cursor, b[o], b, p + 1, end));
  }

  /** True when no partial packet is held. */
  get idle(): boolean {
    return !this.buf && !this.head && !this.skip;
  }
}
