// The seed's pair of boards, end to end in the host simulator: on Aedes and on Mosquitto,
// with the real mosquitto clients, through WiFi loss, a missing broker, the restart budget and bad config.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { SimWiFi } from '../../dist/index.js';
import { board } from '../helpers/sim-boards.mjs';
import { embeddedBrokerFor, startEmbeddedBroker } from '../helpers/embedded.mjs';
import { freePort, mosquittoFor, mosquittoTool } from '../helpers/mosquitto.mjs';
import { waitForLine } from '../helpers/child.mjs';
import { lineIn, sleep, until } from '../helpers/wait.mjs';

async function exchange(port, prefix) {
  const broker = `127.0.0.1:${port}`;
  const esp2 = board('esp2', { broker, role: 'responder', topicPrefix: prefix, clientId: `${prefix}esp2` });
  await waitForLine(esp2, new RegExp(`^Connected to ${broker} MQTT broker, subscribed to ${prefix}hello topic$`));
  const esp1 = board('esp1', { broker, role: 'hello', topicPrefix: prefix, clientId: `${prefix}esp1` });
  await waitForLine(esp1, new RegExp(`^Connected to ${broker} MQTT broker, subscribed to ${prefix}notification topic$`));
  await waitForLine(esp2, new RegExp(`^Received ${prefix}hello: Hello #0$`));
  await waitForLine(esp1, /^ESP received hello message$/);
  await waitForLine(esp2, new RegExp(`^Received ${prefix}hello: Hello #2$`));
  const hellos = esp2.lines.filter((l) => l.includes('Hello #')).map((l) => Number(l.split('#')[1]));
  assert.deepEqual(
    hellos,
    hellos.map((_, i) => i),
    'hellos arrive in order, counting from 0',
  );
  esp1.stop();
  esp2.stop();
}

test('the pair exchanges hello and received on Aedes', async (t) => {
  const aedes = await embeddedBrokerFor(t);
  await exchange(aedes.port, '');
});

describe('with Mosquitto', () => {
  test('the pair exchanges hello and received, under a classroom topic prefix', async (t) => {
    const m = await mosquittoFor(t);
    if (!m) return;
    await exchange(m.port, 'LycMaurois/SNT_2nde/alice/');
  });

  test('mosquitto_sub sees Hello #0, #1, #2; mosquitto_pub of received makes ESP#1 say so', async (t) => {
    const m = await mosquittoFor(t);
    if (!m) return;
    const sub = spawn(mosquittoTool('mosquitto_sub'), ['-h', '127.0.0.1', '-p', String(m.port), '-t', 'hello', '-t', 'probe', '-v']);
    let out = '';
    sub.stdout.on('data', (d) => {
      out += d;
    });
    // Wait until mosquitto_sub is subscribed: a probe comes back.
    await until(async () => {
      spawn(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(m.port), '-t', 'probe', '-m', 'ready']);
      await sleep(200);
      return out.includes('probe ready');
    }, 'mosquitto_sub subscribed (a probe back)');
    const esp1 = board('esp1', { broker: `127.0.0.1:${m.port}`, role: 'hello', clientId: 'esp1-cli' });
    await waitForLine(esp1, /subscribed to notification topic/);
    await until(
      () => out.includes('hello Hello #2'),
      () => `Hello #2 at mosquitto_sub, which saw:\n${out}`,
    );
    sub.kill();
    const hellos = out.split('\n').filter((l) => l.startsWith('hello '));
    assert.deepEqual(hellos.slice(0, 3), ['hello Hello #0', 'hello Hello #1', 'hello Hello #2']);
    const pub = spawn(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(m.port), '-t', 'notification', '-m', 'received']);
    await new Promise((r) => pub.on('exit', r));
    await waitForLine(esp1, /^ESP received hello message$/);
    assert.ok(esp1.lines.includes('Received notification: received'));
    esp1.stop();
  });

  test('wrong credentials: the refusal is named, retried at the slow pace, and the password never logged', async (t) => {
    const m = await mosquittoFor(t, { users: { student: 'right-pass' } });
    if (!m) return;
    const esp1 = board('esp1', { broker: `mqtt://student:Wr0ngPa55@127.0.0.1:${m.port}`, role: 'hello', backoffMin: 10, backoffMax: 200 });
    // backoffMin is 10 ms: a refusal must wait the slowest pace (200 ms ± 20%), not the fastest.
    await waitForLine(
      esp1,
      /^Failed to connect to MQTT broker: connection refused: (not authorized|bad user name or password)\. Reconnecting in 0\.2 s\.\.\.$/,
    );
    esp1.stop();
    assert.ok(!esp1.lines.some((l) => l.includes('Wr0ngPa55')), 'the password is not in the log');
    const ok = board('esp1b', { broker: `mqtt://student:right-pass@127.0.0.1:${m.port}`, role: 'hello' });
    await waitForLine(ok, /^Connected to 127\.0\.0\.1:\d+ MQTT broker/);
    ok.stop();
  });
});

test('WiFi dropped and back: MQTT pauses, then reconnects and the count goes on', async (t) => {
  const aedes = await embeddedBrokerFor(t);
  const wifi = new SimWiFi(20);
  const esp1 = board('esp1', { ssid: 'classroom', broker: `127.0.0.1:${aedes.port}`, role: 'hello', wifiRetry: 50, wifiTimeout: 200 }, { wifi });
  await waitForLine(esp1, /^Connection successful$/);
  await waitForLine(esp1, /^IP address 127\.0\.0\.1$/);
  await waitForLine(esp1, /subscribed to notification topic/);
  wifi.drop();
  await waitForLine(esp1, /^WiFi disconnected: MQTT paused until the WiFi is back$/);
  await waitForLine(esp1, /^WiFi: no IP address from WiFi "classroom" after 0\.2 s/);
  assert.equal(esp1.board.client.connected, false);
  const before = esp1.lines.length;
  wifi.restore();
  await lineIn(esp1.lines, /^Connection successful$/, { after: before });
  await lineIn(esp1.lines, /subscribed to notification topic/, { after: before });
  esp1.stop();
});

test('no broker at boot, then a broker: the board keeps trying and connects', async () => {
  const port = await freePort();
  const esp1 = board('esp1', { broker: `127.0.0.1:${port}`, role: 'hello', backoffMin: 50, backoffMax: 100 });
  await waitForLine(
    esp1,
    new RegExp(`^Failed to connect to MQTT broker: no MQTT broker at 127\\.0\\.0\\.1:${port} \\(connection refused\\)\\. Reconnecting in 0\\.\\d s\\.\\.\\.$`),
  );
  const aedes = await startEmbeddedBroker(port);
  try {
    await waitForLine(esp1, /^Connected to 127\.0\.0\.1:\d+ MQTT broker, subscribed to notification topic$/);
    esp1.stop();
  } finally {
    await aedes.close();
  }
});

test('after restartAfter failures in a row the board restarts, and boots again from nothing', async () => {
  const port = await freePort();
  const esp1 = board('esp1', { broker: `127.0.0.1:${port}`, role: 'hello', backoffMin: 20, backoffMax: 40, restartAfter: 3 });
  await waitForLine(esp1, /3 failures in a row: restarting the board\.\.\.$/);
  await waitForLine(esp1, /^Board restarted \(simulated reset #1\)/);
  assert.equal(esp1.lines.filter((l) => l.startsWith('Failed to connect')).length >= 3, true);
  await waitForLine(esp1, /^Board restarted \(simulated reset #2\)/);
  esp1.stop();
});

test('a broker name that does not resolve is said plainly', async () => {
  const esp1 = board(
    'esp1',
    { broker: 'raspberrypi.invalid', role: 'hello' },
    {
      // No DNS query leaves this machine: the connection fails the way node:net reports ENOTFOUND.
      connect: (to, events) => {
        setTimeout(() => events.closed(`broker host name "${to.host}" does not resolve`), 5);
        return { write() {}, close() {} };
      },
    },
  );
  await waitForLine(esp1, /^Failed to connect to MQTT broker: broker host name "raspberrypi\.invalid" does not resolve\. Reconnecting/);
  esp1.stop();
});
