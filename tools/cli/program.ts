// `mqtt-pair program`: a student's program (one JavaScript file) sent to a board over its USB
// serial port, in our Improv commands (docs/improv.md): begin with its name and size, its text in
// parts, end with its hash; the board compiles it, stores it whole (or keeps its old one and says
// why, with the line) and restarts to run it. Then the board's console until Ctrl+C or -W.
// `--show` reads the stored program's name, size and hash; `--clear` removes it (the board plays
// its role again).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UNKNOWN_RPC } from '../../src/setup/improv';
import { MAX_NAME_BYTES, MAX_PROGRAM_BYTES } from '../../src/setup/program-store';
import { printable } from '../../src/apps/text';
import { BoardError, BoardLink as Link, type ProgramEvent, stopFacts } from '../setup/improv-client';
import { identify } from '../setup/set-up-board';
import { clearProgram, type FileProblem, ProgramRefused, programText, sendProgram, storedProgram } from '../setup/send-program';
import { PortError, openPort } from '../setup/serial-port';
import { holdStopSignals, untilStopped } from './session';
import { boardErrorLine, cliWords } from '../words/cli';
import { UsageError, fileErrorWhy, last, parseArgs, seconds, usageText, type Flag } from './flags';

const FLAGS: Flag[] = [
  { names: ['--port'], key: 'port', value: 'device', example: '/dev/ttyUSB0', help: "the board's serial port (COM3 on Windows)" },
  { names: ['--show'], key: 'show', help: "show the board's program: its name, size and hash" },
  { names: ['--clear'], key: 'clear', help: 'remove the program: the board plays its role again' },
  { names: ['-W', '--wait'], key: 'wait', value: 'seconds', example: '30', help: "after sending, show the board's console this long (default: until Ctrl+C)" },
  { names: ['--help'], key: 'help', help: 'this text' },
];

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

  const port = await openPort(path).catch((e) => {
    throw e instanceof PortError ? new UsageError(cliWords().setup.cannotOpenPort(e.path, e.why)) : e;
  });
  const board = new Link(port);
  try {
    await identify(board, path);
    if (p.has('show')) {
      const info = await said(path, () => storedProgram(board));
      process.stdout.write(`${printable(info ? words.shown(info.name, info.size, info.hash) : words.none)}\n`);
      if (info?.safe) process.stdout.write(`${printable(words.safeMode(info.safe.stops, info.safe.code))}\n`);
      return 0;
    }
    if (p.has('clear')) {
      const had = await said(path, () => clearProgram(board));
      process.stdout.write(`${had ? words.cleared : words.nothingToClear}\n`);
      return 0;
    }
    const { name, source } = program as ProgramFile;
    // From the end on, what the board says is the student's to read: its lines as they come, and
    // its program's events (data: docs/improv.md) in this command's words.
    const lines: string[] = [];
    const { size, hash } = await said(path, () =>
      sendProgram(board, name, source, (sent, all) => {
        if (sent !== all) return;
        board.onLine = (line) => lines.push(line);
        board.onEvent = (e) => {
          const line = eventLine(e);
          if (line) lines.push(line);
        };
      }),
    );
    holdStopSignals(); // Ctrl+C as the lines come: a clean stop (Node listens late)
    process.stdout.write(`${words.sent(printable(name), size, hash)}\n${words.following(wait)}\n`);
    // (ImprovDecoder made each line printable: no escape sequence of the board's reaches the terminal.)
    for (const line of lines) process.stdout.write(`${line}\n`);
    board.onLine = (line) => process.stdout.write(`${line}\n`);
    board.onEvent = (e) => {
      const line = eventLine(e);
      if (line) process.stdout.write(`${line}\n`);
    };
    await untilStopped(wait);
    return 0;
  } catch (e) {
    if (e instanceof BoardError) throw new UsageError(boardErrorLine(e, path));
    throw e;
  } finally {
    board.onLine = undefined;
    board.onEvent = undefined;
    await port.close();
  }
}

/** A program event of the board's in this command's words; null for one this tool does not know (a newer board's). */
function eventLine(e: ProgramEvent): string | null {
  const words = cliWords().program;
  const [a = '', b = '', c = ''] = e.facts;
  if (e.code === 'start') return words.started(printable(a));
  if (e.code === 'error') return words.threw(Number(a) || null, Number(b) || null, printable(c));
  if (e.code !== 'stop' && e.code !== 'stopped') return null;
  const s = stopFacts(e);
  return e.code === 'stop' ? words.stopped(s.code, s.count, s.of) : words.restarted(s.code, s.count, s.of);
}

/** A program read from its file: its name (without folders) and its text. */
export interface ProgramFile {
  name: string;
  source: string;
}

/** The file: its name (without folders) and text, or one line saying what is wrong with it. */
export function readProgram(file: string): ProgramFile {
  const words = cliWords().program;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(words.noFile(file, fileErrorWhy(e)));
  }
  const name = basename(file).normalize('NFC');
  // The checks the set-up page makes too (tools/setup/send-program.ts), in this command's words.
  const read = programText(name, bytes);
  if ('source' in read) return { name, source: read.source };
  const problem: Record<FileProblem, () => string> = {
    empty: () => words.empty(file),
    tooLarge: () => words.tooLarge(file, bytes.length, MAX_PROGRAM_BYTES),
    notUtf8: () => words.notUtf8(file, badLine(bytes)),
    nameTooLong: () => words.nameTooLong(name, MAX_NAME_BYTES),
  };
  throw new UsageError(problem[read.problem]());
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

/**
 * What the board did, or its refusal or silence as one line: a refused program from the reason's
 * code and facts it sent (its console line is for a person at a serial monitor: no tool reads it).
 */
export async function said<T>(port: string, act: () => Promise<T>): Promise<T> {
  const words = cliWords().program;
  try {
    return await act();
  } catch (e) {
    if (e instanceof ProgramRefused) throw new UsageError(words.refused(e.refusal));
    if (!(e instanceof BoardError)) throw e;
    if (e.code === UNKNOWN_RPC) throw new UsageError(words.oldFirmware(port));
    if (e.problem?.kind === 'silent') throw new UsageError(words.cutOff(port));
    throw new UsageError(boardErrorLine(e, port));
  }
}
