// The tutorial's ESP#1 and ESP#2 as programs on two boards of the class's one image in mcsim: each
// board set up over its pty (`mqtt-pair setup --port`, a roster of two: alice ESP#1, bob ESP#2 on
// LycMaurois/SNT_2nde/alice/), then each sent its program with `mqtt-pair program` (the examples a
// student starts from: the built-in roles' own programs, src/apps/builtin/hello.js and
// responder.js). Each board says it runs its program; they pair (a Hello #N answered by
// « received », seen at Mosquitto); after a restart of both (new mcsim on the same folders, the same
// Preference files) they run their programs again and still pair.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moddableSkip } from '../helpers/moddable.mjs';
import { mosquittoSkip } from '../helpers/mosquitto.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { SETUP_MODE, firmwareOverPty, mcsimAround, mcsimBoardOverPty, setupOverPty } from '../helpers/mcsim-board.mjs';
import { mqttPair } from '../helpers/child.mjs';
import { until } from '../helpers/wait.mjs';

const skip = moddableSkip() || mosquittoSkip() || socatSkip();
const GROUP = 'LycMaurois/SNT_2nde';
const PREFIX = `${GROUP}/alice/`;
const root = new URL('../../', import.meta.url);
const example = (role) => readFileSync(new URL(`src/apps/builtin/${role}.js`, root), 'utf8');

describe("two boards of the one image pair through the tutorial's programs (mcsim)", { skip }, () => {
  const scene = mcsimAround('mcsim-program-pair', `${GROUP}/#`);
  const { boards } = scene;
  let broker, so, work, sub, roster;
  before(async () => {
    ({ broker, sub, work } = scene);
    roster = join(work, 'names.txt');
    writeFileSync(roster, 'alice bob\n');
    so = await firmwareOverPty({ ssid: '' });
  });

  test('ESP#1 and ESP#2 sent with mqtt-pair program pair; after a restart of both they still pair', async () => {
    try {
      await steps();
    } catch (e) {
      // What the boards said, to tell why.
      for (const b of boards) e.message += `\n-- ${b.student}'s last lines:\n${b.sim?.lines.slice(-25).join('\n')}`;
      throw e;
    }
  });

  const paired = async (from, what) => {
    await until(() => sub.lines.slice(from).some((l) => /^LycMaurois\/SNT_2nde\/alice\/hello Hello #\d+$/.test(l)), `${what}: a Hello #N`);
    await until(() => sub.lines.slice(from).includes(`${PREFIX}notification received`), `${what}: « received »`);
  };

  async function steps() {
    for (const [i, name] of ['alice', 'bob'].entries()) {
      const board = await mcsimBoardOverPty(so, join(work, `board-${i + 1}`), { ready: SETUP_MODE });
      board.student = name;
      boards.push(board);
      const r = await setupOverPty(board.port, { roster, brokerPort: broker.port });
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    }
    // Each board its program: ESP#1 on alice's, ESP#2 on bob's.
    const files = [
      ['esp1.js', example('hello')],
      ['esp2.js', example('responder')],
    ];
    const from = sub.lines.length;
    for (const [i, b] of boards.entries()) {
      const [name, text] = files[i];
      const file = join(work, name);
      writeFileSync(file, text);
      const at = b.sim.lines.length;
      const sent = await mqttPair(['program', '--port', join(b.dir, 'usb'), file, '-W', '1']).exit;
      assert.equal(sent.code, 0, sent.stderr);
      assert.match(sent.stdout, new RegExp(`^${name.replace('.', '\\.')} sent: \\d+ bytes, hash [0-9a-f]{8}; the board restarts to run it$`, 'm'));
      await b.sim.waitFor(new RegExp(`^Program: ${name.replace('.', '\\.')}, stored on this board$`), { after: at });
    }
    await paired(from, 'the two programs');

    // A restart of both: new mcsim on the same folders (their Preference files).
    for (const b of boards) await b.sim.stop();
    for (const b of boards) await b.start(`${b.student}-again`);
    const again = sub.lines.length;
    for (const [i, b] of boards.entries()) await b.sim.waitFor(new RegExp(`^Program: esp${i + 1}\\.js, stored on this board$`));
    await paired(again, 'after the restart');
    for (const [i, b] of boards.entries()) {
      const show = await mqttPair(['program', '--port', join(b.dir, 'usb'), '--show']).exit;
      assert.match(show.stdout, new RegExp(`^program esp${i + 1}\\.js: ${Buffer.byteLength(files[i][1])} bytes, hash [0-9a-f]{8}\\n$`), show.stderr);
    }
  }
});
