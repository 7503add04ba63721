// The Improv Wi-Fi serial codec (src/setup/improv.ts), both ends, against the official client
// (improv-wifi-serial-sdk, what ESP Web Tools runs) as the oracle: the frames a client sends are
// the SDK's byte for byte, and what a board answers is what the SDK reads. Then the reader on the
// streams a serial port really carries: frames split anywhere, between console lines, after
// garbage, with wrong checksums, lengths that say more than came, and text that is not UTF-8.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { improv } from '../../dist/index.js';
import { improvSdk, pipePort, sdkLogger } from '../helpers/improv-sdk.mjs';

const bytes = (s) => Uint8Array.from(Buffer.from(s, 'latin1'));
const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Everything a reader finds in `chunks`, in order. */
function read(chunks, { text = true, times } = {}) {
  const reader = new improv.FrameReader();
  const events = [];
  const sink = {
    frame: (type, data) => events.push({ frame: type, data: [...data] }),
    badFrame: (why) => events.push({ bad: why }),
  };
  if (text) sink.text = (line) => events.push({ text: line });
  chunks.forEach((c, i) => {
    reader.push(c, sink, times?.[i] ?? 0);
  });
  return events;
}

describe('Improv frames: what the official client sends and reads', () => {
  test("a client's commands are the SDK's bytes: WiFi settings, state, info, scan", async () => {
    const { ImprovSerial } = await improvSdk();
    const sent = [];
    const { port } = pipePort((b) => sent.push([...b]));
    const sdk = new ImprovSerial(port, sdkLogger());
    await sdk.writePacketToStream(improv.RPC, [improv.WIFI_SETTINGS, 16, 5, ...bytes('Salle'), 9, ...bytes('motdepass')]);
    assert.deepEqual(sent[0], [...improv.rpcFrame(improv.WIFI_SETTINGS, ['Salle', 'motdepass'])]);
    for (const cmd of [improv.REQUEST_STATE, improv.REQUEST_INFO, improv.REQUEST_NETWORKS]) {
      await sdk.writePacketToStream(improv.RPC, [cmd, 0]);
      assert.deepEqual(sent.at(-1), [...improv.rpcFrame(cmd)], `command ${cmd}`);
    }
    // The layout, once by hand: "IMPROV", version 1, type, length, data, checksum, newline.
    const f = improv.rpcFrame(improv.REQUEST_INFO);
    assert.deepEqual([...f], [73, 77, 80, 82, 79, 86, 1, 3, 2, 3, 0, (73 + 77 + 80 + 82 + 79 + 86 + 1 + 3 + 2 + 3) & 0xff, 10]);
  });

  test("a board's answers read by the SDK: state, device info, the URL, a scan, an error", async () => {
    const { ImprovSerial, ImprovSerialCurrentState } = await improvSdk();
    let answer = () => {};
    const { port, push } = pipePort((b) => answer(b));
    const logger = sdkLogger();
    const sdk = new ImprovSerial(port, logger);
    // A board that answers every command as ours does, with console lines in between.
    answer = (b) => {
      const found = read([b], { text: false }).find((e) => e.frame === improv.RPC);
      const c = improv.decodeCommand(Uint8Array.from(found.data));
      const out = [bytes('MQTT client id 3c71bf4a9d2c\r\n')];
      if (c.command === improv.REQUEST_STATE)
        out.push(improv.stateFrame(improv.PROVISIONED), bytes('Connection successful\r\n'), improv.resultFrame(improv.REQUEST_STATE, ['http://192.168.1.52/']));
      if (c.command === improv.REQUEST_INFO) out.push(improv.resultFrame(improv.REQUEST_INFO, ['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-9d2c']));
      if (c.command === improv.REQUEST_NETWORKS) {
        out.push(
          improv.resultFrame(improv.REQUEST_NETWORKS, ['Salle 204', '-52', 'YES']),
          improv.resultFrame(improv.REQUEST_NETWORKS, ['Café', '-80', 'NO']),
          improv.resultFrame(improv.REQUEST_NETWORKS),
        );
      }
      if (c.command === improv.WIFI_SETTINGS) out.push(improv.stateFrame(improv.PROVISIONING), improv.errorFrame(improv.UNABLE_TO_CONNECT));
      // Sent in pieces of 3 bytes: a serial port delivers what it has.
      const all = concat(...out);
      for (let i = 0; i < all.length; i += 3) push(all.subarray(i, i + 3));
    };
    const info = await sdk.initialize(5000);
    assert.deepEqual(
      { firmware: info.firmware, version: info.version, chipFamily: info.chipFamily, name: info.name },
      { firmware: 'mqtt-pair', version: '0.1.0', chipFamily: 'ESP32', name: 'mqtt-pair-9d2c' },
    );
    assert.equal(sdk.state, ImprovSerialCurrentState.PROVISIONED);
    assert.equal(sdk.nextUrl, 'http://192.168.1.52/');
    assert.deepEqual(await sdk.scan(), [
      { name: 'Café', rssi: -80, secured: false },
      { name: 'Salle 204', rssi: -52, secured: true },
    ]);
    await assert.rejects(sdk.provision('Salle 204', 'wrong'), /UNABLE_TO_CONNECT/);
    assert.deepEqual(
      logger.errors.filter((e) => !/while not waiting/.test(e)),
      [],
      'the SDK found nothing wrong in our frames',
    );
    await sdk.close();
  });

  test('encoding bounds: a frame holds 255 bytes, a string 255, a command 253 of strings', () => {
    assert.equal(improv.encodeFrame(improv.RPC, new Uint8Array(255)).length, 255 + 11);
    assert.throws(() => improv.encodeFrame(improv.RPC, new Uint8Array(256)), /at most 255 bytes/);
    assert.throws(() => improv.encodeStrings(['x'.repeat(256)]), /at most 255 bytes/);
    assert.throws(() => improv.rpcFrame(improv.SET_SETTINGS, ['broker', 'x'.repeat(250)]), /at most 253 bytes/);
    assert.equal(improv.encodeStrings(['é']).length, 3, 'lengths are UTF-8 bytes');
  });
});

describe('Improv reader: the streams a serial port carries', () => {
  const state = improv.stateFrame(improv.READY);
  const info = improv.resultFrame(improv.REQUEST_INFO, ['mqtt-pair', '0.1.0', 'ESP8266', 'mqtt-pair-0a1b']);

  test('a frame split at every byte, or every byte on its own, reads the same', () => {
    const whole = read([info], { text: false });
    assert.equal(whole.length, 1);
    for (let cut = 1; cut < info.length; cut++) assert.deepEqual(read([info.subarray(0, cut), info.subarray(cut)], { text: false }), whole, `cut at ${cut}`);
    assert.deepEqual(
      read(
        [...info].map((b) => Uint8Array.of(b)),
        { text: false },
      ),
      whole,
    );
    const c = improv.decodeCommand(Uint8Array.from(whole[0].data));
    assert.deepEqual(c, { command: improv.REQUEST_INFO, strings: ['mqtt-pair', '0.1.0', 'ESP8266', 'mqtt-pair-0a1b'] });
  });

  test("frames between console lines: the lines come out as text, the frames' newlines do not", () => {
    const stream = concat(
      bytes('Joining WiFi "Salle 204"...\r\n'),
      state,
      bytes('Connected to 192.168.1.144 MQTT broker\r\nno newline yet'),
      info,
      bytes('\n'),
      Buffer.from('Reçu: é\n'),
    );
    assert.deepEqual(read([stream]), [
      { text: 'Joining WiFi "Salle 204"...' },
      { frame: improv.CURRENT_STATE, data: [improv.READY] },
      { text: 'Connected to 192.168.1.144 MQTT broker' },
      { frame: improv.RPC_RESULT, data: [...info.subarray(9, info.length - 2)] },
      { text: 'no newline yet' },
      { text: 'Reçu: é' },
    ]);
  });

  test('a false start (IMPRO…) is text, and the I after it may start the real frame', () => {
    // The text line ends at the newline after the frame's own: the frame comes out first.
    assert.deepEqual(read([concat(bytes('IMPRIMPROIMPROV'), Uint8Array.of(2), state, bytes('\n'))]), [
      { frame: improv.CURRENT_STATE, data: [improv.READY] },
      { text: 'IMPRIMPROIMPROV\u0002' },
    ]);
  });

  test('a wrong checksum: said, nothing taken from it, and the good frame after it read', () => {
    const bad = Uint8Array.from(state);
    bad[bad.length - 2] ^= 0x55;
    assert.deepEqual(read([concat(bad, info)], { text: false }), [
      { bad: 'checksum' },
      { frame: improv.RPC_RESULT, data: [...info.subarray(9, info.length - 2)] },
    ]);
  });

  test('a frame whose length says more than came: its bytes are read again, the frame hiding inside is found', () => {
    // A truncated command frame claiming 40 bytes, then a whole one. Its own length (0) does not
    // fit the frame's (40): said at once, its bytes read again, the whole one found.
    const truncated = concat(bytes('IMPROV'), Uint8Array.of(1, improv.RPC, 40, improv.REQUEST_INFO, 0));
    const events = read([concat(truncated, state, info)], { text: false });
    assert.deepEqual(
      events.filter((e) => e.bad),
      [{ bad: 'shape' }],
    );
    // Lengths that fit, and a frame cut short before its end: the next frame is taken as its data,
    // its checksum fails, those bytes are read again and the frame hiding inside is found.
    const cut = concat(bytes('IMPROV'), Uint8Array.of(1, improv.RPC, 40, improv.REQUEST_INFO, 38, 3));
    const again = read([concat(cut, state, info, info)], { text: false });
    assert.deepEqual(
      again.filter((e) => e.bad),
      [{ bad: 'checksum' }],
    );
    assert.ok(again.filter((e) => e.frame).length >= 2, JSON.stringify(again));
    assert.deepEqual(
      events.filter((e) => e.frame).map((e) => e.frame),
      [improv.CURRENT_STATE, improv.RPC_RESULT],
    );
  });

  test('a frame that stops arriving for more than a second is dropped, and the next one read', () => {
    const truncated = concat(bytes('IMPROV'), Uint8Array.of(1, improv.RPC, 40, improv.REQUEST_INFO));
    const events = read([truncated, state], { text: false, times: [1000, 2500] });
    assert.deepEqual(events, [{ bad: 'stalled' }, { frame: improv.CURRENT_STATE, data: [improv.READY] }]);
    // The same pause within the second: still one frame under way, the state's first byte taken as
    // its command's length, which does not fit: said, and the state read again.
    assert.deepEqual(read([truncated, state], { text: false, times: [1000, 1900] }), [{ bad: 'shape' }, { frame: improv.CURRENT_STATE, data: [improv.READY] }]);
  });

  test('another version of the protocol is not ours: its bytes are text', () => {
    const v2 = Uint8Array.from(state);
    v2[6] = 2;
    assert.deepEqual(read([v2], { text: false }), []);
  });

  test('commands whose lengths or text are wrong decode to null', () => {
    const ok = improv.rpcFrame(improv.SET_SETTINGS, ['role', 'hello']).subarray(9, -2);
    assert.deepEqual(improv.decodeCommand(ok), { command: improv.SET_SETTINGS, strings: ['role', 'hello'] });
    const longer = Uint8Array.from(ok);
    longer[1] += 1;
    const stringTooLong = Uint8Array.from(ok);
    stringTooLong[2] = 200;
    const notUtf8 = Uint8Array.from(ok);
    notUtf8[3] = 0xc3;
    notUtf8[4] = 0x28;
    const nul = Uint8Array.from(ok);
    nul[3] = 0;
    for (const [what, data] of [
      ['inner length', longer],
      ['string length', stringTooLong],
      ['non-UTF-8', notUtf8],
      ['U+0000', nul],
      ['empty', new Uint8Array(0)],
      ['one byte', Uint8Array.of(1)],
    ]) {
      assert.equal(improv.decodeCommand(data), null, what);
    }
  });

  test('100 KB of random bytes: no frame, no exception, bounded text lines; a frame after it still read', () => {
    let seed = 7;
    const random = new Uint8Array(100_000).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const events = read([random, state]);
    assert.deepEqual(
      events.filter((e) => e.frame),
      [{ frame: improv.CURRENT_STATE, data: [improv.READY] }],
    );
    assert.ok(
      events.filter((e) => e.text !== undefined).every((e) => e.text.length <= 512),
      'lines are bounded',
    );
  });

  test('a stream of nested false headers ends in no deep recursion', () => {
    // IMPROV 1 type 255 ... where every byte after is another header start: each failure reads the rest again.
    const nested = concat(...Array.from({ length: 30 }, () => concat(bytes('IMPROV'), Uint8Array.of(1, 3, 250))), new Uint8Array(2000));
    const events = read([nested, state], { text: false });
    assert.ok(events.some((e) => e.bad === 'shape'));
    assert.deepEqual(events.at(-1), { frame: improv.CURRENT_STATE, data: [improv.READY] });
  });
});
