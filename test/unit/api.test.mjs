// The library's API is a list someone chose (hosts/node/index.ts), and the README says it: every
// name dist/index.js offers is in the README's table, the client's internals are not offered, and
// what only the tests use stays in dist/testing.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TYPE_NAMES } from '../helpers/virtual-host.mjs';
// As plain objects, looked up by name.
const api = { ...(await import('../../dist/index.js')) };
const testing = { ...(await import('../../dist/testing.js')) };

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('### What `dist/index.js` offers');
const section = readme.slice(start, readme.indexOf('\n## ', start));
/** Every name the section quotes: `MqttClient`, `CONNECT` … `DISCONNECT` (a range: the packet types). */
const documented = new Set([...section.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]));
/** The packet types' names (dist/index.js offers each as a constant). */
const PACKET_TYPES = TYPE_NAMES.filter((n) => !n.startsWith('reserved'));

test('every name dist/index.js offers is in the README', () => {
  assert.ok(start > 0, "the README's section on dist/index.js");
  const undocumented = Object.keys(api).filter((n) => !documented.has(n) && !(PACKET_TYPES.includes(n) && documented.has('CONNECT')));
  assert.deepEqual(undocumented, []);
});

test('the packet types are the codec’s, in order', () => {
  assert.deepEqual(
    PACKET_TYPES.map((n) => api[n]),
    PACKET_TYPES.map((_, i) => i + 1),
  );
});

test("the client's internals are marked, not offered as functions of their own", () => {
  for (const n of ['link', 'linkOpened', 'linkBroken', 'linkLost', 'skip', 'heard', 'receive', 'fire', 'Link']) assert.equal(api[n], undefined, n);
  const source = readFileSync(new URL('../../src/mqtt/client.ts', import.meta.url), 'utf8');
  for (const m of ['linkOpened', 'linkBroken', 'linkLost', 'skip', 'heard', 'receive', 'fire']) {
    const at = source.search(new RegExp(`\\n  ${m}\\(`));
    assert.ok(at > 0, m);
    assert.match(source.slice(source.lastIndexOf('/**', at), at), /@internal/, `${m} is marked @internal`);
  }
});

test('what only the tests use is in dist/testing.js, not in dist/index.js', () => {
  for (const n of ['Setup', 'answer', 'parseForm', 'splitUrl', 'encodeFrame', 'startEmbeddedBroker', 'lookOf', 'ClassObserver', 'parseBrokerUrl']) {
    assert.equal(api[n], undefined, n);
    assert.equal(typeof testing[n], 'function', n);
  }
});
