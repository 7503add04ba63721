// One run of a command that talks to a broker (pub, sub): its client, Ctrl+C and SIGTERM, the
// timers it may set, and the one way out (`finish`: DISCONNECT, then the exit code and at most one
// line). Why a connection closed is read from its kind (src/host.ts), never from its words.

import type { CloseKind, Connection, Host } from '../../src/host';
import { MqttClient, type ClientOptions } from '../../src/mqtt/client';
import { Decoder, MAX_REMAINING_LENGTH } from '../../src/mqtt/codec';
import { BrokerDecoder } from '../../src/mqtt/codec-server';
import { printable } from '../../src/apps/text';
import { nodeHost } from '../../hosts/node/host';
import type { Common } from './connection';
import { errorLine } from './lines';
import { cliWords } from '../words/cli';
import { describePacket } from './packets';

export class Session {
  readonly client: MqttClient;
  finished = false;
  everConnected = false;
  readonly done: Promise<number>;
  private resolve!: (code: number) => void;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  /** The connection now open, to stop reading it while stdout is blocked. */
  conn: Connection | null = null;
  private readonly onSignal = () => this.finish(0);
  /** Called once by `finish`, e.g. to stop reading stdin. */
  onFinish?: () => void;

  constructor(
    readonly prefix: string,
    readonly c: Common,
    reconnect: ClientOptions['reconnect'],
  ) {
    this.done = new Promise((r) => {
      this.resolve = r;
    });
    const base = nodeHost({ log: (line) => this.debug(line), deviceId: c.options.clientId });
    // A laptop is not a board: hold whatever pub is given (-f with a large file, -l with many lines),
    // and take whatever MQTT can carry, as mosquitto_sub does.
    const queue = { messages: 1 << 20, bytes: 268435455 };
    this.client = new MqttClient(this.tap(base), c.endpoint, { queue, maxPacketSize: MAX_REMAINING_LENGTH + 5, ...c.options, reconnect });
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** Ends the run: DISCONNECT if connected, one line on stderr if `message`. Only the first call counts. */
  finish(code: number, message?: string): void {
    if (this.finished) return;
    this.finished = true;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (message && !this.c.quiet) errorLine(this.prefix, message);
    this.client.end();
    this.onFinish?.();
    this.resolve(code);
  }

  /** A timer that `finish` cancels. */
  later(ms: number, fn: () => void): () => void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  // On stdout, where mosquitto's clients print theirs.
  debug(line: string): void {
    if (this.c.debug) process.stdout.write(`${line}\n`);
  }

  warn(message: string): void {
    if (!this.c.quiet) errorLine(this.prefix, message);
  }

  /**
   * The exit code and the line for a connection that closed, from its kind: a refusal (the exit
   * code is the CONNACK's, as mosquitto's), an unreachable broker, a lost link; the line's words
   * are the language's (tools/words: closeLine).
   */
  closed(reason: string, kind: CloseKind, code?: number): [number, string] {
    const { where, options } = this.c;
    const line = cliWords().closeLine({
      where,
      reason,
      kind,
      code,
      everConnected: this.everConnected,
      clientId: options.clientId,
      username: options.username,
      connectTimeoutMs: options.connectTimeout ?? 10000,
    });
    return [kind === 'refused' && code !== undefined && code <= 5 ? code : 1, line];
  }

  /** The host with its connections watched: with -d, every packet each way described on stdout. Passwords never. */
  private tap(base: Host): Host {
    const id = this.c.options.clientId;
    return {
      ...base,
      connect: (to, events) => {
        let reading = this.c.debug;
        const incoming = new Decoder((p) => this.debug(`Client ${id} received ${printable(describePacket(p))}`));
        const outgoing = new BrokerDecoder((p) => this.debug(`Client ${id} sending ${printable(describePacket(p))}`));
        this.debug(`Client ${id} connecting to ${this.c.where}`);
        const conn: Connection = base.connect(to, {
          connected: () => events.connected(),
          data: (bytes) => {
            if (reading)
              try {
                incoming.push(bytes);
              } catch {
                reading = false;
              }
            events.data(bytes);
          },
          alive: () => events.alive(),
          closed: (reason, kind) => events.closed(reason, kind),
        });
        let writing = this.c.debug;
        this.conn = conn;
        return {
          write: (bytes) => {
            if (writing)
              try {
                outgoing.push(bytes);
              } catch {
                writing = false;
              }
            conn.write(bytes);
          },
          close: () => {
            if (this.conn === conn) this.conn = null;
            conn.close();
          },
        };
      },
    };
  }
}

// Ctrl+C while a lasting command starts (its broker, its page) is kept for untilStopped, which then
// returns at once: the command stops as cleanly as later, instead of dying mid-start.
let startSignal: (() => void) | null = null;
let signalledEarly = false;

/** From now until untilStopped, Ctrl+C and SIGTERM are remembered rather than fatal. */
export function holdStopSignals(): void {
  if (startSignal) return;
  startSignal = () => {
    signalledEarly = true;
  };
  process.on('SIGINT', startSignal);
  process.on('SIGTERM', startSignal);
}

function releaseStopSignals(): void {
  if (!startSignal) return;
  process.off('SIGINT', startSignal);
  process.off('SIGTERM', startSignal);
  startSignal = null;
}

/** Waits for `seconds` (when given), Ctrl+C or SIGTERM, or `ended` (when given), whichever comes
 *  first: the run of the commands that last (sim, watch, classroom). */
export function untilStopped(seconds?: number, ended?: Promise<unknown>): Promise<'time' | 'signal' | 'ended'> {
  return new Promise((resolve) => {
    const done = (why: 'time' | 'signal' | 'ended') => {
      releaseStopSignals();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
      resolve(why);
    };
    const onSignal = () => done('signal');
    const timer = seconds ? setTimeout(() => done('time'), seconds * 1000) : null;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    ended?.then(() => done('ended'));
    if (signalledEarly) {
      signalledEarly = false;
      done('signal');
    }
  });
}
