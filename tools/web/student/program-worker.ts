// The Worker a student's program runs in (served as /student-program.js, with a CSP of its own that
// allows eval for this Worker alone, never for the page). Being a Worker, a `while (true) {}` stops
// its heartbeat, not the page: the page ends it (program.ts). Its globals are the program's API and
// the language's own objects, nothing else: every other name the Worker's global scope has (self,
// postMessage, fetch, importScripts, WebSocket, …) is shadowed as undefined and then removed from the
// global object; the function constructors are disabled, and the language's objects frozen, so the
// program cannot reach the page's connection except through the API, whose calls the page checks
// again. What this file needs of the Worker is taken first, before the program can touch anything.

import { filterError, topicError } from '../../../src/mqtt/topic';
import { COLOURS } from '../../../src/apps/remote';
import { en, fr } from '../../words/program';
import {
  Bucket,
  type FromWorker,
  MAX_SUBSCRIPTIONS,
  MAX_TIMERS,
  MESSAGE_MAX_KB,
  MIN_EVERY,
  PRINT_MAX,
  PRINT_PER_SECOND,
  PUBLISH_PER_SECOND,
  type ToWorker,
} from './program-protocol';

type Fn = (...args: unknown[]) => unknown;

const G = globalThis as unknown as Record<string, unknown>;
const post = (G.postMessage as (m: FromWorker) => void).bind(G);
const listen = (G.addEventListener as (type: string, f: (e: MessageEvent<ToWorker>) => void) => void).bind(G);
const setT = (G.setTimeout as typeof setTimeout).bind(G);
const setI = (G.setInterval as typeof setInterval).bind(G);
const clearT = (G.clearTimeout as typeof clearTimeout).bind(G);
const clearI = (G.clearInterval as typeof clearInterval).bind(G);
const now = Date.now;
const F = Function;
const { defineProperty, freeze, getOwnPropertyNames, getPrototypeOf } = Object;

/** The language's own objects: the program keeps these (frozen), as XS gives them on a board. */
const LANGUAGE = new Set(
  (
    'Object Array Number Boolean String Symbol BigInt Math JSON Date RegExp Promise Map Set WeakMap WeakSet Proxy Reflect ' +
    'Error AggregateError EvalError RangeError ReferenceError SyntaxError TypeError URIError ArrayBuffer DataView Int8Array ' +
    'Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array BigInt64Array ' +
    'BigUint64Array parseInt parseFloat isNaN isFinite encodeURIComponent decodeURIComponent encodeURI decodeURI NaN Infinity undefined'
  ).split(' '),
);
const API_NAMES = ['mqtt', 'every', 'after', 'cancel', 'print', 'board'];
// Names a strict function's parameter cannot take.
const NOT_PARAMETERS = new Set(['eval', 'arguments']);

// Where the program's line 1 is in the function's source (V8 puts a header before the body).
const lineOffset = (() => {
  try {
    new F('"use strict";throw new Error()')();
  } catch (e) {
    const m = /<anonymous>:(\d+):\d+/.exec(String((e as Error).stack));
    if (m) return Number(m[1]) - 1;
  }
  return 2;
})();

// The heartbeat: the page stops the program when these stop coming (a loop that never returns).
// The first one now, before the program runs: the page then knows this Worker has started.
post({ t: 'beat' });
setI(() => post({ t: 'beat' }), 250);

/** Every name of the Worker's global scope, but the language's: they become undefined. */
function globalNames(): string[] {
  const names = new Set<string>();
  for (let o: object | null = G; o && o !== Object.prototype; o = getPrototypeOf(o)) for (const n of getOwnPropertyNames(o)) names.add(n);
  return [...names].filter((n) => !LANGUAGE.has(n) && !API_NAMES.includes(n));
}

/** Takes everything but the API and the language away from the global scope, for good. */
function lockDown(names: string[]): void {
  const refuse = () => {
    throw new TypeError(words.notAllowed);
  };
  // `(function(){}).constructor('return this')` would make a function outside strict mode.
  for (const f of [() => {}, async () => {}, function* () {}, async function* () {}]) defineProperty(getPrototypeOf(f), 'constructor', { value: refuse });
  for (const n of names) {
    try {
      defineProperty(G, n, { value: undefined, writable: false, configurable: false });
    } catch {
      /* a property the global object keeps: shadowed as a parameter all the same */
    }
  }
  const frozen = [F, F.prototype, getPrototypeOf(Uint8Array), getPrototypeOf(Uint8Array).prototype];
  for (const f of [async () => {}, function* () {}, async function* () {}]) frozen.push(getPrototypeOf(f));
  for (const n of LANGUAGE) {
    const v = G[n];
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') frozen.push(v as object, (v as { prototype?: object }).prototype ?? {});
  }
  for (const o of frozen) freeze(o);
}

let words = en;
let started = false;

listen('message', (e) => {
  const m = e.data;
  if (m.t === 'run' && !started) {
    started = true;
    run(m);
  } else onMessage?.(m);
});

let onMessage: ((m: ToWorker) => void) | null = null;

function run(m: Extract<ToWorker, { t: 'run' }>): void {
  words = m.lang === 'fr' ? fr : en;
  const w = words;
  const prefix = m.prefix;
  const subs = new Map<string, Fn>();
  const timers = new Map<object, { id: ReturnType<typeof setTimeout>; repeat: boolean }>();
  const handlers: Record<string, Fn[]> = { connected: [], disconnected: [], button: [] };
  let button = m.button,
    up = m.up;
  const publishes = new Bucket(PUBLISH_PER_SECOND, now);
  const prints = new Bucket(PRINT_PER_SECOND, now);
  const seen = new Set<string>();

  const fail = (text: string): never => {
    throw new TypeError(text);
  };
  const report = (e: unknown, syntax = false) => {
    let text = 'Error';
    let line: number | null = null;
    try {
      text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const at = e instanceof Error ? /<anonymous>:(\d+):\d+/.exec(String(e.stack)) : null;
      if (at) line = Number(at[1]) - lineOffset;
    } catch {
      /* an error whose getters throw: reported as "Error" */
    }
    // A callback that throws at every message is reported once; and ten different errors at most.
    const key = `${line}:${text}`;
    if (seen.has(key) || seen.size > 10) return;
    seen.add(key);
    post({ t: 'error', message: seen.size > 10 ? w.moreErrors : text.slice(0, PRINT_MAX), syntax, line: seen.size > 10 ? null : line });
  };
  const call = (fn: Fn, ...args: unknown[]) => {
    try {
      fn(...args);
    } catch (e) {
      report(e);
    }
  };
  const fnOf = (f: unknown, name: string): Fn => (typeof f === 'function' ? (f as Fn) : fail(w.badCallback(name)));
  const topicOf = (topic: unknown, check: (t: string) => string): string => {
    if (typeof topic !== 'string') return fail(w.badTopic(typeof topic));
    const problem = check(prefix + topic);
    return problem ? fail(w.badTopic(problem)) : topic;
  };
  const msOf = (ms: unknown, name: string): number => {
    const n = Number(ms);
    return n >= 0 && n < 2 ** 31 ? n : fail(w.badMs(name));
  };
  const textOf = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null) {
      try {
        return JSON.stringify(v) ?? String(v);
      } catch {
        return String(v);
      }
    }
    return String(v);
  };
  const timer = (ms: number, fn: Fn, repeat: boolean) => {
    if (timers.size >= MAX_TIMERS) fail(w.tooMany('every / after', MAX_TIMERS));
    const handle = freeze({});
    const id = repeat
      ? setI(() => call(fn), Math.max(ms, MIN_EVERY))
      : setT(() => {
          timers.delete(handle);
          call(fn);
        }, ms);
    timers.set(handle, { id, repeat });
    return handle;
  };

  const mqtt = freeze({
    subscribe(topic: unknown, callback: unknown) {
      const filter = topicOf(topic, filterError);
      const fn = fnOf(callback, 'mqtt.subscribe');
      if (!subs.has(filter) && subs.size >= MAX_SUBSCRIPTIONS) fail(w.tooMany('mqtt.subscribe', MAX_SUBSCRIPTIONS));
      subs.set(filter, fn);
      post({ t: 'sub', filter, qos: 1 });
    },
    unsubscribe(topic: unknown) {
      const filter = topicOf(topic, filterError);
      if (subs.delete(filter)) post({ t: 'unsub', filter });
    },
    publish(topic: unknown, message: unknown, options?: unknown) {
      const name = topicOf(topic, topicError);
      const text = message === undefined ? '' : textOf(message);
      if (text.length > MESSAGE_MAX_KB * 1024) fail(w.messageTooLong(MESSAGE_MAX_KB));
      const o = (typeof options === 'object' && options) || {};
      const q = (o as { qos?: unknown }).qos;
      const qos = q === 1 ? 1 : q === 2 ? 2 : 0;
      const retain = (o as { retain?: unknown }).retain === true;
      if (publishes.take()) post({ t: 'pub', topic: name, message: text, qos, retain });
    },
  });
  const board = freeze({
    name: m.name,
    prefix,
    peer: m.peer,
    led(on: unknown) {
      post({ t: 'led', on: !!on });
    },
    button() {
      return button;
    },
    // The page's « board's button » is the board's one button: a press sends 'up' (board.on('button')).
    buttons: true,
    colour(name: unknown) {
      if (typeof name !== 'string' || !Object.hasOwn(COLOURS, name)) fail(w.badColour(Object.keys(COLOURS).join(', ')));
      post({ t: 'colour', rgb: COLOURS[name as string] });
    },
    // The page has no sensor: a program simulates its values (as the sensor's example does).
    sensor() {
      return null;
    },
    on(event: unknown, callback: unknown) {
      const list =
        event === 'connected' || event === 'disconnected' || event === 'button'
          ? handlers[event]
          : fail(w.badCallback("board.on('connected' | 'disconnected' | 'button')"));
      list.push(fnOf(callback, 'board.on'));
    },
  });
  const api = [
    mqtt,
    (ms: unknown, fn: unknown) => timer(msOf(ms, 'every'), fnOf(fn, 'every'), true),
    (ms: unknown, fn: unknown) => timer(msOf(ms, 'after'), fnOf(fn, 'after'), false),
    (handle: unknown) => {
      const t = typeof handle === 'object' && handle !== null ? timers.get(handle) : undefined;
      if (!t) return;
      if (t.repeat) clearI(t.id);
      else clearT(t.id);
      timers.delete(handle as object);
    },
    (...values: unknown[]) => {
      if (prints.take()) post({ t: 'print', text: values.map(textOf).join(' ').slice(0, PRINT_MAX) });
    },
    board,
  ];

  onMessage = (msg) => {
    if (msg.t === 'msg') {
      const fn = subs.get(msg.filter);
      if (fn) call(fn, msg.topic, msg.message);
    } else if (msg.t === 'button') {
      const pressed = msg.on && !button;
      button = msg.on;
      if (pressed) for (const fn of handlers.button) call(fn, 'up');
    } else if (msg.t === 'state' && msg.up !== up) {
      up = msg.up;
      for (const fn of handlers[up ? 'connected' : 'disconnected']) call(fn);
    }
  };
  // What was refused in the last second, said once a second.
  setI(() => {
    if (prints.refused) post({ t: 'cut', what: 'print', n: prints.refused });
    if (publishes.refused) post({ t: 'cut', what: 'publish', n: publishes.refused });
    prints.refused = 0;
    publishes.refused = 0;
  }, 1000);

  const shadowed = globalNames();
  let program: Fn;
  try {
    // Strict on the program's own line 1, so that its line numbers stay the editor's.
    program = new F(...API_NAMES, ...shadowed.filter((n) => !NOT_PARAMETERS.has(n) && /^[A-Za-z_$][\w$]*$/.test(n)), `"use strict";${m.code}`) as Fn;
  } catch (e) {
    report(e, true);
    return;
  }
  lockDown(shadowed);
  call(program, ...api);
  if (up) for (const fn of handlers.connected) call(fn);
}
