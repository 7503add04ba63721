// The class list (--roster): one first name a line, `#` starts a comment. Each name becomes a pair's
// prefix under the class (`alice` → `LycMaurois/SNT_2nde/alice/`); a line with a `/` is a whole
// prefix already. Pure: the command reads the file.

/** At most this many names: a class, not a directory. */
export const MAX_ROSTER = 1000;

/** The prefixes of a roster's text, each once, in order; an Error saying which line is wrong. */
export function parseRoster(text: string, group: string | undefined): string[] {
  const prefixes: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    if (/[+#\0]/.test(line)) throw new Error(`line ${i + 1} ('${line}') holds + or #: write one first name a line`);
    if (line.includes('/')) {
      prefixes.push(line.replace(/\/*$/, '/'));
      return;
    }
    if (group === undefined) throw new Error(`'${line}' needs --school and --class to make its prefix (or write it whole, e.g. LycMaurois/SNT_2nde/${line})`);
    prefixes.push(`${group}/${line}/`);
  });
  if (!prefixes.length) throw new Error('it has no name: write one first name a line');
  if (prefixes.length > MAX_ROSTER) throw new Error(`it has ${prefixes.length} names, ${MAX_ROSTER} at most`);
  return [...new Set(prefixes)];
}
