// `mqtt-pair setup`'s pure parts: the roster made into boards (two by two, the first's prefix, ESP#1
// hello and ESP#2 responder, names both ways), a board plugged in again keeping its student, bad
// rosters named by line; and the computer's end of Improv (tools/setup/improv-client.ts) against
// frames made by the board's own codec (src/setup/improv.ts), console lines made printable.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { improv } from '../../dist/index.js';

const { classSlots, slotFor, slotSettings, ImprovDecoder, BoardLink } = createRequire(import.meta.url)('../../dist/cli.cjs');

describe('the roster, two by two', () => {
  const slots = classSlots('# groupe A\nalice bob\n\nchloe  david # absente lundi\nemma\n', 'LycMaurois', 'SNT_2nde');
  test('pairs, roles, prefixes, names and client ids', () => {
    assert.deepEqual(
      slots.map((s) => [s.name, s.pair, s.esp, s.role, s.topicPrefix, s.peer, s.clientId]),
      [
        ['alice', 1, 1, 'hello', 'LycMaurois/SNT_2nde/alice/', 'bob', 'alice-esp1'],
        ['bob', 1, 2, 'responder', 'LycMaurois/SNT_2nde/alice/', 'alice', 'bob-esp2'],
        ['chloe', 2, 1, 'hello', 'LycMaurois/SNT_2nde/chloe/', 'david', 'chloe-esp1'],
        ['david', 2, 2, 'responder', 'LycMaurois/SNT_2nde/chloe/', 'chloe', 'david-esp2'],
        ['emma', 3, 1, 'hello', 'LycMaurois/SNT_2nde/emma/', '', 'emma-esp1'],
        ['emma', 3, 2, 'responder', 'LycMaurois/SNT_2nde/emma/', '', 'emma-esp2'],
      ],
    );
  });
  test("a slot's settings, as the board's set takes them (no peer for a student with both boards)", () => {
    assert.deepEqual(slotSettings(slots[1]), [
      ['role', 'responder'],
      ['topicPrefix', 'LycMaurois/SNT_2nde/alice/'],
      ['name', 'bob'],
      ['clientId', 'bob-esp2'],
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
  test('bad rosters: the line and what to do', () => {
    assert.throws(() => classSlots('alice bob\nchloe ALICE\n', 'S', 'C'), /^Error: line 2: 'ALICE' is already on line 1: two students, two names/);
    assert.throws(() => classSlots('alice\nbob/x\n', 'S', 'C'), /^Error: line 2 \('bob\/x'\): write one pair a line, one or two first names/);
    assert.throws(() => classSlots('alice bob chloe\n', 'S', 'C'), /^Error: line 1 \('alice bob chloe'\): write one pair a line/);
    assert.throws(() => classSlots('al+ce\n', 'S', 'C'), /line 1/);
    assert.throws(() => classSlots('# nobody\n\n', 'S', 'C'), /it has no name/);
    assert.equal(classSlots('Éloïse\nZoé\n', 'S', 'C')[1].topicPrefix, 'S/C/Éloïse/', 'accented first names are topic levels');
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
          return Buffer.concat([Buffer.from('Setup over USB: topicPrefix: bad: nothing changed\n'), improv.errorFrame(improv.INVALID_SETTING)]);
        return new Uint8Array(0);
      }),
    );
    assert.deepEqual(await board.request(improv.REQUEST_INFO), [['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-9d2c']]);
    assert.deepEqual(await board.request(improv.GET_SETTINGS, [], { list: true }), [
      ['ssid', 'JAMS2', 'stored'],
      ['role', '', 'unset'],
    ]);
    await assert.rejects(board.request(improv.SET_SETTINGS, ['topicPrefix', 'a/#/']), (e) => {
      assert.match(e.message, /the board refused a setting/);
      assert.equal(e.code, improv.INVALID_SETTING, "the board's Improv error, for the page's words");
      return true;
    });
    assert.equal(board.lines.at(-1), 'Setup over USB: topicPrefix: bad: nothing changed');
    await assert.rejects(board.request(improv.RESTART, [], { ms: 50 }), /no answer to command 0x83/);
  });
});
