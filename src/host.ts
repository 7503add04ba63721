// Everything the outside world gives the portable code. Each host (Moddable, Node, xsnap)
// implements this once; nothing in src/ touches a socket, a timer or a clock any other way.

/** Where a broker is: what a `broker` config value or a `--broker` URL says. */
export interface Endpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** A byte stream to a broker (TCP today). */
export interface Connection {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** What a Connection reports. `closed` comes exactly once, with a reason when it failed. */
export interface ConnectionEvents {
  connected(): void;
  data(bytes: Uint8Array): void;
  closed(reason?: string): void;
}

/** The board's WiFi station. Absent on a desktop, where the network is already there. */
export interface WiFi {
  /** Starts joining; events arrive through `onEvent` until `leave()`. */
  join(ssid: string, password: string, onEvent: (event: WiFiEvent) => void): void;
  leave(): void;
  /** The station's IP address, once it has one. */
  address(): string;
}
export type WiFiEvent = 'connected' | 'gotIP' | 'lostIP' | 'disconnected';

export interface Host {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
  connect(to: Endpoint, events: ConnectionEvents): Connection;
  /** A number in [0, 1): jitter for the backoff. */
  random(): number;
  /** One line for the serial console. Never pass it a secret. */
  log(line: string): void;
  /** A stable hexadecimal id for this board (from the MAC on a real one). */
  deviceId(): string;
  /** Resets the board, as MicroPython's machine.reset() does. */
  restart(reason: string): void;
  wifi?: WiFi;
}
