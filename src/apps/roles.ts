// The roles a board can play, by the name `role=` gives. A role says what the board subscribes to,
// its last will if it has one, and what it does once connected and with each message; the board
// supervisor (board.ts) does the rest: WiFi, connection, backoff, restart, logs.

import type { Host } from '../host';
import type { ClientOptions, Message, MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import { chatRole } from './chat';
import { helloRole, responderRole } from './pair';
import { actuatorRole, remoteRole } from './remote';
import { sensorRole, sensorWill } from './sensor';

export interface Role {
  /** The topics this board subscribes to; none for a role that only publishes. */
  listen: string[];
  onMessage(message: Message): void;
  /** Called after each (re)connection to the broker. */
  connected(): void;
  /** Called before the client ends (DISCONNECT follows if connected). */
  stop(): void;
}

export type LastWill = NonNullable<ClientOptions['will']>;

export interface RoleDef {
  start(host: Host, client: MqttClient, config: BoardConfig): Role;
  /** The last will, set before the first CONNECT. */
  will?(config: BoardConfig): LastWill;
}

/** Every role; config.ts's ROLES lists the same names, in this order. */
export const roles: Record<string, RoleDef> = {
  hello: { start: helloRole },
  responder: { start: responderRole },
  sensor: { start: sensorRole, will: sensorWill },
  chat: { start: chatRole },
  remote: { start: remoteRole },
  actuator: { start: actuatorRole },
};
