// `mqtt-pair classroom` as a teacher runs it: a child process simulating a class of pairs, on the
// embedded broker and on Mosquitto; and the summary failing (exit code 1) when one pair cannot talk
// (an ACL drops its replies) or when messages cross into a pair's topics (the test injects them).
// Every wait has a generous deadline; nothing here measures time: a run that must end ok ends once
// every pair is ok (--until-ok), and one that must fail is stopped once the page's /state.json
// shows what the verdict needs.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MqttClient, SimBoard, nodeHost } from '../../dist/index.js';
import { killedAtExit } from '../helpers/child.mjs';
import { mosquittoFor } from '../helpers/mosquitto.mjs';
import { startAedes } from '../helpers/aedes.mjs';
import { LIMIT, lineIn, sleep, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');

/** Runs `mqtt-pair classroom …`; `waitFor(re)` resolves once stdout matches; `exit` with { code, stdout, stderr }. */
function classroom(args, { timeout = 3 * LIMIT } = {}) {
  const child = spawn(process.execPath, [CLI, 'classroom', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MQTT_PAIR_DEBUG: '1' } });
  killedAtExit(child);
  let stdout = '',
    stderr = '';
  const watchers = new Set();
  child.stdout.on('data', (b) => {
    stdout += b;
    for (const w of watchers) w();
  });
  child.stderr.on('data', (b) => {
    stderr += b;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), timeout);
  const exit = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      for (const w of watchers) w();
      resolve({ code, signal, stdout, stderr });
    }),
  );
  let closed = false;
  exit.then(() => {
    closed = true;
  });
  const waitFor = (re) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(stdout);
        if (m) {
          watchers.delete(check);
          resolve(m);
        } else if (closed) {
          watchers.delete(check);
          reject(new Error(`exited before printing ${re}:\n${stdout}\n${stderr}`));
        }
      };
      watchers.add(check);
      check();
    });
  return { child, exit, waitFor };
}

/** The last line of the output: the summary. */
const lastLine = (text) => text.trimEnd().split('\n').pop();

/** Runs that end once every pair is ok; --duration only stops one that never is. */
const FAST = ['--interval', '100', '--until-ok', '--duration', String(LIMIT / 1000)];

/**
 * Runs `mqtt-pair classroom … --web 0`, reads its page's /state.json until `ready(state)` says
 * the run has shown what the test needs, then stops it as Ctrl+C does: the summary follows.
 */
async function classroomUntil(args, ready, { during } = {}) {
  const run = classroom([...args, '--web', '0']);
  const [, url] = await run.waitFor(/Classroom view: (http:\/\/127\.0\.0\.1:\d+\/)/m);
  let closed = false;
  run.exit.then(() => {
    closed = true;
  });
  await until(async () => {
    if (closed) throw new Error('the run ended before the state the test waits for');
    await during?.();
    return ready(await (await fetch(new URL('state.json', url))).json());
  }, 'the state the test waits for');
  run.child.kill('SIGINT');
  return run.exit;
}
const tile = (state, name) => state.pairs.find((t) => t.name === name);
/** Every pair named has made its 3 round trips. */
const allOk = (state, names) => names.every((n) => tile(state, n)?.rounds >= 3);

test('30 pairs on the embedded broker: 30/30 pairs ok, exit code 0', async () => {
  const r = await classroom(['--pairs', '30', ...FAST]).exit;
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.equal(lastLine(r.stdout), '30/30 pairs ok');
  assert.match(r.stdout, /Embedded MQTT broker \(Aedes\) listening on 127\.0\.0\.1:\d+/);
  assert.match(r.stdout, /Ran 30 pairs \(60 simulated boards\)/);
  assert.match(r.stdout, /\d+ µs per message/, 'the CPU per message is measured');
  assert.match(r.stdout, /Memory: \d+ MB resident/);
  assert.doesNotMatch(r.stdout, /\[alice-esp1\]|Received hello/, 'no console line per board');
  assert.match(r.stdout, /one hello every 100 ms until every pair is ok or \d+ s$/m);
  assert.equal(r.stderr, '');
});

test('not a terminal: a plain summary line every 5 s, no ANSI', async () => {
  const run = classroom(['--pairs', '2', '--interval', '100', '--duration', String(LIMIT / 1000)]);
  await run.waitFor(/^\[\d+ s\] 2 pairs: \d+ ok, \d+ waiting, \d+ silent; boards \d+\/4 connected/m);
  run.child.kill('SIGINT');
  const r = await run.exit;
  assert.doesNotMatch(r.stdout, /\x1b\[/);
  assert.equal(r.stderr, '');
});

test('a bad option is one line and exit code 1', async () => {
  const r = await classroom(['--duration', '5']).exit;
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'mqtt-pair classroom: say how many pairs to simulate with --pairs, e.g. --pairs 30 (or name them with --roster FILE)\n');
  const r2 = await classroom(['--pairs', '2', '--school', 'a/b']).exit;
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /^mqtt-pair classroom: --school needs one topic level without \/ \+ or #/);
});

describe('crossed topics make the summary fail', () => {
  let aedes;
  after(() => aedes?.stop());

  test("a hello injected into bob's topic, and a message on a topic of no pair: 4/5 pairs ok, exit code 1", async () => {
    aedes = await startAedes();
    const intruder = new MqttClient(nodeHost({ log: () => {} }), { host: '127.0.0.1', port: aedes.port }, { clientId: 'intruder', reconnect: false });
    await new Promise((resolve, reject) => {
      intruder.onConnect = resolve;
      intruder.onClose = (reason) => reject(new Error(reason));
      intruder.connect();
    });
    // Again and again until the run has seen it: whenever it lands, it is not bob's ESP#1's. Mallory's
    // goes first, so that it has reached the observer by the time bob's shows as crossed.
    const r = await classroomUntil(
      ['--pairs', '5', '--broker', `127.0.0.1:${aedes.port}`, '--interval', '100'],
      (state) => allOk(state, ['alice', 'camille', 'david', 'emma']) && tile(state, 'bob')?.reason === 'crossed',
      {
        during: async () => {
          intruder.publish('LycMaurois/SNT_2nde/mallory/hello', 'Hello #0');
          intruder.publish('LycMaurois/SNT_2nde/bob/hello', 'Hello #999999');
          await sleep(250);
        },
      },
    );
    intruder.end();
    assert.equal(r.code, 1, r.stdout);
    assert.match(lastLine(r.stdout), /^4\/5 pairs ok; \d+ messages? on topics of no pair \("Hello #0" on LycMaurois\/SNT_2nde\/mallory\/hello\)$/);
    assert.match(
      r.stdout,
      /^Not ok: bob: crossed topics \(\d+\): .*"Hello #999999" on LycMaurois\/SNT_2nde\/bob\/hello, but its ESP#1 has sent only \d+ hellos/m,
    );
    assert.doesNotMatch(r.stdout, /Not ok: (alice|camille|david|emma)/);
  });
});

describe('with Mosquitto', () => {
  test('30 pairs on Mosquitto: 30/30 pairs ok, exit code 0', async (t) => {
    const m = await mosquittoFor(t);
    if (!m) return;
    const r = await classroom(['--pairs', '30', '--broker', `mqtt://127.0.0.1:${m.port}`, ...FAST]).exit;
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(lastLine(r.stdout), '30/30 pairs ok');
    assert.match(r.stdout, new RegExp(`Ran 30 pairs \\(60 simulated boards\\) for [\\d.]+ s on 127\\.0\\.0\\.1:${m.port}`));
  });

  test('the rehearsal after the sensor activity: its retained values under alice are shown, and 30/30 pairs are ok', async (t) => {
    const m = await mosquittoFor(t);
    if (!m) return;
    // What the guide's sensor activity leaves on the broker, in the guide's order.
    const sensor = new SimBoard({
      name: 'sensor',
      config: { broker: `127.0.0.1:${m.port}`, role: 'sensor', interval: 100, topicPrefix: 'LycMaurois/SNT_2nde/alice/' },
      print: () => {},
    }).start();
    await lineIn(sensor.lines, /^Connected to /);
    const connectedAt = sensor.lines.findIndex((l) => l.startsWith('Connected to '));
    await lineIn(sensor.lines, /^Published temperature/, { after: connectedAt, nth: 2 }); // on the broker: retained
    sensor.stop();
    const r = await classroom(['--pairs', '30', '--broker', `127.0.0.1:${m.port}`, ...FAST]).exit;
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(
      lastLine(r.stdout),
      /^30\/30 pairs ok; [3-9] other messages under the class, not judged \(retained "[^"]+" on LycMaurois\/SNT_2nde\/alice\/myRasp\/sensors\/\w+\)$/,
    );
  });

  test("an ACL that drops bob's notification: bob is not ok, 4/5 pairs ok, exit code 1", async (t) => {
    const m = await mosquittoFor(t, { acl: 'topic readwrite #\ntopic deny LycMaurois/SNT_2nde/bob/notification\n' });
    if (!m) return;
    // Stopped once the four others are ok and bob's ESP#1 has sent a few hellos (its ESP#2 answers
    // each in the moment; the broker drops the answers).
    const r = await classroomUntil(
      ['--pairs', '5', '--broker', `127.0.0.1:${m.port}`, '--interval', '100'],
      (state) => allOk(state, ['alice', 'camille', 'david', 'emma']) && tile(state, 'bob')?.hellos >= 5,
    );
    assert.equal(r.code, 1, r.stdout);
    assert.equal(lastLine(r.stdout), '4/5 pairs ok');
    assert.match(r.stdout, /^Not ok: bob: 0 rounds: ESP#2 answered \d+ hellos, but no answer reached ESP#1$/m);
  });
});
