// The firmware's entry point on the Moddable SDK. manifest.json names the bundle esbuild makes of
// this file (build/moddable/main.js) as the module "main" and preloads it: mcconfig's linker runs
// its top level when the firmware is built, and what that makes is kept in flash. The runtime
// calls the default export once the device is up.

import config from 'mc/config';
import { boardOptions } from '../../src/apps/board';
import { checkConfig, type BoardConfig } from '../../src/apps/config';
import { boardDevices } from './devices';
import { Firmware } from './firmware';
import { ModdableHost } from './host';

// The build's config is checked here, at build time: the checked copy is in flash and costs the
// board no RAM. mc/config is frozen and holds the manifest's "config" merged with key=value from
// the mcconfig command line (those arrive as strings; checkConfig accepts both). Only plain
// JavaScript runs here (no SDK module is usable yet): the device id is the host's, at run time.
// Settings stored on the board (its setup page, Improv) are read at each boot: firmware.ts.
const checked: BoardConfig | string = checkConfig(config, '', true);
const options = typeof checked === 'string' ? null : boardOptions(checked);

export default function main(): void {
  const sntp = config.sntp ? String(config.sntp) : undefined;
  const host = new ModdableHost({ sntp, softRestart: boot });
  Object.assign(host, boardDevices()); // the board's sensor, buttons and LED, if hosts/moddable/devices.ts has them
  new Firmware(host, config, checked, options).boot();
}

/** A simulator's restart: the firmware again, on the same host. */
function boot(host: ModdableHost): void {
  (host.firmware as Firmware).boot();
}
