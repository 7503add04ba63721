// « Identifier » over MQTT: a running board (the firmware on Node, against the embedded broker)
// blinks its LED through its host and says so when <prefix>identify asks it (empty, its role or
// its client id), ignores an ask for another board, a retained one, and one that comes too soon;
// the topic is never shown as one of its role's. The USB side: test/unit/setup.test.mjs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { nodeHost, startBoard } from '../../dist/index.js';
import { startEmbeddedBroker } from '../helpers/embedded.mjs';
import { freePort } from '../helpers/mosquitto.mjs';
import { lineIn, sleep } from '../helpers/wait.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/alice/';

describe('« Identifier » over MQTT', () => {
  let broker, board, teacher;
  const lines = [];
  const leds = [];
  before(async () => {
    broker = await startEmbeddedBroker(await freePort());
    const host = nodeHost({ log: (l) => lines.push(l), restart: () => {} });
    host.led = (on) => leds.push(on);
    board = startBoard(host, { broker: `127.0.0.1:${broker.port}`, role: 'hello', topicPrefix: PREFIX, clientId: 'alice-esp1-test', interval: 60000 });
    await lineIn(lines, /^Connected to 127\.0\.0\.1:\d+ MQTT broker, subscribed to /);
    teacher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
  });
  after(async () => {
    board?.stop();
    await teacher?.endAsync();
    await broker?.close();
  });

  test('the course’s Connected line is unchanged: the identify topic is not a role topic', () => {
    assert.ok(lines.includes(`Connected to 127.0.0.1:${broker.port} MQTT broker, subscribed to ${PREFIX}notification topic`), lines.join('\n'));
  });

  test('another board’s ask and a retained ask: nothing; its role: the LED blinks and the console says so; again at once: ignored', async () => {
    await teacher.publishAsync(`${PREFIX}identify`, 'responder');
    await teacher.publishAsync(`${PREFIX}identify`, '', { retain: true }); // (an empty retained message clears the topic)
    await teacher.publishAsync(`${PREFIX}identify`, 'hello', { retain: true });
    await teacher.publishAsync(`${PREFIX}identify`, '', { retain: true });
    await teacher.publishAsync(`${PREFIX}notification`, 'received');
    await lineIn(lines, /^ESP received hello message$/);
    assert.equal(leds.length, 0, 'no blink for another board or a retained ask');
    assert.ok(!lines.some((l) => l.startsWith('Identify')), lines.join('\n'));
    await teacher.publishAsync(`${PREFIX}identify`, 'hello');
    await lineIn(lines, /^Identify: this board blinks its LED for 5 s \(asked over MQTT\)$/);
    assert.equal(leds[0], true);
    await teacher.publishAsync(`${PREFIX}identify`, 'alice-esp1-test');
    await lineIn(lines, /^Identify: asked over MQTT again too soon, ignored \(one every 15 s\)$/);
    await lineIn(lines, /^Identify: done$/);
    assert.ok(leds.length > 2 && leds.includes(false), `the LED toggled: ${leds}`);
    assert.equal(leds.at(-1), false, 'off at the end');
    assert.ok(!lines.some((l) => /Received identify|identify:/.test(l)), 'the ask is not printed as a message');
    await sleep(100);
    assert.equal(lines.filter((l) => l === 'Identify: done').length, 1);
  });
});
