// The students' page in French (a French browser): a wrong password says « Connexion impossible »
// and why in French words (from the CONNACK code, never the broker's English reason), the form
// stays editable while the page retries, and the right password then connects.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startClassPages } from '../helpers/class-page.mjs';
import { mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, assertChromium, chromiumSkip, playwright } from '../helpers/browser.mjs';
import { until } from '../helpers/wait.mjs';

const skip = mosquittoSkip() || chromiumSkip();

describe("the students' page in French, against a broker with a password", { skip }, () => {
  let browser, broker, watch;
  before(async () => {
    assertChromium();
    broker = await startMosquitto({ users: { classe: 'lemotdepasse' }, listeners: [{ protocol: 'websockets' }] });
    watch = await startClassPages(broker, { args: ['-u', 'classe', '-P', 'lemotdepasse'] });
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 120_000 });
  });
  after(async () => {
    await browser?.close();
    if (watch) await watch.stop();
    await broker?.stop();
  });

  test('a wrong password: « Connexion impossible », in French words, the form editable; then the right one connects', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.goto(`${watch.url}?name=alice&peer=bob&wait`);
      await page.fill('#user', 'classe');
      await page.fill('#password', 'faux');
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
      const status = await until(async () => {
        const s = await page.textContent('#status');
        return /^Connexion impossible/.test(s) && s;
      }, 'the refusal on the page');
      assert.match(status, /^Connexion impossible : le broker refuse ce compte : vérifie l’utilisateur et le mot de passe \(nouvel essai dans \d+ s\)$/);
      assert.doesNotMatch(status, /not authorized|refused|Connexion perdue/);
      // While it retries, the student can mend the password.
      assert.equal(await page.isDisabled('#password'), false);
      assert.equal(await page.textContent('#join'), 'Se connecter');
      await page.fill('#password', 'lemotdepasse');
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
      await until(async () => /^Connecté à /.test(await page.textContent('#status')), 'the connection with the right password');
      assert.equal(await page.isDisabled('#password'), true);
      assert.equal(await page.textContent('#join'), 'Se déconnecter');
    } finally {
      await context.close();
    }
  });

  test("the chat with times, the topics said in words, the actuator's colour in French", async () => {
    const contexts = [];
    try {
      const open = async (name, peer) => {
        const context = await browser.newContext({ locale: 'fr-FR' });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${watch.url}?name=${name}&peer=${peer}&wait`);
        await page.fill('#user', 'classe');
        await page.fill('#password', 'lemotdepasse');
        await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
        await until(async () => /^Connecté à /.test(await page.textContent('#status')), `${name} connected`);
        return page;
      };
      const alice = await open('alice', 'bob');
      const bob = await open('bob', 'alice');
      assert.equal(await alice.textContent('#chat-topics'), 'J’écris sur LycMaurois/SNT_2nde/alice · je lis LycMaurois/SNT_2nde/bob');
      await alice.fill('#chat-input', 'Bonjour Bob');
      await alice.press('#chat-input', 'Enter');
      const line = await until(
        () =>
          bob.$$eval(
            '#chat-lines li.theirs',
            (lis) =>
              lis.map((li) => [li.querySelector('.time')?.textContent, li.querySelector('.who')?.textContent, li.querySelector('.text')?.textContent])[0],
          ),
        "alice's line at bob's",
      );
      assert.match(line[0], /^\d\d:\d\d:\d\d$/, 'the time of the line');
      assert.deepEqual(line.slice(1), ['alice', 'Bonjour Bob']);
      await alice.getByRole('tab', { name: 'Capteur / actionneur' }).click();
      await bob.getByRole('tab', { name: 'Capteur / actionneur' }).click();
      await alice.keyboard.press('ArrowUp');
      await until(async () => (await bob.textContent('#block-label')) === 'vert', "bob's block named « vert »");
      if (process.env.MQTT_PAIR_SCREENSHOTS) await bob.screenshot({ path: `${process.env.MQTT_PAIR_SCREENSHOTS}/student-fr.png` });
      // The lab's topic fields show their topics whole.
      await alice.getByRole('tab', { name: 'Laboratoire' }).click();
      for (const id of ['will-topic', 'pub-topic', 'sub-filter']) {
        const f = await alice.$eval(`#${id}`, (e) => ({ value: e.value, scroll: e.scrollWidth, client: e.clientWidth }));
        assert.ok(f.value.startsWith('LycMaurois/SNT_2nde/'), `${id}: ${f.value}`);
        assert.ok(f.scroll <= f.client, `#${id} cuts « ${f.value} » (${f.scroll} > ${f.client} px)`);
      }
      if (process.env.MQTT_PAIR_SCREENSHOTS) await alice.screenshot({ path: `${process.env.MQTT_PAIR_SCREENSHOTS}/student-fr-lab.png` });
    } finally {
      for (const c of contexts) await c.close();
    }
  });

  test('on a 390 px phone the form folds to its button once connected', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${watch.url}?name=alice&peer=bob&wait`);
      assert.equal(await page.isVisible('#me'), true);
      await page.fill('#user', 'classe');
      await page.fill('#password', 'lemotdepasse');
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
      await until(async () => /^Connecté à /.test(await page.textContent('#status')), 'connected');
      await until(async () => !(await page.isVisible('#me')), 'the fields folded');
      assert.equal(await page.isVisible('#password'), false);
      assert.equal(await page.isVisible('#join'), true);
      const form = await page.$eval('#who', (f) => f.getBoundingClientRect().height);
      assert.ok(form < 80, `the folded form is ${form} px high`);
      if (process.env.MQTT_PAIR_SCREENSHOTS) await page.screenshot({ path: `${process.env.MQTT_PAIR_SCREENSHOTS}/student-fr-phone.png` });
      await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
      await until(() => page.isVisible('#me'), 'the fields back after leaving');
    } finally {
      await context.close();
    }
  });

  test('a second page named « léa » while « Léa » is online is warned before it goes online; a second click keeps the name', async () => {
    const contexts = [];
    try {
      const open = async (name) => {
        const context = await browser.newContext({ locale: 'fr-FR' });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${watch.url}?name=${encodeURIComponent(name)}&peer=yann&wait`);
        await page.fill('#user', 'classe');
        await page.fill('#password', 'lemotdepasse');
        await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
        return page;
      };
      const first = await open('Léa');
      await until(async () => /^Connecté à /.test(await first.textContent('#status')), 'Léa connected');
      const second = await open('lea');
      const status = await until(async () => {
        const s = await second.textContent('#status');
        return /déjà connecté/.test(s) && s;
      }, 'the warning');
      // Found by its status topic, which holds names in lower case (names compared without case).
      assert.match(status, /^«\sléa\s» est déjà connecté dans cette classe \(un autre onglet, ou un autre élève du même prénom\)/);
      assert.equal(await second.isDisabled('#me'), false, 'the name can be changed');
      // The first page is still online: the second did not overwrite its status.
      await until(async () => /^Connecté à /.test(await first.textContent('#status')), 'Léa still connected');
      await second.getByRole('button', { name: 'Se connecter', exact: true }).click();
      await until(async () => /^Connecté à /.test(await second.textContent('#status')), 'lea connected on the second click');
      // A name no one uses connects at once.
      const third = await open('Zoé');
      await until(async () => /^Connecté à /.test(await third.textContent('#status')), 'Zoé connected');
    } finally {
      for (const c of contexts) await c.close();
    }
  });

  test('no broker at the address: « Connexion impossible : aucun broker MQTT ne répond à … »', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.goto(`${watch.url}?name=alice&peer=bob&wait`);
      await page.fill('#broker', `ws://127.0.0.1:${broker.port}`); // the MQTT port: no WebSocket there
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
      const status = await until(async () => {
        const s = await page.textContent('#status');
        return /^Connexion impossible/.test(s) && s;
      }, 'the failure on the page');
      assert.match(status, /^Connexion impossible : /);
      assert.doesNotMatch(status, /no MQTT broker|refused the connection/);
    } finally {
      await context.close();
    }
  });
});
