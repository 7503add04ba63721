// The words in English: the tiles, the class page, the students' page (tools/words/words.ts says
// what each is). French in fr.ts.

import type { Crossing, PairFailure } from '../classroom/view-model';
import type { ClassPageWords, StudentPageWords, TileWords } from './words';
import { troubleEn } from './close-why';

const num = (n: number) => n.toLocaleString('en-GB');
const s = (n: number) => (n === 1 ? '' : 's');
const dec = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1, useGrouping: false });
/** When an activity last spoke: « just now » under a second, as a projector is read (not « 445 ms ago »). */
const ago = (d: string, ms: number) => (ms < 1000 ? 'just now' : `${d} ago`);

export const tileWords: TileWords = {
  label: {
    ok: 'OK',
    silent: 'Silent',
    unheard: 'Silent',
    noReply: 'No reply',
    noHello: 'Waiting',
    replyOnly: 'Waiting',
    waitReply: 'Waiting',
    quiet: 'Waiting',
    neverConnected: 'Never connected',
    starting: 'Starting',
    connecting: 'Connecting',
    reconnecting: 'Reconnecting',
    crossed: 'Crossed topics',
    stopped: 'Stopped',
    notYet: 'Not yet',
    sensor: 'Weather station',
    sensorOffline: 'Sensor offline',
    chat: 'Chat',
    remote: 'Remote',
    student: 'Online',
    studentLeft: 'Left',
    otherActivity: 'Other activity',
    doubled: 'Two responders',
  },
  why: {
    ok: (d, ms) => (ms < 1000 ? 'last round trip just now' : `last round trip ${d} ago`),
    silent: (d) => `nothing heard for ${d}`,
    unheard: (d) => `nothing heard for ${d}`,
    noReply: (d) => `no reply for ${d}: is ESP#2 on?`,
    noHello: () => 'no hello yet',
    replyOnly: () => 'a reply, but no hello seen yet',
    waitReply: (d) => `hello sent ${d} ago, no reply yet`,
    quiet: (d) => `quiet for ${d}`,
    neverConnected: () => 'on the class list: no hello yet',
    starting: () => 'waiting for its turn to connect',
    connecting: (_d, _ms, f) => `${f.boards ?? 0} of 2 boards connected`,
    reconnecting: (_d, _ms, f) => `${f.boards ?? 0} of 2 boards connected`,
    crossed: (_d, _ms, f) => (f.crossing ? crossing(f.crossing) : 'a message crossed into this pair'),
    stopped: () => 'stopped from this page',
    notYet: (d) => `on the class list: not heard yet (${d} since the start)`,
    sensor: (d, ms, f) =>
      `publishes ${[f.temperature !== undefined && `${dec(f.temperature)} °C`, f.pressure !== undefined && `${dec(f.pressure)} hPa`].filter(Boolean).join(' · ') || 'its values'}, ${ms < 1000 ? 'just now' : `last ${d} ago`}`,
    sensorOffline: () => 'its status says offline: the board left without a goodbye (its will)',
    chat: (d, ms) => `chatting: last message ${ago(d, ms)}`,
    remote: (d, ms, f) => (f.command ? `last command "${f.command}", ${ago(d, ms)}` : `last command ${ago(d, ms)}`),
    student: () => "online on the students' page",
    studentLeft: () => "left the students' page",
    otherActivity: (d, ms) => `publishing on other topics, ${ms < 1000 ? 'just now' : `last ${d} ago`}`,
    doubled: () => 'more replies than hellos: a second responder answers (another ESP#2, a Node-RED flow?)',
  },
  crossing,
  failure,
};

/**
 * A board's last failure, as its event gave it: the client's own reason kept, in English as the
 * board's console says it (src/apps/events.ts).
 */
function failure({ esp, failure: f }: PairFailure): string {
  if (f.event === 'refused') return `ESP#${esp}: subscription refused: ${f.reason}`;
  return `ESP#${esp}: ${f.wasConnected ? 'lost its connection to' : 'could not connect to'} the broker: ${f.reason}`;
}

/** What crossed into a pair, as PairCheck found it. */
function crossing(c: Crossing): string {
  const who = 'by' in c && c.by === 'esp2' ? 'ESP#2 got' : 'the observer saw';
  switch (c.code) {
    case 'replyNotSent':
      return `ESP#1 got a "received" that its ESP#2 did not send (${c.got} received, ${c.sent} sent)`;
    case 'offTopic':
      return `ESP#2 got "${c.text}" on ${c.topic}, not on its own hello topic`;
    case 'notHello':
      return `${who} "${c.text}" on ${c.topic}, not a hello of its ESP#1`;
    case 'helloAhead':
      return `${who} "${c.text}" on ${c.topic}, but its ESP#1 has sent only ${c.sent} hellos (#0 to #${c.sent - 1})`;
    case 'helloBack':
      return `${who} "${c.text}" on ${c.topic} after Hello #${c.last}: another board publishes on this pair's topic`;
    case 'notReply':
      return `the observer saw "${c.text}" on ${c.topic}, not its ESP#2's "received"`;
    case 'tooManyReplies':
      return `the observer saw ${c.seen} messages on ${c.topic}, its ESP#2 sent ${c.sent}`;
  }
}

export const classWords: ClassPageWords = {
  locale: 'en-GB',
  pairs: (n) => `${n} pair${s(n)}`,
  students: (n) => `${n} student${s(n)} on the students' page`,
  ok: 'OK',
  wait: 'waiting',
  silent: 'in trouble',
  okLegend: 'OK',
  okMeans: 'its last hello got its reply',
  waitLegend: 'Waiting',
  waitMeans: 'starting, reconnecting, or waiting for a reply',
  silentLegend: 'Silent · No reply · Never connected',
  silentMeans: (after) => `nothing, or no reply, for about 3 intervals (${after})`,
  empty: 'Waiting for the first hello: no pair has published on <prefix>hello yet.',
  last: (n) => (n === null ? 'no hello seen' : `last: Hello #${n}`),
  seen: (h, r) => `seen here: ${num(h)} hello${s(h)}, ${num(r)} repl${r === 1 ? 'y' : 'ies'}`,
  boards: (b) => `boards ${b}/2 connected`,
  reconnects: (n) => `${n} reconnect${s(n)}`,
  other: (n) => `${n} other message${s(n)} (another activity)`,
  retained: (n) => `${n} retained (old)`,
  runsProgram: (b, name) => `${b}: own program «\u00a0${name}\u00a0»`,
  runsRole: (b, role) => `${b}: built-in role (${role})`,
  protocol: (yes) =>
    yes
      ? 'follows the pair protocol: «\u00a0Hello\u00a0#N\u00a0» answered by «\u00a0received\u00a0»'
      : 'pair protocol not seen yet: no «\u00a0Hello\u00a0#N\u00a0» answered by «\u00a0received\u00a0»',
  hash: (h) => `hash ${h}`,
  stop: 'Stop',
  start: 'Start',
  identify: 'Identify',
  identifyTitle: 'The boards of this pair blink their LED for 5 s',
  ignored: (n, more, m) => `${more ? 'more than ' : ''}${num(n)} more pairs not shown (--max-pairs): ${num(m)} messages`,
  once: (n) => `${num(n)} prefix${n === 1 ? '' : 'es'} heard only once, not shown (until a hello is answered)`,
  others: (n) => `${num(n)} message${s(n)} under the class on other topics (not judged)`,
  interval: 'hello interval',
  running: 'running for',
  live: 'live view, updated every second',
  updated: 'last update',
  watching: (filters, where) => `watching ${filters} on ${where}`,
  simulated: (n, where, runFor) => `${n} simulated pairs on ${where}${runFor ? ` · a ${runFor} run` : ''}`,
  finished: (r) => `Finished: ${r.ok}/${r.of} pairs ok${r.stopped ? ` (${r.stopped} stopped from this page)` : ''}`,
  noBroker: (t) => `Not connected to the broker: ${troubleEn(t)}`,
  lost: 'Lost the connection to mqtt-pair (is it still running?): trying again…',
};

export const studentWords: StudentPageWords = {
  title: 'MQTT in class',
  me: 'My first name',
  peer: "My partner's first name",
  broker: 'Broker (WebSocket)',
  user: 'User (if asked)',
  password: 'Password (if asked)',
  connect: 'Connect',
  leave: 'Disconnect',
  tabChat: 'Chat',
  tabRemote: 'Sensor / actuator',
  tabLab: 'Lab',
  message: 'Message',
  pubMessage: 'Message to publish',
  send: 'Send',
  online: 'online',
  offline: 'offline',
  unknown: 'not seen yet',
  notConnected: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected to',
  lost: 'Connection lost',
  failed: 'Cannot connect',
  closeWhy: () => '',
  retry: 'trying again in',
  seconds: 's',
  colon: ': ',
  needNames: "Type your first name and your partner's.",
  samePeer: "Your partner's first name must differ from yours.",
  badName: 'A first name cannot hold /, + or #, nor an invisible or control character.',
  notWebSocket: (address) => `"${address}" is not a WebSocket address; type one like ws://192.168.1.144:9001`,
  sensorTitle: 'Sensor: my arrows',
  sensorHelp: 'The arrow keys or these buttons send a command on',
  actuatorTitle: 'Actuator: the commands of',
  actuatorHelp: 'This block takes the colour the command received on',
  up: 'up',
  down: 'down',
  left: 'left',
  right: 'right',
  sent: 'Sent:',
  received: 'Received:',
  unknownCommand: 'unknown command',
  labConn: 'My lab connection',
  willTopic: 'Will topic',
  willMessage: 'Will message',
  willGone: 'lost without a goodbye',
  retain: 'retain',
  clean: 'Clean session',
  labConnect: 'Connect the lab',
  labEnd: 'Disconnect cleanly',
  labCut: 'Cut abruptly',
  publish: 'Publish',
  topic: 'Topic',
  subscribe: 'Subscribe',
  filter: 'Filter (+ and # allowed)',
  unsubscribe: 'Unsubscribe',
  messages: 'Messages received',
  time: 'Time',
  qos: 'QoS',
  labUp: 'Lab connected, client id',
  labDown: 'Lab disconnected',
  labCutDone: 'Connection cut without DISCONNECT: the broker publishes the will.',
  labEndDone: 'DISCONNECT sent: no will.',
  sessionPresent: 'session present',
  subscribed: 'Subscribed to',
  granted: 'granted QoS',
  refused: 'refused',
  published: 'Published on',
  error: 'Error',
  control: 'holds an invisible or control character, which the broker refuses: type it again',
  openWarning: "This page is open to the room's whole network: anyone on that network can open it.",
  you: 'me',
  writeOn: 'I write on',
  readFrom: 'I read',
  nameTaken: (name) =>
    `"${name}" is already connected in this class (another tab, or another student with that name): change your name (e.g. "${name} B."), or click Connect again to keep it.`,
  colourNames: { red: 'red', green: 'green', blue: 'blue', yellow: 'yellow', cyan: 'cyan', magenta: 'magenta', white: 'white', off: 'off' },
  yes: 'yes',
  no: 'no',
};
