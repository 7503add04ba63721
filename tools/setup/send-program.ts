// A student's program sent to a board over its serial port, in our Improv commands (docs/improv.md):
// begin with its name and size, its text in parts, end with its hash; the board compiles it, stores
// it whole (or keeps its old one and says why, as a code and facts) and restarts to run it. And its
// clearing. What `mqtt-pair program --port` and the students' page (over Web Serial) both do; the
// set-up (`mqtt-pair setup --port --program`, the class set-up page) sends the program of the day
// this way after each board's settings, then waits for the board to run it.

import { CLEAR_PROGRAM, GET_PROGRAM, INVALID_PROGRAM, PROGRAM_BEGIN, PROGRAM_CHUNK, PROGRAM_END } from '../../src/setup/improv';
import { chunks, MAX_NAME_BYTES, MAX_PROGRAM_BYTES, programHash } from '../../src/setup/program-store';
import { utf8Length } from '../../src/mqtt/codec';
import { BoardError, type BoardLink, type ProgramEvent, type ProgramRefusal } from './improv-client';

/** Each part of the text, in UTF-8 bytes: a frame under 128 bytes, what an ESP8266 reads at once. */
export const PART_BYTES = 112;
/** How long the board may take to compile and store the program. */
export const END_MS = 20000;

/** Why a file cannot be a board's program, as a code each caller words: too large, empty, not UTF-8, its name too long. */
export type FileProblem = 'tooLarge' | 'empty' | 'notUtf8' | 'nameTooLong';

/** A file's bytes as a program: its text, or the problem. (A byte-order mark some editors put first is no part of it.) */
export function programText(name: string, bytes: Uint8Array): { source: string } | { problem: FileProblem } {
  if (!bytes.length) return { problem: 'empty' };
  if (bytes.length > MAX_PROGRAM_BYTES) return { problem: 'tooLarge' };
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'notUtf8' };
  }
  if (utf8Length(name) > MAX_NAME_BYTES) return { problem: 'nameTooLong' };
  return { source: source.charCodeAt(0) === 0xfeff ? source.slice(1) : source };
}

/** The board refused the program: its reason's code and facts, as it sent them before its error (docs/improv.md). */
export class ProgramRefused extends Error {
  constructor(readonly refusal: ProgramRefusal) {
    super(`the board refused the program (${refusal.code || 'no reason given'})`);
  }
}

/** The line of a syntax error the board sent, or null. */
export function refusedLine(r: ProgramRefusal): number | null {
  const line = r.code === 'syntax' ? Number(r.facts[0]) : 0;
  return Number.isInteger(line) && line > 0 ? line : null;
}

/**
 * One command and its result. The board's refusal of a program is a ProgramRefused with the
 * reason it sent as data (an older firmware's, with none: code ''); any other problem, the BoardError.
 */
export async function askBoard(board: BoardLink, cmd: number, strings: readonly string[], ms = 5000): Promise<string[]> {
  try {
    return (await board.request(cmd, strings, { ms }))[0];
  } catch (e) {
    if (!(e instanceof BoardError) || e.code !== INVALID_PROGRAM) throw e;
    throw new ProgramRefused(e.refusal ?? { key: '', code: '', facts: [] });
  }
}

/** Sends the program; resolves with its size and hash once the board stored it (it restarts to run it). */
export async function sendProgram(
  board: BoardLink,
  name: string,
  source: string,
  progress?: (sent: number, size: number) => void,
): Promise<{ size: number; hash: string }> {
  const size = utf8Length(source);
  await askBoard(board, PROGRAM_BEGIN, [name, String(size)]);
  let sent = 0;
  for (const part of chunks(source, PART_BYTES)) {
    await askBoard(board, PROGRAM_CHUNK, [part]);
    sent += utf8Length(part);
    progress?.(sent, size);
  }
  const hash = programHash(source);
  await askBoard(board, PROGRAM_END, [hash], END_MS);
  return { size, hash };
}

/**
 * Sends the program, then waits until the board booted again and started it (its `start` event,
 * with the hash sent), its settings kept: the set-up asks the board who it is again after. A board
 * that never says so (an older firmware, a config it cannot run) is asked anyway once END_MS × 3
 * have passed: `started` false.
 */
export async function sendProgramAndBoot(board: BoardLink, name: string, source: string): Promise<{ size: number; hash: string; started: boolean }> {
  const hash = programHash(source);
  const started = (e: ProgramEvent) => e.code === 'start' && e.facts[1] === hash;
  // The event may come with the board's last answer: seen as it comes, not searched for after.
  let booted = false;
  const before = board.onEvent;
  board.onEvent = (e) => {
    if (started(e)) booted = true;
    before?.(e);
  };
  try {
    const sent = await sendProgram(board, name, source);
    if (!booted) booted = (await board.waitEvent(started, 3 * END_MS).catch(() => null)) !== null;
    return { ...sent, started: booted };
  } finally {
    board.onEvent = before;
  }
}

/** A stored program as the board says it: name, size, hash; `safe` when the board runs without it (safe mode): its stops in a row and the last one's code (src/setup/program-store.ts's StopCode). */
export interface StoredProgramInfo {
  name: string;
  size: number;
  hash: string;
  safe?: { stops: number; code: string };
}

/** The stored program, or null when the board plays its role. */
export async function storedProgram(board: BoardLink): Promise<StoredProgramInfo | null> {
  const info = await askBoard(board, GET_PROGRAM, []);
  if (info.length < 3) return null;
  const p: StoredProgramInfo = { name: info[0], size: Number(info[1]), hash: info[2] };
  if (info.length >= 5) p.safe = { stops: Number(info[3]), code: info[4].slice(0, 8) };
  return p;
}

/** Removes the program (the board restarts into its role when it had one); true when there was one. */
export async function clearProgram(board: BoardLink): Promise<boolean> {
  const before = await storedProgram(board);
  await askBoard(board, CLEAR_PROGRAM, []);
  return before !== null;
}
