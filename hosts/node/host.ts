// The Host interface over Node: real TCP through node:net, real timers and clock.
import { connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Connection, ConnectionEvents, Endpoint, Host } from '../../src/host';
import { useEncodePool } from '../../src/mqtt/codec';

// V8 allocates small ArrayBuffers slowly; on Node, packets are cut from 8 KB slabs instead.
useEncodePool(8192);

/** A TCP connection to a broker; every failure arrives through `events.closed`, never as a throw. */
export function connectTcp(to: Endpoint, events: ConnectionEvents): Connection {
  const socket = tcpConnect({ host: to.host, port: to.port });
  socket.setNoDelay(true);
  let reason: string | undefined;
  socket.on('connect', () => events.connected());
  socket.on('data', (b) => events.data(new Uint8Array(b.buffer, b.byteOffset, b.length)));
  socket.on('error', (e: NodeJS.ErrnoException) => { reason = describeSocketError(e, to); });
  socket.on('close', () => events.closed(reason));
  return {
    write: (bytes) => { if (!socket.destroyed) socket.write(bytes); },
    close: () => { socket.removeAllListeners('close'); socket.end(); socket.destroySoon(); },
  };
}

export function describeSocketError(e: NodeJS.ErrnoException, to: Endpoint): string {
  const where = `${to.host}:${to.port}`;
  switch (e.code) {
    case 'ECONNREFUSED': return `no MQTT broker at ${where} (connection refused)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `broker host name "${to.host}" does not resolve`;
    case 'ETIMEDOUT': return `broker ${where} does not answer (timeout)`;
    case 'ECONNRESET': case 'EPIPE': return `connection to ${where} reset`;
    default: return `${e.code ?? 'error'} talking to ${where}: ${e.message}`;
  }
}

export interface NodeHostOptions {
  log?: (line: string) => void;
  deviceId?: string;
  restart?: (reason: string) => void;
}

export function nodeHost(opts: NodeHostOptions = {}): Host {
  const id = opts.deviceId ?? randomBytes(6).toString('hex');
  return {
    now: () => performance.now(),
    after: (ms, fn) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); },
    connect: connectTcp,
    random: Math.random,
    log: opts.log ?? ((line) => console.log(line)),
    deviceId: () => id,
    restart: opts.restart ?? ((reason) => { console.error(`restart requested: ${reason}`); process.exit(1); }),
  };
}
