// Our own Moddable module, provided by manifest.json: hosts/moddable/native/chip.{js,c} on the
// boards, hosts/moddable/native/sim/chip.{js,c} on the desktop simulators.
declare module 'mqtt-pair/chip' {
  /**
   * Resets the board (ESP32: does not return; ESP8266: resets once the current callback returns)
   * and returns true, or returns false where there is no hardware to reset (simulators).
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
