// What of Mosquitto is installed, and whether a test can run without it: the broker's binary,
// its command-line tools, its dynamic security plugin, any executable in PATH or the sbin folders.
//
// Where Mosquitto is missing, tests that need it skip with a visible reason, unless
// REQUIRE_MOSQUITTO=1, where they fail instead. MOSQUITTO=/path/to/mosquitto picks the binary
// (MOSQUITTO=/nonexistent shows what happens without one):
//
//   describe('against mosquitto', { skip: mosquittoSkip() }, () => { ... })
//   test('x', (t) => { if (!needMosquitto(t)) return; ... })
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const required = () => process.env.REQUIRE_MOSQUITTO === '1';

/** The path of an executable found in PATH or /usr/sbin, /usr/local/sbin, /sbin; or null. */
export function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** The mosquitto binary: env MOSQUITTO when set (a path; a wrong one means "not installed"), else PATH or /usr/sbin. */
export function mosquittoBinary() {
  const forced = process.env.MOSQUITTO;
  if (forced) {
    try {
      accessSync(forced, constants.X_OK);
      return forced;
    } catch {
      return null;
    }
  }
  return findExecutable('mosquitto');
}

/** The path of a Mosquitto command-line tool (mosquitto_pub, mosquitto_sub, mosquitto_passwd, ...); throws when missing. */
export function mosquittoTool(name) {
  const p = findExecutable(name);
  if (!p) throw new Error(`${name} is not installed (apt-get install mosquitto-clients)`);
  return p;
}

/** True when the mosquitto broker binary is installed. */
export function mosquittoAvailable() {
  return mosquittoBinary() !== null;
}

const DYNSEC_PLUGIN = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib', '/usr/lib64'].map((d) =>
  join(d, 'mosquitto_dynamic_security.so'),
);

/** The dynamic security plugin's path, or null. */
export function dynsecPlugin() {
  for (const p of DYNSEC_PLUGIN) {
    try {
      accessSync(p, constants.R_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * For `describe(..., { skip })`: false when the tests can run, else the reason to skip.
 * With REQUIRE_MOSQUITTO=1 it is always false, so the tests run and fail where Mosquitto is missing.
 */
export function mosquittoSkip({ dynsec = false } = {}) {
  if (required()) return false;
  if (!mosquittoAvailable()) return 'needs Mosquitto: mosquitto is not installed (REQUIRE_MOSQUITTO=1 makes this a failure)';
  if (dynsec && !dynsecPlugin()) return 'needs Mosquitto: its dynamic security plugin is not installed';
  return false;
}

/** Inside a test: returns true when Mosquitto is there; otherwise skips the test (or fails it under REQUIRE_MOSQUITTO=1). */
export function needMosquitto(t, opts) {
  const reason = mosquittoSkip(opts);
  if (reason) {
    t.skip(reason);
    return false;
  }
  if (!mosquittoAvailable()) throw new Error('REQUIRE_MOSQUITTO=1 but mosquitto is not installed (looked in PATH and /usr/sbin)');
  return true;
}
