// The built-in ESP#2 (role=responder) as a program on the program API: its body is the example the
// students' page shows (tools/programs/examples.ts). The board itself runs the class of
// src/apps/pair.ts; test/xs/xs-registry.test.mjs checks the two say and send the same.

import type { ProgramApi } from '../api';

export default function responder({ mqtt, print, board }: ProgramApi): void {
  // ESP#2 : abonné au topic hello ; à chaque message reçu, répond « received » sur notification.
  // ESP#2: subscribed to the topic hello; to each message it gets, answers "received" on notification.
  mqtt.subscribe('hello', (topic, msg) => {
    print(`Received ${board.prefix}${topic}: ${msg}`);
    mqtt.publish('notification', 'received');
  });
}
