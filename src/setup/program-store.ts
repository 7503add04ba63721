// A student's program kept in the board's flash, over the host's SettingsStore (Moddable's
// Preference on a board), whose values are short (62 bytes on an ESP8266, 200 on an ESP32): the
// text in chunks under numbered keys, in one of two slots, and a header written last that names
// the slot. A new program is written in the slot the header does not name, then the header is
// flipped to it: a power cut mid-write leaves the old header, so the old program (or none), never
// half of the new one. The old slot's chunks are removed after the flip.
//
//   pgm   the header: slot (A or B), chunk count, size in UTF-8 bytes, FNV-1a hash (8 hex), name
//   pgA0, pgA1…, pgB0, pgB1…   the chunks (keys short: an ESP32's NVS keys are 15 characters at most)
//   pgs   the program's stops in a row, the last one's code and reason (safe mode, below)
//
// Small and portable: the boot and setup read it; nothing here compiles or runs a program.

import { decodeUtf8, encodeUtf8, utf8Length } from '../mqtt/codec';
import type { SettingsStore } from './settings';

/** The largest program a board takes, in UTF-8 bytes (src/program/program.ts's MAX_SOURCE characters at most). */
export const MAX_PROGRAM_BYTES = 16384;
/** A program's name (its file's), at most this many UTF-8 bytes: the header fits an ESP8266's value. */
export const MAX_NAME_BYTES = 32;

const HEADER = 'pgm';
const SLOTS = ['A', 'B'];
const STOPS = 'pgs';

/** After this many stops in a row, the board runs without its program (safe mode). */
export const SAFE_AFTER = 2;

export interface ProgramInfo {
  name: string;
  /** UTF-8 bytes. */
  size: number;
  /** FNV-1a 32 of the UTF-8 bytes, 8 lowercase hex digits. */
  hash: string;
}

export interface StoredProgram extends ProgramInfo {
  source: string;
}

/** FNV-1a, 32 bits, over bytes: 8 lowercase hex digits. Portable, no crypto needed: it tells a transfer gone wrong, not an attacker. */
export function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The hash of a program's text. */
export function programHash(source: string): string {
  return fnv1a(encodeUtf8(source));
}

/**
 * Why a program is refused over USB, as the board sends it before its error 0x81 (docs/improv.md,
 * « A refused program »); tools/words/program-refusal.ts words it.
 */
export type ProgramRefusalCode =
  | 'noName'
  | 'nameLong'
  | 'nameControl'
  | 'size'
  | 'large'
  | 'noParser'
  | 'order'
  | 'shape'
  | 'utf8'
  | 'over'
  | 'cut'
  | 'hash'
  | 'syntax';

/** Why a name cannot be a program's, as a refusal's code (docs/improv.md), or ''. */
export function nameCode(name: string): '' | 'noName' | 'nameLong' | 'nameControl' {
  if (!name) return 'noName';
  if (utf8Length(name) > MAX_NAME_BYTES) return 'nameLong';
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'nameControl';
  return '';
}

/** Why a name cannot be a program's, or '' (for the console). */
export function nameProblem(name: string): string {
  const c = nameCode(name);
  if (c === 'noName') return 'a program needs a name';
  if (c === 'nameLong') return `a program's name is at most ${MAX_NAME_BYTES} bytes`;
  return c && "a program's name holds control characters";
}

interface Header extends ProgramInfo {
  slot: string;
  count: number;
}

function readHeader(store: SettingsStore): Header | null {
  const v = store.get(HEADER);
  if (typeof v !== 'string') return null;
  const m = /^([AB])(\d+) (\d+) ([0-9a-f]{8}) ([^]*)$/.exec(v);
  return m ? { slot: m[1], count: Number(m[2]), size: Number(m[3]), hash: m[4], name: m[5] } : null;
}

/** The stored program's name, size and hash (its header alone), or null. */
export function programInfo(store: SettingsStore): ProgramInfo | null {
  const h = readHeader(store);
  return h && { name: h.name, size: h.size, hash: h.hash };
}

/** The stored program, or null when there is none, or when its chunks do not add up to its size and hash (said in `problem`). */
export function readProgram(store: SettingsStore, problem?: (why: string) => void): StoredProgram | null {
  const h = readHeader(store);
  if (!h) return null;
  const parts: string[] = [];
  for (let i = 0; i < h.count; i++) {
    const c = store.get(`pg${h.slot}${i}`);
    if (typeof c !== 'string') {
      problem?.(`the stored program "${h.name}" lacks its part ${i + 1} of ${h.count}`);
      return null;
    }
    parts.push(c);
  }
  const source = parts.join('');
  const bytes = encodeUtf8(source);
  if (bytes.length !== h.size || fnv1a(bytes) !== h.hash) {
    problem?.(`the stored program "${h.name}" is damaged (its size or hash does not match)`);
    return null;
  }
  return { name: h.name, size: h.size, hash: h.hash, source };
}

/** `source` cut into pieces of at most `max` UTF-8 bytes, between characters. */
export function chunks(source: string, max: number): string[] {
  const out: string[] = [];
  let start = 0,
    bytes = 0;
  for (let i = 0; i < source.length; ) {
    const c = source.codePointAt(i) as number;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    const w = c > 0xffff ? 2 : 1;
    if (bytes + n > max) {
      out.push(source.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += n;
    i += w;
  }
  if (start < source.length) out.push(source.slice(start));
  return out;
}

/** Removes a slot's chunks from `from` on (they end at the first missing one). */
function dropSlot(store: SettingsStore, slot: string, from = 0): void {
  for (let i = from; store.get(`pg${slot}${i}`) !== undefined; i++) store.delete(`pg${slot}${i}`);
}

/**
 * Stores `source` as the board's program, whole or not at all: returns '' once the header names
 * it, else why not (the store refused a chunk: the old program stays).
 */
export function storeProgram(store: SettingsStore, name: string, source: string): string {
  const old = readHeader(store);
  const slot = old?.slot === 'A' ? 'B' : 'A';
  const parts = chunks(source, Math.max(4, store.maxBytes));
  try {
    // Leftovers of a write cut short (a power cut before the flip) are overwritten or removed.
    for (let i = 0; i < parts.length; i++) store.set(`pg${slot}${i}`, parts[i]);
    dropSlot(store, slot, parts.length);
    const bytes = encodeUtf8(source);
    store.set(HEADER, `${slot}${parts.length} ${bytes.length} ${fnv1a(bytes)} ${name}`);
  } catch (e) {
    try {
      dropSlot(store, slot);
    } catch {
      // what is left is never read: the header still names the other slot
    }
    return `the board could not store it (${e instanceof Error ? e.message : String(e)}; ${parts.length} parts of ${store.maxBytes} bytes)`;
  }
  if (old) dropSlot(store, old.slot);
  forgetStops(store); // a new program starts with no stops
  return '';
}

/** Removes the stored program: the header first, so that what remains is never read. */
export function clearProgram(store: SettingsStore): boolean {
  const had = store.get(HEADER) !== undefined;
  if (had) store.delete(HEADER);
  for (const s of SLOTS) dropSlot(store, s);
  forgetStops(store);
  return had;
}

// ---- Stops and safe mode
//
// A program that never gives control back, or exhausts the heap, is stopped (by the host's meter,
// else by a reset). The count lives in the store, so that it survives the reset: each run of the
// program is counted as a stop when it begins, with the reason `the board restarted while the
// program ran`, and the count is forgotten once the run proves clean (the host says when); a stop
// the host sees itself replaces the reason. So a reset the firmware never saw coming (a watchdog,
// a crash, memory full) counts too. After SAFE_AFTER stops in a row the program is not run: the
// board plays its role (safe mode) and says why, until the program is sent again or cleared.

/**
 * Why a run stopped, as a code the tools word (Improv's `0x88` answer, docs/improv.md): `r` the
 * board restarted while it ran (nothing saw why: a reset, a crash, a stack overflow on a board),
 * `l` it never gave control back, `m` it exhausted the memory, `s` the stack.
 */
export type StopCode = 'r' | 'l' | 'm' | 's';

/** The stops in a row of the stored program, the last one's code and reason, whether the board
 *  found them at boot and runs without the program (safe mode), not only counts a run, and whether
 *  the last one was said (a `stop` event when it happened, a `stopped` one at the boot after it). */
export interface ProgramStops {
  count: number;
  code: StopCode;
  why: string;
  safe: boolean;
  said: boolean;
}

/** The stops counted so far (0 and '' when none). */
export function programStops(store: SettingsStore): ProgramStops {
  const v = store.get(STOPS);
  // (A count stored by an older firmware has no code: `r`, what it counted at each start. `!`: safe mode; `.`: said.)
  const m = typeof v === 'string' ? /^(\d+)([lmrs]?)(!?)(\.?) ([^]*)$/.exec(v) : null;
  return m
    ? { count: Number(m[1]), code: (m[2] || 'r') as StopCode, why: m[5], safe: !!m[3], said: !!m[4] }
    : { count: 0, code: 'r', why: '', safe: false, said: false };
}

/**
 * At boot, the stops of the program's last run that nobody was told of (memory full, a stack
 * overflow, a reset: the board went before it could say it), marked said now, so that the board
 * says them once; null when there are none.
 */
export function unsaidStops(store: SettingsStore): ProgramStops | null {
  const stops = programStops(store);
  if (!stops.count || stops.said) return null;
  setStops(store, { ...stops, said: true });
  return stops;
}

/** The fields `0x88` adds to a program's when the board runs without it (safe mode): the stops and the last one's code. */
export function safeModeFields(store: SettingsStore): string[] {
  const s = programStops(store);
  // (Not while the last allowed run is under way: it has as many stops counted, and runs.)
  return s.safe ? [String(s.count), s.code] : [];
}

/**
 * A run of the stored program begins: null when it may run (the run is counted until it proves
 * clean), or the stops that put the board in safe mode.
 */
export function beginProgramRun(store: SettingsStore): ProgramStops | null {
  const stops = programStops(store);
  if (stops.count >= SAFE_AFTER) {
    if (!stops.safe) setStops(store, { ...stops, safe: true });
    return { ...stops, safe: true };
  }
  setStops(store, { count: stops.count + 1, code: 'r', why: 'the board restarted while the program ran', safe: false, said: false });
  return null;
}

/**
 * The run under way ends without a stop of the program's (a restart asked for: new settings, a
 * role, the board healing itself): it is counted no more, the stops as they were before it (`before`).
 */
export function uncountRun(store: SettingsStore, before: ProgramStops): void {
  if (before.count) setStops(store, before);
  else forgetStops(store);
}

/** The run under way was stopped, for this reason (`said`: the host told it at once): returns the stops in a row, this one included. */
export function noteProgramStop(store: SettingsStore, code: StopCode, why: string, said = false): number {
  const count = Math.max(1, programStops(store).count);
  setStops(store, { count, code, why, safe: false, said });
  return count;
}

/**
 * The mark of a stop of the run under way, prepared now: calling it writes a value made before
 * the program ran, so that it needs no memory then (XS's abort for memory full has none left).
 */
export function stopMark(store: SettingsStore, code: StopCode, why: string): () => void {
  const value = `${Math.max(1, programStops(store).count)}${code} ${why}`.slice(0, Math.max(8, store.maxBytes));
  return () => {
    try {
      store.set(STOPS, value);
    } catch {
      // no room even for that: the run was counted when it began
    }
  };
}

/** The run under way proved clean: the stops are forgotten. */
export function forgetStops(store: SettingsStore): void {
  if (store.get(STOPS) !== undefined) store.delete(STOPS);
}

function setStops(store: SettingsStore, s: ProgramStops): void {
  try {
    store.set(STOPS, `${s.count}${s.code}${s.safe ? '!' : ''}${s.said ? '.' : ''} ${s.why}`.slice(0, Math.max(8, store.maxBytes)));
  } catch {
    // a store that refuses: the run goes on uncounted (xsnap's and Node's stores never refuse)
  }
}

/** The console line of a board in safe mode: why, and the program as `--show` gives it. */
export function safeModeLine(info: ProgramInfo, stops: ProgramStops): string {
  return `Safe mode: the program ${info.name} (${info.size} bytes, hash ${info.hash}) was stopped ${stops.count} times in a row (${stops.why}); the board runs its role without it until the program is sent again or cleared`;
}

// ---- A program streamed in (the setup page's POST /program): bytes as they arrive
//
// The same slots and header as storeProgram, without the whole text in memory while it comes: the
// bytes are hashed and cut into the store's chunks (at a character's end) as they arrive, into the
// slot the header does not name; once all came, the text is read back from the slot (to compile it)
// and the header flipped by commit(). Dropped before commit, it leaves the old program as it was.

/** A program written into the store as its bytes arrive; whole (commit) or not at all (abandon). */
export class ProgramWriter {
  private readonly slot: string;
  private readonly oldHeader: string | undefined;
  private readonly old: Header | null;
  private buf: Uint8Array;
  private n = 0;
  private count = 0;
  private h = 0x811c9dc5;
  /** The bytes that came so far. */
  bytes = 0;
  /** Why the program is refused, once it is ('' while all is well). */
  problem = '';

  constructor(
    private readonly store: SettingsStore,
    readonly name: string,
    /** The bytes announced (Content-Length). */
    readonly size: number,
  ) {
    const v = store.get(HEADER);
    this.oldHeader = typeof v === 'string' ? v : undefined;
    this.old = readHeader(store);
    this.slot = this.old?.slot === 'A' ? 'B' : 'A';
    this.buf = new Uint8Array(Math.max(4, store.maxBytes));
    if (size > MAX_PROGRAM_BYTES) this.problem = `it is ${size} bytes long: a board takes ${MAX_PROGRAM_BYTES} at most`;
  }

  /** Bytes of the program, `start` to `end`. */
  push(b: Uint8Array, start = 0, end = b.length): void {
    for (let i = start; i < end && !this.problem; i++) {
      const c = b[i];
      if (++this.bytes > this.size) {
        this.refuse(`more than the ${this.size} bytes announced came`);
        return;
      }
      this.h = Math.imul(this.h ^ c, 0x01000193) >>> 0;
      if (this.n === this.buf.length) this.flush(false);
      this.buf[this.n++] = c;
    }
  }

  /** All came: '' when the slot holds the whole program, else why not (the slot is then dropped). */
  finish(): string {
    if (!this.problem && this.bytes !== this.size) this.refuse(`${this.bytes} bytes came of the ${this.size} announced: the transfer was cut off`);
    if (!this.problem && !this.size) this.refuse('the program is empty');
    while (!this.problem && this.n) this.flush(true);
    return this.problem;
  }

  /** The program's hash (FNV-1a of its bytes), once finished. */
  hash(): string {
    return (this.h >>> 0).toString(16).padStart(8, '0');
  }

  /** The text, read back from its slot (to compile it before commit). */
  source(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.count; i++) parts.push(String(this.store.get(`pg${this.slot}${i}`)));
    return parts.join('');
  }

  /** Flips the header to the new program: '' once done, else why not (the old program stays). */
  commit(): string {
    if (this.finish()) return this.problem;
    if (this.changed()) return this.refuse('another program was stored meanwhile');
    try {
      dropSlot(this.store, this.slot, this.count);
      this.store.set(HEADER, `${this.slot}${this.count} ${this.size} ${this.hash()} ${this.name}`);
    } catch (e) {
      return this.refuse(`the board could not store it (${e instanceof Error ? e.message : String(e)})`);
    }
    if (this.old) dropSlot(this.store, this.old.slot);
    forgetStops(this.store);
    return '';
  }

  /** Drops what was written (the header was never changed: the old program stays). */
  abandon(why = 'the transfer was dropped'): void {
    if (!this.problem) this.refuse(why);
  }

  private refuse(why: string): string {
    this.problem = why;
    this.buf = new Uint8Array(0);
    this.n = 0;
    // The slot's leftovers are never read (the header names the other one), but take flash: gone,
    // unless another program was stored in that slot meanwhile.
    if (this.changed()) return why;
    try {
      dropSlot(this.store, this.slot);
    } catch {
      // what is left is never read, and overwritten by the next program
    }
    return why;
  }

  /** Whether the header changed since this program began (the USB took another meanwhile). */
  private changed(): boolean {
    const v = this.store.get(HEADER);
    return (typeof v === 'string' ? v : undefined) !== this.oldHeader;
  }

  /** Stores a chunk: the buffer up to its last whole character (all of it at the end). */
  private flush(last: boolean): void {
    let cut = this.n;
    if (!last) {
      // Back to the last character's first byte; it stays for the next chunk when it is cut short.
      let j = this.n - 1;
      while (j > 0 && (this.buf[j] & 0xc0) === 0x80 && this.n - j < 4) j--;
      const c = this.buf[j];
      const len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (j + len > this.n && j > 0) cut = j;
    }
    let text: string;
    try {
      text = decodeUtf8(this.buf, 0, cut);
    } catch {
      this.refuse('it is not text in UTF-8');
      return;
    }
    if (this.changed()) {
      this.refuse('another program was stored meanwhile');
      return;
    }
    try {
      this.store.set(`pg${this.slot}${this.count}`, text);
    } catch (e) {
      this.refuse(`the board could not store it (${e instanceof Error ? e.message : String(e)}; part ${this.count + 1} of ${this.store.maxBytes} bytes)`);
      return;
    }
    this.count++;
    this.buf.copyWithin(0, cut, this.n);
    this.n -= cut;
  }
}
