// Runs a tier of the tests with node:test, three files at a time (each test starts its own brokers
// on free 127.0.0.1 ports, so files run side by side), the longest first so that they do not
// finish alone at the end; the spec reporter, and the one-line summary of what was skipped.
//
// A tier is folders of test/, each holding what its tests need:
//   unit/          nothing but Node.js
//   integration/   Node.js with brokers (Mosquitto, ours), the command, ptys, a C compiler
//   browser/       a page in headless Chromium, with its broker
//   xs/            the firmware in the XS engine from npm (xsnap)
//   firmware/      the firmware in the Moddable SDK: mcsim and the boards' link (MODDABLE set)
//   rabbitmq/      RabbitMQ's brokers
//
//   node test/run.mjs unit          test/unit/: under a minute or two
//   node test/run.mjs node          what runs on Node: unit, integration, browser, xs
//   node test/run.mjs mcsim         test/firmware/ (an installed SDK; npm run test:mcsim)
//   node test/run.mjs xs            test/xs/ (npm run test:xs), which the node tier runs too
//   node test/run.mjs all           every folder (npm test)
//   node test/run.mjs browser …     one or more folders by name
//   node test/run.mjs test/integration/cli.test.mjs …   those files
//
// A test file in test/ itself belongs to no tier: the runner stops, naming it, rather than skip it.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const list = (dir) =>
  readdirSync(join(here, dir))
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => relative(root, join(here, dir, f)));

const FOLDERS = ['unit', 'integration', 'browser', 'xs', 'firmware', 'rabbitmq'];
/** The tiers package.json's scripts name; each is folders. What does not depend on Node's version
 *  (the firmware in the Moddable SDK, RabbitMQ's brokers) is left out of `node`. */
const TIERS = {
  unit: ['unit'],
  node: ['unit', 'integration', 'browser', 'xs'],
  xs: ['xs'],
  mcsim: ['firmware'],
  all: FOLDERS,
  ...Object.fromEntries(FOLDERS.map((f) => [f, [f]])),
};
/** Files that take minutes, started first. */
const LONG = /\/(mcsim|rabbitmq|install\.|guarantees\.|large-message\.|node-red\.|student)/;

const stray = list('.');
if (stray.length) {
  process.stderr.write(
    `test/run.mjs: ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} in test/ itself, in no tier: move ${stray.length > 1 ? 'them' : 'it'} to test/${FOLDERS.join('/, test/')}/ (CONTRIBUTING.md, "Running each tier")\n`,
  );
  process.exit(1);
}

const args = process.argv.slice(2);
if (!args.length) args.push('all');
let files;
if (args[0].endsWith('.mjs')) files = args;
else {
  const unknown = args.filter((t) => !TIERS[t]);
  if (unknown.length) {
    process.stderr.write(`test/run.mjs: unknown tier '${unknown[0]}': use ${Object.keys(TIERS).join(', ')}, or name test files\n`);
    process.exit(1);
  }
  files = [...new Set(args.flatMap((t) => TIERS[t]).flatMap(list))];
}
files.sort((a, b) => Number(LONG.test(b)) - Number(LONG.test(a)));

const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=3',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(here, 'helpers', 'skip-summary.mjs')}`,
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
