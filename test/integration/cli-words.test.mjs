// `mqtt-pair classroom`'s own lines come from the commands' words (tools/words/cli-en.ts,
// cli-fr.ts): under a French locale the French line, else the English one, each the very string
// of its table. The refusals, a broker it cannot observe, and the embedded broker's lines; and the
// refusals of the flags watch and classroom share (--roster's lines too), of the broker flags
// (--broker's value, --cafile's file), of sim, chat, pub and sub (-L's URL, -F's format too), and
// explore's: a filter the broker refuses, a page's port taken, and the retained question's code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cliWords, explorerEn, explorerFr, setupLine } from '../../dist/testing.js';
import { mqttPair } from '../helpers/child.mjs';
import { freePort, mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
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
  [['watch', '--roster', join(dir, 'none.txt')], 'watch', (w) => w.rosterUnreadable(join(dir, 'none.txt'), 'ENOENT')],
  [['watch', '--web', '0', '--listen', 'my-laptop'], 'watch', (w) => w.listenAddress('my-laptop')],
  [['watch', '--web', '65535', '--listen', '127.0.0.2'], 'watch', (w) => w.listenNoPort(65535, '127.0.0.2:8081')],
  [['watch', '--web', '0', '--student-broker', 'http://x:9001'], 'watch', (w) => w.studentBrokerWs('http://x:9001')],
  [['watch', '--web', '0', '--student-broker', 'ws://u:secret@x:9001'], 'watch', (w) => w.studentBrokerAccount('ws://u:***@x:9001')],
  [['sim', '--cafile', 'ca.pem'], 'sim', (w) => w.tlsOnly('--cafile', false)],
  [['sim', '--broker', '127.0.0.1:1', '--insecure'], 'sim', (w) => w.tlsOnly('--insecure', true)],
  [['sim', '--role', 'robot'], 'sim', (w) => w.unknownRole('robot', ['pair', 'hello', 'responder', 'sensor', 'chat', 'remote', 'actuator'])],
  [['sim', '--role', 'chat'], 'sim', (w) => w.chatNeedsNamePeer],
  [['sim', '--program', join(dir, 'latin1.js')], 'sim', (w) => w.program.notUtf8(join(dir, 'latin1.js'), 1)],
  [['sim', '--program', join(dir, 'none.js')], 'sim', (w) => w.program.noFile(join(dir, 'none.js'), 'ENOENT')],
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
  [['chat', '--name', 'a', '--peer', 'b', '--prefix', 'x+y'], 'chat', (w) => w.chatNotATopic('name', 'a', 'x+y/', w.topicWhy('wildcard'))],
  // explore's -t: src/mqtt/topic.ts refuses, tools/cli/topic-why.ts says why.
  [['explore', '-t', 'a/#/b'], 'explore', (w) => w.exploreFilter('a/#/b', 'hash')],
  [['explore', '-t', 'a+'], 'explore', (w) => w.exploreFilter('a+', 'plus')],
  [['explore', '-t', ''], 'explore', (w) => w.exploreFilter('', 'empty')],
  [['sub', '-t', 'a', '--remove-retained'], 'sub', (w) => w.pubSub.removeRetainedNeedsEnd],
  [['sub', '-t', 'a', '-R', '--remove-retained', '-W', '5'], 'sub', (w) => w.pubSub.removeRetainedSkipped],
  [['sim', '--broker', 'h', '-u', 'alice', 'secret'], 'sim', (w) => w.strayAfterUser],
  [['pub', '-t', 'a', '-m', 'x', '-u', 'alice', 'secret'], 'pub', (w) => w.strayAfterUser],
  // --broker's value: src/endpoint.ts's code, worded here (its password hidden).
  [['sim', '--broker', 'ftp://u:secret@h'], 'sim', (w) => w.brokerValue('ftp://u:***@h', { problem: 'scheme', fact: 'ftp' })],
  [['sim', '--broker', 'mqtt://u:p%zz@h'], 'sim', (w) => w.brokerValue('mqtt://u:***@h', { problem: 'escape' })],
  [['watch', '--broker', 'mqtt://h/x'], 'watch', (w) => w.brokerValue('mqtt://h/x', { problem: 'path', fact: 'mqtt' })],
  [['sim', '--broker', 'ws://h/a b'], 'sim', (w) => w.brokerValue('ws://h/a b', { problem: 'pathChars' })],
  [['chat', '--name', 'a', '--peer', 'b', '--broker', 'h:99999'], 'chat', (w) => w.brokerValue('h:99999', { problem: 'port', fact: '99999' })],
  [['sim', '--broker', 'a b'], 'sim', (w) => w.brokerValue('a b', { problem: 'badHost' })],
  [['sim', '--broker', '[x'], 'sim', (w) => w.brokerValue('[x', { problem: 'notHost' })],
  // --cafile's file: the system's code, or no certificate in it (the broker flags', and pub's and sub's).
  [['sim', '--broker', 'mqtts://h', '--cafile', join(dir, 'none.pem')], 'sim', (w) => w.caFile(join(dir, 'none.pem'), 'ENOENT')],
  [['sub', '-t', 'a', '--cafile', dir], 'sub', (w) => w.caFile(dir, 'EISDIR')],
  [['pub', '-t', 'a', '-m', 'x', '--cafile', join(dir, 'one.js')], 'pub', (w) => w.caFile(join(dir, 'one.js'), 'notCertificate')],
  [
    ['chat', '--name', 'a', '--peer', 'b', '--broker', 'wss://h', '--cafile', join(dir, 'one.js')],
    'chat',
    (w) => w.caFile(join(dir, 'one.js'), 'notCertificate'),
  ],
  // watch's and classroom's --roster: tools/classroom/roster.ts's code, in setup's words where they are the same.
  [
    ['watch', '--roster', join(dir, 'three-names.txt')],
    'watch',
    (w) => `--roster ${join(dir, 'three-names.txt')}${w.sep}${setupLine({ code: 'onePairALine', line: 1, shown: 'alice bob chloe' }, w)}`,
  ],
  [
    ['watch', '--roster', join(dir, 'plus.txt'), '--school', 'LycMaurois', '--class', 'SNT_2nde'],
    'watch',
    (w) => `--roster ${join(dir, 'plus.txt')}${w.sep}${setupLine({ code: 'notATopic', line: 2, shown: 'c+d' }, w)}`,
  ],
  [['watch', '--roster', join(dir, 'plus.txt')], 'watch', (w) => `--roster ${join(dir, 'plus.txt')}${w.sep}${w.setup.needsClass('alice')}`],
  [['classroom', '--roster', join(dir, 'nobody.txt')], 'classroom', (w) => `--roster ${join(dir, 'nobody.txt')}${w.sep}${w.setup.noName}`],
  // chat's client id, user name and password, checked before the client takes them.
  [['chat', '--name', 'a', '--peer', 'b', '--id', 'x'.repeat(70000)], 'chat', (w) => `--id${w.sep}${w.pubSub.tooLong('id', 70000)}`],
  [
    ['chat', '--name', 'a', '--peer', 'b', '--broker', 'h', '-u', 'alice', '-P', 'x'.repeat(70000)],
    'chat',
    (w) => `-P${w.sep}${w.pubSub.tooLong('password', 70000)}`,
  ],
  [['chat', '--name', 'a#', '--peer', 'b'], 'chat', (w) => w.chatNotATopic('name', 'a#', '', w.topicWhy('wildcard'))],
];

for (const [lang, env] of LANGS) {
  test(`${lang}: the refusals of watch's, classroom's, sim's, chat's, pub's and sub's flags are lines of the words`, async () => {
    writeFileSync(join(dir, 'latin1.js'), Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x28, 0x27, 0xe9, 0x27, 0x29, 0x0a]));
    writeFileSync(join(dir, 'one.js'), "print('hi');\n");
    writeFileSync(join(dir, 'three-names.txt'), 'alice bob chloe\n');
    writeFileSync(join(dir, 'plus.txt'), 'alice bob\nc+d\n');
    writeFileSync(join(dir, 'nobody.txt'), '# the class of next year\n');
    const w = cliWords(lang);
    for (const [args, command, line] of REFUSALS) {
      const r = await mqttPair(args, { env }).exit;
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr, `mqtt-pair ${command}: ${line(w)}\n`, args.join(' '));
    }
  });

  test(`${lang}: a page's port already taken is the line of the words`, async () => {
    const taken = createServer();
    await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address();
    try {
      const r = await mqttPair(['explore', '--broker', '127.0.0.1:1', '--web', String(port)], { env }).exit;
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `mqtt-pair explore: ${cliWords(lang).pagePortInUse(port, '127.0.0.1', `--web ${port + 1}`)}\n`);
    } finally {
      taken.close();
    }
  });

  test(`${lang}: a '.' in a class's topic level: the note of the words`, async () => {
    const r = await mqttPair(['classroom', '--pairs', '1', '--class', 'SNT.2nde', '--web', '70000'], { env }).exit;
    assert.equal(r.code, 1);
    assert.ok(r.stderr.startsWith(`mqtt-pair: ${cliWords(lang).dotNote('SNT.2nde')}\n`), r.stderr);
  });
}

describe("explore's, watch's, classroom's and chat's refusals by the broker's access rules", { skip: mosquittoSkip({ dynsec: true }) }, () => {
  const PASSWORD = 'r3ad-class';
  let broker;
  before(async () => {
    broker = await startMosquitto({ users: { alice: PASSWORD }, dynsec: { alice: [{ acltype: 'subscribePattern', topic: 'class/#', allow: true }] } });
  });
  after(() => broker?.stop());
  const account = () => ['--broker', `127.0.0.1:${broker.port}`, '-u', 'alice', '-P', PASSWORD];

  for (const [lang, env] of LANGS) {
    test(`${lang}: a -t filter the broker refuses is the line of the words`, async () => {
      const r = await mqttPair(['explore', ...account(), '-t', 'staff/#', '--web', '0'], { env }).exit;
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stderr, `mqtt-pair explore: ${cliWords(lang).exploreRefused(`127.0.0.1:${broker.port}`, 'staff/#')}\n`);
      assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD));
    });
  }

  for (const [lang, env] of LANGS) {
    test(`${lang}: watch's and classroom's class the broker refuses: the line of the words`, async () => {
      const where = `127.0.0.1:${broker.port}`;
      const watch = await mqttPair(['watch', ...account(), '--school', 'staff', '--class', 'x'], { env }).exit;
      assert.equal(watch.code, 1, watch.stdout + watch.stderr);
      assert.equal(watch.stderr, `mqtt-pair watch: ${cliWords(lang).observeRefused(where, 'staff/x/#')}\n`);
      const classroom = await mqttPair(['classroom', '--pairs', '1', ...account(), '--school', 'staff', '--class', 'x'], { env }).exit;
      assert.equal(classroom.code, 1, classroom.stdout + classroom.stderr);
      assert.equal(classroom.stderr, `mqtt-pair classroom: ${cliWords(lang).observeRefused(where, 'staff/x/#')}\n`);
      for (const r of [watch, classroom]) assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD));
    });
  }

  for (const [lang, env] of LANGS) {
    test(`${lang}: chat's peer topic the broker refuses: the line of the words, not the client's English`, async () => {
      const r = await mqttPair(['chat', ...account(), '--prefix', 'staff/', '--name', 'a', '--peer', 'b'], { env, openStdin: true }).exit;
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stderr, `mqtt-pair chat: ${cliWords(lang).chatRefused('staff/b', 'alice')}\n`);
      assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD));
    });
  }

  test('the retained question the broker refuses: a code for the page, which words it in French and in English', async () => {
    const run = mqttPair(['explore', ...account(), '-t', 'class/#', '--web', '0', '--duration', String((2 * LIMIT) / 1000)], { timeout: 3 * LIMIT });
    const [url] = await run.waitFor('stdout', /http:\/\/127\.0\.0\.1:\d+\//);
    try {
      // A branch outside what alice may read: the question's own subscription gets SUBACK 0x80.
      const r = await fetch(new URL('retained?branch=staff%2F', url), { headers: { 'x-mqtt-pair': '1' } });
      assert.equal(r.status, 502);
      const { problem } = await r.json();
      assert.deepEqual(problem, { code: 'refused', filter: 'staff/#' });
      const [fr, en] = [explorerFr.retainedWhy(problem), explorerEn.retainedWhy(problem)];
      assert.notEqual(fr, en);
      for (const line of [fr, en]) assert.ok(line.includes('staff/#'), line);
    } finally {
      await run.stop();
    }
  });
});

test("the explorer's words for each reason the broker did not say what it holds retained", () => {
  const problems = [
    { code: 'offline' },
    { code: 'timeout', seconds: 30 },
    { code: 'refused', filter: 'a/#' },
    { code: 'closed', kind: 'refused', reason: 'x' },
  ];
  for (const p of problems) {
    const [fr, en] = [explorerFr.retainedWhy(p), explorerEn.retainedWhy(p)];
    assert.ok(fr && en && fr !== en, p.code);
  }
  assert.match(explorerFr.retainedWhy({ code: 'timeout', seconds: 30 }), /30 s/);
});
