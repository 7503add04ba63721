// The firmware in the real XS engine (hosts/xsnap/runner.mjs), for the tests: whether they can run,
// and boards that stop when the test ends. Without the xsnap binary (npm ci builds it: needs make
// and cc) the tests skip with the reason, except under CI (env CI set), where they fail.
import { xsnapWorker, startXsBoard } from '../../hosts/xsnap/runner.mjs';
import { needs } from './needs.mjs';

const xs = xsnapWorker();
const inCI = !!process.env.CI && !/^(0|false|no)$/i.test(process.env.CI);

/** False when the tests can run; else why they skip. In CI a missing engine is a failure, not a skip. */
export function xsSkip() {
  if (xs.path || inCI) return false;
  return needs('the XS engine', xs.reason);
}

/** Fails the test (in CI) when the engine is missing. */
export function assertXs() {
  if (!xs.path) throw new Error(`CI=${process.env.CI} but ${xs.reason}`);
}

/** The simulated WiFi of the Node simulator, for a board in XS: its lines are then the same from power-up. */
export const SIMULATED = [{ ssid: 'simulated', password: '' }];

/**
 * A board in XS (startXsBoard's options), stopped when test `t` ends; a restart it asks for is
 * kept in `restarts` (and said in `lines`), as a board that cannot reset itself would say it.
 */
export async function xsBoardFor(t, options) {
  const restarts = [];
  const b = await startXsBoard({ restart: (why) => restarts.push(why), ...options });
  t.after(() => b.stop());
  return Object.assign(b, { restarts });
}
