// The firmware's entry point on the Moddable SDK. manifest.json names the bundle esbuild makes of
// this file (build/moddable/main.js) as the module "main" and preloads it, so nothing may run at
// module level: the runtime calls the default export once the device is up.

import config from 'mc/config';
import { startBoard } from '../../src/apps/board';
import { boardDevices } from './devices';
import { moddableHost, transportConfigError } from './host';

export default function main(): void {
  // mc/config is frozen and holds the manifest's "config" merged with key=value from the mcconfig
  // command line (those arrive as strings; readConfig accepts both).
  const raw: Record<string, unknown> = { ...config };
  const host = Object.assign(moddableHost({
    sntp: raw.sntp ? String(raw.sntp) : undefined,
    softRestart: () => { boot(); },
  }), boardDevices()); // the board's sensor, buttons and LED, if hosts/moddable/devices.ts has them
  const boot = () => {
    // What this board cannot do with its broker (TLS without a CA certificate) is a config error too.
    const problem = transportConfigError(raw);
    if (problem) host.log(`Config error: ${problem}`);
    else startBoard(host, raw);
  };
  boot();
}
