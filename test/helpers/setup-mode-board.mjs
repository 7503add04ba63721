// A board in setup mode for the page tests: the firmware's Setup (src/setup/setup.ts) on a virtual
// host, its flash a map of 62-byte values (an ESP32's Preference), a scan that finds « Salle204 »,
// and its page's handler kept for the test's own server to call. boardPorts: the ports alone.
import { Setup } from '../../dist/testing.js';

/**
 * A board's ports (src/setup/ports.ts) over `store`, for Setup on a virtual host: an ESP32 that
 * scans nothing, serves on the port asked and drops what it writes; `more` replaces any of them.
 */
export function boardPorts(store, more = {}) {
  return {
    store,
    info: () => ['mqtt-pair', '0.1.0', 'ESP32', 'mqtt-pair-000001'],
    serialWrite: () => true,
    scan() {},
    openAccessPoint: () => '192.168.4.1',
    serve: (port) => port,
    answerDns() {},
    close() {},
    stationAddress: () => '',
    ...more,
  };
}

/** Opens setup mode on `host` for `reason` (its codes `why`); returns the store, its map, the ports and the Setup. */
export function setupModeBoard(host, reason, why) {
  host.wifi = { join() {}, leave() {}, address: () => '' };
  const m = new Map();
  const store = { maxBytes: 62, get: (k) => m.get(k), set: (k, v) => m.set(k, v), delete: (k) => m.delete(k), keys: () => [...m.keys()] };
  const ports = boardPorts(store, {
    scan: (done) => queueMicrotask(() => done([{ ssid: 'Salle204', rssi: -50, open: false }])),
    serve(port, handler) {
      ports.handler = handler;
      return port;
    },
  });
  const firmware = { build: { setupPort: 80, setupDnsPort: 53 }, running: () => false, stopBoard() {} };
  const setup = new Setup(host, ports, firmware);
  setup.openPage(reason, why);
  return { m, store, ports, setup };
}
