// The seed's two boards. ESP#1 (role=hello) publishes "Hello #N" on hello every interval and
// listens on notification; ESP#2 (role=responder) listens on hello and answers "received".

import type { Host, TimerHandle } from '../host';
import { payloadText, type Message } from '../mqtt/client';
import type { BoardConfig } from './config';
import { HELLO, NOTIFICATION, REPLY, helloText } from './pair-protocol';
import type { Role, RoleClient } from './role';

// Classes, not object literals of closures: their methods stay in flash with the preloaded code.

// Topics are made when used, not kept: the board's RAM holds only what changes.

class HelloRole implements Role {
  private counter = 0;
  private last = -Infinity;
  private timer: TimerHandle;

  constructor(
    host: Host,
    private client: RoleClient,
    private config: BoardConfig,
  ) {
    this.timer = host.after(config.interval, this);
  }

  private get host(): Host {
    return this.client.host;
  }

  get listen() {
    return [this.config.topicPrefix + NOTIFICATION];
  }

  /** The timer: the next hello. */
  fire() {
    this.host.cancel(this.timer);
    this.timer = this.host.after(this.config.interval, this);
    // Like the seed, a hello is only sent while connected; the count goes on after a reconnect.
    if (!this.client.connected) return;
    this.last = this.host.now();
    const n = this.counter++;
    this.client.publish(this.config.topicPrefix + HELLO, helloText(n));
    this.client.emit({ type: 'hello', n });
  }

  // As the MicroPython tutorial, the first hello goes once connected and subscribed, then one every interval.
  connected() {
    if (this.host.now() - this.last >= this.config.interval) this.fire();
  }

  onMessage(m: Message) {
    if (m.topic === this.config.topicPrefix + NOTIFICATION && payloadText(m.payload) === REPLY) this.client.emit({ type: 'answered' });
  }

  stop() {
    this.host.cancel(this.timer);
  }
}

class ResponderRole implements Role {
  constructor(
    _host: Host,
    private client: RoleClient,
    private config: BoardConfig,
  ) {}
  get listen() {
    return [this.config.topicPrefix + HELLO];
  }
  onMessage() {
    this.client.publish(this.config.topicPrefix + NOTIFICATION, REPLY);
    this.client.emit({ type: 'reply' });
  }
  connected() {}
  stop() {}
}

export function helloRole(host: Host, client: RoleClient, config: BoardConfig): Role {
  return new HelloRole(host, client, config);
}
export function responderRole(host: Host, client: RoleClient, config: BoardConfig): Role {
  return new ResponderRole(host, client, config);
}
