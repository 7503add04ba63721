#!/usr/bin/env node
// The layer rules of ARCHITECTURE.md, kept by the machine (`npm run lint` runs this):
//   - no import circle between the project's files (type-only imports count: a circle of types is
//     still two files that cannot be understood one without the other);
//   - no arrow up: src/ < hosts/ < tools/ < test/, and inside src/ and tools/ each part (a folder,
//     or a file at the layer's root) imports only parts of a lower rank (RANKS below). Parts of the
//     same rank are independent: neither imports the other (so no host imports another). Inside
//     test/, anything goes but a circle.
// A part that RANKS does not name is an error too: a new folder takes its place in the table (and in
// ARCHITECTURE.md) before it lands.
//   node tools/check-layers.mjs          checks this repository; exit 1 with one line a problem
//   node tools/check-layers.mjs DIR      checks the tree under DIR (the tests' small fixtures)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The layers, lowest first: a file imports only its own layer or a lower one. */
export const LAYERS = ['src', 'hosts', 'tools', 'test'];

/**
 * Inside a layer, each part's rank: an import from one part to another goes to a lower rank. A part
 * is a layer's first-level folder, or a file at its root with its extension dropped (so that
 * tools/bench.mjs and tools/bench/ are one part, as are tools/mosquitto.mjs and tools/mosquitto/).
 * A layer without a table here (test) has no order inside.
 */
export const RANKS = {
  src: {
    host: 0, // the interface to the world (src/host.ts)
    endpoint: 1, // broker URLs
    mqtt: 1, // codec, topics, client
    apps: 2, // the firmware: config, board, roles
    setup: 3, // run-time setup (Improv, settings, setup page)
    program: 3, // a student's program, beside setup (src/program/, when it lands)
  },
  // Each over src/ alone: no host imports another.
  hosts: { browser: 0, moddable: 0, node: 0, xsnap: 0 },
  tools: {
    'usage-error': 0, // the one error for bad input
    broker: 1, // the domain: facts and codes, no words
    classroom: 1,
    explorer: 1,
    image: 1,
    mosquitto: 1,
    programs: 1, // the example programs (plain data), which the pages and the tools offer
    setup: 1,
    words: 2, // every line a person reads, keyed by the domain's codes
    harness: 2, // the brokers' and boards' test harness, which test/ and the benchmark both use
    web: 3, // the pages, bundled for browsers
    view: 4, // the local servers and the terminal's table
    cli: 5, // the command
    testing: 6, // dist/testing.js: what the tests drive directly
    'check-layers': 6, // this file, run by npm run lint
    'setup-page': 6, // the build's helpers and scripts, run by npm
    build: 7,
    bench: 8,
    'mqtt-pair': 8, // the installed command's launcher: it runs build.mjs when dist/ is missing
  },
};

/**
 * Arrows that run up today, each to be removed by the change named beside it; an exception that no
 * longer matches any import is reported, so that the list only shrinks. `to` is a part.
 */
export const EXCEPTIONS = [];

const SOURCE = /\.(ts|mts|cts|mjs|cjs|js)$/;
const TRY = ['', '.ts', '.mts', '.mjs', '.js', '.cjs', '/index.ts', '/index.mjs', '/index.js'];

/** Every source file of the layers under `root` (no declarations, no node_modules, no fixtures). */
function sources(root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'fixtures') walk(path);
      } else if (SOURCE.test(name) && !name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const layer of LAYERS) if (existsSync(join(root, layer))) walk(join(root, layer));
  return files;
}

/** The file a relative specifier names, as esbuild and TypeScript find it ('./x.js' may be x.ts). */
function resolveSpecifier(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const ext of TRY) {
    const p = base + ext;
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  const ts = base.replace(/\.m?js$/, (e) => (e === '.mjs' ? '.mts' : '.ts'));
  return existsSync(ts) ? ts : null;
}

/** What a file imports of the project: static and dynamic imports, re-exports, require(). */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** Where a file is: its layer, and its part inside the layer. */
function place(root, file) {
  const [layer, first, ...rest] = relative(root, file).split(sep);
  return { layer, part: rest.length ? first : first.replace(/\.[^.]+$/, '') };
}

/** The graph of the tree under `root`: relative path -> relative paths it imports. */
export function importGraph(dir) {
  const root = resolve(dir);
  const files = sources(root);
  const known = new Set(files);
  const graph = new Map();
  for (const f of files) {
    const to = new Set();
    for (const spec of importsOf(f)) {
      const t = resolveSpecifier(f, spec);
      // A built file (dist/, build/) or a page's stylesheet is not a source file: not an arrow.
      if (t && known.has(t)) to.add(relative(root, t).split(sep).join('/'));
    }
    graph.set(relative(root, f).split(sep).join('/'), to);
  }
  return graph;
}

/** Every problem of the tree under `root`, one line each; none when the rules hold. */
export function checkLayers(dir, { ranks = RANKS, exceptions = EXCEPTIONS } = {}) {
  const root = resolve(dir);
  const graph = importGraph(root);
  const problems = [];
  const used = new Set();
  const at = (f) => place(root, join(root, f));
  const unranked = new Set();
  for (const [from, tos] of graph) {
    const a = at(from);
    const table = ranks[a.layer];
    if (table && !(a.part in table) && !unranked.has(`${a.layer}/${a.part}`)) {
      unranked.add(`${a.layer}/${a.part}`);
      problems.push(`unranked: ${a.layer}/${a.part} has no rank in tools/check-layers.mjs (RANKS): give it one, and a line in ARCHITECTURE.md`);
    }
    for (const to of tos) {
      const b = at(to);
      const la = LAYERS.indexOf(a.layer),
        lb = LAYERS.indexOf(b.layer);
      let why = '';
      if (lb > la) why = `${a.layer}/ is below ${b.layer}/`;
      else if (lb === la && a.part !== b.part && table) {
        const ra = table[a.part] ?? 0,
          rb = table[b.part] ?? 0;
        if (rb >= ra) why = `${a.layer}/${a.part} (rank ${ra}) may import only lower ranks, not ${b.layer}/${b.part} (rank ${rb})`;
      }
      if (!why) continue;
      const e = exceptions.findIndex((x) => x.from === from && x.to === `${b.layer}/${b.part}`);
      if (e >= 0) used.add(e);
      else problems.push(`arrow up: ${from} -> ${to}: ${why}`);
    }
  }
  exceptions.forEach((x, i) => {
    if (!used.has(i)) problems.push(`stale exception: ${x.from} -> ${x.to} no longer runs up: remove it from EXCEPTIONS in tools/check-layers.mjs`);
  });
  for (const c of circles(graph)) problems.push(`circle: ${c.join(' -> ')} -> ${c[0]}`);
  return problems;
}

/** The import circles (strongly connected groups of two files or more, or a file importing itself),
 *  each as a path through its files. Tarjan's algorithm, iterative: no recursion to overflow. */
export function circles(graph) {
  let next = 0;
  const index = new Map(),
    low = new Map(),
    stack = [],
    onStack = new Set(),
    found = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [[start, [...graph.get(start)], 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, out] = frame;
      if (frame[2] < out.length) {
        const w = out[frame[2]++];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, [...(graph.get(w) ?? [])], 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length) {
        const u = work[work.length - 1][0];
        low.set(u, Math.min(low.get(u), low.get(v)));
      }
      if (low.get(v) !== index.get(v)) continue;
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v)?.has(v)) found.push(pathThrough(graph, new Set(group)));
    }
  }
  return found;
}

/** One circle through a strongly connected group, to print: from its first file (by name), along
 *  arrows inside the group, back to where it closes. */
function pathThrough(graph, group) {
  const first = [...group].sort()[0];
  const path = [first];
  const seen = new Set(path);
  for (;;) {
    const here = path[path.length - 1];
    const to = [...graph.get(here)].filter((t) => group.has(t)).sort();
    const onward = to.find((t) => !seen.has(t));
    if (!onward) {
      // Closes on a file of the path: start the circle there.
      return path.slice(path.indexOf(to.find((t) => seen.has(t)) ?? first));
    }
    path.push(onward);
    seen.add(onward);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ? resolve(process.argv[2]) : join(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkLayers(root);
  for (const p of problems) console.error(`check-layers: ${p}`);
  if (problems.length) process.exit(1);
  console.log(`check-layers: ${importGraph(root).size} files, no circle, no arrow up`);
}
