// Time to an answer: ESP#1's hello and ESP#2's received, one after the other (ours, MQTT.js and
// the floor), and how long after the broker restarts each client is back.
import { performance } from 'node:perf_hooks';
import { oursConnected, oursClient, oursSub, peerClient, within } from './clients.mjs';
import { publishPackets, rawClient } from './floor.mjs';
import { place } from './placement.mjs';
import { median, percentile } from './report.mjs';
import { scale } from './smoke.mjs';

const te = new TextEncoder();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- round trip: ESP#1's hello, ESP#2's received, one after the other

const ROUND_TRIP = {
  async ours(port, rounds, tag) {
    const esp1 = await oursConnected(oursClient(port, `b-rtt-o1-${tag}`));
    const esp2 = await oursConnected(oursClient(port, `b-rtt-o2-${tag}`));
    await oursSub(esp2, `rtt/${tag}/hello`, 0, () => esp2.publish(`rtt/${tag}/notification`, 'received'));
    let answer;
    await oursSub(esp1, `rtt/${tag}/notification`, 0, () => answer());
    const times = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await new Promise((r) => {
        answer = r;
        esp1.publish(`rtt/${tag}/hello`, `Hello #${i}`);
      });
      times.push(performance.now() - t0);
    }
    esp1.end();
    esp2.end();
    return times;
  },
  async mqttjs(port, rounds, tag) {
    const esp1 = await peerClient(port, `b-rtt-p1-${tag}`);
    const esp2 = await peerClient(port, `b-rtt-p2-${tag}`);
    esp2.on('message', () => esp2.publish(`rtt/${tag}/notification`, 'received'));
    await esp2.subscribeAsync(`rtt/${tag}/hello`);
    let answer;
    esp1.on('message', () => answer());
    await esp1.subscribeAsync(`rtt/${tag}/notification`);
    const times = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await new Promise((r) => {
        answer = r;
        esp1.publish(`rtt/${tag}/hello`, `Hello #${i}`);
      });
      times.push(performance.now() - t0);
    }
    await Promise.all([esp1.endAsync(), esp2.endAsync()]);
    return times;
  },
  async floor(port, rounds, tag) {
    const esp1 = await rawClient(port, `b-rtt-f1-${tag}`);
    const esp2 = await rawClient(port, `b-rtt-f2-${tag}`);
    await esp2.subscribe(`rtt/${tag}/hello`, 0);
    await esp1.subscribe(`rtt/${tag}/notification`, 0);
    const [received] = publishPackets(`rtt/${tag}/notification`, te.encode('received'), 0, 1);
    const hellos = Array.from({ length: rounds }, (_, i) => publishPackets(`rtt/${tag}/hello`, te.encode(`Hello #${i}`), 0, 1)[0]);
    esp2.frames((first) => {
      if (first >> 4 === 3) esp2.socket.write(received);
    });
    let answer;
    esp1.frames((first) => {
      if (first >> 4 === 3) answer();
    });
    const times = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await new Promise((r) => {
        answer = r;
        esp1.socket.write(hellos[i]);
      });
      times.push(performance.now() - t0);
    }
    esp1.end();
    esp2.end();
    return times;
  },
};

/**
 * Round trips in one placement: 5 runs of 400 for each client, interleaved (ours, MQTT.js, floor,
 * ours, ...) so that a slow moment of the machine falls on all three. Per client: the median of
 * the 5 runs' p50, their min–max, and the p99 of all 2,000.
 */
export async function roundTrips(broker, placement) {
  const pinned = place(broker, placement);
  const runs = { ours: [], mqttjs: [], floor: [] };
  for (const kind of Object.keys(runs)) await ROUND_TRIP[kind](broker.port, scale(100, 5), `${placement}-${kind}-w`); // warm-up
  for (let i = 0; i < scale(5, 1); i++)
    for (const kind of Object.keys(runs)) runs[kind].push(await ROUND_TRIP[kind](broker.port, scale(400, 10), `${placement}-${kind}-${i}`));
  const out = { pinned };
  for (const [kind, rs] of Object.entries(runs)) {
    const p50s = rs.map((t) => percentile(t, 50));
    out[kind] = { p50: median(p50s), p50s, p99: percentile(rs.flat(), 99) };
  }
  return out;
}

// ---- recovery: the broker killed and started again at once, ms until each client is back

export async function recovery(broker, rounds) {
  const ours = [],
    peer = [];
  for (let i = 0; i < rounds; i++) {
    const o = await oursConnected(oursClient(broker.port, `b-rec-o${i}`));
    const p = await peerClient(broker.port, `b-rec-p${i}`);
    let tRestart = 0,
      oBack = 0,
      pBack = 0;
    const bothBack = new Promise((resolve) => {
      o.onConnect = () => {
        oBack = performance.now();
        if (pBack) resolve();
      };
      p.on('connect', () => {
        pBack = performance.now();
        if (oBack) resolve();
      });
    });
    o.onClose = () => {};
    await broker.stop({ keepDir: true });
    await sleep(50);
    tRestart = performance.now(); // a client may be back before start() has seen the port open
    await broker.start();
    await within(bothBack, 30000, 'reconnection after a broker restart');
    ours.push(oBack - tRestart);
    peer.push(pBack - tRestart);
    o.end();
    await p.endAsync();
  }
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  return { ours: mean(ours), peer: mean(peer) };
}
