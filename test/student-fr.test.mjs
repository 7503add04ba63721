// The students' page in French (a French browser): a wrong password says « Connexion impossible »
// and why in French words (from the CONNACK code, never the broker's English reason), the form
// stays editable while the page retries, and the right password then connects.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mqttPair } from './helpers/child.mjs';
import { mosquittoSkip, startMosquitto } from './helpers/mosquitto.mjs';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, assertChromium, chromiumSkip, playwright } from './helpers/browser.mjs';
import { LIMIT, until } from './helpers/wait.mjs';

const skip = mosquittoSkip() || chromiumSkip();

describe("the students' page in French, against a broker with a password", { skip }, () => {
  let browser, broker, watch;
  before(async () => {
    assertChromium();
    broker = await startMosquitto({ users: { classe: 'lemotdepasse' }, listeners: [{ protocol: 'websockets' }] });
    const run = mqttPair([
      'watch',
      '--broker',
      `127.0.0.1:${broker.port}`,
      '-u',
      'classe',
      '-P',
      'lemotdepasse',
      '--web',
      '0',
      '--school',
      'LycMaurois',
      '--class',
      'SNT_2nde',
      '--student-broker',
      `ws://127.0.0.1:${broker.ports[0]}`,
      '--duration',
      String((5 * LIMIT) / 1000),
    ]);
    const m = await run.waitFor('stdout', /Students' page: (http:\/\/\S+\/student)/);
    watch = { ...run, url: m[1] };
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
