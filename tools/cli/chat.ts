// `mqtt-pair chat`: the chat of the high-school activity. Each user publishes what they type on
// <prefix><name> and prints what arrives on <prefix><peer>. Lines come from a terminal (readline)
// or a pipe; the end of the input (Ctrl+D) or Ctrl+C leaves with DISCONNECT, once every line typed
// has reached the broker.

import { clearLine, createInterface, cursorTo } from 'node:readline';
import { brokerName } from '../../src/endpoint';
import { MqttClient, type MqttError, payloadText } from '../../src/mqtt/client';
import { topicError } from '../../src/mqtt/topic';
import { utf8Length, wellFormed } from '../../src/mqtt/codec';
import { printable } from '../../src/apps/text';
import { nameLevel } from '../../src/apps/chat';
import { nodeHost } from '../../hosts/node/host';
import { BROKER_FLAGS, brokerFromFlags } from './broker-flags';
import { UsageError, last, parseArgs, usageText, type Flag } from './flags';
import { errorLine } from './lines';
import { topicWhy } from './topic-why';
import { cliWords, closeReason } from '../words/cli';

const FLAGS: Flag[] = [
  { names: ['--name'], key: 'name', value: 'name', example: 'alice', help: 'your first name: you publish on <prefix><name>' },
  { names: ['--peer'], key: 'peer', value: 'name', example: 'bob', help: 'the first name of who you chat with: you read <prefix><peer>' },
  ...BROKER_FLAGS,
  {
    names: ['--prefix'],
    key: 'prefix',
    value: 'prefix',
    example: 'LycMaurois/SNT_2nde/',
    help: 'topic prefix, e.g. LycMaurois/SNT_2nde/ (a / is added if missing)',
  },
  { names: ['--id'], key: 'id', value: 'clientid', example: 'alice-laptop', help: 'client id (default: mqtt-pair-chat-<process id>)' },
  { names: ['--help'], key: 'help', help: 'this text' },
];

function usage(): string {
  const words = cliWords();
  return usageText(
    words.chatTitle,
    ['mqtt-pair chat --name NAME --peer NAME [--broker URL] [-u USER -P PASSWORD] [--prefix PREFIX] [--id CLIENTID]'],
    FLAGS,
    words.chatUsageFooter,
  );
}

export async function chat(argv: string[]): Promise<number> {
  const p = parseArgs(argv, FLAGS, 'mqtt-pair chat --help');
  if (p.has('help')) {
    process.stdout.write(usage());
    return 0;
  }
  const say = (message: string, code = 1) => {
    errorLine('mqtt-pair chat', message);
    return code;
  };
  const words = cliWords();
  const opts = { name: last(p, 'name'), peer: last(p, 'peer'), id: last(p, 'id') };
  let prefix = last(p, 'prefix') ?? '';
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  for (const key of ['name', 'peer'] as const) {
    const v = opts[key];
    if (!v) throw new UsageError(words.chatMissing(key));
    if (topicError(prefix + v)) throw new UsageError(words.chatNotATopic(key, v, prefix, words.topicWhy(topicWhy(prefix + v))));
  }
  const endpoint = brokerFromFlags(p, '127.0.0.1')!;
  const where = brokerName(endpoint, true);
  const mine = prefix + nameLevel(opts.name!),
    theirs = prefix + nameLevel(opts.peer!);
  const peer = opts.peer!;

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

  // What a CONNECT cannot carry, said by its flag (the client, src/mqtt/client.ts, would refuse it in English).
  const fields = [
    ['--id', 'id', opts.id],
    [last(p, 'username') === undefined ? '--broker' : '-u', 'user', endpoint.username],
    [last(p, 'password') === undefined ? '--broker' : '-P', 'password', endpoint.password],
  ] as const;
  for (const [flag, what, v] of fields) {
    if (v === undefined) continue;
    if (!wellFormed(v)) throw new UsageError(words.notText(flag, what));
    if (utf8Length(v) > 65535) throw new UsageError(`${flag}${words.sep}${words.pubSub.tooLong(what, utf8Length(v))}`);
  }
  const client = new MqttClient(nodeHost({ log: () => {} }), endpoint, {
    clientId: opts.id ?? `mqtt-pair-chat-${process.pid}`,
    keepalive: 60,
    reconnect: { min: 1000, max: 30000 },
    // Every line piped in is held until the broker has it (a board's bound is 100).
    queue: { messages: 1 << 20, bytes: 268435455 },
  });
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
    if (everConnected) return void say(words.chatReconnected(where), 0);
    everConnected = true;
    client.subscribe(theirs, { qos: 1 }, (err, granted) => {
      if (finished) return;
      if (granted === 0x80) return finish(1, words.chatRefused(printable(theirs), endpoint.username === undefined ? undefined : printable(endpoint.username)));
      if (err) return finish(1, words.chatCannotRead(theirs, closeReason(err.message, (err as MqttError).kind)));
      say(words.chatConnected(where, opts.name!, mine, peer, theirs), 0);
      if (interactive) rl.prompt();
    });
  };
  client.onClose = (reason, retryIn, kind, code) => {
    if (finished) return;
    // In French, the reason in words from its kind and the CONNACK code, not the client's English.
    const said = closeReason(reason, kind, code);
    if (!everConnected) {
      const hint =
        kind === 'unreachable' || kind === 'dns'
          ? `${words.sep}${words.checkBroker}`
          : kind === 'refused'
            ? `${words.sep}${endpoint.username === undefined ? words.addAccount : words.checkAccount(endpoint.username)}`
            : '';
      return finish(1, `${words.cannotConnect(where, said)}${hint}`);
    }
    say(words.chatLost(where, said, (retryIn / 1000).toFixed(1)), 0);
  };

  rl.on('line', (line) => {
    if (!line.trim() || finished) return;
    // QoS 1: the broker acknowledges each line, and a line typed while the link is down waits for it.
    client.publish(mine, line, { qos: 1 }, (err) => {
      if (err && !finished) say(words.chatNotSent(line, err.message), 0);
    });
    if (interactive) rl.prompt();
  });
  rl.on('close', () => {
    // The end of the input: leave once every line has reached the broker (10 s at most).
    const until = Date.now() + 10000;
    const wait = () => {
      if (finished) return;
      if (client.connected && client.pending === 0) return finish(0);
      if (Date.now() > until) return finish(1, words.chatUnacknowledged(client.pending, where));
      setTimeout(wait, 20);
    };
    wait();
  });
  client.connect();
  return done;
}
