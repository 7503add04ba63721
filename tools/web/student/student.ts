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

import { labClient, labPublish, labStop, labSubscribe, labDefaults } from './lab';
import { $, config, input, lang, query, setStatus, t } from './page';
import { join, press, sendChat } from './pair';
import { brokerUrl } from './connection';
import { openProgramTab, startProgramTab } from './program';
import type { StudentPageWords } from '../../words/words';

/** The words the markup names in its `data-t` attributes: the strings of the table. */
type TextKey = { [K in keyof StudentPageWords]: StudentPageWords[K] extends string ? K : never }[keyof StudentPageWords];

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

const ARROW_KEYS: Record<string, string> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

// ---- tabs and keys

function showTab(name: string) {
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[role=tab]'))) {
    const on = b.dataset.tab === name;
    b.setAttribute('aria-selected', String(on));
    $(b.dataset.tab!).hidden = !on;
  }
  if (name === 'program') openProgramTab();
}

function start() {
  translate();
  input('me').value = query.get('name') ?? '';
  input('peer').value = query.get('peer') ?? '';
  input('broker').value = brokerUrl();
  labDefaults(query.get('name') || 'me');
  input('sub-filter').value = `${config.prefix}+/lab`;
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
  startProgramTab();
  showTab(query.get('tab') === 'program' ? 'program' : 'chat');
  setStatus(t.notConnected, 'off');
  if (query.get('name') && query.get('peer') && !query.has('wait')) $('join').click();
}

start();
