// The Host interface in a web browser: MQTT over the page's WebSocket (subprotocol "mqtt"),
// setTimeout, performance.now() and crypto.getRandomValues(). Nothing to install: the students'
// page (tools/web/student.ts) runs the same src/ client as the boards and the command line.
//
// As on every host: nothing throws out of `connect`, every connection ends with exactly one
// `closed(reason)`, never inside `connect`, and after `close()` nothing more is reported.

import { brokerName } from '../../src/endpoint';
import { pageTimers, type Timers } from './timers';
import type { CloseKind, Connection, ConnectionEvents, Endpoint, Firing, Host, TimerHandle } from '../../src/host';

/** The URL of the broker's WebSocket for an endpoint (ws:// or wss://, path /mqtt unless given). */
export function webSocketUrl(to: Endpoint): string {
  return brokerName({ ...to, transport: to.transport === 'wss' ? 'wss' : 'ws', path: to.path ?? '/mqtt' }, true);
}

/** `timers`: whose timers the client runs on (workerTimers keeps a hidden tab online: timers.ts). */
export function browserHost(log: (line: string) => void, timers: Timers = pageTimers()): Host {
  const id = randomHex(6);
  return {
    now: () => performance.now(),
    after: (ms, target: Firing) => timers.after(ms, target),
    cancel: (handle: TimerHandle) => timers.cancel(handle),
    connect: connectWebSocket,
    random: () => crypto.getRandomValues(new Uint32Array(1))[0] / 4294967296,
    log,
    deviceId: () => id,
    restart: (reason) => log(`(a page does not restart: ${reason})`),
  };
}

/** `bytes` random bytes as hex digits. */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function connectWebSocket(to: Endpoint, events: ConnectionEvents): Connection {
  const url = webSocketUrl(to);
  let ws: WebSocket | null = null;
  let open = false;
  let done = false;
  // Closes the socket with no more of its events: the end of a connection is reported once, or not at all.
  const drop = () => {
    done = true;
    const w = ws;
    ws = null;
    if (w) {
      w.onopen = w.onmessage = w.onclose = w.onerror = null;
      try {
        w.close();
      } catch {
        /* closed */
      }
    }
  };
  const finish = (reason?: string, kind?: CloseKind) => {
    if (done) return;
    drop();
    events.closed(reason, kind);
  };
  // From the event loop, never inside connect(): the client has not stored the connection yet.
  setTimeout(() => {
    if (done) return;
    try {
      ws = new WebSocket(url, 'mqtt');
    } catch (e) {
      return finish(`cannot open ${url}: ${(e as Error).message}`, 'setup');
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      open = true;
      events.connected();
    };
    ws.onmessage = (m) => {
      if (typeof m.data === 'string') return finish('the broker sent a text frame: MQTT goes in binary frames', 'protocol');
      events.data(new Uint8Array(m.data as ArrayBuffer));
    };
    // A browser tells a page nothing about why a WebSocket failed (no code, no message): say what to check.
    ws.onerror = () => {
      if (open) finish(`the connection to ${url} failed`, 'lost');
      else finish(`no MQTT broker at ${url} (check the address, the port of its WebSocket listener and the path)`, 'unreachable');
    };
    ws.onclose = (e) => {
      if (!open) finish(`${url} refused the connection (code ${e.code})`, 'websocket');
      else if (e.code === 1000) finish();
      else finish(`the connection to ${url} closed (code ${e.code})`, 'lost');
    };
  }, 0);
  // A browser hands a page each WebSocket message whole: a large one arriving slowly (Mosquitto
  // 2.0.11 sends about 40 KB/s on its WebSocket) shows nothing for minutes. When the client asks,
  // a second WebSocket to the broker, opened and closed at once, shows the broker and the network
  // are there: the wait is a long message, not a dead link.
  let probing: WebSocket | null = null;
  const probe = () => {
    if (done || probing) return;
    let p: WebSocket;
    try {
      p = new WebSocket(url, 'mqtt');
    } catch {
      return;
    }
    probing = p;
    const end = (alive: boolean) => {
      p.onopen = p.onerror = p.onclose = null;
      try {
        p.close(1000);
      } catch {
        /* closed */
      }
      if (probing === p) probing = null;
      if (alive && !done) events.alive();
    };
    p.onopen = () => end(true);
    p.onerror = p.onclose = () => end(false);
  };
  return {
    write(bytes) {
      if (!done && ws && open) ws.send(bytes);
    },
    close() {
      if (!done) drop();
    },
    probe,
  };
}
