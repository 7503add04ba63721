// What each board of a pair runs, as it says it (src/apps/board.ts): retained JSON on
// `<prefix>board/<role>`, a built-in role or a student's program (its name and hash). Read
// defensively: text from the network, bounded, printable; what a board does not say (an older
// firmware says nothing) is simply absent. Pure: topics and texts in, facts out.

import { RUNS } from '../../src/apps/pair-protocol';
import { printable } from '../../src/apps/text';

/** One board's run: the role it plays (without a program), and the program it runs instead, if any. */
export interface BoardRun {
  /** `hello`, `responder`, `sensor`… (the slot: one board of a pair per role). */
  role: string;
  /** The program's name (its file's), when it runs one. */
  program?: string;
  /** FNV-1a of the program's UTF-8 bytes, 8 hex digits. */
  hash?: string;
}

/** A status longer than this is no board's: ignored. */
const MAX_TEXT = 256;
/** A program's name is shown cut to this many characters (a board keeps 32 bytes). */
const MAX_NAME = 32;
/** Roles kept per pair: a pair has two boards, a class may add a sensor or a remote. */
const MAX_SLOTS = 4;
const ROLE = /^[a-z]{1,16}$/;

/** The pair's prefix and the board's role for a `<prefix>board/<role>` topic, else null. */
export function runTopic(topic: string): { prefix: string; role: string } | null {
  const slash = topic.lastIndexOf('/');
  const role = topic.slice(slash + 1);
  const head = topic.slice(0, slash + 1);
  if (slash < 0 || !ROLE.test(role) || !head.endsWith(RUNS)) return null;
  const prefix = head.slice(0, -RUNS.length);
  return prefix === '' || prefix.endsWith('/') ? { prefix, role } : null;
}

/** A board's status as facts, or null when it is none (empty: the retained status cleared). */
export function parseRun(role: string, text: string): BoardRun | null {
  if (!text || text.length > MAX_TEXT) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const run: BoardRun = { role };
  if (typeof o.program === 'string' && o.program) {
    const name = printable(o.program.trim());
    run.program = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
    if (typeof o.hash === 'string' && /^[0-9a-f]{8}$/.test(o.hash)) run.hash = o.hash;
  }
  return run;
}

/** The runs the boards said, by prefix, at most `max` prefixes (retained ones come before their pairs). */
export class BoardRuns {
  private readonly byPrefix = new Map<string, BoardRun[]>();

  constructor(private readonly max: number) {}

  /** A message on `topic`: true when it was a board's status (recorded, or its prefix one too many). */
  message(topic: string, text: string): boolean {
    const t = runTopic(topic);
    if (!t) return false;
    const run = parseRun(t.role, text);
    const runs = (this.byPrefix.get(t.prefix) ?? []).filter((r) => r.role !== t.role);
    if (run && runs.length < MAX_SLOTS) runs.push(run);
    runs.sort((a, b) => order(a.role) - order(b.role) || (a.role < b.role ? -1 : 1));
    if (runs.length) {
      if (this.byPrefix.has(t.prefix) || this.byPrefix.size < this.max) this.byPrefix.set(t.prefix, runs);
    } else this.byPrefix.delete(t.prefix);
    return true;
  }

  /** What the boards under `prefix` said they run, ESP#1 first; undefined when none said. */
  of(prefix: string): BoardRun[] | undefined {
    return this.byPrefix.get(prefix);
  }
}

/** ESP#1, ESP#2, then the other roles by name. */
function order(role: string): number {
  return role === 'hello' ? 0 : role === 'responder' ? 1 : 2;
}
