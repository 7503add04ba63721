// The Host interface over the Moddable SDK: `timer` and `time` for the clock, `socket` and `net`
// for TCP and DNS, `wifi` for the station, and our own tiny `mqtt-pair/restart` module to reset
// the board (the SDK has no restart binding outside its experimental IO stack).
//
// Rules kept here so src/ never has to know about the XS runtime:
// - nothing throws out of `connect`, a timer, a socket callback or a WiFi callback;
// - every connection ends with exactly one `closed(reason)`, never synchronously inside `connect`;
// - after `close()` a connection reports nothing more.

import Timer from 'timer';
import Time from 'time';
import { Socket } from 'socket';
import Net from 'net';
import WiFi from 'wifi';
import restartBoard from 'mqtt-pair/restart';
import type { Connection, ConnectionEvents, Endpoint, Host, WiFi as StationWiFi, WiFiEvent } from '../../src/host';

type TCPSocket = InstanceType<typeof Socket>;

export interface ModdableHostOptions {
  /** False on the desktop simulators (mac, lin, win): the network is already there. */
  wifi: boolean;
  /** Runs the firmware again where the hardware cannot be reset (the simulators). */
  softRestart?: () => void;
}

/** Bytes we hold for a socket that is not taking them; past this the broker is not reading. */
const MAX_PENDING = 16 * 1024;

export function moddableHost(options: ModdableHostOptions): Host {
  const log = (line: string) => trace(line + '\n');
  const guard = (what: string, fn: () => void) => {
    try { fn(); } catch (e) { log(`Internal error in ${what}: ${describe(e)}`); }
  };
  const after = (ms: number, fn: () => void): (() => void) => {
    let timer: Timer | undefined = Timer.set(() => { timer = undefined; guard('timer', fn); }, Math.max(0, Math.ceil(ms)));
    return () => { if (timer) { Timer.clear(timer); timer = undefined; } };
  };
  const id = deviceIdFromMac(options.wifi);
  const host: Host = {
    now: monotonicClock(),
    after,
    connect: (to, events) => connectTcp(to, events, guard),
    random: Math.random,
    log,
    deviceId: () => id,
    restart(reason) {
      let restarted = false;
      try { restarted = restartBoard(); } catch (e) { log(`Restart failed: ${describe(e)}`); }
      if (restarted) return; // ESP8266 resets once this callback returns; ESP32 never gets here
      const again = options.softRestart;
      if (!again) { log(`Cannot restart this platform (${reason}): stopped.`); return; }
      log('This platform cannot reset itself: starting the firmware again in 1 s...');
      after(1000, again);
    },
  };
  if (options.wifi) host.wifi = station(log, guard);
  return host;
}

/**
 * Milliseconds that only go forward. `Time.ticks` is a millisecond counter (not the time of day, so
 * SNTP cannot move it) but it is 32 bits wide on the boards and wraps after 24 or 49 days; summing
 * the steps between two readings hides the wrap.
 */
function monotonicClock(): () => number {
  let last = Time.ticks;
  let total = 0;
  return () => {
    const t = Time.ticks;
    let step = t - last;
    if (step < 0) {
      step += 4294967296; // a 32-bit wrap, signed or unsigned
      if (step > 86400000) step = 0; // not a wrap: the counter went back; stand still
    }
    last = t;
    total += step;
    return total;
  };
}

/** The station MAC as 12 lowercase hex digits, as the seed's hexlify(unique_id()); random if unknown. */
function deviceIdFromMac(wifi: boolean): string {
  let mac: unknown;
  try {
    if (wifi && WiFi.mode !== 1) WiFi.mode = 1; // station: on ESP32 the MAC is only readable once WiFi is up
    mac = Net.get('MAC');
  } catch { mac = undefined; }
  const hex = typeof mac === 'string' ? mac.replace(/[^0-9a-f]/gi, '').toLowerCase() : '';
  if (hex.length >= 12 && /[1-9a-f]/.test(hex)) return hex;
  let id = '';
  for (let i = 0; i < 12; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A TCP connection over Moddable's Socket. The broker's name is resolved first with Net.resolve so
 * that a name that does not resolve says so; Socket itself reports every failure as the same -2.
 */
function connectTcp(to: Endpoint, events: ConnectionEvents, guard: (what: string, fn: () => void) => void): Connection {
  const where = `${to.host}:${to.port}`;
  let state: 'resolving' | 'connecting' | 'open' | 'done' = 'resolving';
  let socket: TCPSocket | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let timer: Timer | undefined;

  const release = () => {
    if (timer) { Timer.clear(timer); timer = undefined; }
    const s = socket;
    socket = undefined;
    pending = [];
    pendingBytes = 0;
    // Closing twice, or after the peer left, throws on some platforms (lin): nothing to do then.
    if (s) try { s.close(); } catch { /* already closed */ }
  };
  /** Ends the connection and says why, once. */
  const finish = (reason?: string) => {
    if (state === 'done') return;
    state = 'done';
    release();
    events.closed(reason);
  };
  /** The same, from the run loop: for failures found while the caller is still in `connect` or `write`. */
  const finishSoon = (reason: string) => {
    if (state === 'done') return;
    const s = socket;
    socket = undefined;
    if (s) try { s.close(); } catch { /* already closed */ }
    if (!timer) timer = Timer.set(() => { timer = undefined; guard('socket', () => finish(reason)); });
  };

  const flush = () => {
    while (state === 'open' && socket && pending.length) {
      let room: number;
      try { room = socket.write(); } catch (e) { return finishSoon(`cannot send to ${where}: ${describe(e)}`); }
      if (!(room > 0)) return; // the socket says when there is room again (message 3)
      const head = pending[0];
      const n = Math.min(room, head.length);
      const chunk = n === head.length ? head : head.subarray(0, n);
      try { socket.write(arrayBuffer(chunk)); } catch (e) { return finishSoon(`cannot send to ${where}: ${describe(e)}`); }
      if (n === head.length) pending.shift(); else pending[0] = head.subarray(n);
      pendingBytes -= n;
    }
  };

  const onSocket = (s: TCPSocket, message: number) => {
    if (state === 'done' || s !== socket) return;
    switch (message) {
      case 1: // connected
        state = 'open';
        events.connected();
        flush();
        return;
      case 2: { // data: read all that is there
        let buffer: ArrayBuffer | undefined;
        try { buffer = s.read(ArrayBuffer); } catch { return; } // nothing to read
        if (buffer && buffer.byteLength) events.data(new Uint8Array(buffer));
        return;
      }
      case 3: // sent: room to write again
        flush();
        return;
      case -1: // the peer closed
        finish(state === 'open' ? undefined : `${where} closed the connection before it opened`);
        return;
      case -2: // error
        finish(state === 'open'
          ? `connection to ${where} lost (network error)`
          : `no MQTT broker at ${where} (connection refused or host unreachable)`);
        return;
    }
  };

  const open = (address: string) => {
    if (state === 'done') return;
    state = 'connecting';
    let s: TCPSocket;
    try {
      // `host` works everywhere (the lin socket takes no `address`) and an IP address needs no lookup.
      s = new Socket({ host: address, port: to.port, noDelay: true });
    } catch (e) {
      return finish(`cannot open a TCP socket to ${where}: ${describe(e)}`);
    }
    socket = s;
    s.callback = (message) => guard('socket', () => onSocket(s, message));
  };

  // Start from the run loop, never inside connect(): the caller has not stored the Connection yet.
  timer = Timer.set(() => {
    timer = undefined;
    guard('socket', () => {
      if (state === 'done') return;
      // (The pattern is written here, not at module level: a preloaded module keeps no RegExp.)
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(to.host)) return open(to.host);
      try {
        Net.resolve(to.host, (_name, address) => guard('DNS', () => {
          if (state !== 'resolving') return;
          if (address) open(address);
          else finish(`broker host name "${to.host}" does not resolve`);
        }));
      } catch (e) {
        finish(`cannot look up "${to.host}": ${describe(e)}`);
      }
    });
  });

  return {
    write(bytes) {
      if (state === 'done' || !bytes.length) return;
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes > MAX_PENDING) return finishSoon(`${where} is not reading: more than ${MAX_PENDING} bytes waiting to be sent`);
      flush();
    },
    close() {
      if (state === 'done') return;
      state = 'done';
      release();
    },
  };
}

/** The bytes as an ArrayBuffer of their own, which every Socket implementation accepts. */
function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const b = bytes.buffer;
  if (b instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === b.byteLength) return b;
  return bytes.slice().buffer;
}

/** The WiFi station. Moddable's messages are "connect", "gotIP", "lostIP" and "disconnect". */
function station(log: (line: string) => void, guard: (what: string, fn: () => void) => void): StationWiFi {
  let monitor: WiFi | undefined;
  let failure: Timer | undefined;
  const stopMonitor = () => {
    if (failure) { Timer.clear(failure); failure = undefined; }
    const m = monitor;
    monitor = undefined;
    if (m) try { m.close(); } catch { /* already closed */ }
  };
  return {
    join(ssid, password, onEvent) {
      stopMonitor();
      let m: WiFi | undefined;
      const emit = (event: WiFiEvent) => { if (monitor === m) onEvent(event); };
      try {
        if (WiFi.mode !== 1) WiFi.mode = 1; // station
        m = new WiFi(password ? { ssid, password } : { ssid }, (message: string, code?: number) => guard('WiFi', () => {
          if (message === 'connect') emit('connected');
          else if (message === 'gotIP') emit('gotIP');
          else if (message === 'lostIP') emit('lostIP');
          else if (message === 'disconnect') {
            if (code === -1 && monitor === m) log(`WiFi: "${ssid}" refused the password`);
            emit('disconnected');
          }
        }));
        monitor = m;
      } catch (e) {
        log(`WiFi: cannot start joining "${ssid}": ${describe(e)}`);
        // Report it as a failed join, from the run loop, so the join state machine retries.
        failure = Timer.set(() => { failure = undefined; guard('WiFi', () => onEvent('disconnected')); });
      }
    },
    leave() {
      const had = monitor !== undefined;
      stopMonitor();
      if (!had) return;
      try {
        if (typeof WiFi.disconnect === 'function') WiFi.disconnect();
        else WiFi.connect(); // older SDKs: connect() without a dictionary disconnects
      } catch { /* not connected */ }
    },
    address() {
      try { return Net.get('IP') ?? ''; } catch { return ''; }
    },
  };
}
