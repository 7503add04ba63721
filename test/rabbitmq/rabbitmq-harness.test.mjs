// The RabbitMQ harness itself (test/helpers/rabbitmq.mjs), with Mosquitto's command-line clients: a single
// node passes a message from mosquitto_pub to mosquitto_sub (and to an MQTT-over-WebSocket subscriber on
// wsPort/ws) and listens on 127.0.0.1 only; users with allowAnonymous false refuse a wrong password and
// anonymous clients, take the right one, and survive restart(); in a two-node cluster a subscriber on node B
// gets what is published on node A; and after stop() nothing listens on any of their ports and none of their
// processes (rabbitmq, beam, epmd, ...) is left. About a minute: every node takes seconds to boot.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import mqtt from 'mqtt';
import { ownedHere, rabbitmqSkip, rabbitmqVersion, startRabbitMQ, startRabbitMQCluster } from '../helpers/rabbitmq.mjs';
import { findExecutable, listening } from '../helpers/mosquitto.mjs';
import { LIMIT } from '../helpers/wait.mjs';

const skip =
  rabbitmqSkip() ||
  (findExecutable('mosquitto_pub') && findExecutable('mosquitto_sub') ? false : 'needs Mosquitto: mosquitto_pub/mosquitto_sub are not installed');

/** mosquitto_pub on 127.0.0.1:port: { code, out }. */
function pub(port, args) {
  return new Promise((resolve) => {
    execFile(findExecutable('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 20000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? err.signal) : 0, out: `${stdout}${stderr}` });
    });
  });
}

/**
 * mosquitto_sub -v -C 1 on 127.0.0.1:port (with -d, to see its SUBACK), resolved once subscribed: { done }, where
 * done resolves { code, lines, text } when it has exited by itself after its one message. After `ms` it is
 * SIGKILLed, never SIGTERMed: mosquitto_sub 2.0 can deadlock in its SIGTERM handler when that comes while it
 * is disconnecting after its -C count (it calls mosquitto_disconnect from the handler).
 */
async function subscribeOnce(port, args, ms = LIMIT) {
  const sub = findExecutable('mosquitto_sub');
  const stdbuf = findExecutable('stdbuf'); // line-buffered stdout, to see "Subscribed" at once
  const argv = ['-h', '127.0.0.1', '-p', String(port), '-v', '-d', '-C', '1', ...args];
  const child = spawn(stdbuf ?? sub, stdbuf ? ['-oL', sub, ...argv] : argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let subscribed;
  const acked = new Promise((resolve) => {
    subscribed = resolve;
  });
  child.stdout.on('data', (b) => {
    text += b;
    if (/^Subscribed \(mid/m.test(text)) subscribed();
  });
  child.stderr.on('data', (b) => {
    text += b;
  });
  const timer = setTimeout(() => {
    text += `(SIGKILLed after ${ms} ms)\n`;
    child.kill('SIGKILL');
  }, ms);
  const done = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      subscribed();
      resolve({ code: code ?? signal, lines: text.split('\n').filter((l) => l && !/^(Client |Subscribed )/.test(l)), text });
    }),
  );
  await acked;
  return { done };
}

/** The listening TCP sockets of these pids, from `ss -ltnpH`: [{ addr, port, pid }]. */
function listenersOf(pids) {
  const wanted = new Set(pids);
  const out = [];
  for (const line of execFileSync('ss', ['-ltnpH']).toString().split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const m = /^(.*):(\d+)$/.exec(f[3]);
    for (const [, pid] of line.matchAll(/pid=(\d+)/g)) {
      if (wanted.has(Number(pid))) out.push({ addr: m[1], port: Number(m[2]), pid: Number(pid) });
    }
  }
  return out;
}

/** Running processes (zombies left out: they are gone, only not reaped yet): [{ pid, args }]. */
function processes() {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='])
    .toString()
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m) => m && !m[2].startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), args: m[3] }));
}
const OURS = /beam\.smp|epmd|rabbitmq|erl_child_setup|inet_gethost/;

/** Which program listens on 127.0.0.1:port, as `ss` names it ('' when ss cannot say). Other test
 *  files run beside this one: a port a stopped broker had may be taken again by one of theirs, which
 *  is no leak of ours. */
function listenerOf(port) {
  try {
    return execFileSync('ss', ['-Hltnp', `sport = :${port}`])
      .toString()
      .trim();
  } catch {
    return '';
  }
}

describe('the RabbitMQ harness', { skip }, () => {
  // What test (d) checks: every port, pid and folder any broker of this file had, and what ran before.
  const ports = [];
  const pids = new Set();
  const folders = [];
  let before0;
  const remember = (broker, node = broker) => {
    ports.push(node.port, node.wsPort, node.amqpPort, node.distPort, broker.epmdPort);
    for (const p of broker.pids()) pids.add(p);
    folders.push(node.dir);
  };

  before(() => {
    before0 = new Set(
      processes()
        .filter((p) => OURS.test(p.args))
        .map((p) => p.pid),
    );
  });

  test('(a) one node: mosquitto_sub -C 1 gets what mosquitto_pub sends; Web MQTT on /ws; 127.0.0.1 only', async () => {
    const broker = await startRabbitMQ();
    try {
      assert.match(rabbitmqVersion() ?? 'null', /^\d+\.\d+\.\d+$/);
      assert.match(broker.node, new RegExp(`^mqttpair-${process.pid}-\\d+@localhost$`));
      assert.equal(broker.url, `mqtt://127.0.0.1:${broker.port}`);
      assert.equal(broker.wsPath, '/ws');
      remember(broker);

      const sub = await subscribeOnce(broker.port, ['-t', 'a/b']);
      const ws = await mqtt.connectAsync(`ws://127.0.0.1:${broker.wsPort}/ws`, { reconnectPeriod: 0, connectTimeout: 10000 });
      const wsGot = new Promise((resolve) => ws.on('message', (topic, payload) => resolve(`${topic} ${payload}`)));
      await ws.subscribeAsync('a/b', { qos: 0 });
      const r = await pub(broker.port, ['-t', 'a/b', '-m', 'hi']);
      assert.equal(r.code, 0, r.out);
      const got = await sub.done;
      assert.equal(got.code, 0, got.text);
      assert.deepEqual(got.lines, ['a/b hi']);
      assert.equal(await wsGot, 'a/b hi');
      await ws.endAsync();

      // While it runs: every listening socket of its processes (node, port mapper) is on 127.0.0.1, and
      // those are its MQTT, Web MQTT, AMQP, distribution and port-mapper ports.
      const socks = listenersOf(broker.pids());
      assert.deepEqual(
        socks.filter((s) => s.addr !== '127.0.0.1'),
        [],
        `sockets not on 127.0.0.1: ${JSON.stringify(socks)}`,
      );
      for (const p of [broker.port, broker.wsPort, broker.amqpPort, broker.distPort, broker.epmdPort]) {
        assert.ok(
          socks.some((s) => s.port === p),
          `nothing of the broker listens on 127.0.0.1:${p}: ${JSON.stringify(socks)}`,
        );
      }
    } finally {
      await broker.stop();
    }
  });

  test('(b) users, allowAnonymous false: a wrong password and anonymous clients are refused, the right one works, also after restart()', async () => {
    const broker = await startRabbitMQ({ users: { student: 'secret' }, allowAnonymous: false });
    try {
      remember(broker);
      const wrong = await pub(broker.port, ['-u', 'student', '-P', 'wrong', '-t', 'lab/x', '-m', 'no']);
      assert.notEqual(wrong.code, 0, wrong.out);
      assert.match(wrong.out, /refused/i);
      const anonymous = await pub(broker.port, ['-t', 'lab/x', '-m', 'no']);
      assert.notEqual(anonymous.code, 0, anonymous.out);

      const credentials = ['-u', 'student', '-P', 'secret'];
      const sub = await subscribeOnce(broker.port, [...credentials, '-t', 'lab/#']);
      const right = await pub(broker.port, [...credentials, '-t', 'lab/x', '-m', 'yes']);
      assert.equal(right.code, 0, right.out);
      const got = await sub.done;
      assert.equal(got.code, 0, got.text);
      assert.deepEqual(got.lines, ['lab/x yes']);

      const port = broker.port;
      await broker.restart();
      assert.equal(broker.port, port);
      for (const p of broker.pids()) pids.add(p);
      const again = await pub(broker.port, [...credentials, '-t', 'lab/x', '-m', 'again']);
      assert.equal(again.code, 0, again.out);
      assert.notEqual((await pub(broker.port, ['-u', 'student', '-P', 'wrong', '-t', 'lab/x', '-m', 'no'])).code, 0);
    } finally {
      await broker.stop();
    }
  });

  test('(c) a two-node cluster: a subscriber on node B gets what is published on node A', async () => {
    const cluster = await startRabbitMQCluster({ nodes: 2 });
    try {
      const [a, b] = cluster.nodes;
      for (const n of cluster.nodes) remember(cluster, n);
      assert.equal(cluster.nodes.length, 2);
      assert.notEqual(a.port, b.port);
      assert.notEqual(a.wsPort, b.wsPort);
      const status = JSON.parse(await a.ctl('cluster_status', '--formatter', 'json'));
      assert.deepEqual([...status.running_nodes].sort(), [a.node, b.node].sort());

      const sub = await subscribeOnce(b.port, ['-t', 'room/+']);
      const r = await pub(a.port, ['-t', 'room/1', '-m', 'across']);
      assert.equal(r.code, 0, r.out);
      const got = await sub.done;
      assert.equal(got.code, 0, got.text);
      assert.deepEqual(got.lines, ['room/1 across']);
    } finally {
      await cluster.stop();
    }
  });

  test('(d) after stop(): nothing listens on their ports, none of their processes is left, their folders are gone', async () => {
    assert.ok(ports.length >= 15 && pids.size > 0, 'tests (a)-(c) ran');
    for (const p of ports) {
      if (!(await listening(p))) continue;
      const who = listenerOf(p);
      assert.ok(who && !OURS.test(who), `something of the brokers' still listens on 127.0.0.1:${p}: ${who || '(ss cannot say whose)'}`);
    }
    const now = processes();
    assert.deepEqual(
      now.filter((p) => pids.has(p.pid)),
      [],
      'processes of the brokers still run',
    );
    assert.deepEqual(
      now.filter((p) => OURS.test(p.args) && !before0.has(p.pid) && p.pid !== process.pid && ownedHere(p.pid)),
      [],
      'rabbitmq/beam/epmd processes this file started still run',
    );
    for (const d of folders) assert.equal(existsSync(d), false, `${d} is still there`);
  });
});
