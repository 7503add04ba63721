// One board: read the config, join the WiFi, connect to the broker, play the role, heal.
// A lost connection is retried with backoff; after `restartAfter` failures in a row the board
// restarts, as the seed's machine.reset() does. Bad config is said once and nothing else runs.

import type { Host } from '../host';
import { MqttClient, payloadText, type Message } from '../mqtt/client';
import { checkConfig, type BoardConfig } from './config';
import { roles, type Role } from './roles';
import { printable } from './text';
import { WiFiJoin, type WiFiListener } from './wifi';

export interface Board {
  config: BoardConfig;
  client: MqttClient;
  /** Stops every timer and connection (the simulator's restart and shutdown). */
  stop(): void;
}

/** Starts a board, or logs why the config is wrong and returns null. */
export function startBoard(outside: Host, raw: Record<string, unknown>): Board | null {
  // Every line the board prints holds text from the network (topics, payloads, reasons): the
  // console gets it as text, never as terminal commands, one message a line.
  const host: Host = Object.create(outside);
  host.log = (line) => outside.log(printable(line));
  const config = checkConfig(raw, host.deviceId(), !!host.wifi);
  if (typeof config === 'string') {
    host.log(`Config error: ${config}`);
    return null;
  }
  return new BoardClient(host, config).start();
}

/**
 * The firmware's client: the supervisor's reactions (log, restart, pause for the WiFi) are its
 * methods. Methods live in flash with the preloaded code; closures would each take RAM.
 */
class BoardClient extends MqttClient implements Board, WiFiListener {
  readonly role: Role;
  private topics: string[];
  private wifi: WiFiJoin | null = null;
  private wasConnected = false;
  private stopped = false;

  constructor(host: Host, readonly config: BoardConfig) {
    const def = roles[config.role];
    super(host, config.broker, {
      clientId: config.clientId,
      keepalive: config.keepalive,
      reconnect: { min: config.backoffMin, max: config.backoffMax },
      maxPacketSize: 16384, // a board has little RAM; the demo's messages are tiny
      inflight: config.inflight,
      will: def.will?.(config),
      who: 'board',
    });
    this.role = def.start(host, this, config);
    this.topics = this.role.listen.slice(); // less those the broker refuses
  }

  get client(): MqttClient { return this; }

  start(): this {
    const host = this.host;
    host.log(`MQTT client id ${this.config.clientId}`); // to tell the boards apart on the broker
    for (const t of this.topics) {
      this.subscribe(t, {}, (err) => {
        if (!err || this.stopped) return;
        this.topics = this.topics.filter((x) => x !== t);
        host.log(`Subscription failed: ${err.message}`);
      });
    }
    if (host.wifi) {
      const c = this.config;
      this.wifi = new WiFiJoin(host, host.wifi, c.ssid, c.password, this, { joinTimeout: c.wifiTimeout, retryDelay: c.wifiRetry });
      this.wifi.start();
    } else {
      this.connect();
    }
    return this;
  }

  override onConnect(): void {
    this.wasConnected = true;
    this.role.connected();
  }

  // Said once the broker acknowledged the subscriptions, not before: a refusal comes first.
  override onReady(): void {
    const topics = this.topics;
    const subscribed = topics.length ? `, subscribed to ${topics.join(' and ')} topic${topics.length > 1 ? 's' : ''}` : '';
    this.host.log(`Connected to ${this.config.brokerName} MQTT broker${subscribed}`);
  }

  override onWarning(message: string): void {
    this.host.log(message[0].toUpperCase() + message.slice(1));
  }

  override onMessage(m: Message): void {
    this.host.log(`Received ${m.topic}: ${payloadText(m.payload)}`);
    this.role.onMessage(m);
  }

  override onDrop(reason: string): void {
    this.host.log(`${reason[0].toUpperCase()}${reason.slice(1)} (${this.dropped} dropped since boot)`);
  }

  override onClose(reason: string, retryIn: number): void {
    if (retryIn < 0) return; // paused: the WiFi said why
    const what = this.wasConnected ? 'Lost connection to MQTT broker' : 'Failed to connect to MQTT broker';
    this.wasConnected = false;
    const n = this.failures, c = this.config;
    if (c.restartAfter && n >= c.restartAfter) {
      this.host.log(`${what}: ${reason}. ${n} failures in a row: restarting the board...`);
      this.stop();
      this.host.restart(`${n} failed connections to ${c.brokerName}: ${reason}`);
      return;
    }
    this.host.log(`${what}: ${reason}. Reconnecting in ${(retryIn / 1000).toFixed(1)} s...`);
  }

  wifiUp(): void { this.resume(); }

  wifiDown(reason: string): void {
    this.wasConnected = false;
    this.pause(reason);
    this.host.log(`${reason}: MQTT paused until the WiFi is back`);
  }

  stop(): void {
    this.stopped = true;
    this.role.stop();
    this.wifi?.stop();
    this.end();
  }
}
