// The computer's end of Improv over a serial port (src/setup/improv.ts holds the codec; docs/improv.md
// our commands): bytes in, what the board said out (its states, errors, results and console
// lines), and commands as bytes. `BoardLink` adds the waiting over any byte link: a serial port
// (serialport, `mqtt-pair setup --port`) or a test's pipe.

import { CURRENT_STATE, ERROR_STATE, FrameReader, NO_ERROR, PROGRAM_EVENT, RPC_RESULT, SET_SETTINGS, decodeCommand, rpcFrame } from '../../src/setup/improv';
import { printable } from '../../src/apps/text';

export type BoardMessage =
  | { kind: 'state'; state: number }
  | { kind: 'error'; error: number }
  | { kind: 'result'; command: number; strings: string[] }
  | { kind: 'event'; event: ProgramEvent }
  | { kind: 'line'; text: string };

/**
 * What the board's program did, as the board sent it unasked (src/setup/improv.ts's eventFrame;
 * docs/improv.md): `start` [name, hash, characters], `error` [line, column, the engine's message],
 * `stop` [code, stops in a row, the stops that make safe mode], `stopped` (at the boot after a
 * stop the board could not say) the same; a newer board may send others.
 * Bounded here: its strings go into lines for a person (made printable there).
 */
export interface ProgramEvent {
  code: string;
  facts: string[];
}

/** A `stop` or `stopped` event's facts: the stop's code, the stops in a row, the stops that make safe mode (2 unless said). */
export function stopFacts(e: ProgramEvent): { code: string; count: number; of: number } {
  const [code = '', count = '', of = ''] = e.facts;
  return { code, count: Number(count) || 1, of: Number(of) || 2 };
}

/** Sans-I/O: what the board's bytes say, in order. Console lines are made printable (no control codes). */
export class ImprovDecoder {
  private reader = new FrameReader();
  push(bytes: Uint8Array, now = 0): BoardMessage[] {
    const out: BoardMessage[] = [];
    this.reader.push(
      bytes,
      {
        frame(type, data) {
          if (type === CURRENT_STATE && data.length) out.push({ kind: 'state', state: data[0] });
          else if (type === ERROR_STATE && data.length) {
            if (data[0] !== NO_ERROR) out.push({ kind: 'error', error: data[0] });
          } else if (type === RPC_RESULT) {
            const c = decodeCommand(Uint8Array.from(data));
            if (c?.command === PROGRAM_EVENT && c.strings.length)
              out.push({ kind: 'event', event: { code: c.strings[0].slice(0, 16), facts: c.strings.slice(1, 5).map((f) => f.slice(0, 128)) } });
            else if (c) out.push({ kind: 'result', command: c.command, strings: c.strings });
          }
        },
        badFrame() {
          /* a board's bad frame: its bytes come again as text */
        },
        text(line) {
          out.push({ kind: 'line', text: printable(line) });
        },
      },
      now,
    );
    return out;
  }
}

/** A byte link to a board: a serial port, or a test's pipe. */
export interface Link {
  write(bytes: Uint8Array): void;
  onData(fn: (bytes: Uint8Array) => void): void;
}

/**
 * A setting the board refused, as it sent it (src/setup/improv.ts, refusalFrame): its key, the
 * reason's code (RefusalCode in src/setup/settings.ts; a newer board may send one this tool does
 * not know, or '' when an older one sent none) and the facts its words need. Worded in
 * tools/words/refusal.ts, never here.
 */
export interface SettingRefusal {
  key: string;
  code: string;
  facts: string[];
}

/** A program the board refused (0x85-0x87): the same shape, its key the program's name ('' when none yet), its code a ProgramRefusalCode (src/setup/program-store.ts). Worded in tools/words/program-refusal.ts. */
export type ProgramRefusal = SettingRefusal;

/** A refusal result's strings ('' first), as data; null when they are a command's ordinary result. */
export function readRefusal(strings: readonly string[]): SettingRefusal | null {
  if (strings.length < 3 || strings[0] !== '') return null;
  // Bounded (a compiler's message is the longest fact: the board cuts it at 120 bytes): the board's
  // text goes into a line for a person (printed escaped there).
  return { key: strings[1].slice(0, 64), code: strings[2].slice(0, 16), facts: strings.slice(3, 8).map((f) => f.slice(0, 128)) };
}

/**
 * What went wrong with a board beside its Improv error and refusal, as a code and facts the words
 * say (tools/words/: the CLI's, the pages'): `silent`, no answer to a command in time; `otherFirmware`,
 * the board runs another firmware; `lacks`, the settings it still needs before it can start
 * (`broker`, `role`); `noWifi`, no network stored nor given.
 */
export type BoardProblem =
  | { kind: 'silent'; command: number }
  | { kind: 'otherFirmware'; firmware: string }
  | { kind: 'lacks'; keys: string[] }
  | { kind: 'noWifi' };

/**
 * What went wrong with a board, as data: `code` is the board's Improv error when it sent one, with
 * its `refusal` (a refused setting or program) when it sent one before; `overflow`, the most
 * answers it may send to one command, when it sent more; `noAnswer`, in seconds, when nothing
 * answered on the port at all; `problem`, the rest. Its message is for developers (a stack trace
 * in a test); a person reads the words made from the fields.
 */
export class BoardError extends Error {
  readonly code?: number;
  readonly overflow?: number;
  readonly noAnswer?: number;
  readonly refusal?: SettingRefusal;
  readonly problem?: BoardProblem;
  constructor(message: string, facts: { code?: number; overflow?: number; noAnswer?: number; refusal?: SettingRefusal; problem?: BoardProblem } = {}) {
    super(message);
    Object.assign(this, facts);
  }
}

/** The most rows one listed answer may have (a get has one a setting, some 40): a board that never ends its list is stopped there. */
export const MAX_ROWS = 256;

/** Commands and their answers over a link, with the board's console lines kept (the last 200). */
export class BoardLink {
  private decoder = new ImprovDecoder();
  private waiters = new Set<(m: BoardMessage) => void>();
  readonly lines: string[] = [];
  state = -1;
  onLine?: (text: string) => void;
  /** Each program event the board sends (a program started, threw, was stopped). */
  onEvent?: (event: ProgramEvent) => void;

  constructor(private readonly link: Link) {
    link.onData((bytes) => {
      for (const m of this.decoder.push(bytes, Date.now())) {
        if (m.kind === 'line') {
          this.lines.push(m.text);
          if (this.lines.length > 200) this.lines.shift();
          this.onLine?.(m.text);
        } else if (m.kind === 'state') this.state = m.state;
        else if (m.kind === 'event') this.onEvent?.(m.event);
        for (const w of [...this.waiters]) w(m);
      }
    });
  }

  /**
   * Sends `cmd` and resolves with its results (one, or a list up to its empty result when `list`);
   * rejects with the board's error, or after `ms` without an answer.
   */
  request(cmd: number, strings: readonly string[] = [], { ms = 5000, list = false } = {}): Promise<string[][]> {
    let refusal: SettingRefusal | null = null;
    return this.until(
      (m, got) => {
        if (m.kind === 'error') {
          const why = refusal ?? undefined;
          throw new BoardError(`Improv error 0x${m.error.toString(16)}${why ? `: ${why.key} refused (${why.code})` : ''}`, { code: m.error, refusal: why });
        }
        if (m.kind !== 'result' || m.command !== cmd) return false;
        // Our commands' refusal comes before their error: kept for it, not taken for the answer.
        const refused = cmd >= SET_SETTINGS ? readRefusal(m.strings) : null;
        if (refused) {
          refusal = refused;
          return false;
        }
        if (!list) return [m.strings];
        if (!m.strings.length) return got;
        // Bounded: a board that never ends its list would fill this computer's memory.
        if (got.length >= MAX_ROWS) throw new BoardError(`more than ${MAX_ROWS} answers to command 0x${cmd.toString(16)}`, { overflow: MAX_ROWS });
        got.push(m.strings);
        return false;
      },
      ms,
      { kind: 'silent', command: cmd },
      () => this.link.write(rpcFrame(cmd, strings)),
    );
  }

  /** Resolves with the first program event `match` takes, from now on. */
  waitEvent(match: (e: ProgramEvent) => boolean, ms: number): Promise<ProgramEvent> {
    return this.until((m) => (m.kind === 'event' && match(m.event) ? m.event : false), ms, { kind: 'silent', command: PROGRAM_EVENT });
  }

  /** Resolves with what `step` returns for a message, rejects with what it throws, or after `ms` with `silent`. */
  private until<T>(step: (m: BoardMessage, got: string[][]) => T | false, ms: number, silent: BoardProblem, start?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const got: string[][] = [];
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(w);
        fn();
      };
      const w = (m: BoardMessage) => {
        try {
          const r = step(m, got);
          if (r !== false) done(() => resolve(r));
        } catch (e) {
          done(() => reject(e));
        }
      };
      const timer = setTimeout(() => done(() => reject(new BoardError(`no answer in ${ms} ms`, { problem: silent }))), ms);
      this.waiters.add(w);
      start?.();
    });
  }
}
