// One firmware image for a whole class, in Moddable's simulator: ONE build with no per-board keys
// (no WiFi, no broker, no role), run as two boards at once. Board A is set up over its USB serial
// port with Improv Wi-Fi, driven by the official client (improv-wifi-serial-sdk, what ESP Web
// Tools runs) and then our own commands; board B through its setup page, in headless Chromium.
// Both restart, join, and pair (Hello #0 and received, seen by mosquitto_sub); their settings
// survive a restart; a stored broker name that does not resolve leads to setup mode with the
// reason; clearing the settings leads to setup mode; garbage on the serial port changes nothing.
//
// How each simulated board keeps its settings apart: each mcsim runs in a folder of its own (its
// working directory). manifest.json gives the simulators `file.root: "./"`, so Moddable's
// Preference keeps the board's settings in modpreferences.json in that folder; and the build's
// `setupSerial=./serial` is relative too, so each board opens the pty in its own folder, made by
// socat (helpers/pty.mjs). The setup page's port is the build's `setupPort`; the simulators share
// one address, so the second board takes the next free port and says which.
//
// MQTT_PAIR_SCREENSHOTS=<dir> saves screenshots of the setup page there (French and English, on
// a phone's and a desktop's width), named mcsim-…: the simulator's scan lists its own networks, not a
// classroom's; the guides' phone screenshots come from test/xs/xs-setup-phone.test.mjs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { improv } from '../../dist/index.js';
import { moddableSkip, bakedPort } from '../helpers/moddable.mjs';
import { mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { improvSdk, pipePort, sdkLogger, setHelloOverImprov } from '../helpers/improv-sdk.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { firmwareOverPty, mcsimBoardOverPty } from '../helpers/mcsim-board.mjs';
import { LIMIT, sleep, until } from '../helpers/wait.mjs';
import { chromiumSkip, launchChromium } from '../helpers/browser.mjs';

const SHOTS = process.env.MQTT_PAIR_SCREENSHOTS;
const PREFIX = 'LycMaurois/SNT_2nde/alice/';
const skip = moddableSkip() || mosquittoSkip() || socatSkip() || chromiumSkip();

/** A board's USB serial port, seen from the computer: its console lines, its Improv frames, and a Web Serial port for the SDK. */
class SerialSide {
  constructor(pty) {
    this.pty = pty;
    this.lines = [];
    this.frames = [];
    this.reader = new improv.FrameReader();
    this.sdkPush = null;
    const sink = {
      frame: (type, data) => this.frames.push(type === improv.RPC_RESULT ? { type, ...improv.decodeCommand(Uint8Array.from(data)) } : { type, value: data[0] }),
      badFrame: () => this.frames.push({ bad: true }),
      text: (line) => this.lines.push(line),
    };
    pty.onData((bytes) => {
      this.reader.push(bytes, sink);
      this.sdkPush?.(bytes);
    });
  }

  /** A Web Serial port over this pty, for the official client. */
  sdkPort() {
    const { port, push } = pipePort((bytes) => this.pty.write(bytes));
    this.sdkPush = push;
    return port;
  }

  /** Sends one of our commands; resolves with the frames that answered it (up to its result, or an error). */
  async command(cmd, strings = [], { list = false } = {}) {
    const from = this.frames.length;
    this.pty.write(improv.rpcFrame(cmd, strings));
    const done = () => this.frames.slice(from).some((f) => f.type === improv.ERROR_STATE || (f.command === cmd && (!list || f.strings.length === 0)));
    await until(done, `answer to command 0x${cmd.toString(16)}`);
    return this.frames.slice(from);
  }
}

/** A simulated board in its own folder, with its pty and its serial side. */
function startBoard(so, name, dir) {
  return mcsimBoardOverPty(so, dir, { name, cable: 'stdio', plug: (pty) => ({ serial: new SerialSide(pty) }) });
}

/** The page's address and port from a board's setup lines. */
async function setupPage(board, after = 0) {
  const line = await board.sim.waitFor(
    /^Setup: join the WiFi "mqtt-pair-[0-9a-f]{6}" with a phone or a computer, then open http:\/\/[\d.]+:\d+\/ \(a phone opens it by itself\)$/,
    { after },
  );
  const [, ap, address, port] = /"(mqtt-pair-[0-9a-f]{6})".*http:\/\/([\d.]+):(\d+)\//.exec(line);
  return { ap, address, port: Number(port) };
}

const stored = (board) => JSON.parse(readFileSync(join(board.dir, 'modpreferences.json'), 'utf8'))['mqtt-pair'];

describe('one image for the class, set up at run time (mcsim)', { skip }, () => {
  let broker, so, work, dnsPort, browser, sub;
  const boards = {};
  before(async () => {
    broker = await startMosquitto();
    dnsPort = await bakedPort();
    const pagePort = await bakedPort();
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-'));
    // The class's one image: no WiFi, no broker, no role; only where the simulator's setup lives.
    so = await firmwareOverPty({ ssid: '', setupPort: pagePort, setupDnsPort: dnsPort });
    browser = await launchChromium();
    sub = await mosquittoSub(broker.port, ['-t', `${PREFIX}#`]);
  });
  after(async () => {
    for (const b of Object.values(boards)) await b.stop();
    await sub?.stop();
    await browser?.close();
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('two boards from one build: A over Improv through a pty, B from its page in Chromium; both pair', async () => {
    boards.A = await startBoard(so, 'A', join(work, 'A'));
    boards.B = await startBoard(so, 'B', join(work, 'B'));
    const { A, B } = boards;
    for (const b of [A, B]) await b.sim.waitFor(/^Setup mode: no WiFi settings on this board$/, {});
    const pageA = await setupPage(A),
      pageB = await setupPage(B);
    assert.notEqual(pageA.port, pageB.port, 'the second board took the next free port');
    assert.notEqual(pageA.ap, pageB.ap, 'each board its own access point');

    // ---- A, as ESP Web Tools sets up a board it just flashed: state, info, networks, WiFi.
    const { ImprovSerial, ImprovSerialCurrentState } = await improvSdk();
    const logger = sdkLogger();
    const sdk = new ImprovSerial(A.serial.sdkPort(), logger);
    const info = await sdk.initialize(LIMIT);
    assert.equal(sdk.state, ImprovSerialCurrentState.READY);
    assert.deepEqual([info.firmware, info.chipFamily, info.name], ['mqtt-pair', 'simulator', pageA.ap]);
    const networks = await sdk.scan(LIMIT);
    assert.ok(
      networks.some((n) => n.name === 'JAMS2' && n.secured),
      JSON.stringify(networks),
    );
    assert.equal((await fetch(`http://127.0.0.1:${pageA.port}/settings`)).status, 200, 'the page, on its access point');
    await sdk.provision('JAMS2', 'motdepasse', LIMIT);
    assert.equal(sdk.state, ImprovSerialCurrentState.PROVISIONED);
    // The page takes forms from whoever reaches it: never on the network joined (a class's).
    assert.equal(sdk.nextUrl, undefined, 'no setup page on the network it joined');
    await A.sim.waitFor(/^Setup: the setup page closed: it is only for the board's own WiFi, not "JAMS2"; setup goes on over USB$/);
    await A.sim.waitFor(/^Setup: still to set: broker, role$/);
    await assert.rejects(fetch(`http://127.0.0.1:${pageA.port}/settings`), "nothing listens on the page's port any more");

    // ---- then ours, in Improv's frames: broker, role, prefix, interval; read back; the state; restart.
    await setHelloOverImprov(A.serial, { broker: `mqtt://127.0.0.1:${broker.port}`, prefix: PREFIX, interval: 1000 });
    assert.ok(
      A.serial.lines.includes('Setup over USB: stored broker, role, topicPrefix, interval'),
      'the console lines come on the same port, between the frames',
    );
    await A.serial.command(improv.RESTART);
    await A.sim.waitFor(/^Connected to 127\.0\.0\.1:\d+ MQTT broker, subscribed to LycMaurois\/SNT_2nde\/alice\/notification topic$/, {});
    assert.ok(A.sim.lines.includes('Joining WiFi "JAMS2"...'));

    // ---- B, from its setup page (French: the browser's language), the network picked from the list.
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    context.setDefaultTimeout(LIMIT); // a slow machine: an event's limit, not Playwright's 30 s
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${pageB.port}/`);
    await page.getByRole('radio', { name: /JAMS2/ }).click({ timeout: LIMIT }); // the board's scan, on a busy machine
    await page.fill('#password', 'motdepasse');
    await page.fill('#broker', `127.0.0.1:${broker.port}`);
    await page.selectOption('#role', 'responder');
    await page.fill('#topicPrefix', 'LycMaurois/#/');
    await page.getByRole('button', { name: 'Enregistrer et red\u00e9marrer' }).click();
    // The board checks as the firmware does, names the field, and stores nothing.
    await page.locator('#topicPrefix-problem').waitFor();
    assert.match(
      await page.locator('#topicPrefix-problem').textContent(),
      /^La carte refuse ce r\u00e9glage\s: topicPrefix="LycMaurois\/#\/" cannot hold \+ or #$/,
    );
    assert.ok(!existsSync(join(B.dir, 'modpreferences.json')), 'nothing stored');
    await B.sim.waitFor(/^Setup page: topicPrefix: .*: nothing changed$/);
    await page.fill('#topicPrefix', PREFIX);
    await page.getByRole('button', { name: 'Enregistrer et red\u00e9marrer' }).click();
    await page.getByRole('heading', { name: 'Enregistr\u00e9' }).waitFor();
    await context.close();
    await B.sim.waitFor(/^Connected to 127\.0\.0\.1:\d+ MQTT broker, subscribed to LycMaurois\/SNT_2nde\/alice\/hello topic$/, {});

    // ---- The pair.
    await sub.waitFor(new RegExp(`^${PREFIX}hello Hello #0$`));
    await sub.waitFor(new RegExp(`^${PREFIX}notification received$`));
    await A.sim.waitFor(/^ESP received hello message$/, {});
    assert.deepEqual(stored(B), { ssid: 'JAMS2', password: 'motdepasse', broker: `127.0.0.1:${broker.port}`, role: 'responder', topicPrefix: PREFIX });
    for (const b of [A, B]) {
      assert.ok(!b.sim.output().includes('motdepasse'), `${b.name}: the WiFi password appears in no console line`);
      assert.ok(!b.serial.lines.join('\n').includes('motdepasse'), `${b.name}: nor on its serial port`);
    }
    assert.deepEqual(
      logger.errors.filter((e) => !/while not waiting|^Received result for command 1(2[89]|3\d) /.test(e)),
      [],
    );
    await sdk.close();
  });

  test('the settings survive a restart: both boards join and pair again, no setup mode', async () => {
    const { A, B } = boards;
    for (const b of [A, B]) await b.stop();
    boards.B = await startBoard(so, 'B', B.dir);
    boards.A = await startBoard(so, 'A', A.dir);
    const mark = sub.lines.length;
    await boards.B.sim.waitFor(/^Connected to .* subscribed to LycMaurois\/SNT_2nde\/alice\/hello topic$/, {});
    await boards.A.sim.waitFor(/^ESP received hello message$/, {});
    for (const b of [boards.A, boards.B]) assert.equal(b.sim.count(/^Setup/), 0, b.sim.output());
    await until(() => sub.lines.slice(mark).includes(`${PREFIX}hello Hello #0`), 'Hello #0 again');
  });

  test('garbage on the serial port changes nothing: the board goes on, its settings as they were', async () => {
    const { A } = boards;
    const before = readFileSync(join(A.dir, 'modpreferences.json'), 'utf8');
    const hellos = () => A.sim.count(/^ESP received hello message$/);
    const n = hellos();
    let seed = 12345;
    const garbage = new Uint8Array(64 * 1024).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (let i = 0; i < garbage.length; i += 4096) {
      A.pty.write(garbage.subarray(i, i + 4096));
      await sleep(20);
    }
    A.pty.write(Buffer.from('IMPROV\u0001\u0003\u00ff\r\n+++ATZ\r\nsetup\r\nreset\r\n'));
    await until(() => hellos() >= n + 5, 'five more hellos');
    assert.equal(readFileSync(join(A.dir, 'modpreferences.json'), 'utf8'), before);
    assert.equal(A.sim.count(/^Setup mode|^Setup: restarting|stored|cleared/), 0, A.sim.output());
    // And Improv still answers.
    const state = await A.serial.command(improv.REQUEST_STATE);
    assert.deepEqual(state.at(-2), { type: improv.CURRENT_STATE, value: improv.PROVISIONED });
  });

  test('a new role over USB on a running board: the old role stops before the new one starts, one client on its id', async () => {
    // What `mqtt-pair setup --port … role=sensor` does to a running board. The simulator restarts in
    // place: the old role must not run on beside the new one, both on one client id (the broker
    // closing one for the other, the status flapping online/offline).
    const { A } = boards;
    const role = stored(A).role;
    const logMark = broker.log().length,
      subMark = sub.lines.length,
      mark = A.sim.lines.length;
    await A.serial.command(improv.SET_SETTINGS, ['role', 'sensor']);
    await A.serial.command(improv.RESTART);
    await A.sim.waitFor(/^Connected to /, { after: mark });
    const values = () => sub.lines.slice(subMark).filter((l) => l.startsWith(`${PREFIX}myRasp/sensors/`)).length;
    await until(() => values() >= 4, "the sensor's values");
    const log = broker.log().slice(logMark);
    assert.doesNotMatch(log, /already connected, closing old connection/, log);
    assert.equal(A.sim.lines.slice(mark).filter((l) => /^Connected to /.test(l)).length, 1, "one connection, the new role's");
    // Back to its role, for the tests after this one.
    const back = A.sim.lines.length;
    await A.serial.command(improv.SET_SETTINGS, ['role', role]);
    await A.serial.command(improv.RESTART);
    await A.sim.waitFor(/^ESP received hello message$/, { after: back });
  });

  test('« Identifier » over USB: the LED blinks (the simulator prints its state), the console says so, then it stops dark', async () => {
    const { A } = boards;
    const mark = A.sim.lines.length;
    const answer = await A.serial.command(improv.IDENTIFY);
    assert.equal(answer.at(-1).command, improv.IDENTIFY, 'the command is answered');
    await A.sim.waitFor(/^Identify: this board blinks its LED for 5 s \(asked over USB\)$/, { after: mark });
    await A.sim.waitFor(/^Identify: done$/, { after: mark });
    const led = A.sim.lines.slice(mark).filter((l) => /^LED (on|off) /.test(l));
    // 250 ms a half-blink for 5 s: ten times lit, each followed by dark; the simulator's LED is GPIO 2.
    assert.equal(led.filter((l) => l === 'LED on (GPIO 2)').length, 10, led.join('\n'));
    assert.equal(led.filter((l) => l === 'LED off (GPIO 2)').length, 10, led.join('\n'));
    assert.equal(led.at(-1), 'LED off (GPIO 2)', 'it ends dark');
    assert.ok(
      A.serial.lines.some((l) => /^Identify: this board blinks its LED/.test(l)),
      'the line reaches the USB port too',
    );
  });

  test('a stored broker name that does not resolve: setup mode, with the reason', async () => {
    const { A } = boards;
    await A.serial.command(improv.SET_SETTINGS, ['broker', 'no-such-broker.invalid', 'setupAfter', '3', 'backoffMin', '200', 'backoffMax', '400']);
    const mark = A.sim.lines.length;
    await A.serial.command(improv.RESTART);
    await A.sim.waitFor(/^Failed to connect to MQTT broker: broker host name "no-such-broker\.invalid" does not resolve\. /, { after: mark, nth: 3 });
    await A.sim.waitFor(/^Setup mode: the broker's name "no-such-broker\.invalid" did not resolve 3 times in a row$/, { after: mark });
    const page = await setupPage(A, mark);
    // The page says why. (Its DNS server, which answers every name with the board on a board, is
    // not tested here: the Linux simulator's UDP sockets, SDK 8.2.3, bind no port unless multicast.)
    const view = await (await fetch(`http://127.0.0.1:${page.port}/settings`)).json();
    assert.equal(view.reason, 'the broker\'s name "no-such-broker.invalid" did not resolve 3 times in a row');
    // Fixed over USB, then back to work.
    await A.serial.command(improv.SET_SETTINGS, ['broker', `127.0.0.1:${broker.port}`]);
    await A.serial.command(improv.RESTART);
    await A.sim.waitFor(/^ESP received hello message$/, { after: A.sim.lines.length });
  });

  test('clearing the settings: setup mode, as just flashed', async () => {
    const { B } = boards;
    const mark = B.sim.lines.length;
    const cleared = await B.serial.command(improv.CLEAR_SETTINGS);
    assert.deepEqual(cleared.at(-1), { type: improv.RPC_RESULT, command: improv.CLEAR_SETTINGS, strings: [] });
    await B.sim.waitFor(/^Setup mode: no WiFi settings on this board$/, { after: mark });
    assert.deepEqual(stored(B) ?? {}, {});
  });

  describe("setup mode's heap, from an ESP8266's", () => {
    // Setup mode's own peak per path (Improv, then the page), then the pair, on a heap that starts
    // at the ESP8266's fixed 32 KB for XS as test/firmware/mcsim.test.mjs sizes it in the simulator (slots
    // twice as large on 64 bits: 1,280 of 32 B, 11,264 B of chunks) with the ESP8266's 62-byte
    // values, and may grow: the peaks (sampled once a second, garbage included, so an upper
    // bound) are reported for docs/flashing.md, "Memory and stack". SETUP_HEAP_FIXED=1 keeps the
    // heap fixed, as on the chip, to see whether an allocation fails.
    const grow = !process.env.SETUP_HEAP_FIXED;
    const esp8266 = { stack: 416, creation: { heap: { initial: 1280, incremental: grow ? 128 : 0 }, chunk: { initial: 11264, incremental: grow ? 4096 : 0 } } };

    test('Improv, then the page, then the pair: the peaks of each', async (t) => {
      const small = await firmwareOverPty({ ssid: '', setupValueBytes: 62 }, esp8266);
      const dir = join(work, 'esp8266');
      const board = (boards.esp8266 = await startBoard(small, 'esp8266', dir));
      try {
        await esp8266Run(t, board);
      } catch (e) {
        throw new Error(`${e.message}\n${board.sim.output()}`);
      }
      await board.stop();
      delete boards.esp8266;
    });
  });

  /** The ESP8266 run: Improv, the page, then the pair, with the heap's peaks of each phase. */
  async function esp8266Run(t, board) {
    {
      await setupPage(board);
      const phase = () => board.sim.samples.length;
      const peak = (from, to = phase()) => {
        const s = board.sim.samples.slice(from, to);
        return { slot: Math.max(...s.map((x) => x.slot)), chunk: Math.max(...s.map((x) => x.chunk)) };
      };
      await sleep(2000);
      const p0 = phase();
      const { ImprovSerial } = await improvSdk();
      const sdk = new ImprovSerial(board.serial.sdkPort(), sdkLogger());
      await sdk.initialize(LIMIT);
      await sdk.scan(LIMIT);
      await sdk.provision('JAMS2', 'motdepasse', LIMIT);
      await board.serial.command(improv.SET_SETTINGS, ['broker', `127.0.0.1:${broker.port}`, 'role', 'hello']);
      await board.serial.command(improv.GET_SETTINGS, [], { list: true });
      await sdk.close();
      // The page closed once JAMS2 was joined (it is only on the board's own WiFi): setup mode
      // asked again over USB leaves JAMS2 and opens the access point and the page again.
      const mark = board.sim.lines.length;
      await board.serial.command(improv.SETUP_MODE);
      const again = await setupPage(board, mark);
      await sleep(2000);
      const p1 = phase();
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
      context.setDefaultTimeout(LIMIT); // a slow machine: an event's limit, not Playwright's 30 s
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${again.port}/`);
      await page.getByRole('radio', { name: /JAMS2/ }).click({ timeout: LIMIT });
      await page.fill('#topicPrefix', 'esp8266/');
      await page.fill('#interval', '1000');
      await page.getByRole('button', { name: 'Save and restart' }).click();
      await page.getByRole('heading', { name: 'Saved' }).waitFor();
      await context.close();
      await board.sim.waitFor(/^Setup: restarting /);
      const p2 = phase();
      const hellos = await mosquittoSub(broker.port, ['-t', 'esp8266/hello']);
      try {
        await hellos.waitFor(/^esp8266\/hello Hello #5$/);
      } finally {
        await hellos.stop();
      }
      const failed = board.sim.lines.find((l) => /fixed size heap|memory full|XS abort|Internal error/.test(l));
      assert.equal(failed, undefined, board.sim.output());
      const peaks = { improv: peak(p0, p1), page: peak(p1, p2), running: peak(p2) };
      t.diagnostic(`setup's heap peaks (bytes; an ESP8266 gives 40,960 of slots and 11,264 of chunks here): ${JSON.stringify(peaks)}`);
      for (const [what, p] of Object.entries(peaks)) assert.ok(p.slot > 0 && p.chunk > 0, `${what}: sampled`);
    }
  }

  test("the setup page on a phone and a desktop, French and English: in the browser's language, nothing wider than the screen", async () => {
    const { B } = boards;
    const { port } = await setupPage(B);
    const shots = SHOTS ?? mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-shots-'));
    mkdirSync(shots, { recursive: true });
    for (const [locale, lang] of [
      ['fr-FR', 'fr'],
      ['en-GB', 'en'],
    ]) {
      for (const [width, height, size] of [
        [390, 844, 'phone'],
        [1280, 900, 'desktop'],
      ]) {
        const context = await browser.newContext({ locale, viewport: { width, height } });
        context.setDefaultTimeout(LIMIT); // a slow machine: an event's limit, not Playwright's 30 s
        const page = await context.newPage();
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.locator('.network').first().waitFor({ timeout: LIMIT });
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(wide <= 0, `${lang} ${size}: the page is ${wide} px wider than the screen`);
        await page.screenshot({ path: join(shots, `mcsim-setup-page-${lang}-${size}.png`), fullPage: true });
        await context.close();
      }
    }
  });
});
