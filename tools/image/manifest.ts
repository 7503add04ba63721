// What `mqtt-pair image` writes beside the binaries: ESP Web Tools' manifest (its format:
// esphome.github.io/esp-web-tools, "Creating your manifest") and the esptool.py line that writes
// the same files at the same offsets.

import { type FlashPlan, hex } from './flash-plan';

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
  builds: { chipFamily: string; parts: { path: string; offset: number }[] }[];
}

/** The manifest for one build: its parts by the names they have in the image's folder. */
export function webToolsManifest(plan: FlashPlan, names: string[], name: string, version: string): WebToolsManifest {
  return {
    name,
    version,
    // A board that ran another firmware keeps its flash's old settings: offer to erase it.
    new_install_prompt_erase: true,
    builds: [{ chipFamily: chipFamily(plan.chip), parts: plan.parts.map((p, i) => ({ path: names[i], offset: p.offset })) }],
  };
}

/** `esptool.py --chip esp32 … write_flash --flash_mode dio … 0x1000 bootloader.bin …`, run in the image's folder. */
export function writeFlashLine(plan: FlashPlan, names: string[], port?: string): string {
  const words = ['esptool.py', '--chip', plan.chip];
  if (port) words.push('--port', port);
  words.push('--baud', '460800');
  if (plan.before) words.push('--before', plan.before);
  if (plan.after) words.push('--after', plan.after);
  words.push('write_flash', ...plan.flashArgs);
  plan.parts.forEach((p, i) => {
    words.push(hex(p.offset), names[i]);
  });
  return words.map(quote).join(' ');
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
