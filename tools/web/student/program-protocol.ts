// What the students' page and its program Worker (program-worker.ts) tell each other, and the
// limits both hold to. Only strings, numbers and booleans cross: never a function or an object of
// the program's.

/** Publications a second, on the page's connection (the class's broker is shared). */
export const PUBLISH_PER_SECOND = 10;
/** Console lines a second; beyond, they are counted, not shown. */
export const PRINT_PER_SECOND = 20;
/** A console line's length, in characters. */
export const PRINT_MAX = 1000;
/** Without a heartbeat from the Worker this long, the program is stopped. */
export const RUNAWAY_SECONDS = 3;
/** Messages a second given to the program. */
export const INCOMING_PER_SECOND = 50;
/** A published message, in KB. */
export const MESSAGE_MAX_KB = 16;
/** A program's source, in KB. */
export const PROGRAM_MAX_KB = 32;
export const MAX_SUBSCRIPTIONS = 20;
export const MAX_TIMERS = 50;
/** The shortest `every`, in ms. */
export const MIN_EVERY = 50;

export type ToWorker =
  | { t: 'run'; code: string; name: string; peer: string; prefix: string; lang: 'fr' | 'en'; up: boolean; button: boolean }
  | { t: 'msg'; filter: string; topic: string; message: string | Uint8Array }
  | { t: 'button'; on: boolean }
  | { t: 'state'; up: boolean };

export type FromWorker =
  | { t: 'beat' }
  | { t: 'print'; text: string }
  | { t: 'pub'; topic: string; message: string; qos: 0 | 1 | 2; retain: boolean }
  | { t: 'sub'; filter: string; qos: 0 | 1 | 2 }
  | { t: 'unsub'; filter: string }
  | { t: 'led'; on: boolean }
  /** board.colour: the page's LED in that colour (0xRRGGBB; black is off). */
  | { t: 'colour'; rgb: number }
  | { t: 'error'; message: string; syntax: boolean; line: number | null }
  | { t: 'cut'; what: 'print' | 'publish'; n: number };

/** A token bucket: `take()` is true while the rate allows, else counts what was refused. */
export class Bucket {
  private tokens: number;
  private at: number;
  refused = 0;
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = perSecond;
    this.at = now();
  }
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.refused++;
    return false;
  }
}
