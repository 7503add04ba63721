// Topic names, topic filters and matching (MQTT 3.1.1 section 4.7).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { topicError, filterError, matches } from '../../dist/index.js';
import { createRng } from '../helpers/packets.mjs';
import { filterWhy, topicWhy } from '../../dist/testing.js';

const SEED = process.env.TOPIC_SEED !== undefined ? Number(process.env.TOPIC_SEED) >>> 0 : 0x746f7063;

/** A topic's or a filter's 65535 limit (`error`: filterError, topicError) counts UTF-8 bytes, not UTF-16 units. */
function utf8Limit(error) {
  test('the 65535 limit is in UTF-8 bytes, not UTF-16 units', () => {
    assert.equal(error('a'.repeat(65535)), '');
    assert.notEqual(error('a'.repeat(65536)), '');
    assert.equal(error('\u4e2d'.repeat(21845)), ''); // 65535 bytes
    assert.equal(error(`${'\u00e9'.repeat(32767)}a`), ''); // 65535 bytes
    assert.notEqual(error('\u4e2d'.repeat(21846)), '', '21846 units but 65538 bytes');
    assert.notEqual(error('\u{1f600}'.repeat(16384)), '', '32768 units but 65536 bytes');
  });
}

describe('filterError', () => {
  test('rejects misplaced wildcards and empty filters, with a message', () => {
    for (const f of ['a/#/b', 'a/b#', 'a+/b', '', '#/a', '##', 'a/#/', 'a/++', '+a', 'a/b+/c', 'sport/tennis#', 'sport+', 'a\u0000b']) {
      const e = filterError(f);
      assert.equal(typeof e, 'string', JSON.stringify(f));
      assert.ok(e.length > 0, `${JSON.stringify(f)} should be rejected`);
    }
  });

  test('accepts well-formed filters', () => {
    for (const f of [
      '#',
      '+',
      'a/+/c',
      '+/+',
      'a/#',
      '/+',
      '+/#',
      '/',
      '//',
      'a//b',
      'sport/tennis/player1/#',
      '$SYS/#',
      '+/tennis/#',
      'myRasp/groundfloor/+/temperature',
      'myRasp/#',
      'myRasp/+/kitchen/#',
      '\u{1f600}/+/\u4e2d',
      'a b/c d',
    ]) {
      assert.equal(filterError(f), '', JSON.stringify(f));
    }
  });

  utf8Limit(filterError);
});

describe('topicError', () => {
  test('rejects wildcards, empty topics and U+0000', () => {
    for (const t of ['+', 'a/#', '', '#', 'a/+/b', 'a+', 'sport/tennis#', 'a\u0000b']) {
      assert.ok(topicError(t).length > 0, `${JSON.stringify(t)} should be rejected`);
    }
  });

  test('accepts ordinary topic names, including empty levels, $ and non-ASCII', () => {
    for (const t of [
      'a',
      '/',
      'a/b/c',
      '/finance',
      'a//b',
      'a/',
      '$SYS/broker/uptime',
      'myRasp/groundfloor/livingroom/temperature',
      '\u{1f600}/\u4e2d',
      'a b',
    ]) {
      assert.equal(topicError(t), '', JSON.stringify(t));
    }
  });

  utf8Limit(topicError);
});

/** The definition, spelled out: split on '/', compare level by level. */
function reference(filter, topic) {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/'),
    t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true; // matches the parent level too: 'a/#' matches 'a'
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

describe('matches', () => {
  const cases = (filter, yes, no) => {
    for (const t of yes) assert.equal(matches(filter, t), true, `${filter} should match ${t}`);
    for (const t of no) assert.equal(matches(filter, t), false, `${filter} should not match ${t}`);
  };

  test('multi-level wildcard (spec 4.7.1.2)', () => {
    cases(
      'sport/tennis/player1/#',
      ['sport/tennis/player1', 'sport/tennis/player1/ranking', 'sport/tennis/player1/score/wimbledon', 'sport/tennis/player1/'],
      ['sport/tennis/player2', 'sport/tennis', 'sport/tennis/player10', 'sport/tennis/player1x/ranking', 'Sport/tennis/player1'],
    );
    cases('sport/#', ['sport', 'sport/', 'sport/tennis', 'sport/tennis/player1'], ['sports', 'spor', 'sportx/a']);
    cases('#', ['sport', '/', 'a/b/c', '/finance'], ['$SYS', '$SYS/broker']);
    cases('a/#', ['a', 'a/', 'a/b', 'a/b/c'], ['b', 'ab', 'b/a']);
  });

  test('single-level wildcard (spec 4.7.1.3)', () => {
    cases('sport/tennis/+', ['sport/tennis/player1', 'sport/tennis/player2', 'sport/tennis/'], ['sport/tennis/player1/ranking', 'sport/tennis']);
    cases('sport/+', ['sport/'], ['sport']);
    cases('+', ['sport', ''], ['/', 'a/b', '$SYS']);
    cases('+/+', ['/finance', 'a/b', '/'], ['finance', 'a/b/c']);
    cases('/+', ['/finance', '/'], ['finance', 'a/finance', '/a/b']);
    cases('+/tennis/#', ['sport/tennis', 'sport/tennis/player1', '/tennis'], ['sport/tennis1', 'tennis']);
    cases('a/+/#', ['a/b', 'a/b/c', 'a/'], ['a', 'b/c']);
  });

  test('topics starting with $ never match a leading + or #', () => {
    cases('#', [], ['$SYS/broker/clients', '$SYS', '$']);
    cases('+/monitor/Clients', ['a/monitor/Clients'], ['$SYS/monitor/Clients']);
    cases('$SYS/#', ['$SYS/monitor/Clients', '$SYS'], ['SYS/monitor']);
    cases('$SYS/monitor/+', ['$SYS/monitor/Clients'], ['$SYS/monitor']);
    cases('+/#', ['a', 'a/b'], ['$SYS/x', '$x']);
    // only the first character counts
    cases('a/#', ['a/$SYS'], []);
    cases('a/+', ['a/$x'], []);
  });

  test('exact filters match only themselves, case and empty levels matter', () => {
    cases('a/b', ['a/b'], ['a/b/', 'a//b', 'A/b', 'a', 'a/bc', '/a/b']);
    cases('/', ['/'], ['', '//', 'a/']);
    cases('\u{1f600}/\u4e2d', ['\u{1f600}/\u4e2d'], ['\u{1f601}/\u4e2d']);
  });

  test("the lab's tree", () => {
    const tree = [
      'myRasp/groundfloor/livingroom/temperature',
      'myRasp/groundfloor/kitchen/temperature',
      'myRasp/groundfloor/kitchen/pression',
      'myRasp/firstfloor/kitchen/temperature',
      'myRasp/groundfloor/kitchen/fridge/temperature',
    ];
    const hits = (filter) => tree.filter((t) => matches(filter, t));
    assert.deepEqual(hits('myRasp/groundfloor/+/temperature'), tree.slice(0, 2));
    assert.deepEqual(hits('myRasp/#'), tree);
    assert.deepEqual(hits('myRasp/+/kitchen/#'), tree.slice(1));
    assert.deepEqual(hits('myRasp/+/kitchen/temperature'), [tree[1], tree[3]]);
    assert.deepEqual(hits('myRasp/groundfloor/kitchen/+'), [tree[1], tree[2]]);
    assert.deepEqual(hits('+/+/+/temperature'), [tree[0], tree[1], tree[3]]);
    assert.deepEqual(hits('myRasp/groundfloor/#'), [tree[0], tree[1], tree[2], tree[4]]);
    assert.deepEqual(hits('myRasp/groundfloor/kitchen'), []);
    assert.deepEqual(hits('#'), tree);
  });

  test(`agrees with a split-on-/ reference on random filters and topics (seed ${SEED})`, () => {
    const rng = createRng(SEED);
    const levels = ['a', 'b', 'ab', '', '$SYS', '$', 'x$', '\u{1f600}', 'A'];
    const topic = () => Array.from({ length: rng.range(1, 5) }, () => rng.pick(levels)).join('/') || 'a';
    let yes = 0,
      no = 0;
    for (let i = 0; i < 50_000; i++) {
      const t = topic();
      let f;
      if (rng.chance(0.2))
        f = t; // equal strings
      else {
        const n = rng.range(1, 5);
        const fl = Array.from({ length: n }, () => (rng.chance(0.3) ? '+' : rng.pick(levels)));
        if (rng.chance(0.3)) fl[n - 1] = '#';
        f = fl.join('/') || '+';
        if (rng.chance(0.3))
          f =
            t
              .split('/')
              .map((l) => (rng.chance(0.3) ? '+' : l))
              .join('/') + (rng.chance(0.3) ? '/#' : '');
      }
      assert.equal(filterError(f), '', `generated filter ${JSON.stringify(f)} is valid`);
      const want = reference(f, t);
      assert.equal(matches(f, t), want, `seed ${SEED} (TOPIC_SEED=${SEED}), case ${i}: matches(${JSON.stringify(f)}, ${JSON.stringify(t)})`);
      if (want) yes++;
      else no++;
    }
    assert.ok(yes > 5000 && no > 5000, `both outcomes tried: ${yes} matches, ${no} not`);
  });
});

describe("the commands' codes for a refused topic or filter (tools/cli/topic-why.ts)", () => {
  // The code says the case src's English line says: the commands word the code, the board prints the line.
  const SAYS = {
    empty: /cannot be empty/,
    long: /at most 65535 bytes/,
    surrogate: /lone surrogate/,
    nul: /U\+0000/,
    hash: /# must be a whole level/,
    plus: /\+ must be a whole level/,
    wildcard: /only for subscribing/,
  };
  test('filters: each refused one gets the code of its reason', () => {
    const filters = ['', 'x'.repeat(65536), 'a/\ud800', 'a\u0000b', 'a/#/b', 'a#', '#/+x', 'a+', 'a/b+/#', '+/#x'];
    for (const f of filters) {
      const e = filterError(f);
      assert.ok(e, JSON.stringify(f));
      assert.match(e, SAYS[filterWhy(f)], JSON.stringify(f));
    }
  });
  test('topics: each refused one gets the code of its reason', () => {
    for (const t of ['', 'é'.repeat(32768), 'a\udc00', 'a/+', 'a/#', 'x\u0000']) {
      const e = topicError(t);
      assert.ok(e, JSON.stringify(t));
      assert.match(e, SAYS[topicWhy(t)], JSON.stringify(t));
    }
  });
});
