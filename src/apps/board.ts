// One board: read the config, join the WiFi, connect to the broker, play the role, heal.
// A lost connection is retried with backoff; after `restartAfter` failures in a row the board
// restarts, as the seed's machine.reset() does. Bad config is said once and nothing else runs.

import type { CloseKind, Host, WiFi } from '../host';
import { MqttClient, payloadText, type ClientOptions, type Message } from '../mqtt/client';
import { checkConfig, type BoardConfig } from './config';
import { Identify } from './identify';
import { type BoardEvent, type BoardListener, eventLine } from './events';
import { RUNS } from './pair-protocol';
import { roles, type Role, type RoleDef } from './roles';
import { printable } from './text';
import { WiFiJoin, type WiFiListener } from './wifi';

export interface Board {
  config: BoardConfig;
  client: MqttClient;
  /**
   * Stops every timer and connection (the simulator's restart and shutdown); with `keepWiFi`, all
   * but the WiFi, which the next board of a simulator's restart joins again.
   */
  stop(keepWiFi?: boolean): void;
}

/**
 * Starts a board, or logs why the config is wrong and returns null. `listener` gets what the
 * board does as events (src/apps/events.ts), beside its console lines.
 */
export function startBoard(outside: Host, raw: Record<string, unknown>, listener?: BoardListener): Board | null {
  const config = checkConfig(raw, outside.deviceId(), !!outside.wifi);
  if (typeof config === 'string') {
    outside.log(printable(`Config error: ${config}`));
    return null;
  }
  return runBoard(outside, config, boardOptions(config), listener);
}

/**
 * Starts a board with a checked config (the firmware checks its config when it is built: see
 * hosts/moddable/main.ts). An empty clientId is the host's device id.
 */
export function runBoard(outside: Host, config: BoardConfig, options = boardOptions(config), listener?: BoardListener, role?: RoleDef): Board {
  return new BoardClient(boardHost(outside), config, options, listener, role).start();
}

/**
 * The host as the board sees it: every line the board prints holds text from the network (topics,
 * payloads, reasons), so the console gets it as text, never as terminal commands, one message a line.
 */
export function boardHost(outside: Host): Host {
  // (Defined, not assigned: on a board the host's class is frozen in flash, and assigning a
  // property its prototype has read-only fails.)
  return Object.create(outside, { log: { value: printableLog } });
}

/** The client's options for a board's config (its id aside: BoardClient gives it). */
export function boardOptions(config: BoardConfig): ClientOptions {
  return {
    clientId: config.clientId,
    keepalive: config.keepalive,
    reconnect: { min: config.backoffMin, max: config.backoffMax },
    maxPacketSize: 16384, // a board has little RAM; the demo's messages are tiny
    inflight: config.inflight,
    will: roles[config.role].will?.(config),
    who: 'board',
  };
}

/** A subscription's answer left unsaid (a function in flash, not a closure). */
function quiet(): void {}

/** The board host's log (a function in flash, not a closure: `this` is that host). */
function printableLog(this: Host, line: string): void {
  (Object.getPrototypeOf(this) as Host).log(printable(line));
}

/**
 * The firmware's client: the supervisor's reactions (log, restart, pause for the WiFi) are its
 * methods. Methods live in flash with the preloaded code; closures would each take RAM.
 */
export class BoardClient extends MqttClient implements Board, WiFiListener {
  readonly role: Role;
  private wifi: WiFiJoin | null = null;
  private wasConnected = false;
  // Made only when there is one (`declare`: no field before), as each field takes RAM on a board.
  /** Set once stopped (a running board has no such field). */
  declare private stopped?: true;
  /** « Identifier » over MQTT: <prefix>identify, made when first asked. */
  declare private identify?: Identify;
  /** A student's program's name and hash. */
  declare private readonly program?: RoleDef['program'];
  /** The simulator's and the tests' (none on a board). */
  declare private readonly listener?: BoardListener;

  /** `options` may be made when the firmware is built (kept in flash): see hosts/moddable/main.ts.
   *  `role` plays instead of the config's (a student's program: src/program/). */
  constructor(
    host: Host,
    readonly config: BoardConfig,
    options = boardOptions(config),
    listener?: BoardListener,
    role: RoleDef = roles[config.role],
  ) {
    super(host, config.broker, options);
    if (listener) (this as unknown as { listener?: BoardListener }).listener = listener;
    if (role.program) (this as unknown as { program?: RoleDef['program'] }).program = role.program;
    this.role = role.start(host, this, config);
  }

  get client(): MqttClient {
    return this;
  }

  /** The config's, or the board's own (its MAC), asked when needed rather than kept. */
  override get clientId(): string {
    return this.config.clientId || this.host.deviceId();
  }

  start(): this {
    const host = this.host;
    host.log(`MQTT client id ${this.clientId}`); // to tell the boards apart on the broker
    for (const t of this.role.listen) this.listenTo(t);
    // The teacher's « Identifier » (src/apps/identify.ts): not one of the role's topics, never shown as one.
    // A broker that refuses it (an ACL) leaves the board as it was: nothing to say on its console.
    this.subscribe(this.identifyTopic(), {}, quiet);
    if (host.wifi) {
      this.wifi = new WiFiJoin(host as Host & { wifi: WiFi }, this.config, this);
      this.wifi.start();
    } else {
      this.connect();
    }
    return this;
  }

  override onConnect(): void {
    this.wasConnected = true;
  }

  // Said once the broker acknowledged the subscriptions, not before: a refusal comes first. The role
  // starts then, as the course's boards publish once subscribed: its first « Published » or « Sent »
  // line comes after « Connected to … », never before.
  override onReady(): void {
    const own = this.identifyTopic();
    this.emit({ type: 'connected', broker: this.config.brokerName, topics: this.filters.filter((f) => f !== own) });
    this.announce();
    this.role.connected();
  }

  /** Says what it runs, retained, on `<prefix>board/<role>` (pair-protocol.ts's RUNS): the class's page shows it. */
  private announce(): void {
    const c = this.config,
      p = this.program;
    const run = p ? { role: c.role, program: p.name, hash: p.hash } : { role: c.role };
    this.publish(`${c.topicPrefix}${RUNS}${c.role}`, JSON.stringify(run), { qos: 1, retain: true });
  }

  /** Tells the listener what happened, and says it on the serial line in the course's words (events.ts). */
  emit(event: BoardEvent): void {
    this.listener?.(event);
    const line = eventLine(event);
    if (line) this.host.log(line);
  }

  listenTo(filter: string): void {
    // The client forgets a subscription the broker refuses: the Connected line names the others.
    this.subscribe(filter, {}, (err) => {
      if (err && !this.stopped) this.emit({ type: 'refused', reason: err.message });
    });
  }

  note(event: BoardEvent): void {
    this.listener?.(event);
  }

  override onWarning(message: string): void {
    this.host.log(message[0].toUpperCase() + message.slice(1));
  }

  /** Where the teacher's pages ask this board to blink: the payload is empty (every board of the pair), its role or its client id. */
  identifyTopic(): string {
    return `${this.config.topicPrefix}identify`;
  }

  override onMessage(m: Message): void {
    if (m.topic === this.identifyTopic()) {
      // A retained ask would blink the board at each connection: only a live one counts.
      const who = payloadText(m.payload);
      if (!m.retain && (!who || who === this.config.role || who === this.clientId)) (this.identify ??= new Identify(this.host)).start('over MQTT');
      return;
    }
    const event: BoardEvent = { type: 'received', topic: m.topic, text: payloadText(m.payload) };
    if (this.role.quiet) this.note(event);
    else this.emit(event);
    this.role.onMessage(m);
  }

  override onDrop(reason: string): void {
    this.host.log(`${reason[0].toUpperCase()}${reason.slice(1)} (${this.dropped} dropped since boot)`);
  }

  override onClose(reason: string, retryIn: number, kind: CloseKind, code?: number): void {
    if (retryIn < 0) return; // paused: the WiFi said why
    const wasConnected = this.wasConnected;
    this.wasConnected = false;
    const n = this.failures,
      c = this.config;
    const restarting = !!c.restartAfter && n >= c.restartAfter;
    this.emit({ type: 'closed', reason, kind, code, retryIn, wasConnected, failures: n, restarting });
    if (wasConnected) this.role.disconnected?.();
    if (restarting) {
      this.stop();
      this.host.restart(`${n} failed connections to ${c.brokerName}: ${reason}`);
    }
  }

  wifiUp(ip: string): void {
    this.listener?.({ type: 'joined', ip }); // (the WiFi join says it on the console)
    this.resume();
  }

  wifiDown(reason: string): void {
    if (this.wasConnected) this.role.disconnected?.();
    this.wasConnected = false;
    this.pause(reason);
    this.host.log(`${reason}: MQTT paused until the WiFi is back`);
  }

  stop(keepWiFi = false): void {
    this.stopped = true;
    this.identify?.stop();
    this.role.stop();
    if (keepWiFi) this.wifi?.detach();
    else this.wifi?.stop();
    this.end();
  }
}
