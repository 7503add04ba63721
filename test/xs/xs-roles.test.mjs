// What test/firmware/mcsim.test.mjs checks of the firmware in Moddable's simulator, on the real XS engine
// (an xsnap worker, hosts/xsnap/runner.mjs), where CI has no Moddable SDK: the pair and every
// other role over a real Mosquitto, the board's events, the broker's absence and return, a
// refused password, a name that does not resolve, the restart budget and a bad config value. The
// boards join a WiFi first (the runner's stand-in of a station, named "simulated" as the Node
// simulator's), so their lines are held to the same list as mcsim's and the Node simulator's
// (helpers/board-lines.mjs). Only 127.0.0.1 is touched.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { SimBoard, SimWiFi, eventLine } from '../../dist/index.js';
import { freePort, mosquittoSkip, mosquittoSub, mosquittoTool, startMosquitto } from '../helpers/mosquitto.mjs';
import { lineIn, until } from '../helpers/wait.mjs';
import { assertLines, helloLines, refusedLine, responderLines } from '../helpers/board-lines.mjs';
import { assertXs, SIMULATED, xsBoardFor, xsSkip } from '../helpers/xs.mjs';

/** A simulated board on Node, as `npm start` runs it, with its console lines (and events) collected. */
function nodeBoard(t, name, config, onEvent) {
  const b = new SimBoard({ name, print: () => {}, wifi: new SimWiFi(300), config: { ssid: 'simulated', ...config }, onEvent }).start();
  t.after(() => b.stop());
  return b;
}

/** A board in XS that joins the "simulated" WiFi first, as the Node simulator's boards do. */
const xsBoard = (t, config, options = {}) => xsBoardFor(t, { config: { ssid: 'simulated', ...config }, networks: SIMULATED, ...options });

const wait = (board, re, options) => lineIn(board.lines, re, { what: board.deviceId ?? 'board', ...options });
const clientId = (board) => /^MQTT client id (\S+)$/.exec(board.lines.find((l) => l.startsWith('MQTT client id ')) ?? '')?.[1];
const count = (board, re) => board.lines.filter((l) => re.test(l)).length;
const pub = (port, args) => execFileSync(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(port), ...args]);

/** Nothing left that could make the board in XS do anything: no timer, no connection, in XS and in Node. */
async function assertIdle(b, why) {
  const s = await b.status();
  assert.deepEqual({ timers: s.timers, connections: s.connections }, { timers: 0, connections: 0 }, `${why}: in XS`);
  assert.deepEqual(b.pending(), { timers: 0, sockets: 0 }, `${why}: in Node, for XS`);
}

describe('the firmware in the XS engine (xsnap): what mcsim checks', { skip: xsSkip() || mosquittoSkip() }, () => {
  let broker, name;
  before(async () => {
    assertXs();
    broker = await startMosquitto();
    name = `127.0.0.1:${broker.port}`;
  });
  after(async () => {
    await broker?.stop();
  });

  test('ESP#1 and ESP#2 in XS, default client ids: Hello #0, #1, #2, received, no one kicked off', async (t) => {
    const sub = await mosquittoSub(broker.port, ['-t', 'hello', '-t', 'notification']);
    t.after(() => sub.stop());
    const esp2 = await xsBoard(t, { broker: name, role: 'responder' });
    await wait(esp2, /^Connected to /);
    const esp1 = await xsBoard(t, { broker: name, role: 'hello', interval: 200 });
    await wait(esp1, /^ESP received hello message$/, { nth: 3 });
    await wait(esp2, /^Received hello: Hello #2$/);
    await esp1.stop();
    await esp2.stop();

    assertLines(esp1.lines, helloLines(name, 3), 'esp1 (XS)');
    assertLines(esp2.lines, responderLines(name, 3), 'esp2 (XS)');
    for (const l of ['hello Hello #0', 'hello Hello #1', 'hello Hello #2', 'notification received'])
      await until(
        () => sub.lines.includes(l),
        () => `mosquitto_sub seeing "${l}": ${sub.lines}`,
      );
    const ids = [clientId(esp1), clientId(esp2)];
    assert.match(ids[0], /^[0-9a-f]{12}$/);
    assert.notEqual(ids[0], ids[1], 'two boards get two client ids');
    assert.doesNotMatch(broker.log(), /already connected/, "neither board took the other's place on the broker");
    for (const b of [esp1, esp2]) {
      assert.equal(count(b, /Lost connection|Failed to connect/), 0, b.lines.join('\n'));
      assert.deepEqual(b.errors, [], 'no exception in XS');
    }
  });

  test('each paired with the Node simulator the other way round, with the same console lines', async (t) => {
    const nodeEsp2 = nodeBoard(t, 'esp2', { broker: name, role: 'responder', topicPrefix: 'x1/' });
    await wait(nodeEsp2, /^Connected to /);
    const esp1 = await xsBoard(t, { broker: name, role: 'hello', interval: 200, topicPrefix: 'x1/' });
    await wait(esp1, /^ESP received hello message$/, { nth: 3 });
    await esp1.stop();
    nodeEsp2.stop();
    const unprefixed = (b) => b.lines.map((l) => l.replace(/x[12]\//g, ''));
    assertLines(unprefixed(esp1), helloLines(name, 3), 'esp1 (XS)');
    assertLines(unprefixed(nodeEsp2), responderLines(name, 3), 'esp2 (Node)');

    const esp2 = await xsBoard(t, { broker: name, role: 'responder', topicPrefix: 'x2/' });
    await wait(esp2, /^Connected to /);
    const nodeEsp1 = nodeBoard(t, 'esp1', { broker: name, role: 'hello', interval: 200, topicPrefix: 'x2/' });
    await wait(nodeEsp1, /^ESP received hello message$/, { nth: 3 });
    await wait(esp2, /^Received x2\/hello: Hello #2$/);
    nodeEsp1.stop();
    await esp2.stop();
    assertLines(unprefixed(nodeEsp1), helloLines(name, 3), 'esp1 (Node)');
    assertLines(unprefixed(esp2), responderLines(name, 3), 'esp2 (XS)');
    assert.deepEqual([...esp1.errors, ...esp2.errors], []);
  });

  test("the board's events (src/apps/events.ts) in XS are the Node board's, and its lines are said from them", async (t) => {
    // The same pair twice, ESP#1 in XS then in Node, each time with ESP#2 in Node.
    const run = async (where, prefix) => {
      const esp2 = nodeBoard(t, 'esp2', { broker: name, role: 'responder', topicPrefix: prefix });
      await wait(esp2, /^Connected to /);
      const config = { broker: name, role: 'hello', interval: 200, topicPrefix: prefix, clientId: `${prefix}esp1` };
      let esp1;
      if (where === 'xs') esp1 = await xsBoard(t, config, { events: true });
      else {
        const events = [];
        esp1 = Object.assign(
          nodeBoard(t, 'esp1', config, (e) => events.push(e)),
          { events },
        );
      }
      await wait(esp1, /^ESP received hello message$/, { nth: 3 });
      await esp1.stop();
      esp2.stop();
      return esp1;
    };
    const xs = await run('xs', 'ev1/');
    const node = await run('node', 'ev2/');
    // Up to the third answer; the address is the WiFi's (the runner's station, SimWiFi's).
    const upTo3 = (events) => {
      let answered = 0;
      const out = [];
      for (const e of events) {
        if (answered === 3) break;
        if (e.type === 'answered') answered++;
        out.push(JSON.parse(JSON.stringify(e).replace(/ev[12]\//g, '')));
      }
      return out.map((e) => (e.type === 'joined' ? { ...e, ip: 'IP' } : e));
    };
    // Each kind of event in its order (a hello and the last one's answer may cross on a loaded
    // machine: the order between kinds is the network's, not the board's).
    const kinds = (events) => {
      const by = {};
      for (const e of upTo3(events)) (by[e.type] ??= []).push(e);
      by.hello = by.hello.slice(0, 3); // (a fourth may have gone before the third answer came)
      return by;
    };
    assert.deepEqual(kinds(xs.events), kinds(node.events));
    assert.deepEqual(
      upTo3(xs.events)
        .slice(0, 3)
        .map((e) => e.type),
      ['joined', 'connected', 'hello'],
    );
    assert.deepEqual(
      Object.entries(kinds(xs.events)).map(([k, v]) => [k, v.length]),
      [
        ['joined', 1],
        ['connected', 1],
        ['hello', 3],
        ['received', 3],
        ['answered', 3],
      ],
    );
    assert.deepEqual(xs.events[1], { type: 'connected', broker: name, topics: ['ev1/notification'] });
    // Each event that is said is said with its line, in order.
    const said = xs.events.map(eventLine).filter(Boolean);
    assertLines(
      xs.lines,
      said.map((l) => new RegExp(`^${l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`)),
      'XS',
    );

    // A refusal: the same event, with its failures counted, in both.
    const dead = await freePort();
    const config = { broker: `127.0.0.1:${dead}`, role: 'hello', backoffMin: 100, backoffMax: 200 };
    const refusedXs = await xsBoard(t, config, { events: true });
    const nodeEvents = [];
    const refusedNode = nodeBoard(t, 'esp1', config, (e) => nodeEvents.push(e));
    for (const b of [refusedXs, refusedNode]) await wait(b, refusedLine('127.0.0.1', dead), { nth: 2 });
    await refusedXs.stop();
    refusedNode.stop();
    const closed = (events) =>
      events
        .filter((e) => e.type === 'closed')
        .slice(0, 2)
        .map(({ retryIn, ...e }) => {
          assert.ok(retryIn >= 80 && retryIn <= 240, `retried within backoff ±20% (${retryIn} ms)`);
          return JSON.parse(JSON.stringify(e)); // as XS sends it: no key for an undefined code
        });
    assert.deepEqual(closed(refusedXs.events), closed(nodeEvents));
    assert.deepEqual(closed(refusedXs.events)[1], {
      type: 'closed',
      reason: `no MQTT broker at 127.0.0.1:${dead} (connection refused)`,
      kind: 'unreachable',
      wasConnected: false,
      failures: 2,
      restarting: false,
    });
  });

  test('the broker absent at boot, then started; killed and restarted mid-run: reconnect, resubscribe, the count goes on', async (t) => {
    const own = await startMosquitto();
    t.after(() => own.stop());
    const where = `127.0.0.1:${own.port}`;
    await own.stop({ keepDir: true });
    const quick = { broker: where, backoffMin: 200, backoffMax: 1000 };
    const esp2 = await xsBoard(t, { ...quick, role: 'responder' });
    const esp1 = await xsBoard(t, { ...quick, role: 'hello', interval: 200 });
    for (const b of [esp1, esp2]) await wait(b, refusedLine('127.0.0.1', own.port));

    await own.start();
    await wait(esp1, /^ESP received hello message$/);
    const before = Math.max(...esp2.lines.map((l) => Number(/^Received hello: Hello #(\d+)$/.exec(l)?.[1] ?? -1)));
    const mark = esp2.lines.length;
    await own.restart();
    for (const b of [esp1, esp2]) await wait(b, /^Lost connection to MQTT broker: /, { after: b === esp2 ? mark : 0 });
    await wait(esp2, new RegExp(`^Connected to ${where.replace(/\./g, '\\.')} MQTT broker, subscribed to hello topic$`), { after: mark });
    const again = await wait(esp2, /^Received hello: Hello #\d+$/, { after: esp2.lines.findIndex((l, i) => i >= mark && l.startsWith('Connected to ')) });
    await esp1.stop();
    await esp2.stop();
    const n = Number(/#(\d+)$/.exec(again)[1]);
    assert.ok(n > before, `after the broker's restart the count goes on (Hello #${n} after #${before})`);
    assert.equal(esp2.lines.slice(mark).filter((l) => l === 'Received hello: Hello #0').length, 0, 'the count did not start again');
    assert.equal(count(esp1, /^MQTT client id /), 1, 'healed without a restart');
    assert.deepEqual([...esp1.restarts, ...esp2.restarts, ...esp1.errors, ...esp2.errors], []);
  });

  test('a wrong password: the named refusal at the slowest pace, and the password in no output', async (t) => {
    const locked = await startMosquitto({ users: { student: 'secret' } });
    t.after(() => locked.stop());
    const esp1 = await xsBoard(
      t,
      { broker: `mqtt://student:Wr0ngPa55@127.0.0.1:${locked.port}`, role: 'hello', backoffMin: 200, backoffMax: 1000 },
      { events: true },
    );
    const refused = /^Failed to connect to MQTT broker: connection refused: (not authorized|bad user name or password)\. Reconnecting in (\d+\.\d) s\.\.\.$/;
    const first = await wait(esp1, refused);
    await wait(esp1, refused, { nth: 2 });
    await esp1.stop();
    const delay = Number(refused.exec(first)[2]);
    assert.ok(delay >= 0.8 && delay <= 1, `a refusal waits backoffMax ±20% (said ${delay} s)`);
    assert.equal(esp1.events.find((e) => e.type === 'closed')?.kind, 'refused');
    const everything = JSON.stringify([esp1.lines, esp1.events, esp1.errors]);
    assert.ok(!everything.includes('Wr0ngPa55'), 'the password appears nowhere');
    assertLines(esp1.lines, [], 'esp1');
    assert.equal(count(esp1, /^Connected to /), 0);
  });

  test('a broker name that does not resolve is said as such', async (t) => {
    const esp1 = await xsBoard(t, { broker: 'no-such-broker.invalid', role: 'hello', backoffMin: 200, backoffMax: 1000 });
    await wait(esp1, /^Failed to connect to MQTT broker: broker host name "no-such-broker\.invalid" does not resolve\. Reconnecting in \d+\.\d s\.\.\.$/);
    await esp1.stop();
  });

  test('restartAfter reached: a restart is asked and nothing else runs; booted again, it connects once the broker is back; a refused port reads as on Node', async (t) => {
    const port = await freePort();
    const config = { broker: `127.0.0.1:${port}`, role: 'hello', restartAfter: 2, backoffMin: 200, backoffMax: 400 };
    const esp1 = await xsBoard(t, config, { events: true });
    const refused = await wait(esp1, refusedLine('127.0.0.1', port));
    await wait(esp1, /^Failed to connect to MQTT broker: .*\. 2 failures in a row: restarting the board\.\.\.$/);
    await until(() => esp1.restarts.length, 'the restart asked');
    assert.deepEqual(esp1.restarts, [`2 failed connections to 127.0.0.1:${port}: no MQTT broker at 127.0.0.1:${port} (connection refused)`]);
    await assertIdle(esp1, 'after asking to restart');
    assert.equal(esp1.lines.at(-1), `[restart] ${esp1.restarts[0]}`, 'the restart is the last thing the board did');
    assert.deepEqual(
      esp1.events.filter((e) => e.type === 'closed').map((e) => [e.failures, e.restarting]),
      [
        [1, false],
        [2, true],
      ],
    );
    await esp1.stop();

    // The board boots again (a new XS machine: a reset forgets everything), the broker now there.
    const restarted = await startMosquitto({ port });
    t.after(() => restarted.stop());
    const again = await xsBoard(t, config);
    await wait(again, new RegExp(`^Connected to 127\\.0\\.0\\.1:${port} MQTT broker, subscribed to notification topic$`));
    await again.stop();

    // The Node simulator says the same about the same refusal.
    const dead = await freePort();
    const onNode = nodeBoard(t, 'esp1', { ...config, broker: `127.0.0.1:${dead}` });
    await wait(onNode, refusedLine('127.0.0.1', dead));
    onNode.stop();
    const words = (l) => l.replace(/:\d+ /, ':PORT ').replace(/\d+\.\d s/, 'N s');
    assert.equal(words(onNode.lines.find((l) => l.startsWith('Failed'))), words(refused));
    assert.deepEqual([...esp1.errors, ...again.errors], []);
  });

  test('a bad config value: the one Config error line, and nothing else runs', async (t) => {
    const esp = await xsBoard(t, { broker: name, role: 'esp3' }, { events: true });
    assert.equal(esp.started, false);
    await assertIdle(esp, 'after a Config error');
    assert.deepEqual(esp.lines, [
      'Config error: config role "esp3" is unknown: set it with role=hello on the mcconfig command line (ESP#1) or role=responder (ESP#2); the other roles are sensor, chat, remote, actuator',
    ]);
    assert.deepEqual([esp.events, esp.restarts, esp.errors, esp.wifi.joins], [[], [], [], []], 'no event, no restart, not even the WiFi');
  });

  describe('the other activities: one exchange each', () => {
    test('sensor: retained readings and online, then its will says offline', async (t) => {
      const esp = await xsBoard(t, { broker: name, role: 'sensor', keepalive: 5, interval: 200 });
      await wait(esp, /^Published temperature \d+\.\d °C, pressure \d+\.\d hPa$/, { nth: 2 });
      const sub = await mosquittoSub(broker.port, ['-t', 'myRasp/sensors/#']);
      t.after(() => sub.stop());
      await sub.waitFor(/^myRasp\/sensors\/temperature 2\d\.\d$/);
      await sub.waitFor(/^myRasp\/sensors\/pression 10\d\d\.\d$/);
      await sub.waitFor(/^myRasp\/sensors\/status online$/);
      await esp.powerOff(); // the board loses power: no DISCONNECT, so the broker publishes the will
      await sub.waitFor(/^myRasp\/sensors\/status offline$/);
      const later = await mosquittoSub(broker.port, ['-t', 'myRasp/sensors/#']);
      t.after(() => later.stop());
      await later.waitFor(/^myRasp\/sensors\/status offline$/);
      await later.waitFor(/^myRasp\/sensors\/temperature 2\d\.\d$/);
      assertLines(esp.lines, [/^No sensor on this board: publishing simulated values/, /^Connected to .* MQTT broker$/, /^Published temperature/], 'sensor');
      assert.deepEqual(esp.errors, []);
      for (const topic of ['status', 'temperature', 'pression']) pub(broker.port, ['-t', `myRasp/sensors/${topic}`, '-r', '-n']);
    });

    test('chat: a line from alice gets its echo', async (t) => {
      const esp = await xsBoard(t, { broker: name, role: 'chat', name: 'esp', peer: 'alice' });
      await wait(esp, /^Connected to .* subscribed to alice topic$/);
      const sub = await mosquittoSub(broker.port, ['-t', 'esp']);
      t.after(() => sub.stop());
      pub(broker.port, ['-t', 'alice', '-m', 'bonjour']);
      await sub.waitFor(/^esp echo: bonjour$/);
      await wait(esp, /^Received alice: bonjour$/);
      await esp.stop();
      assert.deepEqual(esp.errors, []);
    });

    test('remote drives actuator: the commands on remote/command, the colours on the console', async (t) => {
      const actuator = await xsBoard(t, { broker: name, role: 'actuator' });
      await wait(actuator, /^Connected to .* subscribed to remote\/command topic$/);
      const sub = await mosquittoSub(broker.port, ['-t', 'remote/command']);
      t.after(() => sub.stop());
      const remote = await xsBoard(t, { broker: name, role: 'remote', interval: 500 });
      await wait(remote, /^Sent right on remote\/command$/);
      await wait(actuator, /^Colour: green \(up\)$/);
      await wait(actuator, /^Colour: blue \(right\)$/);
      await remote.stop();
      await actuator.stop();
      await until(
        () => sub.lines.includes('remote/command up') && sub.lines.includes('remote/command right'),
        () => sub.lines.join('\n'),
      );
      assertLines(
        remote.lines,
        [/^No buttons on this board: sending up, right, down, left in turn every 0\.5 s$/, /^Connected to /, /^Sent up on remote\/command$/],
        'remote',
      );
      assert.deepEqual([...remote.errors, ...actuator.errors], []);
    });
  });
});
