// Publish throughput: one publisher to one subscriber through Mosquitto, from the first publish to
// the last delivery (and, QoS 1, the last PUBACK). No in-flight window anywhere (the broker's
// lifted too), so that every client streams. Ours, MQTT.js, and the floor (tools/bench/floor.mjs).
import { performance } from 'node:perf_hooks';
import { counter, oursConnected, oursClient, oursSub, paced, peerClient, within } from './clients.mjs';
import { publishPackets, pubackFor, rawClient } from './floor.mjs';
import { fmt, median } from './report.mjs';
import { scale } from './smoke.mjs';

const te = new TextEncoder();

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
  let n = scale(size >= 65536 ? 500 : size >= 1024 ? 5000 : 20000, 20);
  await THROUGHPUT[kind](port, qos, Math.max(100, n >> 2), payload, `${tag}-w`); // warm-up
  for (let tries = 0; tries < scale(6, 0); tries++) {
    const s = await THROUGHPUT[kind](port, qos, n, payload, `${tag}-c${tries}`);
    if (s >= 1) break;
    n = Math.ceil(n * Math.min(8, 1.3 / Math.max(s, 0.05)));
    if (qos) n = Math.min(n, 65000); // every QoS 1 message is in flight at once: one packet identifier each
  }
  const rates = [];
  for (let i = 0; i < scale(3, 1); i++) rates.push(n / (await THROUGHPUT[kind](port, qos, n, payload, `${tag}-${i}`)));
  say(`  ${kind} QoS ${qos} ${size} B: ${fmt(median(rates))} msg/s (n=${n})`);
  return { rate: median(rates), rates, n };
}
