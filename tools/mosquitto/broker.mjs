// A private Mosquitto for a test file or the benchmark: its own config, password file, ACL and
// persistence in a fresh temporary directory (tools/mosquitto/config.mjs), listening on a free
// port of 127.0.0.1 only; started, stopped and restarted here.
//
//   const broker = await startMosquitto({ users: { student: 'secret' }, acl: 'user student\ntopic readwrite lab/#\n' })
//   ... mqtt://127.0.0.1:${broker.port} ...
//   await broker.restart()   // same port, same config, same persistence file
//   await broker.stop()      // always, in an after() hook
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configLines, writeConfig } from './config.mjs';
import { mosquittoBinary } from './installed.mjs';
import { HOST, freePort, waitForPort } from './ports.mjs';

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
 *                  { protocol: 'mqtt' | 'websockets', certfile, keyfile, cafile, port }; certfile and
 *                  keyfile make it TLS (mqtts://, or wss:// for websockets). A websockets listener
 *                  always gets `socket_domain ipv4`: without it this libwebsockets build binds every
 *                  interface (::) instead of 127.0.0.1. (Mosquitto 2.0 also wants one plain MQTT
 *                  listener besides websockets ones; the main listener is that one.) `port`: this
 *                  one instead of a free one (a screenshot shows a classroom's ws://…:9001)
 *   verbose        log_type all (the log is in broker.log())
 *   port           listen on this port of 127.0.0.1 instead of a free one
 * Returns { port, url, dir, log(), stop(), restart() }.
 */
export async function startMosquitto(options = {}) {
  const bin = mosquittoBinary();
  if (!bin) throw new Error('mosquitto is not installed (looked in $MOSQUITTO, PATH and /usr/sbin)');
  const { listeners = [] } = options;
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-mosquitto-'));
  let port = options.port ?? (await freePort());
  let ports = [];
  for (const l of listeners) ports.push(l.port ?? (await freePort()));

  const conf = configLines(dir, options);
  const confFile = join(dir, 'mosquitto.conf');
  const writeConf = () => writeConfig(confFile, port, conf, listeners, ports);
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
      if (attempt >= 3 || options.port || listeners.some((l) => l.port) || !/Address already in use/.test(logText)) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
      port = await freePort();
      ports = [];
      for (const l of listeners) ports.push(l.port ?? (await freePort()));
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
