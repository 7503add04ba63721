// The clients the bench drives through Mosquitto: ours (MqttClient on the Node host) and its peer
// MQTT.js, connected; a counter of deliveries and acknowledgements; the window that keeps a
// publisher at most 8 MB ahead of its subscriber; and ESP#2 for the boards in mcsim.
import mqtt from 'mqtt';
import { MqttClient, nodeHost } from '../../dist/index.js';

const host = nodeHost({ log: () => {} });

export function oursClient(port, id, extra = {}) {
  return new MqttClient(host, { host: '127.0.0.1', port }, { clientId: id, keepalive: 60, reconnect: { min: 1000, max: 1000 }, ...extra });
}
export function oursConnected(c) {
  return new Promise((resolve, reject) => {
    c.onConnect = () => resolve(c);
    c.onClose = (r, retry) => {
      if (retry < 0) reject(new Error(r));
    };
    c.connect();
  });
}
export const oursSub = (c, filter, qos, handler) => new Promise((res, rej) => c.subscribe(filter, { qos, handler }, (e) => (e ? rej(e) : res())));

export function peerClient(port, id) {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect({ host: '127.0.0.1', port, clientId: id, keepalive: 60, reconnectPeriod: 1000, protocolVersion: 4 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

/** Rejects when `p` takes longer than `ms`: a benchmark must end, even when a message is lost. */
export function within(p, ms, what) {
  let t;
  return Promise.race([
    p,
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`${what} did not finish in ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

export function counter(n, qos) {
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
export async function paced(n, size, c, send) {
  const window = Math.max(2, Math.floor(WINDOW_BYTES / Math.max(1, size)));
  let i = 0;
  while (i < n) {
    const upto = Math.min(n, c.received + window);
    while (i < upto) send(i++);
    if (i < n) await within(c.until(i - (window >> 1)), 60000, `the subscriber catching up (${c.counts})`);
  }
}

/** ESP#2 for the mcsim apps: answers each <prefix>hello with <prefix>notification "received", and counts. */
export async function startResponder(port) {
  const c = await oursConnected(oursClient(port, 'b-mcsim-esp2'));
  const counts = new Map();
  await oursSub(c, '+/hello', 0, (m) => {
    const prefix = m.topic.slice(0, -5);
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    c.publish(`${prefix}notification`, 'received');
  });
  return { hellos: (prefix) => counts.get(prefix) ?? 0, end: () => c.end() };
}
