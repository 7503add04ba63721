// The host simulator: the firmware's own modules on Node, with real TCP, a simulated WiFi (join
// delay, scripted drop and return) and a simulated restart (the app is built again from nothing).
// `mqtt-pair sim` (tools/cli/sim.ts) runs the course's pair on it; the tests and the classroom run
// many. What a board does reaches `onEvent` as values (src/apps/events.ts), beside its lines.

import type { Connection, ConnectionEvents, Endpoint, Host, TimerHandle, WiFi, WiFiEvents } from '../../src/host';
import { startBoard, type Board } from '../../src/apps/board';
import { startProgramBoard } from '../../src/program/program';
import { programHash } from '../../src/setup/program-store';
import { nodeProgramRunner } from './program';
import type { BoardListener } from '../../src/apps/events';
import { nodeHost } from './host';

/** A WiFi station that joins after `joinDelay` ms while the network is `available`. */
export class SimWiFi implements WiFi {
  available = true;
  private listener: WiFiEvents | null = null;
  private pending: TimerHandle | null = null;
  private joined = false;

  /** `timers`: whose after() and cancel() time the join (a test's virtual clock; setTimeout by default). */
  constructor(
    public joinDelay = 300,
    public ip = '127.0.0.1',
    private timers?: Pick<Host, 'after' | 'cancel'>,
  ) {}

  join(_ssid: string, _password: string, listener: WiFiEvents): void {
    this.leave();
    this.listener = listener;
    if (!this.available) return; // nothing answers: the join times out
    const joined = () => {
      this.pending = null;
      this.joined = true;
      listener.wifiEvent('connected');
      listener.wifiEvent('gotIP');
    };
    this.pending = this.timers ? this.timers.after(this.joinDelay, joined) : setTimeout(joined, this.joinDelay);
  }

  leave(): void {
    if (this.pending) {
      if (this.timers) this.timers.cancel(this.pending);
      else clearTimeout(this.pending as ReturnType<typeof setTimeout>);
    }
    this.pending = null;
    this.joined = false;
  }

  address(): string {
    return this.ip;
  }

  /** The access point goes away. */
  drop(): void {
    this.available = false;
    if (this.joined) {
      this.joined = false;
      this.listener?.wifiEvent('disconnected');
    }
  }

  /** The access point is back; the board's next join attempt succeeds. */
  restore(): void {
    this.available = true;
  }
}

export interface SimBoardOptions {
  name: string;
  config: Record<string, unknown>;
  /** Where the board's console lines go (already prefixed with `[name] `). */
  print?: (line: string) => void;
  wifi?: SimWiFi;
  deviceId?: string;
  /** Replaces the TCP connection, e.g. to go through a fault-injection proxy. */
  connect?: (to: Endpoint, events: ConnectionEvents) => Connection;
  /** Milliseconds between the restart request and the new boot. */
  restartDelay?: number;
  /** The board's hardware for the activity roles: sensor, buttons, LED (src/host.ts). */
  devices?: Pick<Host, 'sensor' | 'buttons' | 'showColour'>;
  /** What the board does, as events; and `restarted` each time the simulated reset boots it again. */
  onEvent?: BoardListener;
  onRestart?: (restarts: number) => void;
  /** A student's program (src/program/) to run instead of the config's role. */
  program?: string;
  /** Its name (its file's), as the board says what it runs. */
  programName?: string;
}

/** One simulated board: boots the firmware and boots it again, from nothing, on restart. */
export class SimBoard {
  board: Board | null = null;
  restarts = 0;
  readonly lines: string[] = [];
  readonly host: Host;
  private stopped = false;
  private rebooting: ReturnType<typeof setTimeout> | null = null;

  constructor(private options: SimBoardOptions) {
    const print = options.print ?? ((l: string) => console.log(l));
    const base = nodeHost({ deviceId: options.deviceId });
    this.host = {
      ...base,
      log: (line) => {
        this.lines.push(line);
        print(`[${options.name}] ${line}`);
      },
      restart: (reason) => this.restart(reason),
      connect: options.connect ?? base.connect,
      wifi: options.wifi,
      ...options.devices,
    };
  }

  start(): this {
    this.stopped = false;
    const { config, onEvent, program, programName } = this.options;
    this.board =
      program === undefined
        ? startBoard(this.host, config, onEvent)
        : startProgramBoard(
            { ...this.host, program: nodeProgramRunner() },
            config,
            program,
            onEvent,
            programName === undefined ? undefined : { name: programName, hash: programHash(program) },
          );
    return this;
  }

  restart(reason: string): void {
    this.board?.stop();
    this.board = null;
    this.restarts++;
    this.host.log(`Restarting the board (${reason})`);
    this.rebooting = setTimeout(() => {
      this.rebooting = null;
      if (this.stopped) return;
      this.host.log(`Board restarted (simulated reset #${this.restarts}): everything starts again from nothing`);
      this.options.onRestart?.(this.restarts);
      this.start();
    }, this.options.restartDelay ?? 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.rebooting) clearTimeout(this.rebooting);
    this.board?.stop();
    this.board = null;
    this.options.wifi?.leave();
  }
}
