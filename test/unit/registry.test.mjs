// The role registry (src/apps/registry.ts): the examples the students' page shows for the built-in
// roles are the functions of src/apps/builtin/ (one text: the function's body, taken by the build),
// plain JavaScript, and the example run as a student's program does what the function does, call
// for call, on the same API. (That they do what the board's ESP#1 and ESP#2, classes, do, over
// Mosquitto in XS: test/xs/xs-registry.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES, REGISTRY, helloProgram, responderProgram, roles } from '../../dist/testing.js';
import { ROLES } from '../../dist/index.js';
import { programText } from '../../tools/programs/source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROGRAMS = { hello: helloProgram, responder: responderProgram };
const builtins = REGISTRY.filter((r) => EXAMPLES.find((e) => e.id === r.key)?.builtin).map((r) => ({ ...r, program: PROGRAMS[r.key] }));
const API = ['mqtt', 'every', 'after', 'cancel', 'print', 'board'];

test('the registry lists every role once, in config order, each with its topics and its French and English name', () => {
  assert.deepEqual(
    REGISTRY.map((r) => r.key),
    ROLES,
  );
  assert.deepEqual(Object.keys(roles), ROLES);
  assert.deepEqual(
    builtins.map((r) => r.key),
    ['hello', 'responder'],
    'the tutorial’s ESP#1 and ESP#2 are written as programs',
  );
  for (const r of REGISTRY) {
    assert.ok(r.label.fr && r.label.en, r.key);
    assert.ok(r.publishes.length + r.subscribes.length > 0, r.key);
  }
  assert.deepEqual([REGISTRY[0].publishes, REGISTRY[0].subscribes], [['hello'], ['notification']]);
  assert.deepEqual([REGISTRY[1].publishes, REGISTRY[1].subscribes], [['notification'], ['hello']]);
});

test('each built-in role’s example is the body of its function in src/apps/builtin/, the same text, in plain JavaScript', () => {
  assert.deepEqual(
    EXAMPLES.map((e) => e.id),
    ROLES,
    'one example a role, in the registry’s order',
  );
  for (const r of builtins) {
    const file = join(root, 'src', 'apps', 'builtin', `${r.key}.ts`);
    const example = EXAMPLES.find((e) => e.id === r.key);
    assert.equal(example.builtin, true);
    assert.equal(example.code, programText(file, readFileSync(file, 'utf8')), `${r.key}: the page shows the function's text`);
    assert.deepEqual(example.title, r.label);
    // Plain JavaScript, as a student types it: no type annotation survives in it.
    assert.doesNotThrow(() => new Function(...API, example.code), `${r.key} parses as JavaScript`);
  }
  for (const e of EXAMPLES.filter((x) => !x.builtin)) assert.doesNotThrow(() => new Function(...API, e.code), `${e.id} parses`);
});

/** A scripted API that writes down every call, and lets the test fire timers, messages, events. */
function recorder(interval) {
  const calls = [];
  const subs = new Map();
  const timers = new Set();
  const on = { connected: [], disconnected: [] };
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
    board: { name: 'esp', prefix: 'p/', interval, led: () => {}, button: () => false, on: (e, fn) => on[e].push(fn) },
  };
  return {
    api,
    calls,
    tick: () => {
      for (const t of [...timers]) t.fn();
    },
    message: (topic, text) => subs.get(topic)?.(topic, text),
    event: (e) => {
      for (const fn of on[e]) fn();
    },
  };
}

test('run as a student’s program, each example makes the calls its function makes: connect, ticks, answers, a lost connection', () => {
  for (const r of builtins) {
    const code = EXAMPLES.find((e) => e.id === r.key).code;
    const runs = [r.program, (api) => new Function(...API, `"use strict";${code}`)(...API.map((k) => api[k]))].map((run) => {
      const rec = recorder(2000);
      run(rec.api);
      rec.tick(); // not connected yet: nothing goes
      rec.event('connected');
      rec.tick();
      rec.message('notification', 'received');
      rec.message('hello', 'Hello #0');
      rec.event('disconnected');
      rec.tick();
      rec.event('connected');
      rec.tick();
      rec.event('disconnected');
      rec.event('connected'); // back within the same tick: no second hello at once
      return rec.calls;
    });
    assert.deepEqual(runs[1], runs[0], r.key);
    assert.ok(runs[0].length > 2, r.key);
  }
  // What ESP#1 does, spelled out: Hello #0 once connected, one a tick, none while disconnected.
  const rec = recorder(2000);
  builtins[0].program(rec.api);
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
});
