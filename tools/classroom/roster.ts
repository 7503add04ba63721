// The class list (--roster): one pair a line, `#` starts a comment. A line names the pair's
// students, one or two first names (`alice bob`, as `mqtt-pair setup --roster` reads the same
// file); the first one is the pair's prefix under the class (`alice` → `LycMaurois/SNT_2nde/alice/`).
// A line with a `/` is a whole prefix already. Pure: the command reads the file.

import { nameLevel } from '../../src/apps/chat';
import { UsageError } from '../usage-error';

/** What is wrong with a roster, as a code and its facts (its line: tools/words/cli.ts, setupLine,
 *  with the words of setup's own roster where they are the same). */
export type RosterProblem =
  /** A line with more than two names. */
  | { code: 'onePairALine'; line: number; shown: string }
  /** A line with a + (or a NUL) in it: no topic level. */
  | { code: 'notATopic'; line: number; shown: string }
  /** A first name without --school and --class to put it under. */
  | { code: 'needsClass'; name: string }
  | { code: 'noName' }
  | { code: 'tooManyPairs'; pairs: number; max: number };

/** A RosterProblem thrown: a UsageError whose line the command makes from `problem`. */
export class RosterError extends UsageError {
  constructor(readonly problem: RosterProblem) {
    super(problem.code);
    this.name = 'RosterError';
  }
}

/** At most this many names: a class, not a directory. */
export const MAX_ROSTER = 1000;

/** The prefixes of a roster's text, each once, in order; a RosterError saying which line is wrong
 *  (its line: tools/words/cli.ts, setupLine). */
export function parseRoster(text: string, group: string | undefined): string[] {
  const prefixes: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const words = raw.replace(/#.*$/, '').trim().split(/\s+/);
    const line = words[0];
    if (!line) return;
    if (words.length > 2) throw new RosterError({ code: 'onePairALine', line: i + 1, shown: words.join(' ') });
    // (A '#' started a comment: only + and NUL are left to refuse.)
    if (/[+#\0]/.test(line)) throw new RosterError({ code: 'notATopic', line: i + 1, shown: line });
    if (line.includes('/')) {
      prefixes.push(line.replace(/\/*$/, '/'));
      return;
    }
    if (group === undefined) throw new RosterError({ code: 'needsClass', name: line });
    // The name in lower case, as the boards' topics hold it (nameLevel): « Karim » is karim's pair.
    prefixes.push(`${group}/${nameLevel(line)}/`);
  });
  if (!prefixes.length) throw new RosterError({ code: 'noName' });
  if (prefixes.length > MAX_ROSTER) throw new RosterError({ code: 'tooManyPairs', pairs: prefixes.length, max: MAX_ROSTER });
  return [...new Set(prefixes)];
}
