// The words of the commands a class types (chat, sim, remote, actuator, watch, classroom, and the
// errors every command shares), one table per language. The language is --lang where a command has
// it, else the locale a French teacher's computer sets (LC_ALL, LC_MESSAGES, LANG: « fr_FR.UTF-8 »).
// The boards' console lines stay in English, as the course prints them.

import type { CloseKind } from '../../src/host';
import { VERDICT_EN, type VerdictWords } from '../classroom/pair-check';

export type CliLang = 'en' | 'fr';

/** The language of the locale: the first of LC_ALL, LC_MESSAGES, LANG that is set; French when it starts with fr. */
export function localeLang(env: Record<string, string | undefined> = nodeEnv()): CliLang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^fr\b|^fr_/i.test(locale) ? 'fr' : 'en';
}

// tools/words is also type-checked for the browser's pages: Node's process is reached without its types.
function nodeEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
}

let chosen: CliLang | undefined;

/** A command's --lang, once read: its messages follow it rather than the locale. */
export function useCliLang(lang: CliLang | undefined): void {
  if (lang) chosen = lang;
}

/** The language the commands speak now. */
export function cliLang(): CliLang {
  return chosen ?? localeLang();
}

/** The words of the language the commands speak now (or of `lang`, a view's --lang). */
export function cliWords(lang: CliLang = cliLang()): CliWords {
  return lang === 'fr' ? fr : en;
}

/**
 * Why a connection ended, in the language of the commands: in English the client's own reason; in
 * French words chosen from its kind and the CONNACK code (the reason's English in brackets only
 * where the kind alone says too little: TLS, WebSocket, protocol).
 */
export function closeReason(reason: string, kind?: CloseKind, code?: number): string {
  if (cliLang() === 'en') return reason;
  switch (kind) {
    case 'refused':
      return `connexion refusée : ${fr.refusal(code)}`;
    case 'unreachable':
      return 'aucun broker MQTT ne répond à cette adresse (connexion refusée ou machine injoignable)';
    case 'dns':
      return 'le nom du broker est introuvable';
    case 'timeout':
      return 'le broker ne répond pas';
    case 'lost':
      return 'la connexion a été coupée';
    case 'tls':
      return `échec de la connexion TLS (${reason})`;
    case 'websocket':
      return `échec de la connexion WebSocket (${reason})`;
    case 'protocol':
      return `le broker ne répond pas en MQTT (${reason})`;
    default:
      return reason;
  }
}

export interface CliWords {
  // The flag parser and the top command (tools/cli/flags.ts, main.ts).
  unknownOption(arg: string, near: string | undefined, help: string): string;
  gluedValue(flag: string, example: string): string;
  unexpectedArgument(arg: string, help: string): string;
  needsValue(arg: string, example: string | undefined, placeholder: string): string;
  takesNoValue(arg: string, inline: string): string;
  notSupported(arg: string, why: string): string;
  numberRange(flag: string, what: string, min: number, max: number, text: string): string;
  secondsRange(flag: string, allowZero: boolean, max: number, text: string): string;
  unknownCommand(name: string, commands: string): string;
  commandFirst: string;
  internalError(message: string): string;
  usage: string;
  notSupportedFlags: string;
  help: string;
  topTitle(version: string): string;
  topCommands: string;
  /** Between a line and what follows it: ': ' in English, ' : ' in French. */
  sep: string;
  topUsage: string;
  topFooter: string;
  examples: string;
  /** Each command's one-line summary in `mqtt-pair --help`. */
  summaries: Record<string, string>;
  /** A flag's help: by `command flag`, else by flag (absent: the English one). */
  flagHelp: Record<string, string>;
  // The broker flags (tools/cli/broker-flags.ts).
  userNeedsBroker(flag: string): string;
  passwordNeedsUser: string;
  // A connection that ended, from its kind and the CONNACK code (never the reason's English words).
  refusal(code: number | undefined): string;
  refused(where: string, code: number | undefined): string;
  addAccount: string;
  checkAccount(user: string): string;
  unreachable(where: string): string;
  dns(where: string): string;
  checkBroker: string;
  cannotConnect(where: string, reason: string): string;
  lost(where: string, reason: string): string;
  // chat
  chatConnected(where: string, name: string, mine: string, peer: string, theirs: string): string;
  chatReconnected(where: string): string;
  chatLost(where: string, reason: string, seconds: string): string;
  chatNotSent(line: string, why: string): string;
  chatCannotRead(topic: string, why: string): string;
  chatUnacknowledged(n: number, where: string): string;
  chatMissing(key: string): string;
  chatTitle: string;
  chatUsageFooter: string[];
  // sim, remote, actuator
  usingBroker(where: string): string;
  embeddedBroker(port: number): string;
  port1883Taken: string;
  arrowKeys: string;
  pressCtrlC: string;
  boardsSpeakEnglish: string;
  commandsNotSent(n: number): string;
  stopped: string;
  /** The actuator's colours, as its block shows them. */
  colours: Record<string, string>;
  simAbout: Record<'sim' | 'remote' | 'actuator', { title: string; footer: string[] }>;
  // watch and classroom
  watching(filters: string, where: string): string;
  cannotWatch(where: string, why: string): string;
  classroomView(url: string, ctrlC: boolean): string;
  studentsPage(url: string, broker: string, prefix: string): string;
  openToNetwork: string;
  pairsSeen(total: number, counts: string): string;
  counts(ok: number, wait: number, silent: number): string;
  everyClass: string;
  watchingSubtitle(filters: string, where: string): string;
  notConnected(where: string, problem: string): string;
  messagesSeen(n: number): string;
  tableHead: { sim: string[]; watch: string[] };
  ago(d: string): string;
  andMore(n: number, counts?: string): string;
  pairsLine(total: number, counts: string): string;
  watchAbout: { title: string; footer: string[] };
  classroomAbout: { title: string; footer: string[] };
  classroomStart(count: number, group: string, where: string, interval: number, how: string): string;
  classroomHow(runFor: number | undefined, untilOk: boolean): string;
  embeddedWhere: string;
  classroomEnd: {
    ran(count: number, elapsed: string, where: string, interval: number, connected: string): string;
    allConnected(d: string): string;
    someConnected(up: number, of: number): string;
    messages(total: string, hellos: string, replies: string, seen: string): string;
    cpu(total: string, user: string, system: string, percent: number, perMessage: number | undefined, broker: boolean): string;
    memory(rss: string, max: string, heap: string): string;
    notOk(name: string, why: string): string;
    verdict: VerdictWords;
    notOkMore(n: number): string;
    summary(ok: number, of: number, stopped: number, foreign: number, other: number): string;
  };
  shortRun(seconds: string, interval: number): string;
  boardsDetails(up: number, of: number, hellos: number, replies: number, reconnects: number): string;
}

const CONNACK_EN = ['', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];
const CONNACK_FR = [
  '',
  'version du protocole refusée',
  'identifiant de client refusé',
  'serveur indisponible',
  "nom d'utilisateur ou mot de passe incorrect",
  'non autorisé',
];

const s = (n: number) => (n > 1 ? 's' : '');

export const en: CliWords = {
  unknownOption: (arg, near, help) => `unknown option '${arg}'${near ? `: did you mean ${near}?` : ''} (${help} lists the options)`,
  gluedValue: (f, example) => `unknown option '${f}…': put a space between ${f} and its value, e.g. ${f} ${example}`,
  unexpectedArgument: (arg, help) => `unexpected argument '${arg}': every value needs its flag in front, e.g. -t class/hello or -m 'hi there' (${help})`,
  needsValue: (arg, example, placeholder) => `${arg} needs a value${example ? `, e.g. ${arg} ${example}` : ` (${placeholder})`}`,
  takesNoValue: (arg, inline) => `${arg} takes no value (remove "=${inline}")`,
  notSupported: (arg, why) => `${arg} is not supported: ${why}`,
  numberRange: (flag, what, min, max, text) => `${flag} needs ${what} from ${min} to ${max}, got '${text}'`,
  secondsRange: (flag, allowZero, max, text) =>
    `${flag} needs a number of seconds ${allowZero ? 'from 0' : 'above 0'} up to ${max} (24 days), e.g. ${flag} 5, got '${text}'`,
  unknownCommand: (name, commands) => `unknown command '${name}': the commands are ${commands}`,
  commandFirst: 'put the command first, e.g. mqtt-pair sub -t hello',
  internalError: (m) => `internal error: ${m} (set MQTT_PAIR_DEBUG=1 for details)`,
  usage: 'Usage: ',
  notSupportedFlags: 'Not supported (mosquitto flags mqtt-pair refuses with a reason):',
  help: 'this text',
  topTitle: (v) => `mqtt-pair ${v}: classroom MQTT tools (mosquitto_pub/mosquitto_sub compatible) and the board simulator`,
  topCommands: 'Commands:',
  sep: ': ',
  topUsage: 'mqtt-pair <command> [options]',
  topFooter: 'mqtt-pair <command> --help (or mqtt-pair help <command>) lists the options of a command.',
  examples: 'Examples:',
  summaries: {},
  flagHelp: {},
  userNeedsBroker: (flag) => `${flag} goes with --broker, e.g. --broker 192.168.1.144 -u alice -P secret`,
  passwordNeedsUser: '-P (password) needs -u (user name) too: MQTT 3.1.1 sends a password only with a user name',
  refusal: (code) => (code !== undefined && CONNACK_EN[code]) || `code ${code}`,
  refused: (where, code) => `the broker at ${where} refused the connection: ${en.refusal(code)}`,
  addAccount: 'this broker wants a user name and password: add -u <user> -P <password>',
  checkAccount: (user) => `check the user name (-u ${user}) and the password (-P)`,
  unreachable: (where) => `no MQTT broker at ${where} (connection refused or host unreachable)`,
  dns: (where) => `the broker's host name in ${where} does not resolve`,
  checkBroker: 'check --broker, and that the broker is running',
  cannotConnect: (where, reason) => `cannot connect to ${where}: ${reason}`,
  lost: (where, reason) => `lost the connection to ${where}: ${reason}`,
  chatConnected: (where, name, mine, peer, theirs) =>
    `connected to ${where}: you are ${name} on ${mine}, reading ${peer} on ${theirs}. Type a line and Enter to send it; Ctrl+D or Ctrl+C to leave.`,
  chatReconnected: (where) => `reconnected to ${where}`,
  chatLost: (where, reason, sec) => `lost the connection to ${where}: ${reason}; reconnecting in ${sec} s`,
  chatNotSent: (line, why) => `"${line}" not sent: ${why}`,
  chatCannotRead: (topic, why) => `cannot read ${topic}: ${why} (the broker's access rules?)`,
  chatUnacknowledged: (n, where) => `${n} line(s) not acknowledged by ${where} within 10 s: they may not have arrived`,
  chatMissing: (key) => `--${key} is missing: e.g. mqtt-pair chat --name alice --peer bob`,
  chatTitle:
    'mqtt-pair chat: the chat of the course. What you type is published on <prefix><name>; what your peer types, on <prefix><peer>, is printed as "peer: text".',
  chatUsageFooter: [
    'Each line is sent when you press Enter. Ctrl+D (the end of the input) or Ctrl+C leaves the chat.',
    'Without --broker: the broker on 127.0.0.1:1883.',
    '',
    'Example, on two computers of the class:',
    '  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name alice --peer bob',
    '  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name bob --peer alice',
    "It works through pipes too: echo 'Bonjour Bob' | mqtt-pair chat --name alice --peer bob",
    'A board flashed with role=chat answers "echo: <line>" to each line (docs/flashing.md).',
  ],
  usingBroker: (where) => `Using the broker at ${where}`,
  embeddedBroker: (port) => `Embedded MQTT broker (Aedes) listening on 127.0.0.1:${port}`,
  port1883Taken: 'Port 1883 is taken on this computer: using the MQTT broker there (127.0.0.1:1883)',
  arrowKeys: 'Arrow keys: up, down, left, right; r g b y c m w o: a colour; q: quit.',
  pressCtrlC: 'Press Ctrl+C to stop.',
  boardsSpeakEnglish: '',
  commandsNotSent: (n) => `${n} command${n > 1 ? 's were' : ' was'} not sent: no connection to the broker`,
  stopped: 'Stopped.',
  colours: { red: 'red', green: 'green', blue: 'blue', yellow: 'yellow', cyan: 'cyan', magenta: 'magenta', white: 'white', off: 'off' },
  simAbout: {
    sim: {
      title: "mqtt-pair sim: the firmware's boards on this computer (npm start runs this).",
      footer: [
        'With no --role, the course\'s pair: ESP#1 publishes "Hello #N" on hello, ESP#2 answers "received" on',
        'notification. Without --broker an embedded broker starts on 127.0.0.1:1883 (or the next free port);',
        'with a single --role, when port 1883 is already taken (another mqtt-pair sim, Mosquitto), the board',
        'uses the broker there instead.',
        '',
        'The roles:',
        '  hello      ESP#1: Hello #N on hello every 5 s, listens on notification',
        '  responder  ESP#2: answers "received" on notification to each hello',
        '  sensor     temperature and pressure every second, retained, on myRasp/sensors/temperature and',
        '             .../pression; online/offline (its last will) on myRasp/sensors/status',
        '  chat       answers "echo: <line>" on <prefix><name> to each line on <prefix><peer> (needs --name',
        '             and --peer); see mqtt-pair chat',
        '  remote     your arrow keys as up/down/left/right on remote/command (as mqtt-pair remote)',
        '  actuator   shows the colour asked on remote/command as a coloured block (as mqtt-pair actuator)',
      ],
    },
    remote: {
      title: 'mqtt-pair remote: the remote control of the course, as a simulated board with role=remote.',
      footer: [
        'Each arrow key you press is published on <prefix>remote/command: up, down, left or right; the keys',
        'r g b y c m w o send a colour (red, green, blue, yellow, cyan, magenta, white, off). q, Ctrl+C or',
        'Ctrl+D quits. From a pipe it reads one command per line and stops at the end:',
        "  printf 'up\\nred\\n' | mqtt-pair remote --broker 192.168.1.144",
        'An actuator listening on the same prefix changes colour (up green, down red, left yellow, right',
        'blue): mqtt-pair actuator, or a board flashed with role=actuator. Without --broker, the broker on',
        '127.0.0.1:1883, or an embedded one.',
      ],
    },
    actuator: {
      title: 'mqtt-pair actuator: the actuator of the course (a window that changes colour), as a simulated board with role=actuator.',
      footer: [
        'It listens on <prefix>remote/command and shows each colour asked as a coloured block with its name:',
        'up green, down red, left yellow, right blue, or a colour name (red, green, blue, yellow, cyan,',
        'magenta, white, off). Ctrl+C stops it. Drive it with mqtt-pair remote, a board flashed with',
        'role=remote, or by hand:',
        '  mqtt-pair pub -h 192.168.1.144 -t LycMaurois/SNT_2nde/alice/remote/command -m up',
      ],
    },
  },
  watching: (filters, where) => `Watching ${filters} on ${where}`,
  cannotWatch: (where, why) => `cannot watch the broker at ${where}: ${why}: check --broker, and that the broker is running`,
  classroomView: (url, ctrlC) => `Classroom view: ${url}${ctrlC ? '  (Ctrl+C stops)' : ''}`,
  studentsPage: (url, broker, prefix) => `Students' page: ${url}  (broker ${broker}${prefix ? `, topics ${prefix}…` : ''})`,
  openToNetwork: "  open to the classroom network: anyone on it can open the students' page (the class page stays on 127.0.0.1)",
  pairsSeen: (total, counts) => `${total} pairs seen: ${counts}`,
  counts: (ok, wait, silent) => `${ok} ok, ${wait} waiting, ${silent} silent`,
  everyClass: 'Every class',
  watchingSubtitle: (filters, where) => `watching ${filters} on ${where}`,
  notConnected: (where, problem) => `Not connected to the broker at ${where}: ${problem}`,
  messagesSeen: (n) => `${n} messages seen`,
  tableHead: {
    sim: ['pair', 'state', 'boards', 'hellos', 'replies', 'reconn.', 'last error'],
    watch: ['pair', 'state', 'hellos', 'replies', 'last hello', 'last heard', 'why'],
  },
  ago: (d) => `${d} ago`,
  andMore: (n, counts) => (counts ? `… and ${n} more pairs (${counts})` : `… and ${n} more`),
  pairsLine: (total, counts) => `${total} pairs: ${counts}`,
  watchAbout: {
    title: 'mqtt-pair watch: every pair of a class, live, as seen from the broker (real or simulated boards).',
    footer: [
      'A pair is the two boards that publish on <prefix>hello and <prefix>notification, e.g.',
      'LycMaurois/SNT_2nde/alice/hello. Each pair is a tile: green (OK) when its last hello was',
      'answered, amber (Waiting) while it starts or waits for a reply, red (Silent, No reply) after',
      'about 3 intervals without a message or without a reply.',
      '',
      'Examples:',
      '  mqtt-pair watch --broker 192.168.1.144 --web 8080 --school LycMaurois --class SNT_2nde',
      '  mqtt-pair watch --broker 192.168.1.144          (a table in this terminal, every prefix)',
      'The page is served on 127.0.0.1 only: open it on this computer (or show it on the projector).',
    ],
  },
  classroomAbout: {
    title: 'mqtt-pair classroom: a whole class of simulated pairs (ESP#1 and ESP#2 each) in this process.',
    footer: [
      'Each pair talks under its own prefix, <school>/<class>/<name>/hello and …/notification, with',
      'names alice, bob, camille, … (or those of --roster). A table shows every pair (boards connected,',
      'hellos sent, replies received, reconnects, last error); at the end, "N/N pairs ok". A pair is ok',
      'when it made at least 3 hello/received round trips and no hello or notification crossed into',
      "another pair's topics. Other messages under the class (a sensor's retained values) are counted",
      'and shown, and fail nothing. On the page (--web), a pair can be stopped, to show what a red tile',
      'means, and started again; a stopped pair is left out of the verdict.',
      '',
      'Examples:',
      '  mqtt-pair classroom --pairs 15                              (embedded broker, until Ctrl+C)',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --duration 60 --web 8080',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --until-ok --duration 300',
      'Exit code: 0 when every pair is ok; 1 when one is not, or for a bad option.',
    ],
  },
  classroomStart: (count, group, where, interval, how) =>
    `${count} pairs (${2 * count} simulated boards) under ${group}/<name>/ on ${where}, one hello every ${interval} ms${how}`,
  classroomHow: (runFor, untilOk) =>
    (untilOk ? ' until every pair is ok' : '') + (runFor ? ` ${untilOk ? 'or' : 'for'} ${runFor} s` : untilOk ? ' or Ctrl+C' : ' until Ctrl+C'),
  embeddedWhere: 'embedded broker',
  classroomEnd: {
    ran: (count, elapsed, where, interval, connected) =>
      `Ran ${count} pairs (${2 * count} simulated boards) for ${elapsed} s on ${where}, one hello every ${interval} ms; ${connected}`,
    allConnected: (d) => `all boards connected within ${d}`,
    someConnected: (up, of) => `${up} of ${of} boards ever connected`,
    messages: (total, hellos, replies, seen) =>
      `Messages: ${total} published by the boards (${hellos} hellos, ${replies} replies), ${seen} seen by the observer`,
    cpu: (total, user, system, percent, perMessage, broker) =>
      `CPU: ${total} s (user ${user} s, system ${system} s), ${percent}% of one core; ` +
      (perMessage !== undefined ? `${perMessage} µs per message` : 'no message') +
      ` (boards and observer${broker ? ', and the broker' : ''}, all in this process)`,
    memory: (rss, max, heap) => `Memory: ${rss} resident at the end (${max} at most), ${heap} JavaScript heap`,
    notOk: (name, why) => `Not ok: ${name}: ${why}`,
    verdict: VERDICT_EN,
    notOkMore: (n) => `Not ok: … and ${n} more pairs`,
    summary: (ok, of, stopped, foreign, other) =>
      `${ok}/${of} pairs ok` +
      (stopped ? ` (${stopped} stopped from the page)` : '') +
      (foreign ? `; ${foreign} message${s(foreign)} on topics of no pair` : '') +
      (other ? `; ${other} other message${s(other)} under the class, not judged` : ''),
  },
  shortRun: (sec, interval) => `note: ${sec} s leaves little time for 3 round trips at one hello every ${interval} ms`,
  boardsDetails: (up, of, hellos, replies, reconnects) => `boards ${up}/${of} connected; ${hellos} hellos, ${replies} replies, ${reconnects} reconnects`,
};

export const fr: CliWords = {
  unknownOption: (arg, near, help) => `option inconnue '${arg}'${near ? ` : vouliez-vous dire ${near} ?` : ''} (${help} liste les options)`,
  gluedValue: (f, example) => `option inconnue '${f}…' : mettez un espace entre ${f} et sa valeur, par exemple ${f} ${example}`,
  unexpectedArgument: (arg, help) => `argument inattendu '${arg}' : chaque valeur suit son option, par exemple -t classe/hello ou -m 'bonjour' (${help})`,
  needsValue: (arg, example, placeholder) => `${arg} attend une valeur${example ? `, par exemple ${arg} ${example}` : ` (${placeholder})`}`,
  takesNoValue: (arg, inline) => `${arg} ne prend pas de valeur (retirez « =${inline} »)`,
  notSupported: (arg, why) => `${arg} n'est pas pris en charge : ${why}`,
  numberRange: (flag, _what, min, max, text) => `${flag} attend un nombre entier de ${min} à ${max}, reçu '${text}'`,
  secondsRange: (flag, allowZero, max, text) =>
    `${flag} attend un nombre de secondes ${allowZero ? 'de 0' : 'au-dessus de 0'} à ${max} (24 jours), par exemple ${flag} 5, reçu '${text}'`,
  unknownCommand: (name, commands) => `commande inconnue '${name}' : les commandes sont ${commands}`,
  commandFirst: "mettez la commande d'abord, par exemple mqtt-pair sub -t hello",
  internalError: (m) => `erreur interne : ${m} (MQTT_PAIR_DEBUG=1 donne les détails)`,
  usage: 'Usage : ',
  notSupportedFlags: 'Non pris en charge (options de mosquitto que mqtt-pair refuse en disant pourquoi) :',
  help: 'ce texte',
  topTitle: (v) => `mqtt-pair ${v} : les outils MQTT de la classe (comme mosquitto_pub et mosquitto_sub) et le simulateur des cartes`,
  topCommands: 'Commandes :',
  sep: ' : ',
  topUsage: 'mqtt-pair <commande> [options]',
  topFooter: "mqtt-pair <commande> --help (ou mqtt-pair help <commande>) liste les options d'une commande.",
  examples: 'Exemples :',
  summaries: {
    pub: 'publier un message (ou une ligne de l’entrée par message), comme mosquitto_pub',
    sub: 'recevoir les messages et les afficher, comme mosquitto_sub',
    sim: 'les deux cartes du binôme sur cet ordinateur (npm start)',
    classroom: 'simuler toute une classe de binômes, avec un tableau (ou une page, --web)',
    watch: 'suivre les binômes d’une classe sur un broker : une page (--web) ou un tableau, cartes réelles comprises',
    chat: 'discuter avec un autre élève : écrire sur <préfixe><nom>, lire <préfixe><binôme>',
    remote: 'la télécommande : les flèches du clavier publient up/down/left/right sur <préfixe>remote/command',
    actuator: "l'actionneur : un bloc coloré piloté par <préfixe>remote/command",
    bench: 'mesurer le codec et le client face à mqtt-packet et MQTT.js (npm run bench ; --json)',
  },
  flagHelp: {
    '--broker':
      'le broker : hôte[:port], mqtt://[utilisateur:motdepasse@]hôte[:port], mqtts://… (TLS, port 8883), ws://hôte[:port][/chemin] ou wss://… (WebSocket, chemin /mqtt)',
    'watch --broker': 'le broker à suivre : hôte[:port] ou mqtt://[utilisateur:motdepasse@]hôte[:port], mqtts://, ws://, wss:// (par défaut : 127.0.0.1:1883)',
    'classroom --broker':
      'utiliser ce broker, sans en lancer un : hôte[:port] ou mqtt://[utilisateur:motdepasse@]hôte[:port], mqtts://, ws://, wss:// (par défaut : un broker intégré sur 127.0.0.1)',
    '-u': "le nom d'utilisateur que le broker connaît (comme mosquitto_pub -u)",
    '-P': 'le mot de passe (avec -u) ; jamais affiché',
    '--cafile': 'avec mqtts:// ou wss:// : le certificat (PEM ou DER) de l’autorité qui a signé celui du broker',
    '--insecure': 'avec mqtts:// ou wss:// : ne pas vérifier le nom d’hôte du certificat du broker',
    '--prefix': 'le préfixe des topics, par exemple LycMaurois/SNT_2nde/alice/',
    'chat --prefix': 'le préfixe des topics, par exemple LycMaurois/SNT_2nde/ (un / est ajouté s’il manque)',
    '--id': 'l’identifiant du client (pour le binôme, -1 et -2 sont ajoutés)',
    'chat --id': 'l’identifiant du client (par défaut : mqtt-pair-chat-<numéro du processus>)',
    '--no-wifi': 'sauter la connexion au WiFi simulé',
    '--help': 'ce texte',
    '--role':
      'pair (par défaut : les deux cartes), ou une seule carte, par exemple pour faire binôme avec une vraie : hello, responder, sensor, chat, remote, actuator',
    '--interval': 'millisecondes entre deux « Hello » (par défaut 5000) ou deux mesures du capteur (par défaut 1000)',
    'watch --interval':
      'l’intervalle des « Hello » des cartes, tant qu’il n’est pas appris (par défaut : 5000) : un binôme muet pendant environ 3 intervalles passe au rouge',
    'classroom --interval': 'millisecondes entre deux « Hello » d’un binôme (par défaut : 5000)',
    '--name': 'avec --role chat : le nom de cette carte ; elle répond sur <préfixe><nom>',
    '--peer': 'avec --role chat : qui elle écoute, sur <préfixe><binôme>',
    'chat --name': 'votre prénom : vous publiez sur <préfixe><nom>',
    'chat --peer': 'le prénom de votre binôme : vous lisez <préfixe><binôme>',
    '--web': 'servir la page de la classe sur http://127.0.0.1:<port>/ (0 : un port libre) ; sans elle, un tableau dans le terminal',
    'classroom --web': 'servir aussi la page de la classe sur http://127.0.0.1:<port>/ (0 : un port libre), où un binôme peut être arrêté puis relancé',
    '--school': 'avec --class : suivre <école>/<classe>/# (par défaut : tous les +/+/+/hello et +/+/+/notification)',
    'classroom --school': 'premier niveau des topics (par défaut : LycMaurois)',
    '--class': 'avec --school : la classe',
    'classroom --class': 'deuxième niveau des topics (par défaut : SNT_2nde)',
    '--duration': 'arrêter au bout de ce nombre de secondes (par défaut : à Ctrl+C)',
    'classroom --duration': 'arrêter au bout de ce nombre de secondes et dire comment cela s’est passé (par défaut : à Ctrl+C)',
    '--max-pairs':
      'suivre au plus ce nombre de binômes, en plus de la liste (par défaut : 100) : un nouveau prend la place d’un préfixe entendu une seule fois, sinon du binôme sans réponse muet depuis le plus longtemps',
    '--forget': 'un binôme muet depuis ce nombre de minutes quitte la page, sauf s’il est sur la liste (par défaut : 15 ; 0 : jamais)',
    '--roster':
      'la liste de la classe, un prénom par ligne : chaque binôme de la liste a sa tuile dès le début, rouge « jamais connecté » jusqu’à son premier « Hello »',
    '--lang': 'la langue des pages et des messages (par défaut : celle du navigateur pour les pages, du système pour le terminal)',
    '--student-broker': 'avec --web : le WebSocket du broker pour la page élève /student (par défaut : ws://<hôte du broker>:9001/mqtt)',
    '--listen':
      'avec --web : servir la page élève au réseau de la salle sur cette adresse (port : celui de --web plus un) ; la page de la classe reste sur 127.0.0.1',
    '--pairs': 'combien de binômes (deux cartes chacun) simuler, de 1 à 1000',
    '--until-ok': 's’arrêter dès que chaque binôme va bien (3 allers-retours chacun, rien d’égaré), ou à --duration',
  },
  userNeedsBroker: (flag) => `${flag} va avec --broker, par exemple --broker 192.168.1.144 -u alice -P secret`,
  passwordNeedsUser: "-P (mot de passe) demande aussi -u (nom d'utilisateur) : MQTT 3.1.1 n'envoie un mot de passe qu'avec un nom",
  refusal: (code) => (code !== undefined && CONNACK_FR[code]) || `code ${code}`,
  refused: (where, code) => `le broker ${where} a refusé la connexion : ${fr.refusal(code)}`,
  addAccount: "ce broker demande un nom d'utilisateur et un mot de passe : ajoutez -u <utilisateur> -P <mot de passe>",
  checkAccount: (user) => `vérifiez le nom d'utilisateur (-u ${user}) et le mot de passe (-P)`,
  unreachable: (where) => `aucun broker MQTT à l'adresse ${where} (connexion refusée ou machine injoignable)`,
  dns: (where) => `le nom du broker dans ${where} est introuvable`,
  checkBroker: 'vérifiez --broker, et que le broker est lancé',
  cannotConnect: (where, reason) => `connexion impossible à ${where} : ${reason}`,
  lost: (where, reason) => `connexion perdue avec ${where} : ${reason}`,
  chatConnected: (where, name, mine, peer, theirs) =>
    `connecté à ${where} : vous êtes ${name} sur ${mine}, vous lisez ${peer} sur ${theirs}. Tapez une ligne puis Entrée pour l'envoyer ; Ctrl+D ou Ctrl+C pour quitter.`,
  chatReconnected: (where) => `reconnecté à ${where}`,
  chatLost: (where, reason, sec) => `connexion perdue avec ${where} : ${reason} ; nouvel essai dans ${sec.replace('.', ',')} s`,
  chatNotSent: (line, why) => `« ${line} » non envoyé : ${why}`,
  chatCannotRead: (topic, why) => `impossible de lire ${topic} : ${why} (les règles d'accès du broker ?)`,
  chatUnacknowledged: (n, where) => `${n} ligne(s) non confirmée(s) par ${where} en 10 s : elles ne sont peut-être pas arrivées`,
  chatMissing: (key) => `--${key} manque : par exemple mqtt-pair chat --name alice --peer bob`,
  chatTitle:
    'mqtt-pair chat : le chat du cours. Ce que vous tapez est publié sur <préfixe><nom> ; ce que tape votre binôme, sur <préfixe><binôme>, s’affiche sous la forme « binôme: texte ».',
  chatUsageFooter: [
    'Chaque ligne part quand vous appuyez sur Entrée. Ctrl+D (la fin de l’entrée) ou Ctrl+C quitte le chat.',
    'Sans --broker : le broker de 127.0.0.1:1883.',
    '',
    'Exemple, sur deux ordinateurs de la classe :',
    '  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name alice --peer bob',
    '  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name bob --peer alice',
    "Cela marche aussi avec un tube : echo 'Bonjour Bob' | mqtt-pair chat --name alice --peer bob",
    'Une carte flashée avec role=chat répond « echo: <ligne> » à chaque ligne.',
  ],
  usingBroker: (where) => `Broker utilisé : ${where}`,
  embeddedBroker: (port) => `Broker MQTT intégré (Aedes) à l'écoute sur 127.0.0.1:${port}`,
  port1883Taken: 'Le port 1883 est déjà pris sur cet ordinateur : la carte utilise le broker MQTT qui y est (127.0.0.1:1883)',
  arrowKeys: 'Flèches : haut, bas, gauche, droite ; r g b y c m w o : une couleur ; q : quitter.',
  pressCtrlC: 'Ctrl+C pour arrêter.',
  boardsSpeakEnglish: '(Les lignes des cartes restent en anglais, comme la console du cours.)',
  commandsNotSent: (n) => `${n} commande${s(n)} non envoyée${s(n)} : pas de connexion au broker`,
  stopped: 'Arrêté.',
  colours: { red: 'rouge', green: 'vert', blue: 'bleu', yellow: 'jaune', cyan: 'cyan', magenta: 'magenta', white: 'blanc', off: 'éteint' },
  simAbout: {
    sim: {
      title: 'mqtt-pair sim : les cartes du firmware sur cet ordinateur (npm start lance cette commande).',
      footer: [
        'Sans --role, le binôme du cours : l’ESP#1 publie « Hello #N » sur hello, l’ESP#2 répond « received »',
        'sur notification. Sans --broker, un broker intégré démarre sur 127.0.0.1:1883 (ou le port libre suivant) ;',
        'avec un seul --role, si le port 1883 est déjà pris (un autre mqtt-pair sim, Mosquitto), la carte',
        'utilise le broker qui y est.',
        '',
        'Les rôles :',
        '  hello      ESP#1 : Hello #N sur hello toutes les 5 s, écoute notification',
        '  responder  ESP#2 : répond « received » sur notification à chaque hello',
        '  sensor     température et pression chaque seconde, retenues, sur myRasp/sensors/temperature et',
        '             .../pression ; online/offline (son testament) sur myRasp/sensors/status',
        '  chat       répond « echo: <ligne> » sur <préfixe><nom> à chaque ligne de <préfixe><binôme>',
        '             (avec --name et --peer) ; voir mqtt-pair chat',
        '  remote     les flèches du clavier publient up/down/left/right sur remote/command (comme mqtt-pair remote)',
        '  actuator   affiche la couleur demandée sur remote/command dans un bloc coloré (comme mqtt-pair actuator)',
        '',
        'Les lignes des cartes restent en anglais, comme la console du cours.',
      ],
    },
    remote: {
      title: 'mqtt-pair remote : la télécommande du cours, une carte simulée avec role=remote.',
      footer: [
        'Chaque flèche pressée est publiée sur <préfixe>remote/command : up, down, left ou right ; les touches',
        'r g b y c m w o envoient une couleur (red, green, blue, yellow, cyan, magenta, white, off). q, Ctrl+C ou',
        'Ctrl+D quitte. Depuis un tube, elle lit une commande par ligne et s’arrête à la fin :',
        "  printf 'up\\nred\\n' | mqtt-pair remote --broker 192.168.1.144",
        'Un actionneur qui écoute le même préfixe change de couleur (haut vert, bas rouge, gauche jaune,',
        'droite bleu) : mqtt-pair actuator, ou une carte flashée avec role=actuator. Sans --broker, le broker',
        'de 127.0.0.1:1883, ou un broker intégré.',
      ],
    },
    actuator: {
      title: 'mqtt-pair actuator : l’actionneur du cours (une fenêtre qui change de couleur), une carte simulée avec role=actuator.',
      footer: [
        'Il écoute <préfixe>remote/command et montre chaque couleur demandée dans un bloc coloré, avec son nom :',
        'haut vert, bas rouge, gauche jaune, droite bleu, ou un nom de couleur (red, green, blue, yellow, cyan,',
        'magenta, white, off). Ctrl+C l’arrête. Pilotez-le avec mqtt-pair remote, une carte flashée avec',
        'role=remote, ou à la main :',
        '  mqtt-pair pub -h 192.168.1.144 -t LycMaurois/SNT_2nde/alice/remote/command -m up',
      ],
    },
  },
  watching: (filters, where) => `Suivi de ${filters} sur ${where}`,
  cannotWatch: (where, why) => `impossible de suivre le broker ${where} : ${why} : vérifiez --broker, et que le broker est lancé`,
  classroomView: (url, ctrlC) => `Page de la classe : ${url}${ctrlC ? '  (Ctrl+C arrête)' : ''}`,
  studentsPage: (url, broker, prefix) => `Page élève : ${url}  (broker ${broker}${prefix ? `, topics ${prefix}…` : ''})`,
  openToNetwork: '  ouverte au réseau de la salle : tout le monde sur ce réseau peut ouvrir la page élève (la page de la classe reste sur 127.0.0.1)',
  pairsSeen: (total, counts) => `${total} binôme${s(total)} vu${s(total)} : ${counts}`,
  counts: (ok, wait, silent) => `${ok} ok, ${wait} en attente, ${silent} muet${s(silent)}`,
  everyClass: 'Toutes les classes',
  watchingSubtitle: (filters, where) => `suivi de ${filters} sur ${where}`,
  notConnected: (where, problem) => `Pas connecté au broker ${where} : ${problem}`,
  messagesSeen: (n) => `${n} message${s(n)} vu${s(n)}`,
  tableHead: {
    sim: ['binôme', 'état', 'cartes', 'hellos', 'réponses', 'reconn.', 'dernière erreur'],
    watch: ['binôme', 'état', 'hellos', 'réponses', 'dernier', 'entendu', 'pourquoi'],
  },
  ago: (d) => `il y a ${d}`,
  andMore: (n, counts) => (counts ? `… et ${n} autres binômes (${counts})` : `… et ${n} autres`),
  pairsLine: (total, counts) => `${total} binôme${s(total)} : ${counts}`,
  watchAbout: {
    title: 'mqtt-pair watch : chaque binôme d’une classe, en direct, vu depuis le broker (cartes réelles ou simulées).',
    footer: [
      'Un binôme, ce sont les deux cartes qui publient sur <préfixe>hello et <préfixe>notification, par exemple',
      'LycMaurois/SNT_2nde/alice/hello. Chaque binôme est une tuile : verte (OK) quand son dernier hello a eu sa',
      'réponse, orange (En attente) quand il démarre ou attend une réponse, rouge (Muet, Sans réponse) après',
      'environ 3 intervalles sans message ou sans réponse.',
      '',
      'Exemples :',
      '  mqtt-pair watch --broker 192.168.1.144 --web 8080 --school LycMaurois --class SNT_2nde',
      '  mqtt-pair watch --broker 192.168.1.144          (un tableau dans ce terminal, tous les préfixes)',
      'La page est servie sur 127.0.0.1 seulement : ouvrez-la sur cet ordinateur (ou au vidéoprojecteur).',
    ],
  },
  classroomAbout: {
    title: 'mqtt-pair classroom : toute une classe de binômes simulés (une ESP#1 et une ESP#2 chacun) dans ce processus.',
    footer: [
      'Chaque binôme parle sous son propre préfixe, <école>/<classe>/<prénom>/hello et …/notification, avec',
      'les prénoms alice, bob, camille, … (ou ceux de --roster). Un tableau montre chaque binôme (cartes',
      'connectées, hellos, réponses, reconnexions, dernière erreur) ; à la fin, « N/N binômes ok ». Un binôme',
      'va bien quand il a fait au moins 3 allers-retours hello/received et qu’aucun message n’est passé chez',
      'un autre binôme. Les autres messages sous la classe (les valeurs retenues d’un capteur) sont comptés et',
      'montrés, sans rien faire échouer. Sur la page (--web), un binôme peut être arrêté, pour montrer ce',
      'qu’une tuile rouge veut dire, puis relancé ; un binôme arrêté n’est pas jugé.',
      '',
      'Exemples :',
      '  mqtt-pair classroom --pairs 15                              (broker intégré, jusqu’à Ctrl+C)',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --duration 60 --web 8080',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --until-ok --duration 300',
      'Code de sortie : 0 quand chaque binôme va bien ; 1 sinon, ou pour une option fausse.',
    ],
  },
  classroomStart: (count, group, where, interval, how) =>
    `${count} binôme${s(count)} (${2 * count} cartes simulées) sous ${group}/<prénom>/ sur ${where}, un hello toutes les ${interval} ms${how}`,
  classroomHow: (runFor, untilOk) =>
    (untilOk ? ' jusqu’à ce que chaque binôme aille bien' : '') +
    (runFor ? ` ${untilOk ? 'ou' : 'pendant'} ${runFor} s` : untilOk ? ' ou Ctrl+C' : ' jusqu’à Ctrl+C'),
  embeddedWhere: 'broker intégré',
  classroomEnd: {
    ran: (count, elapsed, where, interval, connected) =>
      `${count} binôme${s(count)} (${2 * count} cartes simulées) pendant ${elapsed.replace('.', ',')} s sur ${where}, un hello toutes les ${interval} ms ; ${connected}`,
    allConnected: (d) => `toutes les cartes connectées en ${d}`,
    someConnected: (up, of) => `${up} cartes sur ${of} se sont connectées`,
    messages: (total, hellos, replies, seen) =>
      `Messages : ${total} publiés par les cartes (${hellos} hellos, ${replies} réponses), ${seen} vus par l'observateur`,
    cpu: (total, user, system, percent, perMessage, broker) =>
      `Processeur : ${total.replace('.', ',')} s (utilisateur ${user.replace('.', ',')} s, système ${system.replace('.', ',')} s), ${percent} % d'un cœur ; ` +
      (perMessage !== undefined ? `${perMessage} µs par message` : 'aucun message') +
      ` (cartes et observateur${broker ? ', et le broker' : ''}, tous dans ce processus)`,
    memory: (rss, max, heap) =>
      `Mémoire : ${rss.replace('MB', 'Mo')} résidents à la fin (${max.replace('MB', 'Mo')} au plus), ${heap.replace('MB', 'Mo')} de tas JavaScript`,
    notOk: (name, why) => `Pas ok : ${name} : ${why}`,
    verdict: {
      crossed: (n, first) => `topics mélangés (${n}) : ${first}`,
      neverStarted: 'jamais démarré (la répétition s’est terminée avant)',
      noHello: (r) => `${r} aller${r > 1 ? 's' : ''}-retour${r > 1 ? 's' : ''} : l’ESP#1 n’a envoyé aucun hello`,
      noAnswer: (r, sent) => `${r} aller${r > 1 ? 's' : ''}-retour${r > 1 ? 's' : ''} : l’ESP#1 a envoyé ${sent} hellos, l’ESP#2 n’a répondu à aucun`,
      answersLost: (answered) => `0 aller-retour : l’ESP#2 a répondu à ${answered} hellos, mais aucune réponse n’est arrivée à l’ESP#1`,
      fewRounds: (r) => `seulement ${r} aller${r > 1 ? 's' : ''}-retour${r > 1 ? 's' : ''}, il en faut 3 (un --duration plus long ?)`,
      unseen: 'l’observateur n’a pas vu ses messages : impossible d’exclure des topics mélangés',
      lastError: (v, e) => `${v} ; dernière erreur ${e}`,
    },
    notOkMore: (n) => `Pas ok : … et ${n} autres binômes`,
    summary: (ok, of, stopped, foreign, other) =>
      `${ok}/${of} binômes ok` +
      (stopped ? ` (${stopped} arrêté${s(stopped)} depuis la page)` : '') +
      (foreign ? ` ; ${foreign} message${s(foreign)} sur des topics d'aucun binôme` : '') +
      (other ? ` ; ${other} autre${s(other)} message${s(other)} sous la classe, non jugé${s(other)}` : ''),
  },
  shortRun: (sec, interval) => `remarque : ${sec} s laissent peu de temps pour 3 allers-retours à un hello toutes les ${interval} ms`,
  boardsDetails: (up, of, hellos, replies, reconnects) =>
    `cartes ${up}/${of} connectées ; ${hellos} hellos, ${replies} réponses, ${reconnects} reconnexion${s(reconnects)}`,
};
