// What run-time setup needs from a board beyond src/host.ts: where settings are kept, the USB
// serial port, the WiFi's scan and access point, an HTTP server and a DNS server. On Moddable it is
// hosts/moddable/setup-ports.ts; tests give a scripted one. None of it is used in normal operation
// but the store (read once at boot) and the serial port (Improv commands may come at any time).

import type { ProgramWriter } from './program-store';
import type { Settings, SettingsStore } from './settings';

export interface WiFiNetwork {
  ssid: string;
  /** Signal strength in dBm (-30 is strong, -90 weak). */
  rssi: number;
  /** No password needed. */
  open: boolean;
}

export interface HttpRequest {
  method: string;
  /** The path and query, as the request line gives them. */
  path: string;
  /** The body, for a POST: what a form sends (application/x-www-form-urlencoded). */
  body: string;
  /** The form already scanned as it arrived (src/setup/http.ts), in place of `body`. */
  form?: Settings | string;
  /** A program sent to POST /program, written to the store as it came (src/setup/program-store.ts), or why not. */
  program?: ProgramWriter | string;
  /** The Origin and Host headers, when sent: a POST from another origin is refused. */
  origin?: string;
  host?: string;
}

export interface HttpResponse {
  status: number;
  /** The content type, e.g. "text/html; charset=utf-8". */
  type: string;
  /** ASCII text, sent as it is (the page, from flash: no copy), or bytes (UTF-8 JSON). */
  body: string | Uint8Array;
  /** More header names and values, in pairs. */
  headers?: string[];
}

/** What the setup page answers; the host calls it once a request has arrived whole. */
export interface HttpHandler {
  request(r: HttpRequest): HttpResponse;
  /** Where a program sent to POST /program goes as it arrives (src/setup/http.ts's OpenProgram), or why nowhere. */
  openProgram?(name: string, size: number): ProgramWriter | string;
}

export interface SetupPorts {
  store: SettingsStore;
  /** Improv's device info: the firmware's name and version, the chip family, the board's name. */
  info(): [string, string, string, string];
  /** Writes to the USB serial port; false where the board has none for setup (a debug build's belongs to xsbug). */
  serialWrite(bytes: Uint8Array): boolean;
  /** Scans for WiFi networks and calls `done` once, with what it found (none when it failed). */
  scan(done: (networks: WiFiNetwork[]) => void): void;
  /** Opens the board's own access point (no password when `password` is empty); returns the board's address on it. */
  openAccessPoint(ssid: string, password: string): string;
  /** Serves `handler` over HTTP from `port` (the simulators, which share one address, take the next free one); returns the port. Throws when it cannot. */
  serve(port: number, handler: HttpHandler): number;
  /** Answers every name asked on UDP `port` with `address` (a captive portal). Throws when it cannot. */
  answerDns(port: number, address: string): void;
  /** Closes the access point and the servers. */
  close(): void;
  /** The station's address once it joined a network, else ''. */
  stationAddress(): string;
}
