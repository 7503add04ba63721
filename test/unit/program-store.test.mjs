// A student's program in the board's flash (src/setup/program-store.ts) and sent over USB in our Improv
// commands (src/setup/setup.ts, docs/improv.md): whole or nothing. Chunks fit the store's values
// (62 bytes on an ESP8266) without cutting a character; a write cut off at any point (a power cut,
// a full flash) leaves the old program; a damaged chunk is found by the hash. Over Improv: begin,
// parts, end with the hash; a cut-off transfer, a wrong hash, a size over the limit, text that
// is not UTF-8, a syntax error: refused with one line naming the problem (and its line), the old
// program kept. Node's runner compiles here; XS’s in test/xs/xs-program-port.test.mjs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { improv, nodeProgramRunner } from '../../dist/index.js';
import { RequestReader, Setup, programStore } from '../../dist/testing.js';
import { boardPorts } from '../helpers/setup-mode-board.mjs';
import { virtualHost } from '../helpers/virtual-host.mjs';
import { mapStore } from './settings.test.mjs';

const { storeProgram, readProgram, programInfo, clearProgram, chunks, fnv1a, programHash, MAX_PROGRAM_BYTES } = programStore;

const ESP1 = `let count = 0;
mqtt.subscribe('notification', (topic, message) => {
  print('Received notification:', message);
  if (message === 'received') print('ESP received hello message');
});
every(5000, () => { mqtt.publish('hello', 'Hello #' + count); count += 1; });
`;
/** Text with 2-, 3- and 4-byte characters, so that chunks fall beside them. */
const WIDE = `print('é à ç — 漢字 😀 ${'😀é'.repeat(40)}');\n`;

describe('the program in the flash', () => {
  test('FNV-1a 32: the published test vectors', () => {
    assert.equal(fnv1a(new Uint8Array()), '811c9dc5');
    assert.equal(fnv1a(new TextEncoder().encode('a')), 'e40c292c');
    assert.equal(fnv1a(new TextEncoder().encode('foobar')), 'bf9cf968');
  });

  test('chunks fit the store and never cut a character', () => {
    for (const max of [4, 5, 62, 200]) {
      const parts = chunks(WIDE, max);
      assert.equal(parts.join(''), WIDE);
      for (const p of parts) {
        assert.ok(Buffer.byteLength(p) <= max, `${Buffer.byteLength(p)} > ${max}`);
        assert.ok(p.isWellFormed(), 'no lone surrogate');
      }
    }
  });

  test('stored, read back, replaced in the other slot, cleared', () => {
    for (const maxBytes of [62, 200]) {
      const store = mapStore(maxBytes);
      assert.equal(readProgram(store), null);
      assert.equal(storeProgram(store, 'esp1.js', ESP1), '');
      const size = Buffer.byteLength(ESP1);
      assert.deepEqual(programInfo(store), { name: 'esp1.js', size, hash: programHash(ESP1) });
      assert.deepEqual(readProgram(store), { name: 'esp1.js', size, hash: programHash(ESP1), source: ESP1 });
      assert.ok(store.map.get('pgm').startsWith('A'));
      for (const [k, v] of store.map) assert.ok(Buffer.byteLength(v) <= maxBytes, `${k} is ${Buffer.byteLength(v)} bytes`);

      assert.equal(storeProgram(store, 'wide é.js', WIDE), '');
      assert.equal(readProgram(store).source, WIDE);
      assert.ok(store.map.get('pgm').startsWith('B'));
      assert.ok(![...store.map.keys()].some((k) => k.startsWith('pgA')), 'the old slot is freed');

      assert.equal(clearProgram(store), true);
      assert.deepEqual([...store.map.keys()], []);
      assert.equal(readProgram(store), null);
      assert.equal(clearProgram(store), false);
    }
  });

  test('a write cut off at any point leaves the old program, whole', () => {
    const store = mapStore(62);
    storeProgram(store, 'esp1.js', ESP1);
    const before = new Map(store.map);
    const sets = Math.ceil(Buffer.byteLength(WIDE) / 62) + 1;
    for (let cut = 0; cut < sets; cut++) {
      // A power cut after `cut` values were written: what is in the flash then, nothing cleaned up.
      const flash = mapStore(62, Object.fromEntries(before));
      let n = 0;
      const dying = {
        ...flash,
        set: (k, v) =>
          n++ < cut
            ? flash.set(k, v)
            : (() => {
                throw new Error('power cut');
              })(),
      };
      const why = storeProgram(dying, 'wide.js', WIDE);
      assert.match(why, /could not store it \(power cut/);
      // (storeProgram tried to clean up; a real power cut would not: read what was written, uncleaned, too.)
      assert.equal(readProgram(flash)?.source, ESP1, `cut after ${cut} writes`);
    }
    // And once written whole, the new one; a later write then goes to the other slot again.
    assert.equal(storeProgram(store, 'wide.js', WIDE), '');
    assert.equal(readProgram(store).source, WIDE);
  });

  test('a damaged or missing chunk is found: no program rather than half of one', () => {
    const store = mapStore(62);
    storeProgram(store, 'esp1.js', ESP1);
    store.map.set('pgA1', store.map.get('pgA1').replace('n', 'm'));
    const said = [];
    assert.equal(
      readProgram(store, (w) => said.push(w)),
      null,
    );
    assert.deepEqual(said, ['the stored program "esp1.js" is damaged (its size or hash does not match)']);
    store.map.delete('pgA2');
    assert.equal(
      readProgram(store, (w) => said.push(w)),
      null,
    );
    assert.match(said[1], /lacks its part 3 of \d+/);
  });
});

describe('stops in a row and safe mode', () => {
  const { beginProgramRun, noteProgramStop, forgetStops, programStops, safeModeFields, safeModeLine, stopMark, uncountRun, unsaidStops, SAFE_AFTER } =
    programStore;

  test('each run counts until it proves clean; after two stops in a row, safe mode with the last reason', () => {
    const store = mapStore(62);
    assert.equal(storeProgram(store, 'loop.js', 'while (true) {}\n'), '');
    assert.equal(SAFE_AFTER, 2);
    assert.equal(beginProgramRun(store), null); // the first run: counted before it starts
    assert.deepEqual(programStops(store), { count: 1, code: 'r', why: 'the board restarted while the program ran', safe: false, said: false });
    assert.equal(noteProgramStop(store, 'l', 'it never gave control back'), 1);
    assert.equal(beginProgramRun(store), null);
    assert.equal(noteProgramStop(store, 'm', 'it exhausted the memory'), 2);
    const safe = beginProgramRun(store);
    assert.deepEqual(safe, { count: 2, code: 'm', why: 'it exhausted the memory', safe: true, said: false });
    assert.deepEqual(beginProgramRun(store), safe, 'safe mode holds at every boot');
    assert.deepEqual(safeModeFields(store), ['2', 'm'], "0x88's fields: the stops and the code");
    assert.equal(
      safeModeLine(programInfo(store), safe),
      `Safe mode: the program loop.js (16 bytes, hash ${programHash('while (true) {}\n')}) was stopped 2 times in a row (it exhausted the memory); the board runs its role without it until the program is sent again or cleared`,
    );
  });

  test('a mark prepared before the run writes its code when called, and nothing before', () => {
    const store = mapStore(62);
    storeProgram(store, 'eat.js', 'const a = []; while (true) a.push(new Array(1000));\n');
    assert.equal(beginProgramRun(store), null);
    const full = stopMark(store, 'm', 'it exhausted the memory');
    assert.deepEqual(programStops(store), { count: 1, code: 'r', why: 'the board restarted while the program ran', safe: false, said: false });
    assert.deepEqual(safeModeFields(store), [], 'one stop: no safe mode yet');
    full();
    assert.deepEqual(programStops(store), { count: 1, code: 'm', why: 'it exhausted the memory', safe: false, said: false });
    assert.equal(beginProgramRun(store), null);
    stopMark(store, 'm', 'it exhausted the memory')();
    assert.deepEqual(safeModeFields(store), [], 'two stops, the board not started again yet: no safe mode yet');
    assert.deepEqual(beginProgramRun(store), { count: 2, code: 'm', why: 'it exhausted the memory', safe: true, said: false });
    assert.deepEqual(safeModeFields(store), ['2', 'm'], 'started again: safe mode, and why');
    // A count an older firmware stored, without a code: a restart, as it counted.
    store.set('pgs', '2 the board restarted while the program ran');
    assert.deepEqual(safeModeFields(store), [], 'counted, not yet found at a start');
    assert.equal(beginProgramRun(store)?.code, 'r');
    assert.deepEqual(safeModeFields(store), ['2', 'r']);
  });

  test('a reset the firmware never saw counts; a clean run, a new program or a clear forgets the stops', () => {
    const store = mapStore(62);
    storeProgram(store, 'a.js', "print('a')");
    assert.equal(beginProgramRun(store), null);
    assert.equal(beginProgramRun(store), null); // a watchdog, a power cut: the run was counted
    assert.equal(beginProgramRun(store)?.count, 2);
    storeProgram(store, 'b.js', "print('b')");
    assert.equal(programStops(store).count, 0);
    assert.equal(beginProgramRun(store), null);
    forgetStops(store);
    assert.equal(programStops(store).count, 0);
    beginProgramRun(store);
    clearProgram(store);
    assert.deepEqual(programStops(store), { count: 0, code: 'r', why: '', safe: false, said: false });
    assert.deepEqual([...store.map.keys()], []);
  });

  test('a stop the board went before saying is said at the next boot, once; one said when it happened never again', () => {
    const store = mapStore(62);
    storeProgram(store, 'eat.js', 'const a = []; while (true) a.push(new Array(1000));\n');
    assert.equal(unsaidStops(store), null, 'a new program: nothing to say');
    assert.equal(beginProgramRun(store), null);
    stopMark(store, 'm', 'it exhausted the memory')(); // the abort, then the reset
    // The boot after it: the memory stop, said once.
    assert.deepEqual(unsaidStops(store), { count: 1, code: 'm', why: 'it exhausted the memory', safe: false, said: false });
    assert.equal(unsaidStops(store), null, 'said: not twice');
    assert.equal(programStops(store).said, true);
    assert.equal(beginProgramRun(store), null, 'the second run');
    // A reset nobody saw (a stack overflow): counted at its start, said at the boot after it.
    assert.deepEqual(unsaidStops(store), { count: 2, code: 'r', why: 'the board restarted while the program ran', safe: false, said: false });
    assert.equal(beginProgramRun(store)?.safe, true, 'then safe mode');
    assert.equal(unsaidStops(store), null, 'safe mode at each boot: the stop said once only');
    assert.equal(beginProgramRun(store)?.safe, true);
    // A stop the firmware said as it happened (its meter, the `stop` event): never said again.
    storeProgram(store, 'loop.js', 'while (true) {}\n');
    beginProgramRun(store);
    assert.equal(noteProgramStop(store, 'l', 'it never gave control back', true), 1);
    assert.equal(unsaidStops(store), null);
    assert.deepEqual(programStops(store), { count: 1, code: 'l', why: 'it never gave control back', safe: false, said: true });
  });

  test('a restart asked for while the program runs (new settings, a role) is no stop: the stops as before the run', () => {
    const store = mapStore(62);
    storeProgram(store, 'a.js', "print('a')");
    let before = programStops(store);
    assert.equal(beginProgramRun(store), null);
    uncountRun(store, before); // the teacher sent new settings ten seconds in
    assert.equal(store.map.has('pgs'), false, 'no stop counted');
    // One stop, then a run that a restart asked for ends: still one stop, the same one, said as it was.
    assert.equal(beginProgramRun(store), null);
    noteProgramStop(store, 'l', 'it never gave control back', true);
    before = programStops(store);
    assert.equal(beginProgramRun(store), null);
    assert.equal(programStops(store).count, 2);
    uncountRun(store, before);
    assert.deepEqual(programStops(store), before);
    assert.equal(beginProgramRun(store), null, 'not safe mode: one stop in a row, not two');
  });
});

/** A board's setup with Node's runner and a map store of `maxBytes`. */
function board({ maxBytes = 200, program = nodeProgramRunner() } = {}) {
  const host = virtualHost();
  if (program) host.program = program;
  const store = mapStore(maxBytes);
  const frames = [];
  const ports = boardPorts(store, { serialWrite: (bytes) => frames.push(bytes) });
  const firmware = { build: {}, running: () => true, stopBoard() {} };
  const setup = new Setup(host, ports, firmware);
  /** Sends a command; returns what the board answered, decoded. */
  const send = (cmd, strings = []) => {
    const from = frames.length;
    setup.serialBytes(improv.rpcFrame(cmd, strings));
    const out = [];
    const reader = new improv.FrameReader();
    for (const f of frames.slice(from))
      reader.push(f, {
        frame: (type, data) => out.push(type === improv.RPC_RESULT ? improv.decodeCommand(Uint8Array.from(data)).strings : { error: data[0] }),
        badFrame() {},
      });
    return out;
  };
  /** The whole transfer of `source`, in parts of `part` bytes; what the end answered. */
  const put = (name, source, { part = 120, hash = programHash(source), size = Buffer.byteLength(source) } = {}) => {
    const begin = send(improv.PROGRAM_BEGIN, [name, String(size)]);
    if (begin.at(-1)?.error !== undefined) return begin;
    for (const c of chunks(source, part)) {
      const r = send(improv.PROGRAM_CHUNK, [c]);
      if (r.at(-1)?.error !== undefined) return r;
    }
    return send(improv.PROGRAM_END, [hash]);
  };
  return { host, store, setup, send, put, frames };
}

/** What the board sent from frame `from` on, decoded (with no `from`: how many frames so far). */
function frames(b, from) {
  if (from === undefined) return b.frames.length;
  const out = [];
  const reader = new improv.FrameReader();
  for (const f of b.frames.slice(from))
    reader.push(f, {
      frame: (type, data) => out.push(type === improv.RPC_RESULT ? improv.decodeCommand(Uint8Array.from(data)).strings : { error: data[0] }),
      badFrame() {},
    });
  return out;
}

/** The board's answer to a refused program: its refusal as data (docs/improv.md), then error 0x81. */
const refused = (name, code, ...facts) => [['', name, code, ...facts], { error: improv.INVALID_PROGRAM }];

describe('a program over USB (Improv)', () => {
  test('sent in parts, compiled, stored whole; read back; the board restarts to run it; cleared', () => {
    const b = board();
    assert.deepEqual(b.send(improv.GET_PROGRAM), [[]]);
    const hash = programHash(ESP1);
    const size = String(Buffer.byteLength(ESP1));
    assert.deepEqual(b.put('esp1.js', ESP1, { part: 50 }), [['esp1.js', size, hash]]);
    assert.equal(readProgram(b.store).source, ESP1);
    assert.deepEqual(b.send(improv.GET_PROGRAM), [['esp1.js', size, hash]]);
    // Stopped twice in a row (it used all the memory): the board runs without it, and says so.
    b.store.set('pgs', '1r the board restarted while the program ran');
    assert.deepEqual(b.send(improv.GET_PROGRAM), [['esp1.js', size, hash]], 'one stop: no safe mode yet');
    b.store.set('pgs', '2r the board restarted while the program ran');
    assert.deepEqual(b.send(improv.GET_PROGRAM), [['esp1.js', size, hash]], 'its second run under way: no safe mode');
    b.store.set('pgs', '2m! it exhausted the memory');
    assert.deepEqual(b.send(improv.GET_PROGRAM), [['esp1.js', size, hash, '2', 'm']]);
    b.store.delete('pgs');
    assert.ok(b.host.lines.includes(`Program over USB: stored esp1.js (${size} bytes, hash ${hash})`), b.host.lines.join('\n'));
    b.host.advance(1000);
    assert.deepEqual(b.host.restarts, ['to run the program esp1.js']);

    const c = board();
    c.put('esp1.js', ESP1);
    c.host.advance(1000);
    c.host.restarts.length = 0;
    assert.deepEqual(c.send(improv.CLEAR_PROGRAM), [[]]);
    assert.equal(readProgram(c.store), null);
    assert.deepEqual(c.send(improv.GET_PROGRAM), [[]]);
    c.host.advance(1000);
    assert.deepEqual(c.host.restarts, ['its program was cleared: back to its role']);
  });

  test('refused with its reason as data (a code and facts) and one console line each, and the old program stays', () => {
    const b = board();
    storeProgram(b.store, 'esp1.js', ESP1);
    const kept = () => assert.equal(readProgram(b.store)?.source, ESP1);
    const said = () => b.host.lines.at(-1);

    assert.deepEqual(b.put('bad.js', 'let a = 1;\nlet b = ;\n'), refused('bad.js', 'syntax', '2', '', "SyntaxError: Unexpected token ';'"));
    assert.equal(said(), "Program over USB: bad.js, line 2: SyntaxError: Unexpected token ';': the board keeps its program");
    kept();

    assert.deepEqual(b.put('esp1.js', ESP1, { hash: '00000000' }), refused('esp1.js', 'hash'));
    assert.match(said(), /^Program over USB: its hash is [0-9a-f]{8}, not 00000000: the transfer garbled it: the board keeps its program$/);
    kept();

    assert.deepEqual(
      b.send(improv.PROGRAM_BEGIN, ['big.js', String(MAX_PROGRAM_BYTES + 1)]),
      refused('big.js', 'large', String(MAX_PROGRAM_BYTES + 1), String(MAX_PROGRAM_BYTES)),
    );
    assert.equal(
      said(),
      `Program over USB: it is ${MAX_PROGRAM_BYTES + 1} bytes long: a board takes ${MAX_PROGRAM_BYTES} at most: the board keeps its program`,
    );

    // More than announced; fewer (the end came early).
    assert.deepEqual(b.put('esp1.js', ESP1, { size: 10 }), refused('esp1.js', 'over', '10'));
    assert.equal(said(), 'Program over USB: esp1.js: more than the 10 bytes announced came: the board keeps its program');
    assert.deepEqual(b.put('esp1.js', ESP1, { size: 1000 }), refused('esp1.js', 'cut', String(Buffer.byteLength(ESP1)), '1000'));
    assert.match(said(), /^Program over USB: \d+ bytes came of the 1000 announced: the transfer was cut off: the board keeps its program$/);
    kept();

    // A part that is not UTF-8 (a byte 0xff): the transfer is dropped, said as such.
    b.send(improv.PROGRAM_BEGIN, ['x.js', '3']);
    const bad = improv.encodeFrame(improv.RPC, [improv.PROGRAM_CHUNK, 4, 3, 0x61, 0xff, 0x62]);
    const at = frames(b);
    b.setup.serialBytes(bad);
    assert.deepEqual(frames(b, at), refused('x.js', 'utf8'));
    assert.equal(said(), 'Program over USB: x.js: a part of it is not UTF-8 text: the board keeps its program');
    assert.deepEqual(b.send(improv.PROGRAM_END, [programHash('a?b')]), refused('', 'order'));
    assert.equal(said(), 'Program over USB: an end came with no transfer under way: the board keeps its program');

    // A transfer cut off: no part for 10 s, dropped; its end later is refused.
    b.send(improv.PROGRAM_BEGIN, ['cut.js', '20']);
    b.send(improv.PROGRAM_CHUNK, ['print(1);']);
    b.host.advance(10000);
    assert.equal(said(), 'Program over USB: no part for 10 s, the transfer was cut off: nothing changed');
    assert.deepEqual(b.send(improv.PROGRAM_CHUNK, ['print(2);']), refused('', 'order'));
    assert.deepEqual(b.send(improv.PROGRAM_BEGIN, ['n.js', 'ten']), refused('n.js', 'size'));
    b.send(improv.PROGRAM_BEGIN, ['two.js', '3']);
    assert.deepEqual(b.send(improv.PROGRAM_CHUNK, ['a', 'b']), refused('two.js', 'shape'));
    kept();

    // A name too long, with control characters.
    assert.deepEqual(b.send(improv.PROGRAM_BEGIN, ['x'.repeat(33), '3']), refused('', 'nameLong', '32'));
    assert.deepEqual(b.send(improv.PROGRAM_BEGIN, ['a\u001bb.js', '3']), refused('', 'nameControl'));
    assert.deepEqual(b.send(improv.PROGRAM_BEGIN, ['', '3']), refused('', 'noName'));
    // A compiler's message is cut at 120 bytes, at a character's end: the frame holds 255.
    const long = `let ${'é'.repeat(200)} = ;`;
    const [r] = b.put('long.js', long);
    assert.equal(r[2], 'syntax');
    assert.ok(Buffer.byteLength(r[5]) <= 120 && r[5].length > 20, r[5]);
    kept();
    assert.deepEqual(b.host.restarts, [], 'nothing stored, no restart');
  });

  test('a board without a runner (no parser) refuses at once', () => {
    const b = board({ program: null });
    assert.deepEqual(b.send(improv.PROGRAM_BEGIN, ['esp1.js', '10']), refused('esp1.js', 'noParser'));
    assert.equal(b.host.lines.at(-1), 'Program over USB: this board cannot run programs (its firmware has no JavaScript parser): the board keeps its program');
  });

  test('a store that refuses a part: an Improv error, the old program kept', () => {
    const b = board({ maxBytes: 62 });
    storeProgram(b.store, 'esp1.js', ESP1);
    b.store.refuse('pgB1');
    assert.deepEqual(b.put('wide.js', WIDE), [{ error: improv.UNKNOWN_ERROR }]);
    assert.match(b.host.lines.at(-1), /^Setup over USB: program wide\.js: the board could not store it \(no room in flash;/);
    assert.equal(readProgram(b.store).source, ESP1);
    assert.ok(![...b.store.map.keys()].some((k) => k.startsWith('pgB')), 'what was written of it is removed');
  });
});

describe("a program from the setup page's text area (POST /program)", () => {
  /** A request as its bytes arrive, `step` at a time, then the board's answer: [status, JSON]. */
  const post = (b, body, { name = 'esp1.js', origin = 'http://192.168.4.1', length, step = 61, path } = {}) => {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const head = `POST ${path ?? `/program?name=${encodeURIComponent(name)}`} HTTP/1.1\r\nHost: 192.168.4.1\r\n${origin ? `Origin: ${origin}\r\n` : ''}Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${length ?? bytes.length}\r\n\r\n`;
    const all = new Uint8Array([...new TextEncoder().encode(head), ...bytes]);
    const r = new RequestReader(200, (n, s) => b.setup.openProgram(n, s));
    for (let i = 0; i < all.length && !r.status; i += step) r.push(all, i, Math.min(all.length, i + step));
    if (!r.status) {
      r.abandon(); // the connection went (an endless body, the deadline)
      return [0, null];
    }
    if (r.status !== 200) return [r.status, { message: r.why }];
    const a = b.setup.request({ method: r.method, path: r.path, body: '', program: r.program, origin: r.origin, host: r.host });
    return [a.status, JSON.parse(new TextDecoder().decode(a.body))];
  };
  const open = (opts) => {
    const b = board(opts);
    b.setup.openPage('asked over USB');
    return b;
  };
  const get = (b, path) => JSON.parse(new TextDecoder().decode(b.setup.request({ method: 'GET', path, body: '', host: '192.168.4.1' }).body));

  test('stored as over USB, in chunks as it arrives: the same slots, size and hash; shown; cleared', () => {
    for (const maxBytes of [62, 200]) {
      const b = open({ maxBytes });
      assert.deepEqual(get(b, '/program'), { programs: true, program: null, max: MAX_PROGRAM_BYTES });
      for (const step of [1, 5, 61, 4096]) {
        const [status, a] = post(b, WIDE + ESP1, { name: 'élève.js', step });
        assert.equal(status, 200, JSON.stringify(a));
        const info = { name: 'élève.js', size: Buffer.byteLength(WIDE + ESP1), hash: programHash(WIDE + ESP1) };
        assert.deepEqual(a, { ok: true, program: info });
        assert.deepEqual(readProgram(b.store), { ...info, source: WIDE + ESP1 });
        // The same keys as over USB: one slot's chunks and the header, no leftover of the other slot.
        const usb = mapStore(maxBytes);
        storeProgram(usb, 'élève.js', WIDE + ESP1);
        assert.equal([...b.store.map.keys()].filter((k) => k.startsWith('pg')).length, [...usb.map.keys()].length);
        for (const v of b.store.map.values()) assert.ok(Buffer.byteLength(String(v)) <= maxBytes);
        assert.deepEqual(get(b, '/program').program, info);
      }
      assert.equal(b.host.lines.at(-1), `Setup page: program stored: élève.js (${Buffer.byteLength(WIDE + ESP1)} bytes, hash ${programHash(WIDE + ESP1)})`);
      b.host.advance(1000);
      assert.equal(b.host.restarts.at(-1), 'to run the program élève.js');
    }
    for (const maxBytes of [62, 200]) {
      const b = open({ maxBytes });
      assert.equal(post(b, WIDE + ESP1)[0], 200);
      const cleared = b.setup.request({ method: 'POST', path: '/program/clear', body: '', origin: 'http://192.168.4.1', host: '192.168.4.1' });
      assert.equal(cleared.status, 200);
      assert.equal(programInfo(b.store), null);
      assert.deepEqual(
        [...b.store.map.keys()].filter((k) => k.startsWith('pg')),
        [],
      );
      assert.equal(b.host.lines.at(-1), 'Setup page: program cleared');
      assert.deepEqual(get(b, '/program').program, null);
      b.host.advance(1000);
      assert.equal(b.host.restarts.length, 1, 'one restart');
    }
  });

  test('refused with one line and a code for the page, the old program kept', () => {
    const b = open({ maxBytes: 62 });
    assert.equal(post(b, ESP1)[0], 200);
    const keys = new Map(b.store.map);
    const kept = () => assert.deepEqual(new Map(b.store.map), keys, 'the old program, untouched');
    const refused = (r, code, message) => {
      assert.equal(r[0], 400, JSON.stringify(r[1]));
      assert.equal(r[1].code, code);
      assert.equal(r[1].message, message);
      kept();
    };
    refused(post(b, 'let a = 1;\nlet b = ;\n', { name: 'bad.js' }), 'syntax', "line 2: SyntaxError: Unexpected token ';'");
    assert.deepEqual(post(b, 'let a = 1;\nlet b = ;\n', { name: 'bad.js' })[1].values, ['2', '', "SyntaxError: Unexpected token ';'"]);
    assert.equal(b.host.lines.at(-1), "Setup page: program bad.js: line 2: SyntaxError: Unexpected token ';': the board keeps its program");
    refused(post(b, new Uint8Array([0x61, 0x3d, 0xff, 0x3b]), { name: 'x.js' }), 'utf8', 'it is not text in UTF-8');
    // Not UTF-8 beyond the first chunk, and a character cut at the very end.
    refused(post(b, new Uint8Array([...new TextEncoder().encode(ESP1), 0xc3]), { name: 'x.js' }), 'utf8', 'it is not text in UTF-8');
    refused(post(b, '', { name: 'x.js' }), 'empty', 'the program is empty');
    refused(post(b, ESP1, { name: '' }), 'name', 'a program needs a name');
    // Over the limit: refused from its Content-Length, before any byte of it is read.
    const big = post(b, 'x', { length: MAX_PROGRAM_BYTES + 1 });
    assert.deepEqual(big, [413, { message: `the program is larger than ${MAX_PROGRAM_BYTES} bytes` }]);
    kept();
    // A body longer than announced: the rest is another request's (never read as the program's).
    // A body shorter than announced (the connection went, the deadline): dropped.
    assert.deepEqual(post(b, ESP1.slice(0, 40), { length: 400 }), [0, null]);
    kept();
    // A form from another site: 403, nothing written.
    const foreign = post(b, 'print(1)\n', { origin: 'http://evil.example' });
    assert.equal(foreign[0], 403);
    assert.equal(foreign[1].code, 'origin');
    kept();
    assert.equal(post(b, 'print(1)\n', { origin: 'null' })[0], 403);
    kept();
    // No Content-Length: no endless body to read.
    const r = new RequestReader(200, (n, s) => b.setup.openProgram(n, s));
    r.push(new TextEncoder().encode('POST /program?name=a.js HTTP/1.1\r\nHost: 192.168.4.1\r\n\r\nprint(1)'));
    assert.deepEqual([r.status, r.why], [400, 'a program comes with its Content-Length']);
    kept();
    // The page still answers.
    assert.deepEqual(get(b, '/program').program, { name: 'esp1.js', size: Buffer.byteLength(ESP1), hash: programHash(ESP1) });
  });

  test('two at once: the first is dropped; one stored over USB meanwhile wins', () => {
    const b = open({ maxBytes: 62 });
    const reader = () => new RequestReader(200, (n, s) => b.setup.openProgram(n, s));
    const head = (n) => new TextEncoder().encode(`POST /program?name=${n} HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Length: ${Buffer.byteLength(ESP1)}\r\n\r\n`);
    const first = reader();
    first.push(head('one.js'));
    first.push(new TextEncoder().encode(ESP1.slice(0, 100)));
    const second = reader();
    second.push(head('two.js'));
    second.push(new TextEncoder().encode(ESP1));
    first.push(new TextEncoder().encode(ESP1.slice(100)));
    const answerOf = (r) =>
      JSON.parse(new TextDecoder().decode(b.setup.request({ method: 'POST', path: r.path, body: '', program: r.program, host: '192.168.4.1' }).body));
    assert.equal(answerOf(first).message, 'another program came');
    assert.equal(answerOf(second).ok, true);
    assert.equal(programInfo(b.store).name, 'two.js');
    // A program over USB while the page's comes: the page's is refused, the USB's kept whole.
    const third = reader();
    third.push(head('three.js'));
    third.push(new TextEncoder().encode(ESP1.slice(0, 70)));
    assert.deepEqual(b.put('usb.js', ESP1).at(-1)[0], 'usb.js');
    third.push(new TextEncoder().encode(ESP1.slice(70)));
    assert.equal(answerOf(third).message, 'another program was stored meanwhile');
    assert.deepEqual(readProgram(b.store).name, 'usb.js');
    assert.equal(readProgram(b.store).source, ESP1);
  });

  test('a board without programs (the ESP8266 image): the page is told, nothing stored', () => {
    const b = open({ program: null });
    assert.deepEqual(get(b, '/program'), { programs: false, program: null, max: MAX_PROGRAM_BYTES });
    const [status, a] = post(b, ESP1);
    assert.equal(status, 400);
    assert.equal(a.message, 'this board cannot run programs (its firmware has no JavaScript parser)');
    assert.equal(programInfo(b.store), null);
  });
});
