// The « Programme » tab: the student's program, kept in this browser (localStorage), downloaded as
// a .js file and opened from one, and run here as a simulated board in a Worker
// (program-worker.ts). Its API calls come as messages: the page publishes and subscribes for it on
// its own connection (pair.ts), under the pair's prefix, at a bounded rate. A Worker whose
// heartbeat stops (a loop that never returns) is ended, and the page says so. The editor
// (CodeMirror, most of the page's weight) is a script of its own, /student-editor.js, loaded when
// the tab is first opened; « Envoyer à ma carte » sends the program to the student's board (board.ts).

import type { Message, QoS } from '../../../src/mqtt/client';
import { EXAMPLES } from '../../programs/examples';
import { en, fr } from '../../words/program';
import { startBoardSend } from './board';
import type { ProgramEditor } from './editor';
import { $, clock, config, el, hasControl, input, lang, shown, t } from './page';
import { mainConnection, onMainState, pageFilter } from './pair';
import {
  Bucket,
  type FromWorker,
  INCOMING_PER_SECOND,
  PRINT_PER_SECOND,
  PROGRAM_MAX_KB,
  PUBLISH_PER_SECOND,
  RUNAWAY_SECONDS,
  type ToWorker,
} from './program-protocol';
import { add } from './rows';

export const w = lang === 'fr' ? fr : en;

const STORE = 'mqtt-pair.program';
const MAX_CONSOLE_LINES = 300;
/** Before its first heartbeat, a Worker has this long to start (a slow computer loading it). */
const START_SECONDS = 20;

let editor: ProgramEditor | null = null;
let editorAsked = false;
/** The editor's own script, served beside the page's (tools/build.mjs, pages.ts). */
const EDITOR_SCRIPT = '/student-editor.js';
let worker: Worker | null = null;
let watchdog = 0;
let lastBeat = 0;
let ready = false;
let prefix = '';
let running: ReturnType<typeof mainConnection> = null;
const subscribed = new Set<string>();
let publishes = new Bucket(PUBLISH_PER_SECOND, Date.now);
let incoming = new Bucket(INCOMING_PER_SECOND, Date.now);
let incomingCut = 0;
const decoder = new TextDecoder('utf-8', { fatal: true });

function say(text: string, cls = '') {
  const s = $('program-status');
  s.textContent = text;
  s.className = cls;
}

function line(text: string, cls = '') {
  const at = Date.now();
  add($('program-console'), () => el('li', `${clock(at)} ${shown(text)}`, cls), MAX_CONSOLE_LINES);
}

function load(): string {
  try {
    return localStorage.getItem(STORE) ?? EXAMPLES[0].code;
  } catch {
    return EXAMPLES[0].code;
  }
}

let saveTimer = 0;
function save(code: string) {
  clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    try {
      localStorage.setItem(STORE, code);
    } catch {
      /* storage full or refused: the program stays in the editor */
    }
  }, 300);
}

/** The pair's name, from the field, else my name. */
function pairName(): string {
  return input('program-pair').value.trim() || mainConnection()?.me || input('me').value.trim();
}

function showPrefix() {
  input('program-pair').placeholder = mainConnection()?.me || input('me').value.trim();
  $('program-prefix').textContent = `${config.prefix}${pairName() || '…'}/`;
}

function send(m: ToWorker) {
  worker?.postMessage(m);
}

/** Runs the editor's program (again, if one runs: « Lancer ici » restarts it). */
export function runProgram() {
  stopProgram();
  if (!editor) return;
  const conn = mainConnection();
  if (!conn?.up) return say(w.needConnection, 'error');
  const code = editor.code();
  if (new Blob([code]).size > PROGRAM_MAX_KB * 1024) return say(w.tooLarge(PROGRAM_MAX_KB), 'error');
  const pair = pairName();
  if (/[+#/]/.test(pair) || hasControl(pair)) return say(t.badName, 'error');
  prefix = `${config.prefix}${pair}/`;
  running = conn;
  editor.markError(null);
  publishes = new Bucket(PUBLISH_PER_SECOND, Date.now);
  incoming = new Bucket(INCOMING_PER_SECOND, Date.now);
  const wk = new Worker('/student-program.js');
  worker = wk;
  wk.onmessage = (e: MessageEvent<FromWorker>) => {
    if (worker === wk) fromWorker(e.data);
  };
  wk.onerror = (e) => {
    e.preventDefault();
    if (worker === wk) stopProgram(`${w.runtimeError(null, e.message || 'Worker')}`);
  };
  lastBeat = Date.now();
  ready = false;
  watchdog = window.setInterval(() => {
    const limit = (ready ? RUNAWAY_SECONDS : START_SECONDS) * 1000;
    if (Date.now() - lastBeat > limit) stopProgram(w.runaway(RUNAWAY_SECONDS), 'error');
    if (incomingCut) line(w.incomingCut(incomingCut), 'note');
    incomingCut = 0;
  }, 500);
  send({ t: 'run', code, name: `${conn.me}-page`, peer: conn.peer, prefix, lang, up: true, button: false });
  ($('program-stop') as HTMLButtonElement).disabled = false;
  line(`▶ ${prefix}`, 'note');
  say(w.running(prefix), 'ok');
}

/** Ends the Worker and the program's subscriptions; `why` is said if given. */
export function stopProgram(why?: string, cls = '') {
  const wk = worker;
  worker = null;
  if (!wk) return;
  wk.terminate();
  clearInterval(watchdog);
  const client = running?.client;
  for (const f of subscribed) {
    if (!client) break;
    // The page's own subscription stays, without the program's handler.
    if (pageFilter(f)) client.subscribe(f, { qos: 1 });
    else client.unsubscribe(f);
  }
  subscribed.clear();
  running = null;
  $('program-led').dataset.on = 'false';
  $('program-led').style.background = '';
  ($('program-stop') as HTMLButtonElement).disabled = true;
  if (why) {
    say(why, cls);
    line(why, cls);
  }
}

function deliver(filter: string, m: Message) {
  if (!worker) return;
  if (!incoming.take()) {
    incomingCut++;
    return;
  }
  let message: string | Uint8Array;
  try {
    message = decoder.decode(m.payload);
  } catch {
    message = m.payload.slice();
  }
  send({ t: 'msg', filter, topic: m.topic.slice(prefix.length), message });
}

function fromWorker(m: FromWorker) {
  const client = running?.client;
  switch (m.t) {
    case 'beat':
      lastBeat = Date.now();
      ready = true;
      return;
    case 'print':
      return line(m.text);
    case 'pub':
      // The Worker holds to the rate already; the page checks again, what it sends is its own.
      if (!client || !publishes.take()) return;
      return client.publish(prefix + m.topic, m.message, { qos: m.qos as QoS, retain: m.retain }, (err) => {
        if (err) line(`${m.topic}${t.colon}${err.message}`, 'error');
      });
    case 'sub': {
      const full = prefix + m.filter;
      if (!client) return;
      subscribed.add(full);
      return client.subscribe(full, { qos: 1, handler: (msg) => deliver(m.filter, msg) }, (err) => {
        if (err) line(`${m.filter}${t.colon}${t.refused} (${err.message})`, 'error');
      });
    }
    case 'unsub': {
      const full = prefix + m.filter;
      if (!client || !subscribed.delete(full)) return;
      if (pageFilter(full)) client.subscribe(full, { qos: 1 });
      else client.unsubscribe(full);
      return;
    }
    case 'led':
      $('program-led').dataset.on = String(m.on);
      $('program-led').style.background = '';
      return;
    case 'colour': {
      // (A number the page checks, never a string of the program's, goes into the style.)
      const rgb = Number(m.rgb) & 0xffffff;
      $('program-led').dataset.on = String(rgb !== 0);
      $('program-led').style.background = rgb ? `#${rgb.toString(16).padStart(6, '0')}` : '';
      return;
    }
    case 'cut':
      return line(m.what === 'print' ? w.printCut(m.n, PRINT_PER_SECOND) : w.publishCut(m.n, PUBLISH_PER_SECOND), 'note');
    case 'error': {
      if (!editor) return;
      const at = m.syntax ? (editor.syntaxErrorLine() ?? m.line) : m.line;
      editor.markError(at);
      const text = m.syntax ? w.syntaxError(at, m.message) : w.runtimeError(at, m.message);
      line(text, 'error');
      say(text, 'error');
      // A program that does not compile has nothing left to run.
      if (m.syntax) stopProgram();
      return;
    }
  }
}

function pickExample() {
  const select = $<HTMLSelectElement>('program-examples');
  const example = EXAMPLES.find((e) => e.id === select.value);
  select.value = '';
  if (!example || !editor) return;
  const current = editor.code().trim();
  const untouched = !current || EXAMPLES.some((e) => e.code.trim() === current);
  if (!untouched && !confirm(w.replace)) return;
  editor.setCode(example.code);
}

/** The name a downloaded program gets, and the one a board is told when none was opened. */
function fileName(): string {
  return lang === 'fr' ? 'programme.js' : 'program.js';
}
let openedName = '';

function download() {
  if (!editor) return;
  const url = URL.createObjectURL(new Blob([editor.code()], { type: 'text/javascript' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName();
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function openFile() {
  const file = input('program-file').files?.[0];
  input('program-file').value = '';
  if (!file) return;
  if (file.size > PROGRAM_MAX_KB * 1024) return say(w.fileTooLarge(PROGRAM_MAX_KB), 'error');
  let text: string;
  try {
    text = decoder.decode(await file.arrayBuffer());
  } catch {
    return say(w.fileNotText, 'error');
  }
  if (text.includes('\u0000')) return say(w.fileNotText, 'error');
  if (!editor) return;
  editor.setCode(text);
  openedName = file.name;
  say(w.loaded(shown(file.name)));
}

export function startProgramTab() {
  for (const e of Array.from(document.querySelectorAll<HTMLElement>('[data-p]'))) e.textContent = w[e.dataset.p as 'tab'];
  const select = $<HTMLSelectElement>('program-examples');
  for (const e of EXAMPLES) {
    const o = document.createElement('option');
    o.value = e.id;
    o.textContent = e.title[lang];
    select.append(o);
  }
  $('program-limits').textContent = w.limits(PUBLISH_PER_SECOND, PRINT_PER_SECOND, RUNAWAY_SECONDS);
  select.addEventListener('change', pickExample);
  $('program-run').addEventListener('click', runProgram);
  $('program-stop').addEventListener('click', () => stopProgram(w.stopped));
  $('program-download').addEventListener('click', download);
  input('program-file').addEventListener('change', () => void openFile());
  input('program-pair').addEventListener('input', showPrefix);
  input('me').addEventListener('input', showPrefix);
  const button = $('program-button');
  const press = (on: boolean) => () => send({ t: 'button', on });
  button.addEventListener('pointerdown', press(true));
  for (const e of ['pointerup', 'pointerleave', 'blur']) button.addEventListener(e, press(false));
  onMainState((state) => {
    if (state === 'gone') stopProgram(w.stopped);
    else if (worker) {
      send({ t: 'state', up: state === 'up' });
      line(state === 'up' ? w.connectedAgain : w.disconnected, 'note');
    }
    showPrefix();
  });
  showPrefix();
  startBoardSend({
    code: () => editor?.code() ?? null,
    fileName,
    openedName: () => openedName,
    markError: (line) => editor?.markError(line),
  });
}

/** The editor, loaded the first time the tab is opened (again after a failed load). */
export function openProgramTab() {
  if (editorAsked) return;
  editorAsked = true;
  (import(EDITOR_SCRIPT) as Promise<typeof import('./editor')>).then(
    (m) => {
      editor = m.createEditor($('editor'), load(), w, save);
    },
    () => {
      editorAsked = false;
      say(w.editorFailed, 'error');
    },
  );
}
