// The class set-up page's server (`mqtt-pair setup --web`), on 127.0.0.1 only: the page (tools/web/
// setup), ESP Web Tools' own browser build and the image it installs, and a small API: the class as
// it fills (which board took which student, and what the broker saw of each pair, as `watch` sees
// it), a board asking for its student, a board set up. The WiFi password never comes here: the
// page sends it to the board only.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ClassObserver } from '../classroom/observer';
import { NO_STORE } from '../view/http';
import { type Assignments, type Slot, slotFor, slotSettings } from './class-roster';

// Put in by tools/build.mjs (esbuild's define): the page's three files.
declare const SETUP_HTML: string;
declare const SETUP_CSS: string;
declare const SETUP_JS: string;

/** Runs only the page's own script and ESP Web Tools' (served from here), and talks only to this server. */
export const SETUP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface ClassSetupOptions {
  lang?: 'fr' | 'en';
  title: string;
  slots?: Slot[];
  taken: Assignments;
  /** Called with the assignments each time a board is set up (the roster's state file). */
  save?: (taken: Assignments) => void;
  /** The broker setting boards get, and where the page says they go. */
  broker?: { setting: string; shown: string };
  ssid?: string;
  /** build/image/<platform>/, with its manifest.json. */
  image?: string;
  /** dist/esp-web-tools/: ESP Web Tools' browser build, copied there by tools/build.mjs. */
  webTools?: string;
  observer?: ClassObserver;
}

type StudentState = 'free' | 'setting' | 'setUp' | 'hello' | 'pair' | 'failed';

export class ClassSetupServer {
  readonly server: Server;
  private done = new Set<string>();
  private errors = new Map<string, string>();
  private imageFiles = new Map<string, string>();
  private imageInfo: { chipFamily: string; version: string } | null = null;

  constructor(private readonly o: ClassSetupOptions) {
    for (const [k, b] of Object.entries(o.taken)) if (o.slots?.[Number(k)]) this.done.add(b);
    if (o.image) this.readImage(o.image);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.send(res, 500, { error: 'internal error' });
      });
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections?.();
      this.server.close(() => r());
    });
  }

  /** Reads the image's manifest: only the files it lists are served. */
  private readImage(dir: string): void {
    const manifest = join(dir, 'manifest.json');
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string; builds?: { chipFamily?: string; parts?: { path?: string }[] }[] };
    this.imageFiles.set('manifest.json', manifest);
    for (const b of json.builds ?? []) for (const p of b.parts ?? []) if (p.path && p.path === basename(p.path)) this.imageFiles.set(p.path, join(dir, p.path));
    this.imageInfo = { chipFamily: json.builds?.[0]?.chipFamily ?? '?', version: json.version ?? '?' };
  }

  /** The class as the page shows it. */
  snapshot() {
    const { slots = [], taken, observer } = this.o;
    const students = slots.map((s) => {
      const board = taken[String(s.index)] ?? null;
      let state: StudentState = 'free';
      const error = board ? this.errors.get(board) : undefined;
      if (board && error) state = 'failed';
      else if (board && !this.done.has(board)) state = 'setting';
      else if (board) {
        state = 'setUp';
        const seen = observer?.pairs.get(s.topicPrefix);
        if (seen && seen.replies > 0) state = 'pair';
        else if (seen && seen.hellos > 0 && s.esp === 1) state = 'hello';
      }
      return { index: s.index, name: s.name, pair: s.pair, esp: s.esp, role: s.role, prefix: s.topicPrefix, peer: s.peer, board, state, error };
    });
    return {
      lang: this.o.lang ?? null,
      title: this.o.title,
      roster: slots.length > 0,
      broker: this.o.broker?.shown ?? null,
      brokerProblem: observer && !observer.client.connected ? observer.problem || 'connecting' : null,
      ssid: this.o.ssid ?? '',
      image: this.imageInfo,
      students,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/') return this.file(req, res, SETUP_HTML, 'text/html; charset=utf-8', true);
      if (path === '/setup.css') return this.file(req, res, SETUP_CSS, 'text/css; charset=utf-8');
      if (path === '/setup.js') return this.file(req, res, SETUP_JS, 'text/javascript; charset=utf-8');
      if (path === '/api/class') return this.send(res, 200, this.snapshot());
      const tool = /^\/esp-web-tools\/([\w.-]+\.js)$/.exec(path);
      if (tool && this.o.webTools && readdirSync(this.o.webTools).includes(tool[1]))
        return this.file(req, res, readFileSync(join(this.o.webTools, tool[1]), 'utf8'), 'text/javascript; charset=utf-8');
      const part = /^\/image\/([\w.-]+)$/.exec(path);
      const file = part && this.imageFiles.get(part[1]);
      if (file) {
        const body = readFileSync(file);
        res.writeHead(200, {
          ...NO_STORE,
          'content-type': part[1].endsWith('.json') ? 'application/json' : 'application/octet-stream',
          'content-length': body.length,
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      return this.send(res, 404, { error: 'not found' });
    }
    if (req.method !== 'POST') return this.send(res, 405, { error: 'GET or POST' });
    // Only this page may post: a page elsewhere cannot hand out the class's boards.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return this.send(res, 403, { error: 'another origin' });
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return this.send(res, 415, { error: 'JSON only' });
    const body = await readBody(req, 4096);
    const board = typeof body?.board === 'string' && /^[\w.-]{1,64}$/.test(body.board) ? body.board : null;
    if (!board) return this.send(res, 400, { error: 'board: its Improv device name, e.g. mqtt-pair-9d2c' });
    if (path === '/api/boards') return this.assign(res, board);
    if (path === '/api/boards/done') {
      this.errors.delete(board);
      this.done.add(board);
      this.o.save?.(this.o.taken);
      return this.send(res, 200, { ok: true });
    }
    if (path === '/api/boards/failed') {
      this.errors.set(board, typeof body?.error === 'string' ? body.error.slice(0, 300) : 'failed');
      return this.send(res, 200, { ok: true });
    }
    return this.send(res, 404, { error: 'not found' });
  }

  /** The board's student (the next free one, or its own again) and the settings to send it. */
  private assign(res: ServerResponse, board: string): void {
    const settings: [string, string][] = [];
    if (this.o.broker) settings.push(['broker', this.o.broker.setting]);
    const { slots } = this.o;
    if (!slots?.length) return this.send(res, 200, { slot: null, settings });
    const slot = slotFor(slots, this.o.taken, board);
    if (!slot) return this.send(res, 409, { error: 'full' });
    this.o.taken[String(slot.index)] = board;
    this.done.delete(board);
    this.errors.delete(board);
    return this.send(res, 200, { slot, settings: [...settings, ...slotSettings(slot)] });
  }

  private file(req: IncomingMessage, res: ServerResponse, body: string, type: string, page = false): void {
    const headers: Record<string, string> = { ...NO_STORE, 'content-type': type };
    if (page) {
      headers['content-security-policy'] = SETUP_CSP;
      headers['referrer-policy'] = 'no-referrer';
    }
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  }

  private send(res: ServerResponse, status: number, json: unknown): void {
    res.writeHead(status, { ...NO_STORE, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
  }
}

/** A JSON body of at most `max` bytes, or null. */
function readBody(req: IncomingMessage, max: number): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
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
        const v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(v && typeof v === 'object' ? v : null);
      } catch {
        resolve(null);
      }
    });
    req.on('error', () => resolve(null));
  });
}
