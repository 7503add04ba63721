// What the embedded broker (Aedes) reads and writes for one client, over a TCP socket or a
// WebSocket. Aedes waits for a client's stream to drain before it hands the next message to
// anyone (it waits for the slowest subscriber), so this stream never makes it wait: what Aedes
// writes goes on at once, and a client that stops reading is dropped once MAX_UNSENT bytes wait
// for it (its will is published, as for any client that vanishes). Everything Aedes writes in one
// turn (a packet's pieces: mqtt-packet corks the stream) leaves as one write, one WebSocket frame.

import { Duplex } from 'node:stream';

/** Bytes waiting for a client that stops reading before it is dropped: 8 MiB. */
export const MAX_UNSENT = 8 << 20;

/** The transport under a client's stream. */
export interface ClientLink {
  send(bytes: Buffer): void;
  /** Bytes sent and not yet taken by the client (in this process). */
  unsent(): number;
  /** Drop the client now, with no goodbye. */
  drop(): void;
  /** Close after what was sent. */
  end(): void;
  /** Stop reading the client, and read again (Aedes keeps up or not). */
  pause(): void;
  resume(): void;
}

export class ClientStream extends Duplex {
  constructor(private readonly link: ClientLink) {
    super({ allowHalfOpen: false });
  }

  /** Bytes from the client, for Aedes. */
  received(bytes: Buffer): void {
    if (!this.push(bytes)) this.link.pause();
  }

  /** The client is gone: Aedes reads what came before (a DISCONNECT, so no will), then ends. */
  gone(): void {
    this.push(null);
  }

  override _read(): void {
    this.link.resume();
  }

  override _writev(chunks: { chunk: Buffer }[], done: (e?: Error | null) => void): void {
    this.out(chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk)));
    done();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    this.out(chunk);
    done();
  }

  private out(bytes: Buffer): void {
    if (this.destroyed) return;
    if (this.link.unsent() > MAX_UNSENT) {
      this.link.drop();
      this.destroy();
      return;
    }
    this.link.send(bytes);
  }

  override _final(done: (e?: Error | null) => void): void {
    this.link.end();
    done();
  }

  override _destroy(e: Error | null, done: (e?: Error | null) => void): void {
    this.link.drop();
    done(e);
  }
}

/** A TCP client of the embedded broker, as a ClientStream. */
export function tcpClientStream(socket: import('node:net').Socket): ClientStream {
  socket.setNoDelay(true);
  const stream = new ClientStream({
    send: (b) => {
      socket.write(b);
    },
    unsent: () => socket.writableLength,
    drop: () => socket.destroy(),
    end: () => socket.end(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  });
  socket.on('data', (b: Buffer) => stream.received(b));
  socket.on('close', () => stream.gone());
  socket.on('error', () => stream.destroy());
  return stream;
}
