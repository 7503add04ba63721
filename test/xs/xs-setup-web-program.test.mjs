// The class set-up page sends the program of the day: the teacher picks one (an example, or a .js
// file), and the board set up over Web Serial gets it after its settings (begin, parts, hash), says
// so, restarts with it and runs it. The board is the one image in XS (xsnap, the program bundle)
// with a simulated WiFi; headless Chromium has no USB, so navigator.serial is a stand-in whose
// bytes are bridged to the board's serial port (as test/firmware/mcsim-setup-web.test.mjs does with a pty).
// A file that is not UTF-8, or a program the board refuses (a syntax error, with its line): one line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { mqttPair } from '../helpers/child.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { LIMIT, lineIn, until } from '../helpers/wait.mjs';
import { xsSkip } from '../helpers/xs.mjs';
import { xsUsbBoard } from '../helpers/xs-usb.mjs';
import { toPage, webSerialStandIn } from '../helpers/web-serial.mjs';

const skip = xsSkip() || mosquittoSkip() || chromiumSkip();
const NETWORKS = [{ ssid: 'Classe', password: 'motdepasse', rssi: -48 }];
const PREFIX = 'Lycee/SNT2/alice/';

describe('the class set-up page sends the program of the day to each board (XS over Web Serial)', { skip }, () => {
  let broker, server, base, browser, work;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-program-'));
    broker = await startMosquitto();
    const port = await freePort();
    server = mqttPair(['setup', '--web', String(port), '--ssid', 'Classe', '--broker', `127.0.0.1:${broker.port}`], { timeout: 3 * LIMIT });
    await server.waitFor('stdout', /http:\/\/127\.0\.0\.1:\d+\//);
    base = `http://127.0.0.1:${port}`;
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 120_000 });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A page in `locale` wired to a fresh board; resolves { page, board, context }. */
  async function plugged(locale) {
    const context = await browser.newContext({ locale, viewport: { width: 1100, height: 1000 } });
    context.setDefaultTimeout(LIMIT);
    const page = await context.newPage();
    const config = { role: 'hello', topicPrefix: PREFIX, clientId: 'alice-esp1', backoffMin: 100, backoffMax: 300 };
    const board = await xsUsbBoard(config, (bytes) => toPage(page, bytes), { merge: true, networks: NETWORKS });
    await page.exposeFunction('__toBoard', (bytes) => board.write(Uint8Array.from(bytes)));
    await page.addInitScript(webSerialStandIn);
    await page.goto(`${base}/`);
    await page.locator('#program-example option').nth(1).waitFor({ state: 'attached' });
    return { page, board, context };
  }

  test("the tutorial's ESP#1 chosen on the page: the board gets it after its settings, and runs it", async () => {
    const sub = await mosquittoSub(broker.port, ['-t', `${PREFIX}#`]);
    const { page, board, context } = await plugged('fr-FR');
    try {
      await page.selectOption('#program-example', 'hello');
      assert.match(await page.textContent('#program-chosen'), /^Programme choisi : « hello\.js » \(\d+ octets\)$/);
      await page.fill('#password', 'motdepasse');
      await page.getByRole('button', { name: 'Régler la carte branchée' }).click();
      await page.locator('#step', { hasText: 'C’est fait' }).waitFor({ timeout: LIMIT });
      const said = await page.textContent('#step');
      assert.match(said, /La carte a reçu « hello\.js » \(empreinte [0-9a-f]{8}\) et le lance\.$/);
      const hash = /empreinte ([0-9a-f]{8})/.exec(said)[1];
      // The board's own answer, in its console on the page; then it runs the program from its flash.
      assert.match(await page.textContent('#console'), new RegExp(`Program over USB: stored hello\\.js \\(\\d+ bytes, hash ${hash}\\)`));
      await lineIn(board.lines, /^Program: hello\.js, stored on this board$/);
      assert.equal(board.store.get('broker'), `127.0.0.1:${broker.port}`, 'its settings came first');
      await until(() => sub.lines.some((l) => l.startsWith(`${PREFIX}hello Hello #`)), "the program's hello at the broker", LIMIT);
      await until(() => sub.lines.includes(`${PREFIX}board/hello {"role":"hello","program":"hello.js","hash":"${hash}"}`), 'the board saying what it runs');
    } finally {
      await context.close();
      await board.stop();
      sub.stop();
    }
  });

  test('a file that is not UTF-8, and a program the board refuses: one line each, in the page’s words', async () => {
    const { page, board, context } = await plugged('en-GB');
    try {
      const latin1 = join(work, 'cafe.js');
      writeFileSync(latin1, Buffer.from("print('caf\xe9');\n", 'latin1'));
      await page.setInputFiles('#program-file', latin1);
      await page.locator('#program-chosen.problem').waitFor();
      assert.equal(await page.textContent('#program-chosen'), '« cafe.js » is not UTF-8 text: save it as UTF-8 in the editor.');
      const bad = join(work, 'bad.js');
      writeFileSync(bad, "let a = 1;\nmqtt.publish('hello', 'x';\n");
      await page.setInputFiles('#program-file', bad);
      await page.locator('#program-chosen', { hasText: 'Program chosen: « bad.js »' }).waitFor();
      await page.fill('#password', 'motdepasse');
      await page.getByRole('button', { name: 'Set up the plugged-in board' }).click();
      await page.locator('#step.problem').waitFor({ timeout: LIMIT });
      assert.match(
        await page.textContent('#step'),
        /^The board refused the program « bad\.js » and keeps its own: line 2(, column \d+)?: SyntaxError: [^\n]+\.$/,
      );
      assert.ok(![...board.store.keys()].includes('pgm'), 'nothing stored');
    } finally {
      await context.close();
      await board.stop();
    }
  });
});
