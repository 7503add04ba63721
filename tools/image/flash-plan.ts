// What a board's flash takes, read from a build's own files: the chip, the flash settings, and
// each file with the offset it is written at. ESP-IDF writes it all into `build/flasher_args.json`
// (components/esptool_py/flasher_args.json.in): v6.0, which Moddable SDK 8.2.3 expects, in
// esptool v5's spelling (--flash-mode, default-reset), 5.x in esptool v4's (--flash_mode,
// default_reset); both are read, and the esptool line keeps the build's own. The ESP8266's build
// (Moddable's tools/mcconfig/make.esp.mk) names its three files and offsets in its makefile.
// Nothing here is guessed: a file that lacks what we need is named, with what it lacks.

import { ImageError } from './problem';

export interface FlashPart {
  /** Where it is written, in bytes from the flash's start. */
  offset: number;
  /** The file, as the build names it (absolute, or relative to the build's folder). */
  file: string;
}

export interface FlashPlan {
  /** esptool's name of the chip: esp32, esp32c3, esp32s3, esp8266… */
  chip: string;
  /** esptool's write_flash options, as the build gives them (--flash_mode dio --flash_size 4MB …). */
  flashArgs: string[];
  /** esptool's --before and --after, when the build names them. */
  before?: string;
  after?: string;
  /** false when the build flashes without esptool's stub (extra_esptool_args.stub: --no-stub). */
  stub?: boolean;
  /** In the order of their offsets. */
  parts: FlashPart[];
}

/** An offset as the build writes it: "0x10000" (or decimal). */
export function offsetOf(text: string, where: string): number {
  const t = text.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new ImageError('notOffset', where, t);
  return n;
}

/** "0x10000", as esptool and ESP-IDF write offsets. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

interface FlasherArgs {
  write_flash_args?: unknown;
  flash_files?: unknown;
  extra_esptool_args?: { chip?: unknown; before?: unknown; after?: unknown; stub?: unknown };
}

/**
 * ESP-IDF's flasher_args.json read into a plan. `target` is the chip when the file does not say
 * it (ESP-IDF after 5.x moved it out of extra_esptool_args): project_description.json's.
 */
export function planFromFlasherArgs(text: string, where: string, target?: string): FlashPlan {
  let json: FlasherArgs;
  try {
    json = JSON.parse(text) as FlasherArgs;
  } catch {
    throw new ImageError('notJson', where);
  }
  if (!json || typeof json !== 'object') throw new ImageError('noSettings', where);
  const files = json.flash_files;
  if (!files || typeof files !== 'object' || !Object.keys(files).length) throw new ImageError('noFlashFiles', where);
  const parts: FlashPart[] = [];
  for (const [offset, file] of Object.entries(files as Record<string, unknown>)) {
    if (typeof file !== 'string' || !file) throw new ImageError('notFileName', where, offset);
    parts.push({ offset: offsetOf(offset, `${where}: flash_files`), file });
  }
  parts.sort((a, b) => a.offset - b.offset);
  const args = json.write_flash_args;
  const flashArgs = Array.isArray(args) && args.every((a) => typeof a === 'string') ? (args as string[]) : [];
  const extra = json.extra_esptool_args ?? {};
  const chip = typeof extra.chip === 'string' && extra.chip ? extra.chip : target;
  if (!chip) throw new ImageError('noChip', where);
  return {
    chip,
    flashArgs,
    before: typeof extra.before === 'string' ? extra.before : undefined,
    after: typeof extra.after === 'string' ? extra.after : undefined,
    stub: typeof extra.stub === 'boolean' ? extra.stub : undefined,
    parts,
  };
}

/**
 * esptool v5's spelling (ESP-IDF v6.0: `--flash-mode`, `default-reset`, command `write-flash`), not
 * v4's (ESP-IDF 5.x and the ESP8266: `--flash_mode`, `default_reset`, `write_flash`), read from
 * the plan's own words.
 */
export function esptoolV5(plan: FlashPlan): boolean {
  return plan.flashArgs.some((a) => /^--flash-/.test(a)) || [plan.before, plan.after].some((v) => v?.includes('-'));
}

/** project_description.json's target (the chip), or undefined. */
export function targetOf(text: string): string | undefined {
  try {
    const t = (JSON.parse(text) as { target?: unknown }).target;
    return typeof t === 'string' && t ? t : undefined;
  } catch {
    return undefined;
  }
}

/** A makefile's `NAME ?= value` or `NAME = value` lines (the first of each), for the ESP8266 build. */
export function makeVariables(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)\s*\??=\s*(.*?)\s*$/.exec(line);
    if (m && !out.has(m[1])) out.set(m[1], m[2]);
  }
  return out;
}

/**
 * make.esp.mk's offset of esp_init_data_default.bin for a flash size: the
 * `ifeq ($(FLASH_SIZE),4M)` block that sets ESP_INIT_DATA_DEFAULT_BIN_OFFSET.
 */
export function initDataOffset(makefile: string, flashSize: string, where: string): number {
  const lines = makefile.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*ifeq\s*\(\$\(FLASH_SIZE\),\s*([^)\s]+)\)/.exec(lines[i]);
    if (!m || m[1] !== flashSize) continue;
    for (let j = i + 1; j < lines.length && !/^\s*endif/.test(lines[j]); j++) {
      const v = /ESP_INIT_DATA_DEFAULT_BIN_OFFSET\s*=\s*(\S+)/.exec(lines[j]);
      if (v) return offsetOf(v[1], where);
    }
  }
  throw new ImageError('noInitOffset', where, flashSize);
}

/** `$(NAME)` expanded from `vars` (recursively, as make does), or null when one is unknown. */
export function expand(text: string, vars: Map<string, string>, depth = 0): string | null {
  if (depth > 10) return null;
  let unknown = false;
  const out = text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, name: string) => {
    const v = vars.get(name);
    if (v === undefined) {
      unknown = true;
      return '';
    }
    const inner = expand(v, vars, depth + 1);
    if (inner === null) unknown = true;
    return inner ?? '';
  });
  return unknown ? null : out;
}

/**
 * The ESP8266's plan as make.esp.mk flashes it: its ESPTOOL_FLASH_OPT (the write_flash options,
 * then offset and file pairs: the SDK's bootloader, the build's main.bin, the SDK's RF data),
 * each $(…) expanded from `vars` (the makefile's, the build's and the environment's). `where`
 * names the makefile in errors.
 */
export function esp8266Plan(makefile: string, vars: Map<string, string>, where: string): FlashPlan {
  const lines = makefile.split('\n');
  const at = lines.findIndex((l) => /^\s*ESPTOOL_FLASH_OPT\s*\??=/.test(l));
  if (at < 0) throw new ImageError('noFlashOpt', where);
  let text = lines[at].replace(/^[^=]*=/, '');
  for (let i = at; lines[i]?.trimEnd().endsWith('\\'); i++) text = `${text.trimEnd().slice(0, -1)} ${lines[i + 1] ?? ''}`;
  const words = text.trim().split(/\s+/).filter(Boolean);
  const flashArgs: string[] = [];
  const parts: FlashPart[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = expand(words[i], vars);
    const next = words[i + 1] === undefined ? null : expand(words[i + 1], vars);
    if (w === null || next === null) throw new ImageError('unknownSetting', where, `${words[i]} ${words[i + 1] ?? ''}`.trim());
    if (w.startsWith('--')) flashArgs.push(w, next);
    else parts.push({ offset: offsetOf(w, `${where}: ESPTOOL_FLASH_OPT`), file: next });
    i++;
  }
  if (!parts.length) throw new ImageError('noFileToFlash', where);
  parts.sort((a, b) => a.offset - b.offset);
  return { chip: 'esp8266', flashArgs, parts };
}
