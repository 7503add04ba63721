// Joining the WiFi and staying joined: a small state machine over the host's WiFi station.
// MQTT is told when there is an IP address and when it is gone.

import type { Host, WiFi, WiFiEvent } from '../host';

export interface WiFiJoinOptions {
  /** Milliseconds to wait for an IP address before starting over. */
  joinTimeout?: number;
  /** Milliseconds between the loss of the network and the next attempt. */
  retryDelay?: number;
}

/** Who is told when the network comes and goes (the board: an object, not two closures). */
export interface WiFiListener {
  wifiUp(ip: string): void;
  wifiDown(reason: string): void;
}

export class WiFiJoin {
  state: 'joining' | 'up' | 'down' | 'stopped' = 'down';
  attempts = 0;
  private cancel: (() => void) | null = null;

  constructor(
    private host: Host, private wifi: WiFi, private ssid: string, private password: string,
    private listener: WiFiListener,
    private options: WiFiJoinOptions = {},
  ) {}

  start(): void {
    this.clearTimer();
    this.state = 'joining';
    this.attempts++;
    this.host.log(`Joining WiFi "${this.ssid}"...`);
    this.wifi.join(this.ssid, this.password, (e) => this.event(e));
    const timeout = this.options.joinTimeout ?? 20000;
    this.cancel = this.host.after(timeout, () => {
      this.cancel = null;
      this.retry(`no IP address from WiFi "${this.ssid}" after ${timeout / 1000} s (check ssid and password)`);
    });
  }

  stop(): void {
    this.clearTimer();
    this.state = 'stopped';
    this.wifi.leave();
  }

  private event(e: WiFiEvent) {
    if (this.state === 'stopped') return;
    if (e === 'gotIP') {
      if (this.state === 'up') return;
      this.clearTimer();
      this.state = 'up';
      this.attempts = 0;
      const ip = this.wifi.address();
      this.host.log('Connection successful');
      this.host.log(`IP address ${ip}`);
      this.listener.wifiUp(ip);
    } else if (e === 'lostIP' || e === 'disconnected') {
      if (this.state === 'up') {
        this.state = 'down';
        this.listener.wifiDown(e === 'lostIP' ? 'WiFi lost its IP address' : 'WiFi disconnected');
        this.retry(e === 'lostIP' ? 'lost the IP address' : `disconnected from "${this.ssid}"`);
      } else if (this.state === 'joining' && e === 'disconnected') {
        this.retry(`could not join "${this.ssid}" (check ssid and password, and that the network is in range)`);
      }
    }
  }

  private retry(why: string) {
    this.clearTimer();
    this.wifi.leave();
    this.state = 'down';
    const delay = this.options.retryDelay ?? 5000;
    this.host.log(`WiFi: ${why}. Retrying in ${delay / 1000} s...`);
    this.cancel = this.host.after(delay, () => { this.cancel = null; this.start(); });
  }

  private clearTimer() { if (this.cancel) { this.cancel(); this.cancel = null; } }
}
