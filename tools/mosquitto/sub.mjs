// Mosquitto's own subscriber, mosquitto_sub, as a test's second opinion on what the broker delivered.
import { spawn } from 'node:child_process';
import { findExecutable, mosquittoTool } from './installed.mjs';
import { HOST, LIMIT } from './ports.mjs';

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

/**
 * What the broker on `port` holds retained under `filters`, as "topic payload" lines in the order
 * it sent them, as a later subscriber sees them: mosquitto_sub subscribes to them and to a marker
 * topic, then the marker is published (not retained). The retained messages come before it (the
 * broker sends them when it takes the subscription, the marker only later): no fixed wait that a
 * loaded machine could outlast.
 */
export async function retainedOn(port, filters) {
  const marker = `mqtt-pair-marker/${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const sub = await mosquittoSub(port, [...filters.flatMap((f) => ['-t', f]), '-t', marker, '-F', '%r %t %p']);
  try {
    const pub = spawn(mosquittoTool('mosquitto_pub'), ['-h', HOST, '-p', String(port), '-t', marker, '-m', 'end'], { stdio: 'ignore' });
    await new Promise((resolve, reject) =>
      pub.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub to the marker: exit ${code}`)))),
    );
    await sub.waitFor(new RegExp(`^0 ${marker} end$`));
    const end = sub.lines.indexOf(`0 ${marker} end`);
    return sub.lines
      .slice(0, end)
      .filter((l) => l.startsWith('1 '))
      .map((l) => l.slice(2));
  } finally {
    await sub.stop();
  }
}
