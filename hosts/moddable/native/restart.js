// mqtt-pair/restart on the boards (ESP32, ESP8266): resets the chip. The native half is restart.c.
// Returns true on ESP8266 (the reset happens once the current callback returns); never returns on ESP32.
function restart() @ "xs_mqttpair_restart";
export default restart;
