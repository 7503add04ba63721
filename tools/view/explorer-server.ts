// The explorer's server on 127.0.0.1: the page's files, the tree as it stands when a page opens,
// then the messages as they come, in batches (Server-Sent Events, /events), and the page's
// « clear the retained messages under this branch » (POST /clear). Bounded: the tree (tree.ts)
// keeps at most its limits; a batch holds at most BATCH_MAX messages (the rest are counted as
// dropped for the page, never queued); a page that reads slowly gets no backlog.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MqttClient } from '../../src/mqtt/client';
import type { ExplorerBatch, ExplorerHello, Seen, TopicTree } from '../explorer/tree';
import { UsageError } from '../usage-error';
import { EXPLORER_FILES } from '../web/pages';
import { NO_STORE, sendFile } from './http';

/** Messages sent to the pages a batch at most; beyond, counted as dropped (the page says how many). */
export const BATCH_MAX = 2000;
/** How often a batch goes to the pages (ms). */
const BATCH_EVERY = 250;
/** A clear request's body is this long at most. */
const BODY_MAX = 4096;

export interface ExplorerView {
  url: string;
  close(): Promise<void>;
}

export async function startExplorerView(
  port: number,
  tree: TopicTree,
  client: MqttClient,
  about: { filters: string[]; where: string; lang?: 'fr' | 'en' },
): Promise<ExplorerView & { push(m: Seen): void }> {
  const clients = new Set<ServerResponse>();
  let batch: Seen[] = [];
  let dropped = 0;
  let lastSeen = 0;
  let actualPort = port;

  const hello = (): ExplorerHello => ({
    ...about,
    limits: tree.limits,
    topics: [...tree.topics.values()].map((n) => ({ topic: n.topic, count: n.count, retained: n.retained, history: n.history })),
    seen: tree.messages,
    droppedTopics: tree.droppedTopics,
    droppedMessages: tree.droppedMessages,
  });

  const server = createServer((req, res) => serve(req, res));
  function serve(req: IncomingMessage, res: ServerResponse) {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${actualPort}` && host !== `localhost:${actualPort}`) {
      res.writeHead(421, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end(`open this page as http://127.0.0.1:${actualPort}/\n`);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/clear') return clear(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { ...NO_STORE, allow: 'GET, HEAD' }).end();
    if (EXPLORER_FILES.has(path)) return sendFile(req, res, EXPLORER_FILES.get(path)!);
    if (path === '/events') {
      res.writeHead(200, { ...NO_STORE, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      clients.add(res);
      req.on('close', () => clients.delete(res));
      res.write(`retry: 2000\nevent: tree\ndata: ${JSON.stringify(hello())}\n\n`);
      return;
    }
    res.writeHead(404, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end('not found: the page is at /\n');
  }

  /** POST /clear {"branch": "a/b/"}: an empty retained message on each retained topic under it. */
  function clear(req: IncomingMessage, res: ServerResponse) {
    // A page of this server only: a custom header, which no form of another site can send.
    if (req.headers['x-mqtt-pair'] !== '1') return void res.writeHead(403, NO_STORE).end();
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > BODY_MAX) req.destroy();
    });
    req.on('end', () => {
      let branch: unknown;
      try {
        branch = (JSON.parse(body) as { branch?: unknown }).branch;
      } catch {
        branch = undefined;
      }
      // Only topics the tree saw (under the filter) are cleared, whatever the branch says.
      if (typeof branch !== 'string')
        return void res.writeHead(400, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end('{"branch": "…"} is needed\n');
      if (!client.connected) return void res.writeHead(503, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end('not connected to the broker\n');
      const topics = tree.retainedUnder(branch);
      for (const t of topics) client.publish(t, new Uint8Array(0), { qos: 1, retain: true });
      res.writeHead(200, { ...NO_STORE, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ cleared: topics.length }));
    });
  }

  const timer = setInterval(() => {
    if (!batch.length && !dropped && tree.messages === lastSeen) return;
    lastSeen = tree.messages;
    const data: ExplorerBatch = {
      messages: batch,
      dropped,
      seen: tree.messages,
      droppedTopics: tree.droppedTopics,
      droppedMessages: tree.droppedMessages,
      connected: client.connected,
    };
    batch = [];
    dropped = 0;
    const text = `event: batch\ndata: ${JSON.stringify(data)}\n\n`;
    // A page still reading the last batch skips this one (it says how many it missed).
    for (const res of clients) if (!res.writableNeedDrain) res.write(text);
  }, BATCH_EVERY);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(
        new UsageError(
          e.code === 'EADDRINUSE'
            ? `port ${port} is already in use on 127.0.0.1: choose another with --web, e.g. --web ${port + 1}`
            : `cannot serve the page on 127.0.0.1:${port}: ${e.message}`,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    push(m: Seen) {
      if (batch.length < BATCH_MAX) batch.push(m);
      else dropped++;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of clients) c.end();
        clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
