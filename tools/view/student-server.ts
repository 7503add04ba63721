// The students' page: served beside the class page (/student), and, with --listen, on a server of
// its own on the classroom network that serves nothing else (local-server.ts). That server takes
// only Host headers that are an address and its port, so no DNS name can be pointed at it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { hostPort } from '../../src/endpoint';
import type { PageFile } from '../web/pages';
import { LocalServer, NO_STORE, onlyGet, sendFile, text } from './local-server';

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
export async function startStudentServer(
  host: string,
  port: number,
  files: ReadonlyMap<string, PageFile>,
): Promise<{ url: string; origins: string[]; close(): Promise<void> }> {
  const any = host === '0.0.0.0' || host === '::';
  const server = new LocalServer(
    {
      port,
      host,
      hosts: 'address',
      flag: '--listen',
      wrongHost: (p) => `open this page by the computer's address: http://ADDRESS:${p}/student`,
      maxConnections: MAX_STUDENT_CONNECTIONS,
      origins: (p) => [...(any ? localAddresses() : [host]).map((h) => `http://${hostPort(h, p)}`), `http://localhost:${p}`],
    },
    (req, res, path) => {
      if (path === '/') return void res.writeHead(302, { ...NO_STORE, location: '/student' }).end();
      if (!serveStudent(req, res, path, files)) text(res, 404, 'not found: the page is at /student\n');
    },
  );
  await server.listen();
  const shownHost = any ? (lanAddress() ?? host) : host;
  return { url: `http://${hostPort(shownHost, server.port)}/student`, origins: server.origins(), close: () => server.close() };
}

/** Serves the students' page's files (/student, /student.css, /student.js); false for any other path. */
export function serveStudent(req: IncomingMessage, res: ServerResponse, path: string, files: ReadonlyMap<string, PageFile>): boolean {
  const file = files.get(path);
  if (!file) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') onlyGet(res);
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
