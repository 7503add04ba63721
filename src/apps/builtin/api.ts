// The program API as the built-in roles get it (their programs, src/apps/builtin/*.js, made into
// modules by the build: tools/programs/role-module.mjs). The same calls as a student's program
// (src/apps/api.ts; src/program/program.ts for a program sent to the board), without the sandbox:
// these programs are ours, preloaded in flash. Everything here is a function or an object of
// the module's top level, in flash too: what a running role adds to the heap is its state, the
// BuiltinRole below (its subscriptions, its timers, its handlers) and the program's variables.
//
// One board at a time runs the API's calls: the role that called into the program (its start,
// a timer, a message, a connection) is `current` while it runs, so that in the simulator, where
// many boards share one process, each program's calls reach its own board.

import type { Host } from '../../host';
import type { Message } from '../../mqtt/client';
import type { BoardConfig } from '../config';
import type { MessageText, ProgramBoard, ProgramMqtt } from '../api';
import { pairFact } from '../pair-protocol';
import type { Role, RoleClient, RoleDef } from '../role';
import type { RoleEntry } from '../registry';
import { decodeUtf8 } from '../../mqtt/codec';
import { matches } from '../../mqtt/topic';
import { COLOURS } from '../remote';

type Callback = (topic: string, message: MessageText) => void;
type Fn = () => void;
/** A role's last will, as the registry gives it: its topic under the board's prefix. */
type Will = NonNullable<RoleEntry['will']>;

/** The role whose program is running now. */
let current: BuiltinRole | null = null;

function role(): BuiltinRole {
  if (!current) throw new Error('the program API is used outside its board');
  return current;
}

/** A timer of the program's beyond its first (which the role keeps in its own fields): `every` and
 *  `after` return it, `cancel` takes it; the host fires it. */
class Tick {
  handle: object | null;
  constructor(
    readonly owner: BuiltinRole,
    readonly fn: Fn,
    readonly period: number,
    ms: number,
  ) {
    this.handle = owner.host.after(ms, this);
  }
  fire(): void {
    const owner = this.owner;
    if (this.period) this.handle = owner.host.after(this.period, this);
    else owner.drop(this);
    owner.run(this.fn);
  }
}

/** No topic: the role subscribes through the board as the program asks (listenTo). */
const NONE: string[] = [];

/**
 * A built-in role: the board's Role, over the program's calls. Its fields are made when the program
 * first needs them (`declare`: none exists before), so that a role holds only what its program
 * uses: ESP#1 one subscription, one timer and two handlers; ESP#2 one subscription. Its first
 * subscription and its first timer are fields of its own, the others in `more`.
 */
class BuiltinRole implements Role {
  declare private filter: string;
  declare private callback: Callback;
  /** The first timer: its function, its period (0: once) and the host's handle (null once over). */
  declare private fn: Fn;
  declare private period: number;
  declare private handle: object | null;
  declare private onConnected: Fn;
  declare private onDisconnected: Fn;
  declare private more: { filters: string[]; callbacks: Callback[]; ticks: Tick[] };
  declare private will: Will;
  /** Lets go of the board's buttons (host.buttons), once the program listens to them. */
  declare private release: Fn;

  constructor(
    readonly client: RoleClient,
    start: Fn,
    will?: Will,
  ) {
    if (will) this.will = will;
    this.run(start);
  }

  get quiet(): boolean {
    return true;
  }

  get listen(): string[] {
    return NONE;
  }

  get host(): Host {
    return this.client.host;
  }

  get config(): BoardConfig {
    return this.client.config;
  }

  private get extra() {
    return (this.more ??= { filters: [], callbacks: [], ticks: [] });
  }

  /** Runs the program's `fn` with this board's API (with a message's topic and text, for a subscription's). */
  run(fn: Fn | Callback, topic?: string, message?: MessageText): void {
    const before = current;
    current = this;
    try {
      (fn as Callback)(topic as string, message as MessageText);
    } finally {
      current = before;
    }
  }

  subscribe(topic: string, callback: Callback): void {
    const filter = this.config.topicPrefix + topic;
    if (this.filter === undefined || this.filter === filter) {
      this.filter = filter;
      this.callback = callback;
    } else {
      const { filters, callbacks } = this.extra;
      const i = filters.indexOf(filter);
      if (i >= 0) callbacks[i] = callback;
      else {
        filters.push(filter);
        callbacks.push(callback);
      }
    }
    this.client.listenTo(filter);
  }

  unsubscribe(topic: string): void {
    const filter = this.config.topicPrefix + topic;
    if (this.filter === filter)
      this.filter = '\0'; // (no topic has it: the field stays, taken by none)
    else {
      const i = this.more ? this.more.filters.indexOf(filter) : -1;
      if (i < 0) return;
      this.more.filters.splice(i, 1);
      this.more.callbacks.splice(i, 1);
    }
    this.client.unsubscribe(filter);
  }

  publish(topic: string, message: string | Uint8Array, options?: { qos?: 0 | 1 | 2; retain?: boolean }): void {
    this.client.publish(this.config.topicPrefix + topic, message, options);
    const fact = pairFact(topic, message);
    if (fact) this.client.note(fact);
  }

  /** A timer; what the program holds for it: the role itself for the first (the host's handle
   *  changes at each period), a Tick for the others. */
  timer(fn: Fn, ms: number, period: number): object {
    if (!this.handle) {
      this.fn = fn;
      this.period = period;
      this.handle = this.host.after(ms, this);
      return this;
    }
    const t = new Tick(this, fn, period, ms);
    this.extra.ticks.push(t);
    return t;
  }

  /** The first timer fired. */
  fire(): void {
    const fn = this.fn;
    this.handle = this.period ? this.host.after(this.period, this) : null;
    this.run(fn);
  }

  cancel(timer: object | undefined): void {
    if (timer === this) {
      if (this.handle) this.host.cancel(this.handle);
      this.handle = null;
    } else if (timer instanceof Tick) this.drop(timer);
  }

  drop(t: Tick): void {
    if (t.handle) this.host.cancel(t.handle);
    t.handle = null;
    const ticks = this.more?.ticks;
    const i = ticks ? ticks.indexOf(t) : -1;
    if (i >= 0) ticks?.splice(i, 1);
  }

  on(event: string, fn: Fn | ((command: string) => void)): void {
    if (event === 'connected') this.onConnected = fn as Fn;
    else if (event === 'disconnected') this.onDisconnected = fn as Fn;
    else if (event === 'button' && this.host.buttons && !this.release) {
      // (One closure for the role's life, on a board that has buttons.)
      try {
        this.release = this.host.buttons((command) => this.run(fn as Callback, command));
      } catch (e) {
        this.host.log(`Buttons error: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  onMessage(m: Message): void {
    const prefix = this.config.topicPrefix;
    const topic = m.topic.startsWith(prefix) ? m.topic.slice(prefix.length) : m.topic;
    let message: MessageText;
    try {
      message = decodeUtf8(m.payload);
    } catch {
      message = m.payload;
    }
    if (typeof message === 'string') {
      const fact = pairFact(topic, message, true);
      if (fact) this.client.note(fact);
    }
    if (this.filter !== undefined && matches(this.filter, m.topic)) this.run(this.callback, topic, message);
    const more = this.more;
    if (more) for (let i = 0; i < more.filters.length; i++) if (matches(more.filters[i], m.topic)) this.run(more.callbacks[i], topic, message);
  }

  connected(): void {
    if (this.onConnected) this.run(this.onConnected);
  }

  disconnected(): void {
    if (this.onDisconnected) this.run(this.onDisconnected);
  }

  stop(): void {
    this.cancel(this);
    const ticks = this.more?.ticks;
    while (ticks?.length) this.drop(ticks[0]);
    if (this.release) this.release();
    // A clean stop sends DISCONNECT, which keeps the broker from publishing the will: said here.
    const will = this.will;
    if (will && this.client.connected) this.client.publish(this.config.topicPrefix + will.topic, will.payload, { qos: will.qos, retain: will.retain });
  }
}

/** The role a built-in program plays: `start` is its module's (tools/programs/role-module.mjs);
 *  `will`, the registry's last will of the role, if it has one. */
export function builtinRole(start: Fn, will?: Will): RoleDef['start'] {
  return will ? (_host, client) => new BuiltinRole(client, start, will) : (_host, client) => new BuiltinRole(client, start);
}

export const mqtt: ProgramMqtt = Object.freeze({
  subscribe(topic: string, callback: Callback): void {
    role().subscribe(topic, callback);
  },
  unsubscribe(topic: string): void {
    role().unsubscribe(topic);
  },
  publish(topic: string, message: string | Uint8Array, options?: { qos?: 0 | 1 | 2; retain?: boolean }): void {
    role().publish(topic, message, options);
  },
});

export function every(ms: number, fn: Fn): object {
  return role().timer(fn, ms, ms);
}

export function after(ms: number, fn: Fn): object {
  return role().timer(fn, ms, 0);
}

export function cancel(timer: object | undefined): void {
  role().cancel(timer);
}

export function print(...values: unknown[]): void {
  role().host.log(values.join(' '));
}

export const board: ProgramBoard = Object.freeze({
  get name(): string {
    const r = role();
    return r.config.name || r.client.clientId;
  },
  get prefix(): string {
    return role().config.topicPrefix;
  },
  get interval(): number {
    return role().config.interval;
  },
  get peer(): string {
    return role().config.peer;
  },
  get buttons(): boolean {
    return !!role().host.buttons;
  },
  led(on: boolean): void {
    role().host.led?.(!!on);
  },
  button(): boolean {
    return !!role().host.button?.();
  },
  sensor(): { temperature: number; pressure: number } | null {
    const host = role().host;
    return host.sensor ? host.sensor() : null;
  },
  colour(name: string): void {
    if (!Object.hasOwn(COLOURS, name)) throw new TypeError(`board.colour: no colour "${name}"`);
    const host = role().host;
    try {
      host.showColour?.(name, COLOURS[name]);
    } catch (e) {
      host.log(`Colour error: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
  on(event: 'connected' | 'disconnected' | 'button', fn: Fn | ((command: string) => void)): void {
    role().on(event, fn);
  },
});
