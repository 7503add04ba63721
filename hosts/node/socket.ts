// A Connection over a Node socket (TCP, or TLS under tls.ts and ws.ts), and why one failed: the
// piece the Node host's transports share.
import type { Socket } from 'node:net';
import type { CloseKind, Connection, ConnectionEvents, Endpoint } from '../../src/host';
import { hostPort } from '../../src/endpoint';

/** Why a connection failed: one line for people, and its kind for code (src/host.ts). */
export interface Why {
  reason: string;
  kind: CloseKind;
}

/** Why a socket failed; `opened` tells whether it had connected (TLS: finished its handshake). */
export type DescribeError = (e: NodeJS.ErrnoException, to: Endpoint, opened: boolean) => Why;

/**
 * A Connection over a Node socket, open once `ready` fires ('connect' for TCP, 'secureConnect' for
 * TLS). The first error is the reason `closed` gives; after close() nothing more is reported.
 */
export function socketConnection(
  socket: Socket,
  ready: 'connect' | 'secureConnect',
  to: Endpoint,
  events: ConnectionEvents,
  describe: DescribeError = describeSocketError,
): Connection {
  socket.setNoDelay(true);
  let why: Why | undefined;
  let opened = false;
  socket.on(ready, () => {
    opened = true;
    events.connected();
  });
  socket.on('data', (b: Buffer) => events.data(new Uint8Array(b.buffer, b.byteOffset, b.length)));
  socket.on('error', (e: NodeJS.ErrnoException) => {
    why ??= describe(e, to, opened);
  });
  socket.on('close', () => events.closed(why?.reason, why?.kind));
  // (Not corked per turn of the event loop: the socket then sends nothing while a burst of
  // publishes runs, and the broker waits instead of working alongside; measured slower.)
  return {
    write: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    // Corked: the two pieces leave in one writev.
    writev: (head, body) => {
      if (!socket.destroyed) {
        socket.cork();
        socket.write(head);
        socket.write(body);
        socket.uncork();
      }
    },
    close: () => {
      socket.removeAllListeners('close');
      socket.end();
      socket.destroySoon();
    },
    pause: () => {
      socket.pause();
    },
    resume: () => {
      socket.resume();
    },
  };
}

/** A connection that could not even start: `closed(reason)` comes from the event loop, unless closed first. */
export function failedConnection(events: ConnectionEvents, reason: string, kind: CloseKind = 'setup'): Connection {
  let closed = false;
  setImmediate(() => {
    if (!closed) events.closed(reason, kind);
  });
  return {
    write: () => {},
    close: () => {
      closed = true;
    },
  };
}

export function describeSocketError(e: NodeJS.ErrnoException, to: Endpoint, opened = false): Why {
  const where = hostPort(to.host, to.port);
  switch (e.code) {
    case 'ECONNREFUSED':
      return { reason: `no MQTT broker at ${where} (connection refused)`, kind: 'unreachable' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason: `broker host name "${to.host}" does not resolve`, kind: 'dns' };
    case 'ETIMEDOUT':
      return { reason: `broker ${where} does not answer (timeout)`, kind: 'unreachable' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { reason: `connection to ${where} reset`, kind: opened ? 'lost' : 'unreachable' };
    default:
      return { reason: `${e.code ?? 'error'} talking to ${where}: ${e.message}`, kind: opened ? 'lost' : 'unreachable' };
  }
}
