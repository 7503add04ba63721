// `mqtt-pair program`: a student's program (one JavaScript file) sent to a board over its USB
// serial port, in our Improv commands (docs/improv.md): begin with its name and size, its text in
// parts, end with its hash; the board compiles it, stores it whole (or keeps its old one and says
// why, with the line) and restarts to run it. Then the board's console until Ctrl+C or -W.
// `--show` reads the stored program's name, size and hash; `--clear` removes it (the board plays
// its role again).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CLEAR_PROGRAM, GET_PROGRAM, INVALID_PROGRAM, PROGRAM_BEGIN, PROGRAM_CHUNK, PROGRAM_END, UNKNOWN_RPC } from '../../src/setup/improv';
import { chunks, MAX_NAME_BYTES, MAX_PROGRAM_BYTES, programHash } from '../../src/setup/program-store';
import { utf8Length } from '../../src/mqtt/codec';
import { printable } from '../../src/apps/text';
import { BoardError, type BoardLink, BoardLink as Link } from '../setup/improv-client';
import { identify } from '../setup/set-up-board';
import { openPort } from '../setup/serial-port';
import { untilStopped } from './session';
import { cliWords } from '../words/cli';
import { UsageError, last, parseArgs, seconds, usageText, type Flag } from './flags';

const FLAGS: Flag[] = [
  { names: ['--port'], key: 'port', value: 'device', example: '/dev/ttyUSB0', help: "the board's serial port (COM3 on Windows)" },
  { names: ['--show'], key: 'show', help: "show the board's program: its name, size and hash" },
  { names: ['--clear'], key: 'clear', help: 'remove the program: the board plays its role again' },
  { names: ['-W', '--wait'], key: 'wait', value: 'seconds', example: '30', help: "after sending, show the board's console this long (default: until Ctrl+C)" },
  { names: ['--help'], key: 'help', help: 'this text' },
];

/** Each part of the text, in UTF-8 bytes: a frame under 128 bytes, what an ESP8266 reads at once. */
const PART_BYTES = 112;
/** How long the board may take to compile and store the program. */
const END_MS = 20000;

export async function runProgram(argv: string[]): Promise<number> {
  const words = cliWords().program;
  // The file is the argument that is no flag and no flag's value.
  const files: string[] = [];
  const flagArgs: string[] = [];
  const takesValue = new Set(FLAGS.filter((f) => f.value).flatMap((f) => f.names));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-') && a.length > 1) {
      flagArgs.push(a);
      if (takesValue.has(a) && i + 1 < argv.length) flagArgs.push(argv[++i]);
    } else files.push(a);
  }
  const p = parseArgs(flagArgs, FLAGS, 'mqtt-pair program --help');
  if (p.has('help')) {
    process.stdout.write(
      usageText(
        words.title,
        [
          'mqtt-pair program --port /dev/ttyUSB0 esp1.js [-W 30]',
          'mqtt-pair program --port /dev/ttyUSB0 --show',
          'mqtt-pair program --port /dev/ttyUSB0 --clear',
        ],
        FLAGS,
      ),
    );
    return 0;
  }
  const wanted = Number(files.length > 0) + Number(p.has('show')) + Number(p.has('clear'));
  if (wanted !== 1 || files.length > 1) throw new UsageError(words.onlyOne);
  const path = last(p, 'port');
  if (!path) throw new UsageError(words.which);
  const waitText = last(p, 'wait');
  const wait = waitText === undefined ? undefined : seconds('-W', waitText);
  // The file is read and checked before the port is opened: its problems need no board.
  const program = files.length ? readProgram(files[0]) : undefined;

  const port = await openPort(path);
  const board = new Link(port);
  try {
    await identify(board, path);
    if (p.has('show')) {
      const info = await ask(board, path, GET_PROGRAM, []);
      process.stdout.write(`${printable(info.length >= 3 ? words.shown(info[0], Number(info[1]), info[2]) : words.none)}\n`);
      return 0;
    }
    if (p.has('clear')) {
      const before = await ask(board, path, GET_PROGRAM, []);
      await ask(board, path, CLEAR_PROGRAM, []);
      process.stdout.write(`${before.length ? words.cleared : words.nothingToClear}\n`);
      return 0;
    }
    const { name } = program as ProgramFile;
    const { size, hash, lines } = await sendProgram(board, path, program as ProgramFile);
    process.stdout.write(`${words.sent(printable(name), size, hash)}\n${words.following(wait)}\n`);
    // (ImprovDecoder made each line printable: no escape sequence of the board's reaches the terminal.)
    for (const line of lines) process.stdout.write(`${line}\n`);
    board.onLine = (line) => process.stdout.write(`${line}\n`);
    await untilStopped(wait);
    return 0;
  } catch (e) {
    if (e instanceof BoardError) throw new UsageError(e.overflow ? cliWords().setup.overflow(path, e.overflow) : e.message);
    throw e;
  } finally {
    board.onLine = undefined;
    await port.close();
  }
}

/** A program read from its file: its name (without folders) and its text. */
export interface ProgramFile {
  name: string;
  source: string;
}

/**
 * Sends `program` to the board: begin with its name and size, its text in parts, end with its hash
 * (the board compiles and stores it, then restarts to run it). Its size, hash and what the board
 * said from the end on; a UsageError in one line when the board refuses it (its reason, its line).
 */
export async function sendProgram(board: BoardLink, path: string, program: ProgramFile): Promise<{ size: number; hash: string; lines: string[] }> {
  const { name, source } = program;
  const size = utf8Length(source);
  await ask(board, path, PROGRAM_BEGIN, [name, String(size)]);
  for (const part of chunks(source, PART_BYTES)) await ask(board, path, PROGRAM_CHUNK, [part]);
  const hash = programHash(source);
  // From the end on, what the board says is the student's to read: its lines as they come.
  const lines: string[] = [];
  board.onLine = (line) => lines.push(line);
  await ask(board, path, PROGRAM_END, [hash], END_MS);
  return { size, hash, lines };
}

/** The file: its name (without folders) and text, or one line saying what is wrong with it. */
export function readProgram(file: string): ProgramFile {
  const words = cliWords().program;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UsageError(words.noFile(file));
  }
  if (!bytes.length) throw new UsageError(words.empty(file));
  if (bytes.length > MAX_PROGRAM_BYTES) throw new UsageError(words.tooLarge(file, bytes.length, MAX_PROGRAM_BYTES));
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(words.notUtf8(file, badLine(bytes)));
  }
  // A byte-order mark some editors put first is no part of the program.
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  const name = basename(file).normalize('NFC');
  if (utf8Length(name) > MAX_NAME_BYTES) throw new UsageError(words.nameTooLong(name, MAX_NAME_BYTES));
  return { name, source };
}

/** The line (from 1) of the first byte that is not UTF-8: decoded line by line, the first that fails. */
function badLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1,
    start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 10) continue;
    try {
      decoder.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line++;
    start = i + 1;
  }
  return line;
}

/** One command and its result; a board's refusal or silence as one line (its own reason, from its console). */
async function ask(board: BoardLink, port: string, cmd: number, strings: string[], ms = 5000): Promise<string[]> {
  const words = cliWords().program;
  const from = board.lines.length;
  try {
    return (await board.request(cmd, strings, { ms }))[0];
  } catch (e) {
    if (!(e instanceof BoardError)) throw e;
    if (e.code === INVALID_PROGRAM) {
      // The board said why just before its error: "Program over USB: <why>: the board keeps its program".
      const said = board.lines
        .slice(from)
        .map((l) => /^Program over USB: (.*?)(: the board keeps its program)?$/.exec(l)?.[1])
        .filter((l) => l !== undefined);
      throw new UsageError(words.refused(said.at(-1) ?? ''));
    }
    if (e.code === UNKNOWN_RPC) throw new UsageError(words.oldFirmware(port));
    if (e.code === undefined) throw new UsageError(words.cutOff(port, e.message));
    const said = board.lines.slice(from).filter((l) => l.startsWith('Program over USB: ') || l.startsWith('Setup over USB: '));
    throw new UsageError(`${e.message}${said.length ? `: ${said.at(-1)}` : ''}`);
  }
}
