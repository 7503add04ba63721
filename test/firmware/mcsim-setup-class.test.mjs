// `mqtt-pair setup --port` against the firmware in Moddable's simulator: the class's one image (no
// WiFi, no broker, no role), six boards plugged in one after the other, each on a pair of ptys standing
// for its USB cable (helpers/mcsim-board.mjs: the board opens one, the command the other) in a folder of its own (its settings). The command, as a
// teacher types it with a roster of six students, gives each board the next student: alice ESP#1
// (hello) and bob ESP#2 (responder) on LycMaurois/SNT_2nde/alice/, then chloe and david, emma and
// farid. Each run exits 0 once its board's first hello or reply reached the broker, and the class
// ends with three pairs exchanging hellos (mosquitto_sub sees them). Then bad input, one line each:
// a port nobody answers on, a roster with a name twice, a full class.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moddableSkip } from '../helpers/moddable.mjs';
import { mosquittoSkip } from '../helpers/mosquitto.mjs';
import { openPty, socatSkip } from '../helpers/pty.mjs';
import { SETUP_MODE, SIM_WIFI, firmwareOverPty, mcsimAround, mcsimBoardOverPty, setupOverPty } from '../helpers/mcsim-board.mjs';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';
import { until } from '../helpers/wait.mjs';

const skip = moddableSkip() || mosquittoSkip() || socatSkip();
const STUDENTS = ['alice', 'bob', 'chloe', 'david', 'emma', 'farid'];
const GROUP = 'LycMaurois/SNT_2nde';
const WIFI_PASSWORD = SIM_WIFI.password;

describe('mqtt-pair setup --port: a class of six boards from a roster (mcsim)', { skip }, () => {
  const scene = mcsimAround('setup-class', `${GROUP}/#`);
  const { boards } = scene;
  let broker, so, work, sub, roster;
  before(async () => {
    ({ broker, sub, work } = scene);
    roster = join(work, 'names.txt');
    writeFileSync(roster, `# SNT 2nde, groupe A\n${[0, 2, 4].map((i) => `${STUDENTS[i]} ${STUDENTS[i + 1]}`).join('\n')}\n`);
    so = await firmwareOverPty({ ssid: '' });
  });

  const setup = (port, more = []) => setupOverPty(port, { roster, brokerPort: broker.port, password: WIFI_PASSWORD, more });

  test("six boards plugged in one after the other become three pairs, with the roster's names", async () => {
    for (const [i, name] of STUDENTS.entries()) {
      const board = await mcsimBoardOverPty(so, join(work, `board-${i + 1}`), { ready: SETUP_MODE });
      boards.push(board);
      const { dir, sim } = board;
      const r = await setup(board.port);
      assert.equal(r.code, 0, `${name}: ${r.stderr}\n${sim.output()}`);
      const esp = i % 2 === 0 ? 1 : 2;
      const first = STUDENTS[i - (esp - 1)];
      const peer = esp === 1 ? STUDENTS[i + 1] : first;
      assert.match(
        r.stdout,
        new RegExp(
          `^mqtt-pair-[0-9a-f]{6} \\(simulator, mqtt-pair \\S+\\) set up: ${name} \\(pair ${Math.floor(i / 2) + 1}, ESP#${esp}, ${esp === 1 ? 'hello' : 'responder'}, with ${peer}\\) on ${GROUP}/${first}/, WiFi "JAMS2"$`,
          'm',
        ),
      );
      assert.match(
        r.stdout,
        new RegExp(`^its first message reached 127\\.0\\.0\\.1:\\d+: ${GROUP}/${first}/${esp === 1 ? 'hello Hello #\\d+' : 'notification received'}$`, 'm'),
      );
      assert.ok(!`${r.stdout}${r.stderr}`.includes(WIFI_PASSWORD), 'the WiFi password is never printed');
      const stored = JSON.parse(readFileSync(join(dir, 'modpreferences.json'), 'utf8'))['mqtt-pair'];
      assert.deepEqual(
        { role: stored.role, topicPrefix: stored.topicPrefix, name: stored.name, peer: stored.peer, ssid: stored.ssid },
        { role: esp === 1 ? 'hello' : 'responder', topicPrefix: `${GROUP}/${first}/`, name, peer, ssid: 'JAMS2' },
      );
      // Not alice-esp1, which anyone reading the projector could take: a random suffix, kept in the state file.
      assert.match(stored.clientId, new RegExp(`^${name}-esp${esp}-[0-9a-f]{12}$`));
      assert.equal(JSON.parse(readFileSync(`${roster}.boards.json`, 'utf8')).students[name][`esp${esp}`].clientId, stored.clientId);
    }
    // Three pairs at work: each ESP#1's hellos, each ESP#2's replies, seen from the broker.
    for (const first of ['alice', 'chloe', 'emma']) {
      await until(() => sub.lines.includes(`${GROUP}/${first}/notification received`), `${first}'s pair: a reply`);
      await until(() => sub.lines.some((l) => l.startsWith(`${GROUP}/${first}/hello Hello #`)), `${first}'s pair: a hello`);
    }
    const state = JSON.parse(readFileSync(`${roster}.boards.json`, 'utf8')).students;
    assert.deepEqual(Object.keys(state), STUDENTS);
    assert.equal(new Set(Object.values(state).flatMap((s) => Object.values(s).map((r) => r.board))).size, 6, 'six boards, six names');
  });

  test('a board plugged in again keeps its student; a seventh finds the class full', async () => {
    const first = boards[0];
    const again = await setup(first.port);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /set up: alice \(pair 1, ESP#1, hello, with bob\)/);
    // A seventh board: the class of six is full.
    const seventh = await mcsimBoardOverPty(so, join(work, 'board-7'), { ready: SETUP_MODE });
    boards.push(seventh);
    assertOneLineError(
      await setup(seventh.port),
      'mqtt-pair setup:',
      /^mqtt-pair setup: the class is full: all 6 students of .*names\.txt have a board \(delete .*names\.txt\.boards\.json to start again\)$/,
    );
  });

  test('bad input: one clear line each', async () => {
    // A port nobody answers on (a pty with no board behind it).
    const silent = await openPty(join(work, 'silent'));
    try {
      assertOneLineError(await setup(silent.path), 'mqtt-pair setup:', /no answer from .*silent in \d+ s: is a board flashed with mqtt-pair on it/);
    } finally {
      await silent.stop();
    }
    // A port that does not exist.
    assertOneLineError(await setup(join(work, 'no-such-port')), 'mqtt-pair setup:', /cannot open .*no-such-port: no such port/);
    // A roster with a name twice.
    const twice = join(work, 'twice.txt');
    writeFileSync(twice, 'alice bob\nAlice\n');
    const r = await mqttPair(['setup', '--port', boards[0].port, '--roster', twice, '--school', 'LycMaurois', '--class', 'SNT_2nde']).exit;
    assertOneLineError(r, 'mqtt-pair setup:', /twice\.txt: line 2: 'Alice' is already on line 1/);
    // A setting the board refuses: its key and reason code sent as data, worded by the command; nothing stored.
    const bad = await mqttPair(['setup', '--port', boards[0].port, 'topicPrefix=a/#/']).exit;
    assertOneLineError(bad, 'mqtt-pair setup:', /the board refuses topicPrefix: topicPrefix cannot hold \+ or #$/);
  });
});
