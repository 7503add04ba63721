// The Host interface over the Moddable SDK, put together from one file a concern:
//   clock.ts                  the clock and timers (`time`, `timer`)
//   station.ts                the WiFi station and the board's id (`wifi`, `net`)
//   connection.ts             how a connection starts and ends: the date for TLS (`sntp`), DNS (`net`)
//   socket-connection.ts      TCP and TLS (`socket`, `securesocket`: mqtt://, mqtts://)
//   websocket-connection.ts   WebSocket (`websocket`: ws://, wss://)
//   tls.ts                    TLS settings, its failures in words, the CA certificate check
//   log.ts                    the console line
// and here the host itself: connections by scheme, randomness, the log, the id and restarting,
// with our own tiny `mqtt-pair/chip` module to reset the board (through the SDK's system.c,
// without its System global), reach the serial port of a release build, and seed the
// simulators' RNG.
//
// Rules kept here so src/ never has to know about the XS runtime:
// - nothing throws out of `connect`, a timer, a socket callback or a WiFi callback;
// - every connection ends with exactly one `closed(reason)`, never synchronously inside `connect`;
// - after `close()` a connection reports nothing more.
//
// RAM: this code is preloaded (in flash); what a running board keeps is objects' fields. So the
// host, the station and each connection are class instances, and the SDK's timers, sockets and
// WiFi monitor call module-level functions that find their owner in a property, instead of
// closures: on XS each closure kept alive costs a few hundred bytes, a field 16 (32 on 64-bit).
// The host is one object, made of three classes (Clock, Station, ModdableHost): a class more
// costs the board nothing (its prototype is in flash), an object more would.

import { restart as restartBoard, seedRandom } from 'mqtt-pair/chip';
import type { Connection, ConnectionEvents, Endpoint, Host, WiFi as StationWiFi } from '../../src/host';
import { describe, logLine } from './log';
import { SocketConnection } from './socket-connection';
import { deviceIdFromMac, Station } from './station';
import { WebSocketConnection } from './websocket-connection';

export interface ModdableHostOptions {
  /** The time server that sets the clock before the first TLS connection (config `sntp`). */
  sntp?: string;
}

export class ModdableHost extends Station implements Host {
  /** The WiFi station is the host itself (one object less; its fields are in station.ts). */
  wifi: StationWiFi;
  // hosts/moddable/devices.ts's hooks, assigned by main() when the board has them (no field otherwise).
  declare sensor?: Host['sensor'];
  declare buttons?: Host['buttons'];
  declare showColour?: Host['showColour'];
  declare led?: Host['led'];
  // Plain fields, not #private: the board's host delegates to this one (Object.create), and a
  // private field is not reachable through a prototype.
  readonly id: string;
  /** The time server for TLS's clock. */
  sntp: string;

  constructor(options: ModdableHostOptions) {
    super();
    this.sntp = options.sntp || 'pool.ntp.org';
    seedRandom(); // before the first Math.random: the id, the jitter, TLS
    this.id = deviceIdFromMac();
    this.wifi = this;
  }

  connect(to: Endpoint, events: ConnectionEvents): Connection {
    return to.transport === 'ws' || to.transport === 'wss' ? new WebSocketConnection(to, events, this) : new SocketConnection(to, events, this);
  }

  random(): number {
    return Math.random();
  }

  log(line: string): void {
    logLine(line);
  }

  /** Runs the firmware again where the hardware cannot be reset (the simulators); false where there is nothing to run. */
  protected softRestart(): boolean {
    return false;
  }

  deviceId(): string {
    return this.id;
  }

  restart(reason: string): void {
    let restarted = false;
    try {
      restarted = restartBoard();
    } catch (e) {
      logLine(`Restart failed: ${describe(e)}`);
    }
    if (restarted) return; // a board never gets here: restartBoard() does not return
    if (!this.softRestart()) {
      logLine(`Cannot restart this platform (${reason}): stopped.`);
      return;
    }
    logLine('This platform cannot reset itself: starting the firmware again in 1 s...');
  }
}
