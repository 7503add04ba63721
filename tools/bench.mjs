// `npm run bench`: every figure measured in the same run on this machine, each beside its peers
// (mqtt-packet for the codec; MQTT.js and the physical floor, a raw node:net client writing
// pre-encoded packets, for the client; Moddable's own mqtt module for the heap on the board's
// runtime), as one markdown table or, with --json, one JSON object. Ratios are ours / peer's:
// above 1 is better for throughput, below 1 for times and bytes. docs/performance.md says how
// each row is measured.

import { gzipSync } from 'node:zlib';
import { cpus, totalmem, loadavg } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqttPacket from 'mqtt-packet';
import mqtt from 'mqtt';
import { build } from 'esbuild';
import { Decoder, MqttClient, encode, nodeHost } from '../dist/index.js';
import { startMosquitto, mosquittoAvailable, findExecutable } from './mosquitto.mjs';
import { moddableModules } from './build.mjs';
import { publishPackets, pubackFor, rawClient } from './bench/floor.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = nodeHost({ log: () => {} });
const te = new TextEncoder();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)];
};
const range = (a) => `${fmt3(Math.min(...a))}–${fmt3(Math.max(...a))}`;

// ---- codec: encode + decode the same packets, ours vs mqtt-packet

function codecPackets() {
  const payload = te.encode('{"temperature":20.5,"unit":"C"}');
  const ours = [],
    theirs = [];
  for (let i = 0; i < 64; i++) {
    const topic = `myRasp/groundfloor/room${i % 8}/temperature`;
    const qos = i % 3;
    ours.push({ type: 3, topic, payload, qos, retain: i % 5 === 0, dup: false, id: qos ? i + 1 : 0 });
    theirs.push({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: i % 5 === 0, dup: false, messageId: qos ? i + 1 : undefined });
    if (i % 4 === 0) {
      ours.push({ type: 4, id: i + 1 });
      theirs.push({ cmd: 'puback', messageId: i + 1 });
    }
    if (i % 16 === 0) {
      ours.push({ type: 8, id: i + 1, subscriptions: [{ filter: 'myRasp/+/kitchen/#', qos: 1 }] });
      theirs.push({ cmd: 'subscribe', messageId: i + 1, subscriptions: [{ topic: 'myRasp/+/kitchen/#', qos: 1 }] });
    }
    if (i % 16 === 8) {
      ours.push({ type: 12 });
      theirs.push({ cmd: 'pingreq' });
    }
  }
  return { ours, theirs };
}

function timeLoop(fn, minMs = 400) {
  fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    n++;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

function benchCodec() {
  const { ours, theirs } = codecPackets();
  // biome-ignore lint/correctness/noUnusedVariables: counted so that each callback does some work, as a real one would
  let count = 0;
  const dec = new Decoder(() => {
    count++;
  });
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', () => {
    count++;
  });
  const runOurs = () => {
    for (const p of ours) dec.push(encode(p));
  };
  const runTheirs = () => {
    for (const p of theirs) parser.parse(mqttPacket.generate(p, { protocolVersion: 4 }));
  };
  const best = (f) => Math.max(timeLoop(f), timeLoop(f), timeLoop(f));
  const oursRate = best(runOurs) * ours.length;
  const theirsRate = best(runTheirs) * theirs.length;
  return { ours: oursRate, peer: theirsRate, ratio: oursRate / theirsRate };
}

// ---- bundle sizes: esbuild, minified, gzip -9. A failed build fails the bench.

async function bundleSize(entry, external) {
  const r = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external,
    logLevel: 'silent',
  });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

// ---- placement: which CPUs the bench (its clients) and Mosquitto run on

const taskset = findExecutable('taskset');
const twoCpus = cpus().length >= 2;
function pin(pid, list) {
  if (!taskset) return false;
  return spawnSync(taskset, ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' }).status === 0;
}
/** 'one': clients and broker share CPU 0; 'two': clients on CPU 0, broker on CPU 1. */
function place(broker, placement) {
  const a = pin(process.pid, '0');
  const b = pin(broker.pid, placement === 'one' ? '0' : '1');
  return a && b;
}
function unpin(broker) {
  const all = `0-${cpus().length - 1}`;
  pin(process.pid, all);
  if (broker?.pid) pin(broker.pid, all);
}

// ---- clients

function oursClient(port, id, extra = {}) {
  return new MqttClient(host, { host: '127.0.0.1', port }, { clientId: id, keepalive: 60, reconnect: { min: 1000, max: 1000 }, ...extra });
}
function oursConnected(c) {
  return new Promise((resolve, reject) => {
    c.onConnect = () => resolve(c);
    c.onClose = (r, retry) => {
      if (retry < 0) reject(new Error(r));
    };
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

/** Rejects when `p` takes longer than `ms`: a benchmark must end, even when a message is lost. */
function within(p, ms, what) {
  let t;
  return Promise.race([
    p,
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`${what} did not finish in ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

function counter(n, qos) {
  let got = 0,
    acked = 0,
    resolve,
    waiter = null;
  const done = new Promise((r) => {
    resolve = r;
  });
  const check = () => {
    if (waiter && got >= waiter.k) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
    if (got >= n && (qos === 0 || acked >= n)) resolve();
  };
  return {
    done,
    got() {
      got++;
      check();
    },
    acked() {
      acked++;
      check();
    },
    get received() {
      return got;
    },
    /** Resolves once `k` messages were received. */
    until(k) {
      return got >= k
        ? Promise.resolve()
        : new Promise((r) => {
            waiter = { k, resolve: r };
          });
    },
    get counts() {
      return `${got}/${n} received, ${acked} acknowledged`;
    },
  };
}

/** What a publisher may have sent and the subscriber not yet received: 8 MB (16 B and 1 KB
 *  messages never reach it; 128 messages of 64 KB). Without it, a run of 64 KB messages queues a
 *  gigabyte in the publisher's process and measures its memory, bimodally, not the client. */
const WINDOW_BYTES = 8 << 20;

/** Calls send(i) for i = 0..n-1, keeping at most WINDOW_BYTES of messages ahead of the subscriber. */
async function paced(n, size, c, send) {
  const window = Math.max(2, Math.floor(WINDOW_BYTES / Math.max(1, size)));
  let i = 0;
  while (i < n) {
    const upto = Math.min(n, c.received + window);
    while (i < upto) send(i++);
    if (i < n) await within(c.until(i - (window >> 1)), 60000, `the subscriber catching up (${c.counts})`);
  }
}

// ---- throughput: one publisher to one subscriber through Mosquitto, from the first publish to
// the last delivery (and, QoS 1, the last PUBACK). No in-flight window anywhere (the broker's
// lifted too), so that every client streams.

const THROUGHPUT = {
  async ours(port, qos, n, payload, tag) {
    const sub = await oursConnected(oursClient(port, `b-os-${tag}`, { maxPacketSize: 1 << 20 }));
    const pub = await oursConnected(oursClient(port, `b-op-${tag}`, { inflight: 0, queue: { messages: 1e9, bytes: 1e12 } }));
    const c = counter(n, qos);
    await oursSub(sub, `bench/${tag}`, qos, () => c.got());
    const t0 = performance.now();
    const acked = qos ? () => c.acked() : undefined;
    await paced(n, payload.length, c, () => pub.publish(`bench/${tag}`, payload, { qos }, acked));
    await within(c.done, 120000, `mqtt-pair QoS ${qos} throughput (${c.counts})`);
    const s = (performance.now() - t0) / 1000;
    sub.end();
    pub.end();
    return s;
  },
  async mqttjs(port, qos, n, payload, tag) {
    const sub = await peerClient(port, `b-ps-${tag}`);
    const pub = await peerClient(port, `b-pp-${tag}`);
    const c = counter(n, qos);
    sub.on('message', () => c.got());
    await sub.subscribeAsync(`bench/${tag}`, { qos });
    const buf = Buffer.from(payload);
    const t0 = performance.now();
    const acked = qos ? () => c.acked() : undefined;
    await paced(n, payload.length, c, () => pub.publish(`bench/${tag}`, buf, { qos }, acked));
    await within(c.done, 120000, `MQTT.js QoS ${qos} throughput (${c.counts})`);
    const s = (performance.now() - t0) / 1000;
    await Promise.all([sub.endAsync(), pub.endAsync()]);
    return s;
  },
  async floor(port, qos, n, payload, tag) {
    const sub = await rawClient(port, `b-fs-${tag}`);
    await sub.subscribe(`bench/${tag}`, qos);
    const pub = await rawClient(port, `b-fp-${tag}`);
    const c = counter(n, qos);
    sub.frames((first, frame, bodyAt) => {
      if (first >> 4 === 3) {
        if (qos) sub.socket.write(pubackFor(frame, bodyAt));
        c.got();
      }
    });
    pub.frames((first) => {
      if (first >> 4 === 4) c.acked();
    });
    // Encoded before the clock starts, and written the fastest way Node has for the size (measured):
    // up to 16 KB one whole packet (QoS 0: one packet written n times; QoS 1: one per packet
    // identifier); above, one header per identifier and then the same payload bytes, corked (a
    // 64 KB packet written whole n times ran at 9,000-15,000 msg/s, header + payload at 15,000).
    const split = payload.length > 16384;
    const packets = split
      ? publishPackets(`bench/${tag}`, new Uint8Array(0), qos, Math.min(n, 65535)).map((h) => headOnly(h, payload.length))
      : publishPackets(`bench/${tag}`, payload, qos, Math.min(n, 65535));
    const body = Buffer.from(payload);
    const t0 = performance.now();
    // Written as the clients are given them, with the same window ahead of the subscriber.
    const s = pub.socket;
    await paced(n, payload.length, c, (i) => {
      const p = packets[i % packets.length];
      if (split) {
        s.cork();
        s.write(p);
        s.write(body);
        s.uncork();
      } else s.write(p);
    });
    await within(c.done, 120000, `raw node:net QoS ${qos} throughput (${c.counts})`);
    const secs = (performance.now() - t0) / 1000;
    sub.end();
    pub.end();
    return secs;
  },
};

/** A PUBLISH header for a payload of `n` bytes, from one encoded with an empty payload. */
function headOnly(packet, n) {
  const bodyAt = (() => {
    let k = 1;
    while (packet[k] & 128) k++;
    return k + 1;
  })();
  const remaining = packet.length - bodyAt + n;
  const len = [];
  let r = remaining;
  do {
    let d = r & 127;
    r >>>= 7;
    if (r) d |= 128;
    len.push(d);
  } while (r);
  return Buffer.concat([Buffer.from([packet[0], ...len]), packet.subarray(bodyAt)]);
}

/**
 * Messages a second for one client, QoS and size: a warm-up run, then runs of at least a second
 * (n grown until one lasts that long), median of 3.
 */
export async function throughput(kind, port, qos, size, say) {
  const payload = te.encode('x'.repeat(size));
  const tag = `${kind}-${qos}-${size}`;
  let n = size >= 65536 ? 500 : size >= 1024 ? 5000 : 20000;
  await THROUGHPUT[kind](port, qos, Math.max(100, n >> 2), payload, `${tag}-w`); // warm-up
  for (let tries = 0; tries < 6; tries++) {
    const s = await THROUGHPUT[kind](port, qos, n, payload, `${tag}-c${tries}`);
    if (s >= 1) break;
    n = Math.ceil(n * Math.min(8, 1.3 / Math.max(s, 0.05)));
    if (qos) n = Math.min(n, 65000); // every QoS 1 message is in flight at once: one packet identifier each
  }
  const rates = [];
  for (let i = 0; i < 3; i++) rates.push(n / (await THROUGHPUT[kind](port, qos, n, payload, `${tag}-${i}`)));
  say(`  ${kind} QoS ${qos} ${size} B: ${fmt(median(rates))} msg/s (n=${n})`);
  return { rate: median(rates), rates, n };
}

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

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Round trips in one placement: 5 runs of 400 for each client, interleaved (ours, MQTT.js, floor,
 * ours, ...) so that a slow moment of the machine falls on all three. Per client: the median of
 * the 5 runs' p50, their min–max, and the p99 of all 2,000.
 */
async function roundTrips(broker, placement) {
  const pinned = place(broker, placement);
  const runs = { ours: [], mqttjs: [], floor: [] };
  for (const kind of Object.keys(runs)) await ROUND_TRIP[kind](broker.port, 100, `${placement}-${kind}-w`); // warm-up
  for (let i = 0; i < 5; i++) for (const kind of Object.keys(runs)) runs[kind].push(await ROUND_TRIP[kind](broker.port, 400, `${placement}-${kind}-${i}`));
  const out = { pinned };
  for (const [kind, rs] of Object.entries(runs)) {
    const p50s = rs.map((t) => percentile(t, 50));
    out[kind] = { p50: median(p50s), p50s, p99: percentile(rs.flat(), 99) };
  }
  return out;
}

// ---- recovery: the broker killed and started again at once, ms until each client is back

async function recovery(broker, rounds) {
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

// ---- CLI start-up: `mqtt-pair pub` beside a node process that sends pre-encoded bytes

function rawPublishScript(port) {
  const gen = (p) => mqttPacket.generate(p, { protocolVersion: 4 }).toString('hex');
  const bytes =
    gen({ cmd: 'connect', clientId: 'b-cli-raw', keepalive: 60, clean: true, protocolId: 'MQTT', protocolVersion: 4 }) +
    gen({ cmd: 'publish', topic: 'bench/cli', payload: Buffer.from('hello'), qos: 0 }) +
    gen({ cmd: 'disconnect' });
  // The floor of a command that publishes: start node, connect, write, wait for CONNACK, leave.
  return `const s=require('node:net').connect(${port},'127.0.0.1',()=>s.write(Buffer.from('${bytes}','hex')));s.once('data',()=>s.end());`;
}

function timeProcess(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b) => {
      err += b;
    });
    p.once('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

async function cliStartup(port) {
  const cli = [join(root, 'tools/mqtt-pair.cjs'), 'pub', '-h', '127.0.0.1', '-p', String(port), '-t', 'bench/cli', '-m', 'hello', '-i', 'b-cli'];
  const raw = ['-e', rawPublishScript(port)];
  for (let i = 0; i < 3; i++) {
    await timeProcess(process.execPath, cli);
    await timeProcess(process.execPath, raw);
  } // warm the file cache
  const ours = [],
    floor = [];
  for (let i = 0; i < 15; i++) {
    ours.push(await timeProcess(process.execPath, cli));
    floor.push(await timeProcess(process.execPath, raw));
  }
  return { ours: median(ours), floor: median(floor), oursRange: range(ours), floorRange: range(floor) };
}

// ---- the run

async function main() {
  const json = process.argv.includes('--json');
  const say = json ? () => {} : (s) => process.stderr.write(`${s}\n`);
  const r = {};
  const rows = [];
  const row = (...cells) => rows.push(cells);

  say('codec...');
  const codec = benchCodec();
  r.codec_ratio_vs_mqtt_packet = codec.ratio;
  row('Codec encode+decode (packets/s)', fmt(codec.ours), `${fmt(codec.peer)} (mqtt-packet)`, x2(codec.ratio));

  say('bundles...');
  const client = await bundleSize('src/mqtt/client.ts', []);
  const firmware = await bundleSize('hosts/moddable/main.ts', moddableModules);
  r.client_bundle_gzip_bytes = client.gzip;
  r.firmware_bundle_gzip_bytes = firmware.gzip;
  r.firmware_bundle_min_bytes = firmware.min;

  if (mosquittoAvailable()) {
    // The subscriber must get every message: no per-client queue or in-flight limit in the way.
    const broker = await startMosquitto({ persistence: false, extra: 'max_queued_messages 0\nmax_inflight_messages 0' });
    try {
      say('throughput (clients on CPU 0, Mosquitto on CPU 1)...');
      place(broker, twoCpus ? 'two' : 'one');
      const t = {};
      for (const qos of [0, 1])
        for (const size of [16, 1024, 65536])
          for (const kind of ['ours', 'mqttjs', 'floor']) t[`${kind}-${qos}-${size}`] = await throughput(kind, broker.port, qos, size, say);
      for (const qos of [0, 1])
        for (const size of [16, 1024, 65536]) {
          const o = t[`ours-${qos}-${size}`].rate,
            m = t[`mqttjs-${qos}-${size}`].rate,
            f = t[`floor-${qos}-${size}`].rate;
          r[`qos${qos}_ratio_vs_floor_${size}`] = o / f;
          r[`qos${qos}_ratio_vs_mqttjs_${size}`] = o / m;
          row(`Publish QoS ${qos}, ${sizeName(size)} payload (msg/s)`, fmt(o), `${fmt(m)} (MQTT.js, ${x2(o / m)}); ${fmt(f)} (floor)`, `${x2(o / f)} floor`);
        }
      r.qos0_ratio_vs_mqttjs = r.qos0_ratio_vs_mqttjs_16;
      r.qos1_ratio_vs_mqttjs = r.qos1_ratio_vs_mqttjs_16;

      say('round trips (one CPU, then two)...');
      const one = await roundTrips(broker, 'one');
      const two = twoCpus ? await roundTrips(broker, 'two') : null;
      r.rtt_p50_ms = one.ours.p50;
      r.rtt_p99_ms = one.ours.p99;
      r.rtt_p50_ratio_vs_mqttjs = one.ours.p50 / one.mqttjs.p50;
      r.rtt_p99_ratio_vs_mqttjs = one.ours.p99 / one.mqttjs.p99;
      r.rtt_p50_ratio_vs_floor = one.ours.p50 / one.floor.p50;
      r.rtt_pinned = one.pinned;
      for (const [name, p] of [
        ['one CPU', one],
        ['two CPUs', two],
      ]) {
        if (!p) continue;
        row(
          `hello→received round trip p50, ${name} (ms, median of 5 runs, min–max)`,
          `${fmt3(p.ours.p50)} (${range(p.ours.p50s)})`,
          `${fmt3(p.mqttjs.p50)} (MQTT.js, ${range(p.mqttjs.p50s)}); ${fmt3(p.floor.p50)} (floor, ${range(p.floor.p50s)})`,
          `${x2(p.ours.p50 / p.mqttjs.p50)} MQTT.js, ${x2(p.ours.p50 / p.floor.p50)} floor`,
        );
      }
      row(
        'hello→received round trip p99, one CPU (ms, 2,000 round trips)',
        fmt3(one.ours.p99),
        `${fmt3(one.mqttjs.p99)} (MQTT.js); ${fmt3(one.floor.p99)} (floor)`,
        `${x2(r.rtt_p99_ratio_vs_mqttjs)} MQTT.js`,
      );
      if (two) {
        r.rtt_p50_ratio_vs_mqttjs_two_cpus = two.ours.p50 / two.mqttjs.p50;
        r.rtt_p50_ratio_vs_floor_two_cpus = two.ours.p50 / two.floor.p50;
      }
      unpin(broker);

      say('recovery after a broker restart...');
      const rec = await recovery(broker, 3);
      r.recovery_ms = rec.ours;
      r.recovery_ratio_vs_mqttjs = rec.ours / rec.peer;
      row(
        'Recovery after broker restart (ms, 1 s backoff, mean of 3)',
        rec.ours.toFixed(0),
        `${rec.peer.toFixed(0)} (MQTT.js)`,
        x2(r.recovery_ratio_vs_mqttjs),
      );

      say('CLI start-up...');
      const cli = await cliStartup(broker.port);
      r.cli_startup_ms = cli.ours;
      r.cli_startup_ratio_vs_raw = cli.ours / cli.floor;
      row(
        '`mqtt-pair pub` start to exit (ms, median of 15, min–max)',
        `${cli.ours.toFixed(1)} (${cli.oursRange})`,
        `${cli.floor.toFixed(1)} (node:net publish, ${cli.floorRange})`,
        x2(r.cli_startup_ratio_vs_raw),
      );

      if (process.env.MODDABLE) {
        const responder = await startResponder(broker.port);
        try {
          const { measureMcsimHeap, mcsimHeapProfile } = await import('./bench/mcsim-heap.mjs');
          const heap = await measureMcsimHeap({ root, port: broker.port, responder, say });
          const esp1 = heap.ours.bytes - heap.empty.bytes,
            anchor = heap['moddable-mqtt'].bytes - heap.empty.bytes;
          Object.assign(r, {
            mcsim_heap_added_bytes_esp1: esp1,
            mcsim_heap_added_bytes_moddable_mqtt: anchor,
            mcsim_heap_ratio_vs_moddable_mqtt: esp1 / anchor,
            mcsim_heap_empty_bytes: heap.empty.bytes,
          });
          row(
            'mcsim: XS heap a running ESP#1 adds to an empty app (bytes, after Debug.gc(), 25 hellos)',
            fmt(esp1),
            `${fmt(anchor)} (Moddable's mqtt module, QoS 0 only)`,
            x2(esp1 / anchor),
          );
          if (heap['ours-usb']) {
            r.mcsim_heap_added_bytes_esp1_usb = heap['ours-usb'].bytes - heap.empty.bytes;
            row('mcsim: the same ESP#1 with its USB port open for Improv (bytes)', fmt(r.mcsim_heap_added_bytes_esp1_usb), '', '');
          }
          row('mcsim: the empty app (a timer), for reference (bytes)', fmt(heap.empty.bytes), '', '');
          const p = await mcsimHeapProfile({ root, port: broker.port, responder, say });
          r.mcsim_heap_profile = p;
          row(
            'mcsim profile: host, client and role, WiFi up, connected, running (bytes added)',
            [p.host - p.start, p.client - p.host, p.wifi - p.client, p.connected - p.wifi, p.steady - p.connected].map(fmt).join(', '),
            '',
            '',
          );
        } finally {
          responder.end();
        }
      } else {
        say('MODDABLE is not set: the mcsim heap rows need the Moddable SDK 8.2.3 (export MODDABLE=<the SDK> PATH=$MODDABLE/build/bin/lin/release:$PATH)');
        r.mcsim_heap_added_bytes_esp1 = r.mcsim_heap_added_bytes_moddable_mqtt = r.mcsim_heap_ratio_vs_moddable_mqtt = null;
      }
    } finally {
      unpin(broker);
      await broker.stop();
    }
  } else {
    say('Mosquitto not found: broker figures skipped (apt-get install mosquitto)');
  }

  row('Client bundle, minified / gzipped (bytes)', `${fmt(client.min)} / ${fmt(client.gzip)}`, '', '');
  row('Firmware bundle (hosts/moddable/main.ts), minified / gzipped (bytes)', `${fmt(firmware.min)} / ${fmt(firmware.gzip)}`, '', '');

  try {
    const { measureHeap } = await import('../hosts/xsnap/runner.mjs');
    if (!mosquittoAvailable()) throw new Error('needs Mosquitto');
    say('XS heap in xsnap (a second view)...');
    const heapBroker = await startMosquitto({ persistence: false });
    let heap;
    try {
      heap = await measureHeap({ broker: `127.0.0.1:${heapBroker.port}` });
    } finally {
      await heapBroker.stop();
    }
    r.xs_heap_added_bytes_esp1 = heap.board.bytes;
    r.xs_heap_code_bytes = heap.code.bytes;
    row('xsnap (second view, no Moddable host): XS heap added by ESP#1 (bytes)', fmt(heap.board.bytes), '', '');
  } catch (e) {
    say(`XS heap in xsnap not measured: ${e.message}`);
    r.xs_heap_added_bytes_esp1 = null;
  }

  if (json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}${taskset ? '' : ' (no taskset: nothing pinned)'}\n`,
  );
  console.log('| Figure | mqtt-pair | Peers | Ratio |');
  console.log('|---|---|---|---|');
  for (const cells of rows) console.log(`| ${cells.join(' | ')} |`);
}

/** ESP#2 for the mcsim apps: answers each <prefix>hello with <prefix>notification "received", and counts. */
async function startResponder(port) {
  const c = await oursConnected(oursClient(port, 'b-mcsim-esp2'));
  const counts = new Map();
  await oursSub(c, '+/hello', 0, (m) => {
    const prefix = m.topic.slice(0, -5);
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    c.publish(`${prefix}notification`, 'received');
  });
  return { hellos: (prefix) => counts.get(prefix) ?? 0, end: () => c.end() };
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}
function fmt3(n) {
  return n.toFixed(3);
}
function x2(n) {
  return `${n.toFixed(2)}×`;
}
function sizeName(n) {
  return n >= 1024 ? `${n / 1024} KB` : `${n} B`;
}

/** Settles when the run is over; `mqtt-pair bench` awaits it. */
export const done = process.env.BENCH_NO_MAIN
  ? Promise.resolve()
  : main().catch((e) => {
      console.error(`bench failed: ${e.message}`);
      process.exitCode = 1;
    });
