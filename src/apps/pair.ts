// The seed's two boards. ESP#1 (role=hello) publishes "Hello #N" on hello every interval and
// listens on notification; ESP#2 (role=responder) listens on hello and answers "received".

import type { Host, TimerHandle } from '../host';
import { payloadText, type Message, type MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import type { Role } from './role';

// Classes, not object literals of closures: their methods stay in flash with the preloaded code.

// Topics are made when used, not kept: the board's RAM holds only what changes.

class HelloRole implements Role {
  private counter = 0;
  private last = -Infinity;
  private timer: TimerHandle;

  constructor(
    host: Host,
    private client: MqttClient,
    private config: BoardConfig,
  ) {
    this.timer = host.after(config.interval, this);
  }

  private get host(): Host {
    return this.client.host;
  }

  get listen() {
    return [`${this.config.topicPrefix}notification`];
  }

  /** The timer: the next hello. */
  fire() {
    this.host.cancel(this.timer);
    this.timer = this.host.after(this.config.interval, this);
    // Like the seed, a hello is only sent while connected; the count goes on after a reconnect.
    if (!this.client.connected) return;
    this.last = this.host.now();
    this.client.publish(`${this.config.topicPrefix}hello`, `Hello #${this.counter++}`);
  }

  // The seed sends its first hello as soon as it is connected, then one every interval.
  connected() {
    if (this.host.now() - this.last >= this.config.interval) this.fire();
  }

  onMessage(m: Message) {
    if (m.topic === `${this.config.topicPrefix}notification` && payloadText(m.payload) === 'received') this.host.log('ESP received hello message');
  }

  stop() {
    this.host.cancel(this.timer);
  }
}

class ResponderRole implements Role {
  constructor(
    _host: Host,
    private client: MqttClient,
    private config: BoardConfig,
  ) {}
  get listen() {
    return [`${this.config.topicPrefix}hello`];
  }
  onMessage() {
    this.client.publish(`${this.config.topicPrefix}notification`, 'received');
  }
  connected() {}
  stop() {}
}

export function helloRole(host: Host, client: MqttClient, config: BoardConfig): Role {
  return new HelloRole(host, client, config);
}
export function responderRole(host: Host, client: MqttClient, config: BoardConfig): Role {
  return new ResponderRole(host, client, config);
}
