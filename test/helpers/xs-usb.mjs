// A board in XS (xsnap, the program bundle: the one image that takes programs) with a USB serial
// port: its Improv frames and its console lines go out through `toComputer` (as the Moddable
// firmware copies its console to the port), what the computer sends comes in through write(). Its
// flash is a Map kept across the restarts it asks for (after a program is stored or cleared): the
// worker stops and another starts with the same flash, as a board reboots (and, with `merge`, boots
// with the settings stored there over `config`, as the firmware's boot merges them).
//
//   const board = await xsUsbBoard(config, (bytes) => pty.write(bytes));
//   pty.onData((bytes) => board.write(bytes));  ...  await board.stop();
// `networks`: the WiFi networks it sees (a scan's answer), when the test asks for them.
import { startXsBoard } from '../../hosts/xsnap/runner.mjs';

export async function xsUsbBoard(config, toComputer, { merge = false, networks } = {}) {
  const lines = [];
  let board = null;
  let stored = {};
  let restarting = null;
  const start = async () => {
    board = await startXsBoard({
      // The settings it stored, not the program's parts (pg…): those the program store reads itself.
      config: merge ? { ...config, ...Object.fromEntries(Object.entries(stored).filter(([k]) => !k.startsWith('pg'))) } : config,
      deviceId: 'a1b2c3d4e5f6',
      programs: true,
      ...(networks && { networks }),
      setup: { build: config, maxBytes: 200, stored },
      lines,
      log: (line) => toComputer(Buffer.from(`${line}\n`)),
      onSerial: (bytes) => toComputer(Buffer.from(bytes)),
      restart: () => {
        restarting ??= (async () => {
          await null; // not inside the worker's own query
          await restartNow();
          restarting = null;
        })();
      },
    });
  };
  const restartNow = async () => {
    const b = board;
    board = null;
    stored = Object.fromEntries(b.store);
    lines.push('[power cycle]');
    await b.stop();
    await start();
  };
  await start();
  return {
    lines,
    /** Bytes from the computer to the board's serial port (dropped while it restarts, as on a board). */
    write(bytes) {
      board?.serialWrite(bytes);
    },
    get store() {
      return board?.store ?? new Map(Object.entries(stored));
    },
    restart: restartNow,
    async stop() {
      await restarting;
      await board?.stop();
    },
  };
}
