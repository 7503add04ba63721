// MQTT over WebSocket (ws:// and wss://) for the Node host, over node:net or node:tls: the client
// side of RFC 6455 as MQTT 3.1.1 (section 6) uses it, with no npm dependency.
//
// Written here rather than taken from the `ws` package (which the embedded broker's server uses):
// `ws` hands over a message only whole, and the client needs its bytes as they come. A large
// message through a slow WebSocket (Mosquitto 2.0.11 sends about 40 KB/s) proves the link alive
// only if its bytes are seen, and one above the client's limit is skipped as it streams instead of
// held. One 50 MB message, measured: with `ws`, the process peaks 100 MB higher and sees the first
// byte after 1,015 ms, once all has come; here, 34 MB higher (socket buffers), the first byte after
// 265 ms.
//
// - the HTTP/1.1 upgrade asks for the subprotocol "mqtt" and checks Sec-WebSocket-Accept;
// - every write is one binary frame, masked with a fresh random key;
// - the broker's binary frames are one byte stream: an MQTT packet may span frames and a frame may
//   hold several packets, so payloads go to the client as they arrive, fragmented messages
//   (continuation frames) included, and nothing waits for a whole frame;
// - ping is answered with pong; a close frame is answered and ends the connection;
// - text frames, masked frames from the server, unknown opcodes or extension bits end it with a reason.

import { connect as tcpConnect, type Socket } from 'node:net';
import { crypto, tls } from './builtins';
import type { CloseKind, Connection, ConnectionEvents, Endpoint } from '../../src/host';
import { brokerName, defaultPort, hostPort } from '../../src/endpoint';
import { printable } from '../../src/apps/text';
import { describeSocketError, failedConnection, type DescribeError, type Why } from './socket';
import { describeTlsError, tlsOptions } from './tls';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Longest HTTP answer to the upgrade we read before giving up on it. */
const MAX_HEADER = 16384;
/** Longest frame accepted: MQTT's largest packet is 256 MB. */
const MAX_FRAME = 268435460;
const EMPTY: Buffer = Buffer.alloc(0);

export const WS_OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** The URL of a WebSocket endpoint as messages show it (no user or password). */
export function wsUrl(to: Endpoint): string {
  return brokerName({ ...to, transport: to.transport === 'wss' ? 'wss' : 'ws', path: to.path ?? '/mqtt' });
}

/** Host[:port] as the Host header wants it: the port only when not the scheme's default. */
function hostHeader(to: Endpoint): string {
  return hostPort(to.host, to.port === defaultPort(to.transport) ? undefined : to.port);
}

// Masking keys come from a pool of crypto-random bytes refilled 4 KB at a time.
let maskPool = EMPTY;
let maskAt = 0;
function maskKey(): Buffer {
  if (maskAt + 4 > maskPool.length) {
    maskPool = crypto().randomFillSync(Buffer.allocUnsafe(4096));
    maskAt = 0;
  }
  maskAt += 4;
  return maskPool.subarray(maskAt - 4, maskAt);
}

/** One client frame, FIN set, masked with a fresh key. */
export function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const n = payload.length;
  const h = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(h + 4 + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = 0x80 | n;
  else if (n < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    out.writeUInt32BE(n >>> 0, 6);
  }
  const key = maskKey();
  out[h] = key[0];
  out[h + 1] = key[1];
  out[h + 2] = key[2];
  out[h + 3] = key[3];
  const base = h + 4;
  for (let i = 0; i < n; i++) out[base + i] = payload[i] ^ key[i & 3];
  return out;
}

/** A ws:// or wss:// connection; every failure arrives through `events.closed`, never as a throw. */
export function connectWs(to: Endpoint, events: ConnectionEvents): Connection {
  const secure = to.transport === 'wss';
  const url = wsUrl(to);
  const describe: DescribeError = secure ? describeTlsError : describeSocketError;
  let socket: Socket;
  try {
    socket = secure ? tls().connect(tlsOptions(to)) : tcpConnect({ host: to.host, port: to.port });
  } catch (e) {
    const m = (e as Error).message;
    return failedConnection(events, !secure || /^TLS: /.test(m) ? m : `TLS: cannot use the CA file ${to.ca}: ${m}`);
  }
  socket.setNoDelay(true);

  let state: 'connecting' | 'upgrading' | 'open' | 'done' = 'connecting';
  let why: Why | undefined;
  const key = crypto().randomBytes(16).toString('base64');
  let header = EMPTY; // the HTTP answer so far
  let rest = EMPTY; // bytes of a frame header or control frame not complete yet
  let payloadLeft = 0; // bytes still to come of the current data frame's payload
  let inMessage = false; // a fragmented binary message is under way
  let sentClose = false;
  let queued: Uint8Array[] = [];

  /** Ends the connection and reports it, once. */
  const finish = (reason?: string, kind?: CloseKind) => {
    if (state === 'done') return;
    state = 'done';
    socket.removeAllListeners('close');
    socket.destroy();
    events.closed(reason, kind);
  };
  /** A protocol failure: close frame 1002 if we can, then end with `why`. */
  const fail = (why: string, code = 1002) => {
    if (state === 'open' && !sentClose) {
      sentClose = true;
      const body = Buffer.alloc(2);
      body.writeUInt16BE(code, 0);
      socket.write(encodeFrame(WS_OP.close, body));
    }
    finish(`WebSocket: ${why}`, 'protocol');
  };

  socket.once(secure ? 'secureConnect' : 'connect', () => {
    if (state !== 'connecting') return;
    state = 'upgrading';
    socket.write(
      [
        `GET ${to.path ?? '/mqtt'} HTTP/1.1`,
        `Host: ${hostHeader(to)}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Protocol: mqtt',
        '',
        '',
      ].join('\r\n'),
    );
  });

  socket.on('data', (chunk: Buffer) => {
    if (state === 'upgrading') {
      header = header.length ? Buffer.concat([header, chunk]) : chunk;
      const end = header.indexOf('\r\n\r\n');
      if (end < 0) {
        if (!'HTTP/'.startsWith(header.subarray(0, 5).toString('latin1'))) {
          return finish(`WebSocket: ${url} did not answer with HTTP: is it a WebSocket port? (a plain MQTT port wants mqtt://)`, 'websocket');
        }
        if (header.length > MAX_HEADER) finish(`WebSocket: the answer of ${url} to the upgrade is too long`, 'websocket');
        return;
      }
      const problem = checkUpgrade(header.subarray(0, end).toString('latin1'), key, url);
      if (problem) return finish(problem, 'websocket');
      chunk = header.subarray(end + 4);
      header = EMPTY;
      state = 'open';
      events.connected();
      const q = queued;
      queued = [];
      for (const b of q) if (state === 'open') socket.write(encodeFrame(WS_OP.binary, b));
      if (!chunk.length) return;
    }
    if (state === 'open') frames(chunk);
  });

  /** Reads frames: data payloads go to the client as they come, control frames are answered. */
  function frames(chunk: Buffer) {
    const b = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let i = 0;
    while (i < b.length && state === 'open') {
      if (payloadLeft > 0) {
        const n = Math.min(payloadLeft, b.length - i);
        payloadLeft -= n;
        events.data(new Uint8Array(b.buffer, b.byteOffset + i, n));
        i += n;
        continue;
      }
      if (b.length - i < 2) break;
      const b0 = b[i],
        b1 = b[i + 1];
      const fin = (b0 & 0x80) !== 0,
        opcode = b0 & 0x0f;
      let len = b1 & 0x7f,
        h = 2;
      if (len === 126) {
        if (b.length - i < 4) break;
        len = b.readUInt16BE(i + 2);
        h = 4;
      } else if (len === 127) {
        if (b.length - i < 10) break;
        const high = b.readUInt32BE(i + 2);
        len = high * 2 ** 32 + b.readUInt32BE(i + 6);
        h = 10;
      }
      if (b0 & 0x70) return fail('the broker set reserved bits (an extension that was not agreed)');
      if (b1 & 0x80) return fail('the broker sent a masked frame (servers must not mask)');
      if (opcode >= 8) {
        if (!fin || len > 125) return fail(`the broker sent a broken control frame (opcode ${opcode})`);
        if (b.length - i < h + len) break;
        const payload = b.subarray(i + h, i + h + len);
        i += h + len;
        control(opcode, payload);
        continue;
      }
      if (opcode === WS_OP.text) return fail('the broker sent a text frame: MQTT goes in binary frames', 1003);
      if (opcode === WS_OP.binary) {
        if (inMessage) return fail('the broker began a message before ending the fragmented one');
      } else if (opcode === WS_OP.continuation) {
        if (!inMessage) return fail('the broker sent a continuation frame outside a message');
      } else return fail(`the broker sent a frame with the unknown opcode ${opcode}`);
      if (len > MAX_FRAME) return fail(`the broker sent a frame of ${len} bytes, more than an MQTT packet can be`, 1009);
      inMessage = !fin;
      payloadLeft = len;
      i += h;
    }
    rest = i < b.length && state === 'open' ? Buffer.from(b.subarray(i)) : EMPTY;
  }

  function control(opcode: number, payload: Buffer) {
    if (opcode === WS_OP.ping) {
      socket.write(encodeFrame(WS_OP.pong, payload));
      return;
    }
    if (opcode === WS_OP.pong) return;
    if (opcode !== WS_OP.close) return fail(`the broker sent a frame with the unknown opcode ${opcode}`);
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    const text = payload.length > 2 ? printable(payload.subarray(2).toString('utf8').trim()) : '';
    if (!sentClose) {
      sentClose = true;
      socket.write(encodeFrame(WS_OP.close, payload.length >= 2 ? payload.subarray(0, 2) : EMPTY));
    }
    socket.end();
    // 1000 (normal), 1001 (going away), 1005 (no code): the broker closed, as a TCP FIN would say.
    finish(
      code === 1000 || code === 1001 || code === 1005 ? undefined : `WebSocket: the broker closed the connection (code ${code}${text ? `: ${text}` : ''})`,
    );
  }

  const refused: Why = {
    reason: `WebSocket: ${url} closed the connection instead of answering the WebSocket upgrade: is it a WebSocket port? (a plain MQTT port wants mqtt://, a TLS one mqtts://)`,
    kind: 'websocket',
  };
  socket.on('error', (e: NodeJS.ErrnoException) => {
    why ??= state === 'upgrading' && (e.code === 'ECONNRESET' || e.code === 'EPIPE') ? refused : describe(e, to, state !== 'connecting');
  });
  socket.on('close', () => {
    const w = state === 'upgrading' ? (why ?? refused) : why;
    finish(w?.reason, w?.kind);
  });

  return {
    write(bytes) {
      if (state === 'open') socket.write(encodeFrame(WS_OP.binary, bytes));
      else if (state !== 'done') queued.push(bytes);
    },
    pause() {
      socket.pause();
    },
    resume() {
      socket.resume();
    },
    close() {
      if (state === 'done') return;
      const wasOpen = state === 'open';
      state = 'done';
      socket.removeAllListeners('close');
      if (wasOpen && !sentClose) {
        sentClose = true;
        const body = Buffer.alloc(2);
        body.writeUInt16BE(1000, 0);
        socket.end(encodeFrame(WS_OP.close, body));
        socket.destroySoon();
      } else {
        socket.destroy();
      }
    },
  };
}

/** The Sec-WebSocket-Accept that answers a Sec-WebSocket-Key (RFC 6455, 4.2.2). */
export function acceptKey(key: string): string {
  return crypto()
    .createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** Checks the HTTP answer to the upgrade; returns why it is not a WebSocket for MQTT, or undefined. */
export function checkUpgrade(head: string, key: string, url: string): string | undefined {
  const lines = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!status) return `WebSocket: ${url} did not answer with HTTP: is it a WebSocket port? (a plain MQTT port wants mqtt://)`;
  if (status[1] !== '101') {
    // The broker's words, shortened and escaped: they end up on a terminal.
    const text = printable((status[2] ?? '').trim().slice(0, 100));
    const hint = status[1] === '404' ? ': check the path' : '';
    return `WebSocket: ${url} answered HTTP ${status[1]}${text ? ` ${text}` : ''} instead of switching to WebSocket${hint}`;
  }
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if ((headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') return `WebSocket: ${url} did not upgrade to WebSocket (no "Upgrade: websocket")`;
  if (
    !(headers.get('connection') ?? '')
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes('upgrade')
  )
    return `WebSocket: ${url} did not upgrade to WebSocket (no "Connection: Upgrade")`;
  if (headers.get('sec-websocket-accept') !== acceptKey(key)) return `WebSocket: ${url} answered the upgrade with a wrong Sec-WebSocket-Accept`;
  const protocol = headers.get('sec-websocket-protocol');
  if (protocol !== undefined && protocol.toLowerCase() !== 'mqtt')
    return `WebSocket: ${url} chose the subprotocol "${printable(protocol.slice(0, 100))}", not "mqtt"`;
  return undefined;
}
