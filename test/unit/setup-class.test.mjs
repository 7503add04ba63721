// `mqtt-pair setup`'s pure parts: the roster made into boards (two by two, the first's prefix, ESP#1
// hello and ESP#2 responder, names both ways), a board plugged in again keeping its student, bad
// rosters named by line; and the computer's end of Improv (tools/setup/improv-client.ts) against
// frames made by the board's own codec (src/setup/improv.ts), console lines made printable.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { improv } from '../../dist/index.js';

import {
  classSlots,
  slotFor,
  slotSettings,
  setupLine,
  ImprovDecoder,
  BoardLink,
  MAX_ROWS,
  cliWords,
  readRefusal,
  refusalLine,
  storeSettings,
  setupPageEn,
  setupPageFr,
} from '../../dist/testing.js';

/** The problem (code and facts) classSlots refuses `text` with: the domain says no words. */
function refused(text) {
  try {
    classSlots(text, 'S', 'C');
  } catch (e) {
    assert.equal(e.name, 'SetupError', `a SetupError, not ${e}`);
    return e.problem;
  }
  assert.fail(`accepted: ${JSON.stringify(text)}`);
}
/** The line the command prints for it, in English or French. */
const line = (text) => setupLine(refused(text));

describe('the roster, two by two', () => {
  const slots = classSlots('# groupe A\nalice bob\n\nchloe  david # absente lundi\nemma\n', 'LycMaurois', 'SNT_2nde');
  test('pairs, roles, prefixes, names and client ids', () => {
    assert.deepEqual(
      slots.map((s) => [s.name, s.pair, s.esp, s.role, s.topicPrefix, s.peer]),
      [
        ['alice', 1, 1, 'hello', 'LycMaurois/SNT_2nde/alice/', 'bob'],
        ['bob', 1, 2, 'responder', 'LycMaurois/SNT_2nde/alice/', 'alice'],
        ['chloe', 2, 1, 'hello', 'LycMaurois/SNT_2nde/chloe/', 'david'],
        ['david', 2, 2, 'responder', 'LycMaurois/SNT_2nde/chloe/', 'chloe'],
        ['emma', 3, 1, 'hello', 'LycMaurois/SNT_2nde/emma/', ''],
        ['emma', 3, 2, 'responder', 'LycMaurois/SNT_2nde/emma/', ''],
      ],
    );
    // Not alice-esp1, which anyone reading the projector could take (`mosquitto_sub -i alice-esp1` knocks the board off).
    for (const s of slots) assert.match(s.clientId, new RegExp(`^${s.name}-esp${s.esp}-[0-9a-f]{12}$`));
    assert.equal(new Set(slots.map((s) => s.clientId)).size, 6, 'six boards, six client ids');
    const again = classSlots('alice bob\n', 'LycMaurois', 'SNT_2nde');
    assert.notEqual(again[0].clientId, slots[0].clientId, 'random, not made from the name');
  });
  test('names compared without case: the prefix in lower case, as the chat writes it; the names as typed', () => {
    const karim = classSlots('Karim Léa\n', 'LycMaurois', 'SNT_2nde');
    assert.deepEqual(
      karim.map((s) => [s.name, s.peer, s.topicPrefix]),
      [
        ['Karim', 'Léa', 'LycMaurois/SNT_2nde/karim/'],
        ['Léa', 'Karim', 'LycMaurois/SNT_2nde/karim/'],
      ],
    );
    assert.deepEqual(
      refused('Karim bob\nkarim\n'),
      { code: 'nameTwice', line: 2, name: 'karim', first: 1, other: 'Karim' },
      'the same student twice, whatever the case',
    );
  });
  test("a slot's settings, as the board's set takes them (no peer for a student with both boards)", () => {
    assert.deepEqual(slotSettings(slots[1]), [
      ['role', 'responder'],
      ['topicPrefix', 'LycMaurois/SNT_2nde/alice/'],
      ['name', 'bob'],
      ['clientId', slots[1].clientId],
      ['peer', 'alice'],
    ]);
    assert.ok(!slotSettings(slots[4]).some(([k]) => k === 'peer'));
  });
  test('the next free slot; a board seen before keeps its own; none when full', () => {
    assert.equal(slotFor(slots, {}, 'mqtt-pair-aaaa').name, 'alice');
    const taken = { 0: 'mqtt-pair-aaaa', 1: 'mqtt-pair-bbbb' };
    assert.equal(slotFor(slots, taken, 'mqtt-pair-cccc').name, 'chloe');
    assert.equal(slotFor(slots, taken, 'mqtt-pair-bbbb').name, 'bob');
    const full = Object.fromEntries(slots.map((s) => [String(s.index), `b${s.index}`]));
    assert.equal(slotFor(slots, full, 'mqtt-pair-new'), undefined);
  });
  test('bad rosters: the line and what to do, as codes and facts', () => {
    assert.deepEqual(refused('alice bob\nchloe ALICE\n'), { code: 'nameTwice', line: 2, name: 'ALICE', first: 1, other: 'alice' });
    assert.deepEqual(refused('alice bob chloe\n'), { code: 'onePairALine', line: 1, shown: 'alice bob chloe' });
    assert.deepEqual(refused('alice\nbob/x\n'), { code: 'badName', line: 2, shown: 'bob/x', name: 'bob/x', why: 'chars', scripts: [] });
    assert.equal(refused('al+ce\n').line, 1);
    assert.deepEqual(refused('# nobody\n\n'), { code: 'noName' });
    const many = Array.from({ length: 101 }, (_, i) => `a${i} b${i}`).join('\n');
    assert.deepEqual(refused(many), { code: 'tooManyPairs', pairs: 101, max: 100 });
    assert.equal(classSlots('Éloïse\nZoé\n', 'S', 'C')[1].topicPrefix, 'S/C/éloïse/', 'accented first names are topic levels');
  });
  test("bad rosters' lines, worded by tools/words/ from the codes", () => {
    const was = process.env.LC_ALL;
    process.env.LC_ALL = 'en_GB.UTF-8';
    try {
      assert.equal(line('alice bob\nchloe ALICE\n'), "line 2: 'ALICE' is already on line 1: two students, two names (add an initial: ALICE_B)");
      assert.match(line('alice\nbob/x\n'), /: write one pair a line, one or two first names/);
      assert.equal(line('alice bob chloe\n'), "line 1 ('alice bob chloe'): write one pair a line, one or two first names");
      assert.match(line('# nobody\n\n'), /^it has no name/);
    } finally {
      if (was === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = was;
    }
  });
  test('names as the class reads them: NFC kept, look-alikes refused in one line', () => {
    // « Zoë » typed decomposed (o, then U+0308) is « Zoë », composed: one student, one topic level.
    const nfd = 'Zoe\u0308';
    const zoe = classSlots(`alice ${nfd}\n`, 'S', 'C');
    assert.equal(zoe[1].name, 'Zo\u00eb');
    assert.equal(zoe[0].peer, 'Zo\u00eb');
    assert.deepEqual(refused(`Zo\u00eb\n${nfd}\n`), { code: 'nameTwice', line: 2, name: 'Zo\u00eb', first: 1, other: 'Zo\u00eb' });
    // A Cyrillic « а » in a Latin name: another student's name on the projector.
    assert.deepEqual(refused('alice bob\n\u0430lice\n'), {
      code: 'badName',
      line: 2,
      shown: '\u0430lice',
      name: '\u0430lice',
      why: 'mixed',
      scripts: ['Latin', 'Cyrillic'],
    });
    // All Cyrillic, drawn as alice: refused beside alice, as a name twice; on the same line too
    // (not taken for « alice alone »).
    const cyr = '\u0430\u04cf\u0456\u0441\u0435';
    assert.deepEqual(refused(`alice bob\n${cyr}\n`), { code: 'nameTwice', line: 2, name: cyr, first: 1, other: 'alice' });
    assert.deepEqual(refused(`alice ${cyr}\n`), { code: 'nameTwice', line: 1, name: cyr, first: 1, other: 'alice' });
    // Fullwidth letters.
    assert.equal(refused('alice\n\uff41\uff4c\uff49\uff43\uff45\n').why, 'compat');
    const was = process.env.LC_ALL;
    try {
      process.env.LC_ALL = 'en_GB.UTF-8';
      assert.match(line('alice bob\n\u0430lice\n'), /^line 2 \('\u0430lice'\): '\u0430lice' mixes alphabets \(Latin and Cyrillic\)/);
      assert.match(line(`alice bob\n${cyr}\n`), new RegExp(`^line 2: '${cyr}' reads like 'alice' on line 1`));
      assert.match(line('alice\n\uff41\uff4c\uff49\uff43\uff45\n'), /^line 2 .*: type it again with plain letters/);
      // In French, on a French teacher's computer.
      process.env.LC_ALL = 'fr_FR.UTF-8';
      assert.match(line('alice bob\n\u0430lice\n'), /^ligne 2 \(« \u0430lice »\) : « \u0430lice » mélange des alphabets \(latin et cyrillique\)/);
    } finally {
      if (was === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = was;
    }
    // A class's real alphabets are kept.
    assert.deepEqual(
      classSlots('Иван Ольга\nΝίκος\n', 'S', 'C').map((s) => s.name),
      ['Иван', 'Ольга', 'Νίκος', 'Νίκος'],
    );
  });
  test('a board that never ends a list is cut off at MAX_ROWS, in one error', async () => {
    let deliver;
    const board = new BoardLink({
      onData(fn) {
        deliver = fn;
      },
      write() {
        // Rows forever, never the empty one that ends a list.
        const row = improv.resultFrame(improv.GET_SETTINGS, ['x'.repeat(40), 'y'.repeat(40), 'stored']);
        let sent = 0;
        const more = () => {
          if (sent++ < 2000) {
            deliver(row);
            setImmediate(more);
          }
        };
        more();
      },
    });
    await assert.rejects(board.request(improv.GET_SETTINGS, [], { list: true, ms: 60_000 }), (e) => {
      assert.equal(e.overflow, MAX_ROWS);
      assert.equal(e.code, undefined, 'no Improv error of the board: the computer stopped it');
      return true;
    });
  });
});

describe("the computer's end of Improv", () => {
  test('states, errors, results and console lines, in order, however the bytes are split', () => {
    const bytes = Buffer.concat([
      Buffer.from('Setup over USB: joining "JAMS2"...\r\n'),
      improv.stateFrame(improv.PROVISIONING),
      improv.stateFrame(improv.PROVISIONED),
      improv.resultFrame(improv.WIFI_SETTINGS, ['http://192.0.2.2:80/']),
      Buffer.from('bell\u0007 and \u001b[2Jescape\n'),
      improv.errorFrame(improv.INVALID_SETTING),
    ]);
    const d = new ImprovDecoder();
    const got = [];
    for (let i = 0; i < bytes.length; i += 3) got.push(...d.push(bytes.subarray(i, i + 3)));
    assert.deepEqual(got.slice(0, 4), [
      { kind: 'line', text: 'Setup over USB: joining "JAMS2"...' },
      { kind: 'state', state: improv.PROVISIONING },
      { kind: 'state', state: improv.PROVISIONED },
      { kind: 'result', command: improv.WIFI_SETTINGS, strings: ['http://192.0.2.2:80/'] },
    ]);
    assert.equal(got[4].kind, 'line');
    assert.ok(!/[\u0000-\u001f]/.test(got[4].text), `no control codes: ${JSON.stringify(got[4].text)}`);
    assert.deepEqual(got[5], { kind: 'error', error: improv.INVALID_SETTING });
  });

  /** A link whose far end answers each command frame with `answer(cmd, strings)`'s bytes. */
  function fakeBoard(answer) {
    let deliver;
    const reader = new improv.FrameReader();
    return {
      onData(fn) {
        deliver = fn;
      },
      write(bytes) {
        reader.push(bytes, {
          frame: (_type, data) => {
            const c = improv.decodeCommand(Uint8Array.from(data));
            setImmediate(() => deliver(answer(c.command, c.strings)));
          },
          badFrame() {},
        });
      },
    };
  }
  test('a request resolves with its result, a list up to its empty result, and rejects with the error in words', async () => {
    const board = new BoardLink(
      fakeBoard((cmd, strings) => {
        if (cmd === improv.REQUEST_INFO) return improv.resultFrame(cmd, ['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-9d2c']);
        if (cmd === improv.GET_SETTINGS)
          return Buffer.concat([
            improv.resultFrame(cmd, ['ssid', 'JAMS2', 'stored']),
            improv.resultFrame(cmd, ['role', '', 'unset']),
            improv.resultFrame(cmd, []),
          ]);
        if (cmd === improv.SET_SETTINGS && strings[0] === 'topicPrefix')
          return Buffer.concat([
            Buffer.from('Setup over USB: topicPrefix: bad: nothing changed\n'),
            improv.refusalFrame(cmd, 'topicPrefix', 'wildcard'),
            improv.errorFrame(improv.INVALID_SETTING),
          ]);
        return new Uint8Array(0);
      }),
    );
    assert.deepEqual(await board.request(improv.REQUEST_INFO), [['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-9d2c']]);
    assert.deepEqual(await board.request(improv.GET_SETTINGS, [], { list: true }), [
      ['ssid', 'JAMS2', 'stored'],
      ['role', '', 'unset'],
    ]);
    await assert.rejects(board.request(improv.SET_SETTINGS, ['topicPrefix', 'a/#/']), (e) => {
      assert.equal(e.code, improv.INVALID_SETTING, "the board's Improv error, for the page's words");
      assert.deepEqual(e.refusal, { key: 'topicPrefix', code: 'wildcard', facts: [] }, 'the refusal before the error, as data');
      return true;
    });
    assert.equal(board.lines.at(-1), 'Setup over USB: topicPrefix: bad: nothing changed');
    // Silence, as data: which command went unanswered, for the words of the tool that asked.
    await assert.rejects(board.request(improv.RESTART, [], { ms: 50 }), (e) => {
      assert.deepEqual(e.problem, { kind: 'silent', command: improv.RESTART });
      assert.equal(e.code, undefined);
      return true;
    });
  });

  test('a refused setting is read from its frame alone, with no console line, and worded by tools/words/ in French and English', async () => {
    // The board of a newer firmware: its refusal as data, then its error; nothing on its console.
    const said = [];
    const board = new BoardLink(
      fakeBoard((cmd, strings) => {
        said.push(strings);
        if (cmd !== improv.SET_SETTINGS) return new Uint8Array(0);
        if (strings[0] === 'clientId') return improv.resultFrame(cmd, ['clientId']);
        const [code, facts] =
          strings[0] === 'topicPrefix' ? ['long', ['80', '62']] : strings[0] === 'interval' ? ['range', ['10', '2147483647']] : ['unknown', []];
        return Buffer.concat([improv.refusalFrame(cmd, strings[0], code, facts), improv.errorFrame(improv.INVALID_SETTING)]);
      }),
    );
    const refusal = async (settings) => {
      const e = await storeSettings(board, settings).then(
        () => assert.fail('the board refused a setting'),
        (e) => e,
      );
      assert.equal(e.code, improv.INVALID_SETTING);
      return e.refusal;
    };
    const long = await refusal([
      ['clientId', 'esp1'],
      ['topicPrefix', `${'a'.repeat(79)}/`],
    ]);
    assert.deepEqual(long, { key: 'topicPrefix', code: 'long', facts: ['80', '62'] });
    assert.deepEqual(
      said.map((s) => s[0]),
      ['clientId', 'topicPrefix'],
      'one setting a frame, stopped at the refused one',
    );
    assert.deepEqual(board.lines, [], 'no console line was there to read');
    assert.equal(cliWords('en').setup.refused(long), 'the board refuses topicPrefix: topicPrefix is 80 bytes long: the board keeps at most 62');
    assert.equal(cliWords('fr').setup.refused(long), 'la carte refuse topicPrefix : topicPrefix fait 80 octets : la carte en garde au plus 62');
    const range = await refusal([['interval', '5']]);
    assert.equal(refusalLine('en', range), 'the board refuses interval: interval is a whole number from 10 to 2147483647');
    assert.equal(setupPageFr.refused(range), 'La carte refuse interval : interval est un nombre entier de 10 à 2147483647.');
    assert.equal(setupPageEn.refused(range), 'The board refuses interval: interval is a whole number from 10 to 2147483647.');
    const unknown = await refusal([['colour', 'red']]);
    assert.match(refusalLine('fr', unknown), /^la carte refuse colour : il n’y a pas de réglage « colour » : les réglages sont ssid, password, broker, role,/);
    // Every code the board sends has words in both languages, and none is the other's.
    for (const code of [
      'unknown',
      'text',
      'control',
      'invisible',
      'long',
      'range',
      'choice',
      'password',
      'prefix',
      'wildcard',
      'host',
      'ipv6',
      'broker',
      'caTls',
      'caMissing',
      'missing',
      'store',
    ]) {
      const r = { key: code === 'choice' ? 'role' : 'broker', code, facts: ['1', '2'] };
      const [en, fr] = [refusalLine('en', r), refusalLine('fr', r)];
      assert.ok(en.startsWith(`the board refuses ${r.key}: `) && fr.startsWith(`la carte refuse ${r.key} : `), `${en}\n${fr}`);
      assert.doesNotMatch(en, /reason "|no reason/, `${code} has its English words`);
      assert.doesNotMatch(fr, /raison «|sans dire/, `${code} has its French words`);
      assert.notEqual(en.slice(en.indexOf(': ')), fr.slice(fr.indexOf(' : ') + 1), code);
    }
    assert.match(refusalLine('en', { key: 'role', code: 'choice', facts: [] }), /role is one of hello, responder, sensor, chat, remote or actuator$/);
    // A code from a newer board, and none from an older one: said as such.
    assert.equal(
      refusalLine('en', { key: 'led', code: 'gpio', facts: [] }),
      'the board refuses led: reason "gpio", which this tool does not know: update mqtt-pair',
    );
    assert.equal(refusalLine('fr', { key: 'led', code: '', facts: [] }), 'la carte refuse led : sans dire pourquoi (un firmware plus ancien ?)');
  });

  test('the refusal frame: its strings, what reads it, and what it is not', () => {
    const frame = improv.refusalFrame(improv.SET_SETTINGS, 'topicPrefix', 'wildcard');
    assert.deepEqual(new ImprovDecoder().push(frame), [{ kind: 'result', command: improv.SET_SETTINGS, strings: ['', 'topicPrefix', 'wildcard'] }]);
    assert.deepEqual(readRefusal(['', 'topicPrefix', 'long', '80', '62']), { key: 'topicPrefix', code: 'long', facts: ['80', '62'] });
    assert.equal(readRefusal(['topicPrefix', 'interval']), null, "a set's result: the names stored");
    assert.equal(readRefusal([]), null, 'the end of a list');
    // A name over 64 bytes (no setting is) goes empty: the frame holds at most 255 bytes.
    const long = improv.refusalFrame(improv.SET_SETTINGS, 'k'.repeat(240), 'unknown');
    assert.deepEqual(new ImprovDecoder().push(long)[0].strings, ['', '', 'unknown']);
    // What a board sends is bounded before it reaches a line.
    // (A fact up to 128 characters: a compiler's message, which the board cuts at 120 bytes.)
    const r = readRefusal(['', 'x'.repeat(100), 'y'.repeat(40), ...Array(20).fill('9'.repeat(200))]);
    assert.deepEqual([r.key.length, r.code.length, r.facts.length, r.facts[0].length], [64, 16, 5, 128]);
  });
});
