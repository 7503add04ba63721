// The roles a board can play, in one place: the firmware (config.ts, roles.ts), the tools (the
// command, the class page, the explorer) and the pages (the board's setup page, the students'
// examples) read each role's key, its topics and its name here instead of writing them again.
// Every role is a program on the students' API (builtin/*.js), which the board runs preloaded
// (roles.ts) and the students' page shows as its examples, ESP#1 and ESP#2 first.

import { HELLO, NOTIFICATION } from './pair-protocol';

export interface RoleEntry {
  /** What `role=` names it. */
  key: string;
  /** What the board picks it by, on its setup page and in the tools. */
  label: { fr: string; en: string };
  /** The topics it publishes on and subscribes to, under the board's prefix; `<name>`, `<peer>`: those settings. */
  publishes: readonly string[];
  subscribes: readonly string[];
  /** Its last will (the broker publishes it when the board vanishes; the board says it itself on a
   *  clean stop: builtin/api.ts), its topic under the board's prefix. */
  will?: { readonly topic: string; readonly payload: string; readonly qos: 0 | 1 | 2; readonly retain: boolean };
}

/** Where the sensor publishes, under the board's prefix (seed 001's weather station). */
export const SENSOR_BASE = 'myRasp/sensors/';
/** The topics the sensor publishes, under the board's prefix. */
export const SENSOR_TOPICS = { temperature: `${SENSOR_BASE}temperature`, pressure: `${SENSOR_BASE}pression`, status: `${SENSOR_BASE}status` };
/** The remote's commands, under the board's prefix. */
export const COMMAND_TOPIC = 'remote/command';

/** Every role, ESP#1 and ESP#2 first: the order the setup page and the command list them in. */
export const REGISTRY: readonly RoleEntry[] = [
  {
    key: 'hello',
    label: { fr: 'ESP#1 — envoie Hello toutes les 5 s', en: 'ESP#1 — says Hello every 5 s' },
    publishes: [HELLO],
    subscribes: [NOTIFICATION],
  },
  {
    key: 'responder',
    label: { fr: 'ESP#2 — répond received', en: 'ESP#2 — answers received' },
    publishes: [NOTIFICATION],
    subscribes: [HELLO],
  },
  {
    key: 'sensor',
    label: { fr: 'Capteur (température, pression)', en: 'Sensor (temperature, pressure)' },
    publishes: [SENSOR_TOPICS.temperature, SENSOR_TOPICS.pressure, SENSOR_TOPICS.status],
    subscribes: [],
    will: { topic: SENSOR_TOPICS.status, payload: 'offline', qos: 1, retain: true },
  },
  { key: 'chat', label: { fr: 'Chat', en: 'Chat' }, publishes: ['<name>'], subscribes: ['<peer>'] },
  { key: 'remote', label: { fr: 'Télécommande', en: 'Remote control' }, publishes: [COMMAND_TOPIC], subscribes: [] },
  { key: 'actuator', label: { fr: 'Actionneur (couleur)', en: 'Actuator (colour)' }, publishes: [], subscribes: [COMMAND_TOPIC] },
];

/** The registry's entry for `key`, or undefined. */
export function roleEntry(key: string): RoleEntry | undefined {
  for (const r of REGISTRY) if (r.key === key) return r;
  return undefined;
}
