// src/setup/ports.ts over the Moddable SDK: Preference for the settings, the WiFi module's scan
// and access point, the http module's server and dns/server. Only setup mode opens any of them;
// a board in normal operation reads Preference once at boot and keeps nothing.
//
// Preference is looked up when used (Modules.importNow), not imported: on the boards it is
// preloaded (in flash), but the simulators' Preference (a JSON file, config.file.root +
// "modpreferences.json") reads its file when it loads, which must happen at run time.

import config from 'mc/config';
import Modules from 'modules';
import Net from 'net';
import WiFi from 'wifi';
import { Server as HttpServer } from 'http';
import DnsServer from 'dns/server';
import type PreferenceModule from 'preference';
import { chipFamily } from 'mqtt-pair/chip';
import type { SettingsStore } from '../../src/setup/settings';
import type { HttpHandler, HttpResponse, SetupPorts, WiFiNetwork } from '../../src/setup/ports';
import { MAX_FORM } from '../../src/setup/page';

/** Preference's domain for our settings (at most 15 characters: an ESP32's NVS namespace). */
const DOMAIN = 'mqtt-pair';

declare const MQTT_PAIR_VERSION: string;

function preference(): typeof PreferenceModule {
  return Modules.importNow('preference') as typeof PreferenceModule;
}

/** The settings in Preference. */
export class PreferenceStore implements SettingsStore {
  /** 62 on an ESP8266 (its Preference keeps 63 bytes with the string's end), set by manifest.json. */
  readonly maxBytes = Number(config.setupValueBytes) || 200;

  get(key: string): string | undefined {
    const v = preference().get(DOMAIN, key);
    return typeof v === 'string' ? v : undefined;
  }

  set(key: string, value: string): void {
    preference().set(DOMAIN, key, value);
  }
  delete(key: string): void {
    preference().delete(DOMAIN, key);
  }
  keys(): string[] {
    return preference().keys(DOMAIN);
  }
}

/** An HTTP request under way: the SDK's server calls `callback` with the request as `this`. */
interface Exchange {
  server: HttpServer & { handler?: HttpHandler };
  method?: string;
  path?: string;
  body?: string;
  tooLarge?: boolean;
  /** The response's body being sent, and how much of it went. */
  out?: string | ArrayBuffer;
  sent?: number;
}

function onHttp(this: Exchange, message: number, value?: unknown, etc?: unknown): unknown {
  try {
    switch (message) {
      case 2: // the request line
        this.path = String(value);
        this.method = String(etc);
        return;
      case 3: // a header
        if (value === 'content-length' && Number(etc) > MAX_FORM) this.tooLarge = true;
        return;
      case 4: // headers complete: read the body as a string, unless it is too large to keep
        return this.tooLarge ? false : String;
      case 6: // the body
        this.body = typeof value === 'string' ? value : '';
        return;
      case 8: // prepare the response
        return respond(this);
      case 9: // a fragment of the body: at most `value` bytes
        return fragment(this, Number(value));
    }
  } catch (e) {
    trace(`Setup page: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  return undefined;
}

function respond(x: Exchange): unknown {
  const handler = x.server.handler;
  let r: HttpResponse;
  if (x.tooLarge) r = { status: 413, type: 'text/plain; charset=utf-8', body: `The form is larger than ${MAX_FORM} bytes.` };
  else if (!handler) r = { status: 503, type: 'text/plain; charset=utf-8', body: 'Setup mode is closed.' };
  else r = handler.request({ method: x.method ?? 'GET', path: x.path ?? '/', body: x.body ?? '' });
  // ASCII text (the page, in flash) goes a slice at a time, never copied whole: an ESP8266 has no
  // room for a second page. Bytes (JSON) as they are.
  const body = typeof r.body === 'string' ? r.body : (r.body.buffer as ArrayBuffer);
  x.out = x.method === 'HEAD' ? '' : body;
  x.sent = 0;
  const length = typeof body === 'string' ? body.length : body.byteLength;
  return { status: r.status, headers: ['content-type', r.type, 'content-length', length, ...(r.headers ?? [])], body: true };
}

function fragment(x: Exchange, room: number): string | ArrayBuffer | undefined {
  const out = x.out,
    at = x.sent ?? 0;
  if (out === undefined) return undefined;
  const length = typeof out === 'string' ? out.length : out.byteLength;
  if (at >= length) {
    x.out = undefined;
    return undefined;
  }
  const n = Math.max(1, Math.min(room, 1024, length - at));
  x.sent = at + n;
  return out.slice(at, at + n);
}

/** The DNS server asks its `client` for each name's address: the board's, whatever the name. */
type OwnedDns = DnsServer & { address?: string };
function onDns(this: OwnedDns): string | undefined {
  return this.address;
}

export class ModdablePorts implements SetupPorts {
  readonly store = new PreferenceStore();
  private http: HttpServer | null = null;
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
        const s = new HttpServer({ port: port + i }) as HttpServer & { handler?: HttpHandler };
        s.handler = handler;
        s.callback = onHttp as HttpServer['callback'];
        this.http = s;
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
    if (h) {
      (h as HttpServer & { handler?: HttpHandler }).handler = undefined;
      try {
        h.close();
      } catch {
        /* closed */
      }
    }
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
