// mqtts:// on Node: the broker URL forms, then a private Mosquitto with TLS listeners (certificates
// made here with openssl: a CA, a server certificate for localhost and 127.0.0.1, one for another
// name, and a CA that signed neither) reached by mqtt-pair pub/sub, the simulator and its boards.
// A wrong CA or a wrong name is refused in one line, and the password never shows.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, MqttClient, SimBoard, brokerName, redact, nodeHost, parseBroker, readCaFile } from '../../dist/index.js';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { makeCertificates, opensslSkip } from '../helpers/certs.mjs';
import { assertNotPrinted, assertOneLineError, mqttPair, publishEach, waitForLine } from '../helpers/child.mjs';
import { until } from '../helpers/wait.mjs';

const PASSWORD = 'tls-S3cret/p@ss';
const USER = 'student';

describe('broker URLs', () => {
  test('mqtts:// is TLS on port 8883; ws:// and wss:// are WebSocket on 80 and 443 with the path /mqtt unless given', () => {
    assert.deepEqual(parseBroker('mqtts://192.168.1.144'), { host: '192.168.1.144', port: 8883, transport: 'tls' });
    assert.deepEqual(parseBroker('mqtts://u:p@broker.lan:8884/'), { host: 'broker.lan', port: 8884, username: 'u', password: 'p', transport: 'tls' });
    assert.deepEqual(parseBroker('ws://192.168.1.144:8080'), { host: '192.168.1.144', port: 8080, transport: 'ws', path: '/mqtt' });
    assert.deepEqual(parseBroker('WSS://broker.example/ws/mqtt?x=1'), { host: 'broker.example', port: 443, transport: 'wss', path: '/ws/mqtt?x=1' });
    assert.deepEqual(parseBroker('ws://h:9001/'), { host: 'h', port: 9001, transport: 'ws', path: '/' });
    assert.deepEqual(parseBroker('mqtt://h'), { host: 'h', port: 1883 });
    assert.deepEqual(parseBroker('h:1884'), { host: 'h', port: 1884 });
    // The last @ ends the password, which may hold / : and @.
    assert.deepEqual(parseBroker('mqtts://alice:a/b:c@d@h'), { host: 'h', port: 8883, username: 'alice', password: 'a/b:c@d', transport: 'tls' });
  });

  test('the config errors list every form, and never show a password', () => {
    const cases = [
      [
        'http://h',
        /uses http:\/\/, which is not supported: write host, host:port, mqtt:\/\/\[user:pass@\]host\[:port\], mqtts:\/\/… \(TLS, port 8883\), ws:\/\/…\[\/path\] or wss:\/\/…\[\/path\] \(WebSocket, path \/mqtt\)$/,
      ],
      ['mqtt://h/x', /has a path \(mqtt:\/\/ has none; only ws:\/\/ and wss:\/\/ do\)/],
      ['mqtts://h:0', /has port "0"/],
      ['ws://h/a b', /has a path with spaces/],
    ];
    for (const [value, re] of cases)
      assert.throws(
        () => parseBroker(value),
        (e) => e instanceof ConfigError && re.test(e.message),
        value,
      );
    for (const value of [`mqtts://${USER}:${PASSWORD}@h:0`, `wss://${USER}:${PASSWORD}@h/a b`, `ws://${USER}:${PASSWORD}@h:x`, `${USER}:${PASSWORD}@h`]) {
      assert.throws(
        () => parseBroker(value),
        (e) => !e.message.includes(PASSWORD) && !e.message.includes('p@ss') && e.message.includes(`${USER}:***@`),
        value,
      );
    }
    assert.equal(redact(`wss://${USER}:${PASSWORD}@h:443/mqtt`), `wss://${USER}:***@h:443/mqtt`);
    assert.equal(redact('ws://h:8080/mqtt'), 'ws://h:8080/mqtt');
    assert.equal(redact('mqtt://alice@h'), 'mqtt://alice@h');
  });

  test('logs name the broker without credentials, the scheme and port only when not the defaults', () => {
    assert.equal(brokerName(parseBroker('mqtt://u:p@h')), 'h');
    assert.equal(brokerName(parseBroker('h:1884')), 'h:1884');
    assert.equal(brokerName(parseBroker('mqtts://u:p@h')), 'mqtts://h');
    assert.equal(brokerName(parseBroker('mqtts://h:9883')), 'mqtts://h:9883');
    assert.equal(brokerName(parseBroker('ws://u:p@h:8080')), 'ws://h:8080/mqtt');
    assert.equal(brokerName(parseBroker('wss://h/ws')), 'wss://h/ws');
  });

  test('a CA file may be PEM or DER; anything else is said', { skip: opensslSkip() }, () => {
    const certs = makeCertificates();
    try {
      assert.match(String(readCaFile(certs.ca)), /-----BEGIN CERTIFICATE-----/);
      assert.match(String(readCaFile(certs.caDer)), /^-----BEGIN CERTIFICATE-----/);
      assert.throws(() => readCaFile(certs.server.key), /holds no certificate \(PEM or DER\)/);
      assert.throws(() => readCaFile('/nonexistent/ca.pem'), /cannot read the CA file \/nonexistent\/ca\.pem: no such file/);
    } finally {
      certs.remove();
    }
  });
});

describe('against Mosquitto with TLS', { skip: mosquittoSkip() || opensslSkip() }, () => {
  let certs, broker, tlsPort, otherPort;
  before(async () => {
    certs = makeCertificates();
    broker = await startMosquitto({
      users: { [USER]: PASSWORD },
      listeners: [
        { certfile: certs.server.cert, keyfile: certs.server.key },
        { certfile: certs.otherName.cert, keyfile: certs.otherName.key },
      ],
    });
    [tlsPort, otherPort] = broker.ports;
  });
  after(async () => {
    await broker?.stop();
    certs?.remove();
  });

  const auth = () => ['-u', USER, '-P', PASSWORD];
  const assertNoPassword = (...rs) => assertNotPrinted(PASSWORD, ...rs);

  test('sub and pub with --cafile: -h 127.0.0.1, -h localhost, and -L mqtts://user:password@…', async () => {
    const sub = mqttPair(['sub', '-h', '127.0.0.1', '-p', String(tlsPort), '--cafile', certs.ca, ...auth(), '-t', 'lab/tls', '-C', '3', '-v', '-d']);
    await sub.waitFor('stdout', /received SUBACK/);
    const pubs = [
      ['pub', '-h', '127.0.0.1', '-p', String(tlsPort), '--cafile', certs.ca, ...auth(), '-t', 'lab/tls', '-m', 'one', '-q', '1'],
      ['pub', '-h', 'localhost', '-p', String(tlsPort), '--cafile', certs.ca, ...auth(), '-t', 'lab/tls', '-m', 'two', '-q', '2'],
      ['pub', '-L', `mqtts://${USER}@127.0.0.1:${tlsPort}/lab/tls`, '-P', PASSWORD, '--cafile', certs.caDer, '-m', 'three'],
    ];
    const r = await publishEach(pubs, sub, PASSWORD);
    assert.equal(r.stdout, 'lab/tls one\nlab/tls two\nlab/tls three\n');
    assert.match(r.raw, new RegExp(`connecting to mqtts://127\\.0\\.0\\.1:${tlsPort}`));
  });

  test('a certificate not signed by --cafile, or no --cafile at all: refused in one line', async () => {
    const wrong = await mqttPair(['pub', '-L', `mqtts://127.0.0.1:${tlsPort}/lab/x`, '--cafile', certs.otherCa, ...auth(), '-m', 'x']).exit;
    assertOneLineError(
      wrong,
      'mqtt-pair pub: ',
      new RegExp(`^mqtt-pair pub: TLS: certificate of 127\\.0\\.0\\.1:${tlsPort} is not signed by the given CA \\(--cafile\\)$`),
    );
    const none = await mqttPair(['sub', '-L', `mqtts://127.0.0.1:${tlsPort}/lab/x`, ...auth()]).exit;
    assertOneLineError(
      none,
      'mqtt-pair sub: ',
      /TLS: certificate of 127\.0\.0\.1:\d+ is not signed by a CA this computer trusts: give the broker's CA with --cafile$/,
    );
    assertNoPassword(wrong, none);
  });

  test('a certificate for another name: refused in one line; --insecure skips the name check only', async () => {
    const r = await mqttPair(['pub', '-h', '127.0.0.1', '-p', String(otherPort), '--cafile', certs.ca, ...auth(), '-t', 'lab/x', '-m', 'x']).exit;
    assertOneLineError(
      r,
      'mqtt-pair pub: ',
      /^mqtt-pair pub: TLS: certificate is for mqtt\.example, not 127\.0\.0\.1: connect to that name, or skip the name check with --insecure$/,
    );
    // The same command with two CAs: --insecure skips the name check, never the CA's.
    const insecurePub = (cafile, ...more) =>
      mqttPair(['pub', '-h', '127.0.0.1', '-p', String(otherPort), '--cafile', cafile, '--insecure', ...auth(), '-t', 'lab/x', '-m', 'x', ...more]).exit;
    const ok = await insecurePub(certs.ca, '-q', '1');
    assert.equal(ok.code, 0, ok.stderr);
    const stillCa = await insecurePub(certs.otherCa);
    assertOneLineError(stillCa, 'mqtt-pair pub: ', /is not signed by the given CA/);
  });

  test('TLS to a plain port and plain MQTT to a TLS port are both said', async () => {
    const r = await mqttPair(['pub', '-h', '127.0.0.1', '-p', String(broker.port), '--cafile', certs.ca, '-t', 'x', '-m', 'x']).exit;
    assertOneLineError(r, 'mqtt-pair pub: ', /TLS: 127\.0\.0\.1:\d+ (closed the connection during the TLS handshake|does not speak TLS)/);
    const plain = await mqttPair(['pub', '-h', '127.0.0.1', '-p', String(tlsPort), ...auth(), '-t', 'x', '-m', 'x']).exit;
    assertOneLineError(plain, 'mqtt-pair pub: ', new RegExp(`127\\.0\\.0\\.1:${tlsPort}`));
    assertNoPassword(r, plain);
  });

  test('the flags are checked before connecting', async () => {
    const cases = [
      [
        ['sub', '-t', 'a', '--cafile', '/nonexistent/ca.pem'],
        /--cafile: cannot read the CA file \/nonexistent\/ca\.pem: no such file \(is the path right\?\)$/,
      ],
      [['sub', '-t', 'a', '--insecure'], /--insecure only applies to TLS: use it with --cafile, -L mqtts:\/\/ or -L wss:\/\//],
      [['sub', '-L', 'ws://127.0.0.1/mqtt/a', '--cafile', certs.ca], /--cafile is for TLS: write the URL as wss:\/\/ instead of ws:\/\//],
      [['pub', '-t', 'a', '-m', 'x', '--cert', 'c.pem'], /--cert is not supported: client certificates are not supported/],
      [['pub', '-t', 'a', '-m', 'x', '--capath', '/etc/ssl/certs'], /--capath is not supported: give the CA certificate as a file with --cafile/],
    ];
    for (const [args, re] of cases) assertOneLineError(await mqttPair(args).exit, `mqtt-pair ${args[0]}: `, re);
  });

  test('the MQTT client on the Node host over mqtts://: QoS 2 both ways', async () => {
    const endpoint = { ...parseBroker(`mqtts://127.0.0.1:${tlsPort}`), ca: certs.ca };
    const c = new MqttClient(nodeHost({ log: () => {} }), endpoint, {
      clientId: 'tls-client',
      username: USER,
      password: PASSWORD,
      reconnect: false,
      queue: { messages: 10, bytes: 1 << 20 },
    });
    const got = [];
    c.onMessage = (m) => got.push(Buffer.from(m.payload).toString());
    await new Promise((resolve, reject) => {
      c.onConnect = resolve;
      c.onClose = (reason) => reject(new Error(reason));
      c.connect();
    });
    await new Promise((resolve, reject) => c.subscribe('lab/qos2', { qos: 2 }, (e) => (e ? reject(e) : resolve())));
    const big = 'x'.repeat(200_000);
    await new Promise((resolve, reject) => c.publish('lab/qos2', big, { qos: 2 }, (e) => (e ? reject(e) : resolve())));
    await until(() => got.length, 'the message back');
    c.end();
    assert.equal(got[0]?.length, big.length);
  });

  test('the simulator: --broker mqtts://user:password@… --cafile runs the pair, and never prints the password', async () => {
    const sim = mqttPair([
      'sim',
      '--broker',
      `mqtts://${USER}:${encodeURIComponent(PASSWORD)}@localhost:${tlsPort}`,
      '--cafile',
      certs.ca,
      '--no-wifi',
      '--interval',
      '200',
    ]);
    try {
      await sim.waitFor('stdout', /\[esp1\] ESP received hello message/);
    } finally {
      const r = await sim.stop();
      assert.match(r.stdout, new RegExp(`Using the broker at mqtts://${USER}:\\*\\*\\*@localhost:${tlsPort}`));
      assert.match(r.stdout, new RegExp(`\\[esp2\\] Connected to mqtts://localhost:${tlsPort} MQTT broker`));
      assertNoPassword(r);
      assert.ok(!r.stdout.includes(encodeURIComponent(PASSWORD)), r.stdout);
    }
  });

  test('the simulator refuses --cafile without a TLS broker, and a CA file it cannot read', async () => {
    const plain = await mqttPair(['sim', '--broker', `127.0.0.1:${broker.port}`, '--cafile', certs.ca]).exit;
    assertOneLineError(plain, 'mqtt-pair sim: ', /--cafile is for a TLS broker: write --broker mqtts:\/\/… or wss:\/\/…/);
    const missing = await mqttPair(['sim', '--broker', `mqtts://127.0.0.1:${tlsPort}`, '--cafile', '/nonexistent/ca.pem']).exit;
    assertOneLineError(missing, 'mqtt-pair sim: ', /--cafile: cannot read the CA file \/nonexistent\/ca\.pem: no such file/);
  });

  test('a simulated board: config ca= a wrong CA says why it fails, and never the password', async () => {
    const url = `mqtts://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${tlsPort}`;
    const b = new SimBoard({
      name: 'esp1',
      print: () => {},
      config: { broker: url, ca: certs.otherCa, role: 'hello', backoffMin: 50, backoffMax: 100, restartAfter: 0 },
    });
    try {
      b.start();
      await waitForLine(
        b,
        new RegExp(
          `^Failed to connect to MQTT broker: TLS: certificate of 127\\.0\\.0\\.1:${tlsPort} is not signed by the given CA \\(--cafile\\)\\. Reconnecting in`,
        ),
      );
    } finally {
      b.stop();
    }
    const good = new SimBoard({ name: 'esp1', print: () => {}, config: { broker: url, ca: certs.caDer, role: 'hello', interval: 100 } });
    try {
      good.start();
      await waitForLine(good, new RegExp(`^Connected to mqtts://127\\.0\\.0\\.1:${tlsPort} MQTT broker`));
    } finally {
      good.stop();
    }
    for (const line of [...b.lines, ...good.lines]) assert.ok(!line.includes(PASSWORD) && !line.includes(encodeURIComponent(PASSWORD)), line);
    assert.ok(readFileSync(certs.caDer)[0] === 0x30, 'the DER CA, as the boards take it, works on Node too');
  });
});
