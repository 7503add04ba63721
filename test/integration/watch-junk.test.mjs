// `mqtt-pair watch` with no roster, and a student's script publishing junk under the class: a
// burst of `Hello #1` on 100 made-up prefixes (2.6 KB) used to fill --max-pairs 100 and hide the
// real pairs for 15 minutes (--forget). Pairs that prove themselves (a hello answered, their
// student's page online) are kept over prefixes heard once, which are never shown; the unproven
// give way to newcomers, the one quiet longest first.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MqttClient, SimBoard, nodeHost } from '../../dist/index.js';
import { mqttPair } from '../helpers/child.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { until } from '../helpers/wait.mjs';

const CLASS = 'LycMaurois/SNT_2nde/';

describe('watch and junk prefixes, without a roster', { skip: mosquittoSkip() }, () => {
  let broker, watch, junk, state;
  const boards = [];
  before(async () => {
    broker = await startMosquitto();
    watch = mqttPair(['watch', '--broker', `127.0.0.1:${broker.port}`, '--web', '0', '--school', 'LycMaurois', '--class', 'SNT_2nde', '--interval', '300']);
    const url = (await watch.waitFor('stdout', /Classroom view: (http:\/\/\S+\/)/))[1];
    state = async () => (await fetch(`${url}state.json`)).json();
    junk = new MqttClient(
      nodeHost({ log: () => {} }),
      { host: '127.0.0.1', port: broker.port },
      { clientId: 'junk', queue: { messages: 10_000, bytes: 1 << 20 } },
    );
    await new Promise((resolve) => {
      junk.onConnect = resolve;
      junk.connect();
    });
  });
  after(async () => {
    for (const b of boards) b.stop();
    junk?.end();
    await watch?.stop();
    await broker?.stop();
  });

  const pair = (name, { responder = true } = {}) => {
    const config = { broker: `127.0.0.1:${broker.port}`, interval: 300, topicPrefix: `${CLASS}${name}/` };
    if (responder)
      boards.push(new SimBoard({ name: `${name}2`, config: { ...config, role: 'responder', clientId: `junk-test-${name}-2` }, print: () => {} }).start());
    boards.push(new SimBoard({ name: `${name}1`, config: { ...config, role: 'hello', clientId: `junk-test-${name}-1` }, print: () => {} }).start());
  };
  const burst = (from, each = 1) => {
    for (let i = from; i < from + 100; i++) for (let k = 1; k <= each; k++) junk.publish(`${CLASS}junk${i}/hello`, `Hello #${k}`);
  };
  const names = (s) => s.pairs.map((p) => p.name).sort();

  test('a burst of 100 one-shot hellos: the real pairs come in, green, and no junk name is shown', async () => {
    burst(0);
    await until(async () => (await state()).unconfirmed === 100, 'the burst seen');
    pair('alice');
    pair('bob');
    const s = await until(async () => {
      const x = await state();
      return x.pairs.filter((p) => p.state === 'ok').length === 2 && x;
    }, 'alice and bob green');
    assert.deepEqual(names(s), ['alice', 'bob']);
    assert.ok(s.unconfirmed >= 98, `${s.unconfirmed} prefixes heard once, not shown`);
    assert.ok(s.ignored.pairs >= 2, 'the two oldest junk prefixes gave way');
  });

  test('again and again: proven pairs are never set aside', async () => {
    for (let round = 1; round <= 3; round++) burst(100 * round);
    // The bursts seen, and alice and bob green (a live pair can be 'wait' for a moment on a loaded
    // machine: one snapshot is not enough to say it, their staying green is).
    let last;
    const s = await until(
      async () => {
        last = await state();
        return last.ignored.pairs >= 300 && last.pairs.length === 2 && last.pairs.every((p) => p.state === 'ok') && last;
      },
      () => `the bursts seen and alice and bob green: ${JSON.stringify({ ignored: last?.ignored, pairs: last?.pairs.map((p) => [p.name, p.state]) })}`,
    );
    assert.deepEqual(names(s), ['alice', 'bob']);
  });

  test('junk that says hello twice: a pair whose student is present stays, with the proven ones', async () => {
    // carol's ESP#2 is off (her hellos go unanswered) but her page is open: "online" on her status.
    junk.publish(`${CLASS}carol/status`, 'online', { retain: true, qos: 1 });
    pair('carol', { responder: false });
    // (Shown as soon as her page says « online »; her board's hellos may come after, on a loaded machine.)
    await until(async () => (await state()).pairs.find((p) => p.name === 'carol')?.hellos > 0, "carol shown, her board's hellos heard");
    burst(1000, 2);
    burst(1100, 2);
    await until(async () => (await state()).ignored.pairs >= 400, 'the bursts seen');
    const s = await state();
    for (const n of ['alice', 'bob', 'carol']) assert.ok(names(s).includes(n), `${n} in ${names(s).join(' ')}`);
    assert.equal(s.pairs.find((p) => p.name === 'carol').state === 'ok', false, 'carol is not green: no reply');
    junk.publish(`${CLASS}carol/status`, '', { retain: true, qos: 1 });
  });
});
