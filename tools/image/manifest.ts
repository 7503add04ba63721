// What `mqtt-pair image` writes beside the binaries: ESP Web Tools' manifest (its format:
// esphome.github.io/esp-web-tools, "Creating your manifest") and the esptool.py line that writes
// the same files at the same offsets.

import { type FlashPlan, esptoolV5, hex } from './flash-plan';

/** ESP Web Tools' chip families, from esptool's chip names (esp32c3 → ESP32-C3). */
export function chipFamily(chip: string): string {
  const c = chip.toLowerCase();
  if (c === 'esp32' || c === 'esp8266') return c.toUpperCase();
  const m = /^esp32([a-z]\d+)$/.exec(c);
  if (m) return `ESP32-${m[1].toUpperCase()}`;
  return chip.toUpperCase();
}

export interface WebToolsManifest {
  name: string;
  version: string;
  new_install_prompt_erase: boolean;
  builds: { chipFamily: string; serialType?: SerialType; parts: { path: string; offset: number }[] }[];
}

/**
 * ESP Web Tools' name for the port a build talks on (its Build.serialType, dist/const.d.ts in
 * esp-web-tools 10): "cdc" for the chip's own USB (a port with Espressif's vendor id 0x303a),
 * "uart" for a USB-serial chip (CP2102, CH340) on UART 0.
 */
export type SerialType = 'cdc' | 'uart';

/** Chips with a USB port of their own, where a build's USB kind matters (the others have only UART 0). */
const NATIVE_USB = /^esp32(s2|s3|c3|c6|h2|c5|c61|p4)$/;

/**
 * The serialType of a build made with USE_USB (the Moddable target's: 2 USB-Serial-JTAG, 1 TinyUSB
 * CDC, 0 UART 0), or undefined on a chip without a USB port of its own (ESP Web Tools then takes
 * the build whatever the port) or when the build's USE_USB is not known.
 */
export function serialTypeOf(chip: string, usb: number | undefined): SerialType | undefined {
  if (usb === undefined || !NATIVE_USB.test(chip.toLowerCase())) return undefined;
  return usb === 1 || usb === 2 ? 'cdc' : 'uart';
}

/**
 * The manifest for one build: its parts by the names they have in the image's folder. With a
 * serialType, ESP Web Tools takes this build only on that kind of port, so that a C3 SuperMini
 * (its own USB) never gets a build that talks on UART 0, where no one listens.
 */
export function webToolsManifest(plan: FlashPlan, names: string[], name: string, version: string, serialType?: SerialType): WebToolsManifest {
  const parts = plan.parts.map((p, i) => ({ path: names[i], offset: p.offset }));
  return {
    name,
    version,
    // A board that ran another firmware keeps its flash's old settings: offer to erase it.
    new_install_prompt_erase: true,
    builds: [serialType ? { chipFamily: chipFamily(plan.chip), serialType, parts } : { chipFamily: chipFamily(plan.chip), parts }],
  };
}

/**
 * `esptool.py --chip esp32 … write_flash --flash_mode dio … 0x1000 bootloader.bin …`, run in the
 * image's folder; `esptool … write-flash --flash-mode dio …` for an ESP-IDF v6.0 build, in the
 * spelling of the esptool (v5) that came with it.
 */
export function writeFlashLine(plan: FlashPlan, names: string[], port?: string): string {
  const v5 = esptoolV5(plan);
  const words = [v5 ? 'esptool' : 'esptool.py', '--chip', plan.chip];
  if (port) words.push('--port', port);
  words.push('--baud', '460800');
  if (plan.before) words.push('--before', plan.before);
  if (plan.after) words.push('--after', plan.after);
  if (plan.stub === false) words.push('--no-stub');
  words.push(v5 ? 'write-flash' : 'write_flash', ...plan.flashArgs);
  plan.parts.forEach((p, i) => {
    words.push(hex(p.offset), names[i]);
  });
  return words.map(quote).join(' ');
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
