// TLS for the Node host (mqtts:// and, under the WebSocket, wss://) through node:tls: the chain
// checked against the endpoint's CA file (else the CAs Node trusts), the host name checked unless
// `insecure` (mosquitto's --insecure), and each way it can fail said in one line.

import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { crypto, tls } from './builtins';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Connection, ConnectionEvents, Endpoint } from '../../src/host';
import { hostPort } from '../../src/endpoint';
import { describeSocketError, failedConnection, socketConnection, type Why } from './socket';

/** An mqtts:// connection; every failure arrives through `events.closed`, never as a throw. */
export function connectTls(to: Endpoint, events: ConnectionEvents): Connection {
  let options: ConnectionOptions;
  try {
    options = tlsOptions(to);
  } catch (e) {
    return failedConnection(events, (e as Error).message);
  }
  let socket: ReturnType<ReturnType<typeof tls>['connect']>;
  try {
    socket = tls().connect(options);
  } catch (e) {
    return failedConnection(events, `TLS: cannot use the CA file ${to.ca}: ${(e as Error).message}`);
  }
  return socketConnection(socket, 'secureConnect', to, events, describeTlsError);
}

/**
 * node:tls options for `to`: its CA (the file `to.ca`, PEM or DER; without it the CAs Node
 * trusts), SNI for a host name, no name check when `to.insecure`. Throws when the CA file is unusable.
 */
export function tlsOptions(to: Endpoint): ConnectionOptions {
  const o: ConnectionOptions = { host: to.host, port: to.port, rejectUnauthorized: true };
  if (!isIP(to.host)) o.servername = to.host;
  if (to.ca) o.ca = readCaFile(to.ca);
  if (to.insecure) o.checkServerIdentity = () => undefined;
  return o;
}

/** A CA file that cannot be used: `why` is the system's code (ENOENT, EISDIR, EACCES, …, else its
 *  message) or 'notCertificate', for the commands to word; the message is the board's English. */
export class CaFileError extends Error {
  constructor(
    message: string,
    readonly why: string,
  ) {
    super(message);
    this.name = 'CaFileError';
  }
}

/** A CA file as PEM: PEM (one or more certificates) as it is, DER (what the boards use) converted. */
export function readCaFile(file: string): string | Buffer {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CaFileError(`TLS: cannot read the CA file ${file}: ${why}`, code ?? (e as Error).message);
  }
  if (data.includes('-----BEGIN CERTIFICATE-----')) return data;
  try {
    return new (crypto().X509Certificate)(data).toString();
  } catch {
    throw new CaFileError(`TLS: the CA file ${file} holds no certificate (PEM or DER)`, 'notCertificate');
  }
}

type TlsError = NodeJS.ErrnoException & { cert?: PeerCertificate; reason?: string };

const NOT_SIGNED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/** Why a TLS connection failed, in one line that says what to check. */
export function describeTlsError(e: TlsError, to: Endpoint, opened: boolean): Why {
  const tls = (reason: string): Why => ({ reason, kind: 'tls' });
  const where = hostPort(to.host, to.port);
  const code = e.code ?? '';
  if (NOT_SIGNED.has(code)) {
    return tls(
      `TLS: certificate of ${where} is not signed by ${to.ca ? 'the given CA (--cafile)' : "a CA this computer trusts: give the broker's CA with --cafile"}`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED') return tls(`TLS: the certificate of ${where} has expired (or this computer's clock is wrong)`);
  if (code === 'CERT_NOT_YET_VALID') return tls(`TLS: the certificate of ${where} is not valid yet (or this computer's clock is wrong)`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return tls(`TLS: certificate is for ${certificateNames(e.cert)}, not ${to.host}: connect to that name, or skip the name check with --insecure`);
  }
  if (/wrong version number|packet length too long|unknown protocol|http request/i.test(e.message)) {
    return tls(`TLS: ${where} does not speak TLS: for a plain MQTT port use mqtt://, or give the broker's TLS port (usually 8883)`);
  }
  if (!opened && (code === 'ECONNRESET' || code === 'EPIPE' || /before secure TLS connection/.test(e.message))) {
    return tls(`TLS: ${where} closed the connection during the TLS handshake: is it a TLS port? (a plain MQTT port wants mqtt://)`);
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return tls(`TLS: handshake with ${where} failed: ${e.reason ?? e.message}`);
  return describeSocketError(e, to, opened);
}

/** The names a certificate is for: its subjectAltName entries, else its CN. */
function certificateNames(cert: PeerCertificate | undefined): string {
  const names = (cert?.subjectaltname ?? '')
    .split(/,\s*/)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  if (!names.length && cert?.subject?.CN) names.push(String(cert.subject.CN));
  return names.length ? names.join(' or ') : 'another name';
}
