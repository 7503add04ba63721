// The host simulator: the firmware's own modules on Node, with real TCP, a simulated WiFi
// (join delay, scripted drop and return) and a simulated restart (the app is built again from
// nothing). `npm start` runs the seed's pair of boards against an embedded Aedes broker; `--role`
// runs one board of any role, with the keyboard and the terminal as its buttons and LED.

import { createServer, type Server } from 'node:net';
import { webSocketServer, type WebSocketServerClass } from './ws-server';
import { tcpClientStream } from './client-stream';
import type { Connection, ConnectionEvents, Endpoint, Host, TimerHandle, WiFi, WiFiEvents } from '../../src/host';
import { startBoard, type Board } from '../../src/apps/board';
import { MAX_DELAY, ROLES } from '../../src/apps/config';
import { brokerEndpoint, redact } from '../../src/endpoint';
import { keyboard, terminalColour, wantsColour, type Keyboard } from './devices';
import { connectEndpoint, nodeHost } from './host';
import { readCaFile } from './tls';
import { closest } from '../../tools/args';

/** A WiFi station that joins after `joinDelay` ms while the network is `available`. */
export class SimWiFi implements WiFi {
  available = true;
  private listener: WiFiEvents | null = null;
  private pending: TimerHandle | null = null;
  private joined = false;

  /** `timers`: whose after() and cancel() time the join (a test's virtual clock; setTimeout by default). */
  constructor(
    public joinDelay = 300,
    public ip = '127.0.0.1',
    private timers?: Pick<Host, 'after' | 'cancel'>,
  ) {}

  join(_ssid: string, _password: string, listener: WiFiEvents): void {
    this.leave();
    this.listener = listener;
    if (!this.available) return; // nothing answers: the join times out
    const joined = () => {
      this.pending = null;
      this.joined = true;
      listener.wifiEvent('connected');
      listener.wifiEvent('gotIP');
    };
    this.pending = this.timers ? this.timers.after(this.joinDelay, joined) : setTimeout(joined, this.joinDelay);
  }

  leave(): void {
    if (this.pending) {
      if (this.timers) this.timers.cancel(this.pending);
      else clearTimeout(this.pending as ReturnType<typeof setTimeout>);
    }
    this.pending = null;
    this.joined = false;
  }

  address(): string {
    return this.ip;
  }

  /** The access point goes away. */
  drop(): void {
    this.available = false;
    if (this.joined) {
      this.joined = false;
      this.listener?.wifiEvent('disconnected');
    }
  }

  /** The access point is back; the board's next join attempt succeeds. */
  restore(): void {
    this.available = true;
  }
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
  /** The board's hardware for the activity roles: sensor, buttons, LED (src/host.ts). */
  devices?: Pick<Host, 'sensor' | 'buttons' | 'showColour'>;
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
      log: (line) => {
        this.lines.push(line);
        print(`[${options.name}] ${line}`);
      },
      restart: (reason) => this.restart(reason),
      connect: options.connect ?? base.connect,
      wifi: options.wifi,
      ...options.devices,
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

/**
 * Starts Aedes on 127.0.0.1, on `port` or the next free one; with `webSocketPort`, a WebSocket
 * listener too (ws://127.0.0.1:<wsPort>/mqtt), on that port or the next free one, for the pages
 * of the origins `allowOrigin` accepts. A client that stops reading never holds the others back
 * (client-stream.ts).
 */
export async function startEmbeddedBroker(
  port = 1883,
  tries = 20,
  webSocketPort?: number,
  allowOrigin: (origin: string) => boolean = () => false,
): Promise<{ port: number; wsPort?: number; close(): Promise<void> }> {
  // Aedes and ws are bundled on their own beside this bundle (tools/build.mjs: dist/aedes.js),
  // loaded only when a broker is wanted, so that the installed command needs no package of the
  // registry. Both dist/index.js and dist/cli.cjs are in dist/, beside it.
  const { Aedes, WebSocketServer } = (await import(new URL('./aedes.js', import.meta.url).href)) as typeof import('aedes') & {
    WebSocketServer: WebSocketServerClass;
  };
  const broker = await Aedes.createBroker();
  const handle = (stream: NodeJS.ReadWriteStream) => broker.handle(stream as unknown as Parameters<typeof broker.handle>[0]);
  const server = createServer((socket) => handle(tcpClientStream(socket)));
  const p = await listenFrom(server, port, tries);
  if (p < 0) {
    broker.close();
    throw new Error(`no free port from ${port} to ${port + tries - 1} on 127.0.0.1`);
  }
  if (webSocketPort === undefined) return { port: p, close: () => closeBroker(server, broker) };
  const ws = webSocketServer(WebSocketServer, handle, allowOrigin);
  const wsPort = await listenFrom(ws, webSocketPort, tries);
  if (wsPort < 0) {
    await closeBroker(server, broker);
    throw new Error(`no free port from ${webSocketPort} to ${webSocketPort + tries - 1} on 127.0.0.1 for the WebSocket`);
  }
  return {
    port: p,
    wsPort,
    close: async () => {
      ws.close();
      ws.closeAllConnections();
      await closeBroker(server, broker);
    },
  };
}

/** Listens on 127.0.0.1 from `port` on (a server may listen again after a failed listen): the port it got, or -1. */
async function listenFrom(server: Server, port: number, tries: number): Promise<number> {
  for (let p = port; p < port + tries; p++) {
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(p, '127.0.0.1', () => resolve(true));
    });
    if (ok) return p;
  }
  return -1;
}

function closeBroker(server: Server, broker: { close(cb: () => void): void }): Promise<void> {
  return new Promise((resolve) => broker.close(() => server.close(() => resolve())));
}

/** What `mqtt-pair sim --role` accepts: the pair, then every firmware role. */
export const SIM_ROLES = ['pair', ...ROLES];

const SIM_HELP = `Usage: mqtt-pair sim [options]        (npm start runs this)

Runs the firmware's boards on this computer. With no --role, the seed's pair: ESP#1 publishes
"Hello #N" on hello, ESP#2 answers "received" on notification. Without --broker an embedded
broker starts on 127.0.0.1:1883 (or the next free port); with a single --role, when port 1883 is
already taken (another mqtt-pair sim, Mosquitto), the board uses the broker there instead.

  --broker URL       use this broker, start none: host[:port], mqtt://[user:pass@]host[:port],
                     mqtts://… (TLS, port 8883), ws://host[:port][/path] or wss://… (WebSocket,
                     path /mqtt when none is given)
  --cafile FILE      with mqtts:// or wss://: the CA certificate (PEM or DER) that signed the
                     broker's (without it, the CAs Node.js trusts)
  --insecure         with mqtts:// or wss://: don't check the host name in the certificate
  --role ROLE        pair (default: both boards), or one board, e.g. to pair with a real one:
                       hello      ESP#1: Hello #N on hello every 5 s, listens on notification
                       responder  ESP#2: answers "received" on notification to each hello
                       sensor     temperature and pressure every second, retained, on
                                  myRasp/sensors/temperature and .../pression; online/offline
                                  (its last will) on myRasp/sensors/status
                       chat       answers "echo: <line>" on <prefix><name> to each line on
                                  <prefix><peer> (needs --name and --peer); see mqtt-pair chat
                       remote     your arrow keys as up/down/left/right on remote/command
                                  (the same as mqtt-pair remote)
                       actuator   shows the colour asked on remote/command as a coloured block
                                  (the same as mqtt-pair actuator)
  --interval MS      milliseconds between hellos (default 5000) or sensor readings (default 1000)
  --prefix PREFIX    topic prefix, e.g. LycMaurois/SNT_2nde/alice/
  --name NAME        with --role chat: this board's name; it answers on <prefix>NAME
  --peer NAME        with --role chat: who it listens to, on <prefix>NAME
  --id CLIENTID      client id (with pair, -1 and -2 are added)
  --no-wifi          skip the simulated WiFi join
  --help             this text
`;

const REMOTE_HELP = `Usage: mqtt-pair remote [--broker URL] [--prefix PREFIX] [--id CLIENTID] [--no-wifi]

The remote control of the course (seeds 000 and 001), as a simulated board with role=remote.
Each arrow key you press is published on <prefix>remote/command: up, down, left or right; the
keys r g b y c m w o send a colour (red, green, blue, yellow, cyan, magenta, white, off).
q, Ctrl+C or Ctrl+D quits. From a pipe it reads one command per line and stops at the end:
  printf 'up\\nred\\n' | mqtt-pair remote --broker 192.168.1.144

An actuator listening on the same prefix changes colour (up green, down red, left yellow,
right blue): mqtt-pair actuator, or a board flashed with role=actuator.

  --broker URL       the broker: host[:port], mqtt://[user:pass@]host[:port], mqtts://…, ws://…
                     or wss://…; without it, the broker on 127.0.0.1:1883, or an embedded one
  --cafile FILE      with mqtts:// or wss://: the CA certificate that signed the broker's
  --prefix PREFIX    topic prefix, e.g. LycMaurois/SNT_2nde/alice/
  --id CLIENTID      client id (default: mqtt-pair-remote-<process id>)
  --no-wifi          skip the simulated WiFi join
  --help             this text
`;

const ACTUATOR_HELP = `Usage: mqtt-pair actuator [--broker URL] [--prefix PREFIX] [--id CLIENTID] [--no-wifi]

The actuator of the course (seed 000: a window that changes colour), as a simulated board with
role=actuator. It listens on <prefix>remote/command and shows each colour asked as a coloured
block with its name: up green, down red, left yellow, right blue, or a colour name (red, green,
blue, yellow, cyan, magenta, white, off). Ctrl+C stops it.

Drive it with mqtt-pair remote, a board flashed with role=remote, or by hand:
  mqtt-pair pub -h 192.168.1.144 -t LycMaurois/SNT_2nde/alice/remote/command -m up

  --broker URL       the broker: host[:port], mqtt://[user:pass@]host[:port], mqtts://…, ws://…
                     or wss://…; without it, the broker on 127.0.0.1:1883, or an embedded one
  --cafile FILE      with mqtts:// or wss://: the CA certificate that signed the broker's
  --prefix PREFIX    topic prefix, e.g. LycMaurois/SNT_2nde/alice/
  --id CLIENTID      client id (default: mqtt-pair-actuator-<process id>)
  --no-wifi          skip the simulated WiFi join
  --help             this text
`;

/**
 * `mqtt-pair sim` and `npm start`; also `mqtt-pair remote` and `mqtt-pair actuator` (`command`),
 * which are the sim with that role. Resolves with the exit code once stopped.
 */
export async function runSim(argv: string[], command: 'sim' | 'remote' | 'actuator' = 'sim'): Promise<number> {
  // Exit code 1 for a bad argument, as in every mqtt-pair command (and mosquitto's clients).
  const usage = (message: string) => {
    process.stderr.write(`mqtt-pair ${command}: ${message}\n`);
    return 1;
  };
  const opts: Record<string, string> = {};
  let wifi = true;
  let insecure = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(command === 'remote' ? REMOTE_HELP : command === 'actuator' ? ACTUATOR_HELP : SIM_HELP);
      return 0;
    }
    if (a === '--no-wifi') {
      wifi = false;
      continue;
    }
    if (a === '--insecure') {
      insecure = true;
      continue;
    }
    const m = command === 'sim' ? /^--(broker|role|interval|prefix|id|name|peer|cafile)(?:=(.*))?$/.exec(a) : /^--(broker|prefix|id|cafile)(?:=(.*))?$/.exec(a);
    if (!m) {
      const known =
        command === 'sim'
          ? ['--broker', '--role', '--interval', '--prefix', '--id', '--name', '--peer', '--cafile', '--insecure', '--no-wifi', '--help']
          : ['--broker', '--prefix', '--id', '--cafile', '--insecure', '--no-wifi', '--help'];
      const near = a.startsWith('-') ? closest(a.split('=')[0], known) : undefined;
      return usage(`unknown option "${a}"${near ? `: did you mean ${near}?` : ''} (see mqtt-pair ${command} --help)`);
    }
    const v = m[2] ?? argv[++i];
    if (v === undefined) return usage(`--${m[1]} needs a value (see mqtt-pair ${command} --help)`);
    opts[m[1]] = v;
  }
  const role = command === 'sim' ? (opts.role ?? 'pair') : command;
  if (!SIM_ROLES.includes(role)) return usage(`--role "${role}" is unknown: use ${SIM_ROLES.slice(0, -1).join(', ')} or ${SIM_ROLES[SIM_ROLES.length - 1]}`);
  if (role === 'chat' && (!opts.name || !opts.peer)) return usage('--role chat needs --name and --peer, e.g. --name esp --peer alice');
  if (opts.interval !== undefined && !(Number.isInteger(Number(opts.interval)) && Number(opts.interval) >= 10 && Number(opts.interval) <= MAX_DELAY)) {
    return usage(`--interval "${opts.interval}" is not a number of milliseconds from 10 to ${MAX_DELAY} (24 days)`);
  }
  let broker = opts.broker;
  let embedded: { port: number; close(): Promise<void> } | null = null;
  if (broker) {
    const parsed = brokerEndpoint(broker);
    if (typeof parsed === 'string') return usage(`--broker: ${parsed}`);
    const transport = parsed.transport;
    const secure = transport === 'tls' || transport === 'wss';
    if ((opts.cafile !== undefined || insecure) && !secure) {
      return usage(`${opts.cafile !== undefined ? '--cafile' : '--insecure'} is for a TLS broker: write --broker mqtts://… or wss://…`);
    }
    if (opts.cafile !== undefined) {
      try {
        readCaFile(opts.cafile);
      } catch (e) {
        return usage(`--cafile: ${(e as Error).message.replace(/^TLS: /, '')}`);
      }
    }
    console.log(`Using the broker at ${redact(broker)}`);
  } else if (opts.cafile !== undefined || insecure) {
    return usage(`${opts.cafile !== undefined ? '--cafile' : '--insecure'} is for a TLS broker: add --broker mqtts://… or wss://…`);
  } else {
    // One board alone is usually half of something: let a second one join the first one's broker.
    embedded = role === 'pair' ? await startEmbeddedBroker() : await startEmbeddedBroker(1883, 1).catch(() => null);
    if (embedded) {
      broker = `127.0.0.1:${embedded.port}`;
      console.log(`Embedded MQTT broker (Aedes) listening on 127.0.0.1:${embedded.port}`);
    } else {
      broker = '127.0.0.1:1883';
      console.log('Port 1883 is taken on this computer: using the MQTT broker there (127.0.0.1:1883)');
    }
  }

  // The hardware of the simulated boards: the keyboard as the remote's buttons, the terminal as the
  // actuator's LED. The session ends at a signal, or when the remote's input ends.
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let keys: Keyboard | null = null;
  const devices: SimBoardOptions['devices'] = {};
  if (role === 'remote') {
    // From a pipe, the next line waits while 50 commands wait for the broker: none is dropped.
    keys = keyboard(
      process.stdin,
      () => finish(),
      () => (boards[0]?.board?.client.pending ?? 0) >= 50,
    );
    devices.buttons = keys.buttons;
    if (process.stdin.isTTY) console.log('Arrow keys: up, down, left, right; r g b y c m w o: a colour; q: quit.');
  }
  if (role === 'actuator') devices.showColour = terminalColour((l) => console.log(`[actuator] ${l}`), wantsColour(process.stdout));

  const boards: SimBoard[] = [];
  const make = (name: string, r: string, id?: string) =>
    boards.push(
      new SimBoard({
        name,
        wifi: wifi ? new SimWiFi(300) : undefined,
        devices,
        connect: insecure ? (to, events) => connectEndpoint({ ...to, insecure: true }, events) : undefined,
        config: {
          ssid: 'simulated',
          broker,
          role: r,
          interval: opts.interval,
          topicPrefix: opts.prefix,
          ca: opts.cafile,
          name: opts.name,
          peer: opts.peer,
          clientId: id ?? `mqtt-pair-${name}-${process.pid}`,
        },
      }),
    );
  if (role === 'pair') {
    // ESP#2 first, and ESP#1 once ESP#2 is subscribed (or 5 s later), so that Hello #0 has a listener.
    make('esp2', 'responder', opts.id && `${opts.id}-2`);
    make('esp1', 'hello', opts.id && `${opts.id}-1`);
    boards[0].start();
    let started = false;
    const startEsp1 = () => {
      if (!started) {
        started = true;
        boards[1].start();
      }
    };
    const esp2 = boards[0].board?.client;
    if (esp2) {
      const ready = esp2.onReady.bind(esp2);
      esp2.onReady = () => {
        ready();
        startEsp1();
      };
      setTimeout(startEsp1, 5000).unref();
    }
  } else {
    make(role === 'hello' ? 'esp1' : role === 'responder' ? 'esp2' : role, role, opts.id);
    boards[0].start();
  }
  const close = async () => {
    keys?.close();
    for (const b of boards) b.stop();
    await embedded?.close();
  };
  if (!boards[0].board) {
    // bad config: the board said why (ESP#1's is the same but for its role)
    await close();
    return 1;
  }
  if (!keys || !process.stdin.isTTY) console.log('Press Ctrl+C to stop.');
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  await finished;
  process.off('SIGINT', finish);
  process.off('SIGTERM', finish);
  if (keys) {
    // The remote's last commands: let them reach the broker before DISCONNECT.
    const unsent = await drain(boards[0], 10000);
    if (unsent) console.log(`${unsent} command${unsent > 1 ? 's were' : ' was'} not sent: no connection to the broker`);
  }
  await close();
  console.log('Stopped.');
  return 0;
}

/** Waits until the board has no message waiting for the broker (or `ms` passes); returns how many still wait. */
async function drain(board: SimBoard, ms: number): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    const client = board.board?.client;
    if (!client || (client.connected && client.pending === 0)) return 0;
    if (Date.now() > until) return client.pending;
    await new Promise((r) => setTimeout(r, 50));
  }
}
