// Debian's chromium driven by playwright-core (which downloads no browser), for the pages' tests:
// where it is, how it is started here, and why the tests skip without it (needs.mjs).
import { after, before } from 'node:test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, required } from './needs.mjs';
import { LIMIT } from './wait.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Headless, and nothing that reaches for the network: this machine reaches only 127.0.0.0/8. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let loaded = null;
try {
  loaded = await import('playwright-core');
} catch {
  /* said by chromiumSkip */
}
export const playwright = loaded;

/** For `skip`: false when chromium can run (always false when required, so a missing one fails). */
export function chromiumSkip() {
  if (required('Chromium')) return false;
  if (!existsSync(CHROMIUM)) return needs('Chromium', `chromium is not installed at ${CHROMIUM}`);
  if (!playwright) return 'playwright-core is not installed (npm ci)';
  return false;
}

/** Throws, saying what is missing, when chromium or playwright-core cannot run. */
export function assertChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is missing at ${CHROMIUM}: .ci/install installs it (apt-get install chromium)`);
  if (!playwright) throw new Error('playwright-core is missing: npm ci installs it');
}

/** Headless Chromium as the page tests start it, for contexts of their own; the caller closes it. */
export function launchChromium() {
  assertChromium();
  return playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: LIMIT });
}

/** For a describe: Chromium started before its tests and closed after them. Returns it, as a getter. */
export function chromiumAround() {
  let browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  return () => browser;
}

/**
 * Chromium with a profile of its own, as the page tests open it (a projector's 1280×800 unless
 * `viewport` says otherwise; `lang`, e.g. fr-FR, its language and locale): { context, userDir },
 * the profile's folder for the test to remove once the context is closed.
 */
export async function chromiumProfile({ lang, viewport = { width: 1280, height: 800 } } = {}) {
  assertChromium();
  const userDir = mkdtempSync(join(tmpdir(), 'mqtt-pair-chromium-'));
  const context = await playwright.chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: lang ? [...CHROMIUM_ARGS, `--lang=${lang}`] : CHROMIUM_ARGS,
    ...(lang && { locale: lang }),
    viewport,
    timeout: 120_000,
  });
  return { context, userDir };
}
