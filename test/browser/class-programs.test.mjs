// The teacher's page sees what each board runs: a board says it, retained, on <prefix>board/<role>
// (a built-in role, or a student's program with its name and hash), and `mqtt-pair watch --web`
// shows it on the pair's tile, with whether the pair still speaks « Hello #N » / « received ».
// Real Mosquitto, Node boards (SimBoard), headless chromium.
//
// MQTT_PAIR_SCREENSHOTS=<dir> saves the page there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MqttClient, nodeHost, payloadText, SimBoard } from '../../dist/index.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, assertChromium, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT, lineIn, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
const skip = chromiumSkip() || mosquittoSkip();

// The tutorial's ESP#1, written by a student, faster than every 5 s so that the test sees rounds.
const ESP1 = `let count = 0;
mqtt.subscribe('notification', (topic, message) => print('Received notification:', message));
every(300, () => {
  mqtt.publish('hello', 'Hello #' + count);
  count += 1;
});
`;
// A program that follows no pair protocol: it publishes on a topic of its own.
const TICK = "every(300, () => mqtt.publish('tick', 'tock'));\n";

/** Starts `mqtt-pair watch --web` and resolves with { child, url, exit } once it prints the page's address. */
async function serve(args) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
  const killer = setTimeout(() => child.kill('SIGKILL'), 5 * LIMIT);
  exit.then(() => clearTimeout(killer));
  child.stderr.on('data', (b) => {
    out += b;
  });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (b) => {
      out += b;
      const m = /Classroom view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]);
    });
    exit.then(() => reject(new Error(`exited before serving the page:\n${out}`)));
  });
  return { child, url, exit, output: () => out };
}

/** Each tile's name and its runs' lines: { name: { runs: [...], protocol } }. */
function runsOf(page) {
  return page.$$eval('#tiles > li', (lis) =>
    Object.fromEntries(
      lis.map((li) => [
        li.dataset.name,
        {
          state: li.dataset.state,
          runs: [...li.querySelectorAll('.runs .run')].map((e) => ({ text: e.textContent.replace(/\u00a0/g, ' '), title: e.title })),
          protocol: li.querySelector('.runs .protocol')?.dataset.follows ?? null,
          protocolText: (li.querySelector('.runs .protocol')?.textContent ?? '').replace(/\u00a0/g, ' '),
        },
      ]),
    ),
  );
}

/** The retained status under `topic`, as a fresh subscriber gets it. */
async function retainedOn(port, topic) {
  const c = new MqttClient(nodeHost(), { host: '127.0.0.1', port }, { clientId: 'class-programs-check', keepalive: 30 });
  try {
    return await new Promise((resolve, reject) => {
      c.onMessage = (m) => m.retain && resolve(payloadText(m.payload));
      c.onConnect = () => c.subscribe(topic, { qos: 1 }, (err) => err && reject(err));
      c.connect();
    });
  } finally {
    c.end();
  }
}

describe("the teacher's page shows what each board runs", { skip }, () => {
  let context, userDir, broker;

  before(async () => {
    assertChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    broker = await startMosquitto();
    userDir = mkdtempSync(join(tmpdir(), 'mqtt-pair-chromium-'));
    context = await playwright.chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 720 },
      timeout: 120_000,
    });
  });

  after(async () => {
    await context?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
    await broker?.stop();
  });

  test('a program by its name, a built-in role as such, and whether the pair protocol is followed', async () => {
    const boards = [];
    let watch;
    const board = (name, role, extra = {}) => {
      const prefix = `Lycee/SNT2/${name}/`;
      const config = {
        broker: `127.0.0.1:${broker.port}`,
        interval: 300,
        topicPrefix: prefix,
        backoffMin: 100,
        backoffMax: 500,
        role,
        clientId: `${name}-${role}`,
      };
      const b = new SimBoard({ name: `${name}-${role}`, config, print: () => {}, ...extra }).start();
      boards.push(b);
      return b;
    };
    try {
      // alice: her own ESP#1 program and a built-in ESP#2; bob: both built in; chloe: a program that
      // sends no hello (the pair protocol not seen) and a built-in ESP#2 that never hears a hello.
      board('alice', 'responder');
      board('alice', 'hello', { program: ESP1, programName: 'bonjour.js' });
      board('bob', 'responder');
      board('bob', 'hello');
      board('chloe', 'responder');
      board('chloe', 'hello', { program: TICK, programName: 'tictac.js' });
      for (const b of boards) await lineIn(b.lines, /^Connected to /, { what: 'each board connected' });
      // The status is retained: a page opened later knows it. (Chloe sends no hello: her tile comes
      // from her program's messages under her prefix.)
      const said = JSON.parse(await retainedOn(broker.port, 'Lycee/SNT2/alice/board/hello'));
      assert.equal(said.program, 'bonjour.js');
      assert.match(said.hash, /^[0-9a-f]{8}$/);
      assert.equal(said.role, 'hello');
      assert.deepEqual(JSON.parse(await retainedOn(broker.port, 'Lycee/SNT2/bob/board/responder')), { role: 'responder' });

      watch = await serve(['watch', '--broker', `127.0.0.1:${broker.port}`, '--web', '0', '--school', 'Lycee', '--class', 'SNT2', '--interval', '300']);
      const page = await context.newPage();
      await page.goto(`${watch.url}?lang=en`);
      let seen = {};
      seen = await until(
        async () => {
          seen = await runsOf(page);
          const a = seen.alice,
            b = seen.bob;
          return a?.runs.length === 2 && a.protocol === '1' && b?.runs.length === 2 && seen.chloe?.runs.length === 2 && seen;
        },
        () => `alice, bob and chloe with what their boards run; the page shows ${JSON.stringify(seen)}`,
      );
      assert.deepEqual(
        seen.alice.runs.map((r) => r.text),
        ['ESP#1: own program « bonjour.js »', 'ESP#2: built-in role (responder)'],
      );
      assert.match(seen.alice.runs[0].title, /^hash [0-9a-f]{8}$/);
      assert.equal(seen.alice.protocolText, 'follows the pair protocol: « Hello #N » answered by « received »');
      assert.deepEqual(
        seen.bob.runs.map((r) => r.text),
        ['ESP#1: built-in role (hello)', 'ESP#2: built-in role (responder)'],
      );
      assert.equal(seen.bob.protocol, null, 'built-in roles: the tile says it already');
      assert.equal(seen.chloe.runs[0].text, 'ESP#1: own program « tictac.js »');
      assert.equal(seen.chloe.protocol, '', 'a program that sends no hello: the protocol is not seen');

      // In French, as the teacher's browser speaks it.
      await page.goto(`${watch.url}?lang=fr`);
      const fr = await until(async () => {
        const r = await runsOf(page);
        return r.alice?.runs.length === 2 && r.alice.protocol === '1' && r;
      }, 'the French tiles');
      assert.deepEqual(
        fr.alice.runs.map((r) => r.text),
        ['ESP#1 : son programme « bonjour.js »', 'ESP#2 : rôle intégré (responder)'],
      );
      assert.match(fr.alice.protocolText, /^suit le protocole de la paire/);
      // The tiles alone: the header names the test's broker and its port, which a guide does not show.
      if (SHOTS) await page.locator('#main').screenshot({ path: join(SHOTS, 'class-programs-fr.png') });
      await page.goto(`${watch.url}?lang=en`);
      await until(async () => (await runsOf(page)).alice?.runs.length === 2, 'the English tiles');
      if (SHOTS) await page.locator('#main').screenshot({ path: join(SHOTS, 'class-programs-en.png') });
      await page.close();
    } finally {
      for (const b of boards) b.stop();
      watch?.child.kill('SIGTERM');
      if (watch) assert.equal((await watch.exit).code, 0, watch.output());
    }
  });
});
