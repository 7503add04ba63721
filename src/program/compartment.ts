// Running a student's program in XS: a Compartment whose globals are the API and the language's own
// built-ins, nothing else. Portable to any XS host (xsnap, and a Moddable board where the image
// has the parser); loaded only when a program runs.
//
// What XS gives a new Compartment, and what we do about it (tried in test/xs/program-xs.test.mjs):
// - its own globalThis, eval and Function, which evaluate inside the compartment;
// - `trace`, `global`, `Compartment` and `ModuleSource` besides the standard built-ins: every name
//   that is not a standard built-in is set to undefined in the compartment's globals;
// - the built-ins themselves are shared with the firmware: `Array.prototype.x = …` in a program
//   would change the firmware's arrays, and `(function(){}).constructor` is the firmware's own
//   Function, which evaluates in the firmware's global scope. lockdownLite() hardens every shared
//   built-in and makes those constructors throw, as a board's preloaded (frozen) image does.
// - a syntax error carries no line: syntaxLine() finds it.

import type { ProgramPlace, ProgramRunner } from '../host';

interface CompartmentLike {
  globalThis: Record<string, unknown>;
  importNow(specifier: string): unknown;
}
type CompartmentClass = new (options: { globals?: Record<string, unknown>; modules?: Record<string, { source: unknown }> }) => CompartmentLike;
type ModuleSourceClass = new (source: string) => object;
type Harden = <T>(o: T) => T;

/** The global names a program keeps: ECMAScript's own (those a new compartment has). */
const STANDARD = new Set(
  (
    'globalThis,Infinity,NaN,undefined,eval,isFinite,isNaN,parseFloat,parseInt,decodeURI,decodeURIComponent,encodeURI,encodeURIComponent,' +
    'escape,unescape,AggregateError,Array,ArrayBuffer,BigInt,BigInt64Array,BigUint64Array,Boolean,DataView,Date,Error,EvalError,' +
    'FinalizationRegistry,Float32Array,Float64Array,Function,Int8Array,Int16Array,Int32Array,Map,Number,Object,Promise,Proxy,RangeError,' +
    'ReferenceError,RegExp,Set,String,Symbol,SyntaxError,TypeError,Uint8Array,Uint8ClampedArray,Uint16Array,Uint32Array,URIError,' +
    'WeakMap,WeakRef,WeakSet,JSON,Math,Reflect'
  ).split(','),
);

/** The XS runner, or null where the engine has no Compartment (or no parser). */
export function compartmentRunner(): ProgramRunner | null {
  const g = globalThis as Record<string, unknown>;
  const C = g.Compartment as CompartmentClass | undefined;
  const M = g.ModuleSource as ModuleSourceClass | undefined;
  const harden = g.harden as Harden | undefined;
  if (typeof C !== 'function' || typeof M !== 'function') return null;
  // Before anything is hardened: harden(f) freezes Function.prototype too, with its constructor.
  lockdownLite(harden ?? deepFreeze);
  return new XsRunner(C, M, scriptIds(new Error().stack));
}

/** Every `#N` of a stack: the scripts XS names by number (an evaluated bundle, a program). */
function scriptIds(stack: unknown): Set<string> {
  const ids = new Set<string>();
  if (typeof stack === 'string') for (const m of stack.matchAll(/\(#(\d+):\d+\)/g)) ids.add(m[1]);
  return ids;
}

class XsRunner implements ProgramRunner {
  private readonly syntax = new WeakMap<object, number>();

  constructor(
    private readonly C: CompartmentClass,
    private readonly M: ModuleSourceClass,
    /** The scripts on the stack when the runner was made: the firmware's, never the program's. */
    private readonly ours: Set<string>,
  ) {}

  run(source: string, globals: Record<string, unknown>): void {
    // Never run a program where a function's constructor still compiles code in the firmware's scope.
    let open = true;
    try {
      (Object.getPrototypeOf(() => 0) as { constructor: (s: string) => unknown }).constructor('');
    } catch {
      open = false;
    }
    if (open) throw new Error('this engine cannot hold a program apart from the firmware (Function is open)');
    const shadow: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(new this.C({}).globalThis)) if (!STANDARD.has(name)) shadow[name] = undefined;
    for (const name of Object.getOwnPropertyNames(globalThis)) if (!STANDARD.has(name)) shadow[name] = undefined;
    const module = this.module(source);
    const c = new this.C({ globals: { ...shadow, ...globals }, modules: { program: { source: module } } });
    c.importNow('program');
  }

  compile(source: string): void {
    this.module(source);
  }

  /** The program compiled as a module; throws its syntax error, or an import's. */
  private module(source: string): object {
    let module: object;
    try {
      module = new this.M(source);
    } catch (e) {
      if (typeof e === 'object' && e !== null) this.syntax.set(e, this.syntaxLine(source, e));
      throw e;
    }
    // A program imports nothing: everything it may use is among its globals. (Said here, with the
    // line, rather than as XS's "no loadNowHook".)
    const bindings = (module as { bindings?: unknown }).bindings;
    for (const b of Array.isArray(bindings) ? (bindings as Record<string, unknown>[]) : []) {
      const from = b.from ?? b.importAllFrom ?? b.exportAllFrom;
      if (typeof from !== 'string') continue;
      const e = new SyntaxError(`a program cannot import modules ('${from.slice(0, 40)}'): it has mqtt, every, after, cancel, print and board`);
      const at = source.split('\n').findIndex((l) => l.includes(`'${from}'`) || l.includes(`"${from}"`));
      if (at >= 0) this.syntax.set(e, at + 1);
      throw e;
    }
    return module;
  }

  where(error: unknown): ProgramPlace | null {
    if (typeof error !== 'object' || error === null) return null;
    const line = this.syntax.get(error);
    if (line) return { line };
    // The first frame of a script that is not the firmware's: the program's (XS gives lines, no columns).
    const stack = (error as { stack?: unknown }).stack;
    if (typeof stack !== 'string') return null;
    for (const m of stack.matchAll(/\(#(\d+):(\d+)\)/g)) if (!this.ours.has(m[1])) return { line: Number(m[2]) };
    return null;
  }

  /**
   * The line of a syntax error, which XS says only to a debugger. The parser stops at the first
   * error: the source cut after line k, then a line holding only `@` (never valid JavaScript), fails
   * with the same message once k reaches the error's line, and with another before (the `@`, or
   * the end of the text). So the line is the smallest such k, found by halving.
   */
  private syntaxLine(source: string, error: object): number {
    const message = (error as { message?: unknown }).message;
    const lines = source.split('\n');
    const same = (k: number) => {
      try {
        new this.M(`${lines.slice(0, k).join('\n')}\n@`);
      } catch (e) {
        return (e as { message?: unknown }).message === message;
      }
      return false;
    };
    let lo = 1,
      hi = lines.length;
    if (!same(hi)) return hi; // an error at the end of the text (a missing }): the last line
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (same(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

let locked = false;

/**
 * Hardens the built-ins a program shares with the firmware, and makes the function constructors
 * reachable from any function (`(function(){}).constructor`, the async and generator ones) throw,
 * as XS's lockdown does. The compartment's own Function and eval stay: they evaluate inside it.
 * Once per engine; where the built-ins are frozen already (a board's preloaded image) it changes nothing.
 */
export function lockdownLite(harden: Harden): void {
  if (locked) return;
  locked = true;
  const refuse = function refused(): never {
    throw new TypeError('not in a program: code is compiled once, from its source');
  };
  const fns: unknown[] = [() => {}, async () => {}, function* () {}, async function* () {}];
  const hidden: unknown[] = [refuse];
  for (const f of fns) {
    const proto = Object.getPrototypeOf(f) as object;
    if (!Object.isFrozen(proto)) Object.defineProperty(proto, 'constructor', { value: refuse, writable: false, configurable: false });
    hidden.push(proto, (f as { prototype?: unknown }).prototype);
  }
  // Intrinsics no global names: the iterators' prototypes, %TypedArray%, %ThrowTypeError%.
  const it = (o: { [Symbol.iterator](): unknown }) => Object.getPrototypeOf(o[Symbol.iterator]()) as object;
  hidden.push(it([]), it(new Map()), it(new Set()), it(''), Object.getPrototypeOf(it([])), Object.getPrototypeOf(Uint8Array));
  hidden.push(Object.getPrototypeOf('a'.matchAll(/a/g)));
  try {
    hidden.push(Object.getOwnPropertyDescriptor(Function.prototype, 'caller')?.get);
  } catch {
    // no such accessor here
  }
  const g = globalThis as Record<string, unknown>;
  // (Not globalThis: the firmware's own global object stays its own.)
  for (const name of STANDARD) if (name !== 'globalThis') hidden.push(g[name]);
  for (const o of hidden) if ((typeof o === 'object' || typeof o === 'function') && o !== null) harden(o);
}

/**
 * harden's fallback (a Moddable image has no harden): freezes `o`, its properties and prototypes,
 * deeply, but for what is frozen already. A Moddable board's built-ins are in its preloaded image,
 * in flash, frozen with everything they reach: walking all of them there took longer than a board
 * may (mcsim: no answer in 20 s), to change nothing.
 */
function deepFreeze<T>(o: T): T {
  const seen = new Set<unknown>();
  const todo: unknown[] = [o];
  while (todo.length) {
    const x = todo.pop();
    if ((typeof x !== 'object' && typeof x !== 'function') || x === null || seen.has(x) || Object.isFrozen(x)) continue;
    seen.add(x);
    Object.freeze(x);
    todo.push(Object.getPrototypeOf(x));
    for (const k of Reflect.ownKeys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, k);
      if (d) todo.push(d.value, d.get, d.set);
    }
  }
  return o;
}
