// The commands' words in English (the table's shape: cli-words.ts).

import type { CliWords, CloseFacts } from './cli-words';
import type { StrayMessage } from '../classroom/view-model';
import { tileWords } from './en';
import { restartCause, stopReason } from './program-stop';
import { refusalLine } from './refusal';
import { programRefusal } from './program-refusal';
import { printable } from '../../src/apps/text';
import { BROKER_FORMS } from '../../src/endpoint';

const CONNACK_EN = ['', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

const s = (n: number) => (n > 1 ? 's' : '');
const FILE_WHY: Record<string, string> = {
  ENOENT: 'no such file (is the path right?)',
  ENOTDIR: 'no such file (is the path right?)',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};
const fileWhy = (why: string) => FILE_WHY[why] ?? why;

/** What to check after a CONNACK refusal, by its return code. */
function refusalHint(f: CloseFacts): string {
  switch (f.code) {
    case 1:
      return ': the broker does not accept MQTT 3.1.1';
    case 2:
      return `: the broker does not accept the client id '${f.clientId}'; choose another with -i`;
    case 3:
      return ': the broker cannot take connections now; try again later';
    case 4:
    case 5:
      return f.username === undefined ? `: ${en.addAccount}` : `: ${en.checkAccount(f.username)}`;
    default:
      return '';
  }
}

/** A message under the class that no pair took: its text and its topic. */
function stray(m: StrayMessage): string {
  return `${m.retained ? 'retained ' : ''}"${m.text}" on ${m.topic}`;
}

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
  strayAfterUser: 'an unexpected argument follows -u <user> (not shown, in case it is a password): put -P in front of the password',
  benchInRepository: 'the benchmark is a development tool: run it in the repository, with npm run bench',
  pagePortInUse: (port, host, example) => `port ${port} is already in use on ${host}: choose another with ${example}`,
  pageNoAddress: (flag, host) => `${flag} ${host}: this computer has no such address (its addresses: ip -4 addr, or ipconfig on Windows)`,
  pageCannotServe: (host, port, why) => `cannot serve the page on ${host}:${port}: ${why}`,
  internalError: (m) => `internal error: ${m} (set MQTT_PAIR_DEBUG=1 for details)`,
  usage: 'Usage: ',
  notSupportedFlags: 'Not supported (mosquitto flags mqtt-pair refuses with a reason):',
  valueName: {},
  help: 'this text',
  topTitle: (v) => `mqtt-pair ${v}: classroom MQTT tools (mosquitto_pub/mosquitto_sub compatible) and the board simulator`,
  topCommands: 'Commands:',
  sep: ': ',
  fileWhy,
  topUsage: 'mqtt-pair <command> [options]',
  topFooter: 'mqtt-pair <command> --help (or mqtt-pair help <command>) lists the options of a command.',
  examples: 'Examples:',
  summaries: {},
  flagHelp: {},
  brokerValue: (shown, { problem, fact }) => {
    switch (problem) {
      case 'scheme':
        return `--broker '${shown}': ${fact}:// is not supported: write ${BROKER_FORMS}`;
      case 'escape':
        return `--broker '${shown}': a badly written %-escape in the user name or password (write %40 for @, %2F for /, %25 for %)`;
      case 'path':
        return `--broker '${shown}': ${fact}:// takes no path (only ws:// and wss:// do): remove what follows the host and port`;
      case 'pathChars':
        return `--broker '${shown}': the WebSocket path has spaces or other characters to percent-encode (%20 for a space)`;
      case 'port':
        return `--broker '${shown}': the port must be a number from 1 to 65535, e.g. --broker 192.168.1.144:1883`;
      default:
        return `--broker '${shown}' names no host: write ${BROKER_FORMS}`;
    }
  },
  caFile: (file, why) =>
    why === 'notCertificate'
      ? `--cafile: the CA file ${file} holds no certificate (PEM or DER): give the certificate of the CA that signed the broker's`
      : `--cafile: cannot read the CA file ${file}: ${fileWhy(why)}`,
  userNeedsBroker: (flag) => `${flag} goes with --broker, e.g. --broker 192.168.1.144 -u alice -P secret`,
  passwordNeedsUser: '-P (password) needs -u (user name) too: MQTT 3.1.1 sends a password only with a user name',
  refusal: (code) => (code !== undefined && CONNACK_EN[code]) || `code ${code}`,
  refused: (where, code) => `the broker at ${where} refused the connection: ${en.refusal(code)}`,
  closeReason: (reason) => reason,
  closeLine: (f) => {
    switch (f.kind) {
      case 'refused':
        return `${en.refused(f.where, f.code)}${f.code ? refusalHint(f) : ''}`;
      case 'unreachable':
        return `${f.reason}: check -h and -p, and that the broker is running`;
      case 'dns':
        return `${f.reason}: check -h, or give the broker's IP address`;
    }
    if (f.everConnected) return `lost the connection to ${f.where}: ${f.reason}`;
    if (f.kind === 'timeout') return `${f.where} did not answer the MQTT CONNECT within ${f.connectTimeoutMs / 1000} s: is it an MQTT broker? check -h and -p`;
    if (f.kind === 'tls' || f.kind === 'websocket' || f.kind === 'setup') return f.reason;
    if (f.kind === 'protocol')
      return `${f.where} does not answer in MQTT (${f.reason}): is it a WebSocket port (-L ws://…) or a TLS one (-L mqtts://…)? check -h and -p`;
    return `cannot connect to ${f.where}: ${f.reason}`;
  },
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
  chatRefused: (topic, user) =>
    `the broker refused the subscription to ${topic}: its access rules (ACL) do not let ${user === undefined ? 'a user without an account' : `the user ${user}`} read there; ask your teacher, or check --prefix and --peer`,
  chatUnacknowledged: (n, where) => `${n} line(s) not acknowledged by ${where} within 10 s: they may not have arrived`,
  chatMissing: (key) => `--${key} is missing: e.g. mqtt-pair chat --name alice --peer bob`,
  notText: (flag, what) =>
    `${flag}: ${{ id: 'the client id', user: 'the user name', password: 'the password' }[what]} holds half of a UTF-16 character, which MQTT cannot send: type it again`,
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
  embeddedBroker: (port, ws) => `Embedded MQTT broker (Aedes) listening on 127.0.0.1:${port}${ws ? `, and for the students' page on ${ws}` : ''}`,
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
  observeRefused: (where, filter) =>
    `the broker at ${where} refused the subscription to ${filter}: its access rules (ACL) do not let this user read there; give -u a user who may read the class's topics`,
  reconnecting: 'reconnecting',
  cannotWatch: (where, why) => `cannot watch the broker at ${where}: ${why}: check --broker, and that the broker is running`,
  exploring: (filters, where) => `Exploring ${filters} on ${where}`,
  explorerAt: (url) => `Explorer: ${url}  (Ctrl+C stops)`,
  exploreEnd: (messages, topics, dropped) => `${messages} messages on ${topics} topics${dropped ? ` (${dropped} more topics not kept: --max-topics)` : ''}`,
  cannotExplore: (where, why) => `cannot explore the broker at ${where}: ${why}: check --broker, and that the broker is running`,
  exploreRefused: (where, filter) =>
    `the broker at ${where} refused the subscription to ${filter}: its access rules (ACL) do not let this user read there; give -t a filter it allows, or another -u`,
  explorePageFailed: (why) => `mqtt-pair explore: a page could not be answered (${why}); the explorer goes on`,
  classroomView: (url, ctrlC) => `Classroom view: ${url}${ctrlC ? '  (Ctrl+C stops)' : ''}`,
  studentsPage: (url, broker, prefix) => `Students' page: ${url}  (broker ${broker}${prefix ? `, topics ${prefix}…` : ''})`,
  openToNetwork: "  open to the classroom network: anyone on it can open the students' page (the class page stays on 127.0.0.1)",
  pairsSeen: (total, counts) => `${total} pairs seen: ${counts}`,
  counts: (ok, wait, silent) => `${ok} ok, ${wait} waiting, ${silent} silent`,
  everyClass: 'Every class',
  watchingSubtitle: (filters, where) => `watching ${filters} on ${where}`,
  notConnected: (where, problem) => `Not connected to the broker at ${where}: ${problem}`,
  messagesSeen: (n) => `${n} messages seen`,
  heardOnce: (n, count) => `; ${n} prefix${count > 1 ? 'es' : ''} heard once, not shown`,
  pairsIgnored: (more, pairs, messages) => `; ${more ? 'more than ' : ''}${pairs} more pairs ignored (${messages} messages, beyond --max-pairs)`,
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
  brokerUrl: {
    form: (shown) =>
      `-L needs a URL of the form mqtt://[user[:password]@]host[:port]/topic (or mqtts://, or ws:// and wss:// with /path/topic), got '${shown}'`,
    scheme: (shown, scheme) =>
      `-L ${shown}: unsupported URL scheme '${scheme}://', use mqtt://[user[:password]@]host[:port]/topic (or mqtts://, or ws:// and wss:// with /path/topic)`,
    escape: (shown) => `-L ${shown}: a badly written %-escape in the user name or password (write %40 for @, %2F for /, %25 for %)`,
    emptyUser: (shown) =>
      `-L ${shown}: the user name before '@' is empty, use mqtt://[user[:password]@]host[:port]/topic (or mqtts://, or ws:// and wss:// with /path/topic)`,
    ipv6: (shown) => `-L ${shown}: '[' without ']' around an IPv6 address, or no ':port' after ']'`,
    noHost: (shown) => `-L ${shown}: no host name, use mqtt://[user[:password]@]host[:port]/topic (or mqtts://, or ws:// and wss:// with /path/topic)`,
    port: (shown) => `-L ${shown}: the port must be a number from 1 to 65535`,
    path: (shown, path) => `-L ${shown}: the WebSocket path '${path}' has spaces or other characters to percent-encode`,
    noTopic: (shown, example) => `-L ${shown}: the topic is missing, add it after the host, e.g. ${example}`,
  },
  format: {
    escape: (ch) => `-F: \\${ch} is not an escape mqtt-pair knows: use \\n \\t \\r \\v \\a \\e \\0 or \\\\`,
    time: (ch, known) => `-F: @${ch} is not a time format mqtt-pair prints (it knows ${known}; @c, @x and @X depend on the locale)`,
    v5: (ch) => `-F: %${ch} is an MQTT v5 property, and mqtt-pair speaks MQTT 3.1.1`,
    code: (ch) => `-F: %${ch} is not a format code: use %t %p %q %r %l %m %x %X %I %U %j %J or %%`,
  },
  pubSub: {
    tlsOverWs: (flag) => `${flag} is for TLS: write the URL as wss:// instead of ws://`,
    insecureNoTls: '--insecure only applies to TLS: use it with --cafile, -L mqtts:// or -L wss://',
    hostAlone: (shown) => `-h takes a host name or address alone, got '${shown}': give the user with -u and the password with -P, or the whole URL with -L`,
    hostNeeded: (shown) => `-h needs a host name or IP address, e.g. -h 192.168.1.144${shown === undefined ? '' : `, got '${shown}'`}`,
    only311: (protocol) => `-V ${protocol}: mqtt-pair speaks MQTT 3.1.1 only, use -V mqttv311 or leave -V out`,
    idAndPrefix: '-i and -I cannot be used together: give the whole id with -i, or a prefix with -I',
    idEmpty: '-i needs a client id that is not empty, e.g. -i teacher-laptop',
    persistNeedsId: '-c (keep the session) needs a client id that stays the same between runs: add -i <id>, e.g. -c -i teacher-laptop',
    willNeedsTopic: (flag) => `${flag} needs --will-topic too, e.g. --will-topic class/alice/status`,
    tooLong: (what, bytes) =>
      `${{ id: 'the client id', user: 'the user name', password: 'the password', will: '--will-payload' }[what]} is ${bytes} bytes, MQTT allows at most 65535`,
    pubNoTopic: "no topic: say where to publish with -t, e.g. -t class/hello -m 'hi'",
    pubEmptyTopic: 'the topic is empty: give one with -t, e.g. -t class/hello',
    pubBadTopic: (why) => `${why}, e.g. -t class/hello`,
    oneMessage: 'give only one message: one of -m, -f, -n, -s or -l, once',
    noMessage: "no message: add -m 'text' (or -f file, -n for an empty message, -s to read stdin, -l for one message per line of stdin)",
    repeatNotLines: '--repeat works with -m, -f, -n and -s, not with -l',
    tooBig: (what, bytes, room) =>
      `${what} is ${bytes > room ? `more than ${room}` : bytes} bytes, more than MQTT allows in one packet with this topic (256 MB)`,
    theMessage: 'the message',
    theFile: (file) => `the file '${file}'`,
    theStdin: 'the message on stdin',
    cannotReadFile: (file, why) => `-f: cannot read the file '${file}': ${fileWhy(why)}`,
    subNoTopic: "no topic: say what to listen to with -t, e.g. -t hello or -t 'class/#'",
    subEmptyFilter: '-t needs a topic filter that is not empty, e.g. -t hello',
    removeRetainedNeedsEnd:
      '--remove-retained needs an end: add --retained-only (stop at the first live message) and -W seconds (stop when there is none), e.g. --remove-retained --retained-only -W 5',
    removeRetainedSkipped: '-R skips the retained messages that --remove-retained clears: keep one',
    retainedContradict: '-R (no retained messages) and --retained-only contradict each other: keep one',
  },
  classroomHowMany: 'say how many pairs to simulate with --pairs, e.g. --pairs 30 (or name them with --roster FILE)',
  classroomRosterNames: (group) => `--roster: classroom simulates the pairs of one class: write first names only (they go under ${group}/)`,
  classroomPairsAndRoster: (pairs, names) => `--pairs ${pairs} and a roster of ${names} names: give one of them`,
  cannotObserve: (filter, where, why) => `cannot observe ${filter} on the broker at ${where}: ${why}`,
  embeddedLocalOnly: "  (the embedded broker listens on this computer only: for students' computers, give --broker, a broker with a websockets listener)",
  goesWithWeb: (flag) => `${flag} goes with --web: the students' page is served beside the class page, e.g. --web 8080`,
  langValue: (value) => `--lang needs fr or en, got '${value}'`,
  topicLevel: (flag, example, value) => `${flag} needs one topic level without / + or #, e.g. ${flag} ${example}, got '${value}'`,
  rosterUnreadable: (file, why) => `--roster: cannot read '${file}': ${fileWhy(why)}`,
  dotNote: (value) => `note: '${value}' holds a '.': on a RabbitMQ broker a '.' in a topic becomes a '/', so use '_' or '-' there instead`,
  listenAddress: (value) =>
    `--listen needs this computer's address on the classroom network, e.g. --listen 192.168.1.10 or --listen 0.0.0.0:8081, got '${value}'`,
  listenNoPort: (webPort, example) =>
    `--web ${webPort} leaves no port after it for the students' page: give one with --listen ${example}, or a lower --web port`,
  studentBrokerWs: (value) => `--student-broker needs the broker's WebSocket address, e.g. --student-broker ws://192.168.1.144:9001, got '${value}'`,
  studentBrokerAccount: (value) =>
    `--student-broker ${value}: leave the user name and password out: every student's page shows this address; students type their own on the page`,
  schoolAndClass: '--school and --class go together, e.g. --school LycMaurois --class SNT_2nde',
  tlsOnly: (flag, write) => `${flag} is for a TLS broker: ${write ? 'write' : 'add'} --broker mqtts://… or wss://…`,
  programOneBoard: '--program runs one board: give --role the role it plays without its program, e.g. --role hello',
  unknownRole: (role, roles) => `--role "${role}" is unknown: use ${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`,
  chatNeedsNamePeer: '--role chat needs --name and --peer, e.g. --name esp --peer alice',
  topicWhy: (why) =>
    ({
      empty: 'a topic cannot be empty',
      long: 'a topic is at most 65535 bytes',
      surrogate: 'it holds half of a UTF-16 character, which MQTT cannot send',
      nul: 'a topic cannot contain U+0000',
      hash: '# must be a whole level and the last one, as in a/b/#',
      plus: '+ must be a whole level, as in a/+/c',
      wildcard: 'wildcards + and # are only for subscribing',
    })[why],
  exploreFilter: (filter, why) => `-t '${filter}': ${en.topicWhy(why)}`,
  chatNotATopic: (key, value, prefix, why) => `--${key} "${value}" (with --prefix "${prefix}") is not a topic: ${why}`,
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
    verdict: {
      crossed: (n, first) => `crossed topics (${n}): ${tileWords.crossing(first)}`,
      neverStarted: 'never started (the run ended first)',
      noHello: (r) => `${r} rounds: ESP#1 sent no hello`,
      noAnswer: (r, sent) => `${r} rounds: ESP#1 sent ${sent} hellos, ESP#2 answered none`,
      answersLost: (answered) => `0 rounds: ESP#2 answered ${answered} hellos, but no answer reached ESP#1`,
      fewRounds: (r) => `only ${r} rounds, 3 needed (a longer --duration?)`,
      unseen: 'the observer did not see its messages, so crossed topics could not be ruled out',
      lastError: (v, last) => `${v}; last error ${tileWords.failure(last)}`,
    },
    notOkMore: (n) => `Not ok: … and ${n} more pairs`,
    summary: (ok, of, stopped, foreign, other, firstForeign, firstOther) =>
      `${ok}/${of} pairs ok` +
      (stopped ? ` (${stopped} stopped from the page)` : '') +
      (foreign ? `; ${foreign} message${s(foreign)} on topics of no pair${firstForeign ? ` (${stray(firstForeign)})` : ''}` : '') +
      (other ? `; ${other} other message${s(other)} under the class, not judged${firstOther ? ` (${stray(firstOther)})` : ''}` : ''),
    noPairTopic: (m) => `Topic of no pair: ${stray(m)}`,
  },
  shortRun: (sec, interval) => `note: ${sec} s leaves little time for 3 round trips at one hello every ${interval} ms`,
  boardsDetails: (up, of, hellos, replies, reconnects) => `boards ${up}/${of} connected; ${hellos} hellos, ${replies} replies, ${reconnects} reconnects`,
  setup: {
    onLine: (line, shown) => (shown === undefined ? `line ${line}:` : `line ${line} ('${shown}'):`),
    onePairALine: 'write one pair a line, one or two first names',
    notATopic: 'a name holds no + (MQTT keeps it for subscribing): write one pair a line, one or two first names',
    needsClass: (name) => `'${name}' needs --school and --class to make its prefix (or write it whole, e.g. LycMaurois/SNT_2nde/${name})`,
    noName: 'it has no name: write one pair a line, e.g. alice bob',
    tooManyPairs: (pairs, max) => `it has ${pairs} pairs, ${max} at most`,
    badName: (name, why, scripts) =>
      why === 'mixed'
        ? `'${name}' mixes alphabets (${scripts.join(' and ')}): a projector would show it as another name; type it again in one alphabet`
        : why === 'compat'
          ? `'${name}' holds wide or special forms of letters (fullwidth, ligatures): type it again with plain letters`
          : 'write one pair a line, one or two first names (letters, digits, - or _: they become topic levels)',
    nameTwice: (name, line, other) =>
      name.toLowerCase() === other.toLowerCase()
        ? `'${name}' is already on line ${line}: two students, two names (add an initial: ${name}_B)`
        : `'${name}' reads like '${other}' on line ${line}: two students, two names that read apart (add an initial: ${other}_B)`,
    locked: (lock, seconds) => `another mqtt-pair setup has held ${lock} for ${seconds} s: wait for it, or delete ${lock} if none is running`,
    badState: (file) => `${file} is not what mqtt-pair setup wrote: delete it to start the class again`,
    migrated: (file, backup) => `${file}: rewritten by student name (the old file, by line number, is kept as ${backup})`,
    classFull: (n, roster, state) => `the class is full: all ${n} students of ${roster} have a board (delete ${state} to start again)`,
    imageWhichBoard: 'which board? -p esp32 (or esp32/esp32c3, esp32/esp32s3, esp), as given to mcconfig',
    imageNoModdable: "MODDABLE is not set: run this where mcconfig runs, or give mcconfig's output folder with -o",
    imageRead: (name, version, family, variant, kb, source) => `${name} ${version} for ${family} (${variant} build, ${kb} KB), read from ${source}:`,
    imageWritten: (shown) => [
      `Written to ${shown}/: manifest.json for ESP Web Tools (mqtt-pair setup --web 8090 --image ${shown}),`,
      'and write_flash.sh, which runs, in that folder:',
    ],
    cannotOpenPort: (path, why) =>
      `cannot open ${path}: ${
        why === 'none'
          ? 'no such port (mqtt-pair setup --list shows the ports)'
          : why === 'denied'
            ? 'permission denied (on Linux: sudo usermod -aG dialout $USER, then log in again)'
            : why === 'busy'
              ? 'the port is in use (close the serial monitor, xsbug or the page using it)'
              : why
      }`,
    noSerialPackage: 'the serialport package is not installed: npm install serialport (it ships prebuilt binaries), or use mqtt-pair setup --web in Chrome',
    noSerialPort: 'No serial port: plug a board in with a data USB cable (some cables only charge).',
    likelyBoard: (board) => `${board}: a board, likely`,
    pageBanner: (url) => `The class set-up page: ${url} (open it in Chrome or Edge; Ctrl+C to stop)`,
    setUp: (board, chip, version, w, prefix, ssid) =>
      `${board} (${chip}, mqtt-pair ${version}) set up: ${
        w.name ? `${w.name} (pair ${w.pair}, ESP#${w.esp}, ${w.role}${w.peer ? `, with ${w.peer}` : ', both boards'})` : `role ${w.role || '(unset)'}`
      } on ${prefix || '(no prefix)'}${ssid ? `, WiFi "${ssid}"` : ''}`,
    firstMessage: (where, topic, text) => `its first message reached ${where}: ${topic} ${text}`,
    nothingCame: (topic, where, seconds, problem, responder, last) =>
      `the board is set up, but nothing came on ${topic} at ${where} in ${seconds} s${problem ? ` (this computer: ${problem})` : ''}${
        responder ? ' (an ESP#2 answers only once its ESP#1 says hello)' : ''
      }: ${last ? `its last line: "${last}"` : 'check the broker address the board was given'}`,
    boardError: (code) =>
      ({
        1: 'the board did not understand the command (invalid frame): try again',
        2: 'the board does not know this command: is its firmware an older mqtt-pair?',
        3: 'the board could not join the WiFi: check its name and password, and that the network is in range (2.4 GHz)',
        128: 'the board refused a setting',
        255: 'the board could not do it (memory full, or a WiFi being joined already): try again',
      })[code] ?? `the board could not do it (Improv error 0x${code.toString(16)})`,
    otherFirmware: (port, firmware) =>
      `the board on ${port} runs ${firmware || 'another firmware'}, not mqtt-pair: flash it first (mqtt-pair setup --web, or write_flash.sh of mqtt-pair image)`,
    lacks: (keys) => `the board has no ${keys.join(' and ')}: give ${keys.map((k) => (k === 'role' ? '--roster (or role=hello)' : `--${k}`)).join(' and ')}`,
    noWifi: 'the board has no WiFi settings: give --ssid and --password',
    silent: (port) => `the board on ${port} stopped answering: is it still plugged in? Try again`,
    refused: (r) => refusalLine('en', r),
    noAnswer: (port, seconds) =>
      `no answer from ${port} in ${seconds} s: is a board flashed with mqtt-pair on it, and no serial monitor (or xsbug) using the port? (mqtt-pair setup --list)`,
    webOrPort: '--web or --port: the page sets boards up from Chrome, --port from this command',
    passwordNeedsSsid: '--password goes with --ssid, e.g. --ssid ClassWiFi --password secret',
    rosterNeedsClass: '--roster needs --school and --class, e.g. --school LycMaurois --class SNT_2nde',
    cannotReadRoster: (roster, why) => `cannot read the roster ${roster}: ${fileWhy(why)}`,
    passwordOnPage: '--password is typed on the page, which sends it to the board only: leave it out with --web',
    settingsWithPort: "key=value settings go with --port; the page gives the broker and the roster's settings",
    whichBoard: 'which board? --web 8090 (the page, in Chrome) or --port /dev/ttyUSB0 (this command; COM3 on Windows; mqtt-pair setup --list shows the ports)',
    imageWithWeb: '--image goes with --web (the page installs it); for this command, flash with write_flash.sh of the image',
    noManifest: (image) => `${image} has no manifest.json: make the image first, e.g. mqtt-pair image -p esp32 (it writes build/image/esp32)`,
    notASetting: (key, keys) => `${key}=…: not a board setting; the settings are ${keys}`,
    programOnPage: '--program goes with --port; with --web, the program of the day is chosen on the page',
    replaceNeedsRoster: (name) => `--replace ${name} goes with the class's list: --roster classe.txt --school LycMaurois --class SNT_2nde`,
    notOnRoster: (name, roster) => `"${name}" is on no line of ${roster}: check the name (nothing changed)`,
    replaced: (name, boards) =>
      `${boards.length ? `${name} no longer has ${boards.length > 1 ? 'boards' : 'board'} ${boards.join(', ')}` : `${name} had no board yet`}: the next board plugged in is theirs`,
    overflow: (port, max) =>
      `the board on ${port} sent more than ${max} answers to one command without ending it: is it running mqtt-pair? (stopped listening to it)`,
  },
  program: {
    title: "mqtt-pair program: send a student's program to a board over USB, then show its console",
    which: 'which board? --port /dev/ttyUSB0 (COM3 on Windows; mqtt-pair setup --list shows the ports)',
    noFile: (file, why) => `cannot read ${file}: ${fileWhy(why)}`,
    empty: (file) => `${file} is empty: a program holds at least one line`,
    tooLarge: (file, bytes, max) => `${file} is ${bytes} bytes long: a board takes a program of ${max} bytes at most`,
    notUtf8: (file, line) => `${file} is not UTF-8 text (line ${line}): save it as UTF-8 in the editor`,
    nameTooLong: (name, max) => `the name ${name} is too long: at most ${max} bytes (rename the file)`,
    refused: (r) => `the board refused the program${r.key ? ` ${printable(r.key)}` : ''} and keeps its own: ${programRefusal('en', r)}`,
    oldFirmware: (port) => `the board on ${port} takes no programs: its firmware is older, or has no JavaScript parser (flash the class image again)`,
    cutOff: (port) => `the board on ${port} stopped answering: the board keeps its program; try again`,
    sent: (name, bytes, hash) => `${name} sent: ${bytes} bytes, hash ${hash}; the board restarts to run it`,
    following: (seconds) => `The board's console${seconds ? ` for ${seconds} s` : ''} (Ctrl+C to stop):`,
    shown: (name, bytes, hash) => `program ${name}: ${bytes} bytes, hash ${hash}`,
    safeMode: (stops, code) =>
      `The board is in safe mode: the program was stopped ${stops} times in a row (${stopReason('en', code)}). Send a corrected one, or --clear.`,
    started: (name) => `→ the board starts the program ${name}`,
    threw: (line, column, message) =>
      `→ error in the program${line ? `, line ${line}${column ? `, column ${column}` : ''}` : ''}: ${message} (the board goes on with what runs already)`,
    stopped: (code, count, of) => `→ the board stopped the program (${stopReason('en', code)}) and restarts: ${count} in a row of the ${of} before safe mode`,
    restarted: (code, count, of) =>
      `→ the board restarted: the program had stopped (${restartCause('en', code)}), ${count} in a row${count < of ? ` of the ${of} before safe mode` : ': the board plays its role without it (safe mode)'}`,
    none: 'no program on the board: it plays its role',
    cleared: 'program cleared: the board restarts into its role',
    nothingToClear: 'there was no program on the board',
    onlyOne: 'a file, --show or --clear: one of them',
  },
};
