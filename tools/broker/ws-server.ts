// The embedded broker's WebSocket, so that the students' page works with `mqtt-pair classroom
// --web` and no Mosquitto: an HTTP upgrade with the subprotocol "mqtt" becomes a stream for Aedes
// (client-stream.ts). The WebSocket itself is the `ws` package, bundled with Aedes into
// dist/aedes.js (the installed command depends on nothing), with these limits:
// - a message (an MQTT packet, or several) of MAX_MESSAGE bytes at most, in MAX_FRAGMENTS
//   fragments at most (ws counts both, and keeps no empty fragment);
// - control frames of 125 bytes at most (ws); a ping is answered only while little waits for the
//   client (RFC 6455 5.5.3 lets a pong answer only the latest ping): pings never pile up pongs;
// - a browser's page only from an allowed origin (`allowOrigin`: the pages of this command); a
//   client that is no browser sends no Origin and is let in;
// - MAX_CONNECTIONS clients at once;
// - what Aedes writes in one turn is one binary frame; a client that stops reading is dropped
//   (client-stream.ts, MAX_UNSENT).

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { ClientStream, type ClientLink } from './client-stream';

/** The largest message a client may send: 1 MiB (an MQTT packet from a students' page is small). */
export const MAX_MESSAGE = 1 << 20;
/** Fragments of one message at most: a client of ours sends one frame a message. */
export const MAX_FRAGMENTS = 1024;
/** Bytes waiting for a client above which its pings go unanswered. */
const PONG_BACKLOG = 64 << 10;
/** Clients at once: a page on every computer of a large class, and room to spare. */
export const MAX_CONNECTIONS = 500;

/** ws's server class, from the embedded broker's bundle (sim.ts loads it with Aedes). */
export type WebSocketServerClass = typeof WebSocketServer;

/**
 * An HTTP server (to listen on 127.0.0.1) whose WebSocket connections go to `handle` as streams.
 * `allowOrigin` says whether a page of this origin (`http://127.0.0.1:8080`) may connect.
 */
export function webSocketServer(WSS: WebSocketServerClass, handle: (stream: ClientStream) => void, allowOrigin: (origin: string) => boolean): Server {
  const wss = new WSS({
    noServer: true,
    maxPayload: MAX_MESSAGE,
    maxFragments: MAX_FRAGMENTS,
    autoPong: false,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: () => 'mqtt',
  });
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' }).end('an MQTT broker over WebSocket: connect with ws://\n');
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refuse = (status: string, why: string) =>
      socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${why}\r\n`);
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    // RFC 6455 §4.2.1: an HTTP/1.1 GET, version 13; anything else is not the protocol we speak.
    if (req.httpVersion !== '1.1' || req.headers['sec-websocket-version'] !== '13')
      return socket.end('HTTP/1.1 426 Upgrade Required\r\nsec-websocket-version: 13\r\nconnection: close\r\n\r\n');
    if (!protocols.includes('mqtt')) return refuse('400 Bad Request', 'A WebSocket with the subprotocol "mqtt" only');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowOrigin(origin)) return refuse('403 Forbidden', 'Pages of this origin may not use this broker');
    wss.handleUpgrade(req, socket, head, (ws) => handle(webSocketStream(ws)));
  });
  return server;
}

/** A WebSocket as a ClientStream: binary messages in, one binary frame per write out. */
function webSocketStream(ws: WebSocket): ClientStream {
  const raw = (ws as unknown as { _socket: Socket })._socket;
  raw.setNoDelay(true);
  const link: ClientLink = {
    send: (b) => ws.send(b, { binary: true }),
    unsent: () => ws.bufferedAmount,
    drop: () => ws.terminate(),
    end: () => ws.close(1000),
    pause: () => ws.pause(),
    resume: () => ws.resume(),
  };
  const stream = new ClientStream(link);
  ws.on('message', (data: Buffer, binary: boolean) => {
    if (!binary) return ws.close(1003, 'MQTT goes in binary frames');
    stream.received(data);
  });
  ws.on('ping', (data: Buffer) => {
    if (ws.bufferedAmount < PONG_BACKLOG) ws.pong(data);
  });
  ws.on('close', () => stream.gone());
  ws.on('error', () => ws.terminate());
  return stream;
}
