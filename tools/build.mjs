#!/usr/bin/env node
// Builds every JavaScript output with esbuild:
//   dist/index.js      the library: the names hosts/node/index.ts lists (the client, the codec, the
//                      Node host, the simulated board…), for other projects, the benchmark and the tests
//   dist/cli.cjs       the mqtt-pair command (tools/mqtt-pair.cjs runs it)
//   dist/testing.js    what the tests drive directly (tools/testing.ts); not in the package
//   dist/aedes.js      the embedded broker (Aedes, and ws for its WebSocket), bundled whole: the packed
//                      command depends on nothing
//   build/moddable/main.js   the firmware module that manifest.json names (Moddable modules stay external)
//   build/client.min.js      the client alone, minified, to measure what ships
//   (the class page and the students' page, tools/web/class and tools/web/student: each script is
//   bundled for browsers and each style minified, and with the markup they are built into the
//   command as strings, CLASS_HTML, CLASS_CSS, CLASS_JS and STUDENT_…: the installed command serves
//   them with no file beside it)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { buildSetupPage } from './setup-page.mjs';
import { programSource } from './programs/source.mjs';
import { builtinRoles } from './programs/role-module.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Modules the Moddable SDK (or manifest.json, for mqtt-pair/*) provides at mcconfig time.
export const moddableModules = [
  'timer',
  'time',
  'socket',
  'wifi',
  'net',
  'mc/config',
  'mqtt-pair/chip',
  'mqtt-pair/meter',
  'embedded:io/system',
  'securesocket',
  'Resource',
  'websocket',
  'dns',
  'sntp',
  'modules',
  'preference',
  'dns/server',
];
// And what hosts/moddable/devices.ts may import for a board's sensor, buttons and LED (docs/flashing.md, section 8).
moddableModules.push('pins/*', 'embedded:*');
// (programSource: a built-in role's program as the text the students' page shows, tools/programs/source.mjs;
// builtinRoles: the same program as the module the board runs, tools/programs/role-module.mjs: one
// state a board where many share a process, the module's own on an XS machine, which runs one board.)
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [programSource, builtinRoles('factory')],
};
/** The plugins of a firmware's bundle (the board's, xsnap's, the benchmark's heap profile). */
export const firmwarePlugins = [programSource, builtinRoles('module')];

/** A page's three files, tools/web/<name>/{index.html, <name>.css, <name>.ts}, as esbuild defines:
 *  { CLASS_HTML, CLASS_CSS, CLASS_JS } for 'class'. */
async function buildPage(name) {
  const dir = `tools/web/${name}`;
  const browser = { ...common, write: false, platform: 'browser', minify: true };
  const [js, css] = await Promise.all([
    build({ ...browser, entryPoints: [`${dir}/${name}.ts`], format: 'iife', target: 'es2022' }),
    build({ ...browser, entryPoints: [`${dir}/${name}.css`] }),
  ]);
  const NAME = name.toUpperCase();
  return {
    [`${NAME}_HTML`]: JSON.stringify(readFileSync(join(root, dir, 'index.html'), 'utf8')),
    [`${NAME}_CSS`]: JSON.stringify(css.outputFiles[0].text),
    [`${NAME}_JS`]: JSON.stringify(js.outputFiles[0].text),
  };
}

/** The Worker a student's program runs in, served as /student-program.js: strict throughout, so
 *  that no function of ours hands the program the global object as its `this`. */
async function buildProgramWorker() {
  const out = await build({
    ...common,
    write: false,
    platform: 'browser',
    minify: true,
    format: 'iife',
    target: 'es2022',
    entryPoints: ['tools/web/student/program-worker.ts'],
    banner: { js: '"use strict";' },
  });
  return JSON.stringify(out.outputFiles[0].text);
}

/** The program editor (CodeMirror, tools/web/student/editor.ts), served as /student-editor.js: an ES
 *  module the students' page imports when its Program tab is first opened, so that the other tabs
 *  load without it (it is most of the page's weight). */
async function buildEditor() {
  const out = await build({
    ...common,
    write: false,
    platform: 'browser',
    minify: true,
    format: 'esm',
    target: 'es2022',
    entryPoints: ['tools/web/student/editor.ts'],
  });
  return JSON.stringify(out.outputFiles[0].text);
}

/** esbuild's build, its files written whole or not at all: each goes to a file of its own, then is
 *  renamed over the old one, and a file that has not changed is left alone. A command or a test that
 *  starts while a build runs (`npm run build` beside `mqtt-pair sim`, a test that builds while others
 *  run) reads the old file or the new one, never a half-written one (which Node reads as a module
 *  with no exports: `main is not a function`). */
export async function buildFiles(options) {
  const result = await build({ ...options, write: false });
  for (const file of result.outputFiles) {
    if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) continue;
    mkdirSync(dirname(file.path), { recursive: true });
    const part = `${file.path}.${process.pid}.part`;
    writeFileSync(part, file.contents);
    renameSync(part, file.path);
  }
  return result;
}

export async function buildAll() {
  const has = (f) => existsSync(join(root, f));
  // What earlier builds wrote and this one does not (the command was dist/cli.js and its chunks).
  for (const old of ['chunks', 'cli.js', 'cli.js.map']) rmSync(join(root, 'dist', old), { recursive: true, force: true });
  const node = { index: 'hosts/node/index.ts', cli: 'tools/cli/main.ts', testing: 'tools/testing.ts' };
  const pages = {
    ...(await buildPage('class')),
    ...(await buildPage('student')),
    ...(await buildPage('setup')),
    ...(await buildPage('explorer')),
    STUDENT_PROGRAM_JS: await buildProgramWorker(),
    STUDENT_EDITOR_JS: await buildEditor(),
  };
  copyWebTools();
  // The board's setup page and the firmware's version, for the firmware and the Node bundle alike.
  const board = {
    SETUP_PAGE: JSON.stringify(await buildSetupPage(root)),
    MQTT_PAIR_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
  };
  const define = { ...pages, ...board };
  await Promise.all([
    // The library and, beside it in dist/, what the tests drive directly (dist/testing.js, not
    // packed): two entries of one build, each bundled whole. The embedded broker either may start
    // finds dist/aedes.js next to itself.
    buildFiles({
      ...common,
      entryPoints: { index: node.index, testing: node.testing },
      outdir: 'dist',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      packages: 'external',
      define,
    }),
    // The command, as one CommonJS file: Node starts a CommonJS command about 8 ms sooner than the
    // same code as ES modules (no module loader to set up, no ES wrappers of its own modules), and
    // a student runs it again and again. (What only sim, classroom, watch or chat need is compiled
    // by V8 only when it runs.)
    buildFiles({
      ...common,
      entryPoints: [node.cli],
      outfile: 'dist/cli.cjs',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      packages: 'external',
      define: { ...define, 'import.meta.url': '__moduleUrl' },
      banner: { js: 'const __moduleUrl = require("node:url").pathToFileURL(__filename).href;' },
    }),
    has('hosts/moddable/main.ts') &&
      buildFiles({
        ...common,
        plugins: firmwarePlugins,
        entryPoints: ['hosts/moddable/main.ts'],
        outfile: 'build/moddable/main.js',
        platform: 'neutral',
        target: 'es2022',
        external: moddableModules,
        define: board,
      }),
    has('hosts/xsnap/main.ts') &&
      buildFiles({
        ...common,
        plugins: firmwarePlugins,
        entryPoints: ['hosts/xsnap/main.ts'],
        outfile: 'build/xsnap/main.js',
        format: 'iife',
        platform: 'neutral',
        target: 'es2022',
        define: board, // the setup page (src/setup/page.ts), which the xsnap tests fetch as a board's
      }),
    // The same firmware with a student's program's API and sandbox: loaded only when a program runs.
    has('hosts/xsnap/program.ts') &&
      buildFiles({
        ...common,
        plugins: firmwarePlugins,
        entryPoints: ['hosts/xsnap/program.ts'],
        outfile: 'build/xsnap/program.js',
        format: 'iife',
        platform: 'neutral',
        target: 'es2022',
        define: board,
      }),
    buildFiles({ ...common, entryPoints: ['src/mqtt/client.ts'], outfile: 'build/client.min.js', platform: 'neutral', target: 'es2022', minify: true }),
    // The embedded broker and its WebSocket, packages and all: `npm pack` ships dist/ with no
    // dependency to install. (Their CommonJS modules require Node's own: an ESM bundle gets a
    // require of its own for them. ws's optional native helpers, bufferutil and utf-8-validate,
    // stay out: it does without them.)
    buildFiles({
      ...common,
      stdin: { contents: "export { Aedes } from 'aedes'; export { WebSocketServer } from 'ws';", resolveDir: root },
      outfile: 'dist/aedes.js',
      platform: 'node',
      target: 'node20',
      minify: true,
      external: ['bufferutil', 'utf-8-validate'],
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    }),
  ]);
}

/** ESP Web Tools' browser build (its install button and dialog, with esptool-js), copied whole into
 *  dist/esp-web-tools/ for `mqtt-pair setup --web`, which serves it: no CDN, nothing to fetch. Left
 *  alone when it holds the same files already (a set-up page being served keeps its files). */
function copyWebTools() {
  const pkg = join(root, 'node_modules', 'esp-web-tools');
  const from = join(pkg, 'dist', 'web');
  const to = join(root, 'dist', 'esp-web-tools');
  if (!existsSync(from)) return void rmSync(to, { recursive: true, force: true });
  const filesIn = (dir) =>
    readdirSync(dir, { recursive: true })
      .filter((f) => statSync(join(dir, f)).isFile())
      .sort();
  const source = (f) => (f === 'LICENSE' ? join(pkg, 'LICENSE') : join(from, f));
  const wanted = [...filesIn(from), 'LICENSE'].sort();
  const copied = existsSync(to) && filesIn(to).join('\n') === wanted.join('\n');
  if (copied && wanted.every((f) => readFileSync(join(to, f)).equals(readFileSync(source(f))))) return;
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  cpSync(source('LICENSE'), join(to, 'LICENSE'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildAll().catch((e) => {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  });
}
