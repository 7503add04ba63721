// The roles a board can play, by the name `role=` gives (the list, with each role's topics and
// name, is registry.ts). A role says what the board subscribes to, its last will if it has one,
// and what it does once connected and with each message; the board supervisor (board.ts) does
// the rest: WiFi, connection, backoff, restart, logs. The tutorial's ESP#1 and ESP#2 are programs
// on the students' API (builtin/*.js, the text a student opens), preloaded in flash with their
// functions (builtin/api.ts); what they keep in RAM is their state (docs/performance.md).

import { builtinRole } from './builtin/api';
import hello from './builtin/hello.js?role';
import responder from './builtin/responder.js?role';
import chat from './builtin/chat.js?role';
import actuator from './builtin/actuator.js?role';
import { remoteRole } from './remote';
import { sensorRole, sensorWill } from './sensor';
import type { RoleDef } from './role';

export type { LastWill, Role, RoleDef } from './role';

/** Every role, by the registry's key (registry.ts), in its order. */
export const roles: Record<string, RoleDef> = {
  hello: { start: builtinRole(hello) },
  responder: { start: builtinRole(responder) },
  sensor: { start: sensorRole, will: sensorWill },
  chat: { start: builtinRole(chat) },
  remote: { start: remoteRole },
  actuator: { start: builtinRole(actuator) },
};
