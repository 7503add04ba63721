// A board (in the host simulator, the firmware's own code) against what a class can throw at it:
// a message above its 16 KB limit, a payload made of terminal commands, a broker that accepts and
// drops every connection, one that is slow to acknowledge a subscription, and `npm start` pairing
// its two boards without the WiFi step. On Mosquitto as it comes, and on fake brokers of a few lines.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { SimBoard } from '../../dist/index.js';
import { mqttPair } from '../helpers/child.mjs';
import { mosquittoSkip, mosquittoTool, startMosquitto } from '../helpers/mosquitto.mjs';
import { lineIn, until } from '../helpers/wait.mjs';

const boards = [];
after(() => {
  for (const b of boards) b.stop();
});
function board(name, config) {
  const b = new SimBoard({ name, config: { interval: 100, backoffMin: 100, backoffMax: 300, ...config }, print: () => {}, restartDelay: 50 });
  boards.push(b);
  return b.start();
}
const waitFor = (b, re, options) => lineIn(b.lines, re, options);

describe('on a stock Mosquitto', { skip: mosquittoSkip() }, () => {
  let broker, pub;
  before(async () => {
    broker = await startMosquitto();
    pub = (...args) => execFileSync(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), ...args]);
  });
  after(async () => {
    await broker?.stop();
  });

  test('a retained message above the 16 KB limit is skipped once, said once, and the board goes on without reconnecting', async () => {
    const prefix = 'cls/alice/';
    pub('-t', `${prefix}hello`, '-r', '-m', 'x'.repeat(17 * 1024));
    const esp2 = board('esp2', { broker: `127.0.0.1:${broker.port}`, role: 'responder', topicPrefix: prefix });
    await waitFor(esp2, /^Connected to /);
    await waitFor(esp2, /^Message on cls\/alice\/hello of 17,\d{3} bytes skipped: above the 16 KB limit of this board$/);
    pub('-t', `${prefix}hello`, '-m', 'Hello #0');
    pub('-t', `${prefix}hello`, '-m', 'x'.repeat(20000));
    pub('-t', `${prefix}hello`, '-m', 'Hello #1');
    await waitFor(esp2, /^Received cls\/alice\/hello: Hello #1$/);
    esp2.stop();
    pub('-t', `${prefix}hello`, '-r', '-n');
    assert.equal(esp2.lines.filter((l) => /skipped/.test(l)).length, 1, 'said once for the topic');
    assert.equal(esp2.board?.client.skipped ?? 2, 2);
    assert.equal(esp2.lines.filter((l) => /^(Lost|Failed)/.test(l)).length, 0, esp2.lines.join('\n'));
    assert.equal(esp2.lines.filter((l) => /^Connected to /.test(l)).length, 1);
  });

  test('a payload of terminal commands is shown as text, one message one line', async () => {
    const esp2 = board('esp2', { broker: `127.0.0.1:${broker.port}`, role: 'responder', topicPrefix: 'esc/' });
    await waitFor(esp2, /^Connected to /);
    pub('-t', 'esc/hello', '-m', '\x1b]0;PWNED\x07\x1b[2J\nFake line\u202e');
    await waitFor(esp2, /^Received esc\/hello: /);
    esp2.stop();
    const line = esp2.lines.find((l) => l.startsWith('Received esc/hello: '));
    assert.equal(line, 'Received esc/hello: \\x1b]0;PWNED\\x07\\x1b[2J\\x0aFake line\\u202e');
    assert.ok(esp2.lines.every((l) => !/[\x00-\x08\x0a-\x1f\x7f-\x9f\u202e]/.test(l)));
  });

  test("chat prints a peer's message on one line, as text", async () => {
    const chat = mqttPair(['chat', '--broker', `127.0.0.1:${broker.port}`, '--name', 'bob', '--peer', 'alice'], { openStdin: true });
    await chat.waitFor('stderr', /connected to/);
    pub('-t', 'alice', '-m', 'hi\nbob: I am bob\x1b[31m');
    await chat.waitFor('stdout', /^alice: /m);
    chat.child.kill('SIGINT');
    const r = await chat.exit;
    assert.equal(r.stdout, 'alice: hi\\x0abob: I am bob\\x1b[31m\n');
  });

  test("a piped chat and a piped remote deliver every line (300 each, beyond a board's queue of 100) before they exit 0", async () => {
    const { mosquittoSub } = await import('../helpers/mosquitto.mjs');
    const sub = await mosquittoSub(broker.port, ['-q', '1', '-t', 'pipe/alice', '-t', 'pipe/r/remote/command']);
    const lines = `${Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n')}\n`;
    const chat = await mqttPair(['chat', '--broker', `127.0.0.1:${broker.port}`, '--prefix', 'pipe/', '--name', 'alice', '--peer', 'bob'], { input: lines })
      .exit;
    assert.equal(chat.code, 0, chat.stderr);
    const commands = `${Array.from({ length: 300 }, (_, i) => ['up', 'down', 'left', 'right'][i % 4]).join('\n')}\n`;
    const remote = await mqttPair(['remote', '--broker', `127.0.0.1:${broker.port}`, '--prefix', 'pipe/r/', '--no-wifi'], { input: commands }).exit;
    assert.equal(remote.code, 0, remote.stderr);
    await until(
      () => sub.lines.length >= 600,
      () => `600 lines at mosquitto_sub, got ${sub.lines.length}`,
    );
    await sub.stop();
    assert.equal(sub.lines.filter((l) => l.startsWith('pipe/alice ')).length, 300);
    assert.equal(sub.lines.filter((l) => l.startsWith('pipe/r/remote/command ')).length, 300);
    assert.doesNotMatch(remote.stdout + chat.stderr, /queue full|not sent/);
  });

  test('npm start --no-wifi: ESP#2 is subscribed before Hello #0, so Hello #0 is never missed', async () => {
    for (let i = 0; i < 3; i++) {
      const sim = mqttPair(['sim', '--no-wifi', '--interval', '200', '--broker', `127.0.0.1:${broker.port}`, '--prefix', `nowifi${i}/`]);
      await sim.waitFor('stdout', /\[esp2\] Received nowifi\d\/hello: Hello #1/);
      const r = await sim.stop();
      assert.match(r.stdout, /\[esp2\] Received nowifi\d\/hello: Hello #0\n/);
      assert.ok(r.stdout.indexOf('[esp2] Connected to') < r.stdout.indexOf('[esp1] Connected to'), r.stdout);
    }
  });
});

describe('brokers that accept, then fail', () => {
  test('a broker that drops every connection right after CONNACK: the backoff grows and restartAfter restarts the board', async () => {
    const server = createServer((s) =>
      s.once('data', () => {
        s.write(Buffer.from([0x20, 2, 0, 0]));
        setTimeout(() => s.destroy(), 20);
      }),
    );
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const esp = board('esp1', {
        broker: `127.0.0.1:${server.address().port}`,
        role: 'hello',
        backoffMin: 100,
        backoffMax: 2000,
        restartAfter: 5,
        keepalive: 60,
      });
      await waitFor(esp, /5 failures in a row: restarting the board\.\.\.$/, {});
      esp.stop();
      const delays = esp.lines
        .map((l) => /Reconnecting in ([\d.]+) s/.exec(l)?.[1])
        .filter(Boolean)
        .map(Number);
      assert.equal(delays.length, 4, esp.lines.join('\n'));
      for (let i = 1; i < delays.length; i++) assert.ok(delays[i] > delays[i - 1], `growing: ${delays.join(', ')}`);
    } finally {
      server.close();
    }
  });

  test('"Connected … subscribed to …" waits for the SUBACK', async () => {
    let subackAt = 0;
    const server = createServer((s) => {
      // Each packet of a chunk (the board subscribes to its role's topic and to <prefix>identify at
      // once); all are short, their length one byte.
      s.on('data', (chunk) => {
        for (let i = 0; i + 1 < chunk.length; i += 2 + chunk[i + 1]) {
          const b = chunk.subarray(i);
          if (b[0] === 0x10) s.write(Buffer.from([0x20, 2, 0, 0]));
          else if (b[0] === 0x82)
            setTimeout(() => {
              subackAt = Date.now();
              s.write(Buffer.from([0x90, 3, b[2], b[3], 0]));
            }, 400);
        }
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const esp = new SimBoard({
        name: 'esp2',
        config: { broker: `127.0.0.1:${server.address().port}`, role: 'responder' },
        print: (l) => {
          if (/Connected to/.test(l)) esp.connectedAt = Date.now();
        },
      });
      boards.push(esp.start());
      await waitFor(esp, /^Connected to 127\.0\.0\.1:\d+ MQTT broker, subscribed to hello topic$/);
      esp.stop();
      assert.ok(subackAt && esp.connectedAt >= subackAt, 'said after the SUBACK came');
    } finally {
      server.close();
    }
  });
});
