// The roles a board can play, by the name `role=` gives (the list, with each role's topics and
// name, is registry.ts). A role says what the board subscribes to, its last will if it has one,
// and what it does once connected and with each message; the board supervisor (board.ts) does
// the rest: WiFi, connection, backoff, restart, logs. Every role is a class: its methods stay in
// flash, its fields are all it keeps in RAM (the tutorial's ESP#1 and ESP#2 as programs on the
// program API cost more: docs/performance.md; they are the students' examples, builtin/).

import { chatRole } from './chat';
import { helloRole, responderRole } from './pair';
import { actuatorRole, remoteRole } from './remote';
import { sensorRole, sensorWill } from './sensor';
import type { RoleDef } from './role';

export type { LastWill, Role, RoleDef } from './role';

/** Every role, by the registry's key (registry.ts), in its order. */
export const roles: Record<string, RoleDef> = {
  hello: { start: helloRole },
  responder: { start: responderRole },
  sensor: { start: sensorRole, will: sensorWill },
  chat: { start: chatRole },
  remote: { start: remoteRole },
  actuator: { start: actuatorRole },
};
