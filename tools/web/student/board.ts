// « Envoyer à ma carte », in the Program tab: the editor's program sent to the student's own board
// over its USB cable (Web Serial; tools/web/serial.ts, shared with the class set-up page), with the
// board's commands (tools/setup/send-program.ts, shared with `mqtt-pair program`). The board's
// console shows under the buttons (bounded, made printable), for the student to read; what the
// page says comes from the board's answers and events, as data: the program runs, throws (its line
// marked in the editor), is stopped, or the board refused it (the reason's code and facts it sent,
// a syntax error's line highlighted). « Revenir au rôle de départ » clears the program. Once connected, the
// page asks the board for its program (0x88) after each action and every few seconds: a board in
// safe mode (its program stopped twice in a row) is said, with why and what to do. Without Web
// Serial, the page says where it is, and gives the command line that does the same.

import { utf8Length } from '../../../src/mqtt/codec';
import { UNKNOWN_RPC } from '../../../src/setup/improv';
import { MAX_PROGRAM_BYTES, nameProblem } from '../../../src/setup/program-store';
import { BoardError, BoardLink, type ProgramEvent, stopFacts } from '../../setup/improv-client';
import { clearProgram, ProgramRefused, refusedLine, sendProgram, type StoredProgramInfo, storedProgram } from '../../setup/send-program';
import { identify } from '../../setup/set-up-board';
import { en, fr } from '../../words/send';
import { type OpenPort, openSerial, webSerial } from '../serial';
import { $, clock, el, lang, shown } from './page';
import { add } from './rows';

const w = lang === 'fr' ? fr : en;
const MAX_CONSOLE_LINES = 300;
/** How often a connected board is asked for its program (0x88): safe mode comes after restarts the page cannot see. */
const ASK_MS = 4000;

export interface BoardHooks {
  /** The editor's program, or null while the editor loads. */
  code(): string | null;
  /** The name a downloaded program gets. */
  fileName(): string;
  /** The name of the file last opened, or ''. */
  openedName(): string;
  markError(line: number | null): void;
}

let hooks: BoardHooks;
let open: OpenPort | null = null;
let board: BoardLink | null = null;
let busy = false;
/** The 0x88 under way between actions, and its timer. */
let asking: Promise<void> | null = null;
let asker: ReturnType<typeof setInterval> | null = null;

function say(text: string, cls = '') {
  const s = $('board-status');
  s.textContent = text;
  s.className = cls;
}

function consoleLine(text: string) {
  const at = Date.now();
  add($('board-console'), () => el('li', `${clock(at)} ${shown(text)}`), MAX_CONSOLE_LINES);
}

/** The stop said last, kept when the board starts the program again, so the student still reads it. */
let stopSaid = '';

/** What the board's program did, as the board sent it (data, never its console line): said, an error's line marked. */
function boardEvent(e: ProgramEvent) {
  if (e.code === 'start') {
    const after = stopSaid;
    stopSaid = '';
    return after ? say(`${after} ${w.runsAgain}`, 'error') : say(w.runs, 'ok');
  }
  if (e.code === 'error') {
    const line = Number(e.facts[0]) || null;
    if (line) hooks.markError(line);
    return say(w.runtimeError(line, shown(e.facts[2] ?? '')), 'error');
  }
  // stop: the firmware stopped it and restarts; stopped: at boot, a stop the board went before saying.
  if (e.code !== 'stop' && e.code !== 'stopped') return;
  const s = stopFacts(e);
  stopSaid = e.code === 'stop' ? w.stopped(s.code, s.count, s.of) : w.restarted(s.code, s.count, s.of);
  say(stopSaid, 'error');
}

/** The board's link: the port opened before, else the one the student picks now (null: none picked). */
async function link(): Promise<BoardLink | null> {
  if (board) return board;
  const serial = webSerial();
  if (!serial) return null;
  let port: Awaited<ReturnType<typeof serial.requestPort>>;
  try {
    port = await serial.requestPort();
  } catch {
    return null; // no port picked
  }
  say(w.opening);
  const o = await openSerial(port);
  const b = new BoardLink(o.link);
  b.onLine = consoleLine;
  b.onEvent = boardEvent;
  open = o;
  board = b;
  o.ended.then(() => {
    if (open !== o) return;
    open = null;
    board = null;
    say(w.portClosed, 'error');
  });
  return b;
}

/** What went wrong, in the student's words where the page has them, else the board's. */
function problem(e: unknown) {
  if (e instanceof ProgramRefused) {
    hooks.markError(refusedLine(e.refusal));
    return say(shown(w.refused(e.refusal)), 'error');
  }
  if (e instanceof BoardError) {
    // Silence from the start, or another firmware: not a board of ours; silence mid-way: unplugged.
    if (e.noAnswer || e.problem?.kind === 'otherFirmware') return say(w.notBoard, 'error');
    if (e.code !== undefined) return say(w.improv[e.code] ?? w.improvOther(e.code), 'error');
    return say(w.noAnswer, 'error');
  }
  // The port could not be opened (another tab or tool has it): the browser's reason.
  say(shown(e instanceof Error ? e.message : String(e)), 'error');
}

/** Runs `act` on the board, one at a time, the buttons off meanwhile. */
async function withBoard(act: (b: BoardLink) => Promise<void>) {
  if (busy) return;
  busy = true;
  const buttons = [$<HTMLButtonElement>('board-send'), $<HTMLButtonElement>('board-clear'), $<HTMLButtonElement>('board-check')];
  for (const b of buttons) b.disabled = true;
  try {
    await asking; // one command at a time on the port
    const b = await link();
    if (!b) return;
    say(w.identifying);
    await identify(b, 'USB');
    await act(b);
    // What the board runs now (safe mode ends with a new program, or none); a board that restarts
    // already is asked again by the timer.
    await askProgram(b).catch(() => {});
    asker ??= setInterval(askBetween, ASK_MS);
  } catch (e) {
    problem(e);
    // A board that does not answer is let go of: the next click picks a port again.
    if (e instanceof BoardError && e.code === undefined) await letGo();
  } finally {
    busy = false;
    for (const b of buttons) b.disabled = false;
  }
}

/** The board's program (0x88): in safe mode, said with why and what to do; else the notice hidden. */
async function askProgram(b: BoardLink): Promise<StoredProgramInfo | null> {
  const p = await storedProgram(b);
  const notice = $('board-safe');
  notice.textContent = p?.safe ? w.safeMode(p.safe.stops, p.safe.code) : '';
  notice.hidden = !p?.safe;
  return p;
}

/** Between the student's actions: the board asked again, quietly (a board restarting does not answer). */
function askBetween() {
  const b = board;
  if (busy || asking || !b) return;
  asking = askProgram(b)
    .then(
      () => {},
      (e) => {
        // An older firmware without 0x88: asked no more (each ask would be a line on its console).
        if (e instanceof BoardError && e.code === UNKNOWN_RPC && asker) {
          clearInterval(asker);
          asker = null;
        }
      },
    )
    .finally(() => {
      asking = null;
    });
}

async function letGo() {
  if (asker) clearInterval(asker);
  asker = null;
  const o = open;
  open = null;
  board = null;
  await o?.close();
}

function programName(): string {
  const opened = hooks.openedName();
  return opened && !nameProblem(opened) ? opened : hooks.fileName();
}

function send() {
  const code = hooks.code();
  if (code === null) return;
  if (!code.trim()) return say(w.empty, 'error');
  const size = utf8Length(code);
  if (size > MAX_PROGRAM_BYTES) return say(w.tooLarge(size, MAX_PROGRAM_BYTES), 'error');
  return withBoard(async (b) => {
    hooks.markError(null);
    stopSaid = '';
    await sendProgram(b, programName(), code, (sent, all) => say(sent < all ? w.sending(Math.floor((100 * sent) / all)) : w.storing));
    say(w.restarting);
  });
}

/** « Que fait ma carte ? »: connects, and says what the board runs (its safe mode in the notice). */
function check() {
  return withBoard(async (b) => {
    const p = await askProgram(b);
    say(p ? (p.safe ? w.safe : w.keeps(shown(p.name))) : w.builtIn, p?.safe ? 'error' : 'ok');
  });
}

function clear() {
  return withBoard(async (b) => {
    say(w.clearing);
    const had = await clearProgram(b);
    hooks.markError(null);
    say(had ? w.cleared : w.nothingToClear, 'ok');
  });
}

/** Without Web Serial: which browsers have it, and the command line to copy. */
function fallback() {
  $('board-buttons').hidden = true;
  $('board-no-serial').hidden = false;
  $('board-why').textContent = window.isSecureContext ? w.noSerial : w.noSerialInsecure;
  const command = $('board-command');
  command.textContent = `mqtt-pair program --port PORT ${hooks.fileName()}`;
  $('board-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(command.textContent ?? '');
    } catch {
      // No clipboard on a plain http page: the line is selected, for Ctrl+C.
      getSelection()?.selectAllChildren(command);
      return say(w.selected);
    }
    say(w.copied);
  });
}

export function startBoardSend(h: BoardHooks) {
  hooks = h;
  for (const e of Array.from(document.querySelectorAll<HTMLElement>('[data-s]'))) e.textContent = w[e.dataset.s as 'title'];
  if (!webSerial()) return fallback();
  $('board-send').addEventListener('click', () => void send());
  $('board-clear').addEventListener('click', () => void clear());
  $('board-check').addEventListener('click', () => void check());
  addEventListener('pagehide', () => void letGo());
}
