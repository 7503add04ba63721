// The program API, as types: what a student's program is given (src/program/program.ts makes it on
// a board, tools/web/student/program-worker.ts in the page) and what the built-in roles' example
// programs are written on (src/apps/builtin/*.js, run by builtin/api.ts). Topics are relative to the board's prefix.

/** What `every` and `after` return, for `cancel`. */
export type Timer = object;

/** A message as a program gets it: text, or the bytes when they are not UTF-8. */
export type MessageText = string | Uint8Array;

export interface ProgramMqtt {
  subscribe(topic: string, callback: (topic: string, message: MessageText) => void): void;
  unsubscribe(topic: string): void;
  publish(topic: string, message: string | Uint8Array, options?: { qos?: 0 | 1 | 2; retain?: boolean }): void;
}

export interface ProgramBoard {
  readonly name: string;
  /** The board's topic prefix, which every topic of the program is under. */
  readonly prefix: string;
  /** The board's `interval` setting, in ms, where the program runs on a board; undefined in the page. */
  readonly interval?: number;
  /** The board's `peer` setting (the chat's other side), '' when none. */
  readonly peer: string;
  /** Whether the board has buttons that send commands (board.on('button', …)). */
  readonly buttons: boolean;
  led(on: boolean): void;
  button(): boolean;
  /** Shows a colour on the board (its RGB LED, else its LED on or off): red, green, blue, yellow,
   *  cyan, magenta, white or off; another name is a TypeError. */
  colour(name: string): void;
  /** A reading of the board's sensor (°C, hPa), or null when it has none; a failed read throws. */
  sensor(): { temperature: number; pressure: number } | null;
  on(event: 'connected' | 'disconnected', fn: () => void): void;
  /** Each press of one of the board's buttons, with its command (up, down, left, right, a colour name). */
  on(event: 'button', fn: (command: string) => void): void;
}

export interface ProgramApi {
  mqtt: ProgramMqtt;
  every(ms: number, fn: () => void): Timer;
  after(ms: number, fn: () => void): Timer;
  cancel(timer: Timer | undefined): void;
  print(...values: unknown[]): void;
  board: ProgramBoard;
}
