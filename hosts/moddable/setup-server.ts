// The setup page's HTTP server, on the SDK's Listener and Socket rather than its http module, whose
// server keeps a partial line whole (a header that never ends fills the heap), reads Content-Length
// with parseInt, and times nothing out. Here each connection's bytes go to a RequestReader
// (src/setup/http.ts) a few hundred at a time and are not kept; at most `maxConnections` requests
// are read at once (a new one closes the oldest still being read: idle connections cannot lock the
// page); each connection has REQUEST_MS to be answered, then it is closed. Made in setup mode only.

import { Listener, Socket } from 'socket';
import Timer from 'timer';
import Time from 'time';
import { encodeUtf8 } from '../../src/mqtt/codec';
import { REQUEST_MS, RequestReader } from '../../src/setup/http';
import type { HttpHandler, HttpResponse } from '../../src/setup/ports';

/** Bytes read from a socket at a time: what an exchange allocates per read, whatever the client sends. */
const READ_BYTES = 256;
/** Body bytes written at a time: the page (in flash) goes a slice at a time, never copied whole. */
const WRITE_BYTES = 1024;

/** The Socket calls that are used; the SDK calls `callback` as the socket's method. */
interface PageSocket {
  callback: (message: number, value?: number) => void;
  read(type: typeof ArrayBuffer, count: number): ArrayBuffer;
  read(): number;
  write(...data: (string | ArrayBuffer)[]): number;
  close(): void;
  exchange?: Exchange;
}
type PageListener = Listener & { server?: PageServer; close(): void };

const READING = 0,
  WRITING = 1,
  SENT = 2;

/** One connection: its request as it arrives, then its answer as the socket takes it. */
class Exchange {
  reader: RequestReader | null;
  readonly started = Time.ticks;
  phase = READING;
  head = '';
  out: string | ArrayBuffer = '';
  sent = 0;

  constructor(
    readonly server: PageServer,
    readonly socket: PageSocket,
  ) {
    this.reader = new RequestReader(server.maxValue, (name, size) => server.handler?.openProgram?.(name, size) ?? 'this board cannot run programs');
  }
}

function onListener(this: PageListener): void {
  try {
    this.server?.accept(this);
  } catch (e) {
    trace(`Setup page: cannot take a connection: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

function onSocket(this: PageSocket, message: number, value?: number): void {
  const x = this.exchange;
  if (!x) return;
  try {
    x.server.event(x, message, value ?? 0);
  } catch (e) {
    trace(`Setup page: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    x.server.drop(x);
  }
}

function onTick(timer: Timer & { server?: PageServer }): void {
  timer.server?.expire();
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export class PageServer {
  private listener: PageListener | null;
  private exchanges: Exchange[] = [];
  private timer: (Timer & { server?: PageServer }) | null = null;

  /** `maxValue`: the longest value a setting may have on this board, in bytes. */
  constructor(
    port: number,
    public handler: HttpHandler | null,
    readonly maxConnections: number,
    readonly maxValue: number,
  ) {
    const l = new Listener({ port }) as PageListener;
    l.server = this;
    l.callback = onListener as (this: Listener) => void;
    this.listener = l;
  }

  accept(listener: PageListener): void {
    const s = new Socket({ listener }) as unknown as PageSocket;
    // At most maxConnections requests being read (each holds a line buffer): a new one closes the
    // oldest (an idle one, a slow one). Answers being sent hold little (the page is in flash), and
    // a browser asks for the page, its icon and /settings at once: two more of them are let in; past
    // those, the oldest connection of all goes (a client that does not read its answer).
    let reading = 0;
    for (const x of this.exchanges) if (x.phase === READING) reading++;
    if (reading >= this.maxConnections) this.drop(this.exchanges.find((x) => x.phase === READING) as Exchange);
    else if (this.exchanges.length >= this.maxConnections + 2) this.drop(this.exchanges[0]);
    const x = new Exchange(this, s);
    s.exchange = x;
    s.callback = onSocket;
    this.exchanges.push(x);
    if (!this.timer) {
      const t = Timer.repeat(onTick as (t: Timer) => void, 1000) as Timer & { server?: PageServer };
      t.server = this;
      this.timer = t;
    }
  }

  event(x: Exchange, message: number, value: number): void {
    if (message === 2) {
      // Bytes arrived (`value` of them): read a slice at a time; after the request, dropped.
      const s = x.socket;
      for (let left = value; left > 0 && x.socket.exchange; ) {
        const n = Math.min(left, READ_BYTES);
        const bytes = s.read(ArrayBuffer, n);
        left -= n;
        const r = x.reader;
        if (!r) continue;
        r.push(new Uint8Array(bytes));
        if (r.status) this.respond(x, r);
      }
    } else if (message === 3) this.write(x);
    else if (message < 0) this.drop(x);
  }

  private respond(x: Exchange, r: RequestReader): void {
    x.reader = null;
    const h = this.handler;
    let a: HttpResponse;
    if (r.status !== 200) a = problem(r.status, r.why);
    else if (!h) a = problem(503, 'setup mode is closed');
    else a = h.request({ method: r.method, path: r.path, body: '', form: r.form, program: r.program, origin: r.origin, host: r.host });
    const body = typeof a.body === 'string' ? a.body : (a.body.buffer as ArrayBuffer);
    const length = typeof body === 'string' ? body.length : body.byteLength;
    let head = `HTTP/1.1 ${a.status} ${REASONS[a.status] ?? 'Error'}\r\nconnection: close\r\ncontent-type: ${a.type}\r\ncontent-length: ${length}\r\n`;
    const more = a.headers ?? [];
    for (let i = 0; i + 1 < more.length; i += 2) head += `${more[i]}: ${more[i + 1]}\r\n`;
    x.head = `${head}\r\n`;
    x.out = r.method === 'HEAD' ? '' : body;
    x.sent = 0;
    x.phase = WRITING;
    this.write(x);
  }

  /** Writes what the socket has room for; once all went, the next call (the socket drained) closes. */
  private write(x: Exchange): void {
    if (x.phase === SENT) return this.drop(x);
    if (x.phase !== WRITING) return;
    const s = x.socket;
    let room = s.write();
    if (x.head) {
      if (room < x.head.length) return;
      s.write(x.head);
      room -= x.head.length;
      x.head = '';
    }
    const out = x.out,
      length = typeof out === 'string' ? out.length : out.byteLength;
    while (x.sent < length && room > 0) {
      const n = Math.min(room, WRITE_BYTES, length - x.sent);
      s.write(out.slice(x.sent, x.sent + n));
      x.sent += n;
      room -= n;
    }
    if (x.sent >= length) {
      x.out = '';
      x.phase = SENT;
    }
  }

  /** Closes the connections older than REQUEST_MS. */
  expire(): void {
    const now = Time.ticks;
    for (const x of this.exchanges.slice()) if (now - x.started > REQUEST_MS) this.drop(x);
  }

  drop(x: Exchange): void {
    const i = this.exchanges.indexOf(x);
    if (i >= 0) this.exchanges.splice(i, 1);
    const s = x.socket;
    if (s.exchange) {
      s.exchange = undefined;
      x.reader?.abandon(); // a program cut off: its slot dropped, the old program stays
      x.reader = null;
      x.out = '';
      try {
        s.close();
      } catch {
        /* closed */
      }
    }
    if (!this.exchanges.length && this.timer) {
      Timer.clear(this.timer);
      this.timer = null;
    }
  }

  close(): void {
    this.handler = null;
    for (const x of this.exchanges.slice()) this.drop(x);
    const l = this.listener;
    this.listener = null;
    if (l)
      try {
        l.close();
      } catch {
        /* closed */
      }
  }
}

function problem(status: number, message: string): HttpResponse {
  return { status, type: 'application/json; charset=utf-8', body: encodeUtf8(JSON.stringify({ ok: false, key: '', message })) };
}
