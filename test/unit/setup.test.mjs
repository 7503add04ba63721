// The board's side of run-time setup (src/setup/setup.ts), on a virtual clock with scripted
// ports: Improv driven by the official client (improv-wifi-serial-sdk, as ESP Web Tools drives a
// board), our own commands, the bad input a serial port or a form brings, the setup page's
// answers, and setup mode's five minutes. The same firmware in Moddable's simulator:
// test/firmware/mcsim-setup.test.mjs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { improv, readStored } from '../../dist/index.js';
import { Setup, IDLE_MS, answer, parseForm } from '../../dist/testing.js';
import { virtualHost } from '../helpers/virtual-host.mjs';
import { improvSdk, pipePort, sdkLogger } from '../helpers/improv-sdk.mjs';
import { mapStore } from './settings.test.mjs';

const NETWORKS = [
  { ssid: 'Salle 204', rssi: -60, open: false },
  { ssid: 'Salle 204', rssi: -48, open: false },
  { ssid: 'Invités', rssi: -75, open: true },
  { ssid: '', rssi: -40, open: true },
];

/** A board: a virtual host with a WiFi that takes "motdepasse" only, a map store, scripted ports, a firmware. */
function board({ build = {}, stored = {}, running = false, maxBytes = 200 } = {}) {
  const host = virtualHost();
  const joins = [];
  host.wifi = {
    join(ssid, password, listener) {
      joins.push({ ssid, password });
      queueMicrotask(() => listener.wifiEvent(password === 'motdepasse' ? 'gotIP' : 'disconnected'));
      ports.station = password === 'motdepasse' ? '192.168.1.60' : '';
    },
    leave() {
      ports.station = '';
      host.leaves = (host.leaves ?? 0) + 1;
    },
    address: () => ports.station,
  };
  const store = mapStore(maxBytes, stored);
  const ports = {
    store,
    station: '',
    frames: [],
    closed: 0,
    scans: 0,
    info: () => ['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-000001'],
    serialWrite(bytes) {
      ports.frames.push(bytes);
      ports.onWrite?.(bytes);
      return true;
    },
    scan(done) {
      ports.scans++;
      queueMicrotask(() => done(NETWORKS));
    },
    openAccessPoint(ssid, password) {
      ports.ap = { ssid, password };
      return '192.168.4.1';
    },
    serve(port, handler) {
      ports.handler = handler;
      ports.port = port;
      return port;
    },
    answerDns(port, address) {
      ports.dns = { port, address };
    },
    close() {
      ports.closed++;
    },
    stationAddress: () => ports.station,
  };
  const firmware = {
    build: { setupPort: 80, setupDnsPort: 53, ...build },
    stops: 0,
    isRunning: running,
    running: () => firmware.isRunning,
    stopBoard() {
      firmware.isRunning = false;
      firmware.stops++;
    },
  };
  const setup = new Setup(host, ports, firmware);
  return { host, store, ports, firmware, setup, joins };
}

/** What the board wrote, read back with our own reader: [{ type, data }] (RPC results decoded). */
function answers(ports, from = 0) {
  const out = [];
  const reader = new improv.FrameReader();
  for (const f of ports.frames.slice(from)) {
    reader.push(f, {
      frame: (type, data) => out.push(type === improv.RPC_RESULT ? { type, ...improv.decodeCommand(Uint8Array.from(data)) } : { type, value: data[0] }),
      badFrame: () => out.push({ bad: true }),
    });
  }
  return out;
}

/** Sends one of our commands and returns what the board answered to it. */
function command(b, cmd, strings = []) {
  const from = b.ports.frames.length;
  b.setup.serialBytes(improv.rpcFrame(cmd, strings));
  return answers(b.ports, from);
}

const error = (code) => ({ type: improv.ERROR_STATE, value: code });
const tick = () => new Promise((r) => setImmediate(r));
/** A response's body as text, and as JSON. */
const text = (r) => (typeof r.body === 'string' ? r.body : Buffer.from(r.body).toString('utf8'));
const json = (r) => JSON.parse(text(r));

describe('setup on the board', () => {
  test('the page only on the access point: closed once a WiFi is joined over USB, the WiFi left before it opens again', async () => {
    const b = board();
    b.setup.openPage('no WiFi settings on this board');
    command(b, improv.WIFI_SETTINGS, ['Salle 204', 'motdepasse']);
    await tick();
    assert.equal(b.ports.station, '192.168.1.60', 'joined');
    assert.equal(b.ports.closed, 1, 'the access point and the page closed');
    assert.equal(b.setup.request({ method: 'GET', path: '/settings', body: '' }).status, 503);
    const from = b.host.lines.length;
    assert.deepEqual(command(b, improv.SETUP_MODE).at(-1), { type: improv.RPC_RESULT, command: improv.SETUP_MODE, strings: [] });
    assert.equal(b.host.leaves, 1, 'the network joined is left first');
    assert.equal(b.ports.station, '');
    assert.ok(b.host.lines.slice(from).includes('Setup mode: asked over USB'), b.host.lines.join('\n'));
    assert.equal(json(b.setup.request({ method: 'GET', path: '/settings', body: '' })).device, 'mqtt-pair-000001', 'the page, again on its access point');
  });

  test('a board just flashed, set up as ESP Web Tools does it: state, info, scan, WiFi; then our commands', async () => {
    const b = board();
    b.setup.openPage('no WiFi settings on this board');
    assert.deepEqual(b.ports.ap, { ssid: 'mqtt-pair-000001', password: '' });
    assert.deepEqual(b.ports.dns, { port: 53, address: '192.168.4.1' });
    assert.ok(
      b.host.lines.includes('Setup: join the WiFi "mqtt-pair-000001" with a phone or a computer, then open http://192.168.4.1/ (a phone opens it by itself)'),
      b.host.lines.join('\n'),
    );

    const { ImprovSerial, ImprovSerialCurrentState } = await improvSdk();
    const { port, push } = pipePort((bytes) => b.setup.serialBytes(bytes));
    b.ports.onWrite = (bytes) => push(bytes);
    const logger = sdkLogger();
    const sdk = new ImprovSerial(port, logger);
    const info = await sdk.initialize(5000);
    assert.equal(sdk.state, ImprovSerialCurrentState.READY);
    assert.deepEqual([info.firmware, info.version, info.chipFamily, info.name], ['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-000001']);
    assert.deepEqual(
      await sdk.scan(),
      [
        { name: 'Invités', rssi: -75, secured: false },
        { name: 'Salle 204', rssi: -48, secured: true },
      ],
      'one entry a name, the strongest, no hidden network',
    );

    await assert.rejects(sdk.provision('Salle 204', 'wrongpass'), /UNABLE_TO_CONNECT/);
    assert.equal(readStored(b.store), null, 'a network that refused: nothing stored');
    assert.ok(b.host.lines.includes('Setup over USB: could not join "Salle 204" (check its name and password, and that it is in range): nothing stored'));

    assert.equal(json(b.setup.request({ method: 'GET', path: '/settings', body: '' })).device, 'mqtt-pair-000001', 'the page, on its access point');
    await sdk.provision('Salle 204', 'motdepasse');
    assert.equal(sdk.state, ImprovSerialCurrentState.PROVISIONED);
    // The page takes forms from whoever reaches it: never on the network joined (a class's).
    assert.equal(sdk.nextUrl, undefined, 'no setup page on the network the board joined');
    assert.equal(b.ports.closed, 1, 'the access point and the page closed once the network was joined');
    const late = b.setup.request({ method: 'POST', path: '/save', body: 'role=hello', origin: 'http://192.168.1.60' });
    assert.equal(late.status, 503, 'a request under way when it closed changes nothing');
    assert.deepEqual(readStored(b.store), { ssid: 'Salle 204', password: 'motdepasse' });
    const said = [
      'Setup: the setup page closed: it is only for the board\'s own WiFi, not "Salle 204"; setup goes on over USB',
      'Setup over USB: joined "Salle 204"; WiFi settings stored',
      'Setup: still to set: broker, role',
    ].map((l) => b.host.lines.indexOf(l));
    assert.ok(said[0] >= 0 && said[0] < said[1] && said[1] < said[2], b.host.lines.join('\n'));
    assert.deepEqual(b.host.restarts, [], 'no broker, no role yet: setup goes on');

    // Ours, in the same frames.
    assert.deepEqual(
      command(b, improv.SET_SETTINGS, ['broker', 'mqtt://eleve:s3cret@192.168.1.144', 'role', 'hello', 'topicPrefix', 'LycMaurois/SNT_2nde/alice/']),
      [{ type: improv.RPC_RESULT, command: improv.SET_SETTINGS, strings: ['broker', 'role', 'topicPrefix'] }],
    );
    const got = command(b, improv.GET_SETTINGS);
    const rows = got.filter((a) => a.strings?.length).map((a) => a.strings);
    assert.equal(got.at(-1).strings.length, 0, 'an empty result ends the list');
    assert.deepEqual(
      rows.find((r) => r[0] === 'password'),
      ['password', '********', 'stored'],
    );
    assert.deepEqual(
      rows.find((r) => r[0] === 'broker'),
      ['broker', 'mqtt://eleve:***@192.168.1.144', 'stored'],
    );
    assert.deepEqual(
      rows.find((r) => r[0] === 'keepalive'),
      ['keepalive', '', 'unset'],
    );
    assert.ok(!JSON.stringify(got).includes('motdepasse') && !JSON.stringify(got).includes('s3cret'), 'no password goes out');
    await sdk.requestCurrentState();
    assert.equal(sdk.nextUrl, undefined);
    assert.deepEqual(command(b, improv.RESTART), [{ type: improv.RPC_RESULT, command: improv.RESTART, strings: [] }]);
    b.host.advance(1000);
    assert.deepEqual(b.host.restarts, ['asked over USB']);
    assert.equal(b.ports.closed, 1, 'the access point and the servers are closed first');
    // (The SDK reads the answers to our own commands too, sent here past it, and says they were not its.)
    assert.deepEqual(
      logger.errors.filter((e) => !/while not waiting|^Received result for command 1(2[89]|3\d) /.test(e)),
      [],
    );
    assert.ok(!b.host.lines.join('\n').includes('motdepasse'), 'no password in the console');
    await sdk.close();
  });

  test('bad input over USB: each its error, and nothing stored', () => {
    const b = board({ stored: { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' }, maxBytes: 62 });
    const before = JSON.stringify(readStored(b.store));
    const bad = Uint8Array.from(improv.rpcFrame(improv.SET_SETTINGS, ['role', 'responder']));
    bad[bad.length - 2] ^= 1;
    b.setup.serialBytes(bad);
    assert.deepEqual(answers(b.ports), [error(improv.INVALID_RPC)]);
    assert.deepEqual(command(b, 0x99), [error(improv.UNKNOWN_RPC)]);
    assert.deepEqual(command(b, improv.SET_SETTINGS, ['role']), [error(improv.INVALID_RPC)]);
    // A refused setting: its key, reason code and facts as data (a result whose first string is
    // empty), then the error. Codes and numbers, no sentence.
    const refused = (cmd, ...strings) => [{ type: improv.RPC_RESULT, command: cmd, strings: ['', ...strings] }, error(improv.INVALID_SETTING)];
    assert.deepEqual(command(b, improv.SET_SETTINGS, ['role', 'esp3']), refused(improv.SET_SETTINGS, 'role', 'choice'));
    assert.deepEqual(
      command(b, improv.SET_SETTINGS, ['role', 'responder', 'topicPrefix', 'a/#']),
      refused(improv.SET_SETTINGS, 'topicPrefix', 'wildcard'),
      'all or nothing: the role is not stored either',
    );
    assert.deepEqual(
      command(b, improv.SET_SETTINGS, ['topicPrefix', 'LycMaurois/SNT_2nde/'.repeat(4)]),
      refused(improv.SET_SETTINGS, 'topicPrefix', 'long', '80', '62'),
    );
    assert.deepEqual(command(b, improv.SET_SETTINGS, ['interval', '5']), refused(improv.SET_SETTINGS, 'interval', 'range', '10', '2147483647'));
    assert.deepEqual(command(b, improv.SET_SETTINGS, ['colour', 'red']), refused(improv.SET_SETTINGS, 'colour', 'unknown'));
    assert.deepEqual(command(b, improv.CLEAR_SETTINGS, ['colour']), refused(improv.CLEAR_SETTINGS, 'colour', 'unknown'));
    assert.deepEqual(command(b, improv.WIFI_SETTINGS, ['only the name']), [error(improv.INVALID_RPC)]);
    // Improv's own command: the error alone (ESP Web Tools would take a result for success).
    assert.deepEqual(command(b, improv.WIFI_SETTINGS, ['Salle 204', 'short']), [error(improv.INVALID_SETTING)]);
    // Lengths that do not add up, and bytes that are not UTF-8, inside a frame with a right checksum.
    const frame = (data) => improv.encodeFrame(improv.RPC, data);
    for (const data of [
      [improv.SET_SETTINGS, 9, 4, 114, 111, 108, 101],
      [improv.SET_SETTINGS, 7, 4, 114, 111, 108, 101, 1, 0xff],
    ]) {
      b.host.advance(1000); // bad frames are said at most once a second
      const from = b.ports.frames.length;
      b.setup.serialBytes(frame(data));
      assert.deepEqual(answers(b.ports, from), [error(improv.INVALID_RPC)]);
    }
    assert.equal(JSON.stringify(readStored(b.store)), before);
    const said = b.host.lines.filter((l) => l.startsWith('Setup over USB: '));
    assert.ok(said.includes('Setup over USB: an Improv frame with a wrong checksum: nothing changed'), said.join('\n'));
    assert.ok(
      said.includes('Setup over USB: role: role "esp3" is unknown: choose hello, responder, sensor, chat, remote or actuator: nothing changed'),
      said.join('\n'),
    );
    assert.ok(said.includes('Setup over USB: topicPrefix: topicPrefix is 80 bytes long: this board stores at most 62: nothing changed'), said.join('\n'));
    assert.ok(said.includes('Setup over USB: unknown Improv command 0x99: nothing changed'));
    assert.equal(b.firmware.stops, 0);
  });

  test('« Identifier » over USB (0x8a): the LED blinks through the host for 5 s, said on the console; asked again at once, ignored', () => {
    const b = board({ running: true, stored: { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' } });
    const leds = [];
    b.host.led = (on) => leds.push(on);
    assert.deepEqual(command(b, improv.IDENTIFY), [{ type: improv.RPC_RESULT, command: improv.IDENTIFY, strings: [] }]);
    assert.ok(b.host.lines.includes('Identify: this board blinks its LED for 5 s (asked over USB)'), b.host.lines.join('\n'));
    assert.deepEqual(leds, [true]);
    b.host.advance(1000);
    assert.deepEqual(leds, [true, false, true, false, true]);
    command(b, improv.IDENTIFY);
    assert.ok(b.host.lines.includes('Identify: asked over USB again too soon, ignored (one every 15 s)'));
    b.host.advance(5000);
    assert.equal(leds.length, 21, 'on and off every 250 ms for 5 s, then off');
    assert.equal(leds.at(-1), false);
    assert.ok(b.host.lines.includes('Identify: done'));
    b.host.advance(10_000);
    command(b, improv.IDENTIFY);
    assert.equal(leds.at(-1), true, 'once IDENTIFY_EVERY went by, it blinks again');
    assert.equal(b.firmware.stops, 0, 'the board goes on with its role');
  });

  test('a running board: provisioned, settings stored for the next restart, the WiFi tried only once the board stopped', async () => {
    const b = board({ running: true, stored: { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' } });
    assert.deepEqual(command(b, improv.REQUEST_STATE), [
      { type: improv.CURRENT_STATE, value: improv.PROVISIONED },
      { type: improv.RPC_RESULT, command: improv.REQUEST_STATE, strings: [] },
    ]);
    assert.equal(command(b, improv.SET_SETTINGS, ['interval', '2000'])[0].command, improv.SET_SETTINGS);
    assert.ok(b.host.lines.includes('Setup over USB: stored interval (used from the next restart)'));
    assert.equal(b.firmware.stops, 0, 'storing a setting does not stop the board');
    const answered = command(b, improv.WIFI_SETTINGS, ['Salle 205', 'motdepasse']);
    assert.deepEqual(answered, [{ type: improv.CURRENT_STATE, value: improv.PROVISIONING }]);
    assert.equal(b.firmware.stops, 1, 'the board stopped to try the new network');
    await tick();
    assert.equal(b.store.get('ssid'), 'Salle 205');
    b.host.advance(1000);
    assert.deepEqual(b.host.restarts, ['the settings are complete']);
  });

  test('a stream of Improv false starts: the good command after each is taken, and one error a second is said', () => {
    const b = board({ stored: { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' } });
    // "IMPROV", version 1, an RPC of 255 bytes that never comes: 200 of them, each before a good command.
    const falseStart = Uint8Array.from([...Buffer.from('IMPROV'), 1, improv.RPC, 0xff]);
    let good = 0;
    for (let i = 0; i < 200; i++) {
      const from = b.ports.frames.length;
      b.setup.serialBytes(falseStart);
      b.setup.serialBytes(improv.rpcFrame(improv.GET_SETTINGS));
      if (answers(b.ports, from).some((a) => a.type === improv.RPC_RESULT && a.command === improv.GET_SETTINGS)) good++;
    }
    assert.equal(good, 200, 'every good command answered');
    const said = b.host.lines.filter((l) => /Improv frame/.test(l));
    assert.equal(said.length, 1, said.join('\n'));
    assert.equal(answers(b.ports).filter((a) => a.type === improv.ERROR_STATE).length, 1);
    b.host.advance(1000);
    b.setup.serialBytes(falseStart);
    b.setup.serialBytes(improv.rpcFrame(improv.REQUEST_STATE));
    assert.match(
      b.host.lines.filter((l) => /Improv frame/.test(l)).at(-1) ?? '',
      /^Setup over USB: an Improv frame whose lengths do not fit its type \(and 199 more bad frames before it, not said\): nothing changed$/,
    );
    assert.equal(b.firmware.stops, 0);
  });

  test('a running board given a WiFi it cannot join over Improv goes back to its role', async () => {
    const b = board({ running: true, stored: { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' } });
    command(b, improv.WIFI_SETTINGS, ['Salle 205', 'wrongpassword']);
    assert.equal(b.firmware.stops, 1);
    await tick();
    assert.equal(b.store.get('ssid'), 'Salle 204', 'nothing stored');
    b.host.advance(1000);
    assert.deepEqual(b.host.restarts, ['the new WiFi could not be joined: back to the stored settings']);
  });

  test('set over USB: "__proto__", numbers not in decimal digits, an IPv6 broker, invisible characters: refused, nothing stored', () => {
    const b = board({ stored: { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' } });
    const before = JSON.stringify(readStored(b.store));
    for (const [key, value, ...reason] of [
      ['__proto__', 'x', 'unknown'],
      ['interval', '0x10', 'range', '10', '2147483647'],
      ['interval', ' 5000 ', 'range', '10', '2147483647'],
      ['keepalive', '1e3', 'range', '0', '65535'],
      ['broker', '[::1]:1883', 'ipv6'],
      ['broker', 'mqtt://user:pw@[fe80::1]', 'ipv6'],
      ['name', 'alice\u202e', 'invisible'],
      ['name', '\ufeffalice', 'invisible'],
      ['peer', 'bo\u200db', 'invisible'],
      ['topicPrefix', 'LycMaurois/\u0085SNT/', 'control'],
      ['topicPrefix', 'a/\u2028b/', 'control'],
      ['ssid', 'Salle\u009b204', 'control'],
    ]) {
      assert.deepEqual(
        command(b, improv.SET_SETTINGS, [key, value]),
        [{ type: improv.RPC_RESULT, command: improv.SET_SETTINGS, strings: ['', key, ...reason] }, error(improv.INVALID_SETTING)],
        `${key}=${JSON.stringify(value)}`,
      );
    }
    assert.equal(JSON.stringify(readStored(b.store)), before);
    assert.ok(
      b.host.lines.includes(
        'Setup over USB: __proto__: there is no setting "__proto__": the settings are ssid, password, broker, role, topicPrefix, name, peer, interval, clientId, keepalive, backoffMin, backoffMax, restartAfter, setupAfter, inflight, wifiTimeout, wifiRetry, ca, sntp, led, ledActiveLow: nothing changed',
      ),
      b.host.lines.join('\n'),
    );
    assert.ok(b.host.lines.some((l) => /broker "\[::1\]:1883" is an IPv6 address/.test(l)));
    assert.ok(!b.host.lines.some((l) => l.includes('user:pw')), "the broker's password is not said");
    // What is right still goes in: a name with an accent, an emoji network name (its joiner is the WiFi's business).
    assert.equal(command(b, improv.SET_SETTINGS, ['name', 'Zoë', 'ssid', 'Salle 👩\u200d🏫'])[0].command, improv.SET_SETTINGS);
  });

  test('a clear: every stored setting gone, then a restart (into setup mode when the build has no WiFi)', () => {
    const b = board({ running: true, stored: { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' } });
    assert.deepEqual(command(b, improv.CLEAR_SETTINGS, ['role']), [{ type: improv.RPC_RESULT, command: improv.CLEAR_SETTINGS, strings: ['role'] }]);
    assert.equal(b.store.get('role'), undefined);
    assert.deepEqual(b.host.restarts, []);
    command(b, improv.CLEAR_SETTINGS);
    assert.equal(readStored(b.store), null);
    b.host.advance(1000);
    assert.deepEqual(b.host.restarts, ['its settings were cleared']);
  });

  test('setup mode stays open while there is no WiFi to try; with one, five quiet minutes send the board back to it', () => {
    const fresh = board();
    fresh.setup.openPage('no WiFi settings on this board');
    fresh.host.advance(IDLE_MS);
    assert.deepEqual(fresh.host.restarts, []);
    assert.ok(fresh.host.lines.includes('Setup: no visitor for 5 minutes, and no WiFi to try: setup stays open'));

    const b = board({ stored: { ssid: 'Salle 204', password: 'motdepasse', broker: 'raspberrypi.local', role: 'hello' } });
    b.setup.openPage('the broker\'s name "raspberrypi.local" did not resolve 5 times in a row');
    b.host.advance(IDLE_MS - 1000);
    b.ports.handler.request({ method: 'GET', path: '/', body: '' }); // a visitor: five more minutes
    b.host.advance(IDLE_MS - 1);
    assert.deepEqual(b.host.restarts, []);
    b.host.advance(1);
    assert.deepEqual(b.host.restarts, ['no visitor in setup mode']);
    assert.ok(b.host.lines.includes('Setup: no visitor for 5 minutes: trying the saved WiFi again'));
  });

  test('the page: its JSON, a refused form naming the field, a saved one, and what is never sent back', async () => {
    const b = board({
      build: { keepalive: 60 },
      stored: { ssid: 'Salle 204', password: 'motdepasse', broker: 'mqtt://eleve:s3cret@192.168.1.144', role: 'hello' },
    });
    b.setup.openPage('asked over USB');
    const get = (path) => b.ports.handler.request({ method: 'GET', path, body: '' });
    const post = (body) => b.ports.handler.request({ method: 'POST', path: '/save', body });
    const page = get('/generate_204');
    assert.equal(page.status, 200);
    assert.match(page.type, /^text\/html/);
    assert.match(page.body, /^<!doctype html>/);
    assert.match(page.body, /^[\x00-\x7f]*$/, 'the page is ASCII: served from flash as it is');
    const view = json(get('/settings'));
    assert.equal(view.reason, 'asked over USB');
    assert.deepEqual(
      view.settings.find((s) => s.key === 'password'),
      { key: 'password', value: '********', source: 'stored' },
    );
    assert.deepEqual(
      view.settings.find((s) => s.key === 'keepalive'),
      { key: 'keepalive', value: '60', source: 'build' },
    );
    assert.ok(!text(get('/settings')).includes('motdepasse') && !text(get('/settings')).includes('s3cret'));
    await tick(); // the scan setup mode started
    assert.deepEqual(
      json(get('/networks?x=1')).networks.map((n) => n.ssid),
      ['Salle 204', 'Invités'],
    );

    for (const [form, key, message] of [
      ['role=esp3', 'role', /^role "esp3" is unknown/],
      ['topicPrefix=a%2F%2B%2Fb', 'topicPrefix', /cannot hold \+ or #/],
      ['role=chat&name=alice', 'peer', /^peer is missing$/],
      ['interval=9', 'interval', /from 10 to/],
      ['broker=', 'broker', /^broker is missing$/],
    ]) {
      const r = post(form);
      assert.equal(r.status, 400, form);
      assert.deepEqual([json(r).key, json(r).ok], [key, false], form);
      assert.match(json(r).message, message, form);
    }
    for (const [form, message] of [
      ['role=%E9', /not valid UTF-8/],
      ['colour=red', /field "colour" that is not a setting/],
      ['role=hello&role=responder', /field role twice/],
    ]) {
      const r = post(form);
      assert.equal(r.status, 400);
      assert.match(json(r).message, message);
    }
    assert.equal(b.store.get('role'), 'hello', 'nothing stored by a refused form');
    assert.deepEqual(b.host.restarts, []);

    // The form as the page sends it: the broker as shown (its password hidden), no password typed.
    const r = post(
      new URLSearchParams({
        broker: 'mqtt://eleve:***@192.168.1.144',
        role: 'responder',
        topicPrefix: 'LycMaurois/SNT_2nde/alice/',
        keepalive: '60',
      }).toString(),
    );
    assert.deepEqual([r.status, json(r)], [200, { ok: true }]);
    assert.deepEqual(
      readStored(b.store),
      { ssid: 'Salle 204', password: 'motdepasse', broker: 'mqtt://eleve:s3cret@192.168.1.144', role: 'responder', topicPrefix: 'LycMaurois/SNT_2nde/alice/' },
      "the broker keeps its password; the build's keepalive is not copied",
    );
    b.host.advance(1000);
    assert.deepEqual(b.host.restarts, ['the settings were saved']);
    assert.ok(b.host.lines.includes('Setup page: stored role, topicPrefix'), b.host.lines.join('\n'));
  });

  test('a form from another site: refused, said on the console, nothing stored, no restart', () => {
    const b = board();
    b.setup.openPage('no WiFi settings on this board');
    const form = 'ssid=Pirate&password=motdepasse&broker=192.0.2.1&role=hello';
    const r = b.ports.handler.request({ method: 'POST', path: '/save', body: form, origin: 'http://evil.example', host: '192.168.4.1' });
    assert.equal(r.status, 403);
    assert.equal(readStored(b.store), null, 'nothing stored');
    assert.ok(b.host.lines.includes('Setup page: a form from another site refused: nothing changed'), b.host.lines.join('\n'));
    assert.ok(!b.host.lines.join('\n').includes('evil.example'), "the Origin's text is not printed");
    b.host.advance(1000);
    assert.deepEqual(b.host.restarts, []);
    const own = b.ports.handler.request({ method: 'POST', path: '/save', body: form, origin: 'http://192.168.4.1', host: '192.168.4.1' });
    assert.equal(own.status, 200, 'the same form from the page itself is taken');
    assert.equal(readStored(b.store).ssid, 'Pirate');
  });

  test('forms: parsed strictly, and bounded', () => {
    assert.deepEqual(parseForm('ssid=Salle+204&password=mot%20de%20passe&topicPrefix='), { ssid: 'Salle 204', password: 'mot de passe', topicPrefix: '' });
    assert.match(parseForm('x'.repeat(9000)), /at most 8192/);
    assert.equal(answer({ view: () => ({}), networks: () => ({}), save: () => null }, { method: 'PUT', path: '/', body: '' }).status, 405);
  });
});
