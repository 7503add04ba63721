// The mqtt-pair command (tools/mqtt-pair.cjs) as a user runs it: child processes against a private
// Mosquitto, checked against Mosquitto's own mosquitto_pub and mosquitto_sub.
// Bad arguments need no broker; everything else skips with a reason where Mosquitto is missing
// (and fails instead under REQUIRE_MOSQUITTO=1).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killedAtExit, outputWatch } from '../helpers/child.mjs';
import { dynsecPlugin, findExecutable, mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const MOSQUITTO_PUB = findExecutable('mosquitto_pub');
const MOSQUITTO_SUB = findExecutable('mosquitto_sub');
const STDBUF = findExecutable('stdbuf');
const PASSWORD = 's3cr3t-Pa55';

/** Why the broker tests cannot run, or false. Under REQUIRE_MOSQUITTO=1 always false: they run and fail. */
function skipReason() {
  const broker = mosquittoSkip();
  if (broker) return broker;
  if (process.env.REQUIRE_MOSQUITTO !== '1' && (!MOSQUITTO_PUB || !MOSQUITTO_SUB)) {
    return 'needs Mosquitto: mosquitto_pub/mosquitto_sub are not installed (REQUIRE_MOSQUITTO=1 makes this a failure)';
  }
  if (process.env.REQUIRE_MOSQUITTO !== '1' && !STDBUF) return 'stdbuf (GNU coreutils) is not installed: it makes mosquitto_sub -d show when it is subscribed';
  return false;
}

// ---- child processes

/** Output without the -d lines of mqtt-pair and mosquitto ("Client <id> sending …", "… received …"). */
const withoutDebug = (text) => text.replace(/^(Client \S+ (sending|received|connecting to) |Subscribed ).*\n/gm, '');

/**
 * Starts a process and collects its output. `waitFor(stream, re)` resolves with the text once it
 * matches; `exit` resolves with { code, signal, stdout, stderr, out } (out: stdout as a Buffer).
 */
function start(cmd, args, { input, timeout = LIMIT } = {}) {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MQTT_PAIR_DEBUG: '' } });
  killedAtExit(child);
  const out = [];
  const text = { stdout: '', stderr: '' };
  let exited = false;
  const { check, waitFor } = outputWatch(text, () => exited);
  child.stdout.on('data', (b) => {
    out.push(b);
    text.stdout += b.toString('latin1');
    check();
  });
  child.stderr.on('data', (b) => {
    text.stderr += b.toString();
    check();
  });
  if (input !== undefined) child.stdin.end(input);
  else child.stdin.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), timeout);
  const exit = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      // -d writes its packet lines to stdout, as mosquitto does: `stdout` is without them, `raw` with.
      resolve({ code, signal, stdout: withoutDebug(text.stdout), raw: text.stdout, stderr: text.stderr, out: Buffer.concat(out) });
      check();
    }),
  );
  exit.then(() => {
    exited = true;
  });
  return { child, exit, waitFor, text };
}

const cli = (args, opts) => start(process.execPath, [CLI, ...args], opts);
const run = (args, opts) => cli(args, opts).exit;

/**
 * mosquitto_sub, resolved once it has its SUBACK. Its -d lines go to a block-buffered stdout,
 * so stdbuf makes them line-buffered.
 */
async function watch(port, args) {
  const p = start(STDBUF ?? MOSQUITTO_SUB, [...(STDBUF ? ['-oL', MOSQUITTO_SUB] : []), '-h', '127.0.0.1', '-p', String(port), '-d', ...args]);
  await p.waitFor('stdout', /Subscribed \(mid/);
  return p;
}
/** The message lines of a mosquitto_sub -d run, without its debug lines. */
const messages = (stdout) => stdout.split('\n').filter((l) => l && !/^(Client |Subscribed \(mid)/.test(l));

async function mosquittoPub(port, args) {
  const r = await start(MOSQUITTO_PUB, ['-h', '127.0.0.1', '-p', String(port), ...args]).exit;
  assert.equal(r.code, 0, `mosquitto_pub ${args.join(' ')}: ${r.stderr}`);
}

/** Our sub with -d, resolved once its subscriptions are acknowledged. */
async function ourSub(port, args, subacks = 1) {
  const p = cli(['sub', '-p', String(port), '-d', ...args]);
  await p.waitFor('stdout', new RegExp(`(received SUBACK[^]*){${subacks}}`));
  return p;
}

/** The shape of every failure: one line on stderr with the command's prefix, no stack, non-zero exit. */
function assertOneLineError(r, prefix, re) {
  assert.notEqual(r.code, 0, `exit code should not be 0; stderr: ${r.stderr}`);
  assert.equal(r.signal, null);
  assert.ok(!r.stderr.includes('    at '), `stack trace on stderr:\n${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${r.stderr}`);
  assert.ok(lines[0].startsWith(prefix), `"${lines[0]}" should start with "${prefix}"`);
  if (re) assert.match(lines[0], re);
  assert.ok(r.stderr.endsWith('\n'));
  return lines[0];
}

function assertNoPassword(...results) {
  for (const r of results) {
    assert.ok(!r.raw.includes(PASSWORD) && !r.stderr.includes(PASSWORD), `the password was printed:\n${r.stdout}\n${r.stderr}`);
  }
}

// ---- against Mosquitto

describe('against mosquitto', { skip: skipReason() }, () => {
  let broker; // anonymous
  let secure; // users alice (password_file + acl_file)
  let denying; // dynamic security: alice may read class/#, nothing else (answers SUBACK 0x80)
  const P = () => String(broker.port);

  before(async () => {
    [broker, secure] = await Promise.all([startMosquitto(), startMosquitto({ users: { alice: PASSWORD }, acl: 'user alice\ntopic readwrite class/#\n' })]);
    if (dynsecPlugin()) {
      denying = await startMosquitto({
        users: { alice: PASSWORD },
        dynsec: { alice: [{ acltype: 'subscribePattern', topic: 'class/#', allow: true }] },
      });
    }
  });
  after(async () => {
    await Promise.all([broker?.stop(), secure?.stop(), denying?.stop()]);
  });

  test('pub -> mosquitto_sub', async () => {
    const w = await watch(P(), ['-t', 'cli/pub', '-v', '-C', '1']);
    const r = await run(['pub', '-p', P(), '-t', 'cli/pub', '-m', 'hello world']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '');
    const m = await w.exit;
    assert.deepEqual(messages(m.stdout), ['cli/pub hello world']);
  });

  test('default host is localhost (127.0.0.1) and -h takes a name or an address', async () => {
    const w = await watch(P(), ['-t', 'cli/host', '-C', '2']);
    assert.equal((await run(['pub', '-p', P(), '-t', 'cli/host', '-m', 'one'])).code, 0);
    assert.equal((await run(['pub', '-h', 'localhost', '-p', P(), '-t', 'cli/host', '-m', 'two'])).code, 0);
    assert.deepEqual(messages((await w.exit).stdout), ['one', 'two']);
  });

  test('mosquitto_pub -> sub -v prints "topic payload" lines as they arrive, -C exits 0', async () => {
    const s = await ourSub(P(), ['-t', 'cli/sub/#', '-v', '-C', '3']);
    await mosquittoPub(P(), ['-t', 'cli/sub/a', '-m', 'one']);
    await s.waitFor('stdout', /^cli\/sub\/a one\n(?![^]*\S)/m); // printed at once, through a pipe
    await mosquittoPub(P(), ['-t', 'cli/sub/b', '-m', 'two words']);
    await s.waitFor('stdout', /two words\n$/);
    await mosquittoPub(P(), ['-t', 'cli/sub/c', '-n']);
    const r = await s.exit;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'cli/sub/a one\ncli/sub/b two words\ncli/sub/c (null)\n');
  });

  test('sub without -v prints payloads only; several -t', async () => {
    const s = await ourSub(P(), ['-t', 'cli/one', '-t', 'cli/two', '-C', '2'], 2);
    await mosquittoPub(P(), ['-t', 'cli/one', '-m', 'first']);
    await mosquittoPub(P(), ['-t', 'cli/two', '-m', 'second']);
    const r = await s.exit;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'first\nsecond\n');
  });

  test('-W exits with 27 (as mosquitto_sub) when it runs out', async () => {
    const r = await run(['sub', '-p', P(), '-t', 'cli/quiet', '-W', '0.3']);
    assert.equal(r.code, 27);
    assert.equal(r.stdout, '');
    assertOneLineError(r, 'mqtt-pair sub: ', /timed out after 0\.3 s \(-W 0\.3\)/);
  });

  test('-C before -W: exit 0', async () => {
    await mosquittoPub(P(), ['-t', 'cli/cw', '-m', 'kept', '-r']);
    const r = await run(['sub', '-p', P(), '-t', 'cli/cw', '-C', '1', '-W', '120']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'kept\n');
    await mosquittoPub(P(), ['-t', 'cli/cw', '-n', '-r']);
  });

  test('retained with -r: later subscribers get it with the retain flag; -r -n clears it', async () => {
    assert.equal((await run(['pub', '-p', P(), '-t', 'cli/ret', '-m', 'stays', '-r'])).code, 0);
    const theirs = await start(MOSQUITTO_SUB, ['-p', P(), '-t', 'cli/ret', '-C', '1', '-W', '120', '-F', '%r %t %p']).exit;
    assert.equal(theirs.stdout, '1 cli/ret stays\n');
    const ours = await run(['sub', '-p', P(), '-t', 'cli/ret', '-C', '1', '-W', '120', '-F', '%r|%q|%l|%t|%p']);
    assert.equal(ours.stdout, '1|0|5|cli/ret|stays\n');
    // What comes first after the SUBACK: a retained message would, before a marker published later.
    const firstAfterSuback = async (args) => {
      const s = await ourSub(P(), ['-t', 'cli/ret', '-t', 'cli/marker', '-v', '-C', '1', ...args]);
      await mosquittoPub(P(), ['-t', 'cli/marker', '-m', 'marker']);
      return (await s.exit).stdout;
    };
    assert.equal(await firstAfterSuback(['-R']), 'cli/marker marker\n', '-R hides retained messages');
    assert.equal((await run(['pub', '-p', P(), '-t', 'cli/ret', '-r', '-n'])).code, 0);
    assert.equal(await firstAfterSuback([]), 'cli/marker marker\n', 'the retained message is gone');
  });

  test('-f sends a file byte for byte; sub -N prints the bytes unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-cli-'));
    try {
      const bytes = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13, 0x80]), Buffer.from(' héllo\n'), Buffer.alloc(70000, 0x5a)]);
      const file = join(dir, 'payload.bin');
      writeFileSync(file, bytes);
      const r = await run(['pub', '-p', P(), '-t', 'cli/file', '-f', file, '-r', '-q', '1']);
      assert.equal(r.code, 0, r.stderr);
      const theirs = await start(MOSQUITTO_SUB, ['-p', P(), '-t', 'cli/file', '-C', '1', '-N', '-W', '120']).exit;
      assert.ok(theirs.out.equals(bytes), 'mosquitto_sub got other bytes');
      const ours = await run(['sub', '-p', P(), '-t', 'cli/file', '-C', '1', '-N', '-W', '120']);
      assert.ok(ours.out.equals(bytes), 'our sub printed other bytes');
      await run(['pub', '-p', P(), '-t', 'cli/file', '-r', '-n']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('-s reads the message from stdin, -l one message per line', async () => {
    const w = await watch(P(), ['-t', 'cli/stdin', '-C', '4']);
    assert.equal((await run(['pub', '-p', P(), '-t', 'cli/stdin', '-s'], { input: 'all\nof it' })).code, 0);
    const r = await run(['pub', '-p', P(), '-t', 'cli/stdin', '-l', '-q', '1'], { input: 'line 1\nline 2\nline 3' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(messages((await w.exit).stdout), ['all', 'of it', 'line 1', 'line 2', 'line 3']);
  });

  for (const qos of [1, 2]) {
    test(`QoS ${qos}: pub waits for the broker's ${qos === 1 ? 'PUBACK' : 'PUBCOMP'}; sub receives at QoS ${qos}`, async () => {
      const w = await watch(P(), ['-t', `cli/q${qos}`, '-q', '2', '-C', '1', '-F', '%q %p']);
      const r = await run(['pub', '-p', P(), '-t', `cli/q${qos}`, '-m', `at qos ${qos}`, '-q', String(qos), '-d']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.raw,
        qos === 1
          ? /received PUBACK \(Mid: 1\)[^]*sending DISCONNECT/
          : /received PUBREC[^]*sending PUBREL[^]*received PUBCOMP \(Mid: 1\)[^]*sending DISCONNECT/,
      );
      assert.deepEqual(messages((await w.exit).stdout), [`${qos} at qos ${qos}`]);

      const s = await ourSub(P(), ['-t', `cli/q${qos}/in`, '-q', String(qos), '-C', '1', '-F', '%q %p']);
      await mosquittoPub(P(), ['-t', `cli/q${qos}/in`, '-m', 'back', '-q', String(qos)]);
      const o = await s.exit;
      assert.equal(o.code, 0, o.stderr);
      assert.equal(o.stdout, `${qos} back\n`);
      assert.match(o.raw, qos === 1 ? /sending PUBACK/ : /sending PUBREC/);
    });
  }

  test('-L mqtt://host:port/topic for pub and sub, with user and password', async () => {
    const w = await watch(P(), ['-t', 'cli/url', '-C', '1']);
    const r = await run(['pub', '-L', `mqtt://127.0.0.1:${P()}/cli/url`, '-m', 'via url']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(messages((await w.exit).stdout), ['via url']);

    const port = secure.port;
    const s = cli(['sub', '-L', `mqtt://alice:${PASSWORD}@127.0.0.1:${port}/class/#`, '-v', '-C', '1', '-d']);
    await s.waitFor('stdout', /received SUBACK/);
    const p = await run(['pub', '-L', `mqtt://alice:${PASSWORD}@127.0.0.1:${port}/class/url`, '-m', 'authenticated', '-q', '1', '-d']);
    assert.equal(p.code, 0, p.stderr);
    const o = await s.exit;
    assert.equal(o.code, 0, o.stderr);
    assert.equal(o.stdout, 'class/url authenticated\n');
    assert.match(o.raw, /user 'alice', password set/);
    assertNoPassword(p, o);
  });

  test("a wrong password is refused with the broker's reason, the CONNACK code as exit code, and never printed", async () => {
    const port = String(secure.port);
    for (const cmd of [
      ['sub', '-t', 'class/x'],
      ['pub', '-t', 'class/x', '-m', 'x'],
      ['sub', '-t', 'class/x', '-d'],
    ]) {
      const r = await run([...cmd, '-p', port, '-u', 'alice', '-P', `${PASSWORD}-wrong`]);
      if (cmd.includes('-d')) {
        assert.match(r.raw, /received CONNACK \(5: not authorized\)/);
        assert.ok(!r.stderr.includes(PASSWORD) && !r.raw.includes(PASSWORD));
        continue;
      }
      const line = assertOneLineError(
        r,
        `mqtt-pair ${cmd[0]}: `,
        /refused the connection: (not authorized|bad user name or password): check the user name \(-u alice\) and the password \(-P\)/,
      );
      assert.ok([4, 5].includes(r.code), `exit code ${r.code}`);
      assert.ok(!line.includes(PASSWORD));
      assertNoPassword(r);
    }
    const anonymous = await run(['sub', '-p', port, '-t', 'class/x']);
    assertOneLineError(anonymous, 'mqtt-pair sub: ', /not authorized: this broker wants a user name and password: add -u <user> -P <password>/);
  });

  test('a subscription the broker refuses (SUBACK 0x80) on Mosquitto', {
    skip: !dynsecPlugin() && 'needs Mosquitto: its dynamic security plugin is not installed',
  }, async () => {
    const r = await run(['sub', '-p', String(denying.port), '-u', 'alice', '-P', PASSWORD, '-t', 'staff/#']);
    assertOneLineError(r, 'mqtt-pair sub: ', /refused the subscription to 'staff\/#' \(SUBACK 0x80\)/);
    assertNoPassword(r);
  });

  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`${signal} on sub: DISCONNECT, exit 0, and the will is not published`, async () => {
      const will = `cli/will/${signal}`;
      const s = await ourSub(P(), ['-t', 'cli/nothing', '--will-topic', will, '--will-payload', 'gone', '-k', '5']);
      const w = await watch(P(), ['-t', will, '-v', '-C', '1']);
      s.child.kill(signal);
      const r = await s.exit;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.raw, /sending DISCONNECT/);
      // Had the broker published the will, the watcher would print it before this marker.
      await mosquittoPub(P(), ['-t', will, '-m', 'marker']);
      assert.deepEqual(messages((await w.exit).stdout), [`${will} marker`]);
    });
  }

  test('the will does go out when sub dies without DISCONNECT (the control for the test above)', async () => {
    const will = 'cli/will/killed';
    const s = await ourSub(P(), ['-t', 'cli/nothing', '--will-topic', will, '--will-payload', 'gone', '--will-qos', '1']);
    const w = await watch(P(), ['-t', will, '-v', '-C', '1']);
    s.child.kill('SIGKILL');
    await s.exit;
    assert.deepEqual(messages((await w.exit).stdout), [`${will} gone`]);
  });

  test('sub reconnects by itself when the broker comes back, and subscribes again', async () => {
    const own = await startMosquitto();
    try {
      const s = await ourSub(String(own.port), ['-t', 'cli/back', '-v', '-C', '1']);
      await own.restart();
      await s.waitFor('stderr', /lost the connection to 127\.0\.0\.1:\d+: .*; reconnecting in \d/);
      await s.waitFor('stderr', /reconnected to 127\.0\.0\.1:\d+/);
      await s.waitFor('stdout', /received SUBACK \(Mid: 2/);
      await mosquittoPub(String(own.port), ['-t', 'cli/back', '-m', 'after restart']);
      const r = await s.exit;
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(messages(r.stdout), ['cli/back after restart']);
    } finally {
      await own.stop();
    }
  });

  test('-c with -i keeps the session: QoS 1 messages sent while away arrive on the next run', async () => {
    const id = `cli-persist-${process.pid}`;
    const first = await ourSub(P(), ['-t', 'cli/persist', '-q', '1', '-c', '-i', id]);
    first.child.kill('SIGINT');
    assert.equal((await first.exit).code, 0);
    await mosquittoPub(P(), ['-t', 'cli/persist', '-m', 'while away', '-q', '1']);
    const r = await run(['sub', '-p', P(), '-t', 'cli/persist', '-q', '1', '-c', '-i', id, '-C', '1', '-W', '120']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'while away\n');
  });

  test('the password appears in no output, even with -d', async () => {
    const port = String(secure.port);
    const s = cli(['sub', '-p', port, '-u', 'alice', '-P', PASSWORD, '-t', 'class/pw', '-v', '-C', '1', '-d']);
    await s.waitFor('stdout', /received SUBACK/);
    const p = await run(['pub', '-p', port, '-u', 'alice', '-P', PASSWORD, '-t', 'class/pw', '-m', 'x', '-d', '--will-topic', 'class/w']);
    const o = await s.exit;
    assert.equal(p.code, 0, p.stderr);
    assert.equal(o.code, 0, o.stderr);
    assert.match(p.raw, /password set/);
    assertNoPassword(p, o);
  });
});
