// Seed 000's chat, on a board: each user publishes on <prefix><name> and listens on <prefix><peer>.
// A board has no keyboard, so it answers each line its peer sends with "echo: <line>" on its own
// topic: a student chatting with it from a laptop (mqtt-pair chat --name alice --peer esp) sees
// the round trip. An echo is never echoed, so two boards chatting together stay quiet.

import type { Host } from '../host';
import { payloadText, type MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import type { Role } from './role';

/**
 * A first name as a topic level: in lower case, so that « Karim » on one side and « karim » on the
 * other meet (MQTT's topics tell case apart). Names are shown as typed.
 */
export function nameLevel(name: string): string {
  return name.toLowerCase();
}

export function chatRole(_host: Host, client: MqttClient, config: BoardConfig): Role {
  const mine = config.topicPrefix + nameLevel(config.name);
  const theirs = config.topicPrefix + nameLevel(config.peer);
  return {
    listen: [theirs],
    onMessage(m) {
      const text = payloadText(m.payload);
      if (m.topic === theirs && text && !text.startsWith('echo: ')) client.publish(mine, `echo: ${text}`, { qos: 1 });
    },
    connected() {},
    stop() {},
  };
}
