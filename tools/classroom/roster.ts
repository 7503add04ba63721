// The class list (--roster): one pair a line, `#` starts a comment. A line names the pair's
// students, one or two first names (`alice bob`, as `mqtt-pair setup --roster` reads the same
// file); the first one is the pair's prefix under the class (`alice` → `LycMaurois/SNT_2nde/alice/`).
// A line with a `/` is a whole prefix already. Pure: the command reads the file.

import { nameLevel } from '../../src/apps/chat';

/** At most this many names: a class, not a directory. */
export const MAX_ROSTER = 1000;

/** The prefixes of a roster's text, each once, in order; an Error saying which line is wrong. */
export function parseRoster(text: string, group: string | undefined): string[] {
  const prefixes: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const words = raw.replace(/#.*$/, '').trim().split(/\s+/);
    const line = words[0];
    if (!line) return;
    if (words.length > 2) throw new Error(`line ${i + 1} ('${words.join(' ')}'): write one pair a line, one or two first names`);
    if (/[+#\0]/.test(line)) throw new Error(`line ${i + 1} ('${line}') holds + or #: write one pair a line`);
    if (line.includes('/')) {
      prefixes.push(line.replace(/\/*$/, '/'));
      return;
    }
    if (group === undefined) throw new Error(`'${line}' needs --school and --class to make its prefix (or write it whole, e.g. LycMaurois/SNT_2nde/${line})`);
    // The name in lower case, as the boards' topics hold it (nameLevel): « Karim » is karim's pair.
    prefixes.push(`${group}/${nameLevel(line)}/`);
  });
  if (!prefixes.length) throw new Error('it has no name: write one pair a line, e.g. alice bob');
  if (prefixes.length > MAX_ROSTER) throw new Error(`it has ${prefixes.length} names, ${MAX_ROSTER} at most`);
  return [...new Set(prefixes)];
}
