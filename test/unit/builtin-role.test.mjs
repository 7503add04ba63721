// The built-in roles' programs on the board's own API (src/apps/builtin/api.ts), on a virtual clock
// (test/helpers/virtual-host.mjs): what each sends, hello by hello, whatever the broker's timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLISH, SUBACK, SUBSCRIBE, decodeUtf8, startBoard } from '../../dist/index.js';
import { virtualHost } from '../helpers/virtual-host.mjs';

/** ESP#1 on a virtual host; the broker answers each SUBSCRIBE; `hellos()` the payloads it published. */
function esp1(interval) {
  const host = virtualHost();
  const board = startBoard(host, { broker: 'broker:1883', role: 'hello', interval, topicPrefix: 'p/', restartAfter: 0 });
  assert.ok(board, host.lines.join('\n'));
  const sent = [];
  const pump = () => {
    const conn = host.last;
    if (!conn) return;
    // (Until the board writes nothing more: a SUBACK makes it publish its first hello.)
    for (let got = conn.take(); got.length; got = conn.take())
      for (const p of got) {
        if (p.type === SUBSCRIBE) conn.send({ type: SUBACK, id: p.id, granted: p.subscriptions.map(() => 0) });
        if (p.type === PUBLISH && p.topic === 'p/hello') sent.push(decodeUtf8(p.payload));
      }
  };
  return {
    host,
    board,
    connect() {
      host.last.accept();
      pump();
    },
    /** Moves the clock `ms` forward, a tick at a time, the broker answering as it goes. */
    advance(ms, step = 100) {
      for (let t = 0; t < ms; t += step) {
        host.advance(step);
        pump();
      }
    },
    sent,
  };
}

test('ESP#1 connected after its first ticks: Hello #0 at once, then one a period, never two timers', () => {
  const b = esp1(1000);
  b.advance(2500); // two ticks while the broker is not there yet: nothing goes, nothing is queued
  assert.deepEqual(b.sent, []);
  b.connect();
  assert.deepEqual(b.sent, ['Hello #0'], 'the first hello once connected and subscribed');
  b.advance(10_000);
  assert.deepEqual(
    b.sent,
    Array.from({ length: 11 }, (_, n) => `Hello #${n}`),
    'one hello a period after it, not two (a timer left running from before the connection would double them)',
  );
  b.board.stop();
  assert.deepEqual(b.host.pending, [], 'stopped: no timer of the role left');
});

test('ESP#1 connected before its first tick: the same pace', () => {
  const b = esp1(1000);
  b.connect();
  b.advance(5000);
  assert.deepEqual(b.sent, ['Hello #0', 'Hello #1', 'Hello #2', 'Hello #3', 'Hello #4', 'Hello #5']);
  b.board.stop();
});
