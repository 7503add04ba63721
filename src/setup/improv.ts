// Improv Wi-Fi's serial protocol, version 1 (improv-wifi.com/serial), sans-I/O and for both ends:
// the board parses commands and encodes its state, errors and results; a client (`mqtt-pair
// setup`, a page with ESP Web Tools) encodes commands and parses the board's answers. Our own
// commands (0x80 on) travel in the same frames: docs/improv.md lists them.
//
// A frame: "IMPROV", the version (1), the type, the length of the data (0 to 255), the data, and
// a checksum (the low byte of the sum of every byte before it). Senders add a newline after it, so
// that a line-oriented reader (ESP Web Tools) sees each frame on a line of its own. Anything
// between frames is the board's console: the reader hands it over as lines of text, or drops it.

import { decodeUtf8, encodeUtf8, utf8Length } from '../mqtt/codec';

// Frame types.
export const CURRENT_STATE = 0x01,
  ERROR_STATE = 0x02,
  RPC = 0x03,
  RPC_RESULT = 0x04;

// The board's states (CURRENT_STATE).
export const STOPPED = 0x00,
  READY = 0x02,
  PROVISIONING = 0x03,
  PROVISIONED = 0x04;

// Errors (ERROR_STATE). 0x80 and 0x81 are ours: a setting's value is wrong, a program is refused;
// a refusal result, just before, says which and why (refusalFrame).
export const NO_ERROR = 0x00,
  INVALID_RPC = 0x01,
  UNKNOWN_RPC = 0x02,
  UNABLE_TO_CONNECT = 0x03,
  BAD_HOSTNAME = 0x05,
  INVALID_SETTING = 0x80,
  INVALID_PROGRAM = 0x81,
  UNKNOWN_ERROR = 0xff;

// RPC commands: Improv's, then ours (docs/improv.md).
export const WIFI_SETTINGS = 0x01,
  REQUEST_STATE = 0x02,
  REQUEST_INFO = 0x03,
  REQUEST_NETWORKS = 0x04,
  HOSTNAME = 0x05,
  DEVICE_NAME = 0x06,
  NETWORK_STATE = 0x07;
export const SET_SETTINGS = 0x80,
  GET_SETTINGS = 0x81,
  CLEAR_SETTINGS = 0x82,
  RESTART = 0x83,
  SETUP_MODE = 0x84,
  PROGRAM_BEGIN = 0x85,
  PROGRAM_CHUNK = 0x86,
  PROGRAM_END = 0x87,
  GET_PROGRAM = 0x88,
  CLEAR_PROGRAM = 0x89,
  IDENTIFY = 0x8a;
/**
 * Not a command: a result the board sends unasked when its program starts, throws or is stopped
 * (eventFrame), so that a tool acts on data, never on a console line. No computer sends it.
 */
export const PROGRAM_EVENT = 0x8b;

/** The most data one frame carries: its length is one byte. */
export const MAX_DATA = 255;

const HEADER = [0x49, 0x4d, 0x50, 0x52, 0x4f, 0x56, 1]; // "IMPROV", version 1
/** A frame that stops arriving for this long is dropped (a client that died mid-frame). */
const STALL_MS = 1000;
/** The longest line of text a reader keeps; the rest of a longer one is dropped. */
const MAX_LINE = 512;

/** One frame: "IMPROV", 1, type, length, data, checksum, newline. Throws when `data` is over 255 bytes. */
export function encodeFrame(type: number, data: ArrayLike<number>): Uint8Array {
  if (data.length > MAX_DATA) throw new RangeError(`an Improv frame holds at most ${MAX_DATA} bytes (${data.length} given)`);
  const f = new Uint8Array(HEADER.length + 4 + data.length);
  let sum = 0,
    o = 0;
  const put = (b: number) => {
    f[o++] = b;
    sum += b;
  };
  for (const b of HEADER) put(b);
  put(type);
  put(data.length);
  for (let i = 0; i < data.length; i++) put(data[i]);
  f[o++] = sum & 0xff;
  f[o] = 10;
  return f;
}

/** Strings as Improv sends them: each its UTF-8 length (one byte) and its bytes. Throws when one is over 255 bytes. */
export function encodeStrings(strings: readonly string[]): Uint8Array {
  const parts = strings.map((s) => encodeUtf8(s));
  let n = 0;
  for (const p of parts) {
    if (p.length > MAX_DATA) throw new RangeError(`an Improv string holds at most ${MAX_DATA} bytes`);
    n += 1 + p.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out[o++] = p.length;
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Improv's strings back from their bytes, or null when they do not fill `bytes` exactly or one is
 * not UTF-8 (or holds U+0000).
 */
export function decodeStrings(bytes: Uint8Array, start = 0, end = bytes.length): string[] | null {
  const out: string[] = [];
  let i = start;
  while (i < end) {
    const n = bytes[i++];
    if (i + n > end) return null;
    try {
      out.push(decodeUtf8(bytes, i, i + n));
    } catch {
      return null;
    }
    i += n;
  }
  return out;
}

/** An RPC's data or an RPC result's: the command, the length of what follows, then the strings. */
function command(cmd: number, strings: readonly string[]): Uint8Array {
  const body = encodeStrings(strings);
  if (body.length + 2 > MAX_DATA) throw new RangeError(`an Improv command holds at most ${MAX_DATA - 2} bytes of strings (${body.length} given)`);
  const data = new Uint8Array(body.length + 2);
  data[0] = cmd;
  data[1] = body.length;
  data.set(body, 2);
  return data;
}

/** A client's command: an RPC frame. WIFI_SETTINGS takes [ssid, password]; SET_SETTINGS [key, value, …]. */
export function rpcFrame(cmd: number, strings: readonly string[] = []): Uint8Array {
  return encodeFrame(RPC, command(cmd, strings));
}

/** The board's answer to a command: an RPC result frame (no strings: the end of a list). */
export function resultFrame(cmd: number, strings: readonly string[] = []): Uint8Array {
  return encodeFrame(RPC_RESULT, command(cmd, strings));
}

/**
 * A refused setting or program, sent by one of our commands just before its error: a result whose
 * first string is empty (no key is), then the key (the setting's, or the program's name; '' when
 * over 64 bytes: one the client sent, which it knows), the reason's code and its facts (docs/improv.md).
 */
export function refusalFrame(cmd: number, key: string, code: string, facts: readonly string[] = []): Uint8Array {
  return resultFrame(cmd, ['', utf8Length(key) > 64 ? '' : key, code, ...facts]);
}

/** A program's event (PROGRAM_EVENT): its code (`start`, `error`, `stop`) and facts, each bounded by the caller (docs/improv.md). */
export function eventFrame(code: string, facts: readonly string[]): Uint8Array {
  return resultFrame(PROGRAM_EVENT, [code, ...facts]);
}

export function stateFrame(state: number): Uint8Array {
  return encodeFrame(CURRENT_STATE, [state]);
}
export function errorFrame(error: number): Uint8Array {
  return encodeFrame(ERROR_STATE, [error]);
}

/** An RPC, or an RPC result, read from a frame's data: null when its lengths or strings are wrong. */
export interface Command {
  command: number;
  strings: string[];
}
export function decodeCommand(data: Uint8Array): Command | null {
  if (data.length < 2 || data[1] !== data.length - 2) return null;
  const strings = decodeStrings(data, 2);
  return strings && { command: data[0], strings };
}

export type BadFrame = 'checksum' | 'stalled' | 'shape';

/** What a FrameReader finds. `text` is optional: a board drops its console's bytes. */
export interface FrameSink {
  frame(type: number, data: Uint8Array): void;
  /**
   * A frame that failed its checksum, stopped arriving, or whose lengths do not fit its type (a
   * state or error frame holds one byte; a command's own length is the frame's less two): its
   * bytes are read again as text.
   */
  badFrame(why: BadFrame): void;
  /** A line of text between frames, without its line ending, read as UTF-8 where it is; at most 512 bytes. */
  text?(line: string): void;
}

/**
 * Finds frames in a byte stream, wherever they start and however the stream is split. Bytes
 * outside frames are text. A frame with a wrong checksum is reported and its bytes read again
 * from the one after its "I" (a frame may hide inside garbage); so is a frame that stops arriving
 * for a second (its length byte said more than came). While no frame is under way it holds a few
 * numbers and nothing else: what a board listening in normal operation keeps.
 */
export class FrameReader {
  /** Bytes of the frame under way (from its "I"), once its length is known; null otherwise. */
  private frame: Uint8Array | null = null;
  /** Bytes of the frame under way seen so far (the header's, then the frame's). */
  private got = 0;
  /** The type byte until the frame is sized, then the frame's whole length. */
  private need = 0;
  private last = 0;
  /** Bytes of a bad frame to read again before the rest, and where in them. */
  private again: Uint8Array | null = null;
  private at = 0;
  /** The byte after a frame: its newline is the frame's, not an empty line of text. */
  private ended = false;
  private line: number[] | null = null;

  /** Reads `bytes`, received at `now` (ms on any monotonic clock; leave it 0 where time does not matter). */
  push(bytes: Uint8Array, sink: FrameSink, now = 0): void {
    if (this.got && this.last && now - this.last > STALL_MS) this.fail('stalled', sink);
    this.last = now;
    let i = 0;
    for (;;) {
      const again = this.again;
      let b: number;
      if (again) {
        b = again[this.at++];
        if (this.at >= again.length) this.again = null;
      } else if (i < bytes.length) b = bytes[i++];
      else return;
      this.byte(b, sink);
    }
  }

  private byte(b: number, sink: FrameSink): void {
    if (this.ended) {
      this.ended = false;
      if (b === 10) return;
    }
    const got = this.got;
    if (got < HEADER.length) {
      if (b === HEADER[got]) {
        this.got = got + 1;
        return;
      }
      return this.notHeader(b, sink);
    }
    let f = this.frame;
    if (!f) {
      // After the header: the type, then the length, which sizes the frame.
      if (got === HEADER.length) {
        if (b < CURRENT_STATE || b > RPC_RESULT) return this.notHeader(b, sink); // no such type: text
        this.need = b;
        this.got++;
        return;
      }
      const type = this.need;
      f = this.frame = new Uint8Array(HEADER.length + 3 + b);
      f.set(HEADER);
      f[HEADER.length] = type;
      f[HEADER.length + 1] = b;
      this.need = f.length;
      this.got = HEADER.length + 2;
      // A length its type cannot have is a false start: said at once, not after 255 bytes of what
      // follows (good commands among them) were taken in.
      if (type < RPC ? b !== 1 : b < 2) this.fail('shape', sink);
      return;
    }
    f[this.got++] = b;
    if (this.got === HEADER.length + 4 && f[HEADER.length] >= RPC && b !== f[HEADER.length + 1] - 2) return this.fail('shape', sink);
    if (this.got < this.need) return;
    let sum = 0;
    for (let i = 0; i < f.length - 1; i++) sum += f[i];
    if ((sum & 0xff) !== b) return this.fail('checksum', sink);
    this.frame = null;
    this.got = 0;
    this.ended = true;
    sink.frame(f[HEADER.length], f.subarray(HEADER.length + 2, f.length - 1));
  }

  /** Not a header after all: what matched is text, and this byte may start another. */
  private notHeader(b: number, sink: FrameSink): void {
    for (let i = 0; i < this.got; i++) this.text(HEADER[i], sink);
    this.got = 0;
    if (b === HEADER[0]) this.got = 1;
    else this.text(b, sink);
  }

  /** A bad frame: said, then its "I" taken as text and its other bytes read again, before the rest. */
  private fail(why: BadFrame, sink: FrameSink): void {
    const got = this.got;
    let bytes = this.frame?.subarray(0, got);
    if (!bytes) {
      // stalled before its length came: the header, and its type if it came
      bytes = new Uint8Array(got);
      bytes.set(HEADER.slice(0, Math.min(got, HEADER.length)));
      if (got > HEADER.length) bytes[HEADER.length] = this.need;
    }
    this.frame = null;
    this.got = 0;
    sink.badFrame(why);
    this.text(bytes[0], sink);
    const rest = this.again ? this.again.subarray(this.at) : new Uint8Array(0);
    const again = new Uint8Array(got - 1 + rest.length);
    again.set(bytes.subarray(1));
    again.set(rest, got - 1);
    this.again = again.length ? again : null;
    this.at = 0;
  }

  private text(b: number, sink: FrameSink): void {
    if (!sink.text) return;
    const line = (this.line ??= []);
    if (b !== 10) {
      if (line.length < MAX_LINE) line.push(b);
      return;
    }
    this.line = null;
    if (line[line.length - 1] === 13) line.pop();
    sink.text(textOf(line));
  }
}

/** A line of text between frames, as UTF-8 where it is, else one character a byte (Latin-1). */
function textOf(bytes: number[]): string {
  const b = Uint8Array.from(bytes);
  try {
    return decodeUtf8(b);
  } catch {
    return String.fromCharCode(...bytes);
  }
}
