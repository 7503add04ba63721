// The mqtt-pair command at the edges a mischievous student or an unlucky teacher finds: bursts
// beyond a stock Mosquitto's in-flight window, stdin shorter than the handshake, messages too large
// to send or to buffer, numbers and lengths out of range, a broker that never acknowledges a
// subscription or lowers its QoS, a reader slower than the broker. Mosquitto here runs with its
// stock settings, as Debian and Raspberry Pi OS ship it, unless a test says otherwise.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';
import { sleep, until } from '../helpers/wait.mjs';
import { mosquittoSkip, mosquittoSub, mosquittoTool, startMosquitto } from '../helpers/mosquitto.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'mqtt-pair-limits-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('bursts through a stock Mosquitto (its in-flight window of 20)', { skip: mosquittoSkip() }, () => {
  let broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(async () => {
    await broker?.stop();
  });

  for (const [label, args, input] of [
    ['seq 1 100 | pub -q 2 -l', ['-q', '2', '-l'], `${Array.from({ length: 100 }, (_, i) => i + 1).join('\n')}\n`],
    ['pub -q 2 --repeat 100', ['-q', '2', '--repeat', '100', '-m', 'x'], undefined],
    ['pub -q 1 --repeat 100', ['-q', '1', '--repeat', '100', '-m', 'x'], undefined],
  ]) {
    test(`${label}: all 100 reach a subscriber`, async () => {
      const topic = `burst/${label.replace(/\W+/g, '-')}`;
      const sub = await mosquittoSub(broker.port, ['-q', '2', '-t', topic]);
      const r = await mqttPair(['pub', '-p', String(broker.port), '-t', topic, ...args], { input }).exit;
      assert.equal(r.code, 0, r.stderr);
      await sub.waitFor(new RegExp(`^${topic} ${input ? '100' : 'x'}$`));
      await until(
        () => sub.lines.length >= 100,
        () => `100 messages at the subscriber, got ${sub.lines.length}`,
      );
      await sub.stop();
      assert.equal(sub.lines.length, 100, `the subscriber got ${sub.lines.length} of 100`);
      if (input)
        assert.deepEqual(
          sub.lines.map((l) => Number(l.split(' ')[1])),
          Array.from({ length: 100 }, (_, i) => i + 1),
          'in order',
        );
    });
  }

  test('pub -q 1 --repeat 70000: more messages than there are packet identifiers, all acknowledged', async () => {
    const r = await mqttPair(['pub', '-p', String(broker.port), '-t', 'burst/many', '-q', '1', '--repeat', '70000', '-m', 'x']).exit;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  test('pub -l at QoS 0 with stdin ended before the CONNACK: every line is sent', async () => {
    const sub = await mosquittoSub(broker.port, ['-t', 'class/quiz']);
    const questions = ['Q1 ?', 'Q2 ?', 'Q3 ?', 'Q4 ?', 'Q5 ?'];
    const r = await mqttPair(['pub', '-p', String(broker.port), '-t', 'class/quiz', '-l'], { input: `${questions.join('\n')}\n` }).exit;
    assert.equal(r.code, 0, r.stderr);
    await sub.waitFor(/^class\/quiz Q5 \?$/);
    await sub.stop();
    assert.deepEqual(
      sub.lines,
      questions.map((q) => `class/quiz ${q}`),
    );
  });

  test('-M limits the window: -M 5 still delivers 50 of 50', async () => {
    const sub = await mosquittoSub(broker.port, ['-q', '1', '-t', 'burst/m5']);
    const r = await mqttPair(['pub', '-p', String(broker.port), '-t', 'burst/m5', '-q', '1', '-M', '5', '--repeat', '50', '-m', 'x']).exit;
    assert.equal(r.code, 0, r.stderr);
    await until(
      () => sub.lines.length >= 50,
      () => `50 messages at the subscriber, got ${sub.lines.length}`,
    );
    await sub.stop();
    assert.equal(sub.lines.length, 50);
  });

  test('sub takes a 2 MB retained message whole, byte for byte, as mosquitto_sub does', async () => {
    const photo = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < photo.length; i++) photo[i] = (i * 31 + 7) & 255;
    const file = join(tmp, 'photo.jpg');
    writeFileSync(file, photo);
    const pub = await mqttPair(['pub', '-p', String(broker.port), '-t', 'cls/mallory/photo', '-r', '-f', file]).exit;
    assert.equal(pub.code, 0, pub.stderr);
    const sub = mqttPair(['sub', '-p', String(broker.port), '-t', 'cls/#', '-C', '1', '-N']);
    const chunks = [];
    sub.child.stdout.on('data', (b) => chunks.push(b));
    const r = await sub.exit;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Buffer.concat(chunks).equals(photo), 'the same bytes');
    await mqttPair(['pub', '-p', String(broker.port), '-t', 'cls/mallory/photo', '-r', '-n']).exit;
  });

  test('sub stops reading the broker while its stdout is blocked: its memory stays bounded', async () => {
    const sub = mqttPair(['sub', '-p', String(broker.port), '-t', 'flood/#', '-d']);
    await sub.waitFor('stdout', /received SUBACK/);
    sub.child.stdout.pause(); // nobody reads: the pipe fills, then stdout blocks
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${sub.child.pid}/status`, 'utf8'))[1]) / 1024;
    const before = rss();
    const file = join(tmp, 'chunk.bin');
    writeFileSync(file, Buffer.alloc(256 * 1024, 0x41));
    // 50 MB, every message acknowledged by the broker (QoS 1) before pub exits: the broker has them all.
    const pub = await mqttPair(['pub', '-p', String(broker.port), '-t', 'flood/x', '-q', '1', '-f', file, '--repeat', '200']).exit;
    assert.equal(pub.code, 0, pub.stderr);
    // A sub that read on regardless would take them all as fast as the broker sends (about 70 MB
    // more here); one that stops reading stays where it is, however long this takes.
    let grown = 0;
    for (let i = 0; i < 10; i++) {
      grown = Math.max(grown, rss() - before);
      await sleep(200);
    }
    await sub.stop();
    assert.ok(grown < 20, `sub grew by ${grown.toFixed(1)} MB with 50 MB unread`);
  });
});

describe('brokers that misbehave: said, with an exit code that tells', () => {
  test('a broker that lowers the QoS of a subscription (max_qos 1): sub says so once', { skip: mosquittoSkip() }, async () => {
    const broker = await startMosquitto({ extra: 'max_qos 1' });
    try {
      const sub = mqttPair(['sub', '-p', String(broker.port), '-t', 'q/#', '-t', 'q/x', '-q', '2', '-C', '1']);
      await sub.waitFor('stderr', /granted QoS 1 for q\/x/);
      await mqttPair(['pub', '-p', String(broker.port), '-t', 'q/x', '-q', '1', '-m', 'hi']).exit;
      const r = await sub.exit;
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stderr.trim().split('\n'), [
        'mqtt-pair sub: the broker granted QoS 1 for q/# (asked 2): messages may come twice',
        'mqtt-pair sub: the broker granted QoS 1 for q/x (asked 2): messages may come twice',
      ]);
    } finally {
      await broker.stop();
    }
  });
});

describe('-F as mosquitto_sub 2.0 prints it', { skip: mosquittoSkip() }, () => {
  let broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(async () => {
    await broker?.stop();
  });
  const retained = (topic, payload) =>
    execFileSync(mosquittoTool('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(broker.port), '-t', topic, '-m', payload, '-r', '-q', '1']);
  const theirs = (args) =>
    execFileSync(mosquittoTool('mosquitto_sub'), ['-h', '127.0.0.1', '-p', String(broker.port), '-C', '1', '-W', '120', ...args]).toString();
  const ours = async (args) => {
    const r = await mqttPair(['sub', '-p', String(broker.port), '-C', '1', '-W', '120', ...args]).exit;
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  const noTime = (s) => s.replace(/"tst":"[^"]*",/, '');

  test('%j: the same JSON as mosquitto_sub (but the time)', async () => {
    retained('fmt/j', 'Hello #3');
    const mine = (await ours(['-t', 'fmt/j', '-q', '1', '-F', '%j'])).stdout;
    assert.equal(noTime(mine), noTime(theirs(['-t', 'fmt/j', '-q', '1', '-F', '%j'])));
    assert.match(
      mine,
      /^\{"tst":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z[+-]\d{4}","topic":"fmt\/j","qos":1,"retain":1,"payloadlen":8,"mid":\d+,"payload":"Hello #3"\}\n$/,
    );
  });

  test('%J: the payload as JSON; a payload that is not JSON is said on stderr', async () => {
    retained('fmt/J', '{"t":21.5,"unit":"°C"}');
    const mine = (await ours(['-t', 'fmt/J', '-F', '%J'])).stdout;
    assert.equal(noTime(mine), noTime(theirs(['-t', 'fmt/J', '-F', '%J'])));
    retained('fmt/notjson', 'warm');
    const r = await ours(['-t', 'fmt/notjson', '-F', '%J']);
    assert.match(r.stderr, /^mqtt-pair sub: -F %J: the message on fmt\/notjson is not valid JSON, printed without it\n$/);
  });

  test('@H:@M %p, widths and alignment, as mosquitto_sub', async () => {
    retained('fmt/t', 'bonjour');
    const mine = (await ours(['-t', 'fmt/t', '-F', '@H:@M %p|%-8t|%5l|%05l'])).stdout;
    assert.match(mine, /^\d\d:\d\d bonjour\|fmt\/t {3}\| {4}7\|00007\n$/);
    assert.equal(mine.slice(6), theirs(['-t', 'fmt/t', '-F', '@H:@M %p|%-8t|%5l|%05l']).slice(6));
  });

  for (const [format, re] of [
    ['%A', /-F: %A is an MQTT v5 property, and mqtt-pair speaks MQTT 3.1.1/],
    ['%k', /-F: %k is not a format code/],
    ['@c', /-F: @c is not a time format mqtt-pair prints .*@c, @x and @X depend on the locale/],
  ]) {
    test(`-F '${format}' is refused with the reason`, async () => {
      const r = await mqttPair(['sub', '-p', String(broker.port), '-t', 't', '-F', format]).exit;
      assertOneLineError(r, 'mqtt-pair sub:', re);
    });
  }
});
