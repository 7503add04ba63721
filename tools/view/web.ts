// The class page's server on 127.0.0.1: the page's files, the class as Server-Sent Events and as
// JSON, and the page's stop and start buttons (classroom). It checks who asks (the Host header, a
// header no other site's form can send) and never keeps a backlog for a slow reader. The students'
// page is served beside it (student-server.ts).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostPort } from '../../src/endpoint';
import type { ViewSnapshot } from '../classroom/view-model';
import { UsageError } from '../usage-error';
import { CLASS_FILES, studentFiles } from '../web/pages';
import { NO_STORE, sendFile } from './http';
import { localAddresses, serveStudent, startStudentServer, type StudentOptions } from './student-server';

export interface WebView {
  port: number;
  url: string;
  studentUrl?: string;
  /** The origins of the pages served (`http://127.0.0.1:8080`): the embedded broker lets in their WebSockets. */
  origins: string[];
  close(): Promise<void>;
}

/** What the page may ask the server to do (classroom --web): stop or start one pair. */
export type Control = (action: 'stop' | 'start', name: string) => boolean;

/**
 * Serves the classroom page on 127.0.0.1:port (0: any free port): `/` the page, `/events` the
 * snapshots as Server-Sent Events (one a second), `/state.json` the current snapshot; with
 * `control`, POST /pairs/<name>/stop and …/start. A page that reads slowly gets the latest state
 * when it is ready again, never a backlog.
 */
export async function startWebView(port: number, snapshot: () => ViewSnapshot, every = 1000, control?: Control, student?: StudentOptions): Promise<WebView> {
  const clients = new Map<ServerResponse, { stale: boolean }>();
  let actualPort = port;
  const server = createServer((req, res) => serve(req, res));
  const studentPageFiles = student && studentFiles({ broker: student.broker, prefix: student.prefix, title: student.title, open: !!student.listen });

  const send = (res: ServerResponse, data: string) => {
    const c = clients.get(res);
    if (!c) return;
    // Still sending the last one: this one is skipped, and the latest goes once it drains.
    if (res.writableNeedDrain) {
      c.stale = true;
      return;
    }
    res.write(data);
  };

  function serve(req: IncomingMessage, res: ServerResponse) {
    // Only this machine's own names: a page elsewhere cannot read the class through DNS rebinding.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${actualPort}` && host !== `localhost:${actualPort}`) {
      res.writeHead(421, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end(`open this page as http://127.0.0.1:${actualPort}/\n`);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const common = NO_STORE;
    if (studentPageFiles && serveStudent(req, res, path, studentPageFiles)) return;
    const action = /^\/pairs\/([^/]+)\/(stop|start)$/.exec(path);
    if (req.method === 'POST' && action && control) {
      // A page of this server only: a custom header, which no form of another site can send.
      if (req.headers['x-mqtt-pair'] !== '1') return void res.writeHead(403, common).end();
      let name: string;
      try {
        name = decodeURIComponent(action[1]);
      } catch {
        return void res.writeHead(400, common).end();
      }
      const ok = control(action[2] as 'stop' | 'start', name);
      res.writeHead(ok ? 204 : 404, common).end();
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, allow: 'GET, HEAD' }).end();
    } else if (CLASS_FILES.has(path)) {
      sendFile(req, res, CLASS_FILES.get(path)!);
    } else if (path === '/state.json') {
      res.writeHead(200, { ...common, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(snapshot()));
    } else if (path === '/events') {
      res.writeHead(200, { ...common, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      const c = { stale: false };
      clients.set(res, c);
      res.on('drain', () => {
        if (c.stale) {
          c.stale = false;
          send(res, event());
        }
      });
      req.on('close', () => clients.delete(res));
      res.write(`retry: 2000\n${event()}`);
    } else {
      res.writeHead(404, { ...common, 'content-type': 'text/plain; charset=utf-8' }).end('not found: the page is at /\n');
    }
  }

  const event = () => `data: ${JSON.stringify(snapshot())}\n\n`;
  const timer = setInterval(() => {
    if (!clients.size) return;
    const data = event();
    for (const res of clients.keys()) send(res, data);
  }, every);
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
  let students: { server: Server; url: string } | undefined;
  if (student?.listen && studentPageFiles) {
    try {
      students = await startStudentServer(student.listen.host, student.listen.port, studentPageFiles);
    } catch (e) {
      clearInterval(timer);
      server.close();
      throw e;
    }
  }
  const origins = [`http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`];
  if (student?.listen) {
    const { host, port: p } = student.listen;
    const any = host === '0.0.0.0' || host === '::';
    for (const h of any ? localAddresses() : [host]) origins.push(`http://${hostPort(h, p)}`);
    origins.push(`http://localhost:${p}`);
  }
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/`,
    studentUrl: studentPageFiles && (students?.url ?? `http://127.0.0.1:${actualPort}/student`),
    origins,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        // The last state, so an open page shows how the run ended.
        const data = event();
        for (const c of clients.keys()) c.end(data);
        clients.clear();
        students?.server.close();
        students?.server.closeAllConnections();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
