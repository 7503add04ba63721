// The simulator's stand-ins for a board's hardware (src/host.ts): the keyboard as the remote's
// buttons, the terminal as the actuator's LED. (The sensor needs none: without host.sensor the
// sensor role simulates its values.)

import { createInterface } from 'node:readline';
import type { Host } from '../../src/host';

/** Keys of a terminal in raw mode and the commands they send. */
const KEYS: Record<string, string> = {
  '\x1b[A': 'up',
  '\x1b[B': 'down',
  '\x1b[C': 'right',
  '\x1b[D': 'left', // arrows
  '\x1bOA': 'up',
  '\x1bOB': 'down',
  '\x1bOC': 'right',
  '\x1bOD': 'left', // arrows, application mode
  r: 'red',
  g: 'green',
  b: 'blue',
  y: 'yellow',
  c: 'cyan',
  m: 'magenta',
  w: 'white',
  o: 'off',
  ' ': 'off',
};

export interface Keyboard {
  /** The remote's buttons hook. Presses made while no board listens (a simulated restart) wait. */
  buttons: NonNullable<Host['buttons']>;
  /** Stops reading (and leaves raw mode). */
  close(): void;
}

/**
 * The remote's buttons from stdin. On a terminal: raw mode, the arrow keys (and r g b y c m w o
 * for colours), q, Ctrl+C or Ctrl+D to quit. From a pipe: one command per line, and the end of
 * the input ends the session. `end` is called once, either way.
 */
export function keyboard(input: NodeJS.ReadStream, end: (why: 'quit' | 'eof') => void, busy: () => boolean = () => false): Keyboard {
  let current: ((command: string) => void) | null = null;
  const waiting: string[] = [];
  let ended = false;
  const press = (command: string) => {
    if (current) current(command);
    else waiting.push(command);
  };
  const finish = (why: 'quit' | 'eof') => {
    if (!ended) {
      ended = true;
      end(why);
    }
  };
  let close: () => void;
  if (input.isTTY) {
    input.setRawMode(true);
    input.setEncoding('utf8');
    const onData = (chunk: string) => {
      // A chunk may hold several keys (keys pressed fast, or pasted).
      for (const key of chunk.match(/\x1b(?:\[|O)[A-D]|\x1b\[[0-9;]*[~A-Za-z]|[^]/g) ?? []) {
        if (key === '\x03' || key === '\x04' || key === 'q') return finish('quit');
        const command = KEYS[key] ?? KEYS[key.toLowerCase()];
        if (command) press(command);
      }
    };
    input.on('data', onData);
    input.resume();
    const restore = () => {
      try {
        input.setRawMode(false);
      } catch {
        /* closed */
      }
    };
    process.once('exit', restore); // never leave the terminal in raw mode
    close = () => {
      input.off('data', onData);
      process.off('exit', restore);
      restore();
      input.pause();
    };
  } else {
    const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    // A pipe is read as fast as the board can send: while `busy`, the lines wait here (and the
    // reading with them), and the end of the input counts once the last one is pressed.
    const lines: string[] = [];
    let eof = false,
      timer: ReturnType<typeof setTimeout> | null = null;
    // (Node 24 throws on pause() and resume() of a closed interface: after the end, neither.)
    const feed = () => {
      timer = null;
      while (lines.length && !busy() && !ended) press(lines.shift()!);
      if (lines.length && !ended) {
        if (!eof) rl.pause();
        timer ??= setTimeout(feed, 10);
        return;
      }
      if (eof) finish('eof');
      else rl.resume();
    };
    rl.on('line', (line) => {
      if (line.trim()) lines.push(line);
      if (!timer) feed();
    });
    rl.on('close', () => {
      eof = true;
      if (!timer) feed();
    });
    close = () => {
      if (timer) clearTimeout(timer);
      rl.removeAllListeners('close');
      rl.close();
      input.pause();
    };
  }
  return {
    buttons(onPress) {
      current = onPress;
      for (const c of waiting.splice(0)) onPress(c);
      return () => {
        if (current === onPress) current = null;
      };
    },
    close() {
      ended = true;
      close();
    },
  };
}

/** ANSI background colour and a readable text colour on it, per colour name (src/apps/remote.ts). */
const ANSI: Record<string, string> = {
  red: '41;97',
  green: '42;30',
  blue: '44;97',
  yellow: '43;30',
  cyan: '46;30',
  magenta: '45;97',
  white: '47;30',
  off: '40;97',
};

/**
 * The actuator's LED: a block in the colour with its name in it (plain text without colours).
 * `names` words a colour for the reader (« vert » for green); the colour itself stays the board's.
 */
export function terminalColour(print: (line: string) => void, ansi: boolean, names: Record<string, string> = {}): NonNullable<Host['showColour']> {
  return (name) => {
    const shown = names[name] ?? name;
    const label = shown
      .toUpperCase()
      .padStart(10 + Math.ceil(shown.length / 2))
      .padEnd(20);
    print(ansi ? `\x1b[${ANSI[name] ?? '0'}m${label}\x1b[0m` : `[${label}]`);
  };
}

/** Whether to write ANSI colours to this stream: a terminal, unless NO_COLOR; FORCE_COLOR forces. */
export function wantsColour(stream: NodeJS.WriteStream): boolean {
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return !!stream.isTTY && !process.env.NO_COLOR;
}
