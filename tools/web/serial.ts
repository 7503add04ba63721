// A board's USB serial port in a page, over Web Serial (Chrome, Edge, Firefox 151+): what the
// class set-up page and the students' page share. The port is picked by the person (requestPort),
// opened at 115200 baud, and read and written as a Link (tools/setup/improv-client.ts) until closed.

import type { Link } from '../setup/improv-client';

/** Web Serial, as far as the pages use it (not in TypeScript's DOM types yet). */
export interface WebSerialPort {
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  readable: ReadableStream<Uint8Array> | null;
  writable: WritableStream<Uint8Array> | null;
}
export interface WebSerial {
  requestPort(): Promise<WebSerialPort>;
}

/** The browser's Web Serial, or undefined where it has none (Safari, Firefox before 151). */
export function webSerial(): WebSerial | undefined {
  return (navigator as Navigator & { serial?: WebSerial }).serial;
}

/** An open port: its Link, and how to let go of it (another page or tool may then open it). */
export interface OpenPort {
  readonly port: WebSerialPort;
  readonly link: Link;
  /** Resolves once the reading loop ended: the port closed or unplugged. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

/** Opens `port` and reads it until it closes. */
export async function openSerial(port: WebSerialPort): Promise<OpenPort> {
  await port.open({ baudRate: 115200 });
  const readable = port.readable;
  const writable = port.writable;
  if (!readable || !writable) throw new Error('the port is not open');
  const reader = readable.getReader();
  // One writer for as long as the port is open: a writer taken a write would find the stream still
  // locked by the one before when two writes follow each other (« Cannot create writer when
  // WritableStream is locked »); writes through one writer queue in order.
  const writer = writable.getWriter();
  const to: { deliver?: (b: Uint8Array) => void } = {};
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      if (value) to.deliver?.(value);
    }
    reader.releaseLock();
  })();
  let closed = false;
  return {
    port,
    ended,
    link: {
      write(bytes) {
        writer.write(bytes).catch(() => {
          /* unplugged: the reading loop ends and says so */
        });
      },
      onData(fn) {
        to.deliver = fn;
      },
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await reader.cancel();
      } catch {
        /* gone */
      }
      // Web Serial closes only a port whose streams are unlocked: the reading loop lets go first.
      await ended;
      writer.releaseLock();
      try {
        await port.close();
      } catch {
        /* unplugged */
      }
    },
  };
}
