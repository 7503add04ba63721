// One run of a command that talks to a broker (pub, sub): its client, Ctrl+C and SIGTERM, the
// timers it may set, and the one way out (`finish`: DISCONNECT, then the exit code and at most one
// line). Why a connection closed is read from its kind (src/host.ts), never from its words.

import type { CloseKind, Connection, Host } from '../../src/host';
import { CONNACK_ERRORS, MqttClient, type ClientOptions } from '../../src/mqtt/client';
import { Decoder, MAX_REMAINING_LENGTH } from '../../src/mqtt/codec';
import { BrokerDecoder } from '../../src/mqtt/codec-server';
import { printable } from '../../src/apps/text';
import { nodeHost } from '../../hosts/node/host';
import type { Common } from './connection';
import { errorLine } from './lines';
import { cliLang, cliWords, closeReason } from '../words/cli';
import { describePacket } from './packets';

/** What to check after a CONNACK refusal, by its return code. */
function refusalHint(code: number, c: Common): string {
  switch (code) {
    case 1:
      return ': the broker does not accept MQTT 3.1.1';
    case 2:
      return `: the broker does not accept the client id '${c.options.clientId}'; choose another with -i`;
    case 3:
      return ': the broker cannot take connections now; try again later';
    case 4:
    case 5:
      return c.options.username === undefined
        ? ': this broker wants a user name and password: add -u <user> -P <password>'
        : `: check the user name (-u ${c.options.username}) and the password (-P)`;
    default:
      return '';
  }
}

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
   * code is the CONNACK's, as mosquitto's), an unreachable broker, a lost link.
   */
  closed(reason: string, kind: CloseKind, code?: number): [number, string] {
    const { where } = this.c;
    if (cliLang() === 'fr') return this.closedFr(reason, kind, code);
    switch (kind) {
      case 'refused': {
        const name = (code !== undefined && CONNACK_ERRORS[code]) || `code ${code}`;
        return [code !== undefined && code <= 5 ? code : 1, `the broker at ${where} refused the connection: ${name}${code ? refusalHint(code, this.c) : ''}`];
      }
      case 'unreachable':
        return [1, `${reason}: check -h and -p, and that the broker is running`];
      case 'dns':
        return [1, `${reason}: check -h, or give the broker's IP address`];
    }
    if (!this.everConnected) {
      if (kind === 'timeout') {
        const s = (this.c.options.connectTimeout ?? 10000) / 1000;
        return [1, `${where} did not answer the MQTT CONNECT within ${s} s: is it an MQTT broker? check -h and -p`];
      }
      if (kind === 'tls' || kind === 'websocket' || kind === 'setup') return [1, reason];
      if (kind === 'protocol') {
        return [1, `${where} does not answer in MQTT (${reason}): is it a WebSocket port (-L ws://…) or a TLS one (-L mqtts://…)? check -h and -p`];
      }
      return [1, `cannot connect to ${where}: ${reason}`];
    }
    return [1, `lost the connection to ${where}: ${reason}`];
  }

  /** closed(), in French: words from the kind and the code, never the client's English reason alone. */
  private closedFr(reason: string, kind: CloseKind, code?: number): [number, string] {
    const { where, options } = this.c;
    const words = cliWords();
    const account = options.username === undefined ? words.addAccount : words.checkAccount(options.username);
    switch (kind) {
      case 'refused': {
        const hint = code === 4 || code === 5 ? ` : ${account}` : code === 2 ? ` : choisissez un autre identifiant avec -i` : '';
        return [code !== undefined && code <= 5 ? code : 1, `${words.refused(where, code)}${hint}`];
      }
      case 'unreachable':
        return [1, `${words.unreachable(where)} : vérifiez -h et -p, et que le broker est lancé`];
      case 'dns':
        return [1, `${words.dns(where)} : vérifiez -h, ou donnez l'adresse IP du broker`];
    }
    return [1, this.everConnected ? words.lost(where, closeReason(reason, kind, code)) : words.cannotConnect(where, closeReason(reason, kind, code))];
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
