// The seed's pair, as the boards, the simulator, the classroom and the pages speak it: ESP#1
// publishes "Hello #N" on <prefix>hello and ESP#2 answers "received" on <prefix>notification.

import type { BoardEvent } from './events';

export const HELLO = 'hello';
export const NOTIFICATION = 'notification';
/** ESP#2's answer to each hello. */
export const REPLY = 'received';

/** `Hello #N` */
export function helloText(n: number): string {
  return `Hello #${n}`;
}

/** N of `Hello #N`, or -1 when `text` is no hello. */
export function helloNumber(text: string): number {
  if (!text.startsWith('Hello #')) return -1;
  const n = text.slice(7);
  return /^\d{1,15}$/.test(n) ? Number(n) : -1;
}

/**
 * What a message on the pair's topics means for the pair, as the board's event (the simulator's
 * check counts them: tools/classroom/pair-check.ts): a hello or a reply sent, or, `received`, the
 * reply ESP#1 got. `topic` is under the board's prefix; null for any other message.
 */
export function pairFact(topic: string, message: string | Uint8Array, received = false): BoardEvent | null {
  if (typeof message !== 'string') return null;
  if (topic === NOTIFICATION && message === REPLY) return received ? { type: 'answered' } : { type: 'reply' };
  if (topic === HELLO && !received) {
    const n = helloNumber(message);
    if (n >= 0) return { type: 'hello', n };
  }
  return null;
}

/** `<prefix>board/<role>`: what a board runs, retained, said at each connection (board.ts): JSON
 *  `{"role":"hello"}`, or `{"role":"hello","program":"esp1.js","hash":"1a2b3c4d"}` for a student's
 *  program (`role` is then what it plays without it). Facts, no words: tools/classroom/ reads them. */
export const RUNS = 'board/';
