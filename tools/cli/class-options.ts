// The flags watch and classroom share: the class (--school, --class, --roster), the page's
// language, and the students' page (--student-broker, --listen). Each value is checked here, with
// one line saying what is wrong.

import { readFileSync } from 'node:fs';
import type { Endpoint } from '../../src/host';
import { brokerEndpoint, brokerName, hostPort, redact, splitHostPort } from '../../src/endpoint';
import { RosterError, parseRoster } from '../classroom/roster';
import type { ViewSnapshot } from '../classroom/view-model';
import type { StudentOptions } from '../view/student-server';
import type { WebView } from '../view/web';
import { UsageError, fileErrorWhy, integer, last, type Flag, type Parsed } from './flags';
import { cliLang, cliWords, setupLine } from '../words/cli';

/** What watch and classroom both take for the page and the roster. */
export const VIEW_FLAGS: Flag[] = [
  {
    names: ['--roster'],
    key: 'roster',
    value: 'file',
    example: 'classe.txt',
    help: 'the class list, one pair a line (one or two first names, e.g. alice bob: the first names the pair): every pair on it has a tile from the start, amber until it shows a sign of life, red "never connected" if it stays silent (watch --late) (give it on a shared broker: no other client can change it)',
  },
  { names: ['--lang'], key: 'lang', value: 'fr|en', example: 'fr', help: "the page's language (default: the browser's)" },
  {
    names: ['--student-broker'],
    key: 'studentBroker',
    value: 'url',
    example: 'ws://192.168.1.144:9001',
    help: "with --web: the broker's WebSocket for the students' page /student (default: ws://<broker host>:9001/mqtt)",
  },
  {
    names: ['--listen'],
    key: 'listen',
    value: 'address[:port]',
    example: '192.168.1.10',
    help: "with --web: serve the students' page to the classroom network on this address (port: the --web port + 1); the class page stays on 127.0.0.1",
  },
];

/** The students' page options from --student-broker and --listen (they need --web). */
export function studentOptions(p: Parsed, webPort: number | undefined, endpoint: Endpoint, prefix: string, title: string): StudentOptions | undefined {
  const brokerText = last(p, 'studentBroker');
  const listenText = last(p, 'listen');
  if (webPort === undefined) {
    if (brokerText !== undefined || listenText !== undefined)
      throw new UsageError(cliWords().goesWithWeb(listenText !== undefined ? '--listen' : '--student-broker'));
    return undefined;
  }
  return { broker: studentBrokerOption(brokerText, endpoint), prefix, title, listen: listenText === undefined ? undefined : listenOption(listenText, webPort) };
}

/** --lang's value. */
export function langOption(value: string | undefined): 'fr' | 'en' | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'fr' || v === 'en') return v;
  throw new UsageError(cliWords().langValue(value));
}

/** A topic level for --school / --class: not empty, no / + #. */
export function topicLevel(flag: string, value: string, example: string): string {
  if (!value || /[/+#\0]/.test(value)) throw new UsageError(cliWords().topicLevel(flag, example, value));
  return value;
}

/** --roster's file, read: the pairs' prefixes under `group` (`LycMaurois/SNT_2nde`). */
export function rosterOption(file: string, group: string | undefined): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(cliWords().rosterUnreadable(file, fileErrorWhy(e)));
  }
  try {
    return parseRoster(text, group);
  } catch (e) {
    throw e instanceof RosterError ? new UsageError(`--roster ${file}${cliWords().sep}${setupLine(e.problem)}`) : e;
  }
}

/** RabbitMQ turns a '.' in a topic into a '/': a class or a name with one would not be found there. */
export function warnDots(
  school: string | undefined,
  className: string | undefined,
  roster: string[] | undefined,
  out = (l: string) => process.stderr.write(`${l}\n`),
): void {
  const dotted = [school, className, ...(roster ?? [])].filter((x): x is string => !!x && x.includes('.'));
  if (dotted.length) out(`mqtt-pair: ${cliWords().dotNote(dotted[0])}`);
}

/** Where the students open their page, and what anyone on that network can then do. */
export function printStudentPage(web: WebView, student: StudentOptions): void {
  const words = cliWords();
  console.log(words.studentsPage(web.studentUrl ?? '', student.broker, student.prefix));
  if (student.listen) console.log(words.openToNetwork);
}

/** `; 99,900 more pairs ignored (…)`, `; 3 prefixes heard once, not shown`, or ''. */
export function ignoredText(s: ViewSnapshot): string {
  const i = s.ignored;
  const words = cliWords();
  const n = (x: number) => x.toLocaleString(cliLang() === 'fr' ? 'fr-FR' : 'en-US');
  const once = s.unconfirmed ? words.heardOnce(n(s.unconfirmed), s.unconfirmed) : '';
  if (!i?.pairs) return once;
  return `${words.pairsIgnored(!!i.more, n(i.pairs), n(i.messages))}${once}`;
}

/** --listen's value: ADDRESS or ADDRESS:PORT (default port: the --web port + 1). */
export function listenOption(value: string, webPort: number): { host: string; port: number } {
  // A bare IPv6 address (::, fe80::1) has no port; [IPv6]:PORT has one.
  const bare = !value.startsWith('[') && value.split(':').length > 2;
  const hp = bare ? { host: value, port: undefined } : splitHostPort(value);
  const address = hp && (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(hp.host) || (hp.host.includes(':') && /^[0-9a-f:.]+$/i.test(hp.host)));
  if (!hp || !address) {
    throw new UsageError(cliWords().listenAddress(value));
  }
  if (hp.port !== undefined) return { host: hp.host, port: integer('--listen', hp.port, 1, 65535, 'a port number after the address') };
  const port = webPort ? webPort + 1 : 8081;
  if (port > 65535) throw new UsageError(cliWords().listenNoPort(webPort, hostPort(hp.host, 8081)));
  return { host: hp.host, port };
}

/** --student-broker's value: the broker's WebSocket as students' browsers reach it; without it,
 *  port 9001 of the broker's host. Every student's page shows it: never a user or a password. */
export function studentBrokerOption(value: string | undefined, endpoint: Endpoint): string {
  if (value === undefined) return `ws://${hostPort(endpoint.host, 9001)}/mqtt`;
  const e = /^wss?:\/\//i.test(value.trim()) ? brokerEndpoint(value) : '';
  if (typeof e === 'string') {
    throw new UsageError(cliWords().studentBrokerWs(redact(value)));
  }
  if (e.username !== undefined || e.password !== undefined) {
    throw new UsageError(cliWords().studentBrokerAccount(redact(value)));
  }
  return brokerName(e, true);
}
