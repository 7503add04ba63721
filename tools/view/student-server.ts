// The students' page: served beside the class page (/student), and, with --listen, on a server of
// its own on the classroom network that serves nothing else. That server takes only Host headers
// that are an address and its port, so no DNS name can be pointed at it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { hostPort } from '../../src/endpoint';
import { UsageError } from '../usage-error';
import type { PageFile } from '../web/pages';
import { NO_STORE, sendFile } from './http';

/** Connections at once to the students' server: a class's computers, a few tabs each. Beyond, a new
 *  one is closed at once, and the rest of the process (the class page, the broker) keeps its files. */
export const MAX_STUDENT_CONNECTIONS = 256;

/** What /student needs: the broker's WebSocket as the students' browsers reach it, the class's
 *  topic prefix, and where to serve it for the students' computers (none: 127.0.0.1 only). */
export interface StudentOptions {
  broker: string;
  prefix: string;
  title: string;
  listen?: { host: string; port: number };
}

/** The students' own server on the classroom network: /student only, never the teacher's page.
 *  The Host header must be an address (or localhost) and this port: no DNS name can point here. */
export async function startStudentServer(host: string, port: number, files: ReadonlyMap<string, PageFile>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const h = (req.headers.host ?? '').toLowerCase();
    const m = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\]|localhost):(\d+)$/.exec(h);
    const path = (req.url ?? '/').split('?')[0];
    if (!m || Number(m[2]) !== port)
      return void res
        .writeHead(421, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' })
        .end(`open this page by the computer's address: http://ADDRESS:${port}/student\n`);
    if (path === '/') return void res.writeHead(302, { ...NO_STORE, location: '/student' }).end();
    if (!serveStudent(req, res, path, files))
      res.writeHead(404, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }).end('not found: the page is at /student\n');
  });
  server.maxConnections = MAX_STUDENT_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          e.code === 'EADDRINUSE'
            ? `port ${port} is already in use on ${host}: choose another with --listen ${host}:${port + 1}`
            : e.code === 'EADDRNOTAVAIL'
              ? `--listen ${host}: this computer has no such address (its addresses: ip -4 addr, or ipconfig on Windows)`
              : `cannot serve the students' page on ${host}:${port}: ${e.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const shownHost = host === '0.0.0.0' || host === '::' ? (lanAddress() ?? host) : host;
  return { server, url: `http://${hostPort(shownHost, port)}/student` };
}

/** Serves the students' page's files (/student, /student.css, /student.js); false for any other path. */
export function serveStudent(req: IncomingMessage, res: ServerResponse, path: string, files: ReadonlyMap<string, PageFile>): boolean {
  const file = files.get(path);
  if (!file) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') res.writeHead(405, { ...NO_STORE, allow: 'GET, HEAD' }).end();
  else sendFile(req, res, file);
  return true;
}

/** Every address of this computer. */
export function localAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address);
  return out;
}

/** This computer's first IPv4 address on a network, to tell the class; undefined if none. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}
