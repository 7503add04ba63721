// Text from the network on a console: what a publisher sends must not drive the terminal.

/**
 * `s` fit for one console line: control characters (C0 but tab, DEL, C1), the line and paragraph
 * separators and the bidirectional controls are written as \xNN or \uNNNN, so a message cannot
 * move the cursor, clear the screen, set the window title, fake a second line or reverse the text.
 */
export function printable(s: string): string {
  let out = '',
    from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (
      (c < 0x20 && c !== 9) ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x061c ||
      c === 0x200e ||
      c === 0x200f ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069)
    ) {
      out += s.slice(from, i) + (c < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);
      from = i + 1;
    }
  }
  return from ? out + s.slice(from) : s;
}

function hex(c: number, digits: number): string {
  let h = c.toString(16);
  while (h.length < digits) h = `0${h}`;
  return h;
}
