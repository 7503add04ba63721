// `mqtt-pair watch` under a flood: one student's script publishing hellos on 100,000 made-up
// prefixes under the class, and a page that stops reading. The observer follows --max-pairs pairs
// (and the roster's), each junk prefix taking the place of an older one heard once, shows none of
// them, counts the rest, and the server's memory stays bounded.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBoard } from '../../dist/index.js';
import { FLOOD_QUEUE, connectedClient } from '../helpers/our-client.mjs';
import { startClassPages } from '../helpers/class-page.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { sleep, until } from '../helpers/wait.mjs';

const rss = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const cpu = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

describe('watch with 100,000 junk pairs', { skip: mosquittoSkip() }, () => {
  let broker, dir;
  before(async () => {
    broker = await startMosquitto({ extra: 'max_queued_messages 0' });
    dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-flood-'));
  });
  after(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the page shows the roster's pair, no junk, and counts the junk; memory and a stalled page stay bounded", async (t) => {
    writeFileSync(join(dir, 'roster.txt'), 'alice\n');
    const watch = await startClassPages(broker, { studentBroker: null, duration: null, args: ['--roster', join(dir, 'roster.txt'), '--interval', '500'] });
    try {
      const port = Number(new URL(watch.classUrl).port);
      const state = async () => (await fetch(`http://127.0.0.1:${port}/state.json`)).json();
      // A page that opens the event stream and never reads it.
      const stalled = connect(port, '127.0.0.1', () => stalled.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
      stalled.pause();
      const base = rss(watch.child.pid),
        cpu0 = cpu(watch.child.pid),
        t0 = Date.now();

      const junk = await connectedClient(broker.port, { clientId: 'junk', queue: FLOOD_QUEUE });
      for (let i = 0; i < 100_000; i++) {
        junk.publish(`LycMaurois/SNT_2nde/junk${i}/hello`, `Hello #${i}`);
        if (i % 5000 === 4999) await sleep(5); // let the socket drain
      }
      let s;
      await until(
        async () => {
          s = await state();
          return s.ignored.messages + s.unconfirmed >= 100_000;
        },
        () => `100,000 messages counted, got ${s?.ignored.messages} set aside and ${s?.unconfirmed} heard once`,
      );
      const flooded = rss(watch.child.pid);
      // A real pair of the roster, after the flood: it still gets its tile, and turns green.
      const config = { broker: `127.0.0.1:${broker.port}`, interval: 500, topicPrefix: 'LycMaurois/SNT_2nde/alice/' };
      const boards = [
        new SimBoard({ name: 'a2', config: { ...config, role: 'responder' }, print: () => {} }).start(),
        new SimBoard({ name: 'a1', config: { ...config, role: 'hello' }, print: () => {} }).start(),
      ];
      let alice;
      await until(
        async () => {
          s = await state();
          alice = s.pairs.find((p) => p.name === 'alice');
          return alice?.state === 'ok';
        },
        () => `alice ok, she is ${alice?.state}`,
      );
      for (const b of boards) b.stop();
      junk.end();
      const seconds = (Date.now() - t0) / 1000,
        used = cpu(watch.child.pid) - cpu0;
      t.diagnostic(
        `100,000 junk pairs in ${seconds.toFixed(1)} s: ${s.pairs.length} pairs shown, ${s.unconfirmed} heard once (not shown), ${s.ignored.messages} messages set aside; RSS ${base.toFixed(0)} MB before, ${flooded.toFixed(0)} MB after; CPU ${used.toFixed(2)} s (${Math.round((100 * used) / seconds)}% of a core); /state.json ${JSON.stringify(s).length} bytes`,
      );
      assert.deepEqual(
        s.pairs.map((p) => p.name),
        ['alice'],
        "the roster's alice, no junk prefix heard once",
      );
      assert.ok(s.unconfirmed >= 1 && s.unconfirmed <= 100, `${s.unconfirmed} followed, not shown`);
      assert.ok(s.ignored.pairs >= 1000 && s.ignored.more, 'the others counted');
      assert.ok(s.ignored.messages >= 99_000, `${s.ignored.messages} ignored`);
      assert.equal(alice?.state, 'ok', 'a roster pair joining after the flood is followed');
      assert.ok(flooded - base < 60, `the server grew by ${(flooded - base).toFixed(0)} MB`);
      assert.ok(JSON.stringify(s).length < 100_000, 'a small state');
      stalled.destroy();
    } finally {
      await watch.stop();
    }
  });
});
