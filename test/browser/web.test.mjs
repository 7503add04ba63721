// The live classroom page in a real browser: Debian's chromium, headless, driven by playwright-core
// (which downloads no browser). `mqtt-pair watch --web` follows pairs of simulated boards on a
// private broker: one tile per pair, and a tile changes colour when its pair is stopped.
// `mqtt-pair classroom --web` shows its own pairs the same way.
//
// Where chromium is missing the tests skip and say why; in CI (env CI set) they fail instead.
// MQTT_PAIR_SCREENSHOTS=<dir> saves screenshots of the page there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBoard } from '../../dist/index.js';
import { startAedes } from '../helpers/aedes.mjs';
import { servePage, showGuideBroker, startClassPages } from '../helpers/class-page.mjs';
import { chromiumProfile, assertChromium, chromiumSkip } from '../helpers/browser.mjs';
import { CLASS_NAMES, measureTiles, tilesOf } from '../helpers/tiles.mjs';
import { LIMIT, until as waitUntil } from '../helpers/wait.mjs';

const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;

/** Starts `mqtt-pair <args>` once it prints the page's address (with its debug lines). */
const serve = (args) => servePage(args, { env: { MQTT_PAIR_DEBUG: '1' } });

/** Polls `fn` until it returns something truthy; fails with `what` (the page's tests name it first). */
const until = (what, fn, ms) => waitUntil(fn, what, ms);

const skip = chromiumSkip();

describe('the classroom page in headless chromium', () => {
  let context, userDir;

  before(async () => {
    if (skip) return;
    assertChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    ({ context, userDir } = await chromiumProfile());
  });

  after(async () => {
    await context?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  test('watch: one tile per pair; a stopped pair turns red (silent), the others stay', { skip }, async () => {
    const broker = await startAedes();
    const boards = new Map();
    const names = ['alice', 'bob', 'camille'];
    /** What each board prints, by board name (alice-esp1…): « Identifier » is said there. */
    const said = new Map();
    let watch;
    try {
      for (const name of names) {
        const prefix = `TestSchool/ClassA/${name}/`;
        const config = { broker: `127.0.0.1:${broker.port}`, interval: 200, topicPrefix: prefix, backoffMin: 100, backoffMax: 500 };
        boards.set(name, [
          new SimBoard({
            name: `${name}-esp2`,
            config: { ...config, role: 'responder', clientId: `web-${name}-2` },
            print: (l) => said.set(`${name}-esp2`, [...(said.get(`${name}-esp2`) ?? []), l]),
          }).start(),
          new SimBoard({
            name: `${name}-esp1`,
            config: { ...config, role: 'hello', clientId: `web-${name}-1` },
            print: (l) => said.set(`${name}-esp1`, [...(said.get(`${name}-esp1`) ?? []), l]),
          }).start(),
        ]);
      }
      watch = await serve(['watch', '--broker', `127.0.0.1:${broker.port}`, '--web', '0', '--school', 'TestSchool', '--class', 'ClassA', '--interval', '200']);
      const page = await context.newPage();
      await page.goto(watch.url);
      // The title comes with the first snapshot (/events): waited for, as the page may still be loading it.
      await until('the class name as the title', async () => (await page.textContent('h1')) === 'TestSchool / ClassA');
      // Tiles and counts read together, polled: a live pair can be 'wait' for a moment on a loaded machine.
      const before = await until('three green tiles, counted', async () => {
        const tiles = await tilesOf(page);
        return tiles.length === 3 && tiles.every((t) => t.state === 'ok') && /3 pairs.*3 OK/.test(await page.textContent('#counts')) && tiles;
      });
      assert.deepEqual(
        before.map((t) => t.name),
        names,
        'one tile per pair, in name order',
      );
      assert.deepEqual(
        before.map((t) => t.label),
        ['OK', 'OK', 'OK'],
        'the state is said in words too',
      );
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'watch-all-ok.png'), fullPage: true });

      // « Identify » on alice's tile: both of alice's boards blink and say so, no other board does.
      const identify = page.locator('#tiles > li[data-name="alice"] button.identify');
      assert.equal(await identify.textContent(), 'Identify');
      await identify.click();
      const blinks = (board) => (said.get(board) ?? []).filter((l) => /Identify: this board blinks its LED for 5 s \(asked over MQTT\)/.test(l)).length;
      await until("alice's two boards blinking", () => blinks('alice-esp1') === 1 && blinks('alice-esp2') === 1);
      assert.deepEqual(['bob-esp1', 'bob-esp2', 'camille-esp1', 'camille-esp2'].map(blinks), [0, 0, 0, 0]);

      for (const b of boards.get('bob')) b.stop();
      const after_ = await until("bob's tile to turn red", async () => {
        const tiles = await tilesOf(page);
        const bob = tiles.find((t) => t.name === 'bob');
        // Red and Silent: a hello that left ESP#1 as ESP#2 stopped shows No reply first, for up to an interval.
        return bob?.state === 'silent' && bob.label === 'Silent' && /1 in trouble/.test(await page.textContent('#counts')) && tiles;
      });
      const bob = after_.find((t) => t.name === 'bob');
      assert.notEqual(bob.background, before.find((t) => t.name === 'bob').background, 'the colour changed');
      assert.equal(bob.label, 'Silent');
      assert.equal(after_.length, 3, 'the stopped pair keeps its tile');
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'watch-bob-stopped.png'), fullPage: true });
      await page.close();
    } finally {
      for (const pair of boards.values()) for (const b of pair) b.stop();
      watch?.child.kill('SIGTERM');
      if (watch) assert.equal((await watch.exit).code, 0, watch.output());
      await broker.stop();
    }
  });

  test('classroom --web: a tile for each simulated pair, with the class name', { skip }, async () => {
    const run = await serve(['classroom', '--pairs', '12', '--web', '0', '--interval', '200', '--school', 'LycMaurois', '--class', 'SNT_2nde']);
    try {
      const page = await context.newPage();
      // The page runs under a CSP with no 'unsafe-inline': anything inline it tried would be refused, and said here.
      const refused = [];
      page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && refused.push(m.text()));
      const response = await page.goto(run.url);
      const csp = response.headers()['content-security-policy'];
      assert.match(csp, /script-src 'self'; style-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      // The title comes with the first snapshot (/events): waited for, as the page may still be loading it.
      await until('the class name as the title', async () => (await page.textContent('h1')) === 'LycMaurois / SNT_2nde');
      // Green, and 3 round trips each, so that the run ends with every pair ok; then in name order.
      let seen = [];
      await until(
        () => `12 green tiles with 3 replies each, alice first; the page shows ${JSON.stringify(seen)}`,
        async () => {
          seen = await tilesOf(page);
          return (
            seen.length === 12 &&
            seen.every((x) => x.state === 'ok' && x.replies >= 3) &&
            seen
              .slice(0, 4)
              .map((t) => t.name)
              .join() === 'alice,bob,camille,david'
          );
        },
      );
      assert.match(await page.textContent('#tiles > li[data-name="alice"]'), /boards 2\/2 connected/);
      assert.deepEqual(refused, [], 'nothing the CSP refused');
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'classroom-12.png'), fullPage: true });
      await page.close();
    } finally {
      run.child.kill('SIGINT');
      const r = await run.exit;
      assert.match(r.stdout, /^12\/12 pairs ok$/m);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });
});

describe('the page on a projector: 1280×800, a French browser, 30 pairs', () => {
  let context, userDir;
  before(async () => {
    if (skip) return;
    ({ context, userDir } = await chromiumProfile({ lang: 'fr-FR' }));
  });
  after(async () => {
    await context?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  test('classroom --roster (30 names) --web: every tile fits without scrolling, in French; a pair stopped from the page turns red and comes first, then back', {
    skip,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-roster-'));
    const names = CLASS_NAMES;
    writeFileSync(join(dir, 'classe.txt'), `# SNT 2nde B\n${names.join('\n')}\n`);
    const run = await serve(['classroom', '--roster', join(dir, 'classe.txt'), '--interval', '400', '--web', '0', '--duration', String((5 * LIMIT) / 1000)]);
    try {
      const page = await context.newPage();
      await page.goto(run.url);
      await until('30 green tiles', async () => {
        const tiles = await tilesOf(page);
        return tiles.length === 30 && tiles.every((t) => t.state === 'ok') && tiles;
      });
      // Polled whole (a live pair can be 'wait' for a moment on a loaded machine): the 30 tiles
      // green and what they look like, from one look at the page.
      const look = () =>
        page.evaluate(() => {
          const tiles = [...document.querySelectorAll('#tiles > li')].map((li) => li.getBoundingClientRect());
          const why = getComputedStyle(document.querySelector('#tiles .why')).fontSize;
          return {
            scroll: document.documentElement.scrollHeight - innerHeight,
            inside: tiles.every((r) => r.bottom <= innerHeight && r.right <= innerWidth),
            why: parseFloat(why),
            name: parseFloat(getComputedStyle(document.querySelector('#tiles .name')).fontSize),
            lang: document.documentElement.lang,
            counts: document.querySelector('#counts').textContent,
            legend: document.querySelector('#legend').textContent,
            labels: [...document.querySelectorAll('#tiles .label')].map((e) => e.textContent),
            states: [...document.querySelectorAll('#tiles > li')].map((li) => li.dataset.state),
          };
        });
      const fit = await until('30 green tiles', async () => {
        const f = await look();
        return f.states.length === 30 && f.states.every((x) => x === 'ok') && f.labels.every((l) => l === 'OK') && f;
      });
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'projector-30-fr.png') });
      assert.equal(fit.scroll, 0, 'no scrolling');
      assert.ok(fit.inside, 'every tile inside the 1280×800 window');
      assert.ok(fit.why >= 15 && fit.name >= 22, `readable from the back: the reason in ${fit.why} px, the name in ${fit.name} px`);
      assert.equal(fit.lang, 'fr');
      assert.match(fit.counts, /30 binômes/);
      assert.match(fit.legend, /En attente/);
      assert.ok(fit.labels.every((l) => l === 'OK'));
      // Every word of every tile fits its box, here and on a 1920×1080 projector, in French and English.
      for (const lang of ['fr', 'en'])
        for (const [width, height] of [
          [1280, 800],
          [1920, 1080],
        ]) {
          await page.setViewportSize({ width, height });
          if (lang === 'en' && !page.url().includes('lang=en')) await page.goto(`${run.url}?lang=en`);
          await until(`30 tiles in ${lang}`, async () => (await page.$$('#tiles > li')).length === 30 && (await page.getAttribute('html', 'lang')) === lang);
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          const m = await page.evaluate(measureTiles);
          assert.deepEqual(m.bad, [], `${lang}, ${width}×${height}: every word fits`);
          assert.equal(m.pageScroll, 0);
          if (SHOTS) await page.screenshot({ path: join(SHOTS, `projector-30-${lang}-${width}.png`) });
        }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(run.url);

      await page.click('#tiles > li[data-name="paul"] button');
      const stopped = await until('paul red, first', async () => {
        const tiles = await tilesOf(page);
        return tiles[0]?.name === 'paul' && tiles[0].state === 'silent' && tiles;
      });
      assert.equal(stopped[0].label, 'Arrêté');
      assert.equal(await page.textContent('#tiles > li[data-name="paul"] button'), 'Relancer');
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'projector-paul-stopped.png') });
      await page.click('#tiles > li[data-name="paul"] button');
      await until('paul green again', async () => (await tilesOf(page)).find((t) => t.name === 'paul')?.state === 'ok');
      await page.close();
      run.child.kill('SIGINT');
      const r = await run.exit;
      assert.match(r.stdout, /^30\/30 pairs ok$/m, r.stdout + r.stderr);
    } finally {
      run.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('watch --roster: a pair on the list that never connects is red, "Jamais connecté", first', { skip }, async () => {
    const broker = await startAedes();
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-roster-'));
    writeFileSync(join(dir, 'list.txt'), 'alice\nbob\nzoe\n');
    const boards = [];
    let watch;
    try {
      watch = await startClassPages(broker, {
        studentBroker: null,
        duration: null,
        args: ['--roster', join(dir, 'list.txt'), '--late', '0', '--interval', '200'],
        env: { MQTT_PAIR_DEBUG: '1' },
      });
      const page = await context.newPage();
      await page.goto(watch.classUrl);
      // Before any board: the whole list red, in name order. Then the page reorders as pairs turn green.
      const first = await until('the list, all red', async () => {
        const t = await tilesOf(page);
        return t.length === 3 && t.every((x) => x.state === 'silent') && t;
      });
      assert.deepEqual(
        first.map((t) => [t.name, t.label]),
        [
          ['alice', 'Jamais connecté'],
          ['bob', 'Jamais connecté'],
          ['zoe', 'Jamais connecté'],
        ],
      );
      for (const name of ['alice', 'bob']) {
        const config = { broker: `127.0.0.1:${broker.port}`, interval: 200, topicPrefix: `LycMaurois/SNT_2nde/${name}/` };
        boards.push(new SimBoard({ name: `${name}-esp2`, config: { ...config, role: 'responder' }, print: () => {} }).start());
        boards.push(new SimBoard({ name: `${name}-esp1`, config: { ...config, role: 'hello' }, print: () => {} }).start());
      }
      const tiles = await until('alice and bob green, zoe red', async () => {
        const t = await tilesOf(page);
        return t.length === 3 && t.filter((x) => x.state === 'ok').length === 2 && t;
      });
      assert.deepEqual(
        tiles.map((t) => [t.name, t.state, t.label]),
        [
          ['zoe', 'silent', 'Jamais connecté'],
          ['alice', 'ok', 'OK'],
          ['bob', 'ok', 'OK'],
        ],
      );
      await page.close();
    } finally {
      for (const b of boards) b.stop();
      watch?.child.kill('SIGTERM');
      await watch?.exit;
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("watch --roster, a class's morning: 6 pairs OK, 2 not here yet, one stopped, one without its ESP#2", { skip }, async () => {
    // What docs/classroom.md shows (classroom-page.png): every colour a class sees, in stable states,
    // at the boards' own interval (5 s, watch's default too): the page's figures are a class's.
    const broker = await startAedes();
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-roster-'));
    const names = ['alice', 'bob', 'camille', 'david', 'emma', 'felix', 'gabriel', 'hugo', 'ines', 'jules'];
    writeFileSync(join(dir, 'classe.txt'), `${names.join('\n')}\n`);
    const boards = new Map();
    let watch;
    try {
      for (const name of names.filter((n) => n !== 'hugo' && n !== 'jules')) {
        const config = { broker: `127.0.0.1:${broker.port}`, topicPrefix: `LycMaurois/SNT_2nde/${name}/`, backoffMin: 100, backoffMax: 500 };
        const pair = [new SimBoard({ name: `${name}-esp1`, config: { ...config, role: 'hello' }, print: () => {} }).start()];
        // felix's ESP#2 was never plugged in: his hellos go unanswered.
        if (name !== 'felix') pair.push(new SimBoard({ name: `${name}-esp2`, config: { ...config, role: 'responder' }, print: () => {} }).start());
        boards.set(name, pair);
      }
      watch = await startClassPages(broker, {
        studentBroker: null,
        duration: null,
        args: ['--roster', join(dir, 'classe.txt'), '--lang', 'en'],
      });
      const page = await context.newPage();
      await page.goto(watch.classUrl);
      await until('bob green before he stops', async () => (await tilesOf(page)).find((t) => t.name === 'bob')?.state === 'ok');
      for (const b of boards.get('bob')) b.stop();
      let seen = [];
      await until(
        () => `6 green, bob silent, felix without replies, hugo and jules not here yet; the page shows ${JSON.stringify(seen)}`,
        async () => {
          seen = await tilesOf(page);
          const by = Object.fromEntries(seen.map((t) => [t.name, t]));
          return (
            seen.length === 10 &&
            seen.filter((t) => t.state === 'ok').length === 6 &&
            by.bob?.label === 'Silent' &&
            by.felix?.label === 'No reply' &&
            by.hugo?.state === 'wait' &&
            by.jules?.state === 'wait'
          );
        },
      );
      assert.deepEqual(
        seen.slice(0, 4).map((t) => t.state),
        ['silent', 'silent', 'wait', 'wait'],
        'those in trouble first, then those waiting',
      );
      assert.match(await page.textContent('#counts'), /^10 pairs/);
      if (SHOTS) {
        await showGuideBroker(page);
        await page.screenshot({ path: join(SHOTS, 'classroom-page.png') });
      }
      await page.close();
    } finally {
      for (const pair of boards.values()) for (const b of pair) b.stop();
      watch?.child.kill('SIGTERM');
      await watch?.exit;
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
