// `mqtt-pair image`'s output folder: the build's files under their own names, ESP Web Tools'
// manifest.json, and write_flash.sh (the esptool.py line, for a computer without Chrome). Files a
// previous image listed in its manifest are removed first, so the folder holds one build.

import { basename, join } from 'node:path';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hex } from './flash-plan';
import type { BuildOutput } from './build-output';
import { type WebToolsManifest, serialTypeOf, webToolsManifest, writeFlashLine } from './manifest';

export interface Image {
  dir: string;
  manifest: WebToolsManifest;
  /** The esptool line (esptool.py, or esptool for an ESP-IDF v6.0 build), to run in `dir`. */
  line: string;
  /** The bytes written to the flash, all parts together. */
  bytes: number;
}

/** Each part's name in the image's folder: its own, or with its offset when two share one. */
export function partNames(files: string[], offsets: number[]): string[] {
  const names = files.map((f) => basename(f));
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? `${hex(offsets[i])}-${n}` : n));
}

export function writeImage(build: BuildOutput, dir: string, name: string, version: string): Image {
  mkdirSync(dir, { recursive: true });
  try {
    const old = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as WebToolsManifest;
    for (const b of old.builds ?? [])
      for (const p of b.parts ?? []) if (typeof p.path === 'string' && p.path === basename(p.path)) rmSync(join(dir, p.path), { force: true });
  } catch {
    /* a new folder */
  }
  const { plan } = build;
  const names = partNames(
    plan.parts.map((p) => p.file),
    plan.parts.map((p) => p.offset),
  );
  let bytes = 0;
  plan.parts.forEach((p, i) => {
    copyFileSync(p.file, join(dir, names[i]));
    bytes += statSync(p.file).size;
  });
  const manifest = webToolsManifest(plan, names, name, version, serialTypeOf(plan.chip, build.usb));
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const line = writeFlashLine(plan, names);
  const script = join(dir, 'write_flash.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `# ${name} ${version} for ${build.platform}, read from ${build.source}.`,
      '# Writes the board on PORT (esptool finds it when PORT is not set): PORT=/dev/ttyUSB0 ./write_flash.sh',
      'cd "$(dirname "$0")" || exit 1',
      line.replace(/^(esptool(?:\.py)?) --chip (\S+)/, 'exec $1 --chip $2 ${PORT:+--port "$PORT"}'),
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return { dir, manifest, line, bytes };
}
