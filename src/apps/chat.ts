// Seed 000's chat, on a board: each user publishes on <prefix><name> and listens on <prefix><peer>.
// A board has no keyboard, so it answers each line its peer sends with "echo: <line>" on its own
// topic: a student chatting with it from a laptop (mqtt-pair chat --name alice --peer esp) sees
// the round trip. An echo is never echoed, so two boards chatting together stay quiet.

import type { Host } from '../host';
import { payloadText, type MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import type { Role } from './role';

export function chatRole(_host: Host, client: MqttClient, config: BoardConfig): Role {
  const mine = config.topicPrefix + config.name;
  const theirs = config.topicPrefix + config.peer;
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
