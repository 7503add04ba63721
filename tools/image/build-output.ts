// Where the teacher's one `mcconfig -m -t build -p <platform>` left its output, and the flash plan
// read from it. mcconfig writes into <output>/bin/<platform>/<variant>/<NAME>/ and
// <output>/tmp/<platform>/<variant>/<NAME>/ (tools/mcconfig.js, createDirectories), <output> being
// $MODDABLE/build unless `-o` said otherwise. On ESP32, ESP-IDF's project is
// tmp/…/xsProj-<chip>/ and its build folder holds flasher_args.json and every file it names
// (tools/mcconfig/make.esp32.mk). On ESP8266, bin/…/main.bin, and the SDK's bootloader and RF data
// as tools/mcconfig/make.esp.mk's ESPTOOL_FLASH_OPT names them.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ImageError } from './problem';
import { type FlashPlan, esp8266Plan, hex, initDataOffset, makeVariables, planFromFlasherArgs, targetOf } from './flash-plan';

/** The platforms an image is made for: mcconfig's -p. */
export const PLATFORM = /^(esp32|esp)(\/[a-z0-9_-]+)?$/;

/** Builds in the order they are taken: a debug build waits for xsbug on the serial port, useless to a class. */
const VARIANTS = ['release', 'instrument'];

export interface BuildOutput {
  platform: string;
  /** release or instrument */
  variant: string;
  /** The plan, every part's file an absolute path that exists. */
  plan: FlashPlan;
  /** Where the plan was read: flasher_args.json, or the ESP8266's makefile. */
  source: string;
  /**
   * The build's USE_USB (its Moddable target's manifest.json, as mcconfig wrote it into the build's
   * makefile): 2 USB-Serial-JTAG, 1 TinyUSB CDC, 0 UART 0; undefined when the makefile is not there.
   */
  usb?: number;
}

export interface Where {
  /** mcconfig's output folder (its -o), by default $MODDABLE/build. */
  output: string;
  /** The app's NAME (manifest.json's build.NAME): mqtt-pair. */
  name: string;
  /** $MODDABLE, for the ESP8266's make.esp.mk. */
  moddable?: string;
  /** ESP_BASE and the like, as mcconfig's make sees them. */
  env: Record<string, string | undefined>;
}

/** The mcconfig command that makes the build `image` reads, for the one line saying there is none. */
export function buildCommand(platform: string, output?: string): string {
  return `mcconfig -m -t build -p ${platform}${output ? ` -o ${output}` : ''}`;
}

/** The build's output for `platform`, its plan read; a UsageError saying what is missing otherwise. */
export function findBuild(platform: string, where: Where, outputFlag?: string): BuildOutput {
  if (!PLATFORM.test(platform)) throw new ImageError('badPlatform', platform);
  const make = buildCommand(platform, outputFlag);
  const esp8266 = platform === 'esp' || platform.startsWith('esp/');
  for (const variant of VARIANTS) {
    const tmp = join(where.output, 'tmp', platform, variant, where.name);
    const bin = join(where.output, 'bin', platform, variant, where.name);
    if (esp8266) {
      if (existsSync(join(bin, 'main.bin'))) return { platform, variant, ...esp8266Build(bin, tmp, where, make) };
    } else {
      const args = flasherArgsIn(tmp);
      if (args) return { platform, variant, source: args, plan: esp32Plan(args, make), usb: useUsb(tmp) };
    }
  }
  const debug = join(where.output, 'tmp', platform, 'debug', where.name);
  if (existsSync(debug)) throw new ImageError('onlyDebug', platform, where.output, make);
  throw new ImageError('noBuild', platform, where.name, where.output, make);
}

/** USE_USB as the build's makefile (mcconfig's, in the build's tmp folder) sets it. */
function useUsb(tmp: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(tmp, 'makefile'), 'utf8');
  } catch {
    return undefined;
  }
  const v = makeVariables(text).get('USE_USB');
  return v !== undefined && /^[0-2]$/.test(v) ? Number(v) : undefined;
}

/** The newest xsProj-*\/build/flasher_args.json under an ESP32 build's tmp folder. */
function flasherArgsIn(tmp: string): string | undefined {
  let best: string | undefined;
  let newest = -1;
  let entries: string[];
  try {
    entries = readdirSync(tmp);
  } catch {
    return undefined;
  }
  for (const e of entries) {
    if (!e.startsWith('xsProj-')) continue;
    const f = join(tmp, e, 'build', 'flasher_args.json');
    try {
      const t = statSync(f).mtimeMs;
      if (t > newest) {
        newest = t;
        best = f;
      }
    } catch {
      /* not built */
    }
  }
  return best;
}

function esp32Plan(args: string, make: string): FlashPlan {
  const dir = join(args, '..');
  let target: string | undefined;
  try {
    target = targetOf(readFileSync(join(dir, 'project_description.json'), 'utf8'));
  } catch {
    /* older builds: the chip is in flasher_args.json */
  }
  const plan = planFromFlasherArgs(readFileSync(args, 'utf8'), args, target);
  for (const p of plan.parts) {
    p.file = isAbsolute(p.file) ? p.file : join(dir, p.file);
    if (!existsSync(p.file)) throw new ImageError('partMissing', p.file, args, hex(p.offset), make);
  }
  return plan;
}

function esp8266Build(bin: string, tmp: string, where: Where, make: string): { plan: FlashPlan; source: string } {
  if (!where.moddable) throw new ImageError('noModdable8266');
  const mk = join(where.moddable, 'tools', 'mcconfig', 'make.esp.mk');
  let makefile: string;
  try {
    makefile = readFileSync(mk, 'utf8');
  } catch {
    throw new ImageError('noMakefile', mk);
  }
  const vars = makeVariables(makefile);
  // The build's own makefile (the manifest's settings, e.g. FLASH_SIZE) wins over make.esp.mk's defaults.
  try {
    for (const [k, v] of makeVariables(readFileSync(join(tmp, 'makefile'), 'utf8'))) vars.set(k, v);
  } catch {
    /* a build without its makefile: make.esp.mk's defaults */
  }
  for (const k of ['ESP_BASE', 'ESPRESSIF_SDK_ROOT', 'FLASH_SIZE', 'FLASH_MODE', 'FLASH_SPEED']) {
    const v = where.env[k];
    if (v) vars.set(k, v);
  }
  if (!vars.has('ESP_BASE') && !where.env.ESPRESSIF_SDK_ROOT) throw new ImageError('noEspBase');
  vars.set('BIN_DIR', bin);
  vars.set('ESP_INIT_DATA_DEFAULT_BIN_OFFSET', hex(initDataOffset(makefile, vars.get('FLASH_SIZE') ?? '4M', mk)));
  const plan = esp8266Plan(makefile, vars, mk);
  for (const p of plan.parts)
    if (!existsSync(p.file))
      throw p.file.startsWith(bin)
        ? new ImageError('partMissing', p.file, mk, hex(p.offset), make)
        : new ImageError('sdkPartMissing', p.file, mk, hex(p.offset));
  return { plan, source: mk };
}
