// The board builds, as far as they go without the chips' C toolchains (ESP-IDF's and the
// ESP8266's): with the contributor's own Moddable SDK, mcconfig resolves manifest.json for the
// platform, xsc compiles every module and xsl links them, the step where a module missing on that
// platform fails (`module "wifi" not found`), as it would for a teacher with ESP-IDF
// (test/helpers/link-check.mjs). Every role is in the same bundle, so one role a platform checks
// them all. Without MODDABLE these skip, named in the suite's closing line.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { linkCheck } from '../helpers/link-check.mjs';
import { moddableSkip, sdkOrThrow } from '../helpers/moddable.mjs';

describe('board builds link (mcconfig, xsc and xsl with an installed Moddable SDK)', { skip: moddableSkip() }, () => {
  // usb: the USE_USB chip.c is compiled with, as hosts/moddable/native/usb.json passes the target's
  // (2 USB-Serial-JTAG, 1 TinyUSB CDC; "undefined", mcmanifest.js's word for a target without one,
  // is UART 0), with usb_serial_jtag.h's folder and TinyUSB's (the managed components of the
  // build's ESP-IDF project); null for the ESP8266, which has only UART 0.
  for (const [platform, role, usb] of [
    ['esp32', 'hello', 'undefined'],
    ['esp32/esp32c3', 'responder', 'undefined'],
    ['esp32/esp32c3_cdc', 'sensor', '2'],
    ['esp32/esp32s3', 'chat', 'undefined'],
    ['esp32/esp32s3_cdc', 'hello', '2'],
    ['esp32/esp32s3_usb', 'sensor', '1'],
    ['esp32/lolin_s2mini', 'chat', '1'],
    ['esp32/esp32c6', 'responder', 'undefined'],
    ['esp', 'sensor', null],
  ]) {
    test(`${platform} (role=${role})`, () => {
      const { moddable } = sdkOrThrow();
      const r = linkCheck(platform, { ssid: 'classroom', password: 'secret', broker: '192.168.1.144', role }, { moddable, idfPath: '/opt/esp-idf' });
      assert.ok(r.ok, r.output);
      assert.match(r.output, new RegExp(`^link-check ${platform.replace('/', '\\/')}: xsc and xsl succeeded \\(\\d+ modules\\)$`, 'm'));
      assert.ok(r.modules > 20, `${r.modules} modules`);
      if (usb === null) assert.doesNotMatch(r.cFlags, /USE_USB|mxMetering/);
      else {
        // The esp32 family runs programs: XS is built with its meter (mxMetering), which stops a runaway one.
        const [meter, define, jtag, ...tinyusb] = r.cFlags.split(/\s+/);
        assert.deepEqual([meter, define, jtag], ['-DmxMetering=1', `-DUSE_USB=${usb}`, '-I/opt/esp-idf/components/esp_driver_usb_serial_jtag/include']);
        assert.deepEqual(
          tinyusb.map((flag) => flag.replace(/^-I.*\/xsProj-[^/]*\//, '')),
          ['managed_components/espressif__esp_tinyusb/include', 'managed_components/espressif__tinyusb/src'],
        );
      }
    });
  }
});
