// Seeds 001 and 003: a weather station. The board's side is a program on the students' API
// (builtin/sensor.js): every `interval` the temperature and the pressure, retained, on
// <prefix>myRasp/sensors/temperature and <prefix>myRasp/sensors/pression; <prefix>myRasp/sensors/status
// says "online", or "offline" (its last will: registry.ts). The topics, whole, for the tools.

import { SENSOR_TOPICS } from './registry';

export function sensorTopics(prefix: string) {
  return { temperature: prefix + SENSOR_TOPICS.temperature, pressure: prefix + SENSOR_TOPICS.pressure, status: prefix + SENSOR_TOPICS.status };
}
