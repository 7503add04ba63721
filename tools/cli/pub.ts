// `mqtt-pair pub`: mosquitto_pub's flags and meanings. One message (-m, -f, -n, -s), repeated
// (--repeat), or one a line of stdin (-l); QoS 1 and 2 wait for the broker's acknowledgement.

import { readFileSync, statSync } from 'node:fs';
import { topicError } from '../../src/mqtt/topic';
import { CONNECTION_FLAGS, parseCommon } from './connection';
import { UsageError, fileErrorWhy, integer, last, parseArgs, seconds, usageText, type Flag } from './flags';
import { cliWords } from '../words/cli';
import { Session } from './session';

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

export async function pub(argv: string[]): Promise<number> {
  const p = parseArgs(argv, PUB_FLAGS, 'mqtt-pair pub --help');
  if (p.has('help')) {
    process.stdout.write(pubUsage());
    return 0;
  }
  const c = parseCommon(p, 'pub');
  const topic = c.topics[c.topics.length - 1];
  if (topic === undefined) throw new UsageError(cliWords().pubSub.pubNoTopic);
  const te = topicError(topic);
  if (te) throw new UsageError(te === 'a topic cannot be empty' ? cliWords().pubSub.pubEmptyTopic : cliWords().pubSub.pubBadTopic(te));

  const sources = ['message', 'file', 'null', 'stdin', 'lines'].reduce((n, k) => n + (p.get(k)?.length ?? 0), 0);
  if (sources > 1) throw new UsageError(cliWords().pubSub.oneMessage);
  if (sources === 0) throw new UsageError(cliWords().pubSub.noMessage);
  const repeatText = last(p, 'repeat');
  if (repeatText !== undefined && p.has('lines')) throw new UsageError(cliWords().pubSub.repeatNotLines);
  const repeat = repeatText === undefined ? 1 : integer('--repeat', repeatText, 1, 1_000_000, 'a count');
  const delayText = last(p, 'repeatDelay');
  const delay = delayText === undefined ? 0 : seconds('--repeat-delay', delayText, true);

  const inflightText = last(p, 'maxInflight');
  if (inflightText !== undefined) c.options.inflight = integer('-M', inflightText, 1, 65535, 'a number of messages');

  // The most one PUBLISH can carry besides its topic (and packet identifier).
  const room = 268435455 - 2 - Buffer.byteLength(topic) - (c.qos ? 2 : 0);
  const tooBig = (n: number, what: string) => new UsageError(cliWords().pubSub.tooBig(what, n, room));
  let payload: Uint8Array | undefined;
  const message = last(p, 'message');
  const file = last(p, 'file');
  if (message !== undefined) payload = Buffer.from(message, 'utf8');
  else if (p.has('null')) payload = new Uint8Array(0);
  else if (file !== undefined) payload = readMessageFile(file, room, tooBig);
  else if (p.has('stdin')) payload = await readStdin(room, tooBig);
  if (payload && payload.length > room) throw tooBig(payload.length, cliWords().pubSub.theMessage);

  const run = new Session('mqtt-pair pub', c, false);
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
  client.onClose = (reason, _retryIn, kind, refusal) => {
    const [code, line] = run.closed(reason, kind, refusal);
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
    if (size > max) throw tooBig(size, cliWords().pubSub.theFile(file));
    return readFileSync(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(cliWords().pubSub.cannotReadFile(file, fileErrorWhy(e)));
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
      throw tooBig(total, cliWords().pubSub.theStdin);
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
