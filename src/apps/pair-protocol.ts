// The seed's pair, as the boards, the simulator, the classroom and the pages speak it: ESP#1
// publishes "Hello #N" on <prefix>hello and ESP#2 answers "received" on <prefix>notification.

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

/** `<prefix>board/<role>`: what a board runs, retained, said at each connection (board.ts): JSON
 *  `{"role":"hello"}`, or `{"role":"hello","program":"esp1.js","hash":"1a2b3c4d"}` for a student's
 *  program (`role` is then what it plays without it). Facts, no words: tools/classroom/ reads them. */
export const RUNS = 'board/';
