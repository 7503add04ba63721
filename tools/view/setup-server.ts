// The class set-up page's server (`mqtt-pair setup --web`), on 127.0.0.1 only (local-server.ts
// checks who asks): the page (tools/web/setup), ESP Web Tools' own browser build and the image it
// installs, and a small API: the class as it fills (which board took which student, and what the
// broker saw of each pair, as `watch` sees it), a board asking for its student, a board set up.
// The broker's setting (its password, if any) goes only in the answer that gives a board its
// student, which the page sends to the board over Web Serial; the class the page polls never holds
// it. The WiFi password never comes here: the page sends it to the board only.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ClassObserver } from '../classroom/observer';
import { type Assignments, type Slot, slotFor, slotSettings } from '../setup/class-roster';
import { SETUP_FILES } from '../web/pages';
import { LocalServer, NO_STORE, json, onlyGet, readJson, sendFile } from './local-server';

export interface ClassSetupOptions {
  /** 0: any free port. */
  port: number;
  lang?: 'fr' | 'en';
  title: string;
  slots?: Slot[];
  taken: Assignments;
  /** « Remplacer »: forgets a student's boards in the state file, under its lock (`setup --replace`); null when no line of the roster holds the name. */
  replace?: (name: string) => { slots: Slot[]; boards: string[] } | null;
  /** Called with the assignments each time a board is set up (the roster's state file). */
  save?: (taken: Assignments) => void;
  /** The broker setting boards get, and where the page says they go (no password). */
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
  private readonly local: LocalServer;
  private done = new Set<string>();
  private errors = new Map<string, string>();
  /** The boards given their settings in this run: only they may say they are set up or failed. */
  private asked = new Set<string>();
  private imageFiles = new Map<string, string>();
  private imageInfo: { chipFamily: string; version: string } | null = null;
  /** Students given a new board (« Remplacer »): the next boards plugged in take them first. */
  private wanted: Slot[] = [];

  constructor(private readonly o: ClassSetupOptions) {
    for (const [k, b] of Object.entries(o.taken)) if (o.slots?.[Number(k)]) this.done.add(b);
    if (o.image) this.readImage(o.image);
    this.local = new LocalServer({ port: o.port, flag: '--web' }, (req, res, path) => this.route(req, res, path));
  }

  /** Listens on 127.0.0.1; a port in use is one line (UsageError). Resolves to the port. */
  listen(): Promise<number> {
    return this.local.listen();
  }

  close(): Promise<void> {
    return this.local.close();
  }

  /** Reads the image's manifest: only the files it lists are served. */
  private readImage(dir: string): void {
    const manifest = join(dir, 'manifest.json');
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string; builds?: { chipFamily?: string; parts?: { path?: string }[] }[] };
    this.imageFiles.set('manifest.json', manifest);
    for (const b of json.builds ?? []) for (const p of b.parts ?? []) if (p.path && p.path === basename(p.path)) this.imageFiles.set(p.path, join(dir, p.path));
    this.imageInfo = { chipFamily: json.builds?.[0]?.chipFamily ?? '?', version: json.version ?? '?' };
  }

  /** The class as the page shows it: never the broker's setting, which may hold its password. */
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
      // As facts: the page words them in its language.
      brokerProblem: observer?.trouble() ?? null,
      identify: !!observer,
      ssid: this.o.ssid ?? '',
      image: this.imageInfo,
      students,
    };
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const page = SETUP_FILES.get(path);
      if (page) return sendFile(req, res, page);
      if (path === '/api/class') return json(res, 200, this.snapshot());
      const tool = /^\/esp-web-tools\/([\w.-]+\.js)$/.exec(path);
      if (tool && this.o.webTools && readdirSync(this.o.webTools).includes(tool[1]))
        return sendFile(req, res, {
          headers: { 'content-type': 'text/javascript; charset=utf-8' },
          body: readFileSync(join(this.o.webTools, tool[1]), 'utf8'),
        });
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
      return json(res, 404, { error: 'not found' });
    }
    if (req.method !== 'POST') return onlyGet(res);
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return json(res, 415, { error: 'JSON only' });
    const body = await readJson(req);
    if (path === '/api/replace') return this.replace(res, body?.name);
    if (path === '/api/identify') return this.identify(res, body?.index);
    const board = typeof body?.board === 'string' && /^[\w.-]{1,64}$/.test(body.board) ? body.board : null;
    if (!board) return json(res, 400, { error: 'board: its Improv device name, e.g. mqtt-pair-9d2c' });
    if (path === '/api/boards') return this.assign(res, board);
    if (path !== '/api/boards/done' && path !== '/api/boards/failed') return json(res, 404, { error: 'not found' });
    // Only a board this page set up in this run: no one else can mark a student's row.
    if (!this.asked.has(board)) return json(res, 409, { error: 'this board did not ask for its settings: POST /api/boards first' });
    if (path === '/api/boards/done') {
      this.errors.delete(board);
      this.done.add(board);
      this.o.save?.(this.o.taken);
    } else this.errors.set(board, typeof body?.error === 'string' ? body.error.slice(0, 300) : 'failed');
    return json(res, 200, { ok: true });
  }

  /**
   * « Identifier »: the student's board blinks (src/apps/identify.ts): its role on
   * <prefix>identify, published with this page's own connection to the broker (the teacher's
   * account), only for a board this class set up.
   */
  private identify(res: ServerResponse, index: unknown): void {
    const slot = typeof index === 'number' ? this.o.slots?.[index] : undefined;
    if (!slot || !this.o.taken[String(slot.index)]) return json(res, 404, { error: 'no board for this row' });
    const client = this.o.observer?.client;
    if (!client?.connected) return json(res, 503, { error: 'broker' });
    client.publish(`${slot.topicPrefix}identify`, slot.role);
    return json(res, 200, { ok: true });
  }

  /** « Remplacer »: the student's boards forgotten (the state file first), their rows free again. */
  private replace(res: ServerResponse, name: unknown): void {
    if (typeof name !== 'string' || !name.trim() || name.length > 100) return json(res, 400, { error: 'name: a first name of the list' });
    const r = this.o.replace?.(name);
    if (!r) return json(res, 404, { error: 'unknown' });
    for (const s of r.slots) {
      const board = this.o.taken[String(s.index)];
      if (board === undefined) continue;
      delete this.o.taken[String(s.index)];
      this.done.delete(board);
      this.errors.delete(board);
      this.asked.delete(board);
    }
    this.wanted.push(...r.slots.filter((s) => !this.wanted.includes(s)));
    return json(res, 200, { name: r.slots[0].name, boards: r.boards });
  }

  /** The board's student (the next free one, or its own again) and the settings to send it: the
   *  one answer that holds the broker's setting, for the page to relay to the board. */
  private assign(res: ServerResponse, board: string): void {
    const settings: [string, string][] = [];
    if (this.o.broker) settings.push(['broker', this.o.broker.setting]);
    const { slots } = this.o;
    if (!slots?.length) {
      this.asked.add(board);
      return json(res, 200, { slot: null, settings });
    }
    const own = Object.values(this.o.taken).includes(board);
    const slot = (own ? undefined : this.wanted.find((s) => !this.o.taken[String(s.index)])) ?? slotFor(slots, this.o.taken, board);
    if (!slot) return json(res, 409, { error: 'full' });
    this.wanted = this.wanted.filter((s) => s !== slot);
    this.o.taken[String(slot.index)] = board;
    this.asked.add(board);
    this.done.delete(board);
    this.errors.delete(board);
    return json(res, 200, { slot, settings: [...settings, ...slotSettings(slot)] });
  }
}
