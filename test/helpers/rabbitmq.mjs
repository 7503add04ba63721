// A private RabbitMQ (Debian's rabbitmq-server, 3.10) with its MQTT and Web MQTT plugins, for tests: one
// node, or a cluster of nodes on this machine. Each node has its own node name, Erlang cookie, temporary
// directory (config, Mnesia, logs, HOME) and free ports, all on 127.0.0.1 only, and no management plugin.
//
//   const broker = await startRabbitMQ({ users: { student: 'secret' }, allowAnonymous: false })
//   ... mqtt://127.0.0.1:${broker.port}, ws://127.0.0.1:${broker.wsPort}/ws ...
//   await broker.restart()   // same node, ports and Mnesia directory (users survive)
//   await broker.stop()      // always, in an after() hook
//
//   const cluster = await startRabbitMQCluster({ nodes: 2 })
//   ... cluster.nodes[0].port, cluster.nodes[1].port (each node its own MQTT and Web MQTT port) ...
//   await cluster.stop()
//
// Startup is slow (about 10 s a node on 2 CPUs), so start one broker per file, in before().
// Where RabbitMQ is missing, tests that need it skip with a visible reason, unless REQUIRE_RABBITMQ=1, where
// they fail instead. RABBITMQ_SERVER=/path/to/rabbitmq-server picks the server script (its folder also holds
// rabbitmqctl; RABBITMQ_SERVER=/nonexistent shows what happens without one):
//
//   describe('against rabbitmq', { skip: rabbitmqSkip() }, () => { ... })
//   test('x', (t) => { if (!needRabbitMQ(t)) return; ... })
//
// RabbitMQ 3.10's MQTT plugin, seen from a client (unlike Mosquitto): MQTT 3.1/3.1.1 only (an MQTT 5 CONNECT
// is closed without a CONNACK); a QoS 2 SUBSCRIBE is granted QoS 1, and a QoS 2 PUBLISH is answered with a
// PUBACK (no PUBREC: mosquitto_pub -q 2 calls that a protocol error) and delivered at QoS 1; a wrong password
// and, with allowAnonymous false, no user name at all both get CONNACK 4; retained messages reach only
// subscriptions to that exact topic (not wildcard filters), and only on the node they were published to; a
// client ID taken on another node of the cluster closes the older connection.
//
// 127.0.0.1 only: the Erlang distribution (nodes and rabbitmqctl) is bound to 127.0.0.1 with
// `-kernel inet_dist_use_interface`, and the port mapper is not Erlang's epmd (which always listens on [::1]
// too) but a small one of ours, `node rabbitmq.mjs epmd`, on a free port of 127.0.0.1 (ERL_EPMD_PORT), one
// per startRabbitMQ()/startRabbitMQCluster(), with `-start_epmd false` so no Erlang epmd is ever started.
//
// Every process runs in its own process group under a watchdog shell that kills the group once this process
// is gone (however it died); an 'exit' hook also SIGKILLs whatever is still running and removes the folders.
// (Folders are named mqtt-pair-rabbitmq-<pid>-*: those of a test process that was SIGKILLed are removed by
// the next start.)
import { spawn, execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, waitForPort } from '../../tools/mosquitto.mjs';
import { LIMIT } from './wait.mjs';

const HOST = '127.0.0.1';
const DEFAULT_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server'; // not /usr/sbin's: that wrapper switches to user rabbitmq
const required = () => process.env.REQUIRE_RABBITMQ === '1';
const SELF = fileURLToPath(import.meta.url);

/** The rabbitmq-server script: env RABBITMQ_SERVER when set (a wrong path means "not installed"), else Debian's; or null. */
export function rabbitmqServerBinary() {
  const p = process.env.RABBITMQ_SERVER || DEFAULT_SERVER;
  try {
    accessSync(p, constants.X_OK);
    accessSync(join(dirname(p), 'rabbitmqctl'), constants.X_OK);
    return p;
  } catch {
    return null;
  }
}

/** True when rabbitmq-server (and rabbitmqctl beside it) is installed. */
export function rabbitmqAvailable() {
  return rabbitmqServerBinary() !== null;
}

/** The installed RabbitMQ's version, e.g. '3.10.8', or null. */
export function rabbitmqVersion() {
  const bin = rabbitmqServerBinary();
  if (!bin) return null;
  try {
    const m = /rabbitmq_server-(\d+\.\d+\.\d+)/.exec(realpathSync(bin));
    if (m) return m[1];
  } catch {
    /* next */
  }
  try {
    const v = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'rabbitmq-server'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const m = /^(?:\d+:)?(\d+\.\d+\.\d+)/.exec(v);
    if (m) return m[1];
  } catch {
    /* none */
  }
  return null;
}

/**
 * For `describe(..., { skip })`: false when the tests can run, else the reason to skip.
 * With REQUIRE_RABBITMQ=1 it is always false, so the tests run and fail where RabbitMQ is missing.
 */
export function rabbitmqSkip() {
  if (required()) return false;
  if (!rabbitmqAvailable()) return 'needs RabbitMQ: rabbitmq-server is not installed (REQUIRE_RABBITMQ=1 makes this a failure)';
  return false;
}

/** Inside a test: returns true when RabbitMQ is there; otherwise skips the test (or fails it under REQUIRE_RABBITMQ=1). */
export function needRabbitMQ(t) {
  const reason = rabbitmqSkip();
  if (reason) {
    t.skip(reason);
    return false;
  }
  if (!rabbitmqAvailable())
    throw new Error(`REQUIRE_RABBITMQ=1 but rabbitmq-server is not installed (looked for ${process.env.RABBITMQ_SERVER || DEFAULT_SERVER})`);
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Processes: each in its own group, under a watchdog; tracked so none outlives this process.

// The watchdog keeps our stdin pipe on fd 3: when this process is gone, read sees EOF and kills the group.
const WATCHDOG = 'exec 3<&0 </dev/null; (read -r _ <&3; kill -9 0) >/dev/null 2>&1 & exec "$@" 3<&-';
const groups = new Set(); // process group ids (= the wrappers' pids) still running
const dirs = new Set(); // temporary folders not removed yet

/** pid -> { ppid, pgrp, start, state } for every process, from /proc/<pid>/stat (Linux; {} elsewhere). */
function procTable() {
  const table = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let s;
    try {
      s = readFileSync(`/proc/${e}/stat`, 'latin1');
    } catch {
      continue;
    }
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // after "pid (comm) ": state ppid pgrp ... starttime
    table.set(Number(e), { state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), start: f[19] });
  }
  return table;
}

/** The live processes of these groups and all their descendants (also those in other groups): [{ pid, start }]. */
function processTree(pgids) {
  const table = procTable();
  const roots = new Set(pgids);
  const children = new Map();
  for (const [pid, p] of table) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(pid);
  }
  const found = new Map();
  const queue = [...table].filter(([pid, p]) => roots.has(pid) || roots.has(p.pgrp)).map(([pid]) => pid);
  while (queue.length) {
    const pid = queue.pop();
    if (found.has(pid) || pid === process.pid) continue;
    const p = table.get(pid);
    if (p.state !== 'Z') found.set(pid, p.start);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...found].map(([pid, start]) => ({ pid, start }));
}

/** True while the process that had this pid and start time is alive (not a zombie). */
function stillThere({ pid, start }) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return f[0] !== 'Z' && f[19] === start;
  } catch {
    return false;
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* gone */
  }
}
function killAll(procs) {
  for (const p of procs)
    if (stillThere(p)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

process.once('exit', () => {
  const tree = processTree([...groups]);
  for (const g of groups) signalGroup(g, 'SIGKILL');
  killAll(tree);
  for (const d of dirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
});

/** Spawns `cmd args` as a new process group under the watchdog. `keepAlive: false` lets this process exit meanwhile. */
function spawnGroup(cmd, args, env, { keepAlive = true } = {}) {
  // In the node's own folder (HOME): an Erlang that crashes writes erl_crash.dump in its working
  // directory, which must not be the repository (ERL_CRASH_DUMP names the file too).
  const c = spawn('/bin/sh', ['-c', WATCHDOG, 'sh', cmd, ...args], { detached: true, env, cwd: env.HOME ?? tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
  c.stdin.on('error', () => {
    /* the watchdog is gone */
  });
  c.exited = new Promise((resolve) => {
    c.once('error', (e) => resolve({ code: null, signal: null, error: e }));
    c.once('exit', (code, signal) => resolve({ code, signal }));
  });
  c.closed = new Promise((resolve) => {
    c.once('close', resolve);
    c.once('error', resolve);
  });
  if (c.pid) groups.add(c.pid);
  if (!keepAlive) {
    // A forgotten broker must not keep the test process alive; the 'exit' hook above kills it.
    c.unref();
    c.stdin.unref?.();
    c.stdout.unref?.();
    c.stderr.unref?.();
  }
  return c;
}

/** Stops a group: SIGTERM (or SIGKILL), SIGKILL after `ms`, then SIGKILL whatever of its tree is left, and waits until it is all gone. */
async function stopGroup(c, { graceful = true, ms = 20000 } = {}) {
  if (!c?.pid) return;
  const tree = processTree([c.pid]);
  if (c.exitCode === null && c.signalCode === null) {
    signalGroup(c.pid, graceful ? 'SIGTERM' : 'SIGKILL');
    // This timer also keeps this process alive meanwhile: the child is unref()ed.
    const timer = setTimeout(() => signalGroup(c.pid, 'SIGKILL'), graceful ? ms : 5000);
    await c.exited;
    clearTimeout(timer);
  }
  const rest = [...tree, ...processTree([c.pid])];
  signalGroup(c.pid, 'SIGKILL');
  killAll(rest);
  groups.delete(c.pid);
  for (const until = Date.now() + 5000; rest.some(stillThere) && Date.now() < until; ) await sleep(20);
}

/** Runs a command (rabbitmqctl) to its end in its own group: { code, out }; SIGKILLed after `ms`. */
async function run(cmd, args, env, ms = LIMIT) {
  const c = spawnGroup(cmd, args, env);
  let out = '';
  c.stdout.on('data', (b) => {
    out += b;
  });
  c.stderr.on('data', (b) => {
    out += b;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(c.pid, 'SIGKILL');
  }, ms);
  const { code, signal, error } = await c.exited;
  clearTimeout(timer);
  await Promise.race([c.closed, sleep(2000)]); // the rest of its output
  await stopGroup(c, { graceful: false });
  if (error) out += `spawn error: ${error.message}\n`;
  if (timedOut) out += `(killed after ${ms} ms)\n`;
  return { code, signal, out };
}

// ---------------------------------------------------------------------------------------------------------
// The port mapper. Erlang's epmd always listens on the IPv6 loopback too (`-address 127.0.0.1` adds [::1]),
// so the nodes use this one instead: register (ALIVE2), look up (PORT_PLEASE2), list (NAMES), on 127.0.0.1.

const EPMD = { ALIVE2_REQ: 120, ALIVE2_RESP: 121, ALIVE2_X_RESP: 118, PORT2_REQ: 122, PORT2_RESP: 119, NAMES_REQ: 110 };

/** An epmd on HOST:port (0: a free one), in this process. Resolves { port, names(), close() }. */
export function serveEpmd({ port = 0, log = () => {} } = {}) {
  const nodes = new Map(); // name -> { port, nodeType, protocol, high, low, extra, socket }
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    let registered = null;
    socket.on('error', () => {});
    socket.on('close', () => {
      if (registered && nodes.get(registered)?.socket === socket) {
        nodes.delete(registered);
        log(`unregistered ${registered}`);
      }
    });
    socket.on('data', (chunk) => {
      if (registered) {
        socket.destroy();
        return;
      } // an ALIVE connection only ever closes
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2) return;
      const len = buf.readUInt16BE(0);
      if (buf.length < 2 + len) return;
      const req = buf.subarray(2, 2 + len);
      buf = Buffer.alloc(0);
      if (req[0] === EPMD.ALIVE2_REQ && req.length >= 13) {
        const nameLen = req.readUInt16BE(9);
        const name = req.subarray(11, 11 + nameLen).toString('utf8');
        const extraLen = req.length >= 13 + nameLen ? req.readUInt16BE(11 + nameLen) : 0;
        const node = {
          port: req.readUInt16BE(1),
          nodeType: req[3],
          protocol: req[4],
          high: req.readUInt16BE(5),
          low: req.readUInt16BE(7),
          extra: req.subarray(13 + nameLen, 13 + nameLen + extraLen),
          socket,
        };
        const taken = nodes.has(name);
        if (!taken) {
          nodes.set(name, node);
          registered = name;
          log(`registered ${name} at port ${node.port}`);
        }
        if (node.high >= 6) {
          // 32-bit creation, as epmd answers OTP 23+
          const r = Buffer.alloc(6);
          r[0] = EPMD.ALIVE2_X_RESP;
          r[1] = taken ? 1 : 0;
          r.writeUInt32BE(randomInt(4, 0xffffffff), 2);
          socket.write(r);
        } else {
          socket.write(Buffer.from([EPMD.ALIVE2_RESP, taken ? 1 : 0, 0, randomInt(1, 4)]));
        }
        if (taken) socket.end();
      } else if (req[0] === EPMD.PORT2_REQ) {
        const node = nodes.get(req.subarray(1).toString('utf8').replace(/\0$/, ''));
        if (!node) {
          socket.end(Buffer.from([EPMD.PORT2_RESP, 1]));
          return;
        }
        const name = Buffer.from([...nodes].find(([, n]) => n === node)[0], 'utf8');
        const head = Buffer.alloc(12);
        head[0] = EPMD.PORT2_RESP;
        head[1] = 0;
        head.writeUInt16BE(node.port, 2);
        head[4] = node.nodeType;
        head[5] = node.protocol;
        head.writeUInt16BE(node.high, 6);
        head.writeUInt16BE(node.low, 8);
        head.writeUInt16BE(name.length, 10);
        const extraLen = Buffer.alloc(2);
        extraLen.writeUInt16BE(node.extra.length);
        socket.end(Buffer.concat([head, name, extraLen, node.extra]));
      } else if (req[0] === EPMD.NAMES_REQ) {
        const p = Buffer.alloc(4);
        p.writeUInt32BE(server.address().port);
        socket.end(Buffer.concat([p, Buffer.from([...nodes].map(([n, { port: np }]) => `name ${n} at port ${np}\n`).join(''))]));
      } else {
        socket.destroy(); // DUMP, KILL, STOP: not for us
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () =>
      resolve({
        port: server.address().port,
        names: () => [...nodes.keys()],
        close: () =>
          new Promise((r) => {
            for (const n of nodes.values()) n.socket.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}

// `node rabbitmq.mjs epmd`: the port mapper as its own process, so that a test blocking its event loop
// (execFileSync) does not block the Erlang nodes' look-ups. It prints its port, then serves until killed.
if (process.argv[2] === 'epmd' && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const epmd = await serveEpmd({ log: (line) => process.stderr.write(`epmd: ${line}\n`) });
  process.stdout.write(`${epmd.port}\n`);
}

/** Starts `node rabbitmq.mjs epmd` in its own group: { port, log(), stop() }. */
async function startEpmd(env) {
  const c = spawnGroup(process.execPath, [SELF, 'epmd'], env, { keepAlive: false });
  let out = '',
    err = '';
  c.stderr.on('data', (b) => {
    err += b;
    if (err.length > 100_000) err = err.slice(-50_000);
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the port mapper did not start: ${err}`)), 10000);
    c.stdout.on('data', (b) => {
      out += b;
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    c.exited.then(({ code, error }) => {
      clearTimeout(timer);
      reject(new Error(`the port mapper exited (${error?.message ?? code}): ${err}`));
    });
  }).catch(async (e) => {
    await stopGroup(c, { graceful: false });
    throw e;
  });
  return { port, log: () => err, pgid: c.pid, stop: () => stopGroup(c, { graceful: false }) };
}

// ---------------------------------------------------------------------------------------------------------
// Nodes.

let sequence = 0;
const defaultName = () => `mqttpair-${process.pid}-${++sequence}`;

/** This process's environment without RabbitMQ's or Erlang's own variables, which would reach the nodes. */
function baseEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(RABBITMQ_|ERL_|ERLANG_)/.test(k)) env[k] = v;
  // Every process of ours carries it, even one that escaped its group: tests running beside this
  // one (their own brokers) are told apart by it (ownedHere()).
  env.MQTT_PAIR_TEST_OWNER = String(process.pid);
  return env;
}

/** Whether process `pid` was started by this test process's brokers (its environment says so). */
export function ownedHere(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`MQTT_PAIR_TEST_OWNER=${process.pid}`);
  } catch {
    return false;
  }
}

/** Removes the folders of test processes that are gone (SIGKILLed: no hook of theirs could). */
let swept = false;
function sweepStaleDirs() {
  if (swept) return;
  swept = true;
  let entries = [];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const e of entries) {
    const m = /^mqtt-pair-rabbitmq-(\d+)-/.exec(e);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
      continue;
    } catch (err) {
      if (err.code !== 'ESRCH') continue;
    }
    try {
      rmSync(join(tmpdir(), e), { recursive: true, force: true });
    } catch {
      /* not ours to remove */
    }
  }
}

function tail(text, lines = 60) {
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * One node, not started: create(...) then node.start(). Options:
 *   name, cookie, epmdPort, allowAnonymous, extra (more rabbitmq.conf lines), verbose (log level debug),
 *   timeout (ms to wait for startup, default LIMIT: test/helpers/wait.mjs).
 */
async function createNode({ name, cookie, epmdPort, allowAnonymous, extra = '', verbose = false, timeout = LIMIT }) {
  const server = rabbitmqServerBinary();
  if (!server)
    throw new Error(`rabbitmq-server is not installed (looked for ${process.env.RABBITMQ_SERVER || DEFAULT_SERVER}; apt-get install rabbitmq-server)`);
  const ctlBin = join(dirname(server), 'rabbitmqctl');
  const short = name.includes('@') ? name.split('@')[0] : name;
  const node = `${short}@localhost`;
  sweepStaleDirs();
  const dir = mkdtempSync(join(tmpdir(), `mqtt-pair-rabbitmq-${process.pid}-`));
  dirs.add(dir);
  for (const d of ['mnesia', 'log']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, '.erlang.cookie'), cookie, { mode: 0o400 }); // HOME is dir: this cookie is the node's and its rabbitmqctl's
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '# empty: not /etc/rabbitmq/rabbitmq-env.conf\n');
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt,rabbitmq_web_mqtt].\n');
  const logFile = join(dir, 'log', `${node}.log`);
  const ports = {};
  const pickPorts = async () => {
    for (const k of ['port', 'wsPort', 'amqpPort', 'distPort']) ports[k] = await freePort();
  };
  await pickPorts();

  const writeConf = () =>
    writeFileSync(
      join(dir, 'rabbitmq.conf'),
      [
        `listeners.tcp.default = ${HOST}:${ports.amqpPort}`,
        `mqtt.listeners.tcp.default = ${HOST}:${ports.port}`,
        `mqtt.allow_anonymous = ${allowAnonymous}`,
        'mqtt.default_user = guest',
        'mqtt.default_pass = guest',
        'mqtt.vhost = /',
        'mqtt.exchange = amq.topic',
        `web_mqtt.tcp.ip = ${HOST}`,
        `web_mqtt.tcp.port = ${ports.wsPort}`,
        'disk_free_limit.absolute = 1MB', // not the 50 MB default: a full test disk must not block publishers
        'log.console = false',
        `log.file.level = ${verbose ? 'debug' : 'info'}`,
        extra,
        '',
      ].join('\n'),
    );
  const env = () => ({
    ...baseEnv(),
    HOME: dir,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    RABBITMQ_NODENAME: node,
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'), // absent
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_NODE_IP_ADDRESS: HOST,
    RABBITMQ_NODE_PORT: String(ports.amqpPort),
    RABBITMQ_DIST_PORT: String(ports.distPort),
    ERL_EPMD_ADDRESS: HOST,
    ERL_EPMD_PORT: String(epmdPort),
    ERL_CRASH_DUMP: join(dir, 'erl_crash.dump'),
    // Every erl started with this environment (the node, its helpers, rabbitmqctl): distribution on
    // 127.0.0.1 only, and never an Erlang epmd.
    ERL_FLAGS: '-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}',
  });
  writeConf();

  let child = null;
  let out = '';
  let removed = false;
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const log = () => `${out}${out && !out.endsWith('\n') ? '\n' : ''}${readLog()}`;

  async function ctl(...args) {
    const opts = typeof args.at(-1) === 'object' ? args.pop() : {};
    const r = await run(ctlBin, ['-n', node, ...args.map(String)], env(), opts.timeout ?? LIMIT);
    if (r.code !== 0 && !opts.allowFailure) throw new Error(`rabbitmqctl -n ${node} ${args.join(' ')} failed (${r.code ?? r.signal}):\n${r.out}`);
    return opts.allowFailure ? r : r.out;
  }

  /** Waits until the MQTT and Web MQTT ports accept connections and `rabbitmqctl await_startup` says it is up. */
  async function awaitReady(alive, until) {
    for (const p of [ports.port, ports.wsPort]) await waitForPort(p, { ms: Math.max(0, until - Date.now()), alive });
    const left = Math.max(5, Math.ceil((until - Date.now()) / 1000));
    await ctl('await_startup', '--timeout', left, { timeout: left * 1000 + 15000 });
  }

  async function launch() {
    const began = Date.now();
    const c = spawnGroup(server, [], env(), { keepAlive: false });
    child = c;
    let exited = false;
    c.exited.then(() => {
      exited = true;
    });
    const collect = (b) => {
      out += b;
      if (out.length > 200_000) out = out.slice(-100_000);
    };
    c.stdout.on('data', collect);
    c.stderr.on('data', collect);
    try {
      await awaitReady(() => !exited, began + timeout);
    } catch (e) {
      await stopGroup(c, { graceful: false });
      if (child === c) child = null;
      throw new Error(`RabbitMQ node ${node} did not start within ${timeout} ms: ${e.message}\n--- its output and log, last lines ---\n${tail(log())}`);
    }
    self.startupMs = Date.now() - began;
  }

  const self = {
    node,
    host: HOST,
    get port() {
      return ports.port;
    },
    get wsPort() {
      return ports.wsPort;
    },
    wsPath: '/ws',
    get url() {
      return `mqtt://${HOST}:${ports.port}`;
    },
    get wsUrl() {
      return `ws://${HOST}:${ports.wsPort}/ws`;
    },
    get amqpPort() {
      return ports.amqpPort;
    },
    get distPort() {
      return ports.distPort;
    },
    dir,
    /** How long the last start took, ms. */
    startupMs: null,
    get pgid() {
      return child?.pid;
    },
    /** Its stdout/stderr so far, then its log file. */
    log,
    /** rabbitmqctl -n NODE ...args; resolves its output, rejects when it fails. A last { timeout, allowFailure } option. */
    ctl,
    /** Waits until it runs again after `rabbitmqctl start_app`. */
    awaitReady: () => awaitReady(() => child?.exitCode === null && child?.signalCode === null, Date.now() + timeout),
    /** Starts it (again, after stop({ keepDir: true })). */
    async start({ freshPorts = false } = {}) {
      if (child) return;
      // Another process may take a free port between freePort() and the node's bind: try others (first start only).
      for (let attempt = 1; ; attempt++) {
        try {
          await launch();
          return;
        } catch (e) {
          if (!freshPorts || attempt >= 3 || !/eaddrinuse|address already in use/i.test(e.message)) throw e;
          await pickPorts();
          writeConf();
          out = '';
          rmSync(logFile, { force: true });
        }
      }
    },
    /** Stops it (SIGTERM: RabbitMQ shuts down cleanly) and waits until all its processes are gone. */
    async stop({ keepDir = false } = {}) {
      const c = child;
      child = null;
      await stopGroup(c);
      if (!keepDir && !removed) {
        removed = true;
        rmSync(dir, { recursive: true, force: true });
        dirs.delete(dir);
      }
    },
    /** Stops and starts it again: same node name, ports, config and Mnesia directory (users, queues survive). */
    async restart() {
      await self.stop({ keepDir: true });
      await self.start();
    },
  };
  return self;
}

async function addUsers(node, users) {
  for (const [name, password] of Object.entries(users ?? {})) {
    await node.ctl('add_user', name, password);
    await node.ctl('set_permissions', '-p', '/', name, '.*', '.*', '.*');
  }
}

/** The pids of everything running in these groups and below (for checks such as `ss -ltnp`). */
function pidsOf(pgids) {
  return processTree(pgids.filter(Boolean)).map((p) => p.pid);
}

/**
 * Starts a private single RabbitMQ node with the MQTT (TCP) and Web MQTT plugins.
 *   users          { name: password }: created with rabbitmqctl add_user + set_permissions -p / name .* .* .*
 *   allowAnonymous mqtt.allow_anonymous (anonymous clients act as guest, who may only connect from
 *                  loopback); default: true without users, false with them
 *   name           node name before '@localhost' (default mqttpair-<pid>-<n>)
 *   extra          more rabbitmq.conf lines;  verbose: log.file.level = debug;  timeout: ms (default LIMIT)
 * Returns { node, port, wsPort, wsPath: '/ws', host, url, wsUrl, amqpPort, distPort, epmdPort, dir, startupMs,
 *           log(), ctl(...args), pids(), stop(), restart() }.
 */
export async function startRabbitMQ(options = {}) {
  const { users, name = defaultName() } = options;
  const allowAnonymous = options.allowAnonymous ?? !(users && Object.keys(users).length);
  const began = Date.now();
  const epmd = await startEpmd(baseEnv());
  let node;
  try {
    node = await createNode({ ...options, name, allowAnonymous, cookie: randomBytes(20).toString('hex'), epmdPort: epmd.port });
    await node.start({ freshPorts: true });
    await addUsers(node, users);
  } catch (e) {
    await node?.stop();
    await epmd.stop();
    throw e;
  }
  const stopNode = node.stop;
  return Object.assign(node, {
    epmdPort: epmd.port,
    startupMs: Date.now() - began,
    /** The pids of its processes (node and port mapper) now. */
    pids: () => pidsOf([node.pgid, epmd.pgid]),
    /** Stops the node and its port mapper, and removes its directory (unless keepDir, to start() again). */
    async stop({ keepDir = false } = {}) {
      await stopNode({ keepDir });
      if (!keepDir) await epmd.stop();
    },
  });
}

/**
 * Starts `nodes` RabbitMQ nodes (default 2) on this machine, sharing one cookie and one port mapper, and
 * clusters them: each node after the first is stop_app, join_cluster <first>, start_app. Every node has its
 * own MQTT and Web MQTT port. users (created once, on the first node: users are cluster-wide), allowAnonymous,
 * extra, verbose, timeout and name (a prefix) are as for startRabbitMQ.
 * Returns { nodes: [ { node, port, wsPort, wsPath, host, url, wsUrl, dir, log(), ctl(), stop(), start(),
 *           restart() }, ... ], startupMs, pids(), stop() }; a node's stop() keeps its directory, so that
 * start() brings it back into the cluster; cluster.stop() stops them all and removes everything.
 */
export async function startRabbitMQCluster(options = {}) {
  const { nodes: count = 2, users, name = defaultName() } = options;
  const allowAnonymous = options.allowAnonymous ?? !(users && Object.keys(users).length);
  const began = Date.now();
  const epmd = await startEpmd(baseEnv());
  const cookie = randomBytes(20).toString('hex');
  const members = [];
  const stopAll = async () => {
    for (const n of members.slice().reverse()) await n.stop({ keepDir: false });
    await epmd.stop();
  };
  try {
    for (let i = 0; i < count; i++) {
      members.push(await createNode({ ...options, name: `${name}-${i + 1}`, allowAnonymous, cookie, epmdPort: epmd.port }));
    }
    const boots = await Promise.allSettled(members.map((n) => n.start({ freshPorts: true }))); // they boot in parallel
    const failed = boots.find((b) => b.status === 'rejected');
    if (failed) throw failed.reason;
    const [first, ...rest] = members;
    for (const n of rest) {
      await n.ctl('stop_app');
      await n.ctl('join_cluster', first.node);
      await n.ctl('start_app');
      await n.awaitReady();
    }
    await addUsers(first, users);
  } catch (e) {
    await stopAll();
    throw e;
  }
  for (const n of members) {
    const stopNode = n.stop;
    n.stop = ({ keepDir = true } = {}) => stopNode({ keepDir });
  }
  return {
    nodes: members,
    epmdPort: epmd.port,
    startupMs: Date.now() - began,
    pids: () => pidsOf([...members.map((n) => n.pgid), epmd.pgid]),
    stop: stopAll,
  };
}
