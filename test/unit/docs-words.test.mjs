// What a teacher reads describes a classroom, not our test bench: no « ici » meaning « on the
// machine that runs the tests » (« ici, la carte simulée des tests », « n'est pas installable ici »),
// no network of the tests (JAMS2), no ephemeral port a test got from the system (127.0.0.1:37207).
// The README, docs/*.md and the screenshots' alt text in them. (« ici » alone is ordinary French:
// only the tests' phrases are looked for.) A classroom's own example: « Salle204 », 192.168.1.10:8080.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from '../../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The words of our tests, each with what to write instead. */
const TEST_WORDS = [
  [/ici, la carte simulée des tests/i, 'the board of a class, not the tests’'],
  [/simulée des tests/i, 'the board of a class, not the tests’'],
  [/n[’']est pas installable ici/i, 'what a teacher installs, not the test machine'],
  [/cannot be installed here/i, 'what a teacher installs, not the test machine'],
  [/\bthe tests' (?:simulated )?board\b/i, 'the board of a class'],
  [/\bJAMS2\b/, 'a classroom network, e.g. Salle204'],
  [/(?:127\.0\.0\.1|localhost|\[::1\]):[3-6]\d{4}\b/, 'a fixed port, e.g. 192.168.1.10:8080'],
  [/la machine des tests|\bles tests n[’']ont pas\b|the tests' machine/i, 'what a teacher has, not the test machine'],
];

function docs() {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ].map((f) => ({ f, text: readFileSync(join(root, f), 'utf8') }));
}

/** Where `text` says one of the tests' words: `file:line: the line (what to write instead)`. */
function testWords(f, text) {
  const found = [];
  text.split('\n').forEach((line, i) => {
    const hit = TEST_WORDS.find(([re]) => re.test(line));
    if (hit) found.push(`${f}:${i + 1}: ${line.trim()} (${hit[1]})`);
  });
  return found;
}

test('the words a test finds: the phrases of our tests, not « ici » alone', () => {
  assert.equal(testWords('x', 'La fenêtre reconnaît la carte (ici, la carte simulée des tests) :').length, 1);
  assert.equal(testWords('x', 'ESP-IDF n’est pas installable ici.').length, 1);
  assert.equal(testWords('x', '![La page](p.png) sur le WiFi « JAMS2 »').length, 1);
  assert.equal(testWords('x', 'ouvrez http://127.0.0.1:37207/ dans Chrome').length, 1);
  // A classroom's own words pass.
  assert.deepEqual(testWords('x', 'ici `192.168.1.10` ; la page sur http://192.168.1.10:8080/ et 127.0.0.1:8090, le WiFi « Salle204 »'), []);
  assert.deepEqual(testWords('x', 'ce que la page a vu depuis qu’elle est ouverte (`vus ici : 5 hello`)'), []);
});

test("users' docs hold none of our tests' words", () => {
  const files = docs();
  assert.ok(files.length >= 5);
  assert.deepEqual(
    files.flatMap(({ f, text }) => testWords(f, text)),
    [],
  );
});

test("screenshots' alt text describes what a class sees, not our tests", () => {
  const alts = docs().flatMap(({ f, text }) => [...text.matchAll(/!\[([^\]]*)\]\(([^)]*)\)/g)].map((m) => ({ f, alt: m[1], src: m[2] })));
  assert.ok(alts.length >= 5, `alt texts: ${alts.length}`);
  for (const { f, alt, src } of alts) {
    assert.ok(alt.trim().length > 0, `${f}: ${src} has no alt text`);
    assert.doesNotMatch(alt, /\btests?\b|\bici\b/i, `${f}: the alt text of ${src} speaks of our tests: ${alt}`);
    assert.deepEqual(testWords(f, alt), []);
  }
});

/** The links of a French page to an English one, unless its line says it is in English. */
function englishLinks(f, text) {
  const found = [];
  text.split('\n').forEach((line, i) => {
    if (/anglais|English/.test(line)) return;
    for (const m of line.matchAll(/\]\(([\w.-]+\.md)(?:#[^)]*)?\)/g))
      if (!/\.fr\.md$/.test(m[1]) && m[1] !== 'explorer.md') found.push(`${f}:${i + 1}: ${m[1]}`);
  });
  return found;
}

test('the links a test finds: an English page unnamed as such', () => {
  assert.equal(englishLinks('x', 'la liste : [improv.md](improv.md)').length, 1);
  assert.deepEqual(englishLinks('x', 'la liste : [improv.fr.md](improv.fr.md#les-réglages), en anglais : [cli.md](cli.md)'), []);
});

test('French pages link French pages (an English one only where the line says so)', () => {
  const french = docs().filter(({ f }) => f.endsWith('.fr.md'));
  assert.ok(french.length >= 5, french.map(({ f }) => f).join(', '));
  assert.deepEqual(
    french.flatMap(({ f, text }) => englishLinks(f, text)),
    [],
  );
});

/** The English page of a French one: cli.fr.md → cli.md, teacher.fr.md → teacher.en.md. */
function englishOf(f, names) {
  const base = f.replace(/\.fr\.md$/, '');
  return [`${base}.md`, `${base}.en.md`].find((n) => names.has(n));
}

test('each French page and its English one name each other at the top', () => {
  const files = docs();
  const byName = new Map(files.map(({ f, text }) => [f, text]));
  const french = files.filter(({ f }) => f.endsWith('.fr.md'));
  assert.ok(
    french.some(({ f }) => f === 'docs/programs.fr.md'),
    "the students' programs in French",
  );
  const top = (text) => text.split('\n').slice(0, 5).join('\n');
  const missing = [];
  for (const { f, text } of french) {
    const en = englishOf(f, byName);
    if (!en) {
      missing.push(`${f}: no English page`);
      continue;
    }
    const [frName, enName] = [f, en].map((x) => x.replace(/^docs\//, ''));
    if (!top(text).includes(`](${enName})`)) missing.push(`${f} does not link ${enName} at the top`);
    if (!top(byName.get(en)).includes(`](${frName})`)) missing.push(`${en} does not link ${frName} at the top`);
  }
  assert.deepEqual(missing, []);
});

test('the README lists every French page among the docs', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const unlisted = docs()
    .filter(({ f }) => f.endsWith('.fr.md'))
    .map(({ f }) => f)
    .filter((f) => !readme.includes(`](${f}`));
  assert.deepEqual(unlisted, []);
});

test('the French list of the settings names every setting the board takes', () => {
  const text = readFileSync(join(root, 'docs', 'improv.fr.md'), 'utf8');
  const list = text.slice(text.indexOf('## Les réglages'));
  const rows = list.split('\n').filter((l) => l.startsWith('| `'));
  const named = new Set(rows.flatMap((r) => [...r.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1])));
  assert.ok(SETTINGS.length >= 19);
  assert.deepEqual(
    SETTINGS.map((s) => s.key).filter((k) => !named.has(k)),
    [],
    'every setting of src/setup/settings.ts has its French line',
  );
  assert.deepEqual(
    [...named].filter((k) => !SETTINGS.some((s) => s.key === k)),
    [],
    'no setting the board does not take',
  );
});

// One wording of the class list everywhere: the docs, and the --help of the commands that read it.
test('the class list is « one pair a line » in the docs and in watch, classroom and setup --help', () => {
  const stale = docs().flatMap(({ f, text }) =>
    text
      .split('\n')
      .map((line, i) => [line, i])
      .filter(([line]) => /un prénom par ligne|first names?, one a line/i.test(line))
      .map(([line, i]) => `${f}:${i + 1}: ${line.trim()}`),
  );
  assert.deepEqual(stale, []);
  for (const [lang, words] of [
    ['fr_FR.UTF-8', /un binôme par ligne/],
    ['C', /one pair a line/],
  ]) {
    for (const command of ['watch', 'classroom', 'setup']) {
      const help = execFileSync(process.execPath, [join(root, 'tools', 'mqtt-pair.cjs'), command, '--help'], {
        env: { ...process.env, LANG: lang, LC_ALL: '' },
        encoding: 'utf8',
      });
      const line = help.split('\n').find((l) => l.trimStart().startsWith('--roster'));
      assert.ok(line, `${command} --help has --roster`);
      assert.match(line, lang === 'C' || command === 'setup' ? /one pair a line|un binôme par ligne/ : words, `${command} --help (${lang}): ${line}`);
    }
  }
});

/** A heading's anchor, as GitHub makes it: lower case, punctuation dropped, each space a hyphen. */
function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

test('a link to a section of our docs lands on a heading', () => {
  assert.equal(slug('2. Préparer les cartes : une seule image pour toute la classe'), '2-préparer-les-cartes--une-seule-image-pour-toute-la-classe');
  assert.equal(slug('Quelle carte, quel `-p` ?'), 'quelle-carte-quel--p-');
  const files = docs();
  const anchors = new Map(
    files.map(({ f, text }) => [
      f,
      new Set(
        text
          .split('\n')
          .filter((l) => /^#{1,6} /.test(l))
          .map((l) => slug(l.replace(/^#+ /, ''))),
      ),
    ]),
  );
  const broken = [];
  let checked = 0;
  for (const { f, text } of files) {
    for (const m of text.matchAll(/\]\(((?:docs\/)?[\w.-]*\.md)?#([^)\s]+)\)/g)) {
      const target = m[1] ? (f === 'README.md' ? m[1] : `docs/${m[1]}`) : f;
      const heads = anchors.get(target);
      if (!heads) continue;
      checked++;
      if (!heads.has(decodeURIComponent(m[2]))) broken.push(`${f}: ${m[0]}`);
    }
  }
  assert.ok(checked >= 30, `links to a section: ${checked}`);
  assert.deepEqual(broken, []);
});

test('one name for the class list file everywhere: classe.txt', () => {
  const others = docs().flatMap(({ f, text }) =>
    [...text.matchAll(/--roster[ =]([\w./-]+\.txt)/g)].filter((m) => m[1] !== 'classe.txt').map((m) => `${f}: ${m[0]}`),
  );
  assert.deepEqual(others, []);
  for (const command of ['watch', 'classroom', 'setup']) {
    const help = execFileSync(process.execPath, [join(root, 'tools', 'mqtt-pair.cjs'), command, '--help'], { encoding: 'utf8' });
    assert.deepEqual(
      [...help.matchAll(/--roster[ =]([\w./-]+\.txt)/g)].map((m) => m[1]).filter((n) => n !== 'classe.txt'),
      [],
      `${command} --help`,
    );
  }
});
