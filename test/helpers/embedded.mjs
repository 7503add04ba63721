// The embedded broker (Aedes, as `npm start` runs it), from the tests' entry (dist/testing.js): the
// library (dist/index.js) has no broker.
import { startEmbeddedBroker } from '../../dist/testing.js';
import { freePort } from './mosquitto.mjs';

export { startEmbeddedBroker };

/** The embedded broker on a free port for the test `t`: closed once the test is over, passed or failed. */
export async function embeddedBrokerFor(t) {
  const broker = await startEmbeddedBroker(await freePort());
  t.after(() => broker.close());
  return broker;
}
