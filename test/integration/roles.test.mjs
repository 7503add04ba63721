// The course's other activities as roles of the same firmware and of the simulator: sensor (seeds
// 001 and 003), chat (seed 000), remote and actuator (seeds 000 and 001). Each on the embedded
// broker; the sensor's last will also on Mosquitto; chat and remote/actuator also as `mqtt-pair`
// processes talking through pipes. Every wait is for a condition, never for a length of time.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MqttClient, ROLES, SimBoard, nodeHost, payloadText, readConfig } from '../../dist/index.js';
import { ARROWS, COLOURS, colourOf, roles, sensorTopics } from '../../dist/testing.js';
import { embeddedBrokerFor } from '../helpers/embedded.mjs';
import { killedAtExit } from '../helpers/child.mjs';
import { freePort, mosquittoFor, mosquittoTool } from '../helpers/mosquitto.mjs';
import { LIMIT, lineIn, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const PREFIX = 'LycMaurois/SNT_2nde/alice/';

// ---- helpers

const waitForLine = (board, re) => lineIn(board.lines, re);

const boards = [];
function board(name, config, extra = {}) {
  const b = new SimBoard({
    name,
    config: { backoffMin: 100, backoffMax: 300, clientId: `${name}-${process.pid}`, ...config },
    print: () => {},
    restartDelay: 50,
    ...extra,
  });
  boards.push(b);
  return b.start();
}

/** A plain client that records every message it gets; `connected` resolves once it is subscribed. */
const watchers = [];
function watcher(port, filter, id) {
  const messages = [];
  const client = new MqttClient(nodeHost({ log: () => {} }), { host: '127.0.0.1', port }, { clientId: id, reconnect: false });
  watchers.push(client);
  const connected = new Promise((resolve, reject) => {
    client.onConnect = () => client.subscribe(filter, { qos: 1 }, (e) => (e ? reject(e) : resolve()));
    client.onClose = (reason) => reject(new Error(`watcher: ${reason}`));
  });
  client.onMessage = (m) => messages.push({ topic: m.topic, text: payloadText(m.payload), retain: m.retain });
  client.connect();
  return { client, messages, connected, texts: (topic) => messages.filter((m) => m.topic === topic).map((m) => m.text) };
}

/** A connection the test can cut as a power cut would: the socket is destroyed and the board hears nothing more. */
function killable() {
  const sockets = [];
  let dead = false;
  return {
    connect(to, events) {
      const s = tcpConnect({ host: to.host, port: to.port });
      sockets.push(s);
      s.setNoDelay(true);
      s.on('connect', () => {
        if (!dead) events.connected();
      });
      s.on('data', (b) => {
        if (!dead) events.data(new Uint8Array(b.buffer, b.byteOffset, b.length));
      });
      s.on('error', () => {});
      s.on('close', () => {
        if (!dead) events.closed('closed');
      });
      return {
        write: (bytes) => {
          if (!dead && !s.destroyed) s.write(bytes);
        },
        close: () => {
          if (!dead) s.end();
        },
      };
    },
    kill() {
      dead = true;
      for (const s of sockets) s.destroy();
    },
  };
}

// Child processes: the mqtt-pair command as a user runs it.

function cli(args, { env = {} } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, MQTT_PAIR_DEBUG: '', NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  killedAtExit(child);
  const text = { stdout: '', stderr: '' };
  child.stdout.on('data', (b) => {
    text.stdout += b;
  });
  child.stderr.on('data', (b) => {
    text.stderr += b;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT);
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      exited = true;
      clearTimeout(killer);
      resolve({ code, signal, ...text });
    }),
  );
  const waitFor = (stream, re) =>
    until(
      () => {
        const m = re.exec(text[stream]);
        if (m) return m;
        if (exited) throw new Error(`exited without ${re} on ${stream}:\n${text.stdout}\n-- stderr:\n${text.stderr}`);
      },
      () => `${re} on ${stream}:\n${text.stdout}\n-- stderr:\n${text.stderr}`,
    );
  return { child, text, exit, waitFor, write: (s) => child.stdin.write(s), end: () => child.stdin.end() };
}

after(async () => {
  for (const b of boards) b.stop();
  for (const w of watchers) w.end();
});

// ---- the roles are registered everywhere

describe('registry', () => {
  test('every role of config.ROLES is in the roles table, in the same order', () => {
    assert.deepEqual(Object.keys(roles), ROLES);
    assert.deepEqual(ROLES, ['hello', 'responder', 'sensor', 'chat', 'remote', 'actuator']);
  });

  test('interval: 1000 ms by default for sensor and remote, 5000 for hello; set, it wins', () => {
    const c = (role, extra = {}) => readConfig({ broker: 'pi', role, name: 'a', peer: 'b', ...extra }, 'id', false);
    assert.equal(c('sensor').interval, 1000);
    assert.equal(c('remote').interval, 1000);
    assert.equal(c('hello').interval, 5000);
    assert.equal(c('sensor', { interval: '250' }).interval, 250);
    assert.equal(c('sensor', { interval: '' }).interval, 1000, 'an empty value, as in manifest.json, is the default');
  });

  test('a wrong role, or a chat without name or peer, is one config line listing what to do', () => {
    const lines = (config) => {
      const b = board('bad', config);
      assert.equal(b.board, null);
      assert.equal(b.lines.length, 1, b.lines.join('\n'));
      return b.lines[0];
    };
    assert.match(
      lines({ broker: 'pi', role: 'robot' }),
      /^Config error: config role "robot" is unknown: .*role=hello.*role=responder.*sensor, chat, remote, actuator$/,
    );
    assert.match(
      lines({ broker: 'pi', role: 'chat', peer: 'bob' }),
      /^Config error: config name is missing \(role=chat\): set it with name=alice on the mcconfig command line$/,
    );
    assert.match(lines({ broker: 'pi', role: 'chat', name: 'alice' }), /^Config error: config peer is missing \(role=chat\): set it with peer=bob/);
    assert.match(lines({ broker: 'pi', role: 'chat', name: 'alice', peer: '#' }), /^Config error: config peer="#" cannot hold \+ or #/);
  });

  test('mqtt-pair --help and sim --help list every role and command; a wrong --role lists them', async () => {
    const top = await cli(['--help']).exit;
    for (const c of ['chat', 'remote', 'actuator']) assert.match(top.stdout, new RegExp(`^  ${c} `, 'm'));
    const help = await cli(['sim', '--help']).exit;
    assert.equal(help.code, 0);
    const roles = help.stdout.slice(help.stdout.indexOf('The roles:'));
    for (const r of ROLES) assert.match(roles, new RegExp(`^ {2}${r} +\\S`, 'm'), `sim --help describes ${r}`);
    const bad = await cli(['sim', '--role', 'robot']).exit;
    assert.equal(bad.code, 1); // a bad argument: 1, in every command (as mosquitto's clients)
    assert.equal(bad.stderr, 'mqtt-pair sim: --role "robot" is unknown: use pair, hello, responder, sensor, chat, remote or actuator\n');
    const chat = await cli(['sim', '--role', 'chat', '--name', 'esp']).exit;
    assert.equal(chat.code, 1);
    assert.match(chat.stderr, /^mqtt-pair sim: --role chat needs --name and --peer/);
    const remote = await cli(['remote', '--role', 'hello']).exit;
    assert.equal(remote.code, 1);
    assert.match(remote.stderr, /^mqtt-pair remote: unknown option '--role' \(mqtt-pair remote --help lists the options\)/);
    for (const c of ['remote', 'actuator', 'chat']) {
      const r = await cli([c, '--help']).exit;
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: mqtt-pair ${c} `, 'm'));
    }
  });
});

// ---- sensor

const number = /^\d+\.\d$/;

/** The sensor publishes, a later subscriber gets the retained values and `online`; a power cut
 *  makes the broker publish the will, `offline`, retained. */
async function sensorWithWill(port, t) {
  const topics = sensorTopics(PREFIX);
  assert.deepEqual(topics, {
    temperature: `${PREFIX}myRasp/sensors/temperature`,
    pressure: `${PREFIX}myRasp/sensors/pression`,
    status: `${PREFIX}myRasp/sensors/status`,
  });
  const early = watcher(port, `${PREFIX}myRasp/sensors/#`, `early-${process.pid}`);
  await early.connected;
  const cut = killable();
  const s = board('sensor', { broker: `127.0.0.1:${port}`, role: 'sensor', topicPrefix: PREFIX, interval: 50, keepalive: 60 }, { connect: cut.connect });
  await waitForLine(s, /^Connected to 127\.0\.0\.1:\d+ MQTT broker$/);
  assert.ok(s.lines.includes(`Publishing every 0.05 s on ${topics.temperature} and ${topics.pressure}, status on ${topics.status}`), s.lines.join('\n'));
  await until(
    () => s.lines.filter((l) => l.startsWith('Published ')).length >= 3,
    () => s.lines.join('\n'),
  );
  await until(
    () => early.texts(topics.pressure).length >= 3,
    () => JSON.stringify(early.messages),
  );
  assert.equal(early.texts(topics.status)[0], 'online');
  for (const v of early.texts(topics.temperature)) {
    assert.match(v, number);
    assert.ok(+v >= 20 && +v <= 21, v);
  }
  for (const v of early.texts(topics.pressure)) {
    assert.match(v, number);
    assert.ok(+v >= 1012 && +v <= 1014, v);
  }
  assert.match(
    s.lines.find((l) => l.startsWith('Published ')),
    /^Published temperature \d+\.\d °C, pressure \d+\.\d hPa$/,
  );

  // A later subscriber gets the last values and the status at once: they are retained.
  const late = watcher(port, `${PREFIX}myRasp/sensors/#`, `late-${process.pid}`);
  await late.connected;
  await until(
    () => late.messages.filter((m) => m.retain).length >= 3,
    () => JSON.stringify(late.messages),
  );
  const retained = Object.fromEntries(late.messages.filter((m) => m.retain).map((m) => [m.topic, m.text]));
  assert.equal(retained[topics.status], 'online');
  assert.match(retained[topics.temperature], number);
  assert.match(retained[topics.pressure], number);

  // The board vanishes without DISCONNECT: the broker publishes its will.
  cut.kill();
  await until(
    () => early.texts(topics.status).includes('offline'),
    () => JSON.stringify(early.messages),
  );
  s.stop(); // nothing it says reaches the broker any more
  const afterCut = watcher(port, `${PREFIX}myRasp/sensors/#`, `after-${process.pid}`);
  await afterCut.connected;
  await until(
    () => afterCut.messages.length >= 3,
    () => JSON.stringify(afterCut.messages),
  );
  const still = Object.fromEntries(afterCut.messages.map((m) => [m.topic, m]));
  assert.equal(still[topics.status].text, 'offline');
  assert.equal(still[topics.status].retain, true, 'the will is retained');
  assert.match(still[topics.temperature].text, number, 'the last temperature is still there for later subscribers');
  assert.match(still[topics.pressure].text, number);
  t?.diagnostic(`last values: ${still[topics.temperature].text} °C, ${still[topics.pressure].text} hPa`);
}

describe('sensor', () => {
  test('on Aedes: values every interval, retained, online; the will says offline when the board vanishes', async (t) => {
    const aedes = await embeddedBrokerFor(t);
    await sensorWithWill(aedes.port, t);
  });

  test('a clean stop says offline itself (DISCONNECT keeps the will back)', async (t) => {
    const aedes = await embeddedBrokerFor(t);
    const s = board('sensor2', { broker: `127.0.0.1:${aedes.port}`, role: 'sensor', interval: 50 });
    const w = watcher(aedes.port, 'myRasp/sensors/status', `status-${process.pid}`);
    await w.connected;
    await until(
      () => w.texts('myRasp/sensors/status').includes('online'),
      () => JSON.stringify(w.messages),
    );
    s.stop();
    await until(
      () => w.texts('myRasp/sensors/status').includes('offline'),
      () => JSON.stringify(w.messages),
    );
  });

  test('a real sensor through host.sensor: its values, rounded to 0.1; a failing read is said and skipped', async (t) => {
    const aedes = await embeddedBrokerFor(t);
    let reads = 0;
    const sensor = () => {
      if (++reads === 2) throw new Error('I2C read failed');
      return { temperature: 22.46, pressure: 1001.04 };
    };
    const w = watcher(aedes.port, 'myRasp/sensors/+', `hook-${process.pid}`);
    await w.connected;
    const s = board('sensor3', { broker: `127.0.0.1:${aedes.port}`, role: 'sensor', interval: 50 }, { devices: { sensor } });
    await until(
      () => w.texts('myRasp/sensors/temperature').length >= 2,
      () => JSON.stringify(w.messages),
    );
    assert.deepEqual(w.texts('myRasp/sensors/temperature').slice(0, 2), ['22.5', '22.5']);
    assert.equal(w.texts('myRasp/sensors/pression')[0], '1001.0');
    assert.ok(s.lines.includes('Sensor error: I2C read failed'), s.lines.join('\n'));
    assert.ok(!s.lines.some((l) => l.startsWith('No sensor on this board')));
    s.stop();
  });

  test('on Mosquitto: the will is published, retained, and mosquitto_sub later gets values and status', async (t) => {
    const m = await mosquittoFor(t);
    if (!m) return;
    await sensorWithWill(m.port, t);
    const sub = spawn(mosquittoTool('mosquitto_sub'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(m.port),
      '-t',
      `${PREFIX}myRasp/sensors/#`,
      '-v',
      '-C',
      '3',
      '-W',
      '60',
    ]);
    let out = '';
    sub.stdout.on('data', (d) => {
      out += d;
    });
    const code = await new Promise((r) => sub.on('close', r));
    assert.equal(code, 0, out);
    const lines = out.trim().split('\n').sort();
    assert.equal(lines.length, 3, out);
    assert.match(lines[0], new RegExp(`^${PREFIX}myRasp/sensors/pression \\d+\\.\\d$`));
    assert.equal(lines[1], `${PREFIX}myRasp/sensors/status offline`);
    assert.match(lines[2], new RegExp(`^${PREFIX}myRasp/sensors/temperature \\d+\\.\\d$`));
  });
});

// ---- chat

/** Two `mqtt-pair chat` processes, each with its stdin a pipe: lines typed by one are printed by the other. */
async function chatPair(port, ids = {}) {
  const common = ['--broker', `127.0.0.1:${port}`, '--prefix', 'LycMaurois/SNT_2nde'];
  const alice = cli(['chat', ...common, '--name', 'alice', '--peer', 'bob', ...(ids.alice ? ['--id', ids.alice] : [])]);
  const bob = cli(['chat', ...common, '--name', 'bob', '--peer', 'alice', ...(ids.bob ? ['--id', ids.bob] : [])]);
  await alice.waitFor('stderr', /connected to 127\.0\.0\.1:\d+: you are alice on LycMaurois\/SNT_2nde\/alice, reading bob on LycMaurois\/SNT_2nde\/bob/);
  await bob.waitFor('stderr', /connected to/);
  alice.write('Bonjour Bob !\n');
  await bob.waitFor('stdout', /^alice: Bonjour Bob !\n/m);
  bob.write('Salut Alice, ça va ?\n\n');
  bob.write('Oui\n');
  await alice.waitFor('stdout', /^bob: Salut Alice, ça va \?\nbob: Oui\n$/);
  // The end of alice's input (Ctrl+D) ends her chat, after her last line reached the broker.
  alice.write('Au revoir\n');
  alice.end();
  const a = await alice.exit;
  assert.equal(a.code, 0, a.stderr);
  await bob.waitFor('stdout', /^alice: Au revoir\n/m);
  bob.child.kill('SIGINT'); // Ctrl+C
  const b = await bob.exit;
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout, 'alice: Bonjour Bob !\nalice: Au revoir\n', 'bob sees only what alice says');
  assert.equal(a.stdout, 'bob: Salut Alice, ça va ?\nbob: Oui\n');
  return { a, b };
}

describe('chat', () => {
  test('two mqtt-pair chat processes through pipes, on Aedes', async (t) => {
    const aedes = await embeddedBrokerFor(t);
    await chatPair(aedes.port);
  });

  test('on Mosquitto: the same, and both leave with DISCONNECT (Ctrl+D and Ctrl+C)', async (t) => {
    const m = await mosquittoFor(t);
    if (!m) return;
    const ids = { alice: `chat-alice-${process.pid}`, bob: `chat-bob-${process.pid}` };
    await chatPair(m.port, ids);
    await until(
      () => m.log().includes(`Client ${ids.alice} disconnected.`) && m.log().includes(`Client ${ids.bob} disconnected.`),
      () => m.log(),
    );
    assert.ok(!m.log().includes(`Client ${ids.alice} closed its connection`), m.log());
  });

  test('a board with role=chat answers each line with its echo, and never echoes an echo; names meet whatever their case', async (t) => {
    const aedes = await embeddedBrokerFor(t);
    // « Esp » and « Alice » on the board, « esp » and « alice » on the laptop: they chat all the same.
    const esp = board('esp', { broker: `127.0.0.1:${aedes.port}`, role: 'chat', topicPrefix: 'LycMaurois/SNT_2nde/', name: 'Esp', peer: 'Alice' });
    await waitForLine(esp, /^Connected to 127\.0\.0\.1:\d+ MQTT broker, subscribed to LycMaurois\/SNT_2nde\/alice topic$/);
    const w = watcher(aedes.port, 'LycMaurois/SNT_2nde/esp', `esp-watch-${process.pid}`);
    await w.connected;
    const alice = cli(['chat', '--broker', `127.0.0.1:${aedes.port}`, '--prefix', 'LycMaurois/SNT_2nde/', '--name', 'alice', '--peer', 'esp']);
    await alice.waitFor('stderr', /connected to/);
    alice.write('echo: not for me\n');
    alice.write('ping\n');
    await alice.waitFor('stdout', /^esp: echo: ping\n/m);
    alice.end();
    assert.equal((await alice.exit).code, 0);
    await until(
      () => w.texts('LycMaurois/SNT_2nde/esp').includes('echo: ping'),
      () => JSON.stringify(w.messages),
    );
    // In order: had the board echoed the echo, it would have come before "echo: ping".
    assert.deepEqual(w.texts('LycMaurois/SNT_2nde/esp'), ['echo: ping']);
    assert.ok(esp.lines.includes('Received LycMaurois/SNT_2nde/alice: ping'));
    esp.stop();
  });

  test('wrong arguments and a missing broker: one line each', async () => {
    const missing = await cli(['chat', '--name', 'alice']).exit;
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'mqtt-pair chat: --peer is missing: e.g. mqtt-pair chat --name alice --peer bob\n');
    const port = await freePort();
    const none = cli(['chat', '--broker', `127.0.0.1:${port}`, '--name', 'alice', '--peer', 'bob']);
    const r = await none.exit;
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `mqtt-pair chat: cannot connect to 127.0.0.1:${port}: no MQTT broker at 127.0.0.1:${port} (connection refused): check --broker, and that the broker is running\n`,
    );
  });
});

// ---- remote and actuator

describe('remote and actuator', () => {
  test('the colours: arrows and names', () => {
    assert.deepEqual(ARROWS, { up: 'green', down: 'red', left: 'yellow', right: 'blue' });
    assert.equal(colourOf(' UP '), 'green');
    assert.equal(colourOf('Red'), 'red');
    assert.equal(colourOf('constructor'), undefined);
    assert.equal(colourOf('purple'), undefined);
    assert.equal(COLOURS.off, 0);
  });

  test("boards: a button press on the remote changes the actuator's colour", async (t) => {
    const aedes = await embeddedBrokerFor(t);
    const shown = [];
    const act = board(
      'actuator',
      { broker: `127.0.0.1:${aedes.port}`, role: 'actuator', topicPrefix: PREFIX },
      { devices: { showColour: (name, rgb) => shown.push([name, rgb]) } },
    );
    await waitForLine(act, new RegExp(`^Connected to 127\\.0\\.0\\.1:\\d+ MQTT broker, subscribed to ${PREFIX}remote/command topic$`));
    assert.deepEqual(shown, [['off', 0]], 'the LED starts off');
    let press = null;
    let released = false;
    const buttons = (p) => {
      press = p;
      return () => {
        released = true;
      };
    };
    const remote = board('remote', { broker: `127.0.0.1:${aedes.port}`, role: 'remote', topicPrefix: PREFIX }, { devices: { buttons } });
    await waitForLine(remote, /^Connected to 127\.0\.0\.1:\d+ MQTT broker$/);
    press('up');
    await until(
      () => shown.length >= 2,
      () => act.lines.join('\n'),
    );
    assert.deepEqual(shown[1], ['green', 0x00ff00]);
    press('Red');
    press('nonsense');
    press('left');
    await until(
      () => shown.length >= 4,
      () => act.lines.join('\n'),
    );
    assert.deepEqual(
      shown.slice(2).map((s) => s[0]),
      ['red', 'yellow'],
    );
    assert.ok(remote.lines.includes(`Sent up on ${PREFIX}remote/command`), remote.lines.join('\n'));
    assert.ok(
      remote.lines.some((l) => l.startsWith('"nonsense" is not a command: use up, down, left, right or a colour')),
      remote.lines.join('\n'),
    );
    assert.deepEqual(
      act.lines.filter((l) => l.startsWith('Colour: ')),
      ['Colour: green (up)', 'Colour: red', 'Colour: yellow (left)'],
    );
    remote.stop();
    assert.ok(released, 'the remote lets go of the buttons when it stops');
    // A command nobody knows, sent by hand, is said and ignored.
    const w = watcher(aedes.port, 'x', `hand-${process.pid}`);
    await w.connected;
    w.client.publish(`${PREFIX}remote/command`, 'purple');
    await waitForLine(act, /^Unknown command "purple": use up, down, left, right or a colour/);
    assert.equal(shown.length, 4);
    act.stop();
  });

  test('boards: a remote without buttons plays up, right, down, left', async (t) => {
    const aedes = await embeddedBrokerFor(t);
    const shown = [];
    const act = board('actuator2', { broker: `127.0.0.1:${aedes.port}`, role: 'actuator' }, { devices: { showColour: (name) => shown.push(name) } });
    await waitForLine(act, /subscribed to remote\/command topic$/);
    const remote = board('remote2', { broker: `127.0.0.1:${aedes.port}`, role: 'remote', interval: 50 });
    await waitForLine(remote, /^No buttons on this board: sending up, right, down, left in turn every 0\.05 s$/);
    await until(
      () => shown.length >= 6,
      () => act.lines.join('\n'),
    );
    assert.deepEqual(shown.slice(0, 6), ['off', 'green', 'blue', 'red', 'yellow', 'green']);
    remote.stop();
    act.stop();
  });

  test("mqtt-pair remote through a pipe drives mqtt-pair actuator's coloured block", async (t) => {
    const aedes = await embeddedBrokerFor(t);
    const broker = ['--broker', `127.0.0.1:${aedes.port}`, '--no-wifi', '--prefix', PREFIX];
    const act = cli(['actuator', ...broker], { env: { FORCE_COLOR: '1' } });
    await act.waitFor('stdout', /\[actuator\] Connected to 127\.0\.0\.1:\d+ MQTT broker, subscribed to .*remote\/command topic\n/);
    const remote = cli(['remote', ...broker]);
    remote.write('up\nblue\n');
    remote.end();
    const r = await remote.exit;
    assert.equal(r.code, 0, r.stderr);
    // Each command said as it goes (« Queued » when read before the connection is up), and every
    // one reached the broker before the end: no « not sent » line, and the actuator shows both.
    for (const c of ['up', 'blue']) assert.match(r.stdout, new RegExp(`\\[remote\\] (Sent|Queued) ${c} on ${PREFIX}remote/command`), r.stdout);
    assert.doesNotMatch(r.stdout, /not sent/);
    assert.match(r.stdout, /Stopped\.\n$/);
    await act.waitFor('stdout', /\[actuator\] Colour: blue\n/);
    act.child.kill('SIGINT');
    const a = await act.exit;
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /\[actuator\] Colour: green \(up\)\n\[actuator\] \x1b\[42;30m +GREEN +\x1b\[0m\n/);
    assert.match(a.stdout, /\[actuator\] Colour: blue\n\[actuator\] \x1b\[44;97m +BLUE +\x1b\[0m\n/);
    // Without a terminal (and no FORCE_COLOR) the block is plain text.
    const plain = cli(['actuator', ...broker]);
    await plain.waitFor('stdout', /subscribed to/);
    const w = watcher(aedes.port, 'x', `plain-${process.pid}`);
    await w.connected;
    w.client.publish(`${PREFIX}remote/command`, 'down');
    await plain.waitFor('stdout', /\[actuator\] \[ +RED +\]\n/);
    plain.child.kill('SIGINT');
    assert.equal((await plain.exit).code, 0);
  });
});
