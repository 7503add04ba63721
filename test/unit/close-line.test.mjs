// A connection's close line, one function a language (tools/words/cli-en.ts, cli-fr.ts): made from
// the facts the command knows (the kind, the CONNACK code, whether it was ever connected), never
// from the client's English alone in French.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliWords } from '../../dist/testing.js';

const facts = (more) => ({
  where: '127.0.0.1:1883',
  reason: 'Connection refused',
  kind: 'unreachable',
  everConnected: false,
  clientId: 'esp1',
  connectTimeoutMs: 10_000,
  ...more,
});

test('a refusal: the CONNACK named, and what to check by its code', () => {
  const en = cliWords('en');
  const fr = cliWords('fr');
  assert.equal(
    en.closeLine(facts({ kind: 'refused', code: 5 })),
    'the broker at 127.0.0.1:1883 refused the connection: not authorized: this broker wants a user name and password: add -u <user> -P <password>',
  );
  assert.match(en.closeLine(facts({ kind: 'refused', code: 4, username: 'classe' })), /check the user name \(-u classe\) and the password \(-P\)$/);
  assert.match(en.closeLine(facts({ kind: 'refused', code: 2 })), /client id 'esp1'; choose another with -i$/);
  assert.match(
    fr.closeLine(facts({ kind: 'refused', code: 5, username: 'classe' })),
    /^le broker 127\.0\.0\.1:1883 a refusé la connexion : .* : vérifiez le nom d'utilisateur \(-u classe\)/,
  );
});

test('lost, never connected, timed out: in French, words from the kind, the English reason only where it says more', () => {
  const en = cliWords('en');
  const fr = cliWords('fr');
  assert.equal(en.closeLine(facts({ kind: 'lost', reason: 'socket closed', everConnected: true })), 'lost the connection to 127.0.0.1:1883: socket closed');
  assert.equal(
    fr.closeLine(facts({ kind: 'lost', reason: 'socket closed', everConnected: true })),
    'connexion perdue avec 127.0.0.1:1883 : la connexion a été coupée',
  );
  assert.match(en.closeLine(facts({ kind: 'timeout', connectTimeoutMs: 4000 })), /did not answer the MQTT CONNECT within 4 s/);
  assert.match(fr.closeLine(facts({ kind: 'tls', reason: 'certificate has expired' })), /échec de la connexion TLS \(certificate has expired\)/);
  assert.doesNotMatch(fr.closeLine(facts({ kind: 'unreachable' })), /Connection refused/);
});
