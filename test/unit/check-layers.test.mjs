// tools/check-layers.mjs, the layer rules of ARCHITECTURE.md that `npm run lint` keeps: on small trees
// written here, it finds a circle, an arrow from a lower layer up, an arrow up between the parts of a
// layer, an unranked folder and a stale exception, and says nothing of a tree that keeps the rules.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXCEPTIONS, checkLayers } from '../../tools/check-layers.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tools', 'check-layers.mjs');
const dirs = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A tree of files { 'src/host.ts': 'text', … } in a new temporary folder. */
function tree(files) {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A tree that keeps every rule: each layer and part imports only below it. */
const good = {
  'src/host.ts': 'export interface Host { now(): number }\n',
  'src/mqtt/codec.ts': "import type { Host } from '../host';\nexport const CONNECT = 1;\n",
  'src/apps/board.ts': "import { CONNECT } from '../mqtt/codec.js';\nexport const b = CONNECT;\n",
  'hosts/node/host.ts': "import { b } from '../../src/apps/board';\nexport const h = b;\n",
  'tools/classroom/look.ts': "import { h } from '../../hosts/node/host';\nexport const reason = 'silent';\n",
  'tools/words/en.ts': "import { reason } from '../classroom/look';\nexport const words = { [reason]: 'silent' };\n",
  'tools/cli/main.ts': "import { words } from '../words/en';\nexport async function main() { return (await import('../view/web')).web(words); }\n",
  'tools/view/web.ts': "import { words } from '../words/en';\nexport const web = () => words;\n",
  'test/helpers/wait.mjs': 'export const LIMIT = 1;\n',
  'test/a.test.mjs': "import { LIMIT } from './helpers/wait.mjs';\nimport '../dist/index.js';\n",
};
const none = { exceptions: [] };

describe('check-layers', () => {
  test('a tree that keeps the rules has no problem', () => {
    assert.deepEqual(checkLayers(tree(good), none), []);
  });

  test('a circle, type-only imports included, is named file by file', () => {
    const root = tree({
      ...good,
      'src/mqtt/codec.ts': "import type { Message } from './client';\nexport const CONNECT = 1;\n",
      'src/mqtt/client.ts': "import { CONNECT } from './codec';\nexport type Message = { type: typeof CONNECT };\n",
    });
    assert.deepEqual(checkLayers(root, none), ['circle: src/mqtt/client.ts -> src/mqtt/codec.ts -> src/mqtt/client.ts']);
  });

  test('a circle across parts is named besides its arrow up', () => {
    const root = tree({ ...good, 'tools/classroom/look.ts': "import { words } from '../words/en';\nexport const reason = 'silent';\n" });
    const problems = checkLayers(root, none);
    assert.ok(problems.includes('circle: tools/classroom/look.ts -> tools/words/en.ts -> tools/classroom/look.ts'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('arrow up: tools/classroom/look.ts -> tools/words/en.ts: tools/classroom (rank 1)')));
  });

  test('a lower layer importing a higher one is an arrow up, a dynamic import too', () => {
    const root = tree({
      ...good,
      'src/apps/board.ts': "import { CONNECT } from '../mqtt/codec';\nexport const b = CONNECT;\nexport const later = () => import('../../hosts/node/host');\n",
      'hosts/node/sim.ts': "export { main } from '../../tools/cli/main';\n",
    });
    assert.deepEqual(checkLayers(root, none).sort(), [
      'arrow up: hosts/node/sim.ts -> tools/cli/main.ts: hosts/ is below tools/',
      'arrow up: src/apps/board.ts -> hosts/node/host.ts: src/ is below hosts/',
      'circle: hosts/node/host.ts -> src/apps/board.ts -> hosts/node/host.ts',
    ]);
  });

  test('inside a layer: a part imports only lower ranks, never one of its own rank', () => {
    const root = tree({
      ...good,
      'src/mqtt/topic.ts': "import { b } from '../apps/board';\nexport const t = b;\n",
      'tools/setup/roster.ts': "import { reason } from '../classroom/look';\nexport const r = reason;\n",
      'hosts/browser/host.ts': "import { h } from '../node/host';\nexport const x = h;\n",
    });
    assert.deepEqual(checkLayers(root, none).sort(), [
      'arrow up: hosts/browser/host.ts -> hosts/node/host.ts: hosts/browser (rank 0) may import only lower ranks, not hosts/node (rank 0)',
      'arrow up: src/mqtt/topic.ts -> src/apps/board.ts: src/mqtt (rank 1) may import only lower ranks, not src/apps (rank 2)',
      'arrow up: tools/setup/roster.ts -> tools/classroom/look.ts: tools/setup (rank 1) may import only lower ranks, not tools/classroom (rank 1)',
    ]);
  });

  test('an import in a comment or a string is not an arrow', () => {
    const root = tree({
      ...good,
      'src/host.ts': "// import { main } from '../tools/cli/main';\nexport const s = \"import '../tools/cli/main'\";\n",
    });
    assert.deepEqual(checkLayers(root, none), []);
  });

  test('an exception lets one arrow up through, and one that matches nothing is stale', () => {
    const root = tree({ ...good, 'tools/setup/roster.ts': "import { words } from '../words/en';\nexport const r = words;\n" });
    assert.deepEqual(checkLayers(root, { exceptions: [{ from: 'tools/setup/roster.ts', to: 'tools/words' }] }), []);
    assert.deepEqual(checkLayers(tree(good), { exceptions: [{ from: 'tools/setup/roster.ts', to: 'tools/words' }] }), [
      'stale exception: tools/setup/roster.ts -> tools/words no longer runs up: remove it from EXCEPTIONS in tools/check-layers.mjs',
    ]);
  });

  test("the domain words nothing: with the project's own exceptions (none), an import of words/ is an arrow up", () => {
    assert.deepEqual(EXCEPTIONS, []);
    const root = tree({ ...good, 'tools/classroom/pair.ts': "import { words } from '../words/en';\nexport const p = words;\n" });
    assert.deepEqual(checkLayers(root), [
      'arrow up: tools/classroom/pair.ts -> tools/words/en.ts: tools/classroom (rank 1) may import only lower ranks, not tools/words (rank 2)',
    ]);
  });

  test('a folder without a rank is named once', () => {
    const root = tree({ ...good, 'tools/newthing/a.ts': 'export const a = 1;\n', 'tools/newthing/b.ts': 'export const b = 2;\n' });
    assert.deepEqual(checkLayers(root, none), [
      'unranked: tools/newthing has no rank in tools/check-layers.mjs (RANKS): give it one, and a line in ARCHITECTURE.md',
    ]);
  });

  test('the command: one line a problem on stderr and exit 1; a line and exit 0 when all is well', () => {
    const bad = tree({ ...good, 'src/host.ts': "import { main } from '../tools/cli/main';\nexport interface Host { now(): number }\n" });
    const r = spawnSync(process.execPath, [script, bad], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.includes('check-layers: arrow up: src/host.ts -> tools/cli/main.ts: src/ is below tools/'), r.stderr);
    assert.ok(
      lines.every((l) => l.startsWith('check-layers: ')),
      r.stderr,
    );
    const ok = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^check-layers: \d+ files, no circle, no arrow up\n$/);
  });
});
