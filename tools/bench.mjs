// `npm run bench`: every figure measured in the same run on this machine, each beside its peer
// (mqtt-packet for the codec, MQTT.js for the client), as one markdown table or, with --json,
// one JSON object. Ratios are ours / peer's: above 1 is better for throughput, below 1 for times.

import { gzipSync } from 'node:zlib';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqttPacket from 'mqtt-packet';
import mqtt from 'mqtt';
import { build } from 'esbuild';
import { Decoder, MqttClient, encode, nodeHost } from '../dist/index.js';
import { startMosquitto, mosquittoAvailable } from './mosquitto.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = nodeHost({ log: () => {} });
const te = new TextEncoder();

// ---- codec: encode + decode the same packets, ours vs mqtt-packet

function codecPackets() {
  const payload = te.encode('{"temperature":20.5,"unit":"C"}');
  const ours = [], theirs = [];
  for (let i = 0; i < 64; i++) {
    const topic = `myRasp/groundfloor/room${i % 8}/temperature`;
    const qos = i % 3;
    ours.push({ type: 3, topic, payload, qos, retain: i % 5 === 0, dup: false, id: qos ? i + 1 : 0 });
    theirs.push({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: i % 5 === 0, dup: false, messageId: qos ? i + 1 : undefined });
    if (i % 4 === 0) { ours.push({ type: 4, id: i + 1 }); theirs.push({ cmd: 'puback', messageId: i + 1 }); }
    if (i % 16 === 0) {
      ours.push({ type: 8, id: i + 1, subscriptions: [{ filter: 'myRasp/+/kitchen/#', qos: 1 }] });
      theirs.push({ cmd: 'subscribe', messageId: i + 1, subscriptions: [{ topic: 'myRasp/+/kitchen/#', qos: 1 }] });
    }
    if (i % 16 === 8) { ours.push({ type: 12 }); theirs.push({ cmd: 'pingreq' }); }
  }
  return { ours, theirs };
}

function timeLoop(fn, minMs = 400) {
  fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) { fn(); n++; t = performance.now(); }
  return n / ((t - t0) / 1000);
}

function benchCodec() {
  const { ours, theirs } = codecPackets();
  let count = 0;
  const dec = new Decoder(() => { count++; });
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', () => { count++; });
  const runOurs = () => { for (const p of ours) dec.push(encode(p)); };
  const runTheirs = () => { for (const p of theirs) parser.parse(mqttPacket.generate(p, { protocolVersion: 4 })); };
  const best = (f) => Math.max(timeLoop(f), timeLoop(f), timeLoop(f));
  const oursRate = best(runOurs) * ours.length;
  const theirsRate = best(runTheirs) * theirs.length;
  return { ours: oursRate, peer: theirsRate, ratio: oursRate / theirsRate };
}

// ---- bundle sizes

async function bundleSize(entry) {
  const r = await build({ entryPoints: [join(root, entry)], bundle: true, minify: true, write: false, format: 'esm', platform: 'neutral', target: 'es2022', external: ['timer', 'socket', 'wifi', 'net', 'mc/config', 'embedded:io/system'], logLevel: 'silent' });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

// ---- through a real Mosquitto: ours vs MQTT.js

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function oursClient(port, id, extra = {}) {
  const c = new MqttClient(host, { host: '127.0.0.1', port }, { clientId: id, keepalive: 60, reconnect: { min: 1000, max: 1000 }, ...extra });
  return c;
}
function oursConnected(c) {
  return new Promise((resolve, reject) => {
    c.onConnect = () => resolve(c);
    c.onClose = (r, retry) => { if (retry < 0) reject(new Error(r)); };
    c.connect();
  });
}
const oursSub = (c, filter, qos, handler) => new Promise((res, rej) => c.subscribe(filter, { qos, handler }, (e) => (e ? rej(e) : res())));

function peerClient(port, id) {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect({ host: '127.0.0.1', port, clientId: id, keepalive: 60, reconnectPeriod: 1000, protocolVersion: 4 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

async function throughputOurs(port, qos, n, payload) {
  const sub = await oursConnected(oursClient(port, `b-os-${qos}`));
  const pub = await oursConnected(oursClient(port, `b-op-${qos}`, { queue: { messages: 1e9, bytes: 1e12 } }));
  let got = 0, acked = 0;
  let resolveDone;
  const done = new Promise((r) => { resolveDone = r; });
  const check = () => { if (got === n && (qos === 0 || acked === n)) resolveDone(); };
  await oursSub(sub, `bench/${qos}`, qos, () => { got++; check(); });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) pub.publish(`bench/${qos}`, payload, { qos }, qos ? () => { acked++; check(); } : undefined);
  await within(done, 60000, `mqtt-pair QoS ${qos} throughput (${got}/${n} received)`);
  const rate = n / ((performance.now() - t0) / 1000);
  sub.end(); pub.end();
  return rate;
}

async function throughputPeer(port, qos, n, payload) {
  const sub = await peerClient(port, `b-ps-${qos}`);
  const pub = await peerClient(port, `b-pp-${qos}`);
  let got = 0, acked = 0;
  let resolveDone;
  const done = new Promise((r) => { resolveDone = r; });
  const check = () => { if (got === n && (qos === 0 || acked === n)) resolveDone(); };
  sub.on('message', () => { got++; check(); });
  await sub.subscribeAsync(`bench/${qos}`, { qos });
  const buf = Buffer.from(payload);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) pub.publish(`bench/${qos}`, buf, { qos }, qos ? () => { acked++; check(); } : undefined);
  await within(done, 60000, `MQTT.js QoS ${qos} throughput (${got}/${n} received)`);
  const rate = n / ((performance.now() - t0) / 1000);
  await Promise.all([sub.endAsync(), pub.endAsync()]);
  return rate;
}

/** Rejects when `p` takes longer than `ms`: a benchmark must end, even when a message is lost. */
function within(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`${what} did not finish in ${ms / 1000} s`)), ms); })]).finally(() => clearTimeout(t));
}

function percentile(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]; }

async function rttOurs(port, rounds) {
  const esp1 = await oursConnected(oursClient(port, 'b-rtt-o1'));
  const esp2 = await oursConnected(oursClient(port, 'b-rtt-o2'));
  await oursSub(esp2, 'rtt/o/hello', 0, () => esp2.publish('rtt/o/notification', 'received'));
  let answer;
  await oursSub(esp1, 'rtt/o/notification', 0, () => answer());
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await new Promise((r) => { answer = r; esp1.publish('rtt/o/hello', `Hello #${i}`); });
    times.push(performance.now() - t0);
  }
  esp1.end(); esp2.end();
  return times.sort((a, b) => a - b);
}

async function rttPeer(port, rounds) {
  const esp1 = await peerClient(port, 'b-rtt-p1');
  const esp2 = await peerClient(port, 'b-rtt-p2');
  esp2.on('message', () => esp2.publish('rtt/p/notification', 'received'));
  await esp2.subscribeAsync('rtt/p/hello');
  let answer;
  esp1.on('message', () => answer());
  await esp1.subscribeAsync('rtt/p/notification');
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await new Promise((r) => { answer = r; esp1.publish('rtt/p/hello', `Hello #${i}`); });
    times.push(performance.now() - t0);
  }
  await Promise.all([esp1.endAsync(), esp2.endAsync()]);
  return times.sort((a, b) => a - b);
}

/** Broker killed and started again at once: ms from the restart until each client is back. */
async function recovery(broker, rounds) {
  const ours = [], peer = [];
  for (let i = 0; i < rounds; i++) {
    const o = await oursConnected(oursClient(broker.port, `b-rec-o${i}`));
    const p = await peerClient(broker.port, `b-rec-p${i}`);
    let tRestart = 0, oBack = 0, pBack = 0;
    const bothBack = new Promise((resolve) => {
      o.onConnect = () => { oBack = performance.now(); if (pBack) resolve(); };
      p.on('connect', () => { pBack = performance.now(); if (oBack) resolve(); });
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

async function main() {
  const json = process.argv.includes('--json');
  const say = json ? () => {} : (s) => process.stderr.write(s + '\n');
  const r = {};
  say('codec...');
  const codec = benchCodec();
  r.codec_ratio_vs_mqtt_packet = codec.ratio;
  say('bundles...');
  const client = await bundleSize('src/mqtt/client.ts');
  const firmware = await bundleSize('hosts/moddable/main.ts').catch(() => bundleSize('src/apps/board.ts'));
  r.client_bundle_gzip_bytes = client.gzip;
  r.firmware_bundle_gzip_bytes = firmware.gzip;
  const rows = [
    ['Codec encode+decode (packets/s)', fmt(codec.ours), fmt(codec.peer) + ' (mqtt-packet)', codec.ratio.toFixed(2) + '×'],
  ];
  let broker = null;
  if (mosquittoAvailable()) {
    // The subscriber must get every message: no per-client queue limit (default 1000) in the way.
    broker = await startMosquitto({ persistence: false, extra: 'max_queued_messages 0\nmax_inflight_messages 0' });
    try {
      const payload = te.encode('x'.repeat(64));
      const n = 20000;
      say('QoS 0 throughput...');
      const q0o = await throughputOurs(broker.port, 0, n, payload), q0p = await throughputPeer(broker.port, 0, n, payload);
      say('QoS 1 throughput...');
      const q1o = await throughputOurs(broker.port, 1, n / 4, payload), q1p = await throughputPeer(broker.port, 1, n / 4, payload);
      say('round trips...');
      const ro = await rttOurs(broker.port, 400), rp = await rttPeer(broker.port, 400);
      say('recovery after a broker restart...');
      const rec = await recovery(broker, 3);
      Object.assign(r, {
        qos0_ratio_vs_mqttjs: q0o / q0p, qos1_ratio_vs_mqttjs: q1o / q1p,
        rtt_p50_ms: percentile(ro, 50), rtt_p99_ms: percentile(ro, 99),
        rtt_p50_ratio_vs_mqttjs: percentile(ro, 50) / percentile(rp, 50),
        rtt_p99_ratio_vs_mqttjs: percentile(ro, 99) / percentile(rp, 99),
        recovery_ms: rec.ours, recovery_ratio_vs_mqttjs: rec.ours / rec.peer,
      });
      rows.push(
        ['Publish QoS 0 via Mosquitto (msg/s)', fmt(q0o), fmt(q0p) + ' (MQTT.js)', (q0o / q0p).toFixed(2) + '×'],
        ['Publish QoS 1 via Mosquitto (msg/s)', fmt(q1o), fmt(q1p) + ' (MQTT.js)', (q1o / q1p).toFixed(2) + '×'],
        ['hello→received round trip p50 (ms)', percentile(ro, 50).toFixed(3), percentile(rp, 50).toFixed(3) + ' (MQTT.js)', r.rtt_p50_ratio_vs_mqttjs.toFixed(2) + '×'],
        ['hello→received round trip p99 (ms)', percentile(ro, 99).toFixed(3), percentile(rp, 99).toFixed(3) + ' (MQTT.js)', r.rtt_p99_ratio_vs_mqttjs.toFixed(2) + '×'],
        ['Recovery after broker restart (ms, 1 s backoff)', rec.ours.toFixed(0), rec.peer.toFixed(0) + ' (MQTT.js)', r.recovery_ratio_vs_mqttjs.toFixed(2) + '×'],
      );
    } finally {
      await broker.stop();
    }
  } else {
    say('Mosquitto not found: broker figures skipped (apt-get install mosquitto)');
  }
  rows.push(
    ['Client bundle, minified / gzipped (bytes)', `${client.min} / ${client.gzip}`, '', ''],
    ['Firmware bundle, minified / gzipped (bytes)', `${firmware.min} / ${firmware.gzip}`, '', ''],
  );
  try {
    const { measureHeap } = await import('../hosts/xsnap/runner.mjs');
    if (!mosquittoAvailable()) throw new Error('needs Mosquitto');
    say('XS heap...');
    // Like the boards, where the modules are preloaded into flash: the code is loaded before the
    // baseline, so the figure is what the running board adds (client connected, subscribed, 100 hellos).
    const heapBroker = await startMosquitto({ persistence: false });
    let heap;
    try { heap = await measureHeap({ broker: `127.0.0.1:${heapBroker.port}` }); } finally { await heapBroker.stop(); }
    r.xs_heap_added_bytes_esp1 = heap.board.bytes;
    r.xs_heap_code_bytes = heap.code.bytes;
    rows.push(
      ['XS heap added by a running ESP#1, code preloaded (bytes, 64-bit XS)', String(heap.board.bytes), '≈1900 (Moddable mqtt, QoS 0 only)', (heap.board.bytes / 1900).toFixed(2) + '×'],
      ['XS heap of the firmware code when not preloaded (bytes)', String(heap.code.bytes), '', ''],
    );
  } catch (e) {
    say(`XS heap not measured: ${e.message}`);
    r.xs_heap_added_bytes_esp1 = null;
  }
  if (json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return;
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
  console.log('| Figure | mqtt-pair | Peer | Ratio |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

function fmt(n) { return Math.round(n).toLocaleString('en-US'); }

/** Settles when the run is over; `mqtt-pair bench` awaits it. */
export const done = main().catch((e) => { console.error(`bench failed: ${e.message}`); process.exitCode = 1; });
