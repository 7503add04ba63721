// src/setup/ports.ts over the Moddable SDK: Preference for the settings, the WiFi module's scan
// and access point, our HTTP server on its sockets
// (setup-server.ts) and dns/server. Only setup mode opens any of them;
// a board in normal operation reads Preference once at boot and keeps nothing.
//
// Preference is looked up when used (Modules.importNow), not imported: on the boards it is
// preloaded (in flash), but the simulators' Preference (a JSON file, config.file.root +
// "modpreferences.json") reads its file when it loads, which must happen at run time.

import config from 'mc/config';
import Modules from 'modules';
import Net from 'net';
import WiFi from 'wifi';
import DnsServer from 'dns/server';
import type PreferenceModule from 'preference';
import { chipFamily } from 'mqtt-pair/chip';
import type { SettingsStore } from '../../src/setup/settings';
import type { HttpHandler, SetupPorts, WiFiNetwork } from '../../src/setup/ports';
import { PageServer } from './setup-server';

/** Preference's domain for our settings (at most 15 characters: an ESP32's NVS namespace). */
const DOMAIN = 'mqtt-pair';

declare const MQTT_PAIR_VERSION: string;

/** The setup page's connections open at once: 4 on an ESP32, 2 on an ESP8266 (docs/flashing.md says why). */
const MAX_CONNECTIONS = Number(config.setupConnections) || 4;

function preference(): typeof PreferenceModule {
  return Modules.importNow('preference') as typeof PreferenceModule;
}

/** The settings in Preference. */
export class PreferenceStore implements SettingsStore {
  /** 62 on an ESP8266 (its Preference keeps 63 bytes with the string's end), set by manifest.json. */
  readonly maxBytes = Number(config.setupValueBytes) || 200;
  /** Found once: a stop's mark writes through this store when the memory is full (no lookup then). */
  private readonly pref = preference();

  get(key: string): string | undefined {
    const v = this.pref.get(DOMAIN, key);
    return typeof v === 'string' ? v : undefined;
  }

  set(key: string, value: string): void {
    this.pref.set(DOMAIN, key, value);
  }
  delete(key: string): void {
    this.pref.delete(DOMAIN, key);
  }
  keys(): string[] {
    return this.pref.keys(DOMAIN);
  }
}

/** The DNS server asks its `client` for each name's address: the board's, whatever the name. */
type OwnedDns = DnsServer & { address?: string };
function onDns(this: OwnedDns): string | undefined {
  return this.address;
}

export class ModdablePorts implements SetupPorts {
  readonly store = new PreferenceStore();
  private http: PageServer | null = null;
  private dns: DnsServer | null = null;

  constructor(
    private readonly serial: { write(bytes: Uint8Array): boolean } | null,
    private readonly deviceName: string,
  ) {}

  info(): [string, string, string, string] {
    return ['mqtt-pair', MQTT_PAIR_VERSION, chipFamily(), this.deviceName];
  }

  serialWrite(bytes: Uint8Array): boolean {
    return this.serial ? this.serial.write(bytes) : false;
  }

  scan(done: (networks: WiFiNetwork[]) => void): void {
    const found: WiFiNetwork[] = [];
    try {
      if (!WiFi.mode) WiFi.mode = 1;
      WiFi.scan({}, (item: { ssid: string; rssi: number; authentication: string } | null) => {
        if (item) found.push({ ssid: item.ssid, rssi: item.rssi, open: item.authentication === 'none' });
        else done(found);
      });
    } catch (e) {
      trace(`Setup: WiFi scan failed: ${e instanceof Error ? e.message : String(e)}\n`);
      done(found);
    }
  }

  openAccessPoint(ssid: string, password: string): string {
    WiFi.mode = 3; // station and access point: the board scans, and may join a network, meanwhile
    WiFi.accessPoint(password ? { ssid, password } : { ssid });
    const ip = (Net.get as (p: string, i: string) => unknown)('IP', 'ap'); // (the typings lack the interface argument)
    return typeof ip === 'string' && ip && ip !== '0.0.0.0' ? ip : '192.168.4.1';
  }

  serve(port: number, handler: HttpHandler): number {
    // The simulators share one address: the first free port from `port` on.
    const tries = chipFamily() === 'simulator' ? 20 : 1;
    for (let i = 0; ; i++) {
      try {
        this.http = new PageServer(port + i, handler, MAX_CONNECTIONS, this.store.maxBytes);
        return port + i;
      } catch (e) {
        if (i + 1 >= tries)
          throw new Error(`no HTTP server on port ${port}${tries > 1 ? `-${port + tries - 1}` : ''} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
  }

  answerDns(port: number, address: string): void {
    const d = new DnsServer(onDns as () => string, { port }) as OwnedDns;
    d.address = address;
    this.dns = d;
  }

  close(): void {
    const h = this.http,
      d = this.dns;
    this.http = this.dns = null;
    if (h) h.close();
    if (d)
      try {
        d.close();
      } catch {
        /* closed */
      }
    try {
      WiFi.mode = 1;
    } catch {
      /* no WiFi */
    }
  }

  stationAddress(): string {
    try {
      const ip = (Net.get as (p: string, i: string) => unknown)('IP', 'station');
      return typeof ip === 'string' && ip !== '0.0.0.0' ? ip : '';
    } catch {
      return '';
    }
  }
}
