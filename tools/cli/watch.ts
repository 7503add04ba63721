// `mqtt-pair watch`: every pair of a class, live, as seen from the broker (real or simulated
// boards): a page (--web) or a table in the terminal. Parse the flags, start the observer and the
// view, run until stopped, print one line of counts.

import { brokerName } from '../../src/endpoint';
import { printable } from '../../src/apps/text';
import { nodeHost } from '../../hosts/node/host';
import { countStates } from '../classroom/look';
import { ClassObserver, SubscriptionRefused } from '../classroom/observer';
import type { ViewSnapshot } from '../classroom/view-model';
import { TerminalView, countsText } from '../view/terminal';
import { startWebView, type WebView } from '../view/web';
import { BROKER_FLAGS, brokerFromFlags } from './broker-flags';
import { VIEW_FLAGS, ignoredText, langOption, printStudentPage, rosterOption, studentOptions, topicLevel, warnDots } from './class-options';
import { UsageError, integer, last, parseArgs, seconds, usageText, type Flag } from './flags';
import { holdStopSignals, untilStopped } from './session';
import { cliWords, closeReason, useCliLang } from '../words/cli';
import type { MqttError } from '../../src/mqtt/client';

const WATCH_FLAGS: Flag[] = [
  ...BROKER_FLAGS.map((f) =>
    f.key === 'broker'
      ? { ...f, help: 'the broker to watch: host[:port] or mqtt://[user:pass@]host[:port], mqtts://, ws://, wss:// (default: 127.0.0.1:1883)' }
      : f,
  ),
  {
    names: ['--web'],
    key: 'web',
    value: 'port',
    example: '8080',
    help: 'serve the live class page on http://127.0.0.1:<port>/ (0: any free port); without it, a table in the terminal',
  },
  {
    names: ['--school'],
    key: 'school',
    value: 'name',
    example: 'LycMaurois',
    help: 'with --class: watch <school>/<class>/# (default: every +/+/+/hello and +/+/+/notification)',
  },
  { names: ['--class'], key: 'class', value: 'name', example: 'SNT_2nde', help: 'with --school: the class' },
  {
    names: ['--interval'],
    key: 'interval',
    value: 'ms',
    example: '5000',
    help: "the boards' hello interval, until it is learnt from their hellos (default: 5000): a pair silent for about 3 intervals turns red",
  },
  { names: ['--duration'], key: 'duration', value: 'seconds', example: '60', help: 'stop after this many seconds (default: until Ctrl+C)' },
  ...VIEW_FLAGS,
  {
    names: ['--max-pairs'],
    key: 'maxPairs',
    value: 'n',
    example: '100',
    help: 'follow this many pairs at most, the roster aside (default: 100): a newcomer takes the place of a prefix heard once, else of the unanswered pair quiet longest; a pair that proved itself keeps its place',
  },
  {
    names: ['--late'],
    key: 'late',
    value: 'minutes',
    example: '5',
    help: 'with --roster: a pair on the list that has said nothing stays amber this many minutes after the start, then turns red "never connected" (default: 5)',
  },
  {
    names: ['--forget'],
    key: 'forget',
    value: 'minutes',
    example: '15',
    help: 'a pair silent this many minutes leaves the view, unless it is on the roster (default: 15; 0: never)',
  },
  { names: ['--help'], key: 'help', help: 'show this help' },
];

function watchUsage(): string {
  const about = cliWords().watchAbout;
  return usageText(
    about.title,
    [
      'mqtt-pair watch [--broker URL] [-u USER -P PASSWORD] [--web PORT] [--school NAME --class NAME] [--roster FILE]',
      '[--lang fr|en] [--interval MS] [--duration S] [--max-pairs N] [--late MINUTES] [--forget MINUTES]',
    ],
    WATCH_FLAGS,
    about.footer,
  );
}

export async function runWatch(argv: string[]): Promise<number> {
  const p = parseArgs(argv, WATCH_FLAGS, 'mqtt-pair watch --help');
  useCliLang(langOption(last(p, 'lang')));
  const words = cliWords();
  if (p.has('help')) {
    process.stdout.write(watchUsage());
    return 0;
  }
  const endpoint = brokerFromFlags(p, '127.0.0.1:1883')!;
  const school = last(p, 'school');
  const className = last(p, 'class');
  if ((school === undefined) !== (className === undefined)) {
    throw new UsageError(words.schoolAndClass);
  }
  if (school !== undefined) topicLevel('--school', school, 'LycMaurois');
  if (className !== undefined) topicLevel('--class', className, 'SNT_2nde');
  const number = (key: string, flag: string, fallback: number, min: number, max: number, what: string) => {
    const text = last(p, key);
    return text === undefined ? fallback : integer(flag, text, min, max, what);
  };
  const interval = number('interval', '--interval', 5000, 10, 3_600_000, 'milliseconds');
  const webText = last(p, 'web');
  const webPort = webText === undefined ? undefined : integer('--web', webText, 0, 65535, 'a port number');
  const durationText = last(p, 'duration');
  const stopAfter = durationText === undefined ? undefined : seconds('--duration', durationText);
  const maxPairs = number('maxPairs', '--max-pairs', 100, 1, 10000, 'a number of pairs');
  const forgetMinutes = number('forget', '--forget', 15, 0, 10080, 'a number of minutes');
  const lateMinutes = number('late', '--late', 5, 0, 600, 'a number of minutes');
  const lang = langOption(last(p, 'lang'));
  const rosterFile = last(p, 'roster');
  const group = school === undefined ? undefined : `${school}/${className}`;
  const roster = rosterFile === undefined ? undefined : rosterOption(rosterFile, group);
  warnDots(school, className, roster);
  const student = studentOptions(p, webPort, endpoint, group === undefined ? '' : `${group}/`, group === undefined ? '' : `${school} / ${className}`);

  const where = brokerName(endpoint, true);
  holdStopSignals();
  const observer = new ClassObserver(
    endpoint,
    {
      school,
      className,
      interval,
      clientId: `mqtt-pair-watch-${process.pid}`,
      maxPairs,
      forgetAfter: forgetMinutes * 60000,
      roster,
      lateAfter: lateMinutes * 60000,
    },
    nodeHost({ log: () => {} }),
  );
  try {
    await observer.start();
  } catch (e) {
    observer.stop();
    const err = e as MqttError;
    const line =
      e instanceof SubscriptionRefused ? words.observeRefused(where, e.filter) : words.cannotWatch(where, closeReason(err.message, err.kind, err.code));
    process.stderr.write(`mqtt-pair watch: ${printable(line)}\n`);
    return 1;
  }
  const started = observer.now();
  const title = school !== undefined ? `${school} / ${className}` : words.everyClass;
  const snapshot = (): ViewSnapshot => {
    const pairs = observer.tiles();
    // As facts for the page, which words them in its language; the terminal's alert in the command's.
    const problem = observer.trouble();
    return {
      title,
      subtitle: words.watchingSubtitle(observer.filters.join(' '), where),
      interval,
      pairs,
      counts: countStates(pairs),
      alert: problem && words.notConnected(where, problem.kind ? closeReason(problem.reason, problem.kind, problem.code) : words.reconnecting),
      uptime: Math.round((observer.now() - started) / 1000),
      problem,
      about: { where, filters: observer.filters },
      lang,
      ignored: observer.ignored,
      unconfirmed: observer.unconfirmed,
      other: observer.foreign,
      identify: true,
    };
  };
  // « Identifier » on the page: an empty message on <prefix>identify, published with the teacher's
  // account (a broker's ACL can keep that topic the teacher's: docs/improv.md); every board of the
  // pair blinks its LED, each at most once every 15 s (src/apps/identify.ts).
  const identifyPair = (action: string, name: string): boolean => {
    if (action !== 'identify' || !observer.client.connected) return false;
    const pair = [...observer.pairs.values()].find((p) => p.name === name);
    if (!pair?.prefix) return false;
    observer.client.publish(`${pair.prefix}identify`, '');
    return true;
  };
  console.log(words.watching(observer.filters.join(' '), where));
  let web: WebView | null = null;
  let terminal: TerminalView | null = null;
  if (webPort !== undefined) {
    try {
      web = await startWebView(webPort, snapshot, 1000, identifyPair, student);
    } catch (e) {
      observer.stop();
      throw e;
    }
    console.log(words.classroomView(web.url, true));
    if (student) printStudentPage(web, student);
  } else {
    terminal = new TerminalView(snapshot, (snap) => `${words.messagesSeen(observer.messages)}${ignoredText(snap)}`);
    terminal.start();
  }
  await untilStopped(stopAfter);
  terminal?.stop();
  const end = snapshot();
  await web?.close();
  observer.stop();
  console.log(`${words.pairsSeen(end.counts.total, countsText(end.counts, lang))}${ignoredText(end)}`);
  return 0;
}
