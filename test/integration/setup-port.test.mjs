// `mqtt-pair setup --port` against boards answering Improv in Node over ptys (helpers/improv-board.mjs;
// the firmware itself in Moddable's simulator: mcsim-setup-class.test.mjs). The roster's state file:
// two setups at once take two students, never one twice; a board keeps its student and its client
// id, which no one can guess from the names on the projector, even once a line is added at the top
// of the roster; a state file of the old format is read, rewritten by name and kept. Names: NFC,
// look-alikes refused in one line. What a board says is printed escaped, and a board that never
// ends its answer is cut off in one line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { improv } from '../../dist/index.js';
import { improvBoard } from '../helpers/improv-board.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';

const skip = socatSkip();

describe('mqtt-pair setup --port: the roster kept by name (Node boards over ptys)', { skip }, () => {
  let work;
  const boards = [];
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-setup-port-'));
  });
  after(async () => {
    for (const b of boards) await b.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const plug = async (name, options = {}) => {
    const b = await improvBoard(join(work, `${name}.usb`), { name, ...options });
    boards.push(b);
    return b;
  };
  const setup = (board, roster, more = []) =>
    mqttPair([
      'setup',
      '--port',
      board.path,
      ...(roster ? ['--roster', roster, '--school', 'LycMaurois', '--class', 'SNT_2nde'] : []),
      '--ssid',
      'JAMS2',
      '--password',
      'motdepasse',
      'broker=127.0.0.1',
      ...more,
    ]).exit;
  const state = (roster) => JSON.parse(readFileSync(`${roster}.boards.json`, 'utf8'));

  test('two setups at once: two students, each with a client id of its own, kept when a line is added at the top', async () => {
    const roster = join(work, 'names.txt');
    writeFileSync(roster, 'alice bob\n');
    const a = await plug('mqtt-pair-000a');
    const b = await plug('mqtt-pair-000b');
    const [ra, rb] = await Promise.all([setup(a, roster), setup(b, roster)]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    const who = (r) => /set up: (\w+) \(/.exec(r.stdout)?.[1];
    assert.deepEqual([who(ra), who(rb)].sort(), ['alice', 'bob'], `${ra.stdout}${rb.stdout}`);
    const [alice, bob] = who(ra) === 'alice' ? [a, b] : [b, a];
    assert.equal(alice.settings.get('name'), 'alice');
    assert.equal(bob.settings.get('name'), 'bob');
    // Not alice-esp1: a student reading the projector cannot take it with mosquitto_sub -i.
    assert.match(alice.settings.get('clientId'), /^alice-esp1-[0-9a-f]{12}$/);
    assert.match(bob.settings.get('clientId'), /^bob-esp2-[0-9a-f]{12}$/);
    assert.deepEqual(state(roster), {
      version: 2,
      students: {
        alice: { esp1: { board: alice.name, clientId: alice.settings.get('clientId') } },
        bob: { esp2: { board: bob.name, clientId: bob.settings.get('clientId') } },
      },
    });
    assert.ok(!existsSync(`${roster}.boards.json.lock`), 'the lock is released');

    // A line added at the top of the roster: alice's board is still alice's, with the same client id.
    const id = alice.settings.get('clientId');
    writeFileSync(roster, 'chloe david\nalice bob\n');
    alice.settings.clear();
    const again = await setup(alice, roster);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /set up: alice \(pair 2, ESP#1, hello, with bob\) on LycMaurois\/SNT_2nde\/alice\//);
    assert.equal(alice.settings.get('clientId'), id);
    // And a new board gets chloe, the first free one.
    const c = await plug('mqtt-pair-000c');
    const rc = await setup(c, roster);
    assert.equal(rc.code, 0, rc.stderr);
    assert.match(rc.stdout, /set up: chloe \(pair 1, ESP#1/);
  });

  test('--replace NAME: a spare board for a student whose board broke, that student only; a name not on the list changes nothing', async () => {
    const roster = join(work, 'spare.txt');
    writeFileSync(roster, 'Karim lea\n');
    const k = await plug('mqtt-pair-0k01');
    const l = await plug('mqtt-pair-0l01');
    for (const b of [k, l]) assert.equal((await setup(b, roster)).code, 0);
    const oldId = k.settings.get('clientId');
    const spare = await plug('mqtt-pair-05a1');
    assertOneLineError(await setup(spare, roster), 'mqtt-pair setup:', /the class is full/);

    // A name not on the list, in English and in French: one line, the state file as it was.
    const before = readFileSync(`${roster}.boards.json`, 'utf8');
    assertOneLineError(
      await setup(spare, roster, ['--replace', 'zoe']),
      'mqtt-pair setup:',
      /"zoe" is on no line of .*spare\.txt: check the name \(nothing changed\)$/,
    );
    const lang = process.env.LC_ALL;
    process.env.LC_ALL = 'fr_FR.UTF-8';
    const fr = setup(spare, roster, ['--replace', 'zoe']);
    if (lang === undefined) delete process.env.LC_ALL;
    else process.env.LC_ALL = lang;
    assertOneLineError(await fr, 'mqtt-pair setup:', /« zoe » n’est sur aucune ligne de .*spare\.txt : vérifiez le prénom \(rien n’a changé\)$/);
    const noRoster = await mqttPair(['setup', '--port', spare.path, '--replace', 'karim']).exit;
    assertOneLineError(noRoster, 'mqtt-pair setup:', /--replace karim goes with the class's list: --roster/);
    assert.equal(readFileSync(`${roster}.boards.json`, 'utf8'), before, 'nothing stored changed');
    assert.equal(spare.settings.size, 0, 'nothing sent to the board');

    // « karim » for « Karim »: names compared without case. The spare is Karim's, with a new client id.
    const r = await setup(spare, roster, ['--replace', 'karim']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Karim no longer has board mqtt-pair-0k01: the next board plugged in is theirs\n/);
    assert.match(r.stdout, /mqtt-pair-05a1 \(ESP32, mqtt-pair 0\.1\.0\) set up: Karim \(pair 1, ESP#1, hello, with lea\)/);
    assert.equal(spare.settings.get('name'), 'Karim');
    assert.match(spare.settings.get('clientId'), /^Karim-esp1-[0-9a-f]{12}$/);
    assert.notEqual(spare.settings.get('clientId'), oldId, 'the broken board, should it come back, is not Karim any more');
    assert.deepEqual(state(roster).students, {
      Karim: { esp1: { board: spare.name, clientId: spare.settings.get('clientId') } },
      lea: { esp2: { board: l.name, clientId: l.settings.get('clientId') } },
    });

    // Without --port: the student is freed for the next board plugged in, and only that student.
    const free = await mqttPair(['setup', '--roster', roster, '--school', 'LycMaurois', '--class', 'SNT_2nde', '--replace', 'lea']).exit;
    assert.equal(free.code, 0, free.stderr);
    assert.equal(free.stdout, 'lea no longer has board mqtt-pair-0l01: the next board plugged in is theirs\n');
    assert.deepEqual(Object.keys(state(roster).students), ['Karim']);
    const next = await plug('mqtt-pair-05a2');
    const rn = await setup(next, roster);
    assert.equal(rn.code, 0, rn.stderr);
    assert.match(rn.stdout, /set up: lea \(pair 1, ESP#2, responder, with Karim\)/);
  });

  test('a state file of the old format (by line): read, rewritten by name, the old one kept', async () => {
    const roster = join(work, 'old.txt');
    writeFileSync(roster, 'emma farid\n');
    const old = `${JSON.stringify({ boards: { 1: 'mqtt-pair-00f1' } }, null, 2)}\n`;
    writeFileSync(`${roster}.boards.json`, old);
    const farid = await plug('mqtt-pair-00f1');
    const r = await setup(farid, roster);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /set up: farid \(pair 1, ESP#2/, 'the board keeps its student');
    assert.match(r.stderr, /old\.txt\.boards\.json: rewritten by student name \(the old file, by line number, is kept as .*old\.txt\.boards\.json\.v1\)/);
    assert.equal(readFileSync(`${roster}.boards.json.v1`, 'utf8'), old);
    assert.deepEqual(state(roster).students, { farid: { esp2: { board: 'mqtt-pair-00f1', clientId: farid.settings.get('clientId') } } });
    const emma = await plug('mqtt-pair-00e1');
    const re = await setup(emma, roster);
    assert.match(re.stdout, /set up: emma \(pair 1, ESP#1/, re.stderr);
  });

  test('a lock left by a setup that died is taken over; the lock is released after each run', async () => {
    const roster = join(work, 'stale.txt');
    writeFileSync(roster, 'gina\n');
    // A process that has ended: its pid is free.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(`${roster}.boards.json.lock`, `${dead} ${Date.now()}\n`);
    const g = await plug('mqtt-pair-0050');
    const r = await setup(g, roster);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /set up: gina \(pair 1, ESP#1, hello, both boards\)/);
    assert.ok(!existsSync(`${roster}.boards.json.lock`));
    assert.equal(state(roster).students.gina.esp1.board, 'mqtt-pair-0050');
  });

  test('a board whose set-up fails before it starts gives its student back to the next board', async () => {
    const roster = join(work, 'fails.txt');
    writeFileSync(roster, 'hugo ines\n');
    const refusing = await plug('mqtt-pair-0060', {
      onCommand: (cmd, _strings, pty) => {
        if (cmd !== improv.WIFI_SETTINGS) return false;
        pty.write(improv.errorFrame(improv.UNABLE_TO_CONNECT));
        return true;
      },
    });
    assertOneLineError(await setup(refusing, roster), 'mqtt-pair setup:', /could not join the WiFi/);
    assert.deepEqual(state(roster).students, {}, 'hugo is free again');
    const next = await plug('mqtt-pair-0061');
    const r = await setup(next, roster);
    assert.match(r.stdout, /set up: hugo \(pair 1, ESP#1/, r.stderr);
  });

  test('a refused setting is said from the frame the board sent, in English and in French, with no console line to read', async () => {
    // The board's refusal as data (docs/improv.md, « A refused setting »), then its error: nothing on its console.
    const refusing = await plug('mqtt-pair-0062', {
      onCommand: (cmd, strings, pty) => {
        if (cmd !== improv.SET_SETTINGS || strings[0] !== 'topicPrefix') return false;
        pty.write(Buffer.concat([improv.refusalFrame(cmd, 'topicPrefix', 'long', ['80', '62']), improv.errorFrame(improv.INVALID_SETTING)]));
        return true;
      },
    });
    const long = `topicPrefix=${'a'.repeat(79)}/`;
    const en = await mqttPair(['setup', '--port', refusing.path, long], { env: { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' } }).exit;
    assertOneLineError(en, 'mqtt-pair setup:', /^mqtt-pair setup: the board refuses topicPrefix: topicPrefix is 80 bytes long: the board keeps at most 62$/m);
    const fr = await mqttPair(['setup', '--port', refusing.path, long], { env: { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' } }).exit;
    assertOneLineError(fr, 'mqtt-pair setup:', /^mqtt-pair setup: la carte refuse topicPrefix : topicPrefix fait 80 octets : la carte en garde au plus 62$/m);
    assert.equal(refusing.settings.has('topicPrefix'), false);
  });

  test('students called __proto__ and constructor are students like the others', async () => {
    const roster = join(work, 'proto.txt');
    writeFileSync(roster, '__proto__ constructor\n');
    const p1 = await plug('mqtt-pair-0070');
    const p2 = await plug('mqtt-pair-0071');
    for (const [b, name] of [
      [p1, '__proto__'],
      [p2, 'constructor'],
    ]) {
      const r = await setup(b, roster);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(b.settings.get('name'), name);
    }
    assert.deepEqual(Object.keys(state(roster).students), ['__proto__', 'constructor']);
    assert.equal(state(roster).students.constructor.esp2.board, 'mqtt-pair-0071');
  });

  test("names: NFD « Zoë » set up as NFC; look-alikes of « alice » refused in one line, as the roster's", async () => {
    const roster = join(work, 'zoe.txt');
    writeFileSync(roster, 'Zoe\u0308 alice\n');
    const z = await plug('mqtt-pair-0020');
    const r = await setup(z, roster);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(z.settings.get('name'), 'Zo\u00eb');
    assert.equal(z.settings.get('topicPrefix'), 'LycMaurois/SNT_2nde/zo\u00eb/');
    assert.deepEqual(Object.keys(state(roster).students), ['Zo\u00eb']);

    const bad = join(work, 'lookalike.txt');
    writeFileSync(bad, 'alice bob\n\u0430lice\n');
    assertOneLineError(await setup(z, bad), 'mqtt-pair setup:', /lookalike\.txt: line 2 \('\u0430lice'\): '\u0430lice' mixes alphabets \(Latin and Cyrillic\)/);
    writeFileSync(bad, 'alice bob\n\uff41\uff4c\uff49\uff43\uff45\n');
    assertOneLineError(await setup(z, bad), 'mqtt-pair setup:', /line 2 .*: type it again with plain letters/);
    // Without a roster, name= and peer= are checked the same way.
    assertOneLineError(
      await setup(z, undefined, ['role=hello', 'name=\u0430lice']),
      'mqtt-pair setup:',
      /^mqtt-pair setup: name=\u0430lice: .*mixes alphabets/,
    );
    const n = await setup(z, undefined, ['role=hello', 'peer=Zoe\u0308']);
    assert.equal(n.code, 0, n.stderr);
    assert.equal(z.settings.get('peer'), 'Zo\u00eb');
  });

  test('what a board says (its name, chip, version, prefix) is printed escaped', async () => {
    const odd = await plug('mqtt-pair-0030', { info: ['mqtt-pair', '0.1.0\u001b]0;owned\u0007', 'ESP32\u001b[2J', 'mqtt-pair-0030\u001b[31m'] });
    const r = await setup(odd, undefined, ['role=hello', 'topicPrefix=a/\u001b[1mb/']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stdout), `no control code reaches the terminal: ${JSON.stringify(r.stdout)}`);
    assert.match(
      r.stdout,
      /^mqtt-pair-0030\\x1b\[31m \(ESP32\\x1b\[2J, mqtt-pair 0\.1\.0\\x1b\]0;owned\\x07\) set up: role hello on a\/\\x1b\[1mb\/, WiFi "JAMS2"$/m,
    );
  });

  test('a board that never ends a get is cut off in one line', async () => {
    let flooding = true;
    const endless = await plug('mqtt-pair-0040', {
      onCommand: (cmd, _strings, pty) => {
        if (cmd !== improv.GET_SETTINGS) return false;
        const row = improv.resultFrame(cmd, ['x'.repeat(60), 'y'.repeat(60), 'stored']);
        const more = () => {
          if (!flooding) return;
          pty.write(row);
          setImmediate(more);
        };
        more();
        return true;
      },
    });
    try {
      assertOneLineError(
        await setup(endless, undefined, ['role=hello']),
        'mqtt-pair setup:',
        /^mqtt-pair setup: the board on .*0040\.usb sent more than 256 answers to one command without ending it: is it running mqtt-pair\? \(stopped listening to it\)$/,
      );
    } finally {
      flooding = false;
    }
  });
});
