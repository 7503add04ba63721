// Which board took which student, kept beside the roster (names.txt → names.txt.boards.json) so that
// the next board plugged in gets the next student, from one run of `mqtt-pair setup` to the next,
// and a board plugged in again keeps its student. Delete the file to start the class again.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UsageError } from '../usage-error';
import type { Assignments } from './class-roster';

export function stateFile(roster: string): string {
  return `${roster}.boards.json`;
}

export function readAssignments(roster: string): Assignments {
  const file = stateFile(roster);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const json = JSON.parse(text) as { boards?: unknown };
    const boards = json.boards;
    if (!boards || typeof boards !== 'object') throw new Error('no boards');
    const out: Assignments = {};
    for (const [k, v] of Object.entries(boards as Record<string, unknown>)) if (/^\d+$/.test(k) && typeof v === 'string') out[k] = v;
    return out;
  } catch {
    throw new UsageError(`${file} is not what mqtt-pair setup wrote: delete it to start the class again`);
  }
}

/** Written whole then renamed: a run stopped halfway never leaves half a file. */
export function writeAssignments(roster: string, boards: Assignments): void {
  const file = stateFile(roster);
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ boards }, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
