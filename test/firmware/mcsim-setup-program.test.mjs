// The setup page's text area on the Moddable firmware in mcsim: the tutorial's ESP#1 posted to the
// board's own page (POST /program, its bytes streamed into the Preference as they arrive), then
// the WiFi saved on the same page: the board restarts, runs the program, and its Hello #0 reaches
// Mosquitto. Before that, the attacks on the program's route: a body over its limit, a body that
// never ends, one without Content-Length, one from another site: refused, nothing stored, the page
// still answers; the largest program (16,384 B) on an ESP32's heap, fixed. The server:
// hosts/moddable/setup-server.ts over src/setup/http.ts.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { buildFirmware, moddableSkip, startMcsim, bakedPort } from '../helpers/moddable.mjs';
import { mosquittoSkip } from '../helpers/mosquitto.mjs';
import { mcsimAround } from '../helpers/mcsim-board.mjs';
import { ESP1_PROGRAM } from '../helpers/programs.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/alice/';
// An ESP32's heap, fixed (any allocation beyond it aborts XS), as test/firmware/mcsim-setup-attacks.test.mjs
// sizes it: slots are 32 bytes in the 64-bit simulator against 16 on the chip, 3,072 of them, and 48 KB of chunks.
const ESP32_HEAP = { creation: { heap: { initial: 3072, incremental: 0 }, chunk: { initial: 49152, incremental: 0 } } };
/** A program of the largest size a board takes (16,384 bytes): comments, then one line. */
const LARGEST = (() => {
  const last = "print('the largest program');\n";
  const line = `// ${'x'.repeat(60)}\n`;
  let text = '';
  while (text.length + line.length + last.length <= 16384) text += line;
  return text + ' '.repeat(16384 - text.length - last.length) + last;
})();
const skip = moddableSkip() || mosquittoSkip();

/** Sends `parts` on a new connection; resolves with { status, body } once the board closes it (status 0: nothing came). */
function exchange(port, parts) {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const got = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`the board did not close the connection within ${LIMIT} ms`));
    }, LIMIT);
    s.on('data', (b) => got.push(b));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(got).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      const at = text.indexOf('\r\n\r\n');
      resolve({ status: m ? Number(m[1]) : 0, body: at < 0 ? '' : text.slice(at + 4) });
    });
    s.on('connect', async () => {
      for (const p of parts) {
        if (s.destroyed) return;
        if (!s.write(p)) await new Promise((r) => s.once('drain', r).once('close', r));
      }
    });
  });
}

describe("the setup page's text area sends a program (mcsim)", { skip }, () => {
  const scene = mcsimAround('mcsim-setup-program', `${PREFIX}#`);
  let broker, sub, work, board;
  before(() => {
    ({ broker, sub, work } = scene);
  });

  test('attacks refused, nothing stored; ESP#1 posted, the WiFi saved: its Hello #0 at Mosquitto', async () => {
    const so = await buildFirmware(
      {
        ssid: '',
        broker: `127.0.0.1:${broker.port}`,
        role: 'hello',
        topicPrefix: PREFIX,
        clientId: 'alice-esp1-page',
        interval: 1000,
        setupPort: await bakedPort(),
        setupDnsPort: await bakedPort(),
      },
      ESP32_HEAP,
    );
    board = await startMcsim(so, 'page-program', { cwd: work });
    scene.boards.push(board);
    try {
      const line = await board.waitFor(/^Setup: join the WiFi "mqtt-pair-[0-9a-f]{4,6}" with a phone or a computer, then open http:\/\/[\d.]+:\d+\//);
      const port = Number(/:(\d+)\/ /.exec(line)[1]);
      const host = `127.0.0.1:${port}`;
      const head = (name, length, more = '') =>
        `POST /program?name=${encodeURIComponent(name)} HTTP/1.1\r\nHost: ${host}\r\n${more}${length === undefined ? '' : `Content-Length: ${length}\r\n`}\r\n`;
      const nothingStored = async (what) => {
        const r = await exchange(port, [`GET /program HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
        assert.equal(r.status, 200, `after ${what}: GET /program answered ${r.status}`);
        assert.deepEqual(JSON.parse(r.body), { programs: true, program: null, max: 16384 }, `after ${what}`);
      };
      await nothingStored('setup mode opened');

      // Over its limit (16,384 B): 413 from the Content-Length, before a byte of it is read.
      assert.equal((await exchange(port, [head('big.js', 16385), 'a'.repeat(4096)])).status, 413);
      assert.equal((await exchange(port, [head('big.js', 50000000)])).status, 413);
      await nothingStored('a program over the limit');
      // A body that never ends: no Content-Length is refused; one that stops short is cut at the deadline.
      assert.equal((await exchange(port, [head('endless.js'), 'print(1);\n'.repeat(400)])).status, 400);
      const short = await exchange(port, [head('short.js', 16384), 'print(1);\n'.repeat(100)]);
      assert.equal(short.status, 0, 'cut off at the deadline, no answer');
      await nothingStored('a body that never ends');
      // From another site (CSRF): 403, nothing written.
      const foreign = await exchange(port, [head('evil.js', ESP1_PROGRAM.length, 'Origin: http://evil.example\r\n'), ESP1_PROGRAM]);
      assert.equal(foreign.status, 403);
      await nothingStored('a program from another site');
      // A syntax error: its line, the board keeps none.
      const bad = 'let a = 1;\nlet b = ;\n';
      const refused = await exchange(port, [head('bad.js', bad.length, `Origin: http://${host}\r\n`), bad]);
      assert.equal(refused.status, 400);
      assert.equal(JSON.parse(refused.body).code, 'syntax');
      assert.equal(JSON.parse(refused.body).values[0], '2');
      await nothingStored('a syntax error');

      // The largest program, on the fixed heap: streamed into the store, compiled, stored.
      assert.equal(Buffer.byteLength(LARGEST), 16384);
      const largest = await exchange(port, [head('largest.js', 16384, `Origin: http://${host}\r\n`), LARGEST]);
      assert.equal(largest.status, 200, largest.body);
      assert.equal(JSON.parse(largest.body).program.size, 16384);
      const first = await board.waitFor(/^Setup: join the WiFi "mqtt-pair-[0-9a-f]{4,6}" with a phone or a computer, then open http:\/\/[\d.]+:\d+\//, {
        nth: 2,
      });
      const port1 = Number(/:(\d+)\/ /.exec(first)[1]);

      // The tutorial's ESP#1, from the page's own origin, in writes of 100 bytes.
      const bytes = Buffer.from(ESP1_PROGRAM);
      const parts = [];
      for (let i = 0; i < bytes.length; i += 100) parts.push(bytes.subarray(i, i + 100));
      const at = board.lines.length;
      const host1 = `127.0.0.1:${port1}`;
      const sent = await exchange(port1, [
        `POST /program?name=esp1.js HTTP/1.1\r\nHost: ${host1}\r\nOrigin: http://${host1}\r\nContent-Length: ${bytes.length}\r\n\r\n`,
        ...parts,
      ]);
      assert.equal(sent.status, 200, sent.body);
      assert.deepEqual(JSON.parse(sent.body).program, { name: 'esp1.js', size: bytes.length, hash: JSON.parse(sent.body).program.hash });
      await board.waitFor(/^Setup page: program stored: esp1\.js \(\d+ bytes, hash [0-9a-f]{8}\)$/, { after: at });
      // The board restarts into setup mode (no WiFi yet): the WiFi saved on the page.
      const again = await board.waitFor(/^Setup: join the WiFi "mqtt-pair-[0-9a-f]{4,6}" with a phone or a computer, then open http:\/\/[\d.]+:\d+\//, {
        after: at,
      });
      const port2 = Number(/:(\d+)\/ /.exec(again)[1]);
      const form = 'ssid=JAMS2&password=motdepasse';
      const saved = await exchange(port2, [`POST /save HTTP/1.1\r\nHost: 127.0.0.1:${port2}\r\nContent-Length: ${form.length}\r\n\r\n${form}`]);
      assert.equal(saved.status, 200, saved.body);
      const from = sub.lines.length;
      await board.waitFor(/^Program: esp1\.js, stored on this board$/);
      await until(() => sub.lines.slice(from).includes(`${PREFIX}hello Hello #0`), "the program's Hello #0");
    } catch (e) {
      e.message += `\n-- the board's last lines:\n${board?.lines.slice(-30).join('\n')}`;
      throw e;
    }
  });
});
