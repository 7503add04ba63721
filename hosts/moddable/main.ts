// The firmware's entry point on the Moddable SDK. manifest.json names the bundle esbuild makes of
// this file (build/moddable/main.js) as the module "main" and preloads it, so nothing may run at
// module level: the runtime calls the default export once the device is up.

import config from 'mc/config';
import { startBoard } from '../../src/apps/board';
import { moddableHost } from './host';

/** Whether this build joins a WiFi network: the manifest sets `wifi` false on the desktop simulators. */
export function wantsWiFi(value: unknown): boolean {
  return !(value === false || value === 0 || (typeof value === 'string' && /^(false|no|off|0)$/i.test(value)));
}

export default function main(): void {
  // mc/config is frozen and holds the manifest's "config" merged with key=value from the mcconfig
  // command line (those arrive as strings; readConfig accepts both).
  const raw: Record<string, unknown> = { ...config };
  const host = moddableHost({
    wifi: wantsWiFi(raw.wifi),
    softRestart: () => { startBoard(host, raw); },
  });
  startBoard(host, raw);
}
