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
//   Node -> XS (handleCommand, answered {ok} or {error}):
//     {ev:'start', config, deviceId} -> {ok, started}   {ev:'timer', id}   {ev:'connected', id}
//     {ev:'data', id} + bytes   {ev:'closed', id, reason?}   {ev:'stop'}   {ev:'status'} -> {ok, connected, failures}
//
// Time and randomness come from Node too: xsnap's Math.random is seeded the same way in every
// worker (it always starts 0.8401877...) and its clock is the wall clock, not a monotonic one.

import { type CloseKind, fire, type Connection, type ConnectionEvents, type Endpoint, type Firing, type Host } from '../../src/host';
import { startBoard, type Board } from '../../src/apps/board';

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
type ProgramStarter = (host: Host, config: Record<string, unknown>, source: string) => Board | null;
let startProgram: ProgramStarter | null = null;
export function setProgramStarter(f: ProgramStarter): void {
  startProgram = f;
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
  deviceId: () => id,
  restart: (reason) => {
    ask({ op: 'restart', reason });
  },
};

function handle(head: Head, bytes: Uint8Array | null): Head {
  const n = head.id as number;
  switch (head.ev) {
    case 'start':
      if (board) return { error: 'the board is already started' };
      id = String(head.deviceId ?? id);
      if (typeof head.program === 'string') {
        if (!startProgram) return { error: 'this bundle runs no programs: load build/xsnap/program.js' };
        board = startProgram(xsHost, head.config as Record<string, unknown>, head.program);
      } else board = startBoard(xsHost, head.config as Record<string, unknown>);
      return { ok: true, started: !!board };
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
      return { ok: true, timers: timers.size, connections: connections.size };
    case 'status':
      return { ok: true, started: !!board, connected: !!board?.client.connected, failures: board?.client.failures ?? 0 };
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
