// mqtt-pair/chip on the desktop simulators (mac, lin, win); the native half is chip.c.
// hosts/moddable/moddable-modules.d.ts says what each function does.

// There is no board to reset: say so, and the host starts the firmware again instead.
function restart() { return false; }
// mcsim prints trace() on its own console.
function serialLine() { return false; }
function seedRandom() @ "xs_mqttpair_seed";
export { restart, serialLine, seedRandom };
