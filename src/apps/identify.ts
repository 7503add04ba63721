// « Identifier »: the board blinks its LED (where its host has one: Host.led) and says so on its
// console for a few seconds, so that a teacher finds « alice ESP#1 » among thirty boards. Asked
// over USB (our Improv command IDENTIFY, docs/improv.md) or over MQTT on <prefix>identify from the
// teacher's pages. Anyone who may publish there could ask too, so a board takes one ask every
// IDENTIFY_EVERY and ignores the others (docs/improv.md says how a broker's ACL keeps the topic
// the teacher's).

import type { Host, TimerHandle } from '../host';

/** How long the LED blinks. */
export const IDENTIFY_MS = 5000;
/** The shortest time between two blinkings a board takes (from the start of the last one). */
export const IDENTIFY_EVERY = 15000;
/** Half a blink. */
const STEP = 250;

/** The blinking of one board: started by start(), it stops by itself (a timer, no closure). */
export class Identify {
  private timer: TimerHandle | null = null;
  private steps = 0;
  private since = -IDENTIFY_EVERY;
  private refused = false;

  constructor(private readonly host: Host) {}

  /** Starts the blinking, unless one started less than IDENTIFY_EVERY ago (said once): false then. */
  start(asked: string): boolean {
    const host = this.host,
      now = host.now();
    if (now - this.since < IDENTIFY_EVERY) {
      if (!this.refused) host.log(`Identify: asked ${asked} again too soon, ignored (one every ${IDENTIFY_EVERY / 1000} s)`);
      this.refused = true;
      return false;
    }
    this.since = now;
    this.refused = false;
    this.steps = 0;
    host.log(`Identify: this board blinks its LED for ${IDENTIFY_MS / 1000} s (asked ${asked})${host.led ? '' : ' (no LED on this board: this line only)'}`);
    this.fire();
    return true;
  }

  fire(): void {
    const host = this.host;
    const on = this.steps % 2 === 0 && this.steps < IDENTIFY_MS / STEP;
    host.led?.(on);
    if (this.steps++ >= IDENTIFY_MS / STEP) {
      this.timer = null;
      host.log('Identify: done');
      return;
    }
    this.timer = host.after(STEP, this);
  }

  stop(): void {
    if (this.timer === null) return;
    this.host.cancel(this.timer);
    this.timer = null;
    this.host.led?.(false);
  }
}
