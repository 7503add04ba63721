// The pages' files as the command serves them: the class page (/, /class.css, /class.js), the
// explorer's, the set-up page's and the students' page (/student, /student.css, /student.js).
// tools/build.mjs puts each file in as a string (the scripts bundled by esbuild, the styles
// minified): the installed command serves them with no file beside it. Each page's CSP runs only its own script and style, nothing inline.

import { TIMER_WORKER_JS } from '../../hosts/browser/timer-worker';
import type { StudentPageConfig } from './student/config';

export type { StudentPageConfig } from './student/config';

// Put in by tools/build.mjs (esbuild's define).
declare const CLASS_HTML: string;
declare const CLASS_CSS: string;
declare const CLASS_JS: string;
declare const EXPLORER_HTML: string;
declare const EXPLORER_CSS: string;
declare const EXPLORER_JS: string;
declare const SETUP_HTML: string;
declare const SETUP_CSS: string;
declare const SETUP_JS: string;
declare const STUDENT_HTML: string;
declare const STUDENT_CSS: string;
declare const STUDENT_JS: string;
declare const STUDENT_PROGRAM_JS: string;
declare const STUDENT_EDITOR_JS: string;

/** A file of a page: its body and the headers that say what it is (and, for the markup, its CSP). */
export interface PageFile {
  headers: Record<string, string>;
  body: string;
}

/** The class page reads /events and posts its stop and start buttons to its own server. */
export const CLASS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The explorer reads /events and posts its clears to its own server, like the class page. */
export const EXPLORER_CSP = CLASS_CSP;
/** The set-up page runs only its own script and ESP Web Tools' (served beside it), and talks only
 *  to its own server. */
export const SETUP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The students' page talks to the broker's WebSocket, wherever the teacher's settings say it is. */
export const STUDENT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src ws: wss:; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The Worker a student's program runs in (tools/web/student/program-worker.ts): it evaluates the
 *  program's text, so its own CSP allows eval, for this Worker alone (a Worker's CSP is the one its
 *  script comes with), and loads nothing, not even a script of ours. The page's CSP stays without. */
export const PROGRAM_WORKER_CSP = "default-src 'none'; script-src 'unsafe-eval'";

const html = (body: string, csp: string): PageFile => ({
  headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'referrer-policy': 'no-referrer' },
  body,
});
const css = (body: string): PageFile => ({ headers: { 'content-type': 'text/css; charset=utf-8' }, body });
const js = (body: string): PageFile => ({ headers: { 'content-type': 'text/javascript; charset=utf-8' }, body });

/** The class page's files, by path. */
export const CLASS_FILES: ReadonlyMap<string, PageFile> = new Map([
  ['/', html(CLASS_HTML, CLASS_CSP)],
  ['/index.html', html(CLASS_HTML, CLASS_CSP)],
  ['/class.css', css(CLASS_CSS)],
  ['/class.js', js(CLASS_JS)],
]);

/** The explorer's files, by path (mqtt-pair explore). */
export const EXPLORER_FILES: ReadonlyMap<string, PageFile> = new Map([
  ['/', html(EXPLORER_HTML, EXPLORER_CSP)],
  ['/index.html', html(EXPLORER_HTML, EXPLORER_CSP)],
  ['/explorer.css', css(EXPLORER_CSS)],
  ['/explorer.js', js(EXPLORER_JS)],
]);

/** The class set-up page's files, by path (mqtt-pair setup --web). */
export const SETUP_FILES: ReadonlyMap<string, PageFile> = new Map([
  ['/', html(SETUP_HTML, SETUP_CSP)],
  ['/setup.css', css(SETUP_CSS)],
  ['/setup.js', js(SETUP_JS)],
]);

/** The students' page's files, by path, with `config` in its markup as JSON data: `<` is escaped
 *  there, so that no value can close the block. */
export function studentFiles(config: StudentPageConfig): ReadonlyMap<string, PageFile> {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const page = html(
    STUDENT_HTML.replace('__CONFIG__', () => json),
    STUDENT_CSP,
  );
  return new Map([
    ['/student', page],
    ['/student/', page],
    ['/student.css', css(STUDENT_CSS)],
    ['/student.js', js(STUDENT_JS)],
    ['/student-timers.js', js(TIMER_WORKER_JS)],
    // The program editor, imported by the page when its Program tab is first opened.
    ['/student-editor.js', js(STUDENT_EDITOR_JS)],
    ['/student-program.js', { headers: { ...js(STUDENT_PROGRAM_JS).headers, 'content-security-policy': PROGRAM_WORKER_CSP }, body: STUDENT_PROGRAM_JS }],
  ]);
}
