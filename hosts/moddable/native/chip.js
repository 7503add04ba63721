// mqtt-pair/chip on the boards (ESP32, ESP8266); the native half is chip.c. The simulators have
// their own in sim/. hosts/moddable/moddable-modules.d.ts says what each function does.
function restart() @ "xs_mqttpair_restart";
function serialLine(line) @ "xs_mqttpair_serial_line";
// The boards' Math.random is the chip's hardware generator: nothing to seed.
function seedRandom() {}
export { restart, serialLine, seedRandom };
