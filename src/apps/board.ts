// One board: read the config, join the WiFi, connect to the broker, play the role, heal.
// A lost connection is retried with backoff; after `restartAfter` failures in a row the board
// restarts, as the seed's machine.reset() does. Bad config is said once and nothing else runs.

import type { Host } from '../host';
import { MqttClient, payloadText } from '../mqtt/client';
import { ConfigError, readConfig, type BoardConfig } from './config';
import { roles } from './roles';
import { WiFiJoin } from './wifi';

export interface Board {
  config: BoardConfig;
  client: MqttClient;
  /** Stops every timer and connection (the simulator's restart and shutdown). */
  stop(): void;
}

/** Starts a board, or logs why the config is wrong and returns null. */
export function startBoard(host: Host, raw: Record<string, unknown>): Board | null {
  let config: BoardConfig;
  try {
    config = readConfig(raw, host.deviceId(), !!host.wifi);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    host.log(`Config error: ${e.message}`);
    return null;
  }
  const def = roles[config.role];
  const client = new MqttClient(host, config.broker, {
    clientId: config.clientId,
    keepalive: config.keepalive,
    reconnect: { min: config.backoffMin, max: config.backoffMax },
    maxPacketSize: 16384, // a board has little RAM; the demo's messages are tiny
    will: def.will?.(config),
  });
  const role = def.start(host, client, config);
  const topics = role.listen;
  let wasConnected = false;

  client.onConnect = () => {
    wasConnected = true;
    const subscribed = topics.length ? `, subscribed to ${topics.join(' and ')} topic${topics.length > 1 ? 's' : ''}` : '';
    host.log(`Connected to ${config.brokerName} MQTT broker${subscribed}`);
    role.connected();
  };
  client.onMessage = (m) => {
    host.log(`Received ${m.topic}: ${payloadText(m.payload)}`);
    role.onMessage(m);
  };
  client.onDrop = (reason) => host.log(`${reason[0].toUpperCase()}${reason.slice(1)} (${client.dropped} dropped since boot)`);
  client.onClose = (reason, retryIn) => {
    if (retryIn < 0) return; // paused: the WiFi said why
    const what = wasConnected ? 'Lost connection to MQTT broker' : 'Failed to connect to MQTT broker';
    wasConnected = false;
    const n = client.failures;
    if (config.restartAfter && n >= config.restartAfter) {
      host.log(`${what}: ${reason}. ${n} failures in a row: restarting the board...`);
      stop();
      host.restart(`${n} failed connections to ${config.brokerName}: ${reason}`);
      return;
    }
    host.log(`${what}: ${reason}. Reconnecting in ${(retryIn / 1000).toFixed(1)} s...`);
  };
  let stopped = false;
  for (const t of topics) client.subscribe(t, {}, (err) => { if (err && !stopped) host.log(`Subscription failed: ${err.message}`); });

  let wifi: WiFiJoin | null = null;
  if (host.wifi) {
    wifi = new WiFiJoin(host, host.wifi, config.ssid, config.password,
      () => client.resume(),
      (reason) => { wasConnected = false; client.pause(reason); host.log(`${reason}: MQTT paused until the WiFi is back`); },
      { joinTimeout: config.wifiTimeout, retryDelay: config.wifiRetry });
    wifi.start();
  } else {
    client.connect();
  }

  function stop() {
    stopped = true;
    role.stop();
    wifi?.stop();
    client.end();
  }
  return { config, client, stop };
}
