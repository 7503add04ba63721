// The seed's two boards. ESP#1 (role=hello) publishes "Hello #N" on hello every interval and
// listens on notification; ESP#2 (role=responder) listens on hello and answers "received".

import type { Host } from '../host';
import { payloadText, type Message, type MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import type { Role } from './roles';

// Classes, not object literals of closures: their methods stay in flash with the preloaded code.

class HelloRole implements Role {
  readonly listen: string[];
  private hello: string;
  private counter = 0;
  private last = -Infinity;
  private cancel: () => void;
  private tick = () => this.send(); // the one closure: the timer needs a function

  constructor(private host: Host, private client: MqttClient, private config: BoardConfig) {
    this.hello = config.topicPrefix + 'hello';
    this.listen = [config.topicPrefix + 'notification'];
    this.cancel = host.after(config.interval, this.tick);
  }

  private send() {
    this.cancel();
    this.cancel = this.host.after(this.config.interval, this.tick);
    // Like the seed, a hello is only sent while connected; the count goes on after a reconnect.
    if (!this.client.connected) return;
    this.last = this.host.now();
    this.client.publish(this.hello, `Hello #${this.counter++}`);
  }

  // The seed sends its first hello as soon as it is connected, then one every interval.
  connected() { if (this.host.now() - this.last >= this.config.interval) this.send(); }

  onMessage(m: Message) {
    if (m.topic === this.listen[0] && payloadText(m.payload) === 'received') this.host.log('ESP received hello message');
  }

  stop() { this.cancel(); }
}

class ResponderRole implements Role {
  readonly listen: string[];
  private notification: string;
  constructor(_host: Host, private client: MqttClient, config: BoardConfig) {
    this.listen = [config.topicPrefix + 'hello'];
    this.notification = config.topicPrefix + 'notification';
  }
  onMessage() { this.client.publish(this.notification, 'received'); }
  connected() {}
  stop() {}
}

export function helloRole(host: Host, client: MqttClient, config: BoardConfig): Role { return new HelloRole(host, client, config); }
export function responderRole(host: Host, client: MqttClient, config: BoardConfig): Role { return new ResponderRole(host, client, config); }
