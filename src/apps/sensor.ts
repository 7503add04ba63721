// Seeds 001 and 003: a weather station. Every `interval` (1 s unless set) the board publishes the
// temperature and the pressure, retained, each as a plain decimal number ("20.7", "1013.2"), on
// <prefix>myRasp/sensors/temperature and <prefix>myRasp/sensors/pression; <prefix>myRasp/sensors/status
// says "online" (retained, after each connection) or "offline" (retained: the last will, which the
// broker publishes when the board vanishes, and what the board says itself when it stops cleanly).
// Values come from host.sensor (a real sensor, docs/flashing.md) or, without one, a simulated sensor:
// temperature 20 to 21 °C as in seed 001, pressure 1012.5 to 1013.5 hPa.

import type { Host } from '../host';
import type { MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import { SENSOR_TOPICS } from './registry';
import type { Role, LastWill } from './role';

export function sensorTopics(prefix: string) {
  return { temperature: prefix + SENSOR_TOPICS.temperature, pressure: prefix + SENSOR_TOPICS.pressure, status: prefix + SENSOR_TOPICS.status };
}

export function sensorWill(config: BoardConfig): LastWill {
  return { topic: sensorTopics(config.topicPrefix).status, payload: 'offline', qos: 1, retain: true };
}

export function sensorRole(host: Host, client: MqttClient, config: BoardConfig): Role {
  const topics = sensorTopics(config.topicPrefix);
  const read = host.sensor ?? (() => ({ temperature: 20 + host.random(), pressure: 1012.5 + host.random() }));
  if (!host.sensor) host.log('No sensor on this board: publishing simulated values (20 to 21 °C, about 1013 hPa)');
  host.log(`Publishing every ${config.interval / 1000} s on ${topics.temperature} and ${topics.pressure}, status on ${topics.status}`);
  let last = -Infinity;
  let timer = host.after(config.interval, tick);
  function tick() {
    host.cancel(timer);
    timer = host.after(config.interval, tick);
    if (!client.connected) return; // a reading is worth nothing later: none is queued offline
    last = host.now();
    let t: number, p: number;
    try {
      const r = read();
      t = r.temperature;
      p = r.pressure;
    } catch (e) {
      host.log(`Sensor error: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (!Number.isFinite(t) || !Number.isFinite(p)) return host.log(`Sensor error: no reading (temperature ${t}, pressure ${p})`);
    const temperature = t.toFixed(1),
      pressure = p.toFixed(1);
    client.publish(topics.temperature, temperature, { retain: true });
    client.publish(topics.pressure, pressure, { retain: true });
    host.log(`Published temperature ${temperature} °C, pressure ${pressure} hPa`);
  }
  return {
    listen: [],
    connected() {
      client.publish(topics.status, 'online', { qos: 1, retain: true });
      if (host.now() - last >= config.interval) tick();
    },
    onMessage() {},
    stop() {
      host.cancel(timer);
      // A clean stop sends DISCONNECT, so the broker keeps the will to itself: say it here.
      if (client.connected) client.publish(topics.status, 'offline', { qos: 1, retain: true });
    },
  };
}
