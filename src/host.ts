// Everything the outside world gives the portable code. Each host (Moddable, Node, xsnap)
// implements this once; nothing in src/ touches a socket, a timer or a clock any other way.

/** Where a broker is: what a `broker` config value or a `--broker` URL says. */
export interface Endpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** mqtt:// plain TCP (the default), mqtts:// TLS, ws:// WebSocket, wss:// WebSocket over TLS. */
  transport?: Transport;
  /** ws and wss: the HTTP path of the WebSocket, e.g. /mqtt. */
  path?: string;
  /** tls and wss: the CA certificate to trust, a file on Node, a resource name on a board. */
  ca?: string;
  /** tls and wss: don't check that the certificate is for `host` (mosquitto's --insecure). */
  insecure?: boolean;
}
export type Transport = 'tcp' | 'tls' | 'ws' | 'wss';

/** A byte stream to a broker (TCP, TLS or WebSocket: the host hides which). */
export interface Connection {
  write(bytes: Uint8Array): void;
  /** Writes `head` then `body` as one write (a large PUBLISH without copying its payload); optional. */
  writev?(head: Uint8Array, body: Uint8Array): void;
  close(): void;
  /** Stop reading, and read again (TCP back-pressure while the reader cannot keep up); optional. */
  pause?(): void;
  resume?(): void;
  /**
   * For a connection that hands over whole messages only (a browser's WebSocket), which cannot show
   * the bytes of a large message arriving: check another way that the broker is still there (open
   * and close a second connection to it) and call `events.alive()` if it is. Optional.
   */
  probe?(): void;
}

/**
 * Why a connection ended, or never opened, as code can act on it; the reason beside it says it to
 * people. `unreachable`: nothing answers at the address; `dns`: the name does not resolve; `tls`:
 * the TLS handshake or the certificate failed; `websocket`: the WebSocket upgrade was refused;
 * `refused`: the broker refused the CONNECT (its CONNACK code beside); `timeout`: no CONNACK,
 * SUBACK, UNSUBACK or PINGRESP in time; `protocol`: the broker broke MQTT; `lost`: an open
 * connection dropped; `setup`: these settings cannot be used here (a CA file that cannot be read).
 */
export type CloseKind = 'unreachable' | 'dns' | 'tls' | 'websocket' | 'refused' | 'timeout' | 'protocol' | 'lost' | 'setup';

/**
 * What a Connection reports. `closed` comes exactly once, with a reason when it failed, and its
 * kind (without one: `lost` once connected, `unreachable` before).
 * The client passes an object whose methods are on its prototype: wrap it by calling them
 * (`connected: () => events.connected()`), not by spreading it.
 */
export interface ConnectionEvents {
  connected(): void;
  data(bytes: Uint8Array): void;
  /** The broker is there (the answer to `probe`): a sign of life without bytes. */
  alive(): void;
  closed(reason?: string, kind?: CloseKind): void;
}

/** The board's WiFi station. Absent on a desktop, where the network is already there. */
export interface WiFi {
  /** Starts joining; events arrive through `listener.wifiEvent` until `leave()`. */
  join(ssid: string, password: string, listener: WiFiEvents): void;
  leave(): void;
  /** The station's IP address, once it has one. */
  address(): string;
}
export type WiFiEvent = 'connected' | 'gotIP' | 'lostIP' | 'disconnected';
export interface WiFiEvents {
  wifiEvent(event: WiFiEvent): void;
}

/**
 * What a timer calls: an object's `fire` method (or a function). The portable code passes objects
 * whose methods live in flash with the preloaded code: on XS each closure kept alive costs RAM.
 */
export type Firing = { fire(): void } | (() => void);
/** A timer that has not fired yet, for `cancel`. */
export type TimerHandle = object;

/** Calls what a timer was given. */
export function fire(target: Firing): void {
  if (typeof target === 'function') target();
  else target.fire();
}

export interface Host {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `target` (its `fire` method) once after `ms` milliseconds, unless cancelled. */
  after(ms: number, target: Firing): TimerHandle;
  /** Stops a timer from firing; nothing happens for one that fired or was cancelled already. */
  cancel(timer: TimerHandle): void;
  connect(to: Endpoint, events: ConnectionEvents): Connection;
  /** A number in [0, 1): jitter for the backoff. */
  random(): number;
  /** One line for the serial console. Never pass it a secret. */
  log(line: string): void;
  /** A stable hexadecimal id for this board (from the MAC on a real one). */
  deviceId(): string;
  /**
   * A program's event for the tool at the other end of the USB serial port (src/setup/improv.ts's
   * eventFrame: `start`, `error`, `stop` and their facts), beside the console line a person reads.
   * Absent where no tool listens (the simulator in Node).
   */
  event?(code: string, facts: readonly string[]): void;
  /** Resets the board, as MicroPython's machine.reset() does. */
  restart(reason: string): void;
  wifi?: WiFi;
  // The board's own hardware, for the activity roles (src/apps/builtin/sensor.js, remote.js, actuator.js). Each is
  // optional: without it the role does without (simulated values, a demo sequence, a log line).
  // On a board they come from hosts/moddable/devices.ts; docs/flashing.md says how to wire them.
  /** role=sensor: one reading, in °C and hPa. */
  sensor?: () => { temperature: number; pressure: number };
  /** role=remote: calls `press` with a command (up, down, left, right or a colour) for each button
   *  press, until the returned function is called. */
  buttons?: (press: (command: string) => void) => () => void;
  /** role=actuator: shows a colour on an LED or a display; `rgb` is 0xRRGGBB. */
  showColour?: (name: string, rgb: number) => void;
  /** A student's program (src/program/): the board's LED, and whether its button is held down. */
  led?: (on: boolean) => void;
  button?: () => boolean;
  /** Compiles and runs a student's program; absent where a host cannot (then no program runs). */
  program?: ProgramRunner;
}

/**
 * How a host compiles and runs a student's program: one JavaScript module whose only globals are
 * the ones given (XS: a Compartment; Node: node:vm). src/program/ builds those globals.
 */
export interface ProgramRunner {
  /** Compiles `source` as a module and runs its body; throws what compiling or running throws. */
  run(source: string, globals: Record<string, unknown>): void;
  /** Where in the program an exception it threw (or a syntax error) comes from, when the host can tell. */
  where(error: unknown): ProgramPlace | null;
  /** Compiles `source` without running it: throws its syntax error (where() gives its line). */
  compile(source: string): void;
  /**
   * Where the host can stop a program that never gives control back (XS's metering): runs `f`, one
   * entry into the program, within a budget; true when the budget stopped it (the host has then
   * counted the stop and restarts the board), false when `f` returned. Throws what `f` throws.
   */
  metered?(f: () => void): boolean;
}
/** A place in a program: its line (from 1) and, where the engine gives one, its column (from 1). */
export interface ProgramPlace {
  line: number;
  column?: number;
}
