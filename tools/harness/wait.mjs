// How the tests wait: for an event or a condition, never for a time that stands for "long enough".
// A limit is only a safety net for a test that would hang: LIMIT is far above the work on a slow,
// busy machine (2 shared CPUs, the whole suite running beside), so no test depends on its speed.
// TEST_LIMIT_MS changes it (a larger one on an even slower machine, a smaller one to find a hang).

/** How long anything a test waits for may take before the test gives up, in ms. */
export const LIMIT = Number(process.env.TEST_LIMIT_MS) || 180_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `pred` every 10 ms (it may be async) until it returns something truthy, and returns that.
 * Fails after `ms` with `what` (a string, or a function that says what was seen instead).
 */
export async function until(pred, what = 'the condition', ms = LIMIT) {
  const t0 = performance.now(); // not Date.now(): some tests set the clock
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (performance.now() - t0 > ms) throw new Error(`no ${typeof what === 'function' ? what() : what} within ${ms} ms`);
    await sleep(10);
  }
}

/**
 * The `nth` line (1: the first) of `lines`, an array that grows as a program prints, matching `re`
 * from index `after`. For a SimBoard, pass `board.lines`.
 */
export function lineIn(lines, re, { ms = LIMIT, nth = 1, after = 0, what } = {}) {
  return until(
    () => {
      let n = 0;
      for (let i = after; i < lines.length; i++) if (re.test(lines[i]) && ++n === nth) return lines[i];
      return undefined;
    },
    () => `${nth > 1 ? `${nth} lines` : 'line'} matching ${re}${what ? ` (${what})` : ''} in:\n${lines.slice(-40).join('\n')}`,
    ms,
  );
}
