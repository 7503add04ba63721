// The XS heap of the firmware on the users' runtime: Moddable's desktop simulator (mcsim), an
// instrumented release build (mcconfig -i -m -t build -p lin), the same method for three apps in
// the same run:
//   empty           a timer, nothing else (tools/bench/heap/empty)
//   moddable-mqtt   the seed's ESP#1 on the SDK's own `mqtt` module (QoS 0 only, no reconnection)
//   ours            the project's manifest.json, role=hello, as a teacher builds it
//   ours-usb        the same with its serial port open for Improv (setupSerial, a pty), as a
//                   board's USB port always is: what listening for setup costs
// Each build gets the probe (tools/bench/heap/probe.js) as its entry point: once a second it runs
// Debug.gc() and prints `XS Slot Heap Used` + `XS Chunk Heap Used`. An app's figure is the probe's
// value once its ESP#1 has sent 25 hellos (the steady state); "added" is that minus the empty app's.
// A responder (ESP#2, our Node client) answers each hello on <prefix>notification.
// Then the profile (tools/bench/heap/profile.ts): our board built step by step, the heap at each.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFirmware, startMcsim } from '../harness/moddable.mjs';
import { openPty } from '../harness/pty.mjs';
import { findExecutable } from '../mosquitto.mjs';

const HELLOS = 25;

function probeManifest(entry) {
  return {
    include: ['$(MODDABLE)/modules/base/debug/manifest.json', '$(MODDABLE)/modules/base/instrumentation/manifest.json'],
    modules: { [entry.name]: entry.path },
    preload: [entry.name],
    creation: { main: entry.name },
  };
}

/** The probe's values (slot + chunk bytes), one a second. */
function probeValues(board) {
  return board.lines
    .filter((l) => l.startsWith('heap probe: '))
    .map((l) => l.slice(12).split(' ').map(Number))
    .map(([s, c]) => s + c);
}

/**
 * Runs the three apps (one after the other: two mcsim starting together hang) against the broker
 * on `port`, with `client(id)` making a connected Node client (our MqttClient) for the responder.
 */
export async function measureMcsimHeap({ root, port, responder, say = () => {}, interval = 1000 }) {
  const probe = probeManifest({ name: 'heap-probe', path: join(root, 'tools/bench/heap/probe') });
  const apps = {
    empty: () => buildFirmware({}, { app: { manifest: join(root, 'tools/bench/heap/empty/manifest.json'), name: 'heap-empty' }, manifest: probe }),
    'moddable-mqtt': () =>
      buildFirmware(
        { port, interval, prefix: 'anchor/' },
        { app: { manifest: join(root, 'tools/bench/heap/moddable-mqtt/manifest.json'), name: 'heap-moddable-mqtt' }, manifest: probe },
      ),
    ours: () => buildFirmware({ broker: `mqtt://127.0.0.1:${port}`, role: 'hello', interval, topicPrefix: 'ours/' }, { manifest: probe }),
  };
  if (findExecutable('socat'))
    apps['ours-usb'] = () =>
      buildFirmware({ broker: `mqtt://127.0.0.1:${port}`, role: 'hello', interval, topicPrefix: 'ours-usb/', setupSerial: './serial' }, { manifest: probe });
  else say('mcsim heap: socat is not installed: no ours-usb row (apt-get install socat)');
  const result = {};
  for (const [name, make] of Object.entries(apps)) {
    say(`mcsim heap: building ${name}...`);
    const so = await make();
    const prefix = name.startsWith('ours') ? `${name}/` : name === 'moddable-mqtt' ? 'anchor/' : null;
    // ours-usb runs in a folder with its serial device, a pty (tools/harness/pty.mjs).
    const dir = name === 'ours-usb' ? mkdtempSync(join(tmpdir(), 'mqtt-pair-heap-')) : undefined;
    const pty = dir ? await openPty(join(dir, 'serial')) : null;
    const board = await startMcsim(so, name, { cwd: dir });
    try {
      const t0 = Date.now();
      // The empty app sends nothing: it runs as long as the others take to send their hellos.
      const due = () => (prefix ? responder.hellos(prefix) >= HELLOS : Date.now() - t0 >= (HELLOS + 2) * interval);
      while (!due()) {
        if (board.exited) throw new Error(`${name} stopped in mcsim:\n${board.output()}`);
        if (Date.now() - t0 > HELLOS * interval + 60000) throw new Error(`${name}: fewer than ${HELLOS} hellos in mcsim:\n${board.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The next probe line: the heap after the 25th hello's round trip.
      const seen = probeValues(board).length;
      for (let i = 0; i < 30 && probeValues(board).length <= seen; i++) await new Promise((r) => setTimeout(r, 100));
      const values = probeValues(board);
      if (!values.length) throw new Error(`${name}: no heap probe line:\n${board.output()}`);
      result[name] = { bytes: values[values.length - 1], peak: Math.max(...values), lines: board.lines.filter((l) => !l.startsWith('heap probe')).length };
    } finally {
      await board.stop();
      await pty?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}

/** Our board step by step (tools/bench/heap/profile.ts): [{ step, bytes }] and the steady value. */
export async function mcsimHeapProfile({ root, port, responder, say = () => {}, interval = 1000 }) {
  // The profile is a firmware entry point of its own, bundled as hosts/moddable/main.ts is.
  const { moddableModules, firmwarePlugins } = await import('../build.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['tools/bench/heap/profile.ts'],
    outfile: 'build/heap/profile.js',
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'warning',
    external: [...moddableModules, 'debug', 'instrumentation'],
    plugins: firmwarePlugins,
  });
  say('mcsim heap: building the profile...');
  const so = await buildFirmware(
    { broker: `mqtt://127.0.0.1:${port}`, role: 'hello', interval, topicPrefix: 'profile/' },
    { manifest: probeManifest({ name: 'heap-profile', path: join(root, 'build/heap/profile') }) },
  );
  const board = await startMcsim(so, 'profile');
  try {
    const t0 = Date.now();
    while (responder.hellos('profile/') < HELLOS) {
      if (board.exited || Date.now() - t0 > HELLOS * interval + 60000) throw new Error(`the heap profile did not run in mcsim:\n${board.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const steps = [];
    for (const l of board.lines) {
      const m = /^heap step (.+): (\d+) (\d+)$/.exec(l);
      if (m) steps.push({ step: m[1], bytes: Number(m[2]) + Number(m[3]) });
    }
    const first = (name) => steps.find((s) => s.step === name)?.bytes;
    const running = steps.filter((s) => s.step === 'running');
    return {
      start: first('start'),
      host: first('host'),
      client: first('client and role'),
      wifi: first('WiFi up'),
      connected: first('connected and subscribed'),
      steady: running[running.length - 1]?.bytes,
    };
  } finally {
    await board.stop();
  }
}
