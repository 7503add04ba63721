// The board's own hardware, for role=sensor, role=remote and role=actuator. Empty as shipped: the
// sensor then publishes simulated values, the remote plays up, right, down, left in turn, and the
// actuator only logs the colour. To use real hardware, return what your board has (the hooks are
// described in src/host.ts), add the Moddable modules it imports to manifest.json, then
// `npm run build` and flash again. docs/flashing.md, section 8, has worked examples: a BMP280
// (temperature and pressure, I2C), push buttons, an RGB LED.
//
// main() calls this once at boot, not at module level: this module is preloaded, and drivers must
// be opened (and any state kept) at run time, inside this function.

import type { Host } from '../../src/host';

export function boardDevices(): Pick<Host, 'sensor' | 'buttons' | 'showColour' | 'led'> {
  return {
    // sensor: () => ({ temperature: 20.5, pressure: 1013.2 }),            // °C, hPa
    // buttons: (press) => { /* call press('up') ... on each press */ return () => { /* stop */ }; },
    // showColour: (name, rgb) => { /* light the LED: rgb is 0xRRGGBB */ },
    // led: (on) => { /* only for an LED the settings led and ledActiveLow cannot describe: without this hook the firmware drives the board's own LED itself (firmware.ts, defaultLed) */ },
  };
}
