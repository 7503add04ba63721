// What the seed's two boards print, the one list every runtime is checked against: the Node
// simulator (test/integration/pair.test.mjs, test/firmware/mcsim.test.mjs) and Moddable's simulator (test/firmware/mcsim.test.mjs).
import assert from 'node:assert/strict';

const quote = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** From power-up to the broker, for a board with this broker name subscribed to `topic`. */
export const boot = (broker, topic) => [
  /^MQTT client id [0-9a-f]{12}$/,
  /^Joining WiFi "simulated"\.\.\.$/,
  /^Connection successful$/,
  /^IP address \d{1,3}(\.\d{1,3}){3}$/,
  new RegExp(`^Connected to ${quote(broker)} MQTT broker, subscribed to ${quote(topic)} topic$`),
];

/** ESP#1 (role=hello) through `rounds` hello/received rounds. */
export const helloLines = (broker, rounds = 3) => [
  ...boot(broker, 'notification'),
  ...Array.from({ length: rounds }, () => [/^Received notification: received$/, /^ESP received hello message$/]).flat(),
];

/** ESP#2 (role=responder) through Hello #0 .. #rounds-1. */
export const responderLines = (broker, rounds = 3) => [
  ...boot(broker, 'hello'),
  ...Array.from({ length: rounds }, (_, i) => new RegExp(`^Received hello: Hello #${i}$`)),
];

/** The refusal of a port where nothing listens, as every runtime words it. */
export const refusedLine = (host, port) =>
  new RegExp(
    `^Failed to connect to MQTT broker: no MQTT broker at ${quote(host)}:${port} \\(connection refused\\)\\. (Reconnecting in \\d+\\.\\d s\\.\\.\\.|\\d+ failures in a row: restarting the board\\.\\.\\.)$`,
  );

/**
 * `lines` hold `expected` in this order (other lines may come between), and nothing that says
 * something went wrong inside the firmware.
 */
export function assertLines(lines, expected, who = 'board') {
  let at = 0;
  for (const re of expected) {
    while (at < lines.length && !re.test(lines[at])) at++;
    assert.ok(at < lines.length, `${who}: no line matching ${re} (in order) in:\n${lines.join('\n')}`);
    at++;
  }
  const bad = lines.filter((l) => /Internal error|Exception|XS abort|stack overflow|not writable|Error in a message handler/.test(l));
  assert.deepEqual(bad, [], `${who}: ${bad.join('; ')}`);
}
