// The mqtt-pair command as a child process, for the TLS and WebSocket tests: its output collected,
// `waitFor(stream, re)` until a line shows up, `stop()` with SIGINT as Ctrl+C does, and every
// child killed when the test process exits.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { LIMIT, lineIn } from './wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');

const children = new Set();

/** The user nobody, for a command run `unprivileged` by tests that run as root (util-linux's setpriv). */
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

/** Why `mqttPair(…, { unprivileged: true })` cannot run here, or false: as root, it needs setpriv and
 *  a checkout the user nobody may read (a home folder of mode 700 is not). */
export function unprivilegedSkip() {
  if (process.getuid?.() !== 0) return process.platform === 'win32' ? 'no file permissions of that kind on Windows' : false;
  const r = spawnSync(NOBODY[0], [...NOBODY.slice(1), process.execPath, CLI, '--version'], { encoding: 'utf8' });
  if (r.error) return 'setpriv (util-linux) is not installed: the tests run as root and need another user';
  return r.status === 0 ? false : `the user nobody cannot run the command from this checkout (${r.stderr.trim().split('\n')[0]})`;
}
process.once('exit', () => {
  for (const c of children)
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
});

/** `child` killed, if still running, when the test process exits: no command outlives its test file. */
export function killedAtExit(child) {
  children.add(child);
  child.once('close', () => children.delete(child));
  return child;
}

/**
 * Waiting on a child's collected output `text` ({ stdout, stderr }): `check()` is called on each
 * chunk and at exit; `waitFor(stream, re, ms)` resolves with the match once `re` matches, rejects
 * when `exited()` says the child is gone first, or after `ms`.
 */
export function outputWatch(text, exited) {
  const watchers = new Set();
  const check = () => {
    for (const w of watchers) w();
  };
  const waitFor = (stream, re, ms = LIMIT) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        watchers.delete(w);
        reject(new Error(`no ${re} on ${stream} within ${ms} ms:\n${text[stream]}\n-- stderr:\n${text.stderr}`));
      }, ms);
      const w = () => {
        const m = re.exec(text[stream]);
        if (m) {
          clearTimeout(t);
          watchers.delete(w);
          resolve(m);
        } else if (exited()) {
          clearTimeout(t);
          watchers.delete(w);
          reject(new Error(`exited without ${re} on ${stream}:\n${text.stdout}\n-- stderr:\n${text.stderr}`));
        }
      };
      watchers.add(w);
      w();
    });
  return { check, waitFor };
}

/**
 * Runs `mqtt-pair ...args`; `exit` resolves with { code, signal, stdout, raw, stderr }. `input` is
 * written to its stdin (then closed); `stdin` is a file descriptor to read instead (e.g. of
 * /dev/zero); `openStdin` leaves a pipe open (child.stdin), as a terminal nobody types in; `env`
 * adds to the environment (LC_ALL for the French words); `unprivileged` runs it as the user nobody
 * when the tests run as root (root opens any file: a permission denied needs another user).
 */
export function mqttPair(args, { timeout = LIMIT, input, stdin, openStdin = false, env, unprivileged = false } = {}) {
  const argv = [process.execPath, CLI, ...args];
  if (unprivileged && process.getuid?.() === 0) argv.unshift(...NOBODY);
  const child = spawn(argv[0], argv.slice(1), {
    stdio: [stdin ?? (input === undefined && !openStdin ? 'ignore' : 'pipe'), 'pipe', 'pipe'],
    env: { ...process.env, MQTT_PAIR_DEBUG: '', ...env },
  });
  if (input !== undefined) child.stdin.end(input);
  children.add(child);
  const text = { stdout: '', stderr: '' };
  let exited = false;
  const { check, waitFor } = outputWatch(text, () => exited);
  child.stdout.on('data', (b) => {
    text.stdout += b.toString();
    check();
  });
  child.stderr.on('data', (b) => {
    text.stderr += b.toString();
    check();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), timeout);
  const exit = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      children.delete(child);
      exited = true;
      // -d writes its packet lines to stdout, as mosquitto does: `stdout` is without them, `raw` with.
      resolve({
        code,
        signal,
        stdout: text.stdout.replace(/^(Client \S+ (sending|received|connecting to) |Subscribed ).*\n/gm, ''),
        raw: text.stdout,
        stderr: text.stderr,
      });
      check();
    }),
  );
  const stop = () => {
    child.kill('SIGINT');
    return exit;
  };
  return { child, exit, waitFor, stop, text };
}

/** Asserts that none of the commands' ends `rs` ({ stdout, raw?, stderr }) printed `secret`. */
export function assertNotPrinted(secret, ...rs) {
  for (const r of rs) assert.ok(!(r.raw ?? r.stdout).includes(secret) && !r.stderr.includes(secret), `the password was printed:\n${r.stdout}\n${r.stderr}`);
}

/** Runs each `mqtt-pair` command of `pubs` in turn, each to a successful end that does not print
 *  `secret`; then `sub`'s end, successful too and without `secret`, which it resolves with. */
export async function publishEach(pubs, sub, secret) {
  for (const args of pubs) {
    const r = await mqttPair(args).exit;
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assertNotPrinted(secret, r);
  }
  const r = await sub.exit;
  assert.equal(r.code, 0, r.stderr);
  assertNotPrinted(secret, r);
  return r;
}

/** Runs a program (mosquitto_pub, the installed command…) to its end, in `cwd` with `env`, killed after
 *  `timeout`: { code, stdout, stderr }. */
export function runToEnd(cmd, args, { timeout = LIMIT, cwd, env } = {}) {
  return new Promise((resolve) => {
    const child = killedAtExit(spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
    });
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A failure as the CLI reports it: one line on stderr with `prefix`, matching `re`, no stack, non-zero exit. */
export function assertOneLineError(r, prefix, re) {
  assert.notEqual(r.code, 0, `exit code should not be 0; stderr: ${r.stderr}`);
  assert.equal(r.signal, null, 'it exited by itself');
  assert.ok(!r.stderr.includes('    at '), `stack trace on stderr:\n${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${r.stderr}`);
  assert.ok(lines[0].startsWith(prefix), `"${lines[0]}" should start with "${prefix}"`);
  if (re) assert.match(lines[0], re);
  assert.ok(r.stderr.endsWith('\n'), 'the line ends');
  return lines[0];
}

/** Resolves with the first line `board` (a SimBoard) logged matching `re`. */
export function waitForLine(board, re, ms = LIMIT) {
  return lineIn(board.lines, re, { ms });
}
