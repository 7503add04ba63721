// The benchmark's physical floor: MQTT over a raw node:net socket with every packet encoded
// before the clock starts (mqtt-packet), and frames split by their remaining length only. No
// client can do less work per message through the same Mosquitto, so ours/floor says how close
// to "the broker and the socket are the limit" a client gets.
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';

const gen = (p) => mqttPacket.generate(p, { protocolVersion: 4 });

/** Calls onFrame(first byte, packet bytes, body offset) for each whole frame in a byte stream.
 *  A frame that spans reads is copied once, when its last byte has come (as any decoder must). */
export function frameSplitter(onFrame) {
  let parts = [],
    have = 0,
    need = 0; // the start of a frame, its bytes so far, its length once known
  return (chunk) => {
    if (parts.length) {
      parts.push(chunk);
      have += chunk.length;
      if (need && have < need) return;
      chunk = Buffer.concat(parts, have);
      parts = [];
      have = 0;
      need = 0;
    }
    let i = 0;
    while (i < chunk.length) {
      const h = frameHeader(chunk, i);
      if (!h || i + h.length > chunk.length) {
        parts = [chunk.subarray(i)];
        have = chunk.length - i;
        need = h ? h.length : 0;
        return;
      }
      onFrame(chunk[i], chunk.subarray(i, i + h.length), h.bodyAt);
      i += h.length;
    }
  };
}

/** The whole length and the body offset of the frame at `i`, or null while its header is incomplete. */
function frameHeader(b, i) {
  let len = 0,
    mul = 1;
  for (let k = 1; k <= 4; k++) {
    if (i + k >= b.length) return null;
    const d = b[i + k];
    len += (d & 127) * mul;
    if (!(d & 128)) return { length: 1 + k + len, bodyAt: 1 + k };
    mul *= 128;
  }
  throw new Error('malformed remaining length');
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
      frames(fn) {
        handler = fn;
      },
      /** Subscribes and resolves on SUBACK. */
      subscribe(topic, qos) {
        return new Promise((res) => {
          const before = handler;
          handler = (first) => {
            if (first >> 4 === 9) {
              handler = before;
              res();
            }
          };
          s.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos }] }));
        });
      },
      end() {
        s.end(gen({ cmd: 'disconnect' }));
      },
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
  if (!qos) {
    const p = gen({ cmd: 'publish', topic, payload: body, qos: 0 });
    return Array.from({ length: n }, () => p);
  }
  const cache = new Map();
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = (i % 65535) + 1;
    let p = cache.get(id);
    if (!p) {
      p = gen({ cmd: 'publish', topic, payload: body, qos, messageId: id });
      cache.set(id, p);
    }
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
