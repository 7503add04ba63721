// The Host interface over Node: real TCP through node:net (TLS and WebSocket in tls.ts and ws.ts,
// the socket they share in socket.ts), real timers and clock.
import { connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { crypto } from './builtins';
import { fire, type Connection, type ConnectionEvents, type Endpoint, type Firing, type Host, type TimerHandle } from '../../src/host';
import { useEncodePool } from '../../src/mqtt/codec';
// On Node the codec decodes both ways (the CLI's -d, the tests, the proxy): a board leaves this out.
import { socketConnection } from './socket';
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
