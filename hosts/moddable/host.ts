// The Host interface over the Moddable SDK: `timer` and `time` for the clock, `socket` and `net`
// for TCP and DNS, `securesocket` for TLS (mqtts://), `websocket` for ws:// and wss://, `sntp` for
// the date TLS needs, `wifi` for the station (on the simulators, the SDK's simulated one), and our
// own tiny `mqtt-pair/chip` module to reset the board (the SDK has no restart binding outside its
// experimental IO stack), reach the serial port of a release build, and seed the simulators' RNG.
//
// Rules kept here so src/ never has to know about the XS runtime:
// - nothing throws out of `connect`, a timer, a socket callback or a WiFi callback;
// - every connection ends with exactly one `closed(reason)`, never synchronously inside `connect`;
// - after `close()` a connection reports nothing more.

import Timer from 'timer';
import Time from 'time';
import { Socket } from 'socket';
import SecureSocket from 'securesocket';
import { Client as WebSocketClient } from 'websocket';
import Resource from 'Resource';
import SNTP from 'sntp';
import Net from 'net';
import WiFi from 'wifi';
import { restart as restartBoard, seedRandom, serialLine } from 'mqtt-pair/chip';
import type { Connection, ConnectionEvents, Endpoint, Host, WiFi as StationWiFi, WiFiEvent } from '../../src/host';
import { brokerEndpoint, brokerName } from '../../src/apps/config';

/** What Socket and SecureSocket share, as this file uses them. */
interface StreamSocket {
  callback: (message: number, value?: number) => void;
  read(type: typeof ArrayBuffer): ArrayBuffer;
  write(...data: ArrayBuffer[]): number;
  close(): void;
}

export interface ModdableHostOptions {
  /** Runs the firmware again where the hardware cannot be reset (the simulators). */
  softRestart?: () => void;
  /** The time server that sets the clock before the first TLS connection (config `sntp`). */
  sntp?: string;
}

/** What a connection needs from its host. */
interface Links {
  guard: (what: string, fn: () => void) => void;
  log: (line: string) => void;
  sntp: string;
}

/** Bytes we hold for a socket that is not taking them; past this the broker is not reading. */
const MAX_PENDING = 16 * 1024;

export function moddableHost(options: ModdableHostOptions): Host {
  // A release build's trace() reaches no serial monitor: the chip module writes the line there.
  const log = (line: string) => { if (!serialLine(line)) trace(line + '\n'); };
  const guard = (what: string, fn: () => void) => {
    try { fn(); } catch (e) { log(`Internal error in ${what}: ${describe(e)}`); }
  };
  const after = (ms: number, fn: () => void): (() => void) => {
    let timer: Timer | undefined = Timer.set(() => { timer = undefined; guard('timer', fn); }, Math.max(0, Math.ceil(ms)));
    return () => { if (timer) { Timer.clear(timer); timer = undefined; } };
  };
  seedRandom(); // before the first Math.random: the id, the jitter, TLS
  const id = deviceIdFromMac();
  const links: Links = { guard, log, sntp: options.sntp || 'pool.ntp.org' };
  const host: Host = {
    now: monotonicClock(),
    after,
    connect: (to, events) => (to.transport === 'ws' || to.transport === 'wss' ? connectWebSocket : connectSocket)(to, events, links),
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
  host.wifi = station(log, guard);
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

/**
 * The station MAC as 12 lowercase hex digits, as the seed's hexlify(unique_id()); random where
 * there is none (the simulators), so that two instances never share a client id.
 */
function deviceIdFromMac(): string {
  let mac: unknown;
  try {
    if (WiFi.mode !== 1) WiFi.mode = 1; // station: on ESP32 the MAC is only readable once WiFi is up
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
 * A TCP connection over Moddable's Socket, or TLS over its SecureSocket (mqtts://). The broker's
 * name is resolved first with Net.resolve so that a name that does not resolve says so; Socket
 * itself reports every failure as the same -2.
 */
function connectSocket(to: Endpoint, events: ConnectionEvents, links: Links): Connection {
  const { guard } = links;
  const secure = to.transport === 'tls';
  const where = `${to.host}:${to.port}`;
  let state: 'starting' | 'connecting' | 'open' | 'done' = 'starting';
  let socket: StreamSocket | undefined;
  let tlsAnswered = false; // TLS: bytes came back on the TCP socket (SecureSocket says nothing before its handshake ends)
  let heard = false; // the broker sent something
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let timer: Timer | undefined;
  let cancelStart: (() => void) | undefined;

  const release = () => {
    cancelStart?.();
    cancelStart = undefined;
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
  const notOpened = () => (secure && tlsAnswered ? tlsFailed(to) : `no MQTT broker at ${where} (connection refused or host unreachable)`);

  // The lin simulator's socket says "connected" even when the connection was refused, and only
  // its first write fails: a write failing before the broker said anything is that refusal.
  const writeFailed = (e: unknown) => finishSoon(heard ? `cannot send to ${where}: ${describe(e)}` : `no MQTT broker at ${where} (connection refused)`);
  const flush = () => {
    while (state === 'open' && socket && pending.length) {
      let room: number;
      try { room = socket.write(); } catch (e) { return writeFailed(e); }
      if (!(room > 0)) return; // the socket says when there is room again (message 3)
      const head = pending[0];
      const n = Math.min(room, head.length);
      const chunk = n === head.length ? head : head.subarray(0, n);
      try { socket.write(arrayBuffer(chunk)); } catch (e) { return writeFailed(e); }
      if (n === head.length) pending.shift(); else pending[0] = head.subarray(n);
      pendingBytes -= n;
    }
  };

  const onSocket = (s: StreamSocket, message: number) => {
    if (state === 'done' || s !== socket) return;
    switch (message) {
      case 1: // connected (TLS: the handshake is done)
        state = 'open';
        events.connected();
        flush();
        return;
      case 2: { // data: read all that is there
        let buffer: ArrayBuffer | undefined;
        try { buffer = s.read(ArrayBuffer); } catch { return; } // nothing to read
        if (buffer && buffer.byteLength) { heard = true; events.data(new Uint8Array(buffer)); }
        return;
      }
      case 3: // sent: room to write again
        flush();
        return;
      case -1: // the peer closed
        finish(state === 'open' ? undefined : secure && tlsAnswered ? tlsFailed(to) : `${where} closed the connection before it opened`);
        return;
      case -2: // error
        finish(state === 'open' ? `connection to ${where} lost (network error)` : notOpened());
        return;
    }
  };

  const open = (address: string) => {
    if (state !== 'starting') return;
    state = 'connecting';
    let s: StreamSocket;
    try {
      // `host` works everywhere (the lin socket takes no `address`) and an IP address needs no lookup.
      s = secure
        ? new SecureSocket({ host: address, port: to.port, noDelay: true, secure: secureOptions(to) }) as unknown as StreamSocket
        : new Socket({ host: address, port: to.port, noDelay: true }) as unknown as StreamSocket;
    } catch (e) {
      return finish(secure ? tlsSetupFailed(to, e) : `cannot open a TCP socket to ${where}: ${describe(e)}`);
    }
    socket = s;
    // try/catch here rather than guard(): one frame less under every packet, on a small stack
    s.callback = (message) => { try { onSocket(s, message); } catch (e) { links.log(`Internal error in socket: ${describe(e)}`); } };
    if (secure) watchTcp(s, () => { tlsAnswered = true; });
  };

  cancelStart = start(to, links, open, (reason) => finish(reason));

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

/**
 * MQTT over WebSocket (ws://, wss://) through the SDK's websocket Client (modules/network/websocket),
 * over Socket or SecureSocket. It sends binary frames and asks for the subprotocol "mqtt". Its
 * limits (docs/flashing.md): a frame the broker sends must arrive whole in one read (a few KB on
 * ws://, under 1 KB on wss://), no fragmented messages, at most 64 KB per frame sent.
 */
function connectWebSocket(to: Endpoint, events: ConnectionEvents, links: Links): Connection {
  const { guard } = links;
  const secure = to.transport === 'wss';
  const where = `${to.host}:${to.port}`;
  const url = brokerName(to);
  let state: 'starting' | 'connecting' | 'upgrading' | 'open' | 'done' = 'starting';
  let ws: WebSocketClient | undefined;
  let timer: Timer | undefined;
  let cancelStart: (() => void) | undefined;

  const release = () => {
    cancelStart?.();
    cancelStart = undefined;
    if (timer) { Timer.clear(timer); timer = undefined; }
    const w = ws;
    ws = undefined;
    if (w) try { w.close(); } catch { /* already closed */ }
  };
  const finish = (reason?: string) => {
    if (state === 'done') return;
    state = 'done';
    release();
    events.closed(reason);
  };
  const finishSoon = (reason: string) => {
    if (state === 'done' || timer) return;
    timer = Timer.set(() => { timer = undefined; guard('WebSocket', () => finish(reason)); });
  };

  const onMessage = (w: WebSocketClient, message: number, value: unknown) => {
    if (state === 'done' || w !== ws) return;
    switch (message) {
      case 1: // the (TLS) socket is connected; the upgrade request is on its way
        state = 'upgrading';
        return;
      case 2: // upgraded
        state = 'open';
        events.connected();
        return;
      case 3: // a message: MQTT goes in binary ones
        if (typeof value === 'string') return finish('WebSocket: the broker sent a text frame: MQTT goes in binary frames');
        if (value instanceof ArrayBuffer && value.byteLength) events.data(new Uint8Array(value));
        return;
      case 4: // closed, or failed
        if (state === 'open') finish(`the WebSocket connection to ${url} closed`);
        else if (state === 'upgrading') finish(`WebSocket: ${url} refused the upgrade to WebSocket (check the port and the path)`);
        else finish(secure ? `no MQTT broker at ${where}, or the TLS handshake failed (check the port, and that ca=${to.ca} signed the broker's certificate)` : `no MQTT broker at ${where} (connection refused or host unreachable)`);
        return;
    }
  };

  const open = (address: string) => {
    if (state !== 'starting') return;
    state = 'connecting';
    let w: WebSocketClient;
    try {
      const dictionary: Record<string, unknown> = { host: address, port: to.port, path: to.path ?? '/mqtt', protocol: 'mqtt' };
      if (secure) { dictionary.Socket = SecureSocket; dictionary.secure = secureOptions(to); }
      w = new WebSocketClient(dictionary as ConstructorParameters<typeof WebSocketClient>[0]);
    } catch (e) {
      return finish(secure ? tlsSetupFailed(to, e) : `cannot open a WebSocket to ${url}: ${describe(e)}`);
    }
    ws = w;
    w.callback = (message, value) => { try { onMessage(w, message, value); } catch (e) { links.log(`Internal error in WebSocket: ${describe(e)}`); } };
  };

  cancelStart = start(to, links, open, (reason) => finish(reason));

  return {
    write(bytes) {
      if (state !== 'open' || !ws || !bytes.length) return;
      try { ws.write(arrayBuffer(bytes)); } catch (e) { finishSoon(`cannot send to ${url}: ${describe(e)}`); }
    },
    close() {
      if (state === 'done') return;
      state = 'done';
      release();
    },
  };
}

/**
 * Starts a connection from the run loop, never inside connect() (the caller has not stored the
 * Connection yet): for TLS the clock first, then the broker's address (an IPv4 address as it is,
 * a name through Net.resolve), then `open(address)`, or `fail(reason)`. Returns a cancel function.
 */
function start(to: Endpoint, links: Links, open: (address: string) => void, fail: (reason: string) => void): () => void {
  let cancelled = false;
  let stopClock: (() => void) | undefined;
  const resolve = () => {
    // (The pattern is written here, not at module level: a preloaded module keeps no RegExp.)
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(to.host)) return open(to.host);
    try {
      Net.resolve(to.host, (_name, address) => links.guard('DNS', () => {
        if (cancelled) return;
        if (address) open(address);
        else fail(`broker host name "${to.host}" does not resolve`);
      }));
    } catch (e) {
      fail(`cannot look up "${to.host}": ${describe(e)}`);
    }
  };
  let timer: Timer | undefined = Timer.set(() => {
    timer = undefined;
    links.guard('socket', () => {
      if (cancelled) return;
      if (to.transport !== 'tls' && to.transport !== 'wss') return resolve();
      stopClock = clockForTls(links, (error) => {
        stopClock = undefined;
        if (cancelled) return;
        if (error) fail(error); else resolve();
      });
    });
  });
  return () => {
    cancelled = true;
    if (timer) { Timer.clear(timer); timer = undefined; }
    stopClock?.();
  };
}

/** Before this (2024-01-01) the board's clock was never set: it starts at 1970 at power-up. */
const CLOCK_SET = 1704067200000;

/**
 * TLS checks the dates of the certificates, so the clock must be right: when it was never set,
 * asks the time server (config `sntp`) first. Calls `done(error?)`; returns a cancel function.
 */
function clockForTls(links: Links, done: (error?: string) => void): () => void {
  if (Date.now() > CLOCK_SET) { done(); return () => {}; }
  let stopped = false;
  let sntp: { close(): void } | undefined;
  links.log(`Getting the date from ${links.sntp} (TLS checks the dates of certificates)...`);
  try {
    sntp = new SNTP({ host: links.sntp }, (message, value) => links.guard('SNTP', () => {
      if (stopped || message === 2) return; // 2: trying again
      sntp = undefined;
      if (message === 1) { Time.set(value as number); done(); return; }
      done(`TLS needs the date to check the broker's certificate, and the time server "${links.sntp}" did not answer (${value}): set sntp= to one the board can reach`);
    })) as unknown as { close(): void };
  } catch (e) {
    done(`TLS needs the date, and asking "${links.sntp}" failed: ${describe(e)}`);
  }
  return () => {
    stopped = true;
    const s = sntp;
    sntp = undefined;
    if (s) try { s.close(); } catch { /* done already */ }
  };
}

/**
 * SecureSocket's `secure` dictionary. Moddable's TLS (modules/crypt/ssl) checks the broker's
 * certificate chain against `certificate` and the dates, and (SDK 8.2.3) the host name against
 * the certificate's subjectAltName; that last check passes only when the broker sends a chain of
 * two certificates or more (its own, then its CA's): with its own alone, the handshake fails.
 */
function secureOptions(to: Endpoint): Record<string, unknown> {
  const o: Record<string, unknown> = { protocolVersion: 0x303, tls_server_name: to.host };
  if (to.ca) o.certificate = new Resource(to.ca);
  return o;
}

function tlsSetupFailed(to: Endpoint, e: unknown): string {
  const why = describe(e);
  return `TLS: cannot use the CA certificate ca=${to.ca}: ${why}${/date/i.test(why) ? " (is the board's clock right? is the certificate still valid?)" : ''}`;
}

function tlsFailed(to: Endpoint): string {
  return `TLS handshake with ${to.host}:${to.port} failed: check that ca=${to.ca} signed the broker's certificate (RSA), that it is valid today, that the broker sends its CA's certificate after its own, and that it offers TLS 1.2`;
}

/**
 * SecureSocket reports nothing before its handshake ends: watch its TCP socket to tell "no broker"
 * from "TLS failed". What counts is the server's first bytes, not "connected": the lin simulator's
 * socket says connected even when the connection is refused.
 */
function watchTcp(s: StreamSocket, answered: () => void): void {
  const raw = (s as unknown as { sock?: { callback?: (message: number, value?: number) => void } }).sock;
  const inner = raw?.callback;
  if (!raw || !inner) return;
  raw.callback = (message, value) => {
    if (message === 2) answered();
    inner.call(raw, message, value);
  };
}

/**
 * What the board cannot do with the broker of this config, as a config error (undefined when it
 * can, or when readConfig will say what is wrong): TLS needs `ca`, a DER certificate resource.
 */
export function transportConfigError(raw: Record<string, unknown>): string | undefined {
  const e = brokerEndpoint(String(raw.broker ?? ''));
  if (typeof e === 'string') return undefined;
  if (e.transport !== 'tls' && e.transport !== 'wss') return undefined;
  const scheme = e.transport === 'tls' ? 'mqtts' : 'wss';
  const ca = raw.ca === undefined || raw.ca === null ? '' : String(raw.ca);
  const how = 'copy it in DER form into hosts/moddable/certs/ (openssl x509 -in ca.crt -outform der -out hosts/moddable/certs/ca.der), then flash with ca=ca.der on the mcconfig command line';
  if (!ca) return `config ca is missing: broker=${scheme}://… needs the CA certificate that signed the broker's: ${how}`;
  let head: Uint8Array;
  try {
    if (!Resource.exists(ca)) return `config ca="${ca}" is not in the firmware: ${how}`;
    head = new Uint8Array(new Resource(ca).slice(0, 10));
  } catch (err) {
    return `config ca="${ca}" cannot be read: ${describe(err)}`;
  }
  if (head[0] === 0x2d) return `config ca="${ca}" is a PEM file, and the board reads DER: convert it with openssl x509 -in ${ca} -outform der -out hosts/moddable/certs/ca.der, then ca=ca.der`;
  if (head[0] !== 0x30) return `config ca="${ca}" is not a certificate in DER form: ${how}`;
  return undefined;
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
