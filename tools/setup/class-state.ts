// Which board took which student, kept beside the roster (classe.txt → classe.txt.boards.json) so that
// the next board plugged in gets the next student, from one run of `mqtt-pair setup` to the next,
// and a board plugged in again keeps its student and its client id. Delete the file to start the
// class again.
//
// Keyed by student name and board (ESP#1, ESP#2), not by roster line: a line added at the top of
// the roster moves no board to another student. Two `setup --port` at once (two boards, two
// terminals) take the file in turn: an exclusive lock file (made with `wx`), then the file read
// again, the next free student taken and written, all before the board is set up; the second run
// sees the first one's student taken. The old format (by slot index) is read, rewritten by name,
// and kept beside as .v1.

import { copyFileSync, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import { printable } from '../../src/apps/text';
import { type Assignments, type Slot, nameLook, randomClientId, slotFor } from './class-roster';
import { SetupError } from './problem';

/** One board of a student: the board's name (its Improv device name, mqtt-pair-9d2c) and the client id it was given. */
export interface BoardRecord {
  board: string;
  clientId: string;
}

/** The file's content: by student name, then by board (`esp1`, `esp2`). */
export type ClassState = Record<string, Partial<Record<'esp1' | 'esp2', BoardRecord>>>;

/** How long a run waits for another one's lock; a lock this old was left by a run that died. */
const LOCK_WAIT_MS = 10_000;

export function stateFile(roster: string): string {
  return `${roster}.boards.json`;
}

/** The state file, read; migrated from the old format when it is one (written back at the next save). */
function readFile(file: string, slots: readonly Slot[]): { state: ClassState; old: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No prototype: a student may be called __proto__ or constructor.
    return { state: Object.create(null), old: false };
  }
  const bad = () => new SetupError({ code: 'badState', file });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad();
  }
  if (!json || typeof json !== 'object') throw bad();
  const { version, students, boards } = json as { version?: unknown; students?: unknown; boards?: unknown };
  const state: ClassState = Object.create(null); // a student may be called __proto__
  if (version === 2 && students && typeof students === 'object') {
    for (const [name, espRecords] of Object.entries(students as Record<string, unknown>)) {
      if (!espRecords || typeof espRecords !== 'object') throw bad();
      for (const esp of ['esp1', 'esp2'] as const) {
        const r = (espRecords as Record<string, unknown>)[esp] as Partial<BoardRecord> | undefined;
        if (r === undefined) continue;
        if (typeof r?.board !== 'string' || typeof r.clientId !== 'string') throw bad();
        (state[name] ??= {})[esp] = { board: r.board, clientId: r.clientId };
      }
    }
    return { state, old: false };
  }
  // The old format: { boards: { "0": "mqtt-pair-9d2c" } }, by the roster's slot index. Its client ids
  // were the guessable alice-esp1: the boards get a new one when set up again.
  if (version === undefined && boards && typeof boards === 'object') {
    for (const [k, b] of Object.entries(boards as Record<string, unknown>)) {
      const slot = /^\d+$/.test(k) ? slots[Number(k)] : undefined;
      if (typeof b !== 'string') throw bad();
      if (slot) (state[slot.name] ??= {})[`esp${slot.esp}`] = { board: b, clientId: slot.clientId };
    }
    return { state, old: true };
  }
  throw bad();
}

/** Written whole then renamed: a run stopped halfway never leaves half a file. The old format is
 *  kept as .v1 first; returns that copy's path when this write made it. */
function writeFile(file: string, state: ClassState, old: boolean): string | undefined {
  let kept: string | undefined;
  if (old && !existsSync(`${file}.v1`)) {
    kept = `${file}.v1`;
    copyFileSync(file, kept);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 2, students: state }, null, 2)}\n`);
  renameSync(tmp, file);
  return kept;
}

/**
 * A state file of the old format (by slot index) rewritten by student name at once, the old one
 * kept beside: returns the old one's path when it did (for the command to say so), else nothing.
 */
export function migrateClass(roster: string, slots: Slot[]): string | undefined {
  const file = stateFile(roster);
  return withLock(file, () => {
    const { state, old } = readFile(file, slots);
    return old ? writeFile(file, state, old) : undefined;
  });
}

/** Which slot each board holds (by slot index, as the set-up page's server keeps it), and each taken slot's client id put in its Slot. */
export function applyState(state: ClassState, slots: Slot[]): Assignments {
  const taken: Assignments = {};
  for (const s of slots) {
    const r = state[s.name]?.[`esp${s.esp}`];
    if (!r) continue;
    taken[String(s.index)] = r.board;
    s.clientId = r.clientId;
  }
  return taken;
}

/** Sleeps without giving the event loop a turn: the lock is held for a few milliseconds only. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether the process that wrote a lock is gone (this computer's processes only). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Runs `fn` holding `<file>.lock` (created with `wx`: one holder at a time). A lock whose process
 * has gone, or older than LOCK_WAIT_MS, is stale and removed; after LOCK_WAIT_MS of waiting, a
 * SetupError saying which file to delete.
 */
export function withLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const start = Date.now();
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, `${process.pid} ${Date.now()}\n`);
        closeSync(fd);
        return fn();
      } finally {
        try {
          unlinkSync(lock);
        } catch {
          /* removed by a run that judged it stale: nothing more to release */
        }
      }
    }
    let held = '';
    try {
      held = readFileSync(lock, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const [pid, since] = held.split(' ').map(Number);
    // A lock half written (no time yet) is fresh: its writer is between open and write.
    const stale = (pid > 0 && gone(pid)) || (since > 0 && Date.now() - since > LOCK_WAIT_MS);
    if (stale) {
      // Removed only if it is still the same lock: another run may have replaced it meanwhile.
      try {
        if (readFileSync(lock, 'utf8') === held) unlinkSync(lock);
      } catch {
        /* gone already */
      }
      continue;
    }
    if (Date.now() - start > LOCK_WAIT_MS) throw new SetupError({ code: 'locked', lock, seconds: Math.round((Date.now() - start) / 1000) });
    pause(20 + Math.floor(Math.random() * 30));
  }
}

/** The class as the state file holds it now: which slot each board holds, client ids put in `slots`. */
export function readClass(roster: string, slots: Slot[]): Assignments {
  return applyState(readFile(stateFile(roster), slots).state, slots);
}

/**
 * Takes the slot for `board` (its own again, else the next free one), under the lock and from the
 * file as it is now, and writes it before the board is set up: two runs at once never get the same
 * student. Returns the slot (with the client id kept for it) and the class as it is now; no slot
 * when the class is full.
 */
export function claimSlot(
  roster: string,
  slots: Slot[],
  board: string,
  /** Slots to take first, when free (`--replace`: the student whose board this one replaces). */
  wanted: readonly Slot[] = [],
): { slot: Slot | undefined; taken: Assignments; fresh: boolean } {
  const file = stateFile(roster);
  return withLock(file, () => {
    const { state, old } = readFile(file, slots);
    const taken = applyState(state, slots);
    const slot = wanted.find((s) => !taken[String(s.index)] || taken[String(s.index)] === board) ?? slotFor(slots, taken, board);
    if (!slot) return { slot, taken, fresh: false };
    const fresh = taken[String(slot.index)] !== board;
    // The board leaves any other student it had (a roster changed since): one board, one student.
    for (const s of slots) if (taken[String(s.index)] === board && s !== slot) delete state[s.name]?.[`esp${s.esp}`];
    (state[slot.name] ??= {})[`esp${slot.esp}`] = { board, clientId: slot.clientId };
    taken[String(slot.index)] = board;
    writeFile(file, state, old);
    return { slot, taken, fresh };
  });
}

/** Gives back a slot claimed for `board` whose set-up failed before the board was started: the next board gets the student. */
export function releaseSlot(roster: string, slots: Slot[], slot: Slot, board: string): void {
  const file = stateFile(roster);
  withLock(file, () => {
    const { state, old } = readFile(file, slots);
    const mine = state[slot.name]?.[`esp${slot.esp}`];
    if (mine?.board !== board) return;
    delete state[slot.name]?.[`esp${slot.esp}`];
    if (!Object.keys(state[slot.name] ?? {}).length) delete state[slot.name];
    writeFile(file, state, old);
  });
}

/**
 * `--replace NAME`: forgets the boards of the student named `name` (case and look-alikes aside, as
 * the roster tells names apart), so that the next board plugged in takes the student, with a new
 * client id (the old board, should it come back, is no longer that student). Only that student's
 * records change. Returns the student's slots (as the roster spells the name) and the boards
 * forgotten; a SetupError, nothing written, when no line of the roster holds the name.
 */
export function replaceStudent(roster: string, slots: Slot[], name: string): { slots: Slot[]; boards: string[] } {
  const mine = slots.filter((s) => nameLook(s.name) === nameLook(name));
  if (!mine.length) throw new SetupError({ code: 'notOnRoster', name: printable(name), roster });
  const file = stateFile(roster);
  return withLock(file, () => {
    const { state, old } = readFile(file, slots);
    const records = state[mine[0].name];
    const boards = records ? (['esp1', 'esp2'] as const).flatMap((esp) => (records[esp] ? [records[esp].board] : [])) : [];
    if (records) {
      delete state[mine[0].name];
      writeFile(file, state, old);
    }
    for (const s of mine) s.clientId = randomClientId(s.name, s.esp);
    return { slots: mine, boards };
  });
}

/**
 * The set-up page's save (its server keeps the class by slot index): merged into the file as it
 * is now, under the lock. A student another run gave a board to meanwhile keeps it; `taken` is
 * brought in line with the file, so the page shows what the file holds.
 */
export function saveClass(roster: string, slots: Slot[], taken: Assignments): void {
  const file = stateFile(roster);
  withLock(file, () => {
    const { state, old } = readFile(file, slots);
    for (const [k, board] of Object.entries(taken)) {
      const slot = slots[Number(k)];
      if (!slot) continue;
      const mine = state[slot.name]?.[`esp${slot.esp}`];
      if (mine && mine.board !== board) continue; // taken by another run first
      (state[slot.name] ??= {})[`esp${slot.esp}`] = { board, clientId: slot.clientId };
    }
    writeFile(file, state, old);
    const now = applyState(state, slots);
    for (const k of Object.keys(taken)) if (!(k in now)) delete taken[k];
    Object.assign(taken, now);
  });
}
