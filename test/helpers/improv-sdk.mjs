// The official Improv Wi-Fi client (improv-wifi-serial-sdk, what ESP Web Tools runs in a browser)
// in Node, as the oracle of our Improv codec and the client of the boards in the tests. Its
// dist/ is browser ESM with extensionless imports, so esbuild bundles it once; its `port` is a Web
// Serial port, which is two web streams: pipePort() makes one from any byte pipe.
//
//   const { ImprovSerial } = await improvSdk();
//   const { port, push } = pipePort((bytes) => board.serialBytes(bytes));   // what the client writes
//   push(bytes)                                                           // what the board answers
//   const client = new ImprovSerial(port, quietLogger);
//   await client.initialize(10000);
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { improv } from '../../dist/index.js';

let sdk = null;

/** The SDK's ImprovSerial and its constants. */
export function improvSdk() {
  sdk ??= (async () => {
    const dir = dirname(createRequire(import.meta.url).resolve('improv-wifi-serial-sdk/package.json'));
    const out = await build({
      stdin: { contents: "export { ImprovSerial } from './dist/serial.js'; export * from './dist/const.js';", resolveDir: dir },
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      logLevel: 'silent',
    });
    return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  })();
  return sdk;
}

/** A Web Serial port over a byte pipe: `write(bytes)` gets what the client sends; `push(bytes)` feeds it. */
export function pipePort(write) {
  let controller;
  const readable = new ReadableStream({
    start(c) {
      controller = c;
    },
  });
  const writable = new WritableStream({
    write(chunk) {
      write(Uint8Array.from(chunk));
    },
  });
  return {
    port: { readable, writable },
    push: (bytes) => {
      try {
        controller.enqueue(Uint8Array.from(bytes));
      } catch {
        /* the client closed its port */
      }
    },
    end: () => {
      try {
        controller.close();
      } catch {
        /* closed */
      }
    },
  };
}

/** The SDK's logger, quiet unless IMPROV_DEBUG is set; errors are kept for the tests to see. */
export function sdkLogger() {
  const errors = [];
  const say = process.env.IMPROV_DEBUG ? (...a) => console.error('[improv]', ...a) : () => {};
  return {
    errors,
    log: say,
    debug: say,
    error: (...a) => {
      errors.push(a.map(String).join(' '));
      say(...a);
    },
  };
}

/**
 * `client.initialize(ms)`, without the timer it leaves behind: the SDK (1.x) never clears its
 * "not detected" timeout, which would keep the test's process alive for `ms` after the tests end.
 */
export async function initialize(client, ms) {
  const real = globalThis.setTimeout;
  const made = [];
  globalThis.setTimeout = (...args) => {
    const h = real(...args);
    made.push(h);
    return h;
  };
  try {
    return await client.initialize(ms);
  } finally {
    globalThis.setTimeout = real;
    for (const h of made) clearTimeout(h);
  }
}

/**
 * A provisioned board given the rest of its settings in our own Improv frames, as `mqtt-pair setup`
 * sends them (the broker, role hello, `prefix`, `interval`), then read back and its state asked:
 * stored, the password never sent back, a build value shown as such, the setup page's `url`. `side`
 * sends a command and gives back the frames answered. Returns the rows read, for more checks.
 */
/** Settings for ESP#1 over Improv, read back; the board then says PROVISIONED and gives no page address (its page is for its own access point only). */
export async function setHelloOverImprov(side, { broker, prefix, interval }) {
  const set = await side.command(improv.SET_SETTINGS, ['broker', broker, 'role', 'hello', 'topicPrefix', prefix, 'interval', String(interval)]);
  assert.deepEqual(set.at(-1), { type: improv.RPC_RESULT, command: improv.SET_SETTINGS, strings: ['broker', 'role', 'topicPrefix', 'interval'] });
  const rows = (await side.command(improv.GET_SETTINGS, [], { list: true })).filter((f) => f.strings?.length).map((f) => f.strings);
  const row = (name) => rows.find((r) => r[0] === name);
  assert.deepEqual(row('password'), ['password', '********', 'stored']);
  assert.deepEqual(row('role'), ['role', 'hello', 'stored']);
  assert.deepEqual(row('keepalive'), ['keepalive', '60', 'build']);
  const state = await side.command(improv.REQUEST_STATE);
  assert.deepEqual(state.slice(-2), [
    { type: improv.CURRENT_STATE, value: improv.PROVISIONED },
    { type: improv.RPC_RESULT, command: improv.REQUEST_STATE, strings: [] },
  ]);
  return rows;
}
