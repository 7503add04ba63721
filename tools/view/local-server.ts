// The one server every page of ours is served by (watch, classroom, explore, setup --web, the
// students' page): it listens, checks who asks, then hands the request to the page's routes. Before
// any route runs: a Host that is not ours gets 421 (a DNS name pointed at 127.0.0.1 by another site,
// "DNS rebinding", reads nothing); a request from another origin, or a POST without our header,
// gets 403 (our origins, never the request's own Host, which a rebinding page sets); no answer is
// cached, sniffed or framed. Bodies are read to a limit; Server-Sent Events keep no backlog.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../usage-error';
import { cliWords } from '../words/cli';
import type { PageFile } from '../web/pages';

/** The headers every answer carries: never cached, never sniffed, never framed by another page (a
 *  click in a hidden frame could stop a pair), and, unless a page sets its own, running nothing. */
export const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };
const NOTHING_RUNS = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The header our pages put on every POST: another site's form cannot send it, and its script
 *  cannot either without a preflight, which gets no CORS answer here. */
export const OUR_HEADER = 'x-mqtt-pair';

/** A POST body is this long at most, unless the server says otherwise. */
export const BODY_MAX = 4096;

export type Route = (req: IncomingMessage, res: ServerResponse, path: string) => void | Promise<void>;

export interface LocalServerOptions {
  /** 0: any free port. */
  port: number;
  /** Where to listen: 127.0.0.1 unless a students' server on the classroom network. */
  host?: string;
  /** 'local' (default): only 127.0.0.1 or localhost and our port. 'address': any IP address or
   *  localhost and our port, for the students' server on the classroom network (no DNS name). */
  hosts?: 'local' | 'address';
  /** The option that chose the port, which the line for a port in use suggests again. */
  flag: '--web' | '--listen';
  /** The 421's line, given the port (default: open this page as http://127.0.0.1:PORT/). */
  wrongHost?: (port: number) => string;
  maxConnections?: number;
  /** Our pages' origins, given the port (default: http://127.0.0.1:PORT and http://localhost:PORT). */
  origins?: (port: number) => string[];
}

/** Bounded Server-Sent Events: a page still reading the last event skips the next ones; with
 *  `latest`, it gets the latest once it has drained, never a backlog. */
export class EventStreams {
  private readonly clients = new Map<ServerResponse, { stale: boolean }>();
  constructor(private readonly latest?: () => string) {}

  get size(): number {
    return this.clients.size;
  }

  open(req: IncomingMessage, res: ServerResponse, first: string): void {
    res.writeHead(200, { ...NO_STORE, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    const c = { stale: false };
    this.clients.set(res, c);
    res.on('drain', () => {
      if (c.stale && this.latest) {
        c.stale = false;
        res.write(this.latest());
      }
    });
    req.on('close', () => this.clients.delete(res));
    res.write(`retry: 2000\n${first}`);
  }

  send(data: string): void {
    for (const [res, c] of this.clients) {
      if (res.writableNeedDrain) c.stale = true;
      else res.write(data);
    }
  }

  /** Ends every stream, with `last` (the state as the run ended) if given. */
  end(last?: string): void {
    for (const res of this.clients.keys()) res.end(last);
    this.clients.clear();
  }
}

export class LocalServer {
  readonly server: Server;
  /** The port listened on, once listening. */
  port: number;
  private readonly host: string;

  constructor(
    private readonly o: LocalServerOptions,
    private readonly route: Route,
  ) {
    this.port = o.port;
    this.host = o.host ?? '127.0.0.1';
    this.server = createServer((req, res) => this.serve(req, res));
    if (o.maxConnections) this.server.maxConnections = o.maxConnections;
  }

  /** Listens; a port in use or an address this computer lacks is one line (UsageError). */
  async listen(): Promise<number> {
    const { port } = this.o;
    const host = this.host;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new UsageError(
            e.code === 'EADDRINUSE'
              ? cliWords().pagePortInUse(port, host, `${this.o.flag} ${this.o.flag === '--listen' ? `${host}:` : ''}${port + 1}`)
              : e.code === 'EADDRNOTAVAIL'
                ? cliWords().pageNoAddress(this.o.flag, host)
                : cliWords().pageCannotServe(host, port, e.code ?? e.message),
          ),
        ),
      );
      this.server.listen(port, host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** The origins of our own pages: the only ones whose POSTs are taken. */
  origins(): string[] {
    return this.o.origins?.(this.port) ?? [`http://127.0.0.1:${this.port}`, `http://localhost:${this.port}`];
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Whether the Host header names this server: no DNS name but localhost, and our port. */
  private ours(req: IncomingMessage): boolean {
    const host = (req.headers.host ?? '').toLowerCase();
    if (this.o.hosts !== 'address') return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`;
    const m = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\]|localhost):(\d+)$/.exec(host);
    return !!m && Number(m[2]) === this.port;
  }

  /** Whether the Origin, when the browser sends one (a POST, a script asking another site), is ours. */
  private fromOurOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || this.origins().includes(origin.toLowerCase());
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    for (const [k, v] of Object.entries(NO_STORE)) res.setHeader(k, v);
    res.setHeader('content-security-policy', NOTHING_RUNS);
    if (!this.ours(req)) {
      return text(res, 421, `${this.o.wrongHost?.(this.port) ?? `open this page as http://127.0.0.1:${this.port}/`}\n`);
    }
    // A request that changes something carries our header too.
    if (!this.fromOurOrigin(req) || (req.method !== 'GET' && req.method !== 'HEAD' && req.headers[OUR_HEADER] !== '1'))
      return text(res, 403, 'only this server’s own page may ask this\n');
    const path = (req.url ?? '/').split('?')[0];
    Promise.resolve()
      .then(() => this.route(req, res, path))
      .catch(() => {
        if (!res.headersSent) text(res, 500, 'internal error\n');
        else res.destroy();
      });
  }
}

/** Answers a GET or a HEAD with a page's file (its own headers, its CSP for the markup). */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: PageFile): void {
  res.writeHead(200, { ...NO_STORE, ...file.headers }).end(req.method === 'HEAD' ? undefined : file.body);
}

export function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);
}

export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { ...NO_STORE, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

/** 405 to a method a path does not take. */
export function onlyGet(res: ServerResponse): void {
  res.writeHead(405, { ...NO_STORE, allow: 'GET, HEAD' }).end();
}

/** A JSON object body of at most `max` bytes, or null (too long, not JSON, not an object). A body
 *  that says it is longer is not read. */
export function readJson(req: IncomingMessage, max = BODY_MAX): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    if (Number(req.headers['content-length'] ?? 0) > max) {
      resolve(null);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > max) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
      } catch {
        resolve(null);
      }
    });
    req.on('error', () => resolve(null));
  });
}
