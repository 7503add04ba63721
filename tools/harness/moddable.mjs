// The firmware on the real Moddable SDK: builds of the project's manifest.json with mcconfig, run
// in Moddable's desktop simulator (mcsim) under a private Xvfb, each mcsim in its own
// dbus-run-session, with its console lines collected. The same helper serves the tests and the
// benchmark.
//
//   describe('in mcsim', { skip: moddableSkip() }, () => { ... })
//   const so = await buildFirmware({ broker: 'mqtt://127.0.0.1:1883', role: 'hello' });
//   const board = startMcsim(so, 'esp1');
//   await board.waitFor(/^Connected to /);  ...  await board.stop();
//
// MODDABLE names the contributor's own Moddable SDK, installed as Moddable's Getting Started says
// (CONTRIBUTING.md); nothing here fetches or builds it. Without it these tests skip and say why,
// named in the suite's closing line; with REQUIRE_MODDABLE=1 they fail instead. An SDK of another
// version than the one the tests know (KNOWN_VERSION) is said once, and used.
//
// Builds are instrumented releases (`mcconfig -i -m -t build -p lin`): trace() lines reach mcsim's
// stdout, with an `instruments:` line a second (heap, stack). Always `-t build`: without it,
// mcconfig's make target runs `pkill mcsim`, which would end every simulator on the machine.
// Every build of a process goes through one output folder, so only what changed is rebuilt
// (a config value: about a second), and its mc.so is copied out, one file per variant.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from '../mosquitto.mjs';
import { createServer } from 'node:net';
import { LIMIT } from './wait.mjs';

/**
 * A port to build into a firmware (setupPort, setupDnsPort), free now and outside Linux's ephemeral
 * range (32768-60999): a port from freePort() is in that range, and during the minutes a build
 * takes any outgoing connection of the suite may be given it, and the board's page with it.
 */
export async function bakedPort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const free = await new Promise((resolve) => {
      const s = createServer();
      s.unref();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const required = () => process.env.REQUIRE_MODDABLE === '1';
/** The SDK version these tests were written against (its tools/VERSION). */
export const KNOWN_VERSION = '8.2.3';
let versionSaid = false;

/** The SDK's tools, or why they are not usable. */
function sdk() {
  const moddable = process.env.MODDABLE;
  if (!moddable)
    return {
      reason:
        "needs the Moddable SDK: MODDABLE is not set (the firmware in mcsim and the boards' link check run with a Moddable SDK 8.2.3 installed per its Getting Started; REQUIRE_MODDABLE=1 makes this a failure)",
    };
  const bin = join(moddable, 'build', 'bin', 'lin', 'release');
  const tools = {};
  for (const name of ['mcconfig', 'mcsim']) {
    const p = join(bin, name);
    try {
      accessSync(p, constants.X_OK);
      tools[name] = p;
    } catch {
      return { reason: `needs the Moddable SDK: ${p} is missing (build the SDK's Linux tools and mcsim)` };
    }
  }
  for (const name of ['Xvfb', 'dbus-run-session', 'stdbuf']) {
    const p = findExecutable(name);
    if (!p) return { reason: `needs the Moddable SDK: ${name} is not installed, to run mcsim headless` };
    tools[name] = p;
  }
  if (!versionSaid) {
    versionSaid = true;
    let found = 'unknown';
    try {
      found = readFileSync(join(moddable, 'tools', 'VERSION'), 'utf8').trim();
    } catch {
      /* an SDK without tools/VERSION: said as unknown */
    }
    if (found !== KNOWN_VERSION)
      process.stderr.write(`mcsim tests: the Moddable SDK at ${moddable} is version ${found}; these tests know ${KNOWN_VERSION}: running them anyway\n`);
  }
  return { moddable, bin, tools };
}

/** For describe/test `skip`: false when the SDK is there (always false under REQUIRE_MODDABLE=1). */
export function moddableSkip() {
  if (required()) return false;
  return sdk().reason ?? false;
}

export function sdkOrThrow() {
  const s = sdk();
  if (s.reason) throw new Error(`REQUIRE_MODDABLE=1 but ${s.reason}`);
  return s;
}

// ---- Builds

let work = null; // { dir, out, cache: Map<key, so> }
let queue = Promise.resolve();
const cleanups = [];
process.once('exit', () => {
  for (const c of cleanups) {
    try {
      c();
    } catch {
      /* gone */
    }
  }
});

function workDir() {
  if (!work) {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-mcsim-'));
    work = { dir, out: join(dir, 'out'), cache: new Map(), n: 0 };
    mkdirSync(work.out);
    if (!process.env.KEEP_MCSIM_BUILDS) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  }
  return work;
}

/** What a build depends on besides its arguments: the firmware bundle and our Moddable files. */
function sourcesDigest() {
  const h = createHash('sha256');
  const files = ['manifest.json', 'build/moddable/main.js'];
  const walk = (d) => {
    for (const f of readdirSync(join(root, d)).sort()) {
      const p = join(d, f);
      if (statSync(join(root, p)).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk('hosts/moddable/native');
  walk('hosts/moddable/certs');
  for (const f of files) h.update(f).update(readFileSync(join(root, f)));
  return h.digest('hex');
}

/**
 * Builds the project's manifest.json for the Linux simulator with these config values (mcconfig
 * key=value arguments) and returns the path of its mc.so. Options:
 *   resources  { 'ca.der': '/path/file' }: files built in beside hosts/moddable/certs/ (a wrapper
 *              manifest includes ours and adds them; ours is unchanged)
 *   manifest   more manifest entries for that wrapper (the benchmark's probe module)
 *   stack      creation.stack for this build only
 *   static     creation.static for this build only (the lin simulator ignores it: see creation)
 *   creation   more creation entries (heap and chunk sizes: an incremental of 0 makes them fixed)
 *   app        another app's manifest.json instead of the project's (the benchmark's empty app and
 *              its Moddable-mqtt anchor), built the same way; `name` is its build NAME
 * The same arguments give the same build, once per process. Builds run one at a time.
 */
export function buildFirmware(config, options = {}) {
  const run = queue.then(() => build(config, options));
  queue = run.catch(() => {});
  return run;
}

async function build(config, { resources = {}, manifest = {}, stack, static: fixed, app, creation } = {}) {
  const { tools } = sdkOrThrow();
  const w = workDir();
  const args = Object.entries(config).map(([k, v]) => `${k}=${v}`);
  const key = createHash('sha256')
    .update(JSON.stringify([args, resources, manifest, stack, fixed, app, creation, sourcesDigest()]))
    .digest('hex')
    .slice(0, 16);
  if (w.cache.has(key)) return w.cache.get(key);

  let manifestPath = app ? app.manifest : join(root, 'manifest.json');
  const wrapped = Object.keys(resources).length || Object.keys(manifest).length || stack || fixed || creation;
  if (wrapped) {
    // Always the same wrapper folder, so that incremental builds stay incremental.
    const wrap = join(w.dir, app ? `wrap-${app.name}` : 'wrap');
    rmSync(wrap, { recursive: true, force: true });
    mkdirSync(join(wrap, 'res'), { recursive: true });
    for (const [name, file] of Object.entries(resources)) copyFileSync(file, join(wrap, 'res', name));
    const m = { ...manifest, include: [manifestPath, ...(manifest.include ?? [])] };
    if (Object.keys(resources).length) m.resources = { '*': [join(wrap, 'res', '*')] };
    if (stack || fixed || creation) m.creation = { ...manifest.creation, ...creation, ...(stack ? { stack } : {}), ...(fixed ? { static: fixed } : {}) };
    manifestPath = join(wrap, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  }
  // Another app builds in a folder of its own: mcconfig shares the XS engine's objects between the
  // apps of one output folder, and ours is built with other defines (-DmxMetering=1): an app built
  // after the benchmark's empty one in the same folder got its engine and died silently at start.
  const out = app ? join(w.out, app.name) : w.out;
  mkdirSync(out, { recursive: true });
  const argv = ['-i', '-m', '-t', 'build', '-p', 'lin', '-o', out, manifestPath, ...args];
  const started = Date.now();
  const r = await new Promise((resolve) => {
    const child = spawn(tools.mcconfig, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (b) => {
      log += b;
    });
    child.stderr.on('data', (b) => {
      log += b;
    });
    child.once('close', (code) => resolve({ code, log }));
  });
  const so = join(out, 'bin', 'lin', 'mc', 'instrument', app?.name ?? 'mqtt-pair', 'mc.so');
  if (r.code !== 0 || !existsSync(so)) {
    const tail = r.log
      .split('\n')
      .filter((l) => l && !/^# (xsc|xsid|copy|cc) /.test(l) && !/^### warning/.test(l))
      .slice(-15)
      .join('\n');
    throw new Error(`mcconfig ${argv.join(' ')} failed (exit ${r.code}):\n${tail}`);
  }
  const copy = join(w.dir, `${key}.so`);
  copyFileSync(so, copy);
  w.cache.set(key, copy);
  w.n++;
  build.log?.(`built ${args.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return copy;
}

// ---- The display

let display = null;

/** A private Xvfb for this process, started once: resolves with its DISPLAY (":N"). */
function startDisplay() {
  if (display) return display;
  const { tools } = sdkOrThrow();
  display = new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display number and writes it on fd 3.
    const x = spawn(tools.Xvfb, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '640x480x24'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let err = '',
      out = '';
    x.stderr.on('data', (b) => {
      err += b;
    });
    x.stdio[3].on('data', (b) => {
      out += b;
      const m = /(\d+)\s/.exec(out);
      if (!m) return;
      // Started: from now on it must not keep the process alive (the exit hook kills it).
      x.unref();
      x.stderr.unref?.();
      x.stdio[3].unref?.();
      resolve(`:${m[1]}`);
    });
    x.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${err.trim().split('\n').slice(-3).join(' ')}`)));
    cleanups.push(() => x.kill('SIGKILL'));
  });
  return display;
}

// ---- A board in mcsim

const running = new Set();
let launching = Promise.resolve();
cleanups.push(() => {
  for (const b of running) b.kill();
});

/**
 * Runs `so` in its own mcsim, in the folder `cwd` (a new empty one unless given): where a simulated
 * board keeps its settings (modpreferences.json: manifest.json's file.root is "./") and finds its
 * serial device when setupSerial is a relative path. Returns
 *   lines        the board's console lines, in order (trace output, without instruments)
 *   samples      one { slot, chunk, stack, stackAvailable } a second, from the instruments lines
 *   waitFor(re, { ms, after, nth })  resolves with the nth line matching `re` (from index `after`)
 *   peakStack()  { used, available } bytes of XS stack, from the instruments lines
 *   count(re)    how many lines match
 *   stop()       ends it; resolves once the process is gone
 *   output()     everything it printed, for a failure message
 */
export async function startMcsim(so, name = 'board', { cwd } = {}) {
  const { tools } = sdkOrThrow();
  cwd ??= mkdtempSync(join(workDir().dir, 'board-')); // settings of its own, none from an earlier run
  const DISPLAY = await startDisplay();
  // Two mcsim started at the same moment: the first one hung, silent, forever (seen with SDK 8.2.3,
  // when every mcsim copied its firmware to the same file: now each has its own config folder,
  // below). Kept: each one waits until the one before it is up (its first instruments line).
  const before = launching;
  let up;
  launching = new Promise((resolve) => {
    up = resolve;
  });
  await before;
  // (A board that never prints its instruments, hung or crashed, lets the next one start anyway.)
  const upTimer = setTimeout(up, 60_000);
  // Its own config folder: mcsim copies the firmware to <config>/tech.moddable.mcsim/mc.so before it
  // loads it, the same file for every mcsim of a user (two starting at once would load each
  // other's), and makes that folder with a plain mkdir (no ~/.config on a new machine: it fails).
  const config = mkdtempSync(join(tmpdir(), 'mqtt-pair-mcsim-config-'));
  cleanups.push(() => rmSync(config, { recursive: true, force: true }));
  const child = spawn(tools['dbus-run-session'], ['--', tools.stdbuf, '-oL', '-eL', tools.mcsim, so], {
    cwd, // a board's own folder: its Preference file (manifest.json: file.root "./") and its serial pty
    env: { ...process.env, DISPLAY, NO_AT_BRIDGE: '1', GTK_A11Y: 'none', XDG_CONFIG_HOME: config },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() ends dbus-daemon and mcsim together
  });
  // A board a test forgot must not keep the test process alive (its exit hook kills it).
  child.unref();
  child.stdout.unref?.();
  child.stderr.unref?.();
  const lines = [];
  const samples = [];
  let columns = null;
  let raw = '';
  let partial = '';
  const watchers = new Set();
  let exited = false;
  const onLine = (line) => {
    if (line.startsWith('instruments key: ')) {
      columns = line.slice(17).split(',');
      clearTimeout(upTimer);
      up();
      return;
    }
    if (line.startsWith('instruments: ')) {
      const v = line.slice(13).split(',').map(Number);
      const at = (n) => v[columns?.indexOf(n) ?? -1];
      samples.push({ slot: at('Slot used'), chunk: at('Chunk used'), stack: at('Stack used'), stackAvailable: at('Stack available'), t: Date.now() });
      return;
    }
    if (/^SpiRegistry daemon|^dbus-daemon/.test(line)) return;
    lines.push(line);
  };
  child.stdout.on('data', (b) => {
    raw += b;
    if (raw.length > 2_000_000) raw = raw.slice(-1_000_000);
    partial += b;
    const parts = partial.split('\n');
    partial = parts.pop();
    for (const l of parts) onLine(l.replace(/\r$/, ''));
    for (const w of watchers) w();
  });
  let errors = '';
  child.stderr.on('data', (b) => {
    errors += b;
    if (errors.length > 100_000) errors = errors.slice(-50_000);
  });
  const gone = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      exited = true;
      clearTimeout(upTimer);
      up();
      running.delete(board);
      for (const w of watchers) w();
      resolve({ code, signal });
    }),
  );
  const board = {
    name,
    lines,
    samples,
    get exited() {
      return exited;
    },
    output: () =>
      `--- ${name} (mcsim ${so}) ---\n${lines.join('\n')}\n--- stderr ---\n${errors
        .split('\n')
        .filter((l) => !/dbus-daemon|SpiRegistry|AccessDenied/.test(l))
        .join('\n')}`,
    count: (re) => lines.filter((l) => re.test(l)).length,
    /** The deepest the XS stack went, and what the build gives it, in bytes (slots × 32 here). */
    peakStack: () => ({ used: Math.max(0, ...samples.map((x) => x.stack)), available: samples[0]?.stackAvailable ?? 0 }),
    waitFor(re, { ms = LIMIT, after = 0, nth = 1 } = {}) {
      const what = `${nth > 1 ? `${nth} lines` : 'a line'} matching ${re}${after ? ` after line ${after}` : ''}`;
      return new Promise((resolve, reject) => {
        const check = () => {
          let n = 0;
          for (let i = after; i < lines.length; i++)
            if (re.test(lines[i]) && ++n === nth) {
              done();
              return resolve(lines[i]);
            }
          if (exited) {
            done();
            reject(new Error(`${name}: mcsim exited without ${what}\n${board.output()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: no ${what} within ${ms} ms\n${board.output()}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
    },
    kill() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
    async stop() {
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
        const t = setTimeout(() => board.kill(), 3000);
        await gone;
        clearTimeout(t);
      }
    },
  };
  running.add(board);
  return board;
}

/** Everything a test started, stopped in reverse order at its end. */
export function scope(t) {
  const stops = [];
  // Every one is stopped, even when one of them fails to: the first failure is reported after.
  t.after(async () => {
    let failure;
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  });
  return (thing, stop = () => thing.stop()) => {
    stops.push(stop);
    return thing;
  };
}

/**
 * Stops mcsim boards and checks that none went near the end of its XS stack (creation.stack in
 * manifest.json): the deepest path must keep a tenth of it free.
 */
export async function stopBoards(...boards) {
  for (const b of boards) await b.stop();
  for (const b of boards) {
    const { used, available } = b.peakStack();
    assert.ok(available > 0, `${b.name}: mcsim printed its instruments`);
    assert.ok(used <= available * 0.9, `${b.name}: the XS stack went to ${used / 32} of ${available / 32} slots`);
  }
}

/** The SDK's version (its tools/VERSION), for a report; null without the SDK. */
export function moddableVersion() {
  const s = sdk();
  if (s.reason) return null;
  try {
    return readFileSync(join(s.moddable, 'tools', 'VERSION'), 'utf8').trim();
  } catch {
    return 'unknown';
  }
}
