// `mqtt-pair explore` in headless chromium against Mosquitto: the topic tree with counts, values and
// retained flags; the weather station's values in the tree, the history and the live chart
// (uPlot); a lab's retained myRasp/groundfloor/kitchen/temperature cleared from the page (a later
// subscriber gets nothing); text from the network shown as text; the page under its CSP.
//
// MQTT_PAIR_SCREENSHOTS=<dir> saves screenshots there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SimBoard } from '../../dist/index.js';
import { chromiumProfile, assertChromium, chromiumSkip } from '../helpers/browser.mjs';
import { runToEnd as run } from '../helpers/child.mjs';
import { startExplorer as explore } from '../helpers/class-page.mjs';
import { mosquittoSkip, mosquittoTool, retainedOn, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
const G = 'LycMaurois/SNT_2nde/';
const skip = chromiumSkip() || mosquittoSkip();

describe('the explorer (Mosquitto, chromium)', () => {
  let context, userDir, broker;
  const boards = [];
  const children = [];

  before(async () => {
    if (skip) return;
    assertChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    // The screenshots show a classroom's broker port (1883), not one drawn for the test.
    broker = await startMosquitto(SHOTS ? { port: 1883 } : {});
    ({ context, userDir } = await chromiumProfile({ lang: 'fr-FR' }));
  });

  after(async () => {
    for (const b of boards) b.stop();
    for (const c of children) c.kill('SIGKILL');
    await context?.close();
    await broker?.stop();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  test('tree, history and chart of the weather station; a branch of retained messages cleared; text as text', { skip, timeout: 5 * LIMIT }, async () => {
    const pub = async (...args) => {
      const r = await run(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), ...args]);
      assert.equal(r.code, 0, r.stderr);
    };
    // The lab of the course: a retained tree left behind, and a payload that looks like markup.
    await pub('-r', '-t', 'myRasp/groundfloor/kitchen/temperature', '-m', '19.5');
    await pub('-r', '-t', 'myRasp/groundfloor/kitchen/status', '-m', 'online');
    await pub('-r', '-t', 'lab/markup', '-m', '<img src=x onerror="document.title=\'owned\'">');
    boards.push(
      new SimBoard({
        name: 'meteo',
        config: { broker: `127.0.0.1:${broker.port}`, role: 'sensor', topicPrefix: `${G}alice/`, interval: 300 },
        print: () => {},
      }).start(),
    );
    const ex = await explore(['--broker', `127.0.0.1:${broker.port}`, '--web', '0']);
    children.push(ex.child);
    const page = await context.newPage();
    const refused = [];
    page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && refused.push(m.text()));
    page.on('pageerror', (e) => refused.push(String(e)));
    const response = await page.goto(ex.url);
    assert.doesNotMatch(response.headers()['content-security-policy'], /unsafe-inline/);
    const temperature = `${G}alice/myRasp/sensors/temperature`;
    const row = (path) => `#tree li[data-path="${path}"]`;
    await until(
      async () => (await page.$(row(temperature))) && (await page.$(row('myRasp/groundfloor/kitchen/temperature'))),
      'the tree with the sensor and the lab',
    );
    await until(async () => (await page.textContent('h1')) === 'Explorateur du broker', 'the French title');
    // The retained lab values are marked retained, with their value.
    const kitchen = await page.$eval(row('myRasp/groundfloor/kitchen/temperature'), (li) => ({
      value: li.querySelector('.value').textContent,
      ret: li.querySelector('.ret').textContent,
    }));
    assert.deepEqual(kitchen, { value: '19.5', ret: 'retenu' });
    // Text from the network is text: the markup is shown, never made.
    assert.equal(await page.$eval(row('lab/markup'), (li) => li.querySelector('.value').textContent), '<img src=x onerror="document.title=\'owned\'">');
    assert.equal(await page.$$eval('#tree img, #detail img', (x) => x.length), 0);
    assert.notEqual(await page.title(), 'owned');

    // The temperature: its history (with the change from the one before) and its chart.
    await page.click(row(temperature));
    await until(async () => (await page.$$('#history tbody tr')).length >= 5, 'five messages in the history');
    const history = await page.$$eval('#history tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.match(history[0][3], /^2\d(\.\d+)?$/, `a temperature: ${history[0]}`);
    assert.match(history[0][4], /^([+-]\d|identique|≠)/, `the change from the one before: ${history[0]}`);
    await until(async () => page.$('#chart canvas'), 'the chart');
    assert.match(await page.textContent('#chart .u-legend'), /alice\/myRasp\/sensors\/temperature/);
    // The pressure on the same chart.
    await page.click(row(`${G}alice/myRasp/sensors/pression`));
    await until(async () => /pression/.test(await page.textContent('#chart .u-legend')), 'the pressure on the chart too');
    if (SHOTS) {
      // The branch's retained messages counted by the broker, as a teacher sees the button once it has answered.
      await page.waitForSelector('#clear:not([disabled])', { timeout: LIMIT });
      await page.screenshot({ path: join(SHOTS, 'explorer-fr.png') });
    }

    // Clear the lab's branch: the confirmation says how many; a later subscriber gets nothing.
    await page.click(row('myRasp/groundfloor'));
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      d.accept();
    });
    await page.click('#clear');
    await until(async () => /2 messages retenus effacés/.test(await page.textContent('#done')), 'the page to say it cleared 2');
    assert.match(asked, /Effacer 2 messages retenus sous myRasp\/groundfloor/);
    assert.deepEqual(await retainedTopics('myRasp/#'), [], 'nothing retained under myRasp/ any more');
    assert.ok((await retainedTopics('lab/#')).includes('lab/markup'), 'what is under another branch stays');
    await until(
      async () => !(await page.$eval(row('myRasp/groundfloor/kitchen/temperature'), (li) => li.querySelector('.ret').textContent)),
      'the tree to show it is no longer retained',
    );
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'explorer-cleared-fr.png') });
    assert.deepEqual(refused, [], 'nothing the CSP refused, no error in the page');
    await page.close();
  });
  /** POST /clear {"branch": branch} to the explorer at `url`, as its page does: the answer. */
  async function clearBranch(url, branch) {
    const r = await fetch(new URL('clear', url), {
      method: 'POST',
      headers: { 'x-mqtt-pair': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ branch }),
    });
    assert.equal(r.status, 200, await r.clone().text());
    return r.json();
  }
  /** The topics the broker holds retained under `filters`, sorted, as a later subscriber sees them. */
  async function retainedTopics(...filters) {
    return (await retainedOn(broker.port, filters)).map((l) => l.split(' ')[0]).sort();
  }

  test('a branch clears only itself: the (empty) level of /x, the empty level of cls//double; "" clears nothing', { skip, timeout: 3 * LIMIT }, async () => {
    const planted = ['/x', 'cls//double', 'cls/a', 'keep/me'];
    for (const t of planted) {
      const r = await run(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), '-r', '-t', t, '-m', 'planted']);
      assert.equal(r.code, 0, r.stderr);
    }
    const mine = ['/#', 'cls/#', 'keep/#'];
    const ex = await explore(['--broker', `127.0.0.1:${broker.port}`, '--web', '0', ...mine.flatMap((f) => ['-t', f])]);
    children.push(ex.child);
    assert.deepEqual(await retainedTopics(...mine), [...planted].sort());
    // '' is no branch: nothing cleared (it was every retained message of the broker).
    assert.equal((await clearBranch(ex.url, '')).cleared, 0);
    assert.deepEqual(await retainedTopics(...mine), [...planted].sort());
    // From the page, as the teacher does: the « (vide) » first level of /x holds /x alone (its
    // branch is '/'), the empty level of cls//double holds it alone (cls//), not cls/a.
    const page = await context.newPage();
    await page.goto(ex.url);
    const row = (path) => `#tree li[data-path="${path}"]`;
    await until(async () => (await page.$(row('/x'))) && (await page.$(row('cls//double'))), 'the planted topics in the tree');
    assert.equal(await page.$eval(row(''), (li) => li.querySelector('.seg').textContent), '(vide)');
    const clearFromPage = async (level, left) => {
      await page.click(row(level));
      await until(
        async () => /\(1\)$/.test(await page.textContent('#clear')),
        async () => `one to clear under ${level}: ${await page.textContent('#clear')}`,
      );
      let asked = '';
      page.once('dialog', (d) => {
        asked = d.message();
        d.accept();
      });
      await page.click('#clear');
      await until(async () => /^1 message retenu effacé/.test(await page.textContent('#done')), `the page to say it cleared ${level}'s one`);
      assert.match(asked, new RegExp(`^Effacer 1 message retenu sous ${level}/ `));
      assert.deepEqual(await retainedTopics(...mine), left);
    };
    await clearFromPage('', ['cls//double', 'cls/a', 'keep/me']);
    await clearFromPage('cls/', ['cls/a', 'keep/me']);
    await page.close();
    // A wildcard names no level: nothing.
    assert.equal((await clearBranch(ex.url, '+/')).cleared, 0);
    assert.deepEqual(await retainedTopics(...mine), ['cls/a', 'keep/me']);
    ex.child.kill('SIGTERM');
  });

  test('messages retained after the explorer subscribed: counted, marked « retenu », cleared', { skip, timeout: 5 * LIMIT }, async () => {
    const ex = await explore(['--broker', `127.0.0.1:${broker.port}`, '--web', '0', '-t', 'late/#', '-t', `${G}bob/#`]);
    children.push(ex.child);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(ex.url);
    await until(async () => (await page.textContent('h1')) === 'Explorateur du broker', 'the French title');
    // Retained once the explorer is subscribed: the broker sends them with RETAIN 0 (§3.3.1.3).
    for (const t of ['late/one', 'late/two', 'late/three']) {
      const r = await run(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), '-r', '-t', t, '-m', t]);
      assert.equal(r.code, 0, r.stderr);
    }
    boards.push(
      new SimBoard({
        name: 'meteo-bob',
        config: { broker: `127.0.0.1:${broker.port}`, role: 'sensor', topicPrefix: `${G}bob/`, interval: 300 },
        print: () => {},
      }).start(),
    );
    const row = (path) => `#tree li[data-path="${path}"]`;
    const temperature = `${G}bob/myRasp/sensors/temperature`;
    await until(async () => (await page.$(row('late/three'))) && (await page.$(row(temperature))), 'the late topics and the sensor in the tree');
    // The sensor publishes its temperature retained: once chosen, the broker says so.
    await page.click(row(temperature));
    await until(
      async () => (await page.$eval(row(temperature), (li) => li.querySelector('.ret').textContent)) === 'retenu',
      'the sensor temperature marked « retenu »',
    );
    await page.click(row('late'));
    await until(
      async () => /\(3\)$/.test(await page.textContent('#clear')),
      async () => `the clear button to count 3: ${await page.textContent('#clear')}`,
    );
    assert.equal(await page.$eval('#clear', (b) => b.disabled), false);
    assert.equal(await page.$eval(row('late/two'), (li) => li.querySelector('.ret').textContent), 'retenu');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      d.accept();
    });
    await page.click('#clear');
    await until(async () => /3 messages retenus effacés/.test(await page.textContent('#done')), 'the page to say it cleared 3');
    assert.match(asked, /Effacer 3 messages retenus sous late\//);
    assert.deepEqual(await retainedTopics('late/#'), [], 'nothing retained under late/ any more');
    await until(async () => /\(0\)$/.test(await page.textContent('#clear')), 'the clear button to count 0');
    await until(async () => !(await page.$eval(row('late/one'), (li) => li.querySelector('.ret').textContent)), 'the marks gone');
    assert.deepEqual(problems, []);
    await page.close();
    ex.child.kill('SIGTERM');
  });
});
