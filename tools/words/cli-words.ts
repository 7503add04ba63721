// What a language table of the commands holds (tools/words/cli-en.ts, cli-fr.ts): every line the
// commands a class uses print, as strings or small functions of the numbers and names they show.

import type { BrokerProblem } from '../../src/endpoint';
import type { CloseKind } from '../../src/host';
import type { Crossing, PairFailure, StrayMessage } from '../classroom/view-model';
import type { ProgramRefusal, SettingRefusal } from '../setup/improv-client';

/** Why a topic or a filter is refused (tools/cli/topic-why.ts): empty, too long, half of a UTF-16
 *  character, a NUL, a # or a + not a whole level (filters), a wildcard (topics). */
export type TopicWhy = 'empty' | 'long' | 'surrogate' | 'nul' | 'hash' | 'plus' | 'wildcard';

/** The words of a pair's verdict (tools/classroom/pair-check.ts, Verdict), by its code. */
export interface VerdictWords {
  crossed(n: number, first: Crossing): string;
  neverStarted: string;
  noHello(rounds: number): string;
  noAnswer(rounds: number, sent: number): string;
  answersLost(answered: number): string;
  fewRounds(rounds: number): string;
  unseen: string;
  /** A verdict and its pair's last failure (worded by tileWords.failure). */
  lastError(verdict: string, last: PairFailure): string;
}

/** What a command knows of its connection once it closed (tools/cli/session.ts): its line is made from these. */
export interface CloseFacts {
  /** The broker as the command names it: 127.0.0.1:1883, ws://…/mqtt */
  where: string;
  /** The client's own reason, in English. */
  reason: string;
  kind: CloseKind;
  /** The CONNACK's code, for a refusal. */
  code?: number;
  everConnected: boolean;
  clientId: string;
  username?: string;
  connectTimeoutMs: number;
}

/** pub's and sub's own refusals (tools/cli/connection.ts, pub.ts, sub.ts): mosquitto's flags. */
export interface PubSubWords {
  tlsOverWs(flag: string): string;
  insecureNoTls: string;
  /** -h with a user or a URL in it (shown redacted). */
  hostAlone(shown: string): string;
  /** -h missing, or not a host (shown redacted). */
  hostNeeded(shown?: string): string;
  only311(protocol: string): string;
  idAndPrefix: string;
  idEmpty: string;
  persistNeedsId: string;
  willNeedsTopic(flag: string): string;
  tooLong(what: 'id' | 'user' | 'password' | 'will', bytes: number): string;
  pubNoTopic: string;
  pubEmptyTopic: string;
  /** A topic that cannot be published to (`why`: the topic's check, in English). */
  pubBadTopic(why: string): string;
  oneMessage: string;
  noMessage: string;
  repeatNotLines: string;
  /** What is too big for one PUBLISH: the message, a file, stdin (`what`: one of the three below). */
  tooBig(what: string, bytes: number, room: number): string;
  theMessage: string;
  theFile(file: string): string;
  theStdin: string;
  /** -f's file unreadable: `why` as fileWhy. */
  cannotReadFile(file: string, why: string): string;
  subNoTopic: string;
  subEmptyFilter: string;
  retainedContradict: string;
  /** --remove-retained with nothing to stop it: no --retained-only, -W or -C. */
  removeRetainedNeedsEnd: string;
  /** -R with --remove-retained: it would skip the very messages to clear. */
  removeRetainedSkipped: string;
}

/** -L's URL refused (tools/cli/flags.ts, parseBrokerUrl); `shown`: the URL, its password hidden. */
export interface BrokerUrlWords {
  form(shown: string): string;
  scheme(shown: string, scheme: string): string;
  escape(shown: string): string;
  emptyUser(shown: string): string;
  ipv6(shown: string): string;
  noHost(shown: string): string;
  port(shown: string): string;
  path(shown: string, path: string): string;
  noTopic(shown: string, example: string): string;
}

/** sub's -F format refused (tools/cli/format.ts). */
export interface FormatWords {
  escape(ch: string): string;
  /** `known`: the time formats it prints, as « @a @A … ». */
  time(ch: string, known: string): string;
  v5(ch: string): string;
  code(ch: string): string;
}

export interface CliWords {
  pubSub: PubSubWords;
  brokerUrl: BrokerUrlWords;
  format: FormatWords;
  // The flag parser and the top command (tools/cli/flags.ts, main.ts).
  unknownOption(arg: string, near: string | undefined, help: string): string;
  gluedValue(flag: string, example: string): string;
  unexpectedArgument(arg: string, help: string): string;
  /** A stray argument after -u's value, not shown: likely the password. */
  strayAfterUser: string;
  needsValue(arg: string, example: string | undefined, placeholder: string): string;
  takesNoValue(arg: string, inline: string): string;
  notSupported(arg: string, why: string): string;
  numberRange(flag: string, what: string, min: number, max: number, text: string): string;
  secondsRange(flag: string, allowZero: boolean, max: number, text: string): string;
  unknownCommand(name: string, commands: string): string;
  commandFirst: string;
  internalError(message: string): string;
  /** mqtt-pair bench outside the repository. */
  benchInRepository: string;
  /** A page's server cannot listen (tools/view/local-server.ts): the port taken (`example`: the flag and a port to try), no such address, another system code. */
  pagePortInUse(port: number, host: string, example: string): string;
  pageNoAddress(flag: string, host: string): string;
  pageCannotServe(host: string, port: number, why: string): string;
  usage: string;
  notSupportedFlags: string;
  /** A flag's value in --help (`--wait <seconds>`) in this language; absent: as the flag names it. */
  valueName: Readonly<Record<string, string>>;
  help: string;
  topTitle(version: string): string;
  topCommands: string;
  /** Between a line and what follows it: ': ' in English, ' : ' in French. */
  sep: string;
  /** Why a file cannot be read: the system's code (ENOENT, ENOTDIR, EISDIR, EACCES, EPERM), else the code or message as it is. */
  fileWhy(why: string): string;
  topUsage: string;
  topFooter: string;
  examples: string;
  /** Each command's one-line summary in `mqtt-pair --help`. */
  summaries: Record<string, string>;
  /** A flag's help: by `command flag`, else by flag (absent: the English one). */
  flagHelp: Record<string, string>;
  // The broker flags (tools/cli/broker-flags.ts).
  /** --broker's value refused (src/endpoint.ts, brokerOf); `shown`: the value, its password hidden. */
  brokerValue(shown: string, p: BrokerProblem): string;
  /** --cafile's file unusable (hosts/node/tls.ts, CaFileError): as fileWhy, or 'notCertificate'. */
  caFile(file: string, why: string): string;
  userNeedsBroker(flag: string): string;
  passwordNeedsUser: string;
  // A connection that ended, from its kind and the CONNACK code (never the reason's English words).
  refusal(code: number | undefined): string;
  /** Why a connection ended, as a phrase, from its kind and code (the client's reason where they say too little). */
  closeReason(reason: string, kind?: CloseKind, code?: number): string;
  /** The line pub and sub end with when their connection closed: what happened and what to check. */
  closeLine(f: CloseFacts): string;
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
  /** The broker's access rules refuse the peer's topic (SUBACK 0x80). */
  chatRefused(topic: string, user: string | undefined): string;
  chatUnacknowledged(n: number, where: string): string;
  chatMissing(key: string): string;
  /** chat's --id, user name or password (`flag`: where it was given) holding half of a UTF-16 pair, which MQTT cannot carry. */
  notText(flag: string, what: 'id' | 'user' | 'password'): string;
  chatTitle: string;
  chatUsageFooter: string[];
  // sim, remote, actuator
  usingBroker(where: string): string;
  /** The embedded broker's line; `ws`: its WebSocket for the students' page, where it has one. */
  embeddedBroker(port: number, ws?: string): string;
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
  /** watch's or classroom's subscription to the class refused by the broker (SUBACK 0x80). */
  observeRefused(where: string, filter: string): string;
  /** watch's connection is down, no reason known yet. */
  reconnecting: string;
  /** The explorer could not answer a page (a tree too large to send): it goes on. */
  /** explore's lines: the banner (two lines), the end's count, a broker it cannot reach (the reason is the client's). */
  exploring(filters: string, where: string): string;
  explorerAt(url: string): string;
  exploreEnd(messages: number, topics: number, dropped: number): string;
  cannotExplore(where: string, why: string): string;
  /** The broker answered SUBACK 0x80 to explore's -t filter. */
  exploreRefused(where: string, filter: string): string;
  explorePageFailed(why: string): string;
  classroomView(url: string, ctrlC: boolean): string;
  studentsPage(url: string, broker: string, prefix: string): string;
  openToNetwork: string;
  pairsSeen(total: number, counts: string): string;
  counts(ok: number, wait: number, silent: number): string;
  everyClass: string;
  watchingSubtitle(filters: string, where: string): string;
  notConnected(where: string, problem: string): string;
  messagesSeen(n: number): string;
  /** `; 3 prefixes heard once, not shown` (n > 0). */
  heardOnce(n: string, count: number): string;
  /** `; more than 99,900 more pairs ignored (… messages, beyond --max-pairs)`. */
  pairsIgnored(more: boolean, pairs: string, messages: string): string;
  tableHead: { sim: string[]; watch: string[] };
  ago(d: string): string;
  andMore(n: number, counts?: string): string;
  pairsLine(total: number, counts: string): string;
  watchAbout: { title: string; footer: string[] };
  classroomAbout: { title: string; footer: string[] };
  classroomStart(count: number, group: string, where: string, interval: number, how: string): string;
  classroomHow(runFor: number | undefined, untilOk: boolean): string;
  embeddedWhere: string;
  /** classroom's own refusals: no count of pairs, a roster of another class's shape, a count and a roster that differ. */
  classroomHowMany: string;
  classroomRosterNames(group: string): string;
  classroomPairsAndRoster(pairs: number, names: number): string;
  /** classroom could not follow its class's topics on the broker (`why`: the client's reason, worded). */
  cannotObserve(filter: string, where: string, why: string): string;
  /** --listen without --broker: the embedded broker is not reachable from the students' computers. */
  embeddedLocalOnly: string;
  // The flags watch and classroom share (tools/cli/class-options.ts), and watch's own.
  goesWithWeb(flag: string): string;
  langValue(value: string): string;
  topicLevel(flag: string, example: string, value: string): string;
  /** --roster's file cannot be read: `why` as fileWhy. */
  rosterUnreadable(file: string, why: string): string;
  /** A '.' in a class's topic level, which RabbitMQ turns into a '/'. */
  dotNote(value: string): string;
  listenAddress(value: string): string;
  listenNoPort(webPort: number, example: string): string;
  studentBrokerWs(value: string): string;
  studentBrokerAccount(value: string): string;
  schoolAndClass: string;
  // The broker flags: a TLS flag for a broker without TLS (`write`: a broker was given, else none).
  tlsOnly(flag: string, write: boolean): string;
  // sim's own: --program with --role, --role.
  programOneBoard: string;
  unknownRole(role: string, roles: readonly string[]): string;
  chatNeedsNamePeer: string;
  /** chat's --name or --peer under --prefix is no topic (`why`: topicWhy's phrase). */
  chatNotATopic(key: string, value: string, prefix: string, why: string): string;
  /** Why a topic or filter is refused, as a phrase (chatNotATopic's `why`, exploreFilter's). */
  topicWhy(why: TopicWhy): string;
  /** explore's -t: a filter that cannot be subscribed to. */
  exploreFilter(filter: string, why: TopicWhy): string;
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
    /** The run's last line; `firstForeign`, `firstOther`: an example of each kind of stray message. */
    summary(ok: number, of: number, stopped: number, foreign: number, other: number, firstForeign?: StrayMessage, firstOther?: StrayMessage): string;
    /** Another message on a topic of no pair, after the summary's example. */
    noPairTopic(m: StrayMessage): string;
  };
  shortRun(seconds: string, interval: number): string;
  boardsDetails(up: number, of: number, hellos: number, replies: number, reconnects: number): string;
  // mqtt-pair setup (tools/cli/setup.ts, tools/setup/): the roster's names, its state file, a board's answers.
  setup: SetupCliWords;
  // mqtt-pair program (tools/cli/program.ts): a student's program sent to a board over USB.
  program: ProgramCliWords;
}

/** The board's own reasons (its console line) stay in English, as its console does. */
export interface ProgramCliWords {
  /** What the command does, for --help. */
  title: string;
  which: string;
  /** The program's file cannot be read: `why` as fileWhy. */
  noFile(file: string, why: string): string;
  empty(file: string): string;
  tooLarge(file: string, bytes: number, max: number): string;
  /** Bytes that are not UTF-8, first on line `line`. */
  notUtf8(file: string, line: number): string;
  nameTooLong(name: string, max: number): string;
  /** The board refused it: the reason's code and facts it sent (tools/words/program-refusal.ts). */
  refused(r: ProgramRefusal): string;
  /** The board has no command for programs: an older firmware. */
  oldFirmware(port: string): string;
  /** The board stopped answering mid-way. */
  cutOff(port: string): string;
  sent(name: string, bytes: number, hash: string): string;
  /** Printing the board's console from now on. */
  following(seconds: number | undefined): string;
  shown(name: string, bytes: number, hash: string): string;
  /** The board runs without its program (safe mode): stopped `stops` times in a row, the last for `code` (`l`, `m`, `s`, `r`: src/setup/program-store.ts's StopCode). */
  safeMode(stops: number, code: string): string;
  /**
   * The board's program events (docs/improv.md), among its console lines: it started the program
   * (its name), the program threw (line and column when known, the engine's message, made
   * printable), the board stopped it (`code` as in safeMode) and restarts, `count` of `of`.
   */
  started(name: string): string;
  threw(line: number | null, column: number | null, message: string): string;
  stopped(code: string, count: number, of: number): string;
  /** The board restarted: the program's last run stopped without a word then (memory full, a reset…), `count` of `of`; at `of`, safe mode. */
  restarted(code: string, count: number, of: number): string;
  none: string;
  cleared: string;
  nothingToClear: string;
  onlyOne: string;
}

export interface SetupCliWords {
  /** Where in the roster, before what is wrong there: its line, and what it holds when worth showing. */
  onLine(line: number, shown?: string): string;
  /** A roster's line with more than two names. */
  onePairALine: string;
  /** A roster's line with a + in it (watch's and classroom's --roster). */
  notATopic: string;
  /** A first name on watch's or classroom's --roster without --school and --class. */
  needsClass(name: string): string;
  /** A roster with no name. */
  noName: string;
  tooManyPairs(pairs: number, max: number): string;
  /** A name refused (studentName's why): what is wrong with it and what to type. */
  badName(name: string, why: 'chars' | 'compat' | 'mixed', scripts: string[]): string;
  /** A name already on the roster's line `line` as `other` (the same name, or one that reads alike). */
  nameTwice(name: string, line: number, other: string): string;
  /** The state file stayed locked by another setup for too long. */
  locked(lock: string, seconds: number): string;
  /** The state file is not what setup writes. */
  badState(file: string): string;
  /** A state file of the old format (by slot index), read and rewritten by name; the old one kept. */
  migrated(file: string, backup: string): string;
  /** Two setups at once wanted the same student: this board gets the next one. */
  classFull(students: number, roster: string, state: string): string;
  /** A board that kept sending and never ended its answer. */
  overflow(port: string, max: number): string;
  /** --replace without --roster. */
  replaceNeedsRoster(name: string): string;
  /** `mqtt-pair image`: which platform; MODDABLE unset; what it wrote (its first and its last lines, the parts between). */
  imageWhichBoard: string;
  imageNoModdable: string;
  imageRead(name: string, version: string, family: string, variant: string, kb: number, source: string): string;
  imageWritten(shown: string): string[];
  /** A serial port that cannot be opened: why, by kind (the system's own message for another). */
  cannotOpenPort(path: string, why: 'none' | 'denied' | 'busy' | string): string;
  /** The serialport package (optional) is not installed: how to install it, or the page instead. */
  noSerialPackage: string;
  /** setup --list: no port; a port that is likely a board. */
  noSerialPort: string;
  likelyBoard(board: string): string;
  /** `setup --web`'s first line. */
  pageBanner(url: string): string;
  /** A board set up: `who` is its student (with `pair`, `esp`, `role`, `peer`), or only its role without a roster. */
  setUp(
    board: string,
    chip: string,
    version: string,
    who: { name?: string; pair?: number; esp?: number; role: string; peer?: string },
    prefix: string,
    ssid: string,
  ): string;
  /** Its first message at the broker. */
  firstMessage(where: string, topic: string, text: string): string;
  /** Nothing at the broker in time; `last` is the board's last console line (its own words), if any. */
  nothingCame(topic: string, where: string, seconds: number, problem: string, responder: boolean, last: string | undefined): string;
  /** The board's Improv error, by code (docs/improv.md); a code without words of its own is said as a number. */
  boardError(code: number): string;
  /** The board on `port` runs another firmware (its name as it said it, made printable). */
  otherFirmware(port: string, firmware: string): string;
  /** The board lacks settings it needs to start (`broker`, `role`): which flags give them. */
  lacks(keys: string[]): string;
  /** The board has no WiFi stored, and none was given. */
  noWifi: string;
  /** The board stopped answering a command (it answered before). */
  silent(port: string): string;
  /** A setting the board refused: its key, reason code and facts, as it sent them (tools/words/refusal.ts). */
  refused(r: SettingRefusal): string;
  /** No answer from the port. */
  noAnswer(port: string, seconds: number): string;
  /** The other usage errors of setup. */
  webOrPort: string;
  passwordNeedsSsid: string;
  rosterNeedsClass: string;
  /** The roster cannot be read: `why` as fileWhy. */
  cannotReadRoster(roster: string, why: string): string;
  passwordOnPage: string;
  settingsWithPort: string;
  whichBoard: string;
  imageWithWeb: string;
  noManifest(image: string): string;
  notASetting(key: string, keys: string): string;
  /** --program with --web: the page chooses the program itself. */
  programOnPage: string;
  /** --replace NAME: NAME is on no line of the roster. */
  notOnRoster(name: string, roster: string): string;
  /** --replace NAME: NAME's boards (`boards`, none when it had none yet) are forgotten; the next board plugged in takes the student. */
  replaced(name: string, boards: string[]): string;
}
