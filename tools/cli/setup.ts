// `mqtt-pair setup`: a board on a serial port set up over Improv (docs/improv.md), with the WiFi, the
// broker and, from a roster, the next student's role and names (tools/setup/). It exits 0 once the
// board is provisioned and, with --broker, once its first hello (ESP#1) or reply (ESP#2) reached
// the broker; otherwise one line saying what failed. Passwords go to the board only.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../src/host';
import { nodeHost } from '../../hosts/node/host';
import { ClassObserver } from '../classroom/observer';
import { ClassSetupServer } from '../view/setup-server';
import { SETTINGS } from '../../src/setup/settings';
import { brokerName } from '../../src/endpoint';
import { type Slot, classSlots, nameLook, slotSettings, studentName } from '../setup/class-roster';
import { claimSlot, migrateClass, readClass, releaseSlot, replaceStudent, saveClass, stateFile } from '../setup/class-state';
import { SetupError } from '../setup/problem';
import { FirstMessage } from '../setup/first-message';
import { BoardError, BoardLink } from '../setup/improv-client';
import { identify, readSettings, startBoard, storeSettings } from '../setup/set-up-board';
import { PortError, listPorts, openPort } from '../setup/serial-port';
import { brokerFromFlags } from './broker-flags';
import { readProgram, said } from './program';
import { sendProgramAndBoot } from '../setup/send-program';
import { langOption, topicLevel } from './class-options';
import { holdStopSignals, untilStopped } from './session';
import { printable } from '../../src/apps/text';
import { boardErrorLine, cliWords, setupLine } from '../words/cli';
import { UsageError, fileErrorWhy, integer, last, parseArgs, usageText, type Flag } from './flags';

const FLAGS: Flag[] = [
  { names: ['--port'], key: 'port', value: 'device', example: '/dev/ttyUSB0', help: "the board's serial port (COM3 on Windows)" },
  { names: ['--list'], key: 'list', help: 'list the serial ports, boards first, and exit' },
  {
    names: ['--roster'],
    key: 'roster',
    value: 'file',
    example: 'classe.txt',
    help: 'the class list, one pair a line (one or two first names, e.g. alice bob): the board gets the next student without one',
  },
  {
    names: ['--replace'],
    key: 'replace',
    value: 'name',
    example: 'alice',
    help: 'with --roster: a new board for this student (a spare for a broken one): the board on --port, else the next one plugged in',
  },
  { names: ['--school'], key: 'school', value: 'name', example: 'LycMaurois', help: 'with --roster: the first topic level' },
  { names: ['--class'], key: 'class', value: 'name', example: 'SNT_2nde', help: 'with --roster: the second topic level' },
  { names: ['--ssid'], key: 'ssid', value: 'name', example: 'ClassWiFi', help: "the WiFi's name" },
  { names: ['--password'], key: 'wifiPassword', value: 'password', example: 'secret', help: "the WiFi's password (sent to the board only, never printed)" },
  {
    names: ['--broker'],
    key: 'broker',
    value: 'url',
    example: '192.168.1.144',
    help: "the broker, given to the board; then wait for the board's first message there",
  },
  { names: ['--wait'], key: 'wait', value: 'seconds', example: '90', help: 'how long to wait for the WiFi and for the first message (default: 90)' },
  {
    names: ['--web'],
    key: 'web',
    value: 'port',
    example: '8090',
    help: 'serve the class set-up page on http://127.0.0.1:<port>/ (Chrome or Edge: Web Serial), instead of --port',
  },
  {
    names: ['--image'],
    key: 'image',
    value: 'folder',
    example: 'build/image/esp32',
    help: 'with --web: the image to install, made by mqtt-pair image (its manifest.json)',
  },
  {
    names: ['--program'],
    key: 'program',
    value: 'file',
    example: 'esp1.js',
    help: "with --port: a student's program (one JavaScript file) the board gets after its settings and runs instead of its role",
  },
  { names: ['--lang'], key: 'lang', value: 'fr|en', example: 'fr', help: "with --web: the page's language (default: the browser's)" },
  { names: ['--help'], key: 'help', help: 'this text' },
];

function usage(): string {
  return usageText(
    'mqtt-pair setup: set up a board plugged in over USB (Improv Wi-Fi), without Chrome',
    [
      'mqtt-pair setup --port /dev/ttyUSB0 [--roster classe.txt --school S --class C] [--ssid S --password P] [--broker URL] [--program FILE.js] [key=value …]',
      'mqtt-pair setup --web 8090 [--image build/image/esp32] [--roster classe.txt --school S --class C] [--ssid S] [--broker URL] [--lang fr|en]',
      'mqtt-pair setup --list',
    ],
    FLAGS,
    [
      `key=value: any board setting (${SETTINGS.map((s) => s.key).join(', ')}), e.g. role=hello interval=2000.`,
      'With --roster, the students go two by two: the 1st gets ESP#1 (role hello), the 2nd ESP#2 (role responder),',
      'both on <school>/<class>/<1st name>/; which board took whom is kept in <roster>.boards.json.',
      '',
      'Example, one board after the other:',
      '  mqtt-pair setup --port /dev/ttyUSB0 --roster classe.txt --school LycMaurois --class SNT_2nde \\',
      '      --ssid ClassWiFi --password secret --broker 192.168.1.144',
    ],
  );
}

const KEYS = new Set(SETTINGS.map((s) => s.key));

export async function runSetup(argv: string[]): Promise<number> {
  const settings: [string, string][] = [];
  const rest: string[] = [];
  for (const a of argv) {
    const m = /^([A-Za-z]+)=(.*)$/s.exec(a);
    if (!m) rest.push(a);
    else if (!KEYS.has(m[1])) throw new UsageError(cliWords().setup.notASetting(m[1], [...KEYS].join(', ')));
    else settings.push([m[1], nameSetting(m[1], m[2])]);
  }
  const p = parseArgs(rest, FLAGS, 'mqtt-pair setup --help');
  if (p.has('help')) {
    process.stdout.write(usage());
    return 0;
  }
  if (p.has('list')) return list();
  const webPort = last(p, 'web');
  const path = last(p, 'port');
  if (webPort !== undefined && path !== undefined) throw new UsageError(cliWords().setup.webOrPort);
  const waitMs = integer('--wait', last(p, 'wait') ?? '90', 5, 3600, 'seconds') * 1000;
  const ssid = last(p, 'ssid');
  const password = last(p, 'wifiPassword') ?? '';
  if (ssid === undefined && p.has('wifiPassword')) throw new UsageError(cliWords().setup.passwordNeedsSsid);
  const brokerText = last(p, 'broker');
  const endpoint = brokerText === undefined ? undefined : brokerFromFlags(p);
  if (brokerText !== undefined) settings.unshift(['broker', brokerText]);

  let slots: Slot[] | undefined;
  const roster = last(p, 'roster');
  if (roster !== undefined) {
    const school = last(p, 'school'),
      className = last(p, 'class');
    if (school === undefined || className === undefined) throw new UsageError(cliWords().setup.rosterNeedsClass);
    topicLevel('--school', school, 'LycMaurois');
    topicLevel('--class', className, 'SNT_2nde');
    let text: string;
    try {
      text = readFileSync(roster, 'utf8');
    } catch (e) {
      throw new UsageError(cliWords().setup.cannotReadRoster(roster, fileErrorWhy(e)));
    }
    try {
      slots = classSlots(text, school, className);
    } catch (e) {
      throw e instanceof SetupError ? new UsageError(`${roster}${cliWords().sep}${setupLine(e.problem)}`) : e;
    }
    const kept = migrateClass(roster, slots);
    if (kept) process.stderr.write(`${cliWords().setup.migrated(stateFile(roster), kept)}\n`);
  }
  const replace = last(p, 'replace');
  let replacing: Slot[] = [];
  if (replace !== undefined) {
    if (roster === undefined || !slots) throw new UsageError(cliWords().setup.replaceNeedsRoster(replace));
    const r = replaceStudent(roster, slots, replace);
    replacing = r.slots;
    process.stdout.write(`${printable(cliWords().setup.replaced(r.slots[0].name, r.boards))}\n`);
    if (webPort === undefined && path === undefined) return 0;
  }
  const taken = roster === undefined || !slots ? {} : readClass(roster, slots);
  const programPath = last(p, 'program');
  if (programPath !== undefined && webPort !== undefined) throw new UsageError(cliWords().setup.programOnPage);
  // Read and checked before any port is opened: a bad file needs no board.
  const program = programPath === undefined ? undefined : readProgram(programPath);
  if (webPort !== undefined) {
    if (p.has('wifiPassword')) throw new UsageError(cliWords().setup.passwordOnPage);
    if (settings.length > (brokerText === undefined ? 0 : 1)) throw new UsageError(cliWords().setup.settingsWithPort);
    return serveSetupPage({
      port: integer('--web', webPort, 0, 65535, 'port'),
      image: last(p, 'image'),
      lang: langOption(last(p, 'lang')),
      title: roster === undefined ? '' : `${last(p, 'school')} / ${last(p, 'class')}`,
      school: last(p, 'school'),
      className: last(p, 'class'),
      slots,
      taken,
      roster,
      broker: brokerText,
      endpoint,
      ssid,
    });
  }
  if (!path) throw new UsageError(cliWords().setup.whichBoard);
  if (p.has('image')) throw new UsageError(cliWords().setup.imageWithWeb);

  const port = await openPort(path).catch((e) => {
    throw e instanceof PortError ? new UsageError(cliWords().setup.cannotOpenPort(e.path, e.why)) : e;
  });
  const board = new BoardLink(port);
  let watcher: FirstMessage | undefined;
  /** A student taken for this board, given back if the board is not started. */
  let claimed: { slot: Slot; board: string } | undefined;
  try {
    const info = await identify(board, path);
    let slot: Slot | undefined;
    if (slots && roster !== undefined) {
      // Taken in the state file now, before the board is set up: a second setup at once gets the next student.
      const claim = claimSlot(roster, slots, info.name, replacing);
      slot = claim.slot;
      if (!slot) throw new UsageError(cliWords().setup.classFull(slots.length, roster, stateFile(roster)));
      if (claim.fresh) claimed = { slot, board: info.name };
      settings.splice(brokerText === undefined ? 0 : 1, 0, ...slotSettings(slot));
    }
    await storeSettings(board, settings);
    if (program) {
      // It restarts to run it, its settings kept: asked again once it is back, booted with the program.
      const sent = await said(path, () => sendProgramAndBoot(board, program.name, program.source));
      process.stdout.write(`${printable(cliWords().program.sent(program.name, sent.size, sent.hash))}\n`);
      if (sent.started) process.stdout.write(`${printable(cliWords().program.started(program.name))}\n`);
      await identify(board, path);
    }
    const now = await readSettings(board);
    const prefix = now.get('topicPrefix')?.[0] ?? '';
    const role = now.get('role')?.[0] ?? '';
    if (endpoint) watcher = new FirstMessage(endpoint, prefix, role);
    await startBoard(board, ssid === undefined ? undefined : { ssid, password }, waitMs);
    claimed = undefined; // the board runs as its student now: it keeps it
    const who = slot ? { name: slot.name, pair: slot.pair, esp: slot.esp, role: slot.role, peer: slot.peer } : { role };
    // What the board said (its name, chip, version, settings) is escaped: it cannot drive the terminal.
    process.stdout.write(`${printable(cliWords().setup.setUp(info.name, info.chip, info.version, who, prefix, ssid ?? ''))}\n`);
    if (!watcher || !endpoint) return 0;
    const heard = await watcher.wait(waitMs);
    const where = brokerName(endpoint, true);
    if (!heard) {
      const topic = watcher.topic;
      throw new UsageError(cliWords().setup.nothingCame(topic, where, waitMs / 1000, watcher.problem, role === 'responder', board.lines.at(-1)));
    }
    process.stdout.write(`${printable(cliWords().setup.firstMessage(where, heard.topic, heard.text))}\n`);
    return 0;
  } catch (e) {
    if (claimed && slots && roster !== undefined) releaseSlot(roster, slots, claimed.slot, claimed.board);
    // The board's error in the command's words, from what it sent (a refused setting's key, code and facts; its Improv code) or what went wrong.
    if (e instanceof BoardError) throw new UsageError(boardErrorLine(e, path));
    throw e;
  } finally {
    watcher?.close();
    await port.close();
  }
}

interface PageOptions {
  port: number;
  image?: string;
  lang?: 'fr' | 'en';
  title: string;
  school?: string;
  className?: string;
  slots?: Slot[];
  taken: Record<string, string>;
  roster?: string;
  broker?: string;
  endpoint?: Endpoint;
  ssid?: string;
}

/** `--web`: the class set-up page until Ctrl+C, the class watched on the broker when there is one. */
async function serveSetupPage(o: PageOptions): Promise<number> {
  if (o.image !== undefined && !existsSync(join(o.image, 'manifest.json'))) throw new UsageError(cliWords().setup.noManifest(o.image));
  const webTools = join(dirname(fileURLToPath(import.meta.url)), 'esp-web-tools');
  let observer: ClassObserver | undefined;
  if (o.endpoint) {
    const prefixes = [...new Set((o.slots ?? []).map((s) => s.topicPrefix))];
    observer = new ClassObserver(
      o.endpoint,
      { school: o.school, className: o.className, interval: 5000, clientId: `mqtt-pair-setup-${process.pid}`, roster: prefixes.length ? prefixes : undefined },
      nodeHost({ log: () => {} }),
    );
    // The page says when the broker cannot be reached; the boards can be set up all the same.
    observer.start().catch(() => {});
  }
  const server = new ClassSetupServer({
    port: o.port,
    lang: o.lang,
    title: o.title,
    slots: o.slots,
    taken: o.taken,
    save: o.roster === undefined || !o.slots ? undefined : (t) => saveClass(o.roster as string, o.slots as Slot[], t),
    replace:
      o.roster === undefined || !o.slots
        ? undefined
        : (name) =>
            // Not on the roster: null, and the page says so in its words (a held lock still throws).
            (o.slots as Slot[]).some((s) => nameLook(s.name) === nameLook(name)) ? replaceStudent(o.roster as string, o.slots as Slot[], name) : null,
    broker: o.broker === undefined || !o.endpoint ? undefined : { setting: o.broker, shown: brokerName(o.endpoint, true) },
    ssid: o.ssid,
    image: o.image,
    webTools: existsSync(webTools) ? webTools : undefined,
    observer,
  });
  holdStopSignals(); // Ctrl+C at the banner: a clean stop, not a death (Node listens late)
  let port: number;
  try {
    port = await server.listen();
  } catch (e) {
    observer?.stop();
    throw e;
  }
  process.stdout.write(`${cliWords().setup.pageBanner(`http://127.0.0.1:${port}/`)}\n`);
  await untilStopped();
  observer?.stop();
  await server.close();
  return 0;
}

/** A board's name= or peer= checked as the roster's names are (NFC; no look-alike letters); other settings as given. */
function nameSetting(key: string, value: string): string {
  if (key !== 'name' && key !== 'peer') return value;
  const r = studentName(value);
  if ('name' in r) return r.name;
  // The board checks what a name may hold; the look-alikes are refused here, as in a roster.
  if (r.why === 'chars') return value.normalize('NFC');
  throw new UsageError(`${key}=${value}${cliWords().sep}${cliWords().setup.badName(value, r.why, r.scripts ?? [])}`);
}

async function list(): Promise<number> {
  const ports = await listPorts();
  if (!ports.length) {
    process.stdout.write(`${cliWords().setup.noSerialPort}\n`);
    return 0;
  }
  for (const p of ports)
    process.stdout.write(`${p.path}${p.board ? `  ${cliWords().setup.likelyBoard(p.board)}` : ''}${p.manufacturer ? `  (${p.manufacturer})` : ''}\n`);
  return 0;
}
