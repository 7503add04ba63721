// The board's settings, from Moddable's mc/config (set as key=value on the mcconfig command line)
// or from the simulator's flags. Every problem becomes one line naming the key and how to set it.

import type { Endpoint } from '../host';
import { brokerEndpoint, brokerName } from '../endpoint';
import { nameError, utf8Length, wellFormed } from '../mqtt/codec';
import { topicError } from '../mqtt/topic';
import { REGISTRY } from './registry';

/** Every role's key (registry.ts): the course's pair first, then the other activities. */
export const ROLES = REGISTRY.map((r) => r.key);

export interface BoardConfig {
  ssid: string;
  password: string;
  broker: Endpoint;
  /** The broker as logs show it (brokerName()): never the credentials. */
  brokerName: string;
  role: string;
  clientId: string;
  /** Milliseconds between two hellos (5000 unless set), sensor readings or demo commands (1000 unless set). */
  interval: number;
  /** role=chat: this board's name (it publishes on topicPrefix + name) and its peer's (it listens there). */
  name: string;
  peer: string;
  topicPrefix: string;
  /** Seconds. */
  keepalive: number;
  backoffMin: number;
  backoffMax: number;
  /** Consecutive failed connections before the board restarts; 0 never restarts. */
  restartAfter: number;
  /** Milliseconds to wait for an IP address, and between two WiFi attempts. */
  wifiTimeout: number;
  wifiRetry: number;
  /** QoS 1/2 messages unacknowledged at once at most (0: no limit). */
  inflight: number;
}

export class ConfigError extends Error {}
nameError(ConfigError, 'ConfigError');

/** The endpoint of a broker value (src/endpoint.ts: brokerEndpoint); throws ConfigError. */
export function parseBroker(value: string): Endpoint {
  const e = brokerEndpoint(value);
  if (typeof e === 'string') throw new ConfigError(e);
  return e;
}

type Raw = Record<string, unknown>;

/** How a user sets `key`: on a board it is an mcconfig argument. */
function howTo(key: string, example: string) {
  return `set it with ${key}=${example} on the mcconfig command line`;
}

function text(raw: Raw, key: string, fallback: string): string {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return fallback;
  return String(v);
}

/** A whole number from `min` to `max`, the fallback when unset, or why it is not one. */
function whole(raw: Raw, key: string, fallback: number, min: number, max: number, unit: string, example: string): number | string {
  const v = text(raw, key, '');
  if (!v) return fallback;
  // Decimal digits only: "0x10" or " 50 " would pass Number() and then be shown and saved otherwise.
  const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) return `config ${key}="${v}" is not a ${unit} from ${min} to ${max}: ${howTo(key, example)}`;
  return n;
}

/** The longest a timer waits, in ms (2^31 - 1, 24.8 days): a longer delay would fire at once. */
export const MAX_DELAY = 2147483647;

/** Reads and checks every key; throws ConfigError. `needWiFi` is false on desktops, where there is no WiFi step. */
export function readConfig(raw: Raw, deviceId: string, needWiFi: boolean): BoardConfig {
  const c = checkConfig(raw, deviceId, needWiFi);
  if (typeof c === 'string') throw new ConfigError(c);
  return c;
}

/** readConfig without a throw (as brokerEndpoint): the config, or the one line that says what is wrong. */
export function checkConfig(raw: Raw, deviceId: string, needWiFi: boolean): BoardConfig | string {
  const ssid = text(raw, 'ssid', '');
  if (needWiFi && !ssid) return `config ssid is missing: ${howTo('ssid', '"MyWiFi" password="secret"')}`;
  const brokerValue = text(raw, 'broker', '');
  if (!brokerValue) return `config broker is missing: ${howTo('broker', '192.168.1.144')}`;
  const broker = brokerEndpoint(brokerValue);
  if (typeof broker === 'string') return broker;
  const ca = text(raw, 'ca', '');
  if (ca) {
    if (broker.transport !== 'tls' && broker.transport !== 'wss')
      return `config ca="${ca}" is only for mqtts:// and wss:// brokers: remove it, or write broker=mqtts://…`;
    broker.ca = ca;
  }
  const role = text(raw, 'role', '');
  if (!ROLES.includes(role)) {
    const what = role ? `role "${role}" is unknown` : 'role is missing';
    return `config ${what}: ${howTo('role', 'hello')} (ESP#1) or role=responder (ESP#2); the other roles are ${ROLES.slice(2).join(', ')}`;
  }
  let topicPrefix = text(raw, 'topicPrefix', '');
  if (topicPrefix && !topicPrefix.endsWith('/')) topicPrefix += '/';
  if (topicPrefix && topicError(`${topicPrefix}x`))
    return `config topicPrefix="${topicPrefix}" cannot hold + or #: ${howTo('topicPrefix', 'LycMaurois/SNT_2nde/alice/')}`;
  const clientId = text(raw, 'clientId', deviceId);
  if (clientId.length > 23 * 4) return `config clientId is too long: ${howTo('clientId', 'esp1')}`;
  for (const [what, v] of [
    ['user name', broker.username],
    ['password', broker.password],
  ]) {
    if (v !== undefined && (utf8Length(v) > 65535 || !wellFormed(v)))
      return `config broker: the ${what} is longer than MQTT allows (65535 bytes) or not valid text`;
  }
  const name = text(raw, 'name', ''),
    peer = text(raw, 'peer', '');
  if (role === 'chat') {
    for (const [key, v, example] of [
      ['name', name, 'alice'],
      ['peer', peer, 'bob'],
    ]) {
      if (!v) return `config ${key} is missing (role=chat): ${howTo(key, example)}`;
      if (topicError(topicPrefix + v)) return `config ${key}="${v}" cannot hold + or #: ${howTo(key, example)}`;
    }
  }
  // The numbers, in this order: backoffMax (min -1 here) is checked against backoffMin.
  const n: Record<string, number> = {};
  const ms = 'number of milliseconds',
    count = 'whole number';
  for (const [key, fallback, min, max, unit, example] of [
    ['interval', role === 'sensor' || role === 'remote' ? 1000 : 5000, 10, MAX_DELAY, ms, '5000'],
    ['keepalive', 60, 0, 65535, 'number of seconds', '60'],
    ['backoffMin', 1000, 10, MAX_DELAY, ms, '1000'],
    ['backoffMax', 30000, -1, MAX_DELAY, ms, '30000'],
    ['restartAfter', 10, 0, 1000000, count, '10'],
    ['wifiTimeout', 20000, 100, MAX_DELAY, ms, '20000'],
    ['wifiRetry', 5000, 10, MAX_DELAY, ms, '5000'],
    ['inflight', 20, 0, 65535, count, '20'],
  ] as const) {
    const v = whole(raw, key, fallback, min < 0 ? n.backoffMin : min, max, unit, example);
    if (typeof v === 'string') return v;
    n[key] = v;
  }
  return {
    ssid,
    password: text(raw, 'password', ''),
    broker,
    brokerName: brokerName(broker),
    role,
    clientId,
    topicPrefix,
    name,
    peer,
    interval: n.interval,
    keepalive: n.keepalive,
    backoffMin: n.backoffMin,
    backoffMax: n.backoffMax,
    restartAfter: n.restartAfter,
    wifiTimeout: n.wifiTimeout,
    wifiRetry: n.wifiRetry,
    inflight: n.inflight,
  };
}
