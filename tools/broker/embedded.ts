// The embedded broker of `npm start` and `classroom`: Aedes on 127.0.0.1, with a WebSocket listener
// for the students' page (ws-server.ts); a client that stops reading never holds the others back
// (client-stream.ts).

import { createServer, type Server } from 'node:net';
import { webSocketServer, type WebSocketServerClass } from './ws-server';
import { tcpClientStream } from './client-stream';

/**
 * Starts Aedes on 127.0.0.1, on `port` or the next free one; with `webSocketPort`, a WebSocket
 * listener too (ws://127.0.0.1:<wsPort>/mqtt), on that port or the next free one, for the pages
 * of the origins `allowOrigin` accepts. A client that stops reading never holds the others back
 * (client-stream.ts).
 */
export async function startEmbeddedBroker(
  port = 1883,
  tries = 20,
  webSocketPort?: number,
  allowOrigin: (origin: string) => boolean = () => false,
): Promise<{ port: number; wsPort?: number; close(): Promise<void> }> {
  // Aedes and ws are bundled on their own beside this bundle (tools/build.mjs: dist/aedes.js),
  // loaded only when a broker is wanted, so that the installed command needs no package of the
  // registry. Both dist/index.js and dist/cli.cjs are in dist/, beside it.
  const { Aedes, WebSocketServer } = (await import(new URL('./aedes.js', import.meta.url).href)) as typeof import('aedes') & {
    WebSocketServer: WebSocketServerClass;
  };
  const broker = await Aedes.createBroker();
  const handle = (stream: NodeJS.ReadWriteStream) => broker.handle(stream as unknown as Parameters<typeof broker.handle>[0]);
  const server = createServer((socket) => handle(tcpClientStream(socket)));
  const p = await listenFrom(server, port, tries);
  if (p < 0) {
    broker.close();
    throw new Error(`no free port from ${port} to ${port + tries - 1} on 127.0.0.1`);
  }
  if (webSocketPort === undefined) return { port: p, close: () => closeBroker(server, broker) };
  const ws = webSocketServer(WebSocketServer, handle, allowOrigin);
  const wsPort = await listenFrom(ws, webSocketPort, tries);
  if (wsPort < 0) {
    await closeBroker(server, broker);
    throw new Error(`no free port from ${webSocketPort} to ${webSocketPort + tries - 1} on 127.0.0.1 for the WebSocket`);
  }
  return {
    port: p,
    wsPort,
    close: async () => {
      ws.close();
      ws.closeAllConnections();
      await closeBroker(server, broker);
    },
  };
}

/** Listens on 127.0.0.1 from `port` on (a server may listen again after a failed listen): the port it got, or -1. */
async function listenFrom(server: Server, port: number, tries: number): Promise<number> {
  for (let p = port; p < port + tries; p++) {
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(p, '127.0.0.1', () => resolve(true));
    });
    if (ok) return p;
  }
  return -1;
}

function closeBroker(server: Server, broker: { close(cb: () => void): void }): Promise<void> {
  return new Promise((resolve) => broker.close(() => server.close(() => resolve())));
}
