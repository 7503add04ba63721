// Where a broker is, as people write it and as lines show it: the one place that reads and writes
// host:port (IPv6 in brackets), broker URLs (mqtt, mqtts, ws, wss: scheme, transport, default
// port), and hides a password in any text that may hold one. The board's config, every command,
// the pages and the hosts use it; it ships to the board, so it stays small and throws nothing.

import type { Endpoint, Transport } from './host';

/** Each URL scheme: the transport it means and its default port. */
const SCHEMES: Record<string, [Transport, number]> = { mqtt: ['tcp', 1883], mqtts: ['tls', 8883], ws: ['ws', 80], wss: ['wss', 443] };

/** The broker forms an error lists. */
export const BROKER_FORMS =
  'host, host:port, mqtt://[user:pass@]host[:port], mqtts://… (TLS, port 8883), ws://…[/path] or wss://…[/path] (WebSocket, path /mqtt)';

/** The transport and default port of a URL scheme (any case), or undefined for another scheme. */
export function schemeTransport(scheme: string): [Transport, number] | undefined {
  return SCHEMES[scheme.toLowerCase()];
}

/** The scheme of a transport: mqtt, mqtts, ws or wss. */
export function schemeOf(transport: Transport = 'tcp'): string {
  for (const s in SCHEMES) if (SCHEMES[s][0] === transport) return s;
  return 'mqtt';
}

export function defaultPort(transport: Transport = 'tcp'): number {
  return SCHEMES[schemeOf(transport)][1];
}

export function isWebSocket(transport?: Transport): boolean {
  return transport === 'ws' || transport === 'wss';
}

/** `host:port`, an IPv6 address in brackets; without `port`, the host alone (bracketed if IPv6). */
export function hostPort(host: string, port?: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

/** `host`, `host:port`, `[IPv6]` or `[IPv6]:port`: the host (no brackets) and the port's text; null otherwise. */
export function splitHostPort(text: string): { host: string; port?: string } | null {
  const m = /^\[([0-9a-f:.]+)\](?::(.*))?$/i.exec(text) || /^([^:[\]]*)(?::(.*))?$/.exec(text);
  return m ? { host: m[1], port: m[2] } : null;
}

/** A host name, an IPv4 address or an IPv6 one (bare or in brackets): the host without brackets,
 *  or null (a URL, a user and password, a port or a space in it). */
export function hostName(text: string): string | null {
  const h = /^\[([0-9a-f:.]+)\]$/i.exec(text)?.[1] ?? text;
  if (!h || (!/^[a-z0-9._-]+$/i.test(h) && !(h.includes(':') && /^[0-9a-f:.]+$/i.test(h)))) return null;
  return h;
}

/** A port from its text: 1 to 65535, else -1. */
export function portNumber(text: string): number {
  return /^\d{1,5}$/.test(text) && +text >= 1 && +text <= 65535 ? +text : -1;
}

/** What `scheme://[userinfo@]authority[rest]` holds; `rest` starts with its '/' ('' if none). */
export interface UrlParts {
  scheme: string;
  userinfo?: string;
  authority: string;
  rest: string;
}

/**
 * Splits a URL at the same places wherever it is read. A user name may hold '@' and a password
 * '@', ':' or '/' (written as they are, or %-escaped). Without `withTopic` (a broker), the last
 * '@' ends them, as nothing after the host holds one. With it (-L: a topic follows the host, and a
 * topic may hold '@'), the host ends at the first '/', unless what follows the first ':' up to it
 * is no port and an '@' comes after it: then a password holds the '/', and the host ends at the
 * next '/' after that '@'. Null when `value` has no `scheme://`.
 */
export function splitUrl(value: string, withTopic = false): UrlParts | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (!m) return null;
  const body = value.slice(m[0].length);
  let at: number, end: number;
  if (withTopic) {
    end = body.indexOf('/');
    const colon = body.indexOf(':');
    if (end >= 0 && body[0] !== '[' && colon >= 0 && colon < end && !/^\d*$/.test(body.slice(colon + 1, end))) {
      const later = body.indexOf('@', end);
      if (later >= 0) end = body.indexOf('/', later);
    }
    if (end < 0) end = body.length;
    at = end ? body.lastIndexOf('@', end - 1) : -1;
  } else {
    at = body.lastIndexOf('@');
    end = body.indexOf('/', at + 1);
    if (end < 0) end = body.length;
  }
  const parts: UrlParts = { scheme: m[1], authority: body.slice(at + 1, end), rest: body.slice(end) };
  if (at >= 0) parts.userinfo = body.slice(0, at);
  return parts;
}

/** The user name and password of a URL's user info (before the first ':', after it), %-escapes
 *  decoded; null when an escape is badly written. */
export function credentials(userinfo: string): { username: string; password?: string } | null {
  const colon = userinfo.indexOf(':');
  try {
    const c: { username: string; password?: string } = { username: decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon)) };
    if (colon >= 0) c.password = decodeURIComponent(userinfo.slice(colon + 1));
    return c;
  } catch {
    return null;
  }
}

/**
 * `value` fit for a line, whatever it is: a password it may hold, in any form, becomes ***. From
 * the first ':' to the last '@' (a user name may hold '@', a password ':', '@' and '/'); with no
 * ':' before an '@', what follows a ':' that starts no port (`mqtt://alice:secret`, the host
 * forgotten). Odd text (a topic with '@' after a port) loses more than its password, never less.
 */
export function redact(value: string): string {
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(value);
  const start = scheme ? scheme[0].length : 0;
  const at = value.lastIndexOf('@');
  const colon = value.indexOf(':', start);
  if (at >= start && colon >= 0 && colon < at) return `${value.slice(0, colon)}:***${value.slice(at)}`;
  const from = Math.max(start, at + 1);
  const slash = value.indexOf('/', from);
  const authority = value.slice(from, slash < 0 ? value.length : slash);
  const c = authority.indexOf(':');
  if (c < 0 || authority[0] === '[' || authority.indexOf(':', c + 1) >= 0 || /^\d*$/.test(authority.slice(c + 1))) return value;
  return `${value.slice(0, from + c)}:***`;
}

/** What is wrong with a broker value, as a code and its fact (a scheme, a port's text): the tools
 *  word it in the user's language; brokerEndpoint in English for the board's console. */
export interface BrokerProblem {
  problem: 'scheme' | 'escape' | 'path' | 'pathChars' | 'notHost' | 'port' | 'badHost';
  fact?: string;
}

/**
 * The endpoint a broker value means: host, host:port, or mqtt|mqtts|ws|wss://[user:pass@]host[:port][/path]
 * (a path only for ws and wss, /mqtt when none). Else what is wrong, as a code.
 */
export function brokerOf(value: string): Endpoint | BrokerProblem {
  const text = value.trim();
  const e: Endpoint = { host: '', port: 1883 };
  let hostText = text;
  const url = splitUrl(text);
  if (url) {
    const known = schemeTransport(url.scheme);
    if (!known) return { problem: 'scheme', fact: url.scheme };
    if (known[0] !== 'tcp') e.transport = known[0];
    e.port = known[1];
    if (url.userinfo !== undefined) {
      const c = credentials(url.userinfo);
      if (!c) return { problem: 'escape' };
      e.username = c.username;
      if (c.password !== undefined) e.password = c.password;
    }
    hostText = url.authority;
    if (url.rest && !isWebSocket(e.transport)) {
      if (url.rest !== '/') return { problem: 'path', fact: url.scheme };
    } else if (isWebSocket(e.transport)) {
      if (url.rest && !/^\/[!-~]*$/.test(url.rest)) return { problem: 'pathChars' };
      e.path = url.rest || '/mqtt';
    }
  }
  const hp = splitHostPort(hostText);
  if (!hp) return { problem: 'notHost' };
  if (hp.port !== undefined) {
    e.port = portNumber(hp.port);
    if (e.port < 0) return { problem: 'port', fact: hp.port };
  }
  const host = hostName(hp.host);
  if (!host) return { problem: 'badHost' };
  e.host = host;
  return e;
}

/**
 * brokerOf's endpoint, or one line in English saying what is wrong, the value redacted: the board
 * never throws on a bad config (an instrumented build prints every exception).
 */
export function brokerEndpoint(value: string): Endpoint | string {
  const e = brokerOf(value);
  if (!('problem' in e)) return e;
  return `broker "${redact(value)}" ${problemText(e)}: write ${BROKER_FORMS}`;
}

function problemText({ problem, fact }: BrokerProblem): string {
  switch (problem) {
    case 'scheme':
      return `uses ${fact}://, which is not supported`;
    case 'escape':
      return 'has a badly escaped user name or password';
    case 'path':
      return `has a path (${fact}:// has none; only ws:// and wss:// do)`;
    case 'pathChars':
      return 'has a path with spaces or other characters to percent-encode';
    case 'notHost':
      return 'is not a host name';
    case 'port':
      return `has ${/^\d+$/.test(fact ?? '') ? `port "${fact}"` : 'a port'}, not a number from 1 to 65535`;
    case 'badHost':
      return 'has no valid host name';
  }
}

/**
 * The broker as lines show it, never with the user or password: host[:port] for plain MQTT (the
 * port when not 1883, or always with `withPort`), scheme://host[:port][/path] otherwise.
 */
export function brokerName(e: Endpoint, withPort = false): string {
  const t = e.transport ?? 'tcp';
  const port = withPort || e.port !== defaultPort(t) ? e.port : undefined;
  if (t === 'tcp') return hostPort(e.host, port);
  return `${schemeOf(t)}://${hostPort(e.host, port)}${e.path ?? ''}`;
}

/** The broker as a board's config takes it, user and password included (percent-escaped): for the
 *  simulated boards' settings, never for a line or a page. */
export function brokerUrl(e: Endpoint): string {
  const name = brokerName(e, true);
  if (e.username === undefined) return name;
  const user = `${encodeURIComponent(e.username)}${e.password === undefined ? '' : `:${encodeURIComponent(e.password)}`}@`;
  const t = e.transport ?? 'tcp';
  return t === 'tcp' ? `mqtt://${user}${name}` : `${schemeOf(t)}://${user}${name.slice(schemeOf(t).length + 3)}`;
}
