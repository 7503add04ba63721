// A program the board refuses comes back as data (docs/improv.md, « A refused program »): the
// board's setup (src/setup/setup.ts, Node's runner compiling) sends a refusal result, its reason's
// code and facts, before its error 0x81; the computer's end (tools/setup/send-program.ts over
// BoardLink) reads it with no console line on the link at all, and tools/words/ says it in French
// and English for `mqtt-pair program`, the students' page and the set-up page.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { improv, nodeProgramRunner } from '../../dist/index.js';
import {
  BoardLink,
  ProgramRefused,
  Setup,
  cliWords,
  programRefusal,
  refusedLine,
  sendEn,
  sendFr,
  sendProgram,
  setupPageEn,
  setupPageFr,
  storedProgram,
} from '../../dist/testing.js';
import { virtualHost } from '../helpers/virtual-host.mjs';
import { boardPorts } from '../helpers/setup-mode-board.mjs';

/** A board's setup behind a BoardLink: only its frames reach the link, never its console. */
function boardOnLink({ program = nodeProgramRunner() } = {}) {
  const host = virtualHost();
  if (program) host.program = program;
  const map = new Map();
  const store = { maxBytes: 200, get: (k) => map.get(k), set: (k, v) => map.set(k, v), delete: (k) => map.delete(k), keys: () => [...map.keys()] };
  let deliver = () => {};
  const ports = boardPorts(store, {
    serialWrite: (bytes) => {
      const copy = Uint8Array.from(bytes);
      setImmediate(() => deliver(copy));
    },
  });
  const setup = new Setup(host, ports, { build: {}, running: () => true, stopBoard() {} });
  const link = new BoardLink({
    onData(fn) {
      deliver = fn;
    },
    write(bytes) {
      setup.serialBytes(bytes);
    },
  });
  return { host, store, link };
}

/** What sendProgram threw: the ProgramRefused. */
async function refusal(link, name, source) {
  const e = await sendProgram(link, name, source).then(
    () => assert.fail('the board took it'),
    (e) => e,
  );
  assert.ok(e instanceof ProgramRefused, `a ProgramRefused, not ${e}`);
  return e.refusal;
}

describe('a refused program, read from the frame alone and worded by tools/words/', () => {
  test('a syntax error: its line, column and the compiler’s words, with no console line on the link', async () => {
    const b = boardOnLink();
    const r = await refusal(b.link, 'bad.js', 'let a = 1;\nlet b = ;\n');
    assert.deepEqual(r, { key: 'bad.js', code: 'syntax', facts: ['2', '', "SyntaxError: Unexpected token ';'"] });
    assert.deepEqual(b.link.lines, [], 'no console line was there to read');
    assert.ok(
      b.host.lines.some((l) => l.startsWith('Program over USB: bad.js, line 2:')),
      'the board still says it to a person at a serial monitor',
    );
    assert.equal(refusedLine(r), 2);
    assert.equal(cliWords('en').program.refused(r), "the board refused the program bad.js and keeps its own: line 2: SyntaxError: Unexpected token ';'");
    assert.equal(cliWords('fr').program.refused(r), "la carte a refusé le programme bad.js et garde le sien : ligne 2 : SyntaxError: Unexpected token ';'");
    assert.equal(sendFr.refused(r), "La carte refuse le programme et garde celui d’avant. Erreur ligne 2 : SyntaxError: Unexpected token ';'");
    assert.equal(sendEn.refused(r), "The board refused the program and keeps its previous one. Error on line 2: SyntaxError: Unexpected token ';'");
    assert.equal(setupPageEn.program.refused(r), "The board refused the program « bad.js » and keeps its own: line 2: SyntaxError: Unexpected token ';'.");
    assert.equal(setupPageFr.program.refused(r), "La carte a refusé le programme « bad.js » et garde le sien : ligne 2 : SyntaxError: Unexpected token ';'.");
    assert.equal(await storedProgram(b.link), null, 'nothing stored');
  });

  test('too large, a name too long, a board without programs: each from its code and facts', async () => {
    const b = boardOnLink();
    const big = await b.link.request(improv.PROGRAM_BEGIN, ['big.js', '20000']).catch((e) => e);
    assert.deepEqual(big.refusal, { key: 'big.js', code: 'large', facts: ['20000', '16384'] });
    assert.equal(programRefusal('en', big.refusal), 'it is 20000 bytes long: a board takes 16384 at most');
    assert.equal(programRefusal('fr', big.refusal), 'il fait 20000 octets : une carte en prend 16384 au plus');
    assert.equal(refusedLine(big.refusal), null);
    assert.equal(sendEn.refused(big.refusal), 'The board refused the program and keeps its previous one: it is 20000 bytes long: a board takes 16384 at most.');
    const long = await refusal(b.link, `${'x'.repeat(30)}.js`, 'print(1);');
    assert.deepEqual(long, { key: '', code: 'nameLong', facts: ['32'] });
    const none = await refusal(boardOnLink({ program: null }).link, 'a.js', 'print(1);');
    assert.equal(none.code, 'noParser');
    assert.match(cliWords('fr').program.refused(none), /^la carte a refusé le programme a\.js et garde le sien : cette carte ne lance pas de programme/);
  });

  test('every code has words in both languages, none the other’s; an unknown code, none, and the board’s text escaped', () => {
    const codes = ['noName', 'nameLong', 'nameControl', 'size', 'large', 'noParser', 'order', 'shape', 'utf8', 'over', 'cut', 'hash', 'syntax'];
    for (const code of codes) {
      const r = { key: 'a.js', code, facts: ['7', '9', 'SyntaxError: x'] };
      const [en, fr] = [programRefusal('en', r), programRefusal('fr', r)];
      assert.doesNotMatch(en, /reason "|no reason|undefined/, `${code} has its English words`);
      assert.doesNotMatch(fr, /raison «|sans dire|undefined/, `${code} has its French words`);
      assert.notEqual(en, fr, code);
    }
    // docs/improv.md's table lists these codes, and no other.
    const doc = readFileSync(new URL('../../docs/improv.md', import.meta.url), 'utf8');
    const from = doc.indexOf('## A refused program');
    const section = doc.slice(from, doc.indexOf('\n## ', from + 1));
    assert.deepEqual(
      [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]),
      codes,
    );
    assert.equal(programRefusal('en', { key: '', code: 'gpio', facts: [] }), 'reason "gpio", which this tool does not know: update mqtt-pair');
    assert.equal(programRefusal('fr', { key: '', code: '', facts: [] }), 'sans dire pourquoi (un firmware plus ancien ?)');
    // The compiler's words and the name come from the board: no escape sequence reaches a terminal.
    const r = { key: 'a\u001b[2J.js', code: 'syntax', facts: ['1', '4', 'SyntaxError: \u001b]0;x\u0007'] };
    const line = cliWords('en').program.refused(r);
    assert.doesNotMatch(line, /[\u0000-\u001f]/, line);
    assert.match(line, /a\\x1b\[2J\.js .* line 1, column 4: SyntaxError: \\x1b\]0;x\\x07$/);
  });
});
