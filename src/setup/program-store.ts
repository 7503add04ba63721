// A student's program kept in the board's flash, over the host's SettingsStore (Moddable's
// Preference on a board), whose values are short (62 bytes on an ESP8266, 200 on an ESP32): the
// text in chunks under numbered keys, in one of two slots, and a header written last that names
// the slot. A new program is written in the slot the header does not name, then the header is
// flipped to it: a power cut mid-write leaves the old header, so the old program (or none), never
// half of the new one. The old slot's chunks are removed after the flip.
//
//   pgm   the header: slot (A or B), chunk count, size in UTF-8 bytes, FNV-1a hash (8 hex), name
//   pgA0, pgA1…, pgB0, pgB1…   the chunks (keys short: an ESP32's NVS keys are 15 characters at most)
//   pgs   the program's stops in a row, and the last one's reason (safe mode, below)
//
// Small and portable: the boot and setup read it; nothing here compiles or runs a program.

import { encodeUtf8, utf8Length } from '../mqtt/codec';
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

/** Why a name cannot be a program's, or ''. */
export function nameProblem(name: string): string {
  if (!name) return 'a program needs a name';
  if (utf8Length(name) > MAX_NAME_BYTES) return `a program's name is at most ${MAX_NAME_BYTES} bytes`;
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return "a program's name holds control characters";
  return '';
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

/** The stops in a row of the stored program, and the last one's reason. */
export interface ProgramStops {
  count: number;
  why: string;
}

/** The stops counted so far (0 and '' when none). */
export function programStops(store: SettingsStore): ProgramStops {
  const v = store.get(STOPS);
  const m = typeof v === 'string' ? /^(\d+) ([^]*)$/.exec(v) : null;
  return m ? { count: Number(m[1]), why: m[2] } : { count: 0, why: '' };
}

/**
 * A run of the stored program begins: null when it may run (the run is counted until it proves
 * clean), or the stops that put the board in safe mode.
 */
export function beginProgramRun(store: SettingsStore): ProgramStops | null {
  const stops = programStops(store);
  if (stops.count >= SAFE_AFTER) return stops;
  setStops(store, stops.count + 1, 'the board restarted while the program ran');
  return null;
}

/** The run under way was stopped, for this reason: returns the stops in a row, this one included. */
export function noteProgramStop(store: SettingsStore, why: string): number {
  const count = Math.max(1, programStops(store).count);
  setStops(store, count, why);
  return count;
}

/** The run under way proved clean: the stops are forgotten. */
export function forgetStops(store: SettingsStore): void {
  if (store.get(STOPS) !== undefined) store.delete(STOPS);
}

function setStops(store: SettingsStore, count: number, why: string): void {
  try {
    store.set(STOPS, `${count} ${why}`.slice(0, Math.max(8, store.maxBytes)));
  } catch {
    // a store that refuses: the run goes on uncounted (xsnap's and Node's stores never refuse)
  }
}

/** The console line of a board in safe mode: why, and the program as `--show` gives it. */
export function safeModeLine(info: ProgramInfo, stops: ProgramStops): string {
  return `Safe mode: the program ${info.name} (${info.size} bytes, hash ${info.hash}) was stopped ${stops.count} times in a row (${stops.why}); the board runs its role without it until the program is sent again or cleared`;
}
