// A student's program (src/program/) in the real XS engine (xsnap): its API, the sandbox tried
// from inside, errors with their line, a runaway stopped by XS's meter, and the tutorial's ESP#1
// and ESP#2 typed as programs, pairing through Mosquitto. Only 127.0.0.1 is touched.
//
// Without the xsnap binary these tests skip with the reason, except under CI, where they fail.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { nodeHost, nodeProgramRunner, startBoard, startProgramBoard } from '../../dist/index.js';
import { measureHeap, startXsProgramBoard } from '../../hosts/xsnap/runner.mjs';
import { startMosquitto, mosquittoSkip, mosquittoAvailable } from '../helpers/mosquitto.mjs';
import { assertXs, xsSkip } from '../helpers/xs.mjs';
import { lineIn } from '../helpers/wait.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

const fast = { interval: 100, backoffMin: 100, backoffMax: 300, restartAfter: 0 };

/** A program board in XS; `broker` defaults to a port where nothing listens (the board keeps retrying). */
async function xsProgram(program, config = {}, more = {}) {
  const broker = config.broker ?? `127.0.0.1:${await freePort()}`;
  const b = await startXsProgramBoard({ config: { ...fast, role: 'hello', ...config, broker }, program, deviceId: 'xsprogram', ...more });
  cleanups.push(() => b.stop());
  return b;
}

/** ECMAScript's own global names: the program may see these and the API, nothing else. */
const standard =
  'AggregateError,Array,ArrayBuffer,BigInt,BigInt64Array,BigUint64Array,Boolean,DataView,Date,Error,EvalError,FinalizationRegistry,Float32Array,Float64Array,Function,Infinity,Int16Array,Int32Array,Int8Array,JSON,Map,Math,NaN,Number,Object,Promise,Proxy,RangeError,ReferenceError,Reflect,RegExp,Set,String,Symbol,SyntaxError,TypeError,URIError,Uint16Array,Uint32Array,Uint8Array,Uint8ClampedArray,WeakMap,WeakRef,WeakSet,decodeURI,decodeURIComponent,encodeURI,encodeURIComponent,escape,eval,globalThis,isFinite,isNaN,parseFloat,parseInt,unescape'.split(
    ',',
  );

// Each try prints `T name: result`; the program ends with `T done`.
const TRIES = `
const t = (name, f) => {
  let r;
  try { r = 'gave ' + String(f()); } catch (e) { r = 'threw ' + (e && e.name) + ' ' + (e && e.message); }
  print('T ' + name + ': ' + r);
};
t('own globals', () => {
  const names = Object.getOwnPropertyNames(globalThis).filter((n) => globalThis[n] !== undefined);
  return names.length + ' ' + names.filter((n) => !STANDARD.includes(n)).sort().join(',');
});
t('host globals', () => 'visible: ' + ['trace', 'global', 'Compartment', 'ModuleSource', 'issueCommand', 'handleCommand', 'harden', 'lockdown', 'gc',
  'performance', 'resetMeter', 'currentMeterLimit', 'setImmediate', 'TextEncoder', 'TextDecoder', 'Base64', 'require', 'process', 'Preference']
  .filter((n) => typeof globalThis[n] !== 'undefined' || eval('typeof ' + n) !== 'undefined').join(','));
t('function constructor', () => (function () {}).constructor('return typeof issueCommand')());
t('async function constructor', () => Object.getPrototypeOf(async function () {}).constructor('return 1'));
t('generator constructor', () => Object.getPrototypeOf(function* () {}).constructor('yield 1'));
t('async generator constructor', () => Object.getPrototypeOf(async function* () {}).constructor('yield 1'));
t('API function constructor', () => print.constructor('return 1'));
t('Function global', () => Function('return typeof issueCommand + typeof trace + (globalThis === this)').call(globalThis));
t('eval', () => eval('typeof issueCommand + typeof handleCommand'));
t('indirect eval', () => (0, eval)('typeof issueCommand'));
t('Reflect.construct Function', () => Reflect.construct(Function, ['return typeof issueCommand'])());
t('Compartment', () => typeof Compartment + typeof globalThis.Compartment);
t('mutate Object.prototype', () => { Object.prototype.polluted = 1; return ({}).polluted; });
t('mutate Array.prototype.push', () => { Array.prototype.push = () => 0; return [].push === Array.prototype.push; });
t('mutate JSON.parse', () => { JSON.parse = () => 1; return 'changed'; });
t('mutate Function.prototype.call', () => { Function.prototype.call = 1; return 'changed'; });
t('mutate hidden intrinsics', () => {
  const targets = [Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map().entries()), Object.getPrototypeOf(function* () {}).prototype,
    Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype), Object.getPrototypeOf(Uint8Array).prototype, Object.getPrototypeOf('a'.matchAll(/a/g))];
  return targets.map((o) => { try { o.next = 1; return 'changed'; } catch (e) { return e.name; } }).join(',');
});
t('caller and callee', () => [() => (function f() { return f.caller; })(), () => (function () { return arguments.callee; })()]
  .map((f) => { try { f(); return 'gave'; } catch (e) { return e.name; } }).join(','));
t('API frozen', () => [mqtt, mqtt.publish, board, print, every].map(Object.isFrozen).join(','));
t('API prototypes', () => [Object.getPrototypeOf(mqtt) === Object.prototype, Object.getPrototypeOf(mqtt.publish) === Function.prototype, 'prototype' in mqtt.publish].join(','));
t('replace mqtt.publish', () => { mqtt.publish = () => 0; return 'replaced'; });
t('define on board', () => { Object.defineProperty(board, 'secret', { value: 1 }); return 'defined'; });
t('board own properties', () => Object.getOwnPropertyNames(board).join(',') + ' ' + Object.getOwnPropertyNames(mqtt).join(','));
t('timer handle', () => { const h = after(100000, () => 0); cancel(h); return Object.getOwnPropertyNames(h).length + ' ' + Object.isFrozen(h) + ' ' + (Object.getPrototypeOf(h) === Object.prototype); });
t('getter in publish options', () => mqtt.publish('x', 'y', { get qos() { throw new Error('boom'); } }));
t('proxy as publish options', () => mqtt.publish('x', 'y', new Proxy({}, { get() { throw new Error('trap'); } })));
t('print a hostile object', () => print({ toJSON() { throw 1; }, toString() { throw 2; } }, new Proxy({}, { get() { throw 3; }, ownKeys() { throw 4; } })));
t('bad publish topic', () => mqtt.publish('a/+', 'y'));
t('every too fast', () => every(0, () => 0));
t('unknown colour', () => board.colour('constructor'));
t('the board hardware', () => [board.sensor(), board.buttons, board.colour('green'), typeof board.peer].join(','));
t('button without a function', () => board.on('button', 1));
t('unknown event', () => board.on('pressed', () => 0));
t('caught error is ours', () => { try { mqtt.publish(1, 2); } catch (e) { return Object.getPrototypeOf(e) === TypeError.prototype; } });
t('static import', () => 'not reachable here');
t('reachable strings', () => {
  // Everything the program can walk to from its globals: own properties (values, getters) and prototypes.
  const seen = new Set(); const todo = Object.getOwnPropertyNames(globalThis).map((n) => globalThis[n]); const strings = [];
  while (todo.length) {
    const x = todo.pop();
    if (typeof x === 'string') { strings.push(x); continue; }
    if ((typeof x !== 'object' && typeof x !== 'function') || x === null || seen.has(x)) continue;
    seen.add(x); todo.push(Object.getPrototypeOf(x));
    for (const k of Reflect.ownKeys(x)) { const d = Reflect.getOwnPropertyDescriptor(x, k); if (d) todo.push(d.value, d.get, d.set); if (typeof k === 'string') strings.push(k); }
  }
  return seen.size + ' objects, secret ' + strings.some((s) => /s3cr3t|wifipass|mqttuser/.test(s)) + ', broker ' + strings.some((s) => s.includes('127.0.0.1'));
});
import('fs').then(() => print('T dynamic import: resolved'), (e) => print('T dynamic import: rejected ' + e.name));
import('anything');
Promise.reject(new Error('nobody catches me'));
(async () => { throw new Error('async, uncaught'); })();
after(10, () => print('T timers: run after the rejections'));
after(20, () => print('T done'));
`;

describe('a student program in the XS engine (xsnap)', { skip: xsSkip() }, () => {
  test('the sandbox holds: every try from inside the program', async (t) => {
    assertXs();
    const b = await xsProgram(`const STANDARD = ${JSON.stringify(standard)};\n${TRIES}`, {
      broker: 'mqtt://mqttuser:s3cr3t@127.0.0.1:1',
      ssid: 'school',
      password: 'wifipass',
    });
    await lineIn(b.lines, /^T done$/, { what: 'the tries' });
    const tries = Object.fromEntries(
      b.lines.filter((l) => l.startsWith('T ') && l.includes(':')).map((l) => [l.slice(2, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
    );
    for (const [k, v] of Object.entries(tries)) t.diagnostic(`${k}: ${v}`);
    const api = ['after', 'board', 'cancel', 'every', 'mqtt', 'print'];
    assert.equal(tries['own globals'], `gave ${standard.length + api.length} ${api.join(',')}`);
    assert.equal(tries['host globals'], 'gave visible: ');
    for (const k of [
      'function constructor',
      'async function constructor',
      'generator constructor',
      'async generator constructor',
      'API function constructor',
    ]) {
      assert.match(tries[k], /^threw TypeError/, k);
    }
    assert.equal(tries['Function global'], 'gave undefinedundefinedtrue');
    assert.equal(tries.eval, 'gave undefinedundefined');
    assert.equal(tries['indirect eval'], 'gave undefined');
    assert.equal(tries['Reflect.construct Function'], 'gave undefined');
    assert.equal(tries.Compartment, 'gave undefinedundefined');
    for (const k of [
      'mutate Object.prototype',
      'mutate Array.prototype.push',
      'mutate JSON.parse',
      'mutate Function.prototype.call',
      'replace mqtt.publish',
      'define on board',
    ]) {
      assert.match(tries[k], /^threw TypeError/, k);
    }
    assert.equal(tries['mutate hidden intrinsics'], 'gave TypeError,TypeError,TypeError,TypeError,TypeError,TypeError');
    assert.equal(tries['caller and callee'], 'gave TypeError,TypeError');
    assert.equal(tries['API frozen'], 'gave true,true,true,true,true');
    assert.equal(tries['API prototypes'], 'gave true,true,false');
    assert.equal(tries['board own properties'], 'gave name,prefix,interval,peer,led,button,buttons,colour,sensor,on subscribe,unsubscribe,publish');
    assert.equal(tries['timer handle'], 'gave 0 true true');
    assert.equal(tries['getter in publish options'], 'threw Error boom');
    assert.equal(tries['proxy as publish options'], 'threw Error trap');
    assert.equal(tries['print a hostile object'], 'gave undefined');
    assert.ok(b.lines.includes('<?> <?>'), 'print shows what it cannot read as <?>');
    assert.match(tries['bad publish topic'], /^threw TypeError mqtt\.publish: cannot publish to "a\/\+"/);
    assert.match(tries['every too fast'], /^threw RangeError every: at least 10 ms/);
    assert.match(tries['unknown colour'], /^threw TypeError board\.colour: the colour is one of red, green, blue/);
    assert.equal(tries['the board hardware'], 'gave ,false,,string', 'no sensor (null), no buttons, a colour shown');
    assert.match(tries['button without a function'], /^threw TypeError board\.on: the second argument must be a function/);
    assert.match(tries['unknown event'], /^threw TypeError board\.on: the event is 'connected', 'disconnected' or 'button'/);
    assert.equal(tries['caught error is ours'], 'gave true');
    assert.match(tries['reachable strings'], /objects, secret false, broker false$/);
    assert.equal(tries['dynamic import'], 'rejected TypeError');
    assert.equal(tries.timers, 'run after the rejections');
    const status = await b.status();
    assert.equal(status.started, true, 'the engine still runs after unhandled rejections');
    assert.deepEqual(b.board.errors, []);
    assert.equal(b.stops, 0);
  });

  test('a static import of a host module: reported with its line, the board runs on', async () => {
    assertXs();
    const b = await xsProgram("print('before');\nimport { Socket } from 'socket';\nprint('never');\n");
    await lineIn(b.lines, /^Program error/);
    await lineIn(b.lines, /^MQTT client id/);
    const errors = b.lines.filter((l) => l.startsWith('Program error'));
    assert.deepEqual(errors, [
      "Program error, line 2: SyntaxError: a program cannot import modules ('socket'): it has mqtt, every, after, cancel, print and board",
    ]);
    assert.ok(!b.lines.includes('before'), 'a module that cannot link does not run at all');
    assert.deepEqual(b.board.errors, []);
  });

  test('a syntax error is said once, with its line; the board runs on', async () => {
    assertXs();
    const b = await xsProgram(
      "let count = 0;\nmqtt.subscribe('notification', (topic, message) => {\n  print(message)\n});\nevery(5000, () => { mqtt.publish('hello', 'Hello #' + count) count += 1; });\n",
    );
    const line = await lineIn(b.lines, /^Program error/);
    assert.equal(line, 'Program error, line 5: SyntaxError: missing ;');
    await lineIn(b.lines, /^Failed to connect to MQTT broker/);
    assert.deepEqual(b.board.errors, []);
  });

  test('an exception at run time: its line; a callback that throws every time is said once', async () => {
    assertXs();
    const b = await xsProgram("let n = 0;\nevery(10, () => {\n  n += 1;\n  if (n === 30) print('thirty');\n  null.boom;\n});\n");
    await lineIn(b.lines, /^thirty$/);
    const errors = b.lines.filter((l) => l.startsWith('Program error'));
    assert.deepEqual(errors, ['Program error, line 5: TypeError: cannot coerce null to object']);
    assert.deepEqual(b.board.errors, []);
  });

  test('an async callback that throws: said once, with its line (its rejection handled)', async () => {
    assertXs();
    const b = await xsProgram("let n = 0;\nevery(10, async () => {\n  n += 1;\n  if (n === 30) print('thirty');\n  await null;\n  undefinedFunction();\n});\n");
    await lineIn(b.lines, /^thirty$/);
    assert.deepEqual(
      b.lines.filter((l) => l.startsWith('Program error')),
      ['Program error, line 6: ReferenceError: get undefinedFunction: undefined variable'],
    );
    assert.deepEqual(b.board.errors, []);
  });

  test('an exception that cannot be read is said as such', async () => {
    assertXs();
    const b = await xsProgram(
      "after(10, () => { throw { get name() { throw 1; }, get message() { throw 2; }, get stack() { throw 3; } }; });\nafter(20, () => { throw new Proxy({}, { get() { throw 4; }, getPrototypeOf() { throw 5; } }); });\nafter(30, () => print('still here'));\n",
    );
    await lineIn(b.lines, /^still here$/);
    assert.deepEqual(
      b.lines.filter((l) => l.startsWith('Program error')),
      ['Program error: an exception that cannot be read'],
    );
    assert.deepEqual(b.board.errors, []);
  });

  test('while (true) {}: XS stops it, the board restarts, and after two stops runs without it (safe mode)', async () => {
    assertXs();
    const b = await xsProgram("print('runaway starting');\nafter(10, () => { while (true) {} });\n");
    // The count and the line are the Moddable firmware's (src/setup/program-store.ts).
    await lineIn(
      b.lines,
      /^Safe mode: the program program\.js \(\d+ bytes, hash [0-9a-f]{8}\) was stopped 2 times in a row \(it never gave control back: too much computation\)/,
    );
    assert.equal(
      b.lines.filter((l) => /^Program stopped: it never gave control back: too much computation; restarting the board \([12] of 2\)$/.test(l)).length,
      2,
    );
    await lineIn(b.lines, /^MQTT client id/, { nth: 3 });
    await lineIn(b.lines, /^Failed to connect to MQTT broker/, { after: b.lines.findIndex((l) => l.startsWith('Safe mode')) });
    assert.equal(b.lines.filter((l) => l === 'runaway starting').length, 2);
    assert.equal(b.stops, 2);
    assert.equal((await b.status()).started, true, 'the board runs, without the program');
    assert.deepEqual(b.errors, []);
  });

  /** `program` stopped twice for `why` (counted as the board's firmware counts), then safe mode: the board runs without it. */
  async function stoppedTwice(program, why, more) {
    const b = await xsProgram(program, {}, more);
    const esc = why.replace(/[().]/g, '\\$&');
    await lineIn(b.lines, new RegExp(`^Safe mode: the program program\\.js \\(\\d+ bytes, hash [0-9a-f]{8}\\) was stopped 2 times in a row \\(${esc}\\)`));
    assert.equal(b.lines.filter((l) => new RegExp(`^Program stopped: ${esc}; restarting the board \\([12] of 2\\)$`).test(l)).length, 2, b.lines.join('\n'));
    assert.equal(b.lines.filter((l) => l === 'starting').length, 2, 'the program ran twice, never a third time');
    // The role runs (it tries its broker, where nothing listens).
    await lineIn(b.lines, /^Failed to connect to MQTT broker/, { after: b.lines.findIndex((l) => l.startsWith('Safe mode')) });
    assert.equal((await b.status()).started, true, 'the board runs, without the program');
    assert.deepEqual(b.errors, []);
    return b;
  }

  // The heap a board gives: xsnap's own limit is 2 GB; the worker's data is held to 192 MB here
  // (the 32 MB it starts with, and room for the firmware), so that the program, not the machine, fills it.
  const SMALL = { memory: 192 * 1024 * 1024 };

  test('a program that fills the heap with arrays is stopped (memory full), twice, then safe mode', async () => {
    assertXs();
    await stoppedTwice("print('starting');\nconst a = [];\nwhile (true) a.push(new Array(1000));\n", 'it exhausted the memory', SMALL);
  });

  test('a string doubled until it fails, in a callback: stopped (memory full), twice, then safe mode', async () => {
    assertXs();
    await stoppedTwice("print('starting');\nafter(10, () => { let s = 'abcdefgh'; for (;;) s += s; });\n", 'it exhausted the memory', SMALL);
  });

  test('a recursion without end is stopped (stack), twice, then safe mode', async () => {
    assertXs();
    await stoppedTwice("print('starting');\nfunction deeper(n) { return deeper(n + 1) + 1; }\ndeeper(0);\n", 'it exhausted the stack');
  });

  test('a loop after an await, in an async callback: stopped, twice, then safe mode', async () => {
    assertXs();
    await stoppedTwice("print('starting');\nevery(100, async () => { await 0; for (;;) {} });\n", 'it never gave control back: too much computation');
  });

  test('a loop after an await at the top level: XS runs no module that awaits (said once); the board runs on', async () => {
    assertXs();
    const b = await xsProgram("print('starting');\nawait null;\nwhile (true) {}\n");
    const error = await lineIn(b.lines, /^Program error: TypeError: .*async module/);
    await lineIn(b.lines, /^Failed to connect to MQTT broker/, { after: b.lines.indexOf(error) });
    assert.equal(b.stops, 0);
    assert.ok(!b.lines.some((l) => /^(Program stopped|Safe mode)|^starting$/.test(l)), b.lines.join('\n'));
    assert.deepEqual(b.errors, []);
  });

  describe('the tutorial as programs, over Mosquitto', { skip: mosquittoSkip() }, () => {
    let broker;
    before(async () => {
      if (!mosquittoAvailable()) throw new Error('REQUIRE_MOSQUITTO=1 but mosquitto is not installed');
      const m = await startMosquitto();
      cleanups.unshift(() => m.stop());
      broker = `127.0.0.1:${m.port}`;
    });

    const ESP1 = `let count = 0;
mqtt.subscribe('notification', (topic, message) => {
  print('Received notification:', message);
  if (message === 'received') print('ESP received hello message');
});
every(5000, () => { mqtt.publish('hello', 'Hello #' + count); count += 1; });
`;
    const ESP2 = `mqtt.subscribe('hello', (topic, message) => {
  print('Received ' + topic + ':', message);
  mqtt.publish('notification', 'received');
});
board.on('connected', () => print('connected as', board.name, 'under', board.prefix));
`;

    test('ESP#1 as a program in XS, ESP#2 as a program in Node: hello, received', async () => {
      assertXs();
      const prefix = 'prog1/';
      const nodeLines = [];
      const host = { ...nodeHost({ log: (l) => nodeLines.push(l), deviceId: 'esp2' }), program: nodeProgramRunner() };
      const esp2 = startProgramBoard(host, { ...fast, broker, topicPrefix: prefix, clientId: `${prefix}esp2`, name: 'esp2' }, ESP2);
      assert.ok(esp2, nodeLines.join('\n'));
      cleanups.push(() => esp2.stop());
      await lineIn(nodeLines, /^connected as esp2 under prog1\/$/);
      const esp1 = await xsProgram(ESP1, { broker, topicPrefix: prefix, clientId: `${prefix}esp1` });
      await lineIn(esp1.lines, new RegExp(`^Connected to ${broker} MQTT broker, subscribed to ${prefix}notification topic$`));
      await lineIn(nodeLines, /^Received hello: Hello #0$/);
      await lineIn(esp1.lines, /^Received notification: received$/);
      await lineIn(esp1.lines, /^ESP received hello message$/);
      await lineIn(nodeLines, /^Received hello: Hello #1$/);
      assert.deepEqual(esp1.board.errors, []);
      assert.deepEqual(
        [...esp1.lines, ...nodeLines].filter((l) => l.startsWith('Program error')),
        [],
      );
    });

    test('measureHeap: the built-in ESP#1 against the same ESP#1 as a program', async (t) => {
      assertXs();
      const builtIn = await measureHeap({ broker, messages: 100 });
      const program = await measureHeap({ broker, messages: 100, program: ESP1.replace('every(5000', 'every(10') });
      t.diagnostic(
        `running board: built-in ${builtIn.board.bytes} B (${builtIn.board.slots} slots), program ${program.board.bytes} B (${program.board.slots} slots); code loaded: ${builtIn.code.bytes} B, with the program's API ${program.code.bytes} B`,
      );
      assert.ok(builtIn.answered >= 100 && program.answered >= 100);
      assert.ok(program.board.bytes > builtIn.board.bytes, 'a program costs the heap its code and compartment take');
      assert.ok(program.board.bytes < 64 * 1024, `a program's board stays small (${program.board.bytes} bytes)`);
    });

    test('ESP#1 as a program in XS pairs with the built-in ESP#2 in Node', async () => {
      assertXs();
      const prefix = 'prog2/';
      const nodeLines = [];
      const esp2 = startBoard(nodeHost({ log: (l) => nodeLines.push(l), deviceId: 'esp2b' }), {
        ...fast,
        broker,
        role: 'responder',
        topicPrefix: prefix,
        clientId: `${prefix}esp2`,
      });
      cleanups.push(() => esp2.stop());
      await lineIn(nodeLines, /^Connected to/);
      const esp1 = await xsProgram(ESP1, { broker, topicPrefix: prefix, clientId: `${prefix}esp1` });
      await lineIn(nodeLines, new RegExp(`^Received ${prefix}hello: Hello #0$`));
      await lineIn(esp1.lines, /^ESP received hello message$/);
      assert.deepEqual(esp1.board.errors, []);
    });
  });
});
