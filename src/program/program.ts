// A student's program: one JavaScript module, run by the host (Host.program: a Compartment in XS,
// node:vm in Node) with the documented API as its only globals, and nothing else:
//
//   mqtt.subscribe(topic, (topic, message) => …)   mqtt.unsubscribe(topic)
//   mqtt.publish(topic, message, { qos, retain })
//   every(ms, fn)   after(ms, fn)   cancel(timer)   print(…values)
//   board.name   board.prefix   board.interval   board.peer   board.led(on)   board.button()
//   board.colour(name)   board.sensor()   board.buttons
//   board.on('connected' | 'disconnected', fn)   board.on('button', (command) => …)
//
// Topics are relative to the board's topic prefix, so one program serves every pair. The WiFi, the
// connection, reconnecting, the backoff and the restart budget stay the firmware's (board.ts): the
// program is a role. Every call into the program is guarded: what it throws is said once, with
// its line, and the board goes on.
//
// Nothing the program can reach leads back here: the API's objects and functions are frozen,
// have no prototype of ours, and what we hand over is strings, fresh Uint8Arrays and frozen
// empty handles; errors we throw are the language's own. Loaded only when a program runs.

import type { Host, ProgramPlace, ProgramRunner, TimerHandle } from '../host';
import { MqttError, type QoS } from '../mqtt/client';
import { decodeUtf8 } from '../mqtt/codec';
import { filterError, matches, topicError } from '../mqtt/topic';
import type { BoardConfig } from '../apps/config';
import { checkConfig } from '../apps/config';
import { type Board, boardOptions, runBoard } from '../apps/board';
import type { BoardListener } from '../apps/events';
import type { Role, RoleClient, RoleDef } from '../apps/role';
import { COLOURS } from '../apps/remote';

/** The longest program source, in characters: a board compiles it in its own RAM. */
export const MAX_SOURCE = 16384;
/** Bounds on what a program holds at once: a board has 80 KB of RAM for everything. */
const MAX_SUBSCRIPTIONS = 16;
const MAX_TIMERS = 16;
const MAX_LISTENERS = 8;
/** every(ms): the shortest period, so a program cannot keep the board from its own work. */
const MIN_PERIOD = 10;
/** A printed line, an error message: at most this many characters. */
const MAX_LINE = 256;
/** Distinct errors said before the rest are only counted. */
const MAX_ERRORS = 8;

type Fn = (...args: unknown[]) => unknown;
type Freeze = <T>(o: T) => T;

/** XS's harden where there is one (deep), else Object.freeze: each object we make is frozen anyway. */
const freeze: Freeze = (globalThis as { harden?: Freeze }).harden ?? Object.freeze;

/** A host that can run programs. */
export type ProgramHost = Host & { program: ProgramRunner };

/**
 * Starts a board that runs `source` instead of its role, or logs why it cannot and returns null:
 * a config error, a host without programs, a program too long. A program that fails to compile
 * or throws leaves the board connected, running what the program set up before it threw.
 */
export function startProgramBoard(host: Host, raw: Record<string, unknown>, source: string, listener?: BoardListener, about?: ProgramAbout): Board | null {
  // The role is what the board plays without its program (safe mode): ESP#1's unless said.
  const config = checkConfig(raw.role ? raw : { ...raw, role: 'hello' }, host.deviceId(), !!host.wifi);
  if (typeof config === 'string') {
    host.log(`Config error: ${config}`);
    return null;
  }
  if (!host.program) {
    host.log('Program error: this board cannot run programs');
    return null;
  }
  if (typeof source !== 'string' || source.length > MAX_SOURCE) {
    host.log(`Program error: a program is at most ${MAX_SOURCE} characters`);
    return null;
  }
  // No last will: the role's is for the role, not for a program.
  return runBoard(host, config, { ...boardOptions(config), will: undefined }, listener, programRole(source, about));
}

/** A program's name (its file's) and hash, as the board says what it runs (board.ts). */
export type ProgramAbout = NonNullable<RoleDef['program']>;

/** The role that runs `source`; `about` as stored with it (src/setup/program-store.ts), else a name alone. */
export function programRole(source: string, about: ProgramAbout = { name: 'program.js' }): RoleDef {
  return { start: (host, client, config) => new ProgramRole(host as ProgramHost, client, config, source, about), program: about };
}

/** One line of text from a program, bounded. */
function clip(s: string): string {
  return s.length > MAX_LINE ? `${s.slice(0, MAX_LINE)}…` : s;
}

/** A value as print shows it. Never throws: a program's object may throw from toString. */
function shown(v: unknown): string {
  try {
    if (typeof v === 'string') return v;
    if (ArrayBuffer.isView(v)) return `<${v.byteLength} bytes>`;
    if (typeof v === 'object' && v !== null) {
      try {
        const j = JSON.stringify(v);
        if (typeof j === 'string') return j;
      } catch {
        // cyclic, a BigInt, a getter that throws: String() below
      }
    }
    return String(v);
  } catch {
    return '<?>';
  }
}

/** `Name: message` of what a program threw, read defensively (a getter may throw, or lie). */
export function describe(e: unknown): string {
  try {
    if (typeof e === 'object' && e !== null) {
      const name = (e as { name?: unknown }).name;
      const message = (e as { message?: unknown }).message;
      // (XS names the function that threw, `(anonymous-829): `: in a program's module body that says nothing.)
      if (typeof message === 'string') return clip(`${typeof name === 'string' && name ? name : 'Error'}: ${message.replace(/^\(anonymous-\d+\): /, '')}`);
    }
    return clip(`uncaught ${shown(e)}`);
  } catch {
    return 'an exception that cannot be read';
  }
}

/** A timer the program holds: what `every`/`after` return, and `cancel` takes. */
interface Timer {
  fn: Fn;
  period: number; // 0: once
  handle: TimerHandle | null;
  token: object;
}

class ProgramRole implements Role {
  readonly quiet = true;
  readonly listen: string[] = [];
  private readonly handlers = new Map<string, Fn>();
  private readonly timers: Timer[] = [];
  private readonly listeners: { event: string; fn: Fn }[] = [];
  /** Lets go of the board's buttons (host.buttons), once the program listens to them. */
  private release: (() => void) | null = null;
  private readonly said = new Map<string, number>();
  private unsaid = 0;
  private stopped = false;

  constructor(
    private readonly host: ProgramHost,
    private readonly client: RoleClient,
    private readonly config: BoardConfig,
    source: string,
    about: ProgramAbout,
  ) {
    host.log(`Program: ${source.length} characters, starting`);
    host.event?.('start', [about.name, about.hash ?? '', String(source.length)]);
    const globals = this.globals();
    try {
      this.guard(() => host.program.run(source, globals));
    } catch (e) {
      this.report(e);
    }
  }

  /**
   * Runs one entry into the program (its body, a callback) under the host's meter, where there is
   * one: stopped there, the program is over (the host says why and restarts the board).
   */
  private guard(f: () => void): void {
    const metered = this.host.program.metered;
    if (!metered) return f();
    if (metered.call(this.host.program, f)) this.stop();
  }

  /**
   * Runs an API call for the program. Once the board has stopped (a promise of the program's may
   * still call), nothing happens. What the firmware throws reaches the program as the language's
   * Error: an MqttError's prototype is the firmware's, not to be handed over.
   */
  private api<T>(f: () => T): T | undefined {
    if (this.stopped) return undefined;
    try {
      return f();
    } catch (e) {
      throw e instanceof MqttError ? new Error(e.message) : e;
    }
  }

  /** The program's globals: the API, frozen, and nothing else. */
  private globals(): Record<string, unknown> {
    const prefix = this.config.topicPrefix;
    const mqtt = freeze({
      subscribe: freeze((topic: unknown, callback: unknown) => this.api(() => this.subscribe(topic, callback))),
      unsubscribe: freeze((topic: unknown) => this.api(() => this.unsubscribe(topic))),
      publish: freeze((topic: unknown, message: unknown, options?: unknown) => this.api(() => this.publish(topic, message, options))),
    });
    const host = this.host;
    const board = freeze({
      name: this.config.name || this.client.clientId,
      prefix,
      interval: this.config.interval, // (the ESP#1 example reads it: src/apps/builtin/hello.js)
      peer: this.config.peer, // (the chat's: src/apps/builtin/chat.js)
      led: freeze((on: unknown) => {
        host.led?.(!!on);
      }),
      button: freeze(() => !!host.button?.()),
      buttons: !!host.buttons, // (the remote's: src/apps/builtin/remote.js)
      colour: freeze((name: unknown) => this.api(() => this.colour(name))),
      sensor: freeze(() => this.api(() => this.sensor())),
      on: freeze((event: unknown, fn: unknown) => this.api(() => this.on(event, fn))),
    });
    return {
      mqtt,
      board,
      every: freeze((ms: unknown, fn: unknown) => this.api(() => this.timer('every', ms, fn))),
      after: freeze((ms: unknown, fn: unknown) => this.api(() => this.timer('after', ms, fn))),
      cancel: freeze((t: unknown) => this.api(() => this.cancel(t))),
      print: freeze((...values: unknown[]) => {
        host.log(clip(values.map(shown).join(' ')));
      }),
    };
  }

  private topic(topic: unknown, what: string, filter: boolean): string {
    if (typeof topic !== 'string') throw new TypeError(`${what}: the topic must be a string, as 'hello'`);
    const full = this.config.topicPrefix + topic;
    const err = filter ? filterError(full) : topicError(full);
    if (err) throw new TypeError(`${what}: ${err}`);
    return full;
  }

  private subscribe(topic: unknown, callback: unknown): void {
    const filter = this.topic(topic, 'mqtt.subscribe', true);
    if (typeof callback !== 'function') throw new TypeError('mqtt.subscribe: the second argument must be a function (topic, message) => …');
    if (!this.handlers.has(filter) && this.handlers.size >= MAX_SUBSCRIPTIONS) throw new RangeError(`mqtt.subscribe: at most ${MAX_SUBSCRIPTIONS} topics`);
    this.handlers.set(filter, callback as Fn);
    this.client.subscribe(filter, {}, (err) => {
      if (err && !this.stopped) this.say(`Subscription failed: ${err.message}`);
    });
  }

  private unsubscribe(topic: unknown): void {
    const filter = this.topic(topic, 'mqtt.unsubscribe', true);
    if (this.handlers.delete(filter)) this.client.unsubscribe(filter, () => {});
  }

  private publish(topic: unknown, message: unknown, options: unknown): void {
    const full = this.topic(topic, 'mqtt.publish', false);
    let payload: string | Uint8Array;
    if (typeof message === 'string') payload = message;
    else if (ArrayBuffer.isView(message))
      payload = new Uint8Array(message.buffer, message.byteOffset, message.byteLength).slice(); // (isView: a Uint8Array of any realm)
    else if (typeof message === 'number' || typeof message === 'boolean') payload = String(message);
    else throw new TypeError('mqtt.publish: the message must be a string (or a Uint8Array of bytes)');
    let qos: unknown = 0,
      retain: unknown = false;
    if (options !== undefined) {
      if (typeof options !== 'object' || options === null) throw new TypeError('mqtt.publish: the options are an object, as { qos: 1, retain: true }');
      // Read once each: a getter of the program's could answer differently the second time.
      qos = (options as { qos?: unknown }).qos ?? 0;
      retain = (options as { retain?: unknown }).retain ?? false;
      if (qos !== 0 && qos !== 1 && qos !== 2) throw new RangeError('mqtt.publish: qos is 0, 1 or 2');
    }
    this.client.publish(full, payload, { qos: qos as QoS, retain: !!retain }, (err) => {
      if (err && !this.stopped) this.say(`Publish failed: ${err.message}`);
    });
  }

  /** A reading, frozen, or null without a sensor; what the host throws comes as the language's Error. */
  private sensor(): { temperature: number; pressure: number } | null {
    const read = this.host.sensor;
    if (!read) return null;
    let r: { temperature: unknown; pressure: unknown };
    try {
      r = read();
    } catch (e) {
      throw new Error(clip(e instanceof Error ? e.message : String(e)));
    }
    return freeze({ temperature: Number(r.temperature), pressure: Number(r.pressure) });
  }

  private colour(name: unknown): void {
    if (typeof name !== 'string' || !Object.hasOwn(COLOURS, name)) throw new TypeError(`board.colour: the colour is one of ${Object.keys(COLOURS).join(', ')}`);
    try {
      this.host.showColour?.(name, COLOURS[name]);
    } catch (e) {
      this.say(`Colour error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private timer(what: string, ms: unknown, fn: unknown): object {
    if (typeof ms !== 'number' || !(ms >= 0) || ms > 2147483647) throw new TypeError(`${what}: the first argument is a number of milliseconds`);
    if (typeof fn !== 'function') throw new TypeError(`${what}: the second argument must be a function`);
    if (what === 'every' && ms < MIN_PERIOD) throw new RangeError(`every: at least ${MIN_PERIOD} ms`);
    if (this.timers.length >= MAX_TIMERS) throw new RangeError(`${what}: at most ${MAX_TIMERS} timers at once`);
    const t: Timer = { fn: fn as Fn, period: what === 'every' ? ms : 0, handle: null, token: freeze({}) };
    t.handle = this.host.after(ms, () => this.fire(t));
    this.timers.push(t);
    return t.token;
  }

  private fire(t: Timer): void {
    if (this.stopped) return;
    if (t.period) t.handle = this.host.after(t.period, () => this.fire(t));
    else this.drop(t);
    this.call(t.fn, []);
  }

  private drop(t: Timer): void {
    const i = this.timers.indexOf(t);
    if (i >= 0) this.timers.splice(i, 1);
    if (t.handle) this.host.cancel(t.handle);
    t.handle = null;
  }

  private cancel(token: unknown): void {
    for (const t of this.timers) if (t.token === token) return this.drop(t);
  }

  private on(event: unknown, fn: unknown): void {
    if (event !== 'connected' && event !== 'disconnected' && event !== 'button')
      throw new TypeError("board.on: the event is 'connected', 'disconnected' or 'button'");
    if (typeof fn !== 'function') throw new TypeError('board.on: the second argument must be a function');
    if (this.listeners.length >= MAX_LISTENERS) throw new RangeError(`board.on: at most ${MAX_LISTENERS} functions`);
    this.listeners.push({ event, fn: fn as Fn });
    if (event === 'button' && this.host.buttons && !this.release) {
      try {
        // (A command is handed over as a string of ours, whatever the host gives.)
        this.release = this.host.buttons((command) => this.tell('button', [String(command)]));
      } catch (e) {
        this.say(`Buttons error: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private tell(event: string, args: unknown[] = []): void {
    for (const l of this.listeners.slice()) if (l.event === event) this.call(l.fn, args);
  }

  /** Calls the program; what it throws is reported, never passed on to the firmware. */
  private call(fn: Fn, args: unknown[]): void {
    if (this.stopped) return;
    try {
      let r: unknown;
      this.guard(() => {
        r = fn(...args);
      });
      // An async callback's error comes as a rejection: said like any other, and handled, so that
      // it is no unhandled rejection (which aborts a Moddable board). The language's own then, not
      // one the promise may carry.
      if (r instanceof Promise)
        Promise.prototype.then.call(r, undefined, (e: unknown) => {
          if (!this.stopped) this.report(e);
        });
    } catch (e) {
      this.report(e);
    }
  }

  /** Says an error of the program's with its line, once: a callback that throws at every message does not flood the serial line. */
  private report(e: unknown): void {
    let place: ProgramPlace | null = null;
    try {
      place = this.host.program.where(e);
    } catch {
      // an exception whose stack cannot be read: no line
    }
    const at = place ? `, line ${place.line}${place.column ? `, column ${place.column}` : ''}` : '';
    const what = describe(e);
    // The same error as data for a tool (the students' page marks its line), once as the line is,
    // bounded: a frame holds 255 bytes, and 72 characters are 216 bytes at most, a pair not cut.
    if (!this.say(`Program error${at}: ${what}`) || !this.host.event) return;
    let short = what.slice(0, 72);
    if (short.length === 72 && (short.charCodeAt(71) & 0xfc00) === 0xd800) short = short.slice(0, 71);
    this.host.event('error', [place ? String(place.line) : '', place?.column ? String(place.column) : '', short]);
  }

  /** Logs `line` unless it was said already (or too many were): true when it was said now. */
  private say(line: string): boolean {
    const n = this.said.get(line);
    if (n !== undefined) {
      this.said.set(line, n + 1);
      return false;
    }
    if (this.said.size >= MAX_ERRORS) {
      if (!this.unsaid++) this.host.log(`Program: more than ${MAX_ERRORS} different errors, the next ones are not shown`);
      return false;
    }
    this.said.set(line, 1);
    this.host.log(line);
    return true;
  }

  onMessage(m: { topic: string; payload: Uint8Array }): void {
    const prefix = this.config.topicPrefix;
    const topic = m.topic.startsWith(prefix) ? m.topic.slice(prefix.length) : m.topic;
    let text: string | null = null;
    try {
      text = decodeUtf8(m.payload);
    } catch {
      // not UTF-8: each callback gets the bytes, a copy of its own
    }
    for (const [filter, fn] of Array.from(this.handlers)) {
      if (matches(filter, m.topic)) this.call(fn, [topic, text ?? m.payload.slice()]);
    }
  }

  connected(): void {
    this.tell('connected');
  }

  disconnected(): void {
    this.tell('disconnected');
  }

  stop(): void {
    for (const t of this.timers.slice()) this.drop(t);
    this.stopped = true;
    this.release?.();
    this.release = null;
    this.handlers.clear();
  }
}
