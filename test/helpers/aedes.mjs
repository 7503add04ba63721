// An in-process Aedes broker on a free port of 127.0.0.1, for tests.
//
//   const broker = await startAedes({ authenticate, authorizeSubscribe })
//   ... 127.0.0.1:broker.port ...
//   await broker.stop()
//
// Any of Aedes' handlers (preConnect, authenticate, authorizePublish, authorizeSubscribe,
// authorizeForward, published) may be given; the rest keep Aedes' defaults.
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const HOOKS = ['preConnect', 'authenticate', 'authorizePublish', 'authorizeSubscribe', 'authorizeForward', 'published'];

/** `users` ({ name: password }) as an Aedes authenticate handler; a wrong password answers CONNACK `refuseCode` (default 4). */
export function usersAuthenticate(users, { allowAnonymous = false, refuseCode = 4 } = {}) {
  return (_client, username, password, callback) => {
    if (username === undefined || username === null) {
      if (allowAnonymous) return callback(null, true);
      const e = new Error('anonymous clients are not allowed');
      e.returnCode = 5;
      return callback(e, false);
    }
    if (Object.hasOwn(users, username) && password && password.toString('utf8') === users[username]) return callback(null, true);
    const e = new Error('bad user name or password');
    e.returnCode = refuseCode;
    return callback(e, false);
  };
}

export async function startAedes(options = {}) {
  const { brokerOptions = {} } = options;
  const broker = await Aedes.createBroker(brokerOptions);
  for (const h of HOOKS) if (options[h]) broker[h] = options[h];
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  let stopped = false;
  return {
    port,
    host: '127.0.0.1',
    url: `mqtt://127.0.0.1:${port}`,
    broker,
    /** Connections open right now. */
    get connections() {
      return sockets.size;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => broker.close(() => resolve()));
      await closed;
    },
  };
}
