// Runs the firmware (build/xsnap/main.js, from hosts/xsnap/main.ts) inside the real XS engine:
// an xsnap-worker process from @agoric/xsnap, whose timers and TCP sockets Node serves.
//
//   const esp1 = await startXsBoard({ config: { broker: '127.0.0.1:1883', role: 'hello' } });
//   ... esp1.lines ...   await esp1.stop();
//   const heap = await measureHeap({ broker: '127.0.0.1:1883' });   // bytes an ESP#1 adds to the XS heap
//
// We talk to the xsnap-worker binary ourselves (netstrings on fds 3 and 4, as @agoric/xsnap's
// src/xsnap.js does) rather than through that package's JavaScript API: the API needs the
// Node process under SES lockdown (`import '@endo/init'` freezes every Node intrinsic), which
// a test process shared with Node-side boards should not be. The engine is the same binary.
//
// The message format between main.ts and this file is described at the top of main.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLE = join(root, 'build', 'xsnap', 'main.js');
/** The same firmware with a student's program's API and sandbox (hosts/xsnap/program.ts). */
export const PROGRAM_BUNDLE = join(root, 'build', 'xsnap', 'program.js');
/**
 * The computation one delivery to a board that runs a program may take, in xsnap's meter units
 * (about a bytecode each: 1e8 is about half a second here), beyond which XS stops the machine:
 * a `while (true) {}` is stopped, as a board's watchdog would. The firmware's own work per
 * delivery is thousands of units (evaluating the whole bundle, under 1e6).
 */
export const PROGRAM_METER = 1e8;
/** xsnap-worker's exit code when the meter ran out (E_TOO_MUCH_COMPUTATION in xsnap-worker.c). */
export const TOO_MUCH_COMPUTATION = 17;
/** And when the heap ran out (E_NOT_ENOUGH_MEMORY; xsnap allows 2 GB, a board far less: see `memory`). */
export const NOT_ENOUGH_MEMORY = 11;
/** And when XS's stack ran out (E_STACK_OVERFLOW: a recursion too deep). */
export const STACK_OVERFLOW = 12;
/** Why a program board's worker stopped, by its exit code: the reasons the Moddable firmware gives. */
const STOPS = {
  [TOO_MUCH_COMPUTATION]: ['l', 'it never gave control back: too much computation'],
  [NOT_ENOUGH_MEMORY]: ['m', 'it exhausted the memory'],
  [STACK_OVERFLOW]: ['s', 'it exhausted the stack'],
};

/** Where the xsnap-worker binary is (built by @agoric/xsnap's postinstall), or why it is not there. */
export function xsnapWorker() {
  // XSNAP_WORKER=/path picks the binary (XSNAP_WORKER=/nonexistent shows what happens without one).
  const forced = process.env.XSNAP_WORKER;
  if (forced) return existsSync(forced) ? { path: forced, reason: null } : { path: null, reason: `XSNAP_WORKER=${forced} does not exist` };
  let pkg;
  try {
    pkg = createRequire(join(root, 'package.json')).resolve('@agoric/xsnap/package.json');
  } catch {
    return { path: null, reason: '@agoric/xsnap is not installed: it needs make and a C compiler, so npm ci leaves it out; npm run setup:xs installs it' };
  }
  const platform = { linux: 'lin', darwin: 'mac' }[process.platform];
  if (!platform) return { path: null, reason: `xsnap does not support ${process.platform}` };
  const path = join(dirname(pkg), 'xsnap-native', 'xsnap', 'build', 'bin', platform, 'release', 'xsnap-worker');
  if (!existsSync(path)) {
    return {
      path: null,
      reason: `the XS engine was not built: ${path} is missing (its postinstall needs make and cc, and "allowScripts" for @agoric/xsnap in package.json; run npm rebuild @agoric/xsnap)`,
    };
  }
  return { path, reason: null };
}

const dec = new TextDecoder();

/** One message: a JSON header, then optionally "\n" and raw bytes. */
export function frame(head, bytes) {
  const h = Buffer.from(JSON.stringify(head));
  return bytes ? Buffer.concat([h, Buffer.from([10]), bytes]) : h;
}
export function unframe(buf) {
  const nl = buf.indexOf(10);
  return { head: JSON.parse(dec.decode(nl < 0 ? buf : buf.subarray(0, nl))), bytes: nl < 0 ? null : buf.subarray(nl + 1) };
}

/**
 * One xsnap-worker process. Requests (evaluate, command, snapshot) run one at a time; while one
 * runs, XS may call issueCommand, which `onQuery(bytes) -> bytes` answers synchronously.
 * Every reply carries xsnap's meter: { currentHeapCount (live slots after the last GC, plus
 * any allocated since), compute, allocate (bytes the engine has reserved), timestamps }.
 */
export class XsnapWorker {
  constructor({ name = 'mqtt-pair', onQuery = () => new Uint8Array(0), onExit, stdout = 'inherit', stderr = 'inherit', bin, meter, memory } = {}) {
    bin ??= xsnapWorker().path;
    if (!bin) throw new Error(xsnapWorker().reason);
    this.onQuery = onQuery;
    this.chain = Promise.resolve();
    this.pending = null;
    this.exited = false;
    this.buf = Buffer.alloc(0);
    // No -l unless asked: no computation limit (a board runs for ever, not in metered cranks). With
    // `meter`, each request (a delivery, an evaluation) may compute that much, or the worker exits.
    const args = meter ? [name, '-l', String(meter)] : [name];
    // With `memory` (bytes), the worker's data (its slots, and the chunks it commits) is limited by
    // the system (ulimit -d), as a board's heap is by its RAM: past it XS aborts, memory full (exit
    // 11), without the 2 GB xsnap allows itself. The 1 GB it reserves for chunks is not data.
    this.proc = memory
      ? spawn('/bin/sh', ['-c', 'ulimit -d "$0" && exec "$@"', String(Math.ceil(memory / 1024)), bin, ...args], {
          stdio: ['ignore', stdout, stderr, 'pipe', 'pipe'],
        })
      : spawn(bin, args, { stdio: ['ignore', stdout, stderr, 'pipe', 'pipe'] });
    this.toXs = this.proc.stdio[3];
    this.toXs.on('error', () => {}); // EPIPE when the worker died; 'exit' reports it
    this.proc.stdio[4].on('data', (d) => this.#read(d));
    this.done = new Promise((resolve) =>
      this.proc.once('exit', (code, signal) => {
        this.exited = true;
        const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (this.pending) this.pending.reject(new Error(`xsnap worker ${why}`));
        this.pending = null;
        onExit?.(code, signal);
        resolve({ code, signal });
      }),
    );
  }

  #write(parts) {
    const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    this.toXs.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
  }

  #read(data) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    for (;;) {
      const colon = this.buf.indexOf(58);
      if (colon < 0) return;
      const n = Number(this.buf.subarray(0, colon).toString());
      if (this.buf.length < colon + 2 + n) return;
      const msg = this.buf.subarray(colon + 1, colon + 1 + n);
      this.buf = this.buf.subarray(colon + 2 + n);
      this.#message(msg);
    }
  }

  #message(msg) {
    const kind = msg[0];
    if (kind === 0x3f) {
      // '?': XS called issueCommand
      let reply;
      try {
        reply = this.onQuery(msg.subarray(1));
      } catch (e) {
        reply = frame({ error: String(e?.stack ?? e) });
      }
      this.#write(['/', reply ?? new Uint8Array(0)]);
      return;
    }
    const p = this.pending;
    this.pending = null;
    if (!p) {
      // a reply nobody asked for: the worker is confused, end it ('exit' reports it)
      process.emitWarning(`xsnap protocol: unexpected message ${String.fromCharCode(kind)}; killing the worker`);
      this.proc.kill();
      return;
    }
    if (kind === 0x2e) {
      // '.': done, `.meterJSON\1reply`
      const sep = msg.indexOf(1, 1);
      const meter = sep < 0 ? {} : JSON.parse(dec.decode(msg.subarray(1, sep)));
      p.resolve({ reply: Buffer.from(msg.subarray(sep < 0 ? 1 : sep + 1)), meter });
    } else if (kind === 0x21) {
      // '!': uncaught exception
      p.reject(new Error(`uncaught exception in XS: ${dec.decode(msg.subarray(1))}`));
    } else {
      p.reject(new Error(`xsnap protocol: unknown reply ${String.fromCharCode(kind)}`));
    }
  }

  #request(parts) {
    const run = () =>
      new Promise((resolve, reject) => {
        if (this.exited) {
          reject(new Error('xsnap worker has exited'));
          return;
        }
        this.pending = { resolve, reject };
        this.#write(parts);
      });
    const result = this.chain.then(run);
    this.chain = result.catch(() => {});
    return result;
  }

  /** Evaluates a script (global scope); resolves { reply, meter }. */
  evaluate(code) {
    return this.#request(['e', code]);
  }
  /** Calls globalThis.handleCommand(ArrayBuffer) in XS; resolves { reply, meter }. */
  command(bytes) {
    return this.#request(['?', bytes]);
  }
  /** Writes a snapshot of the machine (taken after a full garbage collection); resolves its size in bytes. */
  async snapshot(path) {
    const { reply } = await this.#request(['w', path]);
    return Number(dec.decode(reply));
  }
  /** Collects garbage; resolves the meter, whose currentHeapCount is then the live slots. */
  async gc() {
    return (await this.evaluate('gc()')).meter;
  }
  /** Asks the worker to quit after the requests already queued. */
  async close() {
    if (!this.exited) {
      await this.chain;
      if (!this.exited) {
        this.#write(['q']);
        this.toXs.end();
      }
    }
    return this.done;
  }
  kill() {
    if (!this.exited) this.proc.kill();
    return this.done;
  }
}

let connectTcpPromise;
/** The Node host's TCP connection (same failure reasons as the simulator), from dist/index.js. */
function nodeConnect() {
  connectTcpPromise ??= import(join(root, 'dist', 'index.js')).then((m) => m.connectTcp);
  return connectTcpPromise;
}

/**
 * Starts one board in XS. `config` is what startBoard reads (broker, role, interval...); without
 * one no board starts (a worker for `setup` alone, or for `ask`).
 * By default in a worker of its own; `worker` (with `loaded: true` when it has already
 * evaluated the bundle) uses one the caller made, and leaves it running at stop().
 *
 * `networks` gives the board a WiFi station: [{ ssid, password, rssi }] (no password: an open
 * network), which the board joins at start. `events: true` collects the board's events
 * (src/apps/events.ts) in `events`. `setup: { build, maxBytes, stored }` makes run-time setup
 * (src/setup/setup.ts) over stand-ins of a board's ports: `store` (a Map, the board's flash),
 * `serialWrite(bytes)` (the computer's side of the USB serial port) and `onSerial(bytes)` (what
 * the board writes there, also kept in `serial`), `http(request)` (its setup page), `page`
 * (where the page was opened). `restart(reason)` is called when the board asks to restart.
 * `programs: true` loads the bundle that runs programs (as `program` does): the one image, which
 * runs a program stored in `setup.stored` and takes one over USB.
 *
 * Resolves a handle: `lines` (what the board logged), `started`, `errors` (exceptions thrown in
 * XS, or a dead worker), `status()`, `stop()`, `powerOff()`, `ask(head, bytes)`, and the `worker` itself.
 */
export async function startXsBoard({
  config,
  deviceId = randomBytes(6).toString('hex'),
  log = () => {},
  restart,
  bundle = BUNDLE,
  name = 'mqtt-pair-xs',
  worker: given,
  loaded = false,
  networks,
  events: wantEvents = false,
  setup,
  onSerial = () => {},
  program,
  programs = program !== undefined,
  meter = programs ? PROGRAM_METER : 0,
  memory,
  lines = [],
  onExit,
} = {}) {
  if (programs && bundle === BUNDLE) bundle = PROGRAM_BUNDLE;
  if (!loaded && !existsSync(bundle)) throw new Error(`${bundle} is missing: run node tools/build.mjs`);
  const connectTcp = await nodeConnect();
  const errors = [];
  const events = [];
  const serial = [];
  const store = new Map(Object.entries(setup?.stored ?? {}));
  const page = {};
  const timers = new Map();
  const sockets = new Map();
  const wifi = { joined: null, joins: [] };
  /** What a station or a scan answers a moment later (kept with the timers: stop() ends it). */
  const later = (key, what) => {
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        what();
      }, 20),
    );
  };
  let stopped = false;
  let started = false;

  const fail = (what) => {
    errors.push(what);
    log(`[xs error] ${what}`);
  };
  // Node -> XS. Requests queue in the worker in order; nothing is delivered after stop().
  const deliver = (head, bytes) => {
    if (stopped || worker.exited) return Promise.resolve(null);
    return worker.command(frame(head, bytes)).then(
      ({ reply }) => {
        const r = unframe(reply).head;
        if (r.error) fail(`${head.ev}: ${r.error}${r.stack ? `\n${r.stack}` : ''}`);
        return r;
      },
      (e) => {
        if (!stopped) fail(e.message);
        return null;
      },
    );
  };

  const answer = (head) => frame(head ?? {});
  const onQuery = (msg) => {
    const { head: q, bytes } = unframe(msg);
    switch (q.op) {
      case 'now':
        return answer({ now: performance.now() });
      case 'random':
        return answer({ value: Math.random() });
      case 'log':
        lines.push(q.line);
        log(q.line);
        return answer();
      case 'timer': {
        const t = setTimeout(() => {
          timers.delete(q.id);
          deliver({ ev: 'timer', id: q.id });
        }, q.ms);
        timers.set(q.id, t);
        return answer();
      }
      case 'cancel':
        clearTimeout(timers.get(q.id));
        timers.delete(q.id);
        return answer();
      case 'connect': {
        const id = q.id;
        const conn = connectTcp(
          { host: q.host, port: q.port },
          {
            connected: () => deliver({ ev: 'connected', id }),
            data: (b) => deliver({ ev: 'data', id }, b),
            closed: (reason, kind) => {
              sockets.delete(id);
              deliver(reason === undefined ? { ev: 'closed', id, kind } : { ev: 'closed', id, reason, kind });
            },
          },
        );
        sockets.set(id, conn);
        return answer();
      }
      case 'write':
        sockets.get(q.id)?.write(Buffer.from(bytes ?? []));
        return answer();
      case 'close':
        sockets.get(q.id)?.close();
        sockets.delete(q.id);
        return answer();
      case 'event':
        events.push(q.event);
        return answer();
      case 'wifi-join': {
        // As a station does: a moment later, an address, or the network turns the board away.
        wifi.joins.push(q.ssid);
        clearTimeout(timers.get('wifi'));
        const net = networks?.find((n) => n.ssid === q.ssid);
        const ok = !!net && (net.password ?? '') === q.password;
        later('wifi', () => {
          wifi.joined = ok ? q.ssid : null;
          if (ok) deliver({ ev: 'wifi', event: 'connected' }).then(() => deliver({ ev: 'wifi', event: 'gotIP' }));
          else deliver({ ev: 'wifi', event: 'disconnected' });
        });
        return answer();
      }
      case 'wifi-leave':
        clearTimeout(timers.get('wifi'));
        timers.delete('wifi');
        wifi.joined = null;
        return answer();
      case 'wifi-address':
        return answer({ address: wifi.joined ? '10.0.0.42' : '' });
      case 'serial':
        serial.push(Uint8Array.from(bytes ?? []));
        onSerial(Uint8Array.from(bytes ?? []));
        return answer();
      case 'store-get':
        return answer({ value: store.get(q.key) });
      case 'store-set':
        store.set(q.key, q.value);
        return answer();
      case 'store-delete':
        store.delete(q.key);
        return answer();
      case 'store-keys':
        return answer({ keys: [...store.keys()] });
      case 'scan': {
        const found = (networks ?? []).map((n) => ({ ssid: n.ssid, rssi: n.rssi ?? -50, open: !n.password }));
        later('scan', () => deliver({ ev: 'scanned', networks: found }));
        return answer();
      }
      case 'ap':
        page.ap = q.ssid;
        return answer({ address: '192.168.4.1' });
      case 'serve':
        page.port = q.port;
        return answer({ port: q.port });
      case 'dns':
        page.dns = q.port;
        return answer();
      case 'ap-close':
        page.closed = true;
        return answer();
      case 'restart':
        lines.push(`[restart] ${q.reason}`);
        if (restart) restart(q.reason);
        else fail(`the board asked to restart: ${q.reason}`);
        return answer();
      default:
        fail(`unknown op ${JSON.stringify(q.op)}`);
        return answer({ error: 'unknown op' });
    }
  };

  const worker =
    given ??
    new XsnapWorker({
      name,
      onQuery,
      meter,
      memory,
      onExit: (code, signal) => {
        if (stopped) return;
        if (onExit) onExit(code, signal, cleanup);
        else fail(`xsnap worker ${signal ? `killed by ${signal}` : `exited with code ${code}`}`);
      },
    });
  /** Node's side of a board whose worker is gone: its timers and sockets. */
  function cleanup() {
    stopped = true;
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    for (const s of sockets.values()) s.close();
    sockets.clear();
  }
  if (given) given.onQuery = onQuery;
  try {
    if (!loaded) await worker.evaluate(readFileSync(bundle, 'utf8'));
    if (setup) {
      const r = await deliver({ ev: 'setup', build: setup.build ?? {}, maxBytes: setup.maxBytes ?? 200, deviceId, wifi: !!networks });
      if (!r?.ok) throw new Error(`setup was not made in XS: ${errors.join('; ') || JSON.stringify(r)}`);
    }
    if (config || program !== undefined) {
      const start = { ev: 'start', config, deviceId, wifi: !!networks, events: wantEvents };
      if (program !== undefined) start.program = program;
      const r = await deliver(start);
      if (!r?.ok) throw new Error(`the board did not start in XS: ${errors.join('; ') || JSON.stringify(r)}`);
      started = r.started; // false: the config was wrong, and the board said why in `lines`
    }
  } catch (e) {
    stopped = true;
    forget();
    if (!given) await worker.kill();
    throw e;
  }

  return {
    worker,
    lines,
    errors,
    deviceId,
    events,
    serial,
    store,
    page,
    wifi,
    /** False when startBoard refused the config (as on a board, `lines` says why). */
    started,
    /** { started, connected, failures, timers, connections } from inside XS. */
    status: () => deliver({ ev: 'status' }),
    /** Any request of main.ts's (`check`, `config`, `open-page`...): resolves its answer, or null once stopped. */
    ask: (head, bytes) => deliver(head, bytes),
    /** Bytes on the board's USB serial port, from the computer. */
    serialWrite: (bytes) => deliver({ ev: 'serial' }, Buffer.from(bytes)),
    /** A request to the setup page: resolves { status, type, body, headers }. */
    http: (request) => deliver({ ev: 'http', ...request }),
    /** A request to the setup page as its bytes, read `step` bytes at a time by the board's RequestReader: resolves { status, type, body, headers } (status 0: not whole). */
    httpRaw: (bytes, step) => deliver({ ev: 'http-raw', step }, Buffer.from(bytes)),
    /** Timers and sockets Node holds for the board in XS: what could still wake it. */
    pending: () => ({ timers: timers.size, sockets: sockets.size }),
    /** Stops the board in XS, then every timer and socket Node holds for it, then the worker (unless given). */
    async stop() {
      if (stopped) return;
      if (!worker.exited) await deliver({ ev: 'stop' });
      stopped = true;
      forget();
      if (!given) await worker.close();
    },
    /** The board loses power: the worker killed, its sockets closed with nothing more said (no DISCONNECT). */
    async powerOff() {
      if (stopped) return;
      stopped = true;
      await worker.kill();
      forget();
    },
  };

  function forget() {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    for (const s of sockets.values()) s.close();
    sockets.clear();
  }
}

/**
 * A board that runs a student's program in XS, and what a real board does when the program never
 * gives control back: XS's meter stops it (the worker exits, as a watchdog resets a chip), the
 * board starts again with the program, and after SAFE_AFTER (2) such stops in a row it starts
 * without it, in safe mode, playing its config's role, and says why. The count is kept as a board
 * keeps it (src/setup/program-store.ts, shared with the Moddable firmware), in a store that stands
 * for its flash and lives here, in Node, as flash survives a reset. One `lines` for every start;
 * `board` is the running one. `name` is the program's, as `mqtt-pair program` would send it.
 */
export async function startXsProgramBoard({ config, program, name = 'program.js', log = () => {}, ...rest } = {}) {
  // The program store's counting is no library API: it comes from the test-only entry, as this runner does.
  const { beginProgramRun, noteProgramStop, programHash, SAFE_AFTER, safeModeLine } = (await import(join(root, 'dist', 'testing.js'))).programStore;
  const lines = [];
  const say = (line) => {
    lines.push(line);
    log(line);
  };
  const flash = new Map();
  const store = { maxBytes: 200, get: (k) => flash.get(k), set: (k, v) => flash.set(k, v), delete: (k) => flash.delete(k), keys: () => [...flash.keys()] };
  const info = { name, size: Buffer.byteLength(program), hash: programHash(program) };
  const self = { lines, stops: 0, safe: false, board: null, errors: [] };
  let stopped = false;
  const start = async () => {
    const safe = beginProgramRun(store);
    if (safe && !self.safe) {
      self.safe = true;
      say(safeModeLine(info, safe));
    }
    const withProgram = !safe;
    // A program stopped while the board starts (its body runs then) is counted by onExit, which
    // starts the board again: that start is not this one's failure.
    let counted = false;
    try {
      self.board = await startXsBoard({
        ...rest,
        config,
        log,
        lines,
        ...(withProgram ? { program } : {}),
        onExit: (code, signal, cleanup) => {
          cleanup();
          if (stopped) return;
          if (withProgram && STOPS[code]) {
            counted = true;
            [self.code, self.why] = STOPS[code];
            self.stops = noteProgramStop(store, self.code, self.why);
            say(`Program stopped: ${self.why}; restarting the board (${self.stops} of ${SAFE_AFTER})`);
            start().catch((e) => self.errors.push(e.message));
          } else self.errors.push(`xsnap worker ${signal ? `killed by ${signal}` : `exited with code ${code}`}`);
        },
      });
    } catch (e) {
      if (!counted) throw e;
    }
  };
  await start();
  self.status = () => self.board.status();
  self.stop = async () => {
    stopped = true;
    await self.board?.stop();
  };
  return self;
}

/** Resolves when `check()` is true (polled every 5 ms); rejects after `ms` with `what()`. */
function until(check, ms, what) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - t0 > ms) {
        clearInterval(poll);
        reject(new Error(what()));
      }
    }, 5);
  });
}

/**
 * The XS heap a running ESP#1 adds to an empty program, in one xsnap worker, after garbage
 * collection: ESP#1 (role=hello) connected to `broker`, subscribed, `messages` hellos sent and
 * each answered by an ESP#2 (role=responder) running in Node.
 *
 * The headline, `bytes`, is the growth of the machine's snapshot, which XS writes right after a
 * full GC: live slots + live chunks (strings, byte arrays, code) + the property-key table.
 * `slots` is the growth in live slots (32 bytes each in this 64-bit build, 16 on an ESP32),
 * `chunkBytes` the rest. `code` is the same for the loaded program alone, before startBoard.
 * With `program` (a student's program, whose ESP#1 must print `ESP received hello message`), the
 * program bundle is loaded and ESP#1 runs that program instead of its role.
 */
export async function measureHeap({
  broker,
  messages = 100,
  interval = 10,
  timeout = 180_000, // a safety net for a hang, far above the work on a loaded machine
  topicPrefix = `heap${randomBytes(3).toString('hex')}/`,
  program,
} = {}) {
  if (!broker) throw new Error('measureHeap needs { broker: "host:port" }');
  const dir = mkdtempSync(join(tmpdir(), 'xsheap-'));
  const worker = new XsnapWorker({ name: 'mqtt-pair-heap' });
  const sample = async (label) => {
    const meter = await worker.gc();
    const file = join(dir, `${label}.xss`);
    const bytes = await worker.snapshot(file);
    return { slots: meter.currentHeapCount, bytes: bytes || statSync(file).size };
  };
  const m = await import(join(root, 'dist', 'index.js'));
  let esp1, esp2;
  try {
    const empty = await sample('empty');
    await worker.evaluate(readFileSync(program === undefined ? BUNDLE : PROGRAM_BUNDLE, 'utf8'));
    const loaded = await sample('loaded');
    // startXsBoard would evaluate the bundle again: the worker already has it, so start it by hand.
    const common = { broker, topicPrefix, interval, backoffMin: 100, backoffMax: 300, keepalive: 60 };
    esp2 = m.startBoard(m.nodeHost({ log: () => {}, deviceId: 'heap-esp2' }), { ...common, role: 'responder', clientId: `${topicPrefix}esp2` });
    esp1 = await startXsBoard({ config: { ...common, role: 'hello', clientId: `${topicPrefix}esp1` }, worker, loaded: true, program });
    const answered = () => esp1.lines.filter((l) => l === 'ESP received hello message').length;
    await until(
      () => answered() >= messages || esp1.errors.length > 0,
      timeout,
      () => `ESP#1 got ${answered()} of ${messages} answers in ${timeout} ms:\n${esp1.lines.join('\n')}`,
    );
    if (esp1.errors.length) throw new Error(`ESP#1 failed in XS: ${esp1.errors.join('\n')}`);
    esp2.stop(); // the hellos stop being answered, so the board's state stays put while we look
    const running = await sample('running');
    const status = await esp1.status();
    if (!status?.connected) throw new Error('ESP#1 was not connected when measured');
    const diff = (a, b) => ({ bytes: a.bytes - b.bytes, slots: a.slots - b.slots, chunkBytes: a.bytes - b.bytes - (a.slots - b.slots) * 32 });
    return {
      bytes: running.bytes - empty.bytes,
      ...diff(running, empty),
      code: diff(loaded, empty),
      board: diff(running, loaded),
      answered: answered(),
      empty,
      loaded,
      running,
    };
  } finally {
    esp2?.stop();
    await esp1?.stop();
    await worker.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
