// The board builds, as far as they go without the chips' toolchains (ESP-IDF and the ESP8266's
// cannot be installed here): link-check.sh runs mcconfig for the platform, xsc on every module and
// xsl on the whole, the step where a module missing on that platform fails (`module "wifi" not
// found`), as it would for a teacher with ESP-IDF. Every role is in the same bundle, so one role
// a platform checks them all.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { linkCheck, linkCheckScript, moddableSkip } from './helpers/moddable.mjs';

const skip =
  moddableSkip() ||
  (!linkCheckScript() &&
    process.env.REQUIRE_MODDABLE !== '1' &&
    'needs the Moddable SDK: link-check.sh, kept beside the SDK, is not found (set MODDABLE_LINK_CHECK)');

describe('board builds link (xsc and xsl, the SDK 8.2.3 manifests)', { skip }, () => {
  for (const [platform, role] of [
    ['esp32', 'hello'],
    ['esp32/esp32c3', 'responder'],
    ['esp', 'sensor'],
  ]) {
    test(`${platform} (role=${role})`, () => {
      const r = linkCheck(platform, { ssid: 'classroom', password: 'secret', broker: '192.168.1.144', role });
      assert.ok(r.ok, r.output);
      assert.match(r.output, new RegExp(`^link-check ${platform.replace('/', '\\/')}: xsc and xsl succeeded \\(\\d+ modules\\)$`, 'm'));
    });
  }
});
