// The lesser holes a mischievous student or a hostile broker found (issue 17, point 6): the
// students' server's connections capped, no page of ours in another site's frame, names and topics
// escaped on a terminal (watch, sub -v, -d, -F %t) and a WebSocket's status text and close reason
// on stderr, one wait for a full stdout in sub, and a port beyond 65535 said in one line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNACK, CONNECT, BrokerDecoder, PINGREQ, PINGRESP, PUBLISH, SUBACK, SUBSCRIBE, encode } from '../../dist/index.js';
import { connectedClient } from '../helpers/our-client.mjs';
import { mqttPair } from '../helpers/child.mjs';
import { startClassPages } from '../helpers/class-page.mjs';
import { freePort, mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { LIMIT, sleep, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

/** `mqtt-pair args` on a terminal (a pseudo-terminal from util-linux's script): { code, out }. */
function onTerminal(args, ms = LIMIT) {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm' } });
  let out = '';
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (b) => {
    out += b;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, out });
    }),
  );
}

/** Raw control bytes (C0 but tab and newlines, C1 in UTF-8, bidi overrides in UTF-8) in `text`. */
function controls(text) {
  const found = [];
  for (const m of text.matchAll(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]/g)) found.push(JSON.stringify(m[0]));
  return found;
}

/** A topic from a hostile broker: set the window title, clear the screen, reverse the text. */
const EVIL = 'cls/\x1b]0;pwned\x07\x1b[2J\u202eecila';
const EVIL_SHOWN = /cls\/\\x1b\]0;pwned\\x07\\x1b\[2J\\u202eecila/;

/**
 * A broker that answers CONNECT and SUBSCRIBE and then sends, to every subscriber, a PUBLISH on
 * each of `topics` (Mosquitto refuses control characters in a topic; a broker need not).
 */
async function hostileBroker(topics) {
  const server = createServer((s) => {
    s.on('error', () => {});
    const decoder = new BrokerDecoder((p) => {
      if (p.type === CONNECT) s.write(encode({ type: CONNACK, sessionPresent: false, returnCode: 0 }));
      else if (p.type === SUBSCRIBE) {
        s.write(encode({ type: SUBACK, id: p.id, granted: p.subscriptions.map(() => 0) }));
        for (const topic of topics) s.write(encode({ type: PUBLISH, topic, payload: Buffer.from('payload'), qos: 0, retain: false, dup: false, id: 0 }));
      } else if (p.type === PINGREQ) s.write(encode({ type: PINGRESP }));
    });
    s.on('data', (b) => {
      try {
        decoder.push(b);
      } catch {
        s.destroy();
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

describe('terminal output and stderr under a hostile broker', { skip: !SCRIPT && 'util-linux script is not installed' }, () => {
  let broker;
  before(async () => {
    broker = await hostileBroker([EVIL, 'cls/plain', 'LycMaurois/SNT_2nde/\x1b[2J\u202eecila/hello', 'LycMaurois/SNT_2nde/\x1b[2J\u202eecila/hello']);
  });
  after(async () => {
    await broker?.close();
  });

  test('sub -v, -F %t and -d on a terminal: the topic escaped (\\x1b, \\u202e); through a pipe, as it is', async () => {
    for (const args of [['-v'], ['-F', '%t %p'], ['-d']]) {
      const r = await onTerminal(['sub', '-p', String(broker.port), '-t', '#', '-C', '2', '-W', '60', ...args]);
      assert.deepEqual(controls(r.out), [], `sub ${args.join(' ')} on a terminal:\n${JSON.stringify(r.out)}`);
      assert.match(r.out, EVIL_SHOWN, `sub ${args.join(' ')}: the topic, escaped:\n${JSON.stringify(r.out)}`);
    }
    const piped = await mqttPair(['sub', '-p', String(broker.port), '-t', '#', '-C', '2', '-W', '60', '-v']).exit;
    assert.ok(piped.stdout.includes(`${EVIL} payload`), 'a pipe gets the topic byte for byte, as mosquitto_sub gives it');
    const debug = await mqttPair(['sub', '-p', String(broker.port), '-t', '#', '-C', '2', '-W', '60', '-d']).exit;
    const lines = debug.raw.split('\n').filter((l) => l.startsWith('Client '));
    assert.ok(
      lines.some((l) => EVIL_SHOWN.test(l)),
      debug.raw,
    );
    assert.deepEqual(controls(Buffer.from(lines.join('\n'), 'utf8').toString('latin1')), [], '-d lines are for people: escaped in a pipe too');
  });

  test('watch in a terminal and in a pipe: a pair named by a hostile topic is escaped', async () => {
    const tty = await onTerminal(['watch', '--broker', `127.0.0.1:${broker.port}`, '--duration', '2', '--interval', '200']);
    // The table is drawn with the view's own escapes (colours, cursor): none may come from the topic.
    assert.ok(!/\x1b\[2J/.test(tty.out), 'no clear-screen from the topic');
    assert.ok(!tty.out.includes('\xe2\x80\xae'), 'no right-to-left override from the topic');
    assert.match(tty.out, /\\x1b\[2J\\u202eec/, 'the name, escaped (the table may cut it)');
    const plain = await mqttPair(['watch', '--broker', `127.0.0.1:${broker.port}`, '--duration', '6', '--interval', '200']).exit;
    assert.match(plain.stdout, /\\x1b\[2J\\u202eecila/);
    assert.deepEqual(controls(Buffer.from(plain.stdout, 'utf8').toString('latin1')), [], plain.stdout);
  });
});

describe('a WebSocket server with hostile words', () => {
  test("the upgrade's status text and the close reason reach stderr escaped", async () => {
    const server = createServer((s) => {
      s.once('data', (d) => {
        const text = d.toString();
        if (text.startsWith('GET /refuse')) return s.end('HTTP/1.1 403 \x1b]0;pwned\x07\x1b[2JForbidden\u202e\r\nContent-Length: 0\r\n\r\n');
        const key = /Sec-WebSocket-Key: (\S+)/i.exec(text)[1];
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        s.write(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`,
        );
        const reason = Buffer.from('\x1b[2J\u202ebye');
        s.end(Buffer.concat([Buffer.from([0x88, 2 + reason.length, 0x0f, 0xa0]), reason])); // 4000, then the reason
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const port = server.address().port;
    try {
      for (const path of ['refuse', 'mqtt']) {
        const r = await mqttPair(['sub', '-L', `ws://127.0.0.1:${port}/${path}/t`, '-W', '60']).exit;
        assert.deepEqual(controls(Buffer.from(r.stderr, 'utf8').toString('latin1')), [], r.stderr);
        assert.match(r.stderr, path === 'refuse' ? /HTTP 403 \\x1b\]0;pwned\\x07\\x1b\[2JForbidden/ : /code 4000: \\x1b\[2J\\u202ebye/);
      }
    } finally {
      server.close();
    }
  });
});

describe('sub and a stdout that stops reading', { skip: mosquittoSkip() }, () => {
  test('one wait for the drain, not one listener a message; every message once it reads again', async () => {
    const broker = await startMosquitto();
    // A retained message first, which the sub gets once its subscription is in place: then the 600.
    const p = await connectedClient(broker.port, { clientId: 'full-pub' });
    p.publish('full/ready', 'ready', { retain: true });
    const child = spawn(process.execPath, [CLI, 'sub', '-p', String(broker.port), '-t', 'full/#', '-C', '601'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill(), LIMIT);
    let err = '',
      lines = 0;
    child.stderr.on('data', (b) => {
      err += b;
    });
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve)); // "ready": subscribed
      lines = 1;
      child.stdout.pause(); // a reader that stops: stdout fills
      // 1.2 MB: many messages in each piece the client reads, while the pipe (64 KB) is full.
      const line = 'x'.repeat(2000);
      for (let i = 0; i < 600; i++) p.publish('full/x', `${i} ${line}`);
      await sleep(3000);
      child.stdout.on('data', (b) => {
        lines += b.toString().split('\n').length - 1;
      });
      child.stdout.resume();
      const code = await new Promise((r) => child.once('close', r));
      p.end();
      assert.equal(code, 0, err);
      assert.equal(lines, 601);
      assert.doesNotMatch(err, /MaxListenersExceededWarning/);
    } finally {
      clearTimeout(killer);
      child.kill();
      await broker.stop();
    }
  });
});

describe('the pages of watch --web', { skip: mosquittoSkip() }, () => {
  let broker, watch, base, students;
  before(async () => {
    broker = await startMosquitto();
    const listenPort = await freePort();
    watch = await startClassPages(broker, { studentBroker: null, duration: 600, school: 'S', className: 'C', args: ['--listen', `127.0.0.2:${listenPort}`] });
    base = watch.classUrl;
    students = `http://127.0.0.2:${listenPort}/`;
  });
  after(async () => {
    await watch?.stop();
    await broker?.stop();
  });

  test("no answer may be framed by another site: frame-ancestors 'none' and X-Frame-Options DENY", async () => {
    for (const url of [base, `${base}student`, `${base}state.json`, `${base}nothing`, students, `${students}student`, `${students}nothing`]) {
      const r = await fetch(url, { redirect: 'manual' });
      assert.equal(r.headers.get('x-frame-options'), 'DENY', url);
      if (/html/.test(r.headers.get('content-type') ?? '')) assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, url);
    }
  });

  test('in chromium, a page of another origin cannot frame the class page', { skip: chromiumSkip() }, async () => {
    const framing = createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe id="f" src="${base}" width="800" height="600"></iframe>`),
    );
    await new Promise((r) => framing.listen(0, '127.0.0.3', r));
    const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.3:${framing.address().port}/`);
      await sleep(1500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(frame, 'the frame exists');
      const title = await frame.title().catch(() => '');
      assert.doesNotMatch(title, /class|classe/i, `the class page did not load in the frame (${frame.url()})`);
      assert.equal(await frame.$('#tiles').catch(() => null), null);
    } finally {
      await browser.close();
      framing.close();
    }
  });

  test("the students' server takes 256 connections at once; more are closed, and the class page still answers", async () => {
    const { port } = new URL(students);
    const sockets = [];
    let closedEarly = 0;
    for (let i = 0; i < 400; i++) {
      const s = connect(Number(port), '127.0.0.2');
      s.on('error', () => {});
      s.once('close', () => {
        closedEarly++;
      });
      sockets.push(s);
    }
    await until(
      () => closedEarly >= 400 - 256,
      () => `the server closing the 144 over its 256 (${closedEarly} of 400 closed)`,
    );
    const state = await fetch(`${base}state.json`);
    assert.equal(state.status, 200, 'the class page answers');
    for (const s of sockets) s.destroy();
    // Served again once the server has seen them go (it may still be full a moment after).
    const again = await until(() => fetch(`${students}student`).catch(() => null), "the students' page again, once they left");
    assert.equal(again.status, 200, "the students' page again, once they left");
  });

  test('--web 65535 with --listen and no port: one clear line, exit code 1', () => {
    const r = spawnSync(process.execPath, [CLI, 'watch', '--web', '65535', '--listen', '127.0.0.2'], { encoding: 'utf8', timeout: LIMIT });
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /^mqtt-pair watch: --web 65535 leaves no port after it for the students' page: give one with --listen 127\.0\.0\.2:8081, or a lower --web port\n$/,
    );
  });
});
