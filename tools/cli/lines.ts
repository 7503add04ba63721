// How every command speaks of a problem: ONE line on stderr, `mqtt-pair <cmd>: ` first, saying
// what is wrong and how to fix it (never a stack trace), what came from the network in it escaped.

import { printable } from '../../src/apps/text';

/** One line on stderr. What came from the network in it (a topic, a reason) cannot drive the terminal. */
export function errorLine(prefix: string, message: string): void {
  process.stderr.write(`${prefix}: ${printable(message.replace(/\s*\n\s*/g, ' '))}\n`);
}

/** One line on stderr, then the exit code 1 (or `code`). */
export function fail(prefix: string, message: string, code = 1): number {
  errorLine(prefix, message);
  return code;
}
