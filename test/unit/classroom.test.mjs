// The classroom's domain, with time passed in: a tile's colour and why (look.ts), the order of the
// tiles, the roster's lines, and the judge of a simulated pair fed by its boards' events
// (pair-check.ts), as `watch` and `classroom` use them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { lookOf, sortTiles, parseRoster, PairCheck, BoardCounts } = createRequire(import.meta.url)('../../dist/cli.cjs');

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

  test('a roster pair never heard is red, "never connected"', () => {
    const look = lookOf(pair({ expected: true, kept: true, lastAt: 0 }), 60_000, interval);
    assert.equal(look.state, 'silent');
    assert.equal(look.reason, 'neverConnected');
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

describe('the roster', () => {
  test('first names under the class, comments and blank lines skipped, each once', () => {
    assert.deepEqual(parseRoster('alice\n# the back row\n\nbob  # late\r\nalice\nOther/Class/zoe\n', 'S/C'), ['S/C/alice/', 'S/C/bob/', 'Other/Class/zoe/']);
  });
  test('one pair a line: the first of its two names is the pair, as setup --roster reads the same file', () => {
    assert.deepEqual(parseRoster('alice bob\nchloe  david\nemma\n', 'S/C'), ['S/C/alice/', 'S/C/chloe/', 'S/C/emma/']);
    assert.throws(() => parseRoster('alice bob chloe\n', 'S/C'), /line 1 \('alice bob chloe'\): write one pair a line/);
  });
  test('a wrong line is named', () => {
    assert.throws(() => parseRoster('alice\nbob#\nc+d\n', 'S/C'), /line 3 \('c\+d'\) holds \+ or #/);
    assert.throws(() => parseRoster('alice\n', undefined), /'alice' needs --school and --class/);
    assert.throws(() => parseRoster('# nobody\n', 'S/C'), /no name/);
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
    assert.match(c.verdict(), /ESP#1 sent no hello/);
    for (let n = 0; n < 3; n++) round(c, n);
    assert.equal(c.verdict(), '');
    assert.equal(c.boardsConnected, 2);
    assert.equal(c.hellos, 3);
  });

  test('a hello its ESP#1 never sent is a crossing', () => {
    const c = running();
    round(c, 0);
    c.observed('hello', 'Hello #7');
    assert.match(c.verdict(), /crossed topics \(1\): the observer saw "Hello #7" on S\/C\/alice\/hello, but its ESP#1 has sent only 1 hellos/);
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
    assert.match(c.problems[0], /after Hello #1: another board publishes/);
    assert.match(c.problems[1], /not on its own hello topic/);
    assert.match(c.problems[2], /did not send \(3 received, 2 sent\)/);
  });

  test("after ESP#1 restarts, its hellos count from #0 again; a lost connection is the pair's last error", () => {
    const c = running();
    round(c, 0);
    round(c, 1);
    c.esp1Restarted();
    round(c, 0);
    assert.equal(c.violations, 0);
    c.esp2.count({ type: 'closed', reason: 'connection reset', kind: 'lost', retryIn: 1000, wasConnected: true, failures: 1, restarting: false });
    assert.equal(c.lastError, 'ESP#2: Lost connection to MQTT broker: connection reset');
  });

  test('stopped from the page, then started again: the checks count from the new start', () => {
    const c = running();
    round(c, 0);
    c.stop();
    assert.equal(c.hellos, 1);
    c.startAgain();
    c.esp1 = new BoardCounts(0);
    c.esp2 = new BoardCounts(0);
    for (let n = 0; n < 3; n++) round(c, n);
    assert.equal(c.verdict(), '');
    assert.equal(c.hellos, 4);
  });
});
