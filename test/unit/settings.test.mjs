// Run-time settings (src/setup/settings.ts): each key checked by the firmware's own check and named
// when wrong, the store's limits, all-or-nothing storing, what is shown (never a password), and
// the stored values over the build's.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  SETTINGS,
  checkChanges,
  checkConfig,
  effective,
  mergedConfig,
  missingSettings,
  readStored,
  shownValue,
  storeChanges,
  clearStored,
} from '../../dist/index.js';

/** A SettingsStore over a Map; `refuse(key)` makes set() throw for that key (a full flash). */
export function mapStore(maxBytes = 200, values = {}) {
  const m = new Map(Object.entries(values));
  let refused = null;
  return {
    maxBytes,
    map: m,
    get: (k) => m.get(k),
    set: (k, v) => {
      if (k === refused) throw new Error('no room in flash');
      m.set(k, v);
    },
    delete: (k) => {
      m.delete(k);
    },
    keys: () => [...m.keys()],
    refuse: (k) => {
      refused = k;
    },
  };
}

const options = (extra = {}) => ({ deviceId: 'c0ffee000001', maxBytes: 62, ...extra });
const base = { ssid: 'Salle 204', password: 'motdepasse', broker: '192.168.1.144', role: 'hello' };

describe('run-time settings', () => {
  test("every number's bounds on the page are the firmware's (checkConfig)", () => {
    const raw = { ssid: 'x', broker: '127.0.0.1', role: 'hello' };
    for (const f of SETTINGS.filter((s) => s.kind === 'number' && s.key !== 'setupAfter' && s.key !== 'led')) {
      const at = (v) => checkConfig({ ...raw, backoffMin: f.key === 'backoffMax' ? f.min : undefined, [f.key]: v }, 'id', true);
      assert.equal(typeof at(f.min), 'object', `${f.key}=${f.min} is accepted`);
      assert.equal(typeof at(f.max), 'object', `${f.key}=${f.max} is accepted`);
      assert.match(at(f.min - 1), new RegExp(`config ${f.key}=`), `${f.key}=${f.min - 1} is refused`);
      assert.match(at(f.max + 1), new RegExp(`config ${f.key}=`), `${f.key}=${f.max + 1} is refused`);
    }
    assert.deepEqual(SETTINGS.find((f) => f.key === 'role').choices, ['hello', 'responder', 'sensor', 'chat', 'remote', 'actuator']);
  });

  test('a wrong value is named by its key, in words for a teacher, without the mcconfig advice', () => {
    const cases = [
      [{ topicPrefix: 'LycMaurois/+/alice' }, 'topicPrefix', /^topicPrefix="LycMaurois\/\+\/alice\/" cannot hold \+ or #$/, ['wildcard']],
      [
        { broker: 'mqtt://192.168.1.144:99999' },
        'broker',
        /^broker "mqtt:\/\/192\.168\.1\.144:99999" has port "99999", not a number from 1 to 65535: write host/,
        ['broker'],
      ],
      [{ role: 'esp3' }, 'role', /^role "esp3" is unknown: choose hello, responder, sensor, chat, remote or actuator$/, ['choice']],
      [{ interval: '5' }, 'interval', /^interval="5" is not a number of milliseconds from 10 to 2147483647$/, ['range', '10', '2147483647']],
      [
        { backoffMin: '5000', backoffMax: '2000' },
        'backoffMax',
        /^backoffMax="2000" is not a number of milliseconds from 5000/,
        ['range', '5000', '2147483647'],
      ],
      [{ role: 'chat', name: 'alice', peer: 'b#b' }, 'peer', /^peer="b#b" cannot hold \+ or #$/, ['wildcard']],
      [{ ca: 'ca.der' }, 'ca', /only for mqtts:\/\/ and wss:\/\/ brokers/, ['caTls']],
      [{ password: 'short' }, 'password', /8 to 63 characters/, ['password']],
      [{ ssid: 'x'.repeat(33) }, 'ssid', /longer than a WiFi network's name can be \(32 bytes\)/, ['long', '33', '32']],
      [{ setupAfter: '-1' }, 'setupAfter', /not a whole number from 0 to 1000/, ['range', '0', '1000']],
      [{ sntp: 'pool ntp org' }, 'sntp', /is not a host name/, ['host']],
      [{ led: '49' }, 'led', /^led="49" is not a GPIO number from 0 to 48 \(-1: no LED\)$/, ['range', '-1', '48']],
      [{ led: '2.5' }, 'led', /is not a GPIO number/, ['range', '-1', '48']],
      [{ ledActiveLow: 'yes' }, 'ledActiveLow', /^ledActiveLow="yes" is not true or false$/, ['choice']],
      [{ topicPrefix: 'é'.repeat(32) }, 'topicPrefix', /^topicPrefix is 64 bytes long: this board stores at most 62$/, ['long', '64', '62']],
      [{ name: 'bob\u001b[2J' }, 'name', /holds control characters/, ['control']],
      [{ name: 'bob\ud800' }, 'name', /is not valid text/, ['text']],
      [{ colour: 'red' }, 'colour', /there is no setting "colour"/, ['unknown']],
    ];
    for (const [changes, key, message, [code, ...facts]] of cases) {
      const p = checkChanges({}, base, changes, options());
      assert.equal(p?.key, key, `${JSON.stringify(changes)} names ${key}: ${JSON.stringify(p)}`);
      assert.match(p.message, message);
      assert.doesNotMatch(p.message, /mcconfig/);
      // The reason as a code and its facts, for a tool to word (docs/improv.md, « A refused setting »).
      assert.deepEqual([p.code, ...(p.facts ?? [])], [code, ...facts], `${JSON.stringify(changes)}: ${JSON.stringify(p)}`);
    }
    assert.equal(checkChanges({}, base, { topicPrefix: 'LycMaurois/SNT_2nde/alice/', interval: '1000' }, options()), null);
    assert.equal(checkChanges({}, base, { password: '' }, options()), null, 'an open network');
    assert.match(checkChanges({}, base, { password: 'z'.repeat(64) }, options({ maxBytes: 200 }))?.message, /8 to 63 characters/, '64 characters must be hex');
    assert.equal(checkChanges({}, base, { password: 'ab'.repeat(32) }, options({ maxBytes: 200 })), null, 'a 64-digit hex key (on an ESP32)');
  });

  test("partial settings are right so far; complete ones need the WiFi, the broker, the role and a chat's names", () => {
    assert.equal(checkChanges({}, null, { broker: '192.168.1.144' }, options()), null, 'the broker alone, over USB');
    assert.deepEqual(checkChanges({}, null, { broker: '192.168.1.144' }, options({ complete: true })), {
      key: 'ssid',
      message: 'ssid is missing',
      code: 'missing',
    });
    assert.deepEqual(checkChanges({}, base, { role: 'chat', name: 'alice' }, options({ complete: true })), {
      key: 'peer',
      message: 'peer is missing',
      code: 'missing',
    });
    assert.deepEqual(missingSettings(effective({}, { role: 'chat' })), ['ssid', 'broker', 'name', 'peer']);
    // A build's values count: a class image with the WiFi and the broker built in needs only a role.
    assert.deepEqual(missingSettings(effective({ ssid: 'Salle 204', broker: '192.168.1.144', role: '' }, null)), ['role']);
    assert.equal(checkChanges({ ssid: 'Salle 204', broker: '192.168.1.144' }, null, { role: 'responder' }, options({ complete: true })), null);
    assert.deepEqual(
      checkChanges(
        {},
        base,
        {},
        options({ complete: true, hostCheck: () => 'config ca="x.der" is not in the firmware: copy it in DER form into hosts/moddable/certs/ (…)' }),
      ),
      { key: 'ca', message: 'ca="x.der" is not in the firmware: build the firmware with it in hosts/moddable/certs/', code: 'caMissing' },
    );
  });

  test("stored values over the build's; an empty change removes a stored one, but an empty password is an open network", () => {
    const build = { ssid: 'Classe', password: 'classpass', broker: '10.0.0.1', keepalive: 60, role: '' };
    const stored = { broker: '192.168.1.144', role: 'hello' };
    assert.deepEqual(effective(build, stored), { ssid: 'Classe', password: 'classpass', broker: '192.168.1.144', role: 'hello', keepalive: '60' });
    assert.equal(effective(build, stored, { broker: '' }).broker, '10.0.0.1');
    assert.equal(effective(build, stored, { password: '' }).password, '');
    assert.deepEqual(mergedConfig(build, stored), { ...build, ...stored });
    assert.equal(mergedConfig(build, null), build, "nothing stored: the build's config itself, no copy");
  });

  test('stored all or nothing: a store that refuses one value keeps what it had', () => {
    const store = mapStore(62, { broker: '10.0.0.1', role: 'hello' });
    assert.equal(storeChanges(store, { broker: '192.168.1.144', role: 'responder', topicPrefix: 'a/' }), '');
    assert.deepEqual(readStored(store), { broker: '192.168.1.144', role: 'responder', topicPrefix: 'a/' });
    store.refuse('topicPrefix');
    assert.match(storeChanges(store, { broker: '172.16.0.1', role: '', topicPrefix: 'b/' }), /^the board could not store topicPrefix: no room in flash$/);
    assert.deepEqual(readStored(store), { broker: '192.168.1.144', role: 'responder', topicPrefix: 'a/' });
    assert.equal(storeChanges(store, { password: '' }), '');
    assert.equal(store.get('password'), '', 'an open network is stored as such');
    clearStored(store);
    assert.equal(readStored(store), null);
  });

  test('what is shown: never a password, a broker without its password', () => {
    assert.equal(shownValue('password', 'motdepasse'), '********');
    assert.equal(shownValue('password', ''), '');
    assert.equal(shownValue('broker', 'mqtt://alice:s3cret@192.168.1.144'), 'mqtt://alice:***@192.168.1.144');
    assert.equal(shownValue('broker', 'mqtt://teacher@school.fr:s3cret@192.168.1.144'), 'mqtt://teacher@school.fr:***@192.168.1.144', 'a user name with @');
    assert.equal(shownValue('ssid', 'Salle 204'), 'Salle 204');
  });
});
