// A hidden tab stays online: the students' page connected to Mosquitto, then "hidden" for 75 s,
// 2.5 times Mosquitto's limit of 1.5 keepalives (30 s for the page's 20 s): no will fired, no
// reconnection. Chrome's intensive wake-up throttling of a hidden tab (its timers wake at most once
// a minute) is emulated in the page: from the moment it is hidden, the page's own setTimeout fires
// on the next whole minute, as Chrome's does, and document.visibilityState says 'hidden'. A
// dedicated Worker's timers are not throttled so, and are left alone. (A real hidden tab was tried
// first, in a headed chromium under Xvfb with throttling on: with no window manager, neither a
// second tab, nor window.open, nor minimizing the window made Chrome report the page hidden.)
// The same page with its own timers (?timers=page) is shown to drop: that is what the Worker fixes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { chromiumProfile, assertChromium, chromiumSkip } from '../helpers/browser.mjs';
import { startClassPages } from '../helpers/class-page.mjs';
import { mosquittoSkip, mosquittoSub, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT, sleep, until } from '../helpers/wait.mjs';

const HIDDEN_MS = Number(process.env.MQTT_PAIR_HIDDEN_MS) || 75_000;
const skip = chromiumSkip() || mosquittoSkip();

/** In the page, before its script: hiding it (window.__hide()) throttles the page's own timers as
 *  Chrome's intensive throttling does (a wake-up on each whole minute) and makes it say 'hidden'. */
function throttleWhenHidden() {
  const real = window.setTimeout.bind(window);
  let hidden = false;
  window.setTimeout = (fn, ms = 0, ...args) => {
    if (!hidden) return real(fn, ms, ...args);
    const wake = Math.ceil((Date.now() + ms) / 60_000) * 60_000;
    return real(fn, Math.max(0, wake - Date.now()), ...args);
  };
  window.__hide = () => {
    hidden = true;
    Object.defineProperty(document, 'visibilityState', { get: () => 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { get: () => true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  };
}

describe('a hidden tab stays online (chromium, Mosquitto)', () => {
  let broker, watch, browser, userDir;

  before(async () => {
    if (skip) return;
    assertChromium();
    broker = await startMosquitto({ listeners: [{ protocol: 'websockets' }] });
    watch = await startClassPages(broker);
    ({ context: browser, userDir } = await chromiumProfile({ viewport: { width: 1200, height: 800 } }));
    await browser.addInitScript(throttleWhenHidden);
  });

  after(async () => {
    await browser?.close();
    watch?.child.kill('SIGKILL');
    await broker?.stop();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  /** alice's page, connected, then hidden behind another tab for HIDDEN_MS: what the broker saw.
   *  `drops`: the page is expected to drop, and its will is waited for past the window (throttled
   *  to whole minutes, its pings can keep it up to about 80 s, by where the minutes fall). */
  async function hide(name, query = '', { drops = false } = {}) {
    const status = await mosquittoSub(broker.port, ['-t', `LycMaurois/SNT_2nde/${name}/status`]);
    const page = await browser.newPage();
    await page.goto(`${watch.url}?name=${name}&peer=bob${query}`);
    await page.waitForSelector('#status[data-state=ok]', { timeout: LIMIT });
    await until(() => status.lines.some((l) => l.endsWith(' online')), 'the page online on the broker');
    await page.evaluate(() => window.__hide());
    assert.equal(await page.evaluate(() => document.visibilityState), 'hidden');
    const t0 = Date.now();
    const seen = [];
    while (Date.now() - t0 < HIDDEN_MS) {
      await sleep(5000);
      seen.push(await page.evaluate(() => document.visibilityState));
    }
    if (drops) await until(() => status.lines.some((l) => l.endsWith(' offline')), `${name}'s will (offline)`, LIMIT);
    const log = broker.log();
    const connects = (log.match(new RegExp(`New client connected[^\\n]* as st-${name}`, 'g')) ?? []).length;
    const timeouts = (log.match(new RegExp(`Client st-${name}[^\\n]*(exceeded timeout|closed its connection)`, 'g')) ?? []).length;
    const result = {
      hidden: seen.every((v) => v === 'hidden'),
      connects,
      timeouts,
      status: status.lines.slice(),
    };
    status.stop();
    await page.close();
    return result;
  }

  test(`the students' page hidden for ${HIDDEN_MS / 1000} s: with the page's own timers it drops; with the Worker's, no will, no reconnection`, {
    skip,
    timeout: 2 * HIDDEN_MS + 4 * LIMIT,
  }, async () => {
    const [before, r] = await Promise.all([hide('paul', '&timers=page', { drops: true }), hide('alice')]);
    console.log(`with the page's own timers: ${JSON.stringify(before)}`);
    console.log(`with the Worker's timers: ${JSON.stringify(r)}`);
    assert.ok(before.status.includes('LycMaurois/SNT_2nde/paul/status offline'), "the page's own timers: its will fired (what the Worker fixes)");
    assert.ok(r.hidden, 'the page stayed hidden all along');
    assert.deepEqual(r.status, ['LycMaurois/SNT_2nde/alice/status online'], 'no will ("offline") fired');
    assert.equal(r.connects, 1, 'connected once, never again');
    assert.equal(r.timeouts, 0, 'the broker never dropped it');
  });
});
