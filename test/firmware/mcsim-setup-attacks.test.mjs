// The board's setup page under attack, in Moddable's simulator on fixed heaps (an ESP32's, an
// ESP8266's: any allocation beyond them aborts XS with "failed in fixed size heap"): a header line
// that never ends, Content-Length "50000000x", a form of a thousand `&`, 50 then 200 idle
// connections, connections held open, and a form posted from another site (CSRF). After each, the
// page still answers; the board never aborts nor restarts, and stores nothing. Then the page's own
// form is saved (the check that a refused form could have been taken). The server and its limits:
// hosts/moddable/setup-server.ts over src/setup/http.ts (unit tests: test/unit/setup-http.test.mjs).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFirmware, moddableSkip, startMcsim, bakedPort } from '../helpers/moddable.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const skip = moddableSkip();

/**
 * Sends `parts` (strings or bytes, one write each, the next once the last was taken) on a new
 * connection and resolves when the board closes it: { status, body } of what came back (status 0:
 * nothing came), and whether the connection was reset.
 */
function exchange(port, parts) {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const got = [];
    let reset = false;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`the board did not close the connection within ${LIMIT} ms`));
    }, LIMIT);
    s.on('data', (b) => got.push(b));
    s.on('error', () => {
      reset = true; // the board closed while we were still sending: what it answered may be lost
    });
    s.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(got).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      const at = text.indexOf('\r\n\r\n');
      resolve({ status: m ? Number(m[1]) : 0, body: at < 0 ? '' : text.slice(at + 4), reset });
    });
    s.on('connect', async () => {
      for (const p of parts) {
        if (s.destroyed) return;
        if (!s.write(p)) await new Promise((r) => s.once('drain', r).once('close', r));
      }
    });
  });
}

/** Opens `n` connections that send `first` and then nothing; resolves once all are connected. */
async function hold(port, n, first = 'GET / HTTP/1.1\r\n') {
  const sockets = [];
  for (let i = 0; i < n; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.closedAt = null;
    s.on('close', () => {
      s.closedAt = Date.now();
    });
    sockets.push(s);
    await new Promise((r) => s.once('connect', r).once('close', r));
    if (!s.destroyed) s.write(first);
  }
  return sockets;
}

const settings = (port) => exchange(port, [`GET /settings HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`]);

function post(port, body, headers = '') {
  return exchange(port, [`POST /save HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}Content-Length: ${body.length}\r\n\r\n${body}`]);
}

/** The page answers: /settings is its JSON, with the board's name. */
/** The last attack the page answered after, for a failure's message. */
let passed = '';

async function answers(port, what) {
  const r = await settings(port);
  assert.equal(r.status, 200, `after ${what}: /settings answered ${r.status}`);
  assert.match(JSON.parse(r.body).device, /^mqtt-pair-[0-9a-f]{4,6}$/, `after ${what}`);
  passed = what;
}

describe('the setup page under attack, on fixed heaps (mcsim)', { skip }, () => {
  let work;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-attacks-'));
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // Slots are 32 bytes in the 64-bit simulator against 16 on the chips: twice the bytes.
  // ESP32: about 100 KB free for XS (docs/flashing.md), here 3,072 slots (96 KB; 48 KB on the chip)
  // and 48 KB of chunks, fixed. ESP8266: its fixed 32 KB as test/firmware/mcsim.test.mjs sizes it (1,280
  // slots, 11,264 B of chunks, a stack of 416), its 62-byte values and 2 connections (manifest.json).
  const heaps = {
    ESP32: { config: {}, creation: { creation: { heap: { initial: 3072, incremental: 0 }, chunk: { initial: 49152, incremental: 0 } } } },
    ESP8266: {
      config: { setupValueBytes: 62, setupConnections: 2 },
      creation: { stack: 416, creation: { heap: { initial: 1280, incremental: 0 }, chunk: { initial: 11264, incremental: 0 } } },
    },
  };

  for (const [chip, heap] of Object.entries(heaps)) {
    test(`an ${chip}'s heap: each attack, then the page still answers; a form from elsewhere is refused`, async (t) => {
      const connections = heap.config.setupConnections ?? 4;
      const so = await buildFirmware({ ssid: '', setupPort: await bakedPort(), setupDnsPort: await bakedPort(), ...heap.config }, heap.creation);
      const dir = join(work, chip);
      mkdirSync(dir);
      const board = await startMcsim(so, chip, { cwd: dir });
      try {
        const line = await board.waitFor(/^Setup: join the WiFi "mqtt-pair-[0-9a-f]{4,6}" with a phone or a computer, then open http:\/\/[\d.]+:\d+\//);
        const port = Number(/:(\d+)\/ /.exec(line)[1]);
        const start = board.samples.length;
        passed = '(nothing yet)';
        await answers(port, 'setup mode opened');

        // A header line that never ends: 64 KB of one header, 1 KB a write; the board answers 431 and closes.
        const endless = await exchange(port, ['GET / HTTP/1.1\r\nX-Never-Ends: ', ...Array.from({ length: 64 }, () => 'a'.repeat(1024))]);
        assert.ok(endless.status === 431 || (endless.status === 0 && endless.reset), `a header that never ends: ${endless.status}`);
        await answers(port, 'a header line that never ends');
        const longLine = await exchange(port, [`GET /${'a'.repeat(40000)}`]);
        assert.ok(longLine.status === 414 || longLine.reset, `a request line that never ends: ${longLine.status}`);
        await answers(port, 'a request line that never ends');

        // Content-Length that parseInt reads as 50,000,000 and Number as NaN.
        const length = await exchange(port, [`POST /save HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 50000000x\r\n\r\n`, 'a'.repeat(4096)]);
        assert.ok(length.status === 400 || length.reset, `Content-Length 50000000x: ${length.status}`);
        const large = await exchange(port, [`POST /save HTTP/1.1\r\nContent-Length: 50000000\r\n\r\n`]);
        assert.equal(large.status, 413);
        await answers(port, 'Content-Length: 50000000x');

        // Forms of 1,000 and 8,000 `&`, under the 8 KB limit: scanned, never split.
        for (const n of [1000, 8000]) {
          const r = await post(port, '&'.repeat(n));
          assert.equal(r.status, 400, `${n} &: ${r.status} ${r.body}`);
          assert.match(JSON.parse(r.body).message, /ssid|broker|role/, 'an empty form: what is missing');
        }
        const names = await post(port, `${'ssid=a&'.repeat(1000)}`);
        assert.match(JSON.parse(names.body).message, /ssid twice/);
        await answers(port, 'forms of a thousand &');

        // 50 connections that send half a request line, then 200: each new one takes the place of
        // the oldest, so that no more than setupConnections stay open; the page answers while
        // they are. (10 at a time: the simulator takes a connection each 50 ms from a queue of
        // 128, past which the system leaves connections waiting, the page's too. The simulator
        // that stopped for minutes on a busy machine was the SDK's blocking accept(): see
        // hosts/moddable/native/sim/accept.c.)
        for (const n of [50, 200]) {
          const idle = [];
          for (let i = 0; i < n; i += 10) {
            idle.push(...(await hold(port, 10)));
            await until(() => idle.filter((s) => !s.closedAt).length <= connections, `at most ${connections} of ${idle.length} idle connections left open`);
          }
          await answers(port, `${n} idle connections`);
          for (const s of idle) s.destroy();
        }
        // Held connections are closed by the board (REQUEST_MS), not kept for all of setup mode.
        const held = await hold(port, 8, 'GET / HT');
        await until(() => held.every((s) => s.closedAt), 'the board closing the connections held open');
        await answers(port, 'connections held open');

        // CSRF: another site's form, with a WiFi, a broker and a role.
        const form = 'ssid=Pirate&password=motdepasse&broker=192.0.2.1&role=hello';
        const csrf = await post(port, form, 'Origin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\n');
        assert.equal(csrf.status, 403, csrf.body);
        const sandboxed = await post(port, form, 'Origin: null\r\n');
        assert.equal(sandboxed.status, 403, sandboxed.body);
        await answers(port, 'a form from another site');
        assert.equal(board.count(/^Setup page: a form from another site refused: nothing changed$/), 2);
        const prefs = join(dir, 'modpreferences.json');
        assert.ok(!existsSync(prefs) || !readFileSync(prefs, 'utf8').includes('Pirate'), 'nothing stored');

        const failed = board.lines.find((l) => /fixed size heap|memory full|XS abort|Internal error|internal error|Setup: restarting/.test(l));
        assert.equal(failed, undefined, board.output());
        assert.ok(!board.exited, 'the board still runs');
        const s = board.samples.slice(start);
        if (s.length)
          t.diagnostic(
            `${chip}: the page's heap peaks under attack (bytes, garbage included): slots ${Math.max(...s.map((x) => x.slot))}, chunks ${Math.max(...s.map((x) => x.chunk))}`,
          );

        // The page's own form is taken: the refusal above was the Origin's.
        const mark = board.lines.length;
        const own = await post(port, form, `Origin: http://127.0.0.1:${port}\r\n`);
        assert.equal(own.status, 200, own.body);
        await board.waitFor(/^Setup: restarting \(the settings were saved\)/, { after: mark });
      } catch (e) {
        // Whether XS still ran (its instruments come once a second) tells a stalled board from a lost connection.
        const last = board.samples.at(-1);
        const alive = last ? `last instruments ${Math.round((Date.now() - last.t) / 1000)} s ago, ${board.samples.length} in all` : 'no instruments';
        throw new Error(`${e.message} (the page last answered after: ${passed}; ${alive})\n${board.output().slice(-6000)}`);
      } finally {
        await board.stop();
      }
    });
  }
});
