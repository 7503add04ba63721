// The board's setup page on a phone, as a class sees it: the firmware's own answers (src/setup/page.ts
// in the XS engine, hosts/xsnap/) served to Chromium over HTTP as the board serves them, around it
// a classroom's networks. The page fits a phone's width in French and English, lists the networks
// the board scanned strongest first, and says why it opened. With MQTT_PAIR_SCREENSHOTS set, the
// teacher's guides' screenshots: docs/setup-page-fr-phone.png, docs/setup-page-en-phone.png.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';
import { assertXs, xsBoardFor, xsSkip } from '../helpers/xs.mjs';

const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
/** What a board hears in a school: the classroom's network first. */
const NETWORKS = [
  { ssid: 'Salle204', password: 'motdepasse-wifi', rssi: -46 },
  { ssid: 'Salle205', password: 'autre', rssi: -63 },
  { ssid: 'CDI-Lycee', password: 'cdi', rssi: -71 },
  { ssid: 'Invités', rssi: -78 },
];

/** The board's page on 127.0.0.1: each request handed to the board in XS, its answer sent back as it is. */
async function serveBoardPage(board) {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const r = await board.http({ method: req.method, path: req.url, body, origin: req.headers.origin, host: req.headers.host });
      for (const [k, v] of r.headers) res.setHeader(k, v);
      res.writeHead(r.status, { 'content-type': r.type });
      res.end(r.body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("the board's setup page on a phone (XS)", { skip: xsSkip() || chromiumSkip() }, () => {
  test('it fits a phone in French and English, with the scanned networks and why it opened', async (t) => {
    assertXs();
    const board = await xsBoardFor(t, { networks: NETWORKS, setup: { build: { keepalive: 60, setupPort: 8080 } } });
    await board.ask({ ev: 'open-page', reason: 'no WiFi settings on this board', why: ['missing', 'ssid', 'password'] });
    const served = await serveBoardPage(board);
    t.after(() => served.close());
    const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 120_000 });
    t.after(() => browser.close());
    for (const [locale, lang, why] of [
      ['fr-FR', 'fr', /Aucun réseau WiFi/],
      ['en-US', 'en', /No WiFi network/],
    ]) {
      const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
      context.setDefaultTimeout(LIMIT);
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${served.port}/`);
      await page.locator('.network').first().waitFor({ timeout: LIMIT });
      // The whole scan, strongest first (the page asks again while the board is scanning).
      await until(async () => (await page.locator('.network').count()) === NETWORKS.length, 'every network on the page');
      const names = await page.locator('.network').allInnerTexts();
      assert.deepEqual(
        names.map((n) => NETWORKS.find((w) => n.includes(w.ssid))?.ssid),
        NETWORKS.map((w) => w.ssid),
        names.join(' | '),
      );
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.match(await page.locator('body').textContent(), why);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `${lang}: the page is ${wide} px wider than the phone`);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `setup-page-${lang}-phone.png`), fullPage: true });
      await context.close();
    }
  });
});
