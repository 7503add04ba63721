// `mqtt-pair explore`: the broker as MQTT Explorer shows it, in a browser: a topic tree with counts
// and last values, a topic's history, live charts of numeric topics, and clearing the retained
// messages under a branch. The page is served on 127.0.0.1 (--web); the tree is bounded
// (--max-topics, --history: tools/explorer/tree.ts).

import { brokerName } from '../../src/endpoint';
import { decodeUtf8 } from '../../src/mqtt/codec';
import { MqttClient, type MqttError } from '../../src/mqtt/client';
import { filterError, matches } from '../../src/mqtt/topic';
import { printable } from '../../src/apps/text';
import { nodeHost } from '../../hosts/node/host';
import { learnRetained } from './explore-retained';
import { filterWhy } from './topic-why';
import { branchFilter, keptTopic, type Seen, TopicTree, VALUE_CHARS } from '../explorer/tree';
import { type AskRetained, startExplorerView } from '../view/explorer-server';
import { BROKER_FLAGS, brokerFromFlags } from './broker-flags';
import { langOption } from './class-options';
import { UsageError, integer, last, parseArgs, seconds, usageText, type Flag } from './flags';
import { holdStopSignals, untilStopped } from './session';
import { cliWords, closeReason } from '../words/cli';

const EXPLORE_FLAGS: Flag[] = [
  ...BROKER_FLAGS,
  {
    names: ['-t', '--topic'],
    key: 'topic',
    value: 'filter',
    example: "'LycMaurois/SNT_2nde/#'",
    help: "what to explore, + and # allowed; repeatable (default: '#')",
  },
  { names: ['--web'], key: 'web', value: 'port', example: '8081', help: 'serve the explorer on http://127.0.0.1:<port>/ (default: 8081; 0: any free port)' },
  { names: ['--lang'], key: 'lang', value: 'fr|en', example: 'fr', help: "the page's language (default: the browser's)" },
  { names: ['--max-topics'], key: 'maxTopics', value: 'n', example: '2000', help: 'topics kept at most (default: 2000); more are counted, not kept' },
  { names: ['--history'], key: 'history', value: 'n', example: '50', help: 'messages kept a topic (default: 50)' },
  { names: ['--duration'], key: 'duration', value: 'seconds', example: '3600', help: 'stop after this many seconds (default: until Ctrl+C)' },
  { names: ['--help'], key: 'help', help: 'show this help' },
];

function exploreUsage(): string {
  return usageText(
    'mqtt-pair explore: the broker in a browser, as MQTT Explorer shows it: the topic tree with counts and last values, the history of a topic, live charts of numeric topics, and clearing retained messages under a branch.',
    ['mqtt-pair explore [--broker URL] [-u USER -P PASSWORD] [-t FILTER ...] [--web PORT] [--lang fr|en] [--max-topics N] [--history N]'],
    EXPLORE_FLAGS,
    [
      'Examples:',
      "  mqtt-pair explore --broker 192.168.1.144 -t 'LycMaurois/SNT_2nde/#' --web 8081",
      '  mqtt-pair explore --broker ws://192.168.1.144:9001',
      'The page is served on 127.0.0.1 only: open it on this computer.',
    ],
  );
}

/** Retained topics a question to the broker collects at most (a branch's count says « more »). */
const RETAINED_MAX = 10_000;

/** A message as the explorer keeps it: text cut to VALUE_CHARS, or only its size when it is not UTF-8. */
function seenOf(seq: number, payload: Uint8Array, qos: number, retain: boolean): Seen {
  let text = '',
    binary = false;
  try {
    text = decodeUtf8(payload, 0, Math.min(payload.length, VALUE_CHARS * 4));
    if (text.length > VALUE_CHARS) text = `${text.slice(0, VALUE_CHARS)}…`;
    else if (payload.length > VALUE_CHARS * 4) text += '…';
  } catch {
    // Cut inside a character, or not text at all: text when the whole is.
    try {
      decodeUtf8(payload);
      text = `${decodeUtf8(payload, 0, Math.min(payload.length, VALUE_CHARS)).slice(0, VALUE_CHARS)}…`;
    } catch {
      binary = true;
    }
  }
  return { text, size: payload.length, binary, qos, retain, at: Date.now(), seq };
}

export async function runExplore(argv: string[]): Promise<number> {
  const p = parseArgs(argv, EXPLORE_FLAGS, 'mqtt-pair explore --help');
  if (p.has('help')) {
    process.stdout.write(exploreUsage());
    return 0;
  }
  const endpoint = brokerFromFlags(p, '127.0.0.1:1883')!;
  const filters = p.get('topic') ?? ['#'];
  for (const f of filters) {
    if (filterError(f)) throw new UsageError(cliWords().exploreFilter(f, filterWhy(f)));
  }
  const webText = last(p, 'web');
  const webPort = webText === undefined ? 8081 : integer('--web', webText, 0, 65535, 'a port number');
  const maxTopicsText = last(p, 'maxTopics');
  const historyText = last(p, 'history');
  const tree = new TopicTree({
    maxTopics: maxTopicsText === undefined ? undefined : integer('--max-topics', maxTopicsText, 1, 100_000, 'a number of topics'),
    maxHistory: historyText === undefined ? undefined : integer('--history', historyText, 1, 10_000, 'a number of messages'),
  });
  const durationText = last(p, 'duration');
  const stopAfter = durationText === undefined ? undefined : seconds('--duration', durationText);
  const lang = langOption(last(p, 'lang'));
  const where = brokerName(endpoint, true);

  const client = new MqttClient(nodeHost({ log: () => {} }), endpoint, {
    clientId: `mqtt-pair-explore-${process.pid}`,
    keepalive: 30,
    reconnect: { min: 500, max: 5000 },
    queue: { messages: 100, bytes: 65536 },
  });
  // One question to the broker at a time: a page clicking around does not open a connection a click.
  let asking: Promise<unknown> = Promise.resolve();
  const askRetained: AskRetained = (branch, clear) => {
    const filter = branchFilter(branch);
    if (!filter) return Promise.resolve({ count: 0, more: false, retained: [], cleared: 0 });
    const answer = asking.then(() =>
      learnRetained(endpoint, filter, {
        // Only topics under the explorer's filters, whatever the branch says.
        keep: (t) => filters.some((f) => matches(f, t)),
        max: RETAINED_MAX,
        clear,
        clientId: `mqtt-pair-explore-${process.pid}`,
      }),
    );
    asking = answer.catch(() => {});
    return answer.then((r) => {
      const held = new Set(clear ? [] : r.topics.map(keptTopic));
      tree.markRetained(branch, held);
      return { count: r.topics.length, more: r.more, retained: [...held].filter((t) => tree.topics.has(t)), cleared: r.cleared };
    });
  };
  const view = await startExplorerView(webPort, tree, client, { filters, where, lang }, askRetained, (line) =>
    process.stderr.write(`${cliWords().explorePageFailed(printable(line))}\n`),
  );
  let seq = 0;
  client.onMessage = (m) => {
    let topic = keptTopic(m.topic);
    // A cut topic is a slice that would keep the whole one alive in V8: a copy of its own.
    if (topic !== m.topic && !tree.topics.has(topic)) topic = JSON.parse(JSON.stringify(topic)) as string;
    const node = tree.add(topic, seenOf(++seq, m.payload, m.qos, m.retain));
    if (node) view.push(node.topic, node.last);
  };
  // Up once the broker granted every filter: a filter its access rules refuse (SUBACK 0x80) is
  // said, rather than an explorer that stays empty.
  const up = new Promise<void>((resolve, reject) => {
    let connected = false,
      settled = false;
    const fail = (line: string) => {
      if (settled) return;
      settled = true;
      reject(new Error(line));
    };
    client.onConnect = () => {
      if (connected) return; // the client subscribes again by itself
      connected = true;
      let waiting = filters.length;
      for (const f of filters)
        client.subscribe(f, {}, (err, qos) => {
          if (qos === 0x80) fail(cliWords().exploreRefused(where, f));
          else if (err) fail(cliWords().cannotExplore(where, closeReason(err.message, (err as MqttError).kind)));
          else if (--waiting === 0 && !settled) {
            settled = true;
            resolve();
          }
        });
    };
    client.onClose = (reason, _retryIn, kind, code) => fail(cliWords().cannotExplore(where, closeReason(reason, kind, code)));
  });
  client.connect();
  try {
    await up;
  } catch (e) {
    client.end();
    await view.close();
    // The line of the words, with the broker's reason and the filter in it: printed escaped.
    process.stderr.write(`mqtt-pair explore: ${printable((e as Error).message)}\n`);
    return 1;
  }
  holdStopSignals(); // Ctrl+C at the banner: a clean stop, not a death (Node listens late)
  console.log(cliWords().exploring(filters.join(' '), where));
  console.log(cliWords().explorerAt(view.url));
  await untilStopped(stopAfter);
  client.end();
  await view.close();
  console.log(cliWords().exploreEnd(tree.messages, tree.topics.size, tree.droppedTopics));
  return 0;
}
