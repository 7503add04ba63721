// A board's error, said by `mqtt-pair setup --port` and `mqtt-pair program` from its facts
// (tools/words/cli.ts's boardErrorLine), never from the English message the error carries for
// developers: each kind its own line, in French and in English, the port named where it helps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { improv } from '../../dist/index.js';
import { BoardError, boardErrorLine, cliWords, useCliLang } from '../../dist/testing.js';

const CASES = {
  silent: new BoardError('no answer in 5000 ms', { problem: { kind: 'silent', command: improv.GET_SETTINGS } }),
  noAnswer: new BoardError('silent port /dev/ttyUSB0 (12 s)', { noAnswer: 12 }),
  overflow: new BoardError('more than 256 answers to command 0x81', { overflow: 256 }),
  otherFirmware: new BoardError('/dev/ttyUSB0: not mqtt-pair', { problem: { kind: 'otherFirmware', firmware: 'ESPHome\u001b[2J' } }),
  lacks: new BoardError('lacks broker, role', { problem: { kind: 'lacks', keys: ['broker', 'role'] } }),
  noWifi: new BoardError('ssid unset', { problem: { kind: 'noWifi' } }),
  wifiRefused: new BoardError('Improv error 0x3', { code: improv.UNABLE_TO_CONNECT }),
  otherCode: new BoardError('Improv error 0x42', { code: 0x42 }),
  refused: new BoardError('Improv error 0x80: topicPrefix refused (wildcard)', {
    code: improv.INVALID_SETTING,
    refusal: { key: 'topicPrefix', code: 'wildcard', facts: [] },
  }),
};

for (const lang of ['fr', 'en']) {
  test(`a board's errors in ${lang === 'fr' ? 'French' : 'English'}: one line a kind, from its facts`, () => {
    useCliLang(lang);
    const lines = Object.fromEntries(Object.entries(CASES).map(([k, e]) => [k, boardErrorLine(e, '/dev/ttyUSB0')]));
    assert.equal(new Set(Object.values(lines)).size, Object.keys(CASES).length, JSON.stringify(lines, null, 1));
    for (const [k, line] of Object.entries(lines)) {
      assert.notEqual(line, CASES[k].message, `${k}: worded, not the developers' message`);
      assert.ok(line.length > CASES[k].message.length, `${k}: a sentence that says what to do: ${line}`);
      assert.ok(!line.includes('\n') && !line.includes('\u001b'), `${k}: one line of text: ${JSON.stringify(line)}`);
    }
    for (const k of ['silent', 'noAnswer', 'otherFirmware']) assert.match(lines[k], /\/dev\/ttyUSB0/, k);
    assert.match(lines.otherFirmware, /ESPHome\\x1b\[2J|ESPHome\\u001b\[2J|ESPHome.\[2J/, 'its name, made printable');
    assert.match(lines.lacks, /--broker/);
    assert.match(lines.lacks, /--roster/);
    assert.match(lines.noWifi, /--ssid/);
    assert.match(lines.otherCode, /0x42/);
    assert.match(lines.refused, /topicPrefix/);
    if (lang === 'fr') {
      assert.match(lines.silent, /ne répond plus/);
      assert.match(lines.wifiRefused, /n’a pas pu rejoindre le WiFi/);
      assert.match(lines.lacks, /son broker et son rôle/);
    } else {
      assert.match(lines.silent, /stopped answering/);
      assert.match(lines.wifiRefused, /could not join the WiFi/);
    }
  });
}

test("a program's stops in the commands' words: said as it happens, or at the boot after it; each cause its own words", () => {
  for (const lang of ['fr', 'en']) {
    useCliLang(lang);
    const w = cliWords().program;
    const lines = ['l', 'm', 's', 'r'].map((code) => w.restarted(code, 1, 2));
    assert.equal(new Set(lines).size, 4, lines.join('\n'));
    for (const line of lines) assert.match(line, lang === 'fr' ? /1 fois de suite sur 2 avant le mode sans échec$/ : /1 in a row of the 2 before safe mode$/);
    // The second stop: safe mode now, said as such rather than « before safe mode ».
    assert.match(
      w.restarted('m', 2, 2),
      lang === 'fr'
        ? /2 fois de suite : la carte joue son rôle sans lui \(mode sans échec\)$/
        : /2 in a row: the board plays its role without it \(safe mode\)$/,
    );
    // `r` at the boot after it is a restart nobody saw, not « the board restarted » twice over.
    assert.doesNotMatch(w.restarted('r', 1, 2), lang === 'fr' ? /pendant qu’il tournait/ : /restarted while it ran/);
    assert.notEqual(w.restarted('l', 1, 2), w.stopped('l', 1, 2));
    // A code from a newer board, escaped.
    assert.match(w.restarted('\u001b[2J', 1, 2), /code .*\[2J/);
    assert.doesNotMatch(w.restarted('\u001b[2J', 1, 2), /\u001b/);
  }
  useCliLang('en');
});
