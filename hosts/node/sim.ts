// The host simulator: the firmware's own modules on Node, with real TCP, a simulated WiFi
// (join delay, scripted drop and return) and a simulated restart (the app is built again from
// nothing). `npm start` runs the seed's pair of boards against an embedded Aedes broker.

import { createServer, type Server } from 'node:net';
import type { Connection, ConnectionEvents, Endpoint, Host, WiFi, WiFiEvent } from '../../src/host';
import { startBoard, type Board } from '../../src/apps/board';
import { ConfigError, hideSecret, parseBroker } from '../../src/apps/config';
import { nodeHost } from './host';

/** A WiFi station that joins after `joinDelay` ms while the network is `available`. */
export class SimWiFi implements WiFi {
  available = true;
  private onEvent: ((e: WiFiEvent) => void) | null = null;
  private pending: (() => void) | null = null;
  private joined = false;

  constructor(public joinDelay = 300, public ip = '127.0.0.1',
    private after: Host['after'] = (ms, fn) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); }) {}

  join(_ssid: string, _password: string, onEvent: (e: WiFiEvent) => void): void {
    this.leave();
    this.onEvent = onEvent;
    if (!this.available) return; // nothing answers: the join times out
    this.pending = this.after(this.joinDelay, () => {
      this.pending = null;
      this.joined = true;
      onEvent('connected');
      onEvent('gotIP');
    });
  }

  leave(): void {
    this.pending?.();
    this.pending = null;
    this.joined = false;
  }

  address(): string { return this.ip; }

  /** The access point goes away. */
  drop(): void {
    this.available = false;
    if (this.joined) { this.joined = false; this.onEvent?.('disconnected'); }
  }

  /** The access point is back; the board's next join attempt succeeds. */
  restore(): void { this.available = true; }
}

export interface SimBoardOptions {
  name: string;
  config: Record<string, unknown>;
  /** Where the board's console lines go (already prefixed with `[name] `). */
  print?: (line: string) => void;
  wifi?: SimWiFi;
  deviceId?: string;
  /** Replaces the TCP connection, e.g. to go through a fault-injection proxy. */
  connect?: (to: Endpoint, events: ConnectionEvents) => Connection;
  /** Milliseconds between the restart request and the new boot. */
  restartDelay?: number;
}

/** One simulated board: boots the firmware and boots it again, from nothing, on restart. */
export class SimBoard {
  board: Board | null = null;
  restarts = 0;
  readonly lines: string[] = [];
  readonly host: Host;
  private stopped = false;
  private rebooting: ReturnType<typeof setTimeout> | null = null;

  constructor(private options: SimBoardOptions) {
    const print = options.print ?? ((l: string) => console.log(l));
    const base = nodeHost({ deviceId: options.deviceId });
    this.host = {
      ...base,
      log: (line) => { this.lines.push(line); print(`[${options.name}] ${line}`); },
      restart: (reason) => this.restart(reason),
      connect: options.connect ?? base.connect,
      wifi: options.wifi,
    };
  }

  start(): this {
    this.stopped = false;
    this.board = startBoard(this.host, this.options.config);
    return this;
  }

  restart(reason: string): void {
    this.board?.stop();
    this.board = null;
    this.restarts++;
    this.host.log(`Restarting the board (${reason})`);
    this.rebooting = setTimeout(() => {
      this.rebooting = null;
      if (this.stopped) return;
      this.host.log(`Board restarted (simulated reset #${this.restarts}): everything starts again from nothing`);
      this.start();
    }, this.options.restartDelay ?? 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.rebooting) clearTimeout(this.rebooting);
    this.board?.stop();
    this.board = null;
    this.options.wifi?.leave();
  }
}

/** Starts Aedes on 127.0.0.1, on `port` or the next free one. */
export async function startEmbeddedBroker(port = 1883, tries = 20): Promise<{ port: number; close(): Promise<void> }> {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  for (let p = port; p < port + tries; p++) {
    const server = createServer(broker.handle);
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(p, '127.0.0.1', () => resolve(true));
    });
    if (ok) return { port: p, close: () => closeBroker(server, broker) };
  }
  broker.close();
  throw new Error(`no free port from ${port} to ${port + tries - 1} on 127.0.0.1`);
}

function closeBroker(server: Server, broker: { close(cb: () => void): void }): Promise<void> {
  return new Promise((resolve) => broker.close(() => server.close(() => resolve())));
}

const SIM_HELP = `Usage: mqtt-pair sim [options]        (npm start runs this)

Runs the seed's two boards on this computer: ESP#1 publishes "Hello #N" on hello,
ESP#2 answers "received" on notification. Without --broker an embedded broker
starts on 127.0.0.1:1883 (or the next free port).

  --broker URL       use this broker, start none: mqtt://[user:pass@]host[:port] or host[:port]
  --role ROLE        pair (default: both boards), hello (ESP#1 only) or responder (ESP#2 only),
                     to pair one simulated board with a real one
  --interval MS      milliseconds between hellos (default 5000)
  --prefix PREFIX    topic prefix, e.g. LycMaurois/SNT_2nde/alice/
  --id CLIENTID      client id (with --role hello or responder; with pair, -1 and -2 are added)
  --no-wifi          skip the simulated WiFi join
  --help             this text
`;

/** `mqtt-pair sim` and `npm start`. Resolves with the exit code once stopped by a signal. */
export async function runSim(argv: string[]): Promise<number> {
  const opts: Record<string, string> = {};
  let wifi = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { process.stdout.write(SIM_HELP); return 0; }
    if (a === '--no-wifi') { wifi = false; continue; }
    const m = /^--(broker|role|interval|prefix|id)(?:=(.*))?$/.exec(a);
    if (!m) return usage(`unknown option "${a}" (see mqtt-pair sim --help)`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) return usage(`--${m[1]} needs a value (see mqtt-pair sim --help)`);
    opts[m[1]] = v;
  }
  const role = opts.role ?? 'pair';
  if (!['pair', 'hello', 'responder'].includes(role)) return usage(`--role "${role}" is unknown: use pair, hello or responder`);
  if (opts.interval !== undefined && !(Number.isInteger(Number(opts.interval)) && Number(opts.interval) >= 10)) {
    return usage(`--interval "${opts.interval}" is not a number of milliseconds from 10`);
  }
  let broker = opts.broker;
  let embedded: { port: number; close(): Promise<void> } | null = null;
  if (broker) {
    try { parseBroker(broker); } catch (e) {
      if (e instanceof ConfigError) return usage(`--broker: ${e.message}`);
      throw e;
    }
    console.log(`Using the broker at ${hideSecret(broker)}`);
  } else {
    embedded = await startEmbeddedBroker();
    broker = `127.0.0.1:${embedded.port}`;
    console.log(`Embedded MQTT broker (Aedes) listening on 127.0.0.1:${embedded.port}`);
  }
  const boards: SimBoard[] = [];
  const make = (name: string, r: string, id?: string) => boards.push(new SimBoard({
    name,
    // ESP#2 joins first, so that it is listening when ESP#1 sends Hello #0.
    wifi: wifi ? new SimWiFi(r === 'hello' ? 600 : 300) : undefined,
    config: {
      ssid: 'simulated', broker, role: r, interval: opts.interval, topicPrefix: opts.prefix,
      clientId: id ?? `mqtt-pair-${name}-${process.pid}`,
    },
  }).start());
  if (role === 'pair') {
    make('esp1', 'hello', opts.id && `${opts.id}-1`);
    make('esp2', 'responder', opts.id && `${opts.id}-2`);
  } else {
    make(role === 'hello' ? 'esp1' : 'esp2', role, opts.id);
  }
  if (boards.some((b) => !b.board)) { // bad config: the board said why
    for (const b of boards) b.stop();
    await embedded?.close();
    return 2;
  }
  console.log('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  for (const b of boards) b.stop();
  await embedded?.close();
  console.log('Stopped.');
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`mqtt-pair sim: ${message}\n`);
  return 2;
}
