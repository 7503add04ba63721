// The WiFi station over the SDK's `wifi` and `net` (on the simulators, the SDK's simulated
// station): join, leave, the address, and the board's id from its MAC. Moddable's messages are
// "connect", "gotIP", "lostIP" and "disconnect"; the SDK calls the monitor's callback as its
// method, and the callback finds the station in a property (hosts/moddable/host.ts says why).
//
// Station is the host's middle class (Clock, Station, ModdableHost): the host is its own WiFi
// station, one object less.

import Timer from 'timer';
import Net from 'net';
import WiFi from 'wifi';
import type { WiFi as StationWiFi, WiFiEvents } from '../../src/host';
import { Clock } from './clock';
import { describe, logLine } from './log';

/** The SDK calls a WiFi monitor's callback as its method: the station is in `station`. */
type OwnedWiFi = WiFi & { station?: Station };

function onWiFi(this: OwnedWiFi, message: string, code?: number): void {
  try {
    this.station?.wifiMessage(this, message, code);
  } catch (e) {
    logLine(`Internal error in WiFi: ${describe(e)}`);
  }
}

export class Station extends Clock implements StationWiFi {
  /**
   * WiFi joins and broker names that failed in a row (reset by an address, or a name resolved).
   * hosts/moddable/firmware.ts opens setup mode when it reaches setupAfter.
   */
  troubles = 0;
  // (Plain fields: a #private one costs a slot more per object on XS.)
  private monitor: OwnedWiFi | null = null;
  private listener: WiFiEvents | null = null;
  private ssid = '';
  /** A join that could not start, reported from the run loop. */
  private failure: Timer | null = null;

  join(ssid: string, password: string, listener: WiFiEvents): void {
    this.closeMonitor();
    this.listener = listener;
    this.ssid = ssid;
    // Each join counts as a trouble until the network gives an address: the troubles before this
    // one are the joins that failed.
    if (this.troubles) this.troubled(`${this.troubles} attempts to join the WiFi "${ssid}" failed`, ['wifi', String(this.troubles), ssid]);
    this.troubles++;
    try {
      if (WiFi.mode !== 1 && WiFi.mode !== 3) WiFi.mode = 1; // station (with the access point in setup mode)
      const m = new WiFi(password ? { ssid, password } : { ssid }, onWiFi as ConstructorParameters<typeof WiFi>[1]) as OwnedWiFi;
      m.station = this;
      this.monitor = m;
    } catch (e) {
      logLine(`WiFi: cannot start joining "${ssid}": ${describe(e)}`);
      // Reported as a failed join, so the join state machine retries. (A closure: a rare path.)
      this.failure = Timer.set(() => {
        this.failure = null;
        try {
          listener.wifiEvent('disconnected');
        } catch (err) {
          logLine(`Internal error in WiFi: ${describe(err)}`);
        }
      });
    }
  }

  wifiMessage(m: OwnedWiFi, message: string, code?: number): void {
    const listener = this.listener;
    if (m !== this.monitor || !listener) return;
    if (message === 'connect') listener.wifiEvent('connected');
    else if (message === 'gotIP') {
      this.troubles = 0;
      listener.wifiEvent('gotIP');
    } else if (message === 'lostIP') listener.wifiEvent('lostIP');
    else if (message === 'disconnect') {
      if (code === -1) logLine(`WiFi: "${this.ssid}" refused the password`);
      if (m === this.monitor) listener.wifiEvent('disconnected');
    }
  }

  leave(): void {
    const had = this.monitor !== null;
    this.closeMonitor();
    if (!had) return;
    try {
      if (typeof WiFi.disconnect === 'function') WiFi.disconnect();
      else WiFi.connect(); // older SDKs: connect() without a dictionary disconnects
    } catch {
      /* not connected */
    }
  }

  address(): string {
    try {
      return Net.get('IP') ?? '';
    } catch {
      return '';
    }
  }

  /** The WiFi or the broker's name failed again (`troubles` says how many times in a row): the firmware may open setup mode. */
  troubled(_reason: string, _why: string[]): void {
    /* a plain host goes on trying */
  }

  private closeMonitor(): void {
    if (this.failure) {
      Timer.clear(this.failure);
      this.failure = null;
    }
    const m = this.monitor;
    this.monitor = null;
    if (!m) return;
    m.station = undefined;
    try {
      m.close();
    } catch {
      /* already closed */
    }
  }
}

/**
 * The station MAC as 12 lowercase hex digits, as the seed's hexlify(unique_id()); random where
 * there is none (the simulators), so that two instances never share a client id.
 */
export function deviceIdFromMac(): string {
  let mac: unknown;
  try {
    if (WiFi.mode !== 1) WiFi.mode = 1; // station: on ESP32 the MAC is only readable once WiFi is up
    mac = Net.get('MAC');
  } catch {
    mac = undefined;
  }
  const hex = typeof mac === 'string' ? mac.replace(/[^0-9a-f]/gi, '').toLowerCase() : '';
  if (hex.length >= 12 && /[1-9a-f]/.test(hex)) return hex;
  let id = '';
  for (let i = 0; i < 12; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}
