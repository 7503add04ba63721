// Two pseudo-terminals joined by socat, a null-modem cable: the board (mcsim) opens one, as its USB
// serial port (the firmware's setupSerial), and the computer's side (`mqtt-pair setup --port`, with
// the serialport package) opens the other, as it would open /dev/ttyUSB0. Bytes written to either
// before the other end opens it wait in the pty.
//
//   const cable = await openPtyPair(join(dir, 'serial'), join(dir, 'usb'));  ... await cable.stop();
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findExecutable } from './mosquitto.mjs';
import { until } from './wait.mjs';

export async function openPtyPair(boardPath, hostPath) {
  const socat = findExecutable('socat');
  if (!socat) throw new Error('socat is missing: apt-get install socat (.ci/install installs it)');
  const child = spawn(socat, [`PTY,link=${boardPath},raw,echo=0`, `PTY,link=${hostPath},raw,echo=0`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (b) => {
    errors += b;
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
      if (exited) throw new Error(`socat made no ptys at ${boardPath} and ${hostPath}: ${errors.trim()}`);
      return existsSync(boardPath) && existsSync(hostPath);
    },
    () => `ptys from socat at ${boardPath} and ${hostPath}: ${errors.trim()}`,
  );
  return {
    boardPath,
    path: hostPath,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await gone;
    },
  };
}
