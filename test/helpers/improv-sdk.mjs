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
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

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
