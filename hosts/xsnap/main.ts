// The firmware inside the real XS engine, in an xsnap worker (@agoric/xsnap), driven by
// hosts/xsnap/runner.mjs. xsnap gives XS no timers, no sockets and no console, only two
// synchronous pipes to Node: so this Host asks Node for everything, and Node delivers what
// happens (a timer fired, a socket connected, bytes arrived, a socket closed) as commands.
//
// Every message either way is one ArrayBuffer: a JSON header, then optionally "\n" and raw bytes
// (JSON.stringify never writes a raw newline, so the first 0x0A ends the header).
//
//   XS -> Node (issueCommand, answered at once):
//     {op:'connect', id, host, port}   {op:'write', id} + bytes   {op:'close', id}
//     {op:'timer', id, ms}   {op:'cancel', id}   {op:'now'} -> {now}   {op:'random'} -> {value}
//     {op:'log', line}   {op:'restart', reason}
//     with a WiFi station (`wifi: true` at start or setup):
//     {op:'wifi-join', ssid, password}   {op:'wifi-leave'}   {op:'wifi-address'} -> {address}
//     with events asked for: {op:'event', event} (src/apps/events.ts, as the board's listener gets them)
//     run-time setup (src/setup/setup.ts over these stand-ins of a board's ports):
//     {op:'serial'} + bytes (what the board writes on its USB serial port)
//     {op:'store-get', key} -> {value}   {op:'store-set', key, value} -> {} or {error}   {op:'store-delete', key}
//     {op:'store-keys'} -> {keys}   {op:'scan'}   {op:'ap', ssid, password} -> {address}
//     {op:'serve', port} -> {port}   {op:'dns', port, address}   {op:'ap-close'}
//   Node -> XS (handleCommand, answered {ok} or {error}):
//     {ev:'start', config, deviceId, wifi?, events?} -> {ok, started}   {ev:'timer', id}   {ev:'connected', id}
//     {ev:'data', id} + bytes   {ev:'closed', id, reason?}   {ev:'stop'}
//     {ev:'status'} -> {ok, started, connected, failures, timers, connections}
//     {ev:'wifi', event}   {ev:'check', build, stored, changes, options} -> {ok, problem}
//     {ev:'config', raw, deviceId, needWiFi} -> {ok, config} or {ok, problem}
//     {ev:'setup', build, maxBytes, deviceId?, wifi?} -> {ok}   {ev:'serial'} + bytes   {ev:'scanned', networks}
//     {ev:'open-page', reason}   {ev:'http', method, path, body, origin?, host?} -> {ok, status, type, body, headers}
//
// The setup stand-ins are what a board's Moddable host gives (hosts/moddable/setup-ports.ts): the
// store is Node's (the board's flash), and the USB serial port is bytes both ways.
//
// Time and randomness come from Node too: xsnap's Math.random is seeded the same way in every
// worker (it always starts 0.8401877...) and its clock is the wall clock, not a monotonic one.

import {
  type CloseKind,
  fire,
  type Connection,
  type ConnectionEvents,
  type Endpoint,
  type Firing,
  type Host,
  type ProgramRunner,
  type WiFi,
  type WiFiEvent,
  type WiFiEvents,
} from '../../src/host';
import { boardHost, startBoard, type Board } from '../../src/apps/board';
import { checkConfig } from '../../src/apps/config';
import type { BoardEvent } from '../../src/apps/events';
import { RequestReader } from '../../src/setup/http';
import { eventFrame } from '../../src/setup/improv';
import type { HttpHandler, SetupPorts, WiFiNetwork } from '../../src/setup/ports';
import { checkChanges, type CheckOptions, type Settings, type SettingsStore } from '../../src/setup/settings';
import { Setup, type Firmware } from '../../src/setup/setup';

// What xsnap-worker defines on the global object (xsnap-native/xsnap/sources/xsnap-worker.c).
declare function issueCommand(message: ArrayBuffer): ArrayBuffer;
declare class TextEncoder {
  encode(s: string): Uint8Array;
}
declare class TextDecoder {
  decode(b: Uint8Array | ArrayBuffer): string;
}

type Head = Record<string, unknown>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NL = 10;

function frame(head: Head, bytes?: Uint8Array): ArrayBuffer {
  const h = encoder.encode(JSON.stringify(head));
  if (!bytes) return h.buffer.byteLength === h.length ? (h.buffer as ArrayBuffer) : (h.slice().buffer as ArrayBuffer);
  const out = new Uint8Array(h.length + 1 + bytes.length);
  out.set(h, 0);
  out[h.length] = NL;
  out.set(bytes, h.length + 1);
  return out.buffer as ArrayBuffer;
}

function unframe(buffer: ArrayBuffer): { head: Head; bytes: Uint8Array | null } {
  const all = new Uint8Array(buffer);
  const nl = all.indexOf(NL);
  const head = JSON.parse(decoder.decode(nl < 0 ? all : all.subarray(0, nl))) as Head;
  return { head, bytes: nl < 0 ? null : all.slice(nl + 1) };
}

/** Asks Node; returns its answer (or an empty object). */
function ask(head: Head, bytes?: Uint8Array): Head {
  const reply = issueCommand(frame(head, bytes));
  return reply.byteLength ? unframe(reply).head : {};
}

const timers = new Map<number, Firing>();
const connections = new Map<number, ConnectionEvents>();
let nextId = 1;
let id = '000000000000';
let board: Board | null = null;

/** Starts a board that runs a program instead of its role: set by hosts/xsnap/program.ts, the bundle
 *  the runner loads instead of this one when a program runs (so a board without one carries none of it). */
type ProgramStarter = (host: Host, config: Record<string, unknown>, source: string, about?: { name: string; hash: string }) => Board | null;
let startProgram: ProgramStarter | null = null;
/** The program stored in the board's flash (src/setup/program-store.ts), and the runner setup compiles with: the program bundle's too. */
type StoredReader = (store: SettingsStore, log: (line: string) => void) => { name: string; hash: string; source: string } | null;
let storedProgram: StoredReader | null = null;
let programRunner: (() => ProgramRunner | null) | null = null;
export function setProgramStarter(f: ProgramStarter, stored?: StoredReader, runner?: () => ProgramRunner | null): void {
  startProgram = f;
  storedProgram = stored ?? null;
  programRunner = runner ?? null;
}

const xsHost: Host = {
  now: () => ask({ op: 'now' }).now as number,
  after(ms, target) {
    const t = nextId++;
    timers.set(t, target);
    ask({ op: 'timer', id: t, ms });
    return { t };
  },
  cancel(handle) {
    const t = (handle as { t: number }).t;
    if (timers.delete(t)) ask({ op: 'cancel', id: t });
  },
  connect(to: Endpoint, events: ConnectionEvents): Connection {
    const c = nextId++;
    connections.set(c, events);
    const head: Head = { op: 'connect', id: c, host: to.host, port: to.port };
    ask(head);
    return {
      write(bytes) {
        if (connections.has(c)) ask({ op: 'write', id: c }, bytes);
      },
      // Like the Node host: after close() the connection reports nothing more.
      close() {
        if (connections.delete(c)) ask({ op: 'close', id: c });
      },
    };
  },
  random: () => ask({ op: 'random' }).value as number,
  log: (line) => {
    ask({ op: 'log', line });
  },
  // On the USB serial port's stand-in, as the firmware writes it on its port.
  event: (code, facts) => {
    ask({ op: 'serial' }, eventFrame(code, facts));
  },
  deviceId: () => id,
  restart: (reason) => {
    // The old board stops first (its role's timers, its client): Node restarts this worker when
    // it likes, and the old role must not run on beside the new one, on one client id.
    const b = board;
    board = null;
    b?.stop();
    ask({ op: 'restart', reason });
  },
};

// ---- The board's WiFi station: Node says which networks take which password.

let wifiListener: WiFiEvents | null = null;
const xsWiFi: WiFi = {
  join(ssid, password, listener) {
    wifiListener = listener;
    ask({ op: 'wifi-join', ssid, password });
  },
  // Like a station: after leave() the attempt under way reports nothing more.
  leave() {
    wifiListener = null;
    ask({ op: 'wifi-leave' });
  },
  address: () => String(ask({ op: 'wifi-address' }).address ?? ''),
};

function tellNode(event: BoardEvent): void {
  ask({ op: 'event', event });
}

// ---- Run-time setup over stand-ins of a board's ports

let setup: Setup | null = null;
let setupStore: SettingsStore | null = null;
let page: HttpHandler | null = null;
let scanDone: ((networks: WiFiNetwork[]) => void) | null = null;

/** The board's flash: Node keeps it (a refused value comes back as an error, as Preference throws). */
function nodeStore(maxBytes: number): SettingsStore {
  return {
    maxBytes,
    get(key) {
      const v = ask({ op: 'store-get', key }).value;
      return typeof v === 'string' ? v : undefined;
    },
    set(key, value) {
      const r = ask({ op: 'store-set', key, value });
      if (r.error) throw new Error(String(r.error));
    },
    delete(key) {
      ask({ op: 'store-delete', key });
    },
    keys: () => ask({ op: 'store-keys' }).keys as string[],
  };
}

function xsPorts(maxBytes: number): SetupPorts {
  return {
    store: nodeStore(maxBytes),
    info: () => ['mqtt-pair', 'xsnap', 'xsnap', `mqtt-pair-${id.slice(-6)}`],
    serialWrite(bytes) {
      ask({ op: 'serial' }, bytes);
      return true;
    },
    scan(done) {
      scanDone = done;
      ask({ op: 'scan' });
    },
    openAccessPoint: (ssid, password) => String(ask({ op: 'ap', ssid, password }).address),
    serve(port, handler) {
      page = handler;
      return Number(ask({ op: 'serve', port }).port);
    },
    answerDns(port, address) {
      ask({ op: 'dns', port, address });
    },
    close() {
      page = null;
      ask({ op: 'ap-close' });
    },
    stationAddress: () => (xsHost.wifi ? xsHost.wifi.address() : ''),
  };
}

/** What setup knows of the firmware: the build's config, and the board this worker runs. */
function xsFirmware(build: Record<string, unknown>): Firmware {
  return {
    build,
    running: () => board !== null,
    stopBoard() {
      const b = board;
      board = null;
      b?.stop();
    },
  };
}

function handle(head: Head, bytes: Uint8Array | null): Head {
  const n = head.id as number;
  switch (head.ev) {
    case 'start':
      if (board) return { error: 'the board is already started' };
      id = String(head.deviceId ?? id);
      if (head.wifi) xsHost.wifi = xsWiFi;
      if (typeof head.program === 'string') {
        if (!startProgram) return { error: 'this bundle runs no programs: load build/xsnap/program.js' };
        board = startProgram(xsHost, head.config as Record<string, unknown>, head.program);
      } else {
        // As a board boots: the program stored in its flash, if any, instead of the role.
        const stored = setupStore && storedProgram ? storedProgram(setupStore, xsHost.log) : null;
        if (stored && startProgram) {
          xsHost.log(`Program: ${stored.name}, stored on this board`);
          board = startProgram(xsHost, head.config as Record<string, unknown>, stored.source, stored);
        } else board = startBoard(xsHost, head.config as Record<string, unknown>, head.events ? tellNode : undefined);
      }
      return { ok: true, started: !!board };
    case 'wifi':
      wifiListener?.wifiEvent(head.event as WiFiEvent);
      return { ok: true };
    case 'check': {
      const options = head.options as CheckOptions;
      return { ok: true, problem: checkChanges(head.build as Settings, head.stored as Settings | null, head.changes as Settings, options) };
    }
    case 'config': {
      const c = checkConfig(head.raw as Record<string, unknown>, String(head.deviceId ?? ''), !!head.needWiFi);
      return typeof c === 'string' ? { ok: true, problem: c } : { ok: true, config: c };
    }
    case 'setup':
      if (setup) return { error: 'setup is already made' };
      if (head.deviceId) id = String(head.deviceId);
      if (head.wifi) xsHost.wifi = xsWiFi;
      // Its lines hold what came over the serial port or a form: printed as text, as the firmware's log does.
      {
        const ports = xsPorts(Number(head.maxBytes ?? 200));
        setupStore = ports.store;
        // Setup compiles a program before it stores it, where this bundle runs programs.
        const runner = programRunner?.() ?? undefined;
        const host = Object.create(boardHost(xsHost), { program: { value: runner } }) as Host;
        setup = new Setup(host, ports, xsFirmware((head.build ?? {}) as Record<string, unknown>));
      }
      return { ok: true };
    case 'serial':
      if (!setup) return { error: 'no setup: send {ev: "setup"} first' };
      if (bytes) setup.serialBytes(bytes);
      return { ok: true };
    case 'scanned': {
      const done = scanDone;
      scanDone = null;
      done?.((head.networks ?? []) as WiFiNetwork[]);
      return { ok: true };
    }
    case 'open-page':
      if (!setup) return { error: 'no setup: send {ev: "setup"} first' };
      setup.openPage(String(head.reason), Array.isArray(head.why) ? head.why.map(String) : []);
      return { ok: true };
    case 'http': {
      if (!page) return { error: 'no setup page is served' };
      const r = page.request({
        method: String(head.method),
        path: String(head.path),
        body: String(head.body ?? ''),
        origin: head.origin === undefined ? undefined : String(head.origin),
        host: head.host === undefined ? undefined : String(head.host),
      });
      return { ok: true, status: r.status, type: r.type, body: typeof r.body === 'string' ? r.body : decoder.decode(r.body), headers: r.headers ?? [] };
    }
    case 'http-raw': {
      // A request as its bytes (a program's body among them), read by the board's RequestReader as
      // hosts/moddable/setup-server.ts reads a socket's: POST /program's text goes to the store as it comes.
      if (!page) return { error: 'no setup page is served' };
      const handler = page;
      const r = new RequestReader(setupStore?.maxBytes ?? 200, (name, size) => handler.openProgram?.(name, size) ?? 'this board cannot run programs');
      const b = bytes ?? new Uint8Array(0);
      const step = Number(head.step) || b.length || 1;
      for (let i = 0; i < b.length && !r.status; i += step) r.push(b, i, Math.min(b.length, i + step));
      if (!r.status) {
        r.abandon(); // the connection went before the request was whole
        return { ok: true, status: 0, type: '', body: '', headers: [] };
      }
      if (r.status !== 200) return { ok: true, status: r.status, type: 'text/plain', body: r.why, headers: [] };
      const a = handler.request({ method: r.method, path: r.path, body: '', form: r.form, program: r.program, origin: r.origin, host: r.host });
      return { ok: true, status: a.status, type: a.type, body: typeof a.body === 'string' ? a.body : decoder.decode(a.body), headers: a.headers ?? [] };
    }
    case 'timer': {
      const target = timers.get(n);
      if (target) {
        timers.delete(n);
        fire(target);
      }
      return { ok: true };
    }
    case 'connected':
      connections.get(n)?.connected();
      return { ok: true };
    case 'data':
      if (bytes) connections.get(n)?.data(bytes);
      return { ok: true };
    case 'closed': {
      const events = connections.get(n);
      connections.delete(n);
      events?.closed(head.reason as string | undefined, head.kind as CloseKind | undefined);
      return { ok: true };
    }
    case 'stop':
      board?.stop();
      board = null;
      setup?.stop();
      setup = null;
      return { ok: true, timers: timers.size, connections: connections.size };
    case 'status':
      return {
        ok: true,
        started: !!board,
        connected: !!board?.client.connected,
        failures: board?.client.failures ?? 0,
        // What could still make the board do anything: XS runs only when Node delivers one of these.
        timers: timers.size,
        connections: connections.size,
      };
    default:
      return { error: `unknown event ${JSON.stringify(head.ev)}` };
  }
}

(globalThis as { handleCommand?: (message: ArrayBuffer) => ArrayBuffer }).handleCommand = (message: ArrayBuffer): ArrayBuffer => {
  try {
    const { head, bytes } = unframe(message);
    return frame(handle(head, bytes));
  } catch (e) {
    const err = e as Error;
    return frame({ error: `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`, stack: String(err?.stack ?? '') });
  }
};
