// Pseudo-terminals made by socat, standing in for a simulated board's USB serial port in mcsim.
// The firmware's setupSerial points at a path in the board's folder; socat makes a pty and links
// its device there. Bytes written before the other end opens a pty wait in it.
//
// openPty: one pty, joined to socat's stdin and stdout, which are ours. What the board writes (its
// console lines and Improv frames) comes out of `onData`; what we write goes to the board.
//
//   const port = await openPty(join(dir, 'serial'));
//   port.onData((bytes) => ...); port.write(frame); ... await port.stop();
//
// openPtyPair: two ptys joined, a null-modem cable: the board opens one, and the computer's side
// (`mqtt-pair setup --port`, with the serialport package) opens the other, as it would open
// /dev/ttyUSB0.
//
//   const cable = await openPtyPair(join(dir, 'serial'), join(dir, 'usb'));  ... await cable.stop();
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findExecutable } from '../mosquitto.mjs';
import { until } from './wait.mjs';
import { needs } from './needs.mjs';

/** For describe `skip`: why there is no socat (never a reason under REQUIRE_MODDABLE=1). */
export function socatSkip() {
  if (process.env.REQUIRE_MODDABLE === '1' || findExecutable('socat')) return false;
  return needs('the Moddable SDK', "socat is not installed: it makes the pty a simulated board's serial port is");
}

/** socat with the two addresses `a` and `b`; resolves once every path of `paths` exists. */
async function socat(a, b, paths, stdio) {
  const exe = findExecutable('socat');
  if (!exe) throw new Error('socat is missing: apt-get install socat (.ci/install installs it)');
  const child = spawn(exe, [a, b], { stdio });
  let errors = '';
  child.stderr.on('data', (bytes) => {
    errors += bytes;
  });
  let exited = false;
  const gone = new Promise((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const where = paths.join(' and ');
  await until(
    () => {
      if (exited) throw new Error(`socat made no pty at ${where}: ${errors.trim()}`);
      return paths.every((p) => existsSync(p));
    },
    () => `pty from socat at ${where}: ${errors.trim()}`,
  );
  return {
    child,
    exited: () => exited,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await gone;
    },
  };
}

const pty = (path) => `PTY,link=${path},raw,echo=0`;

export async function openPty(path) {
  const s = await socat(pty(path), 'STDIO', [path], ['pipe', 'pipe', 'pipe']);
  // socat ends when the far side closes the pty: what is still written then is dropped, not thrown (EPIPE).
  s.child.stdin.on('error', () => {});
  const listeners = new Set();
  s.child.stdout.on('data', (b) => {
    for (const l of listeners) l(new Uint8Array(b));
  });
  return {
    path,
    onData(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    write(bytes) {
      if (!s.exited()) s.child.stdin.write(bytes);
    },
    stop: s.stop,
  };
}

/** The board's end at `boardPath`, the computer's at `hostPath` (`path`). */
export async function openPtyPair(boardPath, hostPath) {
  const s = await socat(pty(boardPath), pty(hostPath), [boardPath, hostPath], ['ignore', 'ignore', 'pipe']);
  return { boardPath, path: hostPath, stop: s.stop };
}
