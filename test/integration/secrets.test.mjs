// The broker's password never shows: every form of a broker value that holds it (a user name with
// '@', an empty user name, a password with '/', '@' and ':', %-escapes, no scheme, no host, a bad
// port, another scheme, a bad escape) goes to every command (pub and sub -L, pub -h, sim, remote, actuator,
// chat, watch in a terminal and with its page, classroom with its page, --student-broker), against
// a Mosquitto that knows the right password (so some runs connect and some are refused). Nothing
// they print (stdout, stderr, -d) or serve (/, /state.json, /events, /student, /student.js, the
// explorer, the set-up page's API) holds the password or a piece of it. A request with another
// Host (DNS rebinding) gets 421 from every page's server, a post from another origin 403, and
// neither answer holds the roster, the SSID or the password.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mqttPair } from '../helpers/child.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { SECRET } from '../helpers/secrets.mjs';
import { LIMIT } from '../helpers/wait.mjs';

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

/** How long a command may take to print its page's address: a form it refuses ends it at once
 *  (its exit ends the wait), so this only bounds a start on a loaded machine. */
const PAGE_LINE = 60_000;

/** The value with a topic after it, as -L wants (ws:// has its path first). */
const withTopic = (form) => `${form}/class/t`;

function assertClean(what, text) {
  for (const piece of PIECES) assert.ok(!text.includes(piece), `${what} shows '${piece}':\n${text.slice(0, 3000)}`);
}

/** The roster's names and the WiFi's name: never in an answer to another site. */
const ROSTER = ['zephyrine', 'octavia'];
const SSID = 'RoomSsid42';

/** A request with its own Host and Origin (fetch keeps its Host): { status, text }. */
function raw(url, method, headers = {}, body = undefined) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path: u.pathname, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What a page of another site gets from the server at `base` (http://127.0.0.1:PORT/): `gets`
 *  and `posts` asked as a rebinding page asks (its own Host and Origin, any header: 421), then
 *  from another origin with our Host (403). Checks each answer; returns them as one text. */
async function foreign(base, gets, posts) {
  const { host, origin } = new URL(base);
  const evilHost = `evil.example:${new URL(base).port}`;
  const body = JSON.stringify({ board: 'mqtt-pair-evil', branch: '' });
  const json = { 'content-type': 'application/json', 'x-mqtt-pair': '1' };
  const out = [];
  const check = (what, r, status) => {
    assert.equal(r.status, status, `${what}: ${r.text}`);
    for (const word of [...ROSTER, SSID]) assert.ok(!r.text.includes(word), `${what} shows '${word}': ${r.text}`);
    out.push(`${what} ${r.status}\n${r.text}`);
  };
  for (const path of gets) {
    check(`GET ${path}, Host ${evilHost}`, await raw(base + path.slice(1), 'GET', { host: evilHost }), 421);
    // A script of another site asking with our Host (its answer unreadable to it anyway).
    check(`GET ${path}, Origin http://evil.example`, await raw(base + path.slice(1), 'GET', { host, origin: 'http://evil.example' }), 403);
  }
  for (const path of posts) {
    const rebinding = { ...json, host: evilHost, origin: `http://${evilHost}` };
    check(`POST ${path}, Host ${evilHost}`, await raw(base + path.slice(1), 'POST', rebinding, body), 421);
    for (const other of ['http://evil.example', 'null', origin.replace(/:(\d+)$/, (_, p) => `:${Number(p) + 1}`)])
      check(`POST ${path}, Origin ${other}`, await raw(base + path.slice(1), 'POST', { ...json, host, origin: other }, body), 403);
  }
  return out.join('\n');
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

/** Every page a --web command serves, as one text, with what another site gets from it. */
async function pages(base, { gets = ['/', '/state.json', '/student', '/student.js'], posts = ['/pairs/pair1/stop'] } = {}) {
  const out = [];
  for (const path of gets) {
    const r = await fetch(base + path.slice(1));
    out.push(`${path} ${r.status}\n${await r.text()}`);
  }
  out.push(await firstEvent(`${base}events`));
  out.push(await foreign(base, [...gets, '/events'], posts));
  return out.join('\n');
}

describe('the password, in every form, on every command and page', { skip: mosquittoSkip() }, () => {
  let broker, all, work, roster;
  before(async () => {
    broker = await startMosquitto({ users: { [USER]: SECRET }, listeners: [{ protocol: 'websockets' }] });
    all = forms(`127.0.0.1:${broker.port}`, `127.0.0.1:${broker.ports[0]}`);
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-secrets-'));
    roster = join(work, 'names.txt');
    writeFileSync(roster, `${ROSTER.join('\n')}\n`);
  });
  after(async () => {
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs `mqtt-pair args` until it exits, or `stopAfter` a line (then SIGINT); checks all it printed. */
  async function run(args, { input, until, ms = 20_000, web } = {}) {
    const r = mqttPair(args, { input, timeout: LIMIT });
    let served = '';
    if (until) {
      const seen = await r.waitFor('stdout', until, ms).catch(() => null);
      if (seen && web) served = await pages(seen[1], web === true ? undefined : web);
      if (seen) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const exit = until ? await r.stop() : await r.exit;
    const label = `mqtt-pair ${args.join(' ')}`;
    assertClean(`${label}: stdout`, exit.raw);
    assertClean(`${label}: stderr`, exit.stderr);
    if (web) assertClean(`${label}: its pages`, served);
    return { ...exit, served };
  }

  /** `each`, for a command that serves a page: `fn(form, served)` calls `served()` once the page
   *  was served and checked, which it must be for 2 forms at least. */
  async function eachServed(fn) {
    let served = 0;
    await each((form) => fn(form, () => served++));
    assert.ok(served >= 2, `pages served and checked for ${served} forms`);
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
      const r = await run(['sub', '-L', withTopic(form), '-d', '-W', '20', '-E']);
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
    await eachServed(async (form, served) => {
      await run(['watch', '--broker', form, '--duration', '1.5', '--interval', '200']);
      const r = await run(['watch', '--broker', form, '--web', '0', '--school', 'S', '--class', 'C', '--roster', roster], {
        until: /Classroom view: (http:\/\/\S+\/)/,
        web: true,
        ms: PAGE_LINE,
      });
      if (r.served) served();
      await run(['watch', '--web', '0', '--broker', `127.0.0.1:${broker.port}`, '--student-broker', form]);
    });
  });

  test("classroom: its summary, its page and the students' page", async () => {
    await eachServed(async (form, served) => {
      const r = await run(['classroom', '--broker', form, '--pairs', '1', '--interval', '200', '--web', '0', '--duration', '600'], {
        until: /Classroom view: (http:\/\/\S+\/)/,
        web: true,
        ms: PAGE_LINE,
      });
      if (r.served) served();
    });
  });

  test('explore: its page and its events', async () => {
    await eachServed(async (form, served) => {
      const r = await run(['explore', '--broker', form, '--web', '0', '-t', 'class/#'], {
        until: /Explorer: (http:\/\/\S+\/)/,
        web: { gets: ['/', '/explorer.js'], posts: ['/clear'] },
        ms: PAGE_LINE,
      });
      if (r.served) served();
    });
  });

  test("setup --web: the class it polls, and nothing for another site; the broker's setting only in a board's own answer", async () => {
    await eachServed(async (form, served) => {
      const args = ['setup', '--web', '0', '--roster', roster, '--school', 'S', '--class', 'C', '--ssid', SSID, '--broker', form];
      const r = mqttPair(args, { timeout: LIMIT });
      const seen = await r.waitFor('stdout', /The class set-up page: (http:\/\/\S+\/)/, PAGE_LINE).catch(() => null);
      let text = '';
      if (seen) {
        const base = seen[1];
        const cls = await fetch(`${base}api/class`);
        assert.equal(cls.status, 200);
        text = `/api/class\n${await cls.text()}`;
        assert.ok(text.includes(ROSTER[0]) && text.includes(SSID), 'our own page gets the class');
        for (const path of ['/', '/setup.js']) text += `\n${path}\n${await (await fetch(base + path.slice(1))).text()}`;
        text += await foreign(base, ['/', '/setup.js', '/api/class'], ['/api/boards', '/api/boards/done', '/api/boards/failed']);
        // Our own page, asking for a board: the one answer that holds the broker's setting as given.
        const own = await raw(
          `${base}api/boards`,
          'POST',
          { host: new URL(base).host, 'content-type': 'application/json', 'x-mqtt-pair': '1' },
          '{"board":"mqtt-pair-ours"}',
        );
        assert.equal(own.status, 200, own.text);
        assert.deepEqual(JSON.parse(own.text).settings[0], ['broker', form]);
        text += `\n/api/class\n${await (await fetch(`${base}api/class`)).text()}`;
        served();
      }
      const exit = seen ? await r.stop() : await r.exit;
      assertClean(`mqtt-pair ${args.join(' ')}: stdout`, exit.raw);
      assertClean(`mqtt-pair ${args.join(' ')}: stderr`, exit.stderr);
      assertClean(`mqtt-pair ${args.join(' ')}: its pages`, text);
    });
  });
});
