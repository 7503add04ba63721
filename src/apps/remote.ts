// Seeds 000 and 001: a remote control and what it drives. The remote publishes commands on
// <prefix>remote/command: up, down, left, right (the arrow keys) or a colour name. The actuator
// listens there and shows a colour: an arrow picks one (up green, down red, left yellow, right
// blue), a colour name shows that colour. Both are programs on the students' API
// (builtin/remote.js, builtin/actuator.js); the colours are here, for the firmware's
// board.colour (builtin/api.ts, src/program/program.ts) and the students' page.

/** The colours an actuator knows, as 0xRRGGBB; `off` is black (LED off). */
export const COLOURS: Record<string, number> = {
  red: 0xff0000,
  green: 0x00ff00,
  blue: 0x0000ff,
  yellow: 0xffff00,
  cyan: 0x00ffff,
  magenta: 0xff00ff,
  white: 0xffffff,
  off: 0x000000,
};

/** What each arrow shows. */
export const ARROWS: Record<string, string> = { up: 'green', down: 'red', left: 'yellow', right: 'blue' };

/** The colour a command shows (case and spaces aside), or undefined for no command. */
export function colourOf(command: string): string | undefined {
  const c = command.trim().toLowerCase();
  const name = Object.hasOwn(ARROWS, c) ? ARROWS[c] : c;
  return Object.hasOwn(COLOURS, name) ? name : undefined;
}
