// The roles a board can play, by the name `role=` gives. A role says what the board subscribes to,
// its last will if it has one, and what it does once connected and with each message; the board
// supervisor (board.ts) does the rest: WiFi, connection, backoff, restart, logs.

import { chatRole } from './chat';
import { helloRole, responderRole } from './pair';
import { actuatorRole, remoteRole } from './remote';
import { sensorRole, sensorWill } from './sensor';
import type { RoleDef } from './role';

export type { LastWill, Role, RoleDef } from './role';

/** Every role; config.ts's ROLES lists the same names, in this order. */
export const roles: Record<string, RoleDef> = {
  hello: { start: helloRole },
  responder: { start: responderRole },
  sensor: { start: sensorRole, will: sensorWill },
  chat: { start: chatRole },
  remote: { start: remoteRole },
  actuator: { start: actuatorRole },
};
