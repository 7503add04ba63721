// `mqtt-pair setup --web`: the class set-up page's server and the page in headless Chromium. The
// server: ESP Web Tools' browser build and the image from `mqtt-pair image` (only the files its
// manifest lists), the class as it fills (a board asks for its student, is set up, then the broker
// hears its pair, as `watch` does), posts from another origin refused, the WiFi password never
// asked for. The page: French and English, the roster's rows and their states, ESP Web Tools'
// install button defined from the served build, nothing refused by its CSP; a screenshot of each
// language (MQTT_PAIR_SCREENSHOTS=<dir> keeps them). What needs a real USB port (the install
// dialog flashing a board) is not tested here.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { mqttPair, assertOneLineError } from '../helpers/child.mjs';
import { startEmbeddedBroker } from '../helpers/embedded.mjs';
import { freePort } from '../helpers/mosquitto.mjs';
import { chromiumSkip, launchChromium } from '../helpers/browser.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';
import { toPage, webSerialStandIn } from '../helpers/web-serial.mjs';
import { improv } from '../../dist/index.js';

const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
const fixtures = new URL('../fixtures/image/mcconfig-out', import.meta.url).pathname;

describe('mqtt-pair setup --web', () => {
  let work, broker, server, base, port, roster, image;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-web-'));
    image = join(work, 'image');
    const made = await mqttPair(['image', '-p', 'esp32', '-o', fixtures, '--out', image]).exit;
    assert.equal(made.code, 0, made.stderr);
    roster = join(work, 'names.txt');
    writeFileSync(roster, 'alice bob\nchloe david\nemma\n');
    // The screenshots show a classroom's broker port (1883), not one drawn for the test.
    broker = await startEmbeddedBroker(SHOTS ? 1883 : await freePort());
    // Port 0: the system gives a free one (a port probed first could be taken before the bind).
    server = mqttPair([
      'setup',
      '--web',
      '0',
      '--image',
      image,
      '--roster',
      roster,
      '--school',
      'LycMaurois',
      '--class',
      'SNT_2nde',
      '--ssid',
      'ClassWiFi',
      '--broker',
      `127.0.0.1:${broker.port}`,
    ]);
    const banner = await server.waitFor('stdout', /The class set-up page: http:\/\/127\.0\.0\.1:(\d+)\//);
    port = Number(banner[1]);
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    if (server) {
      const r = await server.stop();
      assert.equal(r.code, 0, 'Ctrl+C ends it with 0');
    }
    await broker?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const post = (path, body, headers = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mqtt-pair': '1', ...headers }, body: JSON.stringify(body) });
  /** A request as any page may make it, with its own Host and Origin (fetch keeps its Host). */
  const raw = (method, path, headers, body) =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const students = async () => (await (await fetch(`${base}/api/class`)).json()).students;

  test('the page, its CSP, ESP Web Tools and the image: only what the manifest lists', async () => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy'), /script-src 'self'; style-src 'self'/);
    assert.doesNotMatch(page.headers.get('content-security-policy'), /unsafe-inline/);
    const manifest = await (await fetch(`${base}/image/manifest.json`)).json();
    assert.equal(manifest.builds[0].chipFamily, 'ESP32');
    for (const part of manifest.builds[0].parts) {
      const r = await fetch(`${base}/image/${part.path}`);
      assert.equal(r.status, 200, part.path);
      assert.deepEqual(Buffer.from(await r.arrayBuffer()), readFileSync(join(image, part.path)));
    }
    assert.equal((await fetch(`${base}/image/write_flash.sh`)).status, 404, 'only the manifest and its parts');
    assert.equal((await fetch(`${base}/image/..%2Fnames.txt`)).status, 404);
    const tool = await fetch(`${base}/esp-web-tools/install-button.js`);
    assert.equal(tool.status, 200);
    assert.match(tool.headers.get('content-type'), /javascript/);
  });

  test('DNS rebinding: a page of evil.example, resolved to 127.0.0.1, reads nothing and takes no slot', async () => {
    const stateFile = `${roster}.boards.json`;
    const before = existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : null;
    // What a rebinding page sends: its own name as Host and as Origin, and any header it likes
    // (to the browser it is the same origin).
    const evil = { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'x-mqtt-pair': '1', 'content-type': 'application/json' };
    const read = await raw('GET', '/api/class', { host: evil.host });
    assert.equal(read.status, 421);
    assert.equal(read.headers['cache-control'], 'no-store', 'a refusal is never cached either');
    assert.equal(read.headers['x-frame-options'], 'DENY');
    assert.match(read.headers['content-security-policy'], /default-src 'none'.*frame-ancestors 'none'/);
    for (const word of ['alice', 'ClassWiFi', String(broker.port)]) assert.ok(!read.text.includes(word), `the answer shows ${word}: ${read.text}`);
    for (const path of ['/', '/setup.js', '/image/manifest.json', '/esp-web-tools/install-button.js'])
      assert.equal((await raw('GET', path, { host: evil.host })).status, 421, path);
    for (let i = 0; i < 10; i++) {
      const board = JSON.stringify({ board: `mqtt-pair-evil${i}` });
      const taken = await raw('POST', '/api/boards', evil, board);
      assert.equal(taken.status, 421);
      assert.ok(!taken.text.includes('broker'), taken.text);
      assert.equal((await raw('POST', '/api/boards/done', evil, board)).status, 421);
    }
    assert.equal(existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : null, before, 'the state file is unchanged');
    assert.ok(
      (await students()).every((s) => s.board === null),
      'every student is still free',
    );
  });

  test('a post from another origin, or without our header, is refused; done and failed only for a board that asked', async () => {
    const body = JSON.stringify({ board: 'mqtt-pair-evil' });
    const json = { 'content-type': 'application/json', 'x-mqtt-pair': '1' };
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `http://127.0.0.1:${port + 1}`]) {
      const r = await raw('POST', '/api/boards', { ...json, host: `127.0.0.1:${port}`, origin }, body);
      assert.equal(r.status, 403, origin);
      assert.ok(!r.text.includes('broker'), r.text);
    }
    assert.equal((await raw('POST', '/api/boards', { 'content-type': 'application/json', host: `127.0.0.1:${port}` }, body)).status, 403, 'without our header');
    assert.equal((await post('/api/boards/done', { board: 'mqtt-pair-never' })).status, 409, 'a board that never asked is not set up');
    assert.equal((await post('/api/boards/failed', { board: 'mqtt-pair-never', error: 'x' })).status, 409);
    const long = JSON.stringify({ board: 'mqtt-pair-long', pad: 'x'.repeat(5000) });
    assert.equal((await raw('POST', '/api/boards', { ...json, host: `127.0.0.1:${port}` }, long)).status, 400, 'a body over its limit');
    assert.ok(
      (await students()).every((s) => s.board === null && s.state === 'free'),
      'every student is still free',
    );
  });

  test('a board asks for its student, is set up, then the broker hears its pair', async () => {
    const refused = await post('/api/boards', { board: 'mqtt-pair-aaaa' }, { origin: 'http://evil.example' });
    assert.equal(refused.status, 403, 'another origin cannot hand out boards');
    const ours = await post('/api/boards/done', { board: 'mqtt-pair-aaaa' }, { origin: `http://localhost:${port}` });
    assert.equal(ours.status, 409, 'our own origin gets through (the board has not asked yet)');
    const a = await (await post('/api/boards', { board: 'mqtt-pair-aaaa' })).json();
    assert.equal(a.slot.name, 'alice');
    assert.deepEqual(a.settings, [
      ['broker', `127.0.0.1:${broker.port}`],
      ['role', 'hello'],
      ['topicPrefix', 'LycMaurois/SNT_2nde/alice/'],
      ['name', 'alice'],
      ['clientId', a.settings[4][1]],
      ['peer', 'bob'],
    ]);
    // Not alice-esp1, which anyone reading the projector could take: a random suffix, kept in the state file.
    assert.match(a.settings[4][1], /^alice-esp1-[0-9a-f]{12}$/);
    assert.ok(!JSON.stringify(a).includes('password'), "the WiFi password is never the server's");
    assert.equal((await students())[0].state, 'setting');
    await post('/api/boards/done', { board: 'mqtt-pair-aaaa' });
    const b = await (await post('/api/boards', { board: 'mqtt-pair-bbbb' })).json();
    assert.equal(b.slot.name, 'bob');
    await post('/api/boards/failed', { board: 'mqtt-pair-bbbb', error: 'the board could not join the WiFi' });
    let s = await students();
    assert.deepEqual(
      s.slice(0, 3).map((x) => [x.name, x.board, x.state]),
      [
        ['alice', 'mqtt-pair-aaaa', 'setUp'],
        ['bob', 'mqtt-pair-bbbb', 'failed'],
        ['chloe', null, 'free'],
      ],
    );
    assert.equal(s[1].error, 'the board could not join the WiFi');
    // Plugged in again, a board keeps its student.
    assert.equal((await (await post('/api/boards', { board: 'mqtt-pair-bbbb' })).json()).slot.name, 'bob');
    await post('/api/boards/done', { board: 'mqtt-pair-bbbb' });
    // The pair at work, as the broker sees it.
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    await c.publishAsync('LycMaurois/SNT_2nde/alice/hello', 'Hello #0');
    await until(async () => (await students())[0].state === 'hello', 'alice: hello');
    await c.publishAsync('LycMaurois/SNT_2nde/alice/notification', 'received');
    await until(async () => (await students())[1].state === 'pair', 'bob: pair');
    await c.endAsync();
    s = await students();
    assert.equal(s[0].state, 'pair');
    const saved = JSON.parse(readFileSync(`${roster}.boards.json`, 'utf8'));
    assert.deepEqual(
      saved,
      {
        version: 2,
        students: {
          alice: { esp1: { board: 'mqtt-pair-aaaa', clientId: a.settings[4][1] } },
          bob: { esp2: { board: 'mqtt-pair-bbbb', clientId: b.settings.find(([k]) => k === 'clientId')[1] } },
        },
      },
      'kept beside the roster, by name',
    );
  });

  test('the page in Chromium, French and English: rows, states, the install button, nothing refused by the CSP', { skip: chromiumSkip() }, async () => {
    const browser = await launchChromium();
    try {
      for (const [locale, lang, words] of [
        [
          'fr-FR',
          'fr',
          {
            title: 'Préparer les cartes de la classe',
            pair: 'le binôme échange ses messages',
            free: 'pas encore de carte',
            button: 'Régler la carte branchée',
            esp1: 'ESP#1 — envoie Hello #N \\(hello\\)',
          },
        ],
        [
          'en-GB',
          'en',
          {
            title: "Setting up the class's boards",
            pair: 'the pair exchanges its messages',
            free: 'no board yet',
            button: 'Set up the plugged-in board',
            esp1: 'ESP#1 \\(hello\\)',
          },
        ],
      ]) {
        const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 } });
        context.setDefaultTimeout(LIMIT); // a slow machine: an event's limit, not Playwright's 30 s
        const page = await context.newPage();
        const refused = [];
        page.on('console', (m) => {
          if (m.type() === 'error') refused.push(m.text());
        });
        page.on('pageerror', (e) => refused.push(e.message));
        await page.goto(`${base}/`);
        await page.locator('#rows tr').nth(4).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        assert.equal(await page.locator('h1').textContent(), words.title);
        assert.equal(await page.locator('#rows tr').count(), 6, 'one row a board: emma has both of hers');
        assert.match(await page.locator('#rows tr').nth(0).textContent(), new RegExp(`alice.*${words.esp1}.*mqtt-pair-aaaa.*${words.pair}`));
        assert.match(await page.locator('#rows tr').nth(2).textContent(), new RegExp(`chloe.*${words.free}`));
        assert.equal(await page.locator('#set-button').textContent(), words.button);
        assert.equal(await page.locator('#ssid').inputValue(), 'ClassWiFi');
        assert.equal(await page.locator('#password').inputValue(), '', 'the password is typed on the page, never given by the server');
        // ESP Web Tools' button, from the build the server serves, with the image's manifest.
        await page.waitForFunction(() => !!customElements.get('esp-web-install-button'), null, { timeout: 60_000 });
        assert.equal(await page.locator('esp-web-install-button').getAttribute('manifest'), '/image/manifest.json');
        if (SHOTS) await page.screenshot({ path: join(SHOTS, `setup-web-${lang}.png`), fullPage: true });
        assert.deepEqual(
          refused.filter((t) => /Content Security Policy|Refused/.test(t)),
          [],
        );
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });

  // A board still starting reads nothing from its USB port: Web Serial's write then stays pending,
  // its writer holding the stream's lock (a real WritableStream here, as Chromium's port has), and
  // the page asks again (identify: 4 tries, 3 s each). The page keeps one writer while the port is
  // open, so its writes queue behind the first and the page says the board did not answer; a writer
  // taken for each write would meet the lock: « Cannot create writer when WritableStream is locked ».
  test('a board that reads nothing yet: the page asks again through its one writer and says no answer', { skip: chromiumSkip() }, async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ locale: 'fr-FR' });
      context.setDefaultTimeout(LIMIT);
      const page = await context.newPage();
      // Each write is taken (counted) and never completes: nothing reads the board's end.
      await page.addInitScript(webSerialStandIn, { stalls: true });
      await page.goto(`${base}/`);
      await page.locator('#rows tr').nth(4).waitFor();
      // The stand-in's stream locks as Web Serial's does: a second writer is refused while one is held.
      const locked = await page.evaluate(() => {
        const w = new WritableStream();
        w.getWriter();
        try {
          w.getWriter();
          return 'a second writer was given';
        } catch (e) {
          return e.message;
        }
      });
      assert.match(locked, /Cannot create writer when WritableStream is locked/);
      await page.getByRole('button', { name: 'Régler la carte branchée' }).click();
      await page.locator('#step.problem').waitFor();
      const step = await page.locator('#step').textContent();
      assert.doesNotMatch(step, /locked|writer/i, 'no writer refused by the lock');
      assert.equal(step, 'Pas de réponse : est-ce bien une carte avec mqtt-pair ? Installez le programme (1.), puis réessayez.');
      assert.equal(await page.evaluate(() => window.__frames), 1, 'the first frame taken; the next ones queued behind it, in order');
      assert.equal(await page.locator('#set-button').isDisabled(), false, 'the button is back');
      await context.close();
    } finally {
      await browser.close();
    }
  });

  test('« Identifier » in Chromium: the row asks its board over MQTT, with its role, on <prefix>identify', { skip: chromiumSkip() }, async () => {
    const teacher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    const heard = [];
    teacher.on('message', (topic, payload) => heard.push(`${topic} ${payload}`));
    await teacher.subscribeAsync('LycMaurois/SNT_2nde/+/identify');
    assert.equal((await post('/api/identify', { index: 2 })).status, 404, 'chloe has no board yet');
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ locale: 'fr-FR' });
      context.setDefaultTimeout(LIMIT);
      const page = await context.newPage();
      await page.goto(`${base}/`);
      const button = page.locator('#rows tr').nth(0).locator('button[data-identify]');
      assert.equal(await button.textContent(), 'Identifier');
      assert.equal(await page.locator('#rows tr').nth(2).locator('button[data-identify]').count(), 0, 'no button without a board');
      await button.click();
      await until(() => heard.length, 'the ask at the broker');
      assert.deepEqual(heard, ['LycMaurois/SNT_2nde/alice/identify hello']);
      // The page says it once the server's answer comes back, which may be after the broker heard it.
      await page.locator('#replaced', { hasText: 'clignote' }).waitFor();
      assert.equal(
        await page.locator('#replaced').textContent(),
        'La carte « alice ESP#1 » clignote pendant 5 s si elle est allumée et connectée : étiquetez-la ainsi.',
      );
      await context.close();
    } finally {
      await browser.close();
      await teacher.endAsync();
    }
  });

  test('« Remplacer » in Chromium: the student loses their board, the next board set up is theirs; a name not on the list changes nothing', {
    skip: chromiumSkip(),
  }, async () => {
    const file = `${roster}.boards.json`;
    const before = readFileSync(file, 'utf8');
    assert.ok(JSON.parse(before).students.bob, 'bob has his board');
    const unknown = await post('/api/replace', { name: 'zoé' });
    assert.equal(unknown.status, 404);
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing stored changes');
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ locale: 'fr-FR' });
      context.setDefaultTimeout(LIMIT);
      const page = await context.newPage();
      const asked = [];
      page.on('dialog', (d) => {
        asked.push(d.message());
        d.accept();
      });
      await page.goto(`${base}/`);
      const button = page.locator('#rows tr').nth(1).locator('button[data-replace]');
      assert.equal(await button.textContent(), 'Remplacer');
      assert.equal(await button.getAttribute('data-replace'), 'bob');
      await button.click();
      await until(async () => (await page.locator('#replaced').textContent()) !== '', 'the answer on the page');
      assert.equal(await page.locator('#replaced').textContent(), 'bob n’a plus sa carte mqtt-pair-bbbb : la prochaine carte réglée ici est la sienne.');
      assert.deepEqual(asked, ['Donner une nouvelle carte à bob ? L’ancienne ne sera plus la sienne ; la prochaine carte réglée ici le sera.']);
      await until(async () => /bob.*—.*pas encore de carte/.test(await page.locator('#rows tr').nth(1).textContent()), 'bob without a board');
      await context.close();
    } finally {
      await browser.close();
    }
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(saved.students.bob, undefined, 'forgotten in the state file');
    assert.ok(saved.students.alice, 'the others keep theirs');
    // The next board set up takes bob, before chloe (the next free row), with a new client id.
    const next = await (await post('/api/boards', { board: 'mqtt-pair-cccc' })).json();
    assert.equal(next.slot.name, 'bob');
    assert.notEqual(next.settings.find(([k]) => k === 'clientId')[1], JSON.parse(before).students.bob.esp2.clientId);
    await post('/api/boards/done', { board: 'mqtt-pair-cccc' });
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).students.bob.esp2.board, 'mqtt-pair-cccc');
  });

  test('bad input: one line each', async () => {
    assertOneLineError(
      await mqttPair(['setup', '--web', '0', '--image', work]).exit,
      'mqtt-pair setup:',
      /has no manifest\.json: make the image first, e\.g\. mqtt-pair image -p esp32/,
    );
    assertOneLineError(
      await mqttPair(['setup', '--web', '0', '--ssid', 'x', '--password', 'secret']).exit,
      'mqtt-pair setup:',
      /--password is typed on the page/,
    );
    assertOneLineError(await mqttPair(['setup']).exit, 'mqtt-pair setup:', /which board\? --web 8090/);
    assertOneLineError(
      await mqttPair(['setup', '--web', String(port)]).exit,
      'mqtt-pair setup:',
      new RegExp(`port ${port} is already in use on 127\\.0\\.0\\.1: choose another with --web ${port + 1}`),
    );
  });

  // The board refuses the first setting the page sends: its key, reason code and facts as data, then
  // its error, and nothing on its console. The page words it in its language (tools/words/refusal.ts).
  test('a setting the board refuses: said by the page from the frame alone, in French and in English', { skip: chromiumSkip() }, async () => {
    const browser = await launchChromium();
    try {
      for (const [locale, button, said] of [
        ['fr-FR', 'Régler la carte branchée', /^La carte refuse broker : broker fait 70 octets : la carte en garde au plus 62\.$/],
        ['en-GB', 'Set up the plugged-in board', /^The board refuses broker: broker is 70 bytes long: the board keeps at most 62\.$/],
      ]) {
        const context = await browser.newContext({ locale });
        context.setDefaultTimeout(LIMIT);
        const page = await context.newPage();
        const reader = new improv.FrameReader();
        const sets = [];
        await page.exposeFunction('__toBoard', (bytes) =>
          reader.push(Uint8Array.from(bytes), {
            frame: (_type, data) => {
              const c = improv.decodeCommand(Uint8Array.from(data));
              if (c?.command === improv.REQUEST_INFO) toPage(page, improv.resultFrame(c.command, ['mqtt-pair', '0.1.0', 'ESP8266', 'mqtt-pair-eeee']));
              else if (c?.command === improv.SET_SETTINGS) {
                sets.push(c.strings[0]);
                toPage(page, Buffer.concat([improv.refusalFrame(c.command, c.strings[0], 'long', ['70', '62']), improv.errorFrame(improv.INVALID_SETTING)]));
              }
            },
            badFrame() {},
          }),
        );
        await page.addInitScript(webSerialStandIn);
        await page.goto(`${base}/`);
        await page.locator('#rows tr').nth(4).waitFor();
        await page.getByRole('button', { name: button }).click();
        await page.locator('#step.problem').waitFor();
        assert.match(await page.locator('#step').textContent(), said);
        assert.deepEqual(sets, ['broker'], 'stopped at the refused setting');
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });
});
