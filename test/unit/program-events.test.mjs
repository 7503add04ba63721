// A student's program's events (docs/improv.md « A program's events »): what the board sends as
// data beside its console lines, so that no tool reads a console line to decide anything. The
// program (src/program/) tells its host `start` with its name, hash and length, and each distinct
// error once, with its line and the engine's message, bounded to fit a frame; the frame
// (improv.eventFrame) is read back by our client as an event, never as an answer to a command; the
// official Improv client (ESP Web Tools') keeps its command's answer when an event comes first.
import { test, describe, after } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { improv, nodeHost, nodeProgramRunner, startProgramBoard } from '../../dist/index.js';
import { BoardLink, ImprovDecoder } from '../../dist/testing.js';
import { improvSdk, pipePort, sdkLogger } from '../helpers/improv-sdk.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const boards = [];
after(() => {
  for (const b of boards) b?.stop();
});

/** A board on a broker that is not there (the program's body runs at once), its events and lines kept. */
function programBoard(source, about) {
  const events = [];
  const lines = [];
  const host = { ...nodeHost({ log: (l) => lines.push(l), deviceId: 'a1b2c3d4e5f6' }), program: nodeProgramRunner() };
  host.event = (code, facts) => {
    // What the firmware does with it: one frame, which must encode (a frame holds 255 bytes).
    const frame = improv.eventFrame(code, facts);
    events.push({ code, facts: [...facts], frame });
  };
  const config = { broker: '127.0.0.1:1', topicPrefix: 'ev/alice/', clientId: 'ev-board', backoffMin: 60000, backoffMax: 60000, restartAfter: 0 };
  boards.push(startProgramBoard(host, config, source, undefined, about));
  return { events, lines };
}

describe("a program's events", () => {
  test('start: the name, hash and length the board stored; an error at its line, each distinct one once', async () => {
    const source = "print('one');\nevery(10, () => { print('tick'); null.x; });\nundefinedName();\n";
    const { events, lines } = programBoard(source, { name: 'esp1.js', hash: '0badcafe' });
    assert.deepEqual(events[0].code, 'start');
    assert.deepEqual(events[0].facts, ['esp1.js', '0badcafe', String(source.length)]);
    assert.equal(events[1].code, 'error', JSON.stringify(events));
    assert.equal(events[1].facts[0], '3');
    assert.match(events[1].facts[2], /^ReferenceError: .*undefinedName/);
    // The timer's error, at its line, once however often it throws.
    await until(() => lines.filter((l) => /^Program error, line 2/.test(l)).length === 1 && lines.includes('one'), 'the timer’s error', LIMIT);
    await until(() => lines.filter((l) => l === 'tick').length >= 10, 'ten ticks, each throwing', LIMIT);
    const errors = events.filter((e) => e.code === 'error');
    assert.equal(errors.length, 2, JSON.stringify(errors));
    assert.equal(errors[1].facts[0], '2');
    assert.match(errors[1].facts[2], /^TypeError: /);
  });

  test('a long message is cut to fit a frame, never a surrogate pair in two', () => {
    // Three bytes a character: the longest a message gets in UTF-8.
    const wide = programBoard(`throw new Error('漢'.repeat(200));\n`).events.find((e) => e.code === 'error');
    assert.equal(wide.facts[2], `Error: ${'漢'.repeat(65)}`);
    assert.ok(wide.frame.length <= 255 + 11, `${wide.frame.length} bytes`);
    // A pair that the cut would halve is left out whole.
    const { events } = programBoard(`throw new Error('a'.repeat(64) + '😀'.repeat(60));\n`);
    assert.equal(events.find((e) => e.code === 'error').facts[2], `Error: ${'a'.repeat(64)}`);
    // A program without a name of its own (the simulator's) still says one.
    assert.deepEqual(events[0].facts.slice(0, 2), ['program.js', '']);
  });

  test('our client reads an event as an event, never as the answer to a command', async () => {
    const decoded = new ImprovDecoder().push(improv.eventFrame('error', ['4', '7', 'TypeError: x\u001b[2J is not a function']));
    assert.deepEqual(decoded, [{ kind: 'event', event: { code: 'error', facts: ['4', '7', 'TypeError: x\u001b[2J is not a function'] } }]);

    // A board that sends an event just before its answer to 0x88: the event goes to onEvent, the answer to the command.
    let push;
    const board = new BoardLink({
      write: (bytes) => {
        // A command frame: "IMPROV", version, type, length, then its data, its checksum and a newline.
        const c = improv.decodeCommand(bytes.subarray(9, bytes.length - 2));
        if (c?.command === improv.GET_PROGRAM)
          push(
            Buffer.concat([improv.eventFrame('start', ['esp1.js', '0badcafe', '120']), improv.resultFrame(improv.GET_PROGRAM, ['esp1.js', '120', '0badcafe'])]),
          );
      },
      onData: (fn) => {
        push = (b) => fn(Uint8Array.from(b));
      },
    });
    const events = [];
    board.onEvent = (e) => events.push(e);
    assert.deepEqual(await board.request(improv.GET_PROGRAM), [['esp1.js', '120', '0badcafe']]);
    assert.deepEqual(events, [{ code: 'start', facts: ['esp1.js', '0badcafe', '120'] }]);
    const waited = board.waitEvent((e) => e.code === 'stop', LIMIT, 'no stop');
    push(improv.eventFrame('stop', ['l', '1', '2']));
    assert.deepEqual(await waited, { code: 'stop', facts: ['l', '1', '2'] });
  });

  test("the official client (ESP Web Tools') keeps its command's answer when an event comes first", async () => {
    const { ImprovSerial } = await improvSdk();
    let answer = () => {};
    const { port, push } = pipePort((b) => answer(b));
    const logger = sdkLogger();
    const sdk = new ImprovSerial(port, logger);
    answer = () => {
      push(improv.eventFrame('error', ['2', '', 'TypeError: boom']));
      push(improv.stateFrame(improv.PROVISIONED));
      push(improv.resultFrame(improv.REQUEST_STATE));
      push(improv.resultFrame(improv.REQUEST_INFO, ['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-9d2c']));
    };
    const info = await sdk.initialize(5000);
    assert.equal(info.name, 'mqtt-pair-9d2c');
    // The SDK logs the event as a result it did not wait for, and goes on.
    assert.ok(
      logger.errors.every((e) => /Received result/.test(e)),
      logger.errors.join('\n'),
    );
    await sdk.close();
  });

  test('docs/improv.md lists the events the board sends, and no other', () => {
    const doc = readFileSync(new URL('../../docs/improv.md', import.meta.url), 'utf8');
    const from = doc.indexOf("## A program's events");
    const section = doc.slice(from, doc.indexOf('\n## ', from + 1));
    assert.deepEqual(
      [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]),
      ['start', 'error', 'stop', 'stopped'],
    );
    // The command no computer sends, in the commands' table too.
    assert.match(doc, /^\| `0x8B` program event \|/m);
    assert.equal(improv.PROGRAM_EVENT, 0x8b);
  });
});
