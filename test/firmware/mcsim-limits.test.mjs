// A program past the board's limits on the Moddable firmware in mcsim (the class's one image, on an
// ESP32's heap, fixed): ones that fill the heap (arrays, small strings), and one that loops after an
// `await` (outside the entries the meter guards one by one). Each makes XS abort (`memory full`,
// `too much computation`); the firmware's abort hook marks the run as stopped, with its code, in the
// Preference file before the machine goes. A recursion without end overflows the stack, an abort the
// SDK gives no hook: the run counted when it began is the stop. mcsim has no reset: after an abort
// it runs nothing more, so the test starts it again on the same folder (its Preference file), as a
// board's reset would. After two such stops the board plays its role without the program (safe
// mode), says why, and `--show` says it too.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFirmware, moddableSkip, startMcsim, bakedPort } from '../helpers/moddable.mjs';
import { mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { openPtyPair, socatSkip } from '../helpers/pty.mjs';
import { mqttPair } from '../helpers/child.mjs';
import { sendProgramOverPty } from '../helpers/mcsim-board.mjs';
import { until } from '../helpers/wait.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/carol/';
// An ESP32's heap, fixed (any allocation beyond it aborts XS), as test/firmware/mcsim-setup-program.test.mjs.
const ESP32_HEAP = { creation: { heap: { initial: 3072, incremental: 0 }, chunk: { initial: 49152, incremental: 0 } } };
const skip = moddableSkip() || socatSkip() || mosquittoSkip();

describe('a program past the limits on the Moddable firmware (mcsim)', { skip }, () => {
  let broker, sub, work, dir, pty, so;
  let sim = null;
  let boots = 0;
  before(async () => {
    broker = await startMosquitto();
    sub = await mosquittoSub(broker.port, ['-t', `${PREFIX}#`]);
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-mcsim-limits-'));
    dir = join(work, 'board');
    mkdirSync(dir);
    so = await buildFirmware(
      {
        broker: `127.0.0.1:${broker.port}`,
        role: 'hello',
        topicPrefix: PREFIX,
        clientId: 'carol-esp1-mcsim',
        interval: 1000,
        setupSerial: './serial',
        setupPort: await bakedPort(),
        setupDnsPort: await bakedPort(),
      },
      ESP32_HEAP,
    );
    pty = await openPtyPair(join(dir, 'serial'), join(dir, 'usb'));
    sim = await startMcsim(so, 'limits-board', { cwd: dir });
  });
  after(async () => {
    await sim?.stop();
    await pty?.stop();
    await sub?.stop();
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A reset: a new mcsim on the same folder. */
  async function reset() {
    await sim.stop();
    sim = await startMcsim(so, `limits-board-${++boots}`, { cwd: dir });
  }

  /** Sends `source` as `name`; resolves once the board said it stored it. */
  const send = (name, source) => sendProgramOverPty(sim, join(dir, 'usb'), work, name, source);

  /** The stops the board keeps in its flash (the simulator's Preference file), as program-store writes them. */
  function stopsInFlash() {
    try {
      return JSON.parse(readFileSync(join(dir, 'modpreferences.json'), 'utf8'))['mqtt-pair']?.pgs ?? '';
    } catch {
      return ''; // being written again
    }
  }

  /**
   * The program aborts XS (`abort`, its words) and its stop is in the flash with `code` (mcsim says
   * the abort before the hook runs: the reset waits for the mark, as a board resets after it),
   * twice; then safe mode with `why`; --show says `words`.
   */
  async function abortsTwiceThenSafe(name, at, abort, code, why, words) {
    for (const n of [1, 2]) {
      await sim.waitFor(/^starting$/, { after: n === 1 ? at : 0 });
      await sim.waitFor(new RegExp(`^XS abort: ${abort}`), { after: n === 1 ? at : 0 });
      await until(() => stopsInFlash().startsWith(`${n}${code} `), `the stop ${n}${code} in the flash`);
      await reset();
    }
    const safe = await sim.waitFor(/^Safe mode: /);
    assert.match(
      safe,
      new RegExp(
        `^Safe mode: the program ${name.replace('.', '\\.')} \\(\\d+ bytes, hash [0-9a-f]{8}\\) was stopped 2 times in a row \\(${why}\\); the board runs its role`,
      ),
    );
    const from = sub.lines.length;
    await until(() => sub.lines.slice(from).filter((l) => l.startsWith(`${PREFIX}hello Hello #`)).length >= 2, "the role's hellos in safe mode");
    assert.ok(!sim.lines.includes('starting'), 'never a third start of the program');
    const show = await mqttPair(['program', '--port', join(dir, 'usb'), '--show'], { env: { LC_ALL: 'en_US.UTF-8' } }).exit;
    assert.match(
      show.stdout,
      new RegExp(
        `^program ${name.replace('.', '\\.')}: \\d+ bytes, hash [0-9a-f]{8}\\nThe board is in safe mode: the program was stopped 2 times in a row \\(${words}\\)\\. Send a corrected one, or --clear\\.\\n$`,
      ),
      show.stderr,
    );
  }

  test('a program that fills the heap: memory full, counted, twice; then safe mode, and --show says why', async () => {
    try {
      await sim.waitFor(/^Connected to /);
      const at = await send('eat.js', "print('starting');\nconst a = [];\nwhile (true) a.push(new Array(1000));\n");
      await abortsTwiceThenSafe('eat.js', at, 'memory full', 'm', 'it exhausted the memory', 'it used all the memory');
    } catch (e) {
      e.message += `\n-- the board's last lines:\n${sim?.lines.slice(-40).join('\n')}`;
      throw e;
    }
  });

  test('small strings until the heap is full (little room left at the abort): counted all the same', async () => {
    try {
      await sim.waitFor(/^Connected to /);
      const at = await send('bits.js', "print('starting');\nconst a = [];\nlet i = 0;\nwhile (true) a.push('bit ' + i++);\n");
      await abortsTwiceThenSafe('bits.js', at, 'memory full', 'm', 'it exhausted the memory', 'it used all the memory');
    } catch (e) {
      e.message += `\n-- the board's last lines:\n${sim?.lines.slice(-40).join('\n')}`;
      throw e;
    }
  });

  test('a recursion without end: the stack overflows, which the abort hook is not given; the run counted at its start; safe mode', async () => {
    try {
      await sim.waitFor(/^Connected to /);
      const at = await send('deep.js', "print('starting');\nfunction deeper(n) { return deeper(n + 1) + 1; }\ndeeper(0);\n");
      await abortsTwiceThenSafe(
        'deep.js',
        at,
        '(JavaScript|native) stack overflow',
        'r',
        'the board restarted while the program ran',
        'the board restarted while it ran',
      );
    } catch (e) {
      e.message += `\n-- the board's last lines:\n${sim?.lines.slice(-40).join('\n')}`;
      throw e;
    }
  });

  test('a loop after an await in a callback: too much computation, counted, twice; then safe mode', async () => {
    try {
      await sim.waitFor(/^Connected to /);
      const at = await send('await.js', "print('starting');\nevery(1000, async () => { await 0; for (;;) {} });\n");
      await abortsTwiceThenSafe('await.js', at, 'too much computation', 'l', 'it never gave control back', 'an endless loop: it never gave control back');
    } catch (e) {
      e.message += `\n-- the board's last lines:\n${sim?.lines.slice(-40).join('\n')}`;
      throw e;
    }
  });
});
