// Test certificates, made with openssl at run time in a temporary directory: a CA, a server
// certificate it signs for localhost and 127.0.0.1, one it signs for another name only, and a
// second CA that signed nothing here (the "wrong CA"). RSA 2048 keys: what the boards' TLS handles.
//
//   const certs = makeCertificates();   // { dir, ca, caDer, otherCa, server: {cert, key}, otherName: {cert, key, name} }
//   ... certs.remove() in an after() hook
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './mosquitto.mjs';

/** The openssl binary, or null. */
export function opensslBinary() {
  return findExecutable('openssl');
}

/** For describe/test `skip`: false when openssl is there (always false under REQUIRE_MOSQUITTO=1, so tests fail loudly). */
export function opensslSkip() {
  if (process.env.REQUIRE_MOSQUITTO === '1' || opensslBinary()) return false;
  return 'needs openssl: openssl is not installed';
}

export function makeCertificates({ otherName = 'mqtt.example' } = {}) {
  const openssl = opensslBinary();
  if (!openssl) throw new Error('openssl is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-certs-'));
  const f = (name) => join(dir, name);
  const run = (...args) => execFileSync(openssl, args, { stdio: 'pipe' });
  const ca = (name, cn) => {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.pem`),
      '-days',
      '3',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    run('x509', '-in', f(`${name}.pem`), '-outform', 'der', '-out', f(`${name}.der`));
  };
  const leaf = (name, cn, san) => {
    run('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${cn}`);
    writeFileSync(
      f(`${name}.ext`),
      [
        `subjectAltName=${san}`,
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid,issuer',
        '',
      ].join('\n'),
    );
    run(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      f(`${name}.pem`),
      '-extfile',
      f(`${name}.ext`),
    );
  };
  ca('ca', 'mqtt-pair test CA');
  ca('other-ca', 'another CA');
  leaf('server', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  leaf('other-name', otherName, `DNS:${otherName}`);
  return {
    dir,
    ca: f('ca.pem'),
    caDer: f('ca.der'),
    otherCa: f('other-ca.pem'),
    server: { cert: f('server.pem'), key: f('server.key') },
    otherName: { cert: f('other-name.pem'), key: f('other-name.key'), name: otherName },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
