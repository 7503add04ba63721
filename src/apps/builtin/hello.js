// ESP#1 : publie « Hello #N » sur le topic hello toutes les 5 s, et lit les réponses d'ESP#2 sur
// notification. C'est le programme du tutoriel MicroPython, écrit en JavaScript.
// ESP#1: publishes "Hello #N" on the topic hello every 5 s, and reads ESP#2's answers on
// notification. It is the MicroPython tutorial's program, written in JavaScript.

let counter = 0;
let connected = false;
let sent = false; // un hello est parti au dernier tic / a hello went at the last tick

// sub_cb : chaque message reçu / each message received
function received(topic, msg) {
  print(`Received ${board.prefix}${topic}: ${msg}`);
  if (topic === 'notification' && msg === 'received') print('ESP received hello message');
}

// Publie « Hello #N », seulement quand la carte est connectée.
// Publishes "Hello #N", only while the board is connected.
function hello() {
  sent = connected;
  if (!connected) return;
  mqtt.publish('hello', `Hello #${counter}`);
  counter += 1;
}

// Connectée et abonnée : le premier hello part tout de suite (sauf s'il en est parti un au
// dernier tic), et les tics repartent de là.
// Connected and subscribed: the first hello goes at once (unless one went at the last tick), and
// the ticks start again from there.
function onConnected() {
  connected = true;
  if (sent) return;
  cancel(ticks);
  ticks = every(board.interval ?? 5000, hello);
  hello();
}

function onDisconnected() {
  connected = false;
}

mqtt.subscribe('notification', received);
// Un tic toutes les 5 s (board.interval : le réglage interval de la carte).
// A tick every 5 s (board.interval: the board's interval setting).
let ticks = every(board.interval ?? 5000, hello);
board.on('connected', onConnected);
board.on('disconnected', onDisconnected);
