// The benchmark's physical floor: MQTT over a raw node:net socket with every packet encoded
// before the clock starts (mqtt-packet), and frames split by their remaining length only. No
// client can do less work per message through the same Mosquitto, so ours/floor says how close
// to "the broker and the socket are the limit" a client gets.
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';

const gen = (p) => mqttPacket.generate(p, { protocolVersion: 4 });

/** Calls onFrame(first byte, packet bytes) for each whole frame in a byte stream. */
export function frameSplitter(onFrame) {
  let held = null;
  return (chunk) => {
    let b = held ? Buffer.concat([held, chunk]) : chunk;
    held = null;
    let i = 0;
    while (i < b.length) {
      let len = 0, mul = 1, k = 1;
      for (;; k++) {
        if (i + k >= b.length) { held = b.subarray(i); return; }
        const d = b[i + k];
        len += (d & 127) * mul;
        if (!(d & 128)) break;
        mul *= 128;
      }
      const end = i + 1 + k + len;
      if (end > b.length) { held = b.subarray(i); return; }
      onFrame(b[i], b.subarray(i, end), 1 + k);
      i = end;
    }
  };
}

/** A connected raw client: resolves once CONNACK arrived; `frames(fn)` gets the later frames. */
export function rawClient(port, clientId) {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true });
    let handler = null;
    let connected = false;
    const split = frameSplitter((first, frame, bodyAt) => {
      if (!connected) {
        if (first >> 4 !== 2 || frame[bodyAt + 1] !== 0) return reject(new Error(`raw client ${clientId}: connection refused`));
        connected = true;
        return resolve(client);
      }
      handler?.(first, frame, bodyAt);
    });
    s.on('data', split);
    s.once('error', reject);
    const client = {
      socket: s,
      frames(fn) { handler = fn; },
      /** Subscribes and resolves on SUBACK. */
      subscribe(topic, qos) {
        return new Promise((res) => {
          const before = handler;
          handler = (first) => { if (first >> 4 === 9) { handler = before; res(); } };
          s.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos }] }));
        });
      },
      end() { s.end(gen({ cmd: 'disconnect' })); },
    };
    s.write(gen({ cmd: 'connect', clientId, keepalive: 60, clean: true, protocolId: 'MQTT', protocolVersion: 4 }));
  });
}

/** Writes `packets` in order, waiting for 'drain' when the socket's buffer is full. */
export async function writeAll(socket, packets) {
  for (const p of packets) {
    if (!socket.write(p)) await new Promise((r) => socket.once('drain', r));
  }
}

/** Pre-encoded PUBLISH packets: n of them, ids 1..65535 in turn for QoS 1. */
export function publishPackets(topic, payload, qos, n) {
  const body = Buffer.from(payload);
  if (!qos) { const p = gen({ cmd: 'publish', topic, payload: body, qos: 0 }); return Array.from({ length: n }, () => p); }
  const cache = new Map();
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = (i % 65535) + 1;
    let p = cache.get(id);
    if (!p) { p = gen({ cmd: 'publish', topic, payload: body, qos, messageId: id }); cache.set(id, p); }
    out.push(p);
  }
  return out;
}

/** A PUBACK for the QoS 1 PUBLISH in `frame` (body at `bodyAt`): its id comes after the topic. */
export function pubackFor(frame, bodyAt) {
  const tl = (frame[bodyAt] << 8) | frame[bodyAt + 1];
  const at = bodyAt + 2 + tl;
  return Buffer.from([0x40, 2, frame[at], frame[at + 1]]);
}
