// A private Mosquitto for a test file or the benchmark: its own config, password file, ACL and persistence in a
// fresh temporary directory, listening on a free port of 127.0.0.1 only.
//
//   const broker = await startMosquitto({ users: { student: 'secret' }, acl: 'user student\ntopic readwrite lab/#\n' })
//   ... mqtt://127.0.0.1:${broker.port} ...
//   await broker.restart()   // same port, same config, same persistence file
//   await broker.stop()      // always, in an after() hook
//
// Where Mosquitto is missing, tests that need it skip with a visible reason, unless
// REQUIRE_MOSQUITTO=1, where they fail instead. MOSQUITTO=/path/to/mosquitto picks the binary
// (MOSQUITTO=/nonexistent shows what happens without one):
//
//   describe('against mosquitto', { skip: mosquittoSkip() }, () => { ... })
//   test('x', (t) => { if (!needMosquitto(t)) return; ... })
import { spawn, execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { randomBytes, pbkdf2Sync } from 'node:crypto';

const HOST = '127.0.0.1';
/** How long a broker or a client may take to start or answer before we give up (ms): a safety net
 *  far above the work, so that a slow, busy machine is never taken for a broken one. */
const LIMIT = 180_000;
const required = () => process.env.REQUIRE_MOSQUITTO === '1';

/** The path of an executable found in PATH or /usr/sbin, /usr/local/sbin, /sbin; or null. */
export function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** The mosquitto binary: env MOSQUITTO when set (a path; a wrong one means "not installed"), else PATH or /usr/sbin. */
export function mosquittoBinary() {
  const forced = process.env.MOSQUITTO;
  if (forced) {
    try {
      accessSync(forced, constants.X_OK);
      return forced;
    } catch {
      return null;
    }
  }
  return findExecutable('mosquitto');
}

/** The path of a Mosquitto command-line tool (mosquitto_pub, mosquitto_sub, mosquitto_passwd, ...); throws when missing. */
export function mosquittoTool(name) {
  const p = findExecutable(name);
  if (!p) throw new Error(`${name} is not installed (apt-get install mosquitto-clients)`);
  return p;
}

/** True when the mosquitto broker binary is installed. */
export function mosquittoAvailable() {
  return mosquittoBinary() !== null;
}

const DYNSEC_PLUGIN = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib', '/usr/lib64'].map((d) =>
  join(d, 'mosquitto_dynamic_security.so'),
);

/** The dynamic security plugin's path, or null. */
export function dynsecPlugin() {
  for (const p of DYNSEC_PLUGIN) {
    try {
      accessSync(p, constants.R_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * For `describe(..., { skip })`: false when the tests can run, else the reason to skip.
 * With REQUIRE_MOSQUITTO=1 it is always false, so the tests run and fail where Mosquitto is missing.
 */
export function mosquittoSkip({ dynsec = false } = {}) {
  if (required()) return false;
  if (!mosquittoAvailable()) return 'needs Mosquitto: mosquitto is not installed (REQUIRE_MOSQUITTO=1 makes this a failure)';
  if (dynsec && !dynsecPlugin()) return 'needs Mosquitto: its dynamic security plugin is not installed';
  return false;
}

/** Inside a test: returns true when Mosquitto is there; otherwise skips the test (or fails it under REQUIRE_MOSQUITTO=1). */
export function needMosquitto(t, opts) {
  const reason = mosquittoSkip(opts);
  if (reason) {
    t.skip(reason);
    return false;
  }
  if (!mosquittoAvailable()) throw new Error('REQUIRE_MOSQUITTO=1 but mosquitto is not installed (looked in PATH and /usr/sbin)');
  return true;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects after `ms` or when `alive()` turns false. */
export async function waitForPort(port, { ms = LIMIT, alive = () => true } = {}) {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = createConnection({ host: HOST, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (!alive()) throw new Error('the process exited before it listened');
    if (Date.now() > until) throw new Error(`nothing listens on ${HOST}:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Every broker this process started, so none outlives it even when a test forgets stop().
const running = new Set();
process.once('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/** The dynamic security plugin's JSON: one role per user, named after it, with that user's ACL entries. */
function dynsecConfig(users, dynsec, defaultACLAccess) {
  const clients = Object.entries(users).map(([username, password]) => {
    const salt = randomBytes(12);
    return {
      username,
      salt: salt.toString('base64'),
      iterations: 101,
      password: pbkdf2Sync(password, salt, 101, 64, 'sha512').toString('base64'),
      roles: dynsec[username] ? [{ rolename: `role-${username}` }] : [],
    };
  });
  const roles = Object.entries(dynsec).map(([username, acls]) => ({ rolename: `role-${username}`, acls }));
  return {
    clients,
    roles,
    defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true, ...defaultACLAccess },
  };
}

/**
 * Starts a private Mosquitto.
 *   users          { name: password } -> password_file (made with mosquitto_passwd -b -c)
 *   acl            acl_file contents
 *   allowAnonymous default: true without users, false with them
 *   persistence    persistence true, persistence_location in the temp dir (kept across restart())
 *   dynsec         { user: [ { acltype, topic, allow } ] } -> the dynamic security plugin instead of
 *                  password_file/acl_file (it answers SUBACK 0x80 for a denied subscription, which
 *                  Mosquitto 2.0's acl_file does not: it grants the subscription and filters delivery)
 *   dynsecDefault  overrides for defaultACLAccess
 *   extra          more mosquitto.conf lines
 *   listeners      more listeners, each on a free port of 127.0.0.1 (broker.ports, in order):
 *                  { protocol: 'mqtt' | 'websockets', certfile, keyfile, cafile }; certfile and
 *                  keyfile make it TLS (mqtts://, or wss:// for websockets). A websockets listener
 *                  always gets `socket_domain ipv4`: without it this libwebsockets build binds every
 *                  interface (::) instead of 127.0.0.1. (Mosquitto 2.0 also wants one plain MQTT
 *                  listener besides websockets ones; the main listener is that one.)
 *   verbose        log_type all (the log is in broker.log())
 *   port           listen on this port of 127.0.0.1 instead of a free one
 * Returns { port, url, dir, log(), stop(), restart() }.
 */
export async function startMosquitto(options = {}) {
  const bin = mosquittoBinary();
  if (!bin) throw new Error('mosquitto is not installed (looked in $MOSQUITTO, PATH and /usr/sbin)');
  const { users, acl, persistence = false, extra = '', dynsec, dynsecDefault, verbose = false, listeners = [] } = options;
  const allowAnonymous = options.allowAnonymous ?? !(users && Object.keys(users).length);
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-mosquitto-'));
  let port = options.port ?? (await freePort());
  let ports = [];
  for (const _ of listeners) ports.push(await freePort());

  const conf = [
    `allow_anonymous ${allowAnonymous}`,
    'log_dest stderr',
    verbose ? 'log_type all' : 'log_type error\nlog_type warning\nlog_type notice\nlog_type information',
    'connection_messages true',
  ];
  if (process.getuid?.() === 0) conf.push('user root'); // otherwise it drops to "mosquitto", who cannot read our 0700 dir
  if (persistence) conf.push('persistence true', `persistence_location ${dir}/`, 'persistence_file mosquitto.db', 'autosave_interval 0');
  else conf.push('persistence false');
  if (dynsec) {
    const plugin = dynsecPlugin();
    if (!plugin) throw new Error('the mosquitto dynamic security plugin is not installed');
    const file = join(dir, 'dynamic-security.json');
    writeFileSync(file, JSON.stringify(dynsecConfig(users ?? {}, dynsec, dynsecDefault), null, 2), { mode: 0o600 });
    conf.push(`plugin ${plugin}`, `plugin_opt_config_file ${file}`);
  } else {
    if (users && Object.keys(users).length) {
      const passwd = findExecutable('mosquitto_passwd');
      if (!passwd) throw new Error('mosquitto_passwd is not installed');
      const file = join(dir, 'passwd');
      let first = true;
      for (const [name, password] of Object.entries(users)) {
        execFileSync(passwd, first ? ['-b', '-c', file, name, password] : ['-b', file, name, password], { stdio: 'pipe' });
        first = false;
      }
      conf.push(`password_file ${file}`);
    }
    if (acl !== undefined) {
      const file = join(dir, 'acl');
      writeFileSync(file, acl.endsWith('\n') ? acl : `${acl}\n`, { mode: 0o600 });
      conf.push(`acl_file ${file}`);
    }
  }
  if (extra) conf.push(extra);
  const confFile = join(dir, 'mosquitto.conf');
  const listenerLines = () =>
    listeners.map((l, i) =>
      [
        `listener ${ports[i]} ${HOST}`,
        ...(l.protocol === 'websockets' ? ['protocol websockets', 'socket_domain ipv4'] : []),
        ...(l.cafile ? [`cafile ${l.cafile}`] : []),
        ...(l.certfile ? [`certfile ${l.certfile}`, `keyfile ${l.keyfile}`] : []),
      ].join('\n'),
    );
  const writeConf = () => writeFileSync(confFile, `listener ${port} ${HOST}\n${[...conf, ...listenerLines()].join('\n')}\n`);
  writeConf();

  let child = null;
  let logText = '';
  let removed = false;

  async function launch() {
    const c = spawn(bin, ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    running.add(c);
    let exited = false;
    c.exitPromise = new Promise((resolve) =>
      c.once('close', (code, signal) => {
        exited = true;
        running.delete(c);
        resolve({ code, signal });
      }),
    );
    c.once('error', (e) => {
      logText += `spawn error: ${e.message}\n`;
    });
    const collect = (b) => {
      logText += b.toString();
      if (logText.length > 200_000) logText = logText.slice(-100_000);
    };
    c.stdout.on('data', collect);
    c.stderr.on('data', collect);
    // A forgotten broker must not keep the test process alive; the 'exit' hook above kills it.
    c.unref();
    c.stdout.unref?.();
    c.stderr.unref?.();
    try {
      for (const p of [port, ...ports]) await waitForPort(p, { alive: () => !exited });
    } catch (e) {
      await kill(c);
      throw new Error(`mosquitto did not start on ${HOST}:${port}: ${e.message}\n${logText}`);
    }
  }

  async function kill(c) {
    if (!c || c.exitCode !== null || c.signalCode !== null) {
      if (c) running.delete(c);
      return;
    }
    c.kill('SIGTERM'); // mosquitto saves its persistence file on SIGTERM
    const timer = setTimeout(() => c.kill('SIGKILL'), 30_000); // only for one that hangs
    await c.exitPromise;
    clearTimeout(timer);
  }

  // Another process may take the free port between freePort() and mosquitto's bind: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (e) {
      if (attempt >= 3 || options.port || !/Address already in use/.test(logText)) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
      port = await freePort();
      ports = [];
      for (const _ of listeners) ports.push(await freePort());
      logText = '';
      writeConf();
    }
  }

  const broker = {
    port,
    host: HOST,
    url: `mqtt://${HOST}:${port}`,
    /** The ports of `listeners`, in order. */
    get ports() {
      return ports;
    },
    dir,
    conf: confFile,
    get pid() {
      return child?.pid;
    },
    /** What Mosquitto logged so far. */
    log: () => logText,
    /** Stops it and waits until the process is gone. */
    async stop({ keepDir = false } = {}) {
      const c = child;
      child = null;
      await kill(c);
      if (!keepDir && !removed) {
        removed = true;
        rmSync(dir, { recursive: true, force: true });
      }
    },
    /** Starts it again after stop({ keepDir: true }), on the same port, config and persistence. */
    async start() {
      if (!child) await launch();
    },
    /** Stops and starts again on the same port with the same config and persistence. */
    async restart() {
      const c = child;
      child = null;
      await kill(c);
      await launch();
    },
  };
  return broker;
}

/**
 * Mosquitto's own mosquitto_sub -v on 127.0.0.1:port (args: more flags, e.g. ['-t', 'hello']),
 * resolved once the broker acknowledged its subscriptions. Returns { lines, waitFor(re, ms), stop() };
 * `lines` are its "topic payload" lines. stdbuf keeps its stdout line-buffered.
 */
export async function mosquittoSub(port, args) {
  const sub = mosquittoTool('mosquitto_sub');
  const stdbuf = findExecutable('stdbuf');
  const argv = ['-h', HOST, '-p', String(port), '-v', '-d', ...args];
  const child = spawn(stdbuf ?? sub, stdbuf ? ['-oL', sub, ...argv] : argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let partial = '',
    errors = '';
  const watchers = new Set();
  let exited = false,
    subscribed = false;
  child.stdout.on('data', (b) => {
    const parts = (partial + b).split('\n');
    partial = parts.pop();
    for (const l of parts) {
      if (/^Subscribed \(mid/.test(l)) subscribed = true;
      else if (!/^Client /.test(l)) lines.push(l);
    }
    for (const w of watchers) w();
  });
  child.stderr.on('data', (b) => {
    errors += b;
  });
  const gone = new Promise((resolve) =>
    child.once('close', () => {
      exited = true;
      for (const w of watchers) w();
      resolve();
    }),
  );
  const waitUntil = (ok, what, ms) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const v = ok();
        if (v) {
          done();
          resolve(v);
        } else if (exited) {
          done();
          reject(new Error(`mosquitto_sub exited before ${what}: ${errors}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`mosquitto_sub: no ${what} within ${ms} ms; it saw:\n${lines.join('\n')}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });
  await waitUntil(() => subscribed, 'SUBACK', LIMIT);
  return {
    lines,
    waitFor: (re, ms = LIMIT) => waitUntil(() => lines.find((l) => re.test(l)), `line matching ${re}`, ms),
    // SIGTERM, then SIGKILL: mosquitto_sub caught while it disconnects can hang in its signal handler.
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const t = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 2000);
      await gone;
      clearTimeout(t);
    },
  };
}
