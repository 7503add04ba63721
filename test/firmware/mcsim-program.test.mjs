// A student's program on the Moddable firmware in mcsim: the class's one image (the XS parser kept:
// manifest.json's "strip": [] and "programs": true for lin), the tutorial's ESP#1 sent with
// `mqtt-pair program` over a pty pair (the board's serial port and the computer's), compiled by XS
// on the board and stored in its Preference; its Hello #N reach Mosquitto; a restart (a new mcsim
// on the same folder, the same Preference file) keeps it; a syntax error comes back as data, said
// in one line, the program kept; `--clear` gives the built-in role back.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moddableSkip } from '../helpers/moddable.mjs';
import { mosquittoSkip } from '../helpers/mosquitto.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { clearProgramOverPty, helloBoardAround, stopsInFlash } from '../helpers/mcsim-board.mjs';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';
import { until } from '../helpers/wait.mjs';
import { ESP1_PROGRAM } from '../helpers/programs.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/alice/';
const ESP1 = ESP1_PROGRAM;

const skip = moddableSkip() || socatSkip() || mosquittoSkip();

describe("a student's program on the Moddable firmware (mcsim)", { skip }, () => {
  const scene = helloBoardAround('mcsim-program', PREFIX, 'alice-esp1-mcsim');
  let sub, work, board, sim;
  before(() => {
    ({ sub, work, board } = scene);
    sim = board.sim;
  });

  test('ESP#1 sent with mqtt-pair program: its Hello #N; kept across a restart; --clear gives the role back', async () => {
    try {
      await steps();
    } catch (e) {
      // What the board said, to tell why.
      e.message += `\n-- the board's last lines:\n${sim?.lines.slice(-30).join('\n')}`;
      throw e;
    }
  });

  async function steps() {
    await sim.waitFor(/^Connected to /);
    const file = join(work, 'esp1.js');
    writeFileSync(file, ESP1);
    const cli = mqttPair(['program', '--port', board.port, file, '-W', '600']);
    await cli.waitFor('stdout', /^esp1\.js sent: \d+ bytes, hash [0-9a-f]{8}; the board restarts to run it$/m);
    await cli.waitFor('stdout', /^Program: esp1\.js, stored on this board$/m);
    const from = sub.lines.length;
    await until(() => sub.lines.slice(from).includes(`${PREFIX}hello Hello #1`), "the program's Hello #1");
    const r = await cli.stop();
    assert.equal(r.code, 0, r.stderr);

    // New settings twice while the program runs, well within its first 30 s: restarts asked for,
    // no stops of the program's. Each boot counts only its own run (1), and nothing is said of a stop.
    for (const interval of [1500, 1000]) {
      const at = sim.lines.length;
      const set = await mqttPair(['setup', '--port', board.port, `interval=${interval}`]).exit;
      assert.equal(set.code, 0, set.stdout + set.stderr);
      assert.doesNotMatch(set.stdout, /restarted|stopped/, 'no stop said');
      await sim.waitFor(/^Program: esp1\.js, stored on this board$/, { after: at });
      assert.match(stopsInFlash(board), /^1r /, 'the run under way only');
    }
    assert.ok(!sim.lines.some((l) => l.startsWith('Safe mode')), sim.lines.join('\n'));

    // A restart: a new mcsim on the same folder (its Preference file).
    sim = await board.restart('program-board-again');
    await sim.waitFor(/^Program: esp1\.js, stored on this board$/);
    const again = sub.lines.length;
    await until(() => sub.lines.slice(again).includes(`${PREFIX}hello Hello #0`), "the program's Hello #0 after the restart");

    const show = await mqttPair(['program', '--port', board.port, '--show']).exit;
    assert.match(show.stdout, /^program esp1\.js: \d+ bytes, hash [0-9a-f]{8}\n$/, show.stderr);

    // A syntax error: the board's refusal as data (its code, line and XS's message), said by the CLI
    // in the teacher's language; the board keeps esp1.js.
    const bad = join(work, 'bad.js');
    writeFileSync(bad, "let a = 1;\nmqtt.publish('hello', 'x';\n");
    const refused = await mqttPair(['program', '--port', board.port, bad], { env: { LC_ALL: 'fr_FR.UTF-8' } }).exit;
    assertOneLineError(
      refused,
      'mqtt-pair program: ',
      /^mqtt-pair program: la carte a refusé le programme bad\.js et garde le sien : ligne 2(, colonne \d+)? : SyntaxError: .+$/,
    );
    const kept = await mqttPair(['program', '--port', board.port, '--show']).exit;
    assert.match(kept.stdout, /^program esp1\.js: /, kept.stderr);

    const boot = await clearProgramOverPty(board);
    assert.ok(!sim.lines.slice(boot).some((l) => l.startsWith('Program:')), sim.lines.slice(boot).join('\n'));
  }
});
