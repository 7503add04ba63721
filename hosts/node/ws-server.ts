// The embedded broker's WebSocket (RFC 6455, server side), so that the students' page works with
// `mqtt-pair classroom --web` and no Mosquitto: an HTTP upgrade with the subprotocol "mqtt" becomes
// a byte stream for Aedes. Binary frames only (a text frame, or a message above 1 MiB, closes the
// connection); pings are answered; fragmented messages are joined.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { WS_OP, acceptKey, encodeFrame } from './ws';

const MAX_MESSAGE = 1 << 20;

/** An HTTP server on 127.0.0.1:port whose WebSocket connections go to `handle` as streams. */
export function webSocketServer(handle: (stream: Duplex) => void): Server {
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' }).end('an MQTT broker over WebSocket: connect with ws://\n');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const key = req.headers['sec-websocket-key'];
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13' || !protocols.includes('mqtt')) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\nA WebSocket with the subprotocol "mqtt" only\r\n');
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`);
    socket.setNoDelay(true);
    handle(frameStream(socket, head));
  });
  return server;
}

/** The MQTT bytes carried by the frames of `socket`, and frames for what is written. */
function frameStream(socket: Socket, head: Buffer): Duplex {
  let held: Buffer = Buffer.alloc(0);
  let message: Buffer[] = [];
  let messageBytes = 0;
  const stream = new Duplex({
    read() { socket.resume(); },
    write(chunk: Buffer, _enc, done) { socket.write(frame(WS_OP.binary, chunk), done); },
    final(done) { socket.end(frame(WS_OP.close, Buffer.from([0x03, 0xe8]))); done(); },
    destroy(err, done) { socket.destroy(); done(err); },
  });
  const fail = (code: number) => { socket.end(frame(WS_OP.close, Buffer.from([code >> 8, code & 255]))); stream.destroy(); };
  const onData = (chunk: Buffer) => {
    held = held.length ? Buffer.concat([held, chunk]) : chunk;
    for (;;) {
      if (held.length < 2) return;
      const fin = held[0] & 0x80, opcode = held[0] & 0x0f, masked = held[1] & 0x80;
      let len = held[1] & 0x7f, at = 2;
      if (len === 126) { if (held.length < 4) return; len = held.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (held.length < 10) return; const big = held.readBigUInt64BE(2); if (big > BigInt(MAX_MESSAGE)) return fail(1009); len = Number(big); at = 10; }
      if (!masked) return fail(1002); // a client must mask its frames
      if (messageBytes + len > MAX_MESSAGE) return fail(1009);
      if (held.length < at + 4 + len) return;
      const mask = held.subarray(at, at + 4);
      const payload = Buffer.from(held.subarray(at + 4, at + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      held = held.subarray(at + 4 + len);
      if (opcode === WS_OP.close) { socket.end(frame(WS_OP.close, payload.subarray(0, 2))); stream.push(null); return; }
      if (opcode === WS_OP.ping) { socket.write(frame(WS_OP.pong, payload)); continue; }
      if (opcode === WS_OP.pong) continue;
      if (opcode === WS_OP.text) return fail(1003); // MQTT goes in binary frames
      if (opcode !== WS_OP.continuation && opcode !== WS_OP.binary) return fail(1002);
      message.push(payload);
      messageBytes += payload.length;
      if (fin) {
        const whole = message.length === 1 ? message[0] : Buffer.concat(message);
        message = []; messageBytes = 0;
        if (!stream.push(whole)) socket.pause();
      }
    }
  };
  socket.on('data', onData);
  socket.on('close', () => { stream.push(null); stream.destroy(); });
  socket.on('error', () => stream.destroy());
  if (head.length) onData(head);
  return stream;
}

/** A server frame (unmasked) of `opcode` carrying `payload`. */
function frame(opcode: number, payload: Uint8Array): Buffer { return encodeFrame(opcode, payload, false); }
