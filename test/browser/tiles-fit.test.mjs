// The class page's tiles never clip nor overlap their words: 5, 15, 30 and 60 pairs on 1024×768,
// 1280×800 and 1920×1080, in French and in English, every state a tile can be in (the longest
// reasons, the stop/start button, errors, other activities). The page is served by the command's
// own server (startWebView) from snapshots made here, so that each size sees the same worst case;
// test/browser/web.test.mjs checks the same on a real run.
//
// MQTT_PAIR_SCREENSHOTS=<dir> saves a screenshot of each case there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumProfile, assertChromium, chromiumSkip } from '../helpers/browser.mjs';
import { CLASS_NAMES, measureTiles as measure } from '../helpers/tiles.mjs';
import { until } from '../helpers/wait.mjs';

import { startWebView, sortTiles, tileWords, tileWordsFr } from '../../dist/testing.js';
const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
const skip = chromiumSkip();

/** Long names among the short, so that the longest come in the first tiles (those in trouble). */
const NAMES = ['marie-charlotte', 'alice', 'bob', 'jean-baptiste', 'camille', 'david', 'maximilien', ...CLASS_NAMES.slice(4, 12)];
const GROUP = 'LycMaurois/SNT_2nde';

/** The troubles a class shows, the longest words first: each tile gets one in turn, then green ones. */
const TROUBLES = [
  { state: 'silent', reason: 'noReply', ms: 456_000 },
  { state: 'silent', reason: 'neverConnected' },
  {
    state: 'silent',
    reason: 'silent',
    ms: 91_000,
    failure: {
      esp: 1,
      failure: { event: 'closed', kind: 'refused', code: 4, wasConnected: false, reason: 'connection refused: bad user name or password (CONNACK 4)' },
    },
  },
  { state: 'silent', reason: 'stopped', stopped: true },
  { state: 'wait', reason: 'waitReply', ms: 1_500 },
  {
    state: 'silent',
    reason: 'crossed',
    facts: { crossings: 2, crossing: { code: 'helloAhead', by: 'observer', text: 'Hello #12345', topic: `${GROUP}/jean-baptiste/hello`, sent: 12 } },
  },
  {
    state: 'wait',
    reason: 'reconnecting',
    facts: { boards: 1 },
    failure: { esp: 2, failure: { event: 'closed', kind: 'websocket', wasConnected: true, reason: 'the WebSocket upgrade was refused (HTTP 404)' } },
  },
  { state: 'wait', reason: 'replyOnly' },
  { state: 'silent', reason: 'unheard', ms: 185_000 },
];

/** The snapshot of `n` pairs: about a third in trouble, every tile with all its counts. */
function snapshot(n) {
  const pairs = [];
  const trouble = Math.max(Math.min(n, 3), Math.round(n / 3));
  for (let i = 0; i < n; i++) {
    const name = i < NAMES.length ? NAMES[i] : `${NAMES[i % NAMES.length]}-${Math.floor(i / NAMES.length) + 1}`;
    const t = i < trouble ? TROUBLES[i % TROUBLES.length] : { state: 'ok', reason: 'ok', ms: 12_000 };
    pairs.push({
      ...t,
      name,
      group: GROUP,
      hellos: 12_345,
      replies: 12_344,
      rounds: 12_340,
      lastHello: 12_345,
      since: 1000,
      expected: true,
      other: i % 4 === 1 ? 863 : undefined,
      retained: i % 5 === 2 ? 2 : undefined,
      boards: t.reason === 'stopped' ? 0 : 2,
      reconnects: i % 3 === 0 ? 12 : undefined,
    });
  }
  sortTiles(pairs);
  const counts = { ok: 0, wait: 0, silent: 0, total: n };
  for (const p of pairs) counts[p.state]++;
  return {
    title: `${GROUP} (${n})`,
    interval: 5000,
    counts,
    pairs,
    uptime: 4000,
    controls: true,
    about: { where: 'mqtt://127.0.0.1:1883', simulated: n, runFor: 3600 },
    other: 1234,
  };
}

describe('the class page: no word of a tile is ever clipped or overlapping', () => {
  let context, userDir, view, current;

  before(async () => {
    if (skip) return;
    assertChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    view = await startWebView(0, () => current, 200);
    ({ context, userDir } = await chromiumProfile());
  });

  after(async () => {
    await context?.close();
    await view?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  for (const lang of ['fr', 'en'])
    test(`${lang}: 5, 15, 30 and 60 pairs on 1024×768, 1280×800 and 1920×1080`, { skip }, async () => {
      const page = await context.newPage();
      const problems = [];
      try {
        for (const [width, height] of [
          [1024, 768],
          [1280, 800],
          [1920, 1080],
        ]) {
          await page.setViewportSize({ width, height });
          for (const n of [5, 15, 30, 60]) {
            current = snapshot(n);
            if (page.url() === 'about:blank') await page.goto(`${view.url}?lang=${lang}`);
            await until(() => page.evaluate((t) => document.getElementById('title').textContent === t, current.title), `the page to show ${n} pairs`);
            // Two frames: the page has laid its tiles out for this size.
            await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
            const m = await page.evaluate(measure);
            if (SHOTS) await page.screenshot({ path: join(SHOTS, `fit-${lang}-${n}-${width}x${height}.png`) });
            assert.equal(m.tiles, n);
            // 60 pairs on a small screen may scroll (trouble first, at the top), never clip.
            if (n > 30 && width < 1920) m.bad = m.bad.filter((b) => !b.endsWith('(the class does not fit on the screen)'));
            if (m.bad.length) problems.push(`${n} pairs on ${width}×${height}: ${m.bad.length} problems, first ${m.bad.slice(0, 4).join('; ')}`);
            console.log(`${lang} ${n} pairs on ${width}×${height}: smallest words ${m.smallest} px, ${m.below} tiles below the fold`);
            if (m.pageScroll > 0) problems.push(`${n} pairs on ${width}×${height}: the page scrolls by ${m.pageScroll} px`);
            if (m.smallest < 11) problems.push(`${n} pairs on ${width}×${height}: words in ${m.smallest} px, too small to read`);
          }
        }
      } finally {
        await page.close();
      }
      assert.deepEqual(problems, []);
    });

  test("the first snapshot alone fits: nothing the page writes after its layout takes the tiles' room", { skip }, async () => {
    // One snapshot, at the page's connection, and no other for ten minutes: what a slow link or a
    // long interval shows until the next one. (The footer was written after the layout, and took a
    // line from the tiles until the next snapshot laid them out again.)
    const once = await startWebView(0, () => snapshot(5), 600_000);
    const page = await context.newPage();
    try {
      for (const [width, height] of [
        [1024, 768],
        [1920, 1080],
      ]) {
        await page.setViewportSize({ width, height });
        await page.goto(`${once.url}?lang=en`);
        await until(() => page.evaluate(() => document.querySelectorAll('#tiles > li').length === 5), 'the first snapshot on the page');
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const m = await page.evaluate(measure);
        assert.deepEqual(m.bad, [], `${width}×${height}`);
        assert.equal(m.pageScroll, 0, `${width}×${height}: the page does not scroll`);
      }
    } finally {
      await page.close();
      await once.close();
    }
  });

  for (const lang of ['fr', 'en'])
    test(`${lang}: a pair's last failure, the broker's problem and the end, worded by the page from facts (tools/words/)`, { skip }, async () => {
      // The simulation's snapshot: facts only, no subtitle, no alert, no English (tools/classroom/simulation.ts).
      const failure = TROUBLES[2].failure;
      current = {
        ...snapshot(3),
        title: `${GROUP} (${lang})`,
        problem: { kind: 'refused', code: 5, reason: 'connection refused: not authorized (CONNACK 5)' },
        finished: true,
        result: { ok: 2, of: 3, stopped: 1 },
      };
      const page = await context.newPage();
      try {
        await page.goto(`${view.url}?lang=${lang}`);
        await until(() => page.evaluate((t) => document.getElementById('title').textContent === t, current.title), 'the page to show the class');
        const shown = await page.evaluate(() => ({
          errors: [...document.querySelectorAll('li .error')].map((e) => e.textContent).filter(Boolean),
          alert: document.getElementById('alert').textContent,
          finished: document.getElementById('finished').textContent,
          subtitle: document.getElementById('subtitle').textContent,
        }));
        const words = lang === 'fr' ? tileWordsFr : tileWords;
        assert.ok(shown.errors.includes(words.failure(failure)), shown.errors.join('\n'));
        if (lang === 'fr') {
          assert.equal(words.failure(failure), 'ESP#1 : pas de connexion au broker : le broker a refusé la connexion (code 4)');
          assert.equal(shown.alert, 'Pas de connexion au broker : le broker a refusé la connexion (code 5)');
          assert.equal(shown.finished, 'Terminé : 2/3 binômes OK (1 arrêté depuis cette page)');
          assert.match(shown.subtitle, /^3 binômes simulés sur mqtt:\/\/127\.0\.0\.1:1883 · pendant /);
        } else {
          assert.equal(words.failure(failure), 'ESP#1: could not connect to the broker: connection refused: bad user name or password (CONNACK 4)');
          assert.equal(shown.alert, 'Not connected to the broker: connection refused: not authorized (CONNACK 5)');
          assert.equal(shown.finished, 'Finished: 2/3 pairs ok (1 stopped from this page)');
          assert.match(shown.subtitle, /^3 simulated pairs on mqtt:\/\/127\.0\.0\.1:1883 · a /);
        }
      } finally {
        await page.close();
      }
    });
});
