// The class set-up page driving a real firmware: `mqtt-pair setup --web` with a roster, the page in
// headless Chromium, and the class's one image in Moddable's simulator behind a pty. Headless
// Chromium has no USB: the one stand-in here is Web Serial's navigator.serial, a port whose
// readable and writable streams are bridged, byte for byte, to the pty the board opens as its USB
// serial port (helpers/mcsim-board.mjs). Everything else is real: the page's Improv steps, the server
// handing out the student, the firmware storing its settings and joining the simulator's WiFi, the
// broker (mosquitto) hearing its first hello, and the page showing it. Then ESP Web Tools' install
// dialog opens on the generated manifest (it is not taken further: flashing needs a chip).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moddableSkip } from '../helpers/moddable.mjs';
import { freePort, mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { SETUP_MODE, firmwareOverPty, mcsimBoardOverPty } from '../helpers/mcsim-board.mjs';
import { mqttPair } from '../helpers/child.mjs';
import { chromiumSkip, launchChromium } from '../helpers/browser.mjs';
import { LIMIT } from '../helpers/wait.mjs';
import { toPage, webSerialStandIn } from '../helpers/web-serial.mjs';

const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
/** A classroom's WiFi: the simulator joins any name. */
const SSID = 'Salle204';
const skip = moddableSkip() || mosquittoSkip() || socatSkip() || chromiumSkip();
const fixtures = new URL('../fixtures/image/mcconfig-out', import.meta.url).pathname;

describe('the class set-up page drives a board in mcsim through Web Serial', { skip }, () => {
  let broker, so, work, server, plugged, board, pty, browser, sub, base;
  before(async () => {
    // The screenshots show a classroom's broker port (1883), not one drawn for the test.
    broker = await startMosquitto(SHOTS ? { port: 1883 } : {});
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-web-'));
    const image = join(work, 'image');
    assert.equal((await mqttPair(['image', '-p', 'esp32', '-o', fixtures, '--out', image]).exit).code, 0);
    writeFileSync(join(work, 'names.txt'), 'alice bob\n');
    so = await firmwareOverPty({ ssid: '' });
    const port = await freePort();
    server = mqttPair(
      // biome-ignore format: a command line
      ['setup', '--web', String(port), '--image', image, '--roster', join(work, 'names.txt'), '--school', 'LycMaurois', '--class', 'SNT_2nde',
       '--ssid', SSID, '--broker', `127.0.0.1:${broker.port}`, '--lang', 'fr'],
      { timeout: 3 * LIMIT },
    );
    await server.waitFor('stdout', /http:\/\/127\.0\.0\.1:\d+\//);
    base = `http://127.0.0.1:${port}`;
    plugged = await mcsimBoardOverPty(so, join(work, 'board'), { cable: 'stdio', ready: SETUP_MODE });
    board = plugged.sim;
    pty = plugged.pty;
    browser = await launchChromium();
    sub = await mosquittoSub(broker.port, ['-t', 'LycMaurois/SNT_2nde/#']);
  });
  after(async () => {
    await browser?.close();
    await plugged?.stop();
    await server?.stop();
    await sub?.stop();
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the board plugged in gets alice: ESP#1, the WiFi typed on the page, its first hello seen on the page', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(LIMIT); // a slow machine: an event's limit, not Playwright's 30 s
    const page = await context.newPage();
    await page.exposeFunction('__toBoard', (bytes) => pty.write(Buffer.from(bytes)));
    await page.addInitScript(webSerialStandIn);
    await page.goto(`${base}/`);
    await page.locator('#rows tr').nth(1).waitFor();
    pty.onData((bytes) => toPage(page, bytes));
    await page.fill('#password', 'motdepasse');
    await page.getByRole('button', { name: 'Régler la carte branchée' }).click();
    await page.locator('#step', { hasText: 'C’est fait : la carte de alice redémarre et se connecte.' }).waitFor({ timeout: LIMIT });
    await board.waitFor(/^Connected to 127\.0\.0\.1(?::\d+)? MQTT broker, subscribed to LycMaurois\/SNT_2nde\/alice\/notification topic$/);
    await sub.waitFor(/^LycMaurois\/SNT_2nde\/alice\/hello Hello #\d+$/);
    await page.locator('#rows tr').nth(0).getByText('ses « Hello » arrivent au broker').waitFor({ timeout: LIMIT });
    assert.match(await page.locator('#console').textContent(), /Setup over USB: stored role/, "the board's console lines, on the page");
    const stored = JSON.parse(readFileSync(join(work, 'board', 'modpreferences.json'), 'utf8'))['mqtt-pair'];
    assert.deepEqual(
      [stored.role, stored.topicPrefix, stored.name, stored.peer, stored.ssid, stored.broker],
      ['hello', 'LycMaurois/SNT_2nde/alice/', 'alice', 'bob', SSID, `127.0.0.1:${broker.port}`],
    );
    assert.ok(!board.output().includes('motdepasse'), 'the password in no console line');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'setup-web-board-fr.png'), fullPage: true });
    // ESP Web Tools' install dialog, on the manifest of the image.
    const manifest = page.waitForResponse((r) => r.url().endsWith('/image/manifest.json'));
    await page.getByRole('button', { name: 'Installer le programme' }).click();
    assert.equal((await manifest).status(), 200);
    await page.waitForFunction(() => !!document.querySelector('ewt-install-dialog'), null, { timeout: LIMIT });
    // The page let go of the port: ESP Web Tools opens it and asks the board over Improv who it is.
    await page.locator('ewt-install-dialog').getByText('mqtt-pair', { exact: false }).first().waitFor({ timeout: LIMIT });
    assert.equal(await page.locator('ewt-install-dialog').getByText('Serial port is not ready').count(), 0);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'setup-web-install-fr.png') });
    await context.close();
  });
});
