// examples/node-red/flow.json in a real Node-RED (the devDependency node-red@4, with Dashboard 2.0,
// @flowfuse/node-red-dashboard), started headless as a child process against the tests' Mosquitto:
// the flow plays ESP#2 for every pair of the class, so simulated ESP#1 boards under
// LycMaurois/SNT_2nde/alice/, .../bob/ and no prefix each hear `received`, nothing is answered on a
// topic of no pair, and the dashboard lists the pairs.
//
// Everything listens on 127.0.0.1 only: Mosquitto, and Node-RED's editor, HTTP nodes and dashboard
// (uiHost). Node-RED's telemetry and update check are off, so nothing leaves the machine.
// NODE_RED_LOG=1 prints Node-RED's log at the end.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { SimBoard } from '../../dist/index.js';
import { startMosquitto, mosquittoSkip } from '../helpers/mosquitto.mjs';
import { LIMIT, until as waitUntil } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLOW = join(root, 'examples', 'node-red', 'flow.json');
const CLASS = 'LycMaurois/SNT_2nde/';
// node-red is a devDependency: when it is missing this throws and the file fails (it does not skip).
const RED_JS = join(dirname(createRequire(import.meta.url).resolve('node-red/package.json')), 'red.js');

const flow = JSON.parse(readFileSync(FLOW, 'utf8'));
const byType = (type) => flow.filter((n) => n.type === type);

/** Polls `fn` until it returns something truthy; fails with `what` (named first here). */
const until = (what, fn, ms) => waitUntil(fn, what, ms);

/** The TCP addresses process `pid` listens on ("127.0.0.1:1880"; "[ipv6 hex]:port" for IPv6), from /proc. */
function listening(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  const found = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length < 10 || c[3] !== '0A' || !inodes.has(c[9])) continue; // 0A: LISTEN
      const [addr, port] = c[1].split(':');
      const host =
        addr.length === 8
          ? addr
              .match(/../g)
              .reverse()
              .map((h) => parseInt(h, 16))
              .join('.')
          : `[${addr}]`;
      found.push(`${host}:${parseInt(port, 16)}`);
    }
  }
  return found.sort();
}

const boards = [];
function esp1(name, prefix) {
  const b = new SimBoard({
    name,
    print: () => {},
    config: { broker: `127.0.0.1:${broker.port}`, role: 'hello', topicPrefix: prefix, interval: 500, clientId: `esp1-${name}` },
  }).start();
  boards.push(b);
  return b;
}
const boardLine = (b, re, ms = LIMIT) =>
  until(
    () => `a line matching ${re} from the board; it logged:\n${b.lines.join('\n')}`,
    () => b.lines.find((l) => re.test(l)),
    ms,
  );

let broker, red, userDir, spy;
let redLog = '';
const seen = []; // every message the spy saw, as "topic payload"

/** Starts node-red/red.js on a copy of the flow; resolves with the port it listens on once MQTT is connected. */
async function startNodeRed() {
  userDir = mkdtempSync(join(tmpdir(), 'mqtt-pair-node-red-'));
  const flowFile = join(userDir, 'flows.json');
  copyFileSync(FLOW, flowFile);
  const settings = {
    userDir,
    flowFile,
    flowFilePretty: true,
    credentialSecret: false,
    uiHost: '127.0.0.1',
    uiPort: 0,
    httpAdminRoot: '/red',
    httpNodeRoot: '/',
    logging: { console: { level: 'info', metrics: false, audit: false } },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
    editorTheme: { palette: { catalogues: [] } },
    mqttReconnectTime: 500,
  };
  const settingsFile = join(userDir, 'settings.js');
  writeFileSync(settingsFile, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  const child = spawn(process.execPath, [RED_JS, '--userDir', userDir, '--settings', settingsFile], {
    cwd: userDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MQTT_HOST: '127.0.0.1', MQTT_PORT: String(broker.port) },
  });
  child.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  let gone = false;
  child.exited.then(() => {
    gone = true;
  });
  const collect = (b) => {
    redLog += b;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  red = child;
  process.once('exit', () => {
    try {
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }); // never outlive the test
  const port = await until(
    () => `Node-RED to listen and connect to the broker; its log:\n${redLog}`,
    () => {
      if (gone) throw new Error(`Node-RED exited:\n${redLog}`);
      const listening = /Server now running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(redLog);
      const connected = redLog.includes(`Connected to broker: mqtt://127.0.0.1:${broker.port}`);
      return listening && connected && Number(listening[1]);
    },
  );
  return port;
}

describe('the Node-RED flow (examples/node-red/flow.json) in a real Node-RED', { skip: mosquittoSkip() }, () => {
  let port;

  before(async () => {
    broker = await startMosquitto();
    spy = mqtt.connect(broker.url, { clientId: 'spy', reconnectPeriod: 0 });
    await new Promise((resolve, reject) => {
      spy.once('connect', resolve);
      spy.once('error', reject);
    });
    spy.on('message', (topic, payload) => seen.push(`${topic} ${payload}`));
    await spy.subscribeAsync('#', { qos: 0 });
    // A hello left retained before Node-RED starts: Node-RED gets it on subscribing, but no board waits for it.
    await spy.publishAsync(`${CLASS}zoe/hello`, 'Hello #7', { qos: 1, retain: true });
    port = await startNodeRed();
  });

  after(async () => {
    for (const b of boards) b.stop();
    if (red && red.exitCode === null && red.signalCode === null) {
      red.kill('SIGINT'); // red.js stops its flows and exits
      const timer = setTimeout(() => red.kill('SIGKILL'), 5000);
      await red.exited;
      clearTimeout(timer);
    }
    if (process.env.NODE_RED_LOG) console.log(redLog);
    await spy?.endAsync(true);
    await broker?.stop();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  test('the flow is set as the README says: broker from ${MQTT_HOST}/${MQTT_PORT}, MQTT 3.1.1, QoS 0 replies not retained', () => {
    const [b] = byType('mqtt-broker');
    assert.equal(byType('mqtt-broker').length, 1);
    assert.equal(b.broker, '${MQTT_HOST}');
    assert.equal(b.port, '${MQTT_PORT}');
    assert.equal(b.protocolVersion, '4');
    assert.equal(b.clientid, '', 'an empty client id: Node-RED draws a random one, so several instances coexist');
    assert.equal(b.cleansession, true);
    assert.deepEqual(
      byType('mqtt in')
        .map((n) => n.topic)
        .sort(),
      [`${CLASS}+/hello`, 'hello'],
    );
    const [out] = byType('mqtt out');
    assert.equal(out.topic, '', 'the reply topic comes from the message');
    assert.equal(out.qos, '0');
    assert.equal(out.retain, 'false');
    assert.ok(byType('comment').some((c) => /MQTT_HOST/.test(c.name + c.info) && /MQTT_PORT/.test(c.name + c.info)));
    assert.match(redLog, /\[mqtt-broker:Broker de la classe \/ class broker\] Connected to broker/);
  });

  test('Node-RED listens on 127.0.0.1 only and loaded Dashboard 2.0', () => {
    assert.match(redLog, /Node-RED Dashboard 2\.0 \(v\d+\.\d+\.\d+\) started at \/dashboard/);
    // The two warnings expected: credentialSecret false (the flow has no credentials anyway), and projects off.
    const warnings = redLog.split('\n').filter((l) => /\[(error|warn)\]/.test(l) && !/Using unencrypted credentials|Projects disabled/.test(l));
    assert.deepEqual(warnings, [], redLog);
    assert.match(redLog, new RegExp(`Server now running at http://127\\.0\\.0\\.1:${port}/red/`));
    if (existsSync('/proc/net/tcp')) {
      // Every socket Node-RED listens on, read from /proc: the one HTTP port (editor, dashboard), on 127.0.0.1.
      assert.deepEqual(listening(red.pid), [`127.0.0.1:${port}`]);
    }
  });

  test("nothing is answered on a topic of no pair, nor to a retained hello; a pair's hello is", async () => {
    const notifications = () => seen.filter((l) => / received$/.test(l));
    for (const topic of [
      `${CLASS}alice/other`,
      `${CLASS}carol/other`,
      `${CLASS}dave/x/hello`,
      `${CLASS}hello`,
      'Other/SNT_2nde/erin/hello',
      'helloworld',
      `${CLASS}frank/hello/x`,
    ]) {
      await spy.publishAsync(topic, 'Hello #0');
    }
    // The control, published last on the same connection: once its answer is back, any answer to the
    // messages above would be back too (one broker connection each way, in order).
    await spy.publishAsync(`${CLASS}carol/hello`, 'Hello #0');
    await until(
      () => `received on ${CLASS}carol/notification; the spy saw:\n${seen.join('\n')}`,
      () => seen.includes(`${CLASS}carol/notification received`),
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(notifications(), [`${CLASS}carol/notification received`], seen.join('\n'));
    assert.ok(!seen.some((l) => l.startsWith(`${CLASS}zoe/notification`)), 'the retained hello got no answer');
  });

  test('simulated ESP#1 boards of alice, bob and one with no prefix each hear "received" on their own topic', async () => {
    const alice = esp1('alice', `${CLASS}alice/`);
    const bob = esp1('bob', `${CLASS}bob/`);
    const bare = esp1('bare', '');
    for (const [b, prefix] of [
      [alice, `${CLASS}alice/`],
      [bob, `${CLASS}bob/`],
      [bare, ''],
    ]) {
      await boardLine(b, /^ESP received hello message$/);
      assert.ok(b.lines.includes(`Received ${prefix}notification: received`), b.lines.join('\n'));
      assert.ok(!b.lines.some((l) => /^Received /.test(l) && !l.startsWith(`Received ${prefix}notification:`)), b.lines.join('\n'));
    }
    // Wait for a few more hellos: each pair gets one answer per hello, on its own notification topic.
    for (const prefix of [`${CLASS}alice/`, `${CLASS}bob/`, '']) {
      await until(`Hello #3 on ${prefix}hello`, () => seen.includes(`${prefix}hello Hello #3`));
    }
    // Each hello seen so far gets its answer, and no more than one.
    for (const prefix of [`${CLASS}alice/`, `${CLASS}bob/`, '']) {
      const hellos = () => seen.filter((l) => l.startsWith(`${prefix}hello Hello #`)).length;
      const replies = () => seen.filter((l) => l === `${prefix}notification received`).length;
      const asked = hellos();
      await until(
        () => `${asked} replies on ${prefix}notification, got ${replies()}`,
        () => replies() >= asked,
      );
      assert.ok(replies() <= hellos(), `${replies()} replies to ${hellos()} hellos on ${prefix}hello`);
    }
    // The replies are not retained: a newcomer subscribing to the notification topics gets nothing old.
    const late = mqtt.connect(broker.url, { clientId: 'late', reconnectPeriod: 0 });
    try {
      const got = [];
      late.on('message', (topic, payload, packet) => {
        if (packet.retain) got.push(`${topic} ${payload}`);
      });
      await late.subscribeAsync([`${CLASS}+/notification`, 'notification'], { qos: 0 });
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(got, [], 'retained replies');
    } finally {
      await late.endAsync(true);
    }
  });

  test('the dashboard (127.0.0.1) serves its page and lists both pairs with their last hello and how long ago', async () => {
    const base = `http://127.0.0.1:${port}`;
    const [page] = byType('ui-page');
    const [ui] = byType('ui-base');
    const html = await fetch(`${base}${ui.path}${page.path}`);
    assert.equal(html.status, 200);
    assert.match(await html.text(), /<div id="app">/);
    const setup = await (await fetch(`${base}${ui.path}/_setup`)).json();
    assert.equal(setup.socketio.path, `${ui.path}/socket.io`);
    // The table's data as the dashboard hands it to a browser (its widget-load): refreshed on every hello.
    const [table] = byType('ui-table');
    const rows = await until('alice and bob in the table', async () => {
      const r = await fetch(`${base}${ui.path}/_debug/datastore/${table.id}`);
      const data = r.status === 200 ? await r.json() : null;
      const pairs = data?.payload ?? [];
      return ['alice', 'bob'].every((p) => pairs.some((row) => row.pair === p)) && pairs;
    });
    const names = rows.map((r) => r.pair);
    assert.deepEqual(names, [...names].sort(), 'sorted by first name');
    for (const name of ['alice', 'bob', 'carol', '(sans préfixe / no prefix)']) {
      const row = rows.find((r) => r.pair === name);
      assert.ok(row, `${name} in ${JSON.stringify(rows)}`);
      assert.match(row.last, /^Hello #\d+$/);
      assert.match(row.ago, /^\d+ s$/);
      assert.match(row.time, /^\d\d:\d\d:\d\d$/);
      assert.ok(row.count >= 1);
    }
    assert.ok(!names.includes('zoe') && !names.includes('dave'), JSON.stringify(names));
    // How long ago moves on: the table is refreshed every 5 s even without a hello. Stop bob and watch.
    const bob = boards.find((b) => b.lines.some((l) => l.includes(`${CLASS}bob/`)));
    bob.stop();
    // Its "ago" grows to 4 s and more, with no hello: the refresh without a hello moves it on.
    const later = await until('bob\'s "ago" to grow', async () => {
      const row = (await (await fetch(`${base}${ui.path}/_debug/datastore/${table.id}`)).json()).payload.find((r) => r.pair === 'bob');
      return parseInt(row.ago, 10) >= 4 && row;
    });
    assert.match(later.last, /^Hello #\d+$/);
  });
});
