// Our own Moddable module, provided by manifest.json: hosts/moddable/native/restart.{js,c} on the
// boards, hosts/moddable/native/sim/restart.js on the desktop simulators.
declare module 'mqtt-pair/restart' {
  /**
   * Resets the board (ESP32: does not return; ESP8266: resets once the current callback returns)
   * and returns true, or returns false where there is no hardware to reset (simulators).
   */
  export default function restart(): boolean;
}
