// The board's own setup page (hosts/moddable/setup-page/), in French in Chromium: why setup mode
// is open is worded from the board's code and values (not its English console line), and a topic
// prefix with a space or without its last / is refused with one French line, nothing stored. The
// page is served by the firmware's Setup (src/setup/setup.ts) on a virtual host, over real HTTP.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { virtualHost } from '../helpers/virtual-host.mjs';
import { setupModeBoard } from '../helpers/setup-mode-board.mjs';
import { chromiumAround, chromiumSkip } from '../helpers/browser.mjs';
import { LIMIT } from '../helpers/wait.mjs';

/** A board in setup mode: a store in a map, scripted ports, its page served on 127.0.0.1. */
async function boardPage(reason, why) {
  const host = virtualHost();
  const { m, ports } = setupModeBoard(host, reason, why);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (b) => (body += b));
    req.on('end', () => {
      const a = ports.handler.request({ method: req.method, path: req.url, body, origin: req.headers.origin, host: req.headers.host });
      const headers = { 'content-type': a.type };
      for (let i = 0; i + 1 < (a.headers ?? []).length; i += 2) headers[a.headers[i]] = a.headers[i + 1];
      res.writeHead(a.status, headers);
      res.end(typeof a.body === 'string' ? a.body : Buffer.from(a.body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { store: m, host, url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

describe("the board's setup page in French", { skip: chromiumSkip() }, () => {
  const browser = chromiumAround();

  test('the reason from its code: « 5 essais pour rejoindre le WiFi « Salle204 » ont échoué », no English', async () => {
    const b = await boardPage('5 attempts to join the WiFi "Salle204" failed', ['wifi', '5', 'Salle204']);
    const context = await browser().newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.goto(b.url);
      const reason = page.locator('#reason');
      await reason.waitFor({ state: 'visible', timeout: LIMIT });
      const text = await reason.textContent();
      assert.ok(text.startsWith('Pourquoi cette page\u00a0: 5 essais pour rejoindre le WiFi \u00ab\u00a0Salle204\u00a0\u00bb ont \u00e9chou\u00e9.'), text);
      assert.doesNotMatch(text, /attempts|failed/);
    } finally {
      await context.close();
      b.close();
    }
  });

  test('a prefix with a space and no last /: one French line under the field, nothing stored', async () => {
    const b = await boardPage('no WiFi settings on this board', ['missing', 'ssid', 'broker', 'role']);
    const context = await browser().newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.goto(b.url);
      await page.locator('#reason').waitFor({ state: 'visible', timeout: LIMIT });
      assert.match(await page.locator('#reason').textContent(), /^Pourquoi cette page\u00a0: Aucun réseau WiFi n’est enregistré sur cette carte\. À remplir/);
      await page.fill('#ssid', 'Salle204');
      await page.fill('#password', 'motdepasse');
      await page.fill('#broker', '192.168.1.144');
      await page.selectOption('#role', 'hello');
      await page.fill('#topicPrefix', 'LycMaurois/SNT 2nde/emma');
      await page.click('#save');
      const line = page.locator('#topicPrefix-problem');
      await line.waitFor({ state: 'visible', timeout: LIMIT });
      assert.equal(
        await line.textContent(),
        'La carte refuse ce réglage\u00a0: le préfixe s’écrit niveau/niveau/…/, sans espace ni niveau vide, avec un / à la fin, par exemple LycMaurois/SNT_2nde/alice/',
      );
      assert.equal(b.store.size, 0, 'nothing stored');
      // The same POST without the page: the firmware's check, its code, nothing stored; a good prefix is taken.
      const post = (prefix) =>
        fetch(`${b.url}save`, {
          method: 'POST',
          body: new URLSearchParams({ ssid: 'Salle204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello', topicPrefix: prefix }),
        });
      for (const bad of ['LycMaurois/SNT 2nde/emma/', 'LycMaurois/SNT_2nde/emma', 'LycMaurois//emma/', '/emma/']) {
        const r = await post(bad);
        assert.equal(r.status, 400, bad);
        const value = await r.json();
        assert.deepEqual([value.key, value.code], ['topicPrefix', 'prefix'], bad);
        assert.equal(b.store.size, 0, `nothing stored for ${bad}`);
      }
      const good = await post('LycMaurois/SNT_2nde/emma/');
      assert.deepEqual(await good.json(), { ok: true });
      assert.equal(b.store.get('topicPrefix'), 'LycMaurois/SNT_2nde/emma/');
    } finally {
      await context.close();
      b.close();
    }
  });
});
