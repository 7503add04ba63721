// The board's USB serial port from Node, with the `serialport` package (prebuilt binaries: no
// compiler). It is an optional dependency, loaded only by `mqtt-pair setup --port` and `--list`:
// everything else runs without it.

import { accessSync, constants } from 'node:fs';
import { UsageError } from '../usage-error';
import type { Link } from './improv-client';
import { SetupError } from './problem';

interface PortInfo {
  path: string;
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
}
interface SerialPortLike {
  write(data: Uint8Array): boolean;
  on(event: 'data', fn: (b: Buffer) => void): void;
  on(event: 'error' | 'close', fn: (e?: Error) => void): void;
  close(cb?: (e?: Error | null) => void): void;
}
interface SerialPortModule {
  SerialPort: {
    new (options: { path: string; baudRate: number; autoOpen: boolean }): SerialPortLike & { open(cb: (e?: Error | null) => void): void };
    list(): Promise<PortInfo[]>;
  };
}

function serialport(): SerialPortModule {
  try {
    // A plain require, left to Node: the package is external to the bundle (native bindings).
    return require('serialport') as SerialPortModule;
  } catch {
    throw new SetupError({ code: 'noSerialPackage' });
  }
}

/** USB-serial chips found on ESP boards: Silicon Labs CP210x, WCH CH340/CH9102, FTDI, Espressif's own USB. */
const BOARD_VENDORS: Record<string, string> = { '10c4': 'Silicon Labs CP210x', '1a86': 'WCH CH340/CH9102', '0403': 'FTDI', '303a': 'Espressif USB' };

export interface ListedPort {
  path: string;
  /** What is on it, as far as USB says: the bridge chip of an ESP board, or ''. */
  board: string;
  manufacturer: string;
}

/** The serial ports, ESP boards' first. */
export async function listPorts(): Promise<ListedPort[]> {
  const ports = await serialport().SerialPort.list();
  return ports
    .map((p) => ({ path: p.path, board: BOARD_VENDORS[(p.vendorId ?? '').toLowerCase()] ?? '', manufacturer: p.manufacturer ?? '' }))
    .sort((a, b) => Number(!a.board) - Number(!b.board) || a.path.localeCompare(b.path));
}

export interface OpenPort extends Link {
  close(): Promise<void>;
}

/** A port that cannot be opened: why, by kind ('none', 'denied', 'busy'), else the system's message; the CLI words it. */
export class PortError extends UsageError {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`cannot open ${path}: ${why}`);
  }
}

/**
 * Why the port's device file cannot be opened, from the system's code: the library's open error
 * carries only a message. Null where the file is there and allowed (then the lock, or another cause)
 * and on Windows, where a port (COM3) is no file.
 */
function fileProblem(path: string): 'none' | 'denied' | null {
  if (process.platform === 'win32') return null;
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'none' : code === 'EACCES' || code === 'EPERM' ? 'denied' : null;
  }
}

/** The rest, from the library's message, which is all it gives: another process's lock, and Windows' errors. */
function messageProblem(m: string): 'none' | 'denied' | 'busy' | string {
  if (/EBUSY|Resource busy|Cannot lock|lock/i.test(m)) return 'busy';
  if (/File not found|cannot find|ENOENT/i.test(m)) return 'none';
  return /Access denied|EACCES|Permission denied/i.test(m) ? 'denied' : m;
}

/** Opens `path` at 115200 baud (8N1), as the board's Improv listens; a PortError (a UsageError) saying why it cannot. */
export function openPort(path: string): Promise<OpenPort> {
  const { SerialPort } = serialport();
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  return new Promise((resolve, reject) => {
    port.open((e) => {
      if (e) {
        reject(new PortError(path, fileProblem(path) ?? messageProblem(e.message)));
        return;
      }
      let closed = false;
      port.on('close', () => {
        closed = true;
      });
      port.on('error', () => {
        /* reported by the waits that time out */
      });
      resolve({
        write: (bytes) => {
          if (!closed) port.write(bytes);
        },
        onData: (fn) => port.on('data', (b: Buffer) => fn(new Uint8Array(b.buffer, b.byteOffset, b.length))),
        close: () =>
          new Promise<void>((r) => {
            if (closed) return r();
            port.close(() => r());
          }),
      });
    });
  });
}
