// A built-in role (src/apps/builtin/) on the board: the program API (api.ts) over the board's own
// client, with no Compartment and nothing compiled, since the role's function is preloaded code.
// To keep what a board pays for it small: one object is the role, `mqtt` and `board` (their
// methods are the prototype's, in flash); the bare functions (every, after, cancel, print) are
// the module's, shared by every board; subscriptions, handlers and timers are made when used.
// What stays is the program's own closures, a few hundred bytes more than the class the tutorial's
// ESP#1 was (docs/performance.md). Built-in code is ours: no guard, no freezing, unlike a
// student's program. The pair's facts the classroom follows (a hello sent, answered, a reply) are
// told as events, read off what the role publishes and receives on the pair's topics
// (pair-protocol.ts).

import type { Host, TimerHandle } from '../host';
import { type Message, payloadText } from '../mqtt/client';
import { matches } from '../mqtt/topic';
import type { BuiltinProgram, ProgramApi, ProgramBoard, ProgramMqtt, Timer } from './api';
import type { BoardConfig } from './config';
import { HELLO, helloNumber, NOTIFICATION, REPLY } from './pair-protocol';
import type { Role, RoleClient, RoleDef } from './role';

type Fn = (...args: never[]) => void;
/** The role's code, as `enter` calls it. */
type Code = (a?: unknown, b?: unknown) => void;

/**
 * The board whose role's code runs now: every call into a built-in role's code (its start, a
 * timer, a message, an event) comes through `enter`, so the bare functions below need no closure
 * of their own per board. (A module variable: on a board it is one pointer of RAM.)
 */
let current: BuiltinRole | null = null;

function role(what: string): BuiltinRole {
  if (!current) throw new Error(`${what}: called outside the role's code`);
  return current;
}
function every(ms: number, fn: () => void): Timer {
  return role('every').tick(ms, fn, ms);
}
function after(ms: number, fn: () => void): Timer {
  return role('after').tick(ms, fn, 0);
}
function cancel(t: Timer | undefined): void {
  role('cancel').drop(t);
}
function print(...values: unknown[]): void {
  role('print').host.log(values.join(' '));
}

/** A timer of the role's: what `every` and `after` return. */
class Tick {
  handle: TimerHandle | null = null;
  constructor(
    private readonly role: BuiltinRole,
    readonly fn: () => void,
    readonly period: number, // 0: once
  ) {}
  fire(): void {
    this.role.fired(this);
  }
}

class BuiltinRole implements Role, ProgramMqtt, ProgramBoard {
  /** Filter, callback, filter, callback…: made when the role first subscribes. */
  private subs: (string | Fn)[] | null = null;
  /** Event, function, …, for board.on. */
  private events: (string | Fn)[] | null = null;
  private ticks: Tick[] | null = null;
  /** The subscriptions made while the role starts are the board's to make (its `listen`). */
  private starting = true;

  constructor(
    private readonly client: RoleClient,
    private readonly config: BoardConfig,
    program: BuiltinProgram,
  ) {
    this.enter(program as Code, this);
    this.starting = false;
  }

  /** Runs the role's code with this board as the one its bare functions act on. */
  enter(fn: Code, a?: unknown, b?: unknown): void {
    const outer = current;
    current = this;
    try {
      fn(a, b);
    } finally {
      current = outer;
    }
  }

  /** The role prints its own lines, as a student's program does. (A getter: no field per board.) */
  get quiet(): boolean {
    return true;
  }

  get host(): Host {
    return this.client.host;
  }

  // The API (api.ts): mqtt and board are this object; the bare functions are made when taken.
  get mqtt(): ProgramMqtt {
    return this;
  }
  get board(): ProgramBoard {
    return this;
  }
  get every(): ProgramApi['every'] {
    return every;
  }
  get after(): ProgramApi['after'] {
    return after;
  }
  get cancel(): ProgramApi['cancel'] {
    return cancel;
  }
  get print(): ProgramApi['print'] {
    return print;
  }

  get name(): string {
    return this.config.name || this.client.clientId;
  }
  get prefix(): string {
    return this.config.topicPrefix;
  }
  get interval(): number {
    return this.config.interval;
  }
  led(on: boolean): void {
    this.host.led?.(on);
  }
  button(): boolean {
    return !!this.host.button?.();
  }
  on(event: 'connected' | 'disconnected', fn: () => void): void {
    (this.events ??= []).push(event, fn);
  }

  get listen(): string[] {
    const l: string[] = [];
    if (this.subs) for (let i = 0; i < this.subs.length; i += 2) l.push(this.subs[i] as string);
    return l;
  }

  subscribe(topic: string, callback: (topic: string, message: string) => void): void {
    const filter = this.prefix + topic;
    (this.subs ??= []).push(filter, callback);
    if (!this.starting) this.client.subscribe(filter, {}, () => {});
  }

  unsubscribe(topic: string): void {
    const filter = this.prefix + topic;
    const i = this.subs ? this.subs.indexOf(filter) : -1;
    if (i < 0 || !this.subs) return;
    this.subs.splice(i, 2);
    if (!this.subs.length) this.subs = null;
    this.client.unsubscribe(filter, () => {});
  }

  publish(topic: string, message: string | Uint8Array, options?: { qos?: 0 | 1 | 2; retain?: boolean }): void {
    const full = this.prefix + topic;
    this.client.publish(full, message, options && { qos: options.qos ?? 0, retain: !!options.retain });
    if (typeof message !== 'string') return;
    if (topic === HELLO) {
      const n = helloNumber(message);
      if (n >= 0) this.client.emit({ type: 'hello', n });
    } else if (topic === NOTIFICATION && message === REPLY) this.client.emit({ type: 'reply' });
  }

  tick(ms: number, fn: () => void, period: number): Timer {
    const t = new Tick(this, fn, period);
    t.handle = this.host.after(ms, t);
    (this.ticks ??= []).push(t);
    return t;
  }

  fired(t: Tick): void {
    if (t.period) t.handle = this.host.after(t.period, t);
    else this.drop(t);
    this.enter(t.fn);
  }

  drop(t: Timer | undefined): void {
    const ticks = this.ticks;
    const i = ticks ? ticks.indexOf(t as Tick) : -1;
    if (i < 0 || !ticks) return;
    const tick = ticks[i];
    if (tick.handle) this.host.cancel(tick.handle);
    tick.handle = null;
    ticks.splice(i, 1);
    if (!ticks.length) this.ticks = null;
  }

  onMessage(m: Message): void {
    const subs = this.subs;
    if (!subs) return;
    const prefix = this.prefix;
    const topic = m.topic.startsWith(prefix) ? m.topic.slice(prefix.length) : m.topic;
    const text = payloadText(m.payload);
    for (let i = 0; i < subs.length; i += 2) if (matches(subs[i] as string, m.topic)) this.enter(subs[i + 1] as Code, topic, text);
    if (topic === NOTIFICATION && text === REPLY) this.client.inform({ type: 'answered' });
  }

  private tell(event: string): void {
    const events = this.events;
    if (events) for (let i = 0; i < events.length; i += 2) if (events[i] === event) this.enter(events[i + 1] as Code);
  }

  connected(): void {
    this.tell('connected');
  }

  disconnected(): void {
    this.tell('disconnected');
  }

  stop(): void {
    while (this.ticks) this.drop(this.ticks[0]);
  }
}

/** The role that runs a built-in program. */
export function builtin(program: BuiltinProgram): RoleDef {
  return { start: (_host, client, config) => new BuiltinRole(client, config, program) };
}
