// The roles a board can play, by the name `role=` gives (the list, with each role's topics and
// name, is registry.ts). A role says what the board subscribes to, its last will if it has one,
// and what it does once connected and with each message; the board supervisor (board.ts) does
// the rest: WiFi, connection, backoff, restart, logs. Every role is a program on the students' API
// (builtin/*.js, the text a student opens), the tutorial's ESP#1 and ESP#2 first, preloaded in
// flash with its functions (builtin/api.ts); what it keeps in RAM is its state
// (docs/performance.md).

import { builtinRole } from './builtin/api';
import hello from './builtin/hello.js?role';
import responder from './builtin/responder.js?role';
import chat from './builtin/chat.js?role';
import actuator from './builtin/actuator.js?role';
import sensor from './builtin/sensor.js?role';
import remote from './builtin/remote.js?role';
import { roleEntry } from './registry';
import type { RoleDef } from './role';

export type { LastWill, Role, RoleDef } from './role';

/** A built-in program's role, with the last will the registry gives it (its topic under the board's
 *  prefix), which the board says itself on a clean stop (builtin/api.ts). */
function builtin(key: string, start: () => void): RoleDef {
  const will = roleEntry(key)?.will;
  if (!will) return { start: builtinRole(start) };
  return {
    start: builtinRole(start, will),
    will: (config) => ({ topic: config.topicPrefix + will.topic, payload: will.payload, qos: will.qos, retain: will.retain }),
  };
}

/** Every role, by the registry's key (registry.ts), in its order. */
export const roles: Record<string, RoleDef> = {
  hello: builtin('hello', hello),
  responder: builtin('responder', responder),
  sensor: builtin('sensor', sensor),
  chat: builtin('chat', chat),
  remote: builtin('remote', remote),
  actuator: builtin('actuator', actuator),
};
