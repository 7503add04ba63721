// What @moddable/typings (listed in tsconfig.json) does not type, or types otherwise than the SDK
// 8.2.3 behaves. Our own Moddable module, provided by manifest.json: hosts/moddable/native/chip.{js,c} on the
// boards, hosts/moddable/native/sim/chip.{js,c} on the desktop simulators.
declare module 'mqtt-pair/chip' {
  /**
   * Resets the board and does not return (the SDK's xs_system_restart: the ESP8266 waits, yielding
   * to its SDK, which resets it), or returns false where there is no hardware to reset (simulators).
   */
  export function restart(): boolean;
  /**
   * Writes one line to the serial port at 115200 baud and returns true where the build's trace()
   * reaches no serial monitor (a release build on a board); returns false where trace() does
   * (a debug or instrumented build, the simulators).
   */
  export function serialLine(line: string): boolean;
  /** Seeds Math.random from the system's entropy where nothing else does (the simulators). */
  export function seedRandom(): void;
}
declare module 'mqtt-pair/chip' {
  /** The USB serial port, for run-time setup (src/setup/setup.ts). */
  export interface SerialPort {
    /** Writes bytes (an Improv frame); false when they cannot go out. */
    write(bytes: Uint8Array | ArrayBuffer): boolean;
    /** A copy of a console line, where the console is not already the port (the simulators). */
    line(text: string): void;
    close(): void;
  }
  /**
   * Opens the USB serial port for setup and calls `target.serialBytes(bytes)` with what arrives;
   * null where there is none (a debug build's port belongs to xsbug; a simulator without
   * `setupSerial`). On the simulators `device` is the path of the device to open (a pty).
   */
  export function openSerial(device: string, target: { serialBytes(bytes: Uint8Array): void }): SerialPort | null;
  /** The BOOT button: 1 pressed, 0 not, -1 where there is none (the simulators). */
  export function pressedBootButton(): number;
  /** Whether settings may be stored (false in a simulator whose Preference file does not exist: loading it costs RAM). */
  export function hasPreferences(): boolean;
  /** The chip family as ESP Web Tools names it ("ESP32", "ESP32-C3", "ESP8266"), or "simulator". */
  export function chipFamily(): string;
  /**
   * Lights (`on`) or darkens the LED on GPIO `pin` (lit when the pin is low if `activeLow`),
   * opening the pin at the first call; false where it cannot (-1, or the pin cannot be an output).
   * The simulators have none to light: they print its state on their console when it changes.
   */
  export function writeLed(pin: number, activeLow: boolean, on: boolean): boolean;
}

// Our XS meter (hosts/moddable/native/meter.{js,c}), on every platform; it meters only where
// manifest.json builds XS with mxMetering.
declare module 'mqtt-pair/meter' {
  /** Metering on, each entry into a program allowed `budget` units (about a bytecode each); false where XS has no metering. */
  export function start(budget: number): boolean;
  /** Metering off. */
  export function stop(): void;
  /** The firmware has control back: the count outside the program's entries starts again. */
  export function tick(): void;
  /** The most units one entry took so far, or -1 without metering. */
  export function peak(): number;
  /** Runs `fn`, one entry into the program: true when its budget stopped it. Throws what `fn` throws. */
  export function call(fn: () => void): boolean;
}

// @moddable/typings' dns/server.d.ts has no options argument: the SDK's dnsserver.js takes
// { port, ttl } (modules/network/dns/dnsserver.js, SDK 8.2.3), which the simulators' port needs.
declare module 'dns/server' {
  /** The SDK's DNS server (modules/network/dns/dnsserver): asks `callback` (as its method) for each name's address. */
  export default class DnsServer {
    constructor(callback: (message: number, value?: string) => string | undefined, options?: { port?: number; ttl?: number });
    close(): void;
  }
}
