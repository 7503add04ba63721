// `mqtt-pair program --port` against the firmware in XS (xsnap, the program bundle: the one image
// that takes programs) behind a pty, as a board's USB serial port: its Improv frames and its
// console lines on the same port, its flash a Map kept across restarts. The tutorial's ESP#1 is
// sent, compiled in XS, stored, and runs after the restart the board asks for: its Hello #N reach
// Mosquitto; a restart keeps it; --show reads it back; a syntax error, a file too large or not
// UTF-8, no board: one line each, the old program kept; --clear gives the built-in role back.
// The Moddable firmware in mcsim does the same over Preference (not in this test).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { openPty, socatSkip } from '../helpers/pty.mjs';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';
import { lineIn, until } from '../helpers/wait.mjs';
import { ESP1_PROGRAM } from '../helpers/programs.mjs';
import { xsSkip } from '../helpers/xs.mjs';
import { xsUsbBoard } from '../helpers/xs-usb.mjs';

// The serialport package the command loads (an optional dependency), to hold a port as a serial monitor does.
const { SerialPort } = createRequire(import.meta.url)('serialport');

const PREFIX = 'LycMaurois/SNT_2nde/alice/';
const ESP1 = ESP1_PROGRAM;

const skip = xsSkip() || socatSkip() || mosquittoSkip();

/** A board in XS (helpers/xs-usb.mjs, `merge` there) whose USB serial port is a pty at `path`. */
async function usbBoard(path, config, { merge = false } = {}) {
  const pty = await openPty(path);
  const board = await xsUsbBoard(config, (bytes) => pty.write(bytes), { merge });
  pty.onData((bytes) => board.write(bytes));
  return {
    lines: board.lines,
    get store() {
      return board.store;
    },
    restart: board.restart,
    async stop() {
      await board.stop();
      await pty.stop();
    },
  };
}

/** Writes `content` to the file `name` in `dir`; returns its path. */
function fileIn(dir, name, content) {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
}

describe('mqtt-pair program: a program sent to a board in XS over a pty', { skip }, () => {
  let work, broker, sub, board, path;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-program-port-'));
    broker = await startMosquitto();
    sub = await mosquittoSub(broker.port, ['-t', `${PREFIX}#`]);
    path = join(work, 'usb');
    board = await usbBoard(path, {
      broker: `127.0.0.1:${broker.port}`,
      role: 'hello',
      topicPrefix: PREFIX,
      clientId: 'alice-esp1-test',
      interval: 1000,
      backoffMin: 100,
      backoffMax: 300,
    });
  });
  after(async () => {
    await board?.stop();
    sub?.stop();
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  const file = (name, content) => fileIn(work, name, content);

  test("the tutorial's ESP#1 sent, stored, run after the restart, kept across another; read back", async () => {
    await lineIn(board.lines, /^Connected to /, { what: 'the built-in role connected' });
    const cli = mqttPair(['program', '--port', path, file('esp1.js', ESP1), '-W', '600']);
    const size = Buffer.byteLength(ESP1);
    await cli.waitFor('stdout', new RegExp(`^esp1\\.js sent: ${size} bytes, hash [0-9a-f]{8}; the board restarts to run it$`, 'm'));
    await cli.waitFor('stdout', /^The board's console for 600 s \(Ctrl\+C to stop\):$/m);
    // The board's console, through the CLI: the restart, then the program from the flash.
    await cli.waitFor('stdout', /^Program: esp1\.js, stored on this board$/m);
    await cli.waitFor('stdout', /^Program: \d+ characters, starting$/m);
    // The board's start event (data, not that line), in the command's words.
    await cli.waitFor('stdout', /^→ the board starts the program esp1\.js$/m);
    const from = sub.lines.length;
    await until(() => sub.lines.slice(from).includes(`${PREFIX}hello Hello #1`), "the program's Hello #1");
    const r = await cli.stop();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');

    // A restart (a power cycle) keeps it.
    const at = board.lines.length;
    await board.restart();
    await lineIn(board.lines, /^Program: esp1\.js, stored on this board$/, { after: at });
    const show = await mqttPair(['program', '--port', path, '--show']).exit;
    assert.equal(show.code, 0, show.stderr);
    const [, hash] = /hash ([0-9a-f]{8})/.exec(show.stdout);
    assert.equal(show.stdout, `program esp1.js: ${size} bytes, hash ${hash}\n`);

    // In safe mode (the program stopped twice in a row, as the firmware counts it in its flash),
    // --show says so and why, in the teacher's language, from the board's codes.
    board.store.set('pgs', '2l! it never gave control back');
    try {
      const safe = await mqttPair(['program', '--port', path, '--show'], { env: { LC_ALL: 'fr_FR.UTF-8' } }).exit;
      assert.equal(safe.code, 0, safe.stderr);
      assert.equal(
        safe.stdout,
        `programme esp1.js : ${size} octets, empreinte ${hash}\nLa carte est en mode sans échec : le programme a été arrêté 2 fois de suite (une boucle sans fin : il ne rendait jamais la main). Envoyez-en un corrigé, ou --clear.\n`,
      );
      board.store.set('pgs', '2m! it exhausted the memory');
      const en = await mqttPair(['program', '--port', path, '--show'], { env: { LC_ALL: 'en_US.UTF-8' } }).exit;
      assert.match(
        en.stdout,
        /\nThe board is in safe mode: the program was stopped 2 times in a row \(it used all the memory\)\. Send a corrected one, or --clear\.\n$/,
      );
    } finally {
      board.store.delete('pgs');
    }
  });

  test('refused with one line each: a syntax error (with its line), too large, not UTF-8, no board; the program kept', async (t) => {
    const bad = await mqttPair(['program', '--port', path, file('bad.js', "let a = 1;\nmqtt.publish('hello', 'x';\n")]).exit;
    const said = assertOneLineError(
      bad,
      'mqtt-pair program: ',
      /^mqtt-pair program: the board refused the program bad\.js and keeps its own: line 2(, column \d+)?: SyntaxError: .+$/,
    );
    t.diagnostic(said);

    const big = await mqttPair(['program', '--port', path, file('big.js', `// ${'x'.repeat(17000)}\n`)]).exit;
    assertOneLineError(big, 'mqtt-pair program: ', /big\.js is 17004 bytes long: a board takes a program of 16384 bytes at most$/);

    const latin1 = await mqttPair(['program', '--port', path, file('latin1.js', Buffer.from("print('ok');\nprint('caf\xe9');\n", 'latin1'))]).exit;
    assertOneLineError(latin1, 'mqtt-pair program: ', /latin1\.js is not UTF-8 text \(line 2\): save it as UTF-8 in the editor$/);

    const none = await mqttPair(['program', '--port', join(work, 'nothing-here'), file('ok.js', "print('ok');\n")]).exit;
    assertOneLineError(none, 'mqtt-pair program: ', /cannot open .*nothing-here: no such port/);
    // Under a file rather than a folder (ENOTDIR): no such port either, from the system's code.
    const under = await mqttPair(['program', '--port', join(file('plain.js', ''), 'tty'), '--show']).exit;
    assertOneLineError(under, 'mqtt-pair program: ', /cannot open .*plain\.js\/tty: no such port/);
    // A port with no board behind it (a pty nobody answers on): said after its tries, in one line.
    const silent = await openPty(join(work, 'silent'));
    try {
      const r = await mqttPair(['program', '--port', join(work, 'silent'), file('ok.js', "print('ok');\n")]).exit;
      assertOneLineError(r, 'mqtt-pair program: ', /no answer from .*silent in 12 s: is a board flashed with mqtt-pair on it/);
      // The port held by another program (a serial monitor): the library's lock, said as such.
      const held = new SerialPort({ path: join(work, 'silent'), baudRate: 115200, autoOpen: false });
      await new Promise((resolve, reject) => held.open((e) => (e ? reject(e) : resolve())));
      try {
        const busy = await mqttPair(['program', '--port', join(work, 'silent'), '--show']).exit;
        assertOneLineError(busy, 'mqtt-pair program: ', /cannot open .*silent: the port is in use \(close the serial monitor/);
      } finally {
        await new Promise((resolve) => held.close(resolve));
      }
    } finally {
      await silent.stop();
    }

    const fr = await mqttPair(['program', '--port', path, file('gros.js', `// ${'x'.repeat(17000)}\n`)], { env: { LC_ALL: 'fr_FR.UTF-8' } }).exit;
    assertOneLineError(fr, 'mqtt-pair program: ', /gros\.js fait 17004 octets : une carte prend un programme de 16384 octets au plus$/);

    const show = await mqttPair(['program', '--port', path, '--show']).exit;
    assert.match(show.stdout, /^program esp1\.js: \d+ bytes/, 'the old program is kept');
  });

  test("an error at run time: said in the teacher's language with its line, from the board's event", async () => {
    const cli = mqttPair(['program', '--port', path, file('oups.js', "print('avant');\nnull.x;\n"), '-W', '600'], { env: { LC_ALL: 'fr_FR.UTF-8' } });
    await cli.waitFor('stdout', /^→ la carte lance le programme oups\.js$/m);
    await cli.waitFor('stdout', /^→ erreur du programme, ligne 2(, colonne \d+)? : TypeError: .+ \(la carte continue avec ce qui tourne déjà\)$/m);
    const r = await cli.stop();
    assert.equal(r.code, 0, r.stderr);
  });

  test('--clear: the built-in role again, after the restart; --show says there is none', async () => {
    const at = board.lines.length;
    const r = await mqttPair(['program', '--port', path, '--clear']).exit;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'program cleared: the board restarts into its role\n');
    await lineIn(board.lines, /^\[power cycle\]$/, { after: at });
    const boot = board.lines.length;
    await lineIn(board.lines, /^Connected to /, { after: boot });
    assert.ok(!board.lines.slice(boot).some((l) => l.startsWith('Program')), board.lines.slice(boot).join('\n'));
    const from = sub.lines.length;
    await until(() => sub.lines.slice(from).some((l) => l.startsWith(`${PREFIX}hello `)), "the role's hello");
    assert.deepEqual(
      [...board.store.keys()].filter((k) => k.startsWith('pg')),
      [],
    );
    const show = await mqttPair(['program', '--port', path, '--show']).exit;
    assert.equal(show.stdout, 'no program on the board: it plays its role\n');
  });
});

describe('mqtt-pair setup --port --program: the settings, then the program of the day (XS over a pty)', { skip }, () => {
  let work, broker, board, path;
  const BOB = 'LycMaurois/SNT_2nde/bob/';
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-program-'));
    broker = await startMosquitto();
    path = join(work, 'usb');
    // A board fresh from the box: its role and broker built in, no prefix of its student yet.
    board = await usbBoard(
      path,
      { broker: `127.0.0.1:${broker.port}`, role: 'hello', clientId: 'bob-esp1-test', backoffMin: 100, backoffMax: 300 },
      { merge: true },
    );
  });
  after(async () => {
    await board?.stop();
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  const file = (name, content) => fileIn(work, name, content);

  test('the board gets its settings, then the program; it runs it under its new prefix and says so', async () => {
    const sub = await mosquittoSub(broker.port, ['-t', `${BOB}#`]);
    try {
      const r = await mqttPair(['setup', '--port', path, `topicPrefix=${BOB}`, 'ssid=Classe', '--program', file('esp1.js', ESP1)]).exit;
      assert.equal(r.code, 0, r.stderr);
      const size = Buffer.byteLength(ESP1);
      assert.match(
        r.stdout,
        new RegExp(`^esp1\\.js sent: ${size} bytes, hash ([0-9a-f]{8}); the board restarts to run it\n→ the board starts the program esp1\\.js$`, 'm'),
      );
      assert.match(r.stdout, /set up: role hello on LycMaurois\/SNT_2nde\/bob\//);
      const hash = /hash ([0-9a-f]{8})/.exec(r.stdout)[1];
      await lineIn(board.lines, /^Program: esp1\.js, stored on this board$/);
      await until(() => sub.lines.includes(`${BOB}hello Hello #1`), "the program's Hello #1 under the new prefix");
      // What it runs, as the teacher's page reads it: retained, with the program's name and hash.
      await until(() => sub.lines.includes(`${BOB}board/hello {"role":"hello","program":"esp1.js","hash":"${hash}"}`), 'the board saying it runs esp1.js');
    } finally {
      sub.stop();
    }
  });

  test('a bad program: one line, in French too; a syntax error as the board says it', async () => {
    const bad = await mqttPair(['setup', '--port', path, '--program', file('bad.js', "let a = 1;\nmqtt.publish('hello', 'x';\n")]).exit;
    assertOneLineError(
      bad,
      'mqtt-pair setup: ',
      /^mqtt-pair setup: the board refused the program bad\.js and keeps its own: line 2(, column \d+)?: SyntaxError: .+$/,
    );
    const big = await mqttPair(['setup', '--port', path, '--program', file('gros.js', `// ${'x'.repeat(17000)}\n`)], { env: { LC_ALL: 'fr_FR.UTF-8' } }).exit;
    assertOneLineError(big, 'mqtt-pair setup: ', /gros\.js fait 17004 octets : une carte prend un programme de 16384 octets au plus$/);
    const web = await mqttPair(['setup', '--web', '0', '--program', file('ok.js', "print('ok');\n")]).exit;
    assertOneLineError(web, 'mqtt-pair setup: ', /--program goes with --port/);
  });
});
