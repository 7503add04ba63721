// What the user may not open: a serial port (on Linux, a user outside the dialout group), a
// program, a CA file, a message file, a roster. Each is one line naming the file and « permission
// denied » (with the fix, for a port), from the system's own code, in the teacher's language; never
// « is the path right? », which would send them looking for a file that is there. (A file of mode
// 000 stands for the port: the system refuses it before it is known to be a terminal or not, as it
// refuses /dev/ttyUSB0 to a user outside dialout.)
import { test } from 'node:test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, mqttPair, unprivilegedSkip } from '../helpers/child.mjs';

const run = (args, env) => mqttPair(args, { unprivileged: true, env }).exit;

test('a port, a program, a CA file, a message file, a roster the user may not read: one line each', { skip: unprivilegedSkip() }, async (t) => {
  // A folder anyone may cross (mkdtemp's is 700), holding files nobody may open.
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-denied-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const closed = (name, text = '') => {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o000);
    return join(dir, name);
  };
  const port = closed('ttyUSB0');
  const program = closed('esp1.js', "print('ok');\n");
  const ca = closed('ca.pem');
  const message = closed('message.txt', 'hello');
  const roster = closed('classe.txt', 'alice bob\n');

  const portLine = assertOneLineError(
    await run(['program', '--port', port, '--show']),
    'mqtt-pair program: ',
    /cannot open .*ttyUSB0: permission denied \(on Linux: sudo usermod -aG dialout \$USER, then log in again\)$/,
  );
  assertOneLineError(
    await run(['setup', '--port', port, 'role=hello']),
    'mqtt-pair setup: ',
    /cannot open .*ttyUSB0: permission denied \(on Linux: sudo usermod/,
  );
  assertOneLineError(await run(['program', '--port', port, program]), 'mqtt-pair program: ', /^mqtt-pair program: cannot read .*esp1\.js: permission denied$/);
  assertOneLineError(await run(['sim', '--program', program]), 'mqtt-pair sim: ', /^mqtt-pair sim: cannot read .*esp1\.js: permission denied$/);
  assertOneLineError(
    await run(['sub', '-h', '127.0.0.1', '-p', '8883', '-t', 'a', '--cafile', ca]),
    'mqtt-pair sub: ',
    /--cafile: cannot read the CA file .*ca\.pem: permission denied$/,
  );
  assertOneLineError(
    await run(['pub', '-h', '127.0.0.1', '-t', 'a', '-f', message]),
    'mqtt-pair pub: ',
    /-f: cannot read the file '.*message\.txt': permission denied$/,
  );
  assertOneLineError(
    await run(['watch', '--roster', roster, '--school', 'S', '--class', 'C']),
    'mqtt-pair watch: ',
    /--roster: cannot read '.*classe\.txt': permission denied$/,
  );
  assertOneLineError(
    await run(['setup', '--port', port, '--roster', roster, '--school', 'S', '--class', 'C']),
    'mqtt-pair setup: ',
    /cannot read the roster .*classe\.txt: permission denied$/,
  );

  const fr = { LC_ALL: 'fr_FR.UTF-8' };
  const portFr = assertOneLineError(
    await run(['program', '--port', port, '--show'], fr),
    'mqtt-pair program: ',
    /impossible d’ouvrir .*ttyUSB0 : permission refusée \(sous Linux : sudo usermod -aG dialout \$USER, puis reconnectez-vous\)$/,
  );
  assertOneLineError(await run(['program', '--port', port, program], fr), 'mqtt-pair program: ', /impossible de lire .*esp1\.js : permission refusée$/);
  assertOneLineError(
    await run(['sub', '-h', '127.0.0.1', '-p', '8883', '-t', 'a', '--cafile', ca], fr),
    'mqtt-pair sub: ',
    /--cafile : impossible de lire le fichier de CA .*ca\.pem : permission refusée$/,
  );
  t.diagnostic(portLine);
  t.diagnostic(portFr);
});
