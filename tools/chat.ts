// `mqtt-pair chat`: the chat of seed 000. Each user publishes what they type on <prefix><name> and
// prints what arrives on <prefix><peer>. Lines come from a terminal (readline) or a pipe; the end
// of the input (Ctrl+D) or Ctrl+C leaves with DISCONNECT, once every line typed has reached the broker.

import { clearLine, createInterface, cursorTo } from 'node:readline';
import { brokerEndpoint, brokerName } from '../src/endpoint';
import { MqttClient, payloadText } from '../src/mqtt/client';
import { topicError } from '../src/mqtt/topic';
import { printable } from '../src/apps/text';
import { closest } from './args';
import { nodeHost } from '../hosts/node/host';
import type { Endpoint } from '../src/host';

const HELP = `Usage: mqtt-pair chat --name NAME --peer NAME [--broker URL] [-u USER -P PASSWORD] [--prefix PREFIX] [--id CLIENTID]

The chat of the course (seed 000): what you type is published on <prefix><name>, and what your
peer types, on <prefix><peer>, is printed as "peer: text". Each line is sent when you press
Enter. Ctrl+D (the end of the input) or Ctrl+C leaves the chat.

  --name NAME        your first name: you publish on <prefix>NAME
  --peer NAME        the first name of who you chat with: you read <prefix>NAME
  --broker URL       the broker: mqtt://[user:pass@]host[:port] or host[:port] (default: 127.0.0.1:1883)
  -u, --username USER     the user name the broker knows you by (as mosquitto_pub -u)
  -P, --password PASSWORD your password (needs -u); never printed
  --prefix PREFIX    topic prefix, e.g. LycMaurois/SNT_2nde/ (a / is added if missing)
  --id CLIENTID      client id (default: mqtt-pair-chat-<process id>)
  --help             this text

Example, on two computers of the class:
  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name alice --peer bob
  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name bob --peer alice
It works through pipes too: echo 'Bonjour Bob' | mqtt-pair chat --name alice --peer bob
A board flashed with role=chat answers "echo: <line>" to each line (docs/flashing.md).
`;

export async function chat(argv: string[]): Promise<number> {
  // Exit code 1 for a bad argument, as in every mqtt-pair command.
  const say = (message: string, code = 1) => {
    process.stderr.write(`mqtt-pair chat: ${message}\n`);
    return code;
  };
  const FLAGS = ['--name', '--peer', '--broker', '--prefix', '--id', '--username', '--password', '-u', '-P', '--help'];
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(HELP);
      return 0;
    }
    const short = a === '-u' ? 'username' : a === '-P' ? 'password' : undefined;
    const m = short ? [a, short, undefined] : /^--(name|peer|broker|prefix|id|username|password)(?:=(.*))?$/.exec(a);
    if (!m) {
      const near = a.startsWith('-') ? closest(a.split('=')[0], FLAGS) : undefined;
      return say(`unknown option "${a}"${near ? `: did you mean ${near}?` : ''} (see mqtt-pair chat --help)`);
    }
    const v = m[2] ?? argv[++i];
    if (v === undefined) return say(`${short ? a : `--${m[1]}`} needs a value (see mqtt-pair chat --help)`);
    opts[m[1]!] = v;
  }
  let prefix = opts.prefix ?? '';
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  for (const key of ['name', 'peer']) {
    if (!opts[key]) return say(`--${key} is missing: e.g. mqtt-pair chat --name alice --peer bob`);
    const e = topicError(prefix + opts[key]);
    if (e) return say(`--${key} "${opts[key]}" (with --prefix "${prefix}") is not a topic: ${e}`);
  }
  const parsed = brokerEndpoint(opts.broker ?? '127.0.0.1');
  if (typeof parsed === 'string') return say(`--broker: ${parsed}`);
  const endpoint: Endpoint = parsed;
  if (endpoint.host === 'localhost') endpoint.host = '127.0.0.1'; // the mosquitto clients' meaning
  if (opts.password !== undefined && opts.username === undefined && endpoint.username === undefined) {
    return say('-P (password) needs -u (user name) too: MQTT 3.1.1 sends a password only with a user name');
  }
  if (opts.username !== undefined) endpoint.username = opts.username;
  if (opts.password !== undefined) endpoint.password = opts.password;
  const where = brokerName(endpoint, true);
  const mine = prefix + opts.name,
    theirs = prefix + opts.peer;
  const peer = opts.peer;

  const interactive = !!process.stdin.isTTY && !!process.stdout.isTTY;
  const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive, crlfDelay: Infinity });
  if (interactive) rl.setPrompt(`${opts.name}> `);
  const print = (line: string) => {
    if (!interactive) return void process.stdout.write(`${line}\n`);
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
    process.stdout.write(`${line}\n`);
    rl.prompt(true);
  };

  let client: MqttClient;
  try {
    client = new MqttClient(nodeHost({ log: () => {} }), endpoint, {
      clientId: opts.id ?? `mqtt-pair-chat-${process.pid}`,
      keepalive: 60,
      reconnect: { min: 1000, max: 30000 },
      // Every line piped in is held until the broker has it (a board's bound is 100).
      queue: { messages: 1 << 20, bytes: 268435455 },
    });
  } catch (e) {
    return say(`${opts.id !== undefined && /client id/.test((e as Error).message) ? '--id' : '--broker'}: ${(e as Error).message}`);
  }
  let everConnected = false;
  let finished = false;
  let resolve!: (code: number) => void;
  const done = new Promise<number>((r) => {
    resolve = r;
  });
  const finish = (code: number, message?: string) => {
    if (finished) return;
    finished = true;
    if (message) say(message);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rl.removeAllListeners('close');
    rl.close();
    process.stdin.pause();
    client.end();
    resolve(code);
  };
  const onSignal = () => finish(0);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  rl.on('SIGINT', onSignal); // Ctrl+C in a terminal, which readline catches

  client.onMessage = (m) => {
    // One message, one line, as text: a newline in it cannot fake a second speaker.
    if (m.topic === theirs) print(`${printable(peer)}: ${printable(payloadText(m.payload))}`);
  };
  client.onConnect = () => {
    if (everConnected) return void say(`reconnected to ${where}`, 0);
    everConnected = true;
    client.subscribe(theirs, { qos: 1 }, (err) => {
      if (finished) return;
      if (err) return finish(1, `cannot read ${theirs}: ${err.message} (the broker's access rules?)`);
      say(
        `connected to ${where}: you are ${opts.name} on ${mine}, reading ${peer} on ${theirs}. Type a line and Enter to send it; Ctrl+D or Ctrl+C to leave.`,
        0,
      );
      if (interactive) rl.prompt();
    });
  };
  client.onClose = (reason, retryIn) => {
    if (finished) return;
    if (!everConnected) {
      const hint = /no MQTT broker|does not resolve/.test(reason)
        ? ': check --broker, and that the broker is running'
        : /bad user name or password|not authorized/.test(reason)
          ? endpoint.username === undefined
            ? ': this broker wants a user name and password: add -u <user> -P <password>'
            : `: check the user name (-u ${endpoint.username}) and the password (-P)`
          : '';
      return finish(1, `cannot connect to ${where}: ${reason}${hint}`);
    }
    say(`lost the connection to ${where}: ${reason}; reconnecting in ${(retryIn / 1000).toFixed(1)} s`, 0);
  };

  rl.on('line', (line) => {
    if (!line.trim() || finished) return;
    // QoS 1: the broker acknowledges each line, and a line typed while the link is down waits for it.
    client.publish(mine, line, { qos: 1 }, (err) => {
      if (err && !finished) say(`"${line}" not sent: ${err.message}`, 0);
    });
    if (interactive) rl.prompt();
  });
  rl.on('close', () => {
    // The end of the input: leave once every line has reached the broker (10 s at most).
    const until = Date.now() + 10000;
    const wait = () => {
      if (finished) return;
      if (client.connected && client.pending === 0) return finish(0);
      if (Date.now() > until) return finish(1, `${client.pending} line(s) not acknowledged by ${where} within 10 s: they may not have arrived`);
      setTimeout(wait, 20);
    };
    wait();
  });
  client.connect();
  return done;
}
