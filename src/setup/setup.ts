// The board's side of run-time setup. Over the USB serial port, at any time: Improv Wi-Fi's
// commands and ours (docs/improv.md). In setup mode: the board's own access point, its setup page
// on every address, and a DNS server that answers every name with the board (a captive portal).
// Made only when needed (the first byte on the serial port, or setup mode): a board running its
// role keeps none of it.

import type { Host, TimerHandle, WiFi, WiFiEvent, WiFiEvents } from '../host';
import { utf8Length } from '../mqtt/codec';
import * as improv from './improv';
import { Identify } from '../apps/identify';
import { answer, closedAnswer, type PageSite, type ProgramAnswer, type ProgramView, type SetupView } from './page';
import type { HttpHandler, HttpRequest, HttpResponse, SetupPorts, WiFiNetwork } from './ports';
import {
  checkChanges,
  clearStored,
  effective,
  missingSettings,
  readStored,
  SETTINGS,
  settingSource,
  shownValue,
  storeChanges,
  type SettingProblem,
  type Settings,
} from './settings';
import {
  chunks,
  clearProgram,
  MAX_NAME_BYTES,
  MAX_PROGRAM_BYTES,
  nameCode,
  nameProblem,
  programHash,
  programInfo,
  type ProgramRefusalCode,
  ProgramWriter,
  safeModeFields,
  storeProgram,
} from './program-store';

/** What setup needs to know of the firmware around it. */
export interface Firmware {
  /** The build's config (mc/config): the settings' defaults, and setup's own keys. */
  readonly build: Record<string, unknown>;
  /** Whether the board is running its role. */
  running(): boolean;
  /** Stops the running board (MQTT, the WiFi), before setup takes the WiFi. */
  stopBoard(): void;
  /** Checks what only the host can (a CA certificate in the firmware): the Config error, or undefined. */
  hostCheck?(raw: Record<string, unknown>): string | undefined;
}

/** How long setup mode waits for a visitor (a page loaded, an Improv command) before trying the saved WiFi again. */
export const IDLE_MS = 5 * 60 * 1000;
/** The most networks a scan keeps, the strongest. */
const MAX_NETWORKS = 20;
/** A scan older than this is done again when the page asks for the list. */
const RESCAN_MS = 15000;
/** A program's transfer with no chunk for this long is dropped (a client that died mid-way). */
const TRANSFER_MS = 10000;

/** A program under way over USB: its chunks, kept until the end says they add up. */
interface Transfer {
  name: string;
  size: number;
  bytes: number;
  parts: string[];
  timer: TimerHandle;
}

// Where setup is.
const NORMAL = 0,
  SERIAL = 1,
  PAGE = 2;

export class Setup implements improv.FrameSink, WiFiEvents, HttpHandler, PageSite {
  private reader = new improv.FrameReader();
  private mode = NORMAL;
  private reason = '';
  /** « Identifier » over USB (src/apps/identify.ts), made when first asked. */
  private identify: Identify | null = null;
  /** The reason as a code and its values, worded by the page in its language. */
  private why: string[] = [];
  private state = improv.READY;
  private joining: Settings | null = null;
  private joinTimer: TimerHandle | null = null;
  private idleTimer: TimerHandle | null = null;
  private restartTimer: TimerHandle | null = null;
  private networksFound: WiFiNetwork[] = [];
  private scannedAt = -1;
  private scanning = false;
  private improvScan = false;
  private port = 0;
  private stopped = false;
  /** When the last bad frame was said (-1: never), and how many came since without a word. */
  private badAt = -1;
  private badUnsaid = 0;
  /** The board ran its role before Improv's WiFi settings stopped it: it runs again if they fail. */
  private resume = false;
  private transfer: Transfer | null = null;
  /** The program the page is sending, its bytes going to the store as they come; one at a time. */
  private upload: ProgramWriter | null = null;

  constructor(
    readonly host: Host,
    readonly ports: SetupPorts,
    readonly firmware: Firmware,
  ) {}

  // ---- The serial port

  /** Bytes from the USB serial port. */
  serialBytes(bytes: Uint8Array): void {
    this.reader.push(bytes, this, this.host.now());
  }

  frame(type: number, data: Uint8Array): void {
    if (type !== improv.RPC) return; // a board's answer (ours echoed back, or another's): not for us
    const c = improv.decodeCommand(data);
    if (!c) {
      if (data[0] === improv.PROGRAM_CHUNK && this.transfer) return this.refuse(improv.PROGRAM_CHUNK, 'utf8', [], 'a part of it is not UTF-8 text');
      return this.fail(improv.INVALID_RPC, 'an Improv command whose lengths do not add up, or whose text is not UTF-8');
    }
    this.visited();
    const s = c.strings;
    switch (c.command) {
      case improv.REQUEST_STATE:
        return this.sendState(true);
      case improv.REQUEST_INFO:
        return this.send(improv.resultFrame(improv.REQUEST_INFO, this.ports.info()));
      case improv.REQUEST_NETWORKS:
        return this.scanForImprov();
      case improv.WIFI_SETTINGS:
        if (s.length !== 2) return this.fail(improv.INVALID_RPC, `the WiFi settings command takes a network and a password (${s.length} strings given)`);
        if (!s[0]) return this.fail(improv.INVALID_SETTING, 'the WiFi settings command gave no network name');
        return this.joinWiFi(s[0], s[1]);
      case improv.SET_SETTINGS:
        return this.setSettings(s);
      case improv.GET_SETTINGS:
        return this.sendSettings();
      case improv.CLEAR_SETTINGS:
        return this.clearSettings(s);
      case improv.RESTART:
        this.send(improv.resultFrame(improv.RESTART));
        return this.restartSoon('asked over USB');
      case improv.SETUP_MODE:
        this.send(improv.resultFrame(improv.SETUP_MODE));
        return this.openPage('asked over USB', ['usb']);
      case improv.PROGRAM_BEGIN:
        return this.beginProgram(s);
      case improv.PROGRAM_CHUNK:
        return this.programChunk(s);
      case improv.PROGRAM_END:
        return this.endProgram(s);
      case improv.GET_PROGRAM: {
        const p = programInfo(this.ports.store);
        return this.send(improv.resultFrame(improv.GET_PROGRAM, p ? [p.name, String(p.size), p.hash, ...safeModeFields(this.ports.store)] : []));
      }
      case improv.CLEAR_PROGRAM:
        return this.clearProgram();
      case improv.IDENTIFY:
        (this.identify ??= new Identify(this.host)).start('over USB');
        return this.send(improv.resultFrame(improv.IDENTIFY));
      default:
        return this.fail(improv.UNKNOWN_RPC, `unknown Improv command 0x${c.command.toString(16)}`);
    }
  }

  /**
   * A bad frame: an error frame and a line said, at most one a second (a stream of false starts
   * shares the UART with the good commands: each answer would take its time); the next one says
   * how many were not said.
   */
  badFrame(why: improv.BadFrame): void {
    const now = this.host.now();
    if (this.badAt >= 0 && now - this.badAt < 1000) {
      this.badUnsaid++;
      return;
    }
    const unsaid = this.badUnsaid;
    this.badAt = now;
    this.badUnsaid = 0;
    const what =
      why === 'checksum'
        ? 'an Improv frame with a wrong checksum'
        : why === 'stalled'
          ? 'an Improv frame that stopped arriving (its length said more than came)'
          : 'an Improv frame whose lengths do not fit its type';
    this.fail(improv.INVALID_RPC, unsaid ? `${what} (and ${unsaid} more bad frames before it, not said)` : what);
  }

  private send(frame: Uint8Array): void {
    this.ports.serialWrite(frame);
  }

  /** An Improv error, and the line that says what it was about. */
  private fail(error: number, why: string): void {
    this.host.log(`Setup over USB: ${why}: nothing changed`);
    this.send(improv.errorFrame(error));
  }

  /**
   * A setting refused: its key, code and facts as data (improv.refusalFrame), for a tool to word,
   * then the error; the line it prints is for a person at a serial monitor, no tool reads it.
   */
  private refuseSetting(cmd: number, p: SettingProblem): void {
    this.send(improv.refusalFrame(cmd, p.key, p.code, p.facts));
    this.fail(improv.INVALID_SETTING, `${p.key}: ${p.message}`);
  }

  private settings(): Settings {
    return effective(this.firmware.build, readStored(this.ports.store));
  }

  /**
   * The page's address on the network the board joined, for Improv's "provisioned": none, as the
   * page is served only on the board's own access point (it closes when a network is joined).
   */
  private url(): string {
    const ip = this.mode === PAGE && this.port ? this.ports.stationAddress() : '';
    return ip ? `http://${ip}${this.port === 80 ? '' : `:${this.port}`}/` : '';
  }

  private sendState(withUrl: boolean): void {
    let state = this.state;
    if (state === improv.READY && this.mode === NORMAL && this.firmware.running()) state = improv.PROVISIONED;
    this.send(improv.stateFrame(state));
    if (withUrl && state === improv.PROVISIONED) {
      const url = this.url();
      this.send(improv.resultFrame(improv.REQUEST_STATE, url ? [url] : []));
    }
  }

  // ---- Improv's WiFi settings: joined first, stored once the network gave an address

  private joinWiFi(ssid: string, password: string): void {
    const problem = this.check({ ssid, password }, false);
    // (Improv's own command: no refusal result, which ESP Web Tools would take for success.)
    if (problem) return this.fail(improv.INVALID_SETTING, `${problem.key}: ${problem.message}`);
    const wifi = this.host.wifi;
    if (!wifi) return this.fail(improv.UNABLE_TO_CONNECT, 'this board has no WiFi');
    if (this.joining) return this.fail(improv.UNKNOWN_ERROR, 'already joining a network');
    if (this.firmware.running()) {
      this.firmware.stopBoard();
      this.mode = SERIAL;
      this.resume = true;
      this.host.log('Setup over USB: the board stopped to try the new WiFi');
    }
    this.joining = { ssid, password };
    this.state = improv.PROVISIONING;
    this.sendState(false);
    this.host.log(`Setup over USB: joining "${ssid}"...`);
    const timeout = Number(this.settings().wifiTimeout ?? 20000);
    this.joinTimer = this.host.after(timeout, { fire: () => this.joined(false) });
    wifi.join(ssid, password, this);
  }

  wifiEvent(e: WiFiEvent): void {
    if (!this.joining) return;
    if (e === 'gotIP') this.joined(true);
    else if (e === 'disconnected') this.joined(false);
  }

  private joined(ok: boolean): void {
    const changes = this.joining;
    if (!changes) return;
    this.joining = null;
    if (this.joinTimer) {
      this.host.cancel(this.joinTimer);
      this.joinTimer = null;
    }
    if (!ok) {
      (this.host.wifi as WiFi).leave();
      this.state = improv.READY;
      this.host.log(`Setup over USB: could not join "${changes.ssid}" (check its name and password, and that it is in range): nothing stored`);
      this.send(improv.errorFrame(improv.UNABLE_TO_CONNECT));
      this.sendState(false);
      // A board that was running goes back to what it ran, with its stored settings, rather than
      // stay stopped with nothing to do.
      if (this.resume) this.restartSoon('the new WiFi could not be joined: back to the stored settings');
      return;
    }
    this.resume = false;
    // The page takes forms from whoever reaches it: on the network just joined (a class's), a
    // student or any site's page in a browser there. It is for the board's own access point only:
    // it closes before anything is said, and setup goes on over USB.
    if (this.mode === PAGE) this.closePage(changes.ssid);
    const failed = storeChanges(this.ports.store, changes);
    if (failed) return this.fail(improv.UNKNOWN_ERROR, failed);
    this.state = improv.PROVISIONED;
    const url = this.url();
    this.sendState(false);
    this.send(improv.resultFrame(improv.WIFI_SETTINGS, url ? [url] : []));
    this.host.log(`Setup over USB: joined "${changes.ssid}"; WiFi settings stored`);
    this.nextStep();
  }

  /** After settings were stored: restart when the board has all it needs, else say what it lacks. */
  private nextStep(): void {
    const settings = this.settings();
    const missing = missingSettings(settings);
    if (missing.length) {
      this.host.log(`Setup: still to set: ${missing.join(', ')}${this.port ? ` (setup page: ${this.url() || `port ${this.port}`})` : ''}`);
      return;
    }
    this.restartSoon('the settings are complete');
  }

  // ---- Our commands

  private setSettings(strings: string[]): void {
    if (!strings.length || strings.length % 2) return this.fail(improv.INVALID_RPC, 'the set command takes pairs of a setting and its value');
    // No prototype: a key "__proto__" is a key like any other, and refused as unknown.
    const changes: Settings = Object.create(null);
    for (let i = 0; i < strings.length; i += 2) changes[strings[i]] = strings[i + 1];
    const problem = this.check(changes, false);
    if (problem) return this.refuseSetting(improv.SET_SETTINGS, problem);
    const failed = storeChanges(this.ports.store, changes);
    if (failed) return this.fail(improv.UNKNOWN_ERROR, failed);
    const keys = Object.keys(changes);
    this.send(improv.resultFrame(improv.SET_SETTINGS, keys));
    this.host.log(`Setup over USB: stored ${keys.join(', ')}${this.mode === NORMAL ? ' (used from the next restart)' : ''}`);
  }

  /** One result a setting ([key, value, source]: the password masked), then an empty one. */
  private sendSettings(): void {
    const build = this.firmware.build,
      stored = readStored(this.ports.store),
      settings = effective(build, stored);
    for (const f of SETTINGS) {
      this.send(improv.resultFrame(improv.GET_SETTINGS, [f.key, shownValue(f.key, settings[f.key] ?? ''), settingSource(build, stored, f.key)]));
    }
    this.send(improv.resultFrame(improv.GET_SETTINGS));
  }

  private clearSettings(keys: string[]): void {
    const unknown = keys.find((k) => !SETTINGS.some((f) => f.key === k));
    if (unknown !== undefined) return this.refuseSetting(improv.CLEAR_SETTINGS, { key: unknown, message: `there is no setting "${unknown}"`, code: 'unknown' });
    if (keys.length) {
      for (const k of keys) this.ports.store.delete(k);
      this.send(improv.resultFrame(improv.CLEAR_SETTINGS, keys));
      this.host.log(`Setup over USB: cleared ${keys.join(', ')}`);
      return;
    }
    clearStored(this.ports.store);
    this.send(improv.resultFrame(improv.CLEAR_SETTINGS));
    this.host.log('Setup over USB: every stored setting cleared');
    this.restartSoon('its settings were cleared');
  }

  // ---- A student's program (src/setup/program-store.ts): begin, chunks, end; whole or nothing

  private beginProgram(s: string[]): void {
    this.dropTransfer();
    if (s.length !== 2) return this.fail(improv.INVALID_RPC, `the program command takes a name and a size (${s.length} strings given)`);
    const name = s[0],
      size = Number(s[1]);
    const B = improv.PROGRAM_BEGIN;
    const bad = nameCode(name);
    if (bad) return this.programFail(B, '', bad, bad === 'nameLong' ? [String(MAX_NAME_BYTES)] : [], nameProblem(name));
    if (!/^\d+$/.test(s[1]) || !size) return this.programFail(B, name, 'size', [], `"${s[1].slice(0, 20)}" is not a program's size in bytes`);
    if (size > MAX_PROGRAM_BYTES)
      return this.programFail(
        B,
        name,
        'large',
        [String(size), String(MAX_PROGRAM_BYTES)],
        `it is ${size} bytes long: a board takes ${MAX_PROGRAM_BYTES} at most`,
      );
    if (!this.host.program) return this.programFail(B, name, 'noParser', [], 'this board cannot run programs (its firmware has no JavaScript parser)');
    this.transfer = { name, size, bytes: 0, parts: [], timer: this.transferTimer() };
    this.send(improv.resultFrame(improv.PROGRAM_BEGIN, [name]));
  }

  private transferTimer(): TimerHandle {
    return this.host.after(TRANSFER_MS, {
      fire: () => {
        if (!this.transfer) return;
        this.transfer = null;
        this.host.log(`Program over USB: no part for ${TRANSFER_MS / 1000} s, the transfer was cut off: nothing changed`);
      },
    });
  }

  private programChunk(s: string[]): void {
    const t = this.transfer;
    const C = improv.PROGRAM_CHUNK;
    if (!t) return this.programFail(C, '', 'order', [], 'a part came with no transfer under way (begin first)');
    if (s.length !== 1) return this.refuse(C, 'shape', [], `a part is one string (${s.length} given)`);
    t.bytes += utf8Length(s[0]);
    if (t.bytes > t.size) return this.refuse(C, 'over', [String(t.size)], `more than the ${t.size} bytes announced came`);
    t.parts.push(s[0]);
    this.host.cancel(t.timer);
    t.timer = this.transferTimer();
    this.send(improv.resultFrame(improv.PROGRAM_CHUNK, [String(t.bytes)]));
  }

  private endProgram(s: string[]): void {
    const t = this.transfer;
    const E = improv.PROGRAM_END;
    if (!t) return this.programFail(E, '', 'order', [], 'an end came with no transfer under way');
    this.dropTransfer();
    if (s.length !== 1) return this.programFail(E, t.name, 'shape', [], `the end takes the program's hash (${s.length} strings given)`);
    if (t.bytes !== t.size)
      return this.programFail(
        E,
        t.name,
        'cut',
        [String(t.bytes), String(t.size)],
        `${t.bytes} bytes came of the ${t.size} announced: the transfer was cut off`,
      );
    const source = t.parts.join('');
    const hash = programHash(source);
    if (hash !== s[0]) return this.programFail(E, t.name, 'hash', [], `its hash is ${hash}, not ${s[0].slice(0, 8)}: the transfer garbled it`);
    const compiled = this.compileProblem(source);
    if (compiled) {
      const [line, column, error] = compiled;
      // The compiler's words as they are (no table of ours), bounded: the frame holds 255 bytes.
      const facts = [line, column, chunks(error, 120)[0] ?? ''];
      return this.programFail(E, t.name, 'syntax', facts, `${t.name}${line ? `, line ${line}` : ''}${column ? `, column ${column}` : ''}: ${error}`);
    }
    const failed = storeProgram(this.ports.store, t.name, source);
    if (failed) return this.fail(improv.UNKNOWN_ERROR, `program ${t.name}: ${failed}`);
    this.send(improv.resultFrame(improv.PROGRAM_END, [t.name, String(t.size), hash]));
    this.host.log(`Program over USB: stored ${t.name} (${t.size} bytes, hash ${hash})`);
    this.restartSoon(`to run the program ${t.name}`);
  }

  /** Why the program does not compile, as [line, column, error] ('' where not known), or null. */
  private compileProblem(source: string): [string, string, string] | null {
    const runner = this.host.program;
    if (!runner) return ['', '', 'this board cannot run programs'];
    try {
      runner.compile(source);
      return null;
    } catch (e) {
      let line = '',
        column = '';
      try {
        const place = runner.where(e);
        if (place) {
          line = String(place.line);
          if (place.column) column = String(place.column);
        }
      } catch {
        // no line
      }
      return [line, column, errorText(e)];
    }
  }

  // ---- The page's program (its text area): the same checks and store as over USB, its bytes
  // written to the store as they arrive (ProgramWriter), never the whole text beside the request

  openProgram(name: string, size: number): ProgramWriter | string {
    if (this.mode !== PAGE) return 'the setup page is closed';
    const bad = nameProblem(name);
    if (bad) return bad;
    if (!this.host.program) return 'this board cannot run programs (its firmware has no JavaScript parser)';
    if (!size) return 'the program is empty';
    if (size > MAX_PROGRAM_BYTES) return `it is ${size} bytes long: a board takes ${MAX_PROGRAM_BYTES} at most`;
    this.upload?.abandon('another program came');
    this.upload = new ProgramWriter(this.ports.store, name, size);
    return this.upload;
  }

  programView(): ProgramView {
    return { programs: !!this.host.program, program: programInfo(this.ports.store), max: MAX_PROGRAM_BYTES };
  }

  sentProgram(p: ProgramWriter | string | undefined): ProgramAnswer {
    if (p === this.upload) this.upload = null;
    if (p === undefined) p = 'no program came';
    let why = typeof p === 'string' ? p : p.finish();
    const name = typeof p === 'string' ? '' : p.name;
    let code = why.startsWith('it is not text in UTF-8')
      ? 'utf8'
      : why.startsWith('it is ')
        ? 'large'
        : why === 'the program is empty'
          ? 'empty'
          : why.startsWith('a program') && name === ''
            ? 'name'
            : '';
    let values = code === 'large' ? [String(MAX_PROGRAM_BYTES)] : [];
    if (!why && typeof p !== 'string') {
      const compiled = this.compileProblem(p.source());
      if (compiled) {
        code = 'syntax';
        values = compiled;
        why = `${compiled[0] ? `line ${compiled[0]}${compiled[1] ? `, column ${compiled[1]}` : ''}: ` : ''}${compiled[2]}`;
        p.abandon(why);
      } else why = p.commit();
    }
    if (why || typeof p === 'string') {
      this.host.log(`Setup page: program ${name ? `${name}: ` : ''}${why}: the board keeps its program`);
      return { ok: false, code, values, message: why };
    }
    this.host.log(`Setup page: program stored: ${p.name} (${p.size} bytes, hash ${p.hash()})`);
    this.restartSoon(`to run the program ${p.name}`);
    return { ok: true, program: programInfo(this.ports.store) };
  }

  clearedProgram(): ProgramAnswer {
    this.upload?.abandon('the program was cleared');
    this.upload = null;
    if (!clearProgram(this.ports.store)) return { ok: false, code: 'none', message: 'there is no program to clear' };
    this.host.log('Setup page: program cleared');
    this.restartSoon('its program was cleared: back to its role');
    return { ok: true, program: null };
  }

  private clearProgram(): void {
    this.dropTransfer();
    const had = clearProgram(this.ports.store);
    this.send(improv.resultFrame(improv.CLEAR_PROGRAM));
    if (!had) return this.host.log('Program over USB: there was no program to clear');
    this.host.log('Program over USB: program cleared');
    this.restartSoon('its program was cleared: back to its role');
  }

  /** A program refused mid-transfer: the transfer is dropped, the stored program stays. */
  private refuse(cmd: number, code: ProgramRefusalCode, facts: string[], why: string): void {
    const name = this.transfer?.name ?? '';
    this.dropTransfer();
    this.programFail(cmd, name, code, facts, name ? `${name}: ${why}` : why);
  }

  /**
   * A program refused: its reason's code and facts as data (improv.refusalFrame, its key the
   * program's name or ''), for a tool to word, then the error; the line it prints is for a person at
   * a serial monitor, no tool reads it.
   */
  private programFail(cmd: number, name: string, code: ProgramRefusalCode, facts: string[], why: string): void {
    this.send(improv.refusalFrame(cmd, name, code, facts));
    this.host.log(`Program over USB: ${why}: the board keeps its program`);
    this.send(improv.errorFrame(improv.INVALID_PROGRAM));
  }

  private dropTransfer(): void {
    const t = this.transfer;
    this.transfer = null;
    if (t) this.host.cancel(t.timer);
  }

  private check(changes: Settings, complete: boolean): SettingProblem | null {
    const fw = this.firmware;
    return checkChanges(fw.build, readStored(this.ports.store), changes, {
      deviceId: this.host.deviceId(),
      maxBytes: this.ports.store.maxBytes,
      complete,
      hostCheck: fw.hostCheck ? (raw) => fw.hostCheck!(raw) : undefined,
    });
  }

  // ---- Improv's scan, and the page's

  private scanForImprov(): void {
    this.improvScan = true;
    this.scan(true);
  }

  private scan(force: boolean): void {
    if (this.scanning || (!force && this.scannedAt >= 0 && this.host.now() - this.scannedAt < RESCAN_MS)) return;
    this.scanning = true;
    this.ports.scan((found) => this.scanned(found));
  }

  private scanned(found: WiFiNetwork[]): void {
    this.scanning = false;
    this.scannedAt = this.host.now();
    // One entry a name, the strongest signal; strongest first.
    const best: Record<string, WiFiNetwork> = {};
    for (const n of found) if (n.ssid && (!best[n.ssid] || best[n.ssid].rssi < n.rssi)) best[n.ssid] = n;
    this.networksFound = Object.keys(best)
      .map((k) => best[k])
      .sort((a, b) => b.rssi - a.rssi)
      .slice(0, MAX_NETWORKS);
    if (!this.improvScan) return;
    this.improvScan = false;
    for (const n of this.networksFound) this.send(improv.resultFrame(improv.REQUEST_NETWORKS, [n.ssid, String(n.rssi), n.open ? 'NO' : 'YES']));
    this.send(improv.resultFrame(improv.REQUEST_NETWORKS));
  }

  // ---- Setup mode: the access point and the page

  /** Opens setup mode: stops the board, opens the access point, the page and the DNS server. */
  openPage(reason: string, why: string[] = []): void {
    if (this.mode === PAGE || this.stopped) return;
    if (this.firmware.running()) this.firmware.stopBoard();
    // A network joined over USB is left first: the page is for the board's own access point only.
    if (this.state === improv.PROVISIONED) {
      this.host.wifi?.leave();
      this.state = improv.READY;
    }
    this.mode = PAGE;
    this.reason = reason;
    this.why = why;
    const host = this.host,
      build = this.firmware.build;
    host.log(`Setup mode: ${reason}`);
    const ap = `mqtt-pair-${host.deviceId().slice(-6)}`;
    const password = String(build.setupPassword ?? '');
    let where = '';
    try {
      const address = this.ports.openAccessPoint(ap, password);
      this.port = this.ports.serve(Number(build.setupPort) || 80, this);
      where = `http://${address}${this.port === 80 ? '' : `:${this.port}`}/`;
      try {
        this.ports.answerDns(Number(build.setupDnsPort) || 53, address);
      } catch (e) {
        host.log(`Setup: no DNS server (${message(e)}): open ${where} by its address`);
      }
    } catch (e) {
      host.log(`Setup: cannot open the setup page: ${message(e)}; setup over USB still works`);
    }
    if (where)
      host.log(
        `Setup: join the WiFi "${ap}"${password ? ` (password ${password})` : ''} with a phone or a computer, then open ${where} (a phone opens it by itself)`,
      );
    host.log('Setup: or over USB, with Improv Wi-Fi (ESP Web Tools, mqtt-pair setup)');
    this.scan(true);
    this.visited();
  }

  /** Closes the access point and the page: the board joined `ssid` over USB, where setup goes on. */
  private closePage(ssid: string): void {
    this.ports.close();
    this.mode = SERIAL;
    this.port = 0;
    this.host.log(`Setup: the setup page closed: it is only for the board's own WiFi, not "${ssid}"; setup goes on over USB`);
  }

  /** A visitor came (a page loaded, an Improv command): setup mode stays open another IDLE_MS. */
  private visited(): void {
    if (this.mode === NORMAL) return;
    if (this.idleTimer) this.host.cancel(this.idleTimer);
    this.idleTimer = this.host.after(IDLE_MS, { fire: () => this.idle() });
  }

  private idle(): void {
    this.idleTimer = null;
    if (this.joining) return this.visited();
    if (!this.settings().ssid) {
      this.host.log('Setup: no visitor for 5 minutes, and no WiFi to try: setup stays open');
      return this.visited();
    }
    this.host.log('Setup: no visitor for 5 minutes: trying the saved WiFi again');
    this.restart('no visitor in setup mode');
  }

  request(r: HttpRequest): HttpResponse {
    // (A request that was under way when the page closed.)
    if (this.mode !== PAGE) return closedAnswer();
    this.visited();
    const a = answer(this, r);
    // (The Origin a client sent is not printed: it is anyone's text.)
    if (a.status === 403) this.host.log('Setup page: a form from another site refused: nothing changed');
    return a;
  }

  view(): SetupView {
    const build = this.firmware.build,
      stored = readStored(this.ports.store),
      settings = effective(build, stored);
    return {
      device: `mqtt-pair-${this.host.deviceId().slice(-6)}`,
      reason: this.reason,
      why: this.why,
      maxBytes: this.ports.store.maxBytes,
      settings: SETTINGS.map((f) => ({ key: f.key, value: shownValue(f.key, settings[f.key] ?? ''), source: settingSource(build, stored, f.key) })),
      missing: missingSettings(settings),
    };
  }

  networks(): { scanning: boolean; networks: WiFiNetwork[] } {
    this.scan(false);
    return { scanning: this.scanning, networks: this.networksFound };
  }

  /**
   * The page's Save. A field left as shown changes nothing: a password only when one is typed (or
   * '' for an open network), a broker shown without its password keeps it; then all must check.
   */
  save(form: Settings): SettingProblem | null {
    const settings = this.settings(),
      changes: Settings = {};
    for (const k in form) {
      const v = form[k],
        now = settings[k] ?? '';
      if (v === now || (v === shownValue(k, now) && k !== 'password')) continue;
      changes[k] = v;
    }
    const problem = this.check(changes, true);
    if (problem) {
      this.host.log(`Setup page: ${problem.key}: ${problem.message}: nothing changed`);
      return problem;
    }
    const failed = storeChanges(this.ports.store, changes);
    if (failed) return { key: '', message: failed, code: 'store' };
    const keys = Object.keys(changes);
    this.host.log(`Setup page: ${keys.length ? `stored ${keys.join(', ')}` : 'nothing to change'}`);
    this.restartSoon('the settings were saved');
    return null;
  }

  // ---- Leaving

  /** Restarts in a second, after the answers went out. */
  private restartSoon(why: string): void {
    if (this.restartTimer) return;
    this.restartTimer = this.host.after(1000, {
      fire: () => {
        this.restartTimer = null;
        this.restart(why);
      },
    });
  }

  private restart(why: string): void {
    this.host.log(`Setup: restarting (${why})...`);
    this.stop();
    this.host.restart(why);
  }

  /** Ends setup: timers, the access point, the servers. (The serial port is the host's.) */
  stop(): void {
    this.stopped = true;
    this.dropTransfer();
    for (const t of [this.joinTimer, this.idleTimer, this.restartTimer]) if (t) this.host.cancel(t);
    this.joinTimer = this.idleTimer = this.restartTimer = null;
    if (this.joining) {
      this.joining = null;
      this.host.wifi?.leave();
    }
    if (this.mode === PAGE) this.ports.close();
    this.mode = NORMAL;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `Name: message` of a compile error, read defensively and bounded. */
function errorText(e: unknown): string {
  try {
    const x = e as { name?: unknown; message?: unknown };
    const m = typeof x?.message === 'string' ? x.message.replace(/^\(anonymous-\d+\): /, '') : String(e);
    return `${typeof x?.name === 'string' ? x.name : 'Error'}: ${m}`.slice(0, 200);
  } catch {
    return 'an error that cannot be read';
  }
}
