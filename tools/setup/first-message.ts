// The proof a board set up works: its first hello (ESP#1) or reply (ESP#2) reaching the broker, seen
// as `watch` sees a pair (src/apps/pair-protocol.ts topics), by a subscriber of our own.

import type { Endpoint } from '../../src/host';
import { HELLO, NOTIFICATION } from '../../src/apps/pair-protocol';
import { MqttClient, payloadText } from '../../src/mqtt/client';
import { printable } from '../../src/apps/text';
import { nodeHost } from '../../hosts/node/host';

export interface Heard {
  topic: string;
  text: string;
}

/** A subscriber on `<prefix>hello` or `<prefix>notification`, started before the board restarts. */
export class FirstMessage {
  /** What it listens to: the first topic the role publishes on. */
  readonly topic: string;
  private client: MqttClient;
  private heard?: Heard;
  private waiter?: (h: Heard) => void;
  /** The last connection problem, for the line that says nothing came. */
  problem = '';

  constructor(endpoint: Endpoint, prefix: string, role: string) {
    const topic = prefix + (role === 'responder' ? NOTIFICATION : HELLO);
    this.topic = topic;
    this.client = new MqttClient(nodeHost({ log: () => {} }), endpoint, {
      clientId: `mqtt-pair-setup-${process.pid}-${Date.now() % 100000}`,
      keepalive: 30,
      reconnect: { min: 500, max: 5000 },
    });
    this.client.onConnect = () => {
      this.problem = '';
      this.client.subscribe(topic, { qos: 0 });
    };
    this.client.onClose = (reason) => {
      this.problem = reason;
    };
    this.client.onMessage = (m) => {
      if (m.retain || m.topic !== topic || this.heard) return;
      this.heard = { topic: m.topic, text: printable(payloadText(m.payload)).slice(0, 200) };
      this.waiter?.(this.heard);
    };
    this.client.connect();
  }

  /** Resolves with the first message, or undefined after `ms`. */
  wait(ms: number): Promise<Heard | undefined> {
    if (this.heard) return Promise.resolve(this.heard);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(undefined), ms);
      this.waiter = (h) => {
        clearTimeout(t);
        resolve(h);
      };
    });
  }

  close(): void {
    this.client.end();
  }
}
