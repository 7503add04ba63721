// tools/build.mjs writes each output whole or not at all, and leaves an unchanged one alone: a
// command started while a build runs (or a test that builds while others run the command) never
// reads a half-written dist/cli.cjs. (CI once failed on that: `require(...).main is not a function`.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFiles } from '../../tools/build.mjs';

test('an output is replaced by a rename when it changes, and not touched when it does not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-build-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, 'entry.js');
  const outfile = join(dir, 'out', 'entry.cjs');
  const options = { entryPoints: [entry], outfile, bundle: true, format: 'cjs', platform: 'node', logLevel: 'silent', sourcemap: 'linked' };

  writeFileSync(entry, 'exports.main = () => 1;\n');
  await buildFiles(options);
  const first = statSync(outfile);
  assert.match(readFileSync(outfile, 'utf8'), /main/);

  await buildFiles(options);
  const again = statSync(outfile);
  assert.equal(again.mtimeMs, first.mtimeMs, 'the same output is not written again');
  assert.equal(again.ino, first.ino);

  writeFileSync(entry, 'exports.main = () => 2;\n');
  await buildFiles(options);
  const changed = statSync(outfile);
  // A new file renamed over the old: whoever has the old one open keeps reading it whole.
  assert.notEqual(changed.ino, first.ino, 'the changed output is a new file, not the old one rewritten');
  assert.match(readFileSync(outfile, 'utf8'), /=> 2/);
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['entry.cjs', 'entry.cjs.map'], 'no part file left behind');
});
