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
//
// RAM: this code is preloaded (in flash); what a running board keeps is objects' fields. So the
// host, the station and each connection are class instances, and the SDK's timers, sockets and
// WiFi monitor call module-level functions that find their owner in a property, instead of
// closures: on XS each closure kept alive costs a few hundred bytes, a field 16 (32 on 64-bit).

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
import {
  fire,
  type CloseKind,
  type Connection,
  type ConnectionEvents,
  type Endpoint,
  type Firing,
  type Host,
  type TimerHandle,
  type WiFi as StationWiFi,
  type WiFiEvents,
} from '../../src/host';
import { brokerEndpoint, brokerName, hostPort } from '../../src/endpoint';

/** What Socket and SecureSocket share, as this file uses them. */
interface StreamSocket {
  callback: (message: number, value?: number) => void;
  read(type: typeof ArrayBuffer): ArrayBuffer;
  write(...data: ArrayBuffer[]): number;
  close(): void;
}

export interface ModdableHostOptions {
  /** The time server that sets the clock before the first TLS connection (config `sntp`). */
  sntp?: string;
}

/** Bytes we hold for a socket that is not taking them; past this the broker is not reading. */
const MAX_PENDING = 16 * 1024;

/** A release build's trace() reaches no serial monitor: the chip module writes the line there. */
function logLine(line: string): void {
  if (!serialLine(line)) trace(`${line}\n`);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---- Timers: one SDK timer per after(), its target in a property.

type HostTimer = Timer & { target?: Firing };

function onTimer(timer: HostTimer): void {
  const target = timer.target;
  timer.target = undefined; // fired: cancel() leaves it alone (the SDK forgets a one-shot timer once it returns)
  if (target)
    try {
      fire(target);
    } catch (e) {
      logLine(`Internal error in timer: ${describe(e)}`);
    }
}

export class ModdableHost implements Host, StationWiFi {
  /** The WiFi station is the host itself (one object less; its fields are below). */
  wifi: StationWiFi;
  // hosts/moddable/devices.ts's hooks, assigned by main() when the board has them (no field otherwise).
  declare sensor?: Host['sensor'];
  declare buttons?: Host['buttons'];
  declare showColour?: Host['showColour'];
  // Plain fields, not #private: the board's host delegates to this one (Object.create), and a
  // private field is not reachable through a prototype.
  readonly id: string;
  ticks = Time.ticks;
  total = 0;
  /** The time server for TLS's clock. */
  sntp: string;
  /**
   * WiFi joins and broker names that failed in a row (reset by an address, or a name resolved).
   * hosts/moddable/firmware.ts opens setup mode when it reaches setupAfter.
   */
  troubles = 0;

  constructor(options: ModdableHostOptions) {
    this.sntp = options.sntp || 'pool.ntp.org';
    seedRandom(); // before the first Math.random: the id, the jitter, TLS
    this.id = deviceIdFromMac();
    this.wifi = this;
  }

  // ---- The WiFi station. Moddable's messages are "connect", "gotIP", "lostIP" and "disconnect".
  // (Plain fields: a #private one costs a slot more per object on XS.)
  private monitor: OwnedWiFi | null = null;
  private listener: WiFiEvents | null = null;
  private ssid = '';
  /** A join that could not start, reported from the run loop. */
  private failure: Timer | null = null;

  join(ssid: string, password: string, listener: WiFiEvents): void {
    this.closeMonitor();
    this.listener = listener;
    this.ssid = ssid;
    // Each join counts as a trouble until the network gives an address: the troubles before this
    // one are the joins that failed.
    if (this.troubles) this.troubled(`${this.troubles} attempts to join the WiFi "${ssid}" failed`);
    this.troubles++;
    try {
      if (WiFi.mode !== 1 && WiFi.mode !== 3) WiFi.mode = 1; // station (with the access point in setup mode)
      const m = new WiFi(password ? { ssid, password } : { ssid }, onWiFi as ConstructorParameters<typeof WiFi>[1]) as OwnedWiFi;
      m.station = this;
      this.monitor = m;
    } catch (e) {
      logLine(`WiFi: cannot start joining "${ssid}": ${describe(e)}`);
      // Reported as a failed join, so the join state machine retries. (A closure: a rare path.)
      this.failure = Timer.set(() => {
        this.failure = null;
        try {
          listener.wifiEvent('disconnected');
        } catch (err) {
          logLine(`Internal error in WiFi: ${describe(err)}`);
        }
      });
    }
  }

  wifiMessage(m: OwnedWiFi, message: string, code?: number): void {
    const listener = this.listener;
    if (m !== this.monitor || !listener) return;
    if (message === 'connect') listener.wifiEvent('connected');
    else if (message === 'gotIP') {
      this.troubles = 0;
      listener.wifiEvent('gotIP');
    } else if (message === 'lostIP') listener.wifiEvent('lostIP');
    else if (message === 'disconnect') {
      if (code === -1) logLine(`WiFi: "${this.ssid}" refused the password`);
      if (m === this.monitor) listener.wifiEvent('disconnected');
    }
  }

  leave(): void {
    const had = this.monitor !== null;
    this.closeMonitor();
    if (!had) return;
    try {
      if (typeof WiFi.disconnect === 'function') WiFi.disconnect();
      else WiFi.connect(); // older SDKs: connect() without a dictionary disconnects
    } catch {
      /* not connected */
    }
  }

  address(): string {
    try {
      return Net.get('IP') ?? '';
    } catch {
      return '';
    }
  }

  private closeMonitor(): void {
    if (this.failure) {
      Timer.clear(this.failure);
      this.failure = null;
    }
    const m = this.monitor;
    this.monitor = null;
    if (!m) return;
    m.station = undefined;
    try {
      m.close();
    } catch {
      /* already closed */
    }
  }

  /**
   * Milliseconds that only go forward. `Time.ticks` is a millisecond counter (not the time of day,
   * so SNTP cannot move it) but it is 32 bits wide on the boards and wraps after 24 or 49 days;
   * summing the steps between two readings hides the wrap.
   */
  now(): number {
    const t = Time.ticks;
    let step = t - this.ticks;
    if (step < 0) {
      step += 4294967296; // a 32-bit wrap, signed or unsigned
      if (step > 86400000) step = 0; // not a wrap: the counter went back; stand still
    }
    this.ticks = t;
    return (this.total += step);
  }

  after(ms: number, target: Firing): TimerHandle {
    const timer = Timer.set(onTimer as (t: Timer) => void, Math.max(0, Math.ceil(ms))) as HostTimer;
    timer.target = target;
    return timer;
  }

  cancel(handle: TimerHandle): void {
    const timer = handle as HostTimer;
    if (!timer.target) return;
    timer.target = undefined;
    Timer.clear(timer);
  }

  connect(to: Endpoint, events: ConnectionEvents): Connection {
    return to.transport === 'ws' || to.transport === 'wss' ? new WebSocketConnection(to, events, this) : new SocketConnection(to, events, this);
  }

  random(): number {
    return Math.random();
  }

  log(line: string): void {
    logLine(line);
  }

  /** The WiFi or the broker's name failed again (`troubles` says how many times in a row): the firmware may open setup mode. */
  troubled(_reason: string): void {
    /* a plain host goes on trying */
  }

  /** Runs the firmware again where the hardware cannot be reset (the simulators); false where there is nothing to run. */
  protected softRestart(): boolean {
    return false;
  }

  deviceId(): string {
    return this.id;
  }

  restart(reason: string): void {
    let restarted = false;
    try {
      restarted = restartBoard();
    } catch (e) {
      logLine(`Restart failed: ${describe(e)}`);
    }
    if (restarted) return; // ESP8266 resets once this callback returns; ESP32 never gets here
    if (!this.softRestart()) {
      logLine(`Cannot restart this platform (${reason}): stopped.`);
      return;
    }
    logLine('This platform cannot reset itself: starting the firmware again in 1 s...');
  }
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
  } catch {
    mac = undefined;
  }
  const hex = typeof mac === 'string' ? mac.replace(/[^0-9a-f]/gi, '').toLowerCase() : '';
  if (hex.length >= 12 && /[1-9a-f]/.test(hex)) return hex;
  let id = '';
  for (let i = 0; i < 12; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}

// ---- TCP and TLS

// A connection's states.
const STARTING = 0,
  CONNECTING = 1,
  UPGRADING = 2,
  OPEN = 3,
  DONE = 4;

/** The SDK calls a socket's `callback` as its method: the connection is in `owner`. */
type OwnedSocket = StreamSocket & { owner?: SocketConnection };

function onSocket(this: OwnedSocket, message: number): void {
  // try/catch here rather than a guard function: one frame less under every packet, on a small stack
  try {
    this.owner?.socketEvent(this, message);
  } catch (e) {
    logLine(`Internal error in socket: ${describe(e)}`);
  }
}

/**
 * Starts a connection from the run loop, never inside connect() (the caller has not stored the
 * Connection yet): for TLS the clock first, then the broker's address (an IPv4 address as it is,
 * a name through Net.resolve), then `open(address)`. What WebSocket and TCP connections share.
 */
abstract class Starting {
  state = STARTING;
  /** The start, then a failure found while the caller is still in connect() or write(). */
  protected timer: TimerHandle | null;
  protected failure = '';
  protected failureKind: CloseKind = 'lost';
  protected clock: { close(): void } | null = null;

  constructor(
    readonly to: Endpoint,
    readonly events: ConnectionEvents,
    readonly host: ModdableHost,
  ) {
    this.timer = host.after(0, this);
  }

  protected abstract open(address: string): void;
  protected abstract release(): void;

  fire(): void {
    this.timer = null;
    if (this.state === STARTING) {
      if (this.to.transport === 'tls' || this.to.transport === 'wss') this.setClock();
      else this.resolve();
    } else {
      this.finish(this.failure, this.failureKind);
    }
  }

  close(): void {
    if (this.state === DONE) return;
    this.state = DONE;
    this.stop();
  }

  /** Ends the connection and says why, once. */
  protected finish(reason?: string, kind?: CloseKind): void {
    if (this.state === DONE) return;
    this.state = DONE;
    this.stop();
    this.events.closed(reason, kind);
  }

  /** The same, from the run loop: for failures found while the caller is in `connect` or `write`. */
  protected finishSoon(reason: string, kind: CloseKind): void {
    if (this.state === DONE || this.failure) return;
    this.release();
    this.failure = reason;
    this.failureKind = kind;
    if (this.state === STARTING) this.state = CONNECTING; // fire() must finish, not start
    if (this.timer) this.host.cancel(this.timer);
    this.timer = this.host.after(0, this);
  }

  private stop(): void {
    if (this.timer) {
      this.host.cancel(this.timer);
      this.timer = null;
    }
    const c = this.clock;
    this.clock = null;
    if (c)
      try {
        c.close();
      } catch {
        /* done already */
      }
    this.release();
  }

  private resolve(): void {
    const to = this.to;
    // (The pattern is written here, not at module level: a preloaded module keeps no RegExp.)
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(to.host)) return this.open(to.host);
    try {
      Net.resolve(to.host, (_name, address) => {
        if (this.state !== STARTING) return;
        try {
          const host = this.host;
          if (address) {
            host.troubles = 0;
            this.open(address);
            return;
          }
          this.finish(`broker host name "${to.host}" does not resolve`, 'dns');
          host.troubles++;
          host.troubled(`the broker's name "${to.host}" did not resolve ${host.troubles} times in a row`);
        } catch (e) {
          logLine(`Internal error in DNS: ${describe(e)}`);
        }
      });
    } catch (e) {
      this.finish(`cannot look up "${to.host}": ${describe(e)}`, 'dns');
    }
  }

  /**
   * TLS checks the dates of the certificates, so the clock must be right: when it was never set
   * (before 2024-01-01, as at power-up), asks the time server (config `sntp`) first.
   */
  private setClock(): void {
    if (Date.now() > 1704067200000) return this.resolve();
    const server = this.host.sntp;
    logLine(`Getting the date from ${server} (TLS checks the dates of certificates)...`);
    try {
      this.clock = new SNTP({ host: server }, (message, value) => {
        if (this.state !== STARTING || message === 2) return; // 2: trying again
        this.clock = null;
        try {
          if (message === 1) {
            Time.set(value as number);
            this.resolve();
            return;
          }
          this.finish(
            `TLS needs the date to check the broker's certificate, and the time server "${server}" did not answer (${value}): set sntp= to one the board can reach`,
            'tls',
          );
        } catch (e) {
          logLine(`Internal error in SNTP: ${describe(e)}`);
        }
      }) as unknown as { close(): void };
    } catch (e) {
      this.finish(`TLS needs the date, and asking "${server}" failed: ${describe(e)}`, 'tls');
    }
  }
}

/**
 * A TCP connection over Moddable's Socket, or TLS over its SecureSocket (mqtts://). The broker's
 * name is resolved first with Net.resolve so that a name that does not resolve says so; Socket
 * itself reports every failure as the same -2.
 */
class SocketConnection extends Starting implements Connection {
  socket: OwnedSocket | null = null;
  /** Bytes the socket had no room for yet, oldest first. */
  pending: Uint8Array[] | null = null;
  pendingBytes = 0;
  /** The broker sent something (TLS: bytes came back on the TCP socket, before the handshake ended). */
  heard = false;

  write(bytes: Uint8Array): void {
    if (this.state === DONE || !bytes.length) return;
    (this.pending ??= []).push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > MAX_PENDING) return this.finishSoon(`${where(this.to)} is not reading: more than ${MAX_PENDING} bytes waiting to be sent`, 'lost');
    this.flush();
  }

  protected open(address: string): void {
    const to = this.to,
      secure = to.transport === 'tls';
    this.state = CONNECTING;
    let s: OwnedSocket;
    try {
      // `host` works everywhere (the lin socket takes no `address`) and an IP address needs no lookup.
      s = (secure
        ? new SecureSocket({ host: address, port: to.port, noDelay: true, secure: secureOptions(to) })
        : new Socket({ host: address, port: to.port, noDelay: true })) as unknown as OwnedSocket;
    } catch (e) {
      return this.finish(secure ? tlsSetupFailed(to, e) : `cannot open a TCP socket to ${where(to)}: ${describe(e)}`, secure ? 'setup' : 'unreachable');
    }
    this.socket = s;
    s.owner = this;
    s.callback = onSocket;
    if (secure) watchTcp(s, this);
  }

  protected release(): void {
    const s = this.socket;
    this.socket = null;
    this.pending = null;
    this.pendingBytes = 0;
    if (!s) return;
    s.owner = undefined;
    // Closing twice, or after the peer left, throws on some platforms (lin): nothing to do then.
    try {
      s.close();
    } catch {
      /* already closed */
    }
  }

  socketEvent(s: StreamSocket, message: number): void {
    if (this.state === DONE || s !== this.socket) return;
    switch (message) {
      case 1: // connected (TLS: the handshake is done)
        this.state = OPEN;
        this.events.connected();
        this.flush();
        return;
      case 2: {
        // data: read all that is there
        let buffer: ArrayBuffer | undefined;
        try {
          buffer = s.read(ArrayBuffer);
        } catch {
          return;
        } // nothing to read
        if (buffer?.byteLength) {
          this.heard = true;
          this.events.data(new Uint8Array(buffer));
        }
        return;
      }
      case 3: // sent: room to write again
        this.flush();
        return;
      case -1: // the peer closed
        if (this.state === OPEN) this.finish();
        else if (this.tlsAnswered()) this.finish(tlsFailed(this.to), 'tls');
        else this.finish(`${where(this.to)} closed the connection before it opened`, 'unreachable');
        return;
      case -2: // error
        if (this.state === OPEN) this.finish(`connection to ${where(this.to)} lost (network error)`, 'lost');
        else if (this.tlsAnswered()) this.finish(tlsFailed(this.to), 'tls');
        else this.finish(`no MQTT broker at ${where(this.to)} (connection refused or host unreachable)`, 'unreachable');
        return;
    }
  }

  private tlsAnswered(): boolean {
    return this.to.transport === 'tls' && this.heard;
  }

  private flush(): void {
    const pending = this.pending;
    while (this.state === OPEN && this.socket && pending?.length) {
      const socket = this.socket;
      let room: number;
      try {
        room = socket.write();
      } catch (e) {
        return this.writeFailed(e);
      }
      if (!(room > 0)) return; // the socket says when there is room again (message 3)
      const head = pending[0];
      const n = Math.min(room, head.length);
      const chunk = n === head.length ? head : head.subarray(0, n);
      try {
        socket.write(arrayBuffer(chunk));
      } catch (e) {
        return this.writeFailed(e);
      }
      if (n === head.length) pending.shift();
      else pending[0] = head.subarray(n);
      this.pendingBytes -= n;
    }
    if (pending && !pending.length && this.pending === pending) this.pending = null;
  }

  // The lin simulator's socket says "connected" even when the connection was refused, and only
  // its first write fails: a write failing before the broker said anything is that refusal.
  private writeFailed(e: unknown): void {
    if (this.heard) this.finishSoon(`cannot send to ${where(this.to)}: ${describe(e)}`, 'lost');
    else this.finishSoon(`no MQTT broker at ${where(this.to)} (connection refused)`, 'unreachable');
  }
}

function where(to: Endpoint): string {
  return hostPort(to.host, to.port);
}

// ---- WebSocket

type OwnedWebSocket = WebSocketClient & { owner?: WebSocketConnection };

function onWebSocket(this: OwnedWebSocket, message: number, value: unknown): void {
  try {
    this.owner?.webSocketEvent(this, message, value);
  } catch (e) {
    logLine(`Internal error in WebSocket: ${describe(e)}`);
  }
}

/**
 * MQTT over WebSocket (ws://, wss://) through the SDK's websocket Client (modules/network/websocket),
 * over Socket or SecureSocket. It sends binary frames and asks for the subprotocol "mqtt". Its
 * limits (docs/flashing.md): a frame the broker sends must arrive whole in one read (a few KB on
 * ws://, under 1 KB on wss://), no fragmented messages, at most 64 KB per frame sent.
 */
class WebSocketConnection extends Starting implements Connection {
  ws: OwnedWebSocket | null = null;

  write(bytes: Uint8Array): void {
    if (this.state !== OPEN || !this.ws || !bytes.length) return;
    try {
      this.ws.write(arrayBuffer(bytes));
    } catch (e) {
      this.finishSoon(`cannot send to ${brokerName(this.to)}: ${describe(e)}`, 'lost');
    }
  }

  protected open(address: string): void {
    const to = this.to,
      secure = to.transport === 'wss';
    this.state = CONNECTING;
    let w: OwnedWebSocket;
    try {
      const dictionary: Record<string, unknown> = { host: address, port: to.port, path: to.path ?? '/mqtt', protocol: 'mqtt' };
      if (secure) {
        dictionary.Socket = SecureSocket;
        dictionary.secure = secureOptions(to);
      }
      w = new WebSocketClient(dictionary as ConstructorParameters<typeof WebSocketClient>[0]) as OwnedWebSocket;
    } catch (e) {
      return this.finish(secure ? tlsSetupFailed(to, e) : `cannot open a WebSocket to ${brokerName(to)}: ${describe(e)}`, secure ? 'setup' : 'unreachable');
    }
    this.ws = w;
    w.owner = this;
    w.callback = onWebSocket as WebSocketClient['callback'];
  }

  protected release(): void {
    const w = this.ws;
    this.ws = null;
    if (!w) return;
    w.owner = undefined;
    try {
      w.close();
    } catch {
      /* already closed */
    }
  }

  webSocketEvent(w: WebSocketClient, message: number, value: unknown): void {
    if (this.state === DONE || w !== this.ws) return;
    const to = this.to;
    switch (message) {
      case 1: // the (TLS) socket is connected; the upgrade request is on its way
        this.state = UPGRADING;
        return;
      case 2: // upgraded
        this.state = OPEN;
        this.events.connected();
        return;
      case 3: // a message: MQTT goes in binary ones
        if (typeof value === 'string') return this.finish('WebSocket: the broker sent a text frame: MQTT goes in binary frames', 'protocol');
        if (value instanceof ArrayBuffer && value.byteLength) this.events.data(new Uint8Array(value));
        return;
      case 4: // closed, or failed
        if (this.state === OPEN) this.finish(`the WebSocket connection to ${brokerName(to)} closed`, 'lost');
        else if (this.state === UPGRADING)
          this.finish(`WebSocket: ${brokerName(to)} refused the upgrade to WebSocket (check the port and the path)`, 'websocket');
        else if (to.transport === 'wss')
          this.finish(
            `no MQTT broker at ${where(to)}, or the TLS handshake failed (check the port, and that ca=${to.ca} signed the broker's certificate)`,
            'unreachable',
          );
        else this.finish(`no MQTT broker at ${where(to)} (connection refused or host unreachable)`, 'unreachable');
        return;
    }
  }
}

// ---- TLS

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
  return `TLS handshake with ${where(to)} failed: check that ca=${to.ca} signed the broker's certificate (RSA), that it is valid today, that the broker sends its CA's certificate after its own, and that it offers TLS 1.2`;
}

/**
 * SecureSocket reports nothing before its handshake ends: watch its TCP socket to tell "no broker"
 * from "TLS failed". What counts is the server's first bytes, not "connected": the lin simulator's
 * socket says connected even when the connection is refused. (A closure: TLS only.)
 */
function watchTcp(s: StreamSocket, connection: SocketConnection): void {
  const raw = (s as unknown as { sock?: { callback?: (message: number, value?: number) => void } }).sock;
  const inner = raw?.callback;
  if (!raw || !inner) return;
  raw.callback = (message, value) => {
    if (message === 2) connection.heard = true;
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
  const how =
    'copy it in DER form into hosts/moddable/certs/ (openssl x509 -in ca.crt -outform der -out hosts/moddable/certs/ca.der), then flash with ca=ca.der on the mcconfig command line';
  if (!ca) return `config ca is missing: broker=${scheme}://… needs the CA certificate that signed the broker's: ${how}`;
  let head: Uint8Array;
  try {
    if (!Resource.exists(ca)) return `config ca="${ca}" is not in the firmware: ${how}`;
    head = new Uint8Array(new Resource(ca).slice(0, 10));
  } catch (err) {
    return `config ca="${ca}" cannot be read: ${describe(err)}`;
  }
  if (head[0] === 0x2d)
    return `config ca="${ca}" is a PEM file, and the board reads DER: convert it with openssl x509 -in ${ca} -outform der -out hosts/moddable/certs/ca.der, then ca=ca.der`;
  if (head[0] !== 0x30) return `config ca="${ca}" is not a certificate in DER form: ${how}`;
  return undefined;
}

/** The bytes as an ArrayBuffer of their own, which every Socket implementation accepts. */
function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const b = bytes.buffer;
  if (b instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === b.byteLength) return b;
  return bytes.slice().buffer;
}

// ---- WiFi

/** The SDK calls a WiFi monitor's callback as its method: the station is in `station`. */
type OwnedWiFi = WiFi & { station?: ModdableHost };

function onWiFi(this: OwnedWiFi, message: string, code?: number): void {
  try {
    this.station?.wifiMessage(this, message, code);
  } catch (e) {
    logLine(`Internal error in WiFi: ${describe(e)}`);
  }
}
