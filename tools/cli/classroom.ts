// `mqtt-pair classroom`: a whole class of simulated pairs in one process (tools/classroom/
// simulation.ts), on the embedded broker or a given one, with a live table (or the page, --web).
// At the end one line says how many pairs are ok, and the exit code is 0 only when all of them
// are; the CPU and memory the run took are printed too, to size a class on a small machine.

import { brokerName, brokerUrl } from '../../src/endpoint';
import type { Endpoint } from '../../src/host';
import { printable } from '../../src/apps/text';
import { nodeHost } from '../../hosts/node/host';
import { startEmbeddedBroker } from '../broker/embedded';
import { pairNames } from '../classroom/names';
import { ClassObserver, SubscriptionRefused } from '../classroom/observer';
import { ClassSimulation } from '../classroom/simulation';
import { TerminalView } from '../view/terminal';
import { startWebView, type WebView } from '../view/web';
import { duration } from '../words/duration';
import { BROKER_FLAGS, brokerFromFlags } from './broker-flags';
import { VIEW_FLAGS, langOption, printStudentPage, rosterOption, studentOptions, topicLevel, warnDots } from './class-options';
import { UsageError, integer, last, parseArgs, seconds, usageText, type Flag } from './flags';
import { holdStopSignals, untilStopped } from './session';
import { cliWords, closeReason, useCliLang, verdictLine } from '../words/cli';
import type { MqttError } from '../../src/mqtt/client';

const CLASSROOM_FLAGS: Flag[] = [
  { names: ['--pairs'], key: 'pairs', value: 'n', example: '30', help: 'how many pairs (2 boards each) to simulate, 1 to 1000' },
  // The simulated boards take a broker, a user and a password (TLS settings are for watch and sim).
  ...BROKER_FLAGS.filter((f) => f.key !== 'cafile' && f.key !== 'insecure').map((f) =>
    f.key === 'broker'
      ? {
          ...f,
          help: 'use this broker, start none: host[:port] or mqtt://[user:pass@]host[:port], mqtts://, ws://, wss:// (default: an embedded broker on 127.0.0.1)',
        }
      : f,
  ),
  { names: ['--duration'], key: 'duration', value: 'seconds', example: '60', help: 'stop after this many seconds and say how it went (default: until Ctrl+C)' },
  {
    names: ['--until-ok'],
    key: 'untilOk',
    help: 'stop as soon as every pair is ok (3 round trips each, nothing crossed), or at --duration: a rehearsal that ends once the broker has proved itself',
  },
  { names: ['--interval'], key: 'interval', value: 'ms', example: '5000', help: 'milliseconds between two hellos of a pair (default: 5000)' },
  { names: ['--school'], key: 'school', value: 'name', example: 'LycMaurois', help: 'first topic level (default: LycMaurois)' },
  { names: ['--class'], key: 'class', value: 'name', example: 'SNT_2nde', help: 'second topic level (default: SNT_2nde)' },
  {
    names: ['--web'],
    key: 'web',
    value: 'port',
    example: '8080',
    help: 'also serve the live class page on http://127.0.0.1:<port>/ (0: any free port), where a pair can be stopped and started again',
  },
  ...VIEW_FLAGS,
  { names: ['--help'], key: 'help', help: 'show this help' },
];

function classroomUsage(): string {
  const about = cliWords().classroomAbout;
  return usageText(
    about.title,
    [
      'mqtt-pair classroom {--pairs N | --roster FILE} [--broker URL [-u USER -P PASSWORD]] [--duration S] [--until-ok]',
      '[--interval MS] [--school NAME --class NAME] [--web PORT] [--lang fr|en]',
    ],
    CLASSROOM_FLAGS,
    about.footer,
  );
}

export async function runClassroom(argv: string[]): Promise<number> {
  const p = parseArgs(argv, CLASSROOM_FLAGS, 'mqtt-pair classroom --help');
  useCliLang(langOption(last(p, 'lang')));
  const words = cliWords();
  if (p.has('help')) {
    process.stdout.write(classroomUsage());
    return 0;
  }
  const pairsText = last(p, 'pairs');
  const rosterFile = last(p, 'roster');
  if (pairsText === undefined && rosterFile === undefined) throw new UsageError(words.classroomHowMany);
  const given = brokerFromFlags(p);
  const durationText = last(p, 'duration');
  const runFor = durationText === undefined ? undefined : seconds('--duration', durationText);
  const interval = last(p, 'interval') === undefined ? 5000 : integer('--interval', last(p, 'interval')!, 10, 3_600_000, 'milliseconds');
  const school = topicLevel('--school', last(p, 'school') ?? 'LycMaurois', 'LycMaurois');
  const className = topicLevel('--class', last(p, 'class') ?? 'SNT_2nde', 'SNT_2nde');
  const group = `${school}/${className}`;
  const roster = rosterFile === undefined ? undefined : rosterOption(rosterFile, group);
  const rosterNames = roster?.map((prefix) => prefix.split('/').at(-2)!);
  if (roster?.some((x) => x !== `${group}/${x.split('/').at(-2)}/`)) {
    throw new UsageError(words.classroomRosterNames(group));
  }
  const count = pairsText === undefined ? rosterNames!.length : integer('--pairs', pairsText, 1, 1000, 'a number of pairs');
  if (rosterNames && count !== rosterNames.length) throw new UsageError(words.classroomPairsAndRoster(count, rosterNames.length));
  const lang = langOption(last(p, 'lang'));
  warnDots(school, className, roster);
  const webText = last(p, 'web');
  const webPort = webText === undefined ? undefined : integer('--web', webText, 0, 65535, 'a port number');
  if (runFor !== undefined && runFor * 1000 < 4 * interval) {
    process.stderr.write(`mqtt-pair classroom: ${words.shortRun(durationText!, interval)}\n`);
  }
  // The students' page needs a broker with a WebSocket listener: the embedded broker gets one.
  const student = studentOptions(p, webPort, given ?? { host: '127.0.0.1', port: 1883 }, `${group}/`, `${school} / ${className}`);
  const untilOk = p.has('untilOk');
  holdStopSignals();

  // The broker: the given one, or the embedded one, whose WebSocket lets in this command's pages alone.
  const origins = new Set<string>();
  let embedded: Awaited<ReturnType<typeof startEmbeddedBroker>> | null = null;
  let endpoint: Endpoint;
  let where: string;
  let broker: string;
  if (given) {
    endpoint = given;
    where = brokerName(given, true);
    broker = brokerUrl(given);
  } else {
    embedded = await startEmbeddedBroker(1883, 20, student ? 9001 : undefined, (origin) => origins.has(origin));
    endpoint = { host: '127.0.0.1', port: embedded.port };
    where = `127.0.0.1:${embedded.port} (${words.embeddedWhere})`;
    broker = `127.0.0.1:${embedded.port}`;
    const ws = embedded.wsPort && `ws://127.0.0.1:${embedded.wsPort}/mqtt`;
    console.log(words.embeddedBroker(embedded.port, ws || undefined));
    if (student && ws && last(p, 'studentBroker') === undefined) student.broker = ws;
  }

  // The observer follows the class's own pairs, no others: anything else under the class is counted.
  const observer = new ClassObserver(
    endpoint,
    { school, className, interval, clientId: `mqtt-pair-classroom-${process.pid}`, maxPairs: 0 },
    nodeHost({ log: () => {} }),
  );
  const sim = new ClassSimulation({ names: rosterNames ?? pairNames(count), school, className, interval, broker, where, runFor, lang }, observer);
  try {
    await observer.start();
  } catch (e) {
    observer.stop();
    await embedded?.close();
    const err = e as MqttError;
    const line =
      e instanceof SubscriptionRefused
        ? words.observeRefused(where, e.filter)
        : words.cannotObserve(`${group}/#`, where, closeReason(err.message, err.kind, err.code));
    process.stderr.write(`mqtt-pair classroom: ${printable(line)}\n`);
    return 1;
  }
  console.log(words.classroomStart(count, group, where, interval, words.classroomHow(runFor, untilOk)));

  let web: WebView | null = null;
  if (webPort !== undefined) {
    try {
      web = await startWebView(
        webPort,
        () => sim.snapshot(),
        1000,
        (action, name) => action !== 'identify' && sim.control(action, name),
        student,
      );
      for (const o of web.origins) origins.add(o);
    } catch (e) {
      observer.stop();
      await embedded?.close();
      throw e;
    }
    console.log(words.classroomView(web.url, false));
    if (student) printStudentPage(web, student);
    if (!given && student?.listen) console.log(words.embeddedLocalOnly);
  }

  const cpu0 = process.cpuUsage();
  sim.start();
  const terminal = new TerminalView(
    () => sim.snapshot(),
    (snap) => {
      const x = sim.totals(snap);
      return words.boardsDetails(x.boards, x.of, x.hellos, x.replies, x.reconnects);
    },
  );
  terminal.start();
  await untilStopped(runFor, untilOk ? sim.allOk() : undefined);

  // The run is over: measure before the teardown, then stop everything.
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (performance.now() - sim.startedAt) / 1000;
  const { notOk, result } = sim.end();
  terminal.stop();
  if (web) await web.close(); // an open page shows the end
  sim.stopBoards();
  observer.stop();
  await embedded?.close();

  const { hellos, replies } = sim.published;
  const messages = hellos + replies;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mem = process.memoryUsage();
  const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
  const n = (x: number) => x.toLocaleString('en-US');
  const boards = 2 * count;
  const end = words.classroomEnd;
  const lines = [
    end.ran(count, elapsed.toFixed(1), where, interval, sim.allUpAfter ? end.allConnected(duration(sim.allUpAfter)) : end.someConnected(sim.boardsUp, boards)),
    end.messages(n(messages), n(hellos), n(replies), n(observer.messages)),
    end.cpu(
      cpuSeconds.toFixed(2),
      (cpu.user / 1e6).toFixed(2),
      (cpu.system / 1e6).toFixed(2),
      Math.round((100 * cpuSeconds) / elapsed),
      messages ? Math.round((cpuSeconds * 1e6) / messages) : undefined,
      !!embedded,
    ),
    end.memory(mb(mem.rss), mb(process.resourceUsage().maxRSS * 1024), mb(mem.heapUsed)),
  ];
  for (const c of notOk.slice(0, 20)) {
    const v = c.verdict();
    if (v) lines.push(end.notOk(c.name, verdictLine(v, end.verdict)));
  }
  if (notOk.length > 20) lines.push(end.notOkMore(notOk.length - 20));
  for (const f of sim.foreign.slice(1, 3)) lines.push(end.noPairTopic(f));
  // The last line: the counts, with an example of each kind of stray message.
  lines.push(end.summary(result.ok, result.of, result.stopped, sim.foreignCount, sim.otherCount, sim.foreign[0], sim.others[0]));
  process.stdout.write(`${lines.map(printable).join('\n')}\n`);
  return notOk.length || sim.foreignCount ? 1 : 0;
}
