// What a teacher or a student reads names the course material by what it is (« le tutoriel
// MicroPython », « l'activité 2 du lycée »), never by our internal words (« seed 000 »), and no
// folder of ours they do not have (../shared, /work/…): the docs, the README and every --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const INTERNAL = [/\bseeds?\b/i, /\.\.\/shared\b/, /\/work\//, /\bworkplace\b/i];

function assertClean(text, where) {
  for (const re of INTERNAL) {
    const line = text.split('\n').find((l) => re.test(l));
    assert.equal(line, undefined, `${where} says ${re}: ${line}`);
  }
}

test('the docs and the README name no seed and no folder of ours', () => {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  assert.ok(files.length >= 5);
  for (const f of files) assertClean(readFileSync(join(root, f), 'utf8'), f);
});

test("every command's --help, in English and in French, names no seed and no folder of ours", () => {
  const top = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  const commands = [...top.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]).filter((c) => c !== 'bench');
  assert.ok(commands.length >= 8, `commands: ${commands}`);
  for (const LANG of ['C', 'fr_FR.UTF-8']) {
    const env = { ...process.env, LANG, LC_ALL: '', LC_MESSAGES: '' };
    assertClean(execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', env }), `mqtt-pair --help (LANG=${LANG})`);
    for (const c of commands)
      assertClean(execFileSync(process.execPath, [CLI, c, '--help'], { encoding: 'utf8', env }), `mqtt-pair ${c} --help (LANG=${LANG})`);
  }
});
