// Our own MQTT client (dist/index.js) on Node, as a test's publisher or flood: quiet, connected.
import { MqttClient, nodeHost } from '../../dist/index.js';

/** A queue for a flood: nothing a test sends is dropped for want of room. */
export const FLOOD_QUEUE = { messages: 1e6, bytes: 1e9 };

/**
 * Our client with `options` (clientId, queue…) on 127.0.0.1:`port`, its log silent; resolves with it
 * once connected (a failed attempt is retried, as the client does).
 */
export async function connectedClient(port, options) {
  const client = new MqttClient(nodeHost({ log: () => {} }), { host: '127.0.0.1', port }, options);
  await new Promise((resolve) => {
    client.onConnect = resolve;
    client.connect();
  });
  return client;
}
