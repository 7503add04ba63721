// What the firmware does at each boot: read the settings stored on the board over the build's,
// then run the board, or open setup mode and say why (no WiFi settings, a stored setting that is
// wrong, the BOOT button held). Improv commands on the USB serial port are heard at any time, and
// setup mode opens after `setupAfter` failed WiFi joins or broker names in a row.
//
// RAM: the firmware is the host itself (one object, which is also the WiFi station), and setup's
// objects (src/setup/setup.ts) are made only when needed, kept on the serial port's object: a
// board running its role keeps three fields more than the host alone (its board, its serial port,
// the troubles counted).

import config from 'mc/config';
import { BoardClient, boardOptions, type Board } from '../../src/apps/board';
import { checkConfig, type BoardConfig } from '../../src/apps/config';
import type { ClientOptions } from '../../src/mqtt/client';
import { printable } from '../../src/apps/text';
import { checkChanges, effective, mergedConfig, missingSettings, readStored, type Settings } from '../../src/setup/settings';
import { Setup, type Firmware as SetupFirmware } from '../../src/setup/setup';
import { eventFrame } from '../../src/setup/improv';
import { chipFamily, hasPreferences, openSerial, pressedBootButton, type SerialPort, writeLed } from 'mqtt-pair/chip';
import { ModdableHost } from './host';
import { transportConfigError } from './tls';
import { ModdablePorts, PreferenceStore } from './setup-ports';
import type { ProgramRunner } from '../../src/host';
import { compartmentRunner } from '../../src/program/compartment';
import { startProgramBoard } from '../../src/program/program';
import {
  beginProgramRun,
  forgetStops,
  noteProgramStop,
  type ProgramStops,
  programStops,
  readProgram,
  SAFE_AFTER,
  safeModeLine,
  type StopCode,
  stopMark,
  uncountRun,
  unsaidStops,
} from '../../src/setup/program-store';
import { call as meterCall, peak as meterPeak, start as meterStart, stop as meterStop, tick as meterTick } from 'mqtt-pair/meter';

type Raw = Record<string, unknown>;

// The build's config is checked here, when the firmware is built: the checked copy is in flash and
// costs the board no RAM. mc/config is frozen and holds the manifest's "config" merged with
// key=value from the mcconfig command line (those arrive as strings; checkConfig accepts both).
const checked: BoardConfig | string = checkConfig(config, '', true);
const options: ClientOptions | null = typeof checked === 'string' ? null : boardOptions(checked);

/**
 * Whether this image runs students' programs: its manifest keeps the XS parser ("strip": [] and
 * "programs": true on the esp32 family and the simulators; the ESP8266 image has neither).
 */
const PROGRAMS = config.programs === true || config.programs === 'true';
/** The program runner, made at the first program (or the first one sent): null where the engine has none. */
let runner: ProgramRunner | null | undefined;
/** Whether XS's meter is on (a program runs), and its tick scheduled. */
let metering = false;

/**
 * XS's meter (hosts/moddable/native/meter.c): the computation one entry into a program may take
 * (its body, one callback), in the engine's units, about one a bytecode. Chosen from measurements
 * (docs/programs.md): the tutorial's ESP#1 takes at most 8,192 an entry, a simple loop about 14 a
 * turn (so about 70,000 turns); mcsim runs it in about 20 ms, an ESP32 within about 2 s (estimated).
 */
const METER_BUDGET = 1000000;
/** How long a program runs without a stop before its stops are forgotten (a clean run). */
const CLEAN_MS = 30000;
/** How often the firmware tells the meter it has control back (outside the program's entries). */
const TICK_MS = 100;

/** How many failed WiFi joins or broker names in a row open setup mode, unless setupAfter says. */
const SETUP_AFTER = 5;
/** How long after power-up a held BOOT button opens setup mode, how often it is read, and how long it must be held. */
const BUTTON_MS = 3000,
  BUTTON_EVERY = 100,
  HELD_MS = 500;

/**
 * The LED a chip family's classroom boards have, as GPIO × 2 + 1 when lit by a low level; -1:
 * none known. ESP32: GPIO 2 on most « ESP32 DevKit V1 » (the DevKitC has none: led=-1 says so);
 * ESP8266: GPIO 2 on the Wemos D1 mini's module, lit when low; ESP32-C3: GPIO 8 on the C3
 * SuperMini, lit when low. The S3 DevKitC's LED is an RGB one (GPIO 48 or 38) that needs RMT: none
 * here. The simulators print the LED's state on their console (GPIO 2 there, as an ESP32's).
 */
function defaultLed(family: string): number {
  if (family === 'ESP32' || family === 'simulator') return 4;
  if (family === 'ESP8266') return 5;
  if (family === 'ESP32-C3') return 17;
  return -1;
}

export class Firmware extends ModdableHost implements SetupFirmware {
  /** The build's config (mc/config, in flash), for setup. */
  get build(): Raw {
    return config;
  }
  private board: Board | null = null;
  /** The LED's GPIO × 2, + 1 when it is lit by a low level; -1: no LED (wireLed). */
  private ledWiring = -1;
  /** The USB serial port; setup's objects hang on it once made (on a stand-in where there is no port). */
  private serial: (SerialPort & { setup?: Setup }) | null;
  /** The stops as they were before the program's run under way was counted; null once it proved clean or was stopped.
   *  (Declared, not set: the property is made only once a program runs, a slot a board without one never pays.) */
  declare private runBefore?: ProgramStops | null;

  constructor() {
    super({ sntp: config.sntp ? String(config.sntp) : undefined });
    this.serial = openSerial(String(config.setupSerial ?? ''), this);
  }

  /** At power-up, and where a simulator restarts in place. */
  boot(): void {
    const port = this.serial;
    if (port?.setup) {
      port.setup.stop();
      port.setup = undefined;
    }
    this.stopBoard();
    const stored = this.stored();
    this.wireLed(effective(config, stored));
    if (!stored) {
      // Nothing stored: the build's config, as before run-time setup, unless it lacks the essentials.
      if (typeof checked !== 'string') {
        // What this board cannot do with its broker (TLS without a CA certificate) is a config error too.
        const tls = transportConfigError(config);
        return tls ? this.log(`Config error: ${tls}`) : this.run(checked, options!, config);
      }
      const missing = missingSettings(effective(config, null));
      if (!missing.length) return this.log(`Config error: ${checked}`);
      return this.openSetup(lacking(missing), ['missing', ...missing]);
    }
    const settings = effective(config, stored);
    const missing = missingSettings(settings);
    if (missing.length) return this.openSetup(lacking(missing), ['missing', ...missing]);
    const raw = mergedConfig(config, stored);
    const c = checkConfig(raw, '', true);
    const problem = typeof c === 'string' ? checkChanges(config, null, stored, { deviceId: this.deviceId(), maxBytes: Infinity, complete: true }) : null;
    if (typeof c === 'string' || problem) {
      this.log(`Config error: ${problem ? `${problem.key}, stored on this board: ${problem.message}` : c}`);
      return this.openSetup('a setting stored on this board is wrong', ['wrong']);
    }
    const tls = transportConfigError(raw);
    if (tls) {
      this.log(`Config error: ${tls}`);
      return this.openSetup('the broker needs a CA certificate this firmware lacks', ['ca']);
    }
    this.sntp = settings.sntp || 'pool.ntp.org';
    this.run(c, boardOptions(c), raw);
  }

  /** Host.event: a program's event as a frame on the USB serial port (docs/improv.md « A program's events »). */
  event(code: string, facts: readonly string[]): void {
    this.serial?.write(eventFrame(code, facts));
  }

  /** The LED's pin and level: the settings led and ledActiveLow over the chip's default (defaultLed), unless devices.ts drives it. */
  private wireLed(settings: Settings): void {
    if (this.led && this.led !== Firmware.prototype.boardLed) return;
    const d = defaultLed(chipFamily()),
      pin = settings.led === undefined ? d >> 1 : Number(settings.led),
      low = settings.ledActiveLow === undefined ? pin === d >> 1 && (d & 1) === 1 : settings.ledActiveLow === 'true';
    this.ledWiring = pin < 0 ? -1 : pin * 2 + (low ? 1 : 0);
    // A method, not a closure: Identify and programs call host.led?.(on), and « no LED » is no led.
    this.led = pin < 0 ? undefined : Firmware.prototype.boardLed;
  }

  /** Host.led where the firmware drives the board's LED itself. */
  boardLed(on: boolean): void {
    const w = this.ledWiring;
    if (w >= 0) writeLed(w >> 1, (w & 1) === 1, on);
  }

  /** The settings stored on the board, or null. (The simulators' Preference costs RAM once loaded: not when no file holds any.) */
  private stored(): Settings | null {
    return hasPreferences() ? readStored(new PreferenceStore()) : null;
  }

  /** Runs the board: its stored program where there is one, else its role. `raw` is the config as read (a program's board checks it again). */
  private run(c: BoardConfig, o: ClientOptions, raw: Raw): void {
    this.troubles = 0;
    const program = this.storedProgram();
    if (!program && metering) {
      // A simulator restarted in place: no program now, no meter.
      metering = false;
      meterStop();
    }
    // The board's host is this one as it is: its log already prints network text as text (runBoard
    // would wrap it for that, an object more).
    this.board = program ? this.runProgram(raw, program) : new BoardClient(this, c, o).start();
    watchButton(this);
  }

  /**
   * The program stored on this board (src/setup/program-store.ts), when this image runs programs
   * and it was not stopped SAFE_AFTER times in a row (then the role runs: safe mode, said).
   */
  private storedProgram(): { name: string; hash: string; source: string } | null {
    if (!PROGRAMS || !hasPreferences()) return null;
    const store = new PreferenceStore();
    const program = readProgram(store, (why) => this.log(`Program error: ${why}; running the role instead`));
    if (!program) return null;
    // A stop the board went before saying (memory full, a stack overflow, a reset): said now, once.
    const unsaid = unsaidStops(store);
    if (unsaid) this.event('stopped', [unsaid.code, String(unsaid.count), String(SAFE_AFTER)]);
    const before = programStops(store);
    const safe = beginProgramRun(store);
    if (!safe) {
      this.runBefore = before;
      return program;
    }
    this.log(safeModeLine(program, safe));
    return null;
  }

  /** Host.restart: a restart asked for (new settings, a role, the board healing itself) is no stop of the program's. */
  override restart(reason: string): void {
    if (this.runBefore) {
      uncountRun(new PreferenceStore(), this.runBefore);
      this.runBefore = null;
    }
    super.restart(reason);
  }

  /**
   * One entry into the program under XS's meter (ProgramRunner.metered): past its budget the
   * program is stopped, the stop counted, and the board restarts (in a simulator, in place).
   */
  private metered(f: () => void): boolean {
    if (!meterCall(f)) return false;
    this.programStopped('l', `it never gave control back: more than ${METER_BUDGET} steps at once`);
    return true;
  }

  private programStopped(code: StopCode, why: string): void {
    this.runBefore = null;
    const count = noteProgramStop(new PreferenceStore(), code, why, true);
    this.log(`Program stopped: ${why}; restarting the board (${count} of ${SAFE_AFTER})`);
    this.event('stop', [code, String(count), String(SAFE_AFTER)]);
    this.after(0, { fire: () => this.restart('the program was stopped') });
  }

  private runProgram(raw: Raw, program: { name: string; hash: string; source: string }): Board | null {
    this.log(`Program: ${program.name}, stored on this board`);
    // A promise the program rejects and never handles aborts XS (`XS abort: unhandled rejection`),
    // a restart on a board: the SDK's abort hook (MODDEF_XS_ABORTHOOK, set by manifest.json) says
    // it instead and lets the machine go on. Memory full, or too much computation outside the
    // program's entries (after an `await`), while the program runs: the stop is counted with its
    // reason, then the abort restarts the board. A stack overflow is never given to the hook: the
    // run counted when it began is the stop.
    // The marks are made now: at memory full the hook could not make a string or an object.
    const full = stopMark(new PreferenceStore(), 'm', 'it exhausted the memory');
    const busy = stopMark(new PreferenceStore(), 'l', 'it never gave control back');
    try {
      (globalThis as { abort?: (why: string) => boolean | undefined }).abort = (why) => {
        const mark = why === 'memory full' ? full : why === 'too much computation' ? busy : null;
        if (mark) {
          mark();
          return undefined;
        }
        if (why !== 'unhandled rejection') return undefined;
        this.log('Program error: a promise was rejected and nothing handled it');
        return false;
      };
    } catch {
      // a global object that cannot take it: the abort stays the SDK's
    }
    const r = this.program;
    if (r && meterStart(METER_BUDGET)) {
      r.metered = (f) => this.metered(f);
      if (!metering) {
        const tick = {
          fire: () => {
            if (!metering) return;
            meterTick();
            this.after(TICK_MS, tick);
          },
        };
        this.after(TICK_MS, tick);
      }
      metering = true;
    } else this.log('Program: this build has no meter: a program that never gives control back would hold the board');
    const board = startProgramBoard(this, raw, program.source, undefined, program);
    const running = board;
    // A clean run: CLEAN_MS without a stop (a stop restarts the board, and this board with it).
    if (board)
      this.after(CLEAN_MS, {
        fire: () => {
          if (this.board !== running || !running) return;
          this.runBefore = null;
          forgetStops(new PreferenceStore());
          // What the program takes, against its budget: for the teacher who wonders how close it runs.
          if (metering) this.log(`Program: running cleanly (the most it ran at once: ${meterPeak()} of ${METER_BUDGET} steps)`);
        },
      });
    return board;
  }

  /** Compiles and runs a program (src/program/compartment.ts), where this image keeps the parser. */
  get program(): ProgramRunner | undefined {
    if (!PROGRAMS) return undefined;
    if (runner === undefined) runner = compartmentRunner();
    return runner ?? undefined;
  }

  /** Bytes on the USB serial port: Improv commands (setup's objects are made at the first). */
  serialBytes(bytes: Uint8Array): void {
    this.setupNow().serialBytes(bytes);
  }

  running(): boolean {
    return this.board !== null;
  }

  stopBoard(): void {
    const b = this.board;
    this.board = null;
    b?.stop();
  }

  hostCheck(raw: Raw): string | undefined {
    return transportConfigError(raw);
  }

  // One line for the serial monitor, network text as text (src/apps/text.ts); a simulator's serial
  // port gets a copy, as a board's USB port carries both its lines and Improv.
  override log(line: string): void {
    const safe = printable(line);
    super.log(safe);
    this.serial?.line(safe);
  }

  /** The WiFi or the broker's name failed `troubles` times in a row: from setupAfter on, setup mode (from the run loop). */
  override troubled(reason: string, why: string[]): void {
    if (!this.board) return;
    const after = Number(effective(config, this.stored()).setupAfter ?? SETUP_AFTER);
    if (!after || this.troubles < after) return;
    this.troubles = 0;
    this.after(0, {
      fire: () => {
        if (this.board) this.openSetup(reason, why);
      },
    });
  }

  protected override softRestart(): boolean {
    // The board under way stops first, as a reset would stop it: else its client, with the same
    // client id, would take the new one's session from it at the broker (and back), without end.
    // Its WiFi stays up (the simulator's scan for setup mode answers nothing once it was left).
    const b = this.board;
    this.board = null;
    b?.stop(true);
    this.after(1000, { fire: () => this.boot() });
    return true;
  }

  openSetup(reason: string, why: string[]): void {
    this.setupNow().openPage(reason, why);
  }

  private setupNow(): Setup {
    const port = (this.serial ??= { write: () => false, line() {}, close() {} });
    return (port.setup ??= new Setup(this, new ModdablePorts(port, `mqtt-pair-${this.deviceId().slice(-6)}`), this));
  }
}

/** The BOOT button, read for 3 s after power-up: held half a second, it opens setup mode. */
function watchButton(firmware: Firmware): void {
  if (pressedBootButton() < 0) return; // no button (the simulators)
  const watch = {
    polls: 0,
    held: 0,
    fire(): void {
      watch.held = pressedBootButton() > 0 ? watch.held + 1 : 0;
      if (watch.held * BUTTON_EVERY >= HELD_MS) return firmware.openSetup('the BOOT button was held at power-up', ['button']);
      if (++watch.polls * BUTTON_EVERY < BUTTON_MS) firmware.after(BUTTON_EVERY, watch);
    },
  };
  firmware.after(BUTTON_EVERY, watch);
}

function lacking(missing: string[]): string {
  return missing.includes('ssid') ? 'no WiFi settings on this board' : `no ${missing.join(', ')} set on this board`;
}
