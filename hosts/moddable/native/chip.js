// mqtt-pair/chip on the boards (ESP32, ESP8266); the native half is chip.c. The simulators have
// their own in sim/. hosts/moddable/moddable-modules.d.ts says what each function does.
import Timer from "timer";

function restart() @ "xs_mqttpair_restart";
function serialLine(line) @ "xs_mqttpair_serial_line";
function serialRead() @ "xs_mqttpair_serial_read";
function serialWrite(buffer) @ "xs_mqttpair_serial_write";
function bootButton() @ "xs_mqttpair_boot_button";
function chipFamily() @ "xs_mqttpair_chip_family";
// The boards' Math.random is the chip's hardware generator: nothing to seed.
function seedRandom() {}

// The console's port: what comes in is read every 20 ms (the ESP32 keeps 1 KB meanwhile, the
// ESP8266 128 bytes: a frame of ours or Improv's WiFi settings fits).
class SerialPort {
	constructor(target) {
		this.timer = Timer.repeat(poll, 20);
		this.timer.target = target;
	}
	write(bytes) {
		return serialWrite(bytes);
	}
	line() {
		// The chip writes every line to the console already (serialLine).
	}
	close() {
		if (this.timer) Timer.clear(this.timer);
		this.timer = undefined;
	}
}

function poll(timer) {
	const bytes = serialRead();
	if (bytes) timer.target.serialBytes(new Uint8Array(bytes));
}

function openSerial(device, target) {
	return serialWrite(new ArrayBuffer(0)) ? new SerialPort(target) : null;
}

// Preference is native here, and costs nothing to ask.
function hasPreferences() {
	return true;
}

function pressedBootButton() {
	return bootButton() ? 1 : 0;
}

export { restart, serialLine, seedRandom, openSerial, pressedBootButton, chipFamily, hasPreferences };
