// The explorer's bounds under a flood, in headless chromium against Mosquitto: 1,000 topics at 200
// messages a second for 60 s (the weather stations of a whole school), then 1,000 topics more than
// --max-topics keeps. The tree keeps its limits and says what it dropped, the history its length;
// the page's heap, its frames and the server's memory are measured and printed (the figures of
// docs/performance.md), never asserted as times. Then 2,000 topics of 30 KB (issue 27): each kept
// once and cut, the tree sent to a page in pieces, the command still running.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLOOD_QUEUE, connectedClient } from '../helpers/our-client.mjs';
import { chromiumProfile, assertChromium, chromiumSkip } from '../helpers/browser.mjs';
import { startExplorer as explore } from '../helpers/class-page.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT, sleep, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const skip = chromiumSkip() || mosquittoSkip();
const TOPICS = 1000;
const RATE = 200;
const SECONDS = Number(process.env.MQTT_PAIR_FLOOD_SECONDS) || 60;
const MAX_TOPICS = 1500;
const HISTORY = 50;

/** The resident memory of a process, in MB (Linux). */
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Reads the explorer's /events as a page does, giving each event to `onEvent(name, data)` until it
 *  returns true: resolves with the longest event's data, in characters. */
function readEvents(url, onEvent) {
  return new Promise((resolve, reject) => {
    const req = get(new URL('events', url), (res) => {
      let buf = '',
        longest = 0,
        lastWasNewline = false;
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        // Looked into only when an event ends here: a long event comes in many chunks (and the
        // text read so far is not made whole again at each one).
        const ends = chunk.includes('\n\n') || (lastWasNewline && chunk.startsWith('\n'));
        lastWasNewline = chunk.endsWith('\n');
        buf += chunk;
        if (!ends) return;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let name = 'message',
            data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) name = line.slice(7);
            else if (line.startsWith('data: ')) data = line.slice(6);
          }
          longest = Math.max(longest, data.length);
          if (onEvent(name, data)) {
            req.destroy();
            return resolve(longest);
          }
        }
      });
      res.on('end', () => reject(new Error('the events ended')));
    });
    req.on('error', reject);
  });
}

describe('the explorer under a flood (Mosquitto, chromium)', () => {
  let context, userDir, broker, ex, long, longFlood;

  before(async () => {
    if (skip) return;
    assertChromium();
    broker = await startMosquitto();
    ({ context, userDir } = await chromiumProfile());
  });
  after(async () => {
    ex?.kill('SIGKILL');
    long?.child.kill('SIGKILL');
    longFlood?.end();
    await context?.close();
    await broker?.stop();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  test(`${TOPICS} topics at ${RATE} messages/s for ${SECONDS} s, then ${TOPICS} more than --max-topics ${MAX_TOPICS}: the bounds hold`, {
    skip,
    timeout: 10 * LIMIT,
  }, async () => {
    ex = spawn(process.execPath, [
      CLI,
      'explore',
      '--broker',
      `127.0.0.1:${broker.port}`,
      '--web',
      '0',
      '-t',
      'school/#',
      '--max-topics',
      String(MAX_TOPICS),
      '--history',
      String(HISTORY),
      '--lang',
      'en',
    ]);
    let out = '';
    ex.stdout.on('data', (b) => {
      out += b;
    });
    ex.stderr.on('data', (b) => {
      out += b;
    });
    const url = await until(
      () => /Explorer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1],
      () => `the address in:\n${out}`,
    );
    const page = await context.newPage();
    await page.goto(url);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1048576;
    };
    // Frames: the gaps between animation frames, as the page lives them.
    await page.evaluate(() => {
      window.__gaps = [];
      let last = performance.now();
      const tick = (t) => {
        window.__gaps.push(t - last);
        last = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const server0 = rss(ex.pid);
    const heap0 = await heap();

    const flood = await connectedClient(broker.port, { clientId: 'flood', queue: FLOOD_QUEUE });
    const t0 = Date.now();
    let sent = 0;
    // RATE a second, in ticks of 50 ms, each topic in turn: a value like a sensor's.
    while (Date.now() - t0 < SECONDS * 1000) {
      const due = Math.floor(((Date.now() - t0) / 1000) * RATE);
      for (; sent < due; sent++) flood.publish(`school/room${sent % 10}/station${sent % TOPICS}/temperature`, (20 + Math.sin(sent / 50)).toFixed(2));
      await sleep(50);
    }
    // Then as many new topics as there were, beyond what --max-topics keeps.
    for (let i = 0; i < TOPICS; i++) flood.publish(`school/extra/t${i}`, String(i));
    sent += TOPICS;
    let text = '';
    await until(
      async () => (text = await page.textContent('#stats')).includes(`${sent.toLocaleString('en-GB')} messages`),
      () => `the page to count ${sent} messages: ${text}`,
    );
    const gaps = await page.evaluate(() => window.__gaps.slice(5).sort((a, b) => a - b));
    const p = (q) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))].toFixed(1);
    const heap1 = await heap();
    const server1 = rss(ex.pid);
    assert.match(text, new RegExp(`^${MAX_TOPICS.toLocaleString('en-GB')} topics`), `the tree keeps --max-topics: ${text}`);
    assert.match(text, new RegExp(`${(TOPICS + TOPICS - MAX_TOPICS).toLocaleString('en-GB')} topics not kept`), `and says how many it dropped: ${text}`);
    // One topic's history keeps --history messages.
    await page.fill('#search', 'station7/');
    await until(async () => page.$('#tree li[data-path="school/room7/station7/temperature"]'), 'the searched topic');
    await page.click('#tree li[data-path="school/room7/station7/temperature"]');
    await until(async () => (await page.$$('#history tbody tr')).length > 0, 'its history');
    assert.ok((await page.$$('#history tbody tr')).length <= HISTORY);
    console.log(
      `explorer flood: ${sent} messages (${TOPICS} topics at ${RATE}/s for ${SECONDS} s, then ${TOPICS} new topics): ${text}; ` +
        `page frames: median ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, worst ${gaps[gaps.length - 1].toFixed(0)} ms over ${gaps.length} frames; ` +
        `page JS heap ${heap0.toFixed(1)} MB before, ${heap1.toFixed(1)} MB after; server RSS ${server0.toFixed(0)} MB before, ${server1.toFixed(0)} MB after`,
    );
    assert.ok(server1 - server0 < 150, `the server stays bounded: grew by ${(server1 - server0).toFixed(0)} MB`);
    flood.end();
    await page.close();
    ex.kill('SIGTERM');
  });
  test('2,000 topics of 30 KB, five messages each: one short copy of each topic, the tree sent in pieces, the command goes on', {
    skip,
    timeout: 10 * LIMIT,
  }, async () => {
    const LONG = 2000,
      ROUNDS = 5,
      CHARS = 30_000;
    long = await explore(['--broker', `127.0.0.1:${broker.port}`, '--web', '0', '-t', 'long/#', '--lang', 'en']);
    const server0 = rss(long.child.pid);
    let seen = 0;
    // A page open all along: the batches say how many messages the explorer has seen.
    const watching = readEvents(long.url, (name, data) => {
      if (name === 'batch' || name === 'tree') seen = JSON.parse(data).seen;
      return seen >= LONG * ROUNDS;
    });
    longFlood = await connectedClient(broker.port, { clientId: 'flood-long', queue: FLOOD_QUEUE });
    const tail = 'x'.repeat(CHARS);
    for (let round = 0; round < ROUNDS; round++) {
      // QoS 1: the broker's acknowledgements pace the flood.
      let acked = 0;
      for (let i = 0; i < LONG; i++) longFlood.publish(`long/${i}/${tail}`, String(round), { qos: 1 }, () => acked++);
      await until(() => acked === LONG, `round ${round} acknowledged`);
    }
    const longest0 = await watching;
    const server1 = rss(long.child.pid);
    // A page that opens now gets the whole tree, in pieces.
    let topics = 0,
      longestTopic = 0;
    const longest = await readEvents(long.url, (name, data) => {
      if (name === 'topics')
        for (const n of JSON.parse(data)) {
          topics++;
          longestTopic = Math.max(longestTopic, n.topic.length);
        }
      // Today's answer: the whole tree in the first event.
      if (name === 'tree' && JSON.parse(data).topics) topics = -1;
      return name === 'ready' || topics < 0;
    });
    console.log(
      `explorer, ${LONG} topics of ${CHARS / 1000} KB × ${ROUNDS}: server RSS ${server0.toFixed(0)} MB before, ${server1.toFixed(0)} MB after; ` +
        `the first load's longest event ${(longest / 1024).toFixed(0)} KB (a batch's ${(longest0 / 1024).toFixed(0)} KB); ${topics} topics sent, the longest ${longestTopic} characters`,
    );
    assert.equal(topics, LONG, 'every topic, in pieces');
    assert.ok(longestTopic <= 1001, `a topic is kept cut: ${longestTopic}`);
    assert.ok(longest < 2 * 1024 * 1024, `no event of the first load above 2 MB: ${longest}`);
    assert.ok(server1 - server0 < 150, `the server keeps a short copy of each topic: grew by ${(server1 - server0).toFixed(0)} MB`);
    assert.equal(long.child.exitCode, null, long.output());
    longFlood.end();
    long.child.kill('SIGTERM');
  });
});
