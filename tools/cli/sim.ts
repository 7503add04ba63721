// `mqtt-pair sim` (and `npm start`): the firmware's boards on this computer, in the host simulator
// (hosts/node/sim.ts). Without --role, the course's pair against an embedded broker; with one,
// that board, the keyboard and the terminal as its buttons and LED. `mqtt-pair remote` and
// `mqtt-pair actuator` are the sim with that role.

import { MAX_DELAY, ROLES } from '../../src/apps/config';
import { brokerName, brokerUrl, redact } from '../../src/endpoint';
import { keyboard, terminalColour, wantsColour, type Keyboard } from '../../hosts/node/devices';
import { connectEndpoint } from '../../hosts/node/host';
import { SimBoard, SimWiFi, type SimBoardOptions } from '../../hosts/node/sim';
import { startEmbeddedBroker } from '../broker/embedded';
import { BROKER_FLAGS, brokerFromFlags } from './broker-flags';
import { UsageError, integer, last, parseArgs, usageText, type Flag } from './flags';
import { readProgram } from './program';
import { holdStopSignals, untilStopped } from './session';
import { cliWords } from '../words/cli';

/** What `mqtt-pair sim --role` accepts: the pair, then every firmware role. */
export const SIM_ROLES = ['pair', ...ROLES];

type Command = 'sim' | 'remote' | 'actuator';

const COMMON: Flag[] = [
  ...BROKER_FLAGS,
  { names: ['--prefix'], key: 'prefix', value: 'prefix', example: 'LycMaurois/SNT_2nde/alice/', help: 'topic prefix, e.g. LycMaurois/SNT_2nde/alice/' },
  { names: ['--id'], key: 'id', value: 'clientid', example: 'esp-alice', help: 'client id (with the pair, -1 and -2 are added)' },
  { names: ['--no-wifi'], key: 'noWifi', help: 'skip the simulated WiFi join' },
  { names: ['--help'], key: 'help', help: 'this text' },
];

const SIM_FLAGS: Flag[] = [
  {
    names: ['--role'],
    key: 'role',
    value: 'role',
    example: 'hello',
    help: `pair (default: both boards), or one board, e.g. to pair with a real one: ${ROLES.join(', ')}`,
  },
  {
    names: ['--interval'],
    key: 'interval',
    value: 'ms',
    example: '5000',
    help: 'milliseconds between hellos (default 5000) or sensor readings (default 1000)',
  },
  {
    names: ['--program'],
    key: 'program',
    value: 'file',
    example: 'esp1.js',
    help: 'one board that runs this JavaScript program (mqtt.subscribe, mqtt.publish, every, print…) instead of a role; --role is what it plays without it',
  },
  { names: ['--name'], key: 'name', value: 'name', example: 'esp', help: "with --role chat: this board's name; it answers on <prefix><name>" },
  { names: ['--peer'], key: 'peer', value: 'name', example: 'alice', help: 'with --role chat: who it listens to, on <prefix><peer>' },
  ...COMMON,
];

const USAGE: Record<Command, string> = {
  sim: 'mqtt-pair sim [--broker URL [-u USER -P PASSWORD]] [--role ROLE | --program FILE.js] [--interval MS] [--prefix PREFIX] [--id CLIENTID] [--no-wifi]',
  remote: 'mqtt-pair remote [--broker URL [-u USER -P PASSWORD]] [--prefix PREFIX] [--id CLIENTID] [--no-wifi]',
  actuator: 'mqtt-pair actuator [--broker URL [-u USER -P PASSWORD]] [--prefix PREFIX] [--id CLIENTID] [--no-wifi]',
};

/** Runs the command's boards until Ctrl+C (or the end of the remote's input); the exit code. */
export async function runSim(argv: string[], command: Command = 'sim'): Promise<number> {
  const flags = command === 'sim' ? SIM_FLAGS : COMMON;
  const p = parseArgs(argv, flags, `mqtt-pair ${command} --help`);
  const words = cliWords();
  const about = words.simAbout[command];
  if (p.has('help')) {
    process.stdout.write(usageText(about.title, [USAGE[command]], flags, about.footer));
    return 0;
  }
  const programFile = last(p, 'program');
  // Read and checked as `mqtt-pair program` does: what runs here is what a board would take.
  const program = programFile === undefined ? undefined : readProgram(programFile);
  const role = command === 'sim' ? (last(p, 'role') ?? (program === undefined ? 'pair' : 'hello')) : command;
  if (program !== undefined && role === 'pair') throw new UsageError(words.programOneBoard);
  if (!SIM_ROLES.includes(role)) throw new UsageError(words.unknownRole(role, SIM_ROLES));
  const name = last(p, 'name');
  const peer = last(p, 'peer');
  if (role === 'chat' && (!name || !peer)) throw new UsageError(words.chatNeedsNamePeer);
  const intervalText = last(p, 'interval');
  const interval = intervalText === undefined ? undefined : integer('--interval', intervalText, 10, MAX_DELAY, 'a number of milliseconds (24 days at most)');
  const endpoint = brokerFromFlags(p);
  const wifi = !p.has('noWifi');

  holdStopSignals();
  let broker: string;
  let embedded: { port: number; close(): Promise<void> } | null = null;
  if (endpoint) {
    broker = brokerUrl(endpoint);
    console.log(words.usingBroker(endpoint.username === undefined ? brokerName(endpoint) : redact(brokerUrl(endpoint))));
  } else {
    // One board alone is usually half of something: let a second one join the first one's broker.
    embedded = role === 'pair' ? await startEmbeddedBroker() : await startEmbeddedBroker(1883, 1).catch(() => null);
    if (embedded) {
      broker = `127.0.0.1:${embedded.port}`;
      console.log(words.embeddedBroker(embedded.port));
    } else {
      broker = '127.0.0.1:1883';
      console.log(words.port1883Taken);
    }
  }
  if (words.boardsSpeakEnglish) console.log(words.boardsSpeakEnglish);

  // The hardware of the simulated boards: the keyboard as the remote's buttons, the terminal as the
  // actuator's LED. The session ends at a signal, or when the remote's input ends.
  let inputEnded = () => {};
  const ended = new Promise<void>((resolve) => {
    inputEnded = resolve;
  });
  let keys: Keyboard | null = null;
  const devices: SimBoardOptions['devices'] = {};
  const boards: SimBoard[] = [];
  if (role === 'remote') {
    // From a pipe, the next line waits while 50 commands wait for the broker: none is dropped.
    keys = keyboard(
      process.stdin,
      () => inputEnded(),
      () => (boards[0]?.board?.client.pending ?? 0) >= 50,
    );
    devices.buttons = keys.buttons;
    if (process.stdin.isTTY) console.log(words.arrowKeys);
  }
  if (role === 'actuator') devices.showColour = terminalColour((l) => console.log(`[actuator] ${l}`), wantsColour(process.stdout), words.colours);

  const make = (boardName: string, r: string, id?: string, onEvent?: SimBoardOptions['onEvent']) => {
    const b = new SimBoard({
      name: boardName,
      program: program?.source,
      programName: program?.name,
      wifi: wifi ? new SimWiFi(300) : undefined,
      devices,
      onEvent,
      connect: endpoint?.insecure ? (to, events) => connectEndpoint({ ...to, insecure: true }, events) : undefined,
      config: {
        ssid: 'simulated',
        broker,
        role: r,
        interval,
        topicPrefix: last(p, 'prefix'),
        ca: endpoint?.ca,
        name,
        peer,
        clientId: id ?? `mqtt-pair-${boardName}-${process.pid}`,
      },
    });
    boards.push(b);
    return b;
  };
  const id = last(p, 'id');
  if (role === 'pair') {
    // ESP#2 first, and ESP#1 once ESP#2 is subscribed (or 5 s later), so that Hello #0 has a listener.
    let esp1: SimBoard | null = null;
    const startEsp1 = () => {
      if (esp1 && !esp1.board) esp1.start();
    };
    const esp2 = make('esp2', 'responder', id && `${id}-2`, (e) => {
      if (e.type === 'connected') startEsp1();
    });
    esp1 = make('esp1', 'hello', id && `${id}-1`);
    esp2.start();
    if (esp2.board) setTimeout(startEsp1, 5000).unref();
  } else {
    make(program !== undefined ? 'program' : role === 'hello' ? 'esp1' : role === 'responder' ? 'esp2' : role, role, id).start();
  }
  const close = async () => {
    keys?.close();
    for (const b of boards) b.stop();
    await embedded?.close();
  };
  if (!boards[0].board) {
    // bad config: the board said why (ESP#1's is the same but for its role)
    await close();
    return 1;
  }
  if (!keys || !process.stdin.isTTY) console.log(words.pressCtrlC);
  await untilStopped(undefined, ended);
  if (keys) {
    // The remote's last commands: let them reach the broker before DISCONNECT.
    const unsent = await drain(boards[0], 10000);
    if (unsent) console.log(words.commandsNotSent(unsent));
  }
  await close();
  console.log(words.stopped);
  return 0;
}

/** Waits until the board has no message waiting for the broker (or `ms` passes); returns how many still wait. */
async function drain(board: SimBoard, ms: number): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    const client = board.board?.client;
    if (!client || (client.connected && client.pending === 0)) return 0;
    if (Date.now() > until) return client.pending;
    await new Promise((r) => setTimeout(r, 50));
  }
}
