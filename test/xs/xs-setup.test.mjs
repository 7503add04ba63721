// What test/firmware/mcsim-setup.test.mjs checks of run-time setup, on the real XS engine (an xsnap
// worker, hosts/xsnap/runner.mjs), where CI has no Moddable SDK: src/setup/ (settings.ts,
// setup.ts, improv.ts, page.ts) in XS over stand-ins of a board's ports. The USB serial port is
// bytes both ways through the runner, driven by the official Improv client (improv-wifi-serial-sdk,
// what ESP Web Tools runs) and by our own frames; the setup page is requests handed to the board's
// handler; the board's flash is a Map in Node; the WiFi is the runner's station. What only the
// Moddable host does (the boot that reads the flash and picks setup mode, Preference, the http and
// DNS servers, the console copied onto the serial port) stays with mcsim.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkChanges, checkConfig, improv } from '../../dist/index.js';
import { startXsBoard } from '../../hosts/xsnap/runner.mjs';
import { mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { improvSdk, initialize, pipePort, sdkLogger, setHelloOverImprov } from '../helpers/improv-sdk.mjs';
import { LIMIT, lineIn, until } from '../helpers/wait.mjs';
import { assertXs, xsBoardFor, xsSkip } from '../helpers/xs.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/alice/';
/** The networks around the board: JAMS2 takes "motdepasse". */
const NETWORKS = [
  { ssid: 'JAMS2', password: 'motdepasse', rssi: -48 },
  { ssid: 'Invités', rssi: -75 },
];
/** The class's one image: no WiFi, no broker, no role; a keepalive, and where the page is served. */
const BUILD = { keepalive: 60, setupPort: 8080 };

/** The computer's side of a board's USB serial port: Improv frames read from what the board writes, and a Web Serial port for the SDK. */
class SerialSide {
  constructor() {
    this.frames = [];
    this.reader = new improv.FrameReader();
    this.sdkPush = null;
    this.board = null;
    this.sink = {
      frame: (type, data) => this.frames.push(type === improv.RPC_RESULT ? { type, ...improv.decodeCommand(Uint8Array.from(data)) } : { type, value: data[0] }),
      badFrame: () => this.frames.push({ bad: true }),
    };
  }

  /** What the board wrote (the runner's onSerial). */
  fromBoard(bytes) {
    this.reader.push(bytes, this.sink);
    this.sdkPush?.(bytes);
  }

  sdkPort() {
    const { port, push } = pipePort((bytes) => this.board.serialWrite(bytes));
    this.sdkPush = push;
    return port;
  }

  /** Sends bytes; resolves once the board read them. */
  write(bytes) {
    return this.board.serialWrite(bytes);
  }

  /**
   * Sends one of our commands; resolves with the frames that answered it (up to its result, or an
   * error: a refusal, a result whose first string is empty, comes before its error).
   */
  async command(cmd, strings = [], { list = false } = {}) {
    const from = this.frames.length;
    await this.write(improv.rpcFrame(cmd, strings));
    const done = () =>
      this.frames.slice(from).some((f) => f.type === improv.ERROR_STATE || (f.command === cmd && f.strings[0] !== '' && (!list || f.strings.length === 0)));
    await until(done, `answer to command 0x${cmd.toString(16)}`);
    return this.frames.slice(from);
  }
}

/** A board in XS with setup made over its ports (and a board running `config`, if given). */
async function setupBoard(t, { config, stored, build = BUILD } = {}) {
  const side = new SerialSide();
  const b = await xsBoardFor(t, { config, networks: NETWORKS, setup: { build, stored }, onSerial: (bytes) => side.fromBoard(bytes) });
  side.board = b;
  return Object.assign(b, { side });
}

/** `lines` hold `expected` in this order, other lines between. */
function assertInOrder(lines, expected) {
  let at = 0;
  for (const l of expected) {
    at = lines.indexOf(l, at) + 1;
    assert.ok(at > 0, `no line "${l}" (in order) in:\n${lines.join('\n')}`);
  }
}

const json = async (b, request) => {
  const r = await b.http(request);
  return { status: r.status, value: JSON.parse(r.body) };
};
const form = (fields) => new URLSearchParams(fields).toString();

describe('run-time setup in the XS engine (xsnap): what mcsim-setup checks', { skip: xsSkip() }, () => {
  before(() => assertXs());

  test('the settings: good and bad values get the same verdicts in XS as in Node', async (t) => {
    const b = await startXsBoard({});
    t.after(() => b.stop());
    const base = { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' };
    const options = { deviceId: 'c0ffee000001', maxBytes: 62 };
    const changes = [
      { topicPrefix: 'LycMaurois/+/alice' },
      { topicPrefix: 'LycMaurois/SNT_2nde/alice/', interval: '1000' },
      { broker: 'mqtt://192.168.1.144:99999' },
      { broker: 'mqtt://student:s3cret@192.168.1.144:1883' },
      { broker: 'mqtts://broker.lan:8883', ca: 'ca.der' },
      { broker: 'ws://broker.lan:8080/mqtt' },
      { broker: 'ftp://broker.lan' },
      { role: 'esp3' },
      { role: 'chat', name: 'alice', peer: 'bob' },
      { role: 'chat', name: 'alice', peer: 'b#b' },
      { interval: '5' },
      { interval: '10' },
      { interval: '2147483648' },
      { interval: '1e3' },
      { keepalive: '65536' },
      { backoffMin: '5000', backoffMax: '2000' },
      { restartAfter: '-1' },
      { ca: 'ca.der' },
      { password: 'short' },
      { password: '' },
      { password: 'z'.repeat(64) },
      { password: 'ab'.repeat(31) },
      { ssid: 'x'.repeat(33) },
      { ssid: 'é'.repeat(16) },
      { setupAfter: '-1' },
      { setupAfter: '3' },
      { sntp: 'pool ntp org' },
      { sntp: 'pool.ntp.org' },
      { topicPrefix: 'é'.repeat(32) },
      { topicPrefix: '😀/' },
      { name: 'bob\u001b[2J' },
      { name: 'bob\ud800' },
      { clientId: 'x'.repeat(24) },
      { colour: 'red' },
    ];
    let refused = 0;
    for (const c of changes) {
      for (const o of [options, { ...options, maxBytes: 200, complete: true }]) {
        const inNode = checkChanges({}, base, c, o);
        const r = await b.ask({ ev: 'check', build: {}, stored: base, changes: c, options: o });
        assert.deepEqual(r.problem, inNode, `${JSON.stringify(c)} ${JSON.stringify(o)}`);
        if (inNode) refused++;
      }
    }
    assert.ok(refused > 20 && refused < changes.length * 2 - 10, `both kinds of verdict were compared (${refused} refused)`);
    // And the firmware's own check of a whole config (what a build's keys give).
    const configs = [
      { ssid: 'x', broker: '127.0.0.1', role: 'hello' },
      { ssid: 'x', broker: '127.0.0.1', role: 'nobody' },
      { ssid: 'x', role: 'hello' },
      { broker: '127.0.0.1', role: 'hello' },
      { ssid: 'x', broker: 'mqtt://u:p@broker.lan:1884', role: 'sensor', interval: '250', keepalive: 30 },
      { ssid: 'x', broker: '127.0.0.1', role: 'chat', name: 'alice' },
      { ssid: 'x', broker: '127.0.0.1:0', role: 'hello' },
      { ssid: 'x', broker: '127.0.0.1', role: 'hello', backoffMin: 300, backoffMax: 200 },
    ];
    for (const raw of configs) {
      for (const needWiFi of [true, false]) {
        const inNode = checkConfig(raw, 'c0ffee000001', needWiFi);
        const r = await b.ask({ ev: 'config', raw, deviceId: 'c0ffee000001', needWiFi });
        if (typeof inNode === 'string') assert.equal(r.problem, inNode, JSON.stringify(raw));
        else assert.deepEqual(r.config, JSON.parse(JSON.stringify(inNode)), JSON.stringify(raw));
      }
    }
    assert.deepEqual(b.errors, []);
  });

  describe('over a real Mosquitto', { skip: mosquittoSkip() }, () => {
    let broker, sub;
    before(async () => {
      broker = await startMosquitto();
      sub = await mosquittoSub(broker.port, ['-t', `${PREFIX}#`]);
    });
    after(async () => {
      await sub?.stop();
      await broker?.stop();
    });

    test('A over Improv (the official client, then our frames), B from its setup page: both boot with what they stored, and pair', async (t) => {
      // ---- A, as ESP Web Tools sets up a board it just flashed: setup mode, state, info, networks, WiFi.
      const A = await setupBoard(t);
      await A.ask({ ev: 'open-page', reason: 'no WiFi settings on this board', why: ['missing', 'ssid', 'broker', 'role'] }); // what the firmware's boot does with nothing stored
      await lineIn(A.lines, /^Setup mode: no WiFi settings on this board$/);
      const ap = `mqtt-pair-${A.deviceId.slice(-6)}`;
      assert.ok(
        A.lines.includes(`Setup: join the WiFi "${ap}" with a phone or a computer, then open http://192.168.4.1:8080/ (a phone opens it by itself)`),
        A.lines.join('\n'),
      );
      assert.deepEqual(A.page, { ap, port: 8080, dns: 53 });
      const { ImprovSerial, ImprovSerialCurrentState } = await improvSdk();
      const logger = sdkLogger();
      const sdk = new ImprovSerial(A.side.sdkPort(), logger);
      const info = await initialize(sdk, LIMIT);
      assert.equal(sdk.state, ImprovSerialCurrentState.READY);
      assert.deepEqual([info.firmware, info.chipFamily, info.name], ['mqtt-pair', 'xsnap', ap]);
      const networks = await sdk.scan(LIMIT);
      assert.deepEqual(networks.map((n) => [n.name, n.secured]).sort(), [
        ['Invités', false],
        ['JAMS2', true],
      ]);
      assert.equal((await json(A, { method: 'GET', path: '/settings' })).status, 200, 'the page, on its access point');
      await sdk.provision('JAMS2', 'motdepasse', LIMIT);
      assert.equal(sdk.state, ImprovSerialCurrentState.PROVISIONED);
      // The page takes forms from whoever reaches it: never on the network joined (a class's).
      assert.equal(sdk.nextUrl, undefined, 'no setup page on the network it joined');
      assert.ok(A.page.closed, 'the access point and the page closed once the network was joined');
      await lineIn(A.lines, /^Setup: still to set: broker, role$/);
      assert.ok(
        A.lines.includes('Setup: the setup page closed: it is only for the board\'s own WiFi, not "JAMS2"; setup goes on over USB'),
        A.lines.join('\n'),
      );
      assert.deepEqual(Object.fromEntries(A.store), { ssid: 'JAMS2', password: 'motdepasse' });

      // ---- then ours, in Improv's frames: broker, role, prefix, interval; read back; the state; restart.
      const rows = await setHelloOverImprov(A.side, {
        broker: `mqtt://127.0.0.1:${broker.port}`,
        prefix: PREFIX,
        interval: 500,
      });
      assert.deepEqual(
        rows.find((r) => r[0] === 'clientId'),
        ['clientId', '', 'unset'],
      );
      assert.ok(A.lines.includes('Setup over USB: stored broker, role, topicPrefix, interval'), A.lines.join('\n'));
      await A.side.command(improv.RESTART);
      await until(() => A.restarts.length, 'the restart asked');
      assert.deepEqual(A.restarts, ['asked over USB']);
      const idle = await A.status();
      assert.deepEqual([idle.timers, idle.connections], [0, 0], 'nothing left running in XS');
      await sdk.close();
      assert.deepEqual(
        logger.errors.filter((e) => !/while not waiting|^Received result for command 1(2[89]|3\d) /.test(e)),
        [],
      );

      // ---- B, from its setup page: the network from the list, a wrong prefix named, then saved.
      const B = await setupBoard(t);
      await B.ask({ ev: 'open-page', reason: 'no WiFi settings on this board', why: ['missing', 'ssid', 'broker', 'role'] });
      const html = await B.http({ method: 'GET', path: '/generate_204' });
      assert.deepEqual([html.status, html.type], [200, 'text/html; charset=utf-8'], 'any address opens the page (a captive portal)');
      assert.match(html.body, /<form/);
      const list = await until(async () => {
        const r = await json(B, { method: 'GET', path: '/networks' });
        return !r.value.scanning && r.value.networks.length && r.value.networks;
      }, 'the scan on the page');
      assert.deepEqual(list[0], { ssid: 'JAMS2', rssi: -48, open: false });
      const fields = { ssid: 'JAMS2', password: 'motdepasse', broker: `127.0.0.1:${broker.port}`, role: 'responder' };
      // Another site's form (CSRF): refused in XS, nothing stored; forms of 1,000 `&`: scanned, not split.
      const csrf = await json(B, {
        method: 'POST',
        path: '/save',
        body: form({ ...fields, topicPrefix: PREFIX }),
        origin: 'http://evil.example',
        host: '192.168.4.1',
      });
      assert.equal(csrf.status, 403);
      assert.equal(B.store.size, 0, 'nothing stored');
      await lineIn(B.lines, /^Setup page: a form from another site refused: nothing changed$/);
      const amps = await json(B, { method: 'POST', path: '/save', body: '&'.repeat(1000) });
      assert.deepEqual([amps.status, amps.value.key], [400, 'ssid']);
      const twice = await json(B, { method: 'POST', path: '/save', body: 'ssid=a&'.repeat(1000) });
      assert.deepEqual(twice.value, { ok: false, key: '', message: 'the form has the field ssid twice' });
      const bad = await json(B, { method: 'POST', path: '/save', body: form({ ...fields, topicPrefix: 'LycMaurois/#/' }) });
      assert.deepEqual(bad, {
        status: 400,
        value: { ok: false, key: 'topicPrefix', message: 'topicPrefix="LycMaurois/#/" cannot hold + or #', code: 'wildcard' },
      });
      assert.equal(B.store.size, 0, 'nothing stored');
      await lineIn(B.lines, /^Setup page: topicPrefix: .*: nothing changed$/);
      const good = await json(B, { method: 'POST', path: '/save', body: form({ ...fields, topicPrefix: PREFIX }) });
      assert.deepEqual(good, { status: 200, value: { ok: true } });
      await until(() => B.restarts.length, 'the restart asked');
      assert.deepEqual(B.restarts, ['the settings were saved']);
      assert.deepEqual(Object.fromEntries(B.store), { ...fields, topicPrefix: PREFIX });

      // ---- Each boots with the build's config and what it stored (as the firmware's boot merges them), and they pair.
      const boot = async (board) => {
        const stored = Object.fromEntries(board.store);
        const b = await xsBoardFor(t, { config: { ...BUILD, ...stored }, networks: NETWORKS, deviceId: board.deviceId });
        return b;
      };
      const B2 = await boot(B);
      await lineIn(B2.lines, new RegExp(`^Connected to 127\\.0\\.0\\.1:${broker.port} MQTT broker, subscribed to ${PREFIX}hello topic$`));
      const A2 = await boot(A);
      await lineIn(A2.lines, /^ESP received hello message$/);
      assert.ok(A2.lines.includes('Joining WiFi "JAMS2"...'));
      await sub.waitFor(new RegExp(`^${PREFIX}hello Hello #0$`));
      await sub.waitFor(new RegExp(`^${PREFIX}notification received$`));
      for (const b of [A, B, A2, B2]) {
        assert.ok(!JSON.stringify(b.lines).includes('motdepasse'), 'the WiFi password appears in no console line');
        assert.deepEqual(b.errors, [], 'no exception in XS');
      }
      assert.ok(!Buffer.concat(A.serial).includes('motdepasse'), 'nor on the serial port');
    });

    test('garbage and bad frames on the serial port change nothing: the running board goes on, its settings as they were', async (t) => {
      const stored = { ssid: 'JAMS2', password: 'motdepasse', broker: `127.0.0.1:${broker.port}`, role: 'hello', topicPrefix: 'garbage/', interval: '200' };
      const esp2 = await xsBoardFor(t, { config: { ...BUILD, ...stored, role: 'responder' }, networks: NETWORKS });
      await lineIn(esp2.lines, /^Connected to /);
      const A = await setupBoard(t, { config: { ...BUILD, ...stored }, stored });
      await lineIn(A.lines, /^ESP received hello message$/);
      const before = Object.fromEntries(A.store);
      const hellos = () => A.lines.filter((l) => l === 'ESP received hello message').length;
      const n = hellos();

      // A frame whose checksum is wrong: an error, the line that says so, and nothing stored.
      const frame = improv.rpcFrame(improv.SET_SETTINGS, ['role', 'responder']);
      frame[frame.length - 2] ^= 0xff;
      let from = A.side.frames.length;
      await A.side.write(frame);
      await until(() => A.side.frames.length > from, 'an answer to the bad frame');
      assert.deepEqual(A.side.frames.slice(from), [{ type: improv.ERROR_STATE, value: improv.INVALID_RPC }]);
      assert.ok(A.lines.includes('Setup over USB: an Improv frame with a wrong checksum: nothing changed'), A.lines.join('\n'));
      // A good frame with a wrong value: the setting named, nothing stored.
      const wrong = await A.side.command(improv.SET_SETTINGS, ['role', 'responder', 'topicPrefix', 'a/#/']);
      // Which and why as data, in XS as in Node (docs/improv.md, « A refused setting »), then the error.
      assert.deepEqual(wrong, [
        { type: improv.RPC_RESULT, command: improv.SET_SETTINGS, strings: ['', 'topicPrefix', 'wildcard'] },
        { type: improv.ERROR_STATE, value: improv.INVALID_SETTING },
      ]);
      assert.ok(A.lines.includes('Setup over USB: topicPrefix: topicPrefix="a/#/" cannot hold + or #: nothing changed'), A.lines.join('\n'));
      // A setting's name with terminal controls in it: refused, and said as text.
      const controls = await A.side.command(improv.SET_SETTINGS, ['col\u001b[2Jour', 'x']);
      assert.deepEqual(controls, [
        { type: improv.RPC_RESULT, command: improv.SET_SETTINGS, strings: ['', 'col\u001b[2Jour', 'unknown'] },
        { type: improv.ERROR_STATE, value: improv.INVALID_SETTING },
      ]);
      assert.ok(
        A.lines.some((l) => l.startsWith('Setup over USB: col\\x1b[2Jour: there is no setting "col\\x1b[2Jour"')),
        A.lines.join('\n'),
      );
      assert.ok(!A.lines.some((l) => l.includes('\u001b')), 'no escape character reaches the console');
      // A command whose lengths do not add up. (Bad frames are said at most once a second: sent
      // again until it is.)
      from = A.side.frames.length;
      await until(async () => {
        await A.side.write(improv.encodeFrame(improv.RPC, [improv.SET_SETTINGS, 9, 4, 0x72, 0x6f]));
        return until(() => A.side.frames.length > from, 'an answer to the short command', 1500).catch(() => false);
      }, 'an answer to the short command');
      assert.deepEqual(A.side.frames.slice(from, from + 1), [{ type: improv.ERROR_STATE, value: improv.INVALID_RPC }]);
      assert.ok(
        A.lines.some((l) =>
          /^Setup over USB: an Improv frame whose lengths do not fit its type( \(and \d+ more bad frames before it, not said\))?: nothing changed$/.test(l),
        ),
        A.lines.join('\n'),
      );

      // 64 KB of noise, then what a terminal or a modem might send.
      let seed = 12345;
      const garbage = new Uint8Array(64 * 1024).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      for (let i = 0; i < garbage.length; i += 4096) await A.side.write(garbage.subarray(i, i + 4096));
      await A.side.write(Buffer.from('IMPROV\u0001\u0003\u00ff\r\n+++ATZ\r\nsetup\r\nreset\r\n'));
      await until(() => hellos() >= n + 5, 'five more hellos');
      assert.deepEqual(Object.fromEntries(A.store), before);
      assert.deepEqual(A.restarts, []);
      assert.equal(A.lines.filter((l) => /^Setup mode|^Setup: restarting|stored|cleared/.test(l)).length, 0, A.lines.join('\n'));
      // And Improv still answers: a board running its role is provisioned. (The junk began a frame
      // that the reader drops as soon as its lengths do not fit; a client asks again all the same,
      // as ESP Web Tools does, should an answer be lost in the noise.)
      const from2 = A.side.frames.length;
      const provisioned = () => A.side.frames.slice(from2).some((f) => f.type === improv.CURRENT_STATE && f.value === improv.PROVISIONED);
      await until(async () => {
        await A.side.write(improv.rpcFrame(improv.REQUEST_STATE));
        return until(provisioned, 'the state', 1500).catch(() => false);
      }, 'an answer to REQUEST_STATE');
      assert.deepEqual([...A.errors, ...esp2.errors], []);
    });

    test("Improv's WiFi that refuses the password: the running board stops to try it, unable to connect, back to ready, nothing stored, then back to its role", async (t) => {
      const stored = { ssid: 'JAMS2', password: 'motdepasse', broker: `127.0.0.1:${broker.port}`, role: 'responder', topicPrefix: 'wifi/' };
      const C = await setupBoard(t, { config: { ...BUILD, ...stored, wifiTimeout: LIMIT }, stored });
      await lineIn(C.lines, /^Connected to /);
      const from = C.side.frames.length;
      await C.side.write(improv.rpcFrame(improv.WIFI_SETTINGS, ['JAMS2', 'pas-le-bon']));
      await until(() => C.side.frames.slice(from).some((f) => f.type === improv.ERROR_STATE), 'the WiFi refused');
      await until(() => C.side.frames.length >= from + 3, 'the state after the refusal');
      assert.deepEqual(C.side.frames.slice(from), [
        { type: improv.CURRENT_STATE, value: improv.PROVISIONING },
        { type: improv.ERROR_STATE, value: improv.UNABLE_TO_CONNECT },
        { type: improv.CURRENT_STATE, value: improv.READY },
      ]);
      assertInOrder(C.lines, [
        'Setup over USB: the board stopped to try the new WiFi',
        'Setup over USB: joining "JAMS2"...',
        'Setup over USB: could not join "JAMS2" (check its name and password, and that it is in range): nothing stored',
      ]);
      assert.equal((await C.status()).started, false, 'the board stopped');
      assert.deepEqual(Object.fromEntries(C.store), stored, 'nothing stored');
      assert.deepEqual(C.wifi.joins.slice(-1), ['JAMS2']);
      assert.ok(!JSON.stringify([C.lines, C.errors]).includes('pas-le-bon'), 'the password tried appears nowhere');
      // Not left stopped: a restart, to run its role again with what is stored.
      await until(() => C.restarts.length > 0, 'the restart back to the stored settings');
      assert.deepEqual([C.restarts, C.errors], [['the new WiFi could not be joined: back to the stored settings'], []]);
    });

    test('a new role over USB on a running board: the old role and its client stop before the restart, nothing of it left', async (t) => {
      // What `mqtt-pair setup --port … role=sensor` does to a board running hello: the old role
      // must not run on beside the new one (both on one client id, the status flapping).
      const stored = { ssid: 'JAMS2', password: 'motdepasse', broker: `127.0.0.1:${broker.port}`, role: 'hello', topicPrefix: 'rerole/', interval: '200' };
      const D = await setupBoard(t, { config: { ...BUILD, ...stored }, stored });
      await lineIn(D.lines, /^Connected to /);
      const set = await D.side.command(improv.SET_SETTINGS, ['role', 'sensor']);
      assert.deepEqual(set.at(-1), { type: improv.RPC_RESULT, command: improv.SET_SETTINGS, strings: ['role'] });
      assert.equal((await D.status()).started, true, 'storing a setting alone leaves the board running');
      await D.side.command(improv.RESTART);
      await until(() => D.restarts.length, 'the restart asked');
      const s = await D.status();
      assert.deepEqual(
        { started: s.started, connections: s.connections },
        { started: false, connections: 0 },
        'the old board stopped when the restart was asked',
      );
      assert.equal(D.store.get('role'), 'sensor');
      assert.deepEqual(D.errors, []);
    });

    test('asked over USB: setup mode, with the reason on the page; clearing the settings asks a restart', async (t) => {
      const stored = { ssid: 'JAMS2', password: 'motdepasse', broker: `127.0.0.1:${broker.port}`, role: 'responder', topicPrefix: 'clear/' };
      const B = await setupBoard(t, { config: { ...BUILD, ...stored }, stored });
      await lineIn(B.lines, /^Connected to /);
      // « Identifier » over USB in XS: answered, said on the console (this host has no LED), the board goes on.
      const identified = await B.side.command(improv.IDENTIFY);
      assert.deepEqual(identified.at(-1), { type: improv.RPC_RESULT, command: improv.IDENTIFY, strings: [] });
      await lineIn(B.lines, /^Identify: this board blinks its LED for 5 s \(asked over USB\) \(no LED on this board: this line only\)$/);
      assert.equal((await B.status()).started, true, 'the board goes on with its role');
      const opened = await B.side.command(improv.SETUP_MODE);
      assert.deepEqual(opened.at(-1), { type: improv.RPC_RESULT, command: improv.SETUP_MODE, strings: [] });
      await lineIn(B.lines, /^Setup mode: asked over USB$/);
      const s = await B.status();
      assert.equal(s.started, false, 'the board stopped for setup mode');
      const view = await json(B, { method: 'GET', path: '/settings' });
      assert.equal(view.value.reason, 'asked over USB');
      assert.deepEqual(view.value.why, ['usb'], 'the reason as a code, for the page to word');
      assert.deepEqual(
        view.value.settings.find((r) => r.key === 'password'),
        { key: 'password', value: '********', source: 'stored' },
      );
      assert.ok(!JSON.stringify(view).includes('motdepasse'), 'the page is never given the password');

      const one = await B.side.command(improv.CLEAR_SETTINGS, ['topicPrefix']);
      assert.deepEqual(one.at(-1), { type: improv.RPC_RESULT, command: improv.CLEAR_SETTINGS, strings: ['topicPrefix'] });
      assert.equal(B.store.has('topicPrefix'), false);
      const unknown = await B.side.command(improv.CLEAR_SETTINGS, ['colour']);
      assert.deepEqual(unknown, [
        { type: improv.RPC_RESULT, command: improv.CLEAR_SETTINGS, strings: ['', 'colour', 'unknown'] },
        { type: improv.ERROR_STATE, value: improv.INVALID_SETTING },
      ]);
      const cleared = await B.side.command(improv.CLEAR_SETTINGS);
      assert.deepEqual(cleared.at(-1), { type: improv.RPC_RESULT, command: improv.CLEAR_SETTINGS, strings: [] });
      assert.equal(B.store.size, 0, 'every setting cleared');
      await until(() => B.restarts.length, 'the restart asked');
      assert.deepEqual(B.restarts, ['its settings were cleared']);
      assert.ok(B.lines.includes('Setup over USB: every stored setting cleared'));
      assert.deepEqual(B.errors, []);
    });
  });
});
