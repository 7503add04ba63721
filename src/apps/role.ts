// What a role is: what the board subscribes to, its last will if it has one, and what it does once
// connected and with each message. The roles themselves are listed in roles.ts.

import type { Host } from '../host';
import type { ClientOptions, Message, MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import type { BoardEvent } from './events';

export interface Role {
  /** The topics this board subscribes to; none for a role that only publishes. */
  listen: string[];
  onMessage(message: Message): void;
  /** Called after each (re)connection to the broker, once its subscriptions are acknowledged. */
  connected(): void;
  /** Called before the client ends (DISCONNECT follows if connected). */
  stop(): void;
  /** Called when a connection the broker had accepted is lost; optional. */
  disconnected?(): void;
  /** The role prints what it wants (a student's program): the board does not say each message. */
  quiet?: boolean;
}

export type LastWill = NonNullable<ClientOptions['will']>;

/** The board as a role sees it: its client, and what it tells the board's listener and console. */
export interface RoleClient extends MqttClient {
  emit(event: BoardEvent): void;
  /** Tells the board's listener only, for what the role says on the console itself. */
  note(event: BoardEvent): void;
  /** Subscribes to one of the role's topics, as the board does to `listen`: a refusal is said. */
  listenTo(filter: string): void;
  readonly config: BoardConfig;
}

export interface RoleDef {
  start(host: Host, client: RoleClient, config: BoardConfig): Role;
  /** The last will, set before the first CONNECT. */
  will?(config: BoardConfig): LastWill;
  /** A student's program (src/program/): its name and hash (when known), said on `<prefix>board/<role>`. */
  program?: { name: string; hash?: string };
}
