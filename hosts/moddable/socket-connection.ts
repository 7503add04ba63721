// MQTT over TCP (mqtt://) and TLS (mqtts://) through the SDK's Socket and SecureSocket. The SDK
// calls a socket's callback as its method, and the callback finds its connection in a property
// (hosts/moddable/host.ts says why).

import { Socket } from 'socket';
import SecureSocket from 'securesocket';
import type { Connection } from '../../src/host';
import { arrayBuffer, CONNECTING, DONE, OPEN, Starting, where } from './connection';
import { describe, logLine } from './log';
import { secureOptions, tlsFailed, tlsSetupFailed, watchTcp } from './tls';

/** What Socket and SecureSocket share, as this file uses them. */
interface StreamSocket {
  callback: (message: number, value?: number) => void;
  read(type: typeof ArrayBuffer): ArrayBuffer;
  write(...data: ArrayBuffer[]): number;
  close(): void;
}

/** Bytes we hold for a socket that is not taking them; past this the broker is not reading. */
const MAX_PENDING = 16 * 1024;

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
 * A TCP connection over Moddable's Socket, or TLS over its SecureSocket (mqtts://). The broker's
 * name is resolved first with Net.resolve so that a name that does not resolve says so; Socket
 * itself reports every failure as the same -2.
 */
export class SocketConnection extends Starting implements Connection {
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
