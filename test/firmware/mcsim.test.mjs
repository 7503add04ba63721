// The firmware as users meet it: the project's manifest.json built with the real Moddable SDK
// (mcconfig -i -m -t build -p lin) and run in Moddable's desktop simulator (mcsim), against the
// tests' private Mosquitto, on 127.0.0.1 only. Every scenario starts with the WiFi join, through
// the SDK's simulated wifi module. What is asserted: the boards' console lines (the one list in
// helpers/board-lines.mjs, which the Node simulator is held to too) and what mosquitto_sub sees.
//
// Without the SDK (MODDABLE unset) these tests skip and say why; with REQUIRE_MODDABLE=1 (CI,
// .ci/run) they fail instead. README.md, "Tests", says how to run them with your own SDK.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { SimBoard, SimWiFi } from '../../dist/index.js';
import { buildFirmware, moddableSkip, scope, startMcsim, stopBoards } from '../helpers/moddable.mjs';
import { freePort, mosquittoSkip, mosquittoSub, mosquittoTool, startMosquitto } from '../helpers/mosquitto.mjs';
import { lineIn, sleep } from '../helpers/wait.mjs';
import { assertLines, helloLines, refusedLine, responderLines } from '../helpers/board-lines.mjs';

const skip = moddableSkip() || mosquittoSkip();

/** A simulated board on Node, as `npm start` runs it, with its console lines collected. */
function nodeBoard(name, config) {
  return new SimBoard({ name, print: () => {}, wifi: new SimWiFi(300), config: { ssid: 'simulated', ...config } }).start();
}

const waitNode = (board, re, options) => lineIn(board.lines, re, { what: 'node board', ...options });

const clientId = (board) => /^MQTT client id (\S+)$/.exec(board.lines.find((l) => l.startsWith('MQTT client id ')) ?? '')?.[1];

describe("the firmware in Moddable's simulator (mcsim)", { skip }, () => {
  let broker, name;
  before(async () => {
    broker = await startMosquitto();
    name = `127.0.0.1:${broker.port}`;
  });
  after(async () => {
    await broker?.stop();
  });

  test('ESP#1 and ESP#2 in mcsim, default client ids: Hello #0, #1, #2, received, no one kicked off', async (t) => {
    const keep = scope(t);
    const sub = keep(await mosquittoSub(broker.port, ['-t', 'hello', '-t', 'notification']));
    const hello = await buildFirmware({ broker: name, role: 'hello', interval: 1000 });
    const responder = await buildFirmware({ broker: name, role: 'responder' });
    const esp2 = keep(await startMcsim(responder, 'esp2'));
    await esp2.waitFor(/^Connected to /);
    const esp1 = keep(await startMcsim(hello, 'esp1'));
    await esp1.waitFor(/^ESP received hello message$/, { nth: 3 });
    await stopBoards(esp1, esp2);

    assertLines(esp1.lines, helloLines(name, 3), 'esp1 (mcsim)');
    assertLines(esp2.lines, responderLines(name, 3), 'esp2 (mcsim)');
    for (const l of ['hello Hello #0', 'hello Hello #1', 'hello Hello #2', 'notification received'])
      assert.ok(sub.lines.includes(l), `mosquitto_sub saw "${l}": ${sub.lines}`);
    const ids = [clientId(esp1), clientId(esp2)];
    assert.match(ids[0], /^[0-9a-f]{12}$/);
    assert.notEqual(ids[0], ids[1], 'two simulators get two client ids');
    assert.doesNotMatch(broker.log(), /already connected/, "neither board took the other's place on the broker");
    for (const b of [esp1, esp2]) assert.equal(b.count(/Lost connection|Failed to connect/), 0, b.output());
  });

  test('each paired with the Node simulator the other way round, with the same console lines', async (t) => {
    const keep = scope(t);
    const hello = await buildFirmware({ broker: name, role: 'hello', interval: 1000 });
    const responder = await buildFirmware({ broker: name, role: 'responder' });

    const nodeEsp2 = keep(nodeBoard('esp2', { broker: name, role: 'responder' }));
    await waitNode(nodeEsp2, /^Connected to /);
    const esp1 = keep(await startMcsim(hello, 'esp1'));
    await esp1.waitFor(/^ESP received hello message$/, { nth: 3 });
    await stopBoards(esp1);
    nodeEsp2.stop();
    assertLines(esp1.lines, helloLines(name, 3), 'esp1 (mcsim)');
    assertLines(nodeEsp2.lines, responderLines(name, 3), 'esp2 (Node)');

    const esp2 = keep(await startMcsim(responder, 'esp2'));
    await esp2.waitFor(/^Connected to /);
    const nodeEsp1 = keep(nodeBoard('esp1', { broker: name, role: 'hello', interval: 1000 }));
    await waitNode(nodeEsp1, /^ESP received hello message$/, { nth: 3 });
    await esp2.waitFor(/^Received hello: Hello #2$/);
    nodeEsp1.stop();
    await stopBoards(esp2);
    assertLines(nodeEsp1.lines, helloLines(name, 3), 'esp1 (Node)');
    assertLines(esp2.lines, responderLines(name, 3), 'esp2 (mcsim)');
  });

  test('the broker absent at boot, then started; killed and restarted mid-run: reconnect, resubscribe, the count goes on', async (t) => {
    const keep = scope(t);
    const own = keep(await startMosquitto());
    const where = `127.0.0.1:${own.port}`;
    await own.stop({ keepDir: true });
    const quick = { broker: where, backoffMin: 500, backoffMax: 2000 };
    const esp2 = keep(await startMcsim(await buildFirmware({ ...quick, role: 'responder' }), 'esp2'));
    const esp1 = keep(await startMcsim(await buildFirmware({ ...quick, role: 'hello', interval: 1000 }), 'esp1'));
    for (const b of [esp1, esp2]) await b.waitFor(refusedLine('127.0.0.1', own.port));

    await own.start();
    await esp1.waitFor(/^ESP received hello message$/);
    const before = Math.max(...esp2.lines.map((l) => Number(/^Received hello: Hello #(\d+)$/.exec(l)?.[1] ?? -1)));
    const mark = esp2.lines.length;
    await own.restart();
    for (const b of [esp1, esp2]) await b.waitFor(/^Lost connection to MQTT broker: /, { after: b === esp2 ? mark : 0 });
    await esp2.waitFor(new RegExp(`^Connected to ${where.replace(/\./g, '\\.')} MQTT broker, subscribed to hello topic$`), { after: mark });
    const again = await esp2.waitFor(/^Received hello: Hello #\d+$/, { after: esp2.lines.findIndex((l, i) => i >= mark && l.startsWith('Connected to ')) });
    await stopBoards(esp1, esp2);
    const n = Number(/#(\d+)$/.exec(again)[1]);
    assert.ok(n > before, `after the broker's restart the count goes on (Hello #${n} after #${before})`);
    assert.equal(esp2.lines.slice(mark).filter((l) => l === 'Received hello: Hello #0').length, 0, 'the count did not start again');
    assert.equal(esp1.count(/^MQTT client id /), 1, 'healed without a restart');
  });

  test('a wrong password: the named refusal at the slowest pace, and the password in no output', async (t) => {
    const keep = scope(t);
    const locked = keep(await startMosquitto({ users: { student: 'secret' } }));
    const so = await buildFirmware({ broker: `mqtt://student:Wr0ngPa55@127.0.0.1:${locked.port}`, role: 'hello', backoffMin: 200, backoffMax: 4000 });
    const esp1 = keep(await startMcsim(so, 'esp1'));
    const refused = /^Failed to connect to MQTT broker: connection refused: (not authorized|bad user name or password)\. Reconnecting in (\d+\.\d) s\.\.\.$/;
    const first = await esp1.waitFor(refused);
    const t1 = Date.now();
    await esp1.waitFor(refused, { nth: 2 });
    const between = Date.now() - t1;
    await stopBoards(esp1);
    const delay = Number(refused.exec(first)[2]);
    assert.ok(delay >= 3.2 && delay <= 4, `a refusal waits backoffMax ±20% (said ${delay} s)`);
    assert.ok(between >= 3000, `and does wait it (${between} ms)`);
    assert.ok(!esp1.output().includes('Wr0ngPa55'), 'the password appears nowhere');
    assertLines(esp1.lines, [], 'esp1');
    assert.equal(esp1.count(/^Connected to /), 0);
  });

  test('a broker name that does not resolve is said as such', async (t) => {
    const keep = scope(t);
    const so = await buildFirmware({ broker: 'no-such-broker.invalid', role: 'hello', backoffMin: 200, backoffMax: 1000 });
    const esp1 = keep(await startMcsim(so, 'esp1'));
    await esp1.waitFor(/^Failed to connect to MQTT broker: broker host name "no-such-broker\.invalid" does not resolve\. Reconnecting in \d+\.\d s\.\.\.$/);
    await stopBoards(esp1);
  });

  test('restartAfter reached: the board restarts, then connects once the broker is back; a refused port reads as on Node', async (t) => {
    const keep = scope(t);
    const port = await freePort();
    const config = { broker: `127.0.0.1:${port}`, role: 'hello', restartAfter: 2, backoffMin: 200, backoffMax: 400 };
    const esp1 = keep(await startMcsim(await buildFirmware(config), 'esp1'));
    const refused = await esp1.waitFor(refusedLine('127.0.0.1', port));
    await esp1.waitFor(/^Failed to connect to MQTT broker: .*\. 2 failures in a row: restarting the board\.\.\.$/);
    await esp1.waitFor(/^This platform cannot reset itself: starting the firmware again in 1 s\.\.\.$/);
    await esp1.waitFor(/^MQTT client id /, { nth: 2 });
    const restarted = keep(await startMosquitto({ port }));
    await esp1.waitFor(new RegExp(`^Connected to 127\\.0\\.0\\.1:${port} MQTT broker, subscribed to notification topic$`));
    await stopBoards(esp1);
    await restarted.stop();

    // The Node simulator says the same about the same refusal.
    const dead = await freePort();
    const onNode = keep(nodeBoard('esp1', { ...config, broker: `127.0.0.1:${dead}` }));
    await waitNode(onNode, refusedLine('127.0.0.1', dead));
    onNode.stop();
    const words = (l) => l.replace(/:\d+ /, ':PORT ').replace(/\d+\.\d s/, 'N s');
    assert.equal(words(onNode.lines.find((l) => l.startsWith('Failed'))), words(refused));
  });

  test('a bad config value: the one Config error line, and nothing else runs', async (t) => {
    const keep = scope(t);
    const esp = keep(await startMcsim(await buildFirmware({ broker: name, role: 'esp3' }), 'esp'));
    await esp.waitFor(/^Config error: /);
    await sleep(4000);
    await stopBoards(esp);
    assert.deepEqual(esp.lines, [
      'Config error: config role "esp3" is unknown: set it with role=hello on the mcconfig command line (ESP#1) or role=responder (ESP#2); the other roles are sensor, chat, remote, actuator',
    ]);
  });

  describe("on an ESP8266's heap", () => {
    // An ESP8266 gives XS a fixed 32 KB (creation.static in the SDK's esp manifest) for its stack,
    // slots and chunks. The lin simulator ignores `static`, but a heap whose increments are 0 is
    // fixed: XS aborts ("failed in fixed size heap") when a live allocation does not fit. Slots are
    // 32 bytes here against 16 on the chip, so the budget is twice 32 KB: the stack of 416 slots
    // (manifest.json's esp value, 13,312 B), 1,280 slots (40,960 B) and 11,264 B of chunks.
    const esp8266 = { stack: 416, creation: { heap: { initial: 1280, incremental: 0 }, chunk: { initial: 11264, incremental: 0 } } };

    test('the pair runs for a minute in plain TCP with no allocation failure', async (t) => {
      const keep = scope(t);
      const esp2 = keep(await startMcsim(await buildFirmware({ broker: name, role: 'responder' }, esp8266), 'esp2'));
      await esp2.waitFor(/^Connected to /);
      const esp1 = keep(await startMcsim(await buildFirmware({ broker: name, role: 'hello', interval: 1000 }, esp8266), 'esp1'));
      await esp1.waitFor(/^Connected to /);
      // A minute of the pair: 60 hellos answered (however long a busy machine takes to play them).
      await esp1.waitFor(/^ESP received hello message$/, { nth: 60 });
      const failed = (b) => b.lines.find((l) => /fixed size heap|memory full|XS abort|Internal error/.test(l));
      for (const b of [esp1, esp2]) assert.equal(failed(b), undefined, `${b.name} failed:\n${b.output()}`);
      assert.ok(!esp1.exited && !esp2.exited, 'both boards still run');
      assert.ok(esp2.count(/^Received hello: Hello #\d+$/) >= 60, `each hello of the minute:\n${esp2.output()}`);
      assert.equal(esp1.count(/^(Lost|Failed)/), 0, 'the connection never dropped');
      await stopBoards(esp1, esp2);
    });
  });

  describe('the other activities: one exchange each', () => {
    test('sensor: retained readings and online, then its will says offline', async (t) => {
      const keep = scope(t);
      const esp = keep(await startMcsim(await buildFirmware({ broker: name, role: 'sensor', keepalive: 5 }), 'sensor'));
      await esp.waitFor(/^Published temperature \d+\.\d °C, pressure \d+\.\d hPa$/, { nth: 2 });
      const sub = keep(await mosquittoSub(broker.port, ['-t', 'myRasp/sensors/#']));
      await sub.waitFor(/^myRasp\/sensors\/temperature 2\d\.\d$/);
      await sub.waitFor(/^myRasp\/sensors\/pression 10\d\d\.\d$/);
      await sub.waitFor(/^myRasp\/sensors\/status online$/);
      esp.kill(); // the board loses power: no DISCONNECT, so the broker publishes the will
      await sub.waitFor(/^myRasp\/sensors\/status offline$/);
      await esp.stop();
      const later = keep(await mosquittoSub(broker.port, ['-t', 'myRasp/sensors/#']));
      await later.waitFor(/^myRasp\/sensors\/status offline$/);
      await later.waitFor(/^myRasp\/sensors\/temperature 2\d\.\d$/);
      assertLines(esp.lines, [/^No sensor on this board: publishing simulated values/, /^Connected to .* MQTT broker$/, /^Published temperature/], 'sensor');
      for (const topic of ['status', 'temperature', 'pression']) {
        execFileSync(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), '-t', `myRasp/sensors/${topic}`, '-r', '-n']);
      }
    });

    test('chat: a line from alice gets its echo', async (t) => {
      const keep = scope(t);
      const esp = keep(await startMcsim(await buildFirmware({ broker: name, role: 'chat', name: 'esp', peer: 'alice' }), 'chat'));
      await esp.waitFor(/^Connected to .* subscribed to alice topic$/);
      const sub = keep(await mosquittoSub(broker.port, ['-t', 'esp']));
      execFileSync(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'alice', '-m', 'bonjour']);
      await sub.waitFor(/^esp echo: bonjour$/);
      await esp.waitFor(/^Received alice: bonjour$/);
      await stopBoards(esp);
    });

    test('remote drives actuator: the commands on remote/command, the colours on the console', async (t) => {
      const keep = scope(t);
      const actuator = keep(await startMcsim(await buildFirmware({ broker: name, role: 'actuator' }), 'actuator'));
      await actuator.waitFor(/^Connected to .* subscribed to remote\/command topic$/);
      const sub = keep(await mosquittoSub(broker.port, ['-t', 'remote/command']));
      const remote = keep(await startMcsim(await buildFirmware({ broker: name, role: 'remote', interval: 500 }), 'remote'));
      await remote.waitFor(/^Sent right on remote\/command$/);
      await actuator.waitFor(/^Colour: green \(up\)$/);
      await actuator.waitFor(/^Colour: blue \(right\)$/);
      await stopBoards(remote, actuator);
      assert.ok(sub.lines.includes('remote/command up') && sub.lines.includes('remote/command right'), sub.lines.join('\n'));
      assertLines(
        remote.lines,
        [/^No buttons on this board: sending up, right, down, left in turn every 0\.5 s$/, /^Connected to /, /^Sent up on remote\/command$/],
        'remote',
      );
    });
  });
});
