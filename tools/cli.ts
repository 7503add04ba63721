// The mqtt-pair command: `pub` and `sub` with mosquitto_pub's and mosquitto_sub's flags and
// meanings, `sim` for the board simulator, and room for more subcommands in COMMANDS below.
//
// Rules every subcommand keeps: a problem is ONE line on stderr, prefixed `mqtt-pair <cmd>: `,
// saying what is wrong and how to fix it (never a stack trace); a password is never printed;
// SIGINT/SIGTERM send DISCONNECT (so the broker does not publish the will) and exit 0.

import { existsSync, readFileSync, statSync } from 'node:fs';
// sim, classroom, watch and chat load when they are asked for (each its own chunk): pub and sub
// start without reading http, readline or the simulator.
import { nodeHost } from '../hosts/node/host';
import type { Connection, Endpoint, Host, Transport } from '../src/host';
import { readCaFile } from '../hosts/node/tls';
import { brokerName, defaultPort, hostName, redact } from '../src/endpoint';
import { CONNACK_ERRORS, MqttClient, type ClientOptions, type Message, type QoS } from '../src/mqtt/client';
import {
  CONNACK,
  CONNECT,
  Decoder,
  MAX_REMAINING_LENGTH,
  PUBACK,
  PUBCOMP,
  PUBLISH,
  PUBREC,
  PUBREL,
  SUBACK,
  SUBSCRIBE,
  UNSUBACK,
  UNSUBSCRIBE,
  type Packet,
} from '../src/mqtt/codec';
import { filterError, matches, topicError } from '../src/mqtt/topic';
import { printable } from '../src/apps/text';
import { applyFormat, parseFormat } from './format';
import { UsageError, integer, last, parseArgs, parseBrokerUrl, seconds, usageText, type Flag, type Parsed } from './args';

// ---- the subcommands

interface Command {
  name: string;
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

/** Every subcommand; `main` dispatches on this table and `mqtt-pair --help` lists it. */
export const COMMANDS: Command[] = [
  { name: 'pub', summary: 'publish a message (or one per line of stdin), like mosquitto_pub', run: (argv) => pub(argv) },
  { name: 'sub', summary: 'subscribe and print the messages, like mosquitto_sub', run: (argv) => sub(argv) },
  { name: 'sim', summary: 'run the two boards on this computer (npm start)', run: async (argv) => (await import('../hosts/node/sim')).runSim(argv) },
  {
    name: 'classroom',
    summary: 'simulate a whole class of pairs in one process, with a live table (or page, --web)',
    run: async (argv) => (await import('./classroom')).runClassroom(argv),
  },
  {
    name: 'watch',
    summary: "watch a class's pairs on a broker: a live page (--web) or table, for real boards too",
    run: async (argv) => (await import('./watch')).runWatch(argv),
  },
  { name: 'chat', summary: 'chat with another student: type on <prefix><name>, read <prefix><peer>', run: async (argv) => (await import('./chat')).chat(argv) },
  {
    name: 'remote',
    summary: 'the remote control: arrow keys as up/down/left/right on <prefix>remote/command',
    run: async (argv) => (await import('../hosts/node/sim')).runSim(argv, 'remote'),
  },
  {
    name: 'actuator',
    summary: 'the actuator: a coloured block driven by <prefix>remote/command',
    run: async (argv) => (await import('../hosts/node/sim')).runSim(argv, 'actuator'),
  },
  { name: 'bench', summary: 'measure the codec and the client against mqtt-packet and MQTT.js (npm run bench; --json)', run: () => runBench() },
];

/** Exit code for -W running out, as mosquitto_sub (MOSQ_ERR_TIMEOUT). */
export const EXIT_TIMEOUT = 27;
export { parseBrokerUrl } from './args';

/** `mqtt-pair <command> ...`; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(topUsage());
    return 1;
  }
  if (name === '--help' || name === '-h' || name === 'help' || name === '-?') {
    if (name === 'help' && rest.length) {
      const c = COMMANDS.find((x) => x.name === rest[0]);
      if (!c) return fail('mqtt-pair', `unknown command '${rest[0]}': the commands are ${COMMANDS.map((x) => x.name).join(', ')}`);
      return c.run(['--help']);
    }
    process.stdout.write(topUsage());
    return 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`mqtt-pair ${version()}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const hint = name.startsWith('-') ? 'put the command first, e.g. mqtt-pair sub -t hello' : `the commands are ${COMMANDS.map((c) => c.name).join(', ')}`;
    return fail('mqtt-pair', `unknown command '${name}': ${hint} (mqtt-pair --help)`);
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) return fail(`mqtt-pair ${name}`, e.message);
    const err = e as Error;
    if (process.env.MQTT_PAIR_DEBUG) process.stderr.write(`${err.stack}\n`);
    return fail(`mqtt-pair ${name}`, `internal error: ${err?.message ?? String(e)} (set MQTT_PAIR_DEBUG=1 for details)`);
  }
}

function topUsage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `mqtt-pair ${version()}: classroom MQTT tools (mosquitto_pub/mosquitto_sub compatible) and the board simulator`,
    '',
    'Usage: mqtt-pair <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}${c.summary}`),
    '',
    'mqtt-pair <command> --help (or mqtt-pair help <command>) lists the options of a command.',
    '',
    'Examples:',
    "  mqtt-pair sub -h 192.168.1.144 -t 'class/#' -v",
    "  mqtt-pair pub -h 192.168.1.144 -t class/hello -m 'Hello from the teacher'",
    '',
  ].join('\n');
}

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version ?? '?';
  } catch {
    return '?';
  }
}

/** One line on stderr, then the exit code 1 (or `code`). */
function fail(prefix: string, message: string, code = 1): number {
  errorLine(prefix, message);
  return code;
}

/** One line on stderr. What came from the network in it (a topic, a reason) cannot drive the terminal. */
function errorLine(prefix: string, message: string): void {
  process.stderr.write(`${prefix}: ${printable(message.replace(/\s*\n\s*/g, ' '))}\n`);
}

/** The benchmark is a development tool, kept out of the bundle: loaded from tools/ when asked for. */
async function runBench(): Promise<number> {
  const url = new URL('../tools/bench.mjs', import.meta.url);
  if (!existsSync(url)) return fail('mqtt-pair bench', 'the benchmark is a development tool: run it in the repository, with npm run bench');
  const bench = url.href;
  const { done } = (await import(bench)) as { done: Promise<void> };
  await done;
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

// ---- the flags

const CLIENT_CERTS = 'client certificates are not supported by mqtt-pair: the broker must accept a user name and password (-u, -P) or anonymous clients';
const TLS_DEFAULTS = "mqtt-pair uses Node.js's TLS settings (TLS 1.2 or 1.3, its ciphers)";
const V5 = 'it is an MQTT v5 feature and mqtt-pair speaks MQTT 3.1.1';
const unsupported = (names: string[], why: string, value = true): Flag[] =>
  names.map((n) => ({ names: [n], key: n, value: value ? 'x' : undefined, help: '', unsupported: why }));

const CONNECTION_FLAGS: Flag[] = [
  { names: ['-h', '--host'], key: 'host', value: 'host', example: '192.168.1.144', help: 'broker to connect to (default: localhost, which means 127.0.0.1)' },
  { names: ['-p', '--port'], key: 'port', value: 'port', example: '1883', help: 'broker port (default: 1883; 8883 with TLS)' },
  {
    names: ['-L', '--url'],
    key: 'url',
    value: 'url',
    example: 'mqtt://192.168.1.144:1883/class/hello',
    help: 'broker, user, password, port and topic as one URL: mqtt://[user[:password]@]host[:port]/topic, mqtts:// for TLS (port 8883), ws:// or wss:// for WebSocket with the path first: ws://host:8080/mqtt/topic; -h, -p, -u and -P override its parts',
  },
  {
    names: ['-u', '--username'],
    key: 'username',
    value: 'user',
    example: 'alice',
    help: 'user name for the broker',
    strayHint: 'an unexpected argument follows -u <user> (not shown, in case it is a password): put -P in front of the password',
  },
  { names: ['-P', '--pw', '--password'], key: 'password', value: 'password', help: 'password for the broker (needs -u); never printed' },
  { names: ['-i', '--id'], key: 'id', value: 'id', example: 'teacher-laptop', help: 'client id (default: mqtt-pair-<command>-<process id>)' },
  { names: ['-I', '--id-prefix'], key: 'idPrefix', value: 'prefix', example: 'class-', help: 'client id made of this prefix and the process id' },
  { names: ['-k', '--keepalive'], key: 'keepalive', value: 'seconds', example: '60', help: 'keepalive in seconds, 1 to 65535 (default: 60)' },
  { names: ['-c', '--disable-clean-session'], key: 'persist', help: 'keep the session on the broker between runs (needs -i)' },
  { names: ['-V', '--protocol-version'], key: 'protocol', value: 'version', example: 'mqttv311', help: 'MQTT protocol version: only mqttv311 (the default)' },
  {
    names: ['--will-topic'],
    key: 'willTopic',
    value: 'topic',
    example: 'class/alice/status',
    help: 'topic of the will: what the broker publishes if this client vanishes without DISCONNECT',
  },
  { names: ['--will-payload'], key: 'willPayload', value: 'message', example: 'offline', help: 'payload of the will (default: empty)' },
  { names: ['--will-qos'], key: 'willQos', value: 'qos', example: '1', help: 'QoS of the will, 0, 1 or 2 (default: 0)' },
  { names: ['--will-retain'], key: 'willRetain', help: 'make the will a retained message' },
  { names: ['-d', '--debug'], key: 'debug', help: 'print every MQTT packet sent and received, on stdout as mosquitto does (passwords never)' },
  { names: ['--quiet'], key: 'quiet', help: "don't print connection errors and warnings (bad arguments are still reported)" },
  {
    names: ['--cafile'],
    key: 'cafile',
    value: 'file',
    example: 'ca.crt',
    help: "TLS: trust the CA certificate in this file (PEM or DER) to check the broker's; turns TLS on, port 8883",
  },
  { names: ['--insecure'], key: 'insecure', help: "TLS: don't check that the broker's certificate is for the host name given (the CA is still checked)" },
  { names: ['--tls-use-os-certs'], key: 'osCerts', help: 'TLS with the CAs Node.js trusts (as mqtts:// without --cafile); turns TLS on, port 8883' },
  { names: ['--nodelay'], key: 'nodelay', help: 'accepted for compatibility: mqtt-pair always disables Nagle' },
  { names: ['--help'], key: 'help', help: 'show this help' },
  ...unsupported(['--capath'], 'give the CA certificate as a file with --cafile'),
  ...unsupported(['--cert', '--key', '--keyform'], CLIENT_CERTS),
  ...unsupported(['--ciphers', '--tls-version', '--tls-alpn', '--tls-engine', '--tls-engine-kpass-sha1'], TLS_DEFAULTS),
  ...unsupported(['--psk', '--psk-identity'], 'pre-shared keys are not supported by mqtt-pair: use certificates (--cafile)'),
  ...unsupported(['-x', '-D', '--property'], V5),
  ...unsupported(['-A'], 'binding to a local address is not available in mqtt-pair'),
  ...unsupported(['--unix'], 'unix sockets are not available in mqtt-pair: use -h and -p'),
  ...unsupported(['--proxy'], 'SOCKS proxies are not available in mqtt-pair'),
];

const PUB_FLAGS: Flag[] = [
  { names: ['-t', '--topic'], key: 'topic', value: 'topic', example: 'class/hello', help: 'topic to publish to (no + or #)' },
  { names: ['-m', '--message'], key: 'message', value: 'message', example: "'hello'", help: 'message to send' },
  { names: ['-f', '--file'], key: 'file', value: 'file', example: 'picture.jpg', help: "send a file's contents, byte for byte, as the message" },
  { names: ['-n', '--null-message'], key: 'null', help: 'send an empty (zero length) message; with -r it clears the retained message' },
  { names: ['-s', '--stdin-file'], key: 'stdin', help: 'read the message from stdin, all of it as one message' },
  { names: ['-l', '--stdin-line'], key: 'lines', help: 'read messages from stdin, one message per line' },
  { names: ['-q', '--qos'], key: 'qos', value: 'qos', example: '1', help: 'QoS 0, 1 or 2 (default: 0); with 1 and 2, waits for the broker to acknowledge' },
  { names: ['-r', '--retain'], key: 'retain', help: 'retained: the broker keeps the message and gives it to later subscribers' },
  { names: ['--repeat'], key: 'repeat', value: 'count', example: '10', help: 'with -m, -f, -n or -s: publish the message this many times' },
  { names: ['--repeat-delay'], key: 'repeatDelay', value: 'seconds', example: '1', help: 'with --repeat: seconds between the publishes (default: 0)' },
  {
    names: ['-M', '--max-inflight'],
    key: 'maxInflight',
    value: 'count',
    example: '20',
    help: 'QoS 1/2 messages sent and not yet acknowledged at most, 1 to 65535 (default: 20, as Mosquitto, which drops those beyond its own window)',
  },
  ...CONNECTION_FLAGS,
];

const SUB_FLAGS: Flag[] = [
  { names: ['-t', '--topic'], key: 'topic', value: 'filter', example: "'class/#'", help: 'topic filter to subscribe to, + and # allowed; repeat -t for more' },
  { names: ['-q', '--qos'], key: 'qos', value: 'qos', example: '1', help: 'QoS 0, 1 or 2 for the subscriptions (default: 0)' },
  { names: ['-v', '--verbose'], key: 'verbose', help: "print 'topic payload' instead of the payload alone" },
  { names: ['-C', '--count'], key: 'count', value: 'count', example: '1', help: 'exit after printing this many messages' },
  {
    names: ['-W', '--timeout'],
    key: 'timeout',
    value: 'seconds',
    example: '10',
    help: `exit with code ${EXIT_TIMEOUT} after this many seconds (decimals allowed)`,
  },
  { names: ['-N', '--no-eol'], key: 'noEol', help: 'no newline after each message' },
  {
    names: ['-F', '--format'],
    key: 'format',
    value: 'format',
    example: "'%t %q %p'",
    help: 'output format, as mosquitto_sub 2.0: %t topic, %p payload, %q QoS, %r retain, %l length, %m message id, %x/%X payload in hex, %I ISO time, %U Unix time, %j JSON, %J JSON with the payload as JSON, %% a %; @H @M @S … a strftime time, @N nanoseconds; width and alignment (%-20t, %05l); \\n \\t \\\\ escapes',
  },
  { names: ['-R', '--no-retained'], key: 'noRetained', help: "don't print retained (stale) messages" },
  { names: ['--retained-only'], key: 'retainedOnly', help: 'print only retained messages; exit at the first message that is not retained' },
  {
    names: ['-T', '--filter-out'],
    key: 'filterOut',
    value: 'filter',
    example: 'class/noise',
    help: "don't print messages whose topic matches this filter; repeatable",
  },
  { names: ['-E', '--exit-after-subscribe'], key: 'exitAfterSub', help: 'exit once the broker has acknowledged the subscriptions' },
  ...CONNECTION_FLAGS,
  ...unsupported(['-U'], 'unsubscribing is not available in mqtt-pair sub'),
  ...unsupported(['--remove-retained'], 'use mqtt-pair pub -r -n -t <topic> to clear a retained message', false),
  ...unsupported(['--random-filter'], 'not available in mqtt-pair'),
  ...unsupported(['--pretty'], 'JSON output is not available in mqtt-pair', false),
];

/** What the flags every command shares say. */
interface Common {
  endpoint: Endpoint;
  where: string;
  options: ClientOptions;
  debug: boolean;
  quiet: boolean;
  qos: QoS;
  topics: string[];
}

function parseCommon(p: Parsed, cmd: 'pub' | 'sub'): Common {
  let host = 'localhost';
  let port: number | undefined;
  let username: string | undefined;
  let password: string | undefined;
  let transport: Transport = 'tcp';
  let path: string | undefined;
  const topics: string[] = [];
  const url = last(p, 'url');
  if (url !== undefined) {
    const u = parseBrokerUrl(url);
    host = u.host;
    port = u.port;
    username = u.username;
    password = u.password;
    transport = u.transport;
    path = u.path;
    if (u.topic) topics.push(u.topic);
  }
  // TLS as mosquitto's clients do it: mqtts:// (or wss://), or --cafile / --tls-use-os-certs with -h.
  const cafile = last(p, 'cafile');
  const insecure = p.has('insecure');
  if (cafile !== undefined || p.has('osCerts')) {
    if (transport === 'ws')
      throw new UsageError(`${cafile !== undefined ? '--cafile' : '--tls-use-os-certs'} is for TLS: write the URL as wss:// instead of ws://`);
    if (transport === 'tcp') transport = 'tls';
  }
  if (insecure && (transport === 'tcp' || transport === 'ws')) {
    throw new UsageError('--insecure only applies to TLS: use it with --cafile, -L mqtts:// or -L wss://');
  }
  if (cafile !== undefined) {
    try {
      readCaFile(cafile);
    } catch (e) {
      throw new UsageError(`--cafile: ${(e as Error).message.replace(/^TLS: /, '')}`);
    }
  }
  const hostText = last(p, 'host');
  if (hostText !== undefined) {
    const h = hostName(hostText);
    if (!h) {
      throw new UsageError(
        /[@/]/.test(hostText)
          ? `-h takes a host name or address alone, got '${redact(hostText)}': give the user with -u and the password with -P, or the whole URL with -L`
          : `-h needs a host name or IP address, e.g. -h 192.168.1.144, got '${redact(hostText)}'`,
      );
    }
    host = h;
  }
  if (!host) throw new UsageError('-h needs a host name or IP address, e.g. -h 192.168.1.144');
  // (With TLS the name stays: the certificate may be for "localhost" only.)
  if (host === 'localhost' && (transport === 'tcp' || transport === 'ws')) host = '127.0.0.1';
  const portText = last(p, 'port');
  if (portText !== undefined) port = integer('-p', portText, 1, 65535, 'a port number');
  port ??= defaultPort(transport);
  username = last(p, 'username') ?? username;
  password = last(p, 'password') ?? password;
  if (password !== undefined && username === undefined) {
    throw new UsageError('-P (password) needs -u (user name) too: MQTT 3.1.1 sends a password only with a user name');
  }
  const protocol = last(p, 'protocol');
  if (protocol !== undefined && !['mqttv311', '311', 'v311', '4'].includes(protocol.toLowerCase())) {
    throw new UsageError(`-V ${protocol}: mqtt-pair speaks MQTT 3.1.1 only, use -V mqttv311 or leave -V out`);
  }
  const keepalive = last(p, 'keepalive') === undefined ? 60 : integer('-k', last(p, 'keepalive')!, 1, 65535, 'a keepalive in seconds');
  const id = last(p, 'id');
  const prefix = last(p, 'idPrefix');
  if (id !== undefined && prefix !== undefined) throw new UsageError('-i and -I cannot be used together: give the whole id with -i, or a prefix with -I');
  if (id === '') throw new UsageError('-i needs a client id that is not empty, e.g. -i teacher-laptop');
  const clean = !p.has('persist');
  if (!clean && id === undefined) {
    throw new UsageError('-c (keep the session) needs a client id that stays the same between runs: add -i <id>, e.g. -c -i teacher-laptop');
  }
  const clientId = id ?? `${prefix ?? `mqtt-pair-${cmd}-`}${process.pid}`;
  const qos = last(p, 'qos') === undefined ? 0 : (integer('-q', last(p, 'qos')!, 0, 2, 'a QoS level') as QoS);

  let will: ClientOptions['will'];
  const willTopic = last(p, 'willTopic');
  if (willTopic !== undefined) {
    const e = topicError(willTopic);
    if (e) throw new UsageError(`--will-topic: ${e}`);
    will = {
      topic: willTopic,
      payload: last(p, 'willPayload') ?? '',
      qos: last(p, 'willQos') === undefined ? 0 : (integer('--will-qos', last(p, 'willQos')!, 0, 2, 'a QoS level') as QoS),
      retain: p.has('willRetain'),
    };
  } else {
    for (const [key, flag] of [
      ['willPayload', '--will-payload'],
      ['willQos', '--will-qos'],
      ['willRetain', '--will-retain'],
    ]) {
      if (p.has(key)) throw new UsageError(`${flag} needs --will-topic too, e.g. --will-topic class/alice/status`);
    }
  }
  // Each of these goes into CONNECT behind a two-byte length.
  const tooLong = (what: string, v: string | undefined) => {
    if (v !== undefined && Buffer.byteLength(v) > 65535) throw new UsageError(`${what} is ${Buffer.byteLength(v)} bytes, MQTT allows at most 65535`);
  };
  tooLong('the client id', clientId);
  tooLong('the user name', username);
  tooLong('the password', password);
  if (will) tooLong('--will-payload', will.payload as string);
  for (const t of p.get('topic') ?? []) topics.push(t);
  const endpoint: Endpoint = {
    host,
    port,
    ...(transport !== 'tcp' && { transport }),
    ...(path !== undefined && { path }),
    ...(cafile !== undefined && { ca: cafile }),
    ...(insecure && { insecure }),
  };
  return {
    endpoint,
    // The broker as error lines name it: host:port for plain MQTT, a URL for TLS and WebSocket.
    where: brokerName(endpoint, true),
    options: { clientId, clean, keepalive, username, password, will },
    debug: p.has('debug'),
    quiet: p.has('quiet'),
    qos,
    topics,
  };
}

// ---- one run of pub or sub: the client, the signals, the one way out

/** Hints after a CONNACK refusal, by return code. */
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

class Run {
  readonly client: MqttClient;
  finished = false;
  everConnected = false;
  readonly done: Promise<number>;
  private resolve!: (code: number) => void;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private lastConnack: number | undefined;
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

  /** The exit code and the line for a connection that closed: a refusal, an unreachable broker, a lost link. */
  closed(reason: string): [number, string] {
    const { where } = this.c;
    const code = this.lastConnack;
    if (code) {
      const name = CONNACK_ERRORS[code] || `code ${code}`;
      return [code <= 5 ? code : 1, `the broker at ${where} refused the connection: ${name}${refusalHint(code, this.c)}`];
    }
    if (/^no MQTT broker at/.test(reason)) return [1, `${reason}: check -h and -p, and that the broker is running`];
    if (/does not resolve/.test(reason)) return [1, `${reason}: check -h, or give the broker's IP address`];
    if (/CONNACK timeout/.test(reason)) return [1, `${where} did not answer the MQTT CONNECT within 10 s: is it an MQTT broker? check -h and -p`];
    if (!this.everConnected && /^(TLS|WebSocket): /.test(reason)) return [1, reason];
    if (!this.everConnected && /^protocol error/.test(reason)) {
      return [1, `${where} does not answer in MQTT (${reason}): is it a WebSocket port (-L ws://…) or a TLS one (-L mqtts://…)? check -h and -p`];
    }
    if (!this.everConnected) return [1, `cannot connect to ${where}: ${reason}`];
    return [1, `lost the connection to ${where}: ${reason}`];
  }

  /**
   * The host with its connections watched: the CONNACK return code is kept (for the exit code,
   * as mosquitto's), and with -d every packet each way is described on stderr. Passwords never.
   */
  private tap(base: Host): Host {
    const id = this.c.options.clientId;
    return {
      ...base,
      connect: (to, events) => {
        this.lastConnack = undefined;
        let reading = true;
        const incoming = new Decoder((p) => {
          if (p.type === CONNACK) {
            this.lastConnack = p.returnCode;
            if (!this.c.debug) reading = false;
          }
          this.debug(`Client ${id} received ${printable(describe(p))}`);
        });
        const outgoing = new Decoder((p) => this.debug(`Client ${id} sending ${printable(describe(p))}`));
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
          closed: (reason) => events.closed(reason),
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

/** One packet in mosquitto's -d manner, e.g. `PUBLISH (d0, q1, r0, m3, 'class/hello', ... (5 bytes))`. */
function describe(p: Packet): string {
  switch (p.type) {
    case CONNECT: {
      const parts = [`c${p.clean ? 1 : 0}`, `k${p.keepalive}`, `id '${p.clientId}'`];
      if (p.username !== undefined) parts.push(`user '${p.username}'`);
      if (p.password !== undefined) parts.push('password set');
      if (p.will) parts.push(`will '${p.will.topic}' q${p.will.qos} r${p.will.retain ? 1 : 0}`);
      return `CONNECT (${parts.join(', ')})`;
    }
    case CONNACK:
      return `CONNACK (${p.returnCode}${p.returnCode ? `: ${CONNACK_ERRORS[p.returnCode] ?? 'refused'}` : ''})`;
    case PUBLISH:
      return `PUBLISH (d${p.dup ? 1 : 0}, q${p.qos}, r${p.retain ? 1 : 0}, m${p.id}, '${p.topic}', ... (${p.payload.length} bytes))`;
    case PUBACK:
    case PUBREC:
    case PUBREL:
    case PUBCOMP:
    case UNSUBACK:
      return `${['', '', '', '', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', '', '', '', 'UNSUBACK'][p.type]} (Mid: ${p.id})`;
    case SUBSCRIBE:
      return `SUBSCRIBE (Mid: ${p.id}, ${p.subscriptions.map((s) => `Topic: ${s.filter}, QoS: ${s.qos}`).join('; ')})`;
    case SUBACK:
      return `SUBACK (Mid: ${p.id}, granted: ${p.granted.map((g) => (g === 0x80 ? '0x80 refused' : g)).join(', ')})`;
    case UNSUBSCRIBE:
      return `UNSUBSCRIBE (Mid: ${p.id}, ${p.filters.join(', ')})`;
    default:
      return ['', '', '', '', '', '', '', '', '', '', '', '', 'PINGREQ', 'PINGRESP', 'DISCONNECT'][p.type] || `packet type ${p.type}`;
  }
}

// ---- pub

function pubUsage(): string {
  return usageText(
    'mqtt-pair pub: publish a message to an MQTT broker, with the flags of mosquitto_pub.',
    [
      'mqtt-pair pub {[-h host] [-p port] [-u user [-P password]] -t topic | -L URL}',
      '{-m message | -f file | -n | -s | -l} [-q qos] [-r] [-i id] [-k keepalive] [-c] [-d] [--cafile file [--insecure]]',
      '[--repeat N [--repeat-delay seconds]] [--will-topic topic [--will-payload payload] [--will-qos qos] [--will-retain]]',
    ],
    PUB_FLAGS,
    [
      'Examples:',
      "  mqtt-pair pub -h 192.168.1.144 -t class/hello -m 'Hello everyone'",
      '  mqtt-pair pub -h 192.168.1.144 -t class/board/led -m on -q 1 -r',
      '  mqtt-pair pub -L mqtt://alice:secret@192.168.1.144/class/alice -m hi',
      '  mqtt-pair pub -L mqtts://192.168.1.144/class/alice --cafile ca.crt -m hi     (TLS)',
      '  mqtt-pair pub -L ws://192.168.1.144:8080/mqtt/class/alice -m hi            (WebSocket)',
      '  mqtt-pair pub -t class/picture -f photo.jpg',
      '  mqtt-pair pub -t class/board/led -r -n          (clears the retained message)',
      'Exit code: 0 once the broker has the message (QoS 1 and 2 wait for its acknowledgment),',
      'the CONNACK code (1-5) if the broker refuses the connection, 1 for any other problem.',
    ],
  );
}

async function pub(argv: string[]): Promise<number> {
  const p = parseArgs(argv, PUB_FLAGS, 'mqtt-pair pub --help');
  if (p.has('help')) {
    process.stdout.write(pubUsage());
    return 0;
  }
  const c = parseCommon(p, 'pub');
  const topic = c.topics[c.topics.length - 1];
  if (topic === undefined) throw new UsageError("no topic: say where to publish with -t, e.g. -t class/hello -m 'hi'");
  const te = topicError(topic);
  if (te) throw new UsageError(te === 'a topic cannot be empty' ? 'the topic is empty: give one with -t, e.g. -t class/hello' : `${te}, e.g. -t class/hello`);

  const sources = ['message', 'file', 'null', 'stdin', 'lines'].reduce((n, k) => n + (p.get(k)?.length ?? 0), 0);
  if (sources > 1) throw new UsageError('give only one message: one of -m, -f, -n, -s or -l, once');
  if (sources === 0)
    throw new UsageError("no message: add -m 'text' (or -f file, -n for an empty message, -s to read stdin, -l for one message per line of stdin)");
  const repeatText = last(p, 'repeat');
  if (repeatText !== undefined && p.has('lines')) throw new UsageError('--repeat works with -m, -f, -n and -s, not with -l');
  const repeat = repeatText === undefined ? 1 : integer('--repeat', repeatText, 1, 1_000_000, 'a count');
  const delayText = last(p, 'repeatDelay');
  const delay = delayText === undefined ? 0 : seconds('--repeat-delay', delayText, true);

  const inflightText = last(p, 'maxInflight');
  if (inflightText !== undefined) c.options.inflight = integer('-M', inflightText, 1, 65535, 'a number of messages');

  // The most one PUBLISH can carry besides its topic (and packet identifier).
  const room = 268435455 - 2 - Buffer.byteLength(topic) - (c.qos ? 2 : 0);
  const tooBig = (n: number, what: string) =>
    new UsageError(`${what} is ${n > room ? `more than ${room}` : n} bytes, more than MQTT allows in one packet with this topic (256 MB)`);
  let payload: Uint8Array | undefined;
  const message = last(p, 'message');
  const file = last(p, 'file');
  if (message !== undefined) payload = Buffer.from(message, 'utf8');
  else if (p.has('null')) payload = new Uint8Array(0);
  else if (file !== undefined) payload = readMessageFile(file, room, tooBig);
  else if (p.has('stdin')) payload = await readStdin(room, tooBig);
  if (payload && payload.length > room) throw tooBig(payload.length, 'the message');

  const run = new Run('mqtt-pair pub', c, false);
  const { client } = run;
  const ackName = c.qos === 2 ? 'PUBCOMP' : 'PUBACK';
  let outstanding = 0; // published, not yet acknowledged (QoS 1/2) or written (QoS 0)
  let inputDone = false;
  let batch = false; // sending many at once: the last one settles, not the first
  let waiting: Uint8Array[] = []; // lines read before the connection was up
  let cancelAckTimer: (() => void) | null = null;

  const settle = () => {
    if (batch || run.finished) return;
    cancelAckTimer?.();
    cancelAckTimer = null;
    if (outstanding > 0) {
      cancelAckTimer = run.later(10_000, () =>
        run.finish(1, `no ${ackName} from ${c.where} within 10 s: the broker did not confirm the message to ${topic}; it may not have arrived`),
      );
    } else if (inputDone) {
      run.finish(0);
    }
  };
  const send = (bytes: Uint8Array) => {
    outstanding++;
    client.publish(topic, bytes, { qos: c.qos, retain: p.has('retain') }, (err) => {
      outstanding--;
      if (err) run.finish(1, `could not publish to ${topic}: ${err.message}`);
      else if (!run.finished) settle();
    });
    settle();
  };

  client.onConnect = () => {
    if (run.everConnected) return; // a reconnection: the client sends again what was not acknowledged
    run.everConnected = true;
    if (payload) {
      const bytes = payload;
      let sent = 0;
      const next = () => {
        if (run.finished) return;
        batch = true;
        do send(bytes);
        while (++sent < repeat && !delay && !run.finished);
        batch = false;
        if (sent >= repeat) inputDone = true;
        else run.later(delay * 1000, next);
        settle();
      };
      next();
    } else {
      const lines = waiting;
      waiting = [];
      batch = true;
      for (const l of lines) send(l);
      batch = false;
      settle();
    }
  };
  client.onWarning = (w) => run.warn(w);
  client.onClose = (reason) => {
    const [code, line] = run.closed(reason);
    run.finish(
      code,
      run.everConnected && outstanding > 0
        ? `the connection to ${c.where} closed before the broker acknowledged the message (${reason}); it may not have arrived`
        : line,
    );
  };

  if (p.has('lines')) {
    run.onFinish = () => process.stdin.destroy();
    readLines(
      (line) => {
        if (client.connected) send(line);
        else waiting.push(line);
      },
      () => {
        inputDone = true;
        if (client.connected) settle();
      },
      (e) => run.finish(1, `cannot read stdin: ${e.message}`),
    );
  }
  client.connect();
  return run.done;
}

function readMessageFile(file: string, max: number, tooBig: (n: number, what: string) => Error): Uint8Array {
  try {
    const size = statSync(file).size; // before reading: a file too large is refused unread
    if (size > max) throw tooBig(size, `the file '${file}'`);
    return readFileSync(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`-f: cannot read the file '${file}': ${why}`);
  }
}

/** All of stdin, as one message; more than `max` bytes stops the reading there and is refused. */
async function readStdin(max: number, tooBig: (n: number, what: string) => Error): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > max) {
      process.stdin.destroy();
      throw tooBig(total, 'the message on stdin');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Calls `line` for each line of stdin (bytes, without the '\n'), then `end`. */
function readLines(line: (bytes: Uint8Array) => void, end: () => void, error: (e: Error) => void): void {
  let rest = Buffer.alloc(0);
  process.stdin.on('data', (chunk: Buffer) => {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      line(Buffer.from(buf.subarray(0, nl)));
      buf = buf.subarray(nl + 1);
    }
    rest = Buffer.from(buf);
  });
  process.stdin.on('end', () => {
    if (rest.length) line(rest);
    end();
  });
  process.stdin.on('error', error);
}

// ---- sub

function subUsage(): string {
  return usageText(
    'mqtt-pair sub: subscribe to topics on an MQTT broker and print the messages, with the flags of mosquitto_sub.',
    [
      'mqtt-pair sub {[-h host] [-p port] [-u user [-P password]] -t filter ... | -L URL [-t filter ...]}',
      '[-q qos] [-v] [-C count] [-W seconds] [-N] [-F format] [-R] [-T filter ...] [-E]',
      '[-i id] [-k keepalive] [-c] [-d] [--cafile file [--insecure]]',
      '[--will-topic topic [--will-payload payload] [--will-qos qos] [--will-retain]]',
    ],
    SUB_FLAGS,
    [
      'Each message is printed on its own line on stdout as soon as it arrives: the payload as it',
      "is (bytes unchanged), or 'topic payload' with -v ('topic (null)' for an empty payload).",
      'If the connection drops after it was up, sub reconnects by itself (1 s, then up to 30 s apart);',
      'if the first connection fails it stops at once. Ctrl+C disconnects cleanly (no will) and exits 0.',
      '',
      'Examples:',
      '  mqtt-pair sub -h 192.168.1.144 -t hello -v',
      "  mqtt-pair sub -h 192.168.1.144 -t 'class/#' -v",
      '  mqtt-pair sub -L mqtt://alice:secret@192.168.1.144/class/alice/# -v',
      "  mqtt-pair sub -L 'mqtts://192.168.1.144/class/#' --cafile ca.crt -v     (TLS)",
      "  mqtt-pair sub -L 'wss://broker.example/mqtt/class/#' -v                  (WebSocket over TLS)",
      '  mqtt-pair sub -t class/hello -C 1 -W 10       (wait at most 10 s for one message)',
      `Exit code: 0 (-C reached, -E, Ctrl+C), ${EXIT_TIMEOUT} when -W runs out, the CONNACK code (1-5)`,
      'if the broker refuses the connection, 1 for any other problem.',
    ],
  );
}

interface Output {
  verbose: boolean;
  eol: boolean;
  format?: ReturnType<typeof parseFormat>;
  /** stdout is a terminal: topics are escaped (a topic from the network cannot drive it); a pipe gets them as they are. */
  terminal?: boolean;
}

async function sub(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SUB_FLAGS, 'mqtt-pair sub --help');
  if (p.has('help')) {
    process.stdout.write(subUsage());
    return 0;
  }
  const c = parseCommon(p, 'sub');
  const topics = c.topics;
  if (!topics.length) throw new UsageError("no topic: say what to listen to with -t, e.g. -t hello or -t 'class/#'");
  for (const t of topics) {
    const e = filterError(t);
    if (e) throw new UsageError(e === 'a topic filter cannot be empty' ? '-t needs a topic filter that is not empty, e.g. -t hello' : e);
  }
  const filterOut = p.get('filterOut') ?? [];
  for (const t of filterOut) {
    const e = filterError(t);
    if (e) throw new UsageError(`-T: ${e}`);
  }
  const countText = last(p, 'count');
  const count = countText === undefined ? 0 : integer('-C', countText, 1, Number.MAX_SAFE_INTEGER, 'a message count');
  const timeoutText = last(p, 'timeout');
  const timeout = timeoutText === undefined ? 0 : seconds('-W', timeoutText);
  const formatText = last(p, 'format');
  const out: Output = {
    verbose: p.has('verbose'),
    eol: !p.has('noEol'),
    format: formatText === undefined ? undefined : parseFormat(formatText),
    terminal: !!process.stdout.isTTY,
  };
  const noRetained = p.has('noRetained');
  const retainedOnly = p.has('retainedOnly');
  if (noRetained && retainedOnly) throw new UsageError('-R (no retained messages) and --retained-only contradict each other: keep one');

  const run = new Run('mqtt-pair sub', c, { min: 1000, max: 30000 });
  const { client } = run;
  let printed = 0;
  let draining = false;

  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (e.g. `| head -1`): that is the end, not an error.
    run.finish(e.code === 'EPIPE' ? 0 : 1, e.code === 'EPIPE' ? undefined : `cannot write to stdout: ${e.message}`);
  });

  if (timeout) {
    run.later(timeout * 1000, () =>
      run.finish(
        EXIT_TIMEOUT,
        `timed out after ${timeoutText} s (-W ${timeoutText})${count ? ` with ${printed} of the ${count} messages wanted (-C ${count})` : ''}`,
      ),
    );
  }

  client.onMessage = (m) => {
    if (run.finished || (count && printed >= count)) return;
    if (retainedOnly && !m.retain) return run.finish(0);
    if (noRetained && m.retain) return;
    if (filterOut.some((f) => matches(f, m.topic))) return;
    // stdout full (a slow pipe, a paused terminal): stop reading the broker until it drains, so
    // that TCP holds the messages back, not this process's memory. One wait, however many
    // messages were already decoded from what was read.
    if (!process.stdout.write(formatMessage(m, out, (w) => run.warn(w))) && run.conn?.pause && !draining) {
      const conn = run.conn;
      draining = true;
      conn.pause!();
      process.stdout.once('drain', () => {
        draining = false;
        conn.resume?.();
      });
    }
    printed++;
    // Later, not now: the client acknowledges a QoS 1 message just after handing it over.
    if (count && printed >= count) setImmediate(() => run.finish(0));
  };

  client.onWarning = (w) => run.warn(w);
  let subscribed = false;
  client.onReady = () => {
    subscribed = true;
  };

  client.onConnect = (sessionPresent) => {
    if (run.everConnected) {
      run.warn(`reconnected to ${c.where}${sessionPresent ? ' (session resumed)' : ''}`);
      return; // the client subscribes again by itself
    }
    run.everConnected = true;
    let acked = 0;
    for (const t of topics) {
      client.subscribe(t, { qos: c.qos }, (err, granted) => {
        if (run.finished) return;
        if (err || granted === 0x80) {
          const who = c.options.username === undefined ? 'anonymous clients' : `user '${c.options.username}'`;
          return run.finish(1, `the broker refused the subscription to '${t}' (SUBACK 0x80): ${who} may not read it; check the topic and the broker's ACL`);
        }
        run.debug(`Subscribed to '${t}' (granted QoS ${granted})`);
        if (++acked === topics.length && p.has('exitAfterSub')) run.finish(0);
      });
    }
  };

  client.onClose = (reason, retryIn) => {
    if (!run.everConnected) {
      const [code, line] = run.closed(reason);
      return run.finish(code, line);
    }
    if (!subscribed && /^no SUBACK/.test(reason)) {
      return run.finish(1, `the broker at ${c.where} never acknowledged the subscription (${reason}): is it an MQTT broker that serves subscriptions?`);
    }
    const [, line] = run.closed(reason);
    run.warn(retryIn >= 0 ? `${line}; reconnecting in ${(retryIn / 1000).toFixed(1)} s` : line);
  };

  client.connect();
  return run.done;
}

/** A message as sub prints it: raw payload bytes, `topic payload` with -v, or the -F format. */
export function formatMessage(m: Message, o: Output, warn?: (line: string) => void): Buffer {
  if (o.terminal) m = { ...m, topic: printable(m.topic) };
  const eol = o.eol ? '\n' : '';
  const payload = Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.length);
  if (o.format !== undefined) return Buffer.concat([...applyFormat(o.format, m, payload, new Date(), warn), Buffer.from(eol)]);
  if (o.verbose) return Buffer.concat([Buffer.from(`${m.topic} `), payload.length ? payload : Buffer.from('(null)'), Buffer.from(eol)]);
  return Buffer.concat([payload, Buffer.from(eol)]);
}
