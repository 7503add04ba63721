// A large retained message under the class, through Mosquitto 2.0.11's WebSocket listener, which
// sends about 40 KB a second (4 KB every pass of its 100 ms loop, however idle the machine: see
// docs/performance.md). The PINGRESP waits behind the message; the client counts the bytes that
// arrive as signs of life (and the browser, which sees a message only whole, probes the broker), so
// neither `sub -L ws://` nor the students' lab is cut off, and the messages after it arrive.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MqttClient, nodeHost } from '../../dist/index.js';
import { mqttPair } from '../helpers/child.mjs';
import { startClassPages } from '../helpers/class-page.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const PREFIX = 'LycMaurois/SNT_2nde/';

/** A client on the broker's TCP port, connected. */
async function publisher(port, id) {
  const c = new MqttClient(nodeHost({ log: () => {} }), { host: '127.0.0.1', port }, { clientId: id, queue: { messages: 100, bytes: 1 << 24 } });
  await new Promise((resolve, reject) => {
    c.onConnect = resolve;
    c.onClose = (r) => reject(new Error(r));
    c.connect();
  });
  c.onClose = () => {};
  return c;
}
const published = (c, topic, payload, opts) => new Promise((resolve, reject) => c.publish(topic, payload, opts, (e) => (e ? reject(e) : resolve())));

describe("a large retained message through Mosquitto's WebSocket", { skip: mosquittoSkip() }, () => {
  let broker, pub;
  before(async () => {
    broker = await startMosquitto({ listeners: [{ protocol: 'websockets' }] });
    pub = await publisher(broker.port, `big-pub-${process.pid}`);
  });
  after(async () => {
    pub?.end();
    await broker?.stop();
  });

  test('sub -L ws://…/# -k 5: a 600 KB retained message and the next one arrive; the link holds', async (t) => {
    await published(pub, 'big/photo', new Uint8Array(600_000).fill(65), { qos: 1, retain: true });
    const t0 = Date.now();
    // -d: its packets on stdout, to know when the subscription is in place (then the next message).
    const sub = mqttPair(['sub', '-L', `ws://127.0.0.1:${broker.ports[0]}/mqtt/big/#`, '-k', '5', '-F', '%t %l', '-d']);
    try {
      await sub.waitFor('stdout', /received SUBACK/);
      await published(pub, 'big/after', 'the next one', { qos: 1 });
      await sub.waitFor('stdout', /^big\/photo 600000\n(?:Client .*\n)*big\/after 12\n/m);
      t.diagnostic(`600 KB over Mosquitto's WebSocket, keepalive 5 s: both messages after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await sub.stop();
    }
    assert.doesNotMatch(sub.text.stderr, /lost the connection|PINGRESP/);
    assert.match(sub.text.stdout, /sending PINGREQ[\s\S]*sending PINGREQ/, 'PINGREQs went on while the message came');
  });

  test("the students' lab subscribed to the class: a 2 MB retained message is skipped, the link holds, 8 later messages arrive", {
    skip: chromiumSkip(),
  }, async (t) => {
    await published(pub, `${PREFIX}mallory/photo`, new Uint8Array(2_000_000).fill(66), { qos: 1, retain: true });
    const watch = await startClassPages(broker, { duration: 600 });
    const url = watch.url;
    const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
      await page.goto(`${url}?name=zoe&peer=yann`);
      await page.waitForSelector('#status[data-state=ok]', { timeout: LIMIT });
      await page.getByRole('tab', { name: 'Lab' }).click();
      await page.fill('#sub-filter', `${PREFIX}#`);
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
      await until(async () => /Subscribed to LycMaurois\/SNT_2nde\/#/.test(await page.textContent('#lab-log')), 'the SUBACK');
      for (let i = 1; i <= 8; i++) await published(pub, `${PREFIX}alice/lab`, `after #${i}`, { qos: 1 });
      const rows = async () => page.$$eval('#lab-rows tr', (trs) => trs.map((tr) => tr.children[4].textContent));
      await until(async () => (await rows()).filter((r) => r.startsWith('after #')).length === 8, 'the 8 later messages in the lab');
      const seconds = (Date.now() - t0) / 1000;
      const log = await page.textContent('#lab-log');
      t.diagnostic(`2 MB retained over Mosquitto's WebSocket: the 8 later messages in the lab after ${seconds.toFixed(1)} s`);
      assert.match(log, /message on LycMaurois\/SNT_2nde\/mallory\/photo of 2,000,0\d\d bytes skipped: above the 1 MB limit/);
      assert.doesNotMatch(log, /Connection lost/);
      assert.equal(await page.getAttribute('#status', 'data-state'), 'ok', 'the chat connection is up too');
      assert.deepEqual(
        (await rows()).filter((r) => r.startsWith('after #')),
        Array.from({ length: 8 }, (_, i) => `after #${i + 1}`),
      );
    } finally {
      await browser.close();
      await watch.stop();
      await published(pub, `${PREFIX}mallory/photo`, '', { qos: 1, retain: true });
    }
  });
});
