// The explorer's server on 127.0.0.1 (local-server.ts checks who asks): the page's files, the tree
// as it stands when a page opens, then the messages as they come, in batches (Server-Sent Events,
// /events), and the page's « clear the retained messages under this branch » (POST /clear). Bounded: the tree (tree.ts)
// keeps at most its limits; a batch holds at most BATCH_MAX messages (the rest are counted as
// dropped for the page, never queued); a page that reads slowly gets no backlog.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MqttClient } from '../../src/mqtt/client';
import type { ExplorerBatch, ExplorerHello, Seen, TopicTree } from '../explorer/tree';
import { EXPLORER_FILES } from '../web/pages';
import { EventStreams, LocalServer, json, onlyGet, readJson, sendFile, text } from './local-server';

/** Messages sent to the pages a batch at most; beyond, counted as dropped (the page says how many). */
export const BATCH_MAX = 2000;
/** How often a batch goes to the pages (ms). */
const BATCH_EVERY = 250;

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
  let batch: Seen[] = [];
  let dropped = 0;
  let lastSeen = 0;

  const hello = (): ExplorerHello => ({
    ...about,
    limits: tree.limits,
    topics: [...tree.topics.values()].map((n) => ({ topic: n.topic, count: n.count, retained: n.retained, history: n.history })),
    seen: tree.messages,
    droppedTopics: tree.droppedTopics,
    droppedMessages: tree.droppedMessages,
  });

  const streams = new EventStreams();
  const server = new LocalServer({ port, flag: '--web' }, (req, res, path) => {
    if (req.method === 'POST' && path === '/clear') return clear(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return onlyGet(res);
    if (EXPLORER_FILES.has(path)) return sendFile(req, res, EXPLORER_FILES.get(path)!);
    if (path === '/events') return streams.open(req, res, `event: tree\ndata: ${JSON.stringify(hello())}\n\n`);
    text(res, 404, 'not found: the page is at /\n');
  });

  /** POST /clear {"branch": "a/b/"}: an empty retained message on each retained topic under it. */
  async function clear(req: IncomingMessage, res: ServerResponse) {
    const branch = (await readJson(req))?.branch;
    // Only topics the tree saw (under the filter) are cleared, whatever the branch says.
    if (typeof branch !== 'string') return text(res, 400, '{"branch": "…"} is needed\n');
    if (!client.connected) return text(res, 503, 'not connected to the broker\n');
    const topics = tree.retainedUnder(branch);
    for (const t of topics) client.publish(t, new Uint8Array(0), { qos: 1, retain: true });
    json(res, 200, { cleared: topics.length });
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
    // A page still reading the last batch skips this one (it says how many it missed).
    streams.send(`event: batch\ndata: ${JSON.stringify(data)}\n\n`);
  }, BATCH_EVERY);

  try {
    await server.listen();
  } catch (e) {
    clearInterval(timer);
    throw e;
  }
  return {
    url: `http://127.0.0.1:${server.port}/`,
    push(m: Seen) {
      if (batch.length < BATCH_MAX) batch.push(m);
      else dropped++;
    },
    close: () => {
      clearInterval(timer);
      streams.end();
      return server.close();
    },
  };
}
