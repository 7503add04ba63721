// A program past the board's limits on the Moddable firmware in mcsim (the class's one image, on an
// ESP32's heap, fixed): ones that fill the heap (arrays, small strings), and one that loops after an
// `await` (outside the entries the meter guards one by one). Each makes XS abort (`memory full`,
// `too much computation`); the firmware's abort hook marks the run as stopped, with its code, in the
// Preference file before the machine goes. A recursion without end overflows the stack, an abort the
// SDK gives no hook: the run counted when it began is the stop. mcsim has no reset: after an abort
// it runs nothing more, so the test starts it again on the same folder (its Preference file), as a
// board's reset would. The board could not say the stop as it happened: it says it at the next
// boot (its `stopped` event, which `mqtt-pair program`, following, prints). After two such stops the
// board plays its role without the program (safe mode), says why, and `--show` says it too.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moddableSkip } from '../helpers/moddable.mjs';
import { mosquittoSkip } from '../helpers/mosquitto.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { mqttPair } from '../helpers/child.mjs';
import { helloBoardAround, stopsInFlash } from '../helpers/mcsim-board.mjs';
import { until } from '../helpers/wait.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/carol/';
// An ESP32's heap, fixed (any allocation beyond it aborts XS), as test/firmware/mcsim-setup-program.test.mjs.
const ESP32_HEAP = { creation: { heap: { initial: 3072, incremental: 0 }, chunk: { initial: 49152, incremental: 0 } } };
const skip = moddableSkip() || socatSkip() || mosquittoSkip();

const MEMORY = { abort: 'memory full', code: 'm', why: 'it exhausted the memory', words: 'it used all the memory' };
// Each program: the test's title, its name and source, the XS abort it ends in (its words), the code
// of its stop in the flash, the reason safe mode gives and the one `--show` gives (and the CLI's
// `stopped` line, but for `r`: `cause`).
const PROGRAMS = [
  {
    title: 'a program that fills the heap: memory full, counted, twice; then safe mode, and --show says why',
    name: 'eat.js',
    source: "print('starting');\nconst a = [];\nwhile (true) a.push(new Array(1000));\n",
    ...MEMORY,
  },
  {
    title: 'small strings until the heap is full (little room left at the abort): counted all the same',
    name: 'bits.js',
    source: "print('starting');\nconst a = [];\nlet i = 0;\nwhile (true) a.push('bit ' + i++);\n",
    ...MEMORY,
  },
  {
    title: 'a recursion without end: the stack overflows, which the abort hook is not given; the run counted at its start; safe mode',
    name: 'deep.js',
    source: "print('starting');\nfunction deeper(n) { return deeper(n + 1) + 1; }\ndeeper(0);\n",
    abort: '(JavaScript|native) stack overflow',
    code: 'r',
    why: 'the board restarted while the program ran',
    words: 'the board restarted while it ran',
    cause: 'nobody saw why: a reset, a crash, or a recursion too deep',
  },
  {
    title: 'a loop after an await in a callback: too much computation, counted, twice; then safe mode',
    name: 'await.js',
    source: "print('starting');\nevery(1000, async () => { await 0; for (;;) {} });\n",
    abort: 'too much computation',
    code: 'l',
    why: 'it never gave control back',
    words: 'an endless loop: it never gave control back',
  },
];

describe('a program past the limits on the Moddable firmware (mcsim)', { skip }, () => {
  const scene = helloBoardAround('mcsim-limits', PREFIX, 'carol-esp1-mcsim', {}, ESP32_HEAP);
  let sub, work, board;
  let boots = 0;
  before(() => {
    ({ sub, work, board } = scene);
  });

  /**
   * Sends the program with `mqtt-pair program`, which follows the board; it aborts XS (`abort`, its
   * words) and its stop is in the flash with `code` (mcsim says the abort before the hook runs: the
   * reset, a new mcsim on the same folder and pty, waits for the mark, as a board resets after it),
   * twice; then safe mode with `why`; the command said each stop at the boot after it, once;
   * --show says `words`.
   */
  async function abortsTwiceThenSafe({ name, source, abort, code, why, words, cause = words }) {
    await board.sim.waitFor(/^Connected to /);
    const file = join(work, name);
    writeFileSync(file, source);
    const at = board.sim.lines.length;
    const cli = mqttPair(['program', '--port', board.port, file], { env: { LC_ALL: 'en_US.UTF-8' } });
    await board.sim.waitFor(/^Program over USB: stored /, { after: at });
    for (const n of [1, 2]) {
      await board.sim.waitFor(/^starting$/, { after: n === 1 ? at : 0 });
      await board.sim.waitFor(new RegExp(`^XS abort: ${abort}`), { after: n === 1 ? at : 0 });
      await until(
        () => stopsInFlash(board).startsWith(`${n}${code} `),
        () => `the stop ${n}${code} in the flash (it holds « ${stopsInFlash(board)} »)`,
      );
      await board.restart(`${board.name}-${++boots}`);
    }
    const safe = await board.sim.waitFor(/^Safe mode: /);
    assert.match(
      safe,
      new RegExp(
        `^Safe mode: the program ${name.replace('.', '\\.')} \\(\\d+ bytes, hash [0-9a-f]{8}\\) was stopped 2 times in a row \\(${why}\\); the board runs its role`,
      ),
    );
    const from = sub.lines.length;
    await until(() => sub.lines.slice(from).filter((l) => l.startsWith(`${PREFIX}hello Hello #`)).length >= 2, "the role's hellos in safe mode");
    assert.ok(!board.sim.lines.includes('starting'), 'never a third start of the program');
    await cli.waitFor('stdout', /2 in a row: the board plays its role without it \(safe mode\)\n/);
    const followed = await cli.stop();
    assert.deepEqual(
      followed.stdout.split('\n').filter((l) => l.startsWith('→ ')),
      [
        `→ the board starts the program ${name}`,
        `→ the board restarted: the program had stopped (${cause}), 1 in a row of the 2 before safe mode`,
        `→ the board starts the program ${name}`,
        `→ the board restarted: the program had stopped (${cause}), 2 in a row: the board plays its role without it (safe mode)`,
      ],
      followed.stdout,
    );
    const show = await mqttPair(['program', '--port', board.port, '--show'], { env: { LC_ALL: 'en_US.UTF-8' } }).exit;
    assert.match(
      show.stdout,
      new RegExp(
        `^program ${name.replace('.', '\\.')}: \\d+ bytes, hash [0-9a-f]{8}\\nThe board is in safe mode: the program was stopped 2 times in a row \\(${words}\\)\\. Send a corrected one, or --clear\\.\\n$`,
      ),
      show.stderr,
    );
  }

  for (const program of PROGRAMS) {
    test(program.title, async () => {
      try {
        await abortsTwiceThenSafe(program);
      } catch (e) {
        e.message += `\n-- the board's last lines:\n${board?.sim?.lines.slice(-40).join('\n')}`;
        throw e;
      }
    });
  }
});
