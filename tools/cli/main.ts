// The mqtt-pair command: the table of its subcommands, `--help` and `--version`, and the one way
// every subcommand ends: its exit code, or one line for a problem (lines.ts). Each subcommand is a
// file of its own here (pub, sub, sim, chat, …), loaded when it is asked for.
//
// Rules every subcommand keeps: a problem is ONE line on stderr, prefixed `mqtt-pair <cmd>: `,
// saying what is wrong and how to fix it (never a stack trace); a password is never printed;
// SIGINT/SIGTERM send DISCONNECT (so the broker does not publish the will) and exit 0.

import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from './flags';
import { SetupError } from '../setup/problem';
import { cliWords, setupLine } from '../words/cli';
import { fail } from './lines';

interface Command {
  name: string;
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

/** Every subcommand; `main` dispatches on this table and `mqtt-pair --help` lists it. */
export const COMMANDS: Command[] = [
  { name: 'pub', summary: 'publish a message (or one per line of stdin), like mosquitto_pub', run: async (argv) => (await import('./pub')).pub(argv) },
  { name: 'sub', summary: 'subscribe and print the messages, like mosquitto_sub', run: async (argv) => (await import('./sub')).sub(argv) },
  { name: 'sim', summary: 'run the two boards on this computer (npm start)', run: async (argv) => (await import('./sim')).runSim(argv) },
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
  {
    name: 'explore',
    summary: 'the broker in a browser: topic tree, history, live charts, clearing retained messages',
    run: async (argv) => (await import('./explore')).runExplore(argv),
  },
  { name: 'chat', summary: 'chat with another student: type on <prefix><name>, read <prefix><peer>', run: async (argv) => (await import('./chat')).chat(argv) },
  {
    name: 'remote',
    summary: 'the remote control: arrow keys as up/down/left/right on <prefix>remote/command',
    run: async (argv) => (await import('./sim')).runSim(argv, 'remote'),
  },
  {
    name: 'actuator',
    summary: 'the actuator: a coloured block driven by <prefix>remote/command',
    run: async (argv) => (await import('./sim')).runSim(argv, 'actuator'),
  },
  {
    name: 'image',
    summary: "make the class's image from the one mcconfig build: binaries, ESP Web Tools manifest, esptool line",
    run: async (argv) => (await import('./image')).runImage(argv),
  },
  {
    name: 'setup',
    summary: 'set up a board over USB (Improv): WiFi, broker, and from a roster the next student (--port; --list)',
    run: async (argv) => (await import('./setup')).runSetup(argv),
  },
  {
    name: 'program',
    summary: "send a student's JavaScript program to a board over USB (--port), then show its console; --show, --clear",
    run: async (argv) => (await import('./program')).runProgram(argv),
  },
  { name: 'bench', summary: 'measure the codec and the client against mqtt-packet and MQTT.js (npm run bench; --json)', run: () => runBench() },
];

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
      if (!c) return fail('mqtt-pair', cliWords().unknownCommand(rest[0], COMMANDS.map((x) => x.name).join(', ')));
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
    const words = cliWords();
    const list = COMMANDS.map((c) => c.name).join(', ');
    const line = name.startsWith('-') ? `${words.unknownCommand(name, list).split(/ ?: /)[0]}: ${words.commandFirst}` : words.unknownCommand(name, list);
    return fail('mqtt-pair', `${line} (mqtt-pair --help)`);
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof SetupError) return fail(`mqtt-pair ${name}`, setupLine(e.problem));
    if (e instanceof UsageError) return fail(`mqtt-pair ${name}`, e.message);
    const err = e as Error;
    if (process.env.MQTT_PAIR_DEBUG) process.stderr.write(`${err.stack}\n`);
    return fail(`mqtt-pair ${name}`, cliWords().internalError(err?.message ?? String(e)));
  }
}

function topUsage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const words = cliWords();
  return [
    words.topTitle(version()),
    '',
    `${words.usage}${words.topUsage}`,
    '',
    words.topCommands,
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}${words.summaries[c.name] ?? c.summary}`),
    '',
    words.topFooter,
    '',
    words.examples,
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

/** The benchmark is a development tool, kept out of the bundle: loaded from tools/ when asked for. */
async function runBench(): Promise<number> {
  const url = new URL('../tools/bench.mjs', import.meta.url);
  if (!existsSync(url)) return fail('mqtt-pair bench', cliWords().benchInRepository);
  const bench = url.href;
  const { done } = (await import(bench)) as { done: Promise<void> };
  await done;
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
