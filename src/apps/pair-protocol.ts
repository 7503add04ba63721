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
