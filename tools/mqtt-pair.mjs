#!/usr/bin/env node
// The `mqtt-pair` command (package.json "bin"): runs dist/cli.js, building it first if it is missing.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');

// A bug must still come out as one line, not a stack trace (MQTT_PAIR_DEBUG=1 shows the stack).
const crash = (e) => {
  if (process.env.MQTT_PAIR_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
  process.stderr.write(`mqtt-pair: internal error: ${e?.message ?? e} (set MQTT_PAIR_DEBUG=1 for details)\n`);
  process.exit(70);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

if (!existsSync(cli)) {
  try {
    const { buildAll } = await import('./build.mjs');
    await buildAll();
  } catch (e) {
    // Another output (the firmware bundle) may fail while dist/cli.js was written all right.
    if (!existsSync(cli)) {
      process.stderr.write(`mqtt-pair: dist/cli.js is missing and building it failed (${e?.message ?? e}): run npm install, then npm run build\n`);
      process.exit(1);
    }
  }
}

// Node 22 and later keep the compiled code between runs: each command starts sooner (Node 20 has not got it).
module.enableCompileCache?.();
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
// Everything is closed by now and Node exits on its own once the last bytes are written;
// this only guards against a forgotten handle keeping the process alive.
setTimeout(() => process.exit(), 3000).unref();
