// Seeds 000 and 001: a remote control and what it drives. The remote publishes commands on
// <prefix>remote/command: up, down, left, right (the arrow keys) or a colour name. The actuator
// (a program on the students' API: builtin/actuator.js) listens there and shows a colour: an arrow
// picks one (up green, down red, left yellow, right blue), a colour name shows that colour. The
// buttons and the LED are the host's (src/host.ts).

import type { Host } from '../host';
import type { MqttClient } from '../mqtt/client';
import type { BoardConfig } from './config';
import { COMMAND_TOPIC } from './registry';
import type { Role } from './role';

/** The colours an actuator knows, as 0xRRGGBB; `off` is black (LED off). */
export const COLOURS: Record<string, number> = {
  red: 0xff0000,
  green: 0x00ff00,
  blue: 0x0000ff,
  yellow: 0xffff00,
  cyan: 0x00ffff,
  magenta: 0xff00ff,
  white: 0xffffff,
  off: 0x000000,
};

/** What each arrow shows. */
export const ARROWS: Record<string, string> = { up: 'green', down: 'red', left: 'yellow', right: 'blue' };

const HELP = 'use up, down, left, right or a colour (red, green, blue, yellow, cyan, magenta, white, off)';

export function commandTopic(prefix: string): string {
  return prefix + COMMAND_TOPIC;
}

/** The colour a command shows (case and spaces aside), or undefined for no command. */
export function colourOf(command: string): string | undefined {
  const c = command.trim().toLowerCase();
  const name = Object.hasOwn(ARROWS, c) ? ARROWS[c] : c;
  return Object.hasOwn(COLOURS, name) ? name : undefined;
}

/** The remote: each button press (host.buttons) is published, QoS 1, so a press made while the
 *  connection is down still arrives once it is back. Without buttons it plays up, right, down, left
 *  in turn every `interval` while connected, so that an actuator has something to show. */
export function remoteRole(host: Host, client: MqttClient, config: BoardConfig): Role {
  const topic = commandTopic(config.topicPrefix);
  let stopped = false;
  const press = (command: string) => {
    const c = command.trim().toLowerCase();
    if (stopped || !c) return;
    if (!colourOf(c)) return host.log(`"${command}" is not a command: ${HELP}`);
    // Said when true: « Sent » once the broker acknowledged it (QoS 1); before, « Queued ».
    if (!client.connected) host.log(`Queued ${c} on ${topic} (waiting for the broker)`);
    client.publish(topic, c, { qos: 1 }, (err) => {
      if (stopped) return;
      host.log(err ? `${c} not sent: ${err.message}` : `Sent ${c} on ${topic}`);
    });
  };
  let stopInput = () => {};
  if (host.buttons) {
    try {
      stopInput = host.buttons(press);
    } catch (e) {
      host.log(`Buttons error: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    host.log(`No buttons on this board: sending up, right, down, left in turn every ${config.interval / 1000} s`);
    const demo = ['up', 'right', 'down', 'left'];
    let n = 0;
    const tick = () => {
      timer = host.after(config.interval, tick);
      if (client.connected) press(demo[n++ % demo.length]);
    };
    let timer = host.after(config.interval, tick);
    stopInput = () => host.cancel(timer);
  }
  return {
    listen: [],
    connected() {},
    onMessage() {},
    stop() {
      stopped = true;
      stopInput();
    },
  };
}
