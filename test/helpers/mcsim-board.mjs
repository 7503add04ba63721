// A simulated board plugged in over USB: the firmware in Moddable's simulator (mcsim, under the
// harness's Xvfb and dbus: helpers/moddable.mjs), in a folder of its own (its settings, in
// modpreferences.json), its serial port a pty in that folder (helpers/pty.mjs). The build's
// `setupSerial` is './serial': each board opens the pty of its own folder.
//
//   const so = await firmwareOverPty({ ssid: '' });            // the class's one image
//   const board = await mcsimBoardOverPty(so, join(work, 'board'), { ready: SETUP_MODE });
//   mqttPair(['setup', '--port', board.port, ...]);  board.sim.waitFor(/^Connected to /);
//   await board.restart('board-again');  ...  await board.stop();
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { mqttPair } from './child.mjs';
import { bakedPort, buildFirmware, startMcsim } from './moddable.mjs';
import { mosquittoSub, startMosquitto } from './mosquitto.mjs';
import { openPty, openPtyPair } from './pty.mjs';
import { LIMIT } from './wait.mjs';

/** The simulator's own WiFi network (its scan lists it) and the password the tests set up boards with. */
export const SIM_WIFI = { ssid: 'JAMS2', password: 'motdepasse' };

/** The line of a board with no WiFi settings (the class's one image, before its set-up). */
export const SETUP_MODE = /^Setup mode: no WiFi settings on this board$/;

/**
 * For a describe of boards in mcsim: before its tests (before the describe's own `before`), a
 * Mosquitto, a mosquitto_sub on `topic` (what it prints in `sub.lines`) and a work folder named
 * after `name`; after them, every board in `boards` (anything with a stop()) stopped, then the
 * rest, and the folder removed. Returns that scene: { broker, sub, work, boards }.
 */
export function mcsimAround(name, topic) {
  const scene = { broker: null, sub: null, work: null, boards: [] };
  before(async () => {
    scene.broker = await startMosquitto();
    scene.sub = await mosquittoSub(scene.broker.port, ['-t', topic]);
    scene.work = mkdtempSync(join(tmpdir(), `mqtt-pair-${name}-`));
  });
  after(async () => {
    for (const b of scene.boards) await b.stop();
    await scene.sub?.stop();
    await scene.broker?.stop();
    if (scene.work) rmSync(scene.work, { recursive: true, force: true });
  });
  return scene;
}

/**
 * For a describe of one board over USB with the built-in role hello, its topics under `prefix`:
 * mcsimAround(`name`, `${prefix}#`), then before the tests the firmware built with the broker, role,
 * `prefix`, `clientId`, a hello a second and `config` (and `options`), started in the work folder's
 * board/ as `${name}-board`. Returns the scene with its `board` (mcsimBoardOverPty) once it runs.
 */
export function helloBoardAround(name, prefix, clientId, config = {}, options = {}) {
  const scene = mcsimAround(name, `${prefix}#`);
  scene.board = null;
  before(async () => {
    const base = { broker: `127.0.0.1:${scene.broker.port}`, role: 'hello', topicPrefix: prefix, clientId, interval: 1000 };
    const so = await firmwareOverPty({ ...base, ...config }, options);
    scene.board = await mcsimBoardOverPty(so, join(scene.work, 'board'), { name: `${name}-board` });
    scene.boards.push(scene.board);
  });
  return scene;
}

/**
 * Builds the firmware with `config` (or reuses the build: helpers/moddable.mjs), its serial port the
 * pty at ./serial in the board's folder and its setup page's ports free ones (`config` may name them).
 */
export async function firmwareOverPty(config = {}, options = {}) {
  return buildFirmware({ setupSerial: './serial', setupPort: await bakedPort(), setupDnsPort: await bakedPort(), ...config }, options);
}

/**
 * Starts `so` in mcsim in the folder `dir` (made if missing) with its USB cable, then waits for the
 * console line `ready` when given. `plug(pty)`, when given, runs before the board starts (so that
 * it misses nothing the board writes on its port) and the fields it returns join the board. The cable:
 *   'pair'   two ptys joined (the default): the board's end at dir/serial, the computer's at
 *            dir/usb (`port`), for `mqtt-pair setup --port` or `program --port`
 *   'stdio'  one pty at dir/serial joined to this process: `pty.onData(fn)`, `pty.write(bytes)`
 * Returns { name, dir, port, pty, sim, start(name), restart(name), stop() }: `sim` is the running
 * mcsim (helpers/moddable.mjs startMcsim); start and restart run a new one on the same folder (its
 * settings and its pty kept), as a board unplugged and plugged in again.
 */
export async function mcsimBoardOverPty(so, dir, { name = basename(dir), cable = 'pair', ready, plug } = {}) {
  mkdirSync(dir, { recursive: true });
  const pty = cable === 'stdio' ? await openPty(join(dir, 'serial')) : await openPtyPair(join(dir, 'serial'), join(dir, 'usb'));
  const board = {
    name,
    dir,
    port: cable === 'stdio' ? null : pty.path,
    pty,
    sim: null,
    async start(as = name) {
      board.sim = await startMcsim(so, as, { cwd: dir });
      return board.sim;
    },
    async restart(as = name) {
      await board.sim?.stop();
      return board.start(as);
    },
    async stop() {
      await board.sim?.stop();
      await pty.stop();
    },
  };
  try {
    Object.assign(board, plug?.(pty));
    await board.start();
    if (ready) await board.sim.waitFor(ready);
  } catch (e) {
    await board.stop();
    throw e;
  }
  return board;
}

/**
 * `mqtt-pair setup --port <port>` as a teacher types it for the class LycMaurois/SNT_2nde of
 * `roster`, on the simulator's WiFi, with the broker at 127.0.0.1:`brokerPort` (and `more`
 * arguments); resolves with its { code, stdout, stderr } once it exits.
 */
export function setupOverPty(port, { roster, brokerPort, password = SIM_WIFI.password, more = [] }) {
  // biome-ignore format: a command line
  const args = ['setup', '--port', port, '--roster', roster, '--school', 'LycMaurois', '--class', 'SNT_2nde',
    '--ssid', SIM_WIFI.ssid, '--password', password, '--broker', `127.0.0.1:${brokerPort}`, ...more];
  return mqttPair(args, { timeout: 2 * LIMIT }).exit;
}

/** The stops a board keeps in its flash (the simulator's Preference file), as src/setup/program-store.ts writes them ('' when none). */
export function stopsInFlash(board) {
  try {
    return JSON.parse(readFileSync(join(board.dir, 'modpreferences.json'), 'utf8'))['mqtt-pair']?.pgs ?? '';
  } catch {
    return ''; // being written again
  }
}

/**
 * `mqtt-pair program --port <port> <dir>/<name> -W 1`, `source` written there first: checks the
 * command's line, waits for the board (`sim`) to say it stored the program, and returns where the
 * board's lines were when it was sent.
 */
export async function sendProgramOverPty(sim, port, dir, name, source) {
  const file = join(dir, name);
  writeFileSync(file, source);
  const at = sim.lines.length;
  const r = await mqttPair(['program', '--port', port, file, '-W', '1']).exit;
  assert.match(r.stdout, new RegExp(`^${name.replace('.', '\\.')} sent: \\d+ bytes, hash [0-9a-f]{8}; the board restarts to run it$`, 'm'), r.stderr);
  await sim.waitFor(/^Program over USB: stored /, { after: at });
  return at;
}

/**
 * `mqtt-pair program --port <board.port> --clear`: checks the command's line, waits for the board
 * to restart and connect in its role, and returns where its lines were when it booted again.
 */
export async function clearProgramOverPty(board) {
  const at = board.sim.lines.length;
  const r = await mqttPair(['program', '--port', board.port, '--clear']).exit;
  assert.equal(r.stdout, 'program cleared: the board restarts into its role\n', r.stderr);
  await board.sim.waitFor(/^Setup: restarting/, { after: at });
  const boot = board.sim.lines.length;
  await board.sim.waitFor(/^Connected to /, { after: boot });
  return boot;
}
