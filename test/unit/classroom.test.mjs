// The classroom's domain, with time passed in: a tile's colour and why (look.ts), the order of the
// tiles, the roster's lines, and the judge of a simulated pair fed by its boards' events
// (pair-check.ts), as `watch` and `classroom` use them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { virtualHost } from '../helpers/virtual-host.mjs';

import {
  lookOf,
  sortTiles,
  countStates,
  parseRoster,
  PairCheck,
  BoardCounts,
  ClassObserver,
  cliWords,
  verdictLine,
  tileWords,
  tileWordsFr,
  duration,
} from '../../dist/testing.js';

/** A verdict in English, as `mqtt-pair classroom` ends with it. */
const verdictEn = (v) => verdictLine(v, cliWords('en').classroomEnd.verdict);
/** A tile's reason in English, as the terminal words it from its code and facts. */
const whyEn = (l) => tileWords.why[l.reason](duration(l.ms ?? 0), l.ms ?? 0, l.facts ?? {});

/** A pair as the observer keeps it, first heard at t=0. */
function pair(over = {}) {
  return {
    prefix: 'S/C/alice/',
    name: 'alice',
    group: 'S/C',
    hellos: 0,
    replies: 0,
    rounds: 0,
    lastHello: null,
    firstAt: 0,
    lastAt: 0,
    lastHelloAt: 0,
    lastReplyAt: 0,
    awaiting: false,
    gaps: [],
    expected: false,
    kept: false,
    present: false,
    other: 0,
    retained: 0,
    heardAt: over.expected ? 0 : 1,
    otherAt: 0,
    otherGaps: [],
    facts: {},
    ...over,
  };
}

describe('a tile: its colour and why, from what was seen and when', () => {
  const interval = 1000;
  test('green after a round trip, while replies keep coming', () => {
    const p = pair({ hellos: 3, replies: 3, rounds: 3, lastAt: 9000, lastHelloAt: 8900, lastReplyAt: 9000 });
    const look = lookOf(p, 9500, interval);
    assert.equal(look.state, 'ok');
    assert.equal(look.reason, 'ok');
  });

  test('amber while a hello waits for its reply, red once it waited about 3 intervals', () => {
    const p = pair({ hellos: 3, replies: 2, rounds: 2, awaiting: true, lastAt: 9000, lastHelloAt: 9000, lastReplyAt: 8000 });
    assert.equal(lookOf(p, 9300, interval).state, 'ok', 'a reply is waited for half an interval');
    assert.equal(lookOf(p, 9700, interval).state, 'wait');
    const late = lookOf(p, 8000 + 3600, interval);
    assert.equal(late.state, 'silent');
    assert.equal(late.reason, 'noReply');
  });

  test('red when silent for about 3 intervals, never before 3 s', () => {
    const p = pair({ hellos: 2, replies: 2, rounds: 2, lastAt: 1000, lastHelloAt: 1000, lastReplyAt: 1000 });
    assert.equal(lookOf(p, 1000 + 2900, 200).state === 'silent', false, 'under 3 s: not red, whatever the interval');
    assert.equal(lookOf(p, 1000 + 3600, interval).state, 'silent');
  });

  test('a roster pair never heard is amber while the lesson starts, then red, "never connected"', () => {
    const p = pair({ expected: true, kept: true, lastAt: 0 });
    const early = lookOf(p, 60_000, interval, 5 * 60_000);
    assert.equal(early.state, 'wait');
    assert.equal(early.reason, 'notYet');
    const late = lookOf(p, 5 * 60_000 + 1, interval, 5 * 60_000);
    assert.equal(late.state, 'silent');
    assert.equal(late.reason, 'neverConnected');
  });

  test('more replies than hellos: a second responder is flagged in words, not green', () => {
    const p = pair({ hellos: 51, replies: 60, rounds: 51, lastAt: 9000, lastHelloAt: 8900, lastReplyAt: 9000 });
    const look = lookOf(p, 9500, interval);
    assert.equal(look.reason, 'doubled');
    assert.equal(look.state, 'wait');
    assert.match(whyEn(look), /second responder/);
  });

  test('the interval is learnt from the hellos: a slow pair is not red at the default interval', () => {
    const gaps = [10_000, 10_000, 10_000];
    const p = pair({ hellos: 4, replies: 4, rounds: 4, gaps, lastAt: 30_000, lastHelloAt: 30_000, lastReplyAt: 30_000 });
    assert.notEqual(lookOf(p, 30_000 + 8000, interval).state, 'silent');
  });

  test('tiles in trouble first, then by group and natural name order', () => {
    const t = (name, state) => ({ name, state, group: 'S/C' });
    const order = sortTiles([t('bob10', 'ok'), t('bob2', 'ok'), t('zoe', 'silent'), t('adam', 'wait')]).map((x) => x.name);
    assert.deepEqual(order, ['zoe', 'adam', 'bob2', 'bob10']);
  });
});

describe('the observer on a clock passed in: every activity, and a pair that starts late', () => {
  const G = 'LycMaurois/SNT_2nde/';
  /** An observer of the class on a virtual clock (never connected: the messages are fed to it). */
  function observe(roster = []) {
    const host = virtualHost({ start: 0 });
    let now = 0;
    host.now = () => now;
    const o = new ClassObserver(
      { host: '127.0.0.1', port: 1883 },
      { school: 'LycMaurois', className: 'SNT_2nde', clientId: 't', interval: 5000, roster: roster.map((n) => `${G}${n}/`), lateAfter: 5 * 60_000 },
      host,
    );
    return { o, at: (t) => (now = t), tile: (name) => o.tiles().find((x) => x.name === name) };
  }

  test('the weather station is alive with its values, red once silent or once its will says offline', () => {
    const { o, at, tile } = observe(['meteo']);
    for (let t = 0; t <= 10_000; t += 1000) {
      at(t);
      o.message(`${G}meteo/myRasp/sensors/temperature`, '20.7');
      o.message(`${G}meteo/myRasp/sensors/pression`, '1013.2');
    }
    at(10_500);
    const alive = tile('meteo');
    assert.equal(alive.state, 'ok', JSON.stringify(alive));
    assert.equal(alive.reason, 'sensor');
    assert.deepEqual(alive.facts, { temperature: 20.7, pressure: 1013.2, sensorOnline: true });
    assert.equal(whyEn(alive), 'publishes 20.7 °C · 1013.2 hPa, just now', 'under a second: no « 500 ms ago » on a projector');
    at(10_000 + 3600);
    assert.equal(tile('meteo').state, 'silent', 'silent about 3 of its 1 s periods (3 s at least)');
    at(14_000);
    o.message(`${G}meteo/myRasp/sensors/temperature`, '20.8');
    assert.equal(tile('meteo').state, 'ok');
    o.message(`${G}meteo/myRasp/sensors/status`, 'offline');
    assert.equal(tile('meteo').reason, 'sensorOffline');
    assert.equal(tile('meteo').state, 'silent');
  });

  test("a chat, a remote and a student on the students' page are alive in their activity", () => {
    const { o, at, tile } = observe(['alice', 'bob', 'carla']);
    at(1000);
    o.message(`${G}alice`, 'salut bob');
    o.message(`${G}alice`, 'ça va ?');
    o.message(`${G}bob/remote/command`, 'up');
    o.message(`${G}bob/remote/command`, 'left\u001b[2J');
    o.message(`${G}carla/status`, 'online', true);
    at(20_000);
    assert.deepEqual([tile('alice').state, tile('alice').reason], ['ok', 'chat']);
    assert.deepEqual([tile('bob').state, tile('bob').reason], ['ok', 'remote']);
    assert.equal(tile('bob').facts.command, 'left\\x1b[2J', 'a command from the network is shown as text');
    assert.deepEqual([tile('carla').state, tile('carla').reason], ['ok', 'student']);
    assert.doesNotMatch(whyEn(tile('alice')), /salut/, 'the chat itself is not shown on the projector');
    assert.equal(whyEn(tile('alice')), 'chatting: last message 19 s ago');
    assert.equal(whyEn(tile('bob')), 'last command "left\\x1b[2J", 19 s ago');
    at(1400);
    assert.equal(whyEn(tile('alice')), 'chatting: last message just now');
    assert.equal(whyEn(tile('bob')), 'last command "left\\x1b[2J", just now');
    at(20_000);
    o.message(`${G}carla/status`, 'offline');
    assert.notEqual(tile('carla').state, 'ok');
    at(20_000 + 6 * 60_000);
    assert.equal(tile('alice').state, 'wait', 'a chat quiet for minutes is amber, not red');
  });

  test("students on the students' page, off the roster, are shown apart: not pairs, not counted as pairs", () => {
    const { o, at, tile } = observe(['alice']);
    at(1000);
    o.message(`${G}alice/hello`, 'Hello #0');
    o.message(`${G}alice/notification`, 'received');
    // bob (alice's partner), zoe and yanis on the students' page: their pages say online, bob chats.
    for (const n of ['bob', 'zoe', 'yanis']) o.message(`${G}${n}/status`, 'online', n === 'yanis');
    o.message(`${G}bob`, 'salut alice');
    o.message(`${G}bob`, 'ça va ?');
    at(2000);
    o.message(`${G}alice/hello`, 'Hello #1');
    o.message(`${G}alice/notification`, 'received');
    o.message(`${G}zoe/status`, 'offline');
    const tiles = o.tiles();
    assert.deepEqual(
      tiles.filter((x) => x.student).map((x) => [x.name, x.state, x.reason]),
      [
        ['zoe', 'wait', 'studentLeft'],
        ['bob', 'ok', 'student'],
      ],
    );
    assert.equal(tile('alice').student, undefined, 'a pair stays a pair');
    assert.deepEqual(countStates(tiles), { ok: 1, wait: 0, silent: 0, total: 1, students: 2 }, '« 1 binôme », and its students apart');
    // A student of the roster (a pair named after them) stays a pair's tile.
    const r = observe(['carla']);
    r.at(1000);
    r.o.message(`${G}carla/status`, 'online');
    assert.equal(r.tile('carla').student, undefined);
    assert.equal(countStates(r.o.tiles()).total, 1);
  });

  test('a pair off the roster on another activity gets its tile, once it proved it is no one-off', () => {
    const { o, at, tile } = observe();
    at(0);
    o.message(`${G}zoe/myRasp/sensors/temperature`, '21');
    assert.equal(tile('zoe'), undefined, 'one message only: not shown yet');
    at(1000);
    o.message(`${G}zoe/myRasp/sensors/temperature`, '21.1');
    assert.equal(tile('zoe')?.reason, 'sensor');
  });

  test('a roster pair that starts late counts its silence from its first sign of life', () => {
    const { o, at, tile } = observe(['alice']);
    at(60_000);
    assert.equal(tile('alice').reason, 'notYet');
    at(7 * 60_000 + 36_000);
    assert.equal(tile('alice').reason, 'neverConnected');
    // alice's ESP#1 starts at 7 min 36 s, its ESP#2 a few seconds later.
    o.message(`${G}alice/hello`, 'Hello #0');
    at(7 * 60_000 + 38_000);
    const first = tile('alice');
    assert.notEqual(first.state, 'silent', `not red at once: ${first.reason} ${whyEn(first)}`);
    o.message(`${G}alice/notification`, 'received');
    o.message(`${G}alice/hello`, 'Hello #1');
    o.message(`${G}alice/notification`, 'received');
    assert.equal(tile('alice').state, 'ok');
  });
});

describe('the roster', () => {
  test('first names under the class, comments and blank lines skipped, each once', () => {
    assert.deepEqual(parseRoster('alice\n# the back row\n\nbob  # late\r\nalice\nOther/Class/zoe\n', 'S/C'), ['S/C/alice/', 'S/C/bob/', 'Other/Class/zoe/']);
  });
  test('one pair a line: the first of its two names is the pair, as setup --roster reads the same file', () => {
    assert.deepEqual(parseRoster('alice bob\nchloe  david\nemma\n', 'S/C'), ['S/C/alice/', 'S/C/chloe/', 'S/C/emma/']);
    assert.throws(() => parseRoster('alice bob chloe\n', 'S/C'), { problem: { code: 'onePairALine', line: 1, shown: 'alice bob chloe' } });
  });
  test("names compared without case: « Karim » is the pair karim's boards and chat write", () => {
    assert.deepEqual(parseRoster('Karim Léa\nkarim\nZOÉ\n', 'S/C'), ['S/C/karim/', 'S/C/zoé/']);
  });
  test('a wrong line is named', () => {
    // A problem is a code and its facts: the command words it (tools/words/cli.ts, setupLine).
    assert.throws(() => parseRoster('alice\nbob#\nc+d\n', 'S/C'), { problem: { code: 'notATopic', line: 3, shown: 'c+d' } });
    assert.throws(() => parseRoster('alice\n', undefined), { problem: { code: 'needsClass', name: 'alice' } });
    assert.throws(() => parseRoster('# nobody\n', 'S/C'), { problem: { code: 'noName' } });
    assert.throws(() => parseRoster(Array.from({ length: 1001 }, (_, i) => `n${i}`).join('\n'), 'S/C'), {
      problem: { code: 'tooManyPairs', pairs: 1001, max: 1000 },
    });
  });
});

describe("a simulated pair's judge, fed by its boards' events", () => {
  function running() {
    const c = new PairCheck('alice', 'S/C/alice/');
    c.esp1 = new BoardCounts(0);
    c.esp2 = new BoardCounts(0);
    return c;
  }
  /** One round trip: ESP#1 says Hello #n, ESP#2 gets it and answers, the observer sees both, ESP#1 hears the answer. */
  function round(c, n) {
    const hello = { type: 'hello', n };
    c.esp1.count(hello);
    c.esp1Event(hello);
    const got = { type: 'received', topic: 'S/C/alice/hello', text: `Hello #${n}` };
    c.esp2.count(got);
    c.esp2Event(got);
    c.esp2.count({ type: 'reply' });
    c.observed('hello', `Hello #${n}`);
    c.observed('notification', 'received');
    c.esp1Event({ type: 'answered' });
  }

  test('3 round trips and nothing crossed: ok', () => {
    const c = running();
    for (const e of [{ type: 'connected', broker: 'b', topics: [] }]) {
      assert.equal(c.esp1.count(e), true, 'the first connection is told');
      c.esp2.count(e);
    }
    assert.deepEqual(c.verdict(), { code: 'noHello', rounds: 0, last: null });
    assert.match(verdictEn(c.verdict()), /ESP#1 sent no hello/);
    for (let n = 0; n < 3; n++) round(c, n);
    assert.equal(c.verdict(), null);
    assert.equal(c.boardsConnected, 2);
    assert.equal(c.hellos, 3);
  });

  test('a hello its ESP#1 never sent is a crossing', () => {
    const c = running();
    round(c, 0);
    c.observed('hello', 'Hello #7');
    assert.equal(c.verdict().code, 'crossed');
    assert.match(verdictEn(c.verdict()), /crossed topics \(1\): the observer saw "Hello #7" on S\/C\/alice\/hello, but its ESP#1 has sent only 1 hellos/);
  });

  test('a hello going back, another topic, or an answer ESP#2 did not send: crossings', () => {
    const c = running();
    round(c, 0);
    round(c, 1);
    c.observed('hello', 'Hello #1');
    c.esp2Event({ type: 'received', topic: 'S/C/bob/hello', text: 'Hello #0' });
    c.esp1Event({ type: 'answered' });
    c.observed('notification', 'hi');
    assert.equal(c.violations, 4);
    const [back, offTopic, notSent] = c.problems.map(tileWords.crossing);
    assert.match(back, /after Hello #1: another board publishes/);
    assert.match(offTopic, /not on its own hello topic/);
    assert.match(notSent, /did not send \(3 received, 2 sent\)/);
  });

  test("after ESP#1 restarts, its hellos count from #0 again; a lost connection is the pair's last error", () => {
    const c = running();
    round(c, 0);
    round(c, 1);
    c.esp1Restarted();
    round(c, 0);
    assert.equal(c.violations, 0);
    c.esp2.count({ type: 'closed', reason: 'connection reset', kind: 'lost', retryIn: 1000, wasConnected: true, failures: 1, restarting: false });
    // Codes and facts, as the event gave them: no words in the domain.
    assert.deepEqual(c.lastFailure, { esp: 2, failure: { event: 'closed', kind: 'lost', code: undefined, wasConnected: true, reason: 'connection reset' } });
  });

  test("a pair's last failure: facts in the domain, worded by tools/words/ in English and in French, for the tile and the verdict", () => {
    const c = running();
    c.esp1.count({
      type: 'closed',
      reason: 'connection refused: not authorized',
      kind: 'refused',
      code: 5,
      retryIn: 1000,
      wasConnected: false,
      failures: 1,
      restarting: false,
    });
    const last = c.lastFailure;
    assert.deepEqual(last, {
      esp: 1,
      failure: { event: 'closed', kind: 'refused', code: 5, wasConnected: false, reason: 'connection refused: not authorized' },
    });
    assert.equal(tileWords.failure(last), 'ESP#1: could not connect to the broker: connection refused: not authorized');
    assert.equal(tileWordsFr.failure(last), 'ESP#1 : pas de connexion au broker : le broker a refusé la connexion (code 5)');
    assert.deepEqual(c.verdict(), { code: 'noHello', rounds: 0, last });
    assert.equal(
      verdictEn(c.verdict()),
      '0 rounds: ESP#1 sent no hello; last error ESP#1: could not connect to the broker: connection refused: not authorized',
    );
    assert.equal(
      verdictLine(c.verdict(), cliWords('fr').classroomEnd.verdict),
      '0 aller-retour : l’ESP#1 n’a envoyé aucun hello ; dernière erreur ESP#1 : pas de connexion au broker : le broker a refusé la connexion (code 5)',
    );
    // A subscription refused: ESP#1's failure comes first; the client's reason is kept as a fact.
    c.esp1.count({ type: 'refused', reason: 'subscription to S/C/alice/notification refused (0x80)' });
    assert.equal(tileWords.failure(c.lastFailure), 'ESP#1: subscription refused: subscription to S/C/alice/notification refused (0x80)');
    assert.match(tileWordsFr.failure(c.lastFailure), /^ESP#1 : abonnement refusé par le broker \(/);
    // The run's last line, from counts and the first stray message of each kind, in both languages.
    const end = (lang) => cliWords(lang).classroomEnd;
    const stray = { topic: 'S/C/mallory/hello', text: 'Hello #0' };
    const other = { topic: 'S/C/alice/t', text: '21.5', retained: true };
    assert.equal(
      end('en').summary(4, 5, 0, 1, 2, stray, other),
      '4/5 pairs ok; 1 message on topics of no pair ("Hello #0" on S/C/mallory/hello); 2 other messages under the class, not judged (retained "21.5" on S/C/alice/t)',
    );
    assert.equal(
      end('fr').summary(4, 5, 1, 1, 0, stray),
      "4/5 binômes ok (1 arrêté depuis la page) ; 1 message sur des topics d'aucun binôme (« Hello #0 » sur S/C/mallory/hello)",
    );
    assert.equal(end('fr').noPairTopic(other), "Topic d'aucun binôme : retenu : « 21.5 » sur S/C/alice/t");
  });

  test('stopped from the page, then started again: the checks count from the new start', () => {
    const c = running();
    round(c, 0);
    c.stop();
    assert.equal(c.hellos, 1);
    // Its last hello and answer, in flight when it stopped, reach the observer afterwards: no crossing.
    c.observed('hello', 'Hello #1');
    c.observed('notification', 'received');
    assert.equal(c.violations, 0);
    c.startAgain();
    c.esp1 = new BoardCounts(0);
    c.esp2 = new BoardCounts(0);
    for (let n = 0; n < 3; n++) round(c, n);
    assert.equal(c.verdict(), null);
    assert.equal(c.hellos, 4);
  });
});
