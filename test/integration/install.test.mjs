// The command as a student gets it: `npm pack` makes one tarball the teacher copies on a USB key or
// a shared folder; `npm install -g ./mqtt-pair-<version>.tgz` installs it with no network (no
// dependency, no build step, nothing compiled), and `mqtt-pair` works from any folder.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runToEnd } from '../helpers/child.mjs';
import { mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm ci && npm start on a laptop with Node.js and nothing to compile with', () => {
  test('npm ci installs without make, a C compiler or Python, and npm start runs the pair', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-nocc-'));
    try {
      // The project as it is now (tracked and new files), without node_modules and what builds make.
      const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
      const app = join(dir, 'app');
      for (const f of files) {
        if (!existsSync(join(root, f))) continue; // deleted, not yet committed
        mkdirSync(dirname(join(app, f)), { recursive: true });
        copyFileSync(join(root, f), join(app, f));
      }
      // A PATH with every command of this machine but the compilers, make and Python.
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      const banned = /^(make|gmake|cc|c\+\+|cpp|gcc|g\+\+|clang|ld|as|python|node-gyp|.*-(gcc|g\+\+|cc|ld)(-\d+)?)(\d[\d.]*)?$/;
      for (const d of ['/usr/local/bin', '/usr/bin', '/bin', dirname(process.execPath)]) {
        if (!existsSync(d)) continue;
        for (const f of readdirSync(d)) if (!banned.test(f) && !existsSync(join(bin, f))) symlinkSync(join(d, f), join(bin, f));
      }
      // npm's own cache (the checkout's npm ci filled it): what this test is about is compiling, not downloading.
      const env = { ...process.env, PATH: bin };
      for (const tool of ['make', 'cc', 'gcc', 'g++', 'python3']) assert.ok(!existsSync(join(bin, tool)), `${tool} is out of the PATH`);
      const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, env, encoding: 'utf8', timeout: 5 * LIMIT });
      assert.equal(ci.status, 0, `npm ci failed:\n${ci.stdout}\n${ci.stderr}`);
      assert.doesNotMatch(ci.stderr, /gyp|make: not found|cc: not found/);
      const start = spawn('npm', ['start', '--', '--no-wifi', '--interval', '300'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let out = '';
      start.stdout.on('data', (b) => {
        out += b;
      });
      start.stderr.on('data', (b) => {
        out += b;
      });
      await until(
        () => /\[esp1\] ESP received hello message/.test(out),
        () => `a reply at ESP#1; npm start printed:\n${out}`,
      );
      try {
        process.kill(-start.pid, 'SIGINT');
      } catch {
        /* gone */
      }
      await new Promise((r) => start.once('close', r));
      assert.match(out, /\[esp2\] Received hello: Hello #0/, out);
      assert.match(out, /\[esp1\] ESP received hello message/, out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm pack, then npm install -g of the tarball, offline', { skip: mosquittoSkip() }, () => {
  let dir, prefix, bin, tarball, broker;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-pack-'));
    const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    tarball = join(dir, JSON.parse(out)[0].filename);
    prefix = join(dir, 'prefix');
    // Offline, with an empty cache of its own: nothing may come from the registry.
    execFileSync(npm, ['install', '-g', '--prefix', prefix, '--offline', '--cache', join(dir, 'cache'), '--no-audit', '--no-fund', tarball], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' },
    });
    bin = join(prefix, 'bin', 'mqtt-pair');
    broker = await startMosquitto();
  });
  after(async () => {
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args, ms = LIMIT, env = undefined) => {
    const r = await runToEnd(bin, args, { cwd: dir, timeout: ms, env: env && { ...process.env, ...env } });
    return { code: r.code, out: r.stdout, err: r.stderr };
  };

  test('the tarball holds the built command and no dependency', () => {
    const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/dist/cli.cjs', 'package/dist/index.js', 'package/dist/aedes.js', 'package/tools/mqtt-pair.cjs', 'package/package.json'])
      assert.ok(list.includes(f), f);
    assert.ok(!list.some((f) => f.includes('node_modules/')));
    // What the tests drive directly is not published (tools/testing.ts).
    assert.ok(!list.some((f) => f.startsWith('package/dist/testing.js')), 'dist/testing.js left out');
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    assert.equal(pkg.dependencies, undefined);
    // serialport (setup --port) is optional: an offline install skips it, and setup says how to add it.
    assert.deepEqual(Object.keys(pkg.optionalDependencies ?? {}), ['serialport']);
    assert.deepEqual(
      readdirSync(join(prefix, 'lib', 'node_modules', 'mqtt-pair')).filter((f) => f === 'node_modules'),
      [],
      'nothing installed beside it',
    );
  });

  test('mqtt-pair pub from another folder reaches mosquitto_sub', async () => {
    const sub = await mosquittoSub(broker.port, ['-t', 'class/usb']);
    const r = await run(['pub', '-h', '127.0.0.1', '-p', String(broker.port), '-t', 'class/usb', '-m', 'installed from the USB key', '-q', '1']);
    assert.equal(r.code, 0, r.err);
    await sub.waitFor(/^class\/usb installed from the USB key$/);
    await sub.stop();
    assert.match((await run(['--version'])).out, /^mqtt-pair \d+\.\d+\.\d+\n$/);
  });

  test('installed without its optional serialport, and without the repository: the serial commands and bench say so in one line', async () => {
    // The offline install left serialport out (above), as a machine with no prebuilt binary for it would.
    for (const args of [
      ['setup', '--list'],
      ['setup', '--port', '/dev/ttyUSB0', 'role=hello'],
      ['program', '--port', '/dev/ttyUSB0', '--show'],
    ]) {
      const r = await run(args);
      assert.notEqual(r.code, 0);
      assert.equal(
        r.err,
        `mqtt-pair ${args[0]}: the serialport package is not installed: npm install serialport (it ships prebuilt binaries), or use mqtt-pair setup --web in Chrome\n`,
      );
    }
    const fr = await run(['setup', '--list'], LIMIT, { LC_ALL: 'fr_FR.UTF-8' });
    assert.notEqual(fr.code, 0);
    assert.match(fr.err, /^mqtt-pair setup: [^\n]*serialport[^\n]*npm install serialport[^\n]*setup --web[^\n]*\n$/);
    assert.doesNotMatch(fr.err, /is not installed|ships/, 'in French');
    const bench = await run(['bench']);
    assert.notEqual(bench.code, 0);
    assert.equal(bench.err, 'mqtt-pair bench: the benchmark is a development tool: run it in the repository, with npm run bench\n');
  });

  test('another project imports the client as the README shows (mqtt-pair/dist/index.js, or mqtt-pair)', () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    execFileSync(npm, ['init', '-y'], { cwd: project, stdio: 'ignore' });
    execFileSync(npm, ['install', '--offline', '--cache', join(dir, 'cache'), '--no-audit', '--no-fund', tarball], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const a = await import('mqtt-pair/dist/index.js');
      const b = await import('mqtt-pair');
      console.log(typeof a.MqttClient, typeof a.nodeHost, typeof a.payloadText, a.MqttClient === b.MqttClient);`,
      ],
      { cwd: project, encoding: 'utf8' },
    );
    assert.equal(out.trim(), 'function function function true');
  });

  test("mqtt-pair classroom --web gives the students' page the embedded broker's WebSocket (ws, bundled)", async () => {
    const { MqttClient, nodeHost } = await import('../../dist/index.js');
    const c = spawn(bin, ['classroom', '--pairs', '1', '--web', '0', '--duration', '600'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (b) => {
      out += b;
    });
    c.stderr.on('data', (b) => {
      out += b;
    });
    try {
      // (Stopped by Ctrl+C below, not by its --duration: a slow start must not end it first.)
      const address = await until(
        () => /ws:\/\/127\.0\.0\.1:(\d+)\/mqtt/.exec(out),
        () => `the WebSocket's address in:\n${out}`,
      );
      const port = Number(address[1]);
      const client = new MqttClient(
        nodeHost({ log: () => {} }),
        { host: '127.0.0.1', port, transport: 'ws', path: '/mqtt' },
        { clientId: 'installed-ws', reconnect: false },
      );
      const connected = await new Promise((resolve) => {
        client.onConnect = () => resolve(true);
        client.onClose = (why) => resolve(why);
        client.connect();
      });
      client.end();
      assert.equal(connected, true, out);
    } finally {
      c.kill('SIGINT');
      await new Promise((r) => c.once('close', r));
    }
  });

  test('mqtt-pair sim runs the pair on its embedded broker', async () => {
    const c = spawn(bin, ['sim', '--no-wifi', '--interval', '300'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (b) => {
      out += b;
    });
    await until(
      () => /\[esp1\] ESP received hello message/.test(out),
      () => `a reply at ESP#1; sim printed:\n${out}`,
    );
    c.kill('SIGINT');
    await new Promise((r) => c.once('close', r));
    assert.match(out, /Embedded MQTT broker \(Aedes\) listening on 127\.0\.0\.1:\d+/);
    assert.match(out, /\[esp1\] ESP received hello message/);
  });
});
