// A pseudo-terminal standing in for a board's USB serial port in mcsim: socat makes a pty, links
// its device to `path` (where the firmware's setupSerial points), and joins it to its own stdin
// and stdout, which are ours. What the board writes (its console lines and Improv frames) comes
// out of `onData`; what we write goes to the board. Bytes written before the board opens the
// device wait in the pty.
//
//   const port = await openPty(join(dir, 'serial'));
//   port.onData((bytes) => ...); port.write(frame); ... await port.stop();
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

export async function openPty(path) {
  const socat = findExecutable('socat');
  if (!socat) throw new Error('socat is missing: apt-get install socat (.ci/install installs it)');
  const child = spawn(socat, [`PTY,link=${path},raw,echo=0`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (b) => {
    errors += b;
  });
  // socat ends when the far side closes the pty: what is still written then is dropped, not thrown (EPIPE).
  child.stdin.on('error', () => {});
  const listeners = new Set();
  child.stdout.on('data', (b) => {
    for (const l of listeners) l(new Uint8Array(b));
  });
  let exited = false;
  const gone = new Promise((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  await until(
    () => {
      if (exited) throw new Error(`socat made no pty at ${path}: ${errors.trim()}`);
      return existsSync(path);
    },
    () => `pty from socat at ${path}: ${errors.trim()}`,
  );
  return {
    path,
    onData(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    write(bytes) {
      if (!exited) child.stdin.write(bytes);
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await gone;
    },
  };
}
