// The students' page (`/student` of watch --web and classroom --web): the activities of seeds 000,
// 001 and 003 in a browser, nothing to install. It runs the project's own client (src/) over the
// browser host (hosts/browser/): the same code as the boards, over MQTT on a WebSocket.
//
//   Chat              I publish on <prefix><me>, I read <prefix><peer>; <name>/status is retained
//                     "online", and "offline" by my will when my page goes away.
//   Capteur/actionneur  my arrows go on <prefix><me>/remote/command (what a role=actuator board
//                     with topicPrefix <prefix><me>/ obeys); my block shows my partner's commands.
//   Laboratoire       a second connection of its own: publish, subscribe, a will, cut abruptly.
//
// Everything from the network is set with textContent, shortened and made printable: a message
// cannot add markup, run a script or fake a line.

import { browserHost, randomHex } from '../../../hosts/browser/host';
import { pageTimers, workerTimers } from '../../../hosts/browser/timers';
import { MqttClient, payloadText, type Message } from '../../../src/mqtt/client';
import { printable } from '../../../src/apps/text';
import { colourOf, COLOURS } from '../../../src/apps/remote';
import { filterError, topicError } from '../../../src/mqtt/topic';
import type { Endpoint } from '../../../src/host';
import { brokerEndpoint, brokerName, redact } from '../../../src/endpoint';
import type { QoS } from '../../../src/mqtt/codec';
import { studentWords as enWords } from '../../words/en';
import { studentWords as frWords } from '../../words/fr';
import type { StudentPageWords } from '../../words/words';
import type { StudentPageConfig } from './config';

const MAX_CHAT_LINES = 300;
const MAX_LAB_ROWS = 200;
const MAX_SHOWN = 500; // characters of a message shown

const WORDS: Record<'fr' | 'en', StudentPageWords> = { fr: frWords, en: enWords };
/** The words the markup names in its `data-t` attributes: the strings of the table. */
type TextKey = { [K in keyof StudentPageWords]: StudentPageWords[K] extends string ? K : never }[keyof StudentPageWords];

const query = new URLSearchParams(location.search);
const lang: keyof typeof WORDS = (query.get('lang') ?? navigator.language ?? 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
const t = WORDS[lang];
const config = JSON.parse(document.getElementById('config')!.textContent || '{}') as StudentPageConfig;

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
function input(id: string): HTMLInputElement {
  return $<HTMLInputElement>(id);
}

/** Text from the network, fit to show: printable (no control or bidi characters), and not too long. */
function shown(s: string): string {
  const p = printable(s);
  return p.length > MAX_SHOWN ? `${p.slice(0, MAX_SHOWN)}…` : p;
}

/** True when `s` holds a control or bidi character: Mosquitto closes the connection of a client
 *  that sends one in a topic, and the page would try again and again. */
function hasControl(s: string): boolean {
  return printable(s) !== s;
}

/** What is wrong with a topic or filter the student typed, or ''. */
function typedTopicError(s: string, check: (s: string) => string): string {
  return hasControl(s) ? t.control : check(s);
}

/**
 * "Connection lost: why (trying again in 2 s)", or "Cannot connect: …" when it never connected. The
 * why is worded from the close's kind and CONNACK code (in French), else the client's reason.
 */
function lostText(reason: string, retryIn: number, up: boolean, where: string, kind?: string, code?: number): string {
  const why = t.closeWhy(kind, code, where) || shown(reason);
  return `${up ? t.lost : t.failed}${t.colon}${why}${retryIn >= 0 ? ` (${t.retry} ${Math.round(retryIn / 1000)} ${t.seconds})` : ''}`;
}

const JOIN_FIELDS = ['me', 'peer', 'broker', 'user', 'password'];

/** The join form: fixed while connected, editable (to mend a name, an address, a password) otherwise. */
function lockJoinForm(locked: boolean): void {
  for (const id of JOIN_FIELDS) input(id).disabled = locked;
  $('join').textContent = locked ? t.leave : t.connect;
}

// One formatter: toLocaleTimeString makes a new one each call, which a burst feels.
const timeFormat = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
function clock(at = Date.now()): string {
  return timeFormat.format(at);
}

// A burst (thousands of messages a second) is drawn in animation frames, 10 a second at most: the
// rows of each list wait for the next draw, only the last `max` of them are made, and the list
// scrolls once, to its end, and only when the reader was there (reading older lines, they stay).
// A lone message is drawn in the next frame.
type Row = HTMLElement | (() => HTMLElement);
const waiting = new Map<HTMLElement, { rows: Row[]; max: number }>();
const DRAW_EVERY = 100; // ms
let frame = 0,
  drawnAt = -DRAW_EVERY;

/** Adds a row (or what makes it, called only if it is shown) to `list`, at most `max` kept. */
function add(list: HTMLElement, row: Row, max: number) {
  let w = waiting.get(list);
  if (!w) waiting.set(list, (w = { rows: [], max }));
  w.rows.push(row);
  if (w.rows.length > 2 * max) w.rows.splice(0, w.rows.length - max);
  if (!frame) frame = requestAnimationFrame(draw);
}

function draw(now: number) {
  frame = 0;
  if (now - drawnAt < DRAW_EVERY) {
    frame = requestAnimationFrame(draw);
    return;
  }
  drawnAt = now;
  // Every reading of the layout first, then every change: one layout a frame, not one per row.
  const lists = Array.from(waiting, ([list, w]) => {
    const box = list.closest<HTMLElement>('.table') ?? list;
    return { list, w, box, atEnd: box.scrollHeight - box.scrollTop - box.clientHeight < 40 };
  });
  waiting.clear();
  for (const { list, w, box, atEnd } of lists) {
    const rows = w.rows.length > w.max ? w.rows.slice(-w.max) : w.rows;
    const made = document.createDocumentFragment();
    for (const r of rows) made.append(typeof r === 'function' ? r() : r);
    list.append(made);
    for (let extra = list.children.length - w.max; extra > 0; extra--) list.firstElementChild!.remove();
    if (atEnd) box.scrollTop = box.scrollHeight;
  }
}

function el(tag: string, text: string, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** The broker's WebSocket from the page's setting (src/endpoint.ts reads it, as everywhere). A loopback
 *  address in the teacher's setting means the teacher's computer: from a student's computer, that
 *  is the host this page came from. A user and password in it count as typed in their fields. */
function endpointOf(url: string): Endpoint {
  const e = /^wss?:\/\//i.test(url) ? brokerEndpoint(url) : '';
  if (typeof e === 'string') throw new Error(`${t.broker}${t.colon}${t.notWebSocket(shown(redact(url)))}`);
  const loopback = (h: string) => h === 'localhost' || h.startsWith('127.') || h === '::1';
  if (loopback(e.host) && location.hostname && !loopback(location.hostname)) e.host = location.hostname.replace(/^\[|\]$/g, '');
  if (e.path === '/') e.path = '/mqtt';
  return e;
}

/** The broker as the page shows it: never a user or a password. */
function brokerUrl(): string {
  try {
    return brokerName(endpointOf(config.broker), true);
  } catch {
    return redact(config.broker);
  }
}

/** A client id from a first name: ASCII letters and digits only (some brokers take no others), short. */
function clientIdOf(kind: string, name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 12) || 'x';
  return `${kind}-${ascii}-${randomHex(3)}`;
}

function setStatus(text: string, state: 'ok' | 'wait' | 'off') {
  const s = $('status');
  s.textContent = text;
  s.dataset.state = state;
}

// ---- words on the page

function translate() {
  document.documentElement.lang = lang;
  document.title = `${t.title}${config.title ? ` · ${config.title}` : ''}`;
  for (const e of Array.from(document.querySelectorAll<HTMLElement>('[data-t]'))) e.textContent = t[e.dataset.t as TextKey];
  for (const b of Array.from(document.querySelectorAll<HTMLElement>('[data-command]')))
    b.setAttribute('aria-label', t[b.dataset.command as 'up' | 'down' | 'left' | 'right']);
  $('class-title').textContent = config.title;
  // The warning is for the teacher, who opens the page on this computer; not for every student.
  if (config.open && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(location.hostname)) {
    $('open-warning').hidden = false;
    $('open-warning').textContent = t.openWarning;
  }
}

// ---- the student's connection: chat, status, sensor and actuator

let main: MqttClient | null = null;
/** The clients' timers, in a Worker so that a hidden tab stays online (hosts/browser/timers.ts);
 *  `?timers=page` keeps the page's own, to show the difference. Made once, shared. */
let sharedTimers: ReturnType<typeof workerTimers> | null = null;
function timers() {
  sharedTimers ??= /[?&]timers=page/.test(location.search) ? pageTimers() : workerTimers('/student-timers.js');
  return sharedTimers;
}
let me = '',
  peer = '';
const prefix = config.prefix;
const chatTopic = (name: string) => prefix + name;
const statusTopic = (name: string) => `${prefix}${name}/status`;
const commandTopic = (name: string) => `${prefix}${name}/remote/command`;

function credentials(e: Endpoint): Endpoint {
  const user = input('user').value,
    pass = input('password').value;
  if (user) e.username = user;
  if (pass) e.password = pass;
  return e;
}

/** A first name as the class tells names apart: case and accents aside (« Léa » is « lea »). */
function nameKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

// The name whose clash the student chose to keep (a second « Se connecter »).
let clashKept = '';

/**
 * Before going online: is a page of the class already online under this name (case and accents
 * aside)? Its retained `online` on <prefix><name>/status says so. The retained messages of a new
 * subscription come before anything published after it, so a probe sent once both are acknowledged
 * marks the end of them: no waiting on a clock. `done` gets the name found, or null.
 */
function checkName(client: MqttClient, done: (clash: string | null) => void): void {
  const all = `${prefix}+/status`;
  const probe = `${prefix}${me}/status/check-${randomHex(4)}`;
  const key = nameKey(me);
  let clash: string | null = null;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    client.unsubscribe(all);
    client.unsubscribe(probe);
    done(clash);
  };
  client.subscribe(all, {
    handler: (m) => {
      const name = m.topic.slice(prefix.length, -'/status'.length);
      if (!finished && payloadText(m.payload) === 'online' && nameKey(name) === key) clash = name;
    },
  });
  client.subscribe(probe, { handler: () => finish() }, (err) => {
    if (err) return finish(); // the broker's rules forbid the check: go on
    client.publish(probe, '');
  });
}

// Whether the main connection has been up once: until then, a failure leaves the form editable and
// the button says « Se connecter » (it tries again with what is typed), while the client retries.
let mainUp = false;

function join(event: Event) {
  event.preventDefault();
  if (main && mainUp) return leave();
  if (main) leave();
  me = input('me').value.trim();
  peer = input('peer').value.trim();
  const problem =
    !me || !peer
      ? t.needNames
      : me === peer
        ? t.samePeer
        : /[+#/]/.test(me + peer) || hasControl(me + peer)
          ? t.badName
          : topicError(chatTopic(me)) || topicError(chatTopic(peer));
  if (problem) return setStatus(problem, 'off');
  let endpoint: Endpoint;
  try {
    endpoint = credentials(endpointOf(input('broker').value.trim()));
  } catch (e) {
    return setStatus((e as Error).message, 'off');
  }
  const where = brokerName(endpoint, true);
  const host = browserHost(() => {}, timers());
  const client = new MqttClient(host, endpoint, {
    clientId: clientIdOf('st', me),
    keepalive: 20,
    reconnect: { min: 1000, max: 10000 },
    will: { topic: statusTopic(me), payload: 'offline', qos: 1, retain: true },
  });
  main = client;
  mainUp = false;
  let checked = clashKept === nameKey(me);
  const clashed = (name: string) => {
    main = null;
    client.end(); // DISCONNECT: no will, the other page's « online » stays
    lockJoinForm(false);
    clashKept = nameKey(me);
    setStatus(t.nameTaken(shown(name)), 'off');
  };
  client.onConnect = () => {
    if (main !== client) return;
    if (!checked) {
      checkName(client, (name) => {
        if (main !== client) return;
        if (name !== null) return clashed(name);
        checked = true;
        client.onConnect(false);
      });
      return;
    }
    mainUp = true;
    lockJoinForm(true);
    document.body.classList.add('joined'); // a phone folds the form away (student.css)
    setStatus(`${t.connected} ${where} (${me})`, 'ok');
    client.publish(statusTopic(me), 'online', { qos: 1, retain: true });
  };
  client.onClose = (reason, retryIn, kind, code) => {
    if (main !== client) return;
    if (!mainUp) lockJoinForm(false);
    else document.body.classList.remove('joined');
    setStatus(lostText(reason, retryIn, mainUp, where, kind, code), 'wait');
  };
  client.onMessage = (m) => onMainMessage(m);
  client.subscribe(chatTopic(peer), { qos: 1 });
  client.subscribe(statusTopic(peer), { qos: 1 });
  client.subscribe(commandTopic(peer), { qos: 1 });
  setStatus(t.connecting, 'wait');
  client.connect();
  lockJoinForm(true);
  for (const e of Array.from(document.querySelectorAll<HTMLElement>('.peer-name'))) e.textContent = peer;
  $('command-topic').textContent = commandTopic(me);
  $('peer-command-topic').textContent = commandTopic(peer);
  $('chat-topics').textContent = `${t.writeOn} ${chatTopic(me)} · ${t.readFrom} ${chatTopic(peer)}`;
  showPeerStatus(t.unknown, 'unknown');
  labDefaults(me);
  history.replaceState(null, '', `?name=${encodeURIComponent(me)}&peer=${encodeURIComponent(peer)}${query.get('lang') ? `&lang=${lang}` : ''}`);
}

function leave() {
  const client = main;
  main = null;
  if (!client) return;
  // Said before leaving: a DISCONNECT keeps the will from being published.
  if (client.connected) client.publish(statusTopic(me), 'offline', { qos: 0, retain: true });
  client.end();
  mainUp = false;
  lockJoinForm(false);
  document.body.classList.remove('joined');
  setStatus(t.notConnected, 'off');
}

function onMainMessage(m: Message) {
  const text = payloadText(m.payload);
  if (m.topic === chatTopic(peer)) {
    const who = peer;
    add(
      $('chat-lines'),
      () => {
        const li = el('li', '', 'theirs');
        li.append(el('span', clock(), 'time'), el('span', who, 'who'), el('span', shown(text), 'text'));
        return li;
      },
      MAX_CHAT_LINES,
    );
  } else if (m.topic === statusTopic(peer)) {
    const online = text === 'online';
    showPeerStatus(online ? t.online : text === 'offline' ? t.offline : shown(text), online ? 'online' : 'offline');
  } else if (m.topic === commandTopic(peer)) {
    const colour = colourOf(text);
    const block = $('block');
    if (colour) {
      block.style.background = `#${COLOURS[colour].toString(16).padStart(6, '0')}`;
      block.dataset.colour = colour;
    }
    $('block-label').textContent = colour ? (t.colourNames[colour] ?? colour) : t.unknownCommand;
    $('received').textContent = `${t.received} ${shown(text)} (${clock()})`;
  }
}

function showPeerStatus(text: string, state: string) {
  const s = $('peer-status');
  s.textContent = `${peer} : ${text}`;
  s.dataset.state = state;
}

function sendChat(event: Event) {
  event.preventDefault();
  const box = input('chat-input');
  const text = box.value;
  if (!main || !text.trim()) return;
  box.value = '';
  const li = el('li', '', 'mine');
  li.append(el('span', clock(), 'time'), el('span', me, 'who'), el('span', shown(text), 'text'));
  add($('chat-lines'), li, MAX_CHAT_LINES);
  main.publish(chatTopic(me), text, { qos: 1 }, (err) => {
    if (err) li.append(el('span', ` (${t.error}${t.colon}${err.message})`, 'error'));
  });
}

const ARROW_KEYS: Record<string, string> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

function press(command: string) {
  if (!main) return setStatus(t.needNames, 'off');
  main.publish(commandTopic(me), command, { qos: 1 });
  $('sent').textContent = `${t.sent} ${command} → ${commandTopic(me)} (${clock()})`;
}

// ---- the lab: a connection of its own, with its own will

let lab: MqttClient | null = null;
const labSubs = new Set<string>();

function labLog(text: string, cls = '') {
  const at = Date.now();
  add($('lab-log'), () => el('li', `${clock(at)} ${text}`, cls), 50);
}

function qosOf(id: string): QoS {
  return Number(($(id) as HTMLSelectElement).value) as QoS;
}

function labClient(): MqttClient | null {
  if (lab) return lab;
  let endpoint: Endpoint;
  try {
    endpoint = credentials(endpointOf(input('broker').value.trim()));
  } catch (e) {
    labLog((e as Error).message, 'error');
    return null;
  }
  const willTopic = input('will-topic').value.trim();
  const willError = willTopic ? typedTopicError(willTopic, topicError) : '';
  if (willError) {
    labLog(`${t.willTopic}${t.colon}${willError}`, 'error');
    return null;
  }
  const id = clientIdOf('lab', input('me').value.trim());
  const client = new MqttClient(
    browserHost(() => {}, timers()),
    endpoint,
    {
      clientId: id,
      clean: input('clean').checked,
      keepalive: 20,
      reconnect: { min: 1000, max: 10000 },
      will: willTopic ? { topic: willTopic, payload: input('will-message').value, qos: qosOf('will-qos'), retain: input('will-retain').checked } : undefined,
    },
  );
  lab = client;
  let up = false;
  client.onConnect = (present) => {
    up = true;
    if (lab === client) {
      labLog(`${t.labUp} ${id}${present ? ` (${t.sessionPresent})` : ''}`);
      $('lab-state').dataset.state = 'ok';
    }
  };
  client.onClose = (reason, retryIn, kind, code) => {
    if (lab === client) {
      labLog(lostText(reason, retryIn, up, brokerName(endpoint, true), kind, code), 'error');
      $('lab-state').dataset.state = 'wait';
    }
  };
  client.onWarning = (w) => labLog(shown(w));
  client.onMessage = (m) => {
    if (lab === client) labMessage(m);
  };
  for (const f of labSubs) client.subscribe(f, { qos: 1 });
  client.connect();
  $('lab-state').textContent = id;
  return client;
}

function labMessage(m: Message) {
  const at = Date.now();
  add(
    $('lab-rows'),
    () => {
      const row = document.createElement('tr');
      row.append(
        el('td', clock(at)),
        el('td', shown(m.topic), 'topic'),
        el('td', String(m.qos)),
        el('td', m.retain ? t.yes : t.no),
        el('td', shown(payloadText(m.payload)), 'text'),
      );
      return row;
    },
    MAX_LAB_ROWS,
  );
}

function labStop(abrupt: boolean) {
  const client = lab;
  lab = null;
  if (!client) return;
  // pause() closes the socket with no DISCONNECT, as a board that loses power: the broker sends the will.
  if (abrupt) client.pause('cut');
  else client.end();
  labLog(abrupt ? t.labCutDone : t.labEndDone);
  $('lab-state').textContent = t.labDown;
  $('lab-state').dataset.state = 'off';
}

function labPublish(event: Event) {
  event.preventDefault();
  const topic = input('pub-topic').value.trim();
  const problem = typedTopicError(topic, topicError);
  if (problem) return labLog(`${t.topic}${t.colon}${problem}`, 'error');
  const client = labClient();
  if (!client) return;
  const qos = qosOf('pub-qos'),
    retain = input('pub-retain').checked;
  client.publish(topic, input('pub-message').value, { qos, retain }, (err) =>
    labLog(err ? `${t.error}${t.colon}${err.message}` : `${t.published} ${topic} (QoS ${qos}${retain ? ', retain' : ''})`, err ? 'error' : ''),
  );
}

function labSubscribe(event: Event) {
  event.preventDefault();
  const filter = input('sub-filter').value.trim();
  const problem = typedTopicError(filter, filterError);
  if (problem) return labLog(`${t.filter}${t.colon}${problem}`, 'error');
  const client = labClient();
  if (!client || labSubs.has(filter)) return;
  labSubs.add(filter);
  const qos = qosOf('sub-qos');
  const li = el('li', `${filter} `);
  const off = el('button', t.unsubscribe) as HTMLButtonElement;
  off.type = 'button';
  off.onclick = () => {
    labSubs.delete(filter);
    lab?.unsubscribe(filter);
    li.remove();
  };
  li.append(off);
  $('lab-subs').append(li);
  client.subscribe(filter, { qos }, (err, granted) =>
    labLog(err ? `${filter}${t.colon}${t.refused} (${err.message})` : `${t.subscribed} ${filter} (${t.granted} ${granted})`, err ? 'error' : ''),
  );
}

/** The lab's fields, made of my name; once I have typed my name, fields still at their default follow it. */
let defaults: Record<string, string> = {};
function labDefaults(name: string) {
  const next: Record<string, string> = {
    'will-topic': `${prefix}${name}/lab/will`,
    'will-message': `${name} : ${t.willGone}`,
    'pub-topic': `${prefix}${name}/lab`,
  };
  for (const [id, value] of Object.entries(next)) if (!input(id).value || input(id).value === defaults[id]) input(id).value = value;
  defaults = next;
}

// ---- tabs and keys

function showTab(name: string) {
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[role=tab]'))) {
    const on = b.dataset.tab === name;
    b.setAttribute('aria-selected', String(on));
    $(b.dataset.tab!).hidden = !on;
  }
}

function start() {
  translate();
  input('me').value = query.get('name') ?? '';
  input('peer').value = query.get('peer') ?? '';
  input('broker').value = brokerUrl();
  labDefaults(query.get('name') || 'me');
  input('sub-filter').value = `${prefix}+/lab`;
  $('who').addEventListener('submit', join);
  $('chat-form').addEventListener('submit', sendChat);
  $('pub-form').addEventListener('submit', labPublish);
  $('sub-form').addEventListener('submit', labSubscribe);
  $('lab-connect').addEventListener('click', () => labClient());
  $('lab-end').addEventListener('click', () => labStop(false));
  $('lab-cut').addEventListener('click', () => labStop(true));
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[role=tab]'))) b.addEventListener('click', () => showTab(b.dataset.tab!));
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-command]'))) b.addEventListener('click', () => press(b.dataset.command!));
  document.addEventListener('keydown', (e) => {
    const command = ARROW_KEYS[e.key];
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
    if (!command || typing || $('remote').hidden) return;
    e.preventDefault();
    if (e.repeat) return; // a key held down sends one command, not thirty a second
    press(command);
  });
  showTab('chat');
  setStatus(t.notConnected, 'off');
  if (query.get('name') && query.get('peer') && !query.has('wait')) $('join').click();
}

start();
