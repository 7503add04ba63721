// The host's clock and timers over the SDK's `time` and `timer`: milliseconds that only go
// forward, and one SDK timer per after() with its target in a property (a field costs the board
// less than a closure: hosts/moddable/host.ts).
//
// Clock is the first of the classes the host is made of (Clock, then Station, then ModdableHost):
// one object in the end, whose fields each class declares beside the code that uses them.

import Timer from 'timer';
import Time from 'time';
import { fire, type Firing, type TimerHandle } from '../../src/host';
import { describe, logLine } from './log';

type HostTimer = Timer & { target?: Firing };

function onTimer(timer: HostTimer): void {
  const target = timer.target;
  timer.target = undefined; // fired: cancel() leaves it alone (the SDK forgets a one-shot timer once it returns)
  if (target)
    try {
      fire(target);
    } catch (e) {
      logLine(`Internal error in timer: ${describe(e)}`);
    }
}

export class Clock {
  // Plain fields, not #private: the board's host delegates to this one (Object.create), and a
  // private field is not reachable through a prototype.
  ticks = Time.ticks;
  total = 0;

  /**
   * Milliseconds that only go forward. `Time.ticks` is a millisecond counter (not the time of day,
   * so SNTP cannot move it) but it is 32 bits wide on the boards and wraps after 24 or 49 days;
   * summing the steps between two readings hides the wrap.
   */
  now(): number {
    const t = Time.ticks;
    let step = t - this.ticks;
    if (step < 0) {
      step += 4294967296; // a 32-bit wrap, signed or unsigned
      if (step > 86400000) step = 0; // not a wrap: the counter went back; stand still
    }
    this.ticks = t;
    return (this.total += step);
  }

  after(ms: number, target: Firing): TimerHandle {
    const timer = Timer.set(onTimer as (t: Timer) => void, Math.max(0, Math.ceil(ms))) as HostTimer;
    timer.target = target;
    return timer;
  }

  cancel(handle: TimerHandle): void {
    const timer = handle as HostTimer;
    if (!timer.target) return;
    timer.target = undefined;
    Timer.clear(timer);
  }
}
