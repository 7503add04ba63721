// Joining the WiFi and staying joined: a small state machine over the host's WiFi station.
// MQTT is told when there is an IP address and when it is gone.

import type { Host, TimerHandle, WiFi, WiFiEvent, WiFiEvents } from '../host';

/** What the join reads: the board's config (milliseconds for the join timeout and the retry delay). */
export interface WiFiJoinConfig {
  ssid: string;
  password: string;
  /** Milliseconds to wait for an IP address before starting over. */
  wifiTimeout: number;
  /** Milliseconds between the loss of the network and the next attempt. */
  wifiRetry: number;
}

/** Who is told when the network comes and goes (the board: an object, not two closures). */
export interface WiFiListener {
  wifiUp(ip: string): void;
  wifiDown(reason: string): void;
}

/** The join, its timer (the join timeout, then the delay before trying again) and the station's events. */
export class WiFiJoin implements WiFiEvents {
  state: 'joining' | 'up' | 'down' | 'stopped' = 'down';
  private timer: TimerHandle | null = null;

  constructor(
    private host: Host & { wifi: WiFi },
    private config: WiFiJoinConfig,
    private listener: WiFiListener,
  ) {}

  private get wifi(): WiFi {
    return this.host.wifi;
  }

  start(): void {
    this.clearTimer();
    this.state = 'joining';
    const c = this.config;
    this.host.log(`Joining WiFi "${c.ssid}"...`);
    this.wifi.join(c.ssid, c.password, this);
    this.timer = this.host.after(c.wifiTimeout, this);
  }

  /** The timer: the join timed out, or it is time to try again. */
  fire(): void {
    this.timer = null;
    const c = this.config;
    if (this.state === 'joining') this.retry(`no IP address from WiFi "${c.ssid}" after ${c.wifiTimeout / 1000} s (check ssid and password)`);
    else if (this.state === 'down') this.start();
  }

  stop(): void {
    this.detach();
    this.wifi.leave();
  }

  /**
   * Stops watching the WiFi but leaves it as it is, for the next board of a simulator's restart,
   * which joins again: a join timer left running here would later leave the WiFi under it.
   */
  detach(): void {
    this.clearTimer();
    this.state = 'stopped';
  }

  wifiEvent(e: WiFiEvent): void {
    if (this.state === 'stopped') return;
    if (e === 'gotIP') {
      if (this.state === 'up') return;
      this.clearTimer();
      this.state = 'up';
      const ip = this.wifi.address();
      this.host.log('Connection successful');
      this.host.log(`IP address ${ip}`);
      this.listener.wifiUp(ip);
    } else if (e === 'lostIP' || e === 'disconnected') {
      if (this.state === 'up') {
        this.state = 'down';
        this.listener.wifiDown(e === 'lostIP' ? 'WiFi lost its IP address' : 'WiFi disconnected');
        this.retry(e === 'lostIP' ? 'lost the IP address' : `disconnected from "${this.config.ssid}"`);
      } else if (this.state === 'joining' && e === 'disconnected') {
        this.retry(`could not join "${this.config.ssid}" (check ssid and password, and that the network is in range)`);
      }
    }
  }

  private retry(why: string) {
    this.clearTimer();
    this.wifi.leave();
    this.state = 'down';
    const delay = this.config.wifiRetry;
    this.host.log(`WiFi: ${why}. Retrying in ${delay / 1000} s...`);
    this.timer = this.host.after(delay, this);
  }

  private clearTimer() {
    if (this.timer) {
      this.host.cancel(this.timer);
      this.timer = null;
    }
  }
}
