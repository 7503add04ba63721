// The firmware's TLS (mqtts://) and WebSocket (ws://, wss://) connections as users meet them: the
// project's manifest.json built with the real Moddable SDK and run in Moddable's simulator (mcsim),
// against a private Mosquitto with a TLS, a WebSocket and a WebSocket-over-TLS listener on
// 127.0.0.1. (Apart from test/firmware/mcsim.test.mjs so that the two run side by side.)
//
// Without the SDK (MODDABLE unset) these tests skip and say why; with REQUIRE_MODDABLE=1 (CI,
// .ci/run) they fail instead.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFirmware, moddableSkip, scope, startMcsim, stopBoards } from '../helpers/moddable.mjs';
import { freePort, mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { makeCertificates } from '../helpers/certs.mjs';
import { assertLines, helloLines, responderLines } from '../helpers/board-lines.mjs';
import { sleep } from '../helpers/wait.mjs';

const skip = moddableSkip() || mosquittoSkip();

describe("TLS and WebSocket in Moddable's simulator (mcsim)", { skip }, () => {
  let certs, secure, resources;
  before(async () => {
    certs = makeCertificates();
    // Moddable's TLS checks the broker's name only in a chain of two or more certificates, so
    // the broker sends its own and its CA's (docs/flashing.md, "TLS and WebSocket brokers").
    const chain = join(certs.dir, 'server-chain.pem');
    writeFileSync(chain, readFileSync(certs.server.cert, 'utf8') + readFileSync(certs.ca, 'utf8'));
    const tls = { certfile: chain, keyfile: certs.server.key };
    secure = await startMosquitto({ listeners: [tls, { protocol: 'websockets' }, { protocol: 'websockets', ...tls }] });
    resources = { 'ca.der': certs.caDer, 'other.der': certs.otherCa.replace(/\.pem$/, '.der') };
  });
  after(async () => {
    await secure?.stop();
    certs?.remove();
  });

  for (const [label, url, extra] of [
    ['mqtts://', (p) => `mqtts://127.0.0.1:${p[0]}`, { ca: 'ca.der' }],
    ['ws://', (p) => `ws://127.0.0.1:${p[1]}`, {}],
    ['wss://', (p) => `wss://127.0.0.1:${p[2]}`, { ca: 'ca.der' }],
  ]) {
    test(`${label}: 20 hellos and 20 replies`, async (t) => {
      const keep = scope(t);
      const broker = url(secure.ports);
      const esp2 = keep(await startMcsim(await buildFirmware({ broker, role: 'responder', ...extra }, { resources }), 'esp2'));
      await esp2.waitFor(/^Connected to /);
      const esp1 = keep(await startMcsim(await buildFirmware({ broker, role: 'hello', interval: 250, ...extra }, { resources }), 'esp1'));
      await esp1.waitFor(/^ESP received hello message$/, { nth: 20 });
      await esp2.waitFor(/^Received hello: Hello #19$/);
      await stopBoards(esp1, esp2);
      const shown = broker + (label.startsWith('ws') ? '/mqtt' : '');
      assertLines(esp1.lines, helloLines(shown, 20), 'esp1');
      assertLines(esp2.lines, responderLines(shown, 20), 'esp2');
    });
  }

  test('mqtts:// with the wrong CA: the documented line', async (t) => {
    const keep = scope(t);
    const port = secure.ports[0];
    const esp1 = keep(await startMcsim(await buildFirmware({ broker: `mqtts://127.0.0.1:${port}`, ca: 'other.der', role: 'hello' }, { resources }), 'esp1'));
    await esp1.waitFor(
      new RegExp(
        `^Failed to connect to MQTT broker: TLS handshake with 127\\.0\\.0\\.1:${port} failed: check that ca=other\\.der signed the broker's certificate`,
      ),
    );
    await stopBoards(esp1);
    assert.equal(esp1.count(/^Connected to /), 0);
  });

  test('mqtts:// to a port where nothing listens, and ws:// to a plain MQTT port: each said as such', async (t) => {
    const keep = scope(t);
    const dead = await freePort();
    const tls = keep(
      await startMcsim(await buildFirmware({ broker: `mqtts://127.0.0.1:${dead}`, ca: 'ca.der', role: 'hello', backoffMax: 2000 }, { resources }), 'tls'),
    );
    const ws = keep(await startMcsim(await buildFirmware({ broker: `ws://127.0.0.1:${secure.port}`, role: 'hello', backoffMax: 2000 }, { resources }), 'ws'));
    await tls.waitFor(new RegExp(`^Failed to connect to MQTT broker: no MQTT broker at 127\\.0\\.0\\.1:${dead} \\(connection refused`));
    await ws.waitFor(
      new RegExp(
        `^Failed to connect to MQTT broker: WebSocket: ws://127\\.0\\.0\\.1:${secure.port}/mqtt refused the upgrade to WebSocket \\(check the port and the path\\)\\. Reconnecting in`,
      ),
    );
    await stopBoards(tls, ws);
  });

  test('mqtts:// without ca, with a ca the firmware lacks, or with a PEM file: the one Config error line', async (t) => {
    const keep = scope(t);
    const broker = `mqtts://127.0.0.1:${secure.ports[0]}`;
    const how =
      'copy it in DER form into hosts/moddable/certs/ (openssl x509 -in ca.crt -outform der -out hosts/moddable/certs/ca.der), then flash with ca=ca.der on the mcconfig command line';
    for (const [extra, line] of [
      [{}, `Config error: config ca is missing: broker=mqtts://… needs the CA certificate that signed the broker's: ${how}`],
      [{ ca: 'nothere.der' }, `Config error: config ca="nothere.der" is not in the firmware: ${how}`],
      [
        { ca: 'ca.pem' },
        'Config error: config ca="ca.pem" is a PEM file, and the board reads DER: convert it with openssl x509 -in ca.pem -outform der -out hosts/moddable/certs/ca.der, then ca=ca.der',
      ],
    ]) {
      const esp = keep(await startMcsim(await buildFirmware({ broker, role: 'hello', ...extra }, { resources: { ...resources, 'ca.pem': certs.ca } }), 'esp'));
      await esp.waitFor(/^Config error: /);
      await sleep(1500);
      await stopBoards(esp);
      assert.deepEqual(esp.lines, [line]);
    }
  });
});
