// The board's settings, from Moddable's mc/config (set as key=value on the mcconfig command line)
// or from the simulator's flags. Every problem becomes one line naming the key and how to set it.

import type { Endpoint } from '../host';
import { topicError } from '../mqtt/topic';

export const ROLES = ['hello', 'responder'];

export interface BoardConfig {
  ssid: string;
  password: string;
  broker: Endpoint;
  /** The broker as logs show it: host[:port], never the credentials. */
  brokerName: string;
  role: string;
  clientId: string;
  /** Milliseconds between two hellos. */
  interval: number;
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
}

export class ConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'ConfigError'; }
}

/** Parses host, host:port or mqtt://[user:pass@]host[:port][/]. Throws ConfigError. */
export function parseBroker(value: string): Endpoint {
  const bad = (why: string) => new ConfigError(`broker "${hideSecret(value)}" ${why}: write host, host:port or mqtt://[user:pass@]host[:port]`);
  let rest = value.trim();
  let username: string | undefined, password: string | undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    if (scheme[1].toLowerCase() !== 'mqtt') throw bad(`uses ${scheme[1]}://, which is not supported`);
    rest = rest.slice(scheme[0].length).replace(/\/$/, '');
    if (rest.includes('/')) throw bad('has a path');
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const cred = rest.slice(0, at);
      rest = rest.slice(at + 1);
      const colon = cred.indexOf(':');
      try {
        username = decodeURIComponent(colon < 0 ? cred : cred.slice(0, colon));
        if (colon >= 0) password = decodeURIComponent(cred.slice(colon + 1));
      } catch { throw bad('has a badly escaped user name or password'); }
    }
  }
  let host = rest, port = 1883;
  const m = /^\[([0-9a-f:.]+)\](?::(\d*))?$/i.exec(rest) || /^([^:[\]]*)(?::(\d*))?$/.exec(rest);
  if (!m) throw bad('is not a host name');
  host = m[1];
  if (m[2] !== undefined) {
    port = Number(m[2]);
    if (!m[2] || !(port >= 1 && port <= 65535)) throw bad(`has port "${m[2]}", not a number from 1 to 65535`);
  }
  if (!host || !/^[a-z0-9.:_-]+$/i.test(host)) throw bad('has no valid host name');
  const e: Endpoint = { host, port };
  if (username !== undefined) e.username = username;
  if (password !== undefined) e.password = password;
  return e;
}

/** A broker value with any password replaced, fit for a log line. */
export function hideSecret(value: string): string {
  return value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

type Raw = Record<string, unknown>;

/** How a user sets `key`: on a board it is an mcconfig argument. */
function howTo(key: string, example: string) { return `set it with ${key}=${example} on the mcconfig command line`; }

function text(raw: Raw, key: string, fallback: string): string {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return fallback;
  return String(v);
}

function whole(raw: Raw, key: string, fallback: number, min: number, example: string): number {
  const v = text(raw, key, '');
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`config ${key}="${v}" is not a whole number from ${min}: ${howTo(key, example)}`);
  return n;
}

/** Reads and checks every key. `needWiFi` is false on desktops, where there is no WiFi step. */
export function readConfig(raw: Raw, deviceId: string, needWiFi: boolean): BoardConfig {
  const ssid = text(raw, 'ssid', '');
  if (needWiFi && !ssid) throw new ConfigError(`config ssid is missing: ${howTo('ssid', '"MyWiFi" password="secret"')}`);
  const brokerValue = text(raw, 'broker', '');
  if (!brokerValue) throw new ConfigError(`config broker is missing: ${howTo('broker', '192.168.1.144')}`);
  const broker = parseBroker(brokerValue);
  const role = text(raw, 'role', '');
  if (!ROLES.includes(role)) {
    const what = role ? `role "${role}" is unknown` : 'role is missing';
    throw new ConfigError(`config ${what}: ${howTo('role', 'hello')} (ESP#1) or role=responder (ESP#2)`);
  }
  let topicPrefix = text(raw, 'topicPrefix', '');
  if (topicPrefix && !topicPrefix.endsWith('/')) topicPrefix += '/';
  if (topicPrefix && topicError(topicPrefix + 'x')) throw new ConfigError(`config topicPrefix="${topicPrefix}" cannot hold + or #: ${howTo('topicPrefix', 'LycMaurois/SNT_2nde/alice/')}`);
  const clientId = text(raw, 'clientId', deviceId);
  if (clientId.length > 23 * 4) throw new ConfigError(`config clientId is too long: ${howTo('clientId', 'esp1')}`);
  const backoffMin = whole(raw, 'backoffMin', 1000, 10, '1000');
  const backoffMax = whole(raw, 'backoffMax', 30000, backoffMin, '30000');
  return {
    ssid, password: text(raw, 'password', ''), broker,
    brokerName: broker.port === 1883 ? broker.host : `${broker.host}:${broker.port}`,
    role, clientId, topicPrefix, backoffMin, backoffMax,
    interval: whole(raw, 'interval', 5000, 10, '5000'),
    keepalive: whole(raw, 'keepalive', 60, 0, '60'),
    restartAfter: whole(raw, 'restartAfter', 10, 0, '10'),
    wifiTimeout: whole(raw, 'wifiTimeout', 20000, 100, '20000'),
    wifiRetry: whole(raw, 'wifiRetry', 5000, 10, '5000'),
  };
}
