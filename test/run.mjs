// Runs a tier of the tests with node:test, three files at a time (each test starts its own brokers
// on free 127.0.0.1 ports, so files run side by side), the longest first so that they do not
// finish alone at the end; the spec reporter, and the one-line summary of what was skipped.
//
//   node test/run.mjs unit          test/unit/: nothing but Node.js needed, under a minute
//   node test/run.mjs node          what runs on Node: all but the firmware in the SDK and RabbitMQ
//   node test/run.mjs mcsim         the firmware in the Moddable SDK: mcsim and the boards' link
//                                   (MODDABLE set to an installed SDK; npm run test:mcsim)
//   node test/run.mjs xs            the firmware in the XS engine from npm (xsnap), which the node
//                                   tier runs too (npm run test:xs)
//   node test/run.mjs all           everything (npm test)
//   node test/run.mjs test/cli.test.mjs …   those files
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
/** The firmware in Moddable's simulator and the boards' link, with an installed SDK. */
const MODDABLE = /\/(mcsim|boards\.)/;
/** The firmware in xsnap: test/xs.test.mjs, test/xs-*.test.mjs and the students' programs there (program-xs). */
const XS = /\/(program-)?xs[.-][^/]*$/;
/** What does not depend on Node's version: the firmware in the Moddable SDK, and RabbitMQ's brokers. */
const NOT_NODE = /\/(mcsim|boards\.|rabbitmq)/;
/** Files that take minutes, started first. */
const LONG = /\/(mcsim|rabbitmq|install\.|guarantees\.|large-message\.|node-red\.|student)/;

const [tier = 'all', ...more] = process.argv.slice(2);
const all = [...list('unit'), ...list('.')];
const files = tier.endsWith('.mjs')
  ? [tier, ...more]
  : tier === 'unit'
    ? list('unit')
    : tier === 'node'
      ? all.filter((f) => !NOT_NODE.test(f))
      : tier === 'mcsim'
        ? all.filter((f) => MODDABLE.test(f))
        : tier === 'xs'
          ? all.filter((f) => XS.test(f))
          : tier === 'all'
            ? all
            : null;
if (!files) {
  process.stderr.write(`test/run.mjs: unknown tier '${tier}': use unit, node, mcsim, xs or all, or name test files\n`);
  process.exit(1);
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
