// The students' examples of the built-in roles, run as students' programs in the real XS engine
// (xsnap), against the built-in roles they are the text of: the same console lines and the same
// messages on the wire (topics, payloads, QoS, retain), ESP#1 ↔ ESP#2 through Mosquitto.
//
// Without the xsnap binary these tests skip with the reason, except under CI, where they fail.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MqttClient, nodeHost, payloadText, startBoard } from '../../dist/index.js';
import { EXAMPLES } from '../../dist/testing.js';
import { startXsBoard, startXsProgramBoard } from '../../hosts/xsnap/runner.mjs';
import { startMosquitto, mosquittoSkip, mosquittoAvailable } from '../helpers/mosquitto.mjs';
import { assertXs, xsSkip } from '../helpers/xs.mjs';
import { lineIn, until } from '../helpers/wait.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const fast = { interval: 100, backoffMin: 100, backoffMax: 300, restartAfter: 0 };
const code = (id) => EXAMPLES.find((e) => e.id === id).code;

describe('the built-in roles’ examples as programs in XS', { skip: xsSkip() }, () => {
  describe('over Mosquitto', { skip: mosquittoSkip() }, () => {
    let broker, spy;
    const wire = [];
    before(async () => {
      if (!mosquittoAvailable()) throw new Error('REQUIRE_MOSQUITTO=1 but mosquitto is not installed');
      const m = await startMosquitto();
      cleanups.unshift(() => m.stop());
      broker = `127.0.0.1:${m.port}`;
      // A listener on everything, at QoS 2: each message as it was published (QoS, retain).
      spy = new MqttClient(nodeHost({ log: () => {} }), { host: '127.0.0.1', port: m.port }, { clientId: 'spy', reconnect: false });
      spy.onMessage = (msg) => wire.push([msg.topic, payloadText(msg.payload), msg.qos, msg.retain]);
      const ready = new Promise((resolve) => {
        spy.onConnect = () => spy.subscribe('reg/#', { qos: 2 }, resolve);
      });
      spy.connect();
      await ready;
      cleanups.push(() => spy.end());
    });

    /** A built-in board in Node, its lines in `lines`. */
    function nodeBoard(role, prefix, lines) {
      const b = startBoard(nodeHost({ log: (l) => lines.push(l), deviceId: role }), {
        ...fast,
        broker,
        role,
        topicPrefix: prefix,
        clientId: `${prefix}${role}`,
      });
      cleanups.push(() => b.stop());
      return b;
    }

    /** A board in XS: the built-in role, or the role's example sent as a program. */
    async function xsBoard(role, prefix, asProgram, more = {}) {
      const config = { ...fast, broker, role, topicPrefix: prefix, clientId: `${prefix}${role}`, ...more };
      const b = asProgram ? await startXsProgramBoard({ config, program: code(role), deviceId: role }) : await startXsBoard({ config, deviceId: role });
      cleanups.push(() => b.stop());
      return b;
    }

    /** `lines` up to the nth match of `re`, the prefix written <p>/, the program's own start line left out. */
    const upTo = (lines, re, nth, prefix) => {
      const out = [];
      let n = 0;
      for (const l of lines) {
        if (/^Program: \d+ characters, starting$/.test(l)) continue;
        out.push(l.split(prefix).join('<p>/'));
        if (re.test(l) && ++n === nth) break;
      }
      return out;
    };
    /** The messages of `prefix` on the wire, the prefix written <p>/; the board's own announcement of
     *  what it runs (<p>/board/<role>) left out: a program's names the program, the role's does not. */
    const onWire = (prefix, n) =>
      wire
        .filter(([t]) => t.startsWith(prefix) && !t.startsWith(`${prefix}board/`))
        .slice(0, n)
        .map(([t, ...rest]) => [t.slice(prefix.length), ...rest]);
    /** The pair's first `each` hellos, then its first `each` answers. Each topic in its order: a
     *  hello and the last one's answer come from two boards and may cross on a loaded machine
     *  (the order between them is the network's, not the board's). */
    const pairOnWire = (prefix, each) =>
      ['hello', 'notification'].flatMap((topic) =>
        onWire(prefix, Number.POSITIVE_INFINITY)
          .filter(([t]) => t === topic)
          .slice(0, each),
      );

    async function esp1(asProgram, prefix) {
      const esp2Lines = [];
      nodeBoard('responder', prefix, esp2Lines);
      await lineIn(esp2Lines, /^Connected to /);
      const b = await xsBoard('hello', prefix, asProgram);
      await lineIn(b.lines, /^ESP received hello message$/, { nth: 3 });
      await until(() => pairOnWire(prefix, 3).length === 6, `3 hellos and 3 answers under ${prefix}`);
      if (b.errors.length) assert.fail(b.errors.join('\n'));
      return { lines: upTo(b.lines, /^ESP received hello message$/, 3, prefix), wire: pairOnWire(prefix, 3) };
    }

    /** Runs a board built in (under `prefix`), then its example as a program (under `other`):
     *  both say the same lines and send the same messages. Resolves with the built-in's. */
    async function sameAsBuiltIn(run, prefix, other) {
      assertXs();
      const builtIn = await run(false, prefix);
      const program = await run(true, other);
      assert.deepEqual(program.lines, builtIn.lines);
      assert.deepEqual(program.wire, builtIn.wire);
      return builtIn;
    }

    test('ESP#1: the example as a program says and sends what the built-in ESP#1 does (ESP#2 built in, in Node)', async () => {
      const builtIn = await sameAsBuiltIn(esp1, 'reg/a/', 'reg/b/');
      assert.deepEqual(builtIn.wire, [
        ['hello', 'Hello #0', 0, false],
        ['hello', 'Hello #1', 0, false],
        ['hello', 'Hello #2', 0, false],
        ['notification', 'received', 0, false],
        ['notification', 'received', 0, false],
        ['notification', 'received', 0, false],
      ]);
      assert.match(
        builtIn.lines.join('\n'),
        /Connected to .* subscribed to <p>\/notification topic\nReceived <p>\/notification: received\nESP received hello message/,
      );
    });

    async function esp2(asProgram, prefix) {
      const b = await xsBoard('responder', prefix, asProgram);
      await lineIn(b.lines, /^Connected to /);
      nodeBoard('hello', prefix, []);
      await lineIn(b.lines, /^Received .*hello: Hello #2$/);
      await until(() => pairOnWire(prefix, 3).length === 6, `3 hellos and 3 answers under ${prefix}`);
      if (b.errors.length) assert.fail(b.errors.join('\n'));
      return { lines: upTo(b.lines, /Hello #2$/, 1, prefix), wire: pairOnWire(prefix, 3) };
    }

    test('ESP#2: the example as a program says and sends what the built-in ESP#2 does (ESP#1 built in, in Node)', async () => {
      const builtIn = await sameAsBuiltIn(esp2, 'reg/c/', 'reg/d/');
      assert.deepEqual(builtIn.lines.slice(-3), ['Received <p>/hello: Hello #0', 'Received <p>/hello: Hello #1', 'Received <p>/hello: Hello #2']);
    });

    async function chat(asProgram, prefix) {
      const b = await xsBoard('chat', prefix, asProgram, { name: 'Esp', peer: 'Alice' });
      await lineIn(b.lines, /^Connected to .* subscribed to .*alice topic$/);
      for (const text of ['bonjour', 'echo: not for me', 'ping']) spy.publish(`${prefix}alice`, text);
      await lineIn(b.lines, /^Received .*alice: ping$/);
      await until(() => onWire(prefix, 5).length === 5, `5 messages under ${prefix}`);
      if (b.errors.length) assert.fail(b.errors.join('\n'));
      // Each topic in its order, not the network's interleaving of the two.
      const wire = onWire(prefix, 5).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      return { lines: upTo(b.lines, /: ping$/, 1, prefix), wire };
    }

    test('chat: the example as a program says and sends what the built-in chat does', async () => {
      const builtIn = await sameAsBuiltIn(chat, 'reg/e/', 'reg/f/');
      assert.deepEqual(builtIn.wire, [
        ['alice', 'bonjour', 0, false],
        ['alice', 'echo: not for me', 0, false],
        ['alice', 'ping', 0, false],
        ['esp', 'echo: bonjour', 1, false],
        ['esp', 'echo: ping', 1, false],
      ]);
      assert.deepEqual(builtIn.lines.slice(-3), ['Received <p>/alice: bonjour', 'Received <p>/alice: echo: not for me', 'Received <p>/alice: ping']);
    });

    async function actuator(asProgram, prefix) {
      const b = await xsBoard('actuator', prefix, asProgram);
      await lineIn(b.lines, /^Connected to .* subscribed to .*remote\/command topic$/);
      for (const text of ['up', ' Red ', 'purple', 'right']) spy.publish(`${prefix}remote/command`, text, { qos: 1 });
      await lineIn(b.lines, /^Colour: blue \(right\)$/);
      await until(() => onWire(prefix, 4).length === 4, `4 messages under ${prefix}`);
      if (b.errors.length) assert.fail(b.errors.join('\n'));
      return { lines: upTo(b.lines, /^Colour: blue/, 1, prefix), wire: onWire(prefix, 4) };
    }

    test('actuator: the example as a program says what the built-in actuator does', async () => {
      const builtIn = await sameAsBuiltIn(actuator, 'reg/g/', 'reg/h/');
      assert.deepEqual(builtIn.lines.slice(-8), [
        'Received <p>/remote/command: up',
        'Colour: green (up)',
        'Received <p>/remote/command:  Red ',
        'Colour: red',
        'Received <p>/remote/command: purple',
        'Unknown command "purple": use up, down, left, right or a colour (red, green, blue, yellow, cyan, magenta, white, off)',
        'Received <p>/remote/command: right',
        'Colour: blue (right)',
      ]);
    });

    /** A reading's digits as <n>: the simulated sensor's values differ from run to run. */
    const number = (text) => text.replace(/\d+\.\d/g, '<n>');

    async function sensor(asProgram, prefix) {
      const b = await xsBoard('sensor', prefix, asProgram);
      await lineIn(b.lines, /^Published temperature/, { nth: 3 });
      await until(() => onWire(prefix, 7).length === 7, `7 messages under ${prefix}`);
      if (b.errors.length) assert.fail(b.errors.join('\n'));
      const wire = onWire(prefix, 7)
        .map(([t, text, ...rest]) => [t, number(text), ...rest])
        .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      return { lines: upTo(b.lines, /^Published temperature/, 3, prefix).map(number), wire };
    }

    test('sensor: the example as a program says and sends what the built-in sensor does', async () => {
      const builtIn = await sameAsBuiltIn(sensor, 'reg/i/', 'reg/j/');
      assert.deepEqual(builtIn.wire, [
        ['myRasp/sensors/pression', '<n>', 0, false],
        ['myRasp/sensors/pression', '<n>', 0, false],
        ['myRasp/sensors/pression', '<n>', 0, false],
        ['myRasp/sensors/status', 'online', 1, false],
        ['myRasp/sensors/temperature', '<n>', 0, false],
        ['myRasp/sensors/temperature', '<n>', 0, false],
        ['myRasp/sensors/temperature', '<n>', 0, false],
      ]);
      assert.match(builtIn.lines.join('\n'), /^No sensor on this board: publishing simulated values/);
      assert.deepEqual(builtIn.lines.slice(-1), ['Published temperature <n> °C, pressure <n> hPa']);
    });

    async function remote(asProgram, prefix) {
      const b = await xsBoard('remote', prefix, asProgram);
      await lineIn(b.lines, /^Sent down on /);
      await until(() => onWire(prefix, 3).length === 3, `3 messages under ${prefix}`);
      if (b.errors.length) assert.fail(b.errors.join('\n'));
      return { lines: upTo(b.lines, /^Sent down on /, 1, prefix), wire: onWire(prefix, 3) };
    }

    test('remote: the example as a program says and sends what the built-in remote does (no buttons: the demo)', async () => {
      const builtIn = await sameAsBuiltIn(remote, 'reg/k/', 'reg/l/');
      assert.deepEqual(builtIn.wire, [
        ['remote/command', 'up', 1, false],
        ['remote/command', 'right', 1, false],
        ['remote/command', 'down', 1, false],
      ]);
      assert.deepEqual(builtIn.lines.slice(-3), ['Sent up on <p>/remote/command', 'Sent right on <p>/remote/command', 'Sent down on <p>/remote/command']);
      assert.match(builtIn.lines[0], /^No buttons on this board: sending up, right, down, left in turn every 0\.1 s$/);
    });
  });
});
