// A runaway program on the Moddable firmware in mcsim (the class's one image, XS built with
// mxMetering by manifest.json): `while (true) {}` sent with `mqtt-pair program` is stopped by XS's
// meter, the board restarts and stops it again, and after two stops in a row plays its role
// without it (safe mode), saying why with the program's name, size and hash; a callback that
// loops (`every(1000, () => { for (;;) {} })`, inside a try/catch of its own) is stopped the same
// way; `--show` says safe mode and why; `--clear` gives the built-in role back. Before the meter, mcsim hung at the first loop.
import { test, describe, before } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { moddableSkip } from '../helpers/moddable.mjs';
import { mosquittoSkip } from '../helpers/mosquitto.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { clearProgramOverPty, helloBoardAround, sendProgramOverPty } from '../helpers/mcsim-board.mjs';
import { mqttPair } from '../helpers/child.mjs';
import { until } from '../helpers/wait.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/bob/';
const skip = moddableSkip() || socatSkip() || mosquittoSkip();

describe('a runaway program on the Moddable firmware (mcsim)', { skip }, () => {
  const scene = helloBoardAround('mcsim-runaway', PREFIX, 'bob-esp1-mcsim', {
    // Short, so that a join timer a stopped board left behind would fire while the test looks.
    wifiTimeout: 5000,
  });
  let sub, work, board, sim;
  before(() => {
    ({ sub, work, board } = scene);
    sim = board.sim;
  });

  /** Sends `source` as `name`; resolves once the board said it stored it. */
  const send = (name, source) => sendProgramOverPty(sim, board.port, work, name, source);

  /** Two stops, then safe mode with its reason; the role runs again (its own hellos reach the broker). */
  async function stoppedTwiceThenSafe(name, at) {
    await sim.waitFor(/^Program stopped: it never gave control back: more than \d+ steps at once; restarting the board \(1 of 2\)$/, { after: at });
    await sim.waitFor(/^Program stopped: it never gave control back: more than \d+ steps at once; restarting the board \(2 of 2\)$/, { after: at });
    const safe = await sim.waitFor(/^Safe mode: /, { after: at });
    assert.match(
      safe,
      new RegExp(
        `^Safe mode: the program ${name.replace('.', '\\.')} \\(\\d+ bytes, hash [0-9a-f]{8}\\) was stopped 2 times in a row \\(it never gave control back: more than \\d+ steps at once\\); the board runs its role without it`,
      ),
    );
    const from = sim.lines.length;
    await sim.waitFor(/^Connected to /, { after: from });
    // Eight of the role's hellos, one a second: longer than the WiFi's join timeout, and the
    // board stays connected all along (the stopped boards' WiFi joins are gone with them).
    const heard = sub.lines.length;
    await until(() => sub.lines.slice(heard).filter((l) => l.startsWith(`${PREFIX}hello Hello #`)).length >= 8, "the role's hellos in safe mode");
    assert.ok(!sim.lines.slice(at).some((l) => l.startsWith('WiFi: ')), sim.lines.slice(at).join('\n'));
    // Never a third start of the program: safe mode holds.
    assert.equal(sim.lines.slice(at).filter((l) => /^Program: \d+ characters, starting$/.test(l)).length, 2, sim.lines.slice(at).join('\n'));
  }

  test('while (true) {} and a looping callback: stopped twice, then safe mode; --clear gives the role back', async () => {
    try {
      await sim.waitFor(/^Connected to /);

      const at = await send('runaway.js', "print('runaway starting');\nwhile (true) {}\n");
      await stoppedTwiceThenSafe('runaway.js', at);
      assert.equal(sim.lines.slice(at).filter((l) => l === 'runaway starting').length, 2);

      // A new program starts with no stops; this one loops in a callback, and catches what it can.
      // Sent with the console followed until Ctrl+C: the command says the board's program events
      // (frames, not console lines) in the teacher's language, each start and each stop.
      const file = join(work, 'loop.js');
      writeFileSync(file, "print('loop starting');\nevery(1000, () => { for (;;) { try { for (;;) {} } catch (e) {} } });\n");
      const at2 = sim.lines.length;
      const cli = mqttPair(['program', '--port', board.port, file], { env: { LC_ALL: 'fr_FR.UTF-8' } });
      await stoppedTwiceThenSafe('loop.js', at2);
      await cli.waitFor('stdout', /sur 2 avant le mode sans échec\n[^]*sur 2 avant le mode sans échec\n/);
      const followed = await cli.stop();
      assert.deepEqual(
        followed.stdout.split('\n').filter((l) => l.startsWith('→ ')),
        [
          '→ la carte lance le programme loop.js',
          '→ la carte a arrêté le programme (une boucle sans fin : il ne rendait jamais la main) et redémarre : 1 fois de suite sur 2 avant le mode sans échec',
          '→ la carte lance le programme loop.js',
          '→ la carte a arrêté le programme (une boucle sans fin : il ne rendait jamais la main) et redémarre : 2 fois de suite sur 2 avant le mode sans échec',
        ],
        followed.stdout,
      );

      // --show says the program, and that the board runs without it, and why.
      const show = await mqttPair(['program', '--port', board.port, '--show'], { env: { LC_ALL: 'en_US.UTF-8' } }).exit;
      assert.match(
        show.stdout,
        /^program loop\.js: \d+ bytes, hash [0-9a-f]{8}\nThe board is in safe mode: the program was stopped 2 times in a row \(an endless loop: it never gave control back\)\. Send a corrected one, or --clear\.\n$/,
        show.stderr,
      );

      const boot = await clearProgramOverPty(board);
      assert.ok(!sim.lines.slice(boot).some((l) => /^(Program|Safe mode)/.test(l)), sim.lines.slice(boot).join('\n'));
    } catch (e) {
      e.message += `\n-- the board's last lines:\n${sim?.lines.slice(-40).join('\n')}`;
      throw e;
    }
  });
});
