// The mqtt-pair command with no broker at all: every bad argument is one line on stderr naming the
// flag, with exit code 1 and no password in it; --help lists every flag; a broker that is not
// there, or a scripted one that refuses or never answers, is said in one line.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';
import { freePort } from '../helpers/mosquitto.mjs';

import { parseBrokerUrl } from '../../dist/testing.js';
const PASSWORD = 's3cr3t-Pa55';
const run = (args) => mqttPair(args).exit;

const tmp = mkdtempSync(join(tmpdir(), 'mqtt-pair-args-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function assertNoPassword(...results) {
  for (const r of results) {
    assert.ok(!r.raw.includes(PASSWORD) && !r.stderr.includes(PASSWORD), `the password was printed:\n${r.stdout}\n${r.stderr}`);
  }
}

/** A fake broker speaking just enough MQTT: `reply(packet, socket)` gets each whole packet as a Buffer. */
async function fakeBroker(reply) {
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        let len = 0,
          mul = 1,
          i = 1;
        for (; i < buf.length && i <= 4; i++) {
          len += (buf[i] & 127) * mul;
          mul *= 128;
          if (!(buf[i] & 128)) break;
        }
        if (i >= buf.length || buf.length < i + 1 + len) return;
        const packet = buf.subarray(0, i + 1 + len);
        buf = buf.subarray(i + 1 + len);
        reply(packet, socket);
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }),
  };
}
const CONNACK_OK = Buffer.from([0x20, 2, 0, 0]);

describe('arguments', { concurrency: 4 }, () => {
  const bad = [
    [['pub', '-t', 'a', '-m', 'x', '-Z'], /unknown option '-Z'.*mqtt-pair pub --help/],
    [['sub', '-t', 'a', '--frobnicate'], /unknown option '--frobnicate'/],
    [['sub', '-t'], /-t needs a value/],
    [['pub', '-t', 'a', '-m'], /-m needs a value/],
    [['pub', '-t', 'a', '-m', 'x', '-q', '3'], /-q needs a QoS level from 0 to 2, got '3'/],
    [['sub', '-t', 'a', '-q', 'high'], /-q needs a QoS level from 0 to 2/],
    [['sub', '-t', 'a', '-k', '0'], /-k needs a keepalive in seconds from 1 to 65535, got '0'/],
    [['pub', '-t', 'a', '-m', 'x', '-k', '70000'], /-k needs a keepalive/],
    [['sub', '-t', 'a', '-p', '99999'], /-p needs a port number from 1 to 65535/],
    [['pub', '-L', 'mqtt//127.0.0.1/a', '-m', 'x'], /-L needs a URL of the form mqtt:\/\//],
    [['pub', '-L', 'http://127.0.0.1/a', '-m', 'x'], /unsupported URL scheme/],
    [
      ['sub', '-L', 'mqtts://127.0.0.1/a', '--insecure', '--cafile', '/nonexistent/ca.pem'],
      /--cafile: cannot read the CA file \/nonexistent\/ca.pem: no such file/,
    ],
    [['sub', '-t', 'a', '--insecure'], /--insecure only applies to TLS/],
    [['pub', '-L', 'mqtt://127.0.0.1:1883', '-m', 'x'], /topic is missing/],
    [['sub', '-L', 'mqtt://127.0.0.1:port/a'], /port must be a number/],
    [['pub', '-t', 'class/#', '-m', 'x'], /cannot publish to "class\/#": wildcards/],
    [['pub', '-t', 'a/+/b', '-m', 'x'], /wildcards \+ and # are only for subscribing/],
    [['sub', '-t', 'a/#/b'], /# must be a whole level and the last one/],
    [['sub', '-t', 'a', '-c'], /-c .*needs a client id.*-i/],
    [['pub', '-t', 'a', '-m', 'x', '-c', '-I', 'pre'], /-i and -I cannot be used together|-c .*-i/],
    [['pub', '-m', 'x'], /no topic: .*-t/],
    [['sub'], /no topic: .*-t/],
    [['pub', '-t', 'a'], /no message: add -m/],
    [['pub', '-t', 'a', '-m', 'x', '-n'], /only one message/],
    [['pub', '-t', 'a', '-m', 'x', '-m', 'y'], /only one message/],
    [['pub', '-t', 'a', '-f', '/nonexistent/file.bin'], /-f: cannot read the file '\/nonexistent\/file.bin': no such file/],
    [['pub', '-t', 'a', '-m', 'x', '-P', PASSWORD], /-P \(password\) needs -u/],
    [['sub', '-t', 'a', '--will-payload', 'bye'], /--will-payload needs --will-topic/],
    [['sub', '-t', 'a', '--will-topic', 'w/#'], /--will-topic: cannot publish to "w\/#"/],
    [['sub', '-t', 'a', '--will-topic', 'w', '--will-qos', '3'], /--will-qos needs a QoS level from 0 to 2/],
    [['sub', '-t', 'a', '-W', '0'], /-W needs a number of seconds above 0/],
    [['sub', '-t', 'a', '-C', '0'], /-C needs a message count from 1/],
    [['sub', '-t', 'a', '--cert', 'client.pem'], /--cert is not supported: client certificates/],
    [['sub', '-t', 'a', '-V', 'mqttv5'], /MQTT 3.1.1 only/],
    [['pub', '-t', 'a', 'hello'], /unexpected argument 'hello'/],
  ];
  for (const [args, re] of bad) {
    test(`mqtt-pair ${args.join(' ')}`, async () => {
      const r = await run(args);
      const prefix = `mqtt-pair ${args[0]}: `;
      assertOneLineError(r, prefix, re);
      assert.equal(r.stdout, '');
      assertNoPassword(r);
    });
  }

  test('a password typed without -P, or glued to it, is not printed', async () => {
    const r1 = await run(['sub', '-t', 'a', '-u', 'alice', PASSWORD]);
    assertOneLineError(r1, 'mqtt-pair sub: ', /follows -u <user> .*put -P in front of the password/);
    const r2 = await run(['sub', '-t', 'a', '-u', 'alice', `-P${PASSWORD}`]);
    assertOneLineError(r2, 'mqtt-pair sub: ', /unknown option '-P…': put a space between -P and its value/);
    assertNoPassword(r1, r2);
  });

  test('a malformed -L URL does not print its password', async () => {
    const r = await run(['pub', '-L', `mqtt://alice:${PASSWORD}@127.0.0.1:notaport/a`, '-m', 'x']);
    assertOneLineError(r, 'mqtt-pair pub: ', /mqtt:\/\/alice:\*\*\*@127\.0\.0\.1:notaport\/a/);
    assertNoPassword(r);
  });

  test('an unknown command gets one line and the list of commands', async () => {
    const r = await run(['frobnicate']);
    assertOneLineError(r, 'mqtt-pair: ', /unknown command 'frobnicate'.*pub, sub, sim/);
  });

  test('--help lists every flag of pub and of sub, on stdout, exit 0', async () => {
    const common = [
      '-h',
      '-p',
      '-L',
      '-u',
      '-P',
      '-i',
      '-I',
      '-k',
      '-c',
      '-q',
      '-t',
      '-d',
      '--quiet',
      '--will-topic',
      '--will-payload',
      '--will-qos',
      '--will-retain',
      '--help',
    ];
    const pub = await run(['pub', '--help']);
    assert.equal(pub.code, 0);
    assert.equal(pub.stderr, '');
    for (const f of [...common, '-m', '-f', '-n', '-s', '-l', '-r', '--repeat', '--repeat-delay']) {
      assert.match(pub.stdout, new RegExp(`^  ${f}[, ]`, 'm'), `pub --help lacks ${f}`);
    }
    const sub = await run(['help', 'sub']);
    assert.equal(sub.code, 0);
    for (const f of [...common, '-C', '-W', '-v', '-N', '-F', '-R', '-T', '-E']) {
      assert.match(sub.stdout, new RegExp(`^  ${f}[, ]`, 'm'), `sub --help lacks ${f}`);
    }
    const top = await run(['--help']);
    assert.equal(top.code, 0);
    for (const c of ['pub', 'sub', 'sim']) assert.match(top.stdout, new RegExp(`^  ${c} `, 'm'));
    const none = await run([]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /Usage: mqtt-pair <command>/);
  });

  test('an unreachable broker: one line naming it, exit 1, at once', async () => {
    // Without a retry: a client that retried would never exit (the default reconnects forever).
    const port = await freePort();
    for (const cmd of [
      ['sub', '-t', 'a'],
      ['pub', '-t', 'a', '-m', 'x', '-q', '1'],
    ]) {
      const r = await run([...cmd, '-p', String(port)]);
      assertOneLineError(r, `mqtt-pair ${cmd[0]}: `, new RegExp(`no MQTT broker at 127\\.0\\.0\\.1:${port} \\(connection refused\\): check -h and -p`));
      assert.equal(r.code, 1);
    }
  });

  test('a refused subscription (SUBACK 0x80): one line, exit 1', async () => {
    const broker = await fakeBroker((p, s) => {
      if (p[0] >> 4 === 1) s.write(CONNACK_OK);
      if (p[0] >> 4 === 8) s.write(Buffer.from([0x90, 3, p[2], p[3], 0x80]));
    });
    try {
      const r = await run(['sub', '-p', String(broker.port), '-t', 'secret/#', '-u', 'bob', '-P', PASSWORD]);
      assertOneLineError(r, 'mqtt-pair sub: ', /refused the subscription to 'secret\/#' \(SUBACK 0x80\): user 'bob' may not read it/);
      assert.equal(r.code, 1);
      assertNoPassword(r);
    } finally {
      await broker.close();
    }
  });

  test('pub reports a QoS 1 message the broker never acknowledged', async () => {
    const broker = await fakeBroker((p, s) => {
      if (p[0] >> 4 === 1) s.write(CONNACK_OK);
      if (p[0] >> 4 === 3) s.destroy(); // takes the PUBLISH, closes without PUBACK
    });
    try {
      const r = await run(['pub', '-p', String(broker.port), '-t', 'a', '-m', 'x', '-q', '1']);
      assertOneLineError(r, 'mqtt-pair pub: ', /closed before the broker acknowledged the message/);
    } finally {
      await broker.close();
    }
  });

  test('sim is dispatched to runSim', async () => {
    const r = await run(['sim', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /mqtt-pair sim/);
  });
});

describe('messages too large to send: refused before they are read', () => {
  test("pub -s with an endless stdin stops at the protocol's maximum", async () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      const r = await mqttPair(['pub', '-p', '1', '-t', 't', '-s'], { stdin: fd }).exit;
      assertOneLineError(
        r,
        'mqtt-pair pub:',
        /the message on stdin is more than 268435452 bytes, more than MQTT allows in one packet with this topic \(256 MB\)/,
      );
    } finally {
      closeSync(fd);
    }
  });

  test('pub -f with a file above 256 MB is refused unread', async () => {
    const file = join(tmp, 'huge.bin');
    writeFileSync(file, '');
    truncateSync(file, 300 * 1024 * 1024); // sparse: nothing is written
    const r = await mqttPair(['pub', '-p', '1', '-t', 't', '-f', file]).exit;
    assertOneLineError(r, 'mqtt-pair pub:', /the file '.*huge\.bin' is more than 268435452 bytes/);
  });
});

describe('numbers and lengths out of range: one line naming the flag', () => {
  const long = 'x'.repeat(70000);
  for (const [args, prefix, re] of [
    [['sub', '-t', 't', '-W', '2147484'], 'mqtt-pair sub:', /^mqtt-pair sub: -W needs a number of seconds above 0 up to 2147483 \(24 days\)/],
    [
      ['pub', '-t', 't', '-m', 'x', '--repeat', '2', '--repeat-delay', '9999999'],
      'mqtt-pair pub:',
      /--repeat-delay needs a number of seconds from 0 up to 2147483/,
    ],
    [['sub', '-t', 't', '-k', '70000'], 'mqtt-pair sub:', /-k needs a keepalive in seconds from 1 to 65535, got '70000'/],
    [['pub', '-t', 't', '-m', 'x', '-q', '3'], 'mqtt-pair pub:', /-q needs a QoS level from 0 to 2, got '3'/],
    [['pub', '-t', 't', '-m', 'x', '-M', '0'], 'mqtt-pair pub:', /-M needs a number of messages from 1 to 65535/],
    [['pub', '-t', 't', '-m', 'x', '-i', long], 'mqtt-pair pub:', /the client id is 70000 bytes, MQTT allows at most 65535/],
    [['pub', '-t', 't', '-m', 'x', '-u', 'u', '-P', long], 'mqtt-pair pub:', /the password is 70000 bytes/],
    [['pub', '-t', 't', '-m', 'x', '--will-topic', 'w', '--will-payload', long], 'mqtt-pair pub:', /--will-payload is 70000 bytes/],
    [
      ['sim', '--interval', '3000000000'],
      'mqtt-pair sim:',
      /--interval needs a number of milliseconds \(24 days at most\) from 10 to 2147483647, got '3000000000'/,
    ],
    [
      ['chat', '--name', 'a', '--peer', 'b', '--id', long],
      'mqtt-pair chat:',
      /^mqtt-pair chat: --id: the client id is 70000 bytes, MQTT allows at most 65535$/,
    ],
  ]) {
    test(`${args[0]} ${args
      .filter((a) => a !== long)
      .slice(1)
      .join(' ')
      .slice(0, 60)}`, async () => {
      const r = await mqttPair(args).exit;
      const line = assertOneLineError(r, prefix, re);
      assert.ok(!line.includes(long));
    });
  }

  test('sim --broker with a 70,000-character password: the one Config error line, no password', async () => {
    const r = await mqttPair(['sim', '--role', 'hello', '--no-wifi', '--broker', `mqtt://u:${long}@127.0.0.1:1`]).exit;
    assert.notEqual(r.code, 0);
    const lines = r.stdout.split('\n').filter((l) => l.includes('Config error'));
    assert.deepEqual(lines, ['[esp1] Config error: config broker: the password is longer than MQTT allows (65535 bytes) or not valid text']);
    assert.ok(!r.stdout.includes(long) && !r.stderr.includes(long));
  });
});

describe("-L: the URL's user and password as --broker reads them", () => {
  test('a / in the password, and %-escapes', () => {
    assert.deepEqual(parseBrokerUrl('mqtt://alice:pa/ss@192.168.1.144:1884/class/#'), {
      host: '192.168.1.144',
      port: 1884,
      username: 'alice',
      password: 'pa/ss',
      transport: 'tcp',
      topic: 'class/#',
    });
    assert.deepEqual(parseBrokerUrl('mqtt://al%40ce:p%2Fw%3A@host/t'), { host: 'host', username: 'al@ce', password: 'p/w:', transport: 'tcp', topic: 't' });
    assert.deepEqual(parseBrokerUrl('mqtt://host:1883/a@b'), { host: 'host', port: 1883, transport: 'tcp', topic: 'a@b' });
  });
});

describe('brokers that misbehave: said, with an exit code that tells', () => {
  test('a SUBACK that never comes: sub stops after the connect timeout and says why', async () => {
    const server = createServer((s) => {
      s.once('data', () => s.write(Buffer.from([0x20, 2, 0, 0]))); // CONNACK, then silence
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await mqttPair(['sub', '-p', String(server.address().port), '-t', 't']).exit;
      assertOneLineError(r, 'mqtt-pair sub:', /never acknowledged the subscription \(no SUBACK from the broker within 10 s\)/);
    } finally {
      server.close();
    }
  });
});

describe("the Node host's timers", () => {
  test('a delay above 2^31 - 1 ms waits (Node alone would fire it at once)', async () => {
    const { nodeHost } = await import('../../dist/index.js');
    let fired = 0;
    const host = nodeHost();
    const timer = host.after(2 ** 31 + 5000, () => fired++);
    await new Promise((r) => setTimeout(r, 100));
    host.cancel(timer);
    assert.equal(fired, 0);
  });
});
