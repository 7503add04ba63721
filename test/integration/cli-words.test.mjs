// `mqtt-pair classroom`'s own lines come from the commands' words (tools/words/cli-en.ts,
// cli-fr.ts): under a French locale the French line, else the English one, each the very string
// of its table. The refusals, a broker it cannot observe, and the embedded broker's lines; and the
// refusals of the flags watch and classroom share, of the broker flags, of sim, chat, pub and sub (-L's URL, -F's format too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliWords } from '../../dist/testing.js';
import { mqttPair } from '../helpers/child.mjs';
import { freePort } from '../helpers/mosquitto.mjs';
import { LIMIT } from '../helpers/wait.mjs';

const LANGS = [
  ['fr', { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' }],
  ['en', { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' }],
];

const dir = mkdtempSync(join(tmpdir(), 'classroom-words-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the French and the English tables differ where classroom speaks', () => {
  const [fr, en] = [cliWords('fr'), cliWords('en')];
  for (const key of ['classroomHowMany', 'embeddedLocalOnly']) assert.notEqual(fr[key], en[key], key);
  assert.notEqual(fr.cannotObserve('a/#', 'b', 'c'), en.cannotObserve('a/#', 'b', 'c'));
  assert.notEqual(fr.embeddedBroker(1883, 'ws://x/mqtt'), en.embeddedBroker(1883, 'ws://x/mqtt'));
});

for (const [lang, env] of LANGS) {
  const w = cliWords(lang);

  test(`${lang}: classroom's refusals are one line of the words`, async () => {
    const none = await mqttPair(['classroom', '--duration', '5'], { env }).exit;
    assert.equal(none.code, 1);
    assert.equal(none.stderr, `mqtt-pair classroom: ${w.classroomHowMany}\n`);

    const three = join(dir, 'three.txt');
    writeFileSync(three, 'alice bob\ncamille dan\neve\n');
    const differ = await mqttPair(['classroom', '--pairs', '2', '--roster', three], { env }).exit;
    assert.equal(differ.code, 1);
    assert.equal(differ.stderr, `mqtt-pair classroom: ${w.classroomPairsAndRoster(2, 3)}\n`);

    const other = join(dir, 'other.txt');
    writeFileSync(other, 'Autre/Classe/alice/\n');
    const prefixes = await mqttPair(['classroom', '--roster', other], { env }).exit;
    assert.equal(prefixes.code, 1);
    assert.equal(prefixes.stderr, `mqtt-pair classroom: ${w.classroomRosterNames('LycMaurois/SNT_2nde')}\n`);
  });

  test(`${lang}: a broker classroom cannot observe is one line of the words`, async () => {
    const port = await freePort();
    const r = await mqttPair(['classroom', '--pairs', '1', '--broker', `127.0.0.1:${port}`], { env }).exit;
    assert.equal(r.code, 1);
    // The reason after the words is the client's, worded by closeReason: only the words' own part is compared.
    const [before] = w.cannotObserve('LycMaurois/SNT_2nde/#', `127.0.0.1:${port}`, '\u0000').split('\u0000');
    assert.ok(r.stderr.startsWith(`mqtt-pair classroom: ${before}`), r.stderr);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
  });

  test(`${lang}: the embedded broker's lines, with the students' page on the classroom network`, async () => {
    const listen = await freePort();
    const run = mqttPair(['classroom', '--pairs', '1', '--web', '0', '--listen', `127.0.0.1:${listen}`, '--duration', String(LIMIT / 1000)], {
      env,
      timeout: 2 * LIMIT,
    });
    const [, port, ws] = await run.waitFor('stdout', /127\.0\.0\.1:(\d+)\S*? .*?(ws:\/\/127\.0\.0\.1:\d+\/mqtt)/);
    await run.waitFor('stdout', /\n {2}\(/);
    const r = await run.stop();
    const lines = r.stdout.split('\n');
    assert.ok(lines.includes(w.embeddedBroker(Number(port), ws)), r.stdout);
    assert.ok(lines.includes(w.embeddedLocalOnly), r.stdout);
  });
}

/** A refusal of a command, and the line the words make of it. */
const REFUSALS = [
  [['watch', '--school', 'LycMaurois'], 'watch', (w) => w.schoolAndClass],
  [['watch', '--listen', '127.0.0.2'], 'watch', (w) => w.goesWithWeb('--listen')],
  [['watch', '--lang', 'de'], 'watch', (w) => w.langValue('de')],
  [['classroom', '--pairs', '2', '--class', 'a/b'], 'classroom', (w) => w.topicLevel('--class', 'SNT_2nde', 'a/b')],
  [['watch', '--roster', join(dir, 'none.txt')], 'watch', (w) => w.rosterUnreadable(join(dir, 'none.txt'))],
  [['watch', '--web', '0', '--listen', 'my-laptop'], 'watch', (w) => w.listenAddress('my-laptop')],
  [['watch', '--web', '65535', '--listen', '127.0.0.2'], 'watch', (w) => w.listenNoPort(65535, '127.0.0.2:8081')],
  [['watch', '--web', '0', '--student-broker', 'http://x:9001'], 'watch', (w) => w.studentBrokerWs('http://x:9001')],
  [['watch', '--web', '0', '--student-broker', 'ws://u:secret@x:9001'], 'watch', (w) => w.studentBrokerAccount('ws://u:***@x:9001')],
  [['sim', '--cafile', 'ca.pem'], 'sim', (w) => w.tlsOnly('--cafile', false)],
  [['sim', '--broker', '127.0.0.1:1', '--insecure'], 'sim', (w) => w.tlsOnly('--insecure', true)],
  [['sim', '--role', 'robot'], 'sim', (w) => w.unknownRole('robot', ['pair', 'hello', 'responder', 'sensor', 'chat', 'remote', 'actuator'])],
  [['sim', '--role', 'chat'], 'sim', (w) => w.chatNeedsNamePeer],
  [['sim', '--program', join(dir, 'latin1.js')], 'sim', (w) => `--program ${join(dir, 'latin1.js')}: ${w.programNotUtf8}`],
  [['sim', '--program', join(dir, 'none.js')], 'sim', (w) => `--program ${join(dir, 'none.js')}: ${w.programUnreadable('ENOENT')}`],
  [['sim', '--program', join(dir, 'one.js'), '--role', 'pair'], 'sim', (w) => w.programOneBoard],
  [['pub', '-m', 'x'], 'pub', (w) => w.pubSub.pubNoTopic],
  [['pub', '-t', '', '-m', 'x'], 'pub', (w) => w.pubSub.pubEmptyTopic],
  [['pub', '-t', 'a', '-m', 'x', '-n'], 'pub', (w) => w.pubSub.oneMessage],
  [['pub', '-t', 'a'], 'pub', (w) => w.pubSub.noMessage],
  [['pub', '-t', 'a', '-l', '--repeat', '2'], 'pub', (w) => w.pubSub.repeatNotLines],
  [['pub', '-t', 'a', '-f', join(dir, 'none.txt')], 'pub', (w) => w.pubSub.cannotReadFile(join(dir, 'none.txt'), 'ENOENT')],
  [['pub', '-t', 'a', '-f', dir], 'pub', (w) => w.pubSub.cannotReadFile(dir, 'EISDIR')],
  [['pub', '-t', 'a', '-m', 'x', '-i', 'a', '-I', 'b'], 'pub', (w) => w.pubSub.idAndPrefix],
  [['pub', '-t', 'a', '-m', 'x', '-i', ''], 'pub', (w) => w.pubSub.idEmpty],
  [['pub', '-t', 'a', '-m', 'x', '-c'], 'pub', (w) => w.pubSub.persistNeedsId],
  [['pub', '-t', 'a', '-m', 'x', '-V', 'mqttv5'], 'pub', (w) => w.pubSub.only311('mqttv5')],
  [['pub', '-t', 'a', '-m', 'x', '--will-retain'], 'pub', (w) => w.pubSub.willNeedsTopic('--will-retain')],
  [['pub', '-t', 'a', '-m', 'x', '-i', 'x'.repeat(65536)], 'pub', (w) => w.pubSub.tooLong('id', 65536)],
  [['pub', '-t', 'a', '-m', 'x', '--insecure'], 'pub', (w) => w.pubSub.insecureNoTls],
  [['pub', '-m', 'x', '-L', 'ws://h/mqtt/a', '--cafile', 'ca.pem'], 'pub', (w) => w.pubSub.tlsOverWs('--cafile')],
  [['pub', '-t', 'a', '-m', 'x', '-h', 'u@h'], 'pub', (w) => w.pubSub.hostAlone('u@h')],
  [['pub', '-t', 'a', '-m', 'x', '-P', 'p'], 'pub', (w) => w.passwordNeedsUser],
  [['pub', '-m', 'x', '-L', 'nope'], 'pub', (w) => w.brokerUrl.form('nope')],
  [['pub', '-m', 'x', '-L', 'ftp://h/a'], 'pub', (w) => w.brokerUrl.scheme('ftp://h/a', 'ftp')],
  [['pub', '-m', 'x', '-L', 'mqtt://h'], 'pub', (w) => w.brokerUrl.noTopic('mqtt://h', 'mqtt://h/class/hello')],
  [['pub', '-m', 'x', '-L', 'mqtt://h:99999/a'], 'pub', (w) => w.brokerUrl.port('mqtt://h:99999/a')],
  [['sub', '-t', 'a', '-F', '%Z'], 'sub', (w) => w.format.code('Z')],
  [['sub', '-t', 'a', '-F', '%R'], 'sub', (w) => w.format.v5('R')],
  [['sub', '-t', 'a', '-F', '\\q'], 'sub', (w) => w.format.escape('q')],
  [['sub'], 'sub', (w) => w.pubSub.subNoTopic],
  [['sub', '-t', ''], 'sub', (w) => w.pubSub.subEmptyFilter],
  [['sub', '-t', 'a', '-R', '--retained-only'], 'sub', (w) => w.pubSub.retainedContradict],
  [
    ['chat', '--name', 'a#', '--peer', 'b'],
    'chat',
    (w) => w.chatNotATopic('name', 'a#', '', 'cannot publish to "a#": wildcards + and # are only for subscribing'),
  ],
];

for (const [lang, env] of LANGS) {
  test(`${lang}: the refusals of watch's, classroom's, sim's, chat's, pub's and sub's flags are lines of the words`, async () => {
    writeFileSync(join(dir, 'latin1.js'), Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x28, 0x27, 0xe9, 0x27, 0x29, 0x0a]));
    writeFileSync(join(dir, 'one.js'), "print('hi');\n");
    const w = cliWords(lang);
    for (const [args, command, line] of REFUSALS) {
      const r = await mqttPair(args, { env }).exit;
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr, `mqtt-pair ${command}: ${line(w)}\n`, args.join(' '));
    }
  });

  test(`${lang}: a '.' in a class's topic level: the note of the words`, async () => {
    const r = await mqttPair(['classroom', '--pairs', '1', '--class', 'SNT.2nde', '--web', '70000'], { env }).exit;
    assert.equal(r.code, 1);
    assert.ok(r.stderr.startsWith(`mqtt-pair: ${cliWords(lang).dotNote('SNT.2nde')}\n`), r.stderr);
  });
}
