// The board's settings, from Moddable's mc/config (set as key=value on the mcconfig command line)
// or from the simulator's flags. Every problem becomes one line naming the key and how to set it.

import type { Endpoint, Transport } from '../host';
import { nameError, utf8Length, wellFormed } from '../mqtt/codec';
import { topicError } from '../mqtt/topic';

/** Every role (src/apps/roles.ts): the seed's pair first, then the other activities. */
export const ROLES = ['hello', 'responder', 'sensor', 'chat', 'remote', 'actuator'];

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

/** The broker forms config errors list. */
const FORMS = 'host, host:port, mqtt://[user:pass@]host[:port], mqtts://… (TLS, port 8883), ws://…[/path] or wss://…[/path] (WebSocket, path /mqtt)';
/** Each URL scheme: the transport it means and its default port. */
const SCHEMES: Record<string, [Transport, number]> = { mqtt: ['tcp', 1883], mqtts: ['tls', 8883], ws: ['ws', 80], wss: ['wss', 443] };

/** Parses host, host:port, or mqtt|mqtts|ws|wss://[user:pass@]host[:port][/path] (a path only for ws and wss). Throws ConfigError. */
export function parseBroker(value: string): Endpoint {
  const e = brokerEndpoint(value);
  if (typeof e === 'string') throw new ConfigError(e);
  return e;
}

/**
 * parseBroker's work without a throw: the endpoint, or why the value is wrong. A board never
 * throws on a bad config: an instrumented build prints every exception, and xsbug stops at one.
 */
export function brokerEndpoint(value: string): Endpoint | string {
  const bad = (why: string) => `broker "${hideSecret(value)}" ${why}: write ${FORMS}`;
  let rest = value.trim();
  let username: string | undefined, password: string | undefined, path: string | undefined;
  let transport: Transport = 'tcp', port = 1883;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    const known = SCHEMES[scheme[1].toLowerCase()];
    if (!known) return bad(`uses ${scheme[1]}://, which is not supported`);
    [transport, port] = known;
    rest = rest.slice(scheme[0].length);
    // The last '@' ends the user and password, which may hold '/', ':' or '@' themselves.
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const cred = rest.slice(0, at);
      rest = rest.slice(at + 1);
      const colon = cred.indexOf(':');
      try {
        username = decodeURIComponent(colon < 0 ? cred : cred.slice(0, colon));
        if (colon >= 0) password = decodeURIComponent(cred.slice(colon + 1));
      } catch { return bad('has a badly escaped user name or password'); }
    }
    const slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.slice(slash);
      rest = rest.slice(0, slash);
      if (transport !== 'ws' && transport !== 'wss') {
        if (path !== '/') return bad(`has a path (${scheme[1]}:// has none; only ws:// and wss:// do)`);
        path = undefined;
      } else if (!/^\/[!-~]*$/.test(path)) return bad('has a path with spaces or other characters to percent-encode');
    }
  }
  let host = rest;
  const m = /^\[([0-9a-f:.]+)\](?::(\d*))?$/i.exec(rest) || /^([^:[\]]*)(?::(\d*))?$/.exec(rest);
  if (!m) return bad('is not a host name');
  host = m[1];
  if (m[2] !== undefined) {
    port = Number(m[2]);
    if (!m[2] || !(port >= 1 && port <= 65535)) return bad(`has port "${m[2]}", not a number from 1 to 65535`);
  }
  if (!host || !/^[a-z0-9.:_-]+$/i.test(host)) return bad('has no valid host name');
  const e: Endpoint = { host, port };
  if (username !== undefined) e.username = username;
  if (password !== undefined) e.password = password;
  if (transport !== 'tcp') e.transport = transport;
  if (transport === 'ws' || transport === 'wss') e.path = path ?? '/mqtt';
  return e;
}

/**
 * The broker as logs show it, never with the user or password: host[:port] for plain MQTT (the
 * port when not 1883), scheme://host[:port][/path] otherwise (the port when not the scheme's).
 */
export function brokerName(e: Endpoint): string {
  const t = e.transport ?? 'tcp';
  if (t === 'tcp') return e.port === 1883 ? e.host : `${e.host}:${e.port}`;
  const scheme = Object.keys(SCHEMES).find((s) => SCHEMES[s][0] === t)!;
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${scheme}://${host}${e.port === SCHEMES[scheme][1] ? '' : `:${e.port}`}${e.path ?? ''}`;
}

/** A broker value with any password replaced, fit for a log line (up to the last '@', where it may end). */
export function hideSecret(value: string): string {
  const re = /^\s*[a-z][a-z0-9+.-]*:\/\//i.test(value) ? /^(\s*[a-z][a-z0-9+.-]*:\/\/[^:@]*):.*@/is : /^([^:@]*):.*@/s;
  return value.replace(re, '$1:***@');
}

type Raw = Record<string, unknown>;

/** How a user sets `key`: on a board it is an mcconfig argument. */
function howTo(key: string, example: string) { return `set it with ${key}=${example} on the mcconfig command line`; }

function text(raw: Raw, key: string, fallback: string): string {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return fallback;
  return String(v);
}

/** A whole number from `min` to `max`, the fallback when unset, or why it is not one. */
function whole(raw: Raw, key: string, fallback: number, min: number, max: number, unit: string, example: string): number | string {
  const v = text(raw, key, '');
  if (!v) return fallback;
  const n = Number(v);
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
    if (broker.transport !== 'tls' && broker.transport !== 'wss') return `config ca="${ca}" is only for mqtts:// and wss:// brokers: remove it, or write broker=mqtts://…`;
    broker.ca = ca;
  }
  const role = text(raw, 'role', '');
  if (!ROLES.includes(role)) {
    const what = role ? `role "${role}" is unknown` : 'role is missing';
    return `config ${what}: ${howTo('role', 'hello')} (ESP#1) or role=responder (ESP#2); the other roles are ${ROLES.slice(2).join(', ')}`;
  }
  let topicPrefix = text(raw, 'topicPrefix', '');
  if (topicPrefix && !topicPrefix.endsWith('/')) topicPrefix += '/';
  if (topicPrefix && topicError(topicPrefix + 'x')) return `config topicPrefix="${topicPrefix}" cannot hold + or #: ${howTo('topicPrefix', 'LycMaurois/SNT_2nde/alice/')}`;
  const clientId = text(raw, 'clientId', deviceId);
  if (clientId.length > 23 * 4) return `config clientId is too long: ${howTo('clientId', 'esp1')}`;
  for (const [what, v] of [['user name', broker.username], ['password', broker.password]]) {
    if (v !== undefined && (utf8Length(v) > 65535 || !wellFormed(v))) return `config broker: the ${what} is longer than MQTT allows (65535 bytes) or not valid text`;
  }
  const name = text(raw, 'name', ''), peer = text(raw, 'peer', '');
  if (role === 'chat') {
    for (const [key, v, example] of [['name', name, 'alice'], ['peer', peer, 'bob']]) {
      if (!v) return `config ${key} is missing (role=chat): ${howTo(key, example)}`;
      if (topicError(topicPrefix + v)) return `config ${key}="${v}" cannot hold + or #: ${howTo(key, example)}`;
    }
  }
  // The numbers, in this order: backoffMax (min -1 here) is checked against backoffMin.
  const n: Record<string, number> = {};
  const ms = 'number of milliseconds', count = 'whole number';
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
    ssid, password: text(raw, 'password', ''), broker,
    brokerName: brokerName(broker),
    role, clientId, topicPrefix, name, peer,
    interval: n.interval, keepalive: n.keepalive, backoffMin: n.backoffMin, backoffMax: n.backoffMax,
    restartAfter: n.restartAfter, wifiTimeout: n.wifiTimeout, wifiRetry: n.wifiRetry, inflight: n.inflight,
  };
}
