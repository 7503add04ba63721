// The page's connections to the broker: where (from the teacher's setting), as whom, on which timers,
// and how a lost connection is worded.

import { randomHex } from '../../../hosts/browser/host';
import { pageTimers, workerTimers } from '../../../hosts/browser/timers';
import type { Endpoint } from '../../../src/host';
import { brokerEndpoint, brokerName, redact } from '../../../src/endpoint';
import { config, input, shown, t } from './page';

/**
 * "Connection lost: why (trying again in 2 s)", or "Cannot connect: …" when it never connected. The
 * why is worded from the close's kind and CONNACK code (in French), else the client's reason.
 */
export function lostText(reason: string, retryIn: number, up: boolean, where: string, kind?: string, code?: number): string {
  const why = t.closeWhy(kind, code, where) || shown(reason);
  return `${up ? t.lost : t.failed}${t.colon}${why}${retryIn >= 0 ? ` (${t.retry} ${Math.round(retryIn / 1000)} ${t.seconds})` : ''}`;
}

/** The broker's WebSocket from the page's setting (src/endpoint.ts reads it, as everywhere). A loopback
 *  address in the teacher's setting means the teacher's computer: from a student's computer, that
 *  is the host this page came from. A user and password in it count as typed in their fields. */
export function endpointOf(url: string): Endpoint {
  const e = /^wss?:\/\//i.test(url) ? brokerEndpoint(url) : '';
  if (typeof e === 'string') throw new Error(`${t.broker}${t.colon}${t.notWebSocket(shown(redact(url)))}`);
  const loopback = (h: string) => h === 'localhost' || h.startsWith('127.') || h === '::1';
  if (loopback(e.host) && location.hostname && !loopback(location.hostname)) e.host = location.hostname.replace(/^\[|\]$/g, '');
  if (e.path === '/') e.path = '/mqtt';
  return e;
}

/** The broker as the page shows it: never a user or a password. */
export function brokerUrl(): string {
  try {
    return brokerName(endpointOf(config.broker), true);
  } catch {
    return redact(config.broker);
  }
}

/** A client id from a first name: ASCII letters and digits only (some brokers take no others), short. */
export function clientIdOf(kind: string, name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 12) || 'x';
  return `${kind}-${ascii}-${randomHex(3)}`;
}

/** The clients' timers, in a Worker so that a hidden tab stays online (hosts/browser/timers.ts);
 *  `?timers=page` keeps the page's own, to show the difference. Made once, shared. */
let sharedTimers: ReturnType<typeof workerTimers> | null = null;
export function timers() {
  sharedTimers ??= /[?&]timers=page/.test(location.search) ? pageTimers() : workerTimers('/student-timers.js');
  return sharedTimers;
}

export function credentials(e: Endpoint): Endpoint {
  const user = input('user').value,
    pass = input('password').value;
  if (user) e.username = user;
  if (pass) e.password = pass;
  return e;
}
