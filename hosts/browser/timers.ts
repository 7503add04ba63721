// Timers that a hidden tab does not throttle. Chrome runs a hidden page's own timers at most once
// a second, and once a minute after five minutes hidden ("intensive wake-up throttling"), while a
// broker drops a client silent for 1.5 keepalives (30 s for the students' page's 20 s): a student
// who switches tabs would go offline and fire their will. A dedicated Worker's timers are not
// throttled so, and its messages wake the page: the keepalive and every other client timer run
// there. The worker's script is TIMER_WORKER_JS (timer-worker.ts), served by the page's own server (the CSP runs no
// script from elsewhere, nor from a blob). Where a Worker cannot start, the page's own timers serve.

import { fire, type Firing, type TimerHandle } from '../../src/host';

export interface Timers {
  after(ms: number, target: Firing): TimerHandle;
  cancel(handle: TimerHandle): void;
  /** 'worker' when the timers run in the worker, 'page' when they fell back to the page's own. */
  readonly kind: 'worker' | 'page';
}

/** The page's own timers. */
export function pageTimers(): Timers {
  return {
    kind: 'page',
    after: (ms, target) => ({ t: setTimeout(() => fire(target), ms) }),
    cancel: (handle) => clearTimeout((handle as { t: ReturnType<typeof setTimeout> }).t),
  };
}

/** Timers run by a dedicated Worker loaded from `url`; the page's own when it cannot start. */
export function workerTimers(url: string): Timers {
  let worker: Worker;
  try {
    worker = new Worker(url);
  } catch {
    return pageTimers();
  }
  const due = new Map<number, Firing>();
  let next = 1;
  const fallback = pageTimers();
  let failed = false;
  worker.onmessage = (e: MessageEvent<number>) => {
    const target = due.get(e.data);
    if (!target) return;
    due.delete(e.data);
    fire(target);
  };
  // The script did not load (an old server): what is waiting moves to the page's own timers.
  worker.onerror = () => {
    failed = true;
    worker.terminate();
    for (const [, target] of due) fallback.after(0, target);
    due.clear();
  };
  return {
    get kind() {
      return failed ? 'page' : 'worker';
    },
    after(ms, target) {
      if (failed) return fallback.after(ms, target);
      const id = next++;
      due.set(id, target);
      worker.postMessage([id, Math.max(0, ms)]);
      return { w: id };
    },
    cancel(handle) {
      const h = handle as { w?: number };
      if (h.w === undefined) return fallback.cancel(handle);
      if (due.delete(h.w)) worker.postMessage([h.w]);
    },
  };
}
