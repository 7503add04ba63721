// The seed's two boards. ESP#1 (role=hello) publishes "Hello #N" on hello every interval and
// listens on notification; ESP#2 (role=responder) listens on hello and answers "received".

import type { Host } from '../host';
import { payloadText, type MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import type { Role } from './roles';

export function helloRole(host: Host, client: MqttClient, config: BoardConfig): Role {
  const hello = config.topicPrefix + 'hello';
  const notification = config.topicPrefix + 'notification';
  let counter = 0;
  let last = -Infinity;
  let cancel = host.after(config.interval, tick);
  function tick() {
    cancel();
    cancel = host.after(config.interval, tick);
    // Like the seed, a hello is only sent while connected; the count goes on after a reconnect.
    if (!client.connected) return;
    last = host.now();
    client.publish(hello, `Hello #${counter}`);
    counter++;
  }
  return {
    listen: [notification],
    // The seed sends its first hello as soon as it is connected, then one every interval.
    connected() { if (host.now() - last >= config.interval) tick(); },
    onMessage(m) {
      if (m.topic === notification && payloadText(m.payload) === 'received') host.log('ESP received hello message');
    },
    stop() { cancel(); },
  };
}

export function responderRole(_host: Host, client: MqttClient, config: BoardConfig): Role {
  const notification = config.topicPrefix + 'notification';
  return {
    listen: [config.topicPrefix + 'hello'],
    onMessage() { client.publish(notification, 'received'); },
    connected() {},
    stop() {},
  };
}
