// The setup page's HTTP, sans-I/O: a request read as its bytes arrive, in memory that does not grow
// with what a client sends (a line that never ends, a thousand headers, a form of a thousand `&`),
// the form scanned field by field as it arrives, and the Origin rule against cross-site forms. The
// board's server (hosts/moddable/setup-server.ts) feeds it a socket's bytes and answers.

import { decodeUtf8 } from '../mqtt/codec';
import { MAX_PROGRAM_BYTES, type ProgramWriter } from './program-store';
import { SETTINGS, type Settings } from './settings';

/** The request line at most, in bytes (the captive portals' probes are short paths): longer is 414. */
export const MAX_LINE = 512;
/** The request line and headers at most, in bytes: more is 431. */
export const MAX_HEAD = 8192;
/** The most a form may send, in bytes: every setting at its longest, percent-encoded, fits. */
export const MAX_FORM = 8192;
/** How long a connection may take, from its first byte to its answer sent, in ms: then it is closed. */
export const REQUEST_MS = 10000;
/** The longest setting's name, in bytes; a longer field name is not a setting. */
const MAX_NAME = 16;

/**
 * Content-Length's value as a number: digits only (no sign, no space inside, no `x`, no exponent),
 * at most 9 of them; -1 for anything else. (Number('') is 0 and Number('5e7x') NaN, which passes
 * a `> limit` test: neither is used.)
 */
export function contentLength(text: string): number {
  if (!text || text.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Whether a request that changes something may come from where it says: no Origin header (a tool,
 * an old browser), or the page's own, `http://` and the Host it was asked by. Any other (another
 * site's form, "null" from a sandbox or a file) is refused: a form from elsewhere must not store a
 * WiFi, a broker and a role and restart the board.
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  return origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

const IN_NAME = 0,
  IN_VALUE = 1,
  STOPPED = 2;

/**
 * An application/x-www-form-urlencoded form read byte by byte: each field's name and value decoded
 * into one buffer of `maxValue` bytes, and kept only when it is a setting. Memory: that buffer and
 * the settings, whatever the form's length or number of `&`. A field sent twice, a name that is not
 * a setting, a value longer than `maxValue` bytes, a broken escape or text that is not UTF-8 is an
 * error: nothing is stored.
 */
export class FormScanner {
  private buf: Uint8Array;
  private n = 0;
  private state = IN_NAME;
  /** Inside a %-escape: 0 no, 1 after `%`, 2 after its first digit. */
  private escape = 0;
  private high = 0;
  private name = '';
  private problem = '';
  readonly fields: Settings = {};

  constructor(readonly maxValue: number) {
    this.buf = new Uint8Array(Math.max(MAX_NAME, maxValue));
  }

  /** Bytes of the form, `start` to `end`. */
  push(b: Uint8Array, start = 0, end = b.length): void {
    for (let i = start; i < end && this.state !== STOPPED; i++) this.byte(b[i]);
  }

  /** The form's end: its settings, or why it cannot be read. */
  end(): Settings | string {
    if (this.state !== STOPPED) {
      if (this.escape) this.stop('the form holds text that is not valid UTF-8');
      else this.field();
    }
    return this.problem || this.fields;
  }

  private stop(why: string): void {
    this.problem = why;
    this.state = STOPPED;
  }

  private byte(c: number): void {
    if (this.escape) {
      const d = hex(c);
      if (d < 0) return this.stop('the form holds text that is not valid UTF-8');
      if (this.escape === 1) {
        this.high = d;
        this.escape = 2;
        return;
      }
      this.escape = 0;
      return this.keep((this.high << 4) | d);
    }
    if (c === 0x26) return this.field(); // &
    if (c === 0x3d && this.state === IN_NAME) {
      // =
      this.name = this.text();
      if (this.problem) return;
      if (!SETTINGS.some((f) => f.key === this.name)) return this.stop(`the form has a field "${this.name}" that is not a setting`);
      if (this.name in this.fields) return this.stop(`the form has the field ${this.name} twice`);
      this.state = IN_VALUE;
      return;
    }
    if (c === 0x25) {
      // %
      this.escape = 1;
      return;
    }
    this.keep(c === 0x2b ? 0x20 : c);
  }

  private keep(c: number): void {
    const limit = this.state === IN_NAME ? MAX_NAME : this.maxValue;
    if (this.n >= limit) {
      if (this.state === IN_NAME) return this.stop(`the form has a field "${this.safeText()}..." that is not a setting`);
      return this.stop(`${this.name} is more than ${this.maxValue} bytes long: this board stores at most ${this.maxValue}`);
    }
    this.buf[this.n++] = c;
  }

  /** A field ends (`&`, or the form's end): a value is kept; an empty field (`&&`) is nothing. */
  private field(): void {
    if (this.state === IN_NAME) {
      if (!this.n) return;
      // A name without `=`: a setting set to ''.
      const name = this.text();
      if (this.problem) return;
      if (!SETTINGS.some((f) => f.key === name)) return this.stop(`the form has a field "${name}" that is not a setting`);
      if (name in this.fields) return this.stop(`the form has the field ${name} twice`);
      this.fields[name] = '';
      return;
    }
    const value = this.text();
    if (this.problem) return;
    this.fields[this.name] = value;
    this.state = IN_NAME;
  }

  /** The buffer as text, emptied; not UTF-8 stops the form. */
  private text(): string {
    const n = this.n;
    this.n = 0;
    try {
      return decodeUtf8(this.buf, 0, n);
    } catch {
      this.stop('the form holds text that is not valid UTF-8');
      return '';
    }
  }

  /** A name too long to be a setting, shown as ASCII (for the message only). */
  private safeText(): string {
    let s = '';
    for (let i = 0; i < this.n && i < MAX_NAME; i++) {
      const c = this.buf[i];
      s += c >= 0x20 && c < 0x7f && c !== 0x22 ? String.fromCharCode(c) : '?';
    }
    return s;
  }
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/**
 * Opens a program sent to POST /program?name=NAME (its body the text, `size` bytes): the writer its
 * bytes go to as they arrive, or why the board takes none.
 */
export type OpenProgram = (name: string, size: number) => ProgramWriter | string;

/** The `name` of a path's query (`/program?name=esp1.js`), percent-decoded; '' when none or not UTF-8. */
export function queryName(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return '';
  for (const field of path.slice(q + 1).split('&')) {
    if (!field.startsWith('name=')) continue;
    try {
      return decodeURIComponent(field.slice(5).replace(/\+/g, ' '));
    } catch {
      return '';
    }
  }
  return '';
}

const LINE = 0,
  NAME = 1,
  VALUE = 2,
  BODY = 3,
  DONE = 4;
// The headers read; the others are skipped as they arrive, never kept.
const WANTED = ['host', 'origin', 'content-length', 'transfer-encoding'];

/**
 * One HTTP/1.x request read from a connection's bytes as they arrive. What is kept: the request
 * line (at most MAX_LINE bytes), the value of Host, Origin and Content-Length (each at most
 * MAX_LINE), a POST /save's form, scanned (FormScanner), and a POST /program's text, written to
 * the store as it comes (OpenProgram; MAX_PROGRAM_BYTES). Anything else is counted (MAX_HEAD,
 * MAX_FORM) and dropped. `status` is 0 while it reads, then 200 when the request is whole, or the
 * error to answer (400, 403, 413, 414, 431, 501) with `why`.
 */
export class RequestReader {
  method = '';
  path = '';
  host: string | undefined;
  origin: string | undefined;
  /** The form, for a POST /save from the page's own origin, once the request is whole. */
  form: Settings | string | undefined;
  /** The program, for a POST /program from the page's own origin: written as it came, or why not. */
  program: ProgramWriter | string | undefined;
  status = 0;
  why = '';
  private state = LINE;
  private line: Uint8Array = new Uint8Array(MAX_LINE);
  private n = 0;
  private headBytes = 0;
  /** The header being read: its index in WANTED, -1 for one skipped. */
  private header = -1;
  private lengthText: string | undefined;
  private left = 0;
  private scanner: FormScanner | null = null;

  /** `maxValue`: the longest value a setting may have on this board, in bytes; `openProgram`: where a program goes (none: the board runs none). */
  constructor(
    readonly maxValue: number,
    private readonly openProgram?: OpenProgram,
  ) {}

  /** Reads bytes of the connection; returns how many it took (the rest comes after the request). */
  push(b: Uint8Array, start = 0, end = b.length): number {
    let i = start;
    while (i < end && this.status === 0) {
      if (this.state === BODY) {
        const n = Math.min(this.left, end - i);
        this.scanner?.push(b, i, i + n);
        if (typeof this.program === 'object') this.program.push(b, i, i + n);
        this.left -= n;
        i += n;
        if (!this.left) this.finish();
        continue;
      }
      this.headByte(b[i++]);
    }
    return i - start;
  }

  /** The connection went before the request was whole: a program that came in part is dropped. */
  abandon(): void {
    if (typeof this.program === 'object') this.program.abandon();
    this.program = undefined;
  }

  private fail(status: number, why: string): void {
    this.status = status;
    this.why = why;
    this.state = DONE;
    this.scanner = null;
    if (typeof this.program === 'object') this.program.abandon();
    this.program = undefined;
  }

  private headByte(c: number): void {
    if (++this.headBytes > MAX_HEAD) return this.fail(431, `the request's headers are longer than ${MAX_HEAD} bytes`);
    if (this.state === LINE) {
      if (c === 10) return this.requestLine();
      if (this.n >= MAX_LINE) return this.fail(414, `the request line is longer than ${MAX_LINE} bytes`);
      this.line[this.n++] = c;
      return;
    }
    if (this.state === NAME) {
      if (c === 10) {
        if (this.n === 0 || (this.n === 1 && this.line[0] === 13)) return this.headersEnd();
        return this.fail(400, 'a header line without ":"');
      }
      if (c === 0x3a) {
        // :
        this.header = this.n <= 20 ? WANTED.indexOf(this.ascii(0, this.n).toLowerCase()) : -1;
        this.n = 0;
        this.state = VALUE;
        return;
      }
      // A name is kept up to 20 bytes (the longest wanted is 17), then only counted.
      if (this.n < 21) this.line[this.n] = c;
      this.n++;
      return;
    }
    // VALUE
    if (c === 10) {
      if (this.header >= 0) this.headerValue(this.ascii(0, this.n).trim());
      this.n = 0;
      if (this.state === VALUE) this.state = NAME;
      return;
    }
    if (this.header < 0) return;
    if (this.n >= MAX_LINE) return this.fail(431, `the header ${WANTED[this.header]} is longer than ${MAX_LINE} bytes`);
    this.line[this.n++] = c;
  }

  /** Bytes as text, one character a byte (what a header's value holds is ASCII). */
  private ascii(from: number, to: number): string {
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(this.line[i]);
    return s;
  }

  private requestLine(): void {
    let n = this.n;
    if (n && this.line[n - 1] === 13) n--;
    this.n = 0;
    if (!n) return; // (blank lines before a request are allowed, and counted)
    let text: string;
    try {
      text = decodeUtf8(this.line, 0, n);
    } catch {
      return this.fail(400, 'the request line is not UTF-8');
    }
    const a = text.indexOf(' '),
      b = text.lastIndexOf(' ');
    const version = text.slice(b + 1);
    if (a <= 0 || b <= a + 1 || (version !== 'HTTP/1.1' && version !== 'HTTP/1.0')) return this.fail(400, 'the request line is not "METHOD /path HTTP/1.1"');
    this.method = text.slice(0, a);
    this.path = text.slice(a + 1, b);
    this.state = NAME;
  }

  private headerValue(value: string): void {
    const h = this.header;
    if (h === 0 || h === 1 || h === 2) {
      if ((h === 0 ? this.host : h === 1 ? this.origin : this.lengthText) !== undefined) return this.fail(400, `the header ${WANTED[h]} is sent twice`);
      if (h === 0) this.host = value;
      else if (h === 1) this.origin = value;
      else this.lengthText = value;
      return;
    }
    this.fail(501, 'a request body in chunks (Transfer-Encoding) is not read here');
  }

  private headersEnd(): void {
    this.n = 0;
    // The line buffer is no longer needed: only the form's scanner remains.
    this.line = new Uint8Array(0);
    const q = this.path.indexOf('?');
    const route = this.method === 'POST' ? (q < 0 ? this.path : this.path.slice(0, q)) : '';
    // A program has its own limit (docs/programs.md), and comes with its length: never an endless body.
    const program = route === '/program';
    let length = 0;
    if (this.lengthText !== undefined) {
      length = contentLength(this.lengthText);
      if (length < 0) return this.fail(400, 'Content-Length is not a number of bytes');
      if (program && length > MAX_PROGRAM_BYTES) return this.fail(413, `the program is larger than ${MAX_PROGRAM_BYTES} bytes`);
      if (!program && length > MAX_FORM) return this.fail(413, `the form is larger than ${MAX_FORM} bytes`);
    } else if (program) return this.fail(400, 'a program comes with its Content-Length');
    if (route === '/save' && originAllowed(this.origin, this.host)) this.scanner = new FormScanner(this.maxValue);
    if (program && originAllowed(this.origin, this.host))
      this.program = this.openProgram ? this.openProgram(queryName(this.path), length) : 'this board cannot run programs';
    this.left = length;
    this.state = BODY;
    if (!length) this.finish();
  }

  private finish(): void {
    if (this.scanner) this.form = this.scanner.end();
    this.scanner = null;
    this.state = DONE;
    this.status = 200;
  }
}
