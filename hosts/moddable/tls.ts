// TLS on the board (mqtts://, wss://) through the SDK's SecureSocket: its settings, its failures
// in words a student can act on, and the config check that the firmware has the CA certificate
// a TLS broker needs.

import Resource from 'Resource';
import type { Endpoint } from '../../src/host';
import { brokerEndpoint } from '../../src/endpoint';
import { where } from './connection';
import { describe } from './log';

/**
 * SecureSocket's `secure` dictionary. Moddable's TLS (modules/crypt/ssl) checks the broker's
 * certificate chain against `certificate` and the dates, and (SDK 8.2.3) the host name against
 * the certificate's subjectAltName; that last check passes only when the broker sends a chain of
 * two certificates or more (its own, then its CA's): with its own alone, the handshake fails.
 */
export function secureOptions(to: Endpoint): Record<string, unknown> {
  const o: Record<string, unknown> = { protocolVersion: 0x303, tls_server_name: to.host };
  if (to.ca) o.certificate = new Resource(to.ca);
  return o;
}

export function tlsSetupFailed(to: Endpoint, e: unknown): string {
  const why = describe(e);
  return `TLS: cannot use the CA certificate ca=${to.ca}: ${why}${/date/i.test(why) ? " (is the board's clock right? is the certificate still valid?)" : ''}`;
}

export function tlsFailed(to: Endpoint): string {
  return `TLS handshake with ${where(to)} failed: check that ca=${to.ca} signed the broker's certificate (RSA), that it is valid today, that the broker sends its CA's certificate after its own, and that it offers TLS 1.2`;
}

/**
 * SecureSocket reports nothing before its handshake ends: watch its TCP socket to tell "no broker"
 * from "TLS failed". What counts is the server's first bytes, not "connected": the lin simulator's
 * socket says connected even when the connection is refused. (A closure: TLS only.)
 */
export function watchTcp(s: object, connection: { heard: boolean }): void {
  const raw = (s as unknown as { sock?: { callback?: (message: number, value?: number) => void } }).sock;
  const inner = raw?.callback;
  if (!raw || !inner) return;
  raw.callback = (message, value) => {
    if (message === 2) connection.heard = true;
    inner.call(raw, message, value);
  };
}

/**
 * What the board cannot do with the broker of this config, as a config error (undefined when it
 * can, or when readConfig will say what is wrong): TLS needs `ca`, a DER certificate resource.
 */
export function transportConfigError(raw: Record<string, unknown>): string | undefined {
  const e = brokerEndpoint(String(raw.broker ?? ''));
  if (typeof e === 'string') return undefined;
  if (e.transport !== 'tls' && e.transport !== 'wss') return undefined;
  const scheme = e.transport === 'tls' ? 'mqtts' : 'wss';
  const ca = raw.ca === undefined || raw.ca === null ? '' : String(raw.ca);
  const how =
    'copy it in DER form into hosts/moddable/certs/ (openssl x509 -in ca.crt -outform der -out hosts/moddable/certs/ca.der), then flash with ca=ca.der on the mcconfig command line';
  if (!ca) return `config ca is missing: broker=${scheme}://… needs the CA certificate that signed the broker's: ${how}`;
  let head: Uint8Array;
  try {
    if (!Resource.exists(ca)) return `config ca="${ca}" is not in the firmware: ${how}`;
    head = new Uint8Array(new Resource(ca).slice(0, 10));
  } catch (err) {
    return `config ca="${ca}" cannot be read: ${describe(err)}`;
  }
  if (head[0] === 0x2d)
    return `config ca="${ca}" is a PEM file, and the board reads DER: convert it with openssl x509 -in ${ca} -outform der -out hosts/moddable/certs/ca.der, then ca=ca.der`;
  if (head[0] !== 0x30) return `config ca="${ca}" is not a certificate in DER form: ${how}`;
  return undefined;
}
