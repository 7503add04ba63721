// Ports on 127.0.0.1 for the harness: a free one, and waiting until something listens on one.
import { createConnection, createServer } from 'node:net';

export const HOST = '127.0.0.1';
/** How long a broker or a client may take to start or answer before we give up (ms): a safety net
 *  far above the work, so that a slow, busy machine is never taken for a broken one. */
export const LIMIT = 180_000;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port now. */
export function listening(port) {
  return new Promise((resolve) => {
    const s = createConnection({ host: HOST, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects after `ms` or when `alive()` turns false. */
export async function waitForPort(port, { ms = LIMIT, alive = () => true } = {}) {
  const until = Date.now() + ms;
  for (;;) {
    if (await listening(port)) return;
    if (!alive()) throw new Error('the process exited before it listened');
    if (Date.now() > until) throw new Error(`nothing listens on ${HOST}:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
