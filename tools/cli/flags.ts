// A small command-line parser in mosquitto's manner: every flag is a separate argument, a flag
// that takes a value takes the next argument whatever it looks like (so `-m -5` sends "-5"),
// and long flags may also be written --name=value. The flag table also writes the --help text,
// so the help can never forget a flag.

import type { Transport } from '../../src/host';
import { credentials, hostPort, isWebSocket, portNumber, redact, schemeTransport, splitHostPort, splitUrl } from '../../src/endpoint';
import { UsageError } from '../usage-error';
import { cliLang, cliWords } from '../words/cli';
import { HELP_FR } from '../words/help-fr';

export interface Flag {
  /** Every spelling, short first: ['-t', '--topic']. */
  names: string[];
  /** Where the value lands in the result. */
  key: string;
  /** A placeholder for the value, e.g. 'topic'; absent for a switch that takes no value. */
  value?: string;
  /** An example value for error messages: "-t needs a value, e.g. -t class/hello". */
  example?: string;
  help: string;
  /** Recognised (it is a mosquitto flag) but not supported here: why, and what to do instead. */
  unsupported?: string;
  /**
   * What to say about a stray argument right after this flag's value, instead of showing it:
   * after `-u alice` a stray word is likely the password, which must not be printed (its words: strayAfterUser).
   */
  strayHint?: true;
}

export { UsageError, fileErrorWhy } from '../usage-error';

/** The values given for each key, in order; a switch records '' once per use. */
export type Parsed = Map<string, string[]>;

export function parseArgs(argv: string[], flags: Flag[], helpHint: string): Parsed {
  const byName = new Map<string, Flag>();
  for (const f of flags) for (const n of f.names) byName.set(n, f);
  const out: Parsed = new Map();
  let previous: Flag | undefined;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      const eq = arg.indexOf('=');
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const flag = byName.get(arg);
    if (!flag) {
      // `-Psecret`, `-tclass/hello`: a value glued to its flag. Name the flag, not the value (it may be a password).
      const glued = /^-[^-]/.test(arg) ? byName.get(arg.slice(0, 2)) : undefined;
      if (glued?.value && !glued.unsupported) {
        const f = arg.slice(0, 2);
        throw new UsageError(cliWords().gluedValue(f, glued.example ?? `<${glued.value}>`));
      }
      if (arg.startsWith('-') && arg.length > 1) {
        const near = closest(
          arg,
          [...byName.keys()].filter((n) => !byName.get(n)!.unsupported),
        );
        throw new UsageError(cliWords().unknownOption(arg, near, helpHint));
      }
      if (previous?.strayHint) throw new UsageError(cliWords().strayAfterUser);
      throw new UsageError(cliWords().unexpectedArgument(arg, helpHint));
    }
    previous = flag;
    if (flag.unsupported) throw new UsageError(cliWords().notSupported(arg, flag.unsupported));
    let value = '';
    if (flag.value) {
      if (inline !== undefined) value = inline;
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new UsageError(cliWords().needsValue(arg, flag.example, flag.value));
    } else if (inline !== undefined) {
      throw new UsageError(cliWords().takesNoValue(arg, inline));
    }
    const list = out.get(flag.key);
    if (list) list.push(value);
    else out.set(flag.key, [value]);
  }
  return out;
}

/** The last value given for `key`, or undefined. */
export function last(p: Parsed, key: string): string | undefined {
  const l = p.get(key);
  return l ? l[l.length - 1] : undefined;
}

export function has(p: Parsed, key: string): boolean {
  return p.has(key);
}

/** A whole number in [min, max], or a UsageError naming the flag, the range and what was typed. */
export function integer(flag: string, text: string, min: number, max: number, what: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new UsageError(cliWords().numberRange(flag, what, min, max, text));
  }
  return Number(text);
}

/** The most seconds a timer can wait: 2^31 - 1 ms (24.8 days); a longer delay would fire at once. */
export const MAX_SECONDS = 2147483;

/** A number of seconds above zero (decimals allowed, e.g. 0.5), up to MAX_SECONDS. */
export function seconds(flag: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!/^\s*\d*\.?\d+\s*$/.test(text) || !Number.isFinite(n) || (allowZero ? n < 0 : n <= 0) || n > MAX_SECONDS) {
    throw new UsageError(cliWords().secondsRange(flag, allowZero, MAX_SECONDS, text));
  }
  return n;
}

/** The commands a class uses, whose flags' help is also in French (tools/words/cli.ts). */
const WORDED = new Set(['chat', 'sim', 'remote', 'actuator', 'watch', 'classroom', 'program']);

/** The --help text: a usage line, then every supported flag with its help, aligned. */
export function usageText(title: string, usage: string[], flags: Flag[], footer: string[] = []): string {
  const words = cliWords();
  const command = /^mqtt-pair (\w+)/.exec(title)?.[1] ?? '';
  const worded = cliLang() !== 'en' && WORDED.has(command);
  // setup, image, explore, pub and sub: their whole help in French (tools/words/help-fr.ts).
  const whole = cliLang() !== 'en' ? HELP_FR[command] : undefined;
  if (whole) {
    title = whole.title;
    footer = whole.footer;
  }
  const help = (f: Flag) => whole?.flags[f.names[0]] ?? ((worded && (words.flagHelp[`${command} ${f.names[0]}`] ?? words.flagHelp[f.names[0]])) || f.help);
  const rows = flags.filter((f) => !f.unsupported).map((f) => [f.names.join(', ') + (f.value ? ` <${words.valueName[f.value] ?? f.value}>` : ''), help(f)]);
  const width = Math.min(34, Math.max(...rows.map((r) => r[0].length)));
  const lead = words.usage;
  const lines = [title, '', ...usage.map((u, i) => (i ? ' '.repeat(lead.length) : lead) + u), ''];
  for (const [left, help] of rows) {
    const pad = left.length > width ? `\n${' '.repeat(width + 4)}` : ' '.repeat(width - left.length + 2);
    lines.push(`  ${left}${pad}${help}`);
  }
  const unsupported = flags.filter((f) => f.unsupported).map((f) => f.names[0]);
  if (unsupported.length) lines.push('', `${words.notSupportedFlags} ${unsupported.join(' ')}`);
  if (footer.length) lines.push('', ...footer);
  return `${lines.join('\n')}\n`;
}

/** What `-L mqtt://[user[:password]@]host[:port]/topic` (or mqtts://, ws://, wss://) says. */
export interface BrokerUrl {
  host: string;
  port?: number;
  username?: string;
  password?: string;
  topic?: string;
  /** mqtt:// tcp, mqtts:// tls, ws:// ws, wss:// wss. */
  transport: Transport;
  /** ws and wss: the WebSocket path, the URL's first level (default /mqtt). */
  path?: string;
}

/**
 * Parses a -L URL (src/endpoint.ts splits it as everywhere, a topic after the host): the topic
 * is everything after the first '/' following the host, taken literally, so `mqtt://host/class/#`
 * keeps its '#' and spaces stay spaces. For ws:// and wss:// the first level after the host is the
 * WebSocket path and the topic follows it: `ws://host:8080/mqtt/class/#` is the path /mqtt and the
 * topic class/#.
 */
export function parseBrokerUrl(url: string): BrokerUrl {
  const shown = redact(url);
  const w = cliWords().brokerUrl;
  const parts = splitUrl(url, true);
  if (!parts) throw new UsageError(w.form(shown));
  const known = schemeTransport(parts.scheme);
  if (!known) throw new UsageError(w.scheme(shown, parts.scheme));
  const out: BrokerUrl = { host: '', transport: known[0] };
  if (parts.userinfo !== undefined) {
    // Percent-escapes as --broker takes them (%40 for @, %2F for /, %3A for :).
    const c = credentials(parts.userinfo);
    if (!c) throw new UsageError(w.escape(shown));
    if (!c.username) throw new UsageError(w.emptyUser(shown));
    out.username = c.username;
    if (c.password !== undefined) out.password = c.password;
  }
  const hp = splitHostPort(parts.authority);
  if (!hp) {
    throw new UsageError(parts.authority.startsWith('[') ? w.ipv6(shown) : w.noHost(shown));
  }
  if (!hp.host) throw new UsageError(w.noHost(shown));
  out.host = hp.host;
  if (hp.port !== undefined) {
    if (portNumber(hp.port) < 0) throw new UsageError(w.port(shown));
    out.port = portNumber(hp.port);
  }
  const after = parts.rest.slice(1);
  if (isWebSocket(out.transport)) {
    // /path[/topic]: without a path, /mqtt (and the topic comes from -t).
    out.path = '/mqtt';
    if (parts.rest) {
      const next = after.indexOf('/');
      out.path = `/${next < 0 ? after : after.slice(0, next)}`;
      if (next >= 0) out.topic = after.slice(next + 1);
      if (!/^\/[!-~]*$/.test(out.path)) throw new UsageError(w.path(shown, out.path));
    }
    return out;
  }
  if (!parts.rest) throw new UsageError(w.noTopic(shown, `${parts.scheme}://${hostPort(hp.host, out.port)}/class/hello`));
  out.topic = after;
  return out;
}

/** The candidate closest to `word` (at most 2 edits away, and less than half of it), or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined,
    bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance && d < Math.max(2, word.length / 2)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
