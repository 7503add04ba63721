// The board's own setup page (hosts/moddable/setup-page/), its text area, in French in Chromium: a
// program pasted and named is sent with « Envoyer » to POST /program, read as its bytes arrive by
// the board's request reader (src/setup/http.ts, as hosts/moddable/setup-server.ts does over a
// socket) and written to the store in chunks; a syntax error is refused with its line, in French,
// the old program kept; the stored program's name, size and hash are shown; « Effacer » clears it.
// A firmware without programs (the ESP8266's): the page says so, no text area.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { nodeProgramRunner } from '../../dist/index.js';
import { RequestReader, programStore } from '../../dist/testing.js';
import { virtualHost } from '../helpers/virtual-host.mjs';
import { setupModeBoard } from '../helpers/setup-mode-board.mjs';
import { chromiumAround, chromiumSkip } from '../helpers/browser.mjs';
import { ESP1_PROGRAM } from '../helpers/programs.mjs';
import { LIMIT } from '../helpers/wait.mjs';

const { readProgram, programHash } = programStore;

/** A board in setup mode, its page served on 127.0.0.1 over a socket read by RequestReader. */
async function boardPage({ programs = true } = {}) {
  const host = virtualHost();
  if (programs) host.program = nodeProgramRunner();
  const { m, store, ports } = setupModeBoard(host, 'asked over USB', ['usb']);
  const server = createServer((socket) => {
    const r = new RequestReader(store.maxBytes, (name, size) => ports.handler.openProgram(name, size));
    socket.on('data', (b) => {
      if (r.status) return;
      r.push(new Uint8Array(b));
      if (!r.status) return;
      const a =
        r.status === 200
          ? ports.handler.request({ method: r.method, path: r.path, body: '', form: r.form, program: r.program, origin: r.origin, host: r.host })
          : { status: r.status, type: 'text/plain', body: r.why };
      const body = typeof a.body === 'string' ? Buffer.from(a.body, 'latin1') : Buffer.from(a.body);
      socket.end(
        Buffer.concat([Buffer.from(`HTTP/1.1 ${a.status} X\r\nconnection: close\r\ncontent-type: ${a.type}\r\ncontent-length: ${body.length}\r\n\r\n`), body]),
      );
    });
    socket.on('close', () => r.abandon());
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { store: m, host, url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

describe("the setup page's text area sends a program (Chromium, in French)", { skip: chromiumSkip() }, () => {
  const browser = chromiumAround();

  test('« Envoyer »: a syntax error refused with its line, the program stored, shown, « Effacer »', async () => {
    const b = await boardPage();
    const context = await browser().newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await page.goto(b.url);
      const stored = page.locator('#program-stored');
      await stored.getByText('Aucun programme enregistré : la carte joue son rôle.').waitFor({ timeout: LIMIT });
      assert.equal(await page.locator('#program h2').textContent(), 'Programme de l’élève');
      await page.fill('#program-name', 'esp1.js');
      await page.fill('#program-text', 'let a = 1;\nlet b = ;\n');
      await page.click('#program-send');
      const said = page.locator('#program-problem');
      await said.getByText(/^Programme refusé, l’ancien est gardé\s:\serreur ligne 2\s:\sSyntaxError: /).waitFor({ timeout: LIMIT });
      assert.equal(readProgram(b.store), null, 'nothing stored');

      await page.fill('#program-text', ESP1_PROGRAM);
      await page.click('#program-send');
      const size = Buffer.byteLength(ESP1_PROGRAM),
        hash = programHash(ESP1_PROGRAM);
      await said
        .getByText(`Programme « esp1.js » enregistré (${size} octets, empreinte ${hash}) : la carte redémarre pour l’exécuter.`)
        .waitFor({ timeout: LIMIT });
      assert.deepEqual(readProgram(b.store), { name: 'esp1.js', size, hash, source: ESP1_PROGRAM });
      assert.equal((await stored.textContent()).replace(/\u00a0/g, ' '), `Programme enregistré : esp1.js, ${size} octets, empreinte ${hash}.`);
      assert.ok(b.host.lines.includes(`Setup page: program stored: esp1.js (${size} bytes, hash ${hash})`), b.host.lines.join('\n'));

      await page.click('#program-clear');
      await said.getByText('Programme effacé : la carte redémarre et joue son rôle.').waitFor({ timeout: LIMIT });
      assert.equal(readProgram(b.store), null);
      assert.equal((await stored.textContent()).replace(/\u00a0/g, ' '), 'Aucun programme enregistré : la carte joue son rôle.');
    } finally {
      await context.close();
      b.close();
    }
  });

  test('a firmware without programs: the page says so, no text area', async () => {
    const b = await boardPage({ programs: false });
    const context = await browser().newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await page.goto(b.url);
      await page
        .locator('#program-none')
        .getByText(/^Cette carte ne peut pas exécuter de programme/)
        .waitFor({ timeout: LIMIT });
      assert.equal(await page.locator('#program-text').isVisible(), false);
    } finally {
      await context.close();
      b.close();
    }
  });
});
