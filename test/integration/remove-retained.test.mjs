// `mqtt-pair sub --remove-retained`, as mosquitto_sub's flag, against a real Mosquitto: each retained
// message received under the filter is printed and cleared (an empty retained message on its
// topic), those outside stay; --retained-only stops at the first live message, -W when there is
// none; the run ends only once the broker acknowledged every clear. mosquitto_sub's own
// --remove-retained on the same broker leaves the same thing behind.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runToEnd as run } from '../helpers/child.mjs';
import { mosquittoSkip, mosquittoSub, mosquittoTool, retainedOn, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const skip = mosquittoSkip();
const G = 'LycMaurois/SNT_2nde/';

describe('sub --remove-retained (Mosquitto)', () => {
  let broker;
  const pub = async (...args) => {
    const r = await run(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), ...args]);
    assert.equal(r.code, 0, r.stderr);
  };
  /** The retained messages the broker holds now, as sorted "topic payload" lines (mosquitto_sub's view). */
  const retained = async () => (await retainedOn(broker.port, ['#'])).sort();
  /** The lab's tree: a class's retained messages (a will, a sensor's values, a lab), and another class's. */
  const seed = async () => {
    await pub('-r', '-t', `${G}alice/myRasp/sensors/temperature`, '-m', '20.7');
    await pub('-r', '-t', `${G}alice/myRasp/sensors/status`, '-m', 'offline');
    await pub('-r', '-q', '1', '-t', `${G}bob/status`, '-m', 'online');
    await pub('-r', '-t', `${G}myRasp/groundfloor/kitchen/temperature`, '-m', '19.5');
    await pub('-r', '-t', 'LycMaurois/TNSI/zoe/status', '-m', 'online');
  };
  const AFTER = ['LycMaurois/TNSI/zoe/status online'];

  before(async () => {
    if (!skip) broker = await startMosquitto();
  });
  after(async () => {
    await broker?.stop();
  });

  test('clears every retained message under the filter and lists them; the rest stays', { skip }, async () => {
    await seed();
    assert.equal((await retained()).length, 5);
    const r = await run(process.execPath, [
      CLI,
      'sub',
      '-p',
      String(broker.port),
      '-t',
      `${G}#`,
      '--remove-retained',
      '--retained-only',
      '-W',
      String(LIMIT / 1000),
      '-v',
    ]);
    // The clears come back as live (empty) messages: the first ends --retained-only, long before -W.
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), [
      `${G}alice/myRasp/sensors/status offline`,
      `${G}alice/myRasp/sensors/temperature 20.7`,
      `${G}bob/status online`,
      `${G}myRasp/groundfloor/kitchen/temperature 19.5`,
    ]);
    assert.match(r.stderr, /cleared 4 retained messages/);
    assert.deepEqual(await retained(), AFTER, 'a later subscriber gets nothing under the class');
  });

  test('mosquitto_sub --remove-retained leaves the same behind (its behaviour, ours alike)', { skip }, async () => {
    await seed();
    // mosquitto_sub 2.0 does not end here by itself (only at -W): the acknowledgement of its last
    // clear comes before the first live message, and it disconnects only on that acknowledgement.
    // Ours ends at the live message once every clear is acknowledged (exit 0), as its help says.
    // So it is stopped once the broker holds what it left, however long that took.
    const sub = await mosquittoSub(broker.port, ['-t', `${G}#`, '--remove-retained', '--retained-only']);
    try {
      await until(
        async () => sub.lines.length === 4 && JSON.stringify(await retained()) === JSON.stringify(AFTER),
        () => `mosquitto_sub printed ${sub.lines.length} of the 4 retained messages`,
      );
    } finally {
      await sub.stop();
    }
    assert.deepEqual(await retained(), AFTER);
  });

  test('--retained-only stops at the first live message, once the clears are acknowledged', { skip }, async () => {
    await seed();
    const child = spawn(process.execPath, [CLI, 'sub', '-p', String(broker.port), '-t', `${G}#`, '--remove-retained', '--retained-only', '-v']);
    let stdout = '';
    child.stdout.on('data', (b) => {
      stdout += b;
    });
    const done = new Promise((resolve) => child.once('close', resolve));
    // The clears come back as live (empty) messages: the first of them ends the run, as with mosquitto_sub.
    const code = await done;
    assert.equal(code, 0);
    assert.equal(stdout.split('\n').filter(Boolean).length, 4);
    assert.deepEqual(await retained(), AFTER);
  });

  test('with nothing retained, -W ends the run (exit 27, as mosquitto_sub)', { skip }, async () => {
    await run(process.execPath, [CLI, 'sub', '-p', String(broker.port), '-t', `${G}#`, '--remove-retained', '--retained-only', '-W', '2']);
    const r = await run(process.execPath, [CLI, 'sub', '-p', String(broker.port), '-t', `${G}#`, '--remove-retained', '--retained-only', '-W', '1']);
    assert.equal(r.code, 27);
    assert.match(r.stderr, /cleared 0 retained messages/);
  });

  test('without an end, a clear line says what to add', { skip }, async () => {
    const r = await run(process.execPath, [CLI, 'sub', '-p', String(broker.port), '-t', `${G}#`, '--remove-retained']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^mqtt-pair sub: --remove-retained needs an end: add --retained-only .* -W seconds/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
