#!/usr/bin/env node
// The `mqtt-pair` command (package.json "bin"): runs dist/cli.cjs, building it first if it is missing.
// CommonJS, as dist/cli.cjs: the command starts sooner than as ES modules (docs/performance.md).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const cli = join(__dirname, '..', 'dist', 'cli.cjs');

// A bug must still come out as one line, not a stack trace (MQTT_PAIR_DEBUG=1 shows the stack).
const crash = (e) => {
  // The reader went away (`mqtt-pair sim | head`): stop quietly, as Unix tools do.
  if (e?.code === 'EPIPE') process.exit(0);
  if (process.env.MQTT_PAIR_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
  process.stderr.write(`mqtt-pair: internal error: ${e && e.message !== undefined ? e.message : e} (set MQTT_PAIR_DEBUG=1 for details)\n`);
  process.exit(70);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

async function run() {
  if (!existsSync(cli)) {
    try {
      const { buildAll } = await import(pathToFileURL(join(__dirname, 'build.mjs')).href);
      await buildAll();
    } catch (e) {
      // Another output (the firmware bundle) may fail while dist/cli.cjs was written all right.
      if (!existsSync(cli)) {
        process.stderr.write(`mqtt-pair: dist/cli.cjs is missing and building it failed (${e?.message}): run npm install, then npm run build\n`);
        process.exit(1);
      }
    }
  }
  // Node 22 and later keep the compiled code between runs (Node 20 has not got it).
  const mod = require('node:module');
  if (mod.enableCompileCache) mod.enableCompileCache();
  process.exitCode = await require(cli).main(process.argv.slice(2));
  // Everything is closed by now and Node exits on its own once the last bytes are written;
  // this only guards against a forgotten handle keeping the process alive.
  setTimeout(() => process.exit(), 3000).unref();
}
run();
