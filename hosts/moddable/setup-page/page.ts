// The setup page's script, in the phone's or the computer's browser: French or English by the
// browser's language, the networks the board sees, every setting with the board's values, and
// Save. The board checks what is sent as the firmware does (src/setup/setup.ts) and answers with
// the setting that is wrong and why; nothing is stored then. tools/setup-page.mjs bundles this
// file with page.html and page.css into one ASCII page, built into the firmware.

import { REGISTRY } from '../../../src/apps/registry';
import { SETTINGS } from '../../../src/setup/settings';

interface View {
  device: string;
  reason: string;
  why?: string[];
  maxBytes: number;
  settings: { key: string; value: string; source: string }[];
  missing: string[];
}
interface Network {
  ssid: string;
  rssi: number;
  open: boolean;
}

const FR = {
  wifi: 'R\u00e9seau WiFi',
  rescan: 'Chercher \u00e0 nouveau',
  scanning: 'recherche\u2026',
  ssid: 'Nom du r\u00e9seau (SSID)',
  password: 'Mot de passe du WiFi',
  show: 'Afficher',
  hide: 'Masquer',
  passwordKept: 'Laissez vide pour garder le mot de passe enregistr\u00e9.',
  passwordOpen: 'R\u00e9seau ouvert\u00a0: pas de mot de passe.',
  passwordNeeded: 'Ce r\u00e9seau demande un mot de passe.',
  mqtt: 'Broker MQTT et activit\u00e9',
  broker: 'Broker',
  brokerHint: 'Adresse IP du broker (ex. 192.168.1.144), ou mqtt://utilisateur:motdepasse@h\u00f4te:1883',
  role: 'R\u00f4le de la carte',
  topicPrefix: 'Pr\u00e9fixe des topics',
  prefixHint: 'Le m\u00eame pour les deux cartes d\u2019un bin\u00f4me, ex. LycMaurois/SNT_2nde/alice/',
  name: 'Pr\u00e9nom de la carte (chat)',
  peer: 'Pr\u00e9nom du correspondant (chat)',
  interval: 'Intervalle (ms)',
  intervalHint: 'Entre deux Hello (5000 si vide\u00a0; 1000 pour le capteur et la t\u00e9l\u00e9commande).',
  choose: '\u2014 choisissez \u2014',
  more: 'Plus de r\u00e9glages',
  save: 'Enregistrer et red\u00e9marrer',
  saving: 'Enregistrement\u2026',
  saved: 'Enregistr\u00e9',
  doneText:
    'La carte red\u00e9marre et rejoint le r\u00e9seau \u00ab\u00a0{ssid}\u00a0\u00bb. Cette page ne r\u00e9pondra plus\u00a0: revenez sur votre WiFi habituel.',
  missing: '\u00c0 remplir\u00a0: ',
  refused: 'La carte refuse ce r\u00e9glage\u00a0: ',
  required: 'Ce champ est obligatoire.',
  range: 'Un nombre entier de {min} \u00e0 {max}.',
  tooLong: 'Trop long\u00a0: {max} octets au plus sur cette carte.',
  unreachable: 'La carte ne r\u00e9pond pas. \u00cates-vous toujours connect\u00e9 \u00e0 son r\u00e9seau\u00a0?',
  none: 'Aucun r\u00e9seau trouv\u00e9 pour l\u2019instant.',
  open: 'ouvert',
  secured: 'prot\u00e9g\u00e9',
  other: 'langue\u00a0: English',
  fromBuild: 'valeur du firmware',
  unset: '',
  labels: {
    clientId: 'Identifiant client MQTT',
    keepalive: 'Keepalive (s)',
    backoffMin: 'Reconnexion\u00a0: premier d\u00e9lai (ms)',
    backoffMax: 'Reconnexion\u00a0: d\u00e9lai maximal (ms)',
    restartAfter: '\u00c9checs avant red\u00e9marrage',
    setupAfter: '\u00c9checs avant ce mode r\u00e9glage',
    inflight: 'Messages QoS 1/2 en vol',
    wifiTimeout: 'Attente d\u2019une adresse IP (ms)',
    wifiRetry: 'D\u00e9lai entre deux essais WiFi (ms)',
    ca: 'Certificat de l\u2019autorit\u00e9 (TLS)',
    sntp: 'Serveur de temps (TLS)',
    led: 'LED de la carte\u00a0: GPIO (-1\u00a0: aucune)',
    ledActiveLow: 'LED allum\u00e9e au niveau bas',
  } as Record<string, string>,
  // Why setup mode is open, from the board's code and values (SetupView.why), not its console line.
  reasons: {
    wifi: (a) => `${a[1]} essais pour rejoindre le WiFi \u00ab\u00a0${a[2]}\u00a0\u00bb ont \u00e9chou\u00e9.`,
    dns: (a) => `le nom du broker \u00ab\u00a0${a[1]}\u00a0\u00bb n\u2019a pas \u00e9t\u00e9 trouv\u00e9 ${a[2]} fois de suite.`,
    missing: (a) =>
      a.indexOf('ssid') > 0 ? 'Aucun r\u00e9seau WiFi n\u2019est enregistr\u00e9 sur cette carte.' : 'des r\u00e9glages manquent sur cette carte.',
    wrong: () => 'un r\u00e9glage enregistr\u00e9 sur cette carte est faux.',
    ca: () => 'le broker demande un certificat que ce firmware n\u2019a pas.',
    button: () => 'le bouton BOOT a \u00e9t\u00e9 tenu au d\u00e9marrage.',
    usb: () => 'demand\u00e9 par USB.',
  } as Record<string, (a: string[]) => string>,
  // The board's check's codes (SettingProblem.code), for a refused setting.
  codes: {
    prefix:
      'le pr\u00e9fixe s\u2019\u00e9crit niveau/niveau/\u2026/, sans espace ni niveau vide, avec un / \u00e0 la fin, par exemple LycMaurois/SNT_2nde/alice/',
  } as Record<string, string>,
  why: 'Pourquoi cette page\u00a0: ',
  program: 'Programme de l\u2019\u00e9l\u00e8ve',
  programName: 'Nom du programme',
  programText: 'Programme (JavaScript)',
  programSend: 'Envoyer',
  programClear: 'Effacer le programme (retour au r\u00f4le de la carte)',
  programNone:
    'Cette carte ne peut pas ex\u00e9cuter de programme (son firmware n\u2019a pas l\u2019analyseur JavaScript)\u00a0: choisissez un r\u00f4le ci-dessus.',
  programStored: 'Programme enregistr\u00e9\u00a0: {name}, {size} octets, empreinte {hash}.',
  programEmpty: 'Aucun programme enregistr\u00e9\u00a0: la carte joue son r\u00f4le.',
  programSending: 'Envoi\u2026',
  programSent:
    'Programme \u00ab\u00a0{name}\u00a0\u00bb enregistr\u00e9 ({size} octets, empreinte {hash})\u00a0: la carte red\u00e9marre pour l\u2019ex\u00e9cuter.',
  programCleared: 'Programme effac\u00e9\u00a0: la carte red\u00e9marre et joue son r\u00f4le.',
  programRefused: 'Programme refus\u00e9, l\u2019ancien est gard\u00e9\u00a0: ',
  programCodes: {
    large: 'il d\u00e9passe {0} octets, le maximum d\u2019une carte.',
    utf8: 'ce n\u2019est pas du texte en UTF-8.',
    syntax: 'erreur ligne {0}\u00a0: {2}',
    origin: 'envoy\u00e9 depuis un autre site\u00a0: ouvrez cette page depuis la carte.',
    none: 'il n\u2019y a pas de programme \u00e0 effacer.',
    name: 'donnez-lui un nom (32 octets au plus).',
    empty: 'le programme est vide.',
  } as Record<string, string>,
};
type Texts = typeof FR;
const EN: Texts = {
  wifi: 'WiFi network',
  rescan: 'Search again',
  scanning: 'searching\u2026',
  ssid: 'Network name (SSID)',
  password: 'WiFi password',
  show: 'Show',
  hide: 'Hide',
  passwordKept: 'Leave it empty to keep the stored password.',
  passwordOpen: 'Open network: no password.',
  passwordNeeded: 'This network needs a password.',
  mqtt: 'MQTT broker and activity',
  broker: 'Broker',
  brokerHint: 'The broker\u2019s IP address (e.g. 192.168.1.144), or mqtt://user:password@host:1883',
  role: 'Role of the board',
  topicPrefix: 'Topic prefix',
  prefixHint: 'The same for both boards of a pair, e.g. LycMaurois/SNT_2nde/alice/',
  name: 'Board\u2019s first name (chat)',
  peer: 'Partner\u2019s first name (chat)',
  interval: 'Interval (ms)',
  intervalHint: 'Between two hellos (5000 when empty; 1000 for the sensor and the remote).',
  choose: '\u2014 choose \u2014',
  more: 'More settings',
  save: 'Save and restart',
  saving: 'Saving\u2026',
  saved: 'Saved',
  doneText: 'The board restarts and joins the network \u201c{ssid}\u201d. This page will stop answering: go back to your usual WiFi.',
  missing: 'Still to fill in: ',
  refused: 'The board refuses this setting: ',
  required: 'This field is required.',
  range: 'A whole number from {min} to {max}.',
  tooLong: 'Too long: {max} bytes at most on this board.',
  unreachable: 'The board does not answer. Are you still on its network?',
  none: 'No network found yet.',
  open: 'open',
  secured: 'secured',
  other: 'langue\u00a0: fran\u00e7ais',
  fromBuild: 'firmware\u2019s value',
  unset: '',
  labels: {
    clientId: 'MQTT client id',
    keepalive: 'Keepalive (s)',
    backoffMin: 'Reconnect: first delay (ms)',
    backoffMax: 'Reconnect: longest delay (ms)',
    restartAfter: 'Failures before a restart',
    setupAfter: 'Failures before this setup mode',
    inflight: 'QoS 1/2 messages in flight',
    wifiTimeout: 'Wait for an IP address (ms)',
    wifiRetry: 'Delay between WiFi attempts (ms)',
    ca: 'CA certificate (TLS)',
    sntp: 'Time server (TLS)',
    led: 'Board LED: GPIO (-1: none)',
    ledActiveLow: 'LED lit when low',
  },
  reasons: {
    wifi: (a) => `${a[1]} attempts to join the WiFi \u201c${a[2]}\u201d failed.`,
    dns: (a) => `the broker\u2019s name \u201c${a[1]}\u201d was not found ${a[2]} times in a row.`,
    missing: (a) => (a.indexOf('ssid') > 0 ? 'No WiFi network is stored on this board.' : 'settings are missing on this board.'),
    wrong: () => 'a setting stored on this board is wrong.',
    ca: () => 'the broker needs a certificate this firmware lacks.',
    button: () => 'the BOOT button was held at power-up.',
    usb: () => 'asked over USB.',
  },
  codes: {
    prefix: 'a prefix is level/level/\u2026/, without spaces or empty levels, with a / at the end, e.g. LycMaurois/SNT_2nde/alice/',
  },
  why: 'Why this page: ',
  program: 'The student\u2019s program',
  programName: 'Program\u2019s name',
  programText: 'Program (JavaScript)',
  programSend: 'Send',
  programClear: 'Clear the program (back to the board\u2019s role)',
  programNone: 'This board cannot run programs (its firmware has no JavaScript parser): choose a role above.',
  programStored: 'Stored program: {name}, {size} bytes, hash {hash}.',
  programEmpty: 'No program stored: the board plays its role.',
  programSending: 'Sending\u2026',
  programSent: 'Program \u201c{name}\u201d stored ({size} bytes, hash {hash}): the board restarts to run it.',
  programCleared: 'Program cleared: the board restarts and plays its role.',
  programRefused: 'Program refused, the old one kept: ',
  programCodes: {
    large: 'it is over {0} bytes, the most a board takes.',
    utf8: 'it is not text in UTF-8.',
    syntax: 'error on line {0}: {2}',
    origin: 'sent from another site: open this page from the board.',
    none: 'there is no program to clear.',
    name: 'give it a name (32 bytes at most).',
    empty: 'the program is empty.',
  },
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let t: Texts = /^fr\b/i.test(navigator.language || '') ? FR : EN;
let view: View | null = null;
let networks: Network[] = [];
const shown: Record<string, string> = {};
let chosenOpen: boolean | null = null;

function field(key: string) {
  return document.getElementById(key) as HTMLInputElement | HTMLSelectElement | null;
}
function fill(s: string, values: Record<string, string | number>) {
  return s.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
}

/** Inputs for the settings under "More settings", from the same list the board checks with. */
function buildMore() {
  const more = $('more');
  for (const f of SETTINGS) {
    if (f.basic) continue;
    const label = document.createElement('label');
    label.htmlFor = f.key;
    label.dataset.l = f.key;
    const input = document.createElement('input');
    input.id = input.name = f.key;
    input.autocomplete = 'off';
    input.setAttribute('autocapitalize', 'off');
    if (f.kind === 'number') {
      input.type = 'number';
      input.inputMode = 'numeric';
    }
    more.append(label, input);
  }
  for (const f of SETTINGS) {
    if (f.kind !== 'number') continue;
    const input = field(f.key) as HTMLInputElement;
    input.min = String(f.min);
    input.max = String(f.max);
    input.step = '1';
  }
}

function translate() {
  document.documentElement.lang = t === FR ? 'fr' : 'en';
  for (const el of document.querySelectorAll<HTMLElement>('[data-t]')) el.textContent = (t as unknown as Record<string, string>)[el.dataset.t!];
  for (const el of document.querySelectorAll<HTMLElement>('[data-l]')) el.textContent = t.labels[el.dataset.l!] ?? el.dataset.l!;
  $('lang').textContent = t.other;
  $('lang').lang = t === FR ? 'en' : 'fr';
  const role = $<HTMLSelectElement>('role'),
    value = role.value;
  role.textContent = '';
  role.add(new Option(t.choose, ''));
  for (const r of REGISTRY) role.add(new Option(r.label[t === FR ? 'fr' : 'en'], r.key));
  role.value = value;
  if (view) showView();
  showProgram();
  showNetworks();
  passwordHint();
}

function showView() {
  const v = view!;
  $('device').textContent = v.device;
  const reason = $('reason');
  reason.hidden = !v.reason;
  const worded = v.why?.length ? t.reasons[v.why[0]] : undefined;
  reason.textContent = v.reason ? t.why + (worded ? worded(v.why!) : v.reason) : '';
  if (v.missing.length) reason.textContent += (v.reason ? ' ' : '') + t.missing + v.missing.map(labelOf).join(', ');
  reason.hidden = !reason.textContent;
}

function labelOf(key: string) {
  return (t as unknown as Record<string, string>)[key] ?? t.labels[key] ?? key;
}

function load(v: View) {
  view = v;
  for (const s of v.settings) {
    shown[s.key] = s.value;
    const el = field(s.key);
    if (!el || s.key === 'password') continue;
    el.value = s.value;
    if (s.source === 'build' && el instanceof HTMLInputElement) el.title = t.fromBuild;
  }
  for (const f of SETTINGS)
    if (f.kind !== 'number' && f.kind !== 'choice') (field(f.key) as HTMLInputElement).maxLength = Math.min(f.key === 'ssid' ? 32 : 1000, v.maxBytes);
  $<HTMLInputElement>('ssid').required = true;
  $<HTMLInputElement>('broker').required = true;
  showView();
  chatFields();
  passwordHint();
}

function showNetworks() {
  const box = $('networks');
  box.textContent = '';
  if (!networks.length) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = t.none;
    box.append(p);
    return;
  }
  const current = $<HTMLInputElement>('ssid').value;
  for (const n of networks) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'network';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(n.ssid === current));
    const bars = document.createElement('span');
    bars.className = 'bars';
    const level = n.rssi >= -55 ? 4 : n.rssi >= -67 ? 3 : n.rssi >= -78 ? 2 : 1;
    for (let i = 1; i <= 4; i++) {
      const bar = document.createElement('i');
      if (i <= level) bar.className = 'on';
      bars.append(bar);
    }
    bars.title = `${n.rssi} dBm`;
    const name = document.createElement('span');
    name.className = 'ssid';
    name.textContent = n.ssid;
    const lock = document.createElement('span');
    lock.className = 'lock';
    lock.textContent = n.open ? t.open : t.secured;
    b.append(bars, name, lock);
    b.onclick = () => {
      $<HTMLInputElement>('ssid').value = n.ssid;
      chosenOpen = n.open;
      showNetworks();
      passwordHint();
      if (!n.open) $('password').focus();
    };
    box.append(b);
  }
}

function passwordHint() {
  const ssid = $<HTMLInputElement>('ssid').value,
    hint = $('password-hint');
  const known = networks.find((n) => n.ssid === ssid);
  const open = known ? known.open : chosenOpen;
  $<HTMLInputElement>('password').disabled = open === true;
  hint.textContent = open ? t.passwordOpen : shown.password && ssid === shown.ssid ? t.passwordKept : '';
}

function chatFields() {
  $('chat').hidden = $<HTMLSelectElement>('role').value !== 'chat';
}

async function getJson(path: string) {
  const r = await fetch(path, { cache: 'no-store' });
  return r.json();
}

/**
 * The networks the board sees; asked again while it is scanning or has none yet (a busy board, a
 * slow scan), as long as the page is open: every 1.5 s, then up to every 5 s.
 */
async function scan(tries = 0) {
  $('scanning').hidden = false;
  let again = true;
  try {
    const r = await getJson('/networks');
    networks = r.networks;
    showNetworks();
    passwordHint();
    again = r.scanning || !networks.length;
  } catch {
    /* the board is busy or went away: asked again, and Save says so */
  }
  if (again) {
    setTimeout(() => scan(tries + 1), Math.min(5000, 1500 * 1.1 ** tries));
    return;
  }
  $('scanning').hidden = true;
}

function clearProblems() {
  for (const el of document.querySelectorAll('.field-problem')) el.remove();
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  $('problem').hidden = true;
}

function problem(key: string, message: string) {
  const el = field(key);
  if (!el) {
    const p = $('problem');
    p.textContent = message;
    p.hidden = false;
    return;
  }
  if (el.closest('details')) (el.closest('details') as HTMLDetailsElement).open = true;
  if (el.closest('#chat')) $('chat').hidden = false;
  el.setAttribute('aria-invalid', 'true');
  const p = document.createElement('p');
  p.className = 'field-problem';
  p.id = `${key}-problem`;
  p.textContent = message;
  el.setAttribute('aria-describedby', p.id);
  (el.parentElement!.classList.contains('with-button') ? el.parentElement! : el).after(p);
  el.focus();
  el.scrollIntoView({ block: 'center' });
}

/** What the browser can tell before asking the board: required fields, numbers' bounds, lengths. */
function localProblem(): [string, string] | null {
  const ssid = $<HTMLInputElement>('ssid').value;
  if (!ssid) return ['ssid', t.required];
  const known = networks.find((n) => n.ssid === ssid);
  if (known && !known.open && !$<HTMLInputElement>('password').value && ssid !== shown.ssid) return ['password', t.passwordNeeded];
  if (!$<HTMLInputElement>('broker').value.trim()) return ['broker', t.required];
  if ($<HTMLSelectElement>('role').value === 'chat') for (const k of ['name', 'peer']) if (!field(k)!.value.trim()) return [k, t.required];
  for (const f of SETTINGS) {
    const el = field(f.key)!;
    if (f.kind === 'number' && el.value !== '') {
      const n = Number(el.value);
      if (!Number.isInteger(n) || n < f.min! || n > f.max!) return [f.key, fill(t.range, { min: f.min!, max: f.max! })];
    }
    if (view && new TextEncoder().encode(el.value).length > view.maxBytes) return [f.key, fill(t.tooLong, { max: view.maxBytes })];
  }
  return null;
}

async function save(e: Event) {
  e.preventDefault();
  clearProblems();
  const local = localProblem();
  if (local) return problem(local[0], local[1]);
  const body = new URLSearchParams();
  for (const f of SETTINGS) {
    const el = field(f.key)!;
    if (f.key === 'password') {
      if (el.value || (el as HTMLInputElement).disabled || $<HTMLInputElement>('ssid').value !== shown.ssid)
        body.append('password', (el as HTMLInputElement).disabled ? '' : el.value);
    } else if (el.value.trim() !== (shown[f.key] ?? '')) body.append(f.key, el.value.trim());
  }
  const button = $<HTMLButtonElement>('save');
  button.disabled = true;
  button.textContent = t.saving;
  try {
    const r = await fetch('/save', { method: 'POST', body });
    const answer = await r.json();
    if (answer.ok) {
      $('form').hidden = true;
      $('done').hidden = false;
      $('done-text').textContent = fill(t.doneText, { ssid: $<HTMLInputElement>('ssid').value });
      return;
    }
    problem(answer.key, t.refused + ((answer.code && t.codes[answer.code]) || answer.message));
  } catch {
    problem('', t.unreachable);
  } finally {
    button.disabled = false;
    button.textContent = t.save;
  }
}

// ---- The student's program: the text area sends it as the board's program (as `mqtt-pair program`
// does over USB), its bytes stored as they arrive; the board checks it and keeps its old one when
// it refuses. Hidden on a board whose firmware runs no programs.

interface ProgramInfo {
  name: string;
  size: number;
  hash: string;
}
let programView: { programs: boolean; program: ProgramInfo | null; max: number } | null = null;

function showProgram() {
  const v = programView;
  $('program').hidden = !v;
  if (!v) return;
  $('program-form').hidden = !v.programs;
  $('program-none').hidden = v.programs;
  const p = v.program;
  $('program-stored').textContent = p ? fill(t.programStored, { name: p.name, size: p.size, hash: p.hash }) : v.programs ? t.programEmpty : '';
  $('program-clear').hidden = !p;
}

function programSays(text: string, bad: boolean) {
  const el = $('program-problem');
  el.textContent = text;
  el.className = bad ? 'problem' : 'muted';
  el.hidden = !text;
}

/** A refusal in the page's language, from the board's code and values; else the board's own line. */
function programRefusal(a: { code?: string; values?: string[]; message?: string }) {
  const worded = a.code ? t.programCodes[a.code] : undefined;
  if (!worded || (a.code === 'syntax' && !a.values?.[0])) return t.programRefused + (a.message ?? '');
  return t.programRefused + worded.replace(/\{(\d)\}/g, (_, i) => String(a.values?.[Number(i)] ?? ''));
}

async function programPost(path: string, body: string | null) {
  const r = await fetch(path, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  return r.json();
}

async function sendProgram() {
  const name = $<HTMLInputElement>('program-name').value.trim(),
    text = $<HTMLTextAreaElement>('program-text').value;
  const max = programView?.max ?? 16384;
  if (!name || new TextEncoder().encode(name).length > 32) return programSays(t.programRefused + t.programCodes.name, true);
  if (!text.trim()) return programSays(t.programRefused + t.programCodes.empty, true);
  if (new TextEncoder().encode(text).length > max) return programSays(t.programRefused + fill(t.programCodes.large.replace('{0}', '{max}'), { max }), true);
  const button = $<HTMLButtonElement>('program-send');
  button.disabled = true;
  button.textContent = t.programSending;
  try {
    const a = await programPost(`/program?name=${encodeURIComponent(name)}`, text);
    if (a.ok && a.program) {
      programView = { programs: true, program: a.program, max };
      showProgram();
      return programSays(fill(t.programSent, { name: a.program.name, size: a.program.size, hash: a.program.hash }), false);
    }
    programSays(programRefusal(a), true);
  } catch {
    programSays(t.unreachable, true);
  } finally {
    button.disabled = false;
    button.textContent = t.programSend;
  }
}

async function clearStoredProgram() {
  try {
    const a = await programPost('/program/clear', null);
    if (!a.ok) return programSays(programRefusal(a), true);
    if (programView) programView.program = null;
    showProgram();
    programSays(t.programCleared, false);
  } catch {
    programSays(t.unreachable, true);
  }
}

buildMore();
translate();
$('lang').onclick = () => {
  t = t === FR ? EN : FR;
  translate();
};
$('rescan').onclick = () => scan();
$('show').onclick = () => {
  const p = $<HTMLInputElement>('password');
  p.type = p.type === 'password' ? 'text' : 'password';
  $('show').textContent = p.type === 'password' ? t.show : t.hide;
};
$('ssid').oninput = () => {
  chosenOpen = null;
  showNetworks();
  passwordHint();
};
$('role').onchange = chatFields;
$('form').onsubmit = save;
$('program-send').onclick = sendProgram;
$('program-clear').onclick = clearStoredProgram;
getJson('/settings')
  .then(load)
  .then(() => scan())
  .catch(() => problem('', t.unreachable));
getJson('/program')
  .then((v) => {
    programView = v;
    showProgram();
  })
  .catch(() => {
    /* an older board without programs: the section stays hidden */
  });
