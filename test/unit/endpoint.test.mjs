// src/endpoint.ts: one reading of host:port, broker URLs and -L URLs, one way to print them, and
// one redaction that hides a password in every form a value can take (a user name with '@' and
// ':', an empty user name, a password with '/', '@' and ':', %-escapes, no scheme, no host).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { brokerEndpoint, brokerName, redact } from '../../dist/index.js';
import { credentials, defaultPort, hostPort, parseBrokerUrl, portNumber, schemeOf, schemeTransport, splitHostPort, splitUrl } from '../../dist/testing.js';
import { SECRET, SECRET_FORMS } from '../helpers/secrets.mjs';

describe('host:port', () => {
  test('IPv6 goes in brackets, the port only when given', () => {
    assert.equal(hostPort('192.168.1.144', 1883), '192.168.1.144:1883');
    assert.equal(hostPort('::1', 1883), '[::1]:1883');
    assert.equal(hostPort('fe80::1'), '[fe80::1]');
    assert.equal(hostPort('broker.lan'), 'broker.lan');
  });

  test('reading: host, host:port, [IPv6], [IPv6]:port; the port is text until checked', () => {
    assert.deepEqual(splitHostPort('h'), { host: 'h', port: undefined });
    assert.deepEqual(splitHostPort('h:1884'), { host: 'h', port: '1884' });
    assert.deepEqual(splitHostPort('[::1]'), { host: '::1', port: undefined });
    assert.deepEqual(splitHostPort('[::1]:9001'), { host: '::1', port: '9001' });
    assert.equal(splitHostPort('[::1'), null);
    assert.equal(splitHostPort('[::1]x'), null);
    assert.deepEqual(
      [portNumber('1'), portNumber('65535'), portNumber('0'), portNumber('65536'), portNumber(''), portNumber('8o'), portNumber('001883')],
      [1, 65535, -1, -1, -1, -1, -1],
    );
  });

  test('schemes: transport and default port, both ways', () => {
    assert.deepEqual(schemeTransport('MQTTS'), ['tls', 8883]);
    assert.equal(schemeTransport('http'), undefined);
    assert.deepEqual(
      ['tcp', 'tls', 'ws', 'wss'].map((t) => [schemeOf(t), defaultPort(t)]),
      [
        ['mqtt', 1883],
        ['mqtts', 8883],
        ['ws', 80],
        ['wss', 443],
      ],
    );
  });
});

describe('URLs', () => {
  test('a broker: the last @ ends the user and password; a user may hold @, a password @ : and /', () => {
    assert.deepEqual(splitUrl('mqtt://teacher@school.fr:pw@h:1883'), { scheme: 'mqtt', userinfo: 'teacher@school.fr:pw', authority: 'h:1883', rest: '' });
    assert.deepEqual(splitUrl('ws://u:a/b@c@h/ws'), { scheme: 'ws', userinfo: 'u:a/b@c', authority: 'h', rest: '/ws' });
    assert.deepEqual(brokerEndpoint('mqtt://teacher@school.fr:S3cret@h'), { host: 'h', port: 1883, username: 'teacher@school.fr', password: 'S3cret' });
    assert.deepEqual(brokerEndpoint('mqtt://@:pw@h'), { host: 'h', port: 1883, username: '@', password: 'pw' });
    assert.deepEqual(brokerEndpoint('mqtt://t%40s%3Ax:p%2F@[::1]:1884'), { host: '::1', port: 1884, username: 't@s:x', password: 'p/' });
    assert.equal(splitUrl('h:1883'), null);
  });

  test('-L: a topic may hold @; a password may hold / (then the host ends after the next @)', () => {
    assert.deepEqual(splitUrl('mqtt://h:1883/a@b', true), { scheme: 'mqtt', authority: 'h:1883', rest: '/a@b' });
    assert.deepEqual(splitUrl('mqtt://u:pa/ss@h/a@b', true), { scheme: 'mqtt', userinfo: 'u:pa/ss', authority: 'h', rest: '/a@b' });
    assert.deepEqual(splitUrl('mqtt://t@s.fr:pa/ss@h/t', true), { scheme: 'mqtt', userinfo: 't@s.fr:pa/ss', authority: 'h', rest: '/t' });
    assert.deepEqual(splitUrl('mqtt://[::1]:1883/a@b', true), { scheme: 'mqtt', authority: '[::1]:1883', rest: '/a@b' });
    assert.deepEqual(parseBrokerUrl('mqtt://teacher@school.fr:S3cret@h:1884/class/#'), {
      host: 'h',
      port: 1884,
      username: 'teacher@school.fr',
      password: 'S3cret',
      transport: 'tcp',
      topic: 'class/#',
    });
    assert.deepEqual(parseBrokerUrl('ws://[::1]:9001/mqtt/c/#'), { host: '::1', port: 9001, transport: 'ws', path: '/mqtt', topic: 'c/#' });
  });

  test('credentials: %-escapes decoded; a bad one is null', () => {
    assert.deepEqual(credentials('al%40ce:p%3Aw'), { username: 'al@ce', password: 'p:w' });
    assert.deepEqual(credentials('alice'), { username: 'alice' });
    assert.equal(credentials('alice:%zz'), null);
  });

  test('names for lines: never a user or password; the port when not the default, or always', () => {
    const e = brokerEndpoint('ws://teacher@school.fr:S3cret@[::1]:9001');
    assert.equal(brokerName(e), 'ws://[::1]:9001/mqtt');
    assert.equal(brokerName(brokerEndpoint('mqtt://u:p@h')), 'h');
    assert.equal(brokerName(brokerEndpoint('mqtt://u:p@h'), true), 'h:1883');
    assert.equal(brokerName(brokerEndpoint('wss://h'), true), 'wss://h:443/mqtt');
    assert.equal(brokerName({ host: '::1', port: 1883 }, true), '[::1]:1883');
  });
});

describe('redaction', () => {
  test('every form: the password never shows, the user and host still do', () => {
    for (const form of SECRET_FORMS) {
      const r = redact(form);
      assert.ok(!r.includes(SECRET) && !r.includes('S3cret'), `${form} → ${r}`);
      assert.ok(r.includes('***'), `${form} → ${r}`);
    }
    assert.equal(redact(`mqtt://teacher@school.fr:${SECRET}@HOST`), 'mqtt://teacher@school.fr:***@HOST');
    assert.equal(redact(`mqtt://@:${SECRET}@host`), 'mqtt://@:***@host');
    assert.equal(redact(`teacher:${SECRET}@host:1883`), 'teacher:***@host:1883');
    assert.equal(redact(`mqtt://teacher:${SECRET}`), 'mqtt://teacher:***', 'a password where a port goes (the host forgotten)');
  });

  test('what holds no password is left as it is', () => {
    for (const v of ['mqtt://h:1883/a', 'ws://h:8080/mqtt', 'mqtt://alice@h', '[::1]:1883', 'h', 'mqtt://[fe80::1]:1883', 'fe80::1', 'mqtt://h/a:b']) {
      assert.equal(redact(v), v);
    }
  });

  test('parse errors never show it, for a broker value or a -L URL', () => {
    for (const form of SECRET_FORMS) {
      const e = brokerEndpoint(form);
      if (typeof e === 'string') assert.ok(!e.includes(SECRET) && !e.includes('S3cret'), e);
      let message = '';
      try {
        parseBrokerUrl(form);
      } catch (err) {
        message = err.message;
      }
      assert.ok(!message.includes(SECRET) && !message.includes('S3cret'), message);
    }
    assert.match(
      brokerEndpoint(`mqtt://teacher@school.fr:${SECRET}@host:99999`),
      /^broker "mqtt:\/\/teacher@school\.fr:\*\*\*@host:99999" has port "99999", not a number from 1 to 65535/,
    );
    assert.match(brokerEndpoint(`mqtt://teacher:${SECRET}`), /has a port, not a number from 1 to 65535/);
  });
});
