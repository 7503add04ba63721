// The Host interface over Node: real TCP through node:net (TLS and WebSocket in tls.ts and ws.ts),
// real timers and clock.
import { connect as tcpConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { crypto } from './builtins';
import { fire, type Connection, type ConnectionEvents, type Endpoint, type Firing, type Host, type TimerHandle } from '../../src/host';
import { useEncodePool } from '../../src/mqtt/codec';
import { hostPort } from '../../src/endpoint';
// On Node the codec decodes both ways (the CLI's -d, the tests, the proxy): a board leaves this out.
import '../../src/mqtt/codec-server';
import { connectTls } from './tls';
import { connectWs } from './ws';

// V8 allocates small ArrayBuffers slowly; on Node, packets are cut from 8 KB slabs instead.
useEncodePool(8192);

/** A TCP connection to a broker; every failure arrives through `events.closed`, never as a throw. */
export function connectTcp(to: Endpoint, events: ConnectionEvents): Connection {
  return socketConnection(tcpConnect({ host: to.host, port: to.port }), 'connect', to, events);
}

/** A connection by the endpoint's transport: plain TCP, TLS (mqtts://), WebSocket (ws://, wss://). */
export function connectEndpoint(to: Endpoint, events: ConnectionEvents): Connection {
  switch (to.transport) {
    case 'tls':
      return connectTls(to, events);
    case 'ws':
    case 'wss':
      return connectWs(to, events);
    default:
      return connectTcp(to, events);
  }
}

/** Why a socket failed, in one line; `opened` tells whether it had connected (TLS: finished its handshake). */
export type DescribeError = (e: NodeJS.ErrnoException, to: Endpoint, opened: boolean) => string;

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
  let reason: string | undefined;
  let opened = false;
  socket.on(ready, () => {
    opened = true;
    events.connected();
  });
  socket.on('data', (b: Buffer) => events.data(new Uint8Array(b.buffer, b.byteOffset, b.length)));
  socket.on('error', (e: NodeJS.ErrnoException) => {
    reason ??= describe(e, to, opened);
  });
  socket.on('close', () => events.closed(reason));
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
export function failedConnection(events: ConnectionEvents, reason: string): Connection {
  let closed = false;
  setImmediate(() => {
    if (!closed) events.closed(reason);
  });
  return {
    write: () => {},
    close: () => {
      closed = true;
    },
  };
}

export function describeSocketError(e: NodeJS.ErrnoException, to: Endpoint, _opened = false): string {
  const where = hostPort(to.host, to.port);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `no MQTT broker at ${where} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `broker host name "${to.host}" does not resolve`;
    case 'ETIMEDOUT':
      return `broker ${where} does not answer (timeout)`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection to ${where} reset`;
    default:
      return `${e.code ?? 'error'} talking to ${where}: ${e.message}`;
  }
}

/** setTimeout for any delay: Node fires one above 2^31 - 1 ms at once, so a longer one is chained. */
export function longTimer(ms: number, target: Firing): TimerHandle {
  const MAX = 2147483647;
  const handle: { t?: ReturnType<typeof setTimeout> } = {};
  const arm = (left: number) => {
    handle.t = setTimeout(() => (left > MAX ? arm(left - MAX) : fire(target)), Math.min(left, MAX));
  };
  arm(ms);
  return handle;
}

function cancelTimer(handle: TimerHandle): void {
  clearTimeout((handle as { t?: ReturnType<typeof setTimeout> }).t);
}

export interface NodeHostOptions {
  log?: (line: string) => void;
  deviceId?: string;
  restart?: (reason: string) => void;
}

export function nodeHost(opts: NodeHostOptions = {}): Host {
  const id = opts.deviceId ?? crypto().randomBytes(6).toString('hex');
  return {
    now: () => performance.now(),
    after: longTimer,
    cancel: cancelTimer,
    connect: connectEndpoint,
    random: Math.random,
    log: opts.log ?? ((line) => console.log(line)),
    deviceId: () => id,
    restart:
      opts.restart ??
      ((reason) => {
        console.error(`restart requested: ${reason}`);
        process.exit(1);
      }),
  };
}
