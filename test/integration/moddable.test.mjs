// The Moddable build without the Moddable SDK. The firmware itself runs on the real SDK in
// test/firmware/mcsim.test.mjs; this file keeps only what Moddable's desktop simulator cannot show:
// - manifest.json's shape for the boards (esp32, esp), which no simulator build reads;
// - the bundle on a fake of Moddable's modules that behaves as the boards' do where the lin
//   simulator differs: lwip's socket, whose write() takes only the room it has left (16 bytes
//   here, so every packet is split), the ESP32's WiFi refusing a password (code -1), a chip reset
//   that really resets, and a clock that starts in 1970 and must be set by SNTP before TLS.
// The fakes follow the SDK's documented behaviour (documentation/network/network.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect as tcpConnect, createServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns';
import { ROLES, checkConfig } from '../../dist/index.js';
import { buildAll } from '../../tools/build.mjs';
import { startAedes } from '../helpers/aedes.mjs';
import { needMosquitto, startMosquitto } from '../helpers/mosquitto.mjs';
import { makeCertificates, opensslSkip } from '../helpers/certs.mjs';
import { LIMIT, lineIn } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLE = join(root, 'build/moddable/main.js');
const PLATFORMS = ['esp32', 'esp', 'mac', 'lin', 'win'];
const BOARDS = ['esp32', 'esp'];
const DESKTOPS = ['mac', 'lin', 'win'];
/**
 * Modules the included SDK manifests bring on every one of our platforms, and mc/config, which
 * mcconfig generates from the "config" section. manifest_base.json: timer and time (through
 * build/devices/<esp|esp32>/manifest.json and build/simulators/manifest.json) and Resource;
 * manifest_net.json: socket, net and (through modules/network/wifi/manifest.json) wifi;
 * modules/crypt/tls.json: securesocket; modules/network/websocket/manifest.json: websocket;
 * modules/network/sntp/manifest.json: sntp. Run-time setup: modules/files/preference: preference;
 * modules/base/modules: modules. (The setup page is served on the socket module's Listener:
 * hosts/moddable/setup-server.ts.)
 */
const SDK_MODULES = ['timer', 'time', 'socket', 'net', 'wifi', 'mc/config', 'Resource', 'securesocket', 'websocket', 'sntp', 'preference', 'modules'];
/** Modules only a platform's own include brings: the classic `wifi` module is no longer in
 *  manifest_net.json on the boards (SDK 8.2.3), so manifest.json includes it there. */
const WIFI_MANIFEST = '$(MODDABLE)/modules/network/wifi/manifest.json';
/** The SDK manifests that bring them, beyond manifest_base and manifest_net. */
const SDK_MANIFESTS = [
  '$(MODDABLE)/modules/crypt/tls.json',
  '$(MODDABLE)/modules/network/websocket/manifest.json',
  '$(MODDABLE)/modules/network/sntp/manifest.json',
  '$(MODDABLE)/modules/files/preference/manifest.json',
  '$(MODDABLE)/modules/base/modules/manifest.json',
];

const manifest = () => JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));

before(async () => {
  await buildAll();
});

/** Module specifiers a bundle imports (static, re-exports and dynamic). */
function importsOf(code) {
  const found = new Set();
  for (const re of [
    /\bimport\s+(?:[^'"();]*?\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+[^'";]*?\s+from\s+["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ]) {
    for (const m of code.matchAll(re)) found.add(m[1]);
  }
  return [...found];
}

/** The module names the manifest declares for `platform` (common modules plus its section). */
function manifestModules(m, platform) {
  const names = new Set(Object.keys(m.modules ?? {}).filter((k) => k !== '*' && k !== '~'));
  for (const k of Object.keys(m.platforms?.[platform]?.modules ?? {})) if (k !== '*' && k !== '~') names.add(k);
  return names;
}

const asList = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

test('manifest.json is JSON that includes manifest_base and manifest_net', () => {
  const m = manifest();
  const include = asList(m.include);
  assert.ok(include.includes('$(MODDABLE)/examples/manifest_base.json'), 'includes manifest_base.json');
  assert.ok(include.includes('$(MODDABLE)/examples/manifest_net.json'), 'includes manifest_net.json');
});

test('manifest.json brings TLS, the WebSocket client and SNTP, and builds hosts/moddable/certs/ in as resources', () => {
  const m = manifest();
  const include = asList(m.include);
  for (const f of SDK_MANIFESTS) assert.ok(include.includes(f), `includes ${f}`);
  assert.deepEqual(asList(m.resources?.['*']), ['./hosts/moddable/certs/*'], 'every file of hosts/moddable/certs/ is a resource (ca=<name> names one)');
  assert.ok(existsSync(join(root, 'hosts/moddable/certs')), 'hosts/moddable/certs/ exists (mcconfig stops on a missing directory)');
  assert.equal(m.config.ca, '');
  assert.equal(m.config.sntp, 'pool.ntp.org');
});

test('the module "main" is the bundle that tools/build.mjs writes, and it is preloaded', () => {
  const m = manifest();
  assert.equal(m.creation?.main ?? 'main', 'main', 'creation.main, when set, is "main"');
  const source = m.modules?.main;
  assert.equal(typeof source, 'string', 'modules.main names a source');
  assert.ok(source.startsWith('./'), 'relative to the manifest');
  assert.equal(join(root, `${source}.js`), BUNDLE, 'modules.main is build/moddable/main(.js)');
  assert.ok(existsSync(BUNDLE), 'node tools/build.mjs produced build/moddable/main.js');
  assert.ok(asList(m.preload).includes('main'), 'main is preloaded');
});

test("every platform has its section: the classic wifi module and no setup/network on the boards, the SDK's simulated WiFi on the desktops", () => {
  const m = manifest();
  for (const p of PLATFORMS) assert.ok(m.platforms?.[p], `platforms.${p}`);
  for (const p of [...BOARDS, 'esp32/*', 'esp/*']) {
    const s = m.platforms[p];
    assert.ok(s, `platforms["${p}"]`);
    assert.ok(asList(s.include).includes(WIFI_MANIFEST), `${p}: includes ${WIFI_MANIFEST}`);
    const base = p.split('/')[0];
    assert.ok(
      asList(s.modules?.['~']).includes(`$(BUILD)/devices/${base}/setup/network`),
      `${p}: Moddable's setup/network is excluded, so only our WiFi state machine joins`,
    );
  }
  for (const p of DESKTOPS) assert.equal(m.platforms[p].config?.ssid, 'simulated', `${p}: the simulated WiFi's network name, as the Node simulator's`);
  assert.ok(m.platforms['...']?.error, 'other platforms get a clear error');
});

test('mqtt-pair/chip exists on every platform: native on the boards and the simulators', () => {
  // Its JavaScript and its C, present for every platform's build. Whether each native function is
  // defined (in chip.c or the SDK) is for a build to say: mcsim's (test/firmware/mcsim*.test.mjs) compiles
  // and links them; test/integration/native-compile.test.mjs compiles chip.c for every chip family.
  const m = manifest();
  assert.ok(asList(m.preload).includes('mqtt-pair/chip'));
  for (const p of [...BOARDS, 'esp32/*', 'esp/*', ...DESKTOPS]) {
    const source = m.platforms[p].modules?.['mqtt-pair/chip'];
    assert.equal(typeof source, 'string', `${p} maps mqtt-pair/chip`);
    for (const ext of ['js', 'c']) assert.ok(existsSync(join(root, `${source}.${ext}`)), `${p}: ${source}.${ext} exists`);
  }
});

test('the manifest config has a default for every key the firmware reads, and changes none of its defaults', () => {
  const config = manifest().config;
  // What readConfig reads, seen by running it (every role, the settings a board needs given): the
  // keys it asks a Proxy for.
  const read = new Set();
  const spy = (raw) =>
    new Proxy(raw, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return target[key];
      },
    });
  for (const role of ROLES) {
    const needed = { ssid: 'JAMS', broker: '127.0.0.1', role, name: 'alice', peer: 'bob' };
    const withManifest = checkConfig(spy({ ...config, ...needed }), 'esp-1', true);
    assert.equal(typeof withManifest, 'object', `${role}: the manifest's defaults are a valid config (${withManifest})`);
    // The manifest's values are the firmware's own defaults (an empty interval: the role's).
    assert.deepEqual(withManifest, checkConfig(needed, 'esp-1', true), `${role}: the manifest changes no default`);
  }
  assert.ok(read.has('broker') && read.has('keepalive') && read.size >= 10, `readConfig was seen reading its keys: ${[...read]}`);
  for (const k of read) assert.ok(Object.hasOwn(config, k), `config.${k} has a default in manifest.json`);
});

test('the bundle imports only modules the manifest provides, and nothing from Node', () => {
  // (The setup page is a string the board serves to browsers, whose script is not the firmware's.)
  const code = readFileSync(BUNDLE, 'utf8').replace(/(["'`])<!doctype html>(?:(?!\1)[^\\]|\\.)*\1/gi, "''");
  assert.ok(!code.includes('<!doctype html>'), 'the setup page was found and set aside');
  const m = manifest();
  const specifiers = importsOf(code);
  assert.ok(specifiers.length > 0, 'the bundle has imports');
  for (const p of PLATFORMS) {
    const provided = new Set([...SDK_MODULES, ...manifestModules(m, p)]);
    for (const s of specifiers) assert.ok(provided.has(s), `${p}: "${s}" is provided by the SDK manifests or manifest.json`);
  }
  for (const s of specifiers) assert.ok(!s.startsWith('node:'), `no Node import: ${s}`);
  for (const word of ['Buffer', 'process', 'require', '__dirname', 'setTimeout', 'console', 'TextEncoder', 'structuredClone']) {
    assert.ok(!new RegExp(`\\b${word}\\b`).test(code), `the bundle does not use ${word}`);
  }
  assert.match(code, /export\s*\{[^}]*\bas default\b[^}]*\}|export default /, 'the bundle has a default export');
});

// ---- The bundle on a fake Moddable runtime

const fake = {
  config: {},
  lines: [],
  timers: new Set(),
  sockets: new Set(),
  monitors: new Set(),
  wifiJoins: [],
  wifiDisconnects: 0,
  restarts: 0,
  restartReturns: false,
  /** Resources built into the firmware (hosts/moddable/certs/ on a real build): name -> Buffer. */
  resources: {},
  /** Time.set() calls, and the time servers SNTP was asked. */
  clockSet: [],
  sntpAsked: [],
  /** Bytes a socket takes before it must report "sent" (message 3): small, so writes are split. */
  room: 16,
  /** Unplugs every board: no timer, socket or WiFi callback fires any more. */
  powerOff() {
    for (const t of fake.timers) clearTimeout(t);
    fake.timers.clear();
    for (const s of fake.sockets) s.unplug();
    fake.sockets.clear();
    for (const w of fake.monitors) w.open = false;
    fake.monitors.clear();
    fake.lines.length = 0;
  },
};

const Timer = {
  set(callback, interval = 0) {
    const t = setTimeout(() => {
      fake.timers.delete(t);
      callback(t);
    }, interval);
    fake.timers.add(t);
    return t;
  },
  clear(t) {
    if (t) {
      clearTimeout(t);
      fake.timers.delete(t);
    }
  },
};

const realNow = Date.now;
const Time = {
  get ticks() {
    return Math.floor(performance.now()) % 2 ** 32;
  },
  /** As the SDK's: sets the time of day, in seconds. */
  set(seconds) {
    fake.clockSet.push(seconds);
    Date.now = realNow;
  },
};

/** What the SDK's Socket and SecureSocket share over a Node stream: `callback` (1 connected, 2 data
 *  to read, -1 closed, -2 error), read() a chunk at a time, unplug(). */
class StreamSocket {
  _s;
  _chunks = [];
  _closed = false;
  constructor() {
    this.callback = undefined;
    fake.sockets.add(this);
  }
  /** Listens to the stream `s`: callback 1 at its event `connected`; `split` cuts what it receives
   *  into the chunks a callback 2 announces each. */
  _attach(s, connected, split = (b) => [b]) {
    this._s = s;
    let errored = false;
    s.on(connected, () => this._fire(1));
    s.on('data', (b) => {
      for (const c of split(b)) {
        this._chunks.push(c);
        this._fire(2, c.length);
      }
    });
    s.on('error', () => {
      errored = true;
      this._fire(-2);
    });
    s.on('close', () => {
      if (!errored) this._fire(-1);
    });
  }
  _fire(message, value) {
    if (!this._closed && this.callback) this.callback(message, value);
  }
  read(type) {
    if (type !== ArrayBuffer) throw new Error('the fake reads ArrayBuffer only');
    const b = this._chunks.shift();
    if (!b) throw new Error('nothing to read');
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
  }
  unplug() {
    this._closed = true;
    this._s.destroy();
  }
}

class Socket extends StreamSocket {
  #room = fake.room;
  constructor(dictionary) {
    if (!dictionary.host) throw new Error('host required in dictionary'); // as the lin socket
    if (dictionary.address) throw new Error('the fake takes host, as every platform does');
    super();
    this._attach(tcpConnect({ host: dictionary.host, port: dictionary.port }), 'connect');
  }
  write(...data) {
    if (this._closed) throw new Error('write on closed socket');
    if (!data.length) return this.#room;
    let n = 0;
    for (const d of data) {
      if (!(d instanceof ArrayBuffer)) throw new Error('the fake writes ArrayBuffer only (what every SDK version takes)');
      n += d.byteLength;
    }
    if (n > this.#room) throw new Error("can't write all data");
    this.#room -= n;
    for (const d of data) this._s.write(Buffer.from(d));
    setImmediate(() => {
      this.#room = fake.room;
      this._fire(3, fake.room);
    });
  }
  close() {
    if (this._closed) throw new Error('close on closed socket'); // as the lin socket
    this._closed = true;
    this._s.destroy();
    fake.sockets.delete(this);
  }
}

const Net = {
  get(what) {
    return { MAC: 'A4:D1:8C:DB:C0:20', IP: '10.0.0.42', SSID: 'classroom' }[what];
  },
  resolve(name, callback) {
    if (name.endsWith('.invalid')) return void setImmediate(() => callback(name, undefined));
    lookup(name, { family: 4 }, (err, address) => callback(name, err ? undefined : address));
  },
};

class WiFi {
  static mode = 0;
  constructor(dictionary, onNotify) {
    fake.wifiJoins.push({ ...dictionary, mode: WiFi.mode });
    this.open = true;
    fake.monitors.add(this);
    const ok = dictionary.ssid === 'classroom' && dictionary.password === 'secret';
    Timer.set(() => this.#notify(onNotify, 'connect'), 5);
    Timer.set(() => (ok ? this.#notify(onNotify, 'gotIP') : this.#notify(onNotify, 'disconnect', -1)), 10);
  }
  // As the SDK's: the callback is called as the monitor's method (its `callback` property on the boards).
  #notify(onNotify, message, code) {
    if (this.open) onNotify.call(this, message, code);
  }
  close() {
    this.open = false;
    fake.monitors.delete(this);
  }
  static disconnect() {
    fake.wifiDisconnects++;
  }
  static connect() {}
}

const restart = () => {
  fake.restarts++;
  return fake.restartReturns;
};

const config = new Proxy(
  {},
  {
    ownKeys: () => Reflect.ownKeys(fake.config),
    getOwnPropertyDescriptor: (_, k) => {
      const d = Reflect.getOwnPropertyDescriptor(fake.config, k);
      return d && { ...d, configurable: true };
    },
    get: (_, k) => fake.config[k],
  },
);

/** SecureSocket over node:tls, as the SDK's: callback 1 once the handshake is done, data in
 *  chunks of at most 1024 bytes, write() takes 1024 at most; the chain is checked against
 *  `secure.certificate` and its dates, never the host name (modules/crypt/ssl does not check it). */
class SecureSocket extends StreamSocket {
  constructor(dictionary) {
    if (!dictionary.host) throw new Error('host required in dictionary');
    const ca = caOf(dictionary.secure);
    super();
    // The TCP socket inside, whose callback the SDK's SecureSocket sets (the host watches it).
    this.sock = { callback: () => {} };
    const s = tlsConnect({ host: dictionary.host, port: dictionary.port, ca, checkServerIdentity: () => undefined });
    s.on('connect', () => {
      if (!this._closed) this.sock.callback(1);
    });
    const split = (b) => Array.from({ length: Math.ceil(b.length / 1024) }, (_, i) => b.subarray(i * 1024, (i + 1) * 1024));
    this._attach(s, 'secureConnect', split);
  }
  write(...data) {
    if (!data.length) return 1024;
    const n = data.reduce((sum, d) => sum + d.byteLength, 0);
    if (n > 1024) throw new Error("can't write all data");
    for (const d of data) this._s.write(Buffer.from(d));
    setImmediate(() => this._fire(3, 1024 - 128));
  }
  close() {
    this._closed = true;
    this._s.destroy();
    fake.sockets.delete(this);
  }
}

/** The CA of a `secure` dictionary as PEM for node:tls, refused out of its dates as the SDK's register() does. */
function caOf(secure) {
  const der = secure?.certificate?.bytes;
  if (!der) return undefined;
  const x509 = new X509Certificate(der);
  const now = Date.now();
  if (!(Date.parse(x509.validFrom) < now && now < Date.parse(x509.validTo))) throw new Error('date validation failed');
  return x509.toString();
}

/** The SDK's websocket Client (callbacks 1 connect, 2 handshake, 3 receive, 4 disconnect), here over
 *  the Node host's own WebSocket client; with Socket: SecureSocket it is wss://. */
class WebSocketClient {
  #conn;
  #closed = false;
  constructor(dictionary) {
    if (dictionary.protocol !== 'mqtt') throw new Error('the fake wants the subprotocol mqtt');
    const secure = dictionary.Socket === SecureSocket;
    let ca;
    if (secure) {
      const pem = caOf(dictionary.secure);
      if (pem) writeFileSync((ca = join(tmp, `ca-${process.pid}.pem`)), pem);
    }
    this.callback = undefined;
    fake.sockets.add(this);
    this.#conn = nodeWs.connectWs(
      { host: dictionary.host, port: dictionary.port, transport: secure ? 'wss' : 'ws', path: dictionary.path ?? '/', ca, insecure: true },
      {
        connected: () => {
          this.#fire(1);
          this.#fire(2);
        },
        data: (bytes) => this.#fire(3, bytes.slice().buffer),
        closed: () => this.#fire(4),
      },
    );
  }
  #fire(message, value) {
    if (!this.#closed && this.callback) this.callback(message, value);
  }
  write(message) {
    if (!(message instanceof ArrayBuffer)) throw new Error('the fake writes binary messages only');
    if (message.byteLength >= 65536) throw new Error('message too long');
    this.#conn.write(new Uint8Array(message));
  }
  close() {
    this.#closed = true;
    this.#conn.close();
    fake.sockets.delete(this);
  }
  unplug() {
    this.#closed = true;
    this.#conn.close();
  }
}

class Resource {
  constructor(path) {
    const b = fake.resources[path];
    if (!b) throw new Error(`resource not found: ${path}`);
    this.bytes = b;
  }
  static exists(path) {
    return Object.hasOwn(fake.resources, path);
  }
  get byteLength() {
    return this.bytes.length;
  }
  slice(begin, end) {
    return this.bytes.buffer.slice(this.bytes.byteOffset + begin, this.bytes.byteOffset + Math.min(end ?? this.bytes.length, this.bytes.length));
  }
}

/** SNTP: answers after a moment with the time of day, or fails for a name ending in .invalid. */
class SNTP {
  #t;
  constructor({ host }, callback) {
    fake.sntpAsked.push(host);
    this.#t = setTimeout(() => (host.endsWith('.invalid') ? callback(-1, `cannot resolve ${host}`) : callback(1, Math.floor(realNow() / 1000))), 5);
  }
  close() {
    clearTimeout(this.#t);
  }
}

let nodeWs; // dist/index.js, once built

const FAKES = {
  timer: 'export default globalThis.__fakeModdable.Timer;',
  time: 'export default globalThis.__fakeModdable.Time;',
  socket:
    'export const Socket = globalThis.__fakeModdable.Socket; export const Listener = globalThis.__fakeModdable.Listener; export default { Socket, Listener };',
  net: 'export default globalThis.__fakeModdable.Net;',
  wifi: 'export default globalThis.__fakeModdable.WiFi;',
  'mc/config': 'export default globalThis.__fakeModdable.config;',
  'mqtt-pair/chip':
    'export const restart = globalThis.__fakeModdable.restart; export const serialLine = () => false; export const seedRandom = () => {};' +
    ' export const openSerial = () => null; export const pressedBootButton = () => -1; export const chipFamily = () => "ESP32"; export const hasPreferences = () => true;' +
    ' export const writeLed = () => false;',
  // Metering, as on a build without a meter: start() says no, a call runs the function as is.
  'mqtt-pair/meter':
    'export const start = () => false; export const stop = () => {}; export const tick = () => {}; export const peak = () => 0;' +
    ' export const call = (fn) => { fn(); return true; };',
  // Run-time setup: a board's Preference, empty (nothing stored: the build's config runs); setup
  // mode's servers are never opened by these tests.
  modules: 'export default { importNow: () => globalThis.__fakeModdable.Preference };',
  preference: 'export default globalThis.__fakeModdable.Preference;',
  http: 'export class Server { constructor() { throw new Error("no HTTP server in this fake"); } }',
  'dns/server': 'export default class DnsServer { constructor() { throw new Error("no DNS server in this fake"); } }',
  securesocket: 'export default globalThis.__fakeModdable.SecureSocket;',
  websocket: 'export const Client = globalThis.__fakeModdable.WebSocketClient; export default { Client };',
  Resource: 'export default globalThis.__fakeModdable.Resource;',
  sntp: 'export default globalThis.__fakeModdable.SNTP;',
};

let firmware; // the bundle's file, with the fakes' imports
let tmp;
let boots = 0;
/** Imports the firmware anew, as mcconfig builds it anew for each config: its top level reads mc/config. */
async function loadFirmware() {
  if (!firmware) {
    nodeWs = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
    const Preference = { get: () => undefined, set() {}, delete() {}, keys: () => [] };
    // The setup page's listener: these boards never open setup mode, so one that is made is a failure.
    class Listener {
      constructor() {
        throw new Error('a Listener was made: setup mode opened on a board that has its settings');
      }
    }
    globalThis.__fakeModdable = { Timer, Time, Socket, Listener, Net, WiFi, config, restart, SecureSocket, WebSocketClient, Resource, SNTP, Preference };
    globalThis.trace = (s) => {
      for (const line of String(s).split('\n')) if (line) fake.lines.push(line);
    };
    let code = readFileSync(BUNDLE, 'utf8');
    for (const s of importsOf(code)) {
      assert.ok(FAKES[s], `a fake for "${s}"`);
      const url = `data:text/javascript,${encodeURIComponent(FAKES[s])}`;
      code = code.replaceAll(`"${s}"`, JSON.stringify(url));
    }
    tmp = mkdtempSync(join(tmpdir(), 'mqtt-pair-moddable-'));
    firmware = join(tmp, 'main.mjs');
    writeFileSync(firmware, code);
  }
  return import(`${pathToFileURL(firmware).href}?build=${++boots}`);
}
after(() => {
  fake.powerOff();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Runs the firmware's main() with `cfg` as mc/config (values as strings, as mcconfig gives them). */
async function boot(cfg) {
  fake.config = Object.fromEntries(Object.entries(cfg).map(([k, v]) => [k, typeof v === 'boolean' ? v : String(v)]));
  const { default: main } = await loadFirmware();
  main();
}

function waitForLine(re, ms = LIMIT, from = 0) {
  return lineIn(fake.lines, re, { ms, after: from });
}

function deadPort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

const quick = { interval: 50, backoffMin: 100, backoffMax: 200, keepalive: 60, ssid: 'classroom', password: 'secret' };

test("the bundle's default export is the firmware's main function", async () => {
  const mod = await loadFirmware();
  assert.equal(typeof mod.default, 'function');
});

test("through lwip's socket (16 bytes of room a write, every packet split) the pair joins WiFi, connects and exchanges hello/received", async (t) => {
  const broker = await startAedes();
  t.after(async () => {
    fake.powerOff();
    await broker.stop();
  });
  const ids = [];
  broker.broker.on('client', (c) => ids.push(c.id));
  const board = { ...quick, broker: `localhost:${broker.port}` };

  await boot({ ...board, role: 'responder' }); // clientId from the MAC
  await waitForLine(new RegExp(`^Connected to localhost:${broker.port} MQTT broker, subscribed to hello topic$`));
  await boot({ ...board, role: 'hello', clientId: 'esp1' });
  await waitForLine(new RegExp(`^Connected to localhost:${broker.port} MQTT broker, subscribed to notification topic$`));
  await waitForLine(/^Received hello: Hello #0$/);
  await waitForLine(/^Received notification: received$/);
  await waitForLine(/^ESP received hello message$/);

  assert.ok(fake.lines.includes('Joining WiFi "classroom"...'));
  assert.ok(fake.lines.includes('Connection successful'));
  assert.ok(fake.lines.includes('IP address 10.0.0.42'));
  assert.deepEqual(fake.wifiJoins[0], { ssid: 'classroom', password: 'secret', mode: 1 }, 'station mode, the configured network');
  assert.ok(ids.includes('a4d18cdbc020'), `the default client id is the MAC without colons (got ${ids})`);
  assert.ok(ids.includes('esp1'));
  assert.ok(!fake.lines.some((l) => /Internal error|Failed|Lost/.test(l)), fake.lines.join('\n'));
});

test('a wrong WiFi password is said and the join is retried', async (t) => {
  t.after(() => fake.powerOff());
  const joins = fake.wifiJoins.length;
  await boot({ ...quick, password: 'wrong', broker: '127.0.0.1', role: 'hello', wifiRetry: 50, wifiTimeout: 1000 });
  await waitForLine(/^WiFi: "classroom" refused the password$/);
  await waitForLine(/^WiFi: could not join "classroom"/);
  await waitForLine(
    /^Joining WiFi "classroom"\.\.\.$/,
    LIMIT,
    fake.lines.findIndex((l) => l.startsWith('WiFi: could not join')),
  );
  assert.ok(fake.wifiJoins.length - joins >= 2, 'joined again');
  assert.ok(fake.wifiDisconnects >= 1, 'left the failed attempt');
});

test('on a board the restart budget resets the chip and nothing else runs', async (t) => {
  t.after(() => {
    fake.restartReturns = false;
    fake.powerOff();
  });
  const port = await deadPort();
  const restarts = fake.restarts;
  fake.restartReturns = true;
  await boot({ ...quick, broker: `127.0.0.1:${port}`, role: 'responder', restartAfter: 1 });
  await waitForLine(/1 failures in a row: restarting the board\.\.\.$/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(fake.restarts - restarts, 1);
  assert.ok(!fake.lines.some((l) => l.startsWith('This platform cannot reset itself')));
  assert.equal(fake.timers.size, 0, 'no timer left running');
});

// ---- TLS (SecureSocket) and WebSocket (the SDK's websocket Client) on the fake runtime

/** One Mosquitto with a TLS, a WebSocket and a WebSocket-over-TLS listener, and its certificates, for the tests below. */
let secureBroker;
async function startSecureBroker() {
  if (secureBroker) return secureBroker;
  const certs = makeCertificates();
  const tls = { certfile: certs.server.cert, keyfile: certs.server.key };
  const broker = await startMosquitto({ listeners: [tls, { protocol: 'websockets' }, { protocol: 'websockets', ...tls }] });
  const [mqtts, ws, wss] = broker.ports;
  secureBroker = { certs, broker, mqtts, ws, wss };
  return secureBroker;
}
after(async () => {
  if (secureBroker) {
    await secureBroker.broker.stop();
    secureBroker.certs.remove();
  }
});

test('TLS on a board whose clock was never set: the date comes from the time server first, or the reason is said', { skip: opensslSkip() }, async (t) => {
  if (!needMosquitto(t)) return;
  t.after(() => {
    Date.now = realNow;
    fake.resources = {};
    fake.powerOff();
  });
  const { certs, mqtts } = await startSecureBroker();
  fake.resources = { 'ca.der': readFileSync(certs.caDer) };
  fake.sntpAsked.length = 0;
  fake.clockSet.length = 0;
  Date.now = () => 5000; // power-up: 1970
  await boot({ ...quick, broker: `mqtts://127.0.0.1:${mqtts}`, ca: 'ca.der', role: 'responder', sntp: 'time.lan' });
  await waitForLine(/^Getting the date from time\.lan \(TLS checks the dates of certificates\)\.\.\.$/);
  await waitForLine(/^Connected to mqtts:\/\/127\.0\.0\.1:\d+ MQTT broker/);
  assert.deepEqual(fake.sntpAsked, ['time.lan']);
  assert.equal(fake.clockSet.length, 1);
  assert.ok(Math.abs(fake.clockSet[0] * 1000 - realNow()) < 60_000, "the clock was set to the time server's time");
  fake.powerOff();

  Date.now = () => 5000;
  await boot({ ...quick, broker: `mqtts://127.0.0.1:${mqtts}`, ca: 'ca.der', role: 'hello', sntp: 'no-time.invalid' });
  await waitForLine(
    /^Failed to connect to MQTT broker: TLS needs the date to check the broker's certificate, and the time server "no-time\.invalid" did not answer \(cannot resolve no-time\.invalid\): set sntp= to one the board can reach\. Reconnecting in/,
  );
});
