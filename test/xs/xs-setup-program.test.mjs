// The setup page's text area on the real XS engine (xsnap): POST /program read as its bytes arrive
// by the board's RequestReader (as hosts/moddable/setup-server.ts reads a socket) and written to the
// store in parts, compiled by XS first: the tutorial's ESP#1 stored whole, a syntax error refused
// with its line, a foreign Origin and a body cut short refused with nothing written, « Effacer ».
// Node's twin: test/unit/program-store.test.mjs; in mcsim: test/firmware/mcsim-setup-program.test.mjs.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { startXsBoard } from '../../hosts/xsnap/runner.mjs';
import { programStore } from '../../dist/testing.js';
import { ESP1_PROGRAM } from '../helpers/programs.mjs';
import { assertXs, xsSkip } from '../helpers/xs.mjs';

const { readProgram, programHash } = programStore;
const HOST = '192.168.4.1';

const request = (path, body, { origin = `http://${HOST}`, length } = {}) => {
  const b = Buffer.from(body);
  return Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${HOST}\r\n${origin ? `Origin: ${origin}\r\n` : ''}Content-Length: ${length ?? b.length}\r\n\r\n`),
    b,
  ]);
};

describe("the setup page's text area in XS (xsnap)", { skip: xsSkip() }, () => {
  before(() => assertXs());

  test('ESP#1 stored in parts and compiled by XS; refusals keep the old program; cleared', async () => {
    const restarts = [];
    const board = await startXsBoard({
      config: { role: 'hello', topicPrefix: 'LycMaurois/SNT_2nde/alice/' },
      deviceId: 'a1b2c3d4e5f6',
      programs: true,
      setup: { build: {}, maxBytes: 62, stored: {} },
      lines: [],
      restart: () => restarts.push(1),
    });
    try {
      await board.ask({ ev: 'open-page', reason: 'asked over USB', why: ['usb'] });
      const store = { get: (k) => board.store.get(k) };
      const json = (r) => ({ status: r.status, value: r.status && r.type.startsWith('application/json') ? JSON.parse(r.body) : r.body });

      const bad = json(await board.httpRaw(request('/program?name=bad.js', 'let a = 1;\nlet b = ;\n'), 7));
      assert.equal(bad.status, 400);
      assert.equal(bad.value.code, 'syntax');
      assert.equal(bad.value.values[0], '2', JSON.stringify(bad.value));
      assert.equal(readProgram(store), null);

      const ok = json(await board.httpRaw(request('/program?name=esp1.js', ESP1_PROGRAM), 13));
      assert.equal(ok.status, 200, JSON.stringify(ok.value));
      const info = { name: 'esp1.js', size: Buffer.byteLength(ESP1_PROGRAM), hash: programHash(ESP1_PROGRAM) };
      assert.deepEqual(ok.value, { ok: true, program: info });
      assert.deepEqual(readProgram(store), { ...info, source: ESP1_PROGRAM });
      const kept = new Map(board.store);

      const foreign = json(await board.httpRaw(request('/program?name=evil.js', 'print(1)\n', { origin: 'http://evil.example' })));
      assert.equal(foreign.status, 403);
      const cut = json(await board.httpRaw(request('/program?name=cut.js', 'print(1)\n'.repeat(20), { length: 1000 }), 50));
      assert.equal(cut.status, 0);
      const large = json(await board.httpRaw(request('/program?name=big.js', '', { length: 16385 })));
      assert.equal(large.status, 413);
      assert.deepEqual(new Map(board.store), kept, 'the stored program untouched');

      const shown = json(await board.http({ method: 'GET', path: '/program', body: '', host: HOST }));
      assert.deepEqual(shown.value, { programs: true, program: info, max: 16384 });
      const cleared = json(await board.httpRaw(request('/program/clear', '')));
      assert.deepEqual(cleared, { status: 200, value: { ok: true, program: null } });
      assert.equal(readProgram(store), null);
    } finally {
      await board.stop();
    }
  });
});
