// The setup page's answers, sans-I/O: a request in, a response out. GET /settings and
// GET /networks are JSON for the page's script; POST /save takes the form; GET /program, POST
// /program (the text area's program, streamed into the store) and POST /program/clear are the
// board's program (src/setup/program-store.ts); every other GET is the
// page itself (hosts/moddable/setup-page/, built into the firmware as SETUP_PAGE), so that any
// address a phone tries on the board's access point opens it (a captive portal).

import type { HttpRequest, HttpResponse, WiFiNetwork } from './ports';
import type { SettingProblem, Settings } from './settings';
import { encodeUtf8 } from '../mqtt/codec';
import { FormScanner, MAX_FORM, originAllowed } from './http';
import type { ProgramInfo, ProgramWriter } from './program-store';

export { MAX_FORM };

/** The page: HTML with its style and script inline, ASCII only (built by tools/setup-page.mjs). */
declare const SETUP_PAGE: string;

/** What the page shows and does; the board's Setup gives it. */
export interface PageSite {
  /** The settings as shown (a password never, a broker's without it), where each comes from, and why setup mode is open. */
  view(): SetupView;
  networks(): { scanning: boolean; networks: WiFiNetwork[] };
  /** Checks and stores the form's settings, then restarts the board; or says what is wrong and stores nothing. */
  save(changes: Settings): SettingProblem | null;
  /** Whether this board runs programs, and the one it stores. */
  programView(): ProgramView;
  /** A program sent to POST /program, its bytes already in the store: checked, then kept (the board restarts) or dropped. */
  sentProgram(p: ProgramWriter | string | undefined): ProgramAnswer;
  /** Removes the stored program (the board restarts into its role). */
  clearedProgram(): ProgramAnswer;
}

export interface ProgramView {
  /** false on a firmware without the JavaScript parser (the ESP8266's): the page hides the text area. */
  programs: boolean;
  program: ProgramInfo | null;
  /** The largest program, in UTF-8 bytes. */
  max: number;
}

/** A program sent or cleared: `code` and `values` let the page word a refusal in its language. */
export interface ProgramAnswer {
  ok: boolean;
  message?: string;
  /** 'large' [max], 'utf8', 'syntax' [line, column, error], 'none' (no program to clear), or '' */
  code?: string;
  values?: string[];
  program?: ProgramInfo | null;
}

export interface SetupView {
  device: string;
  reason: string;
  /** The reason as a code and its values (['wifi', '5', 'Salle204']): the page words it in its language. */
  why: string[];
  /** The longest value the board stores, in bytes. */
  maxBytes: number;
  settings: { key: string; value: string; source: string }[];
  missing: string[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
// The answers change with each scan and save: no cache, and the page is never framed.
const HEADERS = ['cache-control', 'no-store', 'x-frame-options', 'DENY'];

export function answer(site: PageSite, r: HttpRequest): HttpResponse {
  const q = r.path.indexOf('?');
  const path = q < 0 ? r.path : r.path.slice(0, q);
  if (r.method === 'POST' && path === '/save') {
    if (!originAllowed(r.origin, r.host)) return json(403, { ok: false, key: '', message: 'a form from another site: open this page from the board' });
    return save(site, r.form ?? parseForm(r.body));
  }
  if (r.method === 'POST' && (path === '/program' || path === '/program/clear')) {
    if (!originAllowed(r.origin, r.host))
      return json(403, { ok: false, code: 'origin', message: 'a program from another site: open this page from the board' });
    const a = path === '/program' ? site.sentProgram(r.program) : site.clearedProgram();
    return json(a.ok ? 200 : 400, a);
  }
  if (r.method !== 'GET' && r.method !== 'HEAD') return json(405, { ok: false, message: `${r.method} is not a method of this page: GET it, POST /save` });
  // (Every other GET is the page, but a browser's icon: 16 KB for nothing, on a small board.)
  if (path === '/favicon.ico') return { status: 404, type: 'text/plain; charset=utf-8', body: '', headers: HEADERS };
  if (path === '/settings') return json(200, site.view());
  if (path === '/networks') return json(200, site.networks());
  if (path === '/program') return json(200, site.programView());
  return { status: 200, type: 'text/html; charset=utf-8', body: SETUP_PAGE, headers: HEADERS };
}

/** What a request gets once the page closed (the board joined a network over USB). */
export function closedAnswer(): HttpResponse {
  return json(503, { ok: false, key: '', message: 'the setup page is closed: the board is being set up over USB' });
}

function json(status: number, value: unknown): HttpResponse {
  return { status, type: JSON_TYPE, body: encodeUtf8(JSON.stringify(value)), headers: HEADERS };
}

function save(site: PageSite, form: Settings | string): HttpResponse {
  if (typeof form === 'string') return json(400, { ok: false, key: '', message: form });
  const problem = site.save(form);
  return problem ? json(400, { ok: false, key: problem.key, message: problem.message, code: problem.code }) : json(200, { ok: true });
}

/**
 * A form's fields (application/x-www-form-urlencoded) that are settings, or why the form cannot
 * be read. A field sent twice, or a name that is not a setting, is an error: nothing is stored.
 * (The board scans its forms as they arrive, with the same FormScanner: src/setup/http.ts.)
 */
export function parseForm(body: string, maxValue = MAX_FORM): Settings | string {
  if (body.length > MAX_FORM) return `the form is ${body.length} bytes long: at most ${MAX_FORM}`;
  const scanner = new FormScanner(Math.min(maxValue, body.length)); // no value is longer than the body
  scanner.push(encodeUtf8(body));
  return scanner.end();
}
