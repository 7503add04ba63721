// `npm run bench` must keep running: its smoke run (every figure once, on a handful of messages)
// against a real Mosquitto, and every figure it prints a number. No figure's value is asserted:
// the smoke run's numbers mean nothing, and this machine's speed is not a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runToEnd } from '../helpers/child.mjs';
import { mosquittoSkip } from '../helpers/mosquitto.mjs';
import { LIMIT } from '../helpers/wait.mjs';
import { xsnapWorker } from '../../hosts/xsnap/runner.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('npm run bench runs: every figure of a smoke run is a number', { skip: mosquittoSkip(), timeout: LIMIT * 2 }, async () => {
  const env = { ...process.env };
  delete env.MODDABLE; // the mcsim heap rows need minutes of builds: test/firmware/mcsim*.test.mjs cover that runtime
  const {
    code,
    stdout: out,
    stderr: err,
  } = await runToEnd(process.execPath, [join(root, 'tools/bench.mjs'), '--smoke', '--json'], {
    cwd: root,
    env,
    timeout: LIMIT * 2,
  });
  assert.equal(code, 0, `bench exited ${code}:\n${err}`);
  const r = JSON.parse(out);
  for (const key of [
    'codec_ratio_vs_mqtt_packet',
    'client_bundle_gzip_bytes',
    'firmware_bundle_gzip_bytes',
    'qos0_ratio_vs_mqttjs',
    'qos1_ratio_vs_mqttjs',
    'rtt_p50_ms',
    'recovery_ms',
    'cli_startup_ms',
    'xs_heap_added_bytes_esp1',
  ]) {
    if (key === 'xs_heap_added_bytes_esp1' && !xsnapWorker().path) continue; // npm run setup:xs not run: test/xs/xs.test.mjs says so
    assert.ok(Number.isFinite(r[key]) && r[key] > 0, `${key}: ${r[key]}\n${err}`);
  }
});
