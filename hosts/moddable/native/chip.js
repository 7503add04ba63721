// mqtt-pair/chip on the boards (ESP32, ESP8266); the native half is chip.c, which keeps only the
// USB port and the chip's name (it says why). The simulators have their own in sim/.
// hosts/moddable/moddable-modules.d.ts says what each function does.
import Digital from "embedded:io/digital";
import Timer from "timer";

// The SDK's own restart, from modules/io/system/system.c (SDK 8.2.3), whose C manifest.json
// includes without its system.js (which would also set the globals System and device and load
// every ECMA-419 I/O). It never returns: esp_restart() on an ESP32; system_restart() on an
// ESP8266, then waits, yielding, until the SDK resets the chip.
function restart() @ "xs_system_restart";
function serialLine(line) @ "xs_mqttpair_serial_line";
function serialRead() @ "xs_mqttpair_serial_read";
function serialWrite(buffer) @ "xs_mqttpair_serial_write";
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

// The BOOT button: GPIO 9 on the ESP32-C3, -C6 and -H2, GPIO 0 elsewhere (ESP-IDF's strapping
// pins), read with the internal pull-up: 1 when pressed (low), 0 when not or when the pin cannot
// be had. Opened and closed at each read: it is read only for 3 s after power-up.
function pressedBootButton() {
	const family = chipFamily();
	const pin = family === "ESP32-C3" || family === "ESP32-C6" || family === "ESP32-H2" ? 9 : 0;
	let button;
	try {
		button = new Digital({ pin, mode: Digital.InputPullUp });
		return button.read() ? 0 : 1;
	}
	catch {
		return 0;
	}
	finally {
		button?.close();
	}
}

// The board's LED, for « Identifier » and programs' board.led: its pin is opened once, at the
// first write, and kept (one object for the board's life, none a blink). A pin that cannot be an
// output (taken, or not on this chip) makes it false, once, and the LED is left alone after that.
let led, ledPin = -1;
function writeLed(pin, activeLow, on) {
	if (pin !== ledPin) {
		led?.close();
		led = undefined;
		ledPin = pin;
		try {
			if (pin >= 0) led = new Digital({ pin, mode: Digital.Output });
		}
		catch {
			led = undefined;
		}
	}
	if (!led) return false;
	led.write(on === !activeLow ? 1 : 0);
	return true;
}

export { restart, serialLine, seedRandom, openSerial, pressedBootButton, chipFamily, hasPreferences, writeLed };
