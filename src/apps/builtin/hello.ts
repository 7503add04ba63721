// The built-in ESP#1 (role=hello) as a program on the program API: its body, from the comments to
// the last line, is the example the students' page shows and a student sends as a program
// (tools/programs/examples.ts), plain JavaScript, no type in it. The board itself runs the class
// of src/apps/pair.ts, which keeps less in RAM (docs/performance.md); test/xs/xs-registry.test.mjs
// checks the two say and send the same.

import type { ProgramApi } from '../api';

export default function hello({ mqtt, every, cancel, print, board }: ProgramApi): void {
  // ESP#1 : publie « Hello #N » sur le topic hello toutes les 5 s, et lit les réponses d'ESP#2 sur notification.
  // ESP#1: publishes "Hello #N" on the topic hello every 5 s, and reads ESP#2's answers on notification.
  let counter = 0;
  let connected = false;
  let sent = false; // un hello est parti au dernier tic / a hello went at the last tick

  // sub_cb : chaque message reçu / each message received
  mqtt.subscribe('notification', (topic, msg) => {
    print(`Received ${board.prefix}${topic}: ${msg}`);
    if (topic === 'notification' && msg === 'received') print('ESP received hello message');
  });

  // Publie « Hello #N », seulement quand la carte est connectée.
  // Publishes "Hello #N", only while the board is connected.
  const hello = () => {
    sent = connected;
    if (!connected) return;
    mqtt.publish('hello', `Hello #${counter}`);
    counter += 1;
  };
  // Un tic toutes les 5 s (board.interval : le réglage interval de la carte).
  // A tick every 5 s (board.interval: the board's interval setting).
  let ticks = every(board.interval ?? 5000, hello);

  // Connectée et abonnée : le premier hello part tout de suite (sauf s'il en est parti un au
  // dernier tic), et les tics repartent de là.
  // Connected and subscribed: the first hello goes at once (unless one went at the last tick), and
  // the ticks start again from there.
  board.on('connected', () => {
    connected = true;
    if (sent) return;
    cancel(ticks);
    ticks = every(board.interval ?? 5000, hello);
    hello();
  });
  board.on('disconnected', () => {
    connected = false;
  });
}
