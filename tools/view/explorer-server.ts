// The explorer's server on 127.0.0.1 (local-server.ts checks who asks: Host, Origin, our header
// on every POST): the page's files, the tree as it stands when a page opens (in pieces of
// PIECE_CHARS, never one string), then the messages as they come, in batches (Server-Sent Events,
// /events); what the broker holds retained under a branch (GET /retained) and clearing it (POST
// /clear), both asked of the broker afresh (tools/cli/explore-retained.ts). Bounded: the tree
// (tree.ts) keeps at most its limits; a batch holds at most BATCH_MAX messages (the rest are
// counted as dropped for the page, never queued); a page that reads slowly gets no backlog. A page
// that cannot be sent the tree is told so in one line, and the command goes on.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MqttClient } from '../../src/mqtt/client';
import type { ExplorerBatch, ExplorerHello, ExplorerPiece, RetainedProblem, Seen, TopicMessage, TopicNode, TopicTree } from '../explorer/tree';
import { EXPLORER_FILES } from '../web/pages';
import { json, LocalServer, NO_STORE, onlyGet, readJson, sendFile, text } from './local-server';

/** Messages sent to the pages a batch at most; beyond, counted as dropped (the page says how many). */
export const BATCH_MAX = 2000;
/** How often a batch goes to the pages (ms). */
const BATCH_EVERY = 250;
/** A clear request's body is this long at most (a branch is a kept topic: tree.ts TOPIC_CHARS). */
const BODY_MAX = 16_384;
/** A piece of the tree sent to a page holds about this many characters. */
export const PIECE_CHARS = 256 * 1024;

/** What the broker holds retained under a branch, asked afresh (and cleared when asked). */
export type AskRetained = (branch: string, clear: boolean) => Promise<{ count: number; more: boolean; retained: string[]; cleared: number }>;

export interface ExplorerView {
  url: string;
  close(): Promise<void>;
}

export async function startExplorerView(
  port: number,
  tree: TopicTree,
  client: MqttClient,
  about: { filters: string[]; where: string; lang?: 'fr' | 'en' },
  askRetained: AskRetained,
  warn: (line: string) => void,
): Promise<ExplorerView & { push(topic: string, m: Seen): void }> {
  const clients = new Set<ServerResponse>();
  let batch: TopicMessage[] = [];
  let dropped = 0;
  let lastSeen = 0;

  const hello = (): ExplorerHello => ({
    ...about,
    limits: tree.limits,
    seen: tree.messages,
    droppedTopics: tree.droppedTopics,
    droppedMessages: tree.droppedMessages,
  });

  const server = new LocalServer({ port, flag: '--web' }, (req, res, path) => {
    try {
      serve(req, res, path);
    } catch (e) {
      failed(res, e);
    }
  });
  /** A page could not be answered: one line, that page's answer ends, the command goes on. */
  function failed(res: ServerResponse, e: unknown) {
    warn((e as Error).message ?? String(e));
    clients.delete(res);
    if (!res.headersSent) res.writeHead(500, NO_STORE);
    res.end();
  }
  function serve(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === 'POST' && path === '/clear') return void clear(req, res);
    if (req.method === 'GET' && path === '/retained') return retained(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return onlyGet(res);
    if (EXPLORER_FILES.has(path)) return sendFile(req, res, EXPLORER_FILES.get(path)!);
    if (path === '/events') {
      res.writeHead(200, { ...NO_STORE, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      let closed = false;
      req.on('close', () => {
        closed = true;
        clients.delete(res);
      });
      // Batches go to the page while the pieces do: a piece made later holds the newer messages,
      // and the page keeps a message once (its seq).
      clients.add(res);
      res.write(`retry: 2000\nevent: tree\ndata: ${JSON.stringify(hello())}\n\n`);
      void sendTree(res, () => closed).catch((e) => failed(res, e));
      return;
    }
    text(res, 404, 'not found: the page is at /\n');
  }

  /** The tree in pieces (event `topics`), each made when the last one has gone, then `ready`. */
  async function sendTree(res: ServerResponse, closed: () => boolean) {
    const nodes: TopicNode[] = [...tree.topics.values()];
    let piece: string[] = [],
      size = 0;
    const flush = async () => {
      if (!piece.length) return;
      const text = `event: topics\ndata: [${piece.join(',')}]\n\n`;
      piece = [];
      size = 0;
      if (res.write(text) || closed()) return;
      await new Promise<void>((resolve) => {
        const go = () => {
          res.off('drain', go).off('close', go);
          resolve();
        };
        res.on('drain', go).on('close', go);
      });
    };
    for (const n of nodes) {
      if (closed()) return;
      const one: ExplorerPiece[number] = { topic: n.topic, count: n.count, retained: n.retained, history: n.history };
      const text = JSON.stringify(one);
      piece.push(text);
      size += text.length;
      if (size >= PIECE_CHARS) await flush();
    }
    await flush();
    if (!closed()) res.write('event: ready\ndata: {}\n\n');
  }

  /** The branch a request names: the query's `branch` (GET), or the body's (POST). */
  function answerRetained(res: ServerResponse, branch: unknown, clearIt: boolean) {
    if (typeof branch !== 'string' || branch.length > BODY_MAX) return text(res, 400, '{"branch": "…"} is needed\n');
    // Why not as a code: the page words it in its language (tools/words/explorer.ts, retainedWhy).
    if (!client.connected) return json(res, 503, { problem: { code: 'offline' } satisfies RetainedProblem });
    askRetained(branch, clearIt).then(
      (r) => json(res, 200, r),
      (e: Error & { problem?: RetainedProblem }) => json(res, 502, { problem: e.problem ?? { code: 'closed', reason: e.message } }),
    );
  }

  /** GET /retained?branch=a/b/: how many retained messages the broker holds under it, asked afresh,
   *  and which topics of the tree are among them (their marks follow). */
  function retained(req: IncomingMessage, res: ServerResponse) {
    answerRetained(res, new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('branch'), false);
  }

  /** POST /clear {"branch": "a/b/"}: an empty retained message on each topic the broker holds
   *  retained under it, asked afresh (tree.ts branchFilter: '' clears nothing). */
  async function clear(req: IncomingMessage, res: ServerResponse) {
    answerRetained(res, (await readJson(req, BODY_MAX))?.branch, true);
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
    let text: string;
    try {
      text = `event: batch\ndata: ${JSON.stringify(data)}\n\n`;
    } catch (e) {
      return warn((e as Error).message);
    }
    // A page still reading the last batch skips this one (it says how many it missed).
    for (const res of clients) if (!res.writableNeedDrain) res.write(text);
  }, BATCH_EVERY);

  try {
    await server.listen();
  } catch (e) {
    clearInterval(timer);
    throw e;
  }
  return {
    url: `http://127.0.0.1:${server.port}/`,
    push(topic: string, m: Seen) {
      if (batch.length < BATCH_MAX) batch.push({ topic, ...m });
      else dropped++;
    },
    close: () => {
      clearInterval(timer);
      for (const c of clients) c.end();
      clients.clear();
      return server.close();
    },
  };
}
