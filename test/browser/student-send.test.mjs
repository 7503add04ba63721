// « Envoyer à ma carte » on the students' page (issue 29, item 3) in headless Chromium: the
// editor's program goes over Web Serial, in our Improv commands, to a real board, the firmware in
// XS (xsnap, the program bundle) whose USB serial port is bridged to the page's navigator.serial
// (helpers/web-serial.mjs: the one stand-in, as Chromium has no USB). The board stores the
// tutorial's ESP#1 and runs it after its restart: Hello #0 reaches Mosquitto under the student's
// prefix, and the board's console shows in the page, bounded and printable; a syntax error comes
// back with its line, highlighted in the editor, and the board keeps its program; « Revenir au rôle
// de départ » gives the built-in role back; without Web Serial, the page says which browsers have it
// and gives the command line. The editor itself is loaded only when the Program tab is opened.
// MQTT_PAIR_SCREENSHOTS=<dir> saves screenshots there (the board's broker shown as a class's).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mqttPair } from '../helpers/child.mjs';
import { mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { LIMIT, lineIn, until } from '../helpers/wait.mjs';
import { toPage, webSerialStandIn } from '../helpers/web-serial.mjs';
import { xsSkip } from '../helpers/xs.mjs';
import { xsUsbBoard } from '../helpers/xs-usb.mjs';
import { improv } from '../../dist/index.js';

const skip = xsSkip() || mosquittoSkip() || chromiumSkip();
const CLASS = 'LycMaurois/SNT_2nde/';
const PREFIX = `${CLASS}alice/`;
const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;

describe("the students' page sends a program to the student's board over Web Serial", { skip }, () => {
  let broker, watch, sub, board, browser;
  /** The page the board's cable is plugged into: its bytes go there. */
  let plugged = null;
  before(async () => {
    broker = await startMosquitto({ listeners: [{ protocol: 'websockets' }] });
    const run = mqttPair(
      // biome-ignore format: a command line
      ['watch', '--broker', `127.0.0.1:${broker.port}`, '--web', '0', '--school', 'LycMaurois', '--class', 'SNT_2nde',
       '--student-broker', `ws://127.0.0.1:${broker.ports[0]}`, '--duration', String((6 * LIMIT) / 1000)],
      { timeout: 6 * LIMIT },
    );
    const m = await run.waitFor('stdout', /Students' page: (http:\/\/\S+\/student)/);
    watch = { ...run, url: m[1] };
    sub = await mosquittoSub(broker.port, ['-t', `${PREFIX}#`]);
    // alice's board, set up for her pair: the built-in role (hello) until it is sent a program.
    board = await xsUsbBoard(
      {
        broker: `127.0.0.1:${broker.port}`,
        role: 'hello',
        topicPrefix: PREFIX,
        clientId: 'alice-esp1',
        interval: 1000,
        backoffMin: 100,
        backoffMax: 300,
      },
      (bytes) => plugged && toPage(plugged, bytes),
    );
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 120_000 });
  });
  after(async () => {
    await browser?.close();
    await board?.stop();
    sub?.stop();
    if (watch) await watch.stop();
    await broker?.stop();
  });

  /** alice's page on the Program tab, with the board's cable (or no Web Serial at all). */
  async function open(locale, { serial = true, tab = 'program', silent = false } = {}) {
    const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(LIMIT); // a slow machine: an event's limit, not Playwright's 30 s
    const page = await context.newPage();
    const scripts = [];
    page.on('request', (r) => scripts.push(new URL(r.url()).pathname));
    const violations = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    if (serial) {
      // A silent port: something else than a board at its other end, which never answers.
      await page.exposeFunction('__toBoard', (bytes) => silent || board.write(Buffer.from(bytes)));
      await page.addInitScript(webSerialStandIn);
      if (!silent) plugged = page;
    } else {
      // Safari, or Firefox before 151: no navigator.serial (Chromium has one of its own).
      await page.addInitScript(() => {
        delete Navigator.prototype.serial;
      });
    }
    await page.goto(`${watch.url}?name=alice&peer=bob&tab=${tab}`);
    return { context, page, scripts, violations };
  }

  /** Replaces the editor's text, as typed in one go. */
  async function type(page, code) {
    await page.click('.cm-content');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(code);
  }
  const boardConsole = (page) => page.$$eval('#board-console li', (lis) => lis.map((li) => li.textContent));

  test('the editor is loaded only when the Program tab is opened', async () => {
    const { context, page, scripts, violations } = await open('fr-FR', { tab: 'chat' });
    try {
      await page
        .locator('#status')
        .getByText(/^Connecté /)
        .waitFor();
      assert.ok(scripts.includes('/student.js'));
      assert.ok(!scripts.includes('/student-editor.js'), `loaded already: ${scripts.join(' ')}`);
      assert.equal(await page.locator('.cm-editor').count(), 0);
      await page.getByRole('tab', { name: 'Programme' }).click();
      await page.locator('.cm-editor .cm-lineNumbers').waitFor();
      assert.ok(scripts.includes('/student-editor.js'));
      const editor = await fetch(new URL('/student-editor.js', watch.url));
      assert.match(editor.headers.get('content-type'), /javascript/);
      assert.deepEqual(violations, []);
    } finally {
      await context.close();
    }
  });

  test("ESP#1 sent to the board: it runs it, Hello #0 reaches Mosquitto under alice's prefix, its console in the page", async () => {
    const { context, page, violations } = await open('fr-FR');
    try {
      await lineIn(board.lines, /^Connected to /, { what: 'the built-in role connected' });
      await page.locator('.cm-editor').waitFor();
      await page.selectOption('#program-examples', 'hello');
      const from = sub.lines.length;
      await page.getByRole('button', { name: 'Envoyer à ma carte' }).click();
      await page.locator('#board-status', { hasText: 'Ton programme tourne sur la carte.' }).waitFor();
      await until(() => sub.lines.slice(from).includes(`${PREFIX}hello Hello #0`), "the program's Hello #0 on the broker");
      assert.match(board.store.get('pgm'), / programme\.js$/, 'stored under the name of a downloaded program');
      // The board's console, through the port, in the page.
      await until(async () => (await boardConsole(page)).some((l) => /Program: programme\.js, stored on this board$/.test(l)), 'the board’s console');
      assert.ok((await boardConsole(page)).some((l) => /Program over USB: stored programme\.js \(\d+ bytes, hash [0-9a-f]{8}\)$/.test(l)));
      assert.deepEqual(violations, []);
      if (SHOTS) {
        // A class's broker in what the board said, not this test's port.
        await page.$$eval('#board-console li', (lis) => {
          for (const li of lis) li.textContent = li.textContent.replace(/127\.0\.0\.1:\d+/g, '192.168.1.144:1883');
        });
        await page.locator('#program').screenshot({ path: `${SHOTS}/student-send-fr.png` });
      }
      // What else comes over the cable is shown as text: printable, bounded, never markup.
      const before = (await boardConsole(page)).length;
      await toPage(page, '\x1b[2J\x1b]0;titre\x07<img src=x onerror="document.title=1">console\r\n');
      await toPage(page, `${'x'.repeat(5000)}\n`);
      await until(async () => (await boardConsole(page)).slice(before).some((l) => l.includes('xxxx')), 'the long line');
      const lines = (await boardConsole(page)).slice(before);
      const junk = lines.find((l) => l.includes('console'));
      assert.ok(junk?.includes('<img src=x'), lines.join('\n'));
      assert.doesNotMatch(junk, /[\u0000-\u001f\u007f-\u009f]/, 'no control character');
      assert.equal(await page.locator('#board-console img').count(), 0, 'text, never markup');
      assert.ok(
        lines.every((l) => l.length < 600),
        'a long line is cut',
      );
    } finally {
      await context.close();
    }
  });

  test('a syntax error comes back from the board with its line, highlighted; the board keeps its program', async () => {
    const { context, page } = await open('en-GB');
    try {
      await page.locator('.cm-editor').waitFor();
      const kept = board.store.get('pgm');
      await type(page, "let a = 1;\nmqtt.publish('hello', 'x';\nprint(a);\n");
      await page.getByRole('button', { name: 'Send to my board' }).click();
      const status = page.locator('#board-status', { hasText: 'The board refused the program' });
      await status.waitFor();
      assert.match(await status.textContent(), /^The board refused the program and keeps its previous one\. Error on line 2: SyntaxError: .+$/);
      assert.equal(await page.textContent('.cm-error-line'), "mqtt.publish('hello', 'x';");
      assert.equal(board.store.get('pgm'), kept, 'the board keeps its program');
      if (SHOTS) await page.locator('#program').screenshot({ path: `${SHOTS}/student-send-en.png` });
    } finally {
      await context.close();
    }
  });

  test('an error of the program on the board, as it runs: said with its line, highlighted', async () => {
    const { context, page } = await open('fr-FR');
    try {
      await page.locator('.cm-editor').waitFor();
      await type(page, 'let n = 0;\nevery(500, () => {\n  n += 1;\n  null.boom;\n});\n');
      await page.getByRole('button', { name: 'Envoyer à ma carte' }).click();
      const status = page.locator('#board-status', { hasText: 'Erreur sur la carte ligne 4' });
      await status.waitFor();
      assert.equal(await status.textContent(), 'Erreur sur la carte ligne 4 : TypeError: cannot coerce null to object');
      assert.equal(await page.textContent('.cm-error-line'), '  null.boom;');
    } finally {
      await context.close();
    }
  });

  test("the board's events, not its console lines: a stop said with its count, kept when the program runs again; a console line alone says nothing", async () => {
    const { context, page } = await open('fr-FR');
    try {
      await page.locator('.cm-editor').waitFor();
      await page.getByRole('button', { name: 'Que fait ma carte ?' }).click();
      const status = page.locator('#board-status');
      await page.locator('#board-status.ok').waitFor();
      const before = await status.textContent();
      // The console lines a program's start and error make, without their events (an older
      // firmware, or a program that prints them): shown in the console, nothing said of them.
      await toPage(page, 'Program: 12 characters, starting\r\nProgram error, line 3: TypeError: x\r\n');
      await until(async () => (await boardConsole(page)).some((l) => /Program error, line 3: TypeError: x$/.test(l)), 'the lines in the console');
      assert.equal(await status.textContent(), before);
      assert.equal(await page.locator('.cm-error-line').count(), 0);
      // The stop as the firmware's meter sends it (hosts/moddable/firmware.ts): a loop stopped once of two.
      await toPage(page, improv.eventFrame('stop', ['l', '1', '2']));
      await page.locator('#board-status', { hasText: 'La carte a arrêté ton programme' }).waitFor();
      const stop =
        'La carte a arrêté ton programme (une boucle sans fin : il ne rendait jamais la main) et redémarre : 1 fois de suite sur 2 avant le mode sans échec.';
      assert.equal(await status.textContent(), stop);
      // The board starts it again: the stop still said, not replaced by « Ton programme tourne ».
      await toPage(page, improv.eventFrame('start', ['loop.js', '0a1b2c3d', '20']));
      await page.locator('#board-status', { hasText: 'à nouveau' }).waitFor();
      assert.equal(await status.textContent(), `${stop} Ton programme tourne à nouveau.`);
      // A stop the board could only say at the boot after it (memory full), the second: safe mode.
      await toPage(page, improv.eventFrame('stopped', ['m', '2', '2']));
      await page.locator('#board-status', { hasText: 'La carte a redémarré' }).waitFor();
      assert.equal(
        await status.textContent(),
        'La carte a redémarré : ton programme s’était arrêté (il a utilisé toute la mémoire), 2 fois de suite : elle joue son rôle de départ sans lui (mode sans échec). Corrige-le puis « Envoyer à ma carte », ou « Revenir au rôle de départ ».',
      );
    } finally {
      await context.close();
    }
  });

  test('a board in safe mode (its program stopped twice): « Que fait ma carte ? » says so with why; a corrected program ends it', async () => {
    // The board's flash says two stops in a row, the last an endless loop, and that it started without
    // the program (`!`): its 0x88 answer carries them.
    board.store.set('pgs', '2l! it never gave control back: too much computation');
    const { context, page } = await open('fr-FR');
    try {
      await page.locator('.cm-editor').waitFor();
      await page.getByRole('button', { name: 'Que fait ma carte ?' }).click();
      const notice = page.locator('#board-safe');
      await notice.waitFor();
      assert.equal(
        await notice.textContent(),
        'Ta carte est en mode sans échec : ton programme a été arrêté 2 fois de suite (une boucle sans fin : il ne rendait jamais la main). Elle joue son rôle de départ sans lui. Corrige-le puis « Envoyer à ma carte », ou « Revenir au rôle de départ ».',
      );
      assert.equal(await page.getByRole('alert').count(), 1, 'said to a screen reader too');
      assert.equal(await page.textContent('#board-status'), 'Ta carte ne lance plus ton programme :');
      if (SHOTS) await page.locator('#program').screenshot({ path: `${SHOTS}/student-safe-mode-fr.png` });
      // A corrected program: stored, the stops forgotten, the notice gone.
      await page.selectOption('#program-examples', 'hello');
      await page.getByRole('button', { name: 'Envoyer à ma carte' }).click();
      await notice.waitFor({ state: 'hidden' });
      assert.equal(board.store.get('pgs'), undefined);
      // The board back, running it (its start event): the next test finds it answering.
      await page.locator('#board-status', { hasText: 'Ton programme tourne sur la carte.' }).waitFor();
    } finally {
      board.store.delete('pgs');
      await context.close();
    }
  });

  test('« Revenir au rôle de départ » clears the program: the board restarts into its role', async () => {
    const { context, page } = await open('fr-FR');
    try {
      await page.locator('.cm-editor').waitFor();
      const at = board.lines.length;
      await page.getByRole('button', { name: 'Revenir au rôle de départ' }).click();
      await page.locator('#board-status', { hasText: 'Programme effacé : la carte redémarre et reprend son rôle de départ.' }).waitFor();
      await lineIn(board.lines, /^\[power cycle\]$/, { after: at });
      const boot = board.lines.length;
      await lineIn(board.lines, /^Connected to /, { after: boot });
      assert.ok(!board.lines.slice(boot).some((l) => l.startsWith('Program')), board.lines.slice(boot).join('\n'));
      assert.deepEqual(
        [...board.store.keys()].filter((k) => k.startsWith('pg')),
        [],
      );
      // Again: there is nothing left to clear.
      await page.getByRole('button', { name: 'Revenir au rôle de départ' }).click();
      await page.locator('#board-status', { hasText: 'La carte n’avait pas de programme' }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a port where no board answers: said in the page’s words, the buttons back', async () => {
    const { context, page } = await open('fr-FR', { silent: true });
    try {
      await page.locator('.cm-editor').waitFor();
      await page.getByRole('button', { name: 'Envoyer à ma carte' }).click();
      await page.locator('#board-status', { hasText: 'Pas de réponse : est-ce bien une carte avec mqtt-pair ?' }).waitFor();
      assert.ok(await page.locator('#board-send').isEnabled(), 'the button again, to pick another port');
    } finally {
      await context.close();
    }
  });

  for (const [locale, why, command] of [
    ['fr-FR', /Chrome, Edge ou Firefox 151 et plus/, 'mqtt-pair program --port PORT programme.js'],
    ['en-GB', /Chrome, Edge or Firefox 151 or later/, 'mqtt-pair program --port PORT program.js'],
  ]) {
    test(`without Web Serial (${locale}): which browsers have it, and the command line to copy`, async () => {
      const { context, page } = await open(locale, { serial: false });
      try {
        await page.locator('#board-no-serial').waitFor();
        assert.match(await page.textContent('#board-why'), why);
        assert.equal(await page.textContent('#board-command'), command);
        assert.ok(await page.locator('#board-send').isHidden(), 'no button that cannot work');
        await page.locator('#board-copy').click();
        // Said once the clipboard has answered (or refused): wait for the words, then read both.
        await page
          .locator('#board-status')
          .filter({ hasText: /^(Copié|Copied|Ligne sélectionnée|Line selected)/ })
          .waitFor();
        const selected = await page.evaluate(() => getSelection()?.toString());
        const copied = await page.textContent('#board-status');
        assert.ok((selected === command && /^(Ligne sélectionnée|Line selected)/.test(copied)) || /^(Copié|Copied)\.$/.test(copied), `${selected} / ${copied}`);
      } finally {
        await context.close();
      }
    });
  }
});
