// What a user waits for and what a board carries: the CLI's start-up (`mqtt-pair pub` beside a
// node process that sends pre-encoded bytes) and the bundles' sizes (esbuild, minified, gzip -9).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import mqttPacket from 'mqtt-packet';
import { firmwarePlugins } from '../build.mjs';
import { median, range } from './report.mjs';
import { scale } from './smoke.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// ---- bundle sizes: esbuild, minified, gzip -9. A failed build fails the bench.

export async function bundleSize(entry, external) {
  const r = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external,
    logLevel: 'silent',
    plugins: firmwarePlugins, // the built-in roles' programs, as the firmware's build makes them
  });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

// ---- CLI start-up: `mqtt-pair pub` beside a node process that sends pre-encoded bytes

function rawPublishScript(port) {
  const gen = (p) => mqttPacket.generate(p, { protocolVersion: 4 }).toString('hex');
  const bytes =
    gen({ cmd: 'connect', clientId: 'b-cli-raw', keepalive: 60, clean: true, protocolId: 'MQTT', protocolVersion: 4 }) +
    gen({ cmd: 'publish', topic: 'bench/cli', payload: Buffer.from('hello'), qos: 0 }) +
    gen({ cmd: 'disconnect' });
  // The floor of a command that publishes: start node, connect, write, wait for CONNACK, leave.
  return `const s=require('node:net').connect(${port},'127.0.0.1',()=>s.write(Buffer.from('${bytes}','hex')));s.once('data',()=>s.end());`;
}

function timeProcess(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b) => {
      err += b;
    });
    p.once('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

export async function cliStartup(port) {
  const cli = [join(root, 'tools/mqtt-pair.cjs'), 'pub', '-h', '127.0.0.1', '-p', String(port), '-t', 'bench/cli', '-m', 'hello', '-i', 'b-cli'];
  const raw = ['-e', rawPublishScript(port)];
  for (let i = 0; i < scale(3, 0); i++) {
    await timeProcess(process.execPath, cli);
    await timeProcess(process.execPath, raw);
  } // warm the file cache
  const ours = [],
    floor = [];
  for (let i = 0; i < scale(15, 1); i++) {
    ours.push(await timeProcess(process.execPath, cli));
    floor.push(await timeProcess(process.execPath, raw));
  }
  return { ours: median(ours), floor: median(floor), oursRange: range(ours), floorRange: range(floor) };
}
