// The class set-up page (`mqtt-pair setup --web`): ESP Web Tools' install button for the class's
// image, then the plugged-in board set up over Web Serial with the same steps as `mqtt-pair setup
// --port` (tools/setup/set-up-board.ts): who it is, its student's settings from the server, then
// the WiFi typed here (sent to the board only). The board's console lines show in a panel; the
// class fills in as boards are set up and as the broker hears them. French or English: --lang,
// else the browser's language. Text from boards and the server is set with textContent only.

import { BoardError, BoardLink } from '../../setup/improv-client';
import type { BrokerTrouble } from '../../classroom/view-model';
import { identify, startBoard, storeSettings } from '../../setup/set-up-board';
import { ProgramRefused, programText, sendProgramAndBoot } from '../../setup/send-program';
import { EXAMPLES } from '../../programs/examples';
import { en, fr, type SetupWords } from '../../words/setup';
import { type OpenPort, openSerial, type WebSerialPort, webSerial } from '../serial';

interface Student {
  index: number;
  name: string;
  pair: number;
  esp: number;
  role: string;
  prefix: string;
  peer: string;
  board: string | null;
  state: keyof SetupWords['states'];
  error?: string;
}
interface ClassState {
  lang: 'fr' | 'en' | null;
  title: string;
  roster: boolean;
  broker: string | null;
  brokerProblem: BrokerTrouble | null;
  /** The server reaches the broker: a set-up board can be asked to blink (« Identifier »). */
  identify: boolean;
  ssid: string;
  image: { chipFamily: string; version: string } | null;
  students: Student[];
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const query = new URLSearchParams(location.search).get('lang');
let words: SetupWords = fr;
let first = true;

function pickLanguage(server: 'fr' | 'en' | null): void {
  const lang = query === 'en' || query === 'fr' ? query : (server ?? (navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en'));
  words = lang === 'en' ? en : fr;
  document.documentElement.lang = lang;
}

function staticWords(s: ClassState): void {
  const w = words;
  document.title = `${w.title} · mqtt-pair`;
  const set: [string, string][] = [
    ['title', w.title],
    ['class-name', s.title],
    ['intro', w.intro],
    ['flash-title', w.flashTitle],
    ['flash-help', s.image ? w.flashHelp : w.noImage],
    ['set-title', w.setTitle],
    ['set-help', w.setHelp],
    ['ssid-label', w.ssid],
    ['password-label', w.password],
    ['password-note', w.passwordNote],
    ['set-button', w.setButton],
    ['identify-button', w.identify.pluggedButton],
    ['console-title', w.consoleTitle],
    ['roster-title', w.rosterTitle],
    ['no-roster', w.noRoster],
    ['h-student', w.student],
    ['h-pair', w.pair],
    ['h-board', w.board],
    ['h-state', w.state],
    ['no-serial', w.noSerial],
    ['program-title', w.program.title],
    ['program-help', w.program.help],
    ['program-example-label', w.program.examples],
    ['program-file-label', w.program.file],
  ];
  for (const [id, text] of set) $(id).textContent = text;
  programChoices();
  $('no-roster').hidden = s.roster;
  $('roster').hidden = !s.roster;
  if (!$<HTMLInputElement>('ssid').value) $<HTMLInputElement>('ssid').value = s.ssid;
  if (s.image) installButton();
}

/** ESP Web Tools' own button (its browser build, served by the setup server), for the image's manifest. */
function installButton(): void {
  if ($('install').firstChild) return;
  const button = document.createElement('esp-web-install-button');
  button.setAttribute('manifest', '/image/manifest.json');
  // Its slots, in the page's words: the button, and what it shows where Web Serial is missing.
  const activate = document.createElement('button');
  activate.slot = 'activate';
  activate.textContent = words.flashButton;
  const unsupported = document.createElement('span');
  unsupported.slot = 'unsupported';
  unsupported.className = 'problem';
  unsupported.textContent = words.noSerial;
  button.append(activate, unsupported);
  // The port is ESP Web Tools' while it installs: this page lets go of it first (its console stops).
  $('install').addEventListener('click', () => void closePort(), { capture: true });
  $('install').append(button);
  const script = document.createElement('script');
  script.type = 'module';
  script.src = '/esp-web-tools/install-button.js';
  document.head.append(script);
}

function render(s: ClassState): void {
  if (first) {
    pickLanguage(s.lang);
    staticWords(s);
    first = false;
  }
  const w = words;
  const setUp = s.students.filter((x) => x.state === 'setUp' || x.state === 'hello' || x.state === 'pair').length;
  const working = s.students.filter((x) => x.state === 'hello' || x.state === 'pair').length;
  $('counts').textContent = s.roster ? w.counts(setUp, working, s.students.length) : '';
  $('broker').textContent = s.broker ? `${w.broker(s.broker)}${s.brokerProblem ? ` (${w.brokerTrouble(s.brokerProblem)})` : ''}` : w.noBroker;
  const rows = $('rows');
  rows.replaceChildren(
    ...s.students.map((x) => {
      const tr = document.createElement('tr');
      tr.dataset.state = x.state;
      const cell = (text: string, extra?: string, cls?: string) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        if (extra) {
          const span = document.createElement('span');
          span.className = 'why muted';
          span.textContent = extra;
          td.append(span);
        }
        return td;
      };
      tr.append(cell(x.name, w.esp(x.esp, x.role)), cell(String(x.pair), x.prefix), cell(x.board ?? '—'), cell(w.states[x.state], x.error, 'state'));
      const actions = document.createElement('td');
      actions.className = 'actions';
      if (x.board && s.identify) {
        const identify = document.createElement('button');
        identify.type = 'button';
        identify.className = 'small';
        identify.textContent = w.identify.button;
        identify.title = w.identify.title(x.name, x.esp);
        identify.dataset.identify = x.name;
        identify.addEventListener('click', () => void identifyRow(x));
        actions.append(identify, ' ');
      }
      if (x.board) {
        const replace = document.createElement('button');
        replace.type = 'button';
        replace.className = 'small';
        replace.textContent = w.replace.button;
        replace.title = w.replace.title(x.name);
        replace.dataset.replace = x.name;
        replace.addEventListener('click', () => void replaceBoard(x.name));
        actions.append(replace);
      }
      tr.append(actions);
      return tr;
    }),
  );
}

/** « Identifier » a set-up board: the server asks it over MQTT to blink (it must be running). */
async function identifyRow(x: Student): Promise<void> {
  const said = $('replaced');
  let ok = false;
  try {
    ok = (await post('/api/identify', { index: x.index })).ok;
  } catch {
    /* said below */
  }
  said.classList.toggle('problem', !ok);
  said.textContent = ok ? words.identify.asked(x.name, x.esp) : words.identify.failed;
}

/** « Identifier » the plugged-in board, over USB (our Improv command): its LED blinks, its console says so. */
async function identifyPlugged(): Promise<void> {
  const board = plugged;
  if (!board) return;
  try {
    await board.request(IDENTIFY);
    $('step').classList.remove('problem');
    $('step').textContent = words.identify.plugged;
  } catch (e) {
    $('step').classList.add('problem');
    $('step').textContent = (e as Error).message;
  }
}

/** « Remplacer »: the student's boards forgotten by the server (the state file, under its lock). */
async function replaceBoard(name: string): Promise<void> {
  if (!confirm(words.replace.confirm(name))) return;
  const said = $('replaced');
  try {
    const r = await post('/api/replace', { name });
    const answer = (await r.json().catch(() => ({}))) as { name?: string; boards?: string[] };
    said.classList.toggle('problem', !r.ok);
    said.textContent = r.ok
      ? words.replace.done(answer.name ?? name, answer.boards ?? [])
      : r.status === 404
        ? words.replace.unknown(name)
        : words.replace.failed;
  } catch {
    said.classList.add('problem');
    said.textContent = words.replace.failed;
  }
  refresh();
}

async function refresh(): Promise<void> {
  try {
    const r = await fetch('/api/class', { cache: 'no-store' });
    if (r.ok) render((await r.json()) as ClassState);
  } catch {
    /* the server stopped: try again */
  }
}

// ---- The plugged-in board, over Web Serial.

const MAX_CONSOLE = 400;
/** Our Improv command « Identifier » (src/setup/improv.ts, docs/improv.md). */
const IDENTIFY = 0x8a;
/** The board on the open port, once set up here: « Identifier » asks it over USB. */
let plugged: BoardLink | null = null;
let open: OpenPort | null = null;

function consoleLine(text: string): void {
  const pre = $('console');
  pre.append(`${text}\n`);
  // The board's line stays as the course prints it; its meaning follows in the page's language.
  const meaning = words.explain(text);
  if (meaning) {
    const span = document.createElement('span');
    span.className = 'explain';
    span.textContent = `  → ${meaning}\n`;
    pre.append(span);
  }
  while (pre.childNodes.length > MAX_CONSOLE) pre.firstChild?.remove();
  pre.scrollTop = pre.scrollHeight;
}

async function closePort(): Promise<void> {
  const o = open;
  open = null;
  plugged = null;
  $<HTMLButtonElement>('identify-button').hidden = true;
  await o?.close();
}

// ---- The program of the day: an example or a .js file, sent to each board after its settings.

let todays: { name: string; source: string } | null = null;

function chosen(text: string, problem = false): void {
  $('program-chosen').textContent = text;
  $('program-chosen').classList.toggle('problem', problem);
}

function programChoices(): void {
  const select = $<HTMLSelectElement>('program-example');
  const lang = document.documentElement.lang === 'en' ? 'en' : 'fr';
  const none = new Option(words.program.none, '');
  select.replaceChildren(none, ...EXAMPLES.map((x) => new Option(x.title[lang], x.id)));
  select.addEventListener('change', () => {
    const x = EXAMPLES.find((e) => e.id === select.value);
    $<HTMLInputElement>('program-file').value = '';
    todays = x ? { name: `${x.id}.js`, source: x.code } : null;
    chosen(todays ? words.program.chosen(todays.name, new TextEncoder().encode(todays.source).length) : '');
  });
  $<HTMLInputElement>('program-file').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    select.value = '';
    todays = null;
    if (!file) return chosen('');
    // A file from the teacher's disk: its name is shown as text only, never parsed.
    const name = file.name.normalize('NFC');
    const read = file.size > 1 << 20 ? ({ problem: 'tooLarge' } as const) : programText(name, new Uint8Array(await file.arrayBuffer()));
    if ('problem' in read) return chosen(words.program.bad[read.problem](name), true);
    todays = { name, source: read.source };
    chosen(words.program.chosen(name, file.size));
  });
}

// Our header: the server takes a POST only with it (no other site's page can send it).
async function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mqtt-pair': '1' }, body: JSON.stringify(body) });
}

async function setUpPluggedBoard(ev: Event): Promise<void> {
  ev.preventDefault();
  const serial = webSerial();
  if (!serial) return;
  const button = $<HTMLButtonElement>('set-button');
  const step = (text: string, problem = false) => {
    $('step').textContent = text;
    $('step').classList.toggle('problem', problem);
  };
  const ssid = $<HTMLInputElement>('ssid').value;
  const password = $<HTMLInputElement>('password').value;
  let port: WebSerialPort;
  try {
    port = await serial.requestPort();
  } catch {
    return; // no port picked
  }
  button.disabled = true;
  let name = '';
  try {
    await closePort();
    open = await openSerial(port);
    const board = new BoardLink(open.link);
    board.onLine = consoleLine;
    plugged = board;
    $<HTMLButtonElement>('identify-button').hidden = false;
    step(words.steps.identify);
    const info = await identify(board, 'USB');
    name = info.name;
    const r = await post('/api/boards', { board: info.name });
    if (r.status === 409) throw new Error(words.steps.full);
    if (!r.ok) throw new Error(words.steps.page(r.status));
    const { slot, settings } = (await r.json()) as { slot: Student | null; settings: [string, string][] };
    step(words.steps.settings);
    await storeSettings(board, settings);
    let sent = '';
    const program = todays;
    if (program) {
      step(words.steps.program(program.name));
      const { hash } = await sendProgramAndBoot(board, program.name, program.source);
      sent = words.program.sent(program.name, hash);
      step(sent);
      await identify(board, 'USB'); // booted again with the program: its settings kept
    }
    step(words.steps.wifi);
    await startBoard(board, ssid ? { ssid, password } : undefined, 90_000);
    await post('/api/boards/done', { board: info.name });
    step(`${words.steps.done(slot?.name ?? info.name)}${sent ? ` ${sent}` : ''}`);
  } catch (e) {
    // The board's own error in the page's words, from what it sent (a refused setting's key, code and
    // facts; its Improv code) or what went wrong; else the page's own words, or the browser's.
    const message =
      e instanceof ProgramRefused ? words.program.refused(e.refusal) : e instanceof BoardError ? boardLine(e) : e instanceof Error ? e.message : String(e);
    step(message, true);
    if (name) await post('/api/boards/failed', { board: name, error: message });
  } finally {
    button.disabled = false;
    refresh();
  }
}

/** A board's error in the page's words, from its facts (never its message). */
function boardLine(e: BoardError): string {
  if (e.refusal) return words.refused(e.refusal);
  if (e.code !== undefined) return words.improv[e.code] ?? words.improvOther(e.code);
  const p = e.problem;
  if (e.noAnswer || p?.kind === 'otherFirmware') return words.notBoard;
  if (p?.kind === 'lacks') return words.lacks(p.keys);
  if (p?.kind === 'noWifi') return words.noWifi;
  return words.silent;
}

if (!webSerial()) {
  $('no-serial').hidden = false;
  $<HTMLButtonElement>('set-button').disabled = true;
}
$('wifi').addEventListener('submit', (e) => void setUpPluggedBoard(e));
$('identify-button').addEventListener('click', () => void identifyPlugged());
refresh();
setInterval(refresh, 2000);
