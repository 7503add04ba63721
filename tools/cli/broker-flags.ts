// The flags of every command that joins a broker as a board or an observer (sim, remote, actuator,
// chat, watch, classroom): --broker as a URL or host[:port], -u and -P as mosquitto's clients take
// them, and --cafile and --insecure for TLS. One table, one reading, the same words everywhere.

import type { Endpoint } from '../../src/host';
import { brokerOf, redact } from '../../src/endpoint';
import { CaFileError, readCaFile } from '../../hosts/node/tls';
import { cliWords } from '../words/cli';
import { UsageError, last, type Flag, type Parsed } from './flags';

export const BROKER_FLAGS: Flag[] = [
  {
    names: ['--broker'],
    key: 'broker',
    value: 'url',
    example: '192.168.1.144',
    help: 'the broker: host[:port], mqtt://[user:pass@]host[:port], mqtts://… (TLS, port 8883), ws://host[:port][/path] or wss://… (WebSocket, path /mqtt)',
  },
  {
    names: ['-u', '--username'],
    key: 'username',
    value: 'user',
    example: 'alice',
    help: 'the user name the broker knows you by (as mosquitto_pub -u)',
    strayHint: true,
  },
  { names: ['-P', '--password'], key: 'password', value: 'password', help: 'the password (needs -u); never printed' },
  {
    names: ['--cafile'],
    key: 'cafile',
    value: 'file',
    example: 'ca.crt',
    help: "with mqtts:// or wss://: the CA certificate (PEM or DER) that signed the broker's",
  },
  { names: ['--insecure'], key: 'insecure', help: "with mqtts:// or wss://: don't check the host name in the broker's certificate" },
];

/**
 * The broker these flags name: --broker (else `fallback`, else undefined), with -u and -P over the
 * URL's user and password, and the CA file for TLS. A UsageError says what is wrong.
 */
export function brokerFromFlags(p: Parsed, fallback?: string): Endpoint | undefined {
  const value = last(p, 'broker') ?? fallback;
  const username = last(p, 'username');
  const password = last(p, 'password');
  const cafile = last(p, 'cafile');
  const insecure = p.has('insecure');
  if (value === undefined) {
    if (username !== undefined || password !== undefined) throw new UsageError(cliWords().userNeedsBroker(username !== undefined ? '-u' : '-P'));
    if (cafile !== undefined || insecure) throw new UsageError(cliWords().tlsOnly(cafile !== undefined ? '--cafile' : '--insecure', false));
    return undefined;
  }
  const parsed = brokerOf(value);
  if ('problem' in parsed) throw new UsageError(cliWords().brokerValue(redact(value), parsed));
  const e: Endpoint = parsed;
  const secure = e.transport === 'tls' || e.transport === 'wss';
  // The mosquitto clients' meaning; with TLS the name stays (the certificate may be for it alone).
  if (e.host === 'localhost' && !secure) e.host = '127.0.0.1';
  if (username !== undefined) e.username = username;
  if (password !== undefined) {
    if (e.username === undefined) throw new UsageError(cliWords().passwordNeedsUser);
    e.password = password;
  }
  if ((cafile !== undefined || insecure) && !secure) {
    throw new UsageError(cliWords().tlsOnly(cafile !== undefined ? '--cafile' : '--insecure', true));
  }
  if (cafile !== undefined) {
    checkCaFile(cafile);
    e.ca = cafile;
  }
  if (insecure) e.insecure = true;
  return e;
}

/** --cafile's file, read once now: a file it cannot use is one line of the words, not a failed connection later. */
export function checkCaFile(file: string): void {
  try {
    readCaFile(file);
  } catch (e) {
    throw new UsageError(cliWords().caFile(file, e instanceof CaFileError ? e.why : (e as Error).message));
  }
}
