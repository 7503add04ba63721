// The firmware's entry point on the Moddable SDK. manifest.json names the bundle esbuild makes of
// this file (build/moddable/main.js) as the module "main" and preloads it: mcconfig's linker runs
// its top level when the firmware is built, and what that makes is kept in flash (the build's
// config, checked: firmware.ts). The runtime calls the default export once the device is up.

import { boardDevices } from './devices';
import { Firmware } from './firmware';

export default function main(): void {
  const firmware = new Firmware(); // the host the board runs on, and what it does at each boot
  Object.assign(firmware, boardDevices()); // the board's sensor, buttons and LED, if hosts/moddable/devices.ts has them
  firmware.boot();
}
