// The student's own connection, with a partner: the chat, the status (retained « online », and
// « offline » by the will), the sensor and actuator's commands.

import { browserHost, randomHex } from '../../../hosts/browser/host';
import { MqttClient, payloadText, type Message } from '../../../src/mqtt/client';
import { colourOf, COLOURS } from '../../../src/apps/remote';
import { nameLevel } from '../../../src/apps/chat';
import { topicError } from '../../../src/mqtt/topic';
import type { Endpoint } from '../../../src/host';
import { brokerName } from '../../../src/endpoint';
import { clientIdOf, credentials, endpointOf, lostText, timers } from './connection';
import { labDefaults } from './lab';
import { $, clock, config, el, hasControl, input, lang, query, setStatus, shown, t } from './page';
import { add } from './rows';

const MAX_CHAT_LINES = 300;

const JOIN_FIELDS = ['me', 'peer', 'broker', 'user', 'password'];

/** The join form: fixed while connected, editable (to mend a name, an address, a password) otherwise. */
function lockJoinForm(locked: boolean): void {
  for (const id of JOIN_FIELDS) input(id).disabled = locked;
  $('join').textContent = locked ? t.leave : t.connect;
}

let main: MqttClient | null = null;

/** The page's own connection, which a program run in the page (program.ts) publishes on: the
 *  client, my name, my peer's, and whether it is up now; null before « Se connecter ». */
export function mainConnection(): { client: MqttClient; me: string; peer: string; up: boolean } | null {
  return main ? { client: main, me, peer, up: mainUp && main.connected } : null;
}

/** Whether the page itself subscribes to `filter` (a program's subscription must not undo it). */
export function pageFilter(filter: string): boolean {
  return !!main && [chatTopic(peer), statusTopic(peer), commandTopic(peer)].includes(filter);
}

/** Told when the page's connection comes up, goes down, or is left (« Se déconnecter »). */
const stateListeners: ((state: 'up' | 'down' | 'gone') => void)[] = [];
export function onMainState(f: (state: 'up' | 'down' | 'gone') => void): void {
  stateListeners.push(f);
}
function tell(state: 'up' | 'down' | 'gone'): void {
  for (const f of stateListeners) f(state);
}
let me = '',
  peer = '';
const prefix = config.prefix;
// Names in topics in lower case (nameLevel), as the boards and the commands write them.
const chatTopic = (name: string) => prefix + nameLevel(name);
const statusTopic = (name: string) => `${prefix}${nameLevel(name)}/status`;
const commandTopic = (name: string) => `${prefix}${nameLevel(name)}/remote/command`;

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
  const probe = `${statusTopic(me)}/check-${randomHex(4)}`;
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

export function join(event: Event) {
  event.preventDefault();
  if (main && mainUp) return leave();
  if (main) leave();
  me = input('me').value.trim();
  peer = input('peer').value.trim();
  const problem =
    !me || !peer
      ? t.needNames
      : nameLevel(me) === nameLevel(peer)
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
    tell('up');
  };
  client.onClose = (reason, retryIn, kind, code) => {
    if (main !== client) return;
    if (!mainUp) lockJoinForm(false);
    else document.body.classList.remove('joined');
    setStatus(lostText(reason, retryIn, mainUp, where, kind, code), 'wait');
    tell('down');
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
  tell('gone');
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
    // The chat never retains its lines: a retained one was left there by someone else (a student
    // from the lab, a program), and is not the partner's word. It is not shown as theirs.
    if (m.retain) return;
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

export function sendChat(event: Event) {
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

export function press(command: string) {
  if (!main) return setStatus(t.needNames, 'off');
  main.publish(commandTopic(me), command, { qos: 1 });
  $('sent').textContent = `${t.sent} ${command} → ${commandTopic(me)} (${clock()})`;
}
