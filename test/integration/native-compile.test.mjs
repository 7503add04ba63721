// The boards' C (hosts/moddable/native/chip.c) compiled on this machine: no chip's toolchain is
// here, so the host's `cc` compiles it once for each chip family's #if branch against
// test/fixtures/native-decls/, our own declarations of exactly the XS, Moddable SDK, ESP-IDF v6.0
// and esp_tinyusb functions it calls (each naming the real header). A misspelt call, a missing
// #include, a wrong argument count or a wrong pointer type fails here, with -Wall -Werror, as it
// would fail a teacher's board build. What it cannot see: whether the real headers still say what
// ours say (the board-link check and a real build do).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needs, required } from '../helpers/needs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const chip = join(root, 'hosts', 'moddable', 'native', 'chip.c');
const decls = join(root, 'test', 'fixtures', 'native-decls');

const hasCc = spawnSync('cc', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = hasCc ? false : required('a C compiler') ? false : needs('a C compiler', 'cc (build-essential)');

/**
 * The flags the Moddable SDK's make.esp32.mk and make.esp.mk give a module's C (C_DEFINES: ESP32
 * is the chip, 1 to 6; __ets__ is defined for both platforms), plus the build's own.
 */
const BRANCHES = [
  ['esp32, UART 0 (DevKitC: CP2102 or CH340)', ['-DESP32=1', '-D__ets__', '-DUSE_USB=0']],
  ['esp32/esp32s3, UART 0 (S3 DevKitC, "COM" port)', ['-DESP32=3', '-D__ets__', '-DUSE_USB=0']],
  ['esp32/esp32s3_cdc, USB-Serial-JTAG (S3 DevKitC, "USB" port)', ['-DESP32=3', '-D__ets__', '-DUSE_USB=2']],
  ['esp32/esp32s3_usb, TinyUSB CDC on USB-OTG', ['-DESP32=3', '-D__ets__', '-DUSE_USB=1']],
  ['esp32/lolin_s2mini, TinyUSB CDC on USB-OTG (ESP32-S2)', ['-DESP32=2', '-D__ets__', '-DUSE_USB=1']],
  ['esp32/esp32s3_usb, debug build (debugger_tinyusb.c owns the CDC)', ['-DESP32=3', '-D__ets__', '-DUSE_USB=1', '-DmxDebug=1']],
  ['esp32/esp32c3, UART 0', ['-DESP32=4', '-D__ets__', '-DUSE_USB=0']],
  ['esp32/esp32c3_cdc, USB-Serial-JTAG (C3 SuperMini)', ['-DESP32=4', '-D__ets__', '-DUSE_USB=2']],
  ['esp32/esp32c6, UART 0 (no USE_USB: mcmanifest.js writes "undefined")', ['-DESP32=5', '-D__ets__', '-DUSE_USB=undefined']],
  ['esp32/esp32c6, UART 0 (no USE_USB at all)', ['-DESP32=5', '-D__ets__']],
  ['esp32/esp32c6_cdc, USB-Serial-JTAG', ['-DESP32=5', '-D__ets__', '-DUSE_USB=2']],
  ['esp32/esp32h2_cdc, USB-Serial-JTAG', ['-DESP32=6', '-D__ets__', '-DUSE_USB=2']],
  ["esp32/esp32c3, debug build (the port is xsbug's)", ['-DESP32=4', '-D__ets__', '-DUSE_USB=2', '-DmxDebug=1']],
  ['esp32, instrumented build', ['-DESP32=1', '-D__ets__', '-DmxInstrument=1']],
  ['esp (ESP8266), UART 0 (Wemos D1 mini)', ['-D__ets__']],
  ['esp (ESP8266), debug build', ['-D__ets__', '-DmxDebug=1']],
];

/** Our declarations come last: -I given in `defines` (ESP-IDF's own headers) are searched first. */
const FLAGS = [
  '-fsyntax-only',
  '-std=gnu17',
  '-Wall',
  '-Wextra',
  '-Wno-unused-parameter',
  '-Werror',
  '-Werror=implicit-function-declaration',
  '-Werror=int-conversion',
  '-Werror=incompatible-pointer-types',
];

/** cc on chip.c (or `source` given on stdin) with these defines: { ok, output }. */
function compile(defines, source) {
  const args = [...FLAGS, ...defines, `-I${decls}`, source === undefined ? chip : '-x', ...(source === undefined ? [] : ['c', '-'])];
  const r = spawnSync('cc', args, { encoding: 'utf8', input: source, timeout: 120_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

describe('hosts/moddable/native/chip.c compiles for every chip branch (cc -Wall -Werror, our declarations)', { skip }, () => {
  for (const [name, defines] of BRANCHES) {
    test(name, () => {
      const r = compile(defines);
      assert.ok(r.ok, r.output);
      assert.equal(r.output, '', 'no warning either');
    });
  }

  test('USE_USB 1 on a chip without USB-OTG (ESP32, ESP32-C3) stops the build with one line', () => {
    for (const chipId of ['1', '4']) {
      const r = compile([`-DESP32=${chipId}`, '-D__ets__', '-DUSE_USB=1']);
      assert.equal(r.ok, false);
      assert.match(r.output, /#error "USE_USB 1: only the ESP32-S2 and the ESP32-S3 have USB-OTG for TinyUSB"/);
    }
  });

  test('USE_USB 2 on a chip without USB-Serial-JTAG (ESP32, ESP32-S2) stops the build with one line', () => {
    for (const chipId of ['1', '2']) {
      const r = compile([`-DESP32=${chipId}`, '-D__ets__', '-DUSE_USB=2']);
      assert.equal(r.ok, false);
      assert.match(r.output, /#error "USE_USB 2: the ESP32 and the ESP32-S2 have no USB-Serial-JTAG"/);
    }
  });

  // With ESP-IDF (IDF_PATH, v6.0) the headers of ours that it has are swapped for its own: what
  // ours say is checked against theirs. sdkconfig.h is the build's: an empty one stands in.
  const idf = process.env.IDF_PATH;
  test("with IDF_PATH: the USB-Serial-JTAG branches against ESP-IDF's own esp_err.h and usb_serial_jtag.h", {
    skip: !idf && 'IDF_PATH is not set (ESP-IDF v6.0)',
  }, () => {
    const config = mkdtempSync(join(tmpdir(), 'sdkconfig-'));
    try {
      writeFileSync(join(config, 'sdkconfig.h'), '/* the build writes it; none of its settings is read here */\n');
      const real = ['esp_common/include', 'esp_driver_usb_serial_jtag/include'].map((d) => `-I${join(idf, 'components', d)}`);
      for (const chipId of ['3', '4', '5']) {
        const r = compile([...real, `-I${config}`, `-DESP32=${chipId}`, '-D__ets__', '-DUSE_USB=2']);
        assert.ok(r.ok, r.output);
      }
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  // The check itself: the same source with one call broken must fail, else the declarations are
  // too loose to catch anything.
  test('a wrong argument count, a misspelt call or a missing #include fails', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(chip, 'utf8');
    const broken = [
      ['-DUSE_USB=0', 'uart_write_bytes(UART_NUM_0, bytes, length);', 'uart_write_bytes(UART_NUM_0, bytes);'],
      ['-DUSE_USB=2', 'usb_serial_jtag_write_bytes(bytes, length, 0);', 'usb_serial_jtag_write_byte(bytes, length, 0);'],
      ['-DUSE_USB=2', '#include "driver/usb_serial_jtag.h"', ''],
      ['-DUSE_USB=1', 'tinyusb_cdcacm_write_flush(TINYUSB_CDC_ACM_0, 0);', 'tinyusb_cdcacm_write_flush(0);'],
      [
        '-DUSE_USB=1',
        'tinyusb_cdcacm_read(TINYUSB_CDC_ACM_0, buffer, (size_t)size, &count)',
        'tinyusb_cdcacm_read(TINYUSB_CDC_ACM_0, buffer, (size_t)size, count)',
      ],
      ['-DUSE_USB=1', '#define CFG_TUSB_MCU OPT_MCU_ESP32S3', ''],
      ['-DUSE_USB=0', 'xsmcSetString(xsResult, "ESP32-S3");', 'xsmcSetString("ESP32-S3");'],
    ];
    for (const [usb, from, to] of broken) {
      assert.ok(text.includes(from), `chip.c no longer has: ${from}`);
      const r = compile(['-DESP32=3', '-D__ets__', usb, `-iquote${dirname(chip)}`], text.replace(from, to));
      assert.equal(r.ok, false, `still compiles with ${to || `no ${from}`}`);
    }
    const esp8266 = compile(['-D__ets__'], text.replace('ESP_put((uint8_t *)bytes, (int)length);', 'ESP_put((uint8_t *)bytes);'));
    assert.equal(esp8266.ok, false, 'ESP_put with one argument compiles');
  });
});
