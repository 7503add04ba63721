// The firmware in the real XS engine (an xsnap worker from @agoric/xsnap, see hosts/xsnap/),
// paired over a private Mosquitto with the other board running in Node: ESP#1 in XS with ESP#2
// in Node, then the other way round. Only 127.0.0.1 is touched. What mcsim checks besides, on the
// same engine: test/xs/xs-roles.test.mjs and test/xs/xs-setup.test.mjs.
//
// Without the xsnap binary (npm ci builds it: needs make and cc) these tests skip with the
// reason, except under CI (env CI set), where they fail.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startBoard, nodeHost } from '../../dist/index.js';
import { startXsBoard, measureHeap } from '../../hosts/xsnap/runner.mjs';
import { startMosquitto, mosquittoSkip, mosquittoAvailable } from '../helpers/mosquitto.mjs';
import { lineIn } from '../helpers/wait.mjs';
import { assertXs, xsSkip } from '../helpers/xs.mjs';

/** The `nth` line (1 = first) of `lines` matching `re`. */
const waitForLine = (lines, re, what, options) => lineIn(lines, re, { what, ...options });

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A board in Node, with its log lines collected. */
function nodeBoard(config) {
  const lines = [];
  const board = startBoard(nodeHost({ log: (l) => lines.push(l), deviceId: `node${config.role}`, restart: (r) => lines.push(`[restart] ${r}`) }), config);
  assert.ok(board, `the Node board started: ${lines.join('\n')}`);
  let stopped = false;
  const stop = () => {
    if (!stopped) {
      stopped = true;
      board.stop();
    }
  };
  cleanups.push(stop);
  return { lines, board, stop };
}

/** A board in XS. */
async function xsBoard(config) {
  const b = await startXsBoard({ config, deviceId: `xs${config.role}` });
  cleanups.push(() => b.stop());
  return b;
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

const fast = { interval: 100, backoffMin: 100, backoffMax: 300 };

describe('the firmware in the XS engine (xsnap)', { skip: xsSkip() }, () => {
  test('runs in XS and reports a bad config the way a board does', async () => {
    assertXs();
    const missing = await xsBoard({ role: 'hello' });
    assert.equal(missing.started, false);
    assert.match(missing.lines.join('\n'), /^Config error: config broker is missing: set it with broker=192\.168\.1\.144 on the mcconfig command line$/);
    const unknown = await xsBoard({ role: 'nobody', broker: '127.0.0.1' });
    assert.equal(unknown.started, false);
    assert.match(unknown.lines.join('\n'), /^Config error: config role "nobody" is unknown/);
    assert.deepEqual([...missing.errors, ...unknown.errors], []);
    await missing.stop();
    await unknown.stop();
  });

  test('with no broker listening, the board in XS says so and retries with backoff', async () => {
    assertXs();
    const port = await freePort();
    const b = await xsBoard({ ...fast, broker: `127.0.0.1:${port}`, role: 'hello', restartAfter: 0 });
    const line = await waitForLine(b.lines, /^Failed to connect to MQTT broker/, 'XS board');
    assert.match(line, new RegExp(`no MQTT broker at 127\\.0\\.0\\.1:${port} \\(connection refused\\)\\. Reconnecting in 0\\.[0-9] s\\.\\.\\.$`));
    await waitForLine(b.lines, /^Failed to connect to MQTT broker/, 'XS board, second attempt', { nth: 2 });
    assert.deepEqual(b.errors, []);
    await b.stop();
  });

  describe('paired over Mosquitto', { skip: mosquittoSkip() }, () => {
    let broker;
    before(async () => {
      if (!mosquittoAvailable()) throw new Error('REQUIRE_MOSQUITTO=1 but mosquitto is not installed');
      const m = await startMosquitto();
      cleanups.unshift(() => m.stop()); // stopped last, after the boards
      broker = `127.0.0.1:${m.port}`;
    });

    async function pair(where, prefix) {
      const config = (role) => ({ ...fast, broker, role, topicPrefix: prefix, clientId: `${prefix}${role}` });
      // ESP#2 first, so it hears Hello #0.
      const esp2 = where.esp2 === 'xs' ? await xsBoard(config('responder')) : nodeBoard(config('responder'));
      await waitForLine(esp2.lines, new RegExp(`^Connected to ${broker} MQTT broker, subscribed to ${prefix}hello topic$`), `ESP#2 in ${where.esp2}`);
      const esp1 = where.esp1 === 'xs' ? await xsBoard(config('hello')) : nodeBoard(config('hello'));
      await waitForLine(esp1.lines, new RegExp(`^Connected to ${broker} MQTT broker, subscribed to ${prefix}notification topic$`), `ESP#1 in ${where.esp1}`);
      await waitForLine(esp2.lines, new RegExp(`^Received ${prefix}hello: Hello #0$`), `ESP#2 in ${where.esp2}`);
      await waitForLine(esp1.lines, /^ESP received hello message$/, `ESP#1 in ${where.esp1}`);
      await waitForLine(esp2.lines, new RegExp(`^Received ${prefix}hello: Hello #2$`), `ESP#2 in ${where.esp2}`);
      const hellos = esp2.lines.filter((l) => l.includes('Hello #')).map((l) => Number(l.split('#')[1]));
      assert.deepEqual(
        hellos,
        hellos.map((_, i) => i),
        'hellos arrive in order, counting from 0',
      );
      for (const b of [esp1, esp2]) if (b.errors) assert.deepEqual(b.errors, [], 'no exception in XS');
      await esp1.stop();
      await esp2.stop();
    }

    test('ESP#1 in XS, ESP#2 in Node: hello, received', async () => {
      assertXs();
      await pair({ esp1: 'xs', esp2: 'node' }, 'xs1/');
    });

    test('ESP#2 in XS, ESP#1 in Node: hello, received', async () => {
      assertXs();
      await pair({ esp1: 'node', esp2: 'xs' }, 'xs2/');
    });

    test('measureHeap: what a running ESP#1 adds to the XS heap', async (t) => {
      assertXs();
      const h = await measureHeap({ broker, messages: 100 });
      t.diagnostic(
        `ESP#1 adds ${h.bytes} bytes (${h.slots} slots): code ${h.code.bytes} B (${h.code.slots} slots), running board ${h.board.bytes} B (${h.board.slots} slots)`,
      );
      assert.equal(h.answered >= 100, true);
      assert.ok(h.bytes > 0 && h.bytes === h.code.bytes + h.board.bytes);
      assert.ok(h.board.bytes < 64 * 1024, `a running board stays small (${h.board.bytes} bytes)`);
    });
  });
});
