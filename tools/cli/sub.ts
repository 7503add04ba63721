// `mqtt-pair sub`: mosquitto_sub's flags and meanings. Each message on its own line as soon as it
// arrives (payload bytes unchanged, `topic payload` with -v, or the -F format); reconnects once it
// was up; reading the broker stops while stdout is full.

import type { Message } from '../../src/mqtt/client';
import { filterError, matches } from '../../src/mqtt/topic';
import { printable } from '../../src/apps/text';
import { CONNECTION_FLAGS, parseCommon, unsupported } from './connection';
import { UsageError, integer, last, parseArgs, seconds, usageText, type Flag } from './flags';
import { cliWords } from '../words/cli';
import { applyFormat, parseFormat } from './format';
import { Session } from './session';

/** Exit code for -W running out, as mosquitto_sub (MOSQ_ERR_TIMEOUT). */
export const EXIT_TIMEOUT = 27;
/** --remove-retained: how long the end waits for the broker to acknowledge the last clears. */
const CLEAR_WAIT_MS = 10_000;

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
    names: ['--remove-retained'],
    key: 'removeRetained',
    help: 'clear each retained message received: publish an empty retained message on its topic (as mosquitto_sub); needs an end: --retained-only, -W or -C',
  },
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
  ...unsupported(['--random-filter'], 'not available in mqtt-pair'),
  ...unsupported(['--pretty'], 'JSON output is not available in mqtt-pair', false),
];

function subUsage(): string {
  return usageText(
    'mqtt-pair sub: subscribe to topics on an MQTT broker and print the messages, with the flags of mosquitto_sub.',
    [
      'mqtt-pair sub {[-h host] [-p port] [-u user [-P password]] -t filter ... | -L URL [-t filter ...]}',
      '[-q qos] [-v] [-C count] [-W seconds] [-N] [-F format] [-R] [--retained-only] [--remove-retained] [-T filter ...] [-E]',
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
      "  mqtt-pair sub -t 'LycMaurois/SNT_2nde/#' --remove-retained --retained-only -W 5 -v",
      "                                                (clear the class's retained messages, listing them)",
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

export async function sub(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SUB_FLAGS, 'mqtt-pair sub --help');
  if (p.has('help')) {
    process.stdout.write(subUsage());
    return 0;
  }
  const c = parseCommon(p, 'sub');
  const topics = c.topics;
  if (!topics.length) throw new UsageError(cliWords().pubSub.subNoTopic);
  for (const t of topics) {
    const e = filterError(t);
    if (e) throw new UsageError(e === 'a topic filter cannot be empty' ? cliWords().pubSub.subEmptyFilter : e);
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
  if (noRetained && retainedOnly) throw new UsageError(cliWords().pubSub.retainedContradict);
  const removeRetained = p.has('removeRetained');
  if (removeRetained && !retainedOnly && !timeout && !count) throw new UsageError(cliWords().pubSub.removeRetainedNeedsEnd);
  if (removeRetained && noRetained) throw new UsageError(cliWords().pubSub.removeRetainedSkipped);

  const run = new Session('mqtt-pair sub', c, { min: 1000, max: 30000 });
  const { client } = run;
  let printed = 0;
  let draining = false;

  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (e.g. `| head -1`): that is the end, not an error.
    run.finish(e.code === 'EPIPE' ? 0 : 1, e.code === 'EPIPE' ? undefined : `cannot write to stdout: ${e.message}`);
  });

  // --remove-retained: clears in flight (QoS 1, acknowledged by the broker) and done. The run ends
  // once every clear is acknowledged, as mosquitto_sub waits for its last one.
  let clearing = 0,
    cleared = 0;
  let ending: [number, string | undefined] | null = null;
  const end = (code: number, message?: string) => {
    if (run.finished) return;
    if (!clearing) {
      if (removeRetained) run.warn(`cleared ${cleared} retained message${cleared === 1 ? '' : 's'}`);
      return run.finish(code, message);
    }
    if (ending) return;
    ending = [code, message];
    run.later(CLEAR_WAIT_MS, () =>
      run.finish(1, `the broker did not acknowledge ${clearing} of the ${cleared + clearing} clears within ${CLEAR_WAIT_MS / 1000} s`),
    );
  };
  const clear = (topic: string) => {
    clearing++;
    client.publish(topic, new Uint8Array(0), { qos: 1, retain: true }, (err) => {
      clearing--;
      if (err) run.warn(`could not clear the retained message on ${printable(topic)}: ${err.message}`);
      else cleared++;
      if (ending && !clearing) end(...ending);
    });
  };

  if (timeout) {
    run.later(timeout * 1000, () =>
      end(EXIT_TIMEOUT, `timed out after ${timeoutText} s (-W ${timeoutText})${count ? ` with ${printed} of the ${count} messages wanted (-C ${count})` : ''}`),
    );
  }

  client.onMessage = (m) => {
    if (run.finished || ending || (count && printed >= count)) return;
    if (retainedOnly && !m.retain) return end(0);
    if (noRetained && m.retain) return;
    if (filterOut.some((f) => matches(f, m.topic))) return;
    if (removeRetained && m.retain && m.payload.length) clear(m.topic);
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
    if (count && printed >= count) setImmediate(() => end(0));
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

  client.onClose = (reason, retryIn, kind, refusal) => {
    if (!run.everConnected) {
      const [code, line] = run.closed(reason, kind, refusal);
      return run.finish(code, line);
    }
    if (!subscribed && kind === 'timeout') {
      return run.finish(1, `the broker at ${c.where} never acknowledged the subscription (${reason}): is it an MQTT broker that serves subscriptions?`);
    }
    const [, line] = run.closed(reason, kind, refusal);
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
