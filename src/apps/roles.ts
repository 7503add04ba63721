// The roles a board can play, by the name `role=` gives (the list, with each role's topics and
// name, is registry.ts). A role says what the board subscribes to, its last will if it has one,
// and what it does once connected and with each message; the board supervisor (board.ts) does
// the rest: WiFi, connection, backoff, restart, logs. A role written as a program on the program
// API (builtin/) runs through builtin.ts; the others are classes.

import { builtin } from './builtin';
import { chatRole } from './chat';
import { REGISTRY } from './registry';
import { actuatorRole, remoteRole } from './remote';
import { sensorRole, sensorWill } from './sensor';
import type { RoleDef } from './role';

export type { LastWill, Role, RoleDef } from './role';

const classes: Record<string, RoleDef> = {
  sensor: { start: sensorRole, will: sensorWill },
  chat: { start: chatRole },
  remote: { start: remoteRole },
  actuator: { start: actuatorRole },
};

/** Every role of the registry, by its key. */
export const roles: Record<string, RoleDef> = {};
for (const r of REGISTRY) roles[r.key] = r.program ? builtin(r.program) : classes[r.key];
