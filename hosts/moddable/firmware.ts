// What the firmware does at each boot: read the settings stored on the board over the build's,
// then run the board, or open setup mode and say why (no WiFi settings, a stored setting that is
// wrong, the BOOT button held). Improv commands on the USB serial port are heard at any time, and
// setup mode opens after `setupAfter` failed WiFi joins or broker names in a row. Setup's objects
// (src/setup/setup.ts) are made only when needed: a board running its role holds this object, its
// serial port, and nothing else of setup.

import { boardHost, boardOptions, runBoard, type Board } from '../../src/apps/board';
import { checkConfig, type BoardConfig } from '../../src/apps/config';
import type { ClientOptions } from '../../src/mqtt/client';
import { printable } from '../../src/apps/text';
import { checkChanges, effective, mergedConfig, missingSettings, readStored } from '../../src/setup/settings';
import { Setup, type Firmware as SetupFirmware } from '../../src/setup/setup';
import { openSerial, pressedBootButton, type SerialPort } from 'mqtt-pair/chip';
import { transportConfigError, type ModdableHost } from './host';
import { ModdablePorts, PreferenceStore } from './setup-ports';

type Raw = Record<string, unknown>;

/** How many failed WiFi joins or broker names in a row open setup mode, unless setupAfter says. */
const SETUP_AFTER = 5;
/** How long after power-up a held BOOT button opens setup mode, and how often it is read meanwhile. */
const BUTTON_MS = 3000, BUTTON_EVERY = 100, HELD_MS = 500;

export class Firmware implements SetupFirmware {
  private board: Board | null = null;
  private setup: Setup | null = null;
  private readonly serial: SerialPort | null;
  /** The BOOT button's watch, the first 3 s after power-up. */
  private button: { polls: number; held: number } | null = null;

  /** `checked` and `options` are the build's config checked when the firmware was built (in flash). */
  constructor(readonly host: ModdableHost, readonly build: Raw, private readonly checked: BoardConfig | string, private readonly options: ClientOptions | null) {
    this.serial = openSerial(String(build.setupSerial ?? ''), this);
    host.serial = this.serial;
    host.firmware = this;
  }

  /** At power-up, and where a simulator restarts in place. */
  boot(): void {
    const host = this.host, build = this.build;
    this.setup?.stop();
    this.setup = this.board = null;
    this.watchButton();
    const stored = readStored(new PreferenceStore());
    if (!stored) {
      // Nothing stored: the build's config, as before run-time setup, unless it lacks the essentials.
      if (typeof this.checked !== 'string') return this.run(this.checked, this.options!, null);
      const missing = missingSettings(effective(build, null));
      if (!missing.length) return host.log(printable(`Config error: ${this.checked}`));
      return this.openSetup(lacking(missing));
    }
    const missing = missingSettings(effective(build, stored));
    if (missing.length) return this.openSetup(lacking(missing));
    const raw = mergedConfig(build, stored);
    const config = checkConfig(raw, '', true);
    const problem = typeof config === 'string'
      ? checkChanges(build, null, stored, { deviceId: host.deviceId(), maxBytes: Infinity, complete: true })
      : null;
    if (typeof config === 'string' || problem) {
      host.log(printable(`Config error: ${problem ? `${problem.key}, stored on this board: ${problem.message}` : config}`));
      return this.openSetup('a setting stored on this board is wrong');
    }
    const tls = transportConfigError(raw);
    if (tls) {
      host.log(`Config error: ${tls}`);
      return this.openSetup('the broker needs a CA certificate this firmware lacks');
    }
    this.run(config, boardOptions(config), stored);
  }

  private run(config: BoardConfig, options: ClientOptions, stored: Raw | null): void {
    const setupAfter = Number(effective(this.build, stored as Record<string, string> | null).setupAfter ?? SETUP_AFTER);
    this.host.troubleAt = setupAfter;
    this.board = runBoard(this.host, config, options);
  }

  /** Bytes on the USB serial port: Improv commands (setup's objects are made at the first). */
  serialBytes(bytes: Uint8Array): void {
    this.setupNow().serialBytes(bytes);
  }

  running(): boolean { return this.board !== null; }

  stopBoard(): void {
    const b = this.board;
    this.board = null;
    b?.stop();
  }

  hostCheck(raw: Raw): string | undefined { return transportConfigError(raw); }

  /** The settings failed setupAfter times in a row (hosts/moddable/host.ts counts). */
  trouble(reason: string): void {
    if (this.board) this.openSetup(reason);
  }

  private openSetup(reason: string): void {
    this.host.troubleAt = 0;
    this.setupNow().openPage(reason);
  }

  private setupNow(): Setup {
    return this.setup ??= new Setup(boardHost(this.host), new ModdablePorts(this.serial, `mqtt-pair-${this.host.deviceId().slice(-4)}`), this);
  }

  /** The BOOT button, read for 3 s after power-up: held half a second, it opens setup mode. */
  private watchButton(): void {
    if (this.button || pressedBootButton() < 0) return;
    this.button = { polls: 0, held: 0 };
    this.host.after(BUTTON_EVERY, this);
  }

  /** The button's timer. */
  fire(): void {
    const b = this.button;
    if (!b) return;
    b.held = pressedBootButton() > 0 ? b.held + 1 : 0;
    if (b.held * BUTTON_EVERY >= HELD_MS) {
      this.button = null;
      if (!this.setup) this.openSetup('the BOOT button was held at power-up');
      return;
    }
    if (++b.polls * BUTTON_EVERY < BUTTON_MS) this.host.after(BUTTON_EVERY, this);
    else this.button = null;
  }
}

function lacking(missing: string[]): string {
  return missing.includes('ssid') ? 'no WiFi settings on this board' : `no ${missing.join(', ')} set on this board`;
}
