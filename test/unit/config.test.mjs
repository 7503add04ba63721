// The board's config as the firmware reads it (src/apps/config.ts): every bad value is one clear
// line naming the key and how to set it, and nothing runs; the broker forms; the seed's defaults.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SimWiFi, parseBroker, readConfig } from '../../dist/index.js';
import { board } from '../helpers/sim-boards.mjs';

describe('bad config gives one clear line and nothing runs', () => {
  const cases = [
    [{ role: 'hello' }, /^Config error: config broker is missing: set it with broker=192\.168\.1\.144 on the mcconfig command line$/],
    [{ broker: 'mqtt://pi:99999', role: 'hello' }, /^Config error: broker "mqtt:\/\/pi:99999" has port "99999", not a number from 1 to 65535/],
    [{ broker: 'http://pi', role: 'hello' }, /^Config error: broker "http:\/\/pi" uses http:\/\/, which is not supported/],
    [
      { broker: 'pi', role: 'esp3' },
      /^Config error: config role "esp3" is unknown: set it with role=hello on the mcconfig command line \(ESP#1\) or role=responder \(ESP#2\); the other roles are sensor, chat, remote, actuator$/,
    ],
    [{ broker: 'pi' }, /^Config error: config role is missing/],
    [
      { broker: 'pi', role: 'hello', interval: 'often' },
      /^Config error: config interval="often" is not a number of milliseconds from 10 to 2147483647: set it with interval=5000/,
    ],
    [{ broker: 'pi', role: 'hello', topicPrefix: 'class/#/' }, /^Config error: config topicPrefix="class\/#\/" cannot hold \+ or #/],
    [{ broker: 'mqtt://u:secret@pi:0', role: 'hello' }, /^Config error: broker "mqtt:\/\/u:\*\*\*@pi:0"/],
    [
      { broker: 'pi', role: 'hello', keepalive: 70000 },
      /^Config error: config keepalive="70000" is not a number of seconds from 0 to 65535: set it with keepalive=60/,
    ],
    [
      { broker: 'pi', role: 'hello', interval: 3000000000 },
      /^Config error: config interval="3000000000" is not a number of milliseconds from 10 to 2147483647/,
    ],
    [{ broker: 'pi', role: 'hello', inflight: -1 }, /^Config error: config inflight="-1" is not a whole number from 0 to 65535: set it with inflight=20/],
    [
      { broker: `mqtt://u:secret${'x'.repeat(70000)}@pi`, role: 'hello' },
      /^Config error: config broker: the password is longer than MQTT allows \(65535 bytes\) or not valid text$/,
    ],
  ];
  for (const [config, re] of cases) {
    test(JSON.stringify(config), () => {
      const b = board('bad', { ...config, interval: config.interval ?? 50 });
      assert.equal(b.board, null);
      assert.equal(b.lines.length, 1, b.lines.join('\n'));
      assert.match(b.lines[0], re);
      assert.ok(!b.lines[0].includes('secret'));
    });
  }
  test('a board with WiFi needs an ssid', () => {
    const b = board('bad', { broker: 'pi', role: 'hello' }, { wifi: new SimWiFi() });
    assert.equal(b.board, null);
    assert.match(b.lines[0], /^Config error: config ssid is missing: set it with ssid="MyWiFi" password="secret" on the mcconfig command line$/);
  });
});

test('broker values: host, host:port, mqtt:// with credentials', () => {
  assert.deepEqual(parseBroker('192.168.1.144'), { host: '192.168.1.144', port: 1883 });
  assert.deepEqual(parseBroker('raspberrypi.local:1884'), { host: 'raspberrypi.local', port: 1884 });
  assert.deepEqual(parseBroker('mqtt://student:p%40ss@10.0.0.2:1885/'), { host: '10.0.0.2', port: 1885, username: 'student', password: 'p@ss' });
  assert.deepEqual(parseBroker('mqtt://[::1]:1886'), { host: '::1', port: 1886 });
  for (const bad of ['', 'mqtt://', 'host:', 'host:abc', 'mqtt://h/topic', 'a b']) assert.throws(() => parseBroker(bad), { name: 'ConfigError' });
});

test("defaults are the seed's", () => {
  const c = readConfig({ broker: '192.168.1.144', role: 'hello', ssid: 'x' }, 'a4d18cdbc020', true);
  assert.equal(c.interval, 5000);
  assert.equal(c.clientId, 'a4d18cdbc020');
  assert.equal(c.topicPrefix, '');
  assert.equal(c.keepalive, 60);
  assert.equal(c.backoffMin, 1000);
  assert.equal(c.backoffMax, 30000);
  assert.equal(readConfig({ broker: 'pi', role: 'hello', topicPrefix: 'LycMaurois/SNT_2nde/alice' }, 'id', false).topicPrefix, 'LycMaurois/SNT_2nde/alice/');
});
