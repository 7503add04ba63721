// A fault-injection TCP proxy between an MQTT client and a broker, on 127.0.0.1 only.
//
//   const proxy = await startProxy({ target: broker.port })
//   ... connect the client to 127.0.0.1:${proxy.port} ...
//   proxy.drop((p, dir) => dir === 'toClient' && p.cmd === 'puback')  // lose every PUBACK
//   proxy.duplicate(once((p) => p.cmd === 'publish' && p.qos === 2))  // send one PUBLISH twice
//   proxy.stall(true)          // forward nothing, keep every socket open (a frozen link)
//   proxy.delay(200)           // forward each frame 200 ms after it arrived
//   proxy.splitEveryByte(true) // write frames one byte at a time, each after the last was flushed
//   proxy.refuse(true)         // accept new connections and close them at once (no broker there)
//   proxy.cut()                // close every connection now, both ends
//   proxy.count('toClient', 'pingresp'), proxy.packets, proxy.connections
//   await proxy.close()
//
// The stream is cut into frames in both directions (fixed header + remaining length) and each
// frame is decoded with mqtt-packet's parser, so predicates and counters see packets, while the
// original bytes are what is forwarded. A stream that cannot be framed (a remaining length longer
// than 4 bytes) is forwarded raw from there on. Directions: 'toBroker' and 'toClient'.
//
// Also here, for the tests that use it: until(pred, what, ms) polls for a condition, once(pred)
// limits a drop or duplicate predicate to its first match, and measuredHost() is nodeHost with
// the timing facts a functional time bound needs (see below).
import { createConnection, createServer } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { nodeHost } from '../../dist/index.js';
import { sleep } from './wait.mjs';

const HOST = '127.0.0.1';

export { sleep, until } from './wait.mjs';

/** A predicate that is true for the first `n` packets `pred` accepts, then false. */
export function once(pred, n = 1) {
  let left = n;
  return (p, dir) => {
    if (left > 0 && pred(p, dir)) {
      left--;
      return true;
    }
    return false;
  };
}

/** Remaining length at b[1..]: { value, bytes } or null when incomplete; throws past 4 bytes. */
function remainingLength(b) {
  let value = 0,
    mul = 1;
  for (let k = 1; k <= 4; k++) {
    if (k >= b.length) return null;
    value += (b[k] & 127) * mul;
    if (!(b[k] & 128)) return { value, bytes: k };
    mul *= 128;
  }
  throw new Error('remaining length longer than 4 bytes');
}

class Pipe {
  constructor(proxy, link, dir, dst) {
    this.proxy = proxy;
    this.link = link;
    this.dir = dir;
    this.dst = dst;
    this.pending = Buffer.alloc(0); // bytes of a frame not yet complete
    this.raw = false;
    this.queue = []; // { bytes, due } or { end: true, due }
    this.pumping = false;
    this.parser = mqttPacket.parser({ protocolVersion: 4 });
    this.parsed = null;
    this.parser.on('packet', (p) => {
      this.parsed = p;
    });
    this.parser.on('error', () => {
      this.parsed = null;
    });
  }

  /** Bytes from the source socket. */
  data(chunk) {
    if (this.raw) return this.enqueue(chunk);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 2) {
      let len;
      try {
        len = remainingLength(this.pending);
      } catch {
        this.raw = true;
        this.enqueue(this.pending);
        this.pending = Buffer.alloc(0);
        return;
      }
      if (!len) return;
      const total = 1 + len.bytes + len.value;
      if (this.pending.length < total) return;
      const frame = Buffer.from(this.pending.subarray(0, total)); // a copy: the frame outlives the chunk
      this.pending = this.pending.subarray(total);
      this.frame(frame);
    }
  }

  frame(bytes) {
    this.parsed = null;
    this.parser.parse(bytes);
    const packet = this.parsed ?? { cmd: 'undecodable', length: bytes.length };
    const p = this.proxy;
    const entry = { dir: this.dir, link: this.link.id, cmd: packet.cmd, packet, at: Date.now(), dropped: false, duplicated: false };
    p.packets.push(entry);
    const counts = p.counts[this.dir];
    counts[packet.cmd] = (counts[packet.cmd] ?? 0) + 1;
    for (const f of p.listeners) f(entry);
    if (p.dropPred?.(packet, this.dir)) {
      entry.dropped = true;
      return;
    }
    this.enqueue(bytes);
    if (p.duplicatePred?.(packet, this.dir)) {
      entry.duplicated = true;
      this.enqueue(bytes);
    }
  }

  enqueue(bytes) {
    this.queue.push({ bytes, due: Date.now() + this.proxy.delayMs });
    this.pump();
  }

  /** The source closed: close the destination after what is queued. */
  end() {
    if (this.pending.length) {
      this.queue.push({ bytes: this.pending, due: Date.now() + this.proxy.delayMs });
      this.pending = Buffer.alloc(0);
    }
    this.queue.push({ end: true, due: Date.now() + this.proxy.delayMs });
    this.pump();
  }

  async pump() {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length && !this.proxy.stalled && !this.dst.destroyed) {
        const item = this.queue[0];
        const wait = item.due - Date.now();
        if (wait > 0) {
          await sleep(wait);
          continue;
        }
        this.queue.shift();
        if (item.end) {
          this.dst.end();
          this.dst.destroySoon();
          break;
        }
        if (this.proxy.split) {
          // One byte per turn of the event loop, so that the reader (in this process, or not) gets
          // a chance to read each one alone.
          for (let i = 0; i < item.bytes.length && !this.dst.destroyed; i++) {
            await write(this.dst, item.bytes.subarray(i, i + 1));
            await new Promise((r) => setImmediate(r));
          }
        } else {
          this.dst.write(item.bytes);
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}

function write(socket, bytes) {
  return new Promise((resolve) => socket.write(bytes, () => resolve()));
}

/**
 * Starts a proxy on a free port of 127.0.0.1 that forwards to 127.0.0.1:target.
 * Resolves with the proxy object (see the top of this file).
 */
export async function startProxy({ target }) {
  const links = new Set();
  let nextId = 0;
  const proxy = {
    port: 0,
    /** Connections accepted so far (including refused ones). */
    connections: 0,
    /** { toBroker: { connect: 1, publish: 3, ... }, toClient: { ... } }, counted before any drop. */
    counts: { toBroker: {}, toClient: {} },
    /** Every frame seen: { dir, link, cmd, packet, at, dropped, duplicated }. */
    packets: [],
    listeners: new Set(),
    dropPred: null,
    duplicatePred: null,
    stalled: false,
    delayMs: 0,
    split: false,
    refusing: false,

    /** Connections open now. */
    get open() {
      return links.size;
    },
    /** How many `cmd` packets went in `dir` (counted whether dropped or not). */
    count(dir, cmd) {
      return proxy.counts[dir][cmd] ?? 0;
    },
    /** Calls `f(entry)` for every frame from now on; returns a function that stops it. */
    onPacket(f) {
      proxy.listeners.add(f);
      return () => proxy.listeners.delete(f);
    },

    /** Closes every connection now, at both ends (as a reset: nothing queued is delivered). */
    cut() {
      for (const l of links) l.destroy();
      links.clear();
    },
    /** on: forward nothing (data and closes wait, sockets stay open); off: deliver what waited. */
    stall(on) {
      proxy.stalled = !!on;
      if (!on)
        for (const l of links) {
          l.up.pump();
          l.down.pump();
        }
    },
    /** Forwards each frame `ms` after it arrived (0: at once). */
    delay(ms) {
      proxy.delayMs = ms;
    },
    /** on: frames are written one byte at a time, one per turn of the event loop. */
    splitEveryByte(on) {
      proxy.split = !!on;
    },
    /** Frames for which `pred(packet, dir)` is true are not forwarded; null stops dropping. */
    drop(pred) {
      proxy.dropPred = pred;
    },
    /** Frames for which `pred(packet, dir)` is true are forwarded twice; null stops. */
    duplicate(pred) {
      proxy.duplicatePred = pred;
    },
    /** on: new connections are accepted and closed at once, as if no broker were there. */
    refuse(on) {
      proxy.refusing = !!on;
    },
    /** Back to a plain proxy: no stall, delay, split, drop, duplicate or refusal. */
    reset() {
      Object.assign(proxy, { dropPred: null, duplicatePred: null, delayMs: 0, split: false, refusing: false });
      proxy.stall(false);
    },
    /** Stops listening and cuts every connection. */
    close() {
      proxy.cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((client) => {
    proxy.connections++;
    if (proxy.refusing) {
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    const broker = createConnection({ host: HOST, port: target });
    broker.setNoDelay(true);
    const link = {
      id: nextId++,
      destroy() {
        client.destroy();
        broker.destroy();
        links.delete(link);
      },
    };
    link.up = new Pipe(proxy, link, 'toBroker', broker);
    link.down = new Pipe(proxy, link, 'toClient', client);
    links.add(link);
    client.on('data', (b) => link.up.data(b));
    broker.on('data', (b) => link.down.data(b));
    // A close or reset at one end reaches the other end after what is queued (and not while stalled).
    client.on('close', () => {
      link.up.end();
      if (broker.destroyed) links.delete(link);
    });
    broker.on('close', () => {
      link.down.end();
      if (client.destroyed) links.delete(link);
    });
    client.on('error', () => {});
    broker.on('error', () => {});
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  proxy.port = server.address().port;
  return proxy;
}

// ---- a Node host that measures what tests about time need

/**
 * nodeHost, with:
 *   lines            what the client logged
 *   timers           [{ due, fired }] for every timer that fired (performance.now() ms)
 *   lateness(a, b)   total milliseconds by which timers fired in (a, b] were late: the event loop's
 *                    delay under load, to add to a functional time bound instead of failing on it
 *   chunks           sizes of the pieces of stream the client was given
 *   lastData         when the client was last given bytes
 * It refuses to connect anywhere but 127.0.0.1.
 */
export function measuredHost(options = {}) {
  const lines = [];
  const base = nodeHost({ log: (l) => lines.push(l), deviceId: 'measured', ...options });
  const host = {
    ...base,
    lines,
    timers: [],
    chunks: [],
    lastData: 0,
    after(ms, fn) {
      const due = performance.now() + ms;
      return base.after(ms, () => {
        host.timers.push({ due, fired: performance.now() });
        if (typeof fn === 'function') fn();
        else fn.fire();
      });
    },
    connect(to, events) {
      if (to.host !== HOST) throw new Error(`tests only connect to ${HOST}, not ${to.host}`);
      return base.connect(to, {
        connected: () => events.connected(),
        closed: (reason) => events.closed(reason),
        data(b) {
          host.lastData = performance.now();
          host.chunks.push(b.length);
          events.data(b);
        },
      });
    },
    lateness(from, to = Infinity) {
      let late = 0;
      for (const t of host.timers) if (t.fired > from && t.fired <= to) late += Math.max(0, t.fired - t.due);
      return late;
    },
  };
  return host;
}
