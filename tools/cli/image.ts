// `mqtt-pair image -p esp32`: the teacher's one mcconfig build made into a folder that flashes a
// whole class: the binaries, ESP Web Tools' manifest (for `mqtt-pair setup --web`) and the
// esptool line (esptool v5's for an ESP-IDF v6.0 build, esptool.py v4's for 5.x and the ESP8266).
// Everything is read from the build's own files (tools/image/).

import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { findBuild } from '../image/build-output';
import { hex } from '../image/flash-plan';
import { writeImage } from '../image/write-image';
import { UsageError, last, parseArgs, usageText, type Flag } from './flags';
import { cliWords } from '../words/cli';
import { imageLine } from '../words/image';
import { ImageError } from '../image/problem';

const FLAGS: Flag[] = [
  {
    names: ['-p', '--platform'],
    key: 'platform',
    value: 'platform',
    example: 'esp32',
    help: "the build's platform, as given to mcconfig: esp32, esp32/esp32c3, esp32/esp32s3, esp",
  },
  {
    names: ['-o', '--build'],
    key: 'build',
    value: 'folder',
    example: '/tmp/out',
    help: "mcconfig's output folder, when the build was made with -o (default: $MODDABLE/build)",
  },
  { names: ['--out'], key: 'out', value: 'folder', example: 'build/image/esp32', help: 'where to write the image (default: build/image/<platform>)' },
  { names: ['--help'], key: 'help', help: 'this text' },
];

function usage(): string {
  return usageText(
    "mqtt-pair image: the class's image, from the one mcconfig build, for ESP Web Tools and esptool",
    ['mqtt-pair image -p esp32|esp32/esp32c3|esp32/esp32c3_cdc|esp32/esp32s3|esp [-o MCCONFIG_OUTPUT] [--out FOLDER]', 'npm run image -- -p esp32'],
    FLAGS,
    [
      "First build once, from the repository's root: mcconfig -m -t build -p esp32",
      'Then: mqtt-pair setup --web 8090 --image build/image/esp32 (flash and set up each board in Chrome),',
      'or build/image/esp32/write_flash.sh (esptool) on any computer.',
      'Which -p fits which board: docs/flashing.md.',
    ],
  );
}

export async function runImage(argv: string[]): Promise<number> {
  const p = parseArgs(argv, FLAGS, 'mqtt-pair image --help');
  if (p.has('help')) {
    process.stdout.write(usage());
    return 0;
  }
  const platform = last(p, 'platform');
  if (!platform) throw new UsageError(cliWords().setup.imageWhichBoard);
  const outputFlag = last(p, 'build');
  const moddable = process.env.MODDABLE;
  if (!outputFlag && !moddable) throw new UsageError(cliWords().setup.imageNoModdable);
  const output = resolve(outputFlag ?? join(moddable as string, 'build'));
  const name = appName();
  let build: ReturnType<typeof findBuild>;
  try {
    build = findBuild(platform, { output, name, moddable, env: process.env }, outputFlag);
  } catch (e) {
    throw e instanceof ImageError ? new UsageError(imageLine(e)) : e;
  }
  const dir = resolve(last(p, 'out') ?? join('build', 'image', platform));
  const image = writeImage(build, dir, name, version());
  const near = relative(process.cwd(), dir);
  const shown = !near ? '.' : near.startsWith('..') ? dir : near;
  const family = image.manifest.builds[0].chipFamily;
  process.stdout.write(
    [
      cliWords().setup.imageRead(name, image.manifest.version, family, build.variant, Math.round(image.bytes / 1024), build.source),
      ...build.plan.parts.map((part, i) => `  ${hex(part.offset).padStart(8)}  ${image.manifest.builds[0].parts[i].path}`),
      ...cliWords().setup.imageWritten(shown),
      `  ${image.line}`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** manifest.json's build.NAME, where mcconfig takes it: the app's folder is the current one. */
function appName(): string {
  try {
    const m = JSON.parse(readFileSync('manifest.json', 'utf8')) as { build?: { NAME?: unknown } };
    if (typeof m.build?.NAME === 'string' && m.build.NAME) return m.build.NAME;
  } catch {
    /* not in the app's folder */
  }
  return 'mqtt-pair';
}

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
