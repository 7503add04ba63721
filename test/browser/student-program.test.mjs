// The students' page's « Programme » tab in headless Chromium (issue 29, first slice): the editor
// (CodeMirror, bundled, under the page's CSP), the examples, a program run in a Worker as a
// simulated board on the tests' Mosquitto (MQTT over WebSocket) under the pair's prefix; ESP#1 and
// ESP#2 on two pages pair; a runaway loop is stopped and the page keeps answering; a syntax error
// highlights its line; the program reaches nothing but its API; French and English.
// MQTT_PAIR_SCREENSHOTS=<dir> saves screenshots there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MqttClient, nodeHost, payloadText } from '../../dist/index.js';
import { startClassPages } from '../helpers/class-page.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, assertChromium, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const skip = mosquittoSkip() || chromiumSkip();
const PREFIX = 'LycMaurois/SNT_2nde/';
const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;

describe("the students' page: write and run a program", { skip }, () => {
  let browser, broker, watch, spy;
  const seen = []; // [topic, payload] on the broker, as a third client sees them
  before(async () => {
    assertChromium();
    // The screenshots show a classroom's WebSocket port (Mosquitto's 9001), not a port drawn for the test.
    broker = await startMosquitto({ listeners: [{ protocol: 'websockets', ...(SHOTS && { port: 9001 }) }] });
    watch = await startClassPages(broker);
    spy = new MqttClient(
      nodeHost(() => {}),
      { host: '127.0.0.1', port: broker.port },
      { clientId: 'spy', reconnect: false },
    );
    spy.onMessage = (msg) => seen.push([msg.topic, payloadText(msg.payload), msg.retain]);
    await new Promise((resolve) => {
      spy.onConnect = resolve;
      spy.connect();
    });
    await new Promise((resolve) => spy.subscribe(`${PREFIX}#`, { qos: 0 }, resolve));
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 120_000 });
  });
  after(async () => {
    spy?.end();
    await browser?.close();
    if (watch) await watch.stop();
    await broker?.stop();
  });

  /** A page of `name` (partner `peer`), connected, on the Programme tab; `violations` collects CSP reports. */
  async function open(name, peer, locale = 'en-GB') {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const violations = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${watch.url}?name=${name}&peer=${peer}&tab=program`);
    await until(async () => /^(Connected|Connecté) /.test(await page.textContent('#status')), `${name} connected`);
    // The editor is loaded apart (import()): an example picked before it is there is not kept.
    await page.locator('.cm-editor .cm-lineNumbers').waitFor({ timeout: LIMIT });
    return { context, page, violations };
  }

  /** Replaces the editor's text, as typed in one go. */
  async function type(page, code) {
    await page.click('.cm-content');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(code);
  }
  const consoleLines = (page) => page.$$eval('#program-console li', (lis) => lis.map((li) => li.textContent));
  const consoleHas = (page, re, what) => until(async () => (await consoleLines(page)).find((l) => re.test(l)), what);

  test('ESP#1 from the examples runs in the page: Hello #0… reach Mosquitto; ESP#2 on a second page answers « received »', async () => {
    // The page's CSP has no eval; the program's Worker alone has it, and loads nothing.
    const pageCsp = (await fetch(watch.url)).headers.get('content-security-policy');
    assert.match(pageCsp, /script-src 'self';/);
    assert.doesNotMatch(pageCsp, /unsafe/);
    const workerCsp = (await fetch(new URL('/student-program.js', watch.url))).headers.get('content-security-policy');
    assert.equal(workerCsp, "default-src 'none'; script-src 'unsafe-eval'");
    const alice = await open('alice', 'bob');
    const bob = await open('bob', 'alice');
    try {
      // The editor is CodeMirror, with line numbers and highlighting.
      await alice.page.waitForSelector('.cm-editor .cm-lineNumbers');
      await alice.page.selectOption('#program-examples', 'hello');
      assert.match(await alice.page.textContent('.cm-content'), /every\(board\.interval \?\? 5000/);
      // CodeMirror parses and highlights when the browser is idle: waited for.
      await until(async () => (await alice.page.$$('.cm-content span[class]')).length > 5, 'highlighted tokens');
      assert.equal(await alice.page.textContent('#program-prefix'), `${PREFIX}alice/`);
      await alice.page.click('#program-run');
      await until(() => seen.find(([t, p]) => t === `${PREFIX}alice/hello` && p === 'Hello #0'), 'Hello #0 on the broker');
      assert.match(await alice.page.textContent('#program-status'), /runs, as a simulated board, under LycMaurois\/SNT_2nde\/alice\//);
      // ESP#2 on bob's page, in alice's pair.
      await bob.page.fill('#program-pair', 'alice');
      await bob.page.selectOption('#program-examples', 'responder');
      await bob.page.click('#program-run');
      await until(() => seen.find(([t, p]) => t === `${PREFIX}alice/notification` && p === 'received'), '« received » on the broker');
      await consoleHas(alice.page, /Received \S*\/alice\/notification: received$/, 'the answer in ESP#1’s console');
      await consoleHas(alice.page, /ESP received hello message$/, 'ESP#1’s line for it');
      await consoleHas(bob.page, /Received \S*\/alice\/hello: Hello #\d+$/, 'the hello in ESP#2’s console');
      // Nothing was published outside the pair's prefix by the programs.
      assert.ok(seen.filter(([t]) => /\/(hello|notification)$/.test(t)).every(([t]) => t.startsWith(`${PREFIX}alice/`)));
      if (SHOTS) await alice.page.screenshot({ path: `${SHOTS}/student-program-en.png`, fullPage: true });
      // Stop: no more hellos from alice's page.
      await alice.page.click('#program-stop');
      assert.match(await alice.page.textContent('#program-status'), /^Program stopped\.$/);
      assert.deepEqual(alice.violations, [], 'no CSP violation (CodeMirror’s styles, the Worker)');
      assert.deepEqual(bob.violations, []);
      // The program is kept in the browser: a reload shows it again.
      await alice.page.reload();
      // (The editor is loaded when the Program tab is opened: the reloaded page is on the chat.)
      await alice.page.getByRole('tab', { name: 'Program' }).click();
      await alice.page.waitForSelector('.cm-content', { state: 'attached' });
      assert.match(await alice.page.textContent('.cm-content'), /mqtt\.publish\('hello', `Hello #\$\{counter\}`\)/);
    } finally {
      await alice.context.close();
      await bob.context.close();
    }
  });

  test('a loop that never ends is stopped with its message; the page stays responsive; a syntax error highlights its line', async () => {
    const { context, page } = await open('carol', 'dave');
    try {
      await type(page, "print('start');\nwhile (true) {}\n");
      await page.click('#program-run');
      await until(async () => /did not give control back for 3 s/.test(await page.textContent('#program-status')), 'the runaway message');
      await consoleHas(page, /start$/, 'the line printed before the loop');
      assert.equal(await page.isDisabled('#program-run'), false);
      // The page answers: a tab still switches, and a program runs again.
      await page.getByRole('tab', { name: 'Chat' }).click();
      assert.equal(await page.isHidden('#program'), true);
      assert.equal(await page.isVisible('#chat'), true);
      await page.getByRole('tab', { name: 'Program' }).click();
      // A syntax error: its line highlighted, its message said.
      await type(page, "let n = 0;\nprint('ok');\nmqtt.publish('x', ;\nprint('never');\n");
      await page.click('#program-run');
      const status = await until(async () => {
        const s = await page.textContent('#program-status');
        return /^Syntax error/.test(s) && s;
      }, 'the syntax error');
      assert.match(status, /^Syntax error on line 3: SyntaxError: /);
      assert.equal(await page.textContent('.cm-error-line'), "mqtt.publish('x', ;");
      // An error at run time: its line too.
      await type(page, "print('a');\nafter(10, () => {\n  undefinedThing.go();\n});\n");
      await page.click('#program-run');
      await until(
        async () => /^Error on line 3: ReferenceError: undefinedThing is not defined$/.test(await page.textContent('#program-status')),
        'the error at run time',
      );
      assert.equal((await page.textContent('.cm-error-line')).trim(), 'undefinedThing.go();');
      // Printing a flood is bounded and said.
      await type(page, "for (let i = 0; i < 100000; i++) print('x' + i);\nfor (let i = 0; i < 1000; i++) mqtt.publish('flood', 'm' + i);\n");
      const before = seen.filter(([t]) => t === `${PREFIX}carol/flood`).length;
      await page.click('#program-run');
      await consoleHas(page, /lines not shown: at most 20 a second\.$/, 'the print bound');
      await consoleHas(page, /messages not sent: at most 10 a second/, 'the publish bound');
      await until(() => seen.filter(([t]) => t === `${PREFIX}carol/flood`).length - before >= 10, 'the messages the bound let through');
      assert.ok(seen.filter(([t]) => t === `${PREFIX}carol/flood`).length - before <= 20, 'at most a burst reached the broker');
      assert.ok((await consoleLines(page)).length <= 300);
      await page.click('#program-stop');
    } finally {
      await context.close();
    }
  });

  test('the program reaches its API and nothing else: fetch, self, postMessage, importScripts… are undefined; eval and the function constructors refuse', async () => {
    const { context, page } = await open('erin', 'fred');
    try {
      const tries = [
        'typeof fetch',
        'typeof self',
        'typeof postMessage',
        'typeof importScripts',
        'typeof globalThis',
        'typeof WebSocket',
        'typeof XMLHttpRequest',
        'typeof indexedDB',
        'typeof caches',
        'typeof eval',
        'typeof Function',
        'typeof setTimeout',
        'typeof console',
        'typeof this',
        "(function(){}).constructor('return this')",
        "Object.getPrototypeOf(async function(){}).constructor('return this')",
        "mqtt.publish.constructor('return typeof fetch')()",
        'Reflect.ownKeys(mqtt).join()',
        'Object.isFrozen(Array.prototype) && typeof mqtt.publish + typeof board.led',
      ];
      // One line each (20, the console's burst); the import's, a second later, when the bound allows it again.
      const code = [
        "import('/student-program.js').then(() => after(1500, () => print('import => loaded')), (e) => after(1500, () => print('import => refused', e.name)));",
        ...tries.map((t) => `try { print(${JSON.stringify(t)}, '=>', String(${t})); } catch (e) { print(${JSON.stringify(t)}, '=> threw', e.name); }`),
      ].join('\n');
      await type(page, code);
      await page.click('#program-run');
      await consoleHas(page, /import => (loaded|refused)/, 'the import');
      const out = Object.fromEntries(
        (await consoleLines(page))
          .map((l) => /^\S+ (.*) => (.*)$/.exec(l))
          .filter(Boolean)
          .map((m) => [m[1], m[2]]),
      );
      assert.equal(out.import, 'refused TypeError', 'a dynamic import loads nothing (the Worker’s CSP)');
      for (const name of [
        'fetch',
        'self',
        'postMessage',
        'importScripts',
        'globalThis',
        'WebSocket',
        'XMLHttpRequest',
        'indexedDB',
        'caches',
        'eval',
        'Function',
        'setTimeout',
        'console',
        'this',
      ])
        assert.equal(out[`typeof ${name}`], 'undefined', `typeof ${name}`);
      assert.equal(out["(function(){}).constructor('return this')"], 'threw TypeError');
      assert.equal(out["Object.getPrototypeOf(async function(){}).constructor('return this')"], 'threw TypeError');
      assert.equal(out["mqtt.publish.constructor('return typeof fetch')()"], 'threw TypeError');
      assert.equal(out['Reflect.ownKeys(mqtt).join()'], 'subscribe,unsubscribe,publish');
      assert.equal(out['Object.isFrozen(Array.prototype) && typeof mqtt.publish + typeof board.led'], 'functionfunction');
      await page.click('#program-stop');
    } finally {
      await context.close();
    }
  });

  test('the other examples: the sensor’s retained temperature, the remote’s button, the actuator’s LED; a program downloads and opens again', async () => {
    const remote = await open('ines', 'jules');
    const actuator = await open('jules', 'ines');
    try {
      await remote.page.selectOption('#program-examples', 'sensor');
      await remote.page.click('#program-run');
      const [, temperature] = await until(() => seen.find(([t]) => t === `${PREFIX}ines/myRasp/sensors/temperature`), 'a temperature');
      assert.match(temperature, /^(20\.\d|21\.0)$/);
      // Retained: a client that subscribes afterwards gets it at once, marked retained.
      const late = new MqttClient(
        nodeHost(() => {}),
        { host: '127.0.0.1', port: broker.port },
        { clientId: 'late', reconnect: false },
      );
      const kept = new Promise((resolve) => {
        late.onMessage = (msg) => resolve([payloadText(msg.payload), msg.retain]);
      });
      late.onConnect = () => late.subscribe(`${PREFIX}ines/myRasp/sensors/temperature`, { qos: 0 });
      late.connect();
      const [value, retained] = await kept;
      late.end();
      assert.match(value, /^(20\.\d|21\.0)$/);
      assert.equal(retained, true);
      // The remote (ines) and the actuator (jules) in the pair « ines ».
      await remote.page.selectOption('#program-examples', 'remote');
      await remote.page.click('#program-run');
      await actuator.page.fill('#program-pair', 'ines');
      await actuator.page.selectOption('#program-examples', 'actuator');
      await actuator.page.click('#program-run');
      await consoleHas(actuator.page, /▶ LycMaurois\/SNT_2nde\/ines\/$/, 'the actuator started');
      assert.equal(await actuator.page.getAttribute('#program-led', 'data-on'), 'false');
      // Held down until the remote's program has seen it (it reads the button every 100 ms).
      const button = remote.page.locator('#program-button');
      await button.hover();
      await remote.page.mouse.down();
      await until(() => seen.find(([t, p]) => t === `${PREFIX}ines/remote/command` && p === 'up'), 'the remote’s « up »');
      await remote.page.mouse.up();
      await until(async () => (await actuator.page.getAttribute('#program-led', 'data-on')) === 'true', 'the actuator’s LED on');
      await consoleHas(actuator.page, / Colour: green \(up\)$/, 'the actuator’s line');
      assert.equal(await actuator.page.$eval('#program-led', (e) => e.style.background), 'rgb(0, 255, 0)', 'the LED in green');
      // Download, change, open the file again: the program comes back.
      const [download] = await Promise.all([actuator.page.waitForEvent('download'), actuator.page.click('#program-download')]);
      assert.equal(download.suggestedFilename(), 'program.js');
      const file = await download.path();
      await type(actuator.page, '// something else\n');
      await actuator.page.setInputFiles('#program-file', { name: 'program.js', mimeType: 'text/javascript', buffer: readFileSync(file) });
      await until(async () => /^Opened program\.js\.$/.test(await actuator.page.textContent('#program-status')), 'the file opened');
      assert.match(await actuator.page.textContent('.cm-content'), /board\.colour\('off'\)/);
      // A file that is not text is refused in one line, and the program stays.
      await actuator.page.setInputFiles('#program-file', { name: 'image.js', mimeType: 'text/javascript', buffer: Buffer.from([0xff, 0xfe, 0x00, 0x81]) });
      await until(async () => /not text/.test(await actuator.page.textContent('#program-status')), 'the refusal');
      assert.match(await actuator.page.textContent('.cm-content'), /board\.colour\('off'\)/);
    } finally {
      await remote.context.close();
      await actuator.context.close();
    }
  });

  test('in French: the tab, the buttons, the help of the completions and the messages', async () => {
    const { context, page, violations } = await open('gaby', 'hugo', 'fr-FR');
    try {
      assert.equal(await page.textContent('[data-tab=program]'), 'Programme');
      assert.equal(await page.textContent('#program-run'), 'Lancer ici');
      assert.match(await page.textContent('#program-limits'), /au plus 10 messages par seconde/);
      const titles = await page.$$eval('#program-examples option', (os) => os.map((o) => o.textContent));
      assert.deepEqual(titles.slice(0, 3), ['Ouvrir un exemple…', 'ESP#1 — envoie Hello toutes les 5 s', 'ESP#2 — répond received']);
      // The completions: mqtt.pu offers mqtt.publish, with its help in French.
      await type(page, 'mqtt.pu');
      await page.keyboard.press('Control+Space');
      await until(async () => (await page.textContent('.cm-tooltip-autocomplete').catch(() => ''))?.includes('mqtt.publish'), 'the completion');
      const info = await until(() => page.textContent('.cm-completionInfo').catch(() => ''), 'the completion’s help');
      assert.match(info, /^Publie un message sur ce topic/);
      await page.keyboard.press('Escape');
      await type(page, "print('bonjour');\nwhile (true) {}\n");
      await page.click('#program-run');
      await until(async () => /^Programme arrêté : il n’a pas rendu la main pendant 3 s/.test(await page.textContent('#program-status')), 'the French message');
      await type(page, 'print(;\n');
      await page.click('#program-run');
      await until(async () => /^Erreur de syntaxe ligne 1 : /.test(await page.textContent('#program-status')), 'the French syntax error');
      assert.deepEqual(violations, []);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/student-program-fr.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
