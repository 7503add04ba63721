// `mqtt-pair image`: the flash plan read from the build's own files, on build folders shaped as
// mcconfig and ESP-IDF v6.0 write them (test/fixtures/image/README.md names the sources: ESP-IDF's
// components/esptool_py/flasher_args.json.in, Moddable's tools/mcconfig/make.esp*.mk), and the
// command's output: the binaries, ESP Web Tools' manifest, the esptool.py line, one line for a
// missing build.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { assertOneLineError, mqttPair } from '../helpers/child.mjs';

import { planFromFlasherArgs, chipFamily, writeFlashLine, webToolsManifest, serialTypeOf, makeVariables, esp8266Plan } from '../../dist/testing.js';
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures', 'image');
const out = join(fixtures, 'mcconfig-out');
const work = mkdtempSync(join(tmpdir(), 'image-test-'));
after(() => rmSync(work, { recursive: true, force: true }));
/** The CLI with more environment: { code, signal, stdout, stderr }. */
const cli = (args, env) =>
  new Promise((resolve) =>
    execFile(process.execPath, [join(here, '../../tools/mqtt-pair.cjs'), ...args], { env: { ...process.env, ...env } }, (e, stdout, stderr) =>
      resolve({ code: e ? (e.code ?? 1) : 0, signal: e?.signal ?? null, stdout, stderr }),
    ),
  );
const esp32Args = readFileSync(join(out, 'tmp/esp32/release/mqtt-pair/xsProj-esp32/build/flasher_args.json'), 'utf8');

// ESP-IDF 5.x's flasher_args.json for the same build (its template spells esptool v4's options):
// still read, and its esptool line keeps v4's words.
const esp32Args5 = esp32Args
  .replace(/"--flash-(mode|size|freq)"/g, '"--flash_$1"')
  .replace('"hard-reset"', '"hard_reset"')
  .replace('"default-reset"', '"default_reset"');

/** A flash plan's chip, esptool's arguments and its parts, file by offset (in offset order). */
function assertPlan(plan, chip, flashArgs, parts) {
  assert.equal(plan.chip, chip);
  assert.deepEqual(plan.flashArgs, flashArgs);
  const expected = Object.entries(parts).map(([offset, file]) => [Number(offset), file]);
  assert.deepEqual(
    plan.parts.map((p) => [p.offset, p.file]),
    expected,
  );
}

describe('flasher_args.json (ESP-IDF v6.0, and 5.x)', () => {
  test('chip, flash settings and parts in offset order, from the file', () => {
    const plan = planFromFlasherArgs(esp32Args, 'flasher_args.json');
    assertPlan(plan, 'esp32', ['--flash-mode', 'dio', '--flash-size', '4MB', '--flash-freq', '80m'], {
      4096: 'bootloader/bootloader.bin',
      32768: 'partition_table/partition-table.bin',
      65536: 'xs_esp32.bin',
    });
    assert.equal(plan.before, 'default-reset');
    assert.equal(plan.after, 'hard-reset');
    assert.equal(plan.stub, true);
  });
  test('a file without the chip takes project_description.json target; without either, one line', () => {
    const noChip = JSON.parse(esp32Args);
    delete noChip.extra_esptool_args.chip;
    assert.equal(planFromFlasherArgs(JSON.stringify(noChip), 'f', 'esp32c6').chip, 'esp32c6');
    assert.throws(() => planFromFlasherArgs(JSON.stringify(noChip), 'f'), { code: 'noChip', facts: ['f'] });
  });
  test('broken files are named, with what they lack', () => {
    assert.throws(() => planFromFlasherArgs('{', 'x/flasher_args.json'), { code: 'notJson', facts: ['x/flasher_args.json'] });
    assert.throws(() => planFromFlasherArgs('{"flash_files":{}}', 'f'), { code: 'noFlashFiles' });
    assert.throws(() => planFromFlasherArgs('{"flash_files":{"0xZZ":"a.bin"},"extra_esptool_args":{"chip":"esp32"}}', 'f'), {
      code: 'notOffset',
      facts: ['f: flash_files', '0xZZ'],
    });
  });
  test("ESP Web Tools' chip families", () => {
    assert.deepEqual(['esp32', 'esp32c3', 'esp32s3', 'esp32s2', 'esp32c6', 'esp8266'].map(chipFamily), [
      'ESP32',
      'ESP32-C3',
      'ESP32-S3',
      'ESP32-S2',
      'ESP32-C6',
      'ESP8266',
    ]);
  });
  test('the manifest and the esptool line name the same files at the same offsets', () => {
    const plan = planFromFlasherArgs(esp32Args, 'f');
    const names = ['bootloader.bin', 'partition-table.bin', 'xs_esp32.bin'];
    const m = webToolsManifest(plan, names, 'mqtt-pair', '1.2.3');
    assert.deepEqual(m.builds, [
      {
        chipFamily: 'ESP32',
        parts: [
          { path: 'bootloader.bin', offset: 4096 },
          { path: 'partition-table.bin', offset: 32768 },
          { path: 'xs_esp32.bin', offset: 65536 },
        ],
      },
    ]);
    assert.equal(
      writeFlashLine(plan, names),
      'esptool --chip esp32 --baud 460800 --before default-reset --after hard-reset write-flash --flash-mode dio --flash-size 4MB --flash-freq 80m 0x1000 bootloader.bin 0x8000 partition-table.bin 0x10000 xs_esp32.bin',
    );
  });
  test("ESP-IDF 5.x's file: the same plan, and esptool.py v4's line", () => {
    const plan = planFromFlasherArgs(esp32Args5, 'f');
    assert.deepEqual(plan.flashArgs, ['--flash_mode', 'dio', '--flash_size', '4MB', '--flash_freq', '80m']);
    assert.deepEqual(
      plan.parts.map((p) => p.offset),
      [0x1000, 0x8000, 0x10000],
    );
    assert.equal(
      writeFlashLine(plan, ['bootloader.bin', 'partition-table.bin', 'xs_esp32.bin']),
      'esptool.py --chip esp32 --baud 460800 --before default_reset --after hard_reset write_flash --flash_mode dio --flash_size 4MB --flash_freq 80m 0x1000 bootloader.bin 0x8000 partition-table.bin 0x10000 xs_esp32.bin',
    );
  });
  test('a build without the stub flashes with --no-stub', () => {
    const noStub = JSON.parse(esp32Args);
    noStub.extra_esptool_args.stub = false;
    assert.match(writeFlashLine(planFromFlasherArgs(JSON.stringify(noStub), 'f'), ['a', 'b', 'c']), / --no-stub write-flash /);
  });
  test("serialType, ESP Web Tools' choice of build by port: only where the chip has a USB port of its own", () => {
    assert.equal(serialTypeOf('esp32c3', 2), 'cdc');
    assert.equal(serialTypeOf('esp32s3', 1), 'cdc');
    assert.equal(serialTypeOf('esp32s3', 0), 'uart');
    assert.equal(serialTypeOf('esp32', 0), undefined);
    assert.equal(serialTypeOf('esp8266', undefined), undefined);
    assert.equal(serialTypeOf('esp32c3', undefined), undefined, 'a build whose USE_USB is not known fits any port');
    const plan = planFromFlasherArgs(esp32Args, 'f');
    assert.equal(webToolsManifest(plan, ['a', 'b', 'c'], 'n', '1', 'cdc').builds[0].serialType, 'cdc');
    assert.equal('serialType' in webToolsManifest(plan, ['a', 'b', 'c'], 'n', '1').builds[0], false);
  });
});

describe("the ESP8266 build (make.esp.mk's ESPTOOL_FLASH_OPT)", () => {
  // Written as Moddable 8.2.3's tools/mcconfig/make.esp.mk writes them (variables, the 4M block, the option list).
  const mk = [
    'ESPRESSIF_SDK_ROOT ?= $(ESP_BASE)/ESP8266_RTOS_SDK',
    'FLASH_SIZE ?= 4M',
    'FLASH_MODE ?= dio',
    'FLASH_SPEED ?= 40',
    'ESP_FIRMWARE_DIR = $(ESPRESSIF_SDK_ROOT)/components/esp8266/firmware',
    'ESP_BOOTLOADER_BIN = $(ESP_FIRMWARE_DIR)/boot_v1.7.bin',
    'ESP_DATA_DEFAULT_BIN = $(ESP_FIRMWARE_DIR)/esp_init_data_default.bin',
    'ESPTOOL_FLASH_OPT = \\',
    '\t--flash_freq $(FLASH_SPEED)m \\',
    '\t--flash_mode $(FLASH_MODE) \\',
    '\t--flash_size $(FLASH_SIZE)B \\',
    '\t0x0000 $(ESP_BOOTLOADER_BIN) \\',
    '\t0x1000 $(BIN_DIR)/main.bin \\',
    '\t$(ESP_INIT_DATA_DEFAULT_BIN_OFFSET) $(ESP_DATA_DEFAULT_BIN)',
    '',
  ].join('\n');
  test('three parts, each $(…) expanded', () => {
    const vars = makeVariables(mk);
    vars.set('ESP_BASE', '/sdk');
    vars.set('BIN_DIR', '/out');
    vars.set('ESP_INIT_DATA_DEFAULT_BIN_OFFSET', '0x3fc000');
    const plan = esp8266Plan(mk, vars, 'make.esp.mk');
    assertPlan(plan, 'esp8266', ['--flash_freq', '40m', '--flash_mode', 'dio', '--flash_size', '4MB'], {
      0: '/sdk/ESP8266_RTOS_SDK/components/esp8266/firmware/boot_v1.7.bin',
      4096: '/out/main.bin',
      4177920: '/sdk/ESP8266_RTOS_SDK/components/esp8266/firmware/esp_init_data_default.bin',
    });
  });
  test('an unknown setting (ESP_BASE unset) is named, not guessed', () => {
    const vars = makeVariables(mk);
    vars.set('BIN_DIR', '/out');
    vars.set('ESP_INIT_DATA_DEFAULT_BIN_OFFSET', '0x3fc000');
    assert.throws(() => esp8266Plan(mk, vars, 'make.esp.mk'), { code: 'unknownSetting' });
  });
});

describe('mqtt-pair image', () => {
  const run = (args) => mqttPair(['image', ...args]).exit;
  // serialType: from USE_USB in the build's makefile (esp32c3: 0, esp32c3_cdc: 2; the esp32s3
  // fixture has no makefile, so its USB kind is not known).
  for (const [platform, family, boot, serialType] of [
    ['esp32', 'ESP32', 0x1000, undefined],
    ['esp32/esp32c3', 'ESP32-C3', 0, 'uart'],
    ['esp32/esp32c3_cdc', 'ESP32-C3', 0, 'cdc'],
    ['esp32/esp32s3', 'ESP32-S3', 0, undefined],
  ]) {
    test(`-p ${platform}: the binaries, the manifest and write_flash.sh`, async () => {
      const dest = join(work, platform);
      const r = await run(['-p', platform, '-o', out, '--out', dest]);
      assert.equal(r.code, 0, r.stderr);
      const m = JSON.parse(readFileSync(join(dest, 'manifest.json'), 'utf8'));
      assert.equal(m.name, 'mqtt-pair');
      assert.match(m.version, /^\d+\.\d+\.\d+/);
      assert.equal(m.builds.length, 1);
      assert.equal(m.builds[0].chipFamily, family);
      assert.equal(m.builds[0].serialType, serialType);
      assert.deepEqual(m.builds[0].parts, [
        { path: 'bootloader.bin', offset: boot },
        { path: 'partition-table.bin', offset: 0x8000 },
        { path: 'xs_esp32.bin', offset: 0x10000 },
      ]);
      const chip =
        platform === 'esp32'
          ? 'esp32'
          : `esp32${platform
              .split('/')
              .pop()
              .replace(/^esp32|_cdc$/g, '')}`;
      const src = join(out, 'tmp', platform, 'release', 'mqtt-pair', `xsProj-${chip}`, 'build');
      assert.deepEqual(readFileSync(join(dest, 'xs_esp32.bin')), readFileSync(join(src, 'xs_esp32.bin')));
      assert.deepEqual(readFileSync(join(dest, 'bootloader.bin')), readFileSync(join(src, 'bootloader/bootloader.bin')));
      const script = readFileSync(join(dest, 'write_flash.sh'), 'utf8');
      assert.match(
        script,
        new RegExp(
          `exec esptool --chip ${chip} .*write-flash --flash-mode dio --flash-size 4MB --flash-freq 80m 0x${boot.toString(16)} bootloader.bin 0x8000 partition-table.bin 0x10000 xs_esp32.bin`,
        ),
      );
      assert.ok(statSync(join(dest, 'write_flash.sh')).mode & 0o100, 'write_flash.sh is executable');
      assert.match(r.stdout, new RegExp(`esptool --chip ${chip} `));
      assert.match(r.stdout, new RegExp(`for ${family} \\(release build`));
    });
  }
  // The SDK's own make.esp.mk says what is flashed where: this test needs it, and skips without it.
  const sdk = process.env.MODDABLE && existsSync(join(process.env.MODDABLE, 'tools/mcconfig/make.esp.mk'));
  test('-p esp: as make.esp.mk flashes it: the SDK bootloader at 0x0, main.bin at 0x1000, RF data at 0x3fc000', {
    skip: !sdk && 'needs the Moddable SDK (MODDABLE): its make.esp.mk',
  }, async () => {
    const dest = join(work, 'esp');
    const r = await cli(['image', '-p', 'esp', '-o', out, '--out', dest], { ESP_BASE: join(fixtures, 'esp') });
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(join(dest, 'manifest.json'), 'utf8'));
    assert.deepEqual(m.builds, [
      {
        chipFamily: 'ESP8266',
        parts: [
          { path: 'boot_v1.7.bin', offset: 0 },
          { path: 'main.bin', offset: 0x1000 },
          { path: 'esp_init_data_default.bin', offset: 0x3fc000 },
        ],
      },
    ]);
    assert.deepEqual(readFileSync(join(dest, 'main.bin')), readFileSync(join(out, 'bin/esp/release/mqtt-pair/main.bin')));
    assert.match(
      readFileSync(join(dest, 'write_flash.sh'), 'utf8'),
      /esptool.py --chip esp8266 .*write_flash --flash_freq 40m --flash_mode dio --flash_size 4MB 0x0 boot_v1.7.bin 0x1000 main.bin 0x3fc000 esp_init_data_default.bin/,
    );
    const noBase = await cli(['image', '-p', 'esp', '-o', out, '--out', dest], { ESP_BASE: '' });
    assertOneLineError(noBase, 'mqtt-pair image:', /ESP_BASE is not set: .*set ESP_BASE as for mcconfig -p esp/);
  });
  test('no build: one line naming the mcconfig command that makes one', async () => {
    const r = await run(['-p', 'esp32/esp32c6', '-o', out]);
    assertOneLineError(
      r,
      'mqtt-pair image:',
      /no esp32\/esp32c6 build of mqtt-pair in .*: build it first, from the repository's root: mcconfig -m -t build -p esp32\/esp32c6 -o /,
    );
  });
  test('a debug build only: said, with the command for a release build', async () => {
    const r = await run(['-p', 'esp32', '-o', join(fixtures, 'debug-only')]);
    assertOneLineError(r, 'mqtt-pair image:', /only a debug build \(-d\).*mcconfig -m -t build -p esp32/);
  });
  test('a build that did not finish: the missing file named', async () => {
    const r = await run(['-p', 'esp32', '-o', join(fixtures, 'unfinished')]);
    assertOneLineError(r, 'mqtt-pair image:', /xs_esp32\.bin, which .*flasher_args\.json writes at 0x10000, is missing/);
  });
  test('a platform that is not a board', async () => {
    const r = await run(['-p', 'lin', '-o', out]);
    assertOneLineError(r, 'mqtt-pair image:', /-p lin: the platforms are esp32/);
  });
});
