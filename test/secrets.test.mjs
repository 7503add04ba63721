// The broker's password never shows: every form of a broker value that holds it (a user name with
// '@', an empty user name, a password with '/', '@' and ':', %-escapes, no scheme, no host, a bad
// port, another scheme, a bad escape) goes to every command (pub and sub -L, pub -h, sim, remote, actuator,
// chat, watch in a terminal and with its page, classroom with its page, --student-broker), against
// a Mosquitto that knows the right password (so some runs connect and some are refused). Nothing
// they print (stdout, stderr, -d) or serve (/, /state.json, /events, /student, /student.js)
// holds the password or a piece of it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mqttPair } from './helpers/child.mjs';
import { mosquittoSkip, startMosquitto } from './helpers/mosquitto.mjs';
import { SECRET } from './helpers/secrets.mjs';

const USER = 'teacher@school.fr';
/** Pieces of the password that must not show either (a redaction that stops early shows them). */
const PIECES = [SECRET, 'S3cret', 'cretPW', '%zz'];

/** A broker value in each form, for a broker at `tcp` (host:port) with a WebSocket at `ws`. */
function forms(tcp, ws) {
  return [
    `mqtt://${USER}:${SECRET}@${tcp}`,
    `mqtt://teacher%40school.fr:${SECRET}@${tcp}`,
    `mqtt://@:${SECRET}@${tcp}`,
    `mqtt://:${SECRET}@${tcp}`,
    `mqtt://${USER}:${SECRET}/x@y@${tcp}`,
    `mqtt://${USER}:${SECRET}:x@${tcp}`,
    `ws://${USER}:${SECRET}@${ws}/mqtt`,
    `mqtts://${USER}:${SECRET}@${tcp}`,
    `${USER}:${SECRET}@${tcp}`,
    `mqtt://${USER}:${SECRET}@127.0.0.1:99999`,
    `mqtt://${USER}:${SECRET}`,
    `mqtt://${USER}:${SECRET}/x`,
    `http://${USER}:${SECRET}@${tcp}`,
    `mqtt://teacher:%zz${SECRET}@${tcp}`,
  ];
}

/** The value with a topic after it, as -L wants (ws:// has its path first). */
const withTopic = (form) => `${form}/class/t`;

function assertClean(what, text) {
  for (const piece of PIECES) assert.ok(!text.includes(piece), `${what} shows '${piece}':\n${text.slice(0, 3000)}`);
}

/** The first Server-Sent Event of `url`, as text. */
async function firstEvent(url) {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  const reader = res.body.getReader();
  let text = '';
  const deadline = Date.now() + 10_000;
  while (!/\n\n[\s\S]*data: /.test(`\n\n${text}`) || !text.includes('\n\n')) {
    const { value, done } = await Promise.race([reader.read(), new Promise((r) => setTimeout(() => r({ done: true }), Math.max(1, deadline - Date.now())))]);
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  ac.abort();
  return text;
}

/** Every page a --web command serves, as one text. */
async function pages(base) {
  const out = [];
  for (const path of ['/', '/state.json', '/student', '/student.js']) {
    const r = await fetch(base + path);
    out.push(`${path} ${r.status}\n${await r.text()}`);
  }
  out.push(await firstEvent(`${base}events`));
  return out.join('\n');
}

describe('the password, in every form, on every command and page', { skip: mosquittoSkip() }, () => {
  let broker, all;
  before(async () => {
    broker = await startMosquitto({ users: { [USER]: SECRET }, listeners: [{ protocol: 'websockets' }] });
    all = forms(`127.0.0.1:${broker.port}`, `127.0.0.1:${broker.ports[0]}`);
  });
  after(async () => {
    await broker?.stop();
  });

  /** Runs `mqtt-pair args` until it exits, or `stopAfter` a line (then SIGINT); checks all it printed. */
  async function run(args, { input, until, ms = 20_000, web } = {}) {
    const r = mqttPair(args, { input, timeout: 60_000 });
    let served = '';
    if (until) {
      const seen = await r.waitFor('stdout', until, ms).catch(() => null);
      if (seen && web) served = await pages(seen[1]);
      if (seen) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const exit = until ? await r.stop() : await r.exit;
    const label = `mqtt-pair ${args.join(' ')}`;
    assertClean(`${label}: stdout`, exit.raw);
    assertClean(`${label}: stderr`, exit.stderr);
    if (web) assertClean(`${label}: its pages`, served);
    return { ...exit, served };
  }

  /** Runs `fn` on every form, four at a time. */
  async function each(fn) {
    const queue = [...all];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let f = queue.shift(); f !== undefined; f = queue.shift()) await fn(f);
      }),
    );
  }

  test('pub -L and sub -L (with -d, which prints the CONNECT)', async () => {
    let connected = 0;
    await each(async (form) => {
      await run(['pub', '-L', withTopic(form), '-m', 'hi', '-d']);
      await run(['pub', '-h', form, '-t', 'class/t', '-m', 'hi']); // a URL where a host goes
      const r = await run(['sub', '-L', withTopic(form), '-d', '-W', '1', '-E']);
      if (/CONNACK \(0\)/.test(r.raw)) connected++;
    });
    assert.ok(connected >= 2, `the right password connects (${connected} forms did)`);
  });

  test('sim, remote, actuator and chat', async () => {
    await each(async (form) => {
      await run(['sim', '--broker', form, '--no-wifi', '--interval', '300'], { until: /Connected to|Config error|Failed to connect|refused/, ms: 8000 });
      await run(['remote', '--broker', form, '--no-wifi'], { input: 'up\n' });
      await run(['actuator', '--broker', form, '--no-wifi'], { until: /Connected to|Config error|Failed|refused/, ms: 8000 });
      await run(['chat', '--broker', form, '--name', 'alice', '--peer', 'bob'], { input: 'hi\n' });
    });
  });

  test("watch: in a terminal, and its page, the events and the students' page", async () => {
    let served = 0;
    await each(async (form) => {
      await run(['watch', '--broker', form, '--duration', '1.5', '--interval', '200']);
      const r = await run(['watch', '--broker', form, '--web', '0', '--school', 'S', '--class', 'C'], {
        until: /Classroom view: (http:\/\/\S+\/)/,
        web: true,
        ms: 8000,
      });
      if (r.served) served++;
      await run(['watch', '--web', '0', '--broker', `127.0.0.1:${broker.port}`, '--student-broker', form]);
    });
    assert.ok(served >= 2, `pages served and checked for ${served} forms`);
  });

  test("classroom: its summary, its page and the students' page", async () => {
    let served = 0;
    await each(async (form) => {
      const r = await run(['classroom', '--broker', form, '--pairs', '1', '--interval', '200', '--web', '0', '--duration', '4'], {
        until: /Classroom view: (http:\/\/\S+\/)/,
        web: true,
        ms: 8000,
      });
      if (r.served) served++;
    });
    assert.ok(served >= 2, `pages served and checked for ${served} forms`);
  });
});
