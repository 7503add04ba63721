// mqtt-pair/chip on the desktop simulators (mac, lin, win); the native half is chip.c.
// hosts/moddable/moddable-modules.d.ts says what each function does.
import Serial from "embedded:io/serial";
import { File } from "file";
import config from "mc/config";

// There is no board to reset: say so, and the host starts the firmware again instead.
function restart() { return false; }
// mcsim prints trace() on its own console.
function serialLine() { return false; }
function seedRandom() @ "xs_mqttpair_seed";
// No BOOT button.
function pressedBootButton() { return -1; }
function chipFamily() { return "simulator"; }
// Moddable's Preference on Linux is JavaScript that keeps its whole file in RAM once loaded
// (config.setupPreferenceFile in config.file.root, "./"): the firmware loads it only when the file
// is there. Elsewhere it is native, and free to ask.
function hasPreferences() {
	const file = config.setupPreferenceFile;
	return !file || File.exists(config.file.root + file);
}

/** Bytes written at most while the other end is not reading; past that, console lines are dropped. */
const MAX_QUEUED = 8192;

/**
 * The setup channel's serial port: the device the build names (config setupSerial, a pty in the
 * tests), opened with ECMA-419's serial IO. Console lines go to it too, as on a board, where the
 * console and Improv share the USB port. Returns null when the device cannot be opened.
 */
function openSerial(device, target) {
	if (!device) return null;
	let port;
	try {
		port = new Serial({ device, baud: 115200, format: "buffer", target, onReadable, onWritable });
	}
	catch (e) {
		trace(`Setup over USB: cannot open ${device}: ${e.message}\n`);
		return null;
	}
	return new SerialPort(port);
}

function onReadable() {
	const bytes = this.read();
	if (bytes) this.target.serialBytes(new Uint8Array(bytes));
}

function onWritable() {
	this.owner?.drain();
}

class SerialPort {
	constructor(port) {
		this.port = port;
		this.queue = null;
		this.queued = 0;
		port.owner = this;
	}
	write(bytes) {
		if (!this.port) return false;
		const all = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
		if (this.queued + all.byteLength > MAX_QUEUED) return false;
		// The port takes 1 KB a write at most, and nothing while a write is still going out.
		for (let at = 0; at < all.byteLength; at += 1024) {
			const buffer = all.slice(at, at + 1024).buffer;
			if (!this.queue) {
				try { this.port.write(buffer); continue; }
				catch { this.queue = []; }
			}
			this.queue.push(buffer);
			this.queued += buffer.byteLength;
		}
		return true;
	}
	line(text) {
		if (this.queue && this.queued > MAX_QUEUED / 2) return; // a console line is not worth a frame
		this.write(ArrayBuffer.fromString(text + "\r\n"));
	}
	drain() {
		const queue = this.queue;
		while (queue?.length) {
			try { this.port.write(queue[0]); }
			catch { return; }
			this.queued -= queue.shift().byteLength;
		}
		this.queue = null;
	}
	close() {
		try { this.port?.close(); } catch {}
		this.port = undefined;
	}
}

// No LED on the simulator's screen: its state is said on the console instead, a line each time it
// changes, so that a test (or a student at mcsim) sees « Identifier » blink.
let ledOn = false;
function writeLed(pin, activeLow, on) {
	if (pin < 0) return false;
	if (on !== ledOn) trace(`LED ${on ? "on" : "off"} (GPIO ${pin})\n`);
	ledOn = on;
	return true;
}

export { restart, serialLine, seedRandom, openSerial, pressedBootButton, chipFamily, hasPreferences, writeLed };
