// The class set-up page's words (tools/web/setup), French first. Plain data and small functions: the
// page's script bundles them.

import type { ProgramRefusal, SettingRefusal } from '../setup/improv-client';
import { printable } from '../../src/apps/text';
import { programRefusal } from './program-refusal';
import { refusalLine } from './refusal';
import { troubleEn, troubleFr } from './close-why';
import type { BrokerTrouble } from '../classroom/view-model';

export interface SetupWords {
  title: string;
  intro: string;
  flashTitle: string;
  flashHelp: string;
  flashButton: string;
  noImage: string;
  setTitle: string;
  setHelp: string;
  ssid: string;
  password: string;
  passwordNote: string;
  setButton: string;
  noSerial: string;
  consoleTitle: string;
  rosterTitle: string;
  noRoster: string;
  student: string;
  pair: string;
  board: string;
  state: string;
  esp(n: number, role: string): string;
  states: { free: string; setting: string; setUp: string; hello: string; pair: string; failed: string };
  counts(setUp: number, working: number, students: number): string;
  broker(where: string): string;
  /** The page's connection to the broker, while it is not connected (its close's facts; none: connecting). */
  brokerTrouble(t: BrokerTrouble): string;
  noBroker: string;
  steps: {
    identify: string;
    settings: string;
    wifi: string;
    done(name: string): string;
    full: string;
    program(name: string): string;
    /** This page's own server refused a step (HTTP status): a page to load again. */
    page(status: number): string;
  };
  /** The program of the day (optional): sent to each board after its settings (tools/setup/send-program.ts). */
  program: {
    title: string;
    help: string;
    none: string;
    examples: string;
    file: string;
    chosen(name: string, bytes: number): string;
    sent(name: string, hash: string): string;
    /** A file that cannot be a program, by its problem's code. */
    bad: Record<'tooLarge' | 'empty' | 'notUtf8' | 'nameTooLong', (name: string) => string>;
    /** The board refused it: the reason's code and facts it sent (tools/words/program-refusal.ts). */
    refused(r: ProgramRefusal): string;
  };
  notBoard: string;
  /** The board's Improv errors, by code (docs/improv.md); another code as a number. */
  improv: Record<number, string>;
  improvOther(code: number): string;
  /** The board stopped answering mid-way. */
  silent: string;
  /** It lacks settings this page did not give (`broker`, `role`): the teacher's command is to start again. */
  lacks(keys: string[]): string;
  /** No WiFi stored on the board, and the field was empty. */
  noWifi: string;
  /** A setting the board refused: its key, reason code and facts, as it sent them (tools/words/refusal.ts). */
  refused(r: SettingRefusal): string;
  /** « Identifier »: a board blinks its LED for 5 s (over MQTT for a set-up board, over USB for the plugged-in one). */
  identify: {
    button: string;
    title(name: string, esp: number): string;
    asked(name: string, esp: number): string;
    failed: string;
    pluggedButton: string;
    plugged: string;
  };
  /**
   * « Ce que dit la carte »: the board's line stays as the course prints it (English); this is what
   * it means, where one is known (by the line's shape), or undefined.
   */
  explain(line: string): string | undefined;
  /** « Remplacer »: a new board for a student (as `mqtt-pair setup --replace NAME`). */
  replace: {
    button: string;
    title(name: string): string;
    confirm(name: string): string;
    done(name: string, boards: string[]): string;
    unknown(name: string): string;
    failed: string;
  };
}

/** The board's known console lines (src/apps/, src/setup/), by their shape, and what each means in French. */
const LINES_FR: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Joining WiFi "(.*)"\.\.\.$/, (m) => `la carte rejoint le WiFi « ${m[1]} »…`],
  [/^Connection successful$/, () => 'le WiFi est rejoint'],
  [/^IP address (\S+)$/, (m) => `son adresse sur le WiFi : ${m[1]}`],
  [/^WiFi: (.*)\. Retrying in ([\d.]+) s\.\.\.$/, (m) => `le WiFi ne répond pas ; nouvel essai dans ${m[2].replace('.', ',')} s`],
  [/^MQTT client id (\S+)$/, (m) => `son identifiant de client MQTT : ${m[1]}`],
  [/^Connected to (\S+) MQTT broker, subscribed to (.+) topics?$/, (m) => `connectée au broker ${m[1]}, abonnée à ${m[2].replace(' and ', ' et ')}`],
  [/^Connected to (\S+) MQTT broker$/, (m) => `connectée au broker ${m[1]}`],
  [
    /^Failed to connect to MQTT broker: .* Reconnecting in ([\d.]+) s\.\.\.$/,
    (m) => `pas de connexion au broker ; nouvel essai dans ${m[1].replace('.', ',')} s`,
  ],
  [
    /^Lost connection to MQTT broker: .* Reconnecting in ([\d.]+) s\.\.\.$/,
    (m) => `connexion au broker perdue ; nouvel essai dans ${m[1].replace('.', ',')} s`,
  ],
  [/^(Lost connection to|Failed to connect to) MQTT broker: .* restarting the board\.\.\.$/, () => 'trop d’échecs de suite : la carte redémarre'],
  [/^Received (\S+): (.*)$/, (m) => `message reçu sur ${m[1]}`],
  [/^ESP received hello message$/, () => 'l’ESP#1 a reçu la réponse de son binôme : le binôme marche'],
  [
    /^Setup over USB: stored (.+?)( \(used from the next restart\))?$/,
    (m) => `réglages enregistrés : ${m[1]}${m[2] ? ' (appliqués au prochain redémarrage)' : ''}`,
  ],
  [/^Setup over USB: joining "(.*)"\.\.\.$/, (m) => `la carte essaie le WiFi « ${m[1]} »…`],
  [/^Setup over USB: joined "(.*)"; WiFi settings stored$/, (m) => `WiFi « ${m[1]} » rejoint et enregistré`],
  [/^Setup over USB: could not join "(.*)"/, (m) => `impossible de rejoindre « ${m[1]} » : vérifiez le nom et le mot de passe ; rien n’est enregistré`],
  [/^Setup: restarting/, () => 'la carte redémarre'],
  [/^Setup mode: /, () => 'la carte ouvre son mode réglage (son propre WiFi et sa page)'],
  [/^Config error: /, () => 'un réglage est faux : la carte ne démarre pas son rôle'],
  [/^Identify: this board blinks/, () => 'la carte fait clignoter sa LED pendant 5 s : étiquetez-la'],
  [/^Identify: asked .* again too soon/, () => 'demandé trop tôt : une fois toutes les 15 s au plus'],
];

/** A line as a sentence: its first letter a capital. */
function capital(line: string): string {
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/** What each role does, beside its key, as the course says it. */
const ROLES_FR: Record<string, string> = {
  hello: 'envoie Hello #N',
  responder: 'répond received',
  sensor: 'capteur (température, pression)',
  chat: 'chat',
  remote: 'télécommande',
  actuator: 'actionneur (couleur)',
};

export const fr: SetupWords = {
  title: 'Préparer les cartes de la classe',
  intro: 'Branchez les cartes une par une : chacune reçoit le programme, puis le WiFi, le broker et le prénom de l’élève suivant de la liste.',
  flashTitle: '1. Installer le programme',
  flashHelp: 'Branchez une carte en USB, cliquez, choisissez son port. (À ne faire qu’une fois par carte.)',
  flashButton: 'Installer le programme',
  noImage: 'Pas d’image à installer : lancez mqtt-pair setup --web avec --image build/image/esp32 (faite par mqtt-pair image -p esp32).',
  setTitle: '2. Régler la carte branchée',
  setHelp: 'Le mot de passe tapé ici va seulement à la carte, jamais à ce serveur.',
  ssid: 'Nom du WiFi',
  password: 'Mot de passe du WiFi',
  passwordNote: 'envoyé à la carte seulement',
  setButton: 'Régler la carte branchée',
  noSerial: 'Ce navigateur ne parle pas aux ports USB (Web Serial) : ouvrez cette page dans Chrome ou Edge, sur un ordinateur.',
  consoleTitle: 'Ce que dit la carte',
  rosterTitle: 'La classe',
  noRoster: 'Sans liste d’élèves (--roster), chaque carte garde le rôle qu’elle a.',
  student: 'Élève',
  pair: 'Binôme',
  board: 'Carte',
  state: 'État',
  esp: (n, role) => `ESP#${n} — ${ROLES_FR[role] ?? role} (${role})`,
  explain: (line) => {
    for (const [re, say] of LINES_FR) {
      const m = re.exec(line);
      if (m) return say(m);
    }
    return undefined;
  },
  states: {
    free: 'pas encore de carte',
    setting: 'réglage en cours…',
    setUp: 'réglée, pas encore de message au broker',
    hello: 'ses « Hello » arrivent au broker',
    pair: 'le binôme échange ses messages',
    failed: 'à refaire',
  },
  counts: (setUp, working, students) => `${setUp} carte${setUp > 1 ? 's' : ''} réglée${setUp > 1 ? 's' : ''} sur ${students}, ${working} au travail`,
  broker: (where) => `Broker : ${where}`,
  brokerTrouble: troubleFr,
  noBroker: 'Sans --broker, la page ne peut pas voir si les cartes travaillent.',
  steps: {
    identify: 'Je demande à la carte qui elle est…',
    settings: 'J’envoie ses réglages…',
    wifi: 'La carte rejoint le WiFi…',
    done: (name) => `C’est fait : la carte de ${name} redémarre et se connecte.`,
    full: 'La classe est complète : chaque élève a sa carte.',
    page: (status) => `La page n’a pas pu enregistrer cette étape (HTTP ${status}) : rechargez-la, puis réessayez.`,
    program: (name) => `J’envoie le programme « ${name} »…`,
  },
  program: {
    title: 'Programme du jour (facultatif)',
    help: 'Chaque carte réglée le reçoit après ses réglages et le lance à la place de son rôle.',
    none: 'aucun : les cartes gardent leur rôle',
    examples: 'Exemple',
    file: 'ou un fichier .js',
    chosen: (name, bytes) => `Programme choisi : « ${name} » (${bytes} octets)`,
    sent: (name, hash) => `La carte a reçu « ${name} » (empreinte ${hash}) et le lance.`,
    bad: {
      tooLarge: (name) => `« ${name} » est trop gros : une carte prend un programme de 16384 octets au plus.`,
      empty: (name) => `« ${name} » est vide.`,
      notUtf8: (name) => `« ${name} » n’est pas du texte UTF-8 : enregistrez-le en UTF-8 dans l’éditeur.`,
      nameTooLong: (name) => `Le nom « ${name} » est trop long : 32 octets au plus.`,
    },
    refused: (r) => `La carte a refusé le programme${r.key ? ` « ${printable(r.key)} »` : ''} et garde le sien : ${programRefusal('fr', r)}.`,
  },
  notBoard: 'Pas de réponse : est-ce bien une carte avec mqtt-pair ? Installez le programme (1.), puis réessayez.',
  improv: {
    1: 'La carte n’a pas compris la commande : réessayez.',
    2: 'La carte ne connaît pas cette commande : installez la dernière version du programme (1.).',
    3: 'La carte n’a pas pu rejoindre le WiFi : vérifiez son nom et son mot de passe, et qu’il est à portée (2,4 GHz).',
    128: 'La carte refuse un réglage.',
    255: 'La carte n’a pas pu le faire (mémoire pleine, ou un WiFi déjà en cours) : réessayez.',
  },
  improvOther: (code) => `La carte n’a pas pu le faire (erreur Improv 0x${code.toString(16)}) : réessayez.`,
  silent: 'La carte ne répond plus : est-elle encore branchée ? Réessayez.',
  lacks: (keys) =>
    `Il manque à la carte ${keys.map((k) => (k === 'role' ? 'son rôle' : 'son broker')).join(' et ')} : relancez mqtt-pair setup --web avec --broker et --roster.`,
  noWifi: 'La carte n’a pas de WiFi : donnez le nom du réseau et son mot de passe.',
  refused: (r) => `${capital(refusalLine('fr', r))}.`,
  identify: {
    button: 'Identifier',
    title: (name, esp) => `La carte « ${name} ESP#${esp} » fait clignoter sa LED pendant 5 s`,
    asked: (name, esp) => `La carte « ${name} ESP#${esp} » clignote pendant 5 s si elle est allumée et connectée : étiquetez-la ainsi.`,
    failed: 'Impossible de joindre la carte : le broker est-il joignable ? (Une carte réglée doit être allumée et connectée.)',
    pluggedButton: 'Identifier la carte branchée',
    plugged: 'La carte branchée clignote pendant 5 s.',
  },
  replace: {
    button: 'Remplacer',
    title: (name) => `Une nouvelle carte pour ${name} (la sienne est perdue ou cassée)`,
    confirm: (name) => `Donner une nouvelle carte à ${name} ? L’ancienne ne sera plus la sienne ; la prochaine carte réglée ici le sera.`,
    done: (name, boards) =>
      `${boards.length ? `${name} n’a plus ${boards.length > 1 ? 'ses cartes' : 'sa carte'} ${boards.join(', ')}` : `${name} n’avait pas encore de carte`} : la prochaine carte réglée ici est la sienne.`,
    unknown: (name) => `« ${name} » n’est pas sur la liste de la classe : rien n’a changé.`,
    failed: 'Le remplacement n’a pas pu se faire (la liste est occupée par une autre commande ?) : réessayez.',
  },
};

export const en: SetupWords = {
  title: "Setting up the class's boards",
  intro: 'Plug the boards in one after the other: each gets the firmware, then the WiFi, the broker and the next student of the list.',
  flashTitle: '1. Install the firmware',
  flashHelp: 'Plug a board in over USB, click, pick its port. (Once a board.)',
  flashButton: 'Install the firmware',
  noImage: 'No image to install: start mqtt-pair setup --web with --image build/image/esp32 (made by mqtt-pair image -p esp32).',
  setTitle: '2. Set up the plugged-in board',
  setHelp: 'The password typed here goes to the board only, never to this server.',
  ssid: 'WiFi name',
  password: 'WiFi password',
  passwordNote: 'sent to the board only',
  setButton: 'Set up the plugged-in board',
  noSerial: 'This browser cannot talk to USB ports (Web Serial): open this page in Chrome or Edge, on a computer.',
  consoleTitle: 'What the board says',
  rosterTitle: 'The class',
  noRoster: 'Without a roster (--roster), each board keeps the role it has.',
  student: 'Student',
  pair: 'Pair',
  board: 'Board',
  state: 'State',
  esp: (n, role) => `ESP#${n} (${role})`,
  // The board speaks English already.
  explain: () => undefined,
  states: {
    free: 'no board yet',
    setting: 'being set up…',
    setUp: 'set up, no message at the broker yet',
    hello: 'its hellos reach the broker',
    pair: 'the pair exchanges its messages',
    failed: 'to do again',
  },
  counts: (setUp, working, students) => `${setUp} board${setUp === 1 ? '' : 's'} set up of ${students}, ${working} at work`,
  broker: (where) => `Broker: ${where}`,
  brokerTrouble: troubleEn,
  noBroker: 'Without --broker, the page cannot see whether the boards work.',
  steps: {
    identify: 'Asking the board who it is…',
    settings: 'Sending its settings…',
    wifi: 'The board joins the WiFi…',
    done: (name) => `Done: ${name}'s board restarts and connects.`,
    full: 'The class is full: every student has a board.',
    page: (status) => `The page could not record this step (HTTP ${status}): load it again, then try again.`,
    program: (name) => `Sending the program « ${name} »…`,
  },
  program: {
    title: 'Program of the day (optional)',
    help: 'Each board set up gets it after its settings and runs it instead of its role.',
    none: 'none: the boards keep their role',
    examples: 'Example',
    file: 'or a .js file',
    chosen: (name, bytes) => `Program chosen: « ${name} » (${bytes} bytes)`,
    sent: (name, hash) => `The board got « ${name} » (hash ${hash}) and runs it.`,
    bad: {
      tooLarge: (name) => `« ${name} » is too large: a board takes a program of 16384 bytes at most.`,
      empty: (name) => `« ${name} » is empty.`,
      notUtf8: (name) => `« ${name} » is not UTF-8 text: save it as UTF-8 in the editor.`,
      nameTooLong: (name) => `The name « ${name} » is too long: 32 bytes at most.`,
    },
    refused: (r) => `The board refused the program${r.key ? ` « ${printable(r.key)} »` : ''} and keeps its own: ${programRefusal('en', r)}.`,
  },
  notBoard: 'No answer: is it a board with mqtt-pair? Install the firmware (1.), then try again.',
  improv: {
    1: 'The board did not understand the command: try again.',
    2: 'The board does not know this command: install the latest firmware (1.).',
    3: 'The board could not join the WiFi: check its name and password, and that it is in range (2.4 GHz).',
    128: 'The board refuses a setting.',
    255: 'The board could not do it (flash full, or a WiFi being joined already): try again.',
  },
  improvOther: (code) => `The board could not do it (Improv error 0x${code.toString(16)}): try again.`,
  silent: 'The board stopped answering: is it still plugged in? Try again.',
  lacks: (keys) => `The board has no ${keys.join(' and ')}: start mqtt-pair setup --web again with --broker and --roster.`,
  noWifi: 'The board has no WiFi: give the network’s name and password.',
  refused: (r) => `${capital(refusalLine('en', r))}.`,
  identify: {
    button: 'Identify',
    title: (name, esp) => `${name}'s board (ESP#${esp}) blinks its LED for 5 s`,
    asked: (name, esp) => `${name}'s board (ESP#${esp}) blinks for 5 s, if it is on and connected: label it “${name} ESP#${esp}”.`,
    failed: 'Cannot reach the board: is the broker reachable? (A board set up must be on and connected.)',
    pluggedButton: 'Identify the plugged-in board',
    plugged: 'The plugged-in board blinks for 5 s.',
  },
  replace: {
    button: 'Replace',
    title: (name) => `A new board for ${name} (theirs is lost or broken)`,
    confirm: (name) => `Give ${name} a new board? The old one will no longer be theirs; the next board set up here will.`,
    done: (name, boards) =>
      `${boards.length ? `${name} no longer has ${boards.join(', ')}` : `${name} had no board yet`}: the next board set up here is theirs.`,
    unknown: (name) => `“${name}” is not on the class's list: nothing changed.`,
    failed: 'The replacement could not be done (the list busy with another command?): try again.',
  },
};
