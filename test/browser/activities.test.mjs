// The class page knows every activity, in headless chromium against Mosquitto: `mqtt-pair watch
// --web --roster` with a weather station, a remote, a board chatting with a student, a student on
// the students' page (its retained status "online"), a pair that starts late and one that never
// comes. Each is alive in its own activity, none is red « Jamais connecté » for doing something
// else, and the late pair is amber, then green, never red.
//
// MQTT_PAIR_SCREENSHOTS=<dir> saves a screenshot of the page there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBoard } from '../../dist/index.js';
import { chromiumProfile, assertChromium, chromiumSkip } from '../helpers/browser.mjs';
import { showGuideBroker, startClassPages } from '../helpers/class-page.mjs';
import { mosquittoSkip, mosquittoTool, startMosquitto } from '../helpers/mosquitto.mjs';
import { measureTiles, tilesOf } from '../helpers/tiles.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
const G = 'LycMaurois/SNT_2nde/';
const skip = chromiumSkip() || mosquittoSkip();

describe('the class page: every activity alive in its own words (Mosquitto, chromium)', () => {
  let context, userDir, broker;
  const boards = [];
  let watch;

  before(async () => {
    if (skip) return;
    assertChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    broker = await startMosquitto();
    ({ context, userDir } = await chromiumProfile({ lang: 'fr-FR' }));
  });

  after(async () => {
    for (const b of boards) b.stop();
    watch?.child.kill('SIGKILL');
    await context?.close();
    await broker?.stop();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  test('sensor, remote, chat and students are alive; a late pair is amber then green; an absent one amber', { skip, timeout: 5 * LIMIT }, async () => {
    const pub = (...args) => {
      const r = spawnSync(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    const board = (name, config) => {
      const b = new SimBoard({ name, config: { broker: `127.0.0.1:${broker.port}`, backoffMin: 100, backoffMax: 500, ...config }, print: () => {} }).start();
      boards.push(b);
      return b;
    };
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-roster-'));
    writeFileSync(join(dir, 'classe.txt'), 'hugo\nines\nalice\nbob\ncarla\nlucas\nzoe\n');
    // The student carla's page was there before the teacher's: its retained status says so.
    pub('-r', '-q', '1', '-t', `${G}carla/status`, '-m', 'online');
    // Each at its own default interval (a station and a remote each second, watch's 5 s): the docs' screenshot shows a class's figures.
    board('hugo', { role: 'sensor', topicPrefix: `${G}hugo/` });
    board('ines', { role: 'remote', topicPrefix: `${G}ines/` });
    board('alice', { role: 'chat', topicPrefix: G, name: 'alice', peer: 'bob' });
    watch = await startClassPages(broker, { studentBroker: null, duration: null, args: ['--roster', join(dir, 'classe.txt')] });
    const url = watch.classUrl;
    const page = await context.newPage();
    await page.goto(url);
    // bob types in the chat (mosquitto_pub, as the students' page or `mqtt-pair chat` would): alice's board echoes.
    for (let i = 0; i < 2; i++) pub('-t', `${G}bob`, '-m', `salut ${i}`);
    // yanis, on no line of the list, opens the students' page: a student, not a pair.
    pub('-r', '-q', '1', '-t', `${G}yanis/status`, '-m', 'online');
    let seen = [];
    await until(
      async () => {
        seen = await tilesOf(page);
        const by = Object.fromEntries(seen.map((t) => [t.name, t]));
        return (
          // The temperature and the pressure are two messages: a snapshot can fall between them.
          by.hugo?.reason === 'sensor' &&
          / hPa/.test(by.hugo.why) &&
          by.ines?.reason === 'remote' &&
          by.alice?.reason === 'chat' &&
          by.bob?.reason === 'chat' &&
          by.carla?.reason === 'student' &&
          by.lucas?.reason === 'notYet' &&
          by.zoe?.reason === 'notYet'
        );
      },
      () => `each pair in its activity; the page shows ${JSON.stringify(seen)}`,
    );
    const by = Object.fromEntries(seen.map((t) => [t.name, t]));
    for (const name of ['hugo', 'ines', 'alice', 'bob', 'carla']) assert.equal(by[name].state, 'ok', `${name} is alive: ${JSON.stringify(by[name])}`);
    assert.match(by.hugo.why, /^publie 2\d(,\d+)? °C · 101\d(,\d+)? hPa/, 'the weather station shows its values, in French');
    assert.equal(by.hugo.label, 'Station météo');
    assert.match(by.ines.why, /dernière commande «\s(up|down|left|right)\s»/);
    assert.equal(by.carla.why, 'en ligne sur la page des élèves');
    assert.deepEqual([by.zoe.state, by.zoe.label], ['wait', 'Pas encore là'], 'a pair not there yet is amber, not red');
    assert.ok(!seen.some((t) => t.label === 'Jamais connecté'), 'no red "never connected" for a pair doing another activity');
    // Students on the students' page apart from the pairs: yanis has no tile and counts as no pair.
    assert.ok(!seen.some((t) => t.name === 'yanis'), `yanis is no pair: ${JSON.stringify(seen)}`);
    // Activities that speak every second: « à l'instant », never « il y a 445 ms », on a projector.
    assert.ok(!seen.some((t) => /\d ms\b/.test(t.why)), `no milliseconds in a tile's words: ${JSON.stringify(seen.map((t) => t.why))}`);
    await until(async () => /1 élève sur la page des élèves\s*yanis/.test(await page.textContent('#students')), 'yanis among the students');
    assert.match(await page.textContent('#counts'), /^7 binômes/, 'the 7 pairs of the list, and no more');
    if (SHOTS) {
      await showGuideBroker(page);
      await page.screenshot({ path: join(SHOTS, 'activities-fr.png') });
    }
    assert.deepEqual((await page.evaluate(measureTiles)).bad, [], 'every word fits');

    // The late pair starts now: amber, then green, never red.
    board('lucas-esp2', { role: 'responder', topicPrefix: `${G}lucas/`, interval: 500 });
    board('lucas-esp1', { role: 'hello', topicPrefix: `${G}lucas/`, interval: 500 });
    const states = new Set();
    await until(async () => {
      const late = (await tilesOf(page)).find((t) => t.name === 'lucas');
      states.add(late?.state);
      return late?.state === 'ok';
    }, 'the late pair green');
    assert.ok(!states.has('silent'), `the late pair was never red: ${[...states]}`);
    if (SHOTS) {
      await showGuideBroker(page);
      await page.screenshot({ path: join(SHOTS, 'activities-late-ok-fr.png') });
    }
    await page.close();
    rmSync(dir, { recursive: true, force: true });
    watch.child.kill('SIGTERM');
  });
});
