// The role registry (src/apps/registry.ts): the examples the students' page shows for the built-in
// roles are their programs, src/apps/builtin/*.js, the same text, and the modules the build makes
// of them for the board (tools/programs/role-module.mjs: its functions at the module's top level,
// preloaded in flash) make the calls the text makes as a student's program, call for call, on the
// same API. (That the board's ESP#1 and ESP#2 and the same programs sent as students' programs say
// and send the same over Mosquitto in XS: test/xs/xs-registry.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { EXAMPLES, REGISTRY, roles } from '../../dist/testing.js';
import { ROLES } from '../../dist/index.js';
import { API, roleModule } from '../../tools/programs/role-module.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fileOf = (key) => join(root, 'src', 'apps', 'builtin', `${key}.js`);

/** The board's module of a built-in program (`form`: 'module' as the firmware's, 'factory' as the
 *  simulator's), on an API module that hands over `globalThis.__api`'s calls. */
async function boardModule(key, form) {
  const dir = mkdtempSync(join(tmpdir(), 'role-module-'));
  try {
    writeFileSync(join(dir, 'api.mjs'), API.map((k) => `export const ${k} = globalThis.__api.${k};`).join('\n'));
    writeFileSync(join(dir, `${key}.mjs`), roleModule(ts, fileOf(key), readFileSync(fileOf(key), 'utf8'), './api.mjs', form));
    return (await import(pathToFileURL(join(dir, `${key}.mjs`)).href)).default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The recorder's API the board's modules call now: their imports forward to it. */
let current;
globalThis.__api = {
  mqtt: new Proxy(
    {},
    {
      get:
        (_, k) =>
        (...args) =>
          current.mqtt[k](...args),
    },
  ),
  board: new Proxy({}, { get: (_, k) => current.board[k] }),
  every: (...args) => current.every(...args),
  after: (...args) => current.after(...args),
  cancel: (...args) => current.cancel(...args),
  print: (...args) => current.print(...args),
};
/** A program run by a board's module, on `api`. */
const viaModule = (start) => (api) => {
  current = api;
  start();
};
const builtins = REGISTRY.filter((r) => EXAMPLES.find((e) => e.id === r.key)?.builtin);

test('the registry lists every role once, in config order, each with its topics and its French and English name', () => {
  assert.deepEqual(
    REGISTRY.map((r) => r.key),
    ROLES,
  );
  assert.deepEqual(Object.keys(roles), ROLES);
  assert.deepEqual(
    builtins.map((r) => r.key),
    ROLES,
    'every role is written as a program',
  );
  for (const r of REGISTRY) {
    assert.ok(r.label.fr && r.label.en, r.key);
    assert.ok(r.publishes.length + r.subscribes.length > 0, r.key);
  }
  assert.deepEqual([REGISTRY[0].publishes, REGISTRY[0].subscribes], [['hello'], ['notification']]);
  assert.deepEqual([REGISTRY[1].publishes, REGISTRY[1].subscribes], [['notification'], ['hello']]);
  // A last will is the registry's, its topic under the board's prefix: the sensor's alone.
  assert.deepEqual(
    REGISTRY.filter((r) => r.will).map((r) => [r.key, r.will]),
    [['sensor', { topic: 'myRasp/sensors/status', payload: 'offline', qos: 1, retain: true }]],
  );
  assert.deepEqual(roles.sensor.will({ topicPrefix: 'p/' }), { topic: 'p/myRasp/sensors/status', payload: 'offline', qos: 1, retain: true });
  assert.equal(roles.hello.will, undefined);
});

test('each built-in role’s example is its program, src/apps/builtin/<role>.js, the same text, in plain JavaScript', () => {
  assert.deepEqual(
    EXAMPLES.map((e) => e.id),
    ROLES,
    'one example a role, in the registry’s order',
  );
  for (const r of builtins) {
    const example = EXAMPLES.find((e) => e.id === r.key);
    assert.equal(example.builtin, true);
    assert.equal(example.code, readFileSync(fileOf(r.key), 'utf8'), `${r.key}: the page shows the program's text`);
    assert.deepEqual(example.title, r.label);
    // Plain JavaScript, as a student types it: no type annotation survives in it.
    assert.doesNotThrow(() => new Function(...API, example.code), `${r.key} parses as JavaScript`);
  }
  for (const e of EXAMPLES.filter((x) => !x.builtin)) assert.doesNotThrow(() => new Function(...API, e.code), `${e.id} parses`);
});

/** A scripted API that writes down every call, and lets the test fire timers, messages, events. */
function recorder(interval, reading = { temperature: 20.04, pressure: 1013.26 }, buttons = false) {
  const calls = [];
  const subs = new Map();
  const timers = new Set();
  const on = { connected: [], disconnected: [], button: [] };
  let n = 0;
  const api = {
    mqtt: {
      subscribe: (topic, fn) => {
        calls.push(['subscribe', topic]);
        subs.set(topic, fn);
      },
      unsubscribe: (topic) => calls.push(['unsubscribe', topic]),
      publish: (topic, message, options) => calls.push(['publish', topic, message, options]),
    },
    every: (ms, fn) => {
      const t = { id: n++, ms, fn };
      timers.add(t);
      calls.push(['every', t.id, ms]);
      return t;
    },
    after: (ms, fn) => {
      const t = { id: n++, ms, fn, once: true };
      timers.add(t);
      calls.push(['after', t.id, ms]);
      return t;
    },
    cancel: (t) => {
      calls.push(['cancel', t?.id]);
      timers.delete(t);
    },
    print: (...values) => calls.push(['print', values.join(' ')]),
    board: {
      name: 'Esp',
      prefix: 'p/',
      interval,
      peer: 'Alice',
      led: () => {},
      button: () => false,
      colour: (name) => calls.push(['colour', name]),
      sensor: () => reading,
      buttons,
      on: (e, fn) => on[e].push(fn),
    },
  };
  return {
    api,
    calls,
    tick: () => {
      for (const t of [...timers]) t.fn();
    },
    message: (topic, text) => subs.get(topic)?.(topic, text),
    event: (e, ...args) => {
      for (const fn of on[e]) fn(...args);
    },
  };
}

test('the board’s modules of each built-in program (the firmware’s and the simulator’s) make the calls its text makes as a student’s program: connect, ticks, answers, a lost connection', async () => {
  for (const r of builtins) {
    const code = EXAMPLES.find((e) => e.id === r.key).code;
    const asProgram = (api) => new Function(...API, `"use strict";${code}`)(...API.map((k) => api[k]));
    const forms = [asProgram, viaModule(await boardModule(r.key, 'module')), viaModule(await boardModule(r.key, 'factory'))];
    const runs = forms.map((run) => {
      const rec = recorder(2000);
      run(rec.api);
      rec.tick(); // not connected yet: nothing goes
      rec.event('connected');
      rec.tick();
      rec.message('notification', 'received');
      rec.message('hello', 'Hello #0');
      rec.message('alice', 'bonjour');
      rec.message('alice', 'echo: bonjour');
      rec.message('remote/command', ' UP ');
      rec.message('remote/command', 'magenta');
      rec.message('remote/command', 'purple');
      rec.event('disconnected');
      rec.tick();
      rec.event('connected');
      rec.tick();
      rec.event('disconnected');
      rec.event('connected'); // back within the same tick: no second hello at once
      return rec.calls;
    });
    assert.deepEqual(runs[1], runs[0], `${r.key}: the firmware's module`);
    assert.deepEqual(runs[2], runs[0], `${r.key}: the simulator's module`);
    assert.ok(runs[0].length > 2, r.key);
  }
  // What ESP#1 does, spelled out: Hello #0 once connected, one a tick, none while disconnected.
  const rec = recorder(2000);
  viaModule(await boardModule('hello', 'module'))(rec.api);
  rec.tick();
  rec.event('connected');
  rec.tick();
  rec.event('disconnected');
  rec.tick();
  rec.event('connected');
  rec.message('notification', 'received');
  const said = rec.calls.filter(([c]) => c === 'publish' || c === 'print').map((c) => c.slice(1, 3).join(' '));
  assert.deepEqual(said, ['hello Hello #0', 'hello Hello #1', 'hello Hello #2', 'Received p/notification: received', 'ESP received hello message']);
  assert.deepEqual(
    rec.calls.filter(([c]) => c === 'every').map((c) => c[2]),
    [2000, 2000, 2000],
    'board.interval sets the pace',
  );
  // The chat: on its peer's topic, in lower case; each line echoed on its own name's, QoS 1; an echo never.
  const chat = recorder(2000);
  viaModule(await boardModule('chat', 'module'))(chat.api);
  chat.message('alice', 'bonjour');
  chat.message('alice', 'echo: bonjour');
  chat.message('alice', '');
  assert.deepEqual(chat.calls, [
    ['subscribe', 'alice'],
    ['print', 'Received p/alice: bonjour'],
    ['publish', 'esp', 'echo: bonjour', { qos: 1 }],
    ['print', 'Received p/alice: echo: bonjour'],
    ['print', 'Received p/alice: '],
  ]);
  // The sensor: « online » at each connection, then its readings, retained, one a tick while connected.
  for (const [reading, said] of [
    [{ temperature: 22.46, pressure: 1001.04 }, []],
    [null, ['No sensor on this board: publishing simulated values (20 to 21 °C, about 1013 hPa)']],
  ]) {
    const sensor = recorder(500, reading);
    viaModule(await boardModule('sensor', 'module'))(sensor.api);
    sensor.tick(); // not connected: nothing
    sensor.event('connected');
    sensor.tick();
    const out = sensor.calls.filter(([c]) => c === 'print' || c === 'publish').map((c) => c.slice(1));
    if (reading)
      assert.deepEqual(
        out,
        [
          'Publishing every 0.5 s on p/myRasp/sensors/temperature and p/myRasp/sensors/pression, status on p/myRasp/sensors/status',
          ['myRasp/sensors/status', 'online', { qos: 1, retain: true }],
          ['myRasp/sensors/temperature', '22.5', { retain: true }],
          ['myRasp/sensors/pression', '1001.0', { retain: true }],
          ['Published temperature 22.5 °C, pressure 1001.0 hPa'],
          ['myRasp/sensors/temperature', '22.5', { retain: true }],
          ['myRasp/sensors/pression', '1001.0', { retain: true }],
          ['Published temperature 22.5 °C, pressure 1001.0 hPa'],
        ].map((x) => (typeof x === 'string' ? [x] : x)),
      );
    else {
      assert.deepEqual(out.slice(0, 1), [said]);
      for (const [topic, value] of out.filter((c) => c.length === 3 && c[0] !== 'myRasp/sensors/status'))
        assert.match(value, topic.endsWith('temperature') ? /^2[01]\.\d$/ : /^101[23]\.\d$/);
    }
  }
  // The remote without buttons: up, right, down, left, one a tick while connected, at QoS 1.
  const demo = recorder(500);
  viaModule(await boardModule('remote', 'module'))(demo.api);
  demo.tick(); // not connected: nothing
  demo.event('connected');
  for (let i = 0; i < 5; i++) demo.tick();
  assert.deepEqual(
    demo.calls.filter(([c]) => c === 'print' || c === 'publish').map((c) => c.slice(1)),
    [
      ['No buttons on this board: sending up, right, down, left in turn every 0.5 s'],
      ...['up', 'right', 'down', 'left', 'up'].flatMap((c) => [[`Sent ${c} on p/remote/command`], ['remote/command', c, { qos: 1 }]]),
    ],
  );
  // With buttons: each press, its command; a press while not connected is queued; nonsense is said.
  const pressed = recorder(500, undefined, true);
  viaModule(await boardModule('remote', 'module'))(pressed.api);
  pressed.event('button', 'up');
  pressed.event('connected');
  for (const c of [' Red ', 'nonsense', '']) pressed.event('button', c);
  pressed.tick();
  assert.deepEqual(
    pressed.calls.filter(([c]) => c === 'print' || c === 'publish').map((c) => c.slice(1)),
    [
      ['Queued up on p/remote/command (waiting for the broker)'],
      ['remote/command', 'up', { qos: 1 }],
      ['Sent red on p/remote/command'],
      ['remote/command', 'red', { qos: 1 }],
      ['"nonsense" is not a command: use up, down, left, right or a colour (red, green, blue, yellow, cyan, magenta, white, off)'],
    ],
  );
  // The actuator: off at first; an arrow's colour, a colour by name; what is not a command is said.
  const act = recorder(2000);
  viaModule(await boardModule('actuator', 'module'))(act.api);
  for (const c of [' UP ', 'Red', 'purple', 'constructor']) act.message('remote/command', c);
  assert.deepEqual(
    act.calls.filter((c) => c[0] !== 'print' || !c[1].startsWith('Received ')),
    [
      ['colour', 'off'],
      ['subscribe', 'remote/command'],
      ['print', 'Colour: green (up)'],
      ['colour', 'green'],
      ['print', 'Colour: red'],
      ['colour', 'red'],
      ['print', 'Unknown command "purple": use up, down, left, right or a colour (red, green, blue, yellow, cyan, magenta, white, off)'],
      ['print', 'Unknown command "constructor": use up, down, left, right or a colour (red, green, blue, yellow, cyan, magenta, white, off)'],
    ],
  );
});

test('a program the firmware cannot preload is refused by the build with its line', () => {
  const bad = (text) => () => roleModule(ts, 'x.js', text, './api.mjs');
  assert.throws(bad("import x from 'y';\n"), /x\.js:1: a program has no import or export/);
  assert.throws(bad('let a = 1;\nconst { b } = a;\n'), /x\.js:2: a top-level declaration names one variable/);
  assert.throws(bad('function print() {}\n'), /x\.js:1: "print" is the program API's/);
  assert.throws(bad('let a = ;\n'), /x\.js:1: Expression expected/);
});
