// `mqtt-pair program --port` against a board answering Improv in Node over a pty
// (helpers/improv-board.mjs): a program the board refuses is said from the refusal frame it sent
// before its error 0x81 (docs/improv.md, « A refused program »), in English and in French, with no
// console line to read; a console line that says something else is not taken for the reason; an
// older firmware (its error alone) and a reason this tool does not know are said as such. The
// firmware itself, in XS: test/xs/xs-program-port.test.mjs.
import { test, describe, before, after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { improv } from '../../dist/index.js';
import { improvBoard } from '../helpers/improv-board.mjs';
import { socatSkip } from '../helpers/pty.mjs';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';

const skip = socatSkip();
const EN = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const FR = { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

describe('mqtt-pair program: a refused program said from the frame alone (a Node board over a pty)', { skip }, () => {
  let work, file;
  const boards = [];
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'mqtt-pair-program-refused-'));
    file = join(work, 'bad.js');
    writeFileSync(file, "let a = 1;\nmqtt.publish('hello', 'x';\n");
  });
  after(async () => {
    for (const b of boards) await b.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A board that takes the transfer and, at its end, answers `atEnd` (bytes). */
  const plug = async (name, atEnd) => {
    const b = await improvBoard(join(work, `${name}.usb`), {
      name,
      onCommand(cmd, strings, pty) {
        if (cmd === improv.PROGRAM_BEGIN) return pty.write(improv.resultFrame(cmd, [strings[0]])) || true;
        if (cmd === improv.PROGRAM_CHUNK) return pty.write(improv.resultFrame(cmd, [String(Buffer.byteLength(strings[0]))])) || true;
        if (cmd === improv.PROGRAM_END) return pty.write(atEnd) || true;
        return false;
      },
    });
    boards.push(b);
    return b;
  };
  const program = (board, env) => mqttPair(['program', '--port', board.path, file], { env }).exit;

  test('a syntax error: its line, column and the compiler’s words, from the frame; no console line', async () => {
    const board = await plug(
      'mqtt-pair-0070',
      Buffer.concat([
        improv.refusalFrame(improv.PROGRAM_END, 'bad.js', 'syntax', ['2', '27', 'SyntaxError: missing )']),
        improv.errorFrame(improv.INVALID_PROGRAM),
      ]),
    );
    assertOneLineError(
      await program(board, EN),
      'mqtt-pair program:',
      /^mqtt-pair program: the board refused the program bad\.js and keeps its own: line 2, column 27: SyntaxError: missing \)$/m,
    );
    assertOneLineError(
      await program(board, FR),
      'mqtt-pair program:',
      /^mqtt-pair program: la carte a refusé le programme bad\.js et garde le sien : ligne 2, colonne 27 : SyntaxError: missing \)$/m,
    );
  });

  test('a console line is no reason: the frame says it; its text escaped', async () => {
    const board = await plug(
      'mqtt-pair-0071',
      Buffer.concat([
        Buffer.from('Program over USB: something else entirely: the board keeps its program\n'),
        improv.refusalFrame(improv.PROGRAM_END, 'bad.js', 'syntax', ['1', '', 'SyntaxError: \u001b[2Jboom']),
        improv.errorFrame(improv.INVALID_PROGRAM),
      ]),
    );
    const r = assertOneLineError(
      await program(board, EN),
      'mqtt-pair program:',
      /the board refused the program bad\.js and keeps its own: line 1: SyntaxError: \\x1b\[2Jboom$/m,
    );
    if (r.includes('something else')) throw new Error(`the console line was read: ${r}`);
  });

  test('an older firmware (its error alone) and a reason this tool does not know: said as such', async () => {
    const old = await plug(
      'mqtt-pair-0072',
      Buffer.concat([
        Buffer.from('Program over USB: bad.js, line 2: SyntaxError: missing ): the board keeps its program\n'),
        improv.errorFrame(improv.INVALID_PROGRAM),
      ]),
    );
    assertOneLineError(
      await program(old, EN),
      'mqtt-pair program:',
      /the board refused the program and keeps its own: it gave no reason \(an older firmware\?\)$/m,
    );
    const newer = await plug(
      'mqtt-pair-0073',
      Buffer.concat([improv.refusalFrame(improv.PROGRAM_END, 'bad.js', 'quota', ['3']), improv.errorFrame(improv.INVALID_PROGRAM)]),
    );
    assertOneLineError(await program(newer, FR), 'mqtt-pair program:', /raison « quota », que cet outil ne connaît pas : mettez mqtt-pair à jour$/m);
  });
});
