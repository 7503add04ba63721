// serialport is an optional dependency (native bindings): where it did not install, the commands
// that need a serial port say so in one line with the two ways out, in the teacher's language, and
// the others run as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';

const NO_SERIALPORT = { NODE_OPTIONS: `--require ${join(fileURLToPath(new URL('../helpers/no-serialport.cjs', import.meta.url)))}` };
const EN = /the serialport package is not installed: npm install serialport \(it ships prebuilt binaries\), or use mqtt-pair setup --web in Chrome$/;

test('without the serialport package: setup --list, setup --port and program say so; pub does not care', async () => {
  assertOneLineError(await mqttPair(['setup', '--list'], { env: NO_SERIALPORT }).exit, 'mqtt-pair setup: ', EN);
  assertOneLineError(await mqttPair(['setup', '--port', '/dev/ttyUSB0', 'role=hello'], { env: NO_SERIALPORT }).exit, 'mqtt-pair setup: ', EN);
  assertOneLineError(await mqttPair(['program', '--port', '/dev/ttyUSB0', '--show'], { env: NO_SERIALPORT }).exit, 'mqtt-pair program: ', EN);
  const fr = await mqttPair(['setup', '--list'], { env: { ...NO_SERIALPORT, LC_ALL: 'fr_FR.UTF-8' } }).exit;
  assertOneLineError(fr, 'mqtt-pair setup: ', /serialport.*npm install serialport.*setup --web/);
  assert.doesNotMatch(fr.stderr, /is not installed|ships/, 'in French');
  // A command without a serial port is not held back by it.
  const help = await mqttPair(['pub', '--help'], { env: NO_SERIALPORT }).exit;
  assert.equal(help.code, 0, help.stderr);
});
