// What the host's TCP, TLS and WebSocket connections share: their states, and how one starts from
// the run loop (the clock first for TLS, then the broker's address) and ends with exactly one
// `closed(reason, kind)`. The connections themselves: socket-connection.ts (TCP, TLS) and
// websocket-connection.ts; their TLS settings and messages: tls.ts.

import SNTP from 'sntp';
import Time from 'time';
import Net from 'net';
import type { CloseKind, ConnectionEvents, Endpoint, Firing, TimerHandle } from '../../src/host';
import { hostPort } from '../../src/endpoint';
import { describe, logLine } from './log';

/** What a connection needs from its host (hosts/moddable/host.ts): timers, the time server, the troubles counted. */
export interface ConnectionHost {
  /** The time server that sets the clock before the first TLS connection. */
  readonly sntp: string;
  /** Failed broker names in a row (with the WiFi's failed joins): a name that resolves resets it. */
  troubles: number;
  /** `why`: a code and its values, for the setup page's words (hosts/moddable/setup-page/page.ts). */
  troubled(reason: string, why: string[]): void;
  after(ms: number, target: Firing): TimerHandle;
  cancel(handle: TimerHandle): void;
}

// A connection's states.
export const STARTING = 0,
  CONNECTING = 1,
  UPGRADING = 2,
  OPEN = 3,
  DONE = 4;

/**
 * Starts a connection from the run loop, never inside connect() (the caller has not stored the
 * Connection yet): for TLS the clock first, then the broker's address (an IPv4 address as it is,
 * a name through Net.resolve), then `open(address)`. What WebSocket and TCP connections share.
 */
export abstract class Starting {
  state = STARTING;
  /** The start, then a failure found while the caller is still in connect() or write(). */
  protected timer: TimerHandle | null;
  protected failure = '';
  protected failureKind: CloseKind = 'lost';
  protected clock: { close(): void } | null = null;

  constructor(
    readonly to: Endpoint,
    readonly events: ConnectionEvents,
    readonly host: ConnectionHost,
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
          host.troubled(`the broker's name "${to.host}" did not resolve ${host.troubles} times in a row`, ['dns', to.host, String(host.troubles)]);
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

export function where(to: Endpoint): string {
  return hostPort(to.host, to.port);
}

/** The bytes as an ArrayBuffer of their own, which every Socket implementation accepts. */
export function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const b = bytes.buffer;
  if (b instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === b.byteLength) return b;
  return bytes.slice().buffer;
}
