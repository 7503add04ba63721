// A student's program sent over a board's Improv link (docs/improv.md), with nothing but the link:
// the class set-up page sends the program of the day this way after each board's settings. Begin
// with its name and size, its text in parts, end with its hash; the board compiles it, stores it
// whole (or keeps its old one and says why, with the line) and restarts to run it.

import { INVALID_PROGRAM, PROGRAM_BEGIN, PROGRAM_CHUNK, PROGRAM_END } from '../../src/setup/improv';
import { chunks, MAX_NAME_BYTES, MAX_PROGRAM_BYTES, programHash } from '../../src/setup/program-store';
import { utf8Length } from '../../src/mqtt/codec';
import { type BoardLink, BoardError } from './improv-client';

/** Each part of the text, in UTF-8 bytes: a frame under 128 bytes, what an ESP8266 reads at once. */
const PART_BYTES = 112;
/** How long the board may take to compile and store the program. */
const END_MS = 20000;
/** The console line a board boots with when it runs its stored program (hosts/*). */
const BOOTED = /^Program: .*, stored on this board$/;

/** Why a file cannot be a board's program, as a code the page words: too large, empty, not UTF-8, its name too long. */
export type FileProblem = 'tooLarge' | 'empty' | 'notUtf8' | 'nameTooLong';

/** A file's bytes as a program: its text, or the problem. (A byte-order mark is no part of it.) */
export function programText(name: string, bytes: Uint8Array): { source: string } | { problem: FileProblem } {
  if (!bytes.length) return { problem: 'empty' };
  if (bytes.length > MAX_PROGRAM_BYTES) return { problem: 'tooLarge' };
  if (utf8Length(name) > MAX_NAME_BYTES) return { problem: 'nameTooLong' };
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'notUtf8' };
  }
  return { source: source.charCodeAt(0) === 0xfeff ? source.slice(1) : source };
}

/**
 * Sends the program; resolves with its size and hash once the board stored it, then once it booted
 * again running it. A refusal is a BoardError with the board's own reason (« bad.js, line 2:
 * SyntaxError: … ») and INVALID_PROGRAM as its code.
 */
export async function sendProgram(board: BoardLink, name: string, source: string): Promise<{ size: number; hash: string }> {
  const size = utf8Length(source);
  const hash = programHash(source);
  const booted = board.waitLine(BOOTED, 3 * END_MS, 'the board did not start again with its program').catch(() => '');
  await ask(board, PROGRAM_BEGIN, [name, String(size)]);
  for (const part of chunks(source, PART_BYTES)) await ask(board, PROGRAM_CHUNK, [part]);
  await ask(board, PROGRAM_END, [hash], END_MS);
  await booted;
  return { size, hash };
}

async function ask(board: BoardLink, cmd: number, strings: string[], ms = 5000): Promise<void> {
  const from = board.lines.length;
  try {
    await board.request(cmd, strings, { ms });
  } catch (e) {
    if (!(e instanceof BoardError) || e.code !== INVALID_PROGRAM) throw e;
    // The board said why just before its error: "Program over USB: <why>: the board keeps its program".
    const said = board.lines
      .slice(from)
      .map((l) => /^Program over USB: (.*?)(: the board keeps its program)?$/.exec(l)?.[1])
      .filter((l) => l !== undefined);
    throw new BoardError(said.at(-1) ?? '', INVALID_PROGRAM);
  }
}
